//! The question page's buttons and the POSTs behind them agree: for every person (a visitor, the
//! asker, the answerer, a new member, a member with reputation, a moderator, staff) and every
//! thread state (open, closed, locked, deleted by its asker, the answer removed by a moderator),
//! each action the page offers succeeds when posted, and each action it hides is refused.
//! A refused POST changes nothing, so refusals share one thread; each offered action gets a
//! fresh thread of its own.

use scraper::{Html, Selector};

use crate::common::{Client, TestApp};
use peerdesk::db::ids::{AnswerId, QuestionId, UserId};
use peerdesk::db::{self, DbConn};
use peerdesk::domain::access::abilities::Poster;
use peerdesk::domain::access::permissions::Role;
use peerdesk::domain::qa::posting::{self, AskInput};
use peerdesk::domain::qa::thread_state::{self, AnswerChange, Change};
use peerdesk::models::user;

const BODY: &str = "The sync client stops after an hour and shows a spinning icon forever.";
const ANSWER: &str = "Sign out and in again: the token it holds expires after sixty minutes.";

#[derive(Clone, Copy, Debug)]
enum State {
    Open,
    Closed,
    Locked,
    Deleted,
    AnswerRemoved,
}

/// One thing a person can do on the page: how the page offers it, and how it is posted.
#[derive(Clone, Copy, Debug)]
enum Action {
    Answer,
    CommentOnQuestion,
    CommentOnAnswer,
    VoteUpQuestion,
    VoteDownAnswer,
    Accept,
    EditQuestion,
    EditAnswer,
    DeleteQuestion,
    RemoveQuestionAsSpam,
    CloseOrReopen,
    LockOrUnlock,
    Acknowledge,
    DeleteAnswer,
    RemoveAnswerAsSpam,
}

const ACTIONS: [Action; 15] = [
    Action::Answer,
    Action::CommentOnQuestion,
    Action::CommentOnAnswer,
    Action::VoteUpQuestion,
    Action::VoteDownAnswer,
    Action::Accept,
    Action::EditQuestion,
    Action::EditAnswer,
    Action::DeleteQuestion,
    Action::RemoveQuestionAsSpam,
    Action::CloseOrReopen,
    Action::LockOrUnlock,
    Action::Acknowledge,
    Action::DeleteAnswer,
    Action::RemoveAnswerAsSpam,
];

struct Thread {
    q: i64,
    a: i64,
}

/// The forms on a page: (action URL, its hidden fields but the CSRF token).
fn forms(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let doc = Html::parse_document(html);
    let form = Selector::parse("form").expect("selector");
    let hidden = Selector::parse("input[type=hidden]").expect("selector");
    doc.select(&form)
        .map(|f| {
            let fields = f
                .select(&hidden)
                .filter_map(|i| Some((i.attr("name")?.to_string(), i.attr("value").unwrap_or("").to_string())))
                .filter(|(k, _)| k != "csrf_token")
                .collect();
            (f.attr("action").unwrap_or("").to_string(), fields)
        })
        .collect()
}

fn has_form(html: &str, url: &str, wanted: &[(&str, &str)]) -> bool {
    forms(html).iter().any(|(action, fields)| {
        action == url
            && wanted
                .iter()
                .all(|(k, v)| fields.iter().any(|(fk, fv)| fk == k && (v.is_empty() || fv == v)))
            && (wanted.iter().any(|(k, _)| *k == "answer_id") || !fields.iter().any(|(k, _)| k == "answer_id"))
    })
}

/// Whether the page offers `action`, and the request that carries it out.
fn offered(page: &str, t: &Thread, action: Action) -> (bool, String, Vec<(&'static str, String)>) {
    let (q, a) = (t.q, t.a);
    let state_url = format!("/questions/{q}/state");
    let has_state = |name: &str| has_form(page, &state_url, &[("action", name)]);
    let flip = |on: &str, off: &str| {
        if has_state(off) {
            off.to_string()
        } else {
            on.to_string()
        }
    };
    match action {
        Action::Answer => (
            has_form(page, &format!("/questions/{q}/answers"), &[]),
            format!("/questions/{q}/answers"),
            vec![("body", ANSWER.to_string())],
        ),
        Action::CommentOnQuestion => (
            has_form(page, &format!("/questions/{q}/comments"), &[]),
            format!("/questions/{q}/comments"),
            vec![("body", "Which version of the client is this?".into())],
        ),
        Action::CommentOnAnswer => (
            has_form(
                page,
                &format!("/questions/{q}/comments"),
                &[("answer_id", &a.to_string())],
            ),
            format!("/questions/{q}/comments"),
            vec![("body", "That worked for me too.".into()), ("answer_id", a.to_string())],
        ),
        Action::VoteUpQuestion => (
            has_form(page, &format!("/questions/{q}/vote"), &[("value", "up")]),
            format!("/questions/{q}/vote"),
            vec![("value", "up".into())],
        ),
        Action::VoteDownAnswer => (
            has_form(page, &format!("/answers/{a}/vote"), &[("value", "down")]),
            format!("/answers/{a}/vote"),
            vec![("value", "down".into())],
        ),
        Action::Accept => (
            has_form(page, &format!("/answers/{a}/accept"), &[]),
            format!("/answers/{a}/accept"),
            vec![],
        ),
        Action::EditQuestion => (
            page.contains(&format!("href=\"/questions/{q}/edit\"")),
            format!("/questions/{q}/edit"),
            vec![
                ("title", "Sync client stops after an hour".into()),
                ("body", format!("{BODY} It started last week.")),
                ("category", "sync".into()),
                ("tags", "sync".into()),
                ("summary", "more detail".into()),
            ],
        ),
        Action::EditAnswer => (
            page.contains(&format!("href=\"/answers/{a}/edit\"")),
            format!("/answers/{a}/edit"),
            vec![
                ("body", format!("{ANSWER} Then it syncs again.")),
                ("summary", "".into()),
            ],
        ),
        Action::DeleteQuestion => {
            let name = flip("delete", "undelete");
            (has_state(&name), state_url, vec![("action", name)])
        }
        Action::RemoveQuestionAsSpam => (
            has_state("remove_spam"),
            state_url,
            vec![("action", "remove_spam".into())],
        ),
        Action::CloseOrReopen => {
            if has_state("reopen") {
                (true, state_url, vec![("action", "reopen".into())])
            } else {
                let shown = has_state("close");
                (
                    shown,
                    state_url,
                    vec![("action", "close".into()), ("reason", "off_topic".into())],
                )
            }
        }
        Action::LockOrUnlock => {
            let name = flip("lock", "unlock");
            (has_state(&name), state_url, vec![("action", name)])
        }
        Action::Acknowledge => (
            has_state("acknowledge"),
            state_url,
            vec![("action", "acknowledge".into()), ("status", "planned".into())],
        ),
        Action::DeleteAnswer => {
            let undelete = has_form(page, &format!("/answers/{a}/undelete"), &[]);
            let verb = if undelete { "undelete" } else { "delete" };
            let url = format!("/answers/{a}/{verb}");
            (has_form(page, &url, &[]), url, vec![])
        }
        Action::RemoveAnswerAsSpam => (
            has_form(page, &format!("/answers/{a}/remove-spam"), &[]),
            format!("/answers/{a}/remove-spam"),
            vec![],
        ),
    }
}

fn poster(conn: &mut DbConn, id: UserId) -> Poster {
    let u = user::find(conn, id).expect("user");
    let role: Role = Role::of(&u);
    Poster {
        id,
        permissions: role.permissions(),
        is_staff: role.is_staff(),
        comment_anywhere: true,
    }
}

/// Who takes part: the asker, the answerer, the moderator who changes the thread's state, and
/// the member with reputation.
type Cast = (UserId, UserId, UserId, UserId);

/// A thread by `asker` with one answer by `answerer`, brought into `state` by `moderator`. The
/// trusted member's 200 reputation is set again each time (a vote they cast recounts their total
/// from the ledger).
async fn thread(app: &TestApp, who: Cast, state: State, n: usize) -> Thread {
    let (asker, answerer, moderator, trusted) = who;
    app.db(move |c| {
        let now = db::now();
        user::set_reputation(c, trusted, 200).expect("reputation");
        let (p, h, m) = (poster(c, asker), poster(c, answerer), poster(c, moderator));
        let input = AskInput {
            title: format!("Sync client stops after an hour ({n})"),
            body: BODY.into(),
            category: "sync".into(),
            tags: "sync".into(),
        };
        let q: QuestionId = posting::ask(c, &p, &input, now).expect("ask");
        let a: AnswerId = posting::answer(c, &h, q, ANSWER, now).expect("answer");
        let change = |c: &mut DbConn, by: &Poster, change| {
            thread_state::change_question(c, by, q, change, None, now).expect("state change")
        };
        match state {
            State::Open => {}
            State::Closed => change(c, &m, Change::CloseOffTopic),
            State::Locked => change(c, &m, Change::Lock),
            State::Deleted => change(c, &p, Change::Delete),
            State::AnswerRemoved => {
                thread_state::set_answer_deleted(c, &m, a, AnswerChange::RemoveAsSpam, None, now).expect("removal");
            }
        }
        Thread { q: q.0, a: a.0 }
    })
    .await
}

async fn page_of(client: &Client, t: &Thread) -> (u16, String) {
    let res = client.get(&format!("/questions/{}", t.q)).await;
    if res.status == 301 {
        let res = client.get(res.location()).await;
        return (res.status, res.body);
    }
    (res.status, res.body)
}

/// Whether a request went through: a 2xx or 3xx that is not the way to the login page.
fn went_through(res: &crate::common::Resp) -> bool {
    (200..400).contains(&res.status) && !res.header("location").unwrap_or("").starts_with("/login")
}

/// Posts the action (an edit first opens its form, as a person would); the status, and
/// whether it went through.
async fn attempt(client: &Client, url: &str, fields: &[(&'static str, String)]) -> (u16, bool) {
    if url.ends_with("/edit") {
        let form = client.get(url).await;
        if !went_through(&form) {
            return (form.status, false);
        }
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = client.post(url, &fields).await;
    (res.status, went_through(&res))
}

#[actix_web::test]
async fn every_button_shown_works_and_every_button_hidden_is_refused() {
    let app = TestApp::spawn().await;
    app.category("sync").await;
    let (asker, asker_c) = app.login_as("asker", "member").await;
    let (answerer, answerer_c) = app.login_as("answerer", "member").await;
    let (_, newcomer_c) = app.login_as("newcomer", "member").await;
    let (trusted, trusted_c) = app.login_as("trusted", "member").await;
    let (moderator, moderator_c) = app.login_as("moderator", "moderator").await;
    let (_, staff_c) = app.login_as("staffer", "staff").await;
    let visitor = app.client();
    let people: [(&str, &Client); 7] = [
        ("visitor", &visitor),
        ("asker", &asker_c),
        ("answerer", &answerer_c),
        ("newcomer", &newcomer_c),
        ("trusted", &trusted_c),
        ("moderator", &moderator_c),
        ("staff", &staff_c),
    ];
    let who = (asker, answerer, moderator, trusted);
    let mut n = 0;
    let mut offered_count = 0;
    let mut refused_count = 0;
    for state in [
        State::Open,
        State::Closed,
        State::Locked,
        State::Deleted,
        State::AnswerRemoved,
    ] {
        for (name, client) in people {
            n += 1;
            let shared = thread(&app, who, state, n).await;
            let (status, page) = page_of(client, &shared).await;
            if status == 404 {
                // Nothing is shown, so everything must be refused (a deleted question for those
                // who may not see it).
                for action in ACTIONS {
                    let (_, url, fields) = offered("", &shared, action);
                    let (got, ok) = attempt(client, &url, &fields).await;
                    assert!(
                        !ok,
                        "{name} in {state:?}: {action:?} hidden (no page) but answered {got}"
                    );
                    refused_count += 1;
                }
                continue;
            }
            assert_eq!(status, 200, "{name} in {state:?}");
            for action in ACTIONS {
                let (shown, url, fields) = offered(&page, &shared, action);
                if shown {
                    n += 1;
                    let fresh = thread(&app, who, state, n).await;
                    let (_, fresh_page) = page_of(client, &fresh).await;
                    let (shown_again, url, fields) = offered(&fresh_page, &fresh, action);
                    assert!(
                        shown_again,
                        "{name} in {state:?}: {action:?} on one thread and not another: {:?}",
                        forms(&fresh_page)
                    );
                    let (got, ok) = attempt(client, &url, &fields).await;
                    assert!(
                        ok,
                        "{name} in {state:?}: {action:?} is offered, but {url} answered {got}"
                    );
                    offered_count += 1;
                } else {
                    let (got, ok) = attempt(client, &url, &fields).await;
                    assert!(
                        !ok,
                        "{name} in {state:?}: {action:?} is hidden, but {url} answered {got}"
                    );
                    refused_count += 1;
                }
            }
        }
    }
    // The matrix means something only if both sides are well populated.
    assert!(offered_count >= 60, "only {offered_count} actions were offered");
    assert!(refused_count >= 200, "only {refused_count} actions were refused");
}

#[actix_web::test]
async fn a_moderator_deletes_a_locked_question_from_its_page() {
    let app = TestApp::spawn().await;
    app.category("sync").await;
    let (asker, asker_c) = app.login_as("asker", "member").await;
    let (answerer, _) = app.login_as("answerer", "member").await;
    let (moderator, moderator_c) = app.login_as("moderator", "moderator").await;
    let t = thread(&app, (asker, answerer, moderator, answerer), State::Locked, 1).await;
    let (_, page) = page_of(&moderator_c, &t).await;
    assert!(has_form(
        &page,
        &format!("/questions/{}/state", t.q),
        &[("action", "delete")]
    ));
    let (_, page) = page_of(&asker_c, &t).await;
    assert!(!has_form(
        &page,
        &format!("/questions/{}/state", t.q),
        &[("action", "delete")]
    ));
    let res = asker_c
        .post(&format!("/questions/{}/state", t.q), &[("action", "delete")])
        .await;
    assert_eq!(res.status, 400, "the asker of a locked question cannot delete it");
    let res = moderator_c
        .post(&format!("/questions/{}/state", t.q), &[("action", "delete")])
        .await;
    assert_eq!(res.status, 303);
}

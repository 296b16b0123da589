//! Reputation through the pages: votes, accepts, deletions and spam removals move it exactly as
//! DESIGN §4 says; privileges follow it; admins set the thresholds; imports earn it in time order
//! under the daily cap; `peerdesk reputation recompute` repairs totals.

use diesel::prelude::*;
use serde_json::json;

use crate::common::{question_id, Client, TestApp};
use peerdesk::db::ids::UserId;
use peerdesk::db::schema::users;

const BODY: &str = "My router drops Wi-Fi every evening around 8pm. I tried rebooting it twice.";

async fn rep(app: &TestApp, id: UserId) -> i64 {
    app.db(move |c| users::table.find(id).select(users::reputation).first(c).unwrap())
        .await
}

/// The total the privileges page shows the signed-in user.
async fn shown(c: &Client) -> i64 {
    let body = c.get("/privileges").await.body;
    let start = body.find("You have <strong>").expect("no reputation shown") + "You have <strong>".len();
    body[start..].split('<').next().unwrap().parse().unwrap()
}

#[actix_web::test]
async fn votes_accepts_and_removals_move_reputation_exactly() {
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let (asker_id, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Router drops Wi-Fi every evening", BODY, &cat, "wifi").await;
    let qid = question_id(&path);
    let (helper_id, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let aid = helper
        .answer(qid, "Change the channel to 1, 6 or 11 in the settings.")
        .await;
    let (voter_id, voter) = app.login_as("voter", "member").await;

    // At 1 reputation a member cannot vote: the page says why, and the server refuses.
    let page = voter.get(&path).await;
    assert!(
        page.body.contains("Voting up needs 15 reputation"),
        "the locked button explains"
    );
    let refused = voter.post(&format!("/answers/{aid}/vote"), &[("value", "up")]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("more reputation"));
    assert!(voter
        .get("/privileges")
        .await
        .body
        .contains("14 more reputation to vote up"));

    // An admin lowers the thresholds on the admin page.
    let (_, admin) = app.login_as("root", "admin").await;
    let form = admin.get("/admin/reputation").await;
    assert_eq!(form.status, 200);
    let fields = [
        ("vote_up", "1"),
        ("vote_down", "1"),
        ("comment_anywhere", "50"),
        ("skip_premoderation", "10"),
        ("edit_others", "2000"),
        ("close", "3000"),
        ("contributor", "500"),
    ];
    let saved = admin.post("/admin/reputation", &fields).await;
    assert_eq!(saved.status, 303);
    assert!(admin.get("/admin/audit").await.body.contains("settings.reputation"));

    voter.get(&path).await;
    let vote = |url: String, value: &'static str| {
        let c = &voter;
        async move {
            let res = c.post(&url, &[("value", value)]).await;
            assert_eq!(res.status, 303, "{value} on {url}: {}", res.body);
        }
    };
    vote(format!("/answers/{aid}/vote"), "up").await;
    assert_eq!(rep(&app, helper_id).await, 11, "+10 for an upvoted answer");
    vote(format!("/questions/{qid}/vote"), "up").await;
    assert_eq!(rep(&app, asker_id).await, 6, "+5 for an upvoted question");
    asker.get(&path).await;
    assert_eq!(asker.post(&format!("/answers/{aid}/accept"), &[]).await.status, 303);
    assert_eq!(
        (rep(&app, helper_id).await, rep(&app, asker_id).await),
        (26, 8),
        "+15 and +2"
    );
    assert_eq!(shown(&helper).await, 26, "the header and privileges page show it");

    vote(format!("/answers/{aid}/vote"), "down").await;
    assert_eq!(rep(&app, helper_id).await, 14, "the upvote goes, -2 comes");
    assert_eq!(rep(&app, voter_id).await, 1, "-1 for downvoting, but never below 1");
    vote(format!("/answers/{aid}/vote"), "clear").await;
    assert_eq!(rep(&app, helper_id).await, 16);
    assert_eq!(asker.post(&format!("/questions/{qid}/unaccept"), &[]).await.status, 303);
    assert_eq!(
        (rep(&app, helper_id).await, rep(&app, asker_id).await),
        (1, 6),
        "un-accepting takes both back"
    );

    // Deleting a post takes its reputation away; restoring brings it back.
    vote(format!("/answers/{aid}/vote"), "up").await;
    assert_eq!(rep(&app, helper_id).await, 11);
    let (_, moderator) = app.login_as("mod", "moderator").await;
    moderator.get(&path).await;
    assert!(moderator.get(&path).await.body.contains("remove as spam"));
    assert_eq!(moderator.post(&format!("/answers/{aid}/delete"), &[]).await.status, 303);
    assert_eq!(rep(&app, helper_id).await, 1);
    assert_eq!(
        moderator.post(&format!("/answers/{aid}/undelete"), &[]).await.status,
        303
    );
    assert_eq!(rep(&app, helper_id).await, 11);

    // Spam removal costs 100, and is undone by restoring the post.
    let res = moderator
        .post(&format!("/questions/{qid}/state"), &[("action", "remove_spam")])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(rep(&app, asker_id).await, 1, "5 - 100 is below the floor");
    assert_eq!(rep(&app, helper_id).await, 1, "the thread's answers stop counting too");
    let res = moderator
        .post(&format!("/questions/{qid}/state"), &[("action", "undelete")])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!((rep(&app, asker_id).await, rep(&app, helper_id).await), (6, 11));
    assert!(admin.get("/admin/audit").await.body.contains("question.remove_as_spam"));

    // Members cannot remove as spam, and removing your own post as spam is not a thing.
    helper.get(&path).await;
    let res = helper.post(&format!("/answers/{aid}/remove-spam"), &[]).await;
    assert_eq!(res.status, 403);
    assert_eq!(rep(&app, helper_id).await, 11);
}

#[actix_web::test]
async fn commenting_on_others_needs_reputation() {
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Router drops Wi-Fi every evening", BODY, &cat, "wifi").await;
    let qid = question_id(&path);
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let aid = helper
        .answer(qid, "Change the channel to 1, 6 or 11 in the settings.")
        .await;
    let aid_s = aid.to_string();

    // The asker may comment on their question and on answers to it; the helper on their answer.
    assert!(asker.get(&path).await.body.contains("Add a comment"));
    assert_eq!(
        asker
            .post(&format!("/questions/{qid}/comments"), &[("body", "It is a TP-Link.")])
            .await
            .status,
        303
    );
    assert_eq!(
        asker
            .post(
                &format!("/questions/{qid}/comments"),
                &[("body", "Which setting?"), ("answer_id", &aid_s)]
            )
            .await
            .status,
        303
    );
    helper.get(&path).await;
    assert_eq!(
        helper
            .post(
                &format!("/questions/{qid}/comments"),
                &[("body", "Under Wireless."), ("answer_id", &aid_s)]
            )
            .await
            .status,
        303
    );
    // A newcomer may not comment on other people's posts, and is not offered the form.
    let (_, newcomer) = app.login_as("newcomer", "member").await;
    let page = newcomer.get(&path).await;
    assert!(!page.body.contains("Add a comment"));
    let res = newcomer
        .post(&format!("/questions/{qid}/comments"), &[("body", "Me too!")])
        .await;
    assert_eq!(res.status, 403);
    // Staff may always.
    let (_, staff) = app.login_as("sam", "staff").await;
    staff.get(&path).await;
    assert_eq!(
        staff
            .post(
                &format!("/questions/{qid}/comments"),
                &[("body", "We are looking into it.")]
            )
            .await
            .status,
        303
    );
}

#[actix_web::test]
async fn thresholds_form_refuses_bad_values_and_non_admins() {
    let app = TestApp::spawn().await;
    let (_, member) = app.login_as("member", "member").await;
    assert_eq!(member.get("/admin/reputation").await.status, 403);
    let (_, staff) = app.login_as("sam", "staff").await;
    assert_eq!(
        staff.get("/admin/reputation").await.status,
        403,
        "staff lack manage_settings"
    );
    let (_, admin) = app.login_as("root", "admin").await;
    admin.get("/admin/reputation").await;
    for bad in ["0", "-5", "abc", "", "1000001", "2.5"] {
        let res = admin
            .post(
                "/admin/reputation",
                &[
                    ("vote_up", bad),
                    ("vote_down", "125"),
                    ("comment_anywhere", "50"),
                    ("skip_premoderation", "10"),
                    ("edit_others", "2000"),
                    ("close", "3000"),
                    ("contributor", "500"),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{bad:?}");
        assert!(res.body.contains("whole number"));
    }
    let res = admin.post("/admin/reputation", &[("vote_up", "3")]).await;
    assert_eq!(res.status, 422, "every threshold is required");
    assert_eq!(app.state.thresholds().vote_up, 15, "nothing changed");
}

#[actix_web::test]
async fn imported_votes_earn_reputation_in_time_order_under_the_daily_cap() {
    let app = TestApp::spawn().await;
    // 25 voters upvote one expert's answers on one day (250 before the cap), one more the next day.
    let mut users = vec![
        json!({"ref": "x", "username": "expert", "email": "x@example.com", "role": "member", "created_at": "2025-01-01T00:00:00Z"}),
    ];
    for i in 0..26 {
        users.push(json!({"ref": format!("v{i}"), "username": format!("voter{i}"), "email": format!("v{i}@example.com"), "role": "member", "created_at": "2025-01-01T00:00:00Z"}));
    }
    let votes: Vec<_> = (0..26)
        .map(|i| {
            let day = if i < 25 { "2025-03-01" } else { "2025-03-02" };
            json!({"user": format!("v{i}"), "target": "a1", "value": 1, "created_at": format!("{day}T{:02}:00:00Z", i % 24)})
        })
        .collect();
    let file = json!({
        "users": users,
        "groups": [],
        "categories": [{"ref": "c1", "name": "Net", "slug": "net", "group": null}],
        "questions": [{
            "ref": "q1", "author": "v0", "category": "c1", "title": "A question with many votes",
            "body": "The body of a question with many votes on its answer.", "tags": ["wifi"],
            "created_at": "2025-02-28T09:00:00Z", "comments": [],
            "answers": [{"ref": "a1", "author": "x", "body": "An answer worth many votes.", "created_at": "2025-02-28T10:00:00Z", "accepted_at": "2025-03-03T10:00:00Z", "comments": []}],
            "votes": votes
        }],
        "surveys": []
    });
    app.import(&file).await;
    let expert: UserId = app
        .db(|c| {
            users::table
                .filter(users::username.eq("expert"))
                .select(users::id)
                .first(c)
                .unwrap()
        })
        .await;
    assert_eq!(
        rep(&app, expert).await,
        1 + 200 + 10 + 15,
        "capped day, next day, accepted"
    );
    let asker: UserId = app
        .db(|c| {
            users::table
                .filter(users::username.eq("voter0"))
                .select(users::id)
                .first(c)
                .unwrap()
        })
        .await;
    assert_eq!(
        rep(&app, asker).await,
        1 + 2,
        "the asker accepted someone else's answer"
    );
}

#[test]
fn recompute_repairs_and_reports_totals() {
    let dir = tempfile::tempdir().unwrap();
    let testdb = crate::common::TestDb::new(dir.path());
    let data = dir.path().join("data").display().to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
            .args(args)
            .env_clear()
            .env("DATABASE_URL", &testdb.url)
            .env("PEERDESK_DATA_DIR", &data)
            .output()
            .unwrap()
    };
    let out = run(&["seed", "--scale", "60"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["reputation", "recompute"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 totals differed"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Break one total behind the ledger's back.
    let mut c = peerdesk::db::DbTarget::parse(&testdb.url).unwrap().connect().unwrap();
    let (name, total): (String, i64) = users::table
        .order(users::reputation.desc())
        .select((users::username, users::reputation))
        .first(&mut c)
        .unwrap();
    assert!(total > 1, "the demo community earns reputation");
    diesel::update(users::table.filter(users::username.eq(&name)))
        .set(users::reputation.eq(total + 1000))
        .execute(&mut c)
        .unwrap();
    let out = run(&["reputation", "recompute"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("{name}: stored {}, ledger {total}", total + 1000)),
        "{text}"
    );
    assert!(text.contains("1 total differed"));
    let fixed: i64 = users::table
        .filter(users::username.eq(&name))
        .select(users::reputation)
        .first(&mut c)
        .unwrap();
    assert_eq!(fixed, total);
}

#[actix_web::test]
async fn the_privileges_page_counts_what_a_role_grants() {
    let app = TestApp::spawn().await;
    let (_, member) = app.login_as("member", "member").await;
    let page = member.get("/privileges").await.body;
    assert!(page.contains("You have <strong>1</strong> reputation"));
    assert!(
        page.contains("14 more reputation to vote up")
            && page.contains("2999 more reputation to close and reopen questions")
    );
    let (_, moderator) = app.login_as("mod", "moderator").await;
    let page = moderator.get("/privileges").await.body;
    assert!(!page.contains("more reputation to close"), "moderators close by role");
    assert!(!page.contains("more reputation to edit others"), "and edit by role");
    assert!(
        page.contains("more reputation to vote up"),
        "but vote by reputation, as DESIGN §2 says"
    );
    let anon = app.client().get("/privileges").await.body;
    assert!(anon.contains("Log in") && anon.contains("Vote down"));
}

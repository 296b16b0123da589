//! Badges: earned in the transaction of the event that earns them, with a notification; repeatable
//! ones once per answer; manual badges made, given and revoked by staff (audited); imported history
//! earns them too; concurrent votes and accepts leave exact awards and totals.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;

use crate::common::{question_id, TestApp};
use peerdesk::db::ids::{AnswerId, QuestionId, UserId};
use peerdesk::db::schema::{answers, badge_awards, badges, notifications, users};
use peerdesk::domain::access::abilities::Poster;
use peerdesk::domain::access::permissions::{Permission, Role};
use peerdesk::domain::qa::posting::{self, AskInput};
use peerdesk::domain::qa::voting::{self, Direction, Post};

const BODY: &str = "My router drops Wi-Fi every evening around 8pm. I tried rebooting it twice.";

/// The badges `user` holds, by slug (repeatable ones once per award).
async fn held(app: &TestApp, user: UserId) -> Vec<String> {
    let mut v: Vec<String> = app
        .db(move |c| {
            badge_awards::table
                .inner_join(badges::table)
                .filter(badge_awards::user_id.eq(user))
                .select(badges::slug)
                .load(c)
                .unwrap()
        })
        .await;
    v.sort();
    v
}

fn poster(id: UserId, role: Role) -> Poster {
    let mut permissions = role.permissions();
    permissions.insert(Permission::VoteUp);
    Poster {
        id,
        permissions,
        is_staff: role.is_staff(),
        comment_anywhere: true,
    }
}

#[actix_web::test]
async fn badges_arrive_with_the_events_that_earn_them() {
    let app = TestApp::spawn().await;
    app.open_privileges().await;
    let cat = app.category("net").await;
    let (asker_id, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Router drops Wi-Fi every evening", BODY, &cat, "wifi").await;
    let qid = question_id(&path);
    assert_eq!(held(&app, asker_id).await, ["first-question"]);
    let page = asker.get("/").await;
    assert!(
        page.body.contains("class=\"bell unread\""),
        "the header counts the unread notification"
    );
    let list = asker.get("/notifications").await;
    assert!(list.body.contains("You earned the First Question badge"));
    assert!(list.body.contains("href=\"/badges/first-question\""));
    assert_eq!(asker.post("/notifications/read", &[]).await.status, 303);
    assert!(!asker.get("/").await.body.contains("bell unread"));

    let (helper_id, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let aid = helper
        .answer(qid, "Change the channel to 1, 6 or 11 in the settings.")
        .await;
    assert_eq!(
        held(&app, helper_id).await,
        ["first-answer", "quick-responder"],
        "the first response, at once"
    );
    let (voter_id, voter) = app.login_as("voter", "member").await;
    voter.get(&path).await;
    voter.post(&format!("/answers/{aid}/vote"), &[("value", "down")]).await;
    assert!(held(&app, voter_id).await.is_empty(), "a downvote earns no Supporter");
    voter.post(&format!("/answers/{aid}/vote"), &[("value", "up")]).await;
    assert_eq!(held(&app, voter_id).await, ["supporter"]);
    asker.get(&path).await;
    asker.post(&format!("/answers/{aid}/accept"), &[]).await;
    assert_eq!(
        held(&app, helper_id).await,
        ["first-answer", "quick-responder", "solved"]
    );

    // Good Answer at a score of 10, Guru for an accepted answer at 25: once per answer.
    app.db(move |c| {
        diesel::update(answers::table.find(aid))
            .set(answers::score.eq(9))
            .execute(c)
            .unwrap()
    })
    .await;
    let (_, fan) = app.login_as("fan", "member").await;
    fan.get(&path).await;
    fan.post(&format!("/answers/{aid}/vote"), &[("value", "up")]).await;
    assert_eq!(
        held(&app, helper_id).await,
        ["first-answer", "good-answer", "quick-responder", "solved"]
    );
    fan.post(&format!("/answers/{aid}/vote"), &[("value", "clear")]).await;
    fan.post(&format!("/answers/{aid}/vote"), &[("value", "up")]).await;
    assert_eq!(held(&app, helper_id).await.len(), 4, "not twice for one answer");
    app.db(move |c| {
        diesel::update(answers::table.find(aid))
            .set(answers::score.eq(24))
            .execute(c)
            .unwrap()
    })
    .await;
    let (_, fan2) = app.login_as("fan2", "member").await;
    fan2.get(&path).await;
    fan2.post(&format!("/answers/{aid}/vote"), &[("value", "up")]).await;
    assert_eq!(
        held(&app, helper_id).await,
        ["first-answer", "good-answer", "guru", "quick-responder", "solved"]
    );

    // The catalogue and the badge page.
    let index = app.client().get("/badges").await;
    assert_eq!(index.status, 200);
    for name in [
        "Welcome",
        "Problem Solver",
        "Community Hero",
        "Great Answer",
        "Beta Champion",
        "Quick Responder",
    ] {
        assert!(index.body.contains(name), "{name} is in the catalogue");
    }
    let good = app.client().get("/badges/good-answer").await;
    assert!(
        good.body.contains("Router drops Wi-Fi every evening"),
        "the answer's question is linked"
    );
    assert!(good.body.contains("1 member"));
    assert_eq!(app.client().get("/badges/no-such-badge").await.status, 404);
    assert_eq!(app.client().get("/badges/good-answer?page=0").await.status, 400);
    assert!(helper
        .get("/notifications")
        .await
        .body
        .contains("You earned the Guru badge (gold)."));
}

#[actix_web::test]
async fn staff_make_give_and_revoke_manual_badges() {
    let app = TestApp::spawn().await;
    let (_, member) = app.login_as("member", "member").await;
    let (member_id, _) = (app.make_user("winner", "member").await, ());
    let (_, staff) = app.login_as("sam", "staff").await;
    let page = staff.get("/badges").await;
    assert!(page.body.contains("New manual badge"));
    assert!(!member.get("/badges").await.body.contains("New manual badge"));

    member.get("/badges").await;
    let res = member
        .post(
            "/badges",
            &[
                ("name", "Sneaky"),
                ("tier", "gold"),
                ("description", "Made by a member"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    for (name, tier, description) in [
        ("x", "gold", "Long enough"),
        ("Beta Hero", "platinum", "Long enough"),
        ("Beta Hero", "gold", "no"),
    ] {
        let res = staff
            .post(
                "/badges",
                &[("name", name), ("tier", tier), ("description", description)],
            )
            .await;
        assert_eq!(res.status, 422, "{name} {tier} {description}");
    }
    let res = staff
        .post(
            "/badges",
            &[
                ("name", "Beta Hero"),
                ("tier", "gold"),
                ("description", "Found a release blocker in the beta."),
            ],
        )
        .await;
    assert_eq!((res.status, res.location()), (303, "/badges/beta-hero"));
    let dup = staff
        .post(
            "/badges",
            &[
                ("name", "Beta hero"),
                ("tier", "gold"),
                ("description", "Again, same slug."),
            ],
        )
        .await;
    assert_eq!(dup.status, 422);

    staff.get("/badges/beta-hero").await;
    let res = staff
        .post(
            "/badges/beta-hero/awards",
            &[("username", "winner"), ("reason", "Found the 2.0 sync bug")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(held(&app, member_id).await, ["beta-hero"]);
    let again = staff
        .post(
            "/badges/beta-hero/awards",
            &[("username", "winner"), ("reason", "Once more")],
        )
        .await;
    assert_eq!(again.status, 422, "they hold it already");
    let nobody = staff
        .post("/badges/beta-hero/awards", &[("username", "ghost"), ("reason", "Who?")])
        .await;
    assert_eq!(nobody.status, 422);
    let rule = staff
        .post(
            "/badges/first-question/awards",
            &[("username", "winner"), ("reason", "Not by hand")],
        )
        .await;
    assert_eq!(rule.status, 400, "rule badges are not given by hand");
    member.get("/badges/beta-hero").await;
    let res = member
        .post(
            "/badges/beta-hero/awards",
            &[("username", "member"), ("reason", "Myself")],
        )
        .await;
    assert_eq!(res.status, 403);
    let told: i64 = app
        .db(move |c| {
            notifications::table
                .filter(notifications::user_id.eq(member_id))
                .count()
                .get_result(c)
                .unwrap()
        })
        .await;
    assert_eq!(told, 1, "the winner was told once");

    let award: i64 = app
        .db(|c| badge_awards::table.select(badge_awards::id).first(c).unwrap())
        .await;
    let page = staff.get("/badges/beta-hero").await;
    assert!(page.body.contains("revoke"));
    let res = staff
        .post(&format!("/badges/beta-hero/awards/{award}/revoke"), &[])
        .await;
    assert_eq!(res.status, 303);
    assert!(held(&app, member_id).await.is_empty());
    assert_eq!(
        staff
            .post(&format!("/badges/beta-hero/awards/{award}/revoke"), &[])
            .await
            .status,
        404
    );

    let (_, admin) = app.login_as("root", "admin").await;
    let audit = admin.get("/admin/audit").await.body;
    for action in ["badge.create", "badge.grant", "badge.revoke"] {
        assert!(audit.contains(action), "{action} is audited");
    }
}

#[actix_web::test]
async fn counted_badges_come_at_their_count() {
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let asker = app.make_user("asker", "member").await;
    let expert = app.make_user("expert", "member").await;
    let (problem_solver_after_9, after_10, regular_after_29, after_30) = app
        .db(move |c| {
            let start = peerdesk::db::now() - Duration::days(60);
            let mut q_ids = Vec::new();
            for i in 0..10 {
                let input = AskInput {
                    title: format!("Question number {i} about the router"),
                    body: BODY.into(),
                    category: cat.clone(),
                    tags: "wifi".into(),
                };
                q_ids.push(posting::ask(c, &poster(asker, Role::Member), &input, start).unwrap());
            }
            let mut accepted_9 = false;
            for (i, q) in q_ids.iter().enumerate() {
                // The expert answers on a different day each time (activity days for Regular).
                let day = start + Duration::days(i as i64);
                let a = posting::answer(c, &poster(expert, Role::Member), *q, BODY, day).unwrap();
                voting::accept(c, &poster(asker, Role::Member), a, None, day).unwrap();
                if i == 8 {
                    accepted_9 = slugs(c, expert).contains(&"problem-solver".to_string());
                }
            }
            let after_10 = slugs(c, expert).contains(&"problem-solver".to_string());
            let mut regular_29 = false;
            for d in 10..30 {
                let day = start + Duration::days(d);
                posting::comment(
                    c,
                    &poster(expert, Role::Member),
                    q_ids[0],
                    None,
                    "One more thought.",
                    day,
                )
                .unwrap();
                if d == 28 {
                    regular_29 = slugs(c, expert).contains(&"regular".to_string());
                }
            }
            let regular_30 = slugs(c, expert).contains(&"regular".to_string());
            (accepted_9, after_10, regular_29, regular_30)
        })
        .await;
    assert!(
        !problem_solver_after_9 && after_10,
        "Problem Solver at the 10th accepted answer"
    );
    assert!(!regular_after_29 && after_30, "Regular on the 30th active day");
}

fn slugs(c: &mut peerdesk::db::DbConn, user: UserId) -> Vec<String> {
    badge_awards::table
        .inner_join(badges::table)
        .filter(badge_awards::user_id.eq(user))
        .select(badges::slug)
        .load(c)
        .unwrap()
}

#[actix_web::test]
async fn imported_history_earns_badges_dated_when_earned() {
    let app = TestApp::spawn().await;
    let file = json!({
        "users": [
            {"ref": "u1", "username": "alice", "email": "alice@example.com", "role": "member", "created_at": "2025-01-02T10:00:00Z"},
            {"ref": "u2", "username": "bob", "email": "bob@example.com", "role": "member", "created_at": "2025-01-03T10:00:00Z"}
        ],
        "groups": [],
        "categories": [{"ref": "c1", "name": "Billing", "slug": "billing", "group": null}],
        "questions": [{
            "ref": "q1", "author": "u1", "category": "c1", "title": "Where do I find my invoices?",
            "body": "I cannot find invoices anywhere in the dashboard.", "tags": ["invoices"],
            "created_at": "2025-02-01T09:00:00Z", "comments": [],
            "answers": [{"ref": "a1", "author": "u2", "body": "Settings, then Billing.", "created_at": "2025-02-01T10:00:00Z",
                          "accepted_at": "2025-02-02T10:00:00Z", "comments": []}],
            "votes": [{"user": "u1", "target": "a1", "value": 1, "created_at": "2025-02-02T09:00:00Z"}]
        }],
        "surveys": []
    });
    app.import(&file).await;
    let (alice, bob): (UserId, UserId) = app
        .db(|c| {
            let mut id = |name: &str| users::table.filter(users::username.eq(name)).select(users::id).first(c);
            (id("alice").unwrap(), id("bob").unwrap())
        })
        .await;
    assert_eq!(held(&app, alice).await, ["first-question", "supporter"]);
    // Asked on a Saturday, answered an hour later: no business minute passed.
    assert_eq!(held(&app, bob).await, ["first-answer", "quick-responder", "solved"]);
    let solved_at: chrono::NaiveDateTime = app
        .db(move |c| {
            badge_awards::table
                .inner_join(badges::table)
                .filter(badge_awards::user_id.eq(bob))
                .filter(badges::slug.eq("solved"))
                .select(badge_awards::created_at)
                .first(c)
                .unwrap()
        })
        .await;
    assert_eq!(
        solved_at.to_string(),
        "2025-02-02 10:00:00",
        "dated when the answer was accepted"
    );
    let told: i64 = app.db(|c| notifications::table.count().get_result(c).unwrap()).await;
    assert_eq!(told, 0, "history sends no notifications");
}

#[actix_web::test]
async fn concurrent_votes_and_accepts_leave_exact_awards_and_totals() {
    let app = TestApp::spawn_with(&[("PEERDESK_DB_POOL_SIZE", "12")]).await;
    let cat = app.category("net").await;
    let asker = app.make_user("asker", "member").await;
    let staffer = app.make_user("staffer", "staff").await;
    let helpers = [
        app.make_user("helper1", "member").await,
        app.make_user("helper2", "member").await,
    ];
    let mut voters = Vec::new();
    for i in 0..16 {
        voters.push(app.make_user(&format!("voter{i}"), "member").await);
    }
    let (qid, answer_ids) = app
        .db(move |c| {
            let input = AskInput {
                title: "Many people have this exact problem".into(),
                body: BODY.into(),
                category: cat.clone(),
                tags: "wifi".into(),
            };
            let now = peerdesk::db::now();
            let q: QuestionId = posting::ask(c, &poster(asker, Role::Member), &input, now).unwrap();
            let a: Vec<AnswerId> = helpers
                .iter()
                .map(|h| posting::answer(c, &poster(*h, Role::Member), q, BODY, now).unwrap())
                .collect();
            (q, a)
        })
        .await;
    let mut handles = Vec::new();
    for (i, v) in voters.iter().copied().enumerate() {
        let db = app.state.db.clone();
        let target = answer_ids[usize::from(i >= 12)];
        handles.push(std::thread::spawn(move || {
            let mut c = db.get().unwrap();
            voting::vote(
                &mut c,
                &poster(v, Role::Member),
                Post::Answer(target),
                Direction::Up,
                peerdesk::db::now(),
            )
            .unwrap();
            voting::vote(
                &mut c,
                &poster(v, Role::Member),
                Post::Question(qid),
                Direction::Up,
                peerdesk::db::now(),
            )
            .unwrap();
        }));
    }
    // The asker and a staff member move the accepted mark back and forth meanwhile.
    for (who, role) in [(asker, Role::Member), (staffer, Role::Staff)] {
        let db = app.state.db.clone();
        let answers = answer_ids.clone();
        handles.push(std::thread::spawn(move || {
            let mut c = db.get().unwrap();
            for round in 0..6 {
                // Another thread may have just accepted the same answer: that refusal is fine.
                let _ = voting::accept(
                    &mut c,
                    &poster(who, role),
                    answers[round % 2],
                    None,
                    peerdesk::db::now(),
                );
            }
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
    let (differences, good) = app
        .db(|c| {
            let d = peerdesk::domain::reputation::recompute(c).unwrap();
            let good: i64 = badge_awards::table
                .inner_join(badges::table)
                .filter(badges::slug.eq("good-answer"))
                .count()
                .get_result(c)
                .unwrap();
            (d, good)
        })
        .await;
    assert!(
        differences.is_empty(),
        "totals drifted from the ledger: {differences:?}"
    );
    assert_eq!(good, 1, "12 concurrent upvotes make one Good Answer, awarded once");
    let supporters: i64 = app
        .db(|c| {
            badge_awards::table
                .inner_join(badges::table)
                .filter(badges::slug.eq("supporter"))
                .count()
                .get_result(c)
                .unwrap()
        })
        .await;
    assert_eq!(supporters, 16, "one Supporter each, though each voted twice at once");
    let asker_rep: i64 = app
        .db(move |c| users::table.find(asker).select(users::reputation).first(c).unwrap())
        .await;
    // 16 question upvotes (+80), and +2 while the asker's own accept stands (staff's accept
    // gives the asker nothing).
    assert!(asker_rep == 81 || asker_rep == 83, "asker has {asker_rep}");
}

#[actix_web::test]
async fn quick_responders_answer_within_one_business_hour() {
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let asker = app.make_user("asker", "member").await;
    let quick = app.make_user("quick", "member").await;
    let slow = app.make_user("slow", "member").await;
    let weekend = app.make_user("weekend", "member").await;
    let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    let (q_badge, s_badge, w_badge, asker_badge) = app
        .db(move |c| {
            let ask = |c: &mut peerdesk::db::DbConn, title: &str, when| {
                let input = AskInput {
                    title: title.into(),
                    body: BODY.into(),
                    category: cat.clone(),
                    tags: "wifi".into(),
                };
                posting::ask(c, &poster(asker, Role::Member), &input, when).unwrap()
            };
            // Monday 2026-03-02 09:00 UTC, answered at 09:50: within the hour.
            let q1 = ask(c, "First question on a Monday morning", t("2026-03-02 09:00"));
            posting::answer(c, &poster(asker, Role::Member), q1, BODY, t("2026-03-02 09:10")).unwrap();
            posting::answer(c, &poster(quick, Role::Member), q1, BODY, t("2026-03-02 09:50")).unwrap();
            // A second response, however quick, is not the first.
            posting::answer(c, &poster(slow, Role::Member), q1, BODY, t("2026-03-02 09:51")).unwrap();
            // 90 minutes: too slow.
            let q2 = ask(c, "Second question on a Monday morning", t("2026-03-02 11:00"));
            posting::answer(c, &poster(slow, Role::Member), q2, BODY, t("2026-03-02 12:30")).unwrap();
            // Friday 16:30 to Monday 09:20: 65 hours on the wall, 50 business minutes.
            let q3 = ask(c, "A question late on a Friday afternoon", t("2026-03-06 16:30"));
            posting::comment(
                c,
                &poster(weekend, Role::Member),
                q3,
                None,
                "Which model?",
                t("2026-03-09 09:20"),
            )
            .unwrap();
            let has = |c: &mut peerdesk::db::DbConn, u| slugs(c, u).contains(&"quick-responder".to_string());
            (has(c, quick), has(c, slow), has(c, weekend), has(c, asker))
        })
        .await;
    assert!(q_badge, "50 minutes on a Monday morning");
    assert!(!s_badge, "second responses and 90 minutes do not count");
    assert!(w_badge, "the weekend does not count against the responder");
    assert!(!asker_badge, "the asker's own answer is no response");
}

//! Votes (one per user per post, change, undo, never your own, exact under concurrency), accepted
//! answers (asker or escalation handlers; moving and removing the mark), following.

use diesel::prelude::*;

use crate::common::{question_id, TestApp};
use peerdesk::db::ids::{AnswerId, QuestionId};
use peerdesk::db::schema::{answers, questions, votes};
use peerdesk::domain::access::abilities::Poster;
use peerdesk::domain::qa::voting::{self, Direction, Post};

const BODY: &str = "My router drops Wi-Fi every evening around 8pm. I tried rebooting it twice.";

#[actix_web::test]
async fn votes_change_undo_and_refuse_the_wrong_ones() {
    let app = TestApp::spawn().await;
    app.open_privileges().await;
    let cat = app.category("net").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Router drops Wi-Fi every evening", BODY, &cat, "wifi").await;
    let qid = question_id(&path);
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let aid = helper
        .answer(qid, "Change the channel to 1, 6 or 11 in the router settings.")
        .await;
    let (_, voter) = app.login_as("voter", "member").await;
    let page = voter.get(&path).await;
    assert!(page.body.contains("vote up"));

    let up = voter.post(&format!("/answers/{aid}/vote"), &[("value", "up")]).await;
    assert_eq!(up.status, 303);
    assert!(up.location().ends_with(&format!("#answer-{aid}")));
    voter.post(&format!("/questions/{qid}/vote"), &[("value", "up")]).await;
    let page = voter.get(&path).await;
    assert!(page.body.contains("aria-pressed=\"true\""), "the pressed state shows");
    let score = |kind: &'static str, id: i64| {
        app.db(move |c| match kind {
            "q" => questions::table
                .find(id)
                .select(questions::score)
                .first::<i32>(c)
                .unwrap(),
            _ => answers::table.find(id).select(answers::score).first::<i32>(c).unwrap(),
        })
    };
    assert_eq!((score("q", qid).await, score("a", aid).await), (1, 1));
    assert_eq!(
        voter
            .post(&format!("/answers/{aid}/vote"), &[("value", "up")])
            .await
            .status,
        400,
        "a second vote"
    );
    voter.post(&format!("/answers/{aid}/vote"), &[("value", "down")]).await;
    assert_eq!(score("a", aid).await, -1, "changed");
    voter.post(&format!("/answers/{aid}/vote"), &[("value", "clear")]).await;
    assert_eq!(score("a", aid).await, 0, "undone");
    assert_eq!(
        voter
            .post(&format!("/answers/{aid}/vote"), &[("value", "clear")])
            .await
            .status,
        400
    );

    // Scripts get JSON.
    let token = voter.token.borrow().clone();
    let res = voter
        .post_raw(
            &format!("/answers/{aid}/vote"),
            &[("csrf_token", &token), ("value", "up")],
            &[("Accept", "application/json")],
        )
        .await;
    assert_eq!(res.status, 200);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!((v["score"].as_i64(), v["vote"].as_i64()), (Some(1), Some(1)));
    let res = voter
        .post_raw(
            &format!("/answers/{aid}/vote"),
            &[("csrf_token", &token), ("value", "up")],
            &[("Accept", "application/json")],
        )
        .await;
    assert_eq!(res.status, 400);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(v["error"], "bad_request");

    // Refused: own post, bad value, unknown post, visitors.
    let own = helper.post(&format!("/answers/{aid}/vote"), &[("value", "up")]).await;
    assert_eq!(own.status, 400);
    assert!(own.body.contains("your own post"));
    assert_eq!(
        asker
            .post(&format!("/questions/{qid}/vote"), &[("value", "up")])
            .await
            .status,
        400
    );
    assert_eq!(
        voter
            .post(&format!("/answers/{aid}/vote"), &[("value", "sideways")])
            .await
            .status,
        400
    );
    assert_eq!(voter.post("/answers/999999/vote", &[("value", "up")]).await.status, 404);
    assert_eq!(
        app.client()
            .post_raw(&format!("/answers/{aid}/vote"), &[("value", "up")], &[])
            .await
            .status,
        303
    );
    assert_eq!(score("a", aid).await, 1);
    let sum: i64 = app
        .db(move |c| peerdesk::models::vote::total(c, "answer", aid).unwrap())
        .await;
    assert_eq!(sum, 1);
}

#[actix_web::test]
async fn many_parallel_votes_keep_scores_exact() {
    let app = TestApp::spawn_with(&[("PEERDESK_DB_POOL_SIZE", "12")]).await;
    let cat = app.category("net").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask("Many people have this exact problem", BODY, &cat, "wifi")
        .await;
    let qid = QuestionId(question_id(&path));
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let aid = AnswerId(helper.answer(qid.0, "Turn off band steering; it fixed it here.").await);
    let mut voters = Vec::new();
    for i in 0..24 {
        voters.push(app.make_user(&format!("voter{i}"), "member").await);
    }
    // Voting rights as reputation would have earned them.
    let mut member = peerdesk::domain::access::permissions::Role::Member.permissions();
    member.insert(peerdesk::domain::access::permissions::Permission::VoteUp);
    member.insert(peerdesk::domain::access::permissions::Permission::VoteDown);
    let mut handles = Vec::new();
    for (i, id) in voters.iter().copied().enumerate() {
        let db = app.state.db.clone();
        handles.push(std::thread::spawn(move || {
            let p = Poster {
                id,
                permissions: member,
                is_staff: false,
                comment_anywhere: false,
            };
            let mut c = db.get().unwrap();
            let now = peerdesk::db::now();
            let first = if i % 3 == 0 { Direction::Down } else { Direction::Up };
            voting::vote(&mut c, &p, Post::Answer(aid), first, now).unwrap();
            voting::vote(&mut c, &p, Post::Question(qid), Direction::Up, now).unwrap();
            // Some change their mind, some take it back, at the same time as the others vote.
            match i % 4 {
                1 => {
                    let other = if first == Direction::Up {
                        Direction::Down
                    } else {
                        Direction::Up
                    };
                    voting::vote(&mut c, &p, Post::Answer(aid), other, now).unwrap();
                }
                2 => {
                    voting::vote(&mut c, &p, Post::Answer(aid), Direction::Clear, now).unwrap();
                }
                _ => {}
            }
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
    let (a_score, q_score, a_sum, q_sum, rows) = app
        .db(move |c| {
            (
                answers::table.find(aid).select(answers::score).first::<i32>(c).unwrap(),
                questions::table
                    .find(qid)
                    .select(questions::score)
                    .first::<i32>(c)
                    .unwrap(),
                peerdesk::models::vote::total(c, "answer", aid.0).unwrap(),
                peerdesk::models::vote::total(c, "question", qid.0).unwrap(),
                votes::table.count().get_result::<i64>(c).unwrap(),
            )
        })
        .await;
    // Expected from the script: per voter i, the final answer vote.
    let expected: i64 = (0..24)
        .map(|i| match (i % 4, i % 3 == 0) {
            (1, true) => 1,
            (1, false) => -1,
            (2, _) => 0,
            (_, true) => -1,
            _ => 1,
        })
        .sum();
    assert_eq!(a_sum, expected);
    assert_eq!(i64::from(a_score), a_sum, "answer score drifted from its votes");
    assert_eq!((q_score, q_sum), (24, 24));
    assert_eq!(rows, 24 + 24 - 6, "one row per voter per post, cleared ones gone");
}

#[actix_web::test]
async fn the_asker_accepts_moves_and_removes_the_mark() {
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask("Which router firmware is stable?", BODY, &cat, "firmware")
        .await;
    let qid = question_id(&path);
    let (_, h1) = app.login_as("helper1", "member").await;
    let (_, h2) = app.login_as("helper2", "member").await;
    h1.get(&path).await;
    h2.get(&path).await;
    let a1 = h1.answer(qid, "Version 2.1 has been stable for me for months.").await;
    let a2 = h2.answer(qid, "Stay on 1.9 until the 2.x memory leak is fixed.").await;

    // Others may not accept.
    assert_eq!(h1.post(&format!("/answers/{a1}/accept"), &[]).await.status, 403);
    asker.get(&path).await;
    assert_eq!(asker.post(&format!("/answers/{a2}/accept"), &[]).await.status, 303);
    let page = app.client().get(&path).await.body;
    assert!(page.contains("resolved"));
    assert!(
        page.find("Stay on 1.9").unwrap() < page.find("Version 2.1").unwrap(),
        "accepted answer first"
    );
    assert!(app
        .client()
        .get("/questions?filter=resolved")
        .await
        .body
        .contains("Which router firmware"));
    assert_eq!(
        asker.post(&format!("/answers/{a2}/accept"), &[]).await.status,
        400,
        "already accepted"
    );
    // Moving the mark.
    assert_eq!(asker.post(&format!("/answers/{a1}/accept"), &[]).await.status, 303);
    let accepted: Option<i64> = app
        .db(move |c| {
            questions::table
                .find(qid)
                .select(questions::accepted_answer_id)
                .first::<Option<AnswerId>>(c)
                .unwrap()
                .map(|a| a.0)
        })
        .await;
    assert_eq!(accepted, Some(a1));
    // Removing it reopens the question.
    assert_eq!(asker.post(&format!("/questions/{qid}/unaccept"), &[]).await.status, 303);
    assert!(app
        .client()
        .get("/questions?filter=unresolved")
        .await
        .body
        .contains("Which router firmware"));
    assert_eq!(asker.post(&format!("/questions/{qid}/unaccept"), &[]).await.status, 400);
    // Staff who handle escalations may accept on the asker's behalf.
    let (_, staff) = app.login_as("stan", "staff").await;
    staff.get(&path).await;
    assert_eq!(staff.post(&format!("/answers/{a2}/accept"), &[]).await.status, 303);
    assert_eq!(staff.post("/answers/999999/accept", &[]).await.status, 404);
    // A locked question keeps its state.
    app.db(move |c| {
        diesel::update(questions::table.find(qid))
            .set(questions::locked_at.eq(peerdesk::db::now()))
            .execute(c)
            .unwrap()
    })
    .await;
    assert_eq!(asker.post(&format!("/answers/{a1}/accept"), &[]).await.status, 400);
}

#[actix_web::test]
async fn following_toggles() {
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask("Does the app support two-factor login?", BODY, &cat, "security")
        .await;
    let qid = question_id(&path);
    assert!(
        asker.get(&path).await.body.contains(">Unfollow<"),
        "askers follow their questions"
    );
    let (_, reader) = app.login_as("reader", "member").await;
    assert!(reader.get(&path).await.body.contains(">Follow<"));
    assert_eq!(reader.post(&format!("/questions/{qid}/follow"), &[]).await.status, 303);
    assert!(reader.get(&path).await.body.contains(">Unfollow<"));
    assert_eq!(
        reader.post(&format!("/questions/{qid}/unfollow"), &[]).await.status,
        303
    );
    assert!(reader.get(&path).await.body.contains(">Follow<"));
    assert_eq!(reader.post("/questions/999999/follow", &[]).await.status, 404);
    assert!(
        !app.client().get(&path).await.body.contains(">Follow<"),
        "visitors see no button"
    );
}

#[actix_web::test]
async fn staff_accepting_on_the_askers_behalf_is_shown_and_audited() {
    use peerdesk::db::schema::audit_log;
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask("Which router firmware is stable?", BODY, &cat, "firmware")
        .await;
    let qid = question_id(&path);
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let a = helper
        .answer(qid, "Version 2.1 has been stable for me for months.")
        .await;
    let audit = |action: &'static str| {
        app.db(move |c| {
            audit_log::table
                .filter(audit_log::action.eq(action))
                .select((
                    audit_log::actor_id,
                    audit_log::target_id,
                    audit_log::before_json,
                    audit_log::after_json,
                ))
                .load::<(
                    Option<peerdesk::db::ids::UserId>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                )>(c)
                .unwrap()
        })
    };

    // The asker's own accept is neither marked nor audited.
    asker.get(&path).await;
    assert_eq!(asker.post(&format!("/answers/{a}/accept"), &[]).await.status, 303);
    assert!(!app.client().get(&path).await.body.contains("on behalf of the asker"));
    assert!(audit("answer.accept_on_behalf").await.is_empty());
    assert_eq!(asker.post(&format!("/questions/{qid}/unaccept"), &[]).await.status, 303);

    let (staff_id, staff) = app.login_as("stan", "staff").await;
    staff.get(&path).await;
    assert_eq!(staff.post(&format!("/answers/{a}/accept"), &[]).await.status, 303);
    let page = app.client().get(&path).await.body;
    assert!(
        page.contains("Accepted by <a href=\"/users/stan\">stan</a> on behalf of the asker"),
        "the answer says who accepted it"
    );
    let entries = audit("answer.accept_on_behalf").await;
    assert_eq!(entries.len(), 1);
    let (actor, target, before, after) = entries[0].clone();
    assert_eq!((actor, target), (Some(staff_id), Some(qid.to_string())));
    let json = |s: Option<String>| serde_json::from_str::<serde_json::Value>(&s.unwrap()).unwrap();
    assert_eq!(
        json(before),
        serde_json::json!({"question": qid, "accepted_answer": null})
    );
    assert_eq!(json(after), serde_json::json!({"question": qid, "accepted_answer": a}));
    // The API says it too.
    let api = app.client().get(&format!("/api/v1/questions/{qid}")).await.body;
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["accepted_on_behalf_by"]["username"], "stan");

    // Taking it back on the asker's behalf is audited as well, and the mark goes.
    assert_eq!(staff.post(&format!("/questions/{qid}/unaccept"), &[]).await.status, 303);
    let entries = audit("answer.unaccept_on_behalf").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        json(entries[0].3.clone()),
        serde_json::json!({"question": qid, "accepted_answer": null})
    );
    assert!(!app.client().get(&path).await.body.contains("on behalf of the asker"));
}

//! Editing with revision history; delete and undelete; close, reopen, lock; staff acknowledgement.

use diesel::prelude::*;

use crate::common::{question_id, TestApp};
use peerdesk::db::schema::{audit_log, questions, tags};

const BODY: &str = "The export button does nothing in Firefox 130. Chrome works fine for the same account.";

#[actix_web::test]
async fn edits_keep_a_revision_history_with_diffs() {
    let app = TestApp::spawn().await;
    let cat = app.category("reports").await;
    let other_cat = app.category("browsers").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask("Export button does nothing in Firefox", BODY, &cat, "export firefox")
        .await;
    let qid = question_id(&path);
    let form = asker.get(&format!("/questions/{qid}/edit")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("export firefox") && form.body.contains("Export button does nothing"));
    let new_body = format!("{BODY}\nUpdate: also in Firefox 131.");
    let res = asker
        .post(
            &format!("/questions/{qid}/edit"),
            &[
                ("title", "Export button does nothing in Firefox 130+"),
                ("body", &new_body),
                ("category", &other_cat),
                ("tags", "export browser"),
                ("summary", "more detail"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = asker.get(res.location()).await.body;
    assert!(
        page.contains("Firefox 130+") && page.contains("also in Firefox 131") && page.contains("Category browsers")
    );
    assert!(page.contains("href=\"/tags/browser\"") && !page.contains("href=\"/tags/firefox\""));
    let firefox: i32 = app
        .db(|c| {
            tags::table
                .filter(tags::name.eq("firefox"))
                .select(tags::question_count)
                .first(c)
                .unwrap()
        })
        .await;
    assert_eq!(firefox, 0, "tag counts follow edits");

    let history = app.client().get(&format!("/questions/{qid}/revisions")).await;
    assert_eq!(history.status, 200);
    assert!(history.body.contains("Revision 2") && history.body.contains("more detail"));
    assert!(history
        .body
        .contains("class=\"diff-ins\">+ Update: also in Firefox 131."));
    assert!(history
        .body
        .contains("<del>Export button does nothing in Firefox</del>"));
    assert!(history.body.contains("<del>export firefox</del>"));

    // Answers too; others' posts need edit_others, and such edits are audited.
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let aid = helper
        .answer(qid, "Clear the site data for this domain and try again.")
        .await;
    assert_eq!(asker.get(&format!("/answers/{aid}/edit")).await.status, 403);
    assert_eq!(
        asker
            .post(
                &format!("/answers/{aid}/edit"),
                &[("body", "I rewrote your answer completely, sorry.")]
            )
            .await
            .status,
        403
    );
    assert_eq!(
        helper
            .post(
                &format!("/questions/{qid}/edit"),
                &[
                    ("title", "Hijacked title here!!"),
                    ("body", BODY),
                    ("category", &cat),
                    ("tags", "x")
                ]
            )
            .await
            .status,
        403
    );
    let res = helper
        .post(
            &format!("/answers/{aid}/edit"),
            &[
                ("body", "Clear the site data for this domain, then restart Firefox."),
                ("summary", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        helper
            .post(&format!("/answers/{aid}/edit"), &[("body", "short")])
            .await
            .status,
        422
    );
    assert_eq!(
        helper
            .post(
                &format!("/answers/{aid}/edit"),
                &[
                    ("body", "Long enough body for an answer edit."),
                    ("summary", &"s".repeat(201))
                ]
            )
            .await
            .status,
        422
    );
    let (_, moderator) = app.login_as("mod", "moderator").await;
    moderator.get(&path).await;
    let res = moderator
        .post(
            &format!("/answers/{aid}/edit"),
            &[
                (
                    "body",
                    "Clear the site data for this domain, then restart Firefox (Settings → Privacy).",
                ),
                ("summary", "clarify"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let history = app.client().get(&format!("/answers/{aid}/revisions")).await.body;
    assert!(history.contains("Revision 3") && history.contains("clarify"));
    let audited: i64 = app
        .db(|c| {
            audit_log::table
                .filter(audit_log::action.eq("answer.edit"))
                .count()
                .get_result(c)
                .unwrap()
        })
        .await;
    assert_eq!(audited, 1, "only the moderator's edit of someone else's post");

    // Bad input keeps the post as it was.
    let res = asker
        .post(
            &format!("/questions/{qid}/edit"),
            &[
                ("title", "short"),
                ("body", BODY),
                ("category", &cat),
                ("tags", "a b c d e f"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("15 to 150") && res.body.contains("1 to 5 tags"));
    assert_eq!(asker.get("/questions/999999/edit").await.status, 404);
    assert_eq!(app.client().get("/questions/999999/revisions").await.status, 404);
}

#[actix_web::test]
async fn editing_a_locked_question_is_refused() {
    let app = TestApp::spawn().await;
    let cat = app.category("reports").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask("Export button does nothing in Firefox", BODY, &cat, "export")
        .await;
    let qid = question_id(&path);
    let (_, moderator) = app.login_as("mod", "moderator").await;
    moderator.get(&path).await;
    assert_eq!(
        moderator
            .post(&format!("/questions/{qid}/state"), &[("action", "lock")])
            .await
            .status,
        303
    );
    assert!(asker.get(&path).await.body.contains("locked"));
    let res = asker
        .post(
            &format!("/questions/{qid}/edit"),
            &[
                ("title", "Export button does nothing at all"),
                ("body", BODY),
                ("category", &cat),
                ("tags", "export"),
            ],
        )
        .await;
    assert_eq!(res.status, 400);
    assert!(res.body.contains("locked"));
    assert_eq!(asker.get(&format!("/questions/{qid}/edit")).await.status, 400);
    assert_eq!(
        asker
            .post(&format!("/questions/{qid}/state"), &[("action", "delete")])
            .await
            .status,
        400,
        "a locked thread stays"
    );
    assert_eq!(
        asker
            .post(&format!("/questions/{qid}/state"), &[("action", "unlock")])
            .await
            .status,
        403
    );
    assert_eq!(
        moderator
            .post(&format!("/questions/{qid}/state"), &[("action", "unlock")])
            .await
            .status,
        303
    );
    let res = asker
        .post(
            &format!("/questions/{qid}/edit"),
            &[
                ("title", "Export button does nothing at all"),
                ("body", BODY),
                ("category", &cat),
                ("tags", "export"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
}

#[actix_web::test]
async fn deleted_posts_disappear_for_others_and_come_back() {
    let app = TestApp::spawn().await;
    let cat = app.category("reports").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask("Export button does nothing in Firefox", BODY, &cat, "export")
        .await;
    let qid = question_id(&path);
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let aid = helper
        .answer(qid, "Clear the site data for this domain and try again.")
        .await;
    asker.get(&path).await;
    asker.post(&format!("/answers/{aid}/accept"), &[]).await;

    // The answer's author deletes it: gone for others, the question is unresolved and unanswered again.
    assert_eq!(helper.post(&format!("/answers/{aid}/delete"), &[]).await.status, 303);
    let public = app.client().get(&path).await.body;
    assert!(!public.contains("Clear the site data") && public.contains("0 answers"));
    assert!(
        helper.get(&path).await.body.contains("Deleted answer"),
        "its author still sees it"
    );
    assert!(app
        .client()
        .get("/questions?filter=unanswered")
        .await
        .body
        .contains("Export button"));
    let accepted: Option<peerdesk::db::ids::AnswerId> = app
        .db(move |c| {
            questions::table
                .find(qid)
                .select(questions::accepted_answer_id)
                .first(c)
                .unwrap()
        })
        .await;
    assert!(accepted.is_none());
    assert_eq!(
        asker.post(&format!("/answers/{aid}/delete"), &[]).await.status,
        403,
        "not the asker's to delete"
    );
    assert_eq!(helper.post(&format!("/answers/{aid}/undelete"), &[]).await.status, 303);
    assert!(app.client().get(&path).await.body.contains("Clear the site data"));

    // A moderator deletes the question: 404 for everyone else, listed nowhere, audited.
    let (_, moderator) = app.login_as("mod", "moderator").await;
    moderator.get(&path).await;
    assert_eq!(
        moderator
            .post(&format!("/questions/{qid}/state"), &[("action", "delete")])
            .await
            .status,
        303
    );
    assert_eq!(app.client().get(&path).await.status, 404);
    assert_eq!(helper.get(&path).await.status, 404);
    assert!(!app.client().get("/questions").await.body.contains("Export button"));
    assert!(moderator.get(&path).await.body.contains("This question is deleted"));
    assert!(
        asker.get(&path).await.body.contains("This question is deleted"),
        "its author sees it"
    );
    assert_eq!(
        asker
            .post(&format!("/questions/{qid}/state"), &[("action", "undelete")])
            .await
            .status,
        403,
        "what a moderator removed, a moderator restores"
    );
    assert_eq!(
        moderator
            .post(&format!("/questions/{qid}/state"), &[("action", "undelete")])
            .await
            .status,
        303
    );
    assert_eq!(app.client().get(&path).await.status, 200);
    assert_eq!(
        moderator
            .post(&format!("/questions/{qid}/state"), &[("action", "undelete")])
            .await
            .status,
        400,
        "nothing to change"
    );
    let actions: Vec<String> = app
        .db(|c| {
            audit_log::table
                .select(audit_log::action)
                .order(audit_log::id)
                .load(c)
                .unwrap()
        })
        .await;
    assert!(actions.ends_with(&["question.delete".to_string(), "question.undelete".to_string()]));
}

#[actix_web::test]
async fn closing_reopening_and_the_staff_status() {
    let app = TestApp::spawn().await;
    let cat = app.category("reports").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let original = asker
        .ask("CSV export is empty for large accounts", BODY, &cat, "export")
        .await;
    let path = asker
        .ask("Export gives an empty CSV file for me", BODY, &cat, "export")
        .await;
    let (oid, qid) = (question_id(&original), question_id(&path));

    assert_eq!(
        asker
            .post(
                &format!("/questions/{qid}/state"),
                &[("action", "close"), ("reason", "off_topic")]
            )
            .await
            .status,
        403
    );
    let (_, moderator) = app.login_as("mod", "moderator").await;
    moderator.get(&path).await;
    for (fields, status) in [
        (
            vec![("action", "close"), ("reason", "duplicate"), ("duplicate_of", "abc")],
            400,
        ),
        (
            vec![("action", "close"), ("reason", "duplicate"), ("duplicate_of", "999999")],
            400,
        ),
        (
            vec![
                ("action", "close"),
                ("reason", "duplicate"),
                ("duplicate_of", &qid.to_string()),
            ],
            400,
        ),
        (vec![("action", "close"), ("reason", "boring")], 400),
        (vec![("action", "explode")], 400),
        (vec![("action", "reopen")], 400),
    ] {
        assert_eq!(
            moderator.post(&format!("/questions/{qid}/state"), &fields).await.status,
            status,
            "{fields:?}"
        );
    }
    let oid_s = oid.to_string();
    let res = moderator
        .post(
            &format!("/questions/{qid}/state"),
            &[("action", "close"), ("reason", "duplicate"), ("duplicate_of", &oid_s)],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = app.client().get(&path).await.body;
    assert!(page.contains("duplicate of another question") && page.contains(&format!("href=\"/questions/{oid}\"")));
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    assert_eq!(
        helper
            .post(
                &format!("/questions/{qid}/answers"),
                &[("body", "An answer to a closed question, long enough.")]
            )
            .await
            .status,
        400
    );
    assert!(app.client().get("/questions").await.body.contains("closed"));
    assert_eq!(
        moderator
            .post(&format!("/questions/{qid}/state"), &[("action", "reopen")])
            .await
            .status,
        303
    );
    assert_eq!(
        helper
            .post(
                &format!("/questions/{qid}/answers"),
                &[("body", "An answer to a reopened question, long enough.")]
            )
            .await
            .status,
        303
    );

    // Staff status.
    assert_eq!(
        moderator
            .post(
                &format!("/questions/{qid}/state"),
                &[("action", "acknowledge"), ("status", "planned")]
            )
            .await
            .status,
        403
    );
    let (_, staff) = app.login_as("stan", "staff").await;
    staff.get(&path).await;
    assert_eq!(
        staff
            .post(
                &format!("/questions/{qid}/state"),
                &[("action", "acknowledge"), ("status", "someday")]
            )
            .await
            .status,
        400
    );
    assert_eq!(
        staff
            .post(
                &format!("/questions/{qid}/state"),
                &[("action", "acknowledge"), ("status", "known_issue")]
            )
            .await
            .status,
        303
    );
    assert!(app.client().get(&path).await.body.contains("known issue"));
    assert_eq!(
        staff
            .post(
                &format!("/questions/{qid}/state"),
                &[("action", "acknowledge"), ("status", "")]
            )
            .await
            .status,
        303
    );
    assert!(!app.client().get(&path).await.body.contains("known issue"));
    let actions: Vec<String> = app
        .db(|c| {
            audit_log::table
                .filter(audit_log::action.like("question.%"))
                .select(audit_log::action)
                .order(audit_log::id)
                .load(c)
                .unwrap()
        })
        .await;
    assert_eq!(
        actions,
        vec![
            "question.close",
            "question.reopen",
            "question.acknowledge",
            "question.acknowledge"
        ]
    );
}

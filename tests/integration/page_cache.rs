//! The anonymous page cache: pages are served from memory, and every write that changes them
//! shows at once, on this instance and on another one sharing the database.

use diesel::prelude::*;

use crate::common::{question_id, TestApp};
use peerdesk::db::ids::QuestionId;
use peerdesk::db::schema::{question_views, questions};

const BODY: &str = "Since this morning the nightly export arrives as an empty file. Nothing changed on our side.";

/// The question page and the lists as a visitor sees them.
struct Visitor<'a> {
    app: &'a TestApp,
    path: String,
}

impl Visitor<'_> {
    async fn question(&self) -> String {
        let res = self.app.client().get(&self.path).await;
        assert_eq!(res.status, 200);
        assert!(res.set_cookies().is_empty(), "a visitor gets no cookie");
        res.body
    }

    async fn home(&self) -> String {
        self.app.client().get("/").await.body
    }
}

/// Shown on the question page and in the lists after `change_unseen`.
const CHANGED: &str = "Changed behind the cache";
const CHANGED_VIEWS: &str = "4242 views";

/// Changes the question's body and view count behind the app's back: while a visitor does not
/// see them, the page came from the cache (so the checks after each write below are checks of
/// invalidation, not of rendering).
async fn change_unseen(app: &TestApp, qid: i64) {
    app.db(move |c| {
        diesel::update(questions::table.find(qid))
            .set(questions::body_html.eq(format!("<p>{CHANGED}</p>")))
            .execute(c)
            .unwrap();
        diesel::delete(question_views::table.find(qid)).execute(c).unwrap();
        diesel::insert_into(question_views::table)
            .values((question_views::question_id.eq(qid), question_views::view_count.eq(4242)))
            .execute(c)
            .unwrap()
    })
    .await;
}

#[actix_web::test]
async fn every_write_shows_at_once_to_visitors_of_cached_pages() {
    let app = TestApp::spawn().await;
    app.open_privileges().await;
    let cat = app.category("exports").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let (_, helper) = app.login_as("helper", "member").await;
    let (_, other) = app.login_as("other", "member").await;
    let (_, moderator) = app.login_as("mod", "moderator").await;
    let path = asker.ask("Nightly export is an empty file", BODY, &cat, "export").await;
    let qid = question_id(&path);
    let visitor = Visitor {
        app: &app,
        path: path.clone(),
    };

    assert!(visitor.question().await.contains("0 answers"));
    assert!(visitor.home().await.contains("Nightly export is an empty file"));
    change_unseen(&app, qid).await;
    assert!(
        !visitor.question().await.contains(CHANGED),
        "the question page is served from the cache"
    );
    assert!(!visitor.home().await.contains(CHANGED_VIEWS), "so is home");

    // A new answer: on the question page and in the list's count.
    let aid = helper
        .answer(qid, "The export job now needs the reports scope on its token.")
        .await;
    let page = visitor.question().await;
    assert!(page.contains("needs the reports scope") && page.contains("1 answer<"));
    assert!(page.contains(CHANGED), "rendered afresh");
    let home = visitor.home().await;
    assert!(home.contains("<strong>1</strong> answer<") && home.contains(CHANGED_VIEWS));

    // An edit.
    let res = helper
        .post(
            &format!("/answers/{aid}/edit"),
            &[(
                "body",
                "The export job now needs the reports:read scope on its API token.",
            )],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(visitor.question().await.contains("reports:read scope"));

    // A vote, on the page and in the list.
    assert_eq!(
        other
            .post(&format!("/questions/{qid}/vote"), &[("value", "up")])
            .await
            .status,
        303
    );
    assert!(visitor.question().await.contains("aria-label=\"Score\">1<"));
    assert!(visitor.home().await.contains("<strong>1</strong> vote<"));

    // Acceptance.
    assert_eq!(asker.post(&format!("/answers/{aid}/accept"), &[]).await.status, 303);
    assert!(visitor.question().await.contains("class=\"accepted-mark\""));
    assert!(visitor.home().await.contains("✓ resolved"));

    // A deletion.
    let second = other.answer(qid, "Try exporting a smaller date range first.").await;
    assert!(visitor.question().await.contains("smaller date range"));
    assert_eq!(other.post(&format!("/answers/{second}/delete"), &[]).await.status, 303);
    assert!(!visitor.question().await.contains("smaller date range"));

    // Moderation: a close, then the question's removal.
    let res = moderator
        .post(
            &format!("/questions/{qid}/state"),
            &[("action", "close"), ("reason", "off_topic")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(visitor.question().await.contains("Closed:"));
    assert!(visitor.home().await.contains("badge warn\">closed"));
    assert_eq!(
        moderator
            .post(&format!("/questions/{qid}/state"), &[("action", "delete")])
            .await
            .status,
        303
    );
    assert_eq!(app.client().get(&path).await.status, 404);
    assert!(!visitor.home().await.contains("Nightly export is an empty file"));
}

#[actix_web::test]
async fn a_write_on_one_instance_shows_at_once_on_another() {
    let first = TestApp::spawn().await;
    let second = first.spawn_beside().await;
    let cat = first.category("exports").await;
    let (_, asker) = first.login_as("asker", "member").await;
    let (_, helper) = first.login_as("helper", "member").await;
    let path = asker.ask("Nightly export is an empty file", BODY, &cat, "export").await;
    let qid = question_id(&path);
    let there = Visitor { app: &second, path };
    assert!(there.question().await.contains("0 answers"));
    change_unseen(&first, qid).await;
    assert!(!there.question().await.contains(CHANGED));

    helper
        .answer(qid, "The export job now needs the reports scope on its token.")
        .await;
    assert!(there.question().await.contains("needs the reports scope"));
}

#[actix_web::test]
async fn signed_in_members_and_refused_writes_bypass_the_cache() {
    let app = TestApp::spawn().await;
    let cat = app.category("exports").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Nightly export is an empty file", BODY, &cat, "export").await;
    let qid = question_id(&path);
    let visitor = Visitor {
        app: &app,
        path: path.clone(),
    };
    visitor.question().await;
    change_unseen(&app, qid).await;
    // A member's page is never the cached one, and never stored for visitors either.
    let mine = asker.get(&path).await;
    assert!(mine.body.contains(CHANGED) && mine.body.contains("csrf_token"));
    assert_eq!(mine.header("cache-control"), Some("private, no-store"));
    assert!(!visitor.question().await.contains("csrf_token"));
    // A refused write (a visitor has no right to answer) does not empty the cache.
    let refused = app
        .client()
        .post(
            &format!("/questions/{qid}/answers"),
            &[("body", "Anonymous answer attempt here.")],
        )
        .await;
    assert!(refused.status >= 300, "{}", refused.status);
    assert!(!visitor.question().await.contains(CHANGED));
    // Nor does signing in.
    app.client().login("asker", crate::common::PASSWORD).await;
    assert!(!visitor.question().await.contains(CHANGED));
}

#[actix_web::test]
async fn a_cached_question_page_still_counts_each_visitor_once() {
    let app = TestApp::spawn().await;
    let cat = app.category("exports").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Nightly export is an empty file", BODY, &cat, "export").await;
    let qid = question_id(&path);
    for agent in ["first-browser", "second-browser", "first-browser"] {
        let res = app.client().get_with(&path, &[("user-agent", agent)]).await;
        assert_eq!(res.status, 200);
    }
    let views = app.state.views.clone();
    let counted: i64 = app
        .db(move |c| {
            views.flush(c).unwrap();
            peerdesk::models::question::views(c, QuestionId(qid)).unwrap()
        })
        .await;
    // Rendered for the first visitor, served from memory to the second (counted there) and to the
    // first again (not counted twice).
    assert_eq!(counted, 2);
}

#[actix_web::test]
async fn search_results_are_kept_and_a_new_question_shows_in_them_at_once() {
    let app = TestApp::spawn().await;
    let cat = app.category("exports").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Nightly export is an empty file", BODY, &cat, "export").await;
    let search = |app: &TestApp| {
        let client = app.client();
        async move { client.get("/search?q=export").await.body }
    };
    assert!(search(&app).await.contains("Nightly export is an empty file"));
    change_unseen(&app, question_id(&path)).await;
    assert!(!search(&app).await.contains(CHANGED_VIEWS), "served from the cache");
    asker
        .ask("Export to CSV drops the last column", BODY, &cat, "export")
        .await;
    let found = search(&app).await;
    assert!(found.contains("Export to CSV drops the last column") && found.contains(CHANGED_VIEWS));
}

/// Runs the `peerdesk` command on the app's database, as an operator would beside the server.
fn command(app: &TestApp, args: &[&str]) {
    let data = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", app.db_url())
        .env("PEERDESK_DATA_DIR", data.path())
        .output()
        .expect("run peerdesk");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[actix_web::test]
async fn command_line_writes_reach_cached_pages() {
    let app = TestApp::spawn().await;
    let cat = app.category("exports").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Nightly export is an empty file", BODY, &cat, "export").await;
    let visitor = Visitor { app: &app, path };
    assert!(visitor.question().await.contains("0 answers"));
    change_unseen(&app, question_id(&visitor.path)).await;
    assert!(!visitor.question().await.contains(CHANGED), "served from the cache");

    // `reputation recompute` writes through the same transaction as every other write.
    command(&app, &["reputation", "recompute"]);
    assert!(
        visitor.question().await.contains(CHANGED),
        "the recompute invalidated the page"
    );

    let home = visitor.home().await;
    assert!(!home.contains("Imported while the server ran"));
    let file = tempfile::NamedTempFile::new().unwrap();
    let community = serde_json::json!({
        "users": [{"ref": "u1", "username": "imported", "email": "imported@example.com", "role": "member",
                   "created_at": "2026-11-02T10:00:00Z"}],
        "groups": [],
        "categories": [{"ref": "c1", "name": "Imported", "slug": "imported", "group": null}],
        "questions": [{"ref": "q1", "author": "u1", "category": "c1",
                       "title": "Imported while the server ran", "body": BODY, "tags": ["export"],
                       "created_at": "2026-11-03T10:00:00Z", "comments": [], "answers": [], "votes": []}],
        "surveys": []
    });
    std::fs::write(file.path(), community.to_string()).unwrap();
    command(&app, &["import", &file.path().display().to_string()]);
    assert!(
        visitor.home().await.contains("Imported while the server ran"),
        "the import reached the cached home page"
    );
}

#[actix_web::test]
async fn account_requests_nobody_sees_leave_cached_pages_alone() {
    let app = TestApp::spawn().await;
    let cat = app.category("exports").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Nightly export is an empty file", BODY, &cat, "export").await;
    let visitor = Visitor { app: &app, path };
    visitor.question().await;
    change_unseen(&app, question_id(&visitor.path)).await;
    // Anyone may ask for a password reset: it must not empty every visitor's cache.
    let stranger = app.client();
    stranger.get("/forgot-password").await;
    let res = stranger
        .post("/forgot-password", &[("email", "asker@example.com")])
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert!(
        !visitor.question().await.contains(CHANGED),
        "still served from the cache"
    );
    // A write that shows does invalidate.
    asker
        .answer(
            question_id(&visitor.path),
            "The export job needs the reports scope on its token now.",
        )
        .await;
    assert!(visitor.question().await.contains(CHANGED));
}

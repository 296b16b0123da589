//! The audit log: filters, pagination, permission, and append-only storage.

use diesel::connection::SimpleConnection;

use crate::common::TestApp;
use peerdesk::db::ids::UserId;
use peerdesk::domain::audit::{self, Actor, Target};

#[actix_web::test]
async fn filters_and_pages() {
    let app = TestApp::spawn().await;
    let (boss_id, admin) = app.login_as("boss", "admin").await;
    let other = app.make_user("other", "admin").await;
    app.db(move |c| {
        for i in 0..60 {
            let actor = if i % 2 == 0 { boss_id } else { other };
            let action = if i % 3 == 0 { "user.suspend" } else { "user.role_change" };
            audit::record(
                c,
                &Actor {
                    user: Some(actor),
                    ip: Some("10.0.0.1".into()),
                },
                action,
                Target::user(UserId(i)),
                None,
                None,
            )
            .unwrap();
        }
    })
    .await;
    let all = admin.get("/admin/audit").await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("Page 1 of 2 · 60 in all"));
    assert!(all.body.contains("rel=\"next\""));
    let page2 = admin.get("/admin/audit?page=2").await;
    assert_eq!(page2.body.matches("<tr><td>").count(), 10);
    let by_actor = admin.get("/admin/audit?actor=boss&action=user.suspend").await;
    assert!(
        by_actor.body.contains("10 in all"),
        "{}",
        by_actor.body.matches("in all").count()
    );
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(admin
        .get(&format!("/admin/audit?from={today}&to={today}"))
        .await
        .body
        .contains("60 in all"));
    assert!(admin.get("/admin/audit?to=2001-01-01").await.body.contains("0 in all"));
    assert!(admin
        .get("/admin/audit?actor=nobody")
        .await
        .body
        .contains("No record matches"));
    assert_eq!(admin.get("/admin/audit?from=yesterday").await.status, 400);
    assert_eq!(admin.get("/admin/audit?page=x").await.status, 400);
}

#[actix_web::test]
async fn the_database_refuses_to_change_or_delete_records() {
    let app = TestApp::spawn().await;
    let id = app.make_user("boss", "admin").await;
    let (update, delete) = app
        .db(move |c| {
            audit::record(
                c,
                &Actor {
                    user: Some(id),
                    ip: None,
                },
                "user.role_change",
                Target::user(id),
                None,
                None,
            )
            .unwrap();
            (
                c.batch_execute("UPDATE audit_log SET action = 'x'"),
                c.batch_execute("DELETE FROM audit_log"),
            )
        })
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

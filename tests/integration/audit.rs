//! The audit log: filters, pagination, permission, and append-only storage.

use diesel::connection::SimpleConnection;

use crate::common::TestApp;
use peerdesk::db::ids::UserId;
use peerdesk::domain::access::audit::{self, Actor, Target};

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

#[actix_web::test]
async fn the_filtered_log_exports_as_csv_for_those_who_may_export() {
    let app = TestApp::spawn().await;
    let (boss_id, admin) = app.login_as("boss", "admin").await;
    let target = app.make_user("tess", "member").await;
    admin.get(&format!("/admin/users/{target}")).await;
    let res = admin
        .post(
            &format!("/admin/users/{target}/suspend"),
            &[("reason", "=HYPERLINK(\"http://x\")"), ("until", "2099-01-01")],
        )
        .await;
    assert_eq!(res.status, 303);
    admin
        .post(&format!("/admin/users/{target}/role"), &[("role", "moderator")])
        .await;

    let page = admin.get("/admin/audit?action=user.suspend").await;
    let href = page
        .body
        .split("href=\"")
        .find(|s| s.starts_with("/admin/audit.csv"))
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let csv = admin.get(&href.replace("&#38;", "&").replace("&amp;", "&")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.header("content-disposition").unwrap().contains("attachment"));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1, "only the suspension matches the filter");
    assert_eq!(&rows[0][2], "boss");
    assert_eq!(&rows[0][3], "user.suspend");
    assert_eq!(&rows[0][5], target.to_string());
    assert!(rows[0][7].contains("HYPERLINK"));
    let all = admin.get("/admin/audit.csv").await;
    assert_eq!(csv::Reader::from_reader(all.body.as_bytes()).records().count(), 2);
    assert_eq!(admin.get("/admin/audit.csv?from=nope").await.status, 400);

    // May read the log but not export: no link, and the download is refused.
    let (reader_id, auditor) = app.login_as("audrey", "member").await;
    app.db(move |c| {
        peerdesk::models::user_permission::set(
            c,
            reader_id,
            peerdesk::domain::access::permissions::Permission::ViewAuditLog.as_str(),
            true,
            boss_id,
            peerdesk::db::now(),
        )
        .unwrap()
    })
    .await;
    let page = auditor.get("/admin/audit").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/admin/audit.csv"));
    assert_eq!(auditor.get("/admin/audit.csv").await.status, 403);
}

#[test]
fn formulas_stay_text_in_exports() {
    use peerdesk::csv_export::text as spreadsheet_safe;
    assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
    assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(spreadsheet_safe("plain"), "plain");
    assert_eq!(spreadsheet_safe(""), "");
}

#[actix_web::test]
async fn targets_are_described_by_name_with_their_page() {
    use peerdesk::domain::access::audit_log::{describe_targets, Described};
    let app = TestApp::spawn().await;
    let (user, member) = app.login_as("nora", "member").await;
    let cat = app.category("billing").await;
    let path = member
        .ask(
            "Where do I find my invoices?",
            "I cannot find last month's invoice anywhere.",
            &cat,
            "billing",
        )
        .await;
    let qid = crate::common::question_id(&path);
    let aid = member
        .answer(qid, "Under Billing, History: each month has its own PDF link.")
        .await;
    let targets = vec![
        ("question".to_string(), Some(qid.to_string())),
        ("answer".to_string(), Some(aid.to_string())),
        ("user".to_string(), Some(user.to_string())),
        ("user".to_string(), Some("999999".to_string())),
        ("settings".to_string(), Some("brand".to_string())),
        ("question".to_string(), Some("not a number".to_string())),
    ];
    let described = app.db(move |c| describe_targets(c, &targets).unwrap()).await;
    assert_eq!(
        described,
        [
            Described {
                label: "question “Where do I find my invoices?”".into(),
                url: Some(format!("/questions/{qid}"))
            },
            Described {
                label: format!("answer {aid} (question {qid})"),
                url: Some(format!("/questions/{qid}#answer-{aid}"))
            },
            Described {
                label: "user nora".into(),
                url: Some(format!("/admin/users/{user}"))
            },
            Described {
                label: "user 999999".into(),
                url: None
            },
            Described {
                label: "settings brand".into(),
                url: None
            },
            Described {
                label: "question not a number".into(),
                url: None
            },
        ]
    );
}

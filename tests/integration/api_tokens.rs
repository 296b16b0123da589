//! Personal access tokens: made on the settings page (shown once, stored hashed), listed, revoked;
//! minted from the command line; bad names and scopes refused.

use diesel::prelude::*;

use crate::api::api;
use crate::common::{TestApp, TestDb, PASSWORD};
use peerdesk::db::schema::api_tokens;

/// The secret shown on the page just after creating a token.
fn shown_secret(body: &str) -> String {
    let start = body.find("value=\"pd_").expect("no new token on the page") + "value=\"".len();
    let end = body[start..].find('"').expect("unterminated");
    body[start..start + end].to_string()
}

#[actix_web::test]
async fn settings_page_creates_lists_and_revokes_tokens() {
    let app = TestApp::spawn().await;
    let (_, alice) = app.login_as("alice", "member").await;
    let settings = alice.get("/settings").await;
    assert!(
        settings.body.contains("href=\"/settings/tokens\""),
        "reachable from the settings page"
    );
    let page = alice.get("/settings/tokens").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("You have no tokens."));

    let made = alice
        .post("/settings/tokens", &[("name", "Helpdesk sync"), ("scope", "write")])
        .await;
    assert_eq!(made.status, 200);
    assert!(made.header("cache-control").is_some_and(|v| v.contains("no-store")));
    let secret = shown_secret(&made.body);
    assert!(made.body.contains("shown only this once"));

    // Stored as a digest only; the list shows the name, never the secret.
    let stored: Vec<String> = app
        .db(|c| api_tokens::table.select(api_tokens::token_hash).load(c).unwrap())
        .await;
    assert_eq!(stored, vec![peerdesk::auth::tokens::hash_token(&secret)]);
    let list = alice.get("/settings/tokens").await;
    assert!(list.body.contains("Helpdesk sync") && list.body.contains("never"));
    assert!(!list.body.contains(&secret));

    let c = app.client();
    let me = api(&c, "GET", "/api/v1/me", Some(&secret), None).await;
    assert_eq!(me.status, 200);
    assert!(
        alice.get("/settings/tokens").await.body.contains("UTC</td>"),
        "last use is shown"
    );

    // Bad input is refused with the form shown again; nothing is made.
    for (name, scope) in [("", "read"), ("x", "admin"), (&*"n".repeat(61), "read")] {
        let res = alice
            .post("/settings/tokens", &[("name", name), ("scope", scope)])
            .await;
        assert_eq!(res.status, 422, "{name:?} {scope:?}");
        assert!(!res.body.contains("value=\"pd_"));
    }
    let res = alice
        .post_raw("/settings/tokens", &[("name", "x"), ("scope", "read")], &[])
        .await;
    assert_eq!(res.status, 403, "CSRF token required");
    let count: i64 = app.db(|c| api_tokens::table.count().get_result(c).unwrap()).await;
    assert_eq!(count, 1);

    // Only the owner revokes; then the token is dead.
    let id: i64 = app
        .db(|c| api_tokens::table.select(api_tokens::id).first(c).unwrap())
        .await;
    let (_, bob) = app.login_as("bob", "member").await;
    assert_eq!(
        bob.post(&format!("/settings/tokens/{id}/revoke"), &[]).await.status,
        404
    );
    assert_eq!(api(&c, "GET", "/api/v1/me", Some(&secret), None).await.status, 200);
    let res = alice.post(&format!("/settings/tokens/{id}/revoke"), &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(api(&c, "GET", "/api/v1/me", Some(&secret), None).await.status, 401);
    assert_eq!(
        alice.post(&format!("/settings/tokens/{id}/revoke"), &[]).await.status,
        404
    );
    assert!(alice.get("/settings/tokens").await.body.contains("You have no tokens."));
    assert_eq!(app.client().get("/settings/tokens").await.status, 303, "log in first");
}

#[actix_web::test]
async fn a_user_holds_at_most_twenty_tokens() {
    let app = TestApp::spawn().await;
    let id = app.make_user("alice", "member").await;
    let results = app
        .db(move |c| {
            (0..21)
                .map(|i| {
                    match peerdesk::domain::members::api_tokens::create(
                        c,
                        id,
                        &format!("t{i}"),
                        "read",
                        peerdesk::db::now(),
                    ) {
                        Ok(_) => true,
                        Err(peerdesk::error::AppError::Invalid(_)) => false,
                        Err(e) => panic!("{e}"),
                    }
                })
                .collect::<Vec<_>>()
        })
        .await;
    assert_eq!(results.iter().filter(|ok| **ok).count(), 20);
    assert!(!results[20]);
}

#[actix_web::test]
async fn the_command_line_mints_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let testdb = TestDb::new(dir.path());
    let data = dir.path().join("data").display().to_string();
    let env = [
        ("DATABASE_URL", testdb.url.as_str()),
        ("PEERDESK_DATA_DIR", data.as_str()),
        ("PEERDESK_ADMIN_PASSWORD", PASSWORD),
    ];
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
            .current_dir(dir.path())
            .args(args)
            .env_clear()
            .envs(env)
            .output()
            .expect("run peerdesk")
    };
    let out = run(&["create-admin", "--username", "root", "--email", "root@example.com"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["token", "create", "--user", "root", "--scope", "read", "--name", "cron"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let secret = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(secret.starts_with("pd_"), "{secret}");

    let out = run(&["token", "create", "--user", "nobody", "--scope", "read"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user named"));
    let out = run(&["token", "create", "--user", "root", "--scope", "admin"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("scope"));

    let app = TestApp::spawn_with(&[("DATABASE_URL", testdb.url.as_str())]).await;
    let c = app.client();
    let me = api(&c, "GET", "/api/v1/me", Some(&secret), None).await;
    assert_eq!(me.status, 200, "{}", me.body);
    let v: serde_json::Value = serde_json::from_str(&me.body).unwrap();
    assert_eq!(
        (v["username"].as_str(), v["scope"].as_str()),
        (Some("root"), Some("read"))
    );
    assert_eq!(v["role"], "admin");
}

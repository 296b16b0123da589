//! Session cookies, idle timeout, absolute lifetime, remember me.

use diesel::prelude::*;

use crate::common::{TestApp, PASSWORD};
use peerdesk::db::schema::sessions;

#[actix_web::test]
async fn cookie_is_http_only_lax_and_browser_scoped_without_remember_me() {
    let app = TestApp::spawn().await;
    app.make_user("kim", "member").await;
    let c = app.client();
    c.get("/login").await;
    let res = c.post("/login", &[("login", "kim"), ("password", PASSWORD)]).await;
    let cookie = res
        .set_cookies()
        .into_iter()
        .find(|c| c.name() == "peerdesk_session")
        .expect("session cookie");
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(cookie.same_site(), Some(actix_web::cookie::SameSite::Lax));
    assert_eq!(cookie.path(), Some("/"));
    assert!(cookie.max_age().is_none(), "browser-session cookie");
    assert_ne!(cookie.secure(), Some(true));
    // The database holds a digest, not the cookie's secret.
    let hashes: Vec<String> = app
        .db(|c| sessions::table.select(sessions::token_hash).load(c).unwrap())
        .await;
    assert_eq!(hashes.len(), 1);
    assert_ne!(hashes[0], cookie.value());

    let r = app.client();
    r.get("/login").await;
    let res = r
        .post("/login", &[("login", "kim"), ("password", PASSWORD), ("remember", "1")])
        .await;
    let cookie = res
        .set_cookies()
        .into_iter()
        .find(|c| c.name() == "peerdesk_session")
        .unwrap();
    assert_eq!(cookie.max_age().map(|m| m.whole_days()), Some(30));
}

#[actix_web::test]
async fn behind_https_the_cookie_is_host_prefixed_and_secure() {
    let app = TestApp::spawn_with(&[("PEERDESK_BEHIND_HTTPS_PROXY", "true")]).await;
    app.make_user("lee", "member").await;
    let c = app.client();
    c.get("/login").await;
    let res = c.post("/login", &[("login", "lee"), ("password", PASSWORD)]).await;
    assert_eq!(res.status, 303);
    let cookie = res
        .set_cookies()
        .into_iter()
        .find(|c| c.name().ends_with("peerdesk_session"))
        .unwrap();
    assert_eq!(cookie.name(), "__Host-peerdesk_session");
    assert_eq!(cookie.secure(), Some(true));
    assert_eq!(cookie.path(), Some("/"));
    assert!(cookie.domain().is_none());
}

async fn set_idle(app: &TestApp, minutes: i64) {
    app.db(move |c| {
        diesel::update(sessions::table)
            .set(sessions::last_seen_at.eq(peerdesk::db::now() - chrono::Duration::minutes(minutes)))
            .execute(c)
            .unwrap()
    })
    .await;
}

#[actix_web::test]
async fn an_idle_session_ends_and_says_why() {
    let app = TestApp::spawn_with(&[("PEERDESK_SESSION_IDLE_MINUTES", "30")]).await;
    let (_, c) = app.login_as("mia", "member").await;
    assert_eq!(c.get("/settings").await.status, 200);
    // 29 minutes idle: still fine.
    set_idle(&app, 29).await;
    assert_eq!(c.get("/settings").await.status, 200);
    set_idle(&app, 31).await;
    let res = c.get("/settings").await;
    assert_eq!(res.status, 303);
    assert!(res.location().starts_with("/login?next="));
    assert!(!c.has_session(), "the cookie is removed");
    let login = c.get("/login?next=%2Fsettings").await;
    assert!(login.body.contains("logged out after 30 minutes"));
    let left: i64 = app.db(|c| sessions::table.count().get_result(c).unwrap()).await;
    assert_eq!(left, 0, "the idle session is gone from the store");

    // The page's own timer opens the login screen with the idle cookie: the note is on that
    // very page, and not again on the next one.
    let c = app.client();
    assert_eq!(c.login("mia", PASSWORD).await.status, 303);
    set_idle(&app, 31).await;
    let login = c.get("/login?next=%2Fsettings").await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains("logged out after 30 minutes"), "{}", login.body);
    assert!(!c.has_session());
    assert!(!c.get("/login").await.body.contains("logged out after"));
}

#[actix_web::test]
async fn a_session_past_its_lifetime_ends() {
    let app = TestApp::spawn().await;
    let (_, c) = app.login_as("ned", "member").await;
    app.db(|c| {
        diesel::update(sessions::table)
            .set(sessions::expires_at.eq(peerdesk::db::now() - chrono::Duration::seconds(1)))
            .execute(c)
            .unwrap()
    })
    .await;
    assert_eq!(c.get("/settings").await.status, 303);
    assert!(!c.has_session());
}

#[actix_web::test]
async fn a_forged_cookie_is_ignored() {
    let app = TestApp::spawn().await;
    let c = app.client();
    c.cookies
        .borrow_mut()
        .insert("peerdesk_session".into(), "forged-secret".into());
    let res = c.get("/settings").await;
    assert_eq!(res.status, 303);
    assert!(!c.has_session());
}

#[actix_web::test]
async fn keepalive_moves_the_idle_clock() {
    let app = TestApp::spawn().await;
    let (_, c) = app.login_as("ola", "member").await;
    app.db(|c| {
        diesel::update(sessions::table)
            .set(sessions::last_seen_at.eq(peerdesk::db::now() - chrono::Duration::minutes(20)))
            .execute(c)
            .unwrap()
    })
    .await;
    assert_eq!(c.get("/session/keepalive").await.status, 204);
    let seen: chrono::NaiveDateTime = app
        .db(|c| sessions::table.select(sessions::last_seen_at).first(c).unwrap())
        .await;
    assert!(peerdesk::db::now() - seen < chrono::Duration::minutes(1));
    assert_eq!(
        app.client().get("/session/keepalive").await.status,
        303,
        "anonymous: log in"
    );
}

#[actix_web::test]
async fn logging_in_again_replaces_the_old_session() {
    let app = TestApp::spawn().await;
    app.make_user("pia", "member").await;
    let (_, c) = app.login_as("quentin", "member").await;
    let res = c.post("/login", &[("login", "pia"), ("password", PASSWORD)]).await;
    assert_eq!(res.status, 303);
    let users: Vec<i64> = app
        .db(|c| {
            sessions::table
                .select(sessions::user_id)
                .load::<peerdesk::db::ids::UserId>(c)
                .unwrap()
                .into_iter()
                .map(|u| u.0)
                .collect()
        })
        .await;
    assert_eq!(
        users.len(),
        1,
        "quentin's session ended when the browser logged in as pia"
    );
    assert!(c.get("/settings").await.body.contains("pia@example.com"));
}

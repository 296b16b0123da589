//! CSRF: a missing or wrong token, or a request from another site, gets 403 and changes nothing.

use crate::common::{TestApp, PASSWORD};

#[actix_web::test]
async fn missing_or_wrong_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, c) = app.login_as("pat", "member").await;
    let fields = [
        ("current_password", PASSWORD),
        ("new_password", "a totally new passphrase"),
    ];
    let res = c.post_raw("/settings/password", &fields, &[]).await;
    assert_eq!(res.status, 403);
    assert!(res.body.contains("Form expired"));
    let mut with_wrong = vec![("csrf_token", "not-the-token")];
    with_wrong.extend_from_slice(&fields);
    assert_eq!(c.post_raw("/settings/password", &with_wrong, &[]).await.status, 403);
    // Logging out without a token is refused too.
    assert_eq!(c.post_raw("/logout", &[], &[]).await.status, 403);
    assert_eq!(c.get("/settings").await.status, 200, "still logged in");
    assert_eq!(
        app.client().login("pat", PASSWORD).await.status,
        303,
        "password unchanged"
    );
    // The token in a header works (for scripts).
    let token = c.token.borrow().clone();
    assert_eq!(
        c.post_raw("/settings/logout-everywhere", &[], &[("X-CSRF-Token", &token)])
            .await
            .status,
        303
    );
}

#[actix_web::test]
async fn cross_site_requests_are_refused() {
    let app = TestApp::spawn().await;
    let (_, c) = app.login_as("quinn", "member").await;
    let token = c.token.borrow().clone();
    let res = c
        .post_raw(
            "/logout",
            &[("csrf_token", &token)],
            &[("Origin", "https://evil.example")],
        )
        .await;
    assert_eq!(res.status, 403);
    let res = c
        .post_raw(
            "/logout",
            &[("csrf_token", &token)],
            &[("Sec-Fetch-Site", "cross-site")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(c.get("/settings").await.status, 200);
    // Login CSRF: an anonymous form posted from another site.
    let anon = app.client();
    let res = anon
        .post_raw(
            "/login",
            &[("login", "quinn"), ("password", PASSWORD)],
            &[("Origin", "https://evil.example")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(!anon.has_session());
    // Same origin passes.
    let res = c
        .post_raw(
            "/logout",
            &[("csrf_token", &token)],
            &[("Origin", &app.base), ("Sec-Fetch-Site", "same-origin")],
        )
        .await;
    assert_eq!(res.status, 303);
}

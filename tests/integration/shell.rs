//! The web shell: branded pages, error pages, security headers, assets, health probes.

use crate::common::TestApp;
use peerdesk::db;
use peerdesk::models::setting;

#[actix_web::test]
async fn home_is_branded_and_security_headers_are_set() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let res = c.get("/").await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("<title>Recent activity · PeerDesk</title>"));
    let csp = res.header("content-security-policy").expect("csp");
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    assert!(res.header("referrer-policy").is_some());
    assert!(!res.body.contains("<script>"), "no inline scripts");
    assert!(!res.body.contains("style="), "no inline styles");

    // A brand change shows on the next page and in the brand stylesheet.
    app.db(|c| {
        setting::put(c, "site_name", "Acme Help", db::now()).unwrap();
        setting::put(c, "primary_color", "#004400", db::now()).unwrap();
    })
    .await;
    app.state.reload_settings().await.unwrap();
    let res = c.get("/").await;
    assert!(res.body.contains("Acme Help"));
    let css_href = res
        .body
        .split("href=\"")
        .find(|s| s.starts_with("/brand.css"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let css = c.get(&css_href).await;
    assert!(css.body.contains("--brand-primary: #004400"));
}

#[actix_web::test]
async fn anonymous_visits_create_no_session() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for path in ["/", "/login", "/signup", "/nope"] {
        let res = c.get(path).await;
        assert!(res.set_cookies().is_empty(), "{path} set a cookie");
    }
    let sessions: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            peerdesk::db::schema::sessions::table.count().get_result(c).unwrap()
        })
        .await;
    assert_eq!(sessions, 0);
}

#[actix_web::test]
async fn error_pages_are_branded_html_or_json() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let res = c.get("/no/such/page").await;
    assert_eq!(res.status, 404);
    assert!(res.body.contains("Page not found") && res.body.contains("PeerDesk"));
    assert!(res.header("content-type").unwrap().starts_with("text/html"));

    let res = c.get_with("/no/such/page", &[("Accept", "application/json")]).await;
    assert_eq!(res.status, 404);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(v["error"], "not_found");
    assert_eq!(v["message"], "not found");

    // Malformed form body: a clear 400 page.
    let res = c.post_raw("/login", &[("login", "x")], &[]).await;
    assert_eq!(res.status, 400);
    assert!(res.body.contains("malformed"));

    // Too large: 413.
    let big = "x".repeat(600 * 1024);
    let res = c.post_raw("/login", &[("login", &big), ("password", "y")], &[]).await;
    assert_eq!(res.status, 413);
    assert!(res.body.contains("too large"));

    // A path id that is not a number is simply not found.
    let (_, admin) = app.login_as("root1", "admin").await;
    assert_eq!(admin.get("/admin/users/abc").await.status, 404);
    assert_eq!(admin.get("/admin/users/999999").await.status, 404);
}

#[actix_web::test]
async fn assets_are_fingerprinted_and_cached() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let home = c.get("/").await;
    let css = home
        .body
        .split("href=\"")
        .find(|s| s.starts_with("/assets/"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let res = c.get(&css).await;
    assert_eq!(res.status, 200);
    assert!(res.header("cache-control").unwrap().contains("immutable"));
    assert!(res.header("content-type").unwrap().starts_with("text/css"));
    assert!(res.body.contains("--brand-primary"));
    assert_eq!(c.get("/assets/000000000000/css/app.css").await.status, 404);
    assert_eq!(c.get(&css.replace("app.css", "nope.css")).await.status, 404);
}

#[actix_web::test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let res = c.get("/healthz").await;
    assert_eq!((res.status, res.body.as_str()), (200, "ok"));
    let res = c.get("/readyz").await;
    assert_eq!(res.status, 200);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(v["database"], "ok");
    let expected = if crate::common::pg_url().is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    assert_eq!(v["backend"], expected);
}

#[actix_web::test]
async fn an_internal_failure_shows_a_generic_page_and_hides_the_cause() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.login_as("root1", "admin").await;
    // Break the database under the app: the users list needs this table.
    app.db(|c| {
        use diesel::connection::SimpleConnection;
        c.batch_execute("DROP TABLE suspensions").unwrap()
    })
    .await;
    let res = admin.get("/admin/users").await;
    assert_eq!(res.status, 500);
    assert!(res.body.contains("Something went wrong") && res.body.contains("PeerDesk"));
    assert!(!res.body.contains("suspensions"), "the cause leaked into the page");
    let res = admin.get_with("/admin/users", &[("Accept", "application/json")]).await;
    assert_eq!(res.status, 500);
    assert!(!res.body.contains("suspensions"));
}

#[actix_web::test]
async fn signed_in_pages_are_never_cached() {
    let app = TestApp::spawn().await;
    let anon = app.client().get("/").await;
    assert_ne!(anon.header("cache-control"), Some("private, no-store"));
    let (_, c) = app.login_as("cara", "member").await;
    for path in ["/", "/settings"] {
        assert_eq!(
            c.get(path).await.header("cache-control"),
            Some("private, no-store"),
            "{path}"
        );
    }
}

#[actix_web::test]
async fn nul_characters_are_refused_with_a_clear_error() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for path in ["/tags/a%00b", "/categories/%00", "/questions/1%00"] {
        let res = c.get(path).await;
        assert_eq!(res.status, 400, "{path}");
        assert!(res.body.contains("NUL"), "{path}");
    }
    // In query parameters it is dropped: a search still answers, a filter finds nobody.
    assert_eq!(c.get("/search?q=a%00b").await.status, 200);
    assert_eq!(c.get("/questions?author=x%00").await.status, 404);
    assert_eq!(c.get("/admin/audit?actor=%00").await.status, 303);
    c.get("/login").await;
    let res = c
        .post("/login", &[("login", "a\u{0}b"), ("password", "whatever it is")])
        .await;
    assert_eq!(res.status, 400);
    let (_, member) = app.login_as("nia", "member").await;
    let res = member
        .post(
            "/settings/password",
            &[("current_password", "x\u{0}"), ("new_password", "y")],
        )
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(member.get("/settings").await.status, 200);
}

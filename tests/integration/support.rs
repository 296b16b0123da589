//! Support settings: admins set operating hours, time zone, holidays and the SLA target (checked,
//! audited); the ask page promises them, with the community's median first response.

use serde_json::json;

use crate::common::TestApp;

fn fields<'a>(tz: &'a str, weekday: &'a str, sla: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("timezone", tz),
        ("mon", weekday),
        ("tue", weekday),
        ("wed", weekday),
        ("thu", weekday),
        ("fri", ""),
        ("sat", ""),
        ("sun", ""),
        ("holidays", "2026-12-25\n2026-12-26"),
        ("sla_minutes", sla),
    ]
}

#[actix_web::test]
async fn admins_set_the_hours_and_the_ask_page_promises_them() {
    let app = TestApp::spawn().await;
    let (_, member) = app.login_as("member", "member").await;
    let ask = member.get("/questions/ask").await.body;
    assert!(
        ask.contains("Monday–Friday 09:00–17:00") && ask.contains("(UTC time)"),
        "the defaults"
    );
    assert!(ask.contains("within 8 business hours"));
    assert!(!ask.contains("median first response"), "no responses yet: no median");

    let (_, staff) = app.login_as("sam", "staff").await;
    assert_eq!(staff.get("/admin/support").await.status, 403);
    let (_, admin) = app.login_as("root", "admin").await;
    let page = admin.get("/admin/support").await;
    assert!(page.body.contains("value=\"09:00-17:00\""));
    for bad in [
        fields("Mars/Olympus", "08:00-16:00", "360"),
        fields("Europe/London", "16:00-08:00", "360"),
        fields("Europe/London", "8 till 4", "360"),
        fields("Europe/London", "08:00-16:00", "0"),
        fields("Europe/London", "08:00-16:00", "lots"),
        fields("Europe/London", "", "360"),
    ] {
        let res = admin.post("/admin/support", &bad).await;
        assert_eq!(res.status, 422, "{bad:?}");
    }
    let mut bad_holiday = fields("Europe/London", "08:00-16:00", "360");
    bad_holiday[8] = ("holidays", "Christmas");
    assert_eq!(admin.post("/admin/support", &bad_holiday).await.status, 422);
    assert_eq!(app.state.site().support.sla_minutes, 480, "nothing was saved");

    let res = admin
        .post(
            "/admin/support",
            &fields("Europe/London", "08:00-12:00, 13:00-16:00", "360"),
        )
        .await;
    assert_eq!(res.status, 303);
    let ask = member.get("/questions/ask").await.body;
    assert!(ask.contains("Monday–Thursday 08:00–12:00 and 13:00–16:00"), "{ask}");
    assert!(ask.contains("(Europe/London time)") && ask.contains("within 6 business hours"));
    let page = admin.get("/admin/support").await.body;
    assert!(page.contains("2026-12-25") && page.contains("value=\"08:00-12:00, 13:00-16:00\""));
    assert!(admin.get("/admin/audit").await.body.contains("settings.support"));
}

#[actix_web::test]
async fn the_ask_page_shows_the_median_first_response_of_the_last_30_days() {
    let app = TestApp::spawn().await;
    let now = peerdesk::db::now();
    let at = |minutes_ago: i64| (now - chrono::Duration::minutes(minutes_ago)).and_utc().to_rfc3339();
    let day = 24 * 60;
    // Responses after 30, 90 and 150 minutes (median 90); one 40 days ago (outside) after 10.
    let q = |r: &str, asked: i64, answered: i64| {
        json!({"ref": r, "author": "a", "category": "c", "title": format!("Question {r} about the router"), "body": "A question body that is long enough.",
               "tags": ["wifi"], "created_at": at(asked), "comments": [],
               "answers": [{"ref": format!("{r}a"), "author": "h", "body": "An answer.", "created_at": at(asked - answered), "accepted_at": null, "comments": []}],
               "votes": []})
    };
    let file = json!({
        "users": [
            {"ref": "a", "username": "asker", "email": "a@example.com", "role": "member", "created_at": at(100 * day)},
            {"ref": "h", "username": "helper", "email": "h@example.com", "role": "member", "created_at": at(100 * day)}
        ],
        "groups": [],
        "categories": [{"ref": "c", "name": "Net", "slug": "net", "group": null}],
        "questions": [q("q1", 2 * day, 30), q("q2", 3 * day, 90), q("q3", 4 * day, 150), q("q4", 40 * day, 10)],
        "surveys": []
    });
    app.import(&file).await;
    let (_, member) = app.login_as("member", "member").await;
    let ask = member.get("/questions/ask").await.body;
    assert!(ask.contains("median first response was 1 h 30 min"), "{ask}");
}

fn brand<'a>(name: &'a str, primary: &'a str, accent: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("site_name", name),
        ("tagline", "Help from other Acme customers"),
        ("primary_color", primary),
        ("accent_color", accent),
    ]
}

#[actix_web::test]
async fn a_brand_that_fails_contrast_is_refused_and_a_readable_one_shows_everywhere() {
    let app = TestApp::spawn().await;
    let (_, staff) = app.login_as("sam", "staff").await;
    assert_eq!(staff.get("/admin/brand").await.status, 403);
    assert_eq!(
        staff
            .post("/admin/brand", &brand("Mine", "#000000", "#000000"))
            .await
            .status,
        403
    );
    let (_, admin) = app.login_as("root", "admin").await;
    let visitor = app.client();
    let css_before = visitor.get("/").await.body;
    let form = admin.get("/admin/brand").await;
    assert!(form.body.contains("value=\"#1f5fae\"") && form.body.contains("4.5:1"));

    // Yellow under white text, a grey that passes white but not the page background, and a
    // malformed colour: each refused with its reason beside the field, nothing saved.
    for (primary, accent, says) in [
        ("#ffcc00", "#b8480b", "#ffcc00 against white has a contrast of 1.51:1"),
        ("#1f5fae", "#767676", "#767676 against the page background"),
        ("#1f5fae", "orange", "six hex digits"),
    ] {
        let res = admin.post("/admin/brand", &brand("Acme Help", primary, accent)).await;
        assert_eq!(res.status, 422, "{primary} {accent}");
        assert!(
            res.body.contains(says) && res.body.contains("aria-invalid=\"true\""),
            "{}",
            res.body
        );
    }
    assert_eq!(
        admin
            .post("/admin/brand", &brand(" ", "#1f5fae", "#b8480b"))
            .await
            .status,
        422
    );
    assert_eq!(app.state.brand().site_name, "PeerDesk", "nothing was saved");

    let res = admin
        .post("/admin/brand", &brand("Acme Help", "#0B5A2A", "#8a3b00"))
        .await;
    assert_eq!(res.status, 303);
    let home = visitor.get("/").await.body;
    assert!(
        home.contains("Acme Help"),
        "the visitor's cached page shows the new brand at once"
    );
    let href = |page: &str| page.split("/brand.css?v=").nth(1).map(|s| s[..10].to_owned());
    assert_ne!(
        href(&home),
        href(&css_before),
        "the stylesheet's address changes with the colours"
    );
    let css = visitor.get("/brand.css").await.body;
    assert!(css.contains("--brand-primary: #0b5a2a") && css.contains("--brand-accent: #8a3b00"));
    let audit = admin.get("/admin/audit").await.body;
    assert!(audit.contains("settings.brand"));
}

#[actix_web::test]
async fn a_settings_change_saved_on_one_instance_shows_on_another_within_a_second_or_so() {
    let first = TestApp::spawn().await;
    let second = first.spawn_beside().await;
    let (_, admin) = first.login_as("root", "admin").await;
    let visitor = second.client();
    assert!(
        visitor.get("/").await.body.contains("PeerDesk"),
        "the default name, cached on the second"
    );
    admin.get("/admin/brand").await;
    let res = admin
        .post("/admin/brand", &brand("Acme Help Centre", "#1b4f9c", "#b8480b"))
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(first.state.brand().site_name, "Acme Help Centre");
    // The second instance checks the settings version at most once a second: give it three.
    let started = std::time::Instant::now();
    loop {
        let page = visitor.get("/").await.body;
        if page.contains("Acme Help Centre") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "the second instance still shows the old brand after 3 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(second.state.brand().site_name, "Acme Help Centre");
    // Reputation thresholds travel the same way (the privileges page reads them).
    first.set_thresholds(&[("vote_up", 42)]).await;
    let started = std::time::Instant::now();
    while !visitor.get("/privileges").await.body.contains("<td>42</td>") {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "thresholds did not reach the second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

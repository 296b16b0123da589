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

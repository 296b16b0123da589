//! The post-resolution survey: offered to the asker (on the page and by a notification) once an
//! answer is accepted; one response per question, changeable for 7 days; counted in the KPIs.

use diesel::prelude::*;

use crate::common::{question_id, TestApp};
use peerdesk::db::schema::{notifications, surveys};
use peerdesk::domain::kpi::engine::{self, KpiQuery};

const BODY: &str = "My router drops Wi-Fi every evening around 8pm. I tried rebooting it twice.";

#[actix_web::test]
async fn the_asker_is_asked_once_resolved_and_may_change_their_answer_for_a_week() {
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let (asker_id, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Router drops Wi-Fi every evening", BODY, &cat, "wifi").await;
    let qid = question_id(&path);
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let aid = helper
        .answer(qid, "Change the channel to 1, 6 or 11 in the settings.")
        .await;

    assert!(
        !asker.get(&path).await.body.contains("id=\"survey\""),
        "not before an answer is accepted"
    );
    let early = asker
        .post(
            &format!("/questions/{qid}/survey"),
            &[("resolved", "yes"), ("nps", "9")],
        )
        .await;
    assert_eq!(early.status, 400);

    asker.get(&path).await;
    assert_eq!(asker.post(&format!("/answers/{aid}/accept"), &[]).await.status, 303);
    let told = asker.get("/notifications").await.body;
    assert!(told.contains("Did it resolve your issue?") && told.contains("#survey"));
    let page = asker.get(&path).await.body;
    assert!(page.contains("id=\"survey\"") && page.contains("How likely are you to recommend PeerDesk to a friend?"));
    assert!(
        !helper.get(&path).await.body.contains("id=\"survey\""),
        "only the asker is asked"
    );
    assert!(!app.client().get(&path).await.body.contains("id=\"survey\""));

    for bad in [
        vec![("nps", "9")],
        vec![("resolved", "maybe"), ("nps", "9")],
        vec![("resolved", "yes"), ("nps", "11")],
        vec![("resolved", "yes"), ("nps", "-1")],
        vec![("resolved", "yes"), ("nps", "9"), ("comment", &*"x".repeat(1001))],
    ] {
        let res = asker.post(&format!("/questions/{qid}/survey"), &bad).await;
        assert_eq!(res.status, 422, "{bad:?}");
    }
    let res = helper
        .post(
            &format!("/questions/{qid}/survey"),
            &[("resolved", "yes"), ("nps", "10")],
        )
        .await;
    assert_eq!(res.status, 404, "someone else's question");
    let res = asker
        .post(
            &format!("/questions/{qid}/survey"),
            &[("resolved", "yes"), ("nps", "9"), ("comment", "Quick and right.")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(res.location().ends_with("#survey"));
    let page = asker.get(&path).await.body;
    assert!(
        page.contains("you said this resolved your issue, and gave 9 out of 10") && page.contains("Quick and right.")
    );

    // Changed within the week: still one response.
    let res = asker
        .post(&format!("/questions/{qid}/survey"), &[("resolved", "no"), ("nps", "3")])
        .await;
    assert_eq!(res.status, 303);
    let rows: Vec<(bool, Option<i32>)> = app
        .db(|c| {
            surveys::table
                .select((surveys::resolved, surveys::nps))
                .load(c)
                .unwrap()
        })
        .await;
    assert_eq!(rows, vec![(false, Some(3))]);
    let today = peerdesk::db::now().date();
    let support = app.state.site().support.clone();
    let k = app
        .db(move |c| {
            let q = KpiQuery {
                from: today,
                to: today,
                category: None,
                group: None,
            };
            engine::compute(c, &q, &support, peerdesk::db::now()).unwrap()
        })
        .await;
    assert_eq!((k.survey_responses, k.csat_rate, k.nps), (1, Some(0.0), Some(-100.0)));

    // Moving the mark does not ask again.
    let (_, other) = app.login_as("other", "member").await;
    other.get(&path).await;
    let second = other.answer(qid, "Or update the router's firmware first.").await;
    asker.get(&path).await;
    asker.post(&format!("/answers/{second}/accept"), &[]).await;
    let asked: i64 = app
        .db(move |c| {
            notifications::table
                .filter(notifications::user_id.eq(asker_id))
                .filter(notifications::kind.eq("survey"))
                .count()
                .get_result(c)
                .unwrap()
        })
        .await;
    assert_eq!(asked, 1);

    // After 7 days the answer is final.
    app.db(|c| {
        diesel::update(surveys::table)
            .set(surveys::created_at.eq(peerdesk::db::now() - chrono::Duration::days(8)))
            .execute(c)
            .unwrap()
    })
    .await;
    let page = asker.get(&path).await.body;
    assert!(page.contains("id=\"survey\"") && !page.contains("Change my answer"));
    let res = asker
        .post(
            &format!("/questions/{qid}/survey"),
            &[("resolved", "yes"), ("nps", "10")],
        )
        .await;
    assert_eq!(res.status, 400);
}

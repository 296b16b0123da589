//! KPIs (DESIGN §7) over a hand-built history loaded through `peerdesk import`, every value
//! worked out by hand below. The week is Monday 2026-11-02 to Friday 2026-11-06, UTC, with the
//! default hours (Monday to Friday 09:00–17:00) and the 480-minute SLA target.
//!
//! Q1 (net) a1 asks Mon 09:00; h answers 09:30; a1 comments on it 10:00; h replies 10:20; staff
//!    accept h's answer at 11:00. First response 30 (business 30); turns 30 and 20; resolved in
//!    120 with 3 messages; a community answer.
//! Q2 (net) a2 asks Mon 16:00; staff s answers Tue 10:00 (1080, business 120); accepted Tue
//!    12:00 (1200, 1 message); a staff answer. One turn of 1080.
//! Q3 (net) a1 asks Tue 09:00 and answers and comments on it alone: no response; its SLA target
//!    has passed. No answered turn.
//! Q4 (billing) a2 asks Wed 12:00 and answers it 12:10; h comments on that answer 12:40: the
//!    first response (40, business 40) is a comment on an answer. One turn of 40.
//! Q5 (net) a1 asks Thu 09:00; h answers 17:30 (510, business 480, but after the 17:00 deadline:
//!    a breach);
//!    accepted, then un-accepted. One turn of 510.
//! Q6 (net) a2 asks Mon 00:00:00, the first instant of the period; h answers 10:00 (600,
//!    business 60). One turn of 600.
//! Q7 at Sun 23:59:59 and Q8 at Sat 00:00:00 fall outside; Q9 is asked a second ago, no answer.
//!
//! Asked 6; with a response 5 (Q1 Q2 Q4 Q5 Q6); first response [30 40 510 600 1080]: median 510,
//! mean 452, p90 1080; business [30 40 60 120 480]: median 60, mean 146, p90 480; turns 30 20
//! 1080 40 510 600: mean 380; resolved 2 (Q1 Q2): rate 1/3, times [120 1200]: median and mean
//! 660, p90 1200; messages (3 + 1) / 2 = 2; community share 1/2; SLA: 4 by their deadline (Q5's
//! reply came after it), plus Q3 overdue: 4/6. Signups in the week: a2 (posted: activated) and lurker (never posted): 1/2.
//! Surveys in the week: Q1 yes 10, Q2 yes 6, Q5 no 8 (one on Q6 comes after the week): 3
//! responses, CSAT 2/3, NPS 100 × (1 − 1) / 3 = 0. Unanswered and open right now: Q3 and Q9.
//! Active (posted) in the week: asker1 (Mon Tue Thu, and Sunday before), asker2 (Mon Wed),
//! helper (Mon Wed Thu), staffer (Tue): 4 of the 5 accounts made by Friday; DAU/MAU Monday 3/3,
//! Tuesday to Thursday 2/4, Friday 0/4: mean 0.5.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::common::TestApp;
use peerdesk::db::ids::{AnswerId, QuestionId, UserId};
use peerdesk::db::schema::{answers, questions, users};
use peerdesk::domain::access::abilities::Poster;
use peerdesk::domain::access::permissions::Role;
use peerdesk::domain::kpi::engine::{self, KpiQuery, Kpis};
use peerdesk::domain::qa::voting;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn rfc(s: &str) -> String {
    t(s).and_utc().to_rfc3339()
}

fn question(r: &str, author: &str, category: &str, asked: &str, answers: Value, comments: Value) -> Value {
    json!({"ref": r, "author": author, "category": category, "title": format!("Question {r} about the router"),
           "body": "A question body that is long enough to count.", "tags": ["wifi"], "created_at": rfc(asked),
           "comments": comments, "answers": answers, "votes": []})
}

fn answer(r: &str, author: &str, at: &str, accepted: Option<&str>, comments: Value) -> Value {
    json!({"ref": r, "author": author, "body": "An answer to the question.", "created_at": rfc(at),
           "accepted_at": accepted.map(rfc), "comments": comments})
}

fn comment(author: &str, at: &str) -> Value {
    json!({"author": author, "body": "A comment.", "created_at": rfc(at)})
}

fn history(q9_asked: &str) -> Value {
    let names = [
        ("a1", "asker1"),
        ("a2", "asker2"),
        ("h", "helper"),
        ("s", "staffer"),
        ("lurker", "lurker"),
    ];
    let user = |r: &str, role: &str, created: &str| {
        let name = names.iter().find(|(x, _)| *x == r).map(|(_, n)| *n).unwrap_or(r);
        json!({"ref": r, "username": name, "email": format!("{name}@example.com"), "role": role, "created_at": rfc(created)})
    };
    json!({
        "users": [
            user("a1", "member", "2026-10-01 00:00:00"),
            user("a2", "member", "2026-11-02 00:00:00"),
            user("h", "member", "2026-10-15 00:00:00"),
            user("s", "staff", "2026-10-01 00:00:00"),
            user("lurker", "member", "2026-11-04 08:00:00")
        ],
        "groups": [],
        "categories": [
            {"ref": "net", "name": "Net", "slug": "net", "group": null},
            {"ref": "billing", "name": "Billing", "slug": "billing", "group": null}
        ],
        "questions": [
            question("q1", "a1", "net", "2026-11-02 09:00:00",
                json!([answer("q1a", "h", "2026-11-02 09:30:00", None,
                    json!([comment("a1", "2026-11-02 10:00:00"), comment("h", "2026-11-02 10:20:00")]))]), json!([])),
            question("q2", "a2", "net", "2026-11-02 16:00:00",
                json!([answer("q2a", "s", "2026-11-03 10:00:00", Some("2026-11-03 12:00:00"), json!([]))]), json!([])),
            question("q3", "a1", "net", "2026-11-03 09:00:00",
                json!([answer("q3a", "a1", "2026-11-03 09:05:00", None, json!([]))]), json!([comment("a1", "2026-11-03 09:10:00")])),
            question("q4", "a2", "billing", "2026-11-04 12:00:00",
                json!([answer("q4a", "a2", "2026-11-04 12:10:00", None, json!([comment("h", "2026-11-04 12:40:00")]))]), json!([])),
            question("q5", "a1", "net", "2026-11-05 09:00:00",
                json!([answer("q5a", "h", "2026-11-05 17:30:00", Some("2026-11-05 18:00:00"), json!([]))]), json!([])),
            question("q6", "a2", "net", "2026-11-02 00:00:00",
                json!([answer("q6a", "h", "2026-11-02 10:00:00", None, json!([]))]), json!([])),
            question("q7", "a1", "net", "2026-11-01 23:59:59",
                json!([answer("q7a", "h", "2026-11-02 09:01:00", None, json!([]))]), json!([])),
            question("q8", "a1", "net", "2026-11-07 00:00:00",
                json!([answer("q8a", "h", "2026-11-07 09:01:00", None, json!([]))]), json!([])),
            question("q9", "a1", "net", q9_asked, json!([]), json!([]))
        ],
        "surveys": [
            {"question": "q1", "user": "a1", "resolved": true, "nps": 10, "created_at": rfc("2026-11-02 11:05:00")},
            {"question": "q2", "user": "a2", "resolved": true, "nps": 6, "created_at": rfc("2026-11-03 12:30:00")},
            {"question": "q5", "user": "a1", "resolved": false, "nps": 8, "created_at": rfc("2026-11-05 18:05:00")},
            {"question": "q6", "user": "a2", "resolved": false, "nps": 0, "created_at": rfc("2026-11-09 10:00:00")}
        ]
    })
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn kpis(app: &TestApp, from: NaiveDate, to: NaiveDate, category: Option<&str>) -> Kpis {
    let q = KpiQuery {
        from,
        to,
        category: category.map(str::to_owned),
        group: None,
    };
    let support = app.state.site().support.clone();
    app.db(move |c| engine::compute(c, &q, &support, peerdesk::db::now()).unwrap())
        .await
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[actix_web::test]
async fn a_hand_built_history_gives_the_hand_computed_kpis() {
    let app = TestApp::spawn().await;
    let now = peerdesk::db::now();
    let q9_asked = (now - chrono::Duration::seconds(1))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    app.import(&history(&q9_asked)).await;
    // Q1's answer is accepted by staff (not the asker); Q5's accept is taken back.
    app.db(|c| {
        let mut id = |name: &str| -> UserId {
            users::table
                .filter(users::username.eq(name))
                .select(users::id)
                .first(c)
                .unwrap()
        };
        let (a1, s) = (id("asker1"), id("staffer"));
        let q = |c: &mut peerdesk::db::DbConn, title: &str| -> QuestionId {
            questions::table
                .filter(questions::title.eq(title))
                .select(questions::id)
                .first(c)
                .unwrap()
        };
        let (q1, q5) = (
            q(c, "Question q1 about the router"),
            q(c, "Question q5 about the router"),
        );
        let q1a: AnswerId = answers::table
            .filter(answers::question_id.eq(q1))
            .select(answers::id)
            .first(c)
            .unwrap();
        let poster = |id, role: Role| Poster {
            id,
            permissions: role.permissions(),
            is_staff: role.is_staff(),
            comment_anywhere: true,
        };
        voting::accept(c, &poster(s, Role::Staff), q1a, None, t("2026-11-02 11:00:00")).unwrap();
        voting::unaccept(c, &poster(a1, Role::Member), q5, None).unwrap();
    })
    .await;

    let k = kpis(&app, day("2026-11-02"), day("2026-11-06"), None).await;
    assert_eq!((k.questions_asked, k.questions_with_response), (6, 5));
    assert!(close(k.response_rate, 5.0 / 6.0));
    let f = k.first_response_minutes;
    assert_eq!((f.median, f.mean, f.p90), (Some(510.0), Some(452.0), Some(1080.0)));
    let b = k.first_response_business_minutes;
    assert_eq!((b.median, b.mean, b.p90), (Some(60.0), Some(146.0), Some(480.0)));
    assert!(close(k.avg_response_minutes, 380.0));
    assert_eq!(k.questions_resolved, 2);
    assert!(close(k.resolution_rate, 1.0 / 3.0));
    let r = k.time_to_resolution_minutes;
    assert_eq!((r.median, r.mean, r.p90), (Some(660.0), Some(660.0), Some(1200.0)));
    assert!(close(k.messages_to_resolution_mean, 2.0));
    assert!(close(k.community_resolution_share, 0.5));
    assert_eq!(k.sla_target_business_minutes, 480);
    assert!(
        close(k.sla_compliance_rate, 4.0 / 6.0),
        "Q5's reply came in closed hours after its deadline: a breach"
    );
    assert_eq!(k.signups, 2);
    assert!(close(k.activation_rate, 0.5));
    assert_eq!(
        k.active_members, 4,
        "asker1, asker2, helper, staffer posted in the week"
    );
    assert!(close(k.engagement_rate, 0.8), "4 of the 5 accounts made by Friday");
    assert!(close(k.dau_mau, 0.5), "(3/3 + 2/4 + 2/4 + 2/4 + 0/4) / 5");
    assert_eq!(k.survey_responses, 3);
    assert!(close(k.csat_rate, 2.0 / 3.0));
    assert!(close(k.nps, 0.0));
    assert_eq!((k.spot_checks_reviewed, k.contributor_accuracy_rate), (0, None));
    assert_eq!(k.unanswered_open, 2);

    // One category: only Q4.
    let billing = kpis(&app, day("2026-11-02"), day("2026-11-06"), Some("billing")).await;
    assert_eq!((billing.questions_asked, billing.questions_with_response), (1, 1));
    assert_eq!(billing.first_response_minutes.median, Some(40.0));
    assert_eq!(billing.survey_responses, 0);

    // The day Q9 was asked: a question whose target has not passed counts in no SLA denominator.
    let today = t(&q9_asked).date();
    let d = kpis(&app, today, today, None).await;
    assert_eq!((d.questions_asked, d.questions_with_response), (1, 0));
    assert_eq!(d.response_rate, Some(0.0));
    assert_eq!(d.sla_compliance_rate, None, "no response and no target passed yet");
    assert_eq!(d.first_response_minutes.median, None);
    assert_eq!(d.active_members, 1, "asker1 asked Q9");

    // An empty period: every rate and spread is null, never 0.
    let e = kpis(&app, day("2020-01-01"), day("2020-01-31"), None).await;
    assert_eq!((e.questions_asked, e.active_members), (0, 0));
    assert_eq!(
        (e.engagement_rate, e.dau_mau),
        (None, None),
        "no accounts yet, no monthly actives"
    );
    for v in [
        e.response_rate,
        e.avg_response_minutes,
        e.resolution_rate,
        e.messages_to_resolution_mean,
        e.community_resolution_share,
        e.sla_compliance_rate,
        e.activation_rate,
        e.csat_rate,
        e.nps,
        e.first_response_minutes.median,
        e.first_response_business_minutes.p90,
        e.time_to_resolution_minutes.mean,
    ] {
        assert_eq!(v, None);
    }

    // Bad periods and unknown scopes.
    let support = app.state.site().support.clone();
    let bad = |from: &str, to: &str, cat: Option<&str>| {
        let q = KpiQuery {
            from: day(from),
            to: day(to),
            category: cat.map(str::to_owned),
            group: None,
        };
        let support = support.clone();
        app.db(move |c| {
            engine::compute(c, &q, &support, peerdesk::db::now())
                .err()
                .map(|e| e.to_string())
        })
    };
    assert!(bad("2026-11-06", "2026-11-02", None).await.is_some(), "backwards");
    assert!(bad("2000-01-01", "2026-11-02", None).await.is_some(), "too long");
    assert_eq!(
        bad("2026-11-02", "2026-11-06", Some("nope")).await.as_deref(),
        Some("not found")
    );
}

#[actix_web::test]
async fn signed_in_visits_count_as_activity_and_anonymous_ones_write_nothing() {
    let app = TestApp::spawn().await;
    let (_, member) = app.login_as("visitor", "member").await;
    app.client().get("/").await;
    let visits = app.state.visits.clone();
    let written = app.db(move |c| visits.flush(c).unwrap()).await;
    assert_eq!(
        written, 1,
        "the signed-in visit's slot; the anonymous one is not tracked"
    );
    member.get("/questions").await;
    member.get("/tags").await;
    let visits = app.state.visits.clone();
    assert_eq!(
        app.db(move |c| visits.flush(c).unwrap()).await,
        0,
        "the same slot is written once"
    );
    let today = peerdesk::db::now().date();
    let k = kpis(&app, today, today, None).await;
    assert_eq!(k.active_members, 1);
    assert!(close(k.engagement_rate, 1.0));
}

#[actix_web::test]
async fn the_command_line_prints_the_api_object() {
    let app = TestApp::spawn().await;
    let now = peerdesk::db::now();
    let q9 = (now - chrono::Duration::seconds(1))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    app.import(&history(&q9)).await;
    let staff = app.make_user("analyst", "member").await;
    app.db(move |c| {
        peerdesk::models::user_permission::set(
            c,
            staff,
            peerdesk::domain::access::permissions::Permission::ViewKpis.as_str(),
            true,
            staff,
            peerdesk::db::now(),
        )
        .unwrap();
    })
    .await;
    let token = crate::api::token(&app, staff, "read").await;
    let res = crate::api::api(
        &app.client(),
        "GET",
        "/api/v1/kpis?from=2026-11-02&to=2026-11-06",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(res.status, 200, "a single view_kpis grant is enough: {}", res.body);
    let api: Value = serde_json::from_str(&res.body).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
            .args(["kpis", "--from", "2026-11-02", "--to", "2026-11-06", "--format", format])
            .env_clear()
            .env("DATABASE_URL", app.db_url())
            .env("PEERDESK_DATA_DIR", dir.path())
            .output()
            .unwrap()
    };
    let out = run("json");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli, api, "the command line and the API print the same object");
    let csv = String::from_utf8(run("csv").stdout).unwrap();
    assert!(csv.starts_with("metric,value\n"));
    assert!(csv.contains("\nquestions_asked,6\n") && csv.contains("\nfirst_response_minutes.median,510.0\n"));
    assert!(csv.contains("\ncontributor_accuracy_rate,\n"), "null is empty");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
        .args(["kpis", "--from", "yesterday", "--to", "2026-11-06"])
        .env_clear()
        .env("DATABASE_URL", app.db_url())
        .env("PEERDESK_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--from must be a date"));
}

#[actix_web::test]
async fn the_dashboard_shows_the_numbers_and_exports_them() {
    let app = TestApp::spawn().await;
    let now = peerdesk::db::now();
    let q9 = (now - chrono::Duration::seconds(1))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    app.import(&history(&q9)).await;
    let week = "/staff/kpis?period=custom&from=2026-11-02&to=2026-11-06";
    let (_, member) = app.login_as("member", "member").await;
    assert_eq!(member.get(week).await.status, 403);
    let (_, staff) = app.login_as("sam", "staff").await;
    let page = staff.get(week).await;
    assert_eq!(page.status, 200);
    let b = &page.body;
    assert!(b.contains("83.3%"), "response rate 5/6");
    assert!(b.contains("8 h 30 min"), "median first response 510 minutes");
    assert!(b.contains("How it is computed") && b.contains("nearest rank"));
    assert!(
        b.contains(">Billing<") && b.contains(">Net<"),
        "the breakdown by category"
    );
    assert!(b.contains("Question q3 about the router") && b.contains("past the SLA"));
    assert!(b.contains("Question q9 about the router"));
    // Daily charts of the week (by the day each question was asked): Monday Q1 Q2 Q6, all
    // answered (30, 1080, 600: median 600, p90 1080), Q2 resolved (here, with the import alone, Q1
    // is not accepted and Q5 still is); Tuesday Q3, overdue (SLA 0/1); Wednesday Q4; Thursday Q5,
    // resolved; Friday nothing.
    assert_eq!(b.matches("<svg class=\"chart\" role=\"img\"").count(), 3);
    for title in [
        "Questions asked, with a response and resolved, by day",
        "First response time in hours, median and 90th percentile, by day",
        "SLA compliance by day",
    ] {
        assert!(b.contains(&format!("-title\">{title}</title>")), "{title}");
    }
    assert!(b.contains(
        "<th scope=\"row\">2026-11-02</th><td class=\"num\">3</td><td class=\"num\">3</td><td class=\"num\">1</td>"
    ));
    assert!(b.contains("<th scope=\"row\">2026-11-06</th><td class=\"num\">0</td>"));
    let trend = staff
        .get("/staff/kpis.csv?table=trend&period=custom&from=2026-11-02&to=2026-11-06")
        .await
        .body;
    assert_eq!(
        trend,
        "first_day,last_day,questions_asked,questions_with_response,questions_resolved,\
         first_response_minutes_median,first_response_minutes_p90,sla_compliance_rate\n\
         2026-11-02,2026-11-02,3,3,1,600,1080,1\n\
         2026-11-03,2026-11-03,1,0,0,,,0\n\
         2026-11-04,2026-11-04,1,1,0,40,40,1\n\
         2026-11-05,2026-11-05,1,1,1,510,510,0\n\
         2026-11-06,2026-11-06,0,0,0,,,\n"
    );
    // Ninety days are drawn by week.
    let long = staff
        .get("/staff/kpis?period=custom&from=2026-08-10&to=2026-11-06")
        .await
        .body;
    assert!(long.contains("SLA compliance by week</title>") && long.contains("2026-11-02 to 2026-11-06"));
    assert!(
        staff.get("/").await.body.contains("href=\"/staff/kpis\""),
        "reachable from the header"
    );
    assert_eq!(staff.get("/staff/kpis?period=365").await.status, 400);
    assert_eq!(
        staff
            .get("/staff/kpis?period=custom&from=2026-11-06&to=2026-11-02")
            .await
            .status,
        400
    );
    assert_eq!(staff.get("/staff/kpis?period=7").await.status, 200);

    let csv = staff
        .get("/staff/kpis.csv?table=summary&period=custom&from=2026-11-02&to=2026-11-06")
        .await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.body.contains("questions_asked,6") && csv.body.contains("sla_compliance_rate,0.6666"));
    let cats = staff
        .get("/staff/kpis.csv?table=categories&period=custom&from=2026-11-02&to=2026-11-06")
        .await
        .body;
    assert!(cats.starts_with("category,questions_asked") && cats.contains("Billing,1,1"));
    let waiting = staff.get("/staff/kpis.csv?table=unanswered&period=7").await.body;
    assert!(waiting.contains("Question q3 about the router"));
    assert_eq!(staff.get("/staff/kpis.csv?table=secrets&period=7").await.status, 400);

    // A beta group's line sums its categories.
    assert!(
        !staff.get(week).await.body.contains("By beta group"),
        "no groups, no table"
    );
    app.import(&json!({
        "users": [
            {"ref": "b1", "username": "beta1", "email": "beta1@example.com", "role": "member", "created_at": rfc("2026-10-01 00:00:00")},
            {"ref": "b2", "username": "beta2", "email": "beta2@example.com", "role": "member", "created_at": rfc("2026-10-01 00:00:00")}
        ],
        "groups": [{"ref": "g", "name": "Beta testers", "slug": "beta", "members": ["b1", "b2"]}],
        "categories": [{"ref": "lab", "name": "Beta lab", "slug": "beta-lab", "group": "g"}],
        "questions": [question("qb", "b1", "lab", "2026-11-03 10:00:00",
            json!([answer("qba", "b2", "2026-11-03 10:20:00", None, json!([]))]), json!([]))],
        "surveys": []
    }))
    .await;
    let page = staff.get(week).await.body;
    assert!(page.contains("By beta group") && page.contains(">Beta testers<"));
    assert!(page.contains("20 minutes"), "the group's median first response");
    let only = staff
        .get("/staff/kpis?period=custom&from=2026-11-02&to=2026-11-06&group=beta")
        .await
        .body;
    assert!(only.contains("100.0%"), "one question, answered");

    // A single view_kpis grant sees the page, but exporting needs export_data too.
    let analyst = app.make_user("analyst", "member").await;
    app.db(move |c| {
        peerdesk::models::user_permission::set(
            c,
            analyst,
            peerdesk::domain::access::permissions::Permission::ViewKpis.as_str(),
            true,
            analyst,
            peerdesk::db::now(),
        )
        .unwrap();
    })
    .await;
    let a = app.client();
    a.login("analyst", crate::common::PASSWORD).await;
    let page = a.get(week).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("kpis.csv"), "no CSV links without export_data");
    assert_eq!(a.get("/staff/kpis.csv?table=summary&period=7").await.status, 403);
}

#[actix_web::test]
async fn the_weekly_digest_goes_out_once_on_monday() {
    let app = TestApp::spawn().await;
    let now = peerdesk::db::now();
    let q9 = (now - chrono::Duration::seconds(1))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    app.import(&history(&q9)).await;
    let (_, admin) = app.login_as("root", "admin").await;
    admin.get("/admin/support").await;
    let bad = admin
        .post("/admin/digest", &[("recipients", "lead@example.com\nnot an address")])
        .await;
    assert_eq!(bad.status, 422);
    let ok = admin
        .post("/admin/digest", &[("recipients", "lead@example.com\nops@example.com")])
        .await;
    assert_eq!(ok.status, 303);
    assert!(admin.get("/admin/audit").await.body.contains("settings.digest"));

    let ctx = app.state.mail_context();
    let support = app.state.site().support.clone();
    let (tuesday, monday, later) = (
        t("2026-11-10 08:00:00"),
        t("2026-11-09 07:30:00"),
        t("2026-11-09 16:00:00"),
    );
    let counts = app
        .db(move |c| {
            use peerdesk::domain::kpi::digest::send_if_due;
            (
                send_if_due(c, &ctx, &support, tuesday).unwrap(),
                send_if_due(c, &ctx, &support, monday).unwrap(),
                send_if_due(c, &ctx, &support, later).unwrap(),
            )
        })
        .await;
    assert_eq!(
        counts,
        (0, 2, 0),
        "not on Tuesday; once on Monday for both; not again that Monday"
    );
    let mails = app.emails().await;
    let digest: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.contains("community health"))
        .collect();
    assert_eq!(digest.len(), 2);
    let m = digest[0];
    assert_eq!(m.subject, "PeerDesk community health, 2026-W45");
    assert!(
        m.text.contains("Questions asked: 7 (before: 1)"),
        "Mon 2 to Sun 8 November, against the week before: {}",
        m.text
    );
    assert!(m.text.contains("Question q3 about the router"));
    assert!(m.html.contains("Open the dashboard"));

    // A dry run prints it and sends nothing.
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
        .args(["digest", "send", "--dry-run"])
        .env_clear()
        .env("DATABASE_URL", app.db_url())
        .env("PEERDESK_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("To: lead@example.com, ops@example.com") && text.contains("Subject: PeerDesk community health")
    );
    let queued: i64 = app
        .db(|c| peerdesk::db::schema::email_outbox::table.count().get_result(c).unwrap())
        .await;
    assert_eq!(
        queued,
        2 + 1,
        "the two digests and the admin's sign-up email; nothing from the dry run"
    );
}

/// DESIGN §7's SLA is a deadline instant: the moment the target's business minutes have passed
/// after the question. A reply after it is late even when it comes in closed hours (and so adds
/// no business minute); a question still waiting is overdue once now is past it.
#[actix_web::test]
async fn the_sla_is_met_only_by_the_deadline_instant() {
    let app = TestApp::spawn().await;
    let mut file = history("2026-11-09 09:00:00");
    file["questions"] = json!([
        // Monday 09:00, target 480: the deadline is Monday 17:00; a reply at 23:00 is a breach.
        question(
            "m",
            "a1",
            "net",
            "2026-11-02 09:00:00",
            json!([answer("ma", "h", "2026-11-02 23:00:00", None, json!([]))]),
            json!([])
        ),
        question(
            "m2",
            "a2",
            "net",
            "2026-11-02 09:00:00",
            json!([answer("m2a", "h", "2026-11-02 17:00:00", None, json!([]))]),
            json!([])
        ),
        // Friday 16:00: the deadline is Monday 16:00, met at 16:00, missed at 17:30.
        question(
            "f",
            "a1",
            "billing",
            "2026-11-06 16:00:00",
            json!([answer("fa", "h", "2026-11-09 16:00:00", None, json!([]))]),
            json!([])
        ),
        question(
            "f2",
            "a2",
            "billing",
            "2026-11-06 16:00:00",
            json!([answer("f2a", "h", "2026-11-09 17:30:00", None, json!([]))]),
            json!([])
        ),
        question("w", "a1", "net", "2026-11-02 09:00:00", json!([]), json!([]))
    ]);
    file["surveys"] = json!([]);
    app.import(&file).await;
    let monday = kpis(&app, day("2026-11-02"), day("2026-11-02"), Some("net")).await;
    assert_eq!(
        monday.first_response_business_minutes.median,
        Some(480.0),
        "both replies are 480 business minutes after the question"
    );
    assert!(
        close(monday.sla_compliance_rate, 1.0 / 3.0),
        "17:00 is within, 23:00 a breach, the unanswered one overdue"
    );
    let friday = kpis(&app, day("2026-11-06"), day("2026-11-06"), Some("billing")).await;
    assert!(
        close(friday.sla_compliance_rate, 0.5),
        "Monday 16:00 within, 17:30 a breach"
    );

    // The waiting list's "past the SLA", as of a chosen now.
    let support = app.state.site().support.clone();
    let waiting = |now: &'static str| {
        let (support, q) = (
            support.clone(),
            KpiQuery {
                from: day("2026-11-02"),
                to: day("2026-11-02"),
                category: Some("net".into()),
                group: None,
            },
        );
        app.db(move |c| peerdesk::domain::kpi::reports::slowest_unanswered(c, &q, &support, t(now), 10).unwrap())
    };
    let before = waiting("2026-11-02 16:59:00").await;
    assert_eq!(before.len(), 1);
    assert!(!before[0].sla_breached);
    let after = waiting("2026-11-02 23:00:00").await;
    assert!(after[0].sla_breached, "past the deadline, in closed hours");
    assert_eq!(after[0].business_minutes, 480.0);
}

//! The sample community: big enough to look alive, spread over the last 90 days, loaded once.

use diesel::prelude::*;

use crate::common::TestApp;
use peerdesk::db::schema::{answers, categories, questions, surveys};
use peerdesk::domain::import;
use peerdesk::seed::{demo, load_community};

#[actix_web::test]
async fn the_demo_is_a_living_community() {
    let app = TestApp::spawn().await;
    let now = peerdesk::db::now();
    let report = app
        .db(move |c| {
            import::import(c, &demo::community(now, 240), &mut |_, _| {})
                .unwrap()
                .unwrap()
        })
        .await;
    assert_eq!(report.questions, 240);
    assert!(
        report.answers >= 300 && report.comments > 50 && report.votes > 200,
        "{report:?}"
    );
    let (cats, accepted, official, oldest, newest, titles, surveyed): (
        i64,
        i64,
        i64,
        Option<chrono::NaiveDateTime>,
        Option<chrono::NaiveDateTime>,
        i64,
        i64,
    ) = app
        .db(|c| {
            (
                categories::table.count().get_result(c).unwrap(),
                questions::table
                    .filter(questions::accepted_answer_id.is_not_null())
                    .count()
                    .get_result(c)
                    .unwrap(),
                answers::table
                    .filter(answers::official.eq(true))
                    .count()
                    .get_result(c)
                    .unwrap(),
                questions::table
                    .select(diesel::dsl::min(questions::created_at))
                    .first(c)
                    .unwrap(),
                questions::table
                    .select(diesel::dsl::max(questions::created_at))
                    .first(c)
                    .unwrap(),
                questions::table
                    .select(questions::title)
                    .distinct()
                    .count()
                    .get_result(c)
                    .unwrap(),
                surveys::table.count().get_result(c).unwrap(),
            )
        })
        .await;
    assert_eq!(cats, 5);
    assert!(
        accepted > 60 && official > 20 && surveyed == accepted,
        "accepted {accepted}, official {official}"
    );
    assert!(now - oldest.unwrap() <= chrono::Duration::days(90) && now - newest.unwrap() >= chrono::Duration::zero());
    assert!(
        now - oldest.unwrap() > chrono::Duration::days(60),
        "spread over the period"
    );
    assert_eq!(titles, 240, "titles do not repeat");
    let c = app.client();
    let home = c.get("/").await.body;
    assert!(home.contains("240 in all"));
    assert!(home.contains("Billing &#38; plans") || home.contains("Billing &amp; plans"));
    assert!(c.get("/questions?filter=unanswered").await.status == 200);
    assert!(!c.get("/search?q=invoices").await.body.contains(" 0 questions found"));
}

#[test]
fn seed_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    let testdb = crate::common::TestDb::new(dir.path());
    let data = dir.path().join("data").display().to_string();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
            .args(["seed", "--demo"])
            .env_clear()
            .env("DATABASE_URL", &testdb.url)
            .env("PEERDESK_DATA_DIR", &data)
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("Loaded the sample community: 240 questions"));
    let url = testdb.url.clone();
    let viewed: Vec<i64> = {
        use diesel::prelude::*;
        let mut c = peerdesk::db::DbConn::establish(&url).unwrap();
        peerdesk::db::schema::question_views::table
            .select(peerdesk::db::schema::question_views::view_count)
            .load(&mut c)
            .unwrap()
    };
    assert_eq!(viewed.len(), 240, "every sample question has been viewed");
    assert!(
        viewed.iter().all(|n| *n >= 12) && viewed.iter().any(|n| *n > 100),
        "{viewed:?}"
    );
    let second = run();
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("was not loaded"));
}

#[test]
fn seed_scale_generates_a_load_test_community() {
    let dir = tempfile::tempdir().unwrap();
    let testdb = crate::common::TestDb::new(dir.path());
    let data = dir.path().join("data").display().to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
            .arg("seed")
            .args(args)
            .env_clear()
            .env("DATABASE_URL", &testdb.url)
            .env("PEERDESK_DATA_DIR", &data)
            .output()
            .unwrap()
    };
    for bad in [
        &["--scale", "0"][..],
        &["--scale", "-5"],
        &["--scale", "many"],
        &["--scale", "2000001"],
        &["--scale", "10", "--days", "0"],
        &["--days", "30"],
        &["--demo", "--scale", "10"],
        &[],
    ] {
        let out = run(bad);
        assert_eq!(out.status.code(), Some(2), "seed {bad:?}");
    }
    let out = run(&["--scale", "400", "--days", "120"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("seeded 400 questions"), "{said}");
    let again = run(&["--scale", "400"]);
    assert_eq!(again.status.code(), Some(2), "a second seed is refused");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has 400 questions"));
    let demo = run(&["--demo"]);
    assert!(String::from_utf8_lossy(&demo.stdout).contains("was not loaded"));
}

#[actix_web::test]
async fn the_load_test_community_reads_like_a_support_forum() {
    let app = TestApp::spawn().await;
    let now = peerdesk::db::now();
    let report = app
        .db(move |c| {
            import::import(c, &load_community::community(now, 600, 365), &mut |_, _| {})
                .unwrap()
                .unwrap()
        })
        .await;
    assert_eq!((report.questions, report.users), (600, 35));
    assert!((1_500..=2_100).contains(&report.answers), "{report:?}");
    assert!(report.comments > 600 && report.votes > 1_500, "{report:?}");
    let (oldest, tags, accepted): (Option<chrono::NaiveDateTime>, i64, i64) = app
        .db(|c| {
            (
                questions::table
                    .select(diesel::dsl::min(questions::created_at))
                    .first(c)
                    .unwrap(),
                peerdesk::db::schema::tags::table.count().get_result(c).unwrap(),
                questions::table
                    .filter(questions::accepted_answer_id.is_not_null())
                    .count()
                    .get_result(c)
                    .unwrap(),
            )
        })
        .await;
    let age = now - oldest.unwrap();
    assert!(
        age > chrono::Duration::days(360) && age <= chrono::Duration::days(365),
        "{age}"
    );
    assert!(tags > 30, "area and feature tags: {tags}");
    assert!((150..=400).contains(&accepted), "{accepted}");
    let shown: i64 = app
        .db(|c| {
            questions::table
                .filter(questions::body.like("%```%"))
                .filter(questions::body.like("%](https://docs.example.com/%"))
                .select(questions::id)
                .first(c)
                .unwrap()
        })
        .await;
    let c = app.client();
    let moved = c.get(&format!("/questions/{shown}")).await;
    let page = c.get(moved.location()).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<pre><code"), "code blocks render");
    assert!(page.body.contains("href=\"https://docs.example.com/"));
    let tag = c.get("/tags/csv-export").await;
    assert_eq!(tag.status, 200);
}

#[test]
fn the_demo_follows_a_support_community_s_week() {
    use chrono::{Datelike, Timelike};
    let now = peerdesk::db::now();
    let file = demo::community(now, 240);
    let when = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().naive_utc();
    let asked: Vec<_> = file.questions.iter().map(|q| when(&q.created_at)).collect();
    let weekday = |t: &chrono::NaiveDateTime| t.weekday().number_from_monday() <= 5;
    let office = asked
        .iter()
        .filter(|t| weekday(t) && (9..17).contains(&t.hour()))
        .count();
    let weekend = asked.iter().filter(|t| !weekday(t)).count();
    assert!(
        office * 100 >= asked.len() * 60,
        "{office} of {} in working hours",
        asked.len()
    );
    assert!(weekend * 100 <= asked.len() * 15, "{weekend} at weekends");
    assert!(weekend > 0 && office < asked.len(), "some outside hours too");
    // Staff answer in their working hours; nothing is in the future.
    let staff = ["support_sam", "support_lee"];
    for q in &file.questions {
        for a in &q.answers {
            let t = when(&a.created_at);
            assert!(t < now, "{t}");
            if staff.contains(&a.author.as_str()) {
                assert!(weekday(&t) && (9..17).contains(&t.hour()), "staff answer at {t}");
            }
            if let Some(acc) = &a.accepted_at {
                assert!(when(acc) < now);
            }
        }
    }
}

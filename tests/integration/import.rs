//! `peerdesk import`: a file in the DESIGN §11 format loads with its history, or nothing is written
//! and the first bad record is named by its path.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::common::TestApp;
use peerdesk::db::schema::{answers, questions, surveys, users, votes};
use peerdesk::domain::import;

fn sample() -> Value {
    json!({
        "users": [
            {"ref": "u1", "username": "alice", "email": "alice@example.com", "role": "member", "created_at": "2025-01-02T10:00:00Z", "display_name": "Alice A."},
            {"ref": "u2", "username": "bob", "email": "bob@example.com", "role": "member", "created_at": "2025-01-03T10:00:00Z"},
            {"ref": "u3", "username": "sam", "email": "sam@example.com", "role": "staff", "created_at": "2025-01-01T09:00:00Z"}
        ],
        "groups": [{"ref": "g1", "name": "Beta testers", "slug": "beta", "members": ["u1"]}],
        "categories": [
            {"ref": "c1", "name": "Billing", "slug": "billing", "group": null},
            {"ref": "c2", "name": "Beta lab", "slug": "beta-lab", "group": "g1"}
        ],
        "questions": [{
            "ref": "q1", "author": "u1", "category": "c1", "title": "Where do I find my invoices?",
            "body": "I cannot find **invoices** anywhere in the dashboard.", "tags": ["Invoices", "dashboard"],
            "created_at": "2025-02-01T09:00:00+01:00",
            "comments": [{"author": "u1", "body": "On the web app.", "created_at": "2025-02-01T08:05:00Z"}],
            "answers": [
                {"ref": "a1", "author": "u2", "body": "Settings, then Billing, then Invoices.", "created_at": "2025-02-01T09:00:00Z",
                 "accepted_at": "2025-02-02T10:00:00Z",
                 "comments": [{"author": "u1", "body": "Found it, thanks!", "created_at": "2025-02-02T09:59:00Z"}]},
                {"ref": "a2", "author": "u3", "body": "We also email them monthly.", "created_at": "2025-02-01T12:00:00Z"}
            ],
            "votes": [
                {"user": "u2", "target": "q1", "value": 1, "created_at": "2025-02-01T09:01:00Z"},
                {"user": "u1", "target": "a1", "value": 1, "created_at": "2025-02-02T10:00:00Z"},
                {"user": "u3", "target": "a1", "value": 1, "created_at": "2025-02-02T11:00:00Z"},
                {"user": "u1", "target": "a2", "value": -1, "created_at": "2025-02-02T11:00:00Z"}
            ]
        }],
        "surveys": [{"question": "q1", "user": "u1", "resolved": true, "nps": 9, "created_at": "2025-02-02T10:05:00Z"}]
    })
}

async fn run(app: &TestApp, v: &Value) -> Result<import::ImportReport, String> {
    let text = v.to_string();
    app.db(move |c| {
        let file = import::parse(&text).map_err(|e| e.to_string())?;
        import::import(c, &file, &mut |_, _| {})
            .unwrap()
            .map_err(|e| e.to_string())
    })
    .await
}

async fn counts(app: &TestApp) -> (i64, i64, i64) {
    app.db(|c| {
        (
            users::table.count().get_result(c).unwrap(),
            questions::table.count().get_result(c).unwrap(),
            votes::table.count().get_result(c).unwrap(),
        )
    })
    .await
}

#[actix_web::test]
async fn a_community_imports_with_its_history() {
    let app = TestApp::spawn().await;
    let report = run(&app, &sample()).await.unwrap();
    assert_eq!(
        (
            report.users,
            report.questions,
            report.answers,
            report.comments,
            report.votes,
            report.surveys
        ),
        (3, 1, 2, 2, 4, 1)
    );
    let (published, accepted_at, score, answer_count, first_response): (
        Option<chrono::NaiveDateTime>,
        Option<chrono::NaiveDateTime>,
        i32,
        i32,
        Option<chrono::NaiveDateTime>,
    ) = app
        .db(|c| {
            questions::table
                .select((
                    questions::published_at,
                    questions::accepted_at,
                    questions::score,
                    questions::answer_count,
                    questions::first_response_at,
                ))
                .first(c)
                .unwrap()
        })
        .await;
    let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().naive_utc();
    assert_eq!(
        published,
        Some(t("2025-02-01T08:00:00Z")),
        "published at its created_at, in UTC"
    );
    assert_eq!(accepted_at, Some(t("2025-02-02T10:00:00Z")));
    assert_eq!((score, answer_count), (1, 2));
    assert_eq!(
        first_response,
        Some(t("2025-02-01T09:00:00Z")),
        "the asker's own comment is not a response"
    );
    let scores: Vec<i32> = app
        .db(|c| {
            answers::table
                .order(answers::id)
                .select(answers::score)
                .load(c)
                .unwrap()
        })
        .await;
    assert_eq!(scores, vec![2, -1]);
    let official: Vec<bool> = app
        .db(|c| {
            answers::table
                .order(answers::id)
                .select(answers::official)
                .load(c)
                .unwrap()
        })
        .await;
    assert_eq!(official, vec![false, true], "staff answers are official");
    let nps: Option<i32> = app.db(|c| surveys::table.select(surveys::nps).first(c).unwrap()).await;
    assert_eq!(nps, Some(9));
    // The pages show it; imported users have no password.
    let c = app.client();
    let list = c.get("/questions?filter=resolved").await.body;
    assert!(list.contains("Where do I find my invoices?") && list.contains("href=\"/tags/invoices\""));
    assert_eq!(
        c.get("/categories/beta-lab").await.status,
        404,
        "a group's category is private"
    );
    assert_eq!(c.login("alice", "anything at all 123").await.status, 401);
    assert!(
        c.get("/search?q=dashboard").await.body.contains("1 question found"),
        "imported posts are searchable"
    );
}

/// Changes one thing in the sample file.
type Breaker = Box<dyn Fn(&mut Value)>;

#[actix_web::test]
async fn the_first_bad_record_is_named_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let before = counts(&app).await;
    let cases: Vec<(Breaker, &str)> = vec![
        (
            Box::new(|v| v["questions"][0]["answers"][1]["author"] = json!("u99")),
            "questions[0].answers[1].author: unknown user \"u99\"",
        ),
        (
            Box::new(|v| v["users"][1]["email"] = json!("not-an-email")),
            "users[1].email",
        ),
        (
            Box::new(|v| v["users"][1]["username"] = json!("ALICE")),
            "users[1].username: username \"ALICE\" is taken",
        ),
        (Box::new(|v| v["users"][0]["role"] = json!("king")), "users[0].role"),
        (
            Box::new(|v| v["users"][0]["created_at"] = json!("yesterday")),
            "users[0].created_at: not an RFC 3339 time",
        ),
        (
            Box::new(|v| v["categories"][1]["group"] = json!("g9")),
            "categories[1].group",
        ),
        (
            Box::new(|v| v["questions"][0]["category"] = json!("c9")),
            "questions[0].category",
        ),
        (
            Box::new(|v| v["questions"][0]["tags"] = json!(["a", "b", "c", "d", "e", "f"])),
            "questions[0].tags",
        ),
        (
            Box::new(|v| v["questions"][0]["tags"][0] = json!("bad tag!")),
            "questions[0].tags[0]",
        ),
        (
            Box::new(|v| v["questions"][0]["answers"][1]["accepted_at"] = json!("2025-03-01T00:00:00Z")),
            "questions[0].answers[1].accepted_at: a question has at most one",
        ),
        (
            Box::new(|v| v["questions"][0]["answers"][0]["created_at"] = json!("2024-01-01T00:00:00Z")),
            "questions[0].answers[0].created_at: is before the question",
        ),
        (
            Box::new(|v| v["questions"][0]["votes"][0]["target"] = json!("a77")),
            "questions[0].votes[0].target",
        ),
        (
            Box::new(|v| v["questions"][0]["votes"][0]["user"] = json!("u1")),
            "questions[0].votes[0].user: a vote on one's own post",
        ),
        (
            Box::new(|v| v["questions"][0]["votes"][0]["value"] = json!(5)),
            "questions[0].votes[0].value",
        ),
        (
            Box::new(|v| v["questions"][0]["comments"][0]["body"] = json!("x".repeat(601))),
            "questions[0].comments[0].body",
        ),
        (Box::new(|v| v["surveys"][0]["nps"] = json!(11)), "surveys[0].nps"),
        (Box::new(|v| v["surveys"][0]["user"] = json!("u2")), "surveys[0].user"),
        (
            Box::new(|v| v["questions"][0]["answers"][0]["ref"] = json!("q1")),
            "questions[0].answers[0].ref",
        ),
        (
            Box::new(|v| v["questions"][0]["surprise"] = json!(1)),
            "questions[0].surprise: unknown field `surprise`",
        ),
        (
            Box::new(|v| v["questions"][0]["answers"][0]["body"] = json!(42)),
            "questions[0].answers[0].body: invalid type",
        ),
    ];
    for (break_it, expected) in cases {
        let mut v = sample();
        break_it(&mut v);
        let err = run(&app, &v).await.unwrap_err();
        assert!(err.starts_with(expected), "expected {expected:?}, got {err:?}");
        assert_eq!(counts(&app).await, before, "something was written for {expected}");
    }
    let err = import::parse("{\"users\": [").unwrap_err().to_string();
    assert!(err.contains("EOF") || err.contains("end"), "{err}");
    // A second import of the same people clashes with the first.
    run(&app, &sample()).await.unwrap();
    let err = run(&app, &sample()).await.unwrap_err();
    assert!(
        err.starts_with("users[0].username: username \"alice\" is taken"),
        "{err}"
    );
}

#[test]
fn the_command_reports_and_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let testdb = crate::common::TestDb::new(dir.path());
    let file = dir.path().join("community.json");
    std::fs::write(&file, sample().to_string()).unwrap();
    let data = dir.path().join("data").display().to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_peerdesk"))
            .args(args)
            .env_clear()
            .env("DATABASE_URL", &testdb.url)
            .env("PEERDESK_DATA_DIR", &data)
            .output()
            .unwrap()
    };
    let out = run(&["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("imported 3 users, 1 groups, 2 categories, 1 questions, 2 answers"));
    let again = run(&["import", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing written: users[0].username"));
    let missing = run(&["import", "/no/such/file.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
}

/// The facts, counters and score of every question, in id order.
type QuestionFacts = (
    peerdesk::db::ids::QuestionId,
    i32,
    i32,
    Option<chrono::NaiveDateTime>,
    chrono::NaiveDateTime,
    i32,
    f64,
    Option<i32>,
    Option<peerdesk::db::ids::UserId>,
    i32,
);

async fn reputations(app: &TestApp) -> Vec<(peerdesk::db::ids::UserId, i64)> {
    app.db(|c| {
        users::table
            .order(users::id)
            .select((users::id, users::reputation))
            .load(c)
            .unwrap()
    })
    .await
}

async fn question_facts(app: &TestApp) -> Vec<QuestionFacts> {
    app.db(|c| {
        questions::table
            .order(questions::id)
            .select((
                questions::id,
                questions::answer_count,
                questions::comment_count,
                questions::first_response_at,
                questions::last_activity_at,
                questions::turns_answered,
                questions::turn_wait_minutes,
                questions::messages_at_acceptance,
                questions::accepted_author_id,
                questions::score,
            ))
            .load(c)
            .unwrap()
    })
    .await
}

/// The import writes many rows to a statement, with facts, scores and reputation worked out before
/// writing: over several chunks every row lands on the right question and answer, and recomputing
/// everything from the written rows changes nothing.
#[actix_web::test]
async fn a_large_file_is_written_in_chunks_exactly() {
    use peerdesk::domain::qa::posting;
    use peerdesk::domain::reputation;
    use peerdesk::seed::load_community;
    let app = TestApp::spawn().await;
    let now = chrono::Utc::now().naive_utc();
    let file = load_community::community(now, 600, 90);
    let (titles, answer_bodies, accepted): (Vec<String>, Vec<Vec<String>>, Vec<Option<String>>) = (
        file.questions.iter().map(|q| q.title.clone()).collect(),
        file.questions
            .iter()
            .map(|q| q.answers.iter().map(|a| a.body.clone()).collect())
            .collect(),
        file.questions
            .iter()
            .map(|q| {
                q.answers
                    .iter()
                    .find(|a| a.accepted_at.is_some())
                    .map(|a| a.body.clone())
            })
            .collect(),
    );
    let votes_in_file: usize = file.questions.iter().map(|q| q.votes.len()).sum();
    let report = app
        .db(move |c| import::import(c, &file, &mut |_, _| {}).unwrap().unwrap())
        .await;
    assert_eq!((report.questions, report.votes), (600, votes_in_file));

    // Each question, its answers (in order) and its accepted answer are the file's.
    let written: Vec<(i64, String, Option<i64>)> = app
        .db(|c| {
            questions::table
                .order(questions::id)
                .select((questions::id, questions::title, questions::accepted_answer_id))
                .load::<(
                    peerdesk::db::ids::QuestionId,
                    String,
                    Option<peerdesk::db::ids::AnswerId>,
                )>(c)
                .unwrap()
                .into_iter()
                .map(|(q, t, a)| (q.0, t, a.map(|a| a.0)))
                .collect()
        })
        .await;
    let replies: Vec<(i64, i64, String)> = app
        .db(|c| {
            answers::table
                .order(answers::id)
                .select((answers::id, answers::question_id, answers::body))
                .load::<(peerdesk::db::ids::AnswerId, peerdesk::db::ids::QuestionId, String)>(c)
                .unwrap()
                .into_iter()
                .map(|(a, q, b)| (a.0, q.0, b))
                .collect()
        })
        .await;
    assert_eq!(written.iter().map(|w| w.1.clone()).collect::<Vec<_>>(), titles);
    for (i, (qid, _, accepted_id)) in written.iter().enumerate() {
        let mine: Vec<&(i64, i64, String)> = replies.iter().filter(|r| r.1 == *qid).collect();
        let bodies: Vec<String> = mine.iter().map(|r| r.2.clone()).collect();
        assert_eq!(bodies, answer_bodies[i], "answers of question {i}");
        let accepted_body = accepted_id.and_then(|a| mine.iter().find(|r| r.0 == a).map(|r| r.2.clone()));
        assert_eq!(accepted_body, accepted[i], "accepted answer of question {i}");
    }
    assert!(accepted.iter().filter(|a| a.is_some()).count() > 100);

    // Scores are the sums of the written votes.
    type Scores = (Vec<(String, i64, i32)>, Vec<(peerdesk::db::ids::AnswerId, i32)>);
    let (vote_rows, answer_scores): Scores = app
        .db(|c| {
            (
                votes::table
                    .select((votes::post_kind, votes::post_id, votes::value))
                    .load(c)
                    .unwrap(),
                answers::table.select((answers::id, answers::score)).load(c).unwrap(),
            )
        })
        .await;
    let mut sums = std::collections::HashMap::new();
    for (kind, post, value) in &vote_rows {
        *sums.entry((kind.as_str(), *post)).or_insert(0) += value;
    }
    let before = question_facts(&app).await;
    for q in &before {
        assert_eq!(
            q.9,
            sums.get(&("question", q.0 .0)).copied().unwrap_or(0),
            "score of question {}",
            q.0
        );
    }
    for (a, score) in &answer_scores {
        assert_eq!(
            *score,
            sums.get(&("answer", a.0)).copied().unwrap_or(0),
            "score of answer {}",
            a.0
        );
    }

    // Facts and reputation recomputed from the rows are what the import wrote.
    let reputation_before = reputations(&app).await;
    app.db(|c| posting::refresh_all_facts(c).unwrap()).await;
    let ids: Vec<peerdesk::db::ids::UserId> = reputation_before.iter().map(|(u, _)| *u).collect();
    app.db(move |c| reputation::refresh(c, ids).unwrap()).await;
    assert_eq!(question_facts(&app).await, before);
    assert_eq!(reputations(&app).await, reputation_before);
    assert!(
        reputation_before.iter().any(|(_, r)| *r > 100),
        "votes earned reputation"
    );
}

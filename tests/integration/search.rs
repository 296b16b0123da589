//! Full-text search: ranking, filters, snippets, hostile query strings, similar questions.

use crate::common::{question_id, TestApp};

const BODY: &str = "I need help with this please, it has been happening for a week now on every device.";

async fn community(app: &TestApp) -> (crate::common::Client, Vec<String>) {
    let net = app.category("network").await;
    let bill = app.category("billing").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let mut paths = Vec::new();
    for (title, body, cat, tags) in [
        (
            "Router firmware update fails halfway",
            "The firmware update stops at 50 percent. <b>bold?</b> ",
            &net,
            "router firmware",
        ),
        (
            "Wi-Fi drops every evening",
            "Connection drops around 8pm; the router lights stay green.",
            &net,
            "wifi router",
        ),
        (
            "Invoice shows the wrong VAT number",
            "My invoice has an old VAT number on it.",
            &bill,
            "invoice vat",
        ),
        (
            "Cannot download invoices as PDF",
            "The download button for invoices does nothing.",
            &bill,
            "invoice pdf",
        ),
    ] {
        paths.push(asker.ask(title, &format!("{body} {BODY}"), cat, tags).await);
    }
    (asker, paths)
}

#[actix_web::test]
async fn search_ranks_filters_and_highlights() {
    let app = TestApp::spawn().await;
    let (asker, paths) = community(&app).await;
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&paths[1]).await;
    helper
        .answer(
            question_id(&paths[1]),
            "Change the wireless channel; interference from neighbours causes evening drops.",
        )
        .await;
    let c = app.client();

    let res = c.get("/search?q=router").await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("2 questions found"));
    assert!(res.body.contains("Router firmware update fails") && res.body.contains("Wi-Fi drops every evening"));
    assert!(res.body.contains("<mark>"), "matched words are highlighted");
    assert!(!res.body.contains("<b>bold?</b>"), "snippets are escaped");
    // Words in answers find their question.
    assert!(c
        .get("/search?q=interference+neighbours")
        .await
        .body
        .contains("Wi-Fi drops every evening"));
    // All words must match; stemming finds "invoices" from "invoice".
    assert!(c.get("/search?q=invoice+pdf").await.body.contains("1 question found"));
    assert!(c.get("/search?q=invoice").await.body.contains("2 questions found"));
    // Filters.
    assert!(c
        .get("/search?q=router&category=billing")
        .await
        .body
        .contains("0 questions found"));
    assert!(c
        .get("/search?q=invoice&tag=vat")
        .await
        .body
        .contains("1 question found"));
    assert!(c
        .get("/search?q=router&status=unanswered")
        .await
        .body
        .contains("1 question found"));
    let res = c.get("/search?q=router&status=bogus").await;
    assert_eq!(res.status, 400);
    assert_eq!(c.get("/search?q=router&page=0").await.status, 400);
    assert_eq!(c.get("/search?q=router&page=1000000000000").await.status, 400);
    // Deleted questions are not found.
    let (_, moderator) = app.login_as("mod", "moderator").await;
    let qid = question_id(&paths[0]);
    moderator.get(&paths[0]).await;
    moderator
        .post(&format!("/questions/{qid}/state"), &[("action", "delete")])
        .await;
    assert!(c.get("/search?q=firmware").await.body.contains("0 questions found"));
    // Edits are searchable at once.
    let wifi = question_id(&paths[1]);
    asker.get(&format!("/questions/{wifi}/edit")).await;
    asker
        .post(
            &format!("/questions/{wifi}/edit"),
            &[
                ("title", "Wi-Fi drops every evening on the mesh"),
                ("body", BODY),
                ("category", "network"),
                ("tags", "wifi"),
            ],
        )
        .await;
    assert!(c.get("/search?q=mesh").await.body.contains("1 question found"));
}

#[actix_web::test]
async fn any_query_string_gets_results_or_an_empty_list() {
    let app = TestApp::spawn().await;
    community(&app).await;
    let c = app.client();
    let long = "router ".repeat(1500);
    let hostile = [
        "\"",
        "\"unbalanced",
        "router\"",
        "(",
        ")",
        "((router",
        "router)",
        "*",
        "router*",
        "*router",
        "NEAR(router wifi)",
        "router NEAR wifi",
        "AND",
        "OR",
        "NOT",
        "router AND OR NOT",
        "-router",
        "+router",
        "^router",
        "title:router",
        "router:",
        "{router}",
        "[router]",
        "router & wifi",
        "router | wifi",
        "!router",
        "router <-> wifi",
        "'",
        "\\",
        "%",
        "_",
        "%27 OR 1=1 --",
        "'; DROP TABLE questions; --",
        "<script>alert(1)</script>",
        "ルーター",
        "🙂",
        "\u{0}",
        "a:*",
        "&",
        "|",
        "!",
        ":",
        "router:*",
        &long,
    ];
    for q in hostile {
        let url = format!(
            "/search?q={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        );
        let res = c.get(&url).await;
        assert_eq!(res.status, 200, "query {:?}", q.chars().take(40).collect::<String>());
        assert!(!res.body.contains("<script>alert"), "query echoed unescaped");
    }
    assert!(c.get("/search?q=%22router%22").await.body.contains("2 questions found"));
}

#[actix_web::test]
async fn similar_questions_while_asking() {
    let app = TestApp::spawn().await;
    community(&app).await;
    let c = app.client();
    let res = c
        .get("/questions/similar?title=my%20router%20firmware%20is%20stuck")
        .await;
    assert_eq!(res.status, 200);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let titles: Vec<&str> = v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles.first(),
        Some(&"Router firmware update fails halfway"),
        "{titles:?}"
    );
    assert!(
        serde_json::from_str::<serde_json::Value>(&c.get("/questions/similar?title=((%22").await.body).unwrap()
            ["questions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Server side, on the ask page's preview.
    let (_, asker) = app.login_as("newbie", "member").await;
    asker.get("/questions/ask").await;
    let res = asker
        .post(
            "/questions/ask",
            &[
                ("title", "Invoice VAT number is wrong"),
                ("body", BODY),
                ("category", "billing"),
                ("tags", "vat"),
                ("action", "preview"),
            ],
        )
        .await;
    assert!(
        res.body.contains("may already have your answer") && res.body.contains("Invoice shows the wrong VAT number")
    );
}

#[actix_web::test]
async fn a_question_is_found_by_its_answers_as_they_are_now() {
    let app = TestApp::spawn().await;
    let (_, paths) = community(&app).await;
    let qid = question_id(&paths[2]);
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&paths[2]).await;
    let aid = helper
        .answer(
            qid,
            "The billing profile keeps the old number; update it under company details.",
        )
        .await;
    let found = |q: &'static str| {
        let c = app.client();
        async move { c.get(&format!("/search?q={q}")).await.body }
    };
    let page = found("company+details").await;
    assert!(page.contains("1 question found") && page.contains("Invoice shows the wrong VAT number"));
    assert!(
        page.contains("<mark>company</mark>"),
        "the snippet comes from the answer: {page}"
    );
    // Words from the question and from an answer together find it.
    assert!(found("vat+company").await.contains("1 question found"));

    // An edit of the answer is searchable at once, and its old words no longer find the question.
    helper.get(&format!("/answers/{aid}/edit")).await;
    let res = helper
        .post(
            &format!("/answers/{aid}/edit"),
            &[(
                "body",
                "Open the tax settings and save the registration again; it regenerates invoices.",
            )],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(found("registration").await.contains("1 question found"));
    assert!(found("company+details").await.contains("0 questions found"));

    // A deleted answer's words find nothing; undeleting brings them back.
    helper.get(&paths[2]).await;
    assert_eq!(helper.post(&format!("/answers/{aid}/delete"), &[]).await.status, 303);
    assert!(found("registration").await.contains("0 questions found"));
    assert!(
        found("vat").await.contains("1 question found"),
        "the question itself still matches"
    );
    assert_eq!(helper.post(&format!("/answers/{aid}/undelete"), &[]).await.status, 303);
    assert!(found("registration").await.contains("1 question found"));
}

#[actix_web::test]
async fn only_the_newest_matches_are_ranked_and_more_are_reported() {
    use peerdesk::domain::qa::search::{search_ranking, Mode, SearchQuery};
    let app = TestApp::spawn().await;
    let net = app.category("network").await;
    let (asker_id, asker) = app.login_as("asker", "member").await;
    let (mut ids, mut paths) = (Vec::new(), Vec::new());
    for (i, title) in [
        "Router reboots after the update",
        "Router router router: which router should I buy",
        "Router lights blink orange at night",
        "Router fan is loud since yesterday",
        "Billing address cannot be changed",
        "Two invoices for one month",
    ]
    .into_iter()
    .enumerate()
    {
        let path = asker.ask(title, &format!("{BODY} Case {i}."), &net, "router").await;
        ids.push(question_id(&path));
        paths.push(path);
    }
    // The newest match is deleted: it takes no place among the ranked.
    let (_, moderator) = app.login_as("mod", "moderator").await;
    moderator.get(&paths[3]).await;
    moderator
        .post(&format!("/questions/{}/state", ids[3]), &[("action", "delete")])
        .await;
    // Fifty newer questions that do not match: on PostgreSQL the first window of the newest ids
    // (fifty times the number ranked) then holds no match for a window of one, and widens.
    let fillers = (0..50)
        .map(|i| format!("Billing question number {i} about invoices"))
        .collect();
    ask_many(&app, asker_id, &net, fillers).await;
    let ranked = |window: i64, page: i64, per_page: i64| {
        let q = SearchQuery {
            text: "router".into(),
            page,
            per_page,
            ..Default::default()
        };
        app.db(move |c| search_ranking(c, &q, Mode::All, window).unwrap())
    };
    let found = ranked(2, 1, 10).await;
    let order: Vec<i64> = found.hits.iter().map(|h| h.summary.id.0).collect();
    assert_eq!(
        order,
        vec![ids[1], ids[2]],
        "the two newest visible matches, best first"
    );
    assert_eq!((found.total, found.more), (2, true));
    let found = ranked(3, 1, 10).await;
    let order: Vec<i64> = found.hits.iter().map(|h| h.summary.id.0).collect();
    assert_eq!(order[0], ids[1]);
    assert_eq!(order.len(), 3);
    assert_eq!((found.total, found.more), (3, false));
    // The newest visible match, found after widening on PostgreSQL.
    let found = ranked(1, 1, 10).await;
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].summary.id.0, ids[2]);
    assert_eq!((found.total, found.more), (1, true));
    let found = ranked(2, 2, 1).await;
    assert_eq!(found.hits.len(), 1);
    assert_eq!(
        found.hits[0].summary.id.0, ids[2],
        "the second page of the ranked window"
    );
    // A page past the end is empty but still counts the matches.
    let found = ranked(10, 9, 10).await;
    assert!(found.hits.is_empty());
    assert_eq!((found.total, found.more), (3, false));
    // The API says whether there were more; the page counts them all here.
    let res = app.client().get("/api/v1/search?q=router").await;
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!((v["total"].as_i64(), v["more"].as_bool()), (Some(3), Some(false)));
    assert!(app
        .client()
        .get("/search?q=router")
        .await
        .body
        .contains("3 questions found"));
}

#[actix_web::test]
async fn more_matches_than_are_ranked_are_reported_on_the_page_and_in_the_api() {
    use peerdesk::domain::qa::search::MAX_RANKED;
    let app = TestApp::spawn().await;
    let net = app.category("network").await;
    let (asker_id, _) = app.login_as("asker", "member").await;
    let titles = (0..=MAX_RANKED).map(|i| format!("Router problem number {i}")).collect();
    ask_many(&app, asker_id, &net, titles).await;
    let page = app.client().get("/search?q=router").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&format!("More than {MAX_RANKED} questions found")),
        "the page says that not every match was ranked"
    );
    let res = app.client().get("/api/v1/search?q=router").await;
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(
        (v["total"].as_i64(), v["more"].as_bool()),
        (Some(MAX_RANKED), Some(true))
    );
    // Narrowed by another word, every match is ranked and counted again.
    let page = app.client().get("/search?q=router+number+1000").await;
    assert!(page.body.contains("1 question found"), "{}", page.body.len());
}

/// Asks `titles` as `asker` through the domain (faster than the form, for many questions).
async fn ask_many(app: &TestApp, asker: peerdesk::db::ids::UserId, category: &str, titles: Vec<String>) {
    use peerdesk::domain::access::abilities::Poster;
    use peerdesk::domain::access::permissions::Role;
    use peerdesk::domain::qa::posting::{self, AskInput};
    let category = category.to_owned();
    app.db(move |c| {
        let poster = Poster {
            id: asker,
            permissions: Role::Member.permissions(),
            is_staff: false,
            comment_anywhere: true,
        };
        for title in titles {
            let input = AskInput {
                title,
                body: BODY.into(),
                category: category.clone(),
                tags: "router".into(),
            };
            posting::ask(c, &poster, &input, peerdesk::db::now()).unwrap();
        }
    })
    .await;
}

#[actix_web::test]
async fn search_reads_what_people_see_not_markdown_or_urls() {
    let app = TestApp::spawn().await;
    let net = app.category("network").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask(
            "Firmware page will not load",
            "The **firmware** page at https://support.example.com/firmware/download never loads; \
             see [the status page](https://status.example.net/incidents).",
            &net,
            "firmware",
        )
        .await;
    let qid = question_id(&path);
    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    helper
        .answer(
            qid,
            "Try the mirror: https://mirror.example.org/firmware and _clear_ the cache.",
        )
        .await;
    let found = |q: &'static str| {
        let c = app.client();
        async move { c.get(&format!("/search?q={q}")).await.body }
    };
    for url_word in ["https", "example", "download", "incidents"] {
        assert!(
            found(url_word).await.contains("0 questions found"),
            "{url_word} is only in URLs"
        );
    }
    let page = found("firmware+page").await;
    assert!(page.contains("1 question found"), "{page}");
    assert!(page.contains("<mark>firmware</mark>"), "{page}");
    let snippet = page.split("<mark>").nth(1).unwrap_or_default();
    assert!(!snippet.contains("**") && !snippet.contains("https"), "{page}");
    // Link words are kept; the answer's plain text is searched too.
    assert!(found("status").await.contains("1 question found"));
    assert!(found("clear+cache").await.contains("1 question found"));
}

#[actix_web::test]
async fn a_short_page_is_filled_with_questions_that_have_some_of_the_words() {
    let app = TestApp::spawn().await;
    community(&app).await;
    let found = |q: &'static str| {
        let c = app.client();
        async move { c.get(&format!("/search?q={q}")).await.body }
    };
    // A paraphrase: no question has every word, one has most of them.
    let page = found("my+router+keeps+dropping+the+connection+at+night").await;
    assert!(page.contains("Nothing matches all of these words."), "{page}");
    let (every, some) = page
        .split_once("Questions with some of these words")
        .expect("the page says so");
    assert!(!every.contains("Wi-Fi drops every evening"));
    assert!(some.contains("Wi-Fi drops every evening"), "{page}");
    assert!(!some.contains("VAT number"), "{page}");
    // Every-word matches come first, and the some-words ones never repeat them.
    let page = found("router+firmware").await;
    let (every, some) = page.split_once("Questions with some of these words").expect("filled");
    assert!(every.contains("1 question found") && every.contains("Router firmware update fails halfway"));
    assert!(
        some.contains("Wi-Fi drops every evening") && !some.contains("Router firmware update"),
        "{page}"
    );
    // Stop words alone find nothing; later pages are not filled.
    let page = found("how+do+i+the").await;
    assert!(
        page.contains("0 questions found") && !page.contains("some of these words"),
        "{page}"
    );
    let page = found("router+firmware&page=2").await;
    assert!(!page.contains("some of these words"), "{page}");
    // The API marks which is which.
    let api = app.client().get("/api/v1/search?q=router+firmware").await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let flags: Vec<(String, bool)> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["question"]["title"].as_str().unwrap().to_owned(),
                i["every_word"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        flags[0],
        ("Router firmware update fails halfway".to_owned(), true),
        "{flags:?}"
    );
    assert!(
        flags[1..].iter().all(|(_, every)| !every) && flags.len() >= 2,
        "{flags:?}"
    );
    assert_eq!(json["total"], 1, "total counts the every-word matches");
}

//! JSON API v1 with bad input: each gets a clear JSON error with the documented status, and
//! nothing is written.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::api::{api, token, Contract, BODY, TITLE};
use crate::common::TestApp;
use peerdesk::db::schema::{answers, categories, questions, suspensions, votes};

async fn counts(app: &TestApp) -> (i64, i64, i64) {
    app.db(|c| {
        (
            questions::table.count().get_result(c).unwrap(),
            answers::table.count().get_result(c).unwrap(),
            votes::table.count().get_result(c).unwrap(),
        )
    })
    .await
}

#[actix_web::test]
async fn bad_input_gets_a_clear_error_and_writes_nothing() {
    let app = TestApp::spawn().await;
    app.open_privileges().await;
    let cat = app.category("net").await;
    let asker = app.make_user("asker", "member").await;
    let other = app.make_user("other", "member").await;
    let (ta, to) = (token(&app, asker, "write").await, token(&app, other, "write").await);
    let c = app.client();
    let k = Contract::new();
    let ask = |title: &str, tags: Value, category: &str| json!({ "title": title, "body": BODY, "category": category, "tags": tags });

    let res = api(
        &c,
        "POST",
        "/api/v1/questions",
        Some(&ta),
        Some(ask(TITLE, json!(["wifi"]), &cat)),
    )
    .await;
    let qid = k.check("POST", "/api/v1/questions", &res)["id"].as_i64().unwrap();
    let res = api(
        &c,
        "POST",
        &format!("/api/v1/questions/{qid}/answers"),
        Some(&to),
        Some(json!({"body": BODY})),
    )
    .await;
    let aid = k.check("POST", "/api/v1/questions/1/answers", &res)["id"]
        .as_i64()
        .unwrap();
    let before = counts(&app).await;

    // Invalid fields: 422 with a message for each.
    let cases = [
        (ask("Too short", json!(["wifi"]), &cat), "title"),
        (ask(TITLE, json!(["a", "b", "c", "d", "e", "f"]), &cat), "tags"),
        (ask(TITLE, json!([]), &cat), "tags"),
        (ask(TITLE, json!(["two words"]), &cat), "tags"),
        (ask(TITLE, json!(["wifi"]), "no-such-category"), "category"),
    ];
    for (body, field) in cases {
        let res = api(&c, "POST", "/api/v1/questions", Some(&ta), Some(body.clone())).await;
        assert_eq!(res.status, 422, "{body}: {}", res.body);
        let v = k.check("POST", "/api/v1/questions", &res);
        assert_eq!(v["error"], "invalid");
        assert!(v["fields"][field].is_string(), "{body}: no message for {field}: {v}");
    }

    // Malformed bodies.
    let bearer = format!("Bearer {ta}");
    let raw = |ct: &'static str, body: String| {
        let (c, bearer) = (&c, bearer.clone());
        async move {
            c.call(
                "POST",
                "/api/v1/questions",
                &[("Authorization", &bearer)],
                Some((ct, body)),
            )
            .await
        }
    };
    let res = raw("application/json", "{\"title\": ".into()).await;
    assert_eq!(
        (res.status, k.check("POST", "/api/v1/questions", &res)["error"].clone()),
        (400, json!("bad_request"))
    );
    let res = raw(
        "application/json",
        json!({"title": TITLE, "body": BODY, "category": cat, "tags": ["x"], "admin": true}).to_string(),
    )
    .await;
    assert_eq!(res.status, 400, "unknown fields are refused, not ignored");
    let res = raw("application/json", json!({"title": 5}).to_string()).await;
    assert_eq!(res.status, 400);
    let res = raw("application/x-www-form-urlencoded", "title=x".into()).await;
    assert_eq!(
        (res.status, k.check("POST", "/api/v1/questions", &res)["error"].clone()),
        (415, json!("unsupported_media_type"))
    );
    let res = raw("text/plain", json!({}).to_string()).await;
    assert_eq!(res.status, 415);
    let res = raw(
        "application/json",
        json!({"title": TITLE, "body": "x".repeat(600 * 1024)}).to_string(),
    )
    .await;
    assert_eq!(
        (res.status, k.check("POST", "/api/v1/questions", &res)["error"].clone()),
        (413, json!("payload_too_large"))
    );

    // Bounded pages and known values.
    for q in [
        "page=-1",
        "page=1000000000000",
        "per_page=0",
        "per_page=101",
        "sort=best",
        "filter=open",
        "page=abc",
        "colour=red",
    ] {
        let path = format!("/api/v1/questions?{q}");
        let res = api(&c, "GET", &path, None, None).await;
        assert_eq!(res.status, 400, "{q}");
        k.check("GET", &path, &res);
    }
    for q in ["page=0", "per_page=500", "status=open"] {
        let path = format!("/api/v1/search?q=router&{q}");
        let res = api(&c, "GET", &path, None, None).await;
        assert_eq!(res.status, 400, "{q}");
        k.check("GET", &path, &res);
    }
    for q in ["\"unbalanced", "NEAR(a b", "*", "a OR", "((((", &"x ".repeat(5000)] {
        let path = format!(
            "/api/v1/search?q={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        );
        let res = api(&c, "GET", &path, None, None).await;
        assert_eq!(res.status, 200, "{q}");
        k.check("GET", &path, &res);
    }

    // Rules: your own post, a second vote, an unknown direction, someone else's question.
    let vote = |path: String, tok: String, value: &'static str| {
        let c = &c;
        async move { api(c, "POST", &path, Some(&tok), Some(json!({"value": value}))).await }
    };
    let res = vote(format!("/api/v1/questions/{qid}/vote"), ta.clone(), "up").await;
    assert_eq!(res.status, 400, "own post");
    assert!(k.check("POST", "/api/v1/questions/1/vote", &res)["message"]
        .as_str()
        .unwrap()
        .contains("own post"));
    let res = vote(format!("/api/v1/answers/{aid}/vote"), ta.clone(), "sideways").await;
    assert_eq!(res.status, 422);
    k.check("POST", "/api/v1/answers/1/vote", &res);
    assert_eq!(
        vote(format!("/api/v1/answers/{aid}/vote"), ta.clone(), "up")
            .await
            .status,
        200
    );
    let res = vote(format!("/api/v1/answers/{aid}/vote"), ta.clone(), "up").await;
    assert_eq!(res.status, 400, "a second vote");
    k.check("POST", "/api/v1/answers/1/vote", &res);
    let res = api(&c, "POST", &format!("/api/v1/answers/{aid}/accept"), Some(&to), None).await;
    assert_eq!(res.status, 403, "accepting on someone else's question");
    k.check("POST", "/api/v1/answers/1/accept", &res);
    let res = api(
        &c,
        "POST",
        &format!("/api/v1/questions/{qid}/unaccept"),
        Some(&ta),
        None,
    )
    .await;
    assert_eq!(res.status, 400, "nothing is accepted");
    k.check("POST", "/api/v1/questions/1/unaccept", &res);
    let after_votes = counts(&app).await;
    assert_eq!(
        after_votes,
        (before.0, before.1, before.2 + 1),
        "only the one good vote was written"
    );

    // A locked question takes nothing new.
    app.db(move |c| {
        diesel::update(questions::table.find(qid))
            .set(questions::locked_at.eq(Some(peerdesk::db::now())))
            .execute(c)
            .unwrap()
    })
    .await;
    let res = api(
        &c,
        "POST",
        &format!("/api/v1/questions/{qid}/answers"),
        Some(&to),
        Some(json!({"body": BODY})),
    )
    .await;
    assert_eq!(res.status, 400);
    assert!(k.check("POST", "/api/v1/questions/1/answers", &res)["message"]
        .as_str()
        .unwrap()
        .contains("locked"));
    let res = api(
        &c,
        "POST",
        &format!("/api/v1/questions/{qid}/comments"),
        Some(&to),
        Some(json!({"body": "hello"})),
    )
    .await;
    assert_eq!(res.status, 400);

    // Missing and private things are 404, with no hint of which.
    app.db(|c| {
        diesel::update(categories::table.filter(categories::slug.eq("net")))
            .set(categories::group_id.eq(Some(1i64)))
            .execute(c)
            .unwrap()
    })
    .await;
    for path in [
        format!("/api/v1/questions/{qid}"),
        "/api/v1/questions/999999".into(),
        "/api/v1/questions?category=net".into(),
    ] {
        let res = api(&c, "GET", &path, Some(&ta), None).await;
        assert_eq!(res.status, 404, "{path}");
        assert_eq!(k.check("GET", &path, &res)["error"], "not_found");
    }
    let res = api(
        &c,
        "POST",
        &format!("/api/v1/questions/{qid}/comments"),
        Some(&to),
        Some(json!({"body": "hello"})),
    )
    .await;
    assert_eq!(res.status, 404);
    k.check("POST", "/api/v1/questions/1/comments", &res);
    let res = api(
        &c,
        "POST",
        &format!("/api/v1/answers/{aid}/vote"),
        Some(&to),
        Some(json!({"value": "down"})),
    )
    .await;
    assert_eq!(res.status, 404);
    let res = api(&c, "GET", "/api/v1/categories", None, None).await;
    assert_eq!(k.check("GET", "/api/v1/categories", &res)["items"], json!([]));
    assert_eq!(api(&c, "GET", "/api/v1/nothing-here", None, None).await.status, 404);
    assert_eq!(counts(&app).await, after_votes, "nothing else was written");
}

#[actix_web::test]
async fn credentials_are_checked_on_every_call() {
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let asker = app.make_user("asker", "member").await;
    let write = token(&app, asker, "write").await;
    let read = token(&app, asker, "read").await;
    let c = app.client();
    let k = Contract::new();
    let body = || Some(json!({ "title": TITLE, "body": BODY, "category": cat, "tags": ["wifi"] }));

    let res = api(&c, "POST", "/api/v1/questions", None, body()).await;
    assert_eq!(
        (res.status, k.check("POST", "/api/v1/questions", &res)["error"].clone()),
        (401, json!("unauthorized"))
    );
    let res = api(&c, "POST", "/api/v1/questions", Some(&read), body()).await;
    assert_eq!(res.status, 403, "a read token cannot write");
    assert_eq!(
        k.check("POST", "/api/v1/questions", &res)["error"],
        "insufficient_scope"
    );
    for bad in ["pd_not-a-token", "nonsense", ""] {
        let res = api(&c, "GET", "/api/v1/questions", Some(bad), None).await;
        assert_eq!(res.status, 401, "{bad:?}");
        assert_eq!(k.check("GET", "/api/v1/questions", &res)["error"], "invalid_token");
        assert!(res
            .header("www-authenticate")
            .is_some_and(|h| h.contains("invalid_token")));
    }
    let res = c
        .call(
            "GET",
            "/api/v1/me",
            &[("Authorization", &format!("Basic {write}"))],
            None,
        )
        .await;
    assert_eq!(res.status, 401, "only bearer tokens");
    assert_eq!(api(&c, "GET", "/api/v1/me", Some(&read), None).await.status, 200);

    // Suspension stops a token at once; lifting it brings the token back.
    let now = peerdesk::db::now();
    app.db(move |c| {
        diesel::insert_into(suspensions::table)
            .values((
                suspensions::user_id.eq(asker),
                suspensions::reason.eq("spam"),
                suspensions::created_at.eq(now),
                suspensions::ends_at.eq(now + chrono::Duration::days(1)),
            ))
            .execute(c)
            .unwrap()
    })
    .await;
    assert_eq!(api(&c, "GET", "/api/v1/me", Some(&write), None).await.status, 401);
    app.db(|c| diesel::delete(suspensions::table).execute(c).unwrap()).await;
    assert_eq!(api(&c, "GET", "/api/v1/me", Some(&write), None).await.status, 200);

    // Tokens are for the API only: the pages ignore them.
    let res = c
        .call(
            "GET",
            "/settings",
            &[("Authorization", &format!("Bearer {write}"))],
            None,
        )
        .await;
    assert_eq!(res.status, 303, "a page wants a login, not a token");
    let n: i64 = app.db(|c| questions::table.count().get_result(c).unwrap()).await;
    assert_eq!(n, 0);
}

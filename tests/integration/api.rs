//! JSON API v1 through real HTTP: a whole ask → answer → comment → vote → accept round trip with
//! tokens, every response checked against `/api/v1/openapi.json` (and every documented operation
//! exercised), and session + CSRF authentication for scripts on our own pages.

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::common::{Client, Resp, TestApp};
use peerdesk::db::ids::UserId;

pub const BODY: &str = "My router drops Wi-Fi every evening around 8pm. I tried rebooting it twice already.";
pub const TITLE: &str = "Router drops Wi-Fi every evening";

/// The OpenAPI document, and which of its operations the test has seen answer.
pub struct Contract {
    doc: Value,
    seen: RefCell<BTreeSet<String>>,
}

impl Contract {
    pub fn new() -> Contract {
        let doc = serde_json::from_str(peerdesk::handlers::api::OPENAPI).expect("the OpenAPI document is JSON");
        Contract {
            doc,
            seen: RefCell::new(BTreeSet::new()),
        }
    }

    /// The documented path template a concrete path falls under.
    fn template(&self, path: &str) -> String {
        let path = path.split('?').next().unwrap_or_default();
        let parts: Vec<&str> = path.split('/').collect();
        self.doc["paths"]
            .as_object()
            .expect("paths")
            .keys()
            .find(|t| {
                let tp: Vec<&str> = t.split('/').collect();
                tp.len() == parts.len() && tp.iter().zip(&parts).all(|(a, b)| a.starts_with('{') || a == b)
            })
            .unwrap_or_else(|| panic!("{path} is not in the OpenAPI document"))
            .clone()
    }

    /// Checks a real response against the documented one for its operation and status, and
    /// returns its JSON body.
    pub fn check(&self, method: &str, path: &str, res: &Resp) -> Value {
        let template = self.template(path);
        let op = &self.doc["paths"][&template][method.to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not documented");
        let documented = &op["responses"][res.status.to_string()];
        assert!(
            documented.is_object(),
            "{method} {path} answered {} which {method} {template} does not document: {}",
            res.status,
            res.body
        );
        assert!(
            res.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{method} {path}: not JSON"
        );
        let body: Value = serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let mut schema = documented["content"]["application/json"]["schema"].clone();
        schema["components"] = self.doc["components"].clone();
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} ({}) does not match the document: {errors:?}\n{body}",
            res.status
        );
        self.seen
            .borrow_mut()
            .insert(format!("{} {template}", method.to_uppercase()));
        body
    }

    /// Every documented operation has been seen.
    pub fn assert_all_seen(&self) {
        let mut all = BTreeSet::new();
        for (path, ops) in self.doc["paths"].as_object().expect("paths") {
            for method in ops.as_object().expect("operations").keys() {
                all.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
        let seen = self.seen.borrow();
        let missing: Vec<_> = all.difference(&seen).collect();
        assert!(missing.is_empty(), "operations never exercised: {missing:?}");
    }
}

/// An API call with an optional bearer token and JSON body.
pub async fn api(c: &Client, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Resp {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Accept", "application/json")];
    if let Some(a) = auth.as_deref() {
        headers.push(("Authorization", a));
    }
    c.call(
        method,
        path,
        &headers,
        body.map(|b| ("application/json", b.to_string())),
    )
    .await
}

/// A token for `user` with `scope`, minted through the domain.
pub async fn token(app: &TestApp, user: UserId, scope: &'static str) -> String {
    app.db(move |c| {
        peerdesk::domain::members::api_tokens::create(c, user, "test", scope, peerdesk::db::now())
            .unwrap()
            .secret
    })
    .await
}

#[actix_web::test]
async fn round_trip_through_tokens_matches_the_openapi_document() {
    let app = TestApp::spawn().await;
    app.open_privileges().await;
    let cat = app.category("net").await;
    let asker = app.make_user("asker", "member").await;
    let helper = app.make_user("helper", "member").await;
    let voter = app.make_user("voter", "member").await;
    let (ta, th, tv) = (
        token(&app, asker, "write").await,
        token(&app, helper, "write").await,
        token(&app, voter, "write").await,
    );
    let read_only = token(&app, voter, "read").await;
    let c = app.client();
    let k = Contract::new();
    let call = |method: &'static str, path: String, tok: Option<&str>, body: Option<Value>| {
        let (c, k) = (&c, &k);
        let tok = tok.map(str::to_owned);
        async move {
            let res = api(c, method, &path, tok.as_deref(), body).await;
            let v = k.check(method, &path, &res);
            (res, v)
        }
    };

    let (_, doc) = call("GET", "/api/v1/openapi.json".into(), None, None).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let (_, cats) = call("GET", "/api/v1/categories".into(), None, None).await;
    assert_eq!(cats["items"][0]["slug"], "net");

    let ask = json!({ "title": TITLE, "body": BODY, "category": cat, "tags": ["wifi", "Router"] });
    let (res, q) = call("POST", "/api/v1/questions".into(), Some(&ta), Some(ask)).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let qid = q["id"].as_i64().unwrap();
    assert_eq!(res.location(), format!("/api/v1/questions/{qid}"));
    let mut tags: Vec<&str> = q["tags"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    tags.sort();
    assert_eq!(tags, ["router", "wifi"], "tags are lowercased");
    assert_eq!(
        (q["author"]["username"].as_str(), q["my_vote"].as_i64()),
        (Some("asker"), Some(0))
    );
    assert!(q["body_html"].as_str().unwrap().contains("<p>My router"));

    // The page a browser sees is the same question.
    let page = c.get(q["url"].as_str().unwrap()).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(TITLE));

    let answer = json!({ "body": "Change the channel to 1, 6 or 11 in the router's wireless settings." });
    let (res, a) = call(
        "POST",
        format!("/api/v1/questions/{qid}/answers"),
        Some(&th),
        Some(answer),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let aid = a["id"].as_i64().unwrap();
    assert_eq!(
        (a["question_id"].as_i64(), a["accepted"].as_bool()),
        (Some(qid), Some(false))
    );

    let (res, cq) = call(
        "POST",
        format!("/api/v1/questions/{qid}/comments"),
        Some(&th),
        Some(json!({ "body": "Which router model is it?" })),
    )
    .await;
    assert_eq!(res.status, 201);
    assert!(cq["answer_id"].is_null());
    let (_, ca) = call(
        "POST",
        format!("/api/v1/questions/{qid}/comments"),
        Some(&tv),
        Some(json!({ "body": "This fixed it for me **too**.", "answer_id": aid })),
    )
    .await;
    assert_eq!(ca["answer_id"].as_i64(), Some(aid));
    assert!(ca["body_html"].as_str().unwrap().contains("<strong>too</strong>"));

    let (res, t) = call(
        "POST",
        format!("/api/v1/answers/{aid}/vote"),
        Some(&tv),
        Some(json!({"value": "up"})),
    )
    .await;
    assert_eq!((res.status, t), (200, json!({"score": 1, "vote": 1})));
    let (_, t) = call(
        "POST",
        format!("/api/v1/questions/{qid}/vote"),
        Some(&tv),
        Some(json!({"value": "down"})),
    )
    .await;
    assert_eq!(t, json!({"score": -1, "vote": -1}));
    let (_, t) = call(
        "POST",
        format!("/api/v1/questions/{qid}/vote"),
        Some(&tv),
        Some(json!({"value": "clear"})),
    )
    .await;
    assert_eq!(t, json!({"score": 0, "vote": 0}));

    let (res, acc) = call("POST", format!("/api/v1/answers/{aid}/accept"), Some(&ta), None).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(acc, json!({"question_id": qid, "accepted_answer_id": aid}));

    // The voter sees their own votes; anonymous readers see none.
    let (_, mine) = call("GET", format!("/api/v1/questions/{qid}"), Some(&read_only), None).await;
    assert_eq!(mine["answers"][0]["my_vote"].as_i64(), Some(1));
    assert_eq!(
        (mine["my_vote"].as_i64(), mine["following"].as_bool()),
        (Some(0), Some(false))
    );
    assert_eq!(mine["answers"][0]["comments"][0]["author"]["username"], "voter");
    let (_, anon) = call("GET", format!("/api/v1/questions/{qid}"), None, None).await;
    assert!(anon["my_vote"].is_null() && anon["answers"][0]["my_vote"].is_null());
    assert_eq!(
        (anon["resolved"].as_bool(), anon["accepted_answer_id"].as_i64()),
        (Some(true), Some(aid))
    );
    assert_eq!(anon["answers"][0]["accepted"], true);
    assert_eq!(anon["comments"][0]["body"], "Which router model is it?");

    let (_, list) = call(
        "GET",
        "/api/v1/questions?filter=resolved&tag=wifi&category=net".into(),
        None,
        None,
    )
    .await;
    assert_eq!(
        (
            list["total"].as_i64(),
            list["more"].as_bool(),
            list["items"][0]["id"].as_i64()
        ),
        (Some(1), Some(false), Some(qid))
    );
    let (_, none) = call("GET", "/api/v1/questions?filter=unanswered".into(), None, None).await;
    assert_eq!(none["total"], 0, "answered questions are not unanswered");
    let (_, by) = call("GET", "/api/v1/questions?author=asker&per_page=5".into(), None, None).await;
    assert_eq!((by["total"].as_i64(), by["per_page"].as_i64()), (Some(1), Some(5)));

    let (_, found) = call("GET", "/api/v1/search?q=router+channel".into(), None, None).await;
    assert_eq!(found["items"][0]["question"]["id"].as_i64(), Some(qid));
    assert!(found["items"][0]["snippet_html"].as_str().unwrap().contains("<mark>"));
    let (_, found) = call("GET", "/api/v1/search?q=router&status=unresolved".into(), None, None).await;
    assert_eq!(found["total"], 0);

    let (_, un) = call("POST", format!("/api/v1/questions/{qid}/unaccept"), Some(&ta), None).await;
    assert_eq!(un, json!({"question_id": qid, "accepted_answer_id": null}));
    let (_, after) = call("GET", format!("/api/v1/questions/{qid}"), None, None).await;
    assert_eq!(after["resolved"], false);

    let (_, helper_profile) = call("GET", "/api/v1/users/helper".into(), None, None).await;
    assert_eq!(helper_profile["reputation"], 11, "one answer upvote");
    assert!(helper_profile["badges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["slug"] == "first-answer"));
    assert_eq!(
        helper_profile["badge_counts"]["bronze"], 3,
        "First Answer, Quick Responder (at once), and Solved while it was accepted"
    );
    let (res, _) = call("GET", "/api/v1/users/nobody-here".into(), None, None).await;
    assert_eq!(res.status, 404);
    let (_, board) = call("GET", "/api/v1/leaderboard?period=all".into(), None, None).await;
    assert_eq!(board["items"][0]["user"]["username"], "helper");
    assert_eq!(
        (board["period"].as_str(), board["by"].as_str()),
        (Some("all"), Some("reputation"))
    );
    let (res, _) = call("GET", "/api/v1/leaderboard?period=year".into(), None, None).await;
    assert_eq!(res.status, 400);

    let staffer = app.make_user("staffer", "staff").await;
    let staff_token = token(&app, staffer, "read").await;
    let today = peerdesk::db::now().date();
    let (res, kpis) = call(
        "GET",
        format!("/api/v1/kpis?from={today}&to={today}"),
        Some(&staff_token),
        None,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        (
            kpis["questions_asked"].as_i64(),
            kpis["questions_with_response"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(kpis["questions_resolved"], 0, "un-accepted again");
    let (res, _) = call(
        "GET",
        format!("/api/v1/kpis?from={today}&to={today}"),
        Some(&read_only),
        None,
    )
    .await;
    assert_eq!(res.status, 403, "members lack view_kpis");
    let (res, _) = call("GET", "/api/v1/kpis?to=2026-01-01".into(), Some(&staff_token), None).await;
    assert_eq!(res.status, 400, "from is required");
    let (res, _) = call(
        "GET",
        "/api/v1/kpis?from=2026-13-01&to=2026-01-01".into(),
        Some(&staff_token),
        None,
    )
    .await;
    assert_eq!(res.status, 400);
    let (res, _) = call(
        "GET",
        format!("/api/v1/kpis?from={today}&to={today}&category=nope"),
        Some(&staff_token),
        None,
    )
    .await;
    assert_eq!(res.status, 404);

    let (_, me) = call("GET", "/api/v1/me".into(), Some(&read_only), None).await;
    assert_eq!(
        (me["username"].as_str(), me["scope"].as_str()),
        (Some("voter"), Some("read"))
    );
    assert_eq!(me["authenticated_by"], "token");
    let (res, _) = call("GET", "/api/v1/me".into(), None, None).await;
    assert_eq!(res.status, 401);

    k.assert_all_seen();
}

#[actix_web::test]
async fn scripts_on_our_pages_use_the_session_with_its_csrf_token() {
    let app = TestApp::spawn().await;
    app.open_privileges().await;
    let cat = app.category("net").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker.ask(TITLE, BODY, &cat, "wifi").await;
    let qid = crate::common::question_id(&path);
    let (_, voter) = app.login_as("voter", "member").await;
    let k = Contract::new();

    let me = api(&voter, "GET", "/api/v1/me", None, None).await;
    assert_eq!(k.check("GET", "/api/v1/me", &me)["authenticated_by"], "session");

    // The cookie alone cannot write: another site could make the browser send it.
    let vote_path = format!("/api/v1/questions/{qid}/vote");
    let body = Some(("application/json", json!({"value": "up"}).to_string()));
    let res = voter
        .call("POST", &vote_path, &[("Accept", "application/json")], body.clone())
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(k.check("POST", &vote_path, &res)["error"], "csrf_rejected");
    let res = voter
        .call("POST", &vote_path, &[("X-CSRF-Token", "wrong")], body.clone())
        .await;
    assert_eq!(res.status, 403);
    let res = voter
        .call(
            "POST",
            &vote_path,
            &[("X-CSRF-Token", "x"), ("Sec-Fetch-Site", "cross-site")],
            body.clone(),
        )
        .await;
    assert_eq!(res.status, 403, "a cross-site request is refused whatever it carries");

    let csrf = voter.token.borrow().clone();
    let res = voter.call("POST", &vote_path, &[("X-CSRF-Token", &csrf)], body).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(k.check("POST", &vote_path, &res), json!({"score": 1, "vote": 1}));
}

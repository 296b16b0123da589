//! Asking (with preview), the question page, answers, comments, lists and categories.

use diesel::prelude::*;

use crate::common::{question_id, TestApp};
use peerdesk::db::schema::{categories, questions};
use peerdesk::queries::listing::{self, Filter, ListQuery, Total};

const BODY: &str = "My router drops Wi-Fi every evening around 8pm. I tried **rebooting** and `factory reset`.";

async fn question_count(app: &TestApp) -> i64 {
    app.db(|c| questions::table.count().get_result(c).unwrap()).await
}

#[actix_web::test]
async fn asking_with_a_preview_then_posting() {
    let app = TestApp::spawn().await;
    let cat = app.category("network").await;
    assert_eq!(
        app.client().get("/questions/ask").await.status,
        303,
        "visitors are sent to log in"
    );
    let (_, c) = app.login_as("asker", "member").await;
    let form = c.get("/questions/ask").await;
    assert!(form.body.contains("Category network"));
    let title = "Router drops Wi-Fi every evening";
    let preview = c
        .post(
            "/questions/ask",
            &[
                ("title", title),
                ("body", BODY),
                ("category", &cat),
                ("tags", "wifi Router"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<strong>rebooting</strong>"), "rendered preview");
    assert!(
        preview.body.contains(title) && preview.body.contains("wifi Router"),
        "fields kept"
    );
    assert_eq!(question_count(&app).await, 0, "a preview stores nothing");

    let path = c.ask(title, BODY, &cat, "wifi Router").await;
    assert!(path.ends_with("/router-drops-wi-fi-every-evening"), "{path}");
    let page = c.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(title) && page.body.contains("<strong>rebooting</strong>"));
    assert!(page.body.contains("href=\"/tags/router\"") && page.body.contains("href=\"/tags/wifi\""));
    assert!(page.body.contains("Category network"));
    // Short and wrong URLs answer 301 to the canonical one.
    let id = question_id(&path);
    let short = c.get(&format!("/questions/{id}")).await;
    assert_eq!((short.status, short.location()), (301, path.as_str()));
    let wrong = c.get(&format!("/questions/{id}/some-old-title")).await;
    assert_eq!((wrong.status, wrong.location()), (301, path.as_str()));
    assert_eq!(c.get("/questions/999999").await.status, 404);
    assert_eq!(c.get("/questions/abc").await.status, 404);
}

#[actix_web::test]
async fn bad_questions_are_refused_with_reasons_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let cat = app.category("billing").await;
    let (_, c) = app.login_as("asker", "member").await;
    c.get("/questions/ask").await;
    let good_title = "How do I download my invoices?";
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        ("Too short", BODY, &cat, "invoices", "The title must be 15 to 150"),
        (
            good_title,
            "short body",
            &cat,
            "invoices",
            "The question must be 30 to 30000",
        ),
        (
            good_title,
            BODY,
            "no-such-category",
            "invoices",
            "Choose one of the categories",
        ),
        (good_title, BODY, &cat, "a b c d e f", "Give 1 to 5 tags"),
        (good_title, BODY, &cat, "", "Give 1 to 5 tags"),
        (good_title, BODY, &cat, "bad_tag", "not a valid tag"),
        (&"x".repeat(151), BODY, &cat, "invoices", "The title must be 15 to 150"),
    ];
    for (title, body, category, tags, needle) in cases {
        let res = c
            .post(
                "/questions/ask",
                &[("title", title), ("body", body), ("category", category), ("tags", tags)],
            )
            .await;
        assert_eq!(res.status, 422, "{title}/{tags}");
        assert!(
            res.body.contains(needle),
            "expected '{needle}' for {title}/{category}/{tags}"
        );
    }
    let missing_field = c.post("/questions/ask", &[("title", good_title)]).await;
    assert_eq!(missing_field.status, 400);
    assert_eq!(question_count(&app).await, 0);
}

#[actix_web::test]
async fn answers_and_comments_appear_and_count_as_responses() {
    let app = TestApp::spawn().await;
    let cat = app.category("apps").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask("The iOS app crashes on launch", BODY, &cat, "ios crash")
        .await;
    let id = question_id(&path);
    let unanswered = app.client().get("/questions?filter=unanswered").await;
    assert!(unanswered.body.contains("The iOS app crashes on launch"));

    // The asker's own comment is not a response.
    asker.get(&path).await;
    assert_eq!(
        asker
            .post(&format!("/questions/{id}/comments"), &[("body", "Also on iPad.")])
            .await
            .status,
        303
    );
    assert!(app
        .client()
        .get("/questions?filter=unanswered")
        .await
        .body
        .contains("crashes on launch"));

    let (_, helper) = app.login_as("helper", "member").await;
    helper.get(&path).await;
    let res = helper
        .post(
            &format!("/questions/{id}/answers"),
            &[("body", "Delete the app and install it again; that cleared it for me.")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(res.location().contains("#answer-"));
    let answer_id: i64 = res.location().rsplit("#answer-").next().unwrap().parse().unwrap();
    assert!(!app
        .client()
        .get("/questions?filter=unanswered")
        .await
        .body
        .contains("crashes on launch"));
    let res = helper
        .post(
            &format!("/questions/{id}/comments"),
            &[("body", "Which *version*?"), ("answer_id", &answer_id.to_string())],
        )
        .await;
    assert_eq!(res.status, 303);

    let (_, staffer) = app.login_as("stan", "staff").await;
    staffer.get(&path).await;
    staffer
        .post(
            &format!("/questions/{id}/answers"),
            &[("body", "We fixed this crash in version 4.2, out today.")],
        )
        .await;

    let page = app.client().get(&path).await;
    assert!(page.body.contains("2 answers"));
    assert!(page.body.contains("Delete the app") && page.body.contains("Also on iPad."));
    assert!(
        page.body.contains("Which <em>version</em>?"),
        "inline Markdown in comments"
    );
    assert_eq!(
        page.body.matches("Official answer").count(),
        1,
        "only the staff answer is official"
    );
    let (answers, comments, first_response): (i32, i32, Option<chrono::NaiveDateTime>) = app
        .db(move |c| {
            questions::table
                .find(id)
                .select((
                    questions::answer_count,
                    questions::comment_count,
                    questions::first_response_at,
                ))
                .first(c)
                .unwrap()
        })
        .await;
    assert_eq!((answers, comments), (2, 2));
    assert!(first_response.is_some());

    // Bad input.
    let too_long = "x".repeat(601);
    assert_eq!(
        helper
            .post(&format!("/questions/{id}/comments"), &[("body", "")])
            .await
            .status,
        400
    );
    assert_eq!(
        helper
            .post(&format!("/questions/{id}/comments"), &[("body", &too_long)])
            .await
            .status,
        400
    );
    assert_eq!(
        helper
            .post(&format!("/questions/{id}/answers"), &[("body", "too short")])
            .await
            .status,
        422
    );
    assert_eq!(
        helper
            .post(
                "/questions/999999/answers",
                &[("body", "A long enough answer to a question that is not there.")]
            )
            .await
            .status,
        404
    );
    let other = asker.ask("Another question about the app", BODY, &cat, "ios").await;
    let res = helper
        .post(
            &format!("/questions/{}/comments", question_id(&other)),
            &[("body", "hi"), ("answer_id", &answer_id.to_string())],
        )
        .await;
    assert_eq!(res.status, 404, "an answer of another question");
    assert_eq!(
        app.client()
            .post_raw(
                &format!("/questions/{id}/answers"),
                &[("body", "anonymous answer text that is long")],
                &[]
            )
            .await
            .status,
        303
    );
}

#[actix_web::test]
async fn locked_questions_take_nothing_new() {
    let app = TestApp::spawn().await;
    let cat = app.category("apps").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker.ask("Sync stopped working after update", BODY, &cat, "sync").await;
    let id = question_id(&path);
    app.db(move |c| {
        diesel::update(questions::table.find(id))
            .set(questions::locked_at.eq(peerdesk::db::now()))
            .execute(c)
            .unwrap()
    })
    .await;
    let (_, helper) = app.login_as("helper", "member").await;
    let page = helper.get(&path).await;
    assert!(page.body.contains("locked") && !page.body.contains("Post your answer"));
    let res = helper
        .post(
            &format!("/questions/{id}/answers"),
            &[("body", "Try signing out and in again, it worked for me.")],
        )
        .await;
    assert_eq!(res.status, 400);
    assert!(res.body.contains("locked"));
    assert_eq!(
        helper
            .post(&format!("/questions/{id}/comments"), &[("body", "me too")])
            .await
            .status,
        400
    );
}

#[actix_web::test]
async fn lists_filter_sort_and_page() {
    let app = TestApp::spawn().await;
    let a = app.category("alpha").await;
    let b = app.category("beta").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let (_, other) = app.login_as("other", "member").await;
    let p1 = asker
        .ask("First question about alpha things", BODY, &a, "one shared")
        .await;
    let p2 = asker
        .ask("Second question about beta things", BODY, &b, "two shared")
        .await;
    other.ask("Third question about alpha things", BODY, &a, "three").await;
    other.get(&p1).await;
    other
        .post(
            &format!("/questions/{}/answers", question_id(&p1)),
            &[("body", "Here is an answer that is long enough to count.")],
        )
        .await;

    let c = app.client();
    let all = c.get("/questions?sort=newest").await.body;
    let (i1, i2, i3) = (
        all.find("First question").unwrap(),
        all.find("Second question").unwrap(),
        all.find("Third question").unwrap(),
    );
    assert!(i3 < i2 && i2 < i1, "newest first");
    let active = c.get("/questions").await.body;
    assert!(
        active.find("First question").unwrap() < active.find("Third question").unwrap(),
        "answered one is most active"
    );

    let unanswered_alpha = c.get("/categories/alpha?filter=unanswered").await.body;
    assert!(
        unanswered_alpha.contains("Third question")
            && !unanswered_alpha.contains("First question")
            && !unanswered_alpha.contains("Second")
    );
    let shared = c.get("/tags/shared").await.body;
    assert!(shared.contains("First question") && shared.contains("Second question") && !shared.contains("Third"));
    assert!(shared.contains("Questions tagged shared (2)"));
    let by_other = c.get("/questions?author=other").await.body;
    assert!(by_other.contains("Third question") && !by_other.contains("First question"));
    let paged = c.get("/questions?sort=newest&per_page=2&page=2").await.body;
    assert!(paged.contains("First question") && !paged.contains("Third question"));
    assert!(paged.contains("Page 2 of 2"));
    let row = c.get("/categories/alpha").await.body;
    assert!(row.contains("1</strong> answer<") && row.contains("asked") && row.contains("href=\"/tags/one\""));

    for bad in [
        "/questions?page=-1",
        "/questions?page=1000000000000",
        "/questions?per_page=101",
        "/questions?per_page=0",
        "/questions?sort=best",
        "/questions?filter=mine",
        "/questions?page=x",
    ] {
        assert_eq!(c.get(bad).await.status, 400, "{bad}");
    }
    assert_eq!(c.get("/tags/nope").await.status, 404);
    assert_eq!(c.get("/categories/nope").await.status, 404);
    assert_eq!(c.get("/questions?author=nobody").await.status, 404);
    let beta = c.get(&format!("/categories/{b}")).await.body;
    assert!(beta.contains("Second question") && !beta.contains("First question"));

    // A tag page's total is the tag's kept count: it follows a deletion and a restore.
    let state = format!("/questions/{}/state", question_id(&p2));
    assert_eq!(asker.post(&state, &[("action", "delete")]).await.status, 303);
    let shared = c.get("/tags/shared").await.body;
    assert!(shared.contains("Questions tagged shared (1)") && !shared.contains("Second question"));
    let filtered = c.get("/tags/shared?filter=unresolved").await.body;
    assert!(filtered.contains("First question") && !filtered.contains("Second question"));
    assert_eq!(asker.post(&state, &[("action", "undelete")]).await.status, 303);
    assert!(c.get("/tags/shared").await.body.contains("Questions tagged shared (2)"));

    // Lists count no further than their bound (or the end of the page asked for).
    let totals = app
        .db(|c| {
            let mut total = |filter, count_up_to, page| {
                let q = ListQuery {
                    filter,
                    count_up_to,
                    page,
                    per_page: 1,
                    ..Default::default()
                };
                listing::list(c, &q).unwrap().1
            };
            [
                total(Filter::All, 1, 1),
                total(Filter::All, 3, 1),
                total(Filter::All, 1, 3),
                total(Filter::All, 1, 2),
                total(Filter::Unanswered, 1, 1),
                total(Filter::Resolved, 1, 1),
            ]
        })
        .await;
    let (exact, more) = (Total::exact, |count| Total { count, more: true });
    assert_eq!(totals, [more(1), exact(3), exact(3), more(2), more(1), exact(0)]);
}

#[actix_web::test]
async fn private_categories_answer_404_everywhere() {
    let app = TestApp::spawn().await;
    let open = app.category("open").await;
    let secret = app.category("secret").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask(
            "A question in what becomes a private space",
            BODY,
            &secret,
            "beta hushhush",
        )
        .await;
    asker.ask("A question in the open category", BODY, &open, "beta").await;
    // A group restriction (the beta-groups work fills this column).
    app.db(|c| {
        diesel::update(categories::table.filter(categories::slug.eq("secret")))
            .set(categories::group_id.eq(Some(1i64)))
            .execute(c)
            .unwrap()
    })
    .await;
    // Restricting a category recounts its tags (the groups work does this as part of the change).
    app.db(|c| {
        let ids = peerdesk::models::tag::ensure(c, &["beta".into(), "hushhush".into()], peerdesk::db::now()).unwrap();
        peerdesk::models::tag::refresh_counts(c, &ids).unwrap();
    })
    .await;
    let c = app.client();
    assert_eq!(c.get(&path).await.status, 404);
    assert_eq!(c.get(&format!("/questions/{}", question_id(&path))).await.status, 404);
    assert_eq!(c.get("/categories/secret").await.status, 404);
    for list in ["/", "/questions", "/tags/beta", "/questions?author=asker"] {
        let body = c.get(list).await.body;
        assert!(!body.contains("private space"), "{list} leaks the private question");
        assert!(!body.contains("Category secret"), "{list} lists the private category");
    }
    assert!(c.get("/tags/beta").await.body.contains("open category"));
    assert!(
        c.get("/tags/beta").await.body.contains("Questions tagged beta (1)"),
        "the private question is not counted"
    );
    assert_eq!(
        c.get("/tags/hushhush").await.status,
        404,
        "a tag used only in private is not shown"
    );
    assert!(!c.get("/tags").await.body.contains("hushhush"));
    let form = asker.get("/questions/ask").await.body;
    assert!(!form.contains("Category secret"));
    let res = asker
        .post(
            "/questions/ask",
            &[
                ("title", "Trying to post in the private one"),
                ("body", BODY),
                ("category", &secret),
                ("tags", "x"),
                ("action", "post"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
}

#[actix_web::test]
async fn admins_manage_categories_and_it_is_audited() {
    let app = TestApp::spawn().await;
    let (_, member) = app.login_as("mem", "member").await;
    assert_eq!(member.get("/admin/categories").await.status, 403);
    assert_eq!(
        member
            .post("/admin/categories", &[("name", "X"), ("slug", "x")])
            .await
            .status,
        403
    );
    let (_, admin) = app.login_as("boss", "admin").await;
    admin.get("/admin/categories").await;
    let res = admin
        .post(
            "/admin/categories",
            &[
                ("name", "Billing & Plans"),
                ("slug", "billing"),
                ("description", "Invoices, **plans**"),
                ("position", "2"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = app.client().get("/categories/billing").await;
    assert!(page.body.contains("Billing &#38; Plans") || page.body.contains("Billing &amp; Plans"));
    assert!(page.body.contains("<strong>plans</strong>"));
    for (name, slug, position, needle) in [
        ("Dup", "billing", "0", "Another category uses that slug"),
        ("Bad slug", "Not OK!", "0", "Use 1 to 50"),
        ("X", "x", "0", "Use 2 to 50"),
        ("Fine name", "fine", "lots", "whole number"),
    ] {
        let res = admin
            .post(
                "/admin/categories",
                &[("name", name), ("slug", slug), ("position", position)],
            )
            .await;
        assert_eq!(res.status, 422, "{slug}");
        assert!(res.body.contains(needle), "{needle}");
    }
    let id: i64 = app
        .db(|c| categories::table.select(categories::id).first(c).unwrap())
        .await;
    let res = admin
        .post(
            &format!("/admin/categories/{id}"),
            &[("name", "Billing"), ("slug", "billing"), ("position", "1")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        admin
            .post("/admin/categories/99999", &[("name", "Nope"), ("slug", "nope")])
            .await
            .status,
        404
    );
    let audit = admin.get("/admin/audit").await.body;
    assert!(audit.contains("category.create") && audit.contains("category.update"));
}

#[actix_web::test]
async fn the_live_preview_returns_sanitised_html_to_members_only() {
    let app = TestApp::spawn().await;
    let (_, c) = app.login_as("writer", "member").await;
    let token = c.token.borrow().clone();
    let body = "**bold** <script>alert(1)</script> [x](javascript:alert(1))";
    let res = c
        .post_raw("/markdown/preview", &[("body", body)], &[("X-CSRF-Token", &token)])
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("<strong>bold</strong>"));
    assert!(!res.body.contains("<script") && !res.body.contains("javascript:"));
    assert_eq!(
        c.post_raw("/markdown/preview", &[("body", body)], &[]).await.status,
        403,
        "no token"
    );
    assert_eq!(
        app.client()
            .post_raw("/markdown/preview", &[("body", body)], &[])
            .await
            .status,
        303,
        "visitors log in first"
    );
}

async fn view_count(app: &TestApp, qid: i64) -> i64 {
    app.db(move |c| peerdesk::models::question::views(c, peerdesk::db::ids::QuestionId(qid)).unwrap())
        .await
}

async fn flush_views(app: &TestApp) -> i64 {
    let counts = app.state.views.clone();
    app.db(move |c| counts.flush(c).unwrap()).await
}

#[actix_web::test]
async fn a_refresh_storm_counts_one_view_and_writes_nothing_meanwhile() {
    let app = TestApp::spawn().await;
    let cat = app.category("apps").await;
    let (_, asker) = app.login_as("asker", "member").await;
    let path = asker
        .ask("How many views does this question get?", BODY, &cat, "views")
        .await;
    let qid = question_id(&path);
    flush_views(&app).await;
    let base = view_count(&app, qid).await;
    let visitor = app.client();
    for _ in 0..50 {
        assert_eq!(visitor.get(&path).await.status, 200);
    }
    assert_eq!(view_count(&app, qid).await, base, "nothing written in the request path");
    assert_eq!(flush_views(&app).await, 1);
    assert_eq!(view_count(&app, qid).await, base + 1);
    // Another browser, and a signed-in member, each count once.
    app.client().get_with(&path, &[("User-Agent", "another browser")]).await;
    let (_, member) = app.login_as("reader", "member").await;
    member.get(&path).await;
    member.get(&path).await;
    assert_eq!(flush_views(&app).await, 2);
    assert_eq!(view_count(&app, qid).await, base + 3);
    assert!(app
        .client()
        .get(&path)
        .await
        .body
        .contains(&format!("{} views", base + 3)));
}

#[actix_web::test]
async fn tags_have_an_index_and_descriptions_moderators_write() {
    let app = TestApp::spawn().await;
    let cat = app.category("apps").await;
    let (_, asker) = app.login_as("asker", "member").await;
    asker
        .ask("How do I export my data to CSV?", BODY, &cat, "export csv")
        .await;
    let index = app.client().get("/tags").await.body;
    assert!(index.contains("href=\"/tags/export\"") && index.contains("href=\"/tags/csv\""));
    assert!(!asker.get("/tags/export").await.body.contains("describe this tag"));
    assert_eq!(asker.get("/tags/export/edit").await.status, 403);
    assert_eq!(
        asker.post("/tags/export/edit", &[("description", "mine")]).await.status,
        403
    );
    let (_, moderator) = app.login_as("mod", "moderator").await;
    let page = moderator.get("/tags/export").await.body;
    assert!(page.contains("describe this tag"));
    moderator.get("/tags/export/edit").await;
    let res = moderator
        .post(
            "/tags/export/edit",
            &[("description", "Getting your data **out**: CSV, JSON and the API.")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(app
        .client()
        .get("/tags/export")
        .await
        .body
        .contains("Getting your data <strong>out</strong>"));
    assert_eq!(
        moderator
            .post("/tags/export/edit", &[("description", &"x".repeat(2001))])
            .await
            .status,
        422
    );
    assert_eq!(
        moderator.post("/tags/nope/edit", &[("description", "x")]).await.status,
        404
    );
    assert!(moderator.get("/admin/audit").await.status == 403);
    let actions: Vec<String> = app
        .db(|c| {
            use peerdesk::db::schema::audit_log;
            audit_log::table
                .filter(audit_log::action.eq("tag.describe"))
                .select(audit_log::action)
                .load(c)
                .unwrap()
        })
        .await;
    assert_eq!(actions.len(), 1);
}

#[actix_web::test]
async fn a_forum_without_categories_gets_general_once() {
    use peerdesk::domain::qa::categories::ensure_one;
    let app = TestApp::spawn().await;
    let (first, again, slugs) = app
        .db(|c| {
            let now = peerdesk::db::now();
            let first = ensure_one(c, now).unwrap();
            let again = ensure_one(c, now).unwrap();
            let slugs: Vec<String> = categories::table.select(categories::slug).load(c).unwrap();
            (first, again, slugs)
        })
        .await;
    assert!(first && !again);
    assert_eq!(slugs, ["general"]);
    let (_, member) = app.login_as("first", "member").await;
    let ask = member.get("/questions/ask").await;
    assert!(
        ask.body.contains(r#"<option value="general">General</option>"#),
        "{}",
        ask.body
    );

    let other = TestApp::spawn().await;
    other.category("billing").await;
    assert!(
        !other.db(|c| ensure_one(c, peerdesk::db::now()).unwrap()).await,
        "an existing one is enough"
    );
}

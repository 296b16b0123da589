//! What stored Markdown looks like on a page: headings below the title, bare URLs as links, and
//! stored HTML made again when the renderer changes.

use diesel::prelude::*;

use crate::common::{question_id, TestApp};
use peerdesk::db::schema::{comments, questions};
use peerdesk::domain::site::rendering::{RENDERER_KEY, RENDERER_VERSION};
use peerdesk::models::setting;

const BODY: &str =
    "# Steps I took\n\nThe log is at https://example.com/logs/42 and <center>old</center> <kbd>F5</kbd> did nothing.";

#[actix_web::test]
async fn posts_keep_the_page_s_one_h1_and_link_bare_urls() {
    let app = TestApp::spawn().await;
    let cat = app.category("network").await;
    let (_, c) = app.login_as("asker", "member").await;
    let path = c.ask("Router log shows nothing useful", BODY, &cat, "router").await;
    let page = c.get(&path).await;
    assert_eq!(page.body.matches("<h1").count(), 1, "{}", page.body);
    assert!(page.body.contains("<h2>Steps I took</h2>"), "{}", page.body);
    assert!(page.body.contains(
        "<a href=\"https://example.com/logs/42\" rel=\"nofollow ugc noopener\">https://example.com/logs/42</a>"
    ));
    assert!(
        page.body.contains("&lt;center&gt;old&lt;/center&gt; <kbd>F5</kbd>"),
        "{}",
        page.body
    );
    let qid = question_id(&path);
    let res = c
        .post(
            &format!("/questions/{qid}/comments"),
            &[("body", "Same here: https://example.org/t")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(c.get(&path).await.body.contains("href=\"https://example.org/t\""));
}

#[actix_web::test]
async fn stored_html_is_made_again_when_the_renderer_changes() {
    let app = TestApp::spawn().await;
    let cat = app.category("network").await;
    let (_, c) = app.login_as("asker", "member").await;
    let path = c.ask("Router log shows nothing useful", BODY, &cat, "router").await;
    let qid = question_id(&path);
    c.post(
        &format!("/questions/{qid}/comments"),
        &[("body", "see https://example.org/t")],
    )
    .await;
    assert!(c.get(&path).await.body.contains("<h2>Steps I took</h2>"));
    // As a forum made by the previous renderer stored them.
    app.db(move |conn| {
        diesel::update(questions::table.find(qid))
            .set((
                questions::body_html.eq("<h1>Steps I took</h1>"),
                questions::body_text.eq(""),
            ))
            .execute(conn)
            .unwrap();
        diesel::update(comments::table.filter(comments::question_id.eq(qid)))
            .set(comments::body_html.eq("see https://example.org/t"))
            .execute(conn)
            .unwrap();
        setting::put(conn, RENDERER_KEY, "1", peerdesk::db::now()).unwrap();
    })
    .await;
    let stale = c.get(&path).await.body;
    assert!(
        stale.contains("<h1>Steps I took</h1>"),
        "the stale rendering is what is stored"
    );
    let search = |q: &'static str| {
        let c = app.client();
        async move { c.get(&format!("/search?q={q}")).await.body }
    };
    assert!(
        search("steps").await.contains("0 questions found"),
        "nothing indexed yet"
    );
    let applied = app.db(|conn| peerdesk::state::upgrade(conn).unwrap()).await;
    assert!(applied.is_empty());
    let page = c.get(&path).await.body;
    assert!(
        page.contains("<h2>Steps I took</h2>") && !page.contains("<h1>Steps"),
        "{page}"
    );
    assert!(page.contains("href=\"https://example.org/t\""), "{page}");
    assert!(
        search("steps").await.contains("1 question found"),
        "the plain text is filled"
    );
    let version = app
        .db(|conn| setting::load_all(conn).unwrap().get(RENDERER_KEY).cloned())
        .await;
    assert_eq!(version.as_deref(), Some(RENDERER_VERSION));
}

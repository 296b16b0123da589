//! `/search` and the similar-questions hint of the ask page.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::db;
use crate::domain::qa::categories;
use crate::domain::qa::search::{self, SearchQuery};
use crate::error::AppResult;
use crate::queries::listing::MAX_PER_PAGE;
use crate::state::AppState;
use crate::views::admin::Pager;
use crate::views::questions::{question_url, Choice, QuestionRow, SearchPage, SearchRow};
use crate::views::{self, PageContext};

const PER_PAGE: i64 = 20;

/// `?q=&category=&tag=&status=&page=`.
#[derive(Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    status: String,
    page: Option<i64>,
}

/// `GET /search`.
pub async fn search(
    state: web::Data<AppState>,
    page: PageContext,
    p: web::Query<SearchParams>,
) -> AppResult<HttpResponse> {
    let p = p.into_inner();
    let page_no = p.page.unwrap_or(1);
    let q = SearchQuery {
        text: p.q.clone(),
        status: p.status.clone(),
        page: page_no,
        per_page: PER_PAGE,
        ..Default::default()
    };
    let (cat_slug, tag_name) = (p.category.clone(), p.tag.clone());
    let (found, cats) = state
        .db
        .run(move |c| {
            Ok((
                search::search_in(c, q, &cat_slug, &tag_name)?,
                categories::open_to(c, None)?,
            ))
        })
        .await?;
    let now = db::now();
    let total = found.total;
    let results = found
        .hits
        .into_iter()
        .map(|h| SearchRow {
            row: QuestionRow::from_summary(h.summary, now),
            snippet: h.snippet,
        })
        .collect();
    let categories = cats
        .into_iter()
        .map(|c| Choice {
            selected: c.slug == p.category,
            value: c.slug,
            label: c.name,
        })
        .collect();
    let statuses = [
        ("", "any"),
        ("unanswered", "unanswered"),
        ("unresolved", "unresolved"),
        ("resolved", "resolved"),
    ]
    .into_iter()
    .map(|(v, l)| Choice {
        selected: v == p.status,
        value: v.into(),
        label: l.into(),
    })
    .collect();
    let base = format!(
        "/search?{}&",
        serde_urlencoded::to_string([
            ("q", p.q.as_str()),
            ("category", p.category.as_str()),
            ("tag", p.tag.as_str()),
            ("status", p.status.as_str())
        ])
        .unwrap_or_default()
    );
    views::ok(&SearchPage {
        page,
        searched: !p.q.trim().is_empty(),
        q: p.q,
        results,
        total,
        more: found.more,
        ranked: search::MAX_RANKED,
        categories,
        statuses,
        tag: p.tag,
        pager: Pager::new(&base, page_no, PER_PAGE.min(MAX_PER_PAGE), total),
    })
}

/// `?title=`.
#[derive(Deserialize)]
pub struct SimilarParams {
    #[serde(default)]
    title: String,
}

/// `GET /questions/similar?title=`: up to five existing questions like the title being typed (JSON).
pub async fn similar(state: web::Data<AppState>, p: web::Query<SimilarParams>) -> AppResult<HttpResponse> {
    let title = p.into_inner().title;
    let found = state.db.run(move |c| search::similar(c, &title, 5)).await?;
    let items: Vec<_> = found
        .iter()
        .map(|s| json!({ "title": s.title, "url": question_url(s.id.0, &s.title), "resolved": s.resolved }))
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({ "questions": items })))
}

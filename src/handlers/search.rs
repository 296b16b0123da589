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
use crate::views::questions::question_url;
use crate::views::search::{SearchPage, SearchTerms};
use crate::views::{self, PageContext};

const PER_PAGE: i64 = 20;

/// `GET /search`.
pub async fn search(
    state: web::Data<AppState>,
    page: PageContext,
    p: web::Query<SearchTerms>,
) -> AppResult<HttpResponse> {
    let t = p.into_inner();
    let q = SearchQuery {
        text: t.q.clone(),
        status: t.status.clone(),
        page: t.page.unwrap_or(1),
        per_page: PER_PAGE,
        ..Default::default()
    };
    let (cat_slug, tag_name) = (t.category.clone(), t.tag.clone());
    let (found, cats) = state
        .db
        .run(move |c| {
            Ok((
                search::search_in(c, q, &cat_slug, &tag_name)?,
                categories::open_to(c, None)?,
            ))
        })
        .await?;
    let per_page = PER_PAGE.min(MAX_PER_PAGE);
    views::ok(&SearchPage::new(page, t, found, cats, per_page, db::now()))
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

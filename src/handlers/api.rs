//! JSON API v1, reads: lists, search, one question, categories, profiles, leaderboards, the caller, and the OpenAPI
//! document. Writes are in `api_write`. Errors are `{"error", "message"}` JSON (see
//! `middleware::error_pages`); authentication is a personal access token or the session + CSRF.

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::people::{board_params, BoardParams, BOARD_SIZE};
use super::questions::looker;
use crate::auth::extract::Credential;
use crate::auth::{CurrentUser, MaybeUser};
use crate::db;
use crate::db::ids::QuestionId;
use crate::domain::access::permissions::Permission;
use crate::domain::access::permissions::Role;
use crate::domain::access::visibility::Viewer;
use crate::domain::kpi::engine::{self, KpiQuery};
use crate::domain::kpi::reports;
use crate::domain::qa::categories;
use crate::domain::qa::search::{self, SearchQuery};
use crate::error::{AppError, AppResult};
use crate::models::badge;
use crate::models::{tag, user};
use crate::queries::listing::{self, ListQuery};
use crate::queries::people;
use crate::queries::thread;
use crate::state::AppState;
use crate::views::api::{
    CategoryJson, Leaderboard, Page, Place, QuestionJson, QuestionSummary, SearchHit, UserJson, UserRef,
};

/// The OpenAPI 3.1 description of this API; a test checks real responses against it.
pub const OPENAPI: &str = include_str!("openapi.json");

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((CACHE_CONTROL, "public, max-age=3600"))
        .body(OPENAPI)
}

/// `?sort=&filter=&category=&tag=&author=&page=&per_page=`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    sort: Option<String>,
    filter: Option<String>,
    category: Option<String>,
    tag: Option<String>,
    author: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// `GET /api/v1/questions`. An unknown or private category, tag or author is 404.
pub async fn list(state: web::Data<AppState>, p: web::Query<ListParams>) -> AppResult<HttpResponse> {
    let p = p.into_inner();
    let mut query = ListQuery::parse(p.sort.as_deref(), p.filter.as_deref(), p.page, p.per_page)?;
    let (page, per_page) = (query.page, query.per_page);
    let (rows, total) = state
        .db
        .run(move |c| {
            if let Some(slug) = p.category.as_deref().filter(|s| !s.is_empty()) {
                let cat = categories::find_open(c, None, slug)?;
                query.category = Some(cat.ok_or(AppError::NotFound)?.id);
            }
            if let Some(name) = p.tag.as_deref().filter(|s| !s.is_empty()) {
                let t = tag::find_by_name(c, &name.to_lowercase())?.filter(|t| t.question_count > 0);
                query.tag = Some(t.ok_or(AppError::NotFound)?.id);
            }
            if let Some(name) = p.author.as_deref().filter(|s| !s.is_empty()) {
                query.author = Some(user::find_by_username(c, name)?.ok_or(AppError::NotFound)?.id);
            }
            listing::list(c, &query)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(QuestionSummary::from).collect(),
        page,
        per_page,
        total: total.count,
        more: total.more,
    }))
}

/// `?q=&category=&tag=&status=&page=&per_page=`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
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
    per_page: Option<i64>,
}

/// `GET /api/v1/search`: ranked full-text results with highlighted snippets.
pub async fn search(state: web::Data<AppState>, p: web::Query<SearchParams>) -> AppResult<HttpResponse> {
    let p = p.into_inner();
    let q = SearchQuery {
        text: p.q,
        status: p.status,
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(20),
        ..Default::default()
    };
    let (page, per_page) = (q.page, q.per_page);
    let found = state
        .db
        .run(move |c| search::search_in(c, q, &p.category, &p.tag))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: found.hits.into_iter().map(SearchHit::from).collect(),
        page,
        per_page,
        total: found.total,
        more: found.more,
    }))
}

/// A thread as `viewer` sees it, with their votes when signed in.
pub async fn thread_json(state: &AppState, id: QuestionId, viewer: Option<Viewer>) -> AppResult<QuestionJson> {
    state
        .db
        .run(move |c| {
            let t = thread::load(c, id, viewer)?;
            let mine = match viewer {
                Some(v) => Some(thread::mine(c, v.id, t.question.id)?),
                None => None,
            };
            Ok(QuestionJson::new(t, mine))
        })
        .await
}

/// `GET /api/v1/questions/{id}`: the question with its answers and comments.
pub async fn show(state: web::Data<AppState>, viewer: MaybeUser, id: web::Path<QuestionId>) -> AppResult<HttpResponse> {
    let q = thread_json(&state, id.into_inner(), looker(&viewer)).await?;
    Ok(HttpResponse::Ok().json(q))
}

/// `GET /api/v1/categories`: the public categories in their order.
pub async fn categories(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let cats = state.db.run(|c| categories::open_to(c, None)).await?;
    let items: Vec<CategoryJson> = cats.into_iter().map(CategoryJson::from).collect();
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}

/// `GET /api/v1/users/{username}`: a public profile with reputation and badges.
pub async fn user(state: web::Data<AppState>, name: web::Path<String>) -> AppResult<HttpResponse> {
    let name = name.into_inner();
    let t = state.thresholds();
    let profile = state
        .db
        .run(move |c| {
            let u = people::member(c, &name)?;
            let (counts, held) = (people::badge_counts(c, u.id)?, badge::of_user(c, u.id)?);
            Ok(UserJson::of(u, held, counts, &t))
        })
        .await?;
    Ok(HttpResponse::Ok().json(profile))
}

/// `GET /api/v1/leaderboard?period=week|month|all&by=reputation|accepted`.
pub async fn leaderboard(state: web::Data<AppState>, p: web::Query<BoardParams>) -> AppResult<HttpResponse> {
    let (period, measure) = board_params(&p)?;
    let rows = state
        .db
        .run(move |c| people::leaderboard(c, period, measure, db::now(), BOARD_SIZE))
        .await?;
    Ok(HttpResponse::Ok().json(Leaderboard {
        period: period.as_str(),
        by: measure.as_str(),
        items: rows
            .into_iter()
            .enumerate()
            .map(|(i, (u, value))| Place {
                rank: i + 1,
                user: UserRef {
                    display_name: u.shown_name().to_owned(),
                    username: u.username,
                },
                value,
            })
            .collect(),
    }))
}

/// `?from=&to=&category=&group=`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiParams {
    from: Option<String>,
    to: Option<String>,
    category: Option<String>,
    group: Option<String>,
}

/// `GET /api/v1/kpis` (`view_kpis`): the KPI object of DESIGN §7.
pub async fn kpis(state: web::Data<AppState>, user: CurrentUser, p: web::Query<KpiParams>) -> AppResult<HttpResponse> {
    user.require(Permission::ViewKpis)?;
    let p = p.into_inner();
    let need = |v: Option<String>, what: &str| {
        v.ok_or_else(|| AppError::BadRequest(format!("{what} is required (YYYY-MM-DD).")))
    };
    let q = KpiQuery {
        from: reports::parse_day("from", &need(p.from, "from")?)?,
        to: reports::parse_day("to", &need(p.to, "to")?)?,
        category: p.category.filter(|s| !s.is_empty()),
        group: p.group.filter(|s| !s.is_empty()),
    };
    let support = state.site().support.clone();
    let k = state
        .db
        .run(move |c| engine::compute(c, &q, &support, db::now()))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "private, no-store"))
        .json(k))
}

/// `GET /api/v1/me`: who the credentials belong to and what they may do.
pub async fn me(user: CurrentUser) -> HttpResponse {
    let u = user.user();
    let (via, scope) = match &user.0.via {
        Credential::Session(_) => ("session", "write"),
        Credential::Token { scope, .. } => ("token", scope.as_str()),
    };
    HttpResponse::Ok().json(json!({
        "username": u.username,
        "display_name": u.shown_name(),
        "role": Role::of(u).as_str(),
        "permissions": user.0.permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "authenticated_by": via,
        "scope": scope,
    }))
}

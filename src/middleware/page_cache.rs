//! Serves anonymous visitors' pages from `cache::pages`.
//!
//! A page is looked up, or rendered and kept, only for a GET with none of our cookies and no
//! token, on the public reading pages. The content generation is read before the handler runs:
//! a write that commits while the page renders bumps the generation after it, so a page that may
//! predate the write is never kept under the new number. Writes count themselves: every
//! `db::backend::write_transaction` bumps the generation when it commits, before the response
//! leaves, so the writer's next page (and every visitor's, on every instance) already shows the
//! change — whether the write came from a page, the API, the command line or an import.

use actix_web::body::{to_bytes, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use crate::auth::csrf;
use crate::cache::pages::{CountsAsView, Lookup, Page, PageCache};
use crate::cache::renders::{Claim, Ended};
use crate::middleware::session::cookie_name;
use crate::models::content_generation;
use crate::state::AppState;
use crate::views::flash;

/// Longest address kept (longer ones are served, not stored).
const MAX_KEY: usize = 1024;
/// How long a request waits for another's render of the same page before rendering it too, and
/// how many renders it waits for (each may end without a page to serve: an error, a 404).
const WAIT_FOR_RENDER: std::time::Duration = std::time::Duration::from_secs(5);
const MAX_WAITS: usize = 3;

/// The middleware function (see `routes::build_app`).
pub async fn page_cache(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    state.follow_settings().await;
    if csrf::is_unsafe(req.method()) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let Some((cache, key)) = cache_key(&req, &state) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let generation = match state.db.run(|c| Ok(content_generation::current(c)?)).await {
        Ok(g) => g,
        Err(_) => return Ok(next.call(req).await?.map_into_left_body()),
    };
    // Served from memory, or rendered by this request (holding the claim), or, if the one
    // rendering it takes too long, rendered here too.
    let mut claim = None;
    for _ in 0..MAX_WAITS {
        let stale = match cache.lookup(&key, generation) {
            Lookup::Fresh(page) => return Ok(serve(req, &state, &page)),
            Lookup::Stale(page) => Some(page),
            Lookup::Missing => None,
        };
        match (cache.claim(&key, generation), stale) {
            (Claim::Mine(c), _) => {
                claim = Some(c);
                break;
            }
            (Claim::Theirs(_), Some(page)) => return Ok(serve(req, &state, &page)),
            (Claim::Theirs(finished), None) => {
                if let Ok(Ended::NoPage) = tokio::time::timeout(WAIT_FOR_RENDER, finished.wait()).await {
                    break;
                }
            }
        }
    }
    let res = next.call(req).await?;
    if !storable(&res) {
        if let Some(claim) = claim {
            claim.no_page();
        }
        return Ok(res.map_into_left_body());
    }
    let view_of = res.response().extensions().get::<CountsAsView>().map(|v| v.0);
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let body = match to_bytes(body).await {
        Ok(b) => b,
        Err(_) => {
            let failed = HttpResponse::InternalServerError().finish();
            return Ok(ServiceResponse::new(req, failed).map_into_right_body());
        }
    };
    cache.put(
        key,
        generation,
        Page {
            status: head.status(),
            headers: head.headers().clone(),
            body: body.clone(),
            view_of,
        },
    );
    drop(claim);
    let res = head.set_body(BoxBody::new(body));
    Ok(ServiceResponse::new(req, res).map_into_right_body())
}

/// A stored page as this request's response; a question page still counts as a view.
fn serve<B>(req: ServiceRequest, state: &AppState, page: &Page) -> ServiceResponse<EitherBody<B, BoxBody>> {
    if let Some(question) = page.view_of {
        count_view(&req, state, question);
    }
    let mut res = HttpResponse::build(page.status).body(page.body.clone());
    for (name, value) in page.headers.iter() {
        res.headers_mut().append(name.clone(), value.clone());
    }
    req.into_response(res).map_into_right_body()
}

/// The cache and the address to keep the page under, if this request may be served from memory.
/// Search results have their own share, so that one-off searches never push out the pages.
fn cache_key<'a>(req: &ServiceRequest, state: &'a AppState) -> Option<(&'a PageCache, String)> {
    let cache = match req.path() {
        "/search" => &state.search_pages,
        path if public_page(path) => &state.pages,
        _ => return None,
    };
    if !cache.enabled() || req.method() != actix_web::http::Method::GET {
        return None;
    }
    let ours = [cookie_name(&state.config), flash::COOKIE];
    if req.headers().contains_key(AUTHORIZATION) || ours.iter().any(|name| req.cookie(name).is_some()) {
        return None;
    }
    let key = match req.query_string() {
        "" => req.path().to_owned(),
        q => format!("{}?{q}", req.path()),
    };
    (key.len() <= MAX_KEY).then_some((cache, key))
}

/// The reading pages every visitor sees alike (search results aside: see `cache_key`).
pub fn public_page(path: &str) -> bool {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] | ["questions"] | ["tags"] | ["users"] | ["leaderboard"] | ["badges"] | ["privileges"] => true,
        ["questions", id, slug] => {
            id.bytes().all(|b| b.is_ascii_digit()) && !matches!(*slug, "edit" | "revisions" | "")
        }
        ["tags", name] | ["categories", name] | ["users", name] | ["badges", name] => !name.is_empty(),
        _ => false,
    }
}

/// Only whole, public, successful HTML pages are kept.
fn storable(res: &ServiceResponse<impl MessageBody>) -> bool {
    let headers = res.headers();
    res.status() == StatusCode::OK
        && res.response().error().is_none()
        && !headers.contains_key(SET_COOKIE)
        && !headers
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store") || v.contains("private"))
        && headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
}

/// A question page served from memory still counts as a view, as a rendered one does.
fn count_view(req: &ServiceRequest, state: &AppState, question: crate::db::ids::QuestionId) {
    let visitor = crate::web::visitor(req.request(), &state.config, None);
    state.views.record(question, visitor);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_public_reading_pages_are_kept() {
        for p in [
            "/",
            "/questions",
            "/questions/12/how-to-reset",
            "/tags/billing",
            "/categories/setup",
            "/users/ada",
            "/badges/teacher",
            "/leaderboard",
        ] {
            assert!(public_page(p), "{p}");
        }
        for p in [
            "/search",
            "/questions/ask",
            "/questions/12",
            "/questions/12/edit",
            "/questions/12/revisions",
            "/questions/x/slug",
            "/tags/billing/edit",
            "/users/ada/avatar",
            "/admin/users",
            "/staff/kpis",
            "/settings",
            "/api/v1/questions",
            "/questions/similar",
        ] {
            assert!(!public_page(p), "{p}");
        }
    }
}

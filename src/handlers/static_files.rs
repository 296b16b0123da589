//! Embedded assets under fingerprinted URLs, and the brand stylesheet.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{web, HttpResponse};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

const FOREVER: &str = "public, max-age=31536000, immutable";

/// `GET /assets/{hash}/{path}`.
pub async fn asset(state: web::Data<AppState>, path: web::Path<(String, String)>) -> AppResult<HttpResponse> {
    let (hash, file) = path.into_inner();
    let asset = state.assets.get(&hash, &file).ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, asset.content_type))
        .insert_header((CACHE_CONTROL, FOREVER))
        .body(asset.bytes))
}

/// `GET /brand.css?v=`: the brand colours (the `v` parameter changes when they do).
pub async fn brand_css(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "public, max-age=86400"))
        .body(state.brand().css())
}

//! Page rendering: `PageContext` (brand, user, CSRF token, flash, asset URLs) embedded in every
//! page template, the template structs per area, and the response helpers.

pub mod account;
pub mod admin;
pub mod api;
pub mod badges;
pub mod charts;
pub mod flash;
pub mod kpis;
pub mod pages;
pub mod people;
pub mod profile;
pub mod questions;
pub mod reputation;
pub mod revisions;
pub mod search;
pub mod support;
pub mod thread;

use std::sync::Arc;

use actix_web::http::header::{CACHE_CONTROL, LOCATION};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;

use crate::auth::extract::authenticated;
use crate::domain::access::permissions::Permission;
use crate::domain::site::branding::Brand;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use flash::Flash;

/// The signed-in user as the layout shows them.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub username: String,
    pub name: String,
    pub email_verified: bool,
    pub can_admin_users: bool,
    pub can_view_audit: bool,
    pub can_manage_settings: bool,
    pub can_view_kpis: bool,
    pub reputation: i64,
    pub unread: i64,
}

/// What the base layout needs on every page.
pub struct PageContext {
    pub brand: Arc<Brand>,
    pub viewer: Option<Viewer>,
    /// Empty for anonymous visitors (their forms rely on the Origin check).
    pub csrf_token: String,
    pub flash: Option<Flash>,
    pub css_url: String,
    pub js_url: String,
    pub logo_url: String,
    pub brand_css_url: String,
    /// Seconds of inactivity after which the script returns the page to the login screen (0: off).
    pub idle_seconds: i64,
    pub path: String,
}

impl PageContext {
    /// Builds the context for this request.
    pub fn new(req: &HttpRequest) -> Self {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let auth = authenticated(req);
        let site = state.as_ref().map(|s| s.site()).unwrap_or_default();
        let brand = site.brand.clone();
        let flash = state.as_ref().and_then(|s| flash::read(req, &s.cookie_key));
        let (css_url, js_url, logo_url) = match &state {
            Some(s) => (
                s.assets.url("css/app.css"),
                s.assets.url("js/app.js"),
                s.assets.url("img/logo.svg"),
            ),
            None => Default::default(),
        };
        let brand_css_url = format!("/brand.css?v={}", site.brand_css_version);
        let idle_seconds = match (&auth, &state) {
            (Some(_), Some(s)) => s.config.session_idle_seconds,
            _ => 0,
        };
        let viewer = auth.as_ref().map(|a| Viewer {
            username: a.user.username.clone(),
            name: a.user.shown_name().to_owned(),
            email_verified: a.user.email_verified_at.is_some(),
            can_admin_users: a.permissions.contains(Permission::ManageUsers)
                || a.permissions.contains(Permission::SuspendUsers),
            can_view_audit: a.permissions.contains(Permission::ViewAuditLog),
            can_manage_settings: a.permissions.contains(Permission::ManageSettings),
            can_view_kpis: a.permissions.contains(Permission::ViewKpis),
            reputation: a.user.reputation,
            unread: a.unread,
        });
        PageContext {
            brand,
            viewer,
            csrf_token: auth.map(|a| a.csrf_token().to_owned()).unwrap_or_default(),
            flash,
            css_url,
            js_url,
            logo_url,
            brand_css_url,
            idle_seconds,
            path: req.path().to_owned(),
        }
    }
}

impl actix_web::FromRequest for PageContext {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(PageContext::new(req)))
    }
}

/// Renders a template as an HTML response with `status`. Pages for signed-in users are private.
pub fn render(status: StatusCode, page: &impl Template) -> AppResult<HttpResponse> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// 200 OK page.
pub fn ok(page: &impl Template) -> AppResult<HttpResponse> {
    render(StatusCode::OK, page)
}

/// A form shown again with its errors.
pub fn invalid(page: &impl Template) -> AppResult<HttpResponse> {
    render(StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// 303 See Other to `location`.
pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish()
}

/// 303 to `location` with a message shown on the next page.
pub fn redirect_with(state: &AppState, location: &str, message: Flash) -> AppResult<HttpResponse> {
    let mut res = redirect(location);
    res.add_cookie(&flash::cookie(&state.cookie_key, &message))
        .map_err(|e| AppError::caused("setting a cookie", e))?;
    Ok(res)
}

/// Only local paths are followed after login, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// How times are shown (UTC until the site time zone setting exists).
pub fn fmt_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_local() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}

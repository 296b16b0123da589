//! Resolves the session cookie once per request, enforces CSRF on state-changing requests, and
//! tidies cookies on the way out (a dead session's cookie, a flash message once shown).
//! Anonymous requests touch no storage: no cookie, no lookup.

use std::rc::Rc;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};

use crate::auth::extract::{authenticated, Authenticated, Credential};
use crate::auth::session::Rejected;
use crate::auth::{csrf, tokens};
use crate::config::Config;
use crate::db;
use crate::domain::access::permissions::{self, Role};
use crate::domain::access::permissions::{with_reputation, Permission, PermissionSet};
use crate::domain::access::privileges::comments_anywhere;
use crate::domain::members::api_tokens::{self, Grant, Scope};
use crate::error::AppError;
use crate::models::notification;
use crate::models::user::{self, User};
use crate::state::AppState;
use crate::views::flash::{self, Flash};

/// `__Host-` binds the cookie to this exact origin over HTTPS (no Domain, Path=/, Secure).
pub fn cookie_name(config: &Config) -> &'static str {
    if config.behind_https_proxy {
        "__Host-peerdesk_session"
    } else {
        "peerdesk_session"
    }
}

/// The session cookie: persistent for "remember me", else a browser-session cookie.
pub fn session_cookie(config: &Config, secret: String, remember: bool) -> Cookie<'static> {
    let mut c = Cookie::build(cookie_name(config), secret)
        .path("/")
        .http_only(true)
        .secure(config.behind_https_proxy)
        .same_site(SameSite::Lax)
        .finish();
    if remember {
        c.set_max_age(time::Duration::days(config.session_remember_days));
    }
    c
}

/// A cookie that deletes the session cookie.
pub fn removal_cookie(config: &Config) -> Cookie<'static> {
    let mut c = session_cookie(config, String::new(), false);
    c.make_removal();
    c
}

/// What the session layer found before the handler ran.
struct Found {
    clear_session: bool,
    timed_out: bool,
}

/// The middleware function (see `routes::build_app`). It never returns `Err`: failures become
/// error responses here, so that the error-page layer around it sees them with their request.
pub async fn session_layer(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(req
            .error_response(AppError::internal("application state missing"))
            .map_into_right_body());
    };
    let found = match resolve_and_guard(&mut req, &state).await {
        Ok(found) => found,
        Err(e) => return Ok(req.error_response(e).map_into_right_body()),
    };
    let config = &state.config;
    let had_flash = req.cookie(flash::COOKIE).is_some();
    // The idle logout is explained on the very page that follows it (the login screen the page's
    // own timer opens), or, when the request ends in a redirect or an error, on the page after.
    let timeout_note = found.timed_out.then(|| {
        let idle = match config.session_idle_seconds {
            s if s < 60 => format!("{s} seconds"),
            s => crate::domain::kpi::stats::duration_words(s as f64 / 60.0),
        };
        Flash::info(format!("You were logged out after {idle} without activity."))
    });
    if let Some(note) = &timeout_note {
        req.extensions_mut().insert(note.clone());
    }
    let signed_in = authenticated(req.request()).is_some();
    let mut res = next.call(req).await?;
    // Pages for a signed-in user carry their CSRF token and private data: never cache or share them.
    if signed_in && !res.headers().contains_key(CACHE_CONTROL) {
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    let sets_flash = res.response().cookies().any(|c| c.name() == flash::COOKIE);
    if found.clear_session {
        res.response_mut().add_cookie(&removal_cookie(config))?;
        if let Some(note) = timeout_note.filter(|_| !sets_flash && !res.status().is_success()) {
            res.response_mut()
                .add_cookie(&flash::cookie(&state.cookie_key, &note))?;
        }
    } else if had_flash && !sets_flash && !res.status().is_redirection() {
        res.response_mut().add_cookie(&flash::removal())?;
    }
    Ok(res.map_into_left_body())
}

/// Resolves the session into the request extensions, then applies the CSRF rules.
async fn resolve_and_guard(req: &mut ServiceRequest, state: &AppState) -> Result<Found, AppError> {
    // A NUL character is never meaningful input, and PostgreSQL refuses it in text: say so clearly
    // instead of failing deep inside a query.
    if req.path().contains("%00") {
        return Err(AppError::BadRequest("The address contains a NUL character.".into()));
    }
    // In query parameters (search words, filters) a NUL is dropped, like any other non-word.
    if req.query_string().contains("%00") {
        let uri = format!("{}?{}", req.path(), req.query_string().replace("%00", ""));
        req.head_mut().uri = uri
            .parse()
            .map_err(|_| AppError::BadRequest("The address is malformed.".into()))?;
    }
    let form = buffered_form(req).await?;
    if form
        .as_ref()
        .is_some_and(|b| b.windows(3).any(|w| w == b"%00") || b.contains(&0))
    {
        return Err(AppError::BadRequest("The form contains a NUL character.".into()));
    }
    let mut found = Found {
        clear_session: false,
        timed_out: false,
    };
    // The API also takes personal access tokens. A token is not sent by the browser on its own,
    // so it needs no CSRF defence; a read-only token may not change anything.
    if req.path().starts_with("/api/") {
        if let Some(header) = req.headers().get(AUTHORIZATION) {
            let grant = resolve_token(state, header.to_str().unwrap_or_default()).await?;
            if csrf::is_unsafe(req.method()) && grant.scope != Scope::Write {
                return Err(AppError::InsufficientScope);
            }
            let id = grant.user.id;
            let overrides = state.db.run(move |c| Ok(permissions::overrides(c, id)?)).await?;
            let (permissions, comment_anywhere) = privileges_of(state, &grant.user, &overrides);
            req.extensions_mut().insert(Rc::new(Authenticated {
                user: grant.user,
                permissions,
                comment_anywhere,
                unread: 0,
                via: Credential::Token {
                    id: grant.token_id,
                    scope: grant.scope,
                },
            }));
            return Ok(found);
        }
    }
    if let Some(secret) = req.cookie(cookie_name(&state.config)).map(|c| c.value().to_owned()) {
        let member = |c: &mut db::DbConn, id| {
            Ok((
                user::find(c, id)?,
                permissions::overrides(c, id)?,
                notification::unread_count(c, id)?,
            ))
        };
        match state.sessions.resolve_with(&secret, member).await? {
            Ok((session, (user, overrides, unread))) => {
                let (permissions, comment_anywhere) = privileges_of(state, &user, &overrides);
                state.visits.record(user.id, db::now());
                req.extensions_mut().insert(Rc::new(Authenticated {
                    user,
                    permissions,
                    comment_anywhere,
                    unread,
                    via: Credential::Session(session),
                }));
            }
            Err(why) => {
                found.clear_session = true;
                found.timed_out = why == Rejected::Idle;
            }
        }
    }
    if csrf::is_unsafe(req.method()) {
        let host = req.connection_info().host().to_owned();
        if !csrf::same_origin(req.headers(), &host, &state.config.base_url) {
            return Err(AppError::CsrfRejected);
        }
        if let Some(session) = authenticated(req.request()).as_ref().and_then(|a| a.session()) {
            let presented = presented_token(req, form.as_deref());
            if !presented.is_some_and(|t| tokens::constant_time_eq(&t, &session.csrf_token)) {
                return Err(AppError::CsrfRejected);
            }
        }
    }
    Ok(found)
}

/// The grant of an `Authorization: Bearer <token>` header, or `InvalidToken`.
async fn resolve_token(state: &AppState, header: &str) -> Result<Grant, AppError> {
    let secret = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .ok_or(AppError::InvalidToken)?
        .to_owned();
    state
        .db
        .run(move |c| api_tokens::resolve(c, &secret, db::now()))
        .await?
        .ok_or(AppError::InvalidToken)
}

/// A user's permissions (role, single grants and withdrawals, reputation) and whether they may
/// comment anywhere, by the site's current thresholds.
fn privileges_of(state: &AppState, u: &User, overrides: &[(Permission, bool)]) -> (PermissionSet, bool) {
    let t = state.thresholds();
    let permissions = with_reputation(Role::of(u), overrides, u.reputation, &t);
    (permissions, comments_anywhere(permissions, u.reputation, &t))
}

/// The body of an urlencoded form, read and put back for the handler (`None` for other requests).
async fn buffered_form(req: &mut ServiceRequest) -> Result<Option<web::Bytes>, AppError> {
    let is_form = csrf::is_unsafe(req.method())
        && req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(None);
    }
    let body = req
        .extract::<web::Bytes>()
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;
    req.set_payload(actix_web::dev::Payload::from(body.clone()));
    Ok(Some(body))
}

/// The CSRF token the request carries: header, query, or urlencoded form field.
fn presented_token(req: &ServiceRequest, form: Option<&[u8]>) -> Option<String> {
    if let Some(v) = req.headers().get(csrf::HEADER).and_then(|v| v.to_str().ok()) {
        return Some(v.to_owned());
    }
    if let Some(t) = csrf::token_in_query(req.query_string()) {
        return Some(t);
    }
    form.and_then(csrf::token_in_form)
}

//! Turns every error response into a branded HTML page or a JSON body (for `/api/` and clients that
//! ask for JSON), and "log in first" into a redirect for browsers. Errors raised by actix itself
//! (unknown route, bad form body) get the same treatment by status.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER, SET_COOKIE, WWW_AUTHENTICATE};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::error::AppError;
use crate::views::pages::ErrorPage;
use crate::views::{redirect, PageContext};

/// Whether this request wants JSON rather than a page.
pub fn wants_json(req: &HttpRequest) -> bool {
    req.path().starts_with("/api/")
        || req
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

/// The middleware function (see `routes::build_app`).
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, actix_web::Error> {
    // Never hold a clone of the request across `next.call`: routing needs it unshared.
    let res = next.call(req).await?;
    let status = res.status();
    // Pages a handler rendered on purpose (a form shown again with 422, the login page with 401)
    // carry their own content type and no error: leave them alone.
    let deliberate = res.response().error().is_none() && res.headers().contains_key(CONTENT_TYPE);
    if !(status.is_client_error() || status.is_server_error()) || deliberate {
        return Ok(res.map_into_left_body());
    }
    let error = match res.response().error() {
        Some(err) => err
            .as_error::<AppError>()
            .map(describe)
            .unwrap_or_else(|| describe_status(status)),
        None => describe_status(status),
    };
    let mut fresh = render(res.request(), status, error);
    // Keep what inner layers set on the way out: Retry-After, the token challenge, and cookies
    // (a dead session's removal).
    for name in [RETRY_AFTER, WWW_AUTHENTICATE, SET_COOKIE] {
        for value in res.headers().get_all(&name) {
            fresh.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(res.into_response(fresh).map_into_right_body())
}

struct Described {
    code: &'static str,
    title: String,
    message: String,
    login_required: bool,
    /// Per-field messages of an `Invalid` request.
    fields: Vec<(&'static str, String)>,
}

fn describe(e: &AppError) -> Described {
    Described {
        code: e.code(),
        title: e.title().into(),
        message: e.public_message(),
        login_required: matches!(e, AppError::LoginRequired),
        fields: match e {
            AppError::Invalid(errors) => errors.iter().map(|(f, m)| (f, m.to_owned())).collect(),
            _ => Vec::new(),
        },
    }
}

fn describe_status(status: StatusCode) -> Described {
    let e = match status.as_u16() {
        401 => AppError::LoginRequired,
        403 => AppError::Forbidden,
        404 | 405 => AppError::NotFound,
        413 => AppError::PayloadTooLarge,
        429 => AppError::TooManyRequests { retry_after_secs: 60 },
        400..=499 => AppError::BadRequest("The request could not be understood. Check the form and try again.".into()),
        503 => AppError::Unavailable(String::new()),
        _ => AppError::internal(""),
    };
    describe(&e)
}

fn render(req: &HttpRequest, status: StatusCode, e: Described) -> HttpResponse {
    if wants_json(req) {
        let mut body = serde_json::json!({ "error": e.code, "message": e.message });
        if !e.fields.is_empty() {
            body["fields"] = e
                .fields
                .into_iter()
                .map(|(f, m)| (f, serde_json::Value::String(m)))
                .collect();
        }
        return HttpResponse::build(status)
            .insert_header((CACHE_CONTROL, "no-store"))
            .json(body);
    }
    if e.login_required {
        let next = match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        };
        let target = format!(
            "/login?next={}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        );
        return redirect(&target);
    }
    let page = ErrorPage {
        page: PageContext::new(req),
        status: status.as_u16(),
        title: e.title,
        message: e.message,
    };
    match askama::Template::render(&page) {
        Ok(html) => HttpResponse::build(status)
            .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((CACHE_CONTROL, "no-store"))
            .body(html),
        Err(err) => AppError::internal(format!("error page: {err}")).error_response(),
    }
}

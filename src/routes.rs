//! The one route table: every path and method, the extractor limits, and the middleware order.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, UrlencodedError};
use actix_web::middleware::{from_fn, Logger};
use actix_web::{web, App};

use crate::error::AppError;
use crate::handlers::{
    accounts, admin_categories, admin_users, api, api_tokens, api_write, audit, badges, brand_settings, editing,
    health, kpi_dashboard, people, privileges, profile_settings, questions, search, settings, static_files,
    support_settings, surveys, tags, votes,
};
use crate::middleware::{
    error_pages::error_pages, headers::security_headers, page_cache::page_cache, session::session_layer,
};
use crate::state::AppState;

mod visibility;
pub use visibility::{Shows, ROUTE_VISIBILITY};

/// Largest form or JSON body accepted. A 30,000-character post in a script that takes four bytes
/// a character is 120 KB as UTF-8 and 360 KB percent-encoded, so the limit sits above that.
pub const FORM_LIMIT: usize = 512 * 1024;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(questions::home))
        // The most requested page first: actix tries each pattern with parameters in order, by a
        // regex (callgrind: 7 % of a question page's instructions when it came ninth). Its edit and
        // revisions pages come just before it, as it would take "edit" or "revisions" for a slug.
        .service(
            web::resource("/questions/{id}/edit")
                .get(editing::edit_question_form)
                .post(editing::edit_question),
        )
        .route("/questions/{id}/revisions", web::get().to(editing::question_history))
        .route("/questions/{id}/{slug}", web::get().to(questions::show))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/assets/{hash}/{path:.*}", web::get().to(static_files::asset))
        .route("/brand.css", web::get().to(static_files::brand_css))
        .service(
            web::resource("/signup")
                .get(accounts::signup_form)
                .post(accounts::signup),
        )
        .service(web::resource("/login").get(accounts::login_form).post(accounts::login))
        .service(web::resource("/logout").post(accounts::logout))
        .route("/verify-email", web::get().to(accounts::verify_email))
        .service(
            web::resource("/forgot-password")
                .get(accounts::forgot_form)
                .post(accounts::forgot),
        )
        .service(
            web::resource("/reset-password")
                .get(accounts::reset_form)
                .post(accounts::reset),
        )
        .route("/settings", web::get().to(settings::show))
        .service(web::resource("/settings/password").post(settings::change_password))
        .service(web::resource("/settings/email").post(settings::change_email))
        .route("/settings/email/confirm", web::get().to(settings::confirm_email))
        .service(web::resource("/settings/email/resend-verification").post(accounts::resend_verification))
        .service(web::resource("/settings/logout-everywhere").post(settings::logout_everywhere))
        .route("/session/keepalive", web::get().to(settings::keepalive))
        .route("/admin/users", web::get().to(admin_users::list))
        .route("/admin/users/{id}", web::get().to(admin_users::show))
        .service(web::resource("/admin/users/{id}/role").post(admin_users::change_role))
        .service(web::resource("/admin/users/{id}/permissions").post(admin_users::set_permission))
        .service(web::resource("/admin/users/{id}/suspend").post(admin_users::suspend))
        .service(web::resource("/admin/users/{id}/unsuspend").post(admin_users::unsuspend))
        .route("/questions", web::get().to(questions::list))
        // Before `/questions/{id}`, which would otherwise take "ask" for an id.
        .service(
            web::resource("/questions/ask")
                .get(questions::ask_form)
                .post(questions::ask),
        )
        .route("/questions/similar", web::get().to(search::similar))
        .route("/search", web::get().to(search::search))
        .route("/questions/{id}", web::get().to(questions::by_id))
        .service(web::resource("/questions/{id}/answers").post(questions::answer))
        .service(web::resource("/questions/{id}/comments").post(questions::comment))
        .service(web::resource("/questions/{id}/survey").post(surveys::survey))
        .service(web::resource("/questions/{id}/state").post(editing::change_state))
        .service(
            web::resource("/answers/{id}/edit")
                .get(editing::edit_answer_form)
                .post(editing::edit_answer),
        )
        .route("/answers/{id}/revisions", web::get().to(editing::answer_history))
        .service(web::resource("/answers/{id}/delete").post(editing::answer_deleted))
        .service(web::resource("/answers/{id}/undelete").post(editing::answer_deleted))
        .service(web::resource("/answers/{id}/remove-spam").post(editing::answer_deleted))
        .service(web::resource("/questions/{id}/vote").post(votes::vote_question))
        .service(web::resource("/questions/{id}/unaccept").post(votes::unaccept))
        .service(web::resource("/questions/{id}/follow").post(votes::follow))
        .service(web::resource("/questions/{id}/unfollow").post(votes::follow))
        .service(web::resource("/answers/{id}/vote").post(votes::vote_answer))
        .service(web::resource("/answers/{id}/accept").post(votes::accept))
        .service(web::resource("/markdown/preview").post(questions::preview))
        .route("/tags", web::get().to(tags::index))
        .route("/tags/{name}", web::get().to(questions::tag_page))
        .service(web::resource("/tags/{name}/edit").get(tags::edit_form).post(tags::edit))
        .route("/categories/{slug}", web::get().to(questions::category_page))
        .service(
            web::resource("/admin/categories")
                .get(admin_categories::list)
                .post(admin_categories::create),
        )
        .service(web::resource("/admin/categories/{id}").post(admin_categories::update))
        .route("/privileges", web::get().to(privileges::show))
        .route("/users", web::get().to(people::directory))
        .route("/users/{username}", web::get().to(people::profile))
        .route("/users/{username}/avatar", web::get().to(people::avatar))
        .service(web::resource("/users/{username}/contributor").post(people::set_contributor))
        .route("/leaderboard", web::get().to(people::leaderboard))
        .service(
            web::resource("/settings/profile")
                .get(profile_settings::show)
                .post(profile_settings::save),
        )
        .service(web::resource("/settings/profile/avatar").post(profile_settings::upload_avatar))
        .service(web::resource("/settings/profile/avatar/remove").post(profile_settings::remove_avatar))
        .service(web::resource("/badges").get(badges::index).post(badges::create))
        .route("/badges/{slug}", web::get().to(badges::show))
        .service(web::resource("/badges/{slug}/awards").post(badges::grant))
        .service(web::resource("/badges/{slug}/awards/{id}/revoke").post(badges::revoke))
        .route("/notifications", web::get().to(badges::notifications))
        .service(web::resource("/notifications/read").post(badges::mark_read))
        .service(
            web::resource("/admin/reputation")
                .get(privileges::thresholds_form)
                .post(privileges::save_thresholds),
        )
        .service(
            web::resource("/admin/support")
                .get(support_settings::show)
                .post(support_settings::save),
        )
        .service(web::resource("/admin/digest").post(support_settings::save_recipients))
        .service(
            web::resource("/admin/brand")
                .get(brand_settings::show)
                .post(brand_settings::save),
        )
        .route("/staff/kpis", web::get().to(kpi_dashboard::dashboard))
        .route("/staff/kpis.csv", web::get().to(kpi_dashboard::export))
        .route("/admin/audit", web::get().to(audit::list))
        .route("/admin/audit.csv", web::get().to(audit::export))
        .service(
            web::resource("/settings/tokens")
                .get(api_tokens::list)
                .post(api_tokens::create),
        )
        .service(web::resource("/settings/tokens/{id}/revoke").post(api_tokens::revoke))
        .service(web::scope("/api/v1").configure(api_routes));
}

/// The JSON API; `/api/v1/openapi.json` describes each of these.
fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(api::openapi))
        .route("/me", web::get().to(api::me))
        .route("/users/{username}", web::get().to(api::user))
        .route("/leaderboard", web::get().to(api::leaderboard))
        .route("/kpis", web::get().to(api::kpis))
        .route("/categories", web::get().to(api::categories))
        .route("/search", web::get().to(api::search))
        .service(web::resource("/questions").get(api::list).post(api_write::ask))
        .route("/questions/{id}", web::get().to(api::show))
        .route("/questions/{id}/answers", web::post().to(api_write::answer))
        .route("/questions/{id}/comments", web::post().to(api_write::comment))
        .route("/questions/{id}/vote", web::post().to(api_write::vote_question))
        .route("/questions/{id}/unaccept", web::post().to(api_write::unaccept))
        .route("/answers/{id}/vote", web::post().to(api_write::vote_answer))
        .route("/answers/{id}/accept", web::post().to(api_write::accept));
}

fn extractor_limits(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::FormConfig::default()
            .limit(FORM_LIMIT)
            .error_handler(|err, _| match err {
                UrlencodedError::Overflow { .. } => AppError::PayloadTooLarge.into(),
                other => AppError::BadRequest(format!("The form is malformed: {other}.")).into(),
            }),
    )
    .app_data(web::PayloadConfig::new(FORM_LIMIT))
    .app_data(
        web::QueryConfig::default()
            .error_handler(|err, _| AppError::BadRequest(format!("Bad query parameters: {err}.")).into()),
    )
    .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
    .app_data(web::JsonConfig::default().limit(FORM_LIMIT).error_handler(|err, _| {
        match err {
            JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
                AppError::PayloadTooLarge
            }
            JsonPayloadError::ContentType => {
                AppError::UnsupportedMediaType("Send the request body as application/json.".into())
            }
            other => AppError::BadRequest(format!("The JSON body is malformed: {other}.")),
        }
        .into()
    }));
}

/// The application: state, routes, and middleware (outermost last: logging, security headers,
/// error pages, the page cache, then the session layer closest to the handlers).
pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(state))
        .configure(extractor_limits)
        .configure(configure)
        .default_service(web::to(|| async {
            Err::<actix_web::HttpResponse, _>(AppError::NotFound)
        }))
        .wrap(from_fn(session_layer))
        .wrap(from_fn(page_cache))
        .wrap(from_fn(error_pages))
        .wrap(security_headers())
        .wrap(access_log())
}

/// One line per request: client, method and path (never the query string, which may carry a
/// token), status, bytes, time. actix's Logger has no method placeholder, hence the custom one.
fn access_log() -> Logger {
    Logger::new(ACCESS_LOG_FORMAT).custom_request_replace("method", |req| req.method().to_string())
}

/// The access log's format (`%{method}xi` is `access_log`'s own placeholder).
pub const ACCESS_LOG_FORMAT: &str = "%a \"%{method}xi %U\" %s %b %Dms";

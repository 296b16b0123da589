//! The signed-in user's account settings: password, email, sessions.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db;
use crate::domain::members::accounts;
use crate::error::FieldErrors;
use crate::error::FormOutcome;
use crate::error::{AppError, AppResult};
use crate::middleware::session::removal_cookie;
use crate::models::session;
use crate::state::AppState;
use crate::views::account::Settings;
use crate::views::flash::Flash;
use crate::views::pages::Message;
use crate::views::{self, PageContext};

async fn settings_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    password_errors: FieldErrors,
    email_errors: FieldErrors,
    new_email: String,
) -> AppResult<Settings> {
    let id = user.user().id;
    let session_count = state.db.run(move |c| Ok(session::count_for_user(c, id)?)).await?;
    Ok(Settings {
        page: PageContext::new(req),
        email: user.user().email.clone(),
        email_verified: user.user().email_verified_at.is_some(),
        session_count,
        password_errors,
        email_errors,
        new_email,
    })
}

/// `GET /settings`.
pub async fn show(state: web::Data<AppState>, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    views::ok(
        &settings_page(
            &state,
            &req,
            &user,
            FieldErrors::new(),
            FieldErrors::new(),
            String::new(),
        )
        .await?,
    )
}

/// The change-password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

/// `POST /settings/password`: re-authenticates, changes the password, ends every other session.
pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let PasswordForm {
        current_password,
        new_password,
    } = form.into_inner();
    let id = user.user().id;
    match state
        .db
        .run(move |c| accounts::change_password(c, id, &current_password, &new_password))
        .await
        .or_form_errors()?
    {
        Ok(()) => {
            state
                .sessions
                .end_all(id, Some(user.session()?.token_hash.clone()))
                .await?;
            views::redirect_with(
                &state,
                "/settings",
                Flash::success("Your password is changed; other devices are logged out."),
            )
        }
        Err(errors) => {
            views::invalid(&settings_page(&state, &req, &user, errors, FieldErrors::new(), String::new()).await?)
        }
    }
}

/// The change-email form.
#[derive(Deserialize)]
pub struct EmailForm {
    email: String,
    current_password: String,
}

/// `POST /settings/email`: re-authenticates and sends a confirmation link to the new address.
pub async fn change_email(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<EmailForm>,
) -> AppResult<HttpResponse> {
    let EmailForm {
        email,
        current_password,
    } = form.into_inner();
    let (id, ctx, new_email) = (user.user().id, state.mail_context(), email.clone());
    match state
        .db
        .run(move |c| accounts::request_email_change(c, &ctx, id, &current_password, &new_email, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(()) => views::redirect_with(
            &state,
            "/settings",
            Flash::success(format!(
                "We sent a link to {}. Open it to finish the change.",
                email.trim()
            )),
        ),
        Err(errors) => views::invalid(&settings_page(&state, &req, &user, FieldErrors::new(), errors, email).await?),
    }
}

/// `?token=` of the confirmation link.
#[derive(Deserialize)]
pub struct TokenQuery {
    token: String,
}

/// `GET /settings/email/confirm?token=`: works from the link even when logged out.
pub async fn confirm_email(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let (token, ctx) = (q.into_inner().token, state.mail_context());
    let result = state
        .db
        .run(move |c| accounts::confirm_email_change(c, &ctx, &token, db::now()))
        .await?;
    let (status, title, body) = match result {
        Ok(_) => (
            actix_web::http::StatusCode::OK,
            "Email changed",
            "Your new email address is saved.".to_string(),
        ),
        Err(p) => (
            actix_web::http::StatusCode::BAD_REQUEST,
            "Link not valid",
            p.message().to_string(),
        ),
    };
    views::render(
        status,
        &Message {
            page: PageContext::new(&req),
            title: title.into(),
            body,
            link: Some(("/settings".into(), "Account settings".into())),
        },
    )
}

/// `POST /settings/logout-everywhere`: ends every session of the user, this one included.
pub async fn logout_everywhere(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let ended = state.sessions.end_all(user.user().id, None).await?;
    let mut res = views::redirect_with(
        &state,
        "/login",
        Flash::success(format!("Logged out of {ended} session(s).")),
    )?;
    res.add_cookie(&removal_cookie(&state.config))
        .map_err(|e| AppError::caused("setting a cookie", e))?;
    Ok(res)
}

/// `GET /session/keepalive`: the page script calls it while the person is active, which moves the
/// idle clock (the session middleware does the work).
pub async fn keepalive(_user: CurrentUser) -> HttpResponse {
    HttpResponse::NoContent()
        .insert_header(("Cache-Control", "no-store"))
        .finish()
}

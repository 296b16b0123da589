//! Sign-up, login, logout, email verification and password reset.

use actix_web::cookie::Cookie;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::{CurrentUser, MaybeUser};
use crate::db;
use crate::domain::members::accounts::{self, LoginOutcome, ResetProblem, SignupInput};
use crate::error::FieldErrors;
use crate::error::FormOutcome;
use crate::error::{AppError, AppResult};
use crate::middleware::session::{removal_cookie, session_cookie};
use crate::models::user::User;
use crate::state::AppState;
use crate::views::account::{ForgotPassword, Login, ResetPassword, Signup};
use crate::views::flash::Flash;
use crate::views::pages::Message;
use crate::views::{self, safe_next, PageContext};
use crate::web::client_ip;

/// `GET /signup`.
pub async fn signup_form(page: PageContext, user: MaybeUser) -> AppResult<HttpResponse> {
    if user.0.is_some() {
        return Ok(views::redirect("/"));
    }
    views::ok(&Signup {
        page,
        errors: FieldErrors::new(),
        username: String::new(),
        email: String::new(),
    })
}

/// The sign-up form.
#[derive(Deserialize)]
pub struct SignupForm {
    username: String,
    email: String,
    password: String,
}

/// `POST /signup`: creates the account, logs it in, and sends the verification email.
pub async fn signup(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<SignupForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let input = SignupInput {
        username: form.username.clone(),
        email: form.email.clone(),
        password: form.password,
    };
    let ctx = state.mail_context();
    let created = state
        .db
        .run(move |c| accounts::signup(c, &ctx, &input, db::now()))
        .await
        .or_form_errors()?;
    match created {
        Ok(id) => {
            let started = state
                .sessions
                .start(id, false, Some(client_ip(&req, &state.config)), user_agent(&req))
                .await?;
            let mut res = views::redirect_with(
                &state,
                "/",
                Flash::success("Welcome! We sent you an email to confirm your address."),
            )?;
            res.add_cookie(&session_cookie(&state.config, started.secret, false))
                .map_err(|e| AppError::caused("setting a cookie", e))?;
            Ok(res)
        }
        Err(errors) => views::invalid(&Signup {
            page: PageContext::new(&req),
            errors,
            username: form.username,
            email: form.email,
        }),
    }
}

/// `?next=` on the login page.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /login`.
pub async fn login_form(page: PageContext, user: MaybeUser, q: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    let next = safe_next(q.next.as_deref());
    if user.0.is_some() {
        return Ok(views::redirect(&next));
    }
    views::ok(&Login {
        page,
        error: None,
        login: String::new(),
        next,
    })
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    remember: Option<String>,
    next: Option<String>,
}

/// `POST /login`. Unknown user and wrong password get the same answer in the same time.
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    current: MaybeUser,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let ip = client_ip(&req, &state.config);
    let throttled = |retry_after_secs| AppError::TooManyRequests { retry_after_secs };
    state.throttle.attempt(form.login.trim(), &ip).map_err(throttled)?;
    let (login, password) = (form.login.clone(), form.password);
    let outcome = state
        .db
        .run(move |c| accounts::authenticate(c, &login, &password, db::now()))
        .await?;
    let next = safe_next(form.next.as_deref());
    let error = match outcome {
        LoginOutcome::LoggedIn(user) => {
            let remember = form.remember.is_some();
            let mut res = views::redirect(&next);
            res.add_cookie(&start_session(&state, &req, &current, &user, remember, ip).await?)
                .map_err(|e| AppError::caused("setting a cookie", e))?;
            return Ok(res);
        }
        LoginOutcome::BadCredentials => "Wrong username, email or password.".to_string(),
        LoginOutcome::Suspended { until, reason } => {
            format!(
                "Your account is suspended until {}. Reason: {reason}",
                views::fmt_time(until)
            )
        }
    };
    let page = Login {
        page: PageContext::new(&req),
        error: Some(error),
        login: form.login,
        next,
    };
    views::render(actix_web::http::StatusCode::UNAUTHORIZED, &page)
}

/// A new session for `user`, and the cookie that carries it. A browser logging in again (perhaps
/// as someone else) leaves no session behind.
async fn start_session(
    state: &AppState,
    req: &HttpRequest,
    current: &MaybeUser,
    user: &User,
    remember: bool,
    ip: String,
) -> AppResult<Cookie<'static>> {
    if let Some(old) = current.0.as_ref().and_then(|a| a.session()) {
        state.sessions.end(old.token_hash.clone()).await?;
    }
    let started = state
        .sessions
        .start(user.id, remember, Some(ip), user_agent(req))
        .await?;
    Ok(session_cookie(&state.config, started.secret, remember))
}

/// `POST /logout`: ends this session only.
pub async fn logout(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    state.sessions.end(user.session()?.token_hash.clone()).await?;
    let mut res = views::redirect_with(&state, "/", Flash::info("You are logged out."))?;
    res.add_cookie(&removal_cookie(&state.config))
        .map_err(|e| AppError::caused("setting a cookie", e))?;
    Ok(res)
}

/// `?token=` of emailed links.
#[derive(Deserialize)]
pub struct TokenQuery {
    token: String,
}

/// `GET /verify-email?token=`.
pub async fn verify_email(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = q.into_inner().token;
    let result = state
        .db
        .run(move |c| accounts::verify_email(c, &token, db::now()))
        .await?;
    let (title, body) = match result {
        Ok(_) => (
            "Email confirmed",
            "Thank you: your email address is confirmed.".to_string(),
        ),
        Err(p) => ("Link not valid", p.message().to_string()),
    };
    let status = if result.is_ok() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::BAD_REQUEST
    };
    let page = Message {
        page: PageContext::new(&req),
        title: title.into(),
        body,
        link: Some(("/".into(), "Go to the home page".into())),
    };
    views::render(status, &page)
}

/// `POST /settings/email/resend-verification`.
pub async fn resend_verification(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let (id, ctx) = (user.user().id, state.mail_context());
    let sent = state
        .db
        .run(move |c| accounts::resend_verification(c, &ctx, id, db::now()))
        .await?;
    let note = if sent {
        Flash::success("We sent a new confirmation link.")
    } else {
        Flash::info("Your email is already confirmed.")
    };
    views::redirect_with(&state, "/settings", note)
}

/// `GET /forgot-password`.
pub async fn forgot_form(page: PageContext) -> AppResult<HttpResponse> {
    views::ok(&ForgotPassword {
        page,
        errors: FieldErrors::new(),
        email: String::new(),
    })
}

/// The forgotten-password form.
#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// `POST /forgot-password`: the same answer whether or not the address has an account.
pub async fn forgot(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<ForgotForm>,
) -> AppResult<HttpResponse> {
    let email = form.into_inner().email;
    if let Err(e) = accounts::check_email(email.trim()) {
        return views::invalid(&ForgotPassword {
            page: PageContext::new(&req),
            errors: FieldErrors::one("email", e),
            email,
        });
    }
    let ip = client_ip(&req, &state.config);
    if let Err(retry_after_secs) = state.throttle.attempt(email.trim(), &ip) {
        return Err(AppError::TooManyRequests { retry_after_secs });
    }
    let ctx = state.mail_context();
    state
        .db
        .run(move |c| accounts::request_password_reset(c, &ctx, &email, db::now()))
        .await?;
    let body = "If an account uses that address, a link to choose a new password is on its way. It works once, within one hour.";
    views::ok(&Message {
        page: PageContext::new(&req),
        title: "Check your email".into(),
        body: body.into(),
        link: None,
    })
}

/// `GET /reset-password?token=`.
pub async fn reset_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = q.into_inner().token;
    let t = token.clone();
    match state
        .db
        .run(move |c| accounts::check_reset_token(c, &t, db::now()))
        .await?
    {
        Ok(()) => views::ok(&ResetPassword {
            page: PageContext::new(&req),
            errors: FieldErrors::new(),
            token,
        }),
        Err(p) => bad_link(&req, p.message()),
    }
}

/// The new-password form.
#[derive(Deserialize)]
pub struct ResetForm {
    token: String,
    password: String,
}

/// `POST /reset-password`: sets the password, ends every session, asks to log in.
pub async fn reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<ResetForm>,
) -> AppResult<HttpResponse> {
    let ResetForm { token, password } = form.into_inner();
    let t = token.clone();
    match state
        .db
        .run(move |c| accounts::reset_password(c, &t, &password, db::now()))
        .await?
    {
        Ok(user) => {
            state.sessions.end_all(user, None).await?;
            let mut res = views::redirect_with(
                &state,
                "/login",
                Flash::success("Your password is changed. Log in with the new one."),
            )?;
            res.add_cookie(&removal_cookie(&state.config))
                .map_err(|e| AppError::caused("setting a cookie", e))?;
            Ok(res)
        }
        Err(ResetProblem::Fields(errors)) => views::invalid(&ResetPassword {
            page: PageContext::new(&req),
            errors,
            token,
        }),
        Err(ResetProblem::Token(p)) => bad_link(&req, p.message()),
    }
}

fn bad_link(req: &HttpRequest, message: &str) -> AppResult<HttpResponse> {
    let page = Message {
        page: PageContext::new(req),
        title: "Link not valid".into(),
        body: message.into(),
        link: Some(("/forgot-password".into(), "Ask for a new link".into())),
    };
    views::render(actix_web::http::StatusCode::BAD_REQUEST, &page)
}

fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

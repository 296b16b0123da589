//! Account pages: sign-up, login, password reset, account settings.

use askama::Template;

use super::PageContext;
use crate::error::FieldErrors;

/// `/signup`.
#[derive(Template)]
#[template(path = "account/signup.html")]
pub struct Signup {
    pub page: PageContext,
    pub errors: FieldErrors,
    pub username: String,
    pub email: String,
}

/// `/login`.
#[derive(Template)]
#[template(path = "account/login.html")]
pub struct Login {
    pub page: PageContext,
    pub error: Option<String>,
    pub login: String,
    pub next: String,
}

/// `/forgot-password`.
#[derive(Template)]
#[template(path = "account/forgot_password.html")]
pub struct ForgotPassword {
    pub page: PageContext,
    pub errors: FieldErrors,
    pub email: String,
}

/// `/reset-password?token=`.
#[derive(Template)]
#[template(path = "account/reset_password.html")]
pub struct ResetPassword {
    pub page: PageContext,
    pub errors: FieldErrors,
    pub token: String,
}

/// `/settings`: password, email, sessions.
#[derive(Template)]
#[template(path = "account/settings.html")]
pub struct Settings {
    pub page: PageContext,
    pub email: String,
    pub email_verified: bool,
    pub session_count: i64,
    pub password_errors: FieldErrors,
    pub email_errors: FieldErrors,
    pub new_email: String,
}

/// A personal access token as its owner sees it in the list (never the secret).
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub scope: String,
    pub created: String,
    pub last_used: String,
}

/// `/settings/tokens`: personal access tokens for the API.
#[derive(Template)]
#[template(path = "account/tokens.html")]
pub struct Tokens {
    pub page: PageContext,
    pub tokens: Vec<TokenRow>,
    pub errors: FieldErrors,
    pub name: String,
    pub scope: String,
    /// The secret of the token just made: shown on this one response and never again.
    pub minted: Option<String>,
}

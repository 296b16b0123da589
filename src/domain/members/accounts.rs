//! Accounts: sign-up, email verification, login, password reset and change, email change, and
//! creating the first admin. Email is queued in the same transaction as its cause.

use crate::error::Rejected;
use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use crate::auth::password;
use crate::auth::tokens::{hash_token, random_token};
use crate::db::backend::{private_write_transaction, write_transaction};
use crate::db::ids::UserId;
use crate::db::DbConn;
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::permissions::Role;
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::mail::compose::{self, MailContext};
use crate::mail::outbox;
use crate::models::suspension;
use crate::models::user::{self, NewUser, User};
use crate::models::user_token::{self, NewUserToken, Purpose};

/// Single-use links for password reset and email change live this long.
pub const RESET_TTL: Duration = Duration::hours(1);
/// Email verification links live this long.
pub const VERIFY_TTL: Duration = Duration::days(7);

/// What the sign-up form sends.
#[derive(Debug, Clone)]
pub struct SignupInput {
    pub username: String,
    pub email: String,
    pub password: String,
}

/// Username rule: 3–30 letters, digits, `_` or `-`.
pub fn check_username(username: &str) -> Result<(), Rejected> {
    let n = username.chars().count();
    if !(3..=30).contains(&n) {
        return Err("Use 3 to 30 characters.".into());
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err("Use only letters, digits, _ and -.".into());
    }
    Ok(())
}

/// Email syntax as lettre reads addresses, plus a length bound.
pub fn check_email(email: &str) -> Result<(), Rejected> {
    if email.len() > 254 || email.parse::<lettre::Address>().is_err() || !email.contains('.') {
        return Err("Enter a valid email address, like name@example.com.".into());
    }
    Ok(())
}

fn new_token(
    conn: &mut DbConn,
    user: UserId,
    purpose: Purpose,
    new_email: Option<&str>,
    ttl: Duration,
    now: NaiveDateTime,
) -> AppResult<String> {
    user_token::expire_unused(conn, user, purpose, now)?;
    let token = random_token(32);
    user_token::insert(
        conn,
        &NewUserToken {
            user_id: user,
            purpose: purpose.as_str(),
            token_hash: &hash_token(&token),
            new_email,
            created_at: now,
            expires_at: now + ttl,
        },
    )?;
    Ok(token)
}

fn queue_verification(conn: &mut DbConn, ctx: &MailContext, u: &User, now: NaiveDateTime) -> AppResult<()> {
    let token = new_token(conn, u.id, Purpose::VerifyEmail, None, VERIFY_TTL, now)?;
    let mail = compose::verify_email(ctx, &u.username, &token)?;
    outbox::enqueue(conn, &format!("verify:{}", hash_token(&token)), &u.email, &mail, now)?;
    Ok(())
}

/// Field errors for a new account's username, email and password.
fn check_new_account(username: &str, email: &str, password_text: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Err(e) = check_username(username) {
        errors.add("username", e);
    }
    if let Err(e) = check_email(email) {
        errors.add("email", e);
    }
    if let Err(e) = password::check_policy(password_text, username, email) {
        errors.add("password", e);
    }
    errors
}

/// Inserts an account unless the username or email is taken (case-insensitively).
/// Must run inside a transaction.
fn insert_account(
    conn: &mut DbConn,
    username: &str,
    email: &str,
    hash: &str,
    role: Role,
    verified_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> AppResult<User> {
    let mut errors = FieldErrors::new();
    if user::find_by_username(conn, username)?.is_some() {
        errors.add("username", "That username is taken.");
    }
    if user::find_by_email(conn, email)?.is_some() {
        errors.add(
            "email",
            "An account with that email already exists. Try logging in or resetting your password.",
        );
    }
    if let Err(errors) = errors.into_result() {
        return Err(AppError::Invalid(errors));
    }
    let id = user::insert(
        conn,
        &NewUser {
            username,
            username_key: &user::username_key(username),
            email,
            email_key: &user::email_key(email),
            email_verified_at: verified_at,
            password_hash: Some(hash),
            role: role.as_str(),
            display_name: None,
            created_at: now,
        },
    )?;
    Ok(user::find(conn, id)?)
}

/// Creates a member account and queues the verification email.
pub fn signup(conn: &mut DbConn, ctx: &MailContext, input: &SignupInput, now: NaiveDateTime) -> AppResult<UserId> {
    let (username, email) = (input.username.trim(), input.email.trim());
    if let Err(errors) = check_new_account(username, email, &input.password).into_result() {
        return Err(AppError::Invalid(errors));
    }
    let hash = password::hash(&input.password).map_err(AppError::internal)?;
    write_transaction(conn, |conn| {
        let u = insert_account(conn, username, email, &hash, Role::Member, None, now)?;
        queue_verification(conn, ctx, &u, now)?;
        Ok(u.id)
    })
}

/// Queues a fresh verification email (older links stop working).
pub fn resend_verification(conn: &mut DbConn, ctx: &MailContext, id: UserId, now: NaiveDateTime) -> AppResult<bool> {
    private_write_transaction(conn, |conn| {
        let u = user::find(conn, id)?;
        if u.email_verified_at.is_some() {
            return Ok(false);
        }
        queue_verification(conn, ctx, &u, now)?;
        Ok(true)
    })
}

/// The outcome of a login attempt.
#[derive(Debug)]
pub enum LoginOutcome {
    LoggedIn(Box<User>),
    /// Unknown user and wrong password look the same, and take the same time.
    BadCredentials,
    Suspended {
        until: NaiveDateTime,
        reason: String,
    },
}

/// Checks a username-or-email and password.
pub fn authenticate(
    conn: &mut DbConn,
    login: &str,
    password_text: &str,
    now: NaiveDateTime,
) -> AppResult<LoginOutcome> {
    let found = user::find_by_login(conn, login.trim())?;
    let stored = found.as_ref().and_then(|u| u.password_hash.as_deref());
    if !password::verify(password_text, stored) {
        return Ok(LoginOutcome::BadCredentials);
    }
    let Some(u) = found else {
        return Ok(LoginOutcome::BadCredentials);
    };
    if let Some(s) = suspension::active(conn, u.id, now)? {
        return Ok(LoginOutcome::Suspended {
            until: s.ends_at,
            reason: s.reason,
        });
    }
    user::touch_login(conn, u.id, now)?;
    Ok(LoginOutcome::LoggedIn(Box::new(u)))
}

/// Why a single-use link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Invalid,
    Expired,
    Used,
}

impl TokenProblem {
    /// What the page says.
    pub fn message(self) -> &'static str {
        match self {
            TokenProblem::Invalid => "This link is not valid. Check that you copied all of it.",
            TokenProblem::Expired => "This link has expired. Ask for a new one.",
            TokenProblem::Used => "This link has already been used. Ask for a new one if you need it.",
        }
    }
}

/// Consumes a token of `purpose`: the row, or why not. Must run inside a transaction.
fn take_token(
    conn: &mut DbConn,
    token: &str,
    purpose: Purpose,
    now: NaiveDateTime,
) -> AppResult<Result<user_token::UserToken, TokenProblem>> {
    let Some(row) = user_token::find(conn, &hash_token(token), purpose)? else {
        return Ok(Err(TokenProblem::Invalid));
    };
    if row.used_at.is_some() {
        return Ok(Err(TokenProblem::Used));
    }
    if row.expires_at <= now {
        return Ok(Err(TokenProblem::Expired));
    }
    if !user_token::consume(conn, row.id, now)? {
        return Ok(Err(TokenProblem::Used));
    }
    Ok(Ok(row))
}

/// Marks the email verified.
pub fn verify_email(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> AppResult<Result<UserId, TokenProblem>> {
    write_transaction(conn, |conn| {
        let row = match take_token(conn, token, Purpose::VerifyEmail, now)? {
            Ok(row) => row,
            Err(p) => return Ok(Err(p)),
        };
        user::set_email_verified(conn, row.user_id, now)?;
        Ok(Ok(row.user_id))
    })
}

/// Queues a reset link when the address belongs to an account; says nothing either way.
pub fn request_password_reset(conn: &mut DbConn, ctx: &MailContext, email: &str, now: NaiveDateTime) -> AppResult<()> {
    private_write_transaction(conn, |conn| {
        if let Some(u) = user::find_by_email(conn, email.trim())? {
            let token = new_token(conn, u.id, Purpose::ResetPassword, None, RESET_TTL, now)?;
            let mail = compose::reset_password(ctx, &u.username, &token)?;
            outbox::enqueue(conn, &format!("reset:{}", hash_token(&token)), &u.email, &mail, now)?;
        }
        Ok(())
    })
}

/// Why a reset is refused.
#[derive(Debug)]
pub enum ResetProblem {
    Token(TokenProblem),
    Fields(FieldErrors),
}

/// Whether a reset link can still be used (to show the form or the problem).
pub fn check_reset_token(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> AppResult<Result<(), TokenProblem>> {
    Ok(
        match user_token::find(conn, &hash_token(token), Purpose::ResetPassword)? {
            None => Err(TokenProblem::Invalid),
            Some(r) if r.used_at.is_some() => Err(TokenProblem::Used),
            Some(r) if r.expires_at <= now => Err(TokenProblem::Expired),
            Some(_) => Ok(()),
        },
    )
}

/// Sets a new password from a reset link. The caller ends the user's sessions.
pub fn reset_password(
    conn: &mut DbConn,
    token: &str,
    new_password: &str,
    now: NaiveDateTime,
) -> AppResult<Result<UserId, ResetProblem>> {
    private_write_transaction(conn, |conn| {
        let row = match take_token(conn, token, Purpose::ResetPassword, now)? {
            Ok(row) => row,
            Err(p) => return Ok(Err(ResetProblem::Token(p))),
        };
        let u = user::find(conn, row.user_id)?;
        if let Err(e) = password::check_policy(new_password, &u.username, &u.email) {
            // Leave the link usable: roll back the consumption.
            return Err(AppError::BadRequest(e.into()));
        }
        let hash = password::hash(new_password).map_err(AppError::internal)?;
        user::set_password_hash(conn, u.id, &hash)?;
        // Receiving the link proved control of the address.
        if u.email_verified_at.is_none() {
            user::set_email_verified(conn, u.id, now)?;
        }
        Ok(Ok(u.id))
    })
    .or_else(|e| match e {
        AppError::BadRequest(msg) => Ok(Err(ResetProblem::Fields(FieldErrors::one("password", msg)))),
        other => Err(other),
    })
}

/// Changes the password after checking the current one. The caller ends other sessions.
pub fn change_password(conn: &mut DbConn, id: UserId, current: &str, new_password: &str) -> AppResult<()> {
    let u = user::find(conn, id)?;
    if !password::verify(current, u.password_hash.as_deref()) {
        return Err(AppError::Invalid(FieldErrors::one(
            "current_password",
            "That is not your current password.",
        )));
    }
    if let Err(e) = password::check_policy(new_password, &u.username, &u.email) {
        return Err(AppError::Invalid(FieldErrors::one("new_password", e)));
    }
    let hash = password::hash(new_password).map_err(AppError::internal)?;
    user::set_password_hash(conn, id, &hash)?;
    Ok(())
}

/// Starts an email change after checking the password: a link goes to the new address.
pub fn request_email_change(
    conn: &mut DbConn,
    ctx: &MailContext,
    id: UserId,
    current: &str,
    new_email: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let new_email = new_email.trim();
    let u = user::find(conn, id)?;
    if !password::verify(current, u.password_hash.as_deref()) {
        return Err(AppError::Invalid(FieldErrors::one(
            "current_password",
            "That is not your current password.",
        )));
    }
    if let Err(e) = check_email(new_email) {
        return Err(AppError::Invalid(FieldErrors::one("email", e)));
    }
    private_write_transaction(conn, |conn| {
        if user::find_by_email(conn, new_email)?.is_some() {
            return Err(AppError::Invalid(FieldErrors::one(
                "email",
                "Another account uses that email.",
            )));
        }
        let token = new_token(conn, id, Purpose::ChangeEmail, Some(new_email), RESET_TTL, now)?;
        let mail = compose::change_email(ctx, &u.username, new_email, &token)?;
        outbox::enqueue(
            conn,
            &format!("change-email:{}", hash_token(&token)),
            new_email,
            &mail,
            now,
        )?;
        Ok(())
    })
}

/// Completes an email change from the link; the old address is told.
pub fn confirm_email_change(
    conn: &mut DbConn,
    ctx: &MailContext,
    token: &str,
    now: NaiveDateTime,
) -> AppResult<Result<UserId, TokenProblem>> {
    private_write_transaction(conn, |conn| {
        let row = match take_token(conn, token, Purpose::ChangeEmail, now)? {
            Ok(row) => row,
            Err(p) => return Ok(Err(p)),
        };
        let Some(new_email) = row.new_email.as_deref() else {
            return Ok(Err(TokenProblem::Invalid));
        };
        if user::find_by_email(conn, new_email)?.is_some_and(|other| other.id != row.user_id) {
            return Ok(Err(TokenProblem::Invalid));
        }
        let u = user::find(conn, row.user_id)?;
        user::set_email(conn, u.id, new_email, now)?;
        let mail = compose::email_changed(ctx, &u.username, new_email)?;
        outbox::enqueue(conn, &format!("email-changed:{}", row.id), &u.email, &mail, now)?;
        Ok(Ok(u.id))
    })
}

/// Creates an admin account (for `peerdesk create-admin`), email already verified, audited.
pub fn create_admin(
    conn: &mut DbConn,
    username: &str,
    email: &str,
    password_text: &str,
    now: NaiveDateTime,
) -> AppResult<UserId> {
    if let Err(errors) = check_new_account(username, email, password_text).into_result() {
        return Err(AppError::Invalid(errors));
    }
    let hash = password::hash(password_text).map_err(AppError::internal)?;
    write_transaction(conn, |conn| {
        let u = insert_account(conn, username, email, &hash, Role::Admin, Some(now), now)?;
        audit::record(
            conn,
            &Actor { user: None, ip: None },
            "user.create_admin",
            Target::user(u.id),
            None,
            Some(json!({ "username": username, "email": email, "role": "admin" })),
        )?;
        Ok(u.id)
    })
}

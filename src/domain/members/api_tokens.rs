//! Personal access tokens for the JSON API: minted (shown once), listed, revoked, and resolved to
//! their user on each API request. Only the SHA-256 of a secret is stored.

use chrono::{Duration, NaiveDateTime};

use crate::auth::tokens::{hash_token, random_token};
use crate::db::ids::{ApiTokenId, UserId};
use crate::db::DbConn;
use crate::domain::fields::clean_text;
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::models::api_token::{self, ApiToken, NewApiToken};
use crate::models::suspension;
use crate::models::user::{self, User};

/// Every secret starts with this, so that leaked tokens are easy to recognise (and to scan for).
pub const PREFIX: &str = "pd_";
/// How many live tokens one account may hold.
pub const MAX_PER_USER: i64 = 20;
/// Name length bounds (characters).
pub const NAME_LEN: (usize, usize) = (1, 60);
/// `last_used_at` is written at most this often, so that API traffic is not a stream of writes.
pub const TOUCH_EVERY: Duration = Duration::seconds(60);

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// GET requests only.
    Read,
    /// Everything the user may do through the API.
    Write,
}

impl Scope {
    /// Parses `read` or `write`.
    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            _ => None,
        }
    }

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }
}

/// A token just made: the secret exists only here, and is shown once.
#[derive(Debug, Clone)]
pub struct Minted {
    pub id: ApiTokenId,
    pub secret: String,
}

/// A request's token, resolved.
#[derive(Debug, Clone)]
pub struct Grant {
    pub token_id: ApiTokenId,
    pub scope: Scope,
    pub user: User,
}

/// Makes a token for `user`. Field errors for a bad name or scope, or too many live tokens.
pub fn create(conn: &mut DbConn, user: UserId, name: &str, scope: &str, now: NaiveDateTime) -> AppResult<Minted> {
    let name = clean_text(name).trim().to_owned();
    let mut errors = FieldErrors::new();
    let n = name.chars().count();
    if !(NAME_LEN.0..=NAME_LEN.1).contains(&n) {
        errors.add(
            "name",
            format!("Give the token a name of {} to {} characters.", NAME_LEN.0, NAME_LEN.1),
        );
    }
    let scope = Scope::parse(scope);
    if scope.is_none() {
        errors.add("scope", "The scope must be read or write.");
    }
    if api_token::count_live_for_user(conn, user)? >= MAX_PER_USER {
        errors.add(
            "name",
            format!("You have {MAX_PER_USER} tokens already; revoke one first."),
        );
    }
    let (Ok(()), Some(scope)) = (errors.clone().into_result(), scope) else {
        return Err(AppError::Invalid(errors));
    };
    let secret = format!("{PREFIX}{}", random_token(32));
    let id = api_token::insert(
        conn,
        &NewApiToken {
            user_id: user,
            name: &name,
            token_hash: &hash_token(&secret),
            scope: scope.as_str(),
            created_at: now,
        },
    )?;
    Ok(Minted { id, secret })
}

/// A user's live tokens, newest first.
pub fn list(conn: &mut DbConn, user: UserId) -> AppResult<Vec<ApiToken>> {
    Ok(api_token::list_live_for_user(conn, user)?)
}

/// Revokes one of the user's own tokens; `NotFound` for anyone else's or an already revoked one.
pub fn revoke(conn: &mut DbConn, user: UserId, id: ApiTokenId, now: NaiveDateTime) -> AppResult<()> {
    if api_token::revoke(conn, user, id, now)? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The grant a secret carries: `None` for an unknown or revoked token, or one whose user is
/// suspended or signs in no more.
pub fn resolve(conn: &mut DbConn, secret: &str, now: NaiveDateTime) -> AppResult<Option<Grant>> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some(token) = api_token::find_live_by_hash(conn, &hash_token(secret))? else {
        return Ok(None);
    };
    let Some(scope) = Scope::parse(&token.scope) else {
        return Err(AppError::internal(format!(
            "token {} has scope {:?}",
            token.id, token.scope
        )));
    };
    if suspension::active(conn, token.user_id, now)?.is_some() {
        return Ok(None);
    }
    let user = user::find(conn, token.user_id)?;
    if token.last_used_at.is_none_or(|t| now - t >= TOUCH_EVERY) {
        api_token::touch(conn, token.id, now)?;
    }
    Ok(Some(Grant {
        token_id: token.id,
        scope,
        user,
    }))
}

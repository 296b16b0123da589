//! `user_tokens`: single-use links (email verification, password reset, email change), stored hashed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{TokenId, UserId};
use crate::db::schema::user_tokens;
use crate::db::DbConn;

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

impl Purpose {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ChangeEmail => "change_email",
        }
    }
}

/// A token row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct UserToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub purpose: String,
    pub token_hash: String,
    pub new_email: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

/// A new token.
#[derive(Debug, Insertable)]
#[diesel(table_name = user_tokens)]
pub struct NewUserToken<'a> {
    pub user_id: UserId,
    pub purpose: &'a str,
    pub token_hash: &'a str,
    pub new_email: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Inserts a token.
pub fn insert(conn: &mut DbConn, new: &NewUserToken<'_>) -> QueryResult<TokenId> {
    diesel::insert_into(user_tokens::table)
        .values(new)
        .returning(user_tokens::id)
        .get_result(conn)
}

/// By digest and purpose.
pub fn find(conn: &mut DbConn, token_hash: &str, purpose: Purpose) -> QueryResult<Option<UserToken>> {
    user_tokens::table
        .filter(user_tokens::token_hash.eq(token_hash))
        .filter(user_tokens::purpose.eq(purpose.as_str()))
        .first(conn)
        .optional()
}

/// Marks a token used, only if it still is unused: returns false when another request won the race.
pub fn consume(conn: &mut DbConn, id: TokenId, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(user_tokens::table.find(id).filter(user_tokens::used_at.is_null()))
        .set(user_tokens::used_at.eq(at))
        .execute(conn)?;
    Ok(n == 1)
}

/// Invalidates every unused token of a user for one purpose (a newer link replaces older ones).
pub fn expire_unused(conn: &mut DbConn, user: UserId, purpose: Purpose, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user))
            .filter(user_tokens::purpose.eq(purpose.as_str()))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(at))
    .execute(conn)
}

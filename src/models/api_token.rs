//! `api_tokens`: personal access tokens for the JSON API, stored as the SHA-256 of their secret.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{ApiTokenId, UserId};
use crate::db::schema::api_tokens;
use crate::db::DbConn;

/// A token row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    pub token_hash: String,
    pub scope: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A new token.
#[derive(Debug, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken<'a> {
    pub user_id: UserId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub scope: &'a str,
    pub created_at: NaiveDateTime,
}

/// Inserts a token.
pub fn insert(conn: &mut DbConn, new: &NewApiToken<'_>) -> QueryResult<ApiTokenId> {
    diesel::insert_into(api_tokens::table)
        .values(new)
        .returning(api_tokens::id)
        .get_result(conn)
}

/// A live (not revoked) token by the digest of its secret.
pub fn find_live_by_hash(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .first(conn)
        .optional()
}

/// A user's live tokens, newest first.
pub fn list_live_for_user(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user))
        .filter(api_tokens::revoked_at.is_null())
        .order(api_tokens::id.desc())
        .load(conn)
}

/// How many live tokens a user has.
pub fn count_live_for_user(conn: &mut DbConn, user: UserId) -> QueryResult<i64> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user))
        .filter(api_tokens::revoked_at.is_null())
        .count()
        .get_result(conn)
}

/// Revokes one of `user`'s live tokens; false when there is no such live token of theirs.
pub fn revoke(conn: &mut DbConn, user: UserId, id: ApiTokenId, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::user_id.eq(user))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(at))
    .execute(conn)?;
    Ok(n == 1)
}

/// Moves `last_used_at`.
pub fn touch(conn: &mut DbConn, id: ApiTokenId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(at))
        .execute(conn)
}

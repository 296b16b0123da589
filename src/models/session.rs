//! `sessions`: server-side login sessions, keyed by the SHA-256 of the cookie's secret.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::{SessionId, UserId};
use crate::db::schema::sessions;
use crate::db::DbConn;

/// A session row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct SessionRow {
    pub id: SessionId,
    pub token_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub remember: bool,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A new session.
#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub csrf_token: &'a str,
    pub remember: bool,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// Inserts a session.
pub fn insert(conn: &mut DbConn, new: &NewSession<'_>) -> QueryResult<SessionId> {
    diesel::insert_into(sessions::table)
        .values(new)
        .returning(sessions::id)
        .get_result(conn)
}

/// By the digest of its secret.
pub fn find_by_hash(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<SessionRow>> {
    // On the backend's own connection, as every signed-in request runs it (see `queries::thread`).
    on_each_backend!(conn, |c| sessions::table
        .filter(sessions::token_hash.eq(token_hash))
        .first(c)
        .optional())
}

/// Moves `last_seen_at` (the idle clock).
pub fn touch(conn: &mut DbConn, token_hash: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sessions::table.filter(sessions::token_hash.eq(token_hash)))
        .set(sessions::last_seen_at.eq(at))
        .execute(conn)
}

/// Ends one session.
pub fn delete_by_hash(conn: &mut DbConn, token_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)
}

/// Ends every session of a user, except the one whose digest is `keep`.
pub fn delete_for_user(conn: &mut DbConn, user: UserId, keep: Option<&str>) -> QueryResult<usize> {
    let mine = sessions::table.filter(sessions::user_id.eq(user));
    match keep {
        Some(hash) => diesel::delete(mine.filter(sessions::token_hash.ne(hash))).execute(conn),
        None => diesel::delete(mine).execute(conn),
    }
}

/// How many live sessions a user has.
pub fn count_for_user(conn: &mut DbConn, user: UserId) -> QueryResult<i64> {
    sessions::table
        .filter(sessions::user_id.eq(user))
        .count()
        .get_result(conn)
}

/// Removes sessions past their absolute lifetime or idle since before `idle_cutoff`.
pub fn purge(conn: &mut DbConn, now: NaiveDateTime, idle_cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.lt(now).or(sessions::last_seen_at.lt(idle_cutoff))))
        .execute(conn)
}

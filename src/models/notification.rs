//! `notifications`: in-app notices for one user (a badge earned, and more as features land).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::UserId;
use crate::db::schema::notifications as n;
use crate::db::DbConn;

/// A notification row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Notification {
    pub id: i64,
    pub user_id: UserId,
    pub kind: String,
    pub title: String,
    pub link: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

/// A new notification.
#[derive(Debug, Insertable)]
#[diesel(table_name = n)]
pub struct NewNotification<'a> {
    pub user_id: UserId,
    pub kind: &'a str,
    pub title: &'a str,
    pub link: &'a str,
    pub created_at: NaiveDateTime,
}

/// Inserts one.
pub fn insert(conn: &mut DbConn, new: &NewNotification<'_>) -> QueryResult<usize> {
    diesel::insert_into(n::table).values(new).execute(conn)
}

/// How many are unread.
pub fn unread_count(conn: &mut DbConn, user: UserId) -> QueryResult<i64> {
    // On the backend's own connection, as every signed-in request runs it (see `queries::thread`).
    on_each_backend!(conn, |c| n::table
        .filter(n::user_id.eq(user))
        .filter(n::read_at.is_null())
        .count()
        .get_result(c))
}

/// A page, newest first, and the total.
pub fn page(conn: &mut DbConn, user: UserId, limit: i64, offset: i64) -> QueryResult<(Vec<Notification>, i64)> {
    let total = n::table.filter(n::user_id.eq(user)).count().get_result(conn)?;
    let rows = n::table
        .filter(n::user_id.eq(user))
        .order((n::created_at.desc(), n::id.desc()))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok((rows, total))
}

/// Marks every unread one read.
pub fn mark_all_read(conn: &mut DbConn, user: UserId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(n::table.filter(n::user_id.eq(user)).filter(n::read_at.is_null()))
        .set(n::read_at.eq(at))
        .execute(conn)
}

//! `suspensions`: a user barred from logging in until `ends_at`, with the reason; history is kept.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{SuspensionId, UserId};
use crate::db::schema::suspensions;
use crate::db::DbConn;

/// A suspension row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Suspension {
    pub id: SuspensionId,
    pub user_id: UserId,
    pub reason: String,
    pub ends_at: NaiveDateTime,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub lifted_at: Option<NaiveDateTime>,
    pub lifted_by: Option<UserId>,
}

/// A new suspension.
#[derive(Debug, Insertable)]
#[diesel(table_name = suspensions)]
pub struct NewSuspension<'a> {
    pub user_id: UserId,
    pub reason: &'a str,
    pub ends_at: NaiveDateTime,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

/// Inserts a suspension.
pub fn insert(conn: &mut DbConn, new: &NewSuspension<'_>) -> QueryResult<SuspensionId> {
    diesel::insert_into(suspensions::table)
        .values(new)
        .returning(suspensions::id)
        .get_result(conn)
}

/// The suspension in force at `now`, if any (the one ending last).
pub fn active(conn: &mut DbConn, user: UserId, now: NaiveDateTime) -> QueryResult<Option<Suspension>> {
    suspensions::table
        .filter(suspensions::user_id.eq(user))
        .filter(suspensions::lifted_at.is_null())
        .filter(suspensions::ends_at.gt(now))
        .order(suspensions::ends_at.desc())
        .first(conn)
        .optional()
}

/// For each of `users` suspended at `now`, when their suspension ends (the latest end).
pub fn active_until(
    conn: &mut DbConn,
    users: &[UserId],
    now: NaiveDateTime,
) -> QueryResult<std::collections::HashMap<UserId, NaiveDateTime>> {
    let rows: Vec<(UserId, NaiveDateTime)> = suspensions::table
        .filter(suspensions::user_id.eq_any(users))
        .filter(suspensions::lifted_at.is_null())
        .filter(suspensions::ends_at.gt(now))
        .select((suspensions::user_id, suspensions::ends_at))
        .load(conn)?;
    let mut out = std::collections::HashMap::new();
    for (user, ends) in rows {
        let latest = out.entry(user).or_insert(ends);
        if ends > *latest {
            *latest = ends;
        }
    }
    Ok(out)
}

/// Lifts every suspension in force; returns how many.
pub fn lift_all(conn: &mut DbConn, user: UserId, by: UserId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        suspensions::table
            .filter(suspensions::user_id.eq(user))
            .filter(suspensions::lifted_at.is_null())
            .filter(suspensions::ends_at.gt(now)),
    )
    .set((suspensions::lifted_at.eq(now), suspensions::lifted_by.eq(by)))
    .execute(conn)
}

/// A user's suspensions, newest first.
pub fn history(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<Suspension>> {
    suspensions::table
        .filter(suspensions::user_id.eq(user))
        .order(suspensions::id.desc())
        .load(conn)
}

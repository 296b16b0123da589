//! `reputation_events`: the reputation ledger (DESIGN §4). Rows are written and removed by
//! `domain::reputation` only; `active` is false while the post an event comes from is deleted.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::{QuestionId, UserId};
use crate::db::schema::reputation_events as ev;
use crate::db::DbConn;

/// A ledger row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct ReputationEvent {
    pub id: i64,
    pub user_id: UserId,
    pub amount: i32,
    pub reason: String,
    pub post_kind: String,
    pub post_id: i64,
    pub question_id: QuestionId,
    pub actor_id: Option<UserId>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

/// A new event.
#[derive(Debug, Insertable)]
#[diesel(table_name = ev)]
pub struct NewEvent<'a> {
    pub user_id: UserId,
    pub amount: i32,
    pub reason: &'a str,
    pub post_kind: &'a str,
    pub post_id: i64,
    pub question_id: QuestionId,
    pub actor_id: Option<UserId>,
    pub created_at: NaiveDateTime,
}

/// Records an event.
pub fn insert(conn: &mut DbConn, new: &NewEvent<'_>) -> QueryResult<usize> {
    diesel::insert_into(ev::table).values(new).execute(conn)
}

/// Removes the events with one of `reasons` on a post (from one actor, when given); returns the
/// users they belonged to.
pub fn remove(
    conn: &mut DbConn,
    reasons: &[&str],
    post_kind: &str,
    post_id: i64,
    actor: Option<UserId>,
) -> QueryResult<Vec<UserId>> {
    let mut q = ev::table
        .filter(ev::reason.eq_any(reasons))
        .filter(ev::post_kind.eq(post_kind))
        .filter(ev::post_id.eq(post_id))
        .into_boxed();
    if let Some(a) = actor {
        q = q.filter(ev::actor_id.eq(a));
    }
    let rows: Vec<(i64, UserId)> = q.select((ev::id, ev::user_id)).load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    diesel::delete(ev::table.filter(ev::id.eq_any(&ids))).execute(conn)?;
    Ok(rows.into_iter().map(|(_, u)| u).collect())
}

/// Turns the events of one post on or off; returns the users they belong to.
pub fn set_active(conn: &mut DbConn, post_kind: &str, post_id: i64, active: bool) -> QueryResult<Vec<UserId>> {
    let users = ev::table
        .filter(ev::post_kind.eq(post_kind))
        .filter(ev::post_id.eq(post_id))
        .select(ev::user_id)
        .load(conn)?;
    diesel::update(
        ev::table
            .filter(ev::post_kind.eq(post_kind))
            .filter(ev::post_id.eq(post_id)),
    )
    .set(ev::active.eq(active))
    .execute(conn)?;
    Ok(users)
}

/// The sum of a user's active events.
pub fn sum_active(conn: &mut DbConn, user: UserId) -> QueryResult<i64> {
    let sum: Option<i64> = ev::table
        .filter(ev::user_id.eq(user))
        .filter(ev::active.eq(true))
        .select(diesel::dsl::sum(ev::amount))
        .first(conn)?;
    Ok(sum.unwrap_or(0))
}

/// Records many events, a thousand to a statement (multi-row statements do not go through
/// `MultiConnection`).
pub fn insert_many(conn: &mut DbConn, rows: &[NewEvent<'_>]) -> QueryResult<usize> {
    let mut written = 0;
    for part in rows.chunks(1000) {
        written += on_each_backend!(conn, |c| diesel::insert_into(ev::table).values(part).execute(c))?;
    }
    Ok(written)
}

/// The active events of `users` with one of `reasons` between two instants, as (user, time,
/// amount).
pub fn amounts_between(
    conn: &mut DbConn,
    users: &[UserId],
    reasons: &[&str],
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<(UserId, NaiveDateTime, i32)>> {
    ev::table
        .filter(ev::user_id.eq_any(users))
        .filter(ev::active.eq(true))
        .filter(ev::reason.eq_any(reasons))
        .filter(ev::created_at.ge(from))
        .filter(ev::created_at.lt(until))
        .select((ev::user_id, ev::created_at, ev::amount))
        .load(conn)
}

/// Every user's sum of active events (users without events are left out).
pub fn all_sums(conn: &mut DbConn) -> QueryResult<Vec<(UserId, Option<i64>)>> {
    ev::table
        .filter(ev::active.eq(true))
        .group_by(ev::user_id)
        .select((ev::user_id, diesel::dsl::sum(ev::amount)))
        .load(conn)
}

/// A page of a user's ledger, newest first, with the total number of rows.
pub fn page_for_user(
    conn: &mut DbConn,
    user: UserId,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ReputationEvent>, i64)> {
    let total = ev::table.filter(ev::user_id.eq(user)).count().get_result(conn)?;
    let rows = ev::table
        .filter(ev::user_id.eq(user))
        .order((ev::created_at.desc(), ev::id.desc()))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok((rows, total))
}

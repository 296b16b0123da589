//! `email_outbox`: durable queue of outgoing email. Rows are claimed with a conditional update
//! (a lease), so several workers or instances never send the same row at once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::OutboxId;
use crate::db::schema::email_outbox;
use crate::db::DbConn;

/// Waiting to be sent (or re-sent after a failure).
pub const PENDING: &str = "pending";
/// Delivered to the transport.
pub const SENT: &str = "sent";
/// Given up after the last retry.
pub const FAILED: &str = "failed";

/// An outbox row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct OutboxRow {
    pub id: OutboxId,
    pub dedupe_key: String,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// A message to queue.
#[derive(Debug, Insertable)]
#[diesel(table_name = email_outbox)]
pub struct NewOutbox<'a> {
    pub dedupe_key: &'a str,
    pub to_addr: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub status: &'a str,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// Queues a message unless one with the same dedupe key exists (one email per event).
/// Returns whether it was queued.
pub fn insert_unique(conn: &mut DbConn, new: &NewOutbox<'_>) -> QueryResult<bool> {
    let n = on_each_backend!(conn, |c| diesel::insert_into(email_outbox::table)
        .values(new)
        .on_conflict(email_outbox::dedupe_key)
        .do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Ids of up to `limit` messages due now and not leased by another worker.
pub fn due_ids(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<OutboxId>> {
    email_outbox::table
        .filter(email_outbox::status.eq(PENDING))
        .filter(email_outbox::next_attempt_at.le(now))
        .filter(
            email_outbox::locked_until
                .is_null()
                .or(email_outbox::locked_until.lt(now)),
        )
        .order(email_outbox::id)
        .select(email_outbox::id)
        .limit(limit)
        .load(conn)
}

/// Takes the lease on one message until `until`; `None` when another worker got it first.
pub fn claim(
    conn: &mut DbConn,
    id: OutboxId,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Option<OutboxRow>> {
    let won = diesel::update(
        email_outbox::table
            .find(id)
            .filter(email_outbox::status.eq(PENDING))
            .filter(
                email_outbox::locked_until
                    .is_null()
                    .or(email_outbox::locked_until.lt(now)),
            ),
    )
    .set((
        email_outbox::locked_until.eq(until),
        email_outbox::attempts.eq(email_outbox::attempts + 1),
    ))
    .execute(conn)?;
    if won == 0 {
        return Ok(None);
    }
    email_outbox::table.find(id).first(conn).map(Some)
}

/// Records delivery.
pub fn mark_sent(conn: &mut DbConn, id: OutboxId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::status.eq(SENT),
            email_outbox::sent_at.eq(at),
            email_outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// Records a failed attempt: retry at `next`, or give up when `next` is `None`.
pub fn mark_failed(conn: &mut DbConn, id: OutboxId, error: &str, next: Option<NaiveDateTime>) -> QueryResult<usize> {
    let target = email_outbox::table.find(id);
    let unlock = email_outbox::locked_until.eq(None::<NaiveDateTime>);
    match next {
        Some(at) => diesel::update(target)
            .set((
                email_outbox::last_error.eq(error),
                email_outbox::next_attempt_at.eq(at),
                unlock,
            ))
            .execute(conn),
        None => diesel::update(target)
            .set((
                email_outbox::last_error.eq(error),
                email_outbox::status.eq(FAILED),
                unlock,
            ))
            .execute(conn),
    }
}

/// Every message, oldest first (tests and the admin view).
pub fn list_all(conn: &mut DbConn) -> QueryResult<Vec<OutboxRow>> {
    email_outbox::table.order(email_outbox::id).load(conn)
}

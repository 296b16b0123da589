//! The durable outbox: `enqueue` runs inside the caller's transaction, so an email exists exactly
//! when its cause was committed; `deliver_due` sends due rows under a lease, with exponential backoff.

use chrono::{Duration, NaiveDateTime};

use super::compose::Composed;
use super::Mailer;
use crate::db::{Db, DbConn};
use crate::error::AppResult;
use crate::models::outbox as rows;

/// After this many failed attempts a message is marked failed (about 2.5 days of retries).
pub const MAX_ATTEMPTS: i32 = 12;
/// How long a worker holds a message while sending it.
const LEASE: Duration = Duration::minutes(5);

/// Queues `mail` to `to`, once per `dedupe_key` (the event that causes it).
pub fn enqueue(conn: &mut DbConn, dedupe_key: &str, to: &str, mail: &Composed, now: NaiveDateTime) -> AppResult<bool> {
    Ok(rows::insert_unique(
        conn,
        &rows::NewOutbox {
            dedupe_key,
            to_addr: to,
            subject: &mail.subject,
            body_text: &mail.text,
            body_html: &mail.html,
            status: rows::PENDING,
            next_attempt_at: now,
            created_at: now,
        },
    )?)
}

/// Delay before the next try after `attempts` failures: 30 s, 1 min, 2 min, ... capped at 6 hours.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    let secs = 30i64.saturating_mul(1i64 << exp);
    Duration::seconds(secs.min(6 * 3600))
}

/// What one pass of the worker did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Sends every message due at `now` (blocking; call from a blocking thread).
pub fn deliver_due(db: &Db, mailer: &Mailer, from: &str, host: &str, now: NaiveDateTime) -> AppResult<Pass> {
    let mut pass = Pass::default();
    let mut conn = db.get()?;
    let ids = rows::due_ids(&mut conn, now, 50)?;
    for id in ids {
        let Some(row) = rows::claim(&mut conn, id, now, now + LEASE)? else {
            continue;
        };
        match mailer.send(&row, from, host) {
            Ok(()) => {
                rows::mark_sent(&mut conn, id, crate::db::now())?;
                pass.sent += 1;
            }
            Err(error) => {
                let next = (row.attempts < MAX_ATTEMPTS).then(|| now + backoff(row.attempts));
                tracing::warn!(outbox_id = %id, attempts = row.attempts, %error, "email not sent");
                rows::mark_failed(&mut conn, id, &error.0, next)?;
                if next.is_some() {
                    pass.retried += 1;
                } else {
                    pass.failed += 1;
                }
            }
        }
    }
    Ok(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(30), Duration::hours(6));
    }
}

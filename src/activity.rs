//! Visits by signed-in members, for the activity KPIs, without a write in the request path: each
//! member's 15-minute slot is remembered in memory and written in batches by `flush`.

use std::collections::HashSet;
use std::sync::Mutex;

use chrono::NaiveDateTime;

use crate::db::ids::UserId;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::models::activity::{self, slot_of};

/// Most pending (member, slot) pairs kept between flushes.
pub const MAX_PENDING: usize = 200_000;

/// Deduplicated, batched visit slots.
#[derive(Default)]
pub struct Visits {
    pending: Mutex<HashSet<(UserId, NaiveDateTime)>>,
    written: Mutex<HashSet<(UserId, NaiveDateTime)>>,
}

impl Visits {
    /// Notes that `user` was here at `at`.
    pub fn record(&self, user: UserId, at: NaiveDateTime) {
        let key = (user, slot_of(at));
        if self.written.lock().is_ok_and(|w| w.contains(&key)) {
            return;
        }
        if let Ok(mut p) = self.pending.lock() {
            if p.len() < MAX_PENDING {
                p.insert(key);
            }
        }
    }

    /// Writes the pending slots; returns how many.
    pub fn flush(&self, conn: &mut DbConn) -> AppResult<usize> {
        let pending = match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(_) => return Ok(0),
        };
        for (user, slot) in &pending {
            activity::mark(conn, *user, *slot)?;
        }
        if let Ok(mut w) = self.written.lock() {
            // Only the current slots matter for deduplication: forget older ones.
            let newest = pending.iter().map(|(_, s)| *s).max();
            w.retain(|(_, s)| Some(*s) == newest);
            w.extend(pending.iter().copied());
        }
        Ok(pending.len())
    }
}

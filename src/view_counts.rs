//! Question view counts without a database write in the request path: a view is counted once per
//! visitor per question per window (about an hour), kept in memory, and added to the database in
//! batches by `flush`. A refresh storm or a crawler re-reading pages costs a hash lookup.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::db::ids::QuestionId;
use diesel::Connection;

use crate::db::DbConn;
use crate::error::AppResult;

/// A visitor is counted again after somewhere between one and two windows.
pub const WINDOW: Duration = Duration::from_secs(30 * 60);
/// Most distinct (visitor, question) pairs remembered per window; beyond it views are not counted
/// until the window turns, which bounds memory under a flood of distinct visitors.
pub const MAX_SEEN: usize = 500_000;

struct Inner {
    current: HashSet<(QuestionId, u64)>,
    previous: HashSet<(QuestionId, u64)>,
    turned_at: Instant,
    pending: HashMap<QuestionId, i64>,
}

/// Deduplicated, batched view counting.
pub struct ViewCounts {
    inner: Mutex<Inner>,
}

impl Default for ViewCounts {
    fn default() -> Self {
        ViewCounts {
            inner: Mutex::new(Inner {
                current: HashSet::new(),
                previous: HashSet::new(),
                turned_at: Instant::now(),
                pending: HashMap::new(),
            }),
        }
    }
}

impl ViewCounts {
    /// Records that `visitor` (a hash of who they are) viewed `question`; true if it counted.
    pub fn record(&self, question: QuestionId, visitor: u64) -> bool {
        let Ok(mut g) = self.inner.lock() else { return false };
        if g.turned_at.elapsed() >= WINDOW {
            g.previous = std::mem::take(&mut g.current);
            g.turned_at = Instant::now();
        }
        let key = (question, visitor);
        if g.previous.contains(&key) || g.current.contains(&key) || g.current.len() >= MAX_SEEN {
            return false;
        }
        g.current.insert(key);
        *g.pending.entry(question).or_insert(0) += 1;
        true
    }

    /// Adds the pending counts to the database; returns how many views were written.
    pub fn flush(&self, conn: &mut DbConn) -> AppResult<i64> {
        let pending = match self.inner.lock() {
            Ok(mut g) => std::mem::take(&mut g.pending),
            Err(_) => return Ok(0),
        };
        // One transaction, one commit: at a busy time thousands of questions have new views,
        // and a commit each was a disk flush each. In id order, so two instances flushing at
        // once take their row locks in the same order.
        let mut batch: Vec<(QuestionId, i64)> = pending.into_iter().collect();
        batch.sort_unstable();
        let written = conn.transaction(|c| {
            for (question, n) in &batch {
                crate::models::question::add_views(c, *question, *n)?;
            }
            diesel::QueryResult::Ok(batch.iter().map(|(_, n)| n).sum())
        });
        if written.is_err() {
            // Not lost: counted again at the next flush.
            if let Ok(mut g) = self.inner.lock() {
                for (question, n) in batch {
                    *g.pending.entry(question).or_insert(0) += n;
                }
            }
        }
        Ok(written?)
    }
}

/// A stable visitor key: the user id when signed in, else the address and browser.
pub fn visitor_key(user: Option<i64>, ip: &str, user_agent: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match user {
        Some(id) => ("user", id).hash(&mut h),
        None => ("anon", ip, user_agent).hash(&mut h),
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visitor_counts_once() {
        let v = ViewCounts::default();
        let q = QuestionId(1);
        assert!(v.record(q, 7));
        for _ in 0..1000 {
            assert!(!v.record(q, 7));
        }
        assert!(v.record(q, 8));
        assert!(v.record(QuestionId(2), 7));
        assert_eq!(v.inner.lock().unwrap().pending.get(&q), Some(&2));
    }
}

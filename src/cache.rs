//! Small in-process caches for values that may be a little stale (a page's live statistic):
//! each instance recomputes at most once per time-to-live. `pages` keeps rendered pages,
//! `renders` lets one request at a time render each.

pub mod pages;
pub mod renders;

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One value, recomputed when older than its time-to-live.
#[derive(Debug)]
pub struct Briefly<T> {
    ttl: Duration,
    slot: Mutex<Option<(Instant, T)>>,
}

impl<T: Clone> Briefly<T> {
    /// An empty cell keeping values for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Briefly {
            ttl,
            slot: Mutex::new(None),
        }
    }

    /// The cached value if it is fresh.
    pub fn get(&self) -> Option<T> {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        slot.as_ref()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    /// Keeps `value` from now.
    pub fn put(&self, value: T) {
        *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_expire() {
        let c = Briefly::new(Duration::from_millis(30));
        assert_eq!(c.get(), None::<i32>);
        c.put(5);
        assert_eq!(c.get(), Some(5));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get(), None);
    }
}

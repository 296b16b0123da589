//! Login throttling per account and per client IP. `LoginThrottle` is the seam a Redis-backed
//! limiter plugs into for several instances; `MemoryThrottle` is the in-process default.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The window over which the configured number of attempts is allowed.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Decides whether one more login attempt may proceed.
pub trait LoginThrottle: Send + Sync {
    /// `Ok` to go on, or `Err(seconds)` to wait. Every call counts as an attempt.
    fn attempt(&self, account: &str, ip: &str) -> Result<(), u64>;
}

/// Keyed token buckets in memory: `per_account` and `per_ip` attempts per 15 minutes, refilled evenly.
pub struct MemoryThrottle {
    accounts: DefaultKeyedRateLimiter<String>,
    ips: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl MemoryThrottle {
    /// Limits with the given number of attempts per window.
    pub fn new(per_account: u32, per_ip: u32) -> Self {
        MemoryThrottle {
            accounts: RateLimiter::keyed(quota(per_account)),
            ips: RateLimiter::keyed(quota(per_ip)),
            clock: DefaultClock::default(),
        }
    }
}

fn quota(n: u32) -> Quota {
    let n = NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
    let period = WINDOW / n.get();
    Quota::with_period(period).map_or_else(|| Quota::per_minute(n), |q| q.allow_burst(n))
}

impl LoginThrottle for MemoryThrottle {
    fn attempt(&self, account: &str, ip: &str) -> Result<(), u64> {
        let wait = |limiter: &DefaultKeyedRateLimiter<String>, key: &str| {
            limiter
                .check_key(&key.to_owned())
                .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs().max(1))
        };
        // The IP bucket is charged first so that guessing across many accounts from one
        // address is slowed even when each account has attempts left.
        wait(&self.ips, ip)?;
        wait(&self.accounts, &account.to_lowercase())?;
        // Keep the maps from growing without bound under a spray of random names.
        if self.accounts.len() > 100_000 {
            self.accounts.retain_recent();
        }
        if self.ips.len() > 100_000 {
            self.ips.retain_recent();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_and_ip_limits() {
        let t = MemoryThrottle::new(3, 5);
        for _ in 0..3 {
            assert!(t.attempt("Alice", "1.1.1.1").is_ok());
        }
        let wait = t.attempt("alice", "1.1.1.2").unwrap_err();
        assert!((1..=15 * 60).contains(&wait));
        assert!(t.attempt("bob", "1.1.1.1").is_ok());
        assert!(t.attempt("carol", "1.1.1.1").is_ok());
        assert!(t.attempt("dave", "1.1.1.1").is_err(), "per-IP limit");
    }
}

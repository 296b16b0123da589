//! One render at a time per page: when many visitors miss the same page at once (right after a
//! write, or when a busy page expires), the first renders it and the others wait for that page
//! instead of all running the same queries. At a million questions a list page's first render
//! took seconds, and thirty-two connections each running it made every one slower.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tokio::sync::watch;

/// Renders in progress, by address.
#[derive(Default)]
pub struct Renders {
    next_token: AtomicU64,
    running: Mutex<HashMap<String, Running>>,
}

struct Running {
    generation: i64,
    token: u64,
    done: watch::Receiver<bool>,
}

/// The answer to "may I render this page?".
pub enum Claim<'a> {
    /// Render it; others asking meanwhile wait until this is dropped.
    Mine(Rendering<'a>),
    /// Someone is rendering it under the same generation: wait with `Finished::wait`.
    Theirs(Finished),
}

/// Held while rendering; dropping it (the page stored, or the render failed or was abandoned)
/// releases the waiters.
pub struct Rendering<'a> {
    renders: &'a Renders,
    key: String,
    token: u64,
    /// Set to true when the response is not one the cache keeps.
    done: watch::Sender<bool>,
}

impl Rendering<'_> {
    /// The response was not kept (an error, a 404): the waiters render their own at once rather
    /// than one after another.
    pub fn no_page(self) {
        self.done.send_replace(true);
    }
}

/// Resolves when the render another request claimed has ended, however it ended.
pub struct Finished(watch::Receiver<bool>);

/// How a render that was waited for ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// Probably with a page in the cache (look it up; it may have been abandoned).
    Stored,
    /// With a response the cache does not keep.
    NoPage,
}

impl Finished {
    /// Waits until the render ends (its claim is dropped).
    pub async fn wait(mut self) -> Ended {
        while self.0.changed().await.is_ok() {}
        if *self.0.borrow() {
            Ended::NoPage
        } else {
            Ended::Stored
        }
    }
}

impl Renders {
    /// Claims the render of `key` under `generation`, unless one is already running for the same
    /// generation. A render for an older generation is superseded (its page would not be served
    /// under this one); one for a newer generation is left alone and this render is not shared.
    pub fn claim(&self, key: &str, generation: i64) -> Claim<'_> {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let (tx, rx) = watch::channel(false);
        let token = self.next_token.fetch_add(1, Ordering::Relaxed) + 1;
        match running.get(key) {
            Some(r) if r.generation == generation => return Claim::Theirs(Finished(r.done.clone())),
            Some(r) if r.generation > generation => {
                // token 0 is never registered: dropping this claim removes nothing.
                return Claim::Mine(Rendering {
                    renders: self,
                    key: key.to_owned(),
                    token: 0,
                    done: tx,
                });
            }
            _ => {}
        }
        running.insert(
            key.to_owned(),
            Running {
                generation,
                token,
                done: rx,
            },
        );
        Claim::Mine(Rendering {
            renders: self,
            key: key.to_owned(),
            token,
            done: tx,
        })
    }

    /// Renders in progress (for tests).
    pub fn running(&self) -> usize {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        // Removed before the sender drops, so a woken waiter that claims again is not told to wait
        // for this finished render.
        let mut running = self.renders.running.lock().unwrap_or_else(|p| p.into_inner());
        if running.get(&self.key).is_some_and(|r| r.token == self.token) {
            running.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_second_asker_waits_for_the_first_render() {
        let r = Renders::default();
        let Claim::Mine(first) = r.claim("/", 3) else {
            panic!("nothing was running")
        };
        let Claim::Theirs(finished) = r.claim("/", 3) else {
            panic!("the same page under the same generation is shared")
        };
        assert!(matches!(r.claim("/tags", 3), Claim::Mine(_)), "another page is not");
        let waiter = tokio::spawn(finished.wait());
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        drop(first);
        let ended = tokio::time::timeout(std::time::Duration::from_secs(5), waiter)
            .await
            .expect("the waiter is released when the render ends")
            .expect("the waiter did not panic");
        assert_eq!(ended, Ended::Stored);
        assert_eq!(r.running(), 0);
        assert!(
            matches!(r.claim("/", 3), Claim::Mine(_)),
            "a finished render is not waited for"
        );
    }

    #[tokio::test]
    async fn waiters_hear_when_there_is_no_page_to_wait_for() {
        let r = Renders::default();
        let Claim::Mine(first) = r.claim("/gone", 1) else {
            panic!()
        };
        let Claim::Theirs(finished) = r.claim("/gone", 1) else {
            panic!()
        };
        first.no_page();
        assert_eq!(finished.wait().await, Ended::NoPage);
        assert_eq!(r.running(), 0);
    }

    #[test]
    fn a_newer_generation_is_rendered_afresh_and_an_older_one_is_not_registered() {
        let r = Renders::default();
        let Claim::Mine(old) = r.claim("/", 3) else { panic!() };
        let Claim::Mine(new) = r.claim("/", 4) else {
            panic!("a page from before a write cannot stand in for one after it")
        };
        // The superseded render ending leaves the newer one registered.
        drop(old);
        assert!(matches!(r.claim("/", 4), Claim::Theirs(_)));
        let Claim::Mine(late) = r.claim("/", 3) else {
            panic!("a request that read the older generation renders its own page")
        };
        drop(late);
        assert!(matches!(r.claim("/", 4), Claim::Theirs(_)));
        drop(new);
        assert_eq!(r.running(), 0);
    }
}

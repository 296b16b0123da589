//! Rendered pages for anonymous visitors, kept by address. A page is served again only while the
//! content generation it was rendered under is current (any write makes every page stale) and
//! for at most `FRESH_FOR` (pages show relative times such as "5 min ago"). Memory is bounded by
//! the bytes held: the least recently used pages go first. A page past `FRESH_FOR` but rendered
//! under the current generation may still be served for as long again while one request renders
//! its successor (`Lookup::Stale`, `renders`): nothing in it changed but its relative times.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use lru::LruCache;

use super::renders::{Claim, Renders};
use crate::db::ids::QuestionId;

/// Longest a page is served from memory even when nothing was written.
pub const FRESH_FOR: Duration = Duration::from_secs(30);

/// What a stored page weighs beyond its body and address (headers, bookkeeping).
const OVERHEAD: usize = 512;

/// Put in a question page's response extensions: the page counts as a view of this question.
#[derive(Debug, Clone, Copy)]
pub struct CountsAsView(pub QuestionId);

/// One rendered response.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// A question page: each serving counts as a view of this question.
    pub view_of: Option<QuestionId>,
}

struct Stored {
    generation: i64,
    at: Instant,
    page: Arc<Page>,
    weight: usize,
}

struct Inner {
    pages: LruCache<String, Stored>,
    bytes: usize,
}

/// The cache. One per instance; the generation it is checked against is shared.
pub struct PageCache {
    budget: usize,
    fresh_for: Duration,
    inner: Mutex<Inner>,
    renders: Renders,
}

/// What the cache holds for an address under a generation.
pub enum Lookup {
    Fresh(Arc<Page>),
    /// Past its freshness but nothing was written since: fit to serve while a new one renders.
    Stale(Arc<Page>),
    Missing,
}

impl PageCache {
    /// A cache holding at most `budget` bytes of pages (0: holds nothing).
    pub fn new(budget: usize, fresh_for: Duration) -> Self {
        PageCache {
            budget,
            fresh_for,
            inner: Mutex::new(Inner {
                pages: LruCache::unbounded(),
                bytes: 0,
            }),
            renders: Renders::default(),
        }
    }

    /// False when the budget is zero: callers then skip the generation lookup too.
    pub fn enabled(&self) -> bool {
        self.budget > 0
    }

    /// The page stored for `key` if it was rendered under `generation` and is still fresh.
    pub fn get(&self, key: &str, generation: i64) -> Option<Arc<Page>> {
        match self.lookup(key, generation) {
            Lookup::Fresh(page) => Some(page),
            Lookup::Stale(_) | Lookup::Missing => None,
        }
    }

    /// The page stored for `key`, fresh or stale; a page of another generation, or stale for
    /// longer than it was fresh, is dropped.
    pub fn lookup(&self, key: &str, generation: i64) -> Lookup {
        let mut g = self.lock();
        let Some(stored) = g.pages.get(key) else {
            return Lookup::Missing;
        };
        let age = stored.at.elapsed();
        if stored.generation == generation && age < self.fresh_for {
            return Lookup::Fresh(stored.page.clone());
        }
        if stored.generation == generation && age < 2 * self.fresh_for {
            return Lookup::Stale(stored.page.clone());
        }
        if let Some(old) = g.pages.pop(key) {
            g.bytes -= old.weight;
        }
        Lookup::Missing
    }

    /// Claims the render of `key` under `generation` (see `renders`).
    pub fn claim(&self, key: &str, generation: i64) -> Claim<'_> {
        self.renders.claim(key, generation)
    }

    /// Keeps `page` for `key`, rendered under `generation`, evicting the least recently used
    /// pages to stay within the budget. A page larger than the budget is not kept.
    pub fn put(&self, key: String, generation: i64, page: Page) {
        let weight = key.len() + page.body.len() + OVERHEAD;
        if weight > self.budget {
            return;
        }
        let mut g = self.lock();
        let stored = Stored {
            generation,
            at: Instant::now(),
            page: Arc::new(page),
            weight,
        };
        if let Some(old) = g.pages.put(key, stored) {
            g.bytes -= old.weight;
        }
        g.bytes += weight;
        while g.bytes > self.budget {
            match g.pages.pop_lru() {
                Some((_, old)) => g.bytes -= old.weight,
                None => break,
            }
        }
    }

    /// Drops every page (the settings they were rendered with changed).
    pub fn clear(&self) {
        let mut g = self.lock();
        g.pages.clear();
        g.bytes = 0;
    }

    /// Bytes held now (for tests and the benchmark notes).
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(len: usize) -> Page {
        Page {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; len]),
            view_of: None,
        }
    }

    #[test]
    fn a_page_is_served_only_under_its_generation() {
        let c = PageCache::new(1 << 20, FRESH_FOR);
        c.put("/".into(), 7, page(100));
        assert!(c.get("/", 7).is_some());
        assert!(c.get("/", 8).is_none());
        // The stale page is gone, not merely skipped.
        assert!(c.get("/", 7).is_none());
        assert_eq!(c.bytes(), 0);
    }

    #[test]
    fn pages_expire_and_stay_fit_to_stand_in_for_as_long_again() {
        let c = PageCache::new(1 << 20, Duration::from_millis(50));
        c.put("/".into(), 1, page(10));
        assert!(matches!(c.lookup("/", 1), Lookup::Fresh(_)));
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get("/", 1).is_none());
        assert!(matches!(c.lookup("/", 1), Lookup::Stale(_)));
        assert!(matches!(c.lookup("/", 2), Lookup::Missing), "never after a write");
        c.put("/".into(), 1, page(10));
        std::thread::sleep(Duration::from_millis(110));
        assert!(matches!(c.lookup("/", 1), Lookup::Missing));
        assert_eq!(c.bytes(), 0);
    }

    #[test]
    fn the_least_recently_used_pages_leave_first_and_the_budget_holds() {
        let each = 1000 + 2 + OVERHEAD;
        let c = PageCache::new(3 * each, FRESH_FOR);
        for key in ["/a", "/b", "/c"] {
            c.put(key.into(), 1, page(1000));
        }
        assert!(c.get("/a", 1).is_some());
        c.put("/d".into(), 1, page(1000));
        assert!(c.get("/b", 1).is_none(), "b was the least recently used");
        assert!(c.get("/a", 1).is_some() && c.get("/c", 1).is_some() && c.get("/d", 1).is_some());
        assert_eq!(c.bytes(), 3 * each);
        // Replacing a page counts its weight once.
        c.put("/a".into(), 2, page(1000));
        assert_eq!(c.bytes(), 3 * each);
    }

    #[test]
    fn nothing_is_kept_beyond_the_budget() {
        let c = PageCache::new(1000, FRESH_FOR);
        c.put("/big".into(), 1, page(5000));
        assert!(c.get("/big", 1).is_none());
        assert_eq!(c.bytes(), 0);
        assert!(!PageCache::new(0, FRESH_FOR).enabled());
    }
}

//! Request middleware: session resolution and CSRF (`session`), branded error pages (`error_pages`),
//! security and cache headers (`headers`), and the anonymous page cache (`page_cache`).

pub mod error_pages;
pub mod headers;
pub mod page_cache;
pub mod session;

//! Request middleware: session resolution and CSRF (`session`), branded error pages (`error_pages`),
//! and security and cache headers (`headers`).

pub mod error_pages;
pub mod headers;
pub mod session;

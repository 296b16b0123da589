//! Read models: what the busiest pages show, each loaded in a fixed number of queries and
//! filtered by the one visibility rule (`db::visibility`, `domain::access::visibility`). Pages
//! read through here; rules that change things live in `domain`.
//!
//! - `thread`: a question page's content (question, answers, comments, authors, the viewer's
//!   votes and follow).
//! - `listing`: question lists with sorts, filters that combine, and bounded pages.
//! - `people`: profile tabs, the users directory and the leaderboards.

pub mod listing;
pub mod people;
pub mod thread;

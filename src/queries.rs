//! Read models: what the busiest pages show, each loaded in a fixed number of queries and
//! filtered by the one visibility rule (`db::visibility`, `domain::access::visibility`). Pages
//! read through here; rules that change things live in `domain`.
//!
//! - `thread`: a question page's content (question, answers, comments, authors, the viewer's
//!   votes and follow).
//! - `listing`: question lists with sorts, filters that combine, and bounded pages.
//! - `people`: profile tabs, the users directory and the leaderboards.
//! - `badge_history`: every post, vote and accept, for the badge sweep over history.
//! - `kpi_facts`: what the KPI engine reads (question facts, sign-ups, surveys, open questions).

pub mod badge_history;
pub mod kpi_facts;
pub mod listing;
pub mod people;
pub mod thread;

//! The rules of the product, free of the web framework and tested directly. One folder per
//! product area; each area's own `//!` map says what lives in it.
//!
//! - `access`: who may do what — privileges earned by reputation, and the audit log of
//!   privileged actions.
//! - `qa`: questions, answers and comments — posting, editing, voting and accepting, a thread's
//!   state, lists, search, categories, tags and the post-resolution survey.
//! - `reputation`: the ledger of reputation events and each member's total.
//! - `badges`: the catalogue and its rules, badges earned from history, manual badges.
//! - `members`: accounts, profiles, avatars, API tokens, managing users, the people pages.
//! - `notifications`: in-app notifications.
//! - `kpi`: the community-health KPIs — statistics, the engine, series, reports and the digest.
//! - `site`: settings admins change — branding, support hours and business time.
//! - `import`: loading a community with its history from a file.
//! - `fields`: per-field validation messages shared by every form.
//!
//! Moderation, beta groups and notification delivery get areas of their own beside these.

pub mod access;
pub mod badges;
pub mod fields;
pub mod import;
pub mod kpi;
pub mod members;
pub mod notifications;
pub mod qa;
pub mod reputation;
pub mod site;

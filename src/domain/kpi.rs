//! Community-health KPIs (DESIGN §7).
//!
//! - `stats`: the contract's statistics (median, mean, p90) and durations in words.
//! - `engine`: the KPI object for a period, a category or a group.
//! - `series`: the period cut into days, weeks or months, and the numbers of each slice.
//! - `reports`: the questions waiting longest, and the object as CSV.
//! - `tables`: the dashboard's report (period, previous period, breakdowns, waiting list, trend)
//!   and each of its tables as CSV.
//! - `digest`: the weekly digest email to staff.

pub mod digest;
pub mod engine;
pub mod reports;
pub mod series;
pub mod stats;
pub mod tables;

//! The staff KPI dashboard: headline numbers beside the previous period, each with how it is
//! computed; the breakdown by category and by beta group; the questions waiting longest.

use askama::Template;

use super::questions::Choice;
use super::PageContext;

/// One headline number.
pub struct Headline {
    pub label: &'static str,
    pub value: String,
    pub previous: String,
    pub help: String,
}

/// One category's line of the breakdown.
pub struct CategoryLine {
    pub name: String,
    pub asked: i64,
    pub response_rate: String,
    pub median_first_response: String,
    pub resolution_rate: String,
    pub sla: String,
}

/// One waiting question.
pub struct WaitingLine {
    pub url: String,
    pub title: String,
    pub category: String,
    pub asked: String,
    pub waited: String,
    pub breached: bool,
}

/// `/staff/kpis`.
#[derive(Template)]
#[template(path = "staff/kpis.html")]
pub struct DashboardPage {
    pub page: PageContext,
    pub periods: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub previous: String,
    pub time_zone: String,
    pub categories: Vec<Choice>,
    pub groups: Vec<Choice>,
    pub headlines: Vec<Headline>,
    pub breakdown: Vec<CategoryLine>,
    /// The same by beta group (empty when there are none).
    pub groups_breakdown: Vec<CategoryLine>,
    pub waiting: Vec<WaitingLine>,
    /// The query string of this view, for the CSV links.
    pub query: String,
    pub can_export: bool,
}

/// A rate as a percentage, or a dash when there is nothing to divide by.
pub fn pct(v: Option<f64>) -> String {
    v.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_else(|| "—".into())
}

/// A number to one decimal, or a dash.
pub fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

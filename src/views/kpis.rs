//! The staff KPI dashboard: headline numbers beside the previous period, each with how it is
//! computed; the breakdown by category and by beta group; the questions waiting longest.

use askama::Template;

use super::charts::{self, Chart, Series, Unit};
use super::questions::{duration_words, Choice};
use super::PageContext;
use crate::domain::kpi::series::{Bucket, Step, Tally};
use crate::error::AppResult;

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

/// One row of the table behind the charts.
pub struct TrendRow {
    pub label: String,
    pub asked: i64,
    pub with_response: i64,
    pub resolved: i64,
    pub median: String,
    pub p90: String,
    pub sla: String,
}

/// The period's trend: three charts and the numbers they plot.
pub struct Trend {
    /// What one point is: day, week or month.
    pub step: &'static str,
    pub charts: Vec<String>,
    pub rows: Vec<TrendRow>,
}

/// A point's label on the x axis.
fn point_label(step: Step, b: &Bucket) -> String {
    match step {
        Step::Month => b.first.format("%b %Y").to_string(),
        _ => b.first.format("%b %-d").to_string(),
    }
}

impl Trend {
    /// The charts of the buckets: questions asked, responded to and resolved; median and p90 first
    /// response; SLA compliance.
    pub fn of(step: Step, buckets: &[Bucket], sla_minutes: i64) -> AppResult<Trend> {
        let noun = step.noun();
        let labels: Vec<String> = buckets.iter().map(|b| point_label(step, b)).collect();
        let count = |f: fn(&Tally) -> i64| buckets.iter().map(|b| Some(f(&b.tally) as f64)).collect();
        let spread: Vec<_> = buckets.iter().map(|b| b.tally.first_response_spread()).collect();
        let first = labels.first().cloned().unwrap_or_default();
        let last = labels.last().cloned().unwrap_or_default();
        let charts = [
            Chart {
                id: "chart-questions",
                title: format!("Questions asked, with a response and resolved, by {noun}"),
                description: format!(
                    "Lines for the questions asked each {noun} from {first} to {last}, how many of them have a response now, and how many are resolved now. The table below lists the values."
                ),
                unit: Unit::Count,
                labels: labels.clone(),
                series: vec![
                    Series { name: "Asked", values: count(|t| t.asked) },
                    Series { name: "With a response", values: count(|t| t.with_response) },
                    Series { name: "Resolved", values: count(|t| t.resolved) },
                ],
            },
            Chart {
                id: "chart-first-response",
                title: format!("First response time in hours, median and 90th percentile, by {noun}"),
                description: format!(
                    "For the questions asked each {noun} from {first} to {last} that have a response, the median and the 90th percentile of the wall-clock time to it; gaps where none has one."
                ),
                unit: Unit::Hours,
                labels: labels.clone(),
                series: vec![
                    Series { name: "Median", values: spread.iter().map(|s| s.median).collect() },
                    Series { name: "90th percentile", values: spread.iter().map(|s| s.p90).collect() },
                ],
            },
            Chart {
                id: "chart-sla",
                title: format!("SLA compliance by {noun}"),
                description: format!(
                    "The share of each {noun}'s questions answered within {sla_minutes} business minutes, among those with a response or waiting past the target, from {first} to {last}."
                ),
                unit: Unit::Percent,
                labels: labels.clone(),
                series: vec![Series {
                    name: "Within the target",
                    values: buckets.iter().map(|b| b.tally.sla_compliance()).collect(),
                }],
            },
        ];
        let rows = buckets
            .iter()
            .zip(&spread)
            .map(|(b, s)| TrendRow {
                label: if b.first == b.last {
                    b.first.to_string()
                } else {
                    format!("{} to {}", b.first, b.last)
                },
                asked: b.tally.asked,
                with_response: b.tally.with_response,
                resolved: b.tally.resolved,
                median: s.median.map(duration_words).unwrap_or_else(|| "—".into()),
                p90: s.p90.map(duration_words).unwrap_or_else(|| "—".into()),
                sla: pct(b.tally.sla_compliance()),
            })
            .collect();
        Ok(Trend {
            step: noun,
            charts: charts.iter().map(charts::render).collect::<AppResult<_>>()?,
            rows,
        })
    }
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
    pub trend: Trend,
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

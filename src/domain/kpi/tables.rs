//! The KPI dashboard's report: the period and the one before it, the breakdowns by category and
//! by beta group, the questions waiting longest and the trend; and each of its tables as CSV
//! (members' text through the one formula rule of `csv_export`).

use crate::csv_export::{self, CsvWriter};
use crate::domain::kpi::engine::{Kpis, Tally};
use crate::domain::kpi::reports::{self, Waiting};
use crate::domain::kpi::series::{Bucket, Step};
use crate::error::{AppError, AppResult};

/// Everything the dashboard shows for one query.
pub struct Report {
    pub now: Kpis,
    pub before: Kpis,
    pub by_category: Vec<(String, Tally)>,
    pub by_group: Vec<(String, Tally)>,
    pub waiting: Vec<Waiting>,
    pub trend: (Step, Vec<Bucket>),
}

/// The tables a CSV download may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Summary,
    Categories,
    Trend,
    Unanswered,
}

impl Table {
    /// `summary`, `categories`, `trend` or `unanswered`; anything else is refused.
    pub fn parse(s: &str) -> AppResult<Self> {
        Ok(match s {
            "summary" => Table::Summary,
            "categories" => Table::Categories,
            "trend" => Table::Trend,
            "unanswered" => Table::Unanswered,
            _ => {
                return Err(AppError::BadRequest(
                    "table must be summary, categories, trend or unanswered.".into(),
                ))
            }
        })
    }

    /// The name in URLs and file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Table::Summary => "summary",
            Table::Categories => "categories",
            Table::Trend => "trend",
            Table::Unanswered => "unanswered",
        }
    }
}

impl Report {
    /// One table of the report as CSV.
    pub fn table_csv(self, table: Table) -> AppResult<String> {
        let c = self;
        let mut w;
        let f = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        match table {
            Table::Summary => {
                w = CsvWriter::with_header(&["metric", "value"])?;
                for (k, v) in reports::flatten(&c.now) {
                    w.row([k, v])?;
                }
            }
            Table::Categories => {
                w = CsvWriter::with_header(&[
                    "category",
                    "questions_asked",
                    "response_rate",
                    "first_response_minutes_median",
                    "resolution_rate",
                    "sla_compliance_rate",
                ])?;
                for (name, k) in c.by_category {
                    w.row([
                        csv_export::text(&name),
                        k.asked.to_string(),
                        f(k.response_rate()),
                        f(k.median_first_response()),
                        f(k.resolution_rate()),
                        f(k.sla_compliance()),
                    ])?;
                }
            }
            Table::Trend => {
                w = CsvWriter::with_header(&[
                    "first_day",
                    "last_day",
                    "questions_asked",
                    "questions_with_response",
                    "questions_resolved",
                    "first_response_minutes_median",
                    "first_response_minutes_p90",
                    "sla_compliance_rate",
                ])?;
                for b in &c.trend.1 {
                    let s = b.tally.first_response_spread();
                    w.row([
                        b.first.to_string(),
                        b.last.to_string(),
                        b.tally.asked.to_string(),
                        b.tally.with_response.to_string(),
                        b.tally.resolved.to_string(),
                        f(s.median),
                        f(s.p90),
                        f(b.tally.sla_compliance()),
                    ])?;
                }
            }
            Table::Unanswered => {
                w = CsvWriter::with_header(&[
                    "question_id",
                    "title",
                    "category",
                    "asked_at",
                    "business_minutes_waiting",
                    "sla_breached",
                ])?;
                for q in c.waiting {
                    w.row([
                        q.id.to_string(),
                        csv_export::text(&q.title),
                        csv_export::text(&q.category),
                        q.asked.to_string(),
                        q.business_minutes.to_string(),
                        q.sla_breached.to_string(),
                    ])?;
                }
            }
        }
        w.finish()
    }
}

//! What the KPI dashboard, the CSV downloads and the command line make of the engine: the open
//! questions waiting longest, and the object as CSV.

use chrono::{NaiveDate, NaiveDateTime};

use crate::csv_export::CsvWriter;
use crate::db::ids::QuestionId;
use crate::db::DbConn;
use crate::domain::kpi::engine::{scope, KpiQuery, Kpis};
use crate::domain::site::support::Support;
use crate::error::{AppError, AppResult};

/// An open question still waiting for its first response.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub id: QuestionId,
    pub title: String,
    pub category: String,
    pub asked: NaiveDateTime,
    /// Business minutes since it was asked.
    pub business_minutes: f64,
    pub sla_breached: bool,
}

/// The open questions with no response, oldest first (the SLA queue's order).
pub fn slowest_unanswered(
    conn: &mut DbConn,
    q: &KpiQuery,
    support: &Support,
    now: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<Waiting>> {
    let cats = scope(conn, q)?;
    let rows = crate::queries::kpi_facts::oldest_unanswered(conn, cats, limit)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, title, category, asked)| {
            let asked = asked?;
            let b = support.schedule.business_minutes(asked, now);
            Some(Waiting {
                id,
                title,
                category,
                asked,
                business_minutes: b,
                sla_breached: !support.within_sla(asked, now),
            })
        })
        .collect())
}

/// The object as `key,value` rows (nested keys joined by `.`, null as empty), for CSV.
pub fn flatten(k: &Kpis) -> Vec<(String, String)> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    let name = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(&name, value, out);
                }
            }
            serde_json::Value::Null => out.push((prefix.to_owned(), String::new())),
            serde_json::Value::String(s) => out.push((prefix.to_owned(), s.clone())),
            other => out.push((prefix.to_owned(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk("", &serde_json::to_value(k).unwrap_or_default(), &mut out);
    out
}

/// The CSV of `flatten`, with a header.
pub fn to_csv(k: &Kpis) -> AppResult<String> {
    let mut w = CsvWriter::with_header(&["metric", "value"])?;
    for (key, value) in flatten(k) {
        w.row([key, value])?;
    }
    w.finish()
}

/// Parses `YYYY-MM-DD` for a period bound named `what`.
pub fn parse_day(what: &str, s: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest(format!("{what} must be a date like 2026-11-30.")))
}

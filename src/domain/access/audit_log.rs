//! Reading the audit log: the filters staff choose, a page of entries with their targets named,
//! and the same selection as CSV.

use chrono::NaiveDate;

use crate::csv_export::{self, CsvWriter};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::models::audit::{self, AuditEntry, AuditFilter};
use crate::models::user;

/// An entry, the actor's username (`None`: the system) and what its target is.
pub type Line = (AuditEntry, Option<String>, Described);

/// The checked filters.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub actor: String,
    pub action: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn date(value: Option<&str>, name: &str) -> AppResult<Option<NaiveDate>> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::BadRequest(format!("'{name}' must be a date like 2026-01-31."))),
    }
}

impl Filters {
    /// The filters as a form sends them; dates are `YYYY-MM-DD`, both ends inclusive.
    pub fn parse(actor: Option<&str>, action: Option<&str>, from: Option<&str>, to: Option<&str>) -> AppResult<Self> {
        Ok(Filters {
            actor: actor.unwrap_or_default().trim().to_owned(),
            action: action.unwrap_or_default().trim().to_owned(),
            from: date(from, "from")?,
            to: date(to, "to")?,
        })
    }

    /// The database filter; `None` when the named actor does not exist (nothing can match).
    fn resolve(&self, c: &mut DbConn) -> AppResult<Option<AuditFilter>> {
        let mut filter = AuditFilter {
            actor: None,
            action: Some(self.action.clone()).filter(|a| !a.is_empty()),
            from: self.from.and_then(|d| d.and_hms_opt(0, 0, 0)),
            until: self.to.and_then(|d| d.succ_opt()).and_then(|d| d.and_hms_opt(0, 0, 0)),
        };
        if !self.actor.is_empty() {
            match user::find_by_username(c, &self.actor)? {
                Some(u) => filter.actor = Some(u.id),
                None => return Ok(None),
            }
        }
        Ok(Some(filter))
    }

    /// The filters as a query string, for page links and the CSV link.
    pub fn query_string(&self) -> String {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        serde_urlencoded::to_string([
            ("actor", self.actor.as_str()),
            ("action", self.action.as_str()),
            ("from", &day(self.from)),
            ("to", &day(self.to)),
        ])
        .unwrap_or_default()
    }
}

/// A page of matching entries, newest first, with their targets named, and how many match.
pub fn page(c: &mut DbConn, f: &Filters, limit: i64, offset: i64) -> AppResult<(Vec<Line>, i64)> {
    let Some(filter) = f.resolve(c)? else {
        return Ok((Vec::new(), 0));
    };
    let (rows, total) = audit::list(c, &filter, limit, offset)?;
    let targets: Vec<_> = rows
        .iter()
        .map(|(e, _)| (e.target_type.clone(), e.target_id.clone()))
        .collect();
    let described = describe_targets(c, &targets)?;
    let lines = rows.into_iter().zip(described).map(|((e, a), d)| (e, a, d)).collect();
    Ok((lines, total))
}

/// The matching entries (at most `limit`, newest first) as CSV; every cell through the one
/// formula rule of `csv_export`, since actions and targets carry members' text.
pub fn csv(c: &mut DbConn, f: &Filters, limit: i64) -> AppResult<String> {
    let rows = match f.resolve(c)? {
        Some(filter) => audit::list(c, &filter, limit, 0)?.0,
        None => Vec::new(),
    };
    let header = [
        "id",
        "time_utc",
        "actor",
        "action",
        "target_type",
        "target_id",
        "before",
        "after",
        "ip",
    ];
    let mut out = CsvWriter::with_header(&header)?;
    for (e, actor) in rows {
        out.row(
            [
                e.id.to_string(),
                e.created_at.and_utc().to_rfc3339(),
                actor.unwrap_or_else(|| "system".into()),
                e.action,
                e.target_type,
                e.target_id.unwrap_or_default(),
                e.before_json.unwrap_or_default(),
                e.after_json.unwrap_or_default(),
                e.ip.unwrap_or_default(),
            ]
            .map(|cell| csv_export::text(&cell)),
        )?;
    }
    out.finish()
}

/// What a log line's target is, for people: a name and the page to look at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub label: String,
    pub url: Option<String>,
}

/// Names and pages for the users, questions and answers that a page of the log points at, found
/// in three queries; other targets keep their kind and id.
pub fn describe_targets(conn: &mut DbConn, targets: &[(String, Option<String>)]) -> AppResult<Vec<Described>> {
    use std::collections::HashMap;
    let ids = |kind: &str| -> Vec<i64> {
        targets
            .iter()
            .filter(|(k, _)| k == kind)
            .filter_map(|(_, id)| id.as_deref()?.parse().ok())
            .collect()
    };
    let names: HashMap<i64, String> = crate::models::user::usernames(conn, &ids("user"))?
        .into_iter()
        .collect();
    let titles: HashMap<i64, String> = crate::models::question::titles(conn, &ids("question"))?
        .into_iter()
        .collect();
    let answered: HashMap<i64, i64> = crate::models::answer::questions_of(conn, &ids("answer"))?
        .into_iter()
        .collect();
    Ok(targets
        .iter()
        .map(|(kind, id)| {
            let raw = id.clone().unwrap_or_default();
            let n: Option<i64> = raw.parse().ok();
            let found = match kind.as_str() {
                "user" => n.and_then(|n| names.get(&n)).map(|name| Described {
                    label: format!("user {name}"),
                    url: Some(format!("/admin/users/{raw}")),
                }),
                "question" => n.and_then(|n| titles.get(&n)).map(|title| Described {
                    label: format!("question “{title}”"),
                    url: Some(format!("/questions/{raw}")),
                }),
                "answer" => n.and_then(|n| answered.get(&n)).map(|q| Described {
                    label: format!("answer {raw} (question {q})"),
                    url: Some(format!("/questions/{q}#answer-{raw}")),
                }),
                _ => None,
            };
            found.unwrap_or(Described {
                label: format!("{kind} {raw}").trim().to_string(),
                url: None,
            })
        })
        .collect())
}

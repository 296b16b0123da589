//! `/admin/audit`: the audit log with filters (actor, action, date range), pagination, and the same
//! selection as CSV.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::csv_export::{self, CsvWriter};
use crate::db::DbConn;
use crate::domain::access::audit::{describe_targets, Described};
use crate::domain::access::permissions::Permission;
use crate::error::{AppError, AppResult};
use crate::models::audit::{self, AuditEntry, AuditFilter};
use crate::models::user;
use crate::state::AppState;
use crate::views::admin::{Audit, AuditRow, Pager};
use crate::views::{self, fmt_time, PageContext};

const PER_PAGE: i64 = 50;
/// Most rows one export returns; narrow the dates for more.
pub const EXPORT_LIMIT: i64 = 100_000;

/// Filters as the form sends them.
#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
}

/// The checked filters.
#[derive(Clone)]
struct Filters {
    actor: String,
    action: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

fn date(value: &Option<String>, name: &str) -> AppResult<Option<NaiveDate>> {
    match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::BadRequest(format!("'{name}' must be a date like 2026-01-31."))),
    }
}

impl Filters {
    fn parse(q: &AuditQuery) -> AppResult<Self> {
        Ok(Filters {
            actor: q.actor.clone().unwrap_or_default().trim().to_owned(),
            action: q.action.clone().unwrap_or_default().trim().to_owned(),
            from: date(&q.from, "from")?,
            to: date(&q.to, "to")?,
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

    fn query_string(&self) -> String {
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

/// `GET /admin/audit`.
pub async fn list(
    state: web::Data<AppState>,
    page: PageContext,
    user: CurrentUser,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewAuditLog)?;
    let filters = Filters::parse(&q)?;
    let page_no = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let f = filters.clone();
    let (rows, total, actions) = state
        .db
        .run(move |c| {
            let actions = audit::actions(c)?;
            let Some(filter) = f.resolve(c)? else {
                return Ok((Vec::new(), 0, actions));
            };
            let (rows, total) = audit::list(c, &filter, PER_PAGE, (page_no - 1) * PER_PAGE)?;
            let targets: Vec<_> = rows
                .iter()
                .map(|(e, _)| (e.target_type.clone(), e.target_id.clone()))
                .collect();
            let described = describe_targets(c, &targets)?;
            Ok((rows.into_iter().zip(described).collect::<Vec<_>>(), total, actions))
        })
        .await?;
    let rows = rows
        .into_iter()
        .map(|((e, actor), target)| row(e, actor, target))
        .collect();
    let query = filters.query_string();
    let page_view = Audit {
        page,
        rows,
        actions,
        actor: filters.actor,
        action: filters.action,
        from: filters.from.map(|d| d.to_string()).unwrap_or_default(),
        to: filters.to.map(|d| d.to_string()).unwrap_or_default(),
        pager: Pager::new(&format!("/admin/audit?{query}&"), page_no, PER_PAGE, total),
        csv_url: user
            .can(Permission::ExportData)
            .then(|| format!("/admin/audit.csv?{query}")),
    };
    views::ok(&page_view)
}

fn row(e: AuditEntry, actor: Option<String>, target: Described) -> AuditRow {
    AuditRow {
        when: fmt_time(e.created_at),
        actor: actor.unwrap_or_else(|| "system".into()),
        action: e.action,
        target: target.label,
        target_url: target.url,
        before: e.before_json.unwrap_or_default(),
        after: e.after_json.unwrap_or_default(),
        ip: e.ip.unwrap_or_default(),
    }
}

/// `GET /admin/audit.csv`: the filtered log, newest first (needs `view_audit_log` and `export_data`).
pub async fn export(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewAuditLog)?;
    user.require(Permission::ExportData)?;
    let filters = Filters::parse(&q)?;
    let rows = state
        .db
        .run(move |c| match filters.resolve(c)? {
            Some(filter) => Ok(audit::list(c, &filter, EXPORT_LIMIT, 0)?.0),
            None => Ok(Vec::new()),
        })
        .await?;
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
    let body = out.finish()?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\""))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body))
}

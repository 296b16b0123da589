//! `/admin/audit`: the audit log with filters (actor, action, date range), pagination, and the same
//! selection as CSV.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::domain::access::audit_log::{self, Filters};
use crate::domain::access::permissions::Permission;
use crate::error::AppResult;
use crate::models::audit;
use crate::state::AppState;
use crate::views::admin::{Audit, AuditRow, Pager};
use crate::views::{self, PageContext};

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

fn filters(q: &AuditQuery) -> AppResult<Filters> {
    Filters::parse(
        q.actor.as_deref(),
        q.action.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
    )
}

/// `GET /admin/audit`.
pub async fn list(
    state: web::Data<AppState>,
    page: PageContext,
    user: CurrentUser,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewAuditLog)?;
    let filters = filters(&q)?;
    let page_no = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let f = filters.clone();
    let ((lines, total), actions) = state
        .db
        .run(move |c| {
            Ok((
                audit_log::page(c, &f, PER_PAGE, (page_no - 1) * PER_PAGE)?,
                audit::actions(c)?,
            ))
        })
        .await?;
    let query = filters.query_string();
    let page_view = Audit {
        page,
        rows: lines.into_iter().map(AuditRow::of).collect(),
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

/// `GET /admin/audit.csv`: the filtered log, newest first (needs `view_audit_log` and `export_data`).
pub async fn export(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewAuditLog)?;
    user.require(Permission::ExportData)?;
    let filters = filters(&q)?;
    let body = state.db.run(move |c| audit_log::csv(c, &filters, EXPORT_LIMIT)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\""))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body))
}

//! `/admin/audit`: the audit log with filters (actor, action, date range) and pagination.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult};
use crate::models::audit::{self, AuditFilter};
use crate::models::user;
use crate::state::AppState;
use crate::views::admin::{Audit, AuditRow, Pager};
use crate::views::{self, fmt_time, PageContext};

const PER_PAGE: i64 = 50;

/// Filters as the form sends them.
#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
}

fn date(value: &Option<String>, name: &str) -> AppResult<Option<NaiveDate>> {
    match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::BadRequest(format!("'{name}' must be a date like 2026-01-31."))),
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
    let q = q.into_inner();
    let from = date(&q.from, "from")?;
    let to = date(&q.to, "to")?;
    let page_no = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let actor_name = q.actor.clone().unwrap_or_default().trim().to_owned();
    let action = q.action.clone().filter(|a| !a.is_empty());
    let (name, act) = (actor_name.clone(), action.clone());
    let (rows, total, actions) = state
        .db
        .run(move |c| {
            let mut filter = AuditFilter {
                actor: None,
                action: act,
                from: from.and_then(|d| d.and_hms_opt(0, 0, 0)),
                until: to.and_then(|d| d.succ_opt()).and_then(|d| d.and_hms_opt(0, 0, 0)),
            };
            if !name.is_empty() {
                match user::find_by_username(c, &name)? {
                    Some(u) => filter.actor = Some(u.id),
                    None => return Ok((Vec::new(), 0, audit::actions(c)?)),
                }
            }
            let (rows, total) = audit::list(c, &filter, PER_PAGE, (page_no - 1) * PER_PAGE)?;
            Ok((rows, total, audit::actions(c)?))
        })
        .await?;
    let rows = rows
        .into_iter()
        .map(|(e, actor)| AuditRow {
            when: fmt_time(e.created_at),
            actor: actor.unwrap_or_else(|| "system".into()),
            action: e.action,
            target: format!("{} {}", e.target_type, e.target_id.unwrap_or_default()),
            before: e.before_json.unwrap_or_default(),
            after: e.after_json.unwrap_or_default(),
            ip: e.ip.unwrap_or_default(),
        })
        .collect();
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let (from_s, to_s, action_s) = (
        q.from.unwrap_or_default(),
        q.to.unwrap_or_default(),
        action.unwrap_or_default(),
    );
    let base = format!(
        "/admin/audit?actor={}&action={}&from={}&to={}&",
        enc(&actor_name),
        enc(&action_s),
        enc(&from_s),
        enc(&to_s)
    );
    views::ok(&Audit {
        page,
        rows,
        actions,
        actor: actor_name,
        action: action_s,
        from: from_s,
        to: to_s,
        pager: Pager::new(&base, page_no, PER_PAGE, total),
    })
}

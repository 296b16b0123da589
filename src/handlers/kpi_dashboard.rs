//! `/staff/kpis` (`view_kpis`): the KPI dashboard, and `/staff/kpis.csv` (`export_data` too): its
//! tables as CSV.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{web, HttpResponse};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db;
use crate::domain::access::permissions::Permission;
use crate::domain::kpi::engine::{self, KpiQuery, Tally};
use crate::domain::kpi::reports;
use crate::domain::kpi::series;
use crate::domain::kpi::tables::{Report, Table};
use crate::error::{AppError, AppResult};
use crate::models::category;
use crate::state::AppState;
use crate::views::kpis::{DashboardPage, Filters};
use crate::views::{self, PageContext};

/// How many waiting questions the dashboard lists.
const WAITING: i64 = 20;

/// `?period=7|30|90|custom&from=&to=&category=&group=` (and `table=` for CSV).
#[derive(Deserialize, Default)]
pub struct Params {
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
    category: Option<String>,
    group: Option<String>,
    table: Option<String>,
}

/// The period asked for, and the one before it of the same length.
fn periods(p: &Params, today: NaiveDate) -> AppResult<(KpiQuery, KpiQuery, String)> {
    let (from, to, label) = match p.period.as_deref().unwrap_or("30") {
        n @ ("7" | "30" | "90") => {
            let days: i64 = n.parse().unwrap_or(30);
            (today - Duration::days(days - 1), today, format!("{n} days before"))
        }
        "custom" => {
            let day = |v: &Option<String>, what| reports::parse_day(what, v.as_deref().unwrap_or_default());
            (
                day(&p.from, "from")?,
                day(&p.to, "to")?,
                "same number of days before".into(),
            )
        }
        _ => return Err(AppError::BadRequest("period must be 7, 30, 90 or custom.".into())),
    };
    let len = (to - from).num_days() + 1;
    let scope = |from, to| KpiQuery {
        from,
        to,
        category: p.category.clone().filter(|s| !s.is_empty()),
        group: p.group.clone().filter(|s| !s.is_empty()),
    };
    Ok((
        scope(from, to),
        scope(from - Duration::days(len), from - Duration::days(1)),
        label,
    ))
}

/// The period, the one before it and the waiting list are independent reads: they run at once on
/// their own connections (SQLite's WAL and PostgreSQL both let readers share the data), so the page
/// costs about its slowest part rather than the sum.
async fn compute(state: &AppState, current: KpiQuery, previous: KpiQuery) -> AppResult<Report> {
    let support = state.site().support.clone();
    let at = db::now();
    let (s1, s2, s3) = (support.clone(), support.clone(), support);
    let (q1, q3) = (current.clone(), current);
    let this = state.db.run(move |c| {
        let (now, slices) = engine::compute_with_breakdown(c, &q1, &s1, at)?;
        let cats = category::list(c)?;
        Ok((now, slices, cats, category::groups_by_id(c)?))
    });
    let before = state.db.run(move |c| engine::compute(c, &previous, &s2, at));
    let waiting = state
        .db
        .run(move |c| reports::slowest_unanswered(c, &q3, &s3, at, WAITING));
    let (this, before, waiting) = futures_util::future::join3(this, before, waiting).await;
    let ((now, slices, cats, groups), before, waiting) = (this?, before?, waiting?);
    let stats = &slices.by_category;
    let mut by_category: Vec<(String, Tally)> = cats
        .iter()
        .filter_map(|cat| stats.get(&cat.id).map(|s| (cat.name.clone(), s.clone())))
        .collect();
    by_category.sort_by(|a, b| b.1.asked.cmp(&a.1.asked).then(a.0.cmp(&b.0)));
    let by_group = slices.by_group(&cats, groups);
    Ok(Report {
        trend: series::buckets(now.from, now.to, &slices.by_day),
        now,
        before,
        by_category,
        by_group,
        waiting,
    })
}

fn today(state: &AppState) -> NaiveDate {
    use chrono::TimeZone;
    state
        .site()
        .support
        .schedule
        .tz
        .from_utc_datetime(&db::now())
        .date_naive()
}

/// `GET /staff/kpis`.
pub async fn dashboard(
    state: web::Data<AppState>,
    page: PageContext,
    user: CurrentUser,
    p: web::Query<Params>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewKpis)?;
    let p = p.into_inner();
    let (current, previous, label) = periods(&p, today(&state))?;
    let report = compute(&state, current.clone(), previous).await?;
    let (categories, groups) = state.db.run(|c| Ok((category::list(c)?, category::groups(c)?))).await?;
    let filters = Filters {
        period: p.period.unwrap_or_else(|| "30".into()),
        query: current,
        previous: label,
        categories,
        groups,
    };
    let support = state.site().support.clone();
    let can_export = user.can(Permission::ExportData);
    views::ok(&DashboardPage::new(
        page,
        filters,
        report,
        &support,
        db::now(),
        can_export,
    )?)
}

/// `GET /staff/kpis.csv?table=summary|categories|trend|unanswered&…`.
pub async fn export(state: web::Data<AppState>, user: CurrentUser, p: web::Query<Params>) -> AppResult<HttpResponse> {
    user.require(Permission::ViewKpis)?;
    user.require(Permission::ExportData)?;
    let p = p.into_inner();
    let (current, previous, _) = periods(&p, today(&state))?;
    let table = Table::parse(p.table.as_deref().unwrap_or("summary"))?;
    let body = compute(&state, current.clone(), previous).await?.table_csv(table)?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "private, no-store"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"kpis-{}-{}-{}.csv\"",
                table.as_str(),
                current.from,
                current.to
            ),
        ))
        .body(body))
}

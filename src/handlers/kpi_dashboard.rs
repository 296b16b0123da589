//! `/staff/kpis` (`view_kpis`): the KPI dashboard, and `/staff/kpis.csv` (`export_data` too): its
//! tables as CSV.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{web, HttpResponse};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::csv_export::{self, CsvWriter};
use crate::db;
use crate::domain::access::permissions::Permission;
use crate::domain::kpi::engine::{self, KpiQuery, Kpis, Tally};
use crate::domain::kpi::reports::{self, Waiting};
use crate::domain::kpi::series::{self, Bucket, Step};
use crate::domain::site::support::Support;
use crate::error::{AppError, AppResult};
use crate::models::category;
use crate::state::AppState;
use crate::views::kpis::{num, pct, CategoryLine, DashboardPage, Headline, Trend, WaitingLine};
use crate::views::questions::{ago, duration_words, question_url, Choice};
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

fn line((name, k): &(String, Tally)) -> CategoryLine {
    CategoryLine {
        name: name.clone(),
        asked: k.asked,
        response_rate: pct(k.response_rate()),
        median_first_response: mins(k.median_first_response()),
        resolution_rate: pct(k.resolution_rate()),
        sla: pct(k.sla_compliance()),
    }
}

fn mins(v: Option<f64>) -> String {
    v.map(duration_words).unwrap_or_else(|| "—".into())
}

/// The headline rows: label, this period, the previous one, how it is computed.
fn headlines(k: &Kpis, p: &Kpis, s: &Support) -> Vec<Headline> {
    let sla = s.sla_minutes;
    let tz = s.schedule.tz.name();
    let row = |label, f: &dyn Fn(&Kpis) -> String, help: String| Headline {
        label,
        value: f(k),
        previous: f(p),
        help,
    };
    vec![
        row("Questions asked", &|k| k.questions_asked.to_string(), "Visible questions published in the period.".into()),
        row("Response rate", &|k| pct(k.response_rate), "Questions asked in the period with an answer or comment by someone other than the asker (as of now), divided by questions asked.".into()),
        row("First response, median", &|k| mins(k.first_response_minutes.median), "From the question to the first answer or comment by someone other than the asker, over questions that got one; the middle value (or the mean of the two middle ones).".into()),
        row("First response, 90th percentile", &|k| mins(k.first_response_minutes.p90), "The same times; nearest rank: the ⌈0.9·n⌉-th smallest.".into()),
        row("First response in business hours, median", &|k| mins(k.first_response_business_minutes.median), format!("The same, counting only operating hours in {tz} and skipping holidays.")),
        row("Average response time", &|k| mins(k.avg_response_minutes), "Each run of the asker's consecutive messages is a turn, waiting until the next message by anyone else; the mean over the turns that got a reply.".into()),
        row("Resolution rate", &|k| pct(k.resolution_rate), "Questions asked in the period with an accepted answer now, divided by questions asked.".into()),
        row("Time to resolution, median", &|k| mins(k.time_to_resolution_minutes.median), "From the question to the acceptance of its accepted answer.".into()),
        row("Messages to resolution", &|k| num(k.messages_to_resolution_mean), "Over resolved questions, the mean number of answers and comments published by the time of acceptance.".into()),
        row("Resolved by the community", &|k| pct(k.community_resolution_share), "Of resolved questions, the share whose accepted answer is by someone who is not staff or an admin.".into()),
        row("SLA compliance", &|k| pct(k.sla_compliance_rate), format!("Questions whose first response came within {sla} business minutes, divided by those that got a response plus those still waiting past the target.")),
        row("Unanswered right now", &|k| k.unanswered_open.to_string(), "Open questions with no response at this moment (not limited to the period).".into()),
        row("Sign-ups", &|k| k.signups.to_string(), "Accounts created in the period.".into()),
        row("Activation rate", &|k| pct(k.activation_rate), "Of those accounts, the share that posted within 30 days of signing up.".into()),
        row("Active members", &|k| k.active_members.to_string(), "Members who posted, voted or visited while logged in during the period.".into()),
        row("Engagement rate", &|k| pct(k.engagement_rate), "Active members divided by accounts created by the end of the period.".into()),
        row("DAU / MAU", &|k| pct(k.dau_mau), "For each day, members active that day over members active in the 30 days ending that day; the mean over the period's days (days with no monthly actives left out).".into()),
        row("Survey responses", &|k| k.survey_responses.to_string(), "Post-resolution surveys submitted in the period.".into()),
        row("CSAT", &|k| pct(k.csat_rate), "The share of those answering “yes, it resolved my issue”.".into()),
        row("NPS", &|k| num(k.nps), "100 × (promoters scoring 9–10 − detractors scoring 0–6) / responses.".into()),
        row("Spot checks reviewed", &|k| k.spot_checks_reviewed.to_string(), "Contributor answers reviewed in spot checks in the period.".into()),
        row("Contributor accuracy", &|k| pct(k.contributor_accuracy_rate), "Reviews rating the answer accurate, divided by reviews.".into()),
    ]
}

struct Computed {
    now: Kpis,
    before: Kpis,
    by_category: Vec<(String, Tally)>,
    by_group: Vec<(String, Tally)>,
    waiting: Vec<Waiting>,
    trend: (Step, Vec<Bucket>),
}

/// The period, the one before it and the waiting list are independent reads: they run at once on
/// their own connections (SQLite's WAL and PostgreSQL both let readers share the data), so the page
/// costs about its slowest part rather than the sum.
async fn compute(state: &AppState, current: KpiQuery, previous: KpiQuery) -> AppResult<Computed> {
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
    Ok(Computed {
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
    let query = serde_urlencoded::to_string([
        ("period", "custom"),
        ("from", &current.from.to_string()),
        ("to", &current.to.to_string()),
        ("category", current.category.as_deref().unwrap_or_default()),
        ("group", current.group.as_deref().unwrap_or_default()),
    ])
    .unwrap_or_default();
    let computed = compute(&state, current.clone(), previous).await?;
    let support = state.site().support.clone();
    let (cats, groups) = state
        .db
        .run(|c| Ok((category::list(c)?, crate::models::category::groups(c)?)))
        .await?;
    let at = db::now();
    let selected = p.period.clone().unwrap_or_else(|| "30".into());
    views::ok(&DashboardPage {
        page,
        periods: [
            ("7", "Last 7 days"),
            ("30", "Last 30 days"),
            ("90", "Last 90 days"),
            ("custom", "Custom"),
        ]
        .into_iter()
        .map(|(v, l)| Choice {
            value: v.into(),
            label: l.into(),
            selected: selected == v,
        })
        .collect(),
        from: current.from.to_string(),
        to: current.to.to_string(),
        previous: label,
        time_zone: support.schedule.tz.name().into(),
        categories: cats
            .into_iter()
            .map(|c| Choice {
                selected: current.category.as_deref() == Some(&c.slug),
                value: c.slug,
                label: c.name,
            })
            .collect(),
        groups: groups
            .into_iter()
            .map(|(slug, name)| Choice {
                selected: current.group.as_deref() == Some(&slug),
                value: slug,
                label: name,
            })
            .collect(),
        headlines: headlines(&computed.now, &computed.before, &support),
        breakdown: computed.by_category.iter().map(line).collect(),
        groups_breakdown: computed.by_group.iter().map(line).collect(),
        waiting: computed
            .waiting
            .into_iter()
            .map(|w| WaitingLine {
                url: question_url(w.id.0, &w.title),
                title: w.title,
                category: w.category,
                asked: ago(w.asked, at),
                waited: duration_words(w.business_minutes),
                breached: w.sla_breached,
            })
            .collect(),
        trend: Trend::of(computed.trend.0, &computed.trend.1, support.sla_minutes)?,
        query,
        can_export: user.can(Permission::ExportData),
    })
}

/// `GET /staff/kpis.csv?table=summary|categories|trend|unanswered&…`.
pub async fn export(state: web::Data<AppState>, user: CurrentUser, p: web::Query<Params>) -> AppResult<HttpResponse> {
    user.require(Permission::ViewKpis)?;
    user.require(Permission::ExportData)?;
    let p = p.into_inner();
    let (current, previous, _) = periods(&p, today(&state))?;
    let table = p.table.clone().unwrap_or_else(|| "summary".into());
    if !["summary", "categories", "trend", "unanswered"].contains(&table.as_str()) {
        return Err(AppError::BadRequest(
            "table must be summary, categories, trend or unanswered.".into(),
        ));
    }
    let c = compute(&state, current.clone(), previous).await?;
    let body = table_csv(&table, c)?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "private, no-store"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"kpis-{table}-{}-{}.csv\"",
                current.from, current.to
            ),
        ))
        .body(body))
}

/// One table of the dashboard as CSV (`table` already checked); members' text through the one
/// formula rule of `csv_export`.
fn table_csv(table: &str, c: Computed) -> AppResult<String> {
    let mut w;
    let f = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    match table {
        "summary" => {
            w = CsvWriter::with_header(&["metric", "value"])?;
            for (k, v) in reports::flatten(&c.now) {
                w.row([k, v])?;
            }
        }
        "categories" => {
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
        "trend" => {
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
        _ => {
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

//! The KPI object of DESIGN §7 for a period of whole days in the site's time zone, optionally for
//! one category or one group. Each question in the period is read as one narrow row of its
//! maintained facts (times, counts; never its posts), and the rest are aggregate queries.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;

use crate::db::ids::{CategoryId, UserId};
use crate::db::DbConn;
use crate::domain::kpi::series::Outcome;
pub use crate::domain::kpi::series::Tally;
use crate::domain::kpi::stats::{minutes, Spread};
use crate::domain::site::support::Support;
use crate::error::{AppError, AppResult};
use crate::models::category::Category;
use crate::queries::kpi_facts;

/// Longest period one request may ask for.
pub const MAX_DAYS: i64 = 3660;

/// What to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub category: Option<String>,
    pub group: Option<String>,
}

/// The KPI object: every key of DESIGN §7.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub time_zone: String,
    pub category: Option<String>,
    pub group: Option<String>,
    pub questions_asked: i64,
    pub questions_with_response: i64,
    pub response_rate: Option<f64>,
    pub first_response_minutes: Spread,
    pub first_response_business_minutes: Spread,
    pub avg_response_minutes: Option<f64>,
    pub questions_resolved: i64,
    pub resolution_rate: Option<f64>,
    pub time_to_resolution_minutes: Spread,
    pub messages_to_resolution_mean: Option<f64>,
    pub community_resolution_share: Option<f64>,
    pub sla_target_business_minutes: i64,
    pub sla_compliance_rate: Option<f64>,
    pub signups: i64,
    pub activation_rate: Option<f64>,
    pub active_members: i64,
    pub engagement_rate: Option<f64>,
    pub dau_mau: Option<f64>,
    pub survey_responses: i64,
    pub csat_rate: Option<f64>,
    pub nps: Option<f64>,
    pub spot_checks_reviewed: i64,
    pub contributor_accuracy_rate: Option<f64>,
    pub unanswered_open: i64,
}

fn ratio(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// The first instant of a local date in `tz` (midnight, or the first instant after a gap).
pub fn day_start(tz: Tz, d: NaiveDate) -> NaiveDateTime {
    let mut local = d.and_time(NaiveTime::MIN);
    for _ in 0..4 {
        if let Some(t) = tz.from_local_datetime(&local).earliest() {
            return t.naive_utc();
        }
        local += Duration::minutes(30);
    }
    d.and_time(NaiveTime::MIN)
}

/// The UTC range `[start, end)` of the whole local days `from..=to`.
pub fn utc_range(tz: Tz, from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    (day_start(tz, from), day_start(tz, to + Duration::days(1)))
}

/// The categories a query is narrowed to (`None`: all), or `NotFound` for an unknown slug.
pub(crate) fn scope(conn: &mut DbConn, q: &KpiQuery) -> AppResult<Option<Vec<CategoryId>>> {
    kpi_facts::scope(conn, q.category.as_deref(), q.group.as_deref())
}

/// The question numbers of the period sliced two ways, from the same pass as the KPIs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Breakdown {
    pub by_category: HashMap<CategoryId, Tally>,
    /// By the local day (in the site's zone) each question was asked.
    pub by_day: BTreeMap<NaiveDate, Tally>,
}

impl Breakdown {
    /// Each group's numbers: the sum over the categories restricted to it (`groups` as
    /// (id, name), in the order to show).
    pub fn by_group(&self, categories: &[Category], groups: Vec<(i64, String)>) -> Vec<(String, Tally)> {
        groups
            .into_iter()
            .map(|(id, name)| {
                let mut sum = Tally::default();
                for cat in categories.iter().filter(|c| c.group_id == Some(id)) {
                    if let Some(s) = self.by_category.get(&cat.id) {
                        sum.add(s);
                    }
                }
                (name, sum)
            })
            .collect()
    }
}

/// Computes the KPIs as of `now`.
pub fn compute(conn: &mut DbConn, q: &KpiQuery, support: &Support, now: NaiveDateTime) -> AppResult<Kpis> {
    Ok(compute_with_breakdown(conn, q, support, now)?.0)
}

/// The KPIs, and the question numbers of each category in scope and of each day.
pub fn compute_with_breakdown(
    conn: &mut DbConn,
    q: &KpiQuery,
    support: &Support,
    now: NaiveDateTime,
) -> AppResult<(Kpis, Breakdown)> {
    // The pass reads whole indexes: SQLite serves it from the mapped file (half the time).
    crate::db::backend::with_mapped_reads(conn, |conn| pass(conn, q, support, now))
}

fn pass(conn: &mut DbConn, q: &KpiQuery, support: &Support, now: NaiveDateTime) -> AppResult<(Kpis, Breakdown)> {
    if q.to < q.from || (q.to - q.from).num_days() >= MAX_DAYS {
        return Err(AppError::BadRequest(format!(
            "The period must run forwards and span at most {MAX_DAYS} days."
        )));
    }
    let tz = support.schedule.tz;
    let (start, end) = utc_range(tz, q.from, q.to);
    let cats = scope(conn, q)?;
    let rows = kpi_facts::questions_published(conn, start, end, &cats)?;
    let staff = kpi_facts::staff_ids(conn)?;

    let (mut first, mut first_business, mut resolution, mut messages) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut turns, mut waited, mut community, mut within, mut overdue) = (0i64, 0f64, 0i64, 0i64, 0i64);
    let mut slices = Breakdown::default();
    for (cat, asked, responded, accepted, solver, t, w, m) in &rows {
        let Some(asked) = *asked else { continue };
        let day = tz.from_utc_datetime(&asked).date_naive();
        let mut outcome = Outcome::default();
        turns += i64::from(*t);
        waited += w;
        match responded {
            Some(r) => {
                let wall = minutes(asked, *r);
                first.push(wall);
                first_business.push(support.schedule.business_minutes(asked, *r));
                let met = support.within_sla(asked, *r);
                within += i64::from(met);
                outcome.first_response = Some(wall);
                outcome.within_target = met;
            }
            None => {
                // Still waiting: it counts against the SLA once its deadline has passed.
                let late = !support.within_sla(asked, now);
                overdue += i64::from(late);
                outcome.overdue = late;
            }
        }
        if let Some(acc) = accepted {
            resolution.push(minutes(asked, *acc));
            messages.push(f64::from(m.unwrap_or(0)));
            community += i64::from(solver.is_some_and(|s| !staff.contains(&s)));
            outcome.resolved = true;
        }
        slices.by_category.entry(*cat).or_default().record(&outcome);
        slices.by_day.entry(day).or_default().record(&outcome);
    }
    let asked = rows.len() as i64;
    let with_response = first.len() as i64;
    let resolved = resolution.len() as i64;

    let (signups, activated) = signups(conn, start, end)?;
    let activity = activity(conn, tz, q.from, q.to)?;
    let accounts = kpi_facts::accounts_before(conn, end)?;
    let (responses, yes, promoters, detractors) = survey_counts(conn, start, end, &cats)?;
    let unanswered_open = kpi_facts::unanswered_open(conn, &cats)?;

    let kpis = Kpis {
        from: q.from,
        to: q.to,
        time_zone: tz.name().to_owned(),
        category: q.category.clone(),
        group: q.group.clone(),
        questions_asked: asked,
        questions_with_response: with_response,
        response_rate: ratio(with_response, asked),
        first_response_minutes: Spread::of(first),
        first_response_business_minutes: Spread::of(first_business),
        avg_response_minutes: (turns > 0).then(|| waited / turns as f64),
        questions_resolved: resolved,
        resolution_rate: ratio(resolved, asked),
        time_to_resolution_minutes: Spread::of(resolution),
        messages_to_resolution_mean: (resolved > 0).then(|| messages.iter().sum::<f64>() / resolved as f64),
        community_resolution_share: ratio(community, resolved),
        sla_target_business_minutes: support.sla_minutes,
        sla_compliance_rate: ratio(within, with_response + overdue),
        signups,
        activation_rate: ratio(activated, signups),
        active_members: activity.active,
        engagement_rate: ratio(activity.active, accounts),
        dau_mau: activity.dau_mau,
        survey_responses: responses,
        csat_rate: ratio(yes, responses),
        nps: (responses > 0).then(|| 100.0 * (promoters - detractors) as f64 / responses as f64),
        spot_checks_reviewed: 0,
        contributor_accuracy_rate: None,
        unanswered_open,
    };
    Ok((kpis, slices))
}

/// Accounts created in the range, and how many of them posted within 30 days of signing up.
fn signups(conn: &mut DbConn, start: NaiveDateTime, end: NaiveDateTime) -> AppResult<(i64, i64)> {
    let joined = kpi_facts::joined_between(conn, start, end)?;
    if joined.is_empty() {
        return Ok((0, 0));
    }
    let mut activated = 0;
    for (user, created) in &joined {
        activated += i64::from(kpi_facts::posted_within(
            conn,
            *user,
            *created,
            *created + Duration::days(30),
        )?);
    }
    Ok((joined.len() as i64, activated))
}

/// Active members in the period, and the mean daily DAU/MAU.
struct Activity {
    active: i64,
    dau_mau: Option<f64>,
}

/// Who was active (posted, voted, visited signed in) on each local day: the members of the
/// period, and for each of its days the day's actives over the 30 days' ending that day (days
/// with no monthly actives left out), averaged. The database gives each day's members (a day is
/// a whole number of 15-minute slots in any zone); the monthly counts come from one sweep that
/// keeps, for each member, the last day they were seen.
fn activity(conn: &mut DbConn, tz: Tz, from: NaiveDate, to: NaiveDate) -> AppResult<Activity> {
    let mut in_period: HashSet<UserId> = HashSet::new();
    let mut last_seen: HashMap<UserId, NaiveDate> = HashMap::new();
    // How many members were last seen on each day of the sliding 30-day window.
    let mut seen_on: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let mut ratios = Vec::new();
    let mut d = from - Duration::days(29);
    while d <= to {
        let (start, end) = utc_range(tz, d, d);
        let today = crate::models::activity::members_between(conn, start, end)?;
        for u in &today {
            if let Some(before) = last_seen.insert(*u, d) {
                if let Some(n) = seen_on.get_mut(&before) {
                    *n -= 1;
                }
            }
        }
        seen_on.insert(d, today.len() as i64);
        if d >= from {
            let month: i64 = seen_on.range(d - Duration::days(29)..=d).map(|(_, n)| n).sum();
            if month > 0 {
                ratios.push(today.len() as f64 / month as f64);
            }
            in_period.extend(today);
        }
        d += Duration::days(1);
    }
    Ok(Activity {
        active: in_period.len() as i64,
        dau_mau: (!ratios.is_empty()).then(|| ratios.iter().sum::<f64>() / ratios.len() as f64),
    })
}

/// Surveys submitted in the range (on questions in scope): responses, "yes, resolved",
/// promoters (9–10) and detractors (0–6).
fn survey_counts(
    conn: &mut DbConn,
    start: NaiveDateTime,
    end: NaiveDateTime,
    cats: &Option<Vec<CategoryId>>,
) -> AppResult<(i64, i64, i64, i64)> {
    let rows = kpi_facts::survey_answers(conn, start, end, cats)?;
    let yes = rows.iter().filter(|(r, _)| *r).count() as i64;
    let promoters = rows.iter().filter(|(_, n)| n.is_some_and(|n| n >= 9)).count() as i64;
    let detractors = rows.iter().filter(|(_, n)| n.is_some_and(|n| n <= 6)).count() as i64;
    Ok((rows.len() as i64, yes, promoters, detractors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_whole_local_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let london: Tz = "Europe/London".parse().unwrap();
        let (s, e) = utc_range(london, d("2026-07-01"), d("2026-07-31"));
        assert_eq!(
            (s.to_string(), e.to_string()),
            ("2026-06-30 23:00:00".into(), "2026-07-31 23:00:00".into())
        );
        let (s, e) = utc_range(Tz::UTC, d("2026-03-01"), d("2026-03-01"));
        assert_eq!(e - s, Duration::days(1));
        // Havana skips midnight when its clocks go forward (2026-03-08): the day starts at 01:00.
        let havana: Tz = "America/Havana".parse().unwrap();
        assert_eq!(day_start(havana, d("2026-03-08")).to_string(), "2026-03-08 05:00:00");
    }
}

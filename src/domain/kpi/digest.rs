//! The weekly KPI digest (DESIGN §9): on Mondays in the site's time zone, last week's headline
//! numbers against the week before and the questions waiting longest go to the staff recipients
//! in settings, through the outbox. Every instance runs the check; a compare-and-set on a
//! settings row (the week's lease) lets one of them compose it, and the outbox's dedupe key
//! (one per week and recipient) makes each email go out once even so.

use crate::error::Rejected;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Weekday};

use crate::db::DbConn;
use crate::domain::kpi::engine::{self, KpiQuery, Kpis};
use crate::domain::kpi::reports;
use crate::domain::qa::posting::slugify;
use crate::domain::site::support::Support;
use crate::error::{AppError, AppResult};
use crate::mail::compose::{self, Composed, DigestLine, MailContext};
use crate::mail::outbox;
use crate::models::setting;

/// The settings key holding the recipients (one address per line).
pub const RECIPIENTS: &str = "digest.recipients";
const LEASE: &str = "digest.last_week";

/// The recipients, from stored settings.
pub fn recipients(conn: &mut DbConn) -> AppResult<Vec<String>> {
    let map = setting::load_all(conn)?;
    Ok(parse_recipients(map.get(RECIPIENTS).map(String::as_str).unwrap_or_default()).unwrap_or_default())
}

/// Addresses separated by commas or lines; an error names the first bad one.
pub fn parse_recipients(text: &str) -> Result<Vec<String>, Rejected> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<lettre::Address>()
                .map(|_| s.to_owned())
                .map_err(|_| Rejected(format!("'{s}' is not an email address.")))
        })
        .collect()
}

/// The week a digest sent on `today` reports: the Monday and Sunday before it.
pub fn last_week(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    (this_monday - Duration::days(7), this_monday - Duration::days(1))
}

fn label(monday: NaiveDate) -> String {
    let w = monday.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn lines(now: &Kpis, before: &Kpis) -> Vec<DigestLine> {
    let pct = |v: Option<f64>| v.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_else(|| "—".into());
    let mins = |v: Option<f64>| {
        v.map(crate::domain::kpi::stats::duration_words)
            .unwrap_or_else(|| "—".into())
    };
    type Metric<'a> = (&'a str, &'a dyn Fn(&Kpis) -> String);
    let rows: [Metric; 8] = [
        ("Questions asked", &|k| k.questions_asked.to_string()),
        ("Response rate", &|k| pct(k.response_rate)),
        ("First response, median", &|k| mins(k.first_response_minutes.median)),
        ("First response in business hours, median", &|k| {
            mins(k.first_response_business_minutes.median)
        }),
        ("Resolution rate", &|k| pct(k.resolution_rate)),
        ("SLA compliance", &|k| pct(k.sla_compliance_rate)),
        ("CSAT", &|k| pct(k.csat_rate)),
        ("Unanswered right now", &|k| k.unanswered_open.to_string()),
    ];
    rows.iter()
        .map(|(l, f)| DigestLine {
            label: (*l).to_owned(),
            last_week: f(now),
            week_before: f(before),
        })
        .collect()
}

/// The digest for the week before `today` (local date), and its week label.
pub fn compose(
    conn: &mut DbConn,
    ctx: &MailContext,
    support: &Support,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(String, Composed)> {
    let (monday, sunday) = last_week(today);
    let q = |from, to| KpiQuery {
        from,
        to,
        category: None,
        group: None,
    };
    let last = engine::compute(conn, &q(monday, sunday), support, now)?;
    let before = engine::compute(
        conn,
        &q(monday - Duration::days(7), monday - Duration::days(1)),
        support,
        now,
    )?;
    let waiting: Vec<(String, String, String)> =
        reports::slowest_unanswered(conn, &q(monday, sunday), support, now, 10)?
            .into_iter()
            .map(|w| {
                let link = format!("{}/questions/{}/{}", ctx.base_url, w.id, slugify(&w.title));
                (
                    w.title,
                    link,
                    crate::domain::kpi::stats::duration_words(w.business_minutes),
                )
            })
            .collect();
    let week = label(monday);
    let mail = compose::weekly_digest(ctx, &week, &lines(&last, &before), &waiting)
        .map_err(|e| AppError::caused("digest template", e))?;
    Ok((week, mail))
}

/// Queues the digest for every recipient (once per week each); returns how many were queued.
pub fn queue(
    conn: &mut DbConn,
    ctx: &MailContext,
    support: &Support,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let to = recipients(conn)?;
    if to.is_empty() {
        return Ok(0);
    }
    let (week, mail) = compose(conn, ctx, support, today, now)?;
    let mut queued = 0;
    for addr in to {
        queued += usize::from(outbox::enqueue(
            conn,
            &format!("digest:{week}:{addr}"),
            &addr,
            &mail,
            now,
        )?);
    }
    Ok(queued)
}

/// The periodic check: on a Monday in the site's time zone, the first instance to claim the
/// week queues the digest.
pub fn send_if_due(conn: &mut DbConn, ctx: &MailContext, support: &Support, now: NaiveDateTime) -> AppResult<usize> {
    let today = support.schedule.tz.from_utc_datetime(&now).date_naive();
    if today.weekday() != Weekday::Mon || recipients(conn)?.is_empty() {
        return Ok(0);
    }
    let (monday, _) = last_week(today);
    if !setting::claim(conn, LEASE, &label(monday), now)? {
        return Ok(0);
    }
    queue(conn, ctx, support, today, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_week_before() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(last_week(d("2026-11-09")), (d("2026-11-02"), d("2026-11-08")));
        assert_eq!(last_week(d("2026-11-12")), (d("2026-11-02"), d("2026-11-08")));
        assert_eq!(label(d("2026-11-02")), "2026-W45");
        assert_eq!(parse_recipients("a@example.com,\nb@example.com").unwrap().len(), 2);
        assert!(parse_recipients("not-an-address").is_err());
    }
}

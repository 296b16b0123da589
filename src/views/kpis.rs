//! The staff KPI dashboard: headline numbers beside the previous period, each with how it is
//! computed; the breakdown by category and by beta group; the questions waiting longest.

use askama::Template;

use super::charts::{self, Chart, Series, Unit};
use super::questions::{ago, duration_words, question_url, Choice};
use super::PageContext;
use crate::domain::kpi::engine::{KpiQuery, Kpis};
use crate::domain::kpi::series::{Bucket, Step, Tally};
use crate::domain::kpi::tables::Report;
use crate::domain::site::support::Support;
use crate::error::AppResult;
use crate::models::category::Category;

/// One headline number.
pub struct Headline {
    pub label: &'static str,
    pub value: String,
    pub previous: String,
    pub help: String,
}

/// One category's line of the breakdown.
pub struct CategoryLine {
    pub name: String,
    pub asked: i64,
    pub response_rate: String,
    pub median_first_response: String,
    pub resolution_rate: String,
    pub sla: String,
}

/// One waiting question.
pub struct WaitingLine {
    pub url: String,
    pub title: String,
    pub category: String,
    pub asked: String,
    pub waited: String,
    pub breached: bool,
}

/// One row of the table behind the charts.
pub struct TrendRow {
    pub label: String,
    pub asked: i64,
    pub with_response: i64,
    pub resolved: i64,
    pub median: String,
    pub p90: String,
    pub sla: String,
}

/// The period's trend: three charts and the numbers they plot.
pub struct Trend {
    /// What one point is: day, week or month.
    pub step: &'static str,
    pub charts: Vec<String>,
    pub rows: Vec<TrendRow>,
}

/// A point's label on the x axis.
fn point_label(step: Step, b: &Bucket) -> String {
    match step {
        Step::Month => b.first.format("%b %Y").to_string(),
        _ => b.first.format("%b %-d").to_string(),
    }
}

impl Trend {
    /// The charts of the buckets: questions asked, responded to and resolved; median and p90 first
    /// response; SLA compliance.
    pub fn of(step: Step, buckets: &[Bucket], sla_minutes: i64) -> AppResult<Trend> {
        let noun = step.noun();
        let labels: Vec<String> = buckets.iter().map(|b| point_label(step, b)).collect();
        let count = |f: fn(&Tally) -> i64| buckets.iter().map(|b| Some(f(&b.tally) as f64)).collect();
        let spread: Vec<_> = buckets.iter().map(|b| b.tally.first_response_spread()).collect();
        let first = labels.first().cloned().unwrap_or_default();
        let last = labels.last().cloned().unwrap_or_default();
        let charts = [
            Chart {
                id: "chart-questions",
                title: format!("Questions asked, with a response and resolved, by {noun}"),
                description: format!(
                    "Lines for the questions asked each {noun} from {first} to {last}, how many of them have a response now, and how many are resolved now. The table below lists the values."
                ),
                unit: Unit::Count,
                labels: labels.clone(),
                series: vec![
                    Series { name: "Asked", values: count(|t| t.asked) },
                    Series { name: "With a response", values: count(|t| t.with_response) },
                    Series { name: "Resolved", values: count(|t| t.resolved) },
                ],
            },
            Chart {
                id: "chart-first-response",
                title: format!("First response time in hours, median and 90th percentile, by {noun}"),
                description: format!(
                    "For the questions asked each {noun} from {first} to {last} that have a response, the median and the 90th percentile of the wall-clock time to it; gaps where none has one."
                ),
                unit: Unit::Hours,
                labels: labels.clone(),
                series: vec![
                    Series { name: "Median", values: spread.iter().map(|s| s.median).collect() },
                    Series { name: "90th percentile", values: spread.iter().map(|s| s.p90).collect() },
                ],
            },
            Chart {
                id: "chart-sla",
                title: format!("SLA compliance by {noun}"),
                description: format!(
                    "The share of each {noun}'s questions answered by their deadline ({sla_minutes} business minutes after the question), among those with a response or waiting past it, from {first} to {last}."
                ),
                unit: Unit::Percent,
                labels: labels.clone(),
                series: vec![Series {
                    name: "Within the target",
                    values: buckets.iter().map(|b| b.tally.sla_compliance()).collect(),
                }],
            },
        ];
        let rows = buckets
            .iter()
            .zip(&spread)
            .map(|(b, s)| TrendRow {
                label: if b.first == b.last {
                    b.first.to_string()
                } else {
                    format!("{} to {}", b.first, b.last)
                },
                asked: b.tally.asked,
                with_response: b.tally.with_response,
                resolved: b.tally.resolved,
                median: s.median.map(duration_words).unwrap_or_else(|| "—".into()),
                p90: s.p90.map(duration_words).unwrap_or_else(|| "—".into()),
                sla: pct(b.tally.sla_compliance()),
            })
            .collect();
        Ok(Trend {
            step: noun,
            charts: charts.iter().map(charts::render).collect::<AppResult<_>>()?,
            rows,
        })
    }
}

/// `/staff/kpis`.
#[derive(Template)]
#[template(path = "staff/kpis.html")]
pub struct DashboardPage {
    pub page: PageContext,
    pub periods: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub previous: String,
    pub time_zone: String,
    pub categories: Vec<Choice>,
    pub groups: Vec<Choice>,
    pub headlines: Vec<Headline>,
    pub breakdown: Vec<CategoryLine>,
    /// The same by beta group (empty when there are none).
    pub groups_breakdown: Vec<CategoryLine>,
    pub waiting: Vec<WaitingLine>,
    pub trend: Trend,
    /// The query string of this view, for the CSV links.
    pub query: String,
    pub can_export: bool,
}

/// A rate as a percentage, or a dash when there is nothing to divide by.
pub fn pct(v: Option<f64>) -> String {
    v.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_else(|| "—".into())
}

/// A number to one decimal, or a dash.
pub fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

/// What the dashboard was asked for, and the choices of its filter form.
pub struct Filters {
    /// `7`, `30`, `90` or `custom`.
    pub period: String,
    pub query: KpiQuery,
    /// How the previous period is described.
    pub previous: String,
    pub categories: Vec<Category>,
    /// (slug, name) of the beta groups.
    pub groups: Vec<(String, String)>,
}

impl DashboardPage {
    /// The dashboard of one report.
    pub fn new(
        page: PageContext,
        f: Filters,
        r: Report,
        support: &Support,
        at: chrono::NaiveDateTime,
        can_export: bool,
    ) -> AppResult<Self> {
        let current = &f.query;
        let choice = |value: String, label: String, selected: bool| Choice { value, label, selected };
        Ok(DashboardPage {
            page,
            periods: [
                ("7", "Last 7 days"),
                ("30", "Last 30 days"),
                ("90", "Last 90 days"),
                ("custom", "Custom"),
            ]
            .into_iter()
            .map(|(v, l)| choice(v.into(), l.into(), f.period == v))
            .collect(),
            from: current.from.to_string(),
            to: current.to.to_string(),
            previous: f.previous.clone(),
            time_zone: support.schedule.tz.name().into(),
            categories: f
                .categories
                .iter()
                .map(|c| {
                    choice(
                        c.slug.clone(),
                        c.name.clone(),
                        current.category.as_deref() == Some(&c.slug),
                    )
                })
                .collect(),
            groups: f
                .groups
                .iter()
                .map(|(slug, name)| choice(slug.clone(), name.clone(), current.group.as_deref() == Some(slug)))
                .collect(),
            headlines: headlines(&r.now, &r.before, support),
            breakdown: r.by_category.iter().map(line).collect(),
            groups_breakdown: r.by_group.iter().map(line).collect(),
            waiting: r
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
            trend: Trend::of(r.trend.0, &r.trend.1, support.sla_minutes)?,
            query: query_string(current),
            can_export,
        })
    }
}

/// The query string of a view, for the CSV links.
fn query_string(q: &KpiQuery) -> String {
    serde_urlencoded::to_string([
        ("period", "custom"),
        ("from", &q.from.to_string()),
        ("to", &q.to.to_string()),
        ("category", q.category.as_deref().unwrap_or_default()),
        ("group", q.group.as_deref().unwrap_or_default()),
    ])
    .unwrap_or_default()
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
        row("SLA compliance", &|k| pct(k.sla_compliance_rate), format!("Questions whose first response came at or before their deadline — the instant {sla} business minutes after the question, counted in {tz}’s operating hours (a reply in closed hours after it is late) — divided by those that got a response plus those still waiting past their deadline.")),
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

//! The question numbers of a slice of the period (a category, a group, a day, a week), and the
//! period cut into the days, weeks or months the dashboard's charts plot.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::kpi::stats::Spread;

fn ratio(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// What became of one question asked in the period (as of now).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Outcome {
    /// Wall minutes to its first response, if it has one.
    pub first_response: Option<f64>,
    /// It had its first response within the SLA target (business minutes).
    pub within_target: bool,
    /// It has no response and its SLA target has passed.
    pub overdue: bool,
    pub resolved: bool,
}

/// The question numbers of one slice, defined as the headline numbers are (DESIGN §7).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub asked: i64,
    pub with_response: i64,
    pub resolved: i64,
    pub first_response: Vec<f64>,
    pub within_target: i64,
    pub overdue: i64,
}

impl Tally {
    /// Counts one question.
    pub fn record(&mut self, o: &Outcome) {
        self.asked += 1;
        if let Some(m) = o.first_response {
            self.with_response += 1;
            self.first_response.push(m);
        }
        self.within_target += i64::from(o.within_target);
        self.overdue += i64::from(o.overdue);
        self.resolved += i64::from(o.resolved);
    }

    /// Adds another slice's numbers (a group's line is the sum of its categories).
    pub fn add(&mut self, o: &Tally) {
        self.asked += o.asked;
        self.with_response += o.with_response;
        self.resolved += o.resolved;
        self.first_response.extend_from_slice(&o.first_response);
        self.within_target += o.within_target;
        self.overdue += o.overdue;
    }

    /// The response rate.
    pub fn response_rate(&self) -> Option<f64> {
        ratio(self.with_response, self.asked)
    }
    /// The resolution rate.
    pub fn resolution_rate(&self) -> Option<f64> {
        ratio(self.resolved, self.asked)
    }
    /// Median, mean and p90 of the first responses (wall minutes).
    pub fn first_response_spread(&self) -> Spread {
        Spread::of(self.first_response.clone())
    }
    /// The median first response (wall minutes).
    pub fn median_first_response(&self) -> Option<f64> {
        self.first_response_spread().median
    }
    /// SLA compliance.
    pub fn sla_compliance(&self) -> Option<f64> {
        ratio(self.within_target, self.with_response + self.overdue)
    }
}

/// How long one point of a chart is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Day,
    /// Monday to Sunday.
    Week,
    Month,
}

impl Step {
    /// Daily up to a month, weekly up to half a year, monthly beyond: a chart keeps 5–31 points
    /// for the usual periods and never more than about 120.
    pub fn for_period(from: NaiveDate, to: NaiveDate) -> Step {
        match (to - from).num_days() + 1 {
            ..=31 => Step::Day,
            32..=182 => Step::Week,
            _ => Step::Month,
        }
    }

    /// The first day of the step holding `d`.
    fn start_of(self, d: NaiveDate) -> NaiveDate {
        match self {
            Step::Day => d,
            Step::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
            Step::Month => d.with_day(1).unwrap_or(d),
        }
    }

    /// The first day of the next step after the one starting at `start`.
    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Step::Day => start + Duration::days(1),
            Step::Week => start + Duration::days(7),
            Step::Month => start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(start + Duration::days(31)),
        }
    }

    /// What a point stands for, in words (for titles and table headers).
    pub fn noun(self) -> &'static str {
        match self {
            Step::Day => "day",
            Step::Week => "week",
            Step::Month => "month",
        }
    }
}

/// One point of a chart: the days `first..=last` of the period, and their questions.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub tally: Tally,
}

/// The period `from..=to` cut into steps (the first and last clipped to the period), every step
/// present even when nothing was asked in it.
pub fn buckets(from: NaiveDate, to: NaiveDate, by_day: &BTreeMap<NaiveDate, Tally>) -> (Step, Vec<Bucket>) {
    let step = Step::for_period(from, to);
    let mut out = Vec::new();
    let mut start = step.start_of(from);
    while start <= to {
        let next = step.next(start);
        let (first, last) = (start.max(from), (next - Duration::days(1)).min(to));
        let mut tally = Tally::default();
        for (_, t) in by_day.range(first..=last) {
            tally.add(t);
        }
        out.push(Bucket { first, last, tally });
        start = next;
    }
    (step, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn asked(n: i64) -> Tally {
        let mut t = Tally::default();
        for i in 0..n {
            t.record(&Outcome {
                first_response: (i % 2 == 0).then_some(i as f64),
                resolved: i == 0,
                ..Outcome::default()
            });
        }
        t
    }

    #[test]
    fn steps_follow_the_length_of_the_period() {
        assert_eq!(Step::for_period(d("2026-11-01"), d("2026-11-30")), Step::Day);
        assert_eq!(Step::for_period(d("2026-09-02"), d("2026-11-30")), Step::Week);
        assert_eq!(Step::for_period(d("2025-12-01"), d("2026-11-30")), Step::Month);
    }

    #[test]
    fn weeks_run_monday_to_sunday_clipped_to_the_period() {
        let mut by_day = BTreeMap::new();
        // 2026-11-04 is a Wednesday, 2026-11-08 the Sunday of its week, 2026-11-09 a Monday.
        by_day.insert(d("2026-11-04"), asked(2));
        by_day.insert(d("2026-11-08"), asked(3));
        by_day.insert(d("2026-11-09"), asked(1));
        by_day.insert(d("2027-01-10"), asked(7)); // after the period
        let (step, b) = buckets(d("2026-11-04"), d("2026-12-31"), &by_day);
        assert_eq!(step, Step::Week);
        assert_eq!((b[0].first, b[0].last), (d("2026-11-04"), d("2026-11-08")));
        assert_eq!(b[0].tally.asked, 5);
        assert_eq!(b[0].tally.with_response, 3);
        assert_eq!(b[0].tally.resolved, 2);
        assert_eq!(
            (b[1].first, b[1].last, b[1].tally.asked),
            (d("2026-11-09"), d("2026-11-15"), 1)
        );
        let end = b.last().unwrap();
        assert_eq!((end.first, end.last), (d("2026-12-28"), d("2026-12-31")));
        assert_eq!(b.iter().map(|x| x.tally.asked).sum::<i64>(), 6);
        assert!(b[2].tally.response_rate().is_none());
    }

    #[test]
    fn months_and_days_cover_every_day_once() {
        let (step, b) = buckets(d("2026-01-15"), d("2026-12-03"), &BTreeMap::new());
        assert_eq!(step, Step::Month);
        assert_eq!(b.len(), 12);
        assert_eq!((b[0].first, b[0].last), (d("2026-01-15"), d("2026-01-31")));
        assert_eq!((b[1].first, b[1].last), (d("2026-02-01"), d("2026-02-28")));
        let days: i64 = b.iter().map(|x| (x.last - x.first).num_days() + 1).sum();
        assert_eq!(days, (d("2026-12-03") - d("2026-01-15")).num_days() + 1);
        let (step, b) = buckets(d("2026-11-24"), d("2026-11-30"), &BTreeMap::new());
        assert_eq!((step, b.len()), (Step::Day, 7));
    }
}

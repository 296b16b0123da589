//! Business time (DESIGN §7): weekly operating hours in the site's time zone, holiday dates,
//! and the two questions the KPIs and the SLA clock ask of them — how many business minutes lie
//! between two instants, and when N business minutes after an instant have passed.
//!
//! Instants are UTC. The UTC range is cut where the zone's offset changes (daylight saving), and
//! within each piece local wall time moves in step with UTC, so the count is plain calendar
//! arithmetic there: a fall-back hour that happens twice counts twice, a spring-forward hour that
//! never happens counts not at all, exactly as a clock on the wall would have seen it.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike};
use chrono_tz::Tz;

const US_PER_MINUTE: i64 = 60_000_000;
const MINUTES_PER_DAY: u16 = 1440;

/// One stretch of open hours in a day: minutes after local midnight, `start < end <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interval {
    pub start: u16,
    pub end: u16,
}

impl Interval {
    /// From `HH:MM` to `HH:MM` (`24:00` may end a day); `None` unless start < end.
    pub fn parse(from: &str, to: &str) -> Option<Interval> {
        let minutes = |s: &str| -> Option<u16> {
            let (h, m) = s.trim().split_once(':')?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
        };
        let (start, end) = (minutes(from)?, minutes(to)?);
        (start < end).then_some(Interval { start, end })
    }

    /// `HH:MM`.
    pub fn fmt(m: u16) -> String {
        format!("{:02}:{:02}", m / 60, m % 60)
    }
}

/// Operating hours: a time zone, intervals for each weekday (Monday first), holiday dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub tz: Tz,
    pub week: [Vec<Interval>; 7],
    pub holidays: BTreeSet<NaiveDate>,
}

impl Default for Schedule {
    /// DESIGN §7: Monday to Friday, 09:00–17:00, UTC, no holidays.
    fn default() -> Self {
        let day = vec![Interval { start: 540, end: 1020 }];
        Schedule {
            tz: Tz::UTC,
            week: [
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                day,
                Vec::new(),
                Vec::new(),
            ],
            holidays: BTreeSet::new(),
        }
    }
}

impl Schedule {
    /// A schedule with each day's intervals sorted and overlaps merged.
    pub fn new(tz: Tz, week: [Vec<Interval>; 7], holidays: BTreeSet<NaiveDate>) -> Schedule {
        let week = week.map(|mut day| {
            day.sort();
            let mut merged: Vec<Interval> = Vec::new();
            for i in day {
                match merged.last_mut() {
                    Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
                    _ => merged.push(i),
                }
            }
            merged
        });
        Schedule { tz, week, holidays }
    }

    /// Whether any hour of the week is open.
    pub fn has_hours(&self) -> bool {
        self.week.iter().any(|d| !d.is_empty())
    }

    fn day(&self, d: NaiveDate) -> &[Interval] {
        if self.holidays.contains(&d) {
            &[]
        } else {
            &self.week[d.weekday().num_days_from_monday() as usize]
        }
    }

    /// Business microseconds in a range of local wall time with no offset change inside.
    fn local_us(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        let mut total = 0;
        let mut d = from.date();
        while d <= to.date() {
            let midnight = d.and_time(NaiveTime::MIN);
            for i in self.day(d) {
                let s = midnight + Duration::minutes(i64::from(i.start));
                let e = midnight + Duration::minutes(i64::from(i.end));
                let (s, e) = (s.max(from), e.min(to));
                if e > s {
                    total += (e - s).num_microseconds().unwrap_or(0);
                }
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
        total
    }

    fn offset_secs(&self, utc: NaiveDateTime) -> i64 {
        i64::from(self.tz.offset_from_utc_datetime(&utc).fix().local_minus_utc())
    }

    /// The UTC range cut where the offset changes: (from, to, offset seconds) pieces.
    fn pieces(&self, from: NaiveDateTime, to: NaiveDateTime) -> Vec<(NaiveDateTime, NaiveDateTime, i64)> {
        let mut out = Vec::new();
        let mut t = from;
        while t < to {
            let off = self.offset_secs(t);
            let mut end = (t + Duration::days(1)).min(to);
            if self.offset_secs(end) != off {
                // The first second with another offset (zones change at whole seconds).
                let (mut lo, mut hi) = (t, end);
                while hi - lo > Duration::seconds(1) {
                    let mid = lo + (hi - lo) / 2;
                    if self.offset_secs(mid) == off {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                end = hi.with_nanosecond(0).unwrap_or(hi);
            }
            out.push((t, end, off));
            t = end;
        }
        out
    }

    /// Business microseconds between two UTC instants (0 when `to` is not after `from`).
    pub fn business_us(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        self.pieces(from, to)
            .into_iter()
            .map(|(a, b, off)| self.local_us(a + Duration::seconds(off), b + Duration::seconds(off)))
            .sum()
    }

    /// Business minutes between two UTC instants, as floating point (DESIGN §7).
    pub fn business_minutes(&self, from: NaiveDateTime, to: NaiveDateTime) -> f64 {
        self.business_us(from, to) as f64 / US_PER_MINUTE as f64
    }

    /// Whether `at` is at or before the deadline instant: the first instant at which `minutes`
    /// business minutes after `from` have passed (`after_business_minutes`). Equivalent to
    /// comparing with that instant, at the cost of one business-time count: business time never
    /// goes down, so `at` is by the deadline exactly when the microsecond before it is short of
    /// the target. A reply in closed hours after the deadline is late even though no business
    /// minute passed since. With no open hours the deadline never comes.
    pub fn by_deadline(&self, from: NaiveDateTime, at: NaiveDateTime, minutes: i64) -> bool {
        if minutes <= 0 {
            return at <= from;
        }
        let target = minutes.saturating_mul(US_PER_MINUTE);
        self.business_us(from, at - Duration::microseconds(1)) < target
    }

    /// The first instant at which `minutes` business minutes after `from` have passed; `None`
    /// when the schedule has no open hours (or none within ten years).
    pub fn after_business_minutes(&self, from: NaiveDateTime, minutes: i64) -> Option<NaiveDateTime> {
        if minutes <= 0 {
            return Some(from);
        }
        if !self.has_hours() {
            return None;
        }
        let mut left = minutes.checked_mul(US_PER_MINUTE)?;
        let mut t = from;
        for _ in 0..3660 {
            let next = t + Duration::days(1);
            let here = self.business_us(t, next);
            if here < left {
                left -= here;
                t = next;
                continue;
            }
            // The earliest microsecond in (t, next] by which `left` have passed.
            let (mut lo, mut hi) = (0i64, (next - t).num_microseconds()?);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if self.business_us(t, t + Duration::microseconds(mid)) >= left {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return Some(t + Duration::microseconds(hi));
        }
        None
    }

    /// Open minutes in a normal week (holidays aside).
    pub fn weekly_minutes(&self) -> u32 {
        self.week
            .iter()
            .flat_map(|d| d.iter().map(|i| u32::from(i.end - i.start)))
            .sum()
    }
}

/// Whether a local wall time is open under `s` (used by the tests' minute-by-minute count).
pub fn is_open_local(s: &Schedule, local: NaiveDateTime) -> bool {
    let m = (local - local.date().and_time(NaiveTime::MIN)).num_minutes();
    let m = u16::try_from(m).unwrap_or(MINUTES_PER_DAY);
    s.day(local.date()).iter().any(|i| i.start <= m && m < i.end)
}

#[cfg(test)]
#[path = "business_time_tests.rs"]
mod tests;

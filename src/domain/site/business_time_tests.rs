//! Hand-computed cases (overnight, weekend, holiday, several intervals, daylight saving in
//! Europe/London and America/New_York, spans of weeks) and a property test against a
//! minute-by-minute count.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .unwrap()
}

fn every_day(tz: Tz, from: &str, to: &str) -> Schedule {
    let i = Interval::parse(from, to).unwrap();
    Schedule::new(tz, std::array::from_fn(|_| vec![i]), BTreeSet::new())
}

fn weekdays(tz: Tz, intervals: &[(&str, &str)]) -> Schedule {
    let day: Vec<Interval> = intervals.iter().map(|(a, b)| Interval::parse(a, b).unwrap()).collect();
    let mut week: [Vec<Interval>; 7] = Default::default();
    for d in week.iter_mut().take(5) {
        *d = day.clone();
    }
    Schedule::new(tz, week, BTreeSet::new())
}

#[test]
fn default_hours() {
    let s = Schedule::default();
    // 2026-03-02 is a Monday.
    assert_eq!(
        s.business_minutes(at("2026-03-02 10:00"), at("2026-03-02 12:30")),
        150.0
    );
    assert_eq!(
        s.business_minutes(at("2026-03-02 16:00"), at("2026-03-03 10:00")),
        120.0,
        "overnight"
    );
    assert_eq!(
        s.business_minutes(at("2026-03-07 12:00"), at("2026-03-09 09:30")),
        30.0,
        "asked on Saturday"
    );
    assert_eq!(
        s.business_minutes(at("2026-03-06 16:30"), at("2026-03-09 09:15")),
        45.0,
        "over the weekend"
    );
    assert_eq!(
        s.business_minutes(at("2026-03-02 07:00"), at("2026-03-02 08:00")),
        0.0,
        "before opening"
    );
    assert_eq!(
        s.business_minutes(at("2026-03-02 12:00"), at("2026-03-02 10:00")),
        0.0,
        "backwards"
    );
    assert_eq!(
        s.business_minutes(at("2026-03-02 09:00:30"), at("2026-03-02 09:05:00")),
        4.5,
        "seconds count"
    );
    assert_eq!(
        s.business_minutes(at("2026-03-02 09:00"), at("2026-03-16 09:00")),
        4800.0,
        "two weeks"
    );
    assert_eq!(s.weekly_minutes(), 2400);
}

#[test]
fn holidays_and_several_intervals() {
    let mut s = weekdays(Tz::UTC, &[("09:00", "12:00"), ("13:00", "17:00")]);
    assert_eq!(
        s.business_minutes(at("2026-03-02 11:00"), at("2026-03-02 14:00")),
        120.0,
        "lunch is closed"
    );
    s.holidays.insert(NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
    assert_eq!(
        s.business_minutes(at("2026-03-02 16:00"), at("2026-03-04 10:00")),
        120.0,
        "Tuesday is a holiday"
    );
    assert_eq!(s.business_minutes(at("2026-03-03 09:00"), at("2026-03-03 17:00")), 0.0);
    let merged = Schedule::new(
        Tz::UTC,
        std::array::from_fn(|_| {
            vec![
                Interval::parse("10:00", "12:00").unwrap(),
                Interval::parse("09:00", "11:00").unwrap(),
            ]
        }),
        BTreeSet::new(),
    );
    assert_eq!(
        merged.week[0],
        vec![Interval { start: 540, end: 720 }],
        "overlaps merge"
    );
    assert!(Interval::parse("17:00", "09:00").is_none() && Interval::parse("24:30", "25:00").is_none());
    assert_eq!(Interval::parse("00:00", "24:00").map(|i| i.end), Some(1440));
}

#[test]
fn london_daylight_saving() {
    let london: Tz = "Europe/London".parse().unwrap();
    // 2026-03-29: clocks go from 01:00 GMT to 02:00 BST. 00:00–03:00 on the wall is two real hours.
    let s = every_day(london, "00:00", "03:00");
    assert_eq!(
        s.business_minutes(at("2026-03-29 00:00"), at("2026-03-29 06:00")),
        120.0
    );
    // 2026-10-25: clocks go back from 02:00 BST to 01:00 GMT. The wall's 00:00–03:00 is four hours.
    assert_eq!(
        s.business_minutes(at("2026-10-24 22:00"), at("2026-10-25 06:00")),
        240.0
    );
    // Office hours over the spring weekend: Friday 16:00 GMT to Monday 10:00 BST (09:00 UTC).
    let office = weekdays(london, &[("09:00", "17:00")]);
    assert_eq!(
        office.business_minutes(at("2026-03-27 16:00"), at("2026-03-30 09:00")),
        120.0
    );
    // Monday 09:00 BST is 08:00 UTC: a UTC clock would miss this hour.
    assert_eq!(
        office.business_minutes(at("2026-03-30 08:00"), at("2026-03-30 09:00")),
        60.0
    );
}

#[test]
fn new_york_daylight_saving() {
    let ny: Tz = "America/New_York".parse().unwrap();
    let s = every_day(ny, "01:00", "04:00");
    // 2026-03-08: 02:00 EST becomes 03:00 EDT: 01:00 EST (06:00 UTC) to 04:00 EDT (08:00 UTC).
    assert_eq!(
        s.business_minutes(at("2026-03-08 00:00"), at("2026-03-08 12:00")),
        120.0
    );
    // 2026-11-01: 02:00 EDT becomes 01:00 EST: 01:00 EDT (05:00 UTC) to 04:00 EST (09:00 UTC).
    assert_eq!(
        s.business_minutes(at("2026-11-01 00:00"), at("2026-11-01 12:00")),
        240.0
    );
    let office = weekdays(ny, &[("09:00", "17:00")]);
    // Friday 2026-10-30 16:00 EDT (20:00 UTC) to Monday 2026-11-02 10:00 EST (15:00 UTC).
    assert_eq!(
        office.business_minutes(at("2026-10-30 20:00"), at("2026-11-02 15:00")),
        120.0
    );
}

#[test]
fn deadlines() {
    let s = Schedule::default();
    assert_eq!(
        s.after_business_minutes(at("2026-03-06 16:00"), 120),
        Some(at("2026-03-09 10:00"))
    );
    assert_eq!(
        s.after_business_minutes(at("2026-03-07 12:00"), 480),
        Some(at("2026-03-09 17:00"))
    );
    assert_eq!(
        s.after_business_minutes(at("2026-03-02 16:00"), 480),
        Some(at("2026-03-03 16:00"))
    );
    assert_eq!(
        s.after_business_minutes(at("2026-03-02 09:00"), 480),
        Some(at("2026-03-02 17:00")),
        "the earliest instant, not the next opening"
    );
    assert_eq!(
        s.after_business_minutes(at("2026-03-02 09:00"), 0),
        Some(at("2026-03-02 09:00"))
    );
    let closed = Schedule::new(Tz::UTC, Default::default(), BTreeSet::new());
    assert_eq!(closed.after_business_minutes(at("2026-03-02 09:00"), 5), None);
    let london: Tz = "Europe/London".parse().unwrap();
    let office = weekdays(london, &[("09:00", "17:00")]);
    // Friday 16:00 GMT + 120 business minutes: Monday 10:00 BST, which is 09:00 UTC.
    assert_eq!(
        office.after_business_minutes(at("2026-03-27 16:00"), 120),
        Some(at("2026-03-30 09:00"))
    );
}

fn random_schedule(rng: &mut StdRng) -> Schedule {
    let zones = [
        "UTC",
        "Europe/London",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
        "America/Sao_Paulo",
    ];
    let tz: Tz = zones[rng.random_range(0..zones.len())].parse().unwrap();
    let week = std::array::from_fn(|_| {
        (0..rng.random_range(0..3))
            .map(|_| {
                let start = rng.random_range(0..1440u16);
                let end = rng.random_range(start + 1..=1440u16);
                Interval { start, end }
            })
            .collect()
    });
    let holidays = (0..rng.random_range(0..4))
        .map(|_| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(rng.random_range(0..365)))
        .collect();
    Schedule::new(tz, week, holidays)
}

/// Business minutes as a clock on the wall sees them, one real minute at a time.
fn count_minutes(s: &Schedule, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    let mut n = 0;
    let mut t = from;
    while t < to {
        let local = s.tz.from_utc_datetime(&t).naive_local();
        n += i64::from(is_open_local(s, local));
        t += Duration::minutes(1);
    }
    n
}

#[test]
fn agrees_with_a_minute_by_minute_count() {
    let mut rng = StdRng::seed_from_u64(0xB05);
    for case in 0..300 {
        let s = random_schedule(&mut rng);
        // Minute-aligned instants in 2026, often around the daylight-saving weeks.
        let base = if rng.random_bool(0.5) {
            at([
                "2026-03-07 00:00",
                "2026-03-28 00:00",
                "2026-10-24 00:00",
                "2026-10-31 00:00",
                "2026-04-04 00:00",
            ][rng.random_range(0..5)])
        } else {
            at("2026-01-01 00:00") + Duration::days(rng.random_range(0..360))
        };
        let from = base + Duration::minutes(rng.random_range(0..3 * 1440));
        let to = from + Duration::minutes(rng.random_range(0..6 * 1440));
        let want = count_minutes(&s, from, to);
        let got = s.business_minutes(from, to);
        assert_eq!(got, want as f64, "case {case}: {s:?} from {from} to {to}");
        // And the deadline function is its inverse.
        if want > 0 {
            let n = rng.random_range(1..=want);
            let deadline = s.after_business_minutes(from, n).unwrap();
            assert_eq!(s.business_minutes(from, deadline), n as f64, "case {case}");
            assert!(
                s.business_minutes(from, deadline - Duration::minutes(1)) < n as f64,
                "case {case}: not the earliest"
            );
        }
    }
}

#[test]
fn the_deadline_is_an_instant() {
    let s = Schedule::default();
    // Asked Monday 09:00, target 480: the deadline is Monday 17:00.
    let monday = at("2026-03-02 09:00");
    assert!(s.by_deadline(monday, at("2026-03-02 17:00"), 480));
    assert!(
        !s.by_deadline(monday, at("2026-03-02 23:00"), 480),
        "480 business minutes, but after the deadline"
    );
    assert!(!s.by_deadline(monday, at("2026-03-02 17:00") + Duration::microseconds(1), 480));
    // Asked Friday 16:00: the deadline is Monday 16:00.
    let friday = at("2026-03-06 16:00");
    assert!(s.by_deadline(friday, at("2026-03-07 12:00"), 480));
    assert!(s.by_deadline(friday, at("2026-03-09 16:00"), 480));
    assert!(!s.by_deadline(friday, at("2026-03-09 17:30"), 480));
    // No target, and no open hours.
    assert!(s.by_deadline(monday, monday, 0) && !s.by_deadline(monday, at("2026-03-02 09:01"), 0));
    let closed = Schedule::new(Tz::UTC, Default::default(), BTreeSet::new());
    assert!(closed.by_deadline(monday, at("2027-03-02 09:00"), 5));
}

#[test]
fn by_deadline_agrees_with_the_deadline_instant() {
    let mut rng = StdRng::seed_from_u64(0xDEAD);
    for case in 0..300 {
        let s = random_schedule(&mut rng);
        let from = at("2026-01-01 00:00") + Duration::minutes(rng.random_range(0..360 * 1440));
        let n = rng.random_range(1..2000);
        let Some(deadline) = s.after_business_minutes(from, n) else {
            continue;
        };
        // Instants around the deadline and anywhere in the week after the question.
        let near = deadline + Duration::seconds(rng.random_range(-7200..7200));
        let far = from + Duration::minutes(rng.random_range(0..10 * 1440));
        for t in [deadline, near, far, deadline + Duration::microseconds(1)] {
            assert_eq!(
                s.by_deadline(from, t, n),
                t <= deadline,
                "case {case}: {s:?} {from} +{n} at {t}"
            );
        }
    }
}

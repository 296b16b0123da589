//! Community-health KPIs (DESIGN §7). The statistics are the contract's: the median is the middle
//! value or the mean of the two middle values, p90 is nearest-rank (the ⌈0.9·n⌉-th smallest),
//! durations are minutes as floating point, and an empty set gives `None` (JSON `null`), never 0.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::DbConn;
use crate::error::AppResult;

/// Median, mean and p90 of a set of durations in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub median: Option<f64>,
    pub mean: Option<f64>,
    pub p90: Option<f64>,
}

impl Spread {
    /// The spread of `values` (sorted here).
    pub fn of(mut values: Vec<f64>) -> Spread {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        if n == 0 {
            return Spread {
                median: None,
                mean: None,
                p90: None,
            };
        }
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        // Nearest rank: the ⌈0.9·n⌉-th smallest, 1-based (integer arithmetic: no float rounding).
        let rank = (9 * n).div_ceil(10);
        Spread {
            median: Some(median),
            mean: Some(values.iter().sum::<f64>() / n as f64),
            p90: Some(values[rank - 1]),
        }
    }
}

/// Minutes between two instants, as floating point.
pub fn minutes(from: NaiveDateTime, to: NaiveDateTime) -> f64 {
    (to - from).num_microseconds().unwrap_or(i64::MAX) as f64 / 60_000_000.0
}

/// A duration in minutes in words: `45 minutes`, `2 h 15 min`, `3 days 4 h`.
pub fn duration_words(minutes: f64) -> String {
    let m = minutes.max(0.0).round() as i64;
    match m {
        0 => "under a minute".into(),
        1 => "1 minute".into(),
        2..=59 => format!("{m} minutes"),
        60..=1439 => match m % 60 {
            0 => format!("{} h", m / 60),
            r => format!("{} h {r} min", m / 60),
        },
        _ => {
            let (d, h) = (m / 1440, (m % 1440) / 60);
            let days = if d == 1 {
                "1 day".to_string()
            } else {
                format!("{d} days")
            };
            if h == 0 {
                days
            } else {
                format!("{days} {h} h")
            }
        }
    }
}

/// The customer turns of a thread (DESIGN §7): each maximal run of consecutive messages by the
/// asker is a turn, waiting from its first message to the first later message by anyone else.
/// `thread` is (time, by the asker) of the question, answers and comments; it is put in time
/// order here (the question first among equals). Returns the minutes each answered turn waited;
/// a last turn nobody has replied to yet is not counted.
pub fn customer_turns(thread: &mut [(NaiveDateTime, bool)]) -> Vec<f64> {
    // Stable: the question, pushed first, stays first among messages of the same instant.
    thread.sort_by_key(|(t, _)| *t);
    let mut waits = Vec::new();
    let mut open: Option<NaiveDateTime> = None;
    for (t, by_asker) in thread.iter() {
        match (*by_asker, open) {
            (true, None) => open = Some(*t),
            (false, Some(since)) => {
                waits.push(minutes(since, *t));
                open = None;
            }
            _ => {}
        }
    }
    waits
}

/// The median first-response time (wall-clock minutes) of the public questions asked in
/// `[from, to)` that have a response (the ask page's promise).
pub fn median_first_response(conn: &mut DbConn, from: NaiveDateTime, to: NaiveDateTime) -> AppResult<Option<f64>> {
    let rows = crate::queries::kpi_facts::public_first_responses(conn, from, to)?;
    let values = rows
        .into_iter()
        .filter_map(|(asked, first)| Some(minutes(asked?, first?)))
        .collect();
    Ok(Spread::of(values).median)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_are_runs_of_the_askers_messages() {
        let t = |m: i64| {
            chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
                + chrono::Duration::minutes(m)
        };
        // Q at 0 and a follow-up at 5 (one turn, from 0), reply at 20; asker at 30, two replies
        // at 40 and 45 (the turn ends at 40); asker at 60 with no reply yet.
        let mut thread = vec![
            (t(0), true),
            (t(40), false),
            (t(5), true),
            (t(20), false),
            (t(30), true),
            (t(45), false),
            (t(60), true),
        ];
        assert_eq!(customer_turns(&mut thread), vec![20.0, 10.0]);
        let mut alone = vec![(t(0), true), (t(3), true)];
        assert!(
            customer_turns(&mut alone).is_empty(),
            "a question answered only by its asker"
        );
    }

    #[test]
    fn spreads_follow_the_design() {
        assert_eq!(Spread::of(vec![]).median, None);
        let s = Spread::of(vec![5.0, 1.0, 3.0]);
        assert_eq!((s.median, s.mean, s.p90), (Some(3.0), Some(3.0), Some(5.0)));
        let s = Spread::of(vec![4.0, 1.0, 2.0, 3.0]);
        assert_eq!(s.median, Some(2.5), "the mean of the two middle values");
        // n = 10: the 9th smallest; n = 11: ⌈9.9⌉ = 10th; n = 20: the 18th.
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(Spread::of(ten).p90, Some(9.0));
        let eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(Spread::of(eleven).p90, Some(10.0));
        let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(Spread::of(twenty).p90, Some(18.0));
        assert_eq!(Spread::of(vec![7.0]).p90, Some(7.0));
    }
}

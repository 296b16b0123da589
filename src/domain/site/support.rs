//! Support settings (DESIGN §7, §10): weekly operating hours (several intervals a day allowed),
//! the IANA time zone they are kept in, holiday dates, and the SLA target in business minutes.
//! Stored in `settings`; admins change them on `/admin/support` (audited).

use crate::error::Rejected;
use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use serde_json::json;

use crate::db::backend::write_transaction;
use crate::db::DbConn;
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::permissions::{Permission, PermissionSet};
use crate::domain::site::business_time::{Interval, Schedule};
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::models::setting;

/// Weekday form fields and names, Monday first.
pub const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];
/// SLA target bounds, in business minutes.
pub const SLA_RANGE: (i64, i64) = (1, 100_000);

/// The support settings in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    pub schedule: Schedule,
    pub sla_minutes: i64,
}

impl Support {
    /// Whether a first response at `at` to a question asked at `asked` meets the SLA: it arrives
    /// at or before the deadline instant, `sla_minutes` business minutes after the question. A
    /// question still waiting is overdue once now is past that instant. The headline, the charts,
    /// the breakdowns, the waiting list, the digest, the API and the CLI all decide by this.
    pub fn within_sla(&self, asked: NaiveDateTime, at: NaiveDateTime) -> bool {
        self.schedule.by_deadline(asked, at, self.sla_minutes)
    }
}

impl Default for Support {
    fn default() -> Self {
        Support {
            schedule: Schedule::default(),
            sla_minutes: 480,
        }
    }
}

/// `09:00-12:00, 13:00-17:00`, or empty for a closed day.
pub fn parse_day(text: &str) -> Result<Vec<Interval>, Rejected> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (a, b) = p
                .split_once(['-', '–'])
                .ok_or_else(|| Rejected(format!("'{p}' is not a range like 09:00-17:00.")))?;
            Interval::parse(a, b).ok_or_else(|| {
                Rejected(format!(
                    "'{p}' is not a range like 09:00-17:00 (start before end, 24:00 at most)."
                ))
            })
        })
        .collect()
}

/// A day's intervals as the form shows them.
pub fn format_day(day: &[Interval]) -> String {
    day.iter()
        .map(|i| format!("{}-{}", Interval::fmt(i.start), Interval::fmt(i.end)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Holiday dates, one `YYYY-MM-DD` per line (or separated by commas).
pub fn parse_holidays(text: &str) -> Result<BTreeSet<NaiveDate>, Rejected> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(|p| {
            NaiveDate::parse_from_str(p, "%Y-%m-%d")
                .map_err(|_| Rejected(format!("'{p}' is not a date like 2026-12-25.")))
        })
        .collect()
}

/// What the admin form sends.
#[derive(Debug, Clone, Default)]
pub struct SupportInput {
    pub timezone: String,
    pub days: [String; 7],
    pub holidays: String,
    pub sla_minutes: String,
}

impl SupportInput {
    /// The form as the settings in force fill it.
    pub fn of(s: &Support) -> Self {
        SupportInput {
            timezone: s.schedule.tz.name().to_owned(),
            days: std::array::from_fn(|i| format_day(&s.schedule.week[i])),
            holidays: s
                .schedule
                .holidays
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            sla_minutes: s.sla_minutes.to_string(),
        }
    }
}

/// Checks the form.
pub fn check(input: &SupportInput) -> Result<Support, FieldErrors> {
    let mut errors = FieldErrors::new();
    let tz: Option<Tz> = input.timezone.trim().parse().ok();
    if tz.is_none() {
        errors.add(
            "timezone",
            "Give an IANA time zone, such as Europe/London or America/New_York.",
        );
    }
    let mut week: [Vec<Interval>; 7] = Default::default();
    for (i, (field, _)) in DAYS.iter().enumerate() {
        match parse_day(&input.days[i]) {
            Ok(d) => week[i] = d,
            Err(e) => errors.add(field, e),
        }
    }
    let holidays = parse_holidays(&input.holidays).unwrap_or_else(|e| {
        errors.add("holidays", e);
        BTreeSet::new()
    });
    let sla = input
        .sla_minutes
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (SLA_RANGE.0..=SLA_RANGE.1).contains(m));
    if sla.is_none() {
        errors.add(
            "sla_minutes",
            format!(
                "Give a whole number of business minutes from {} to {}.",
                SLA_RANGE.0, SLA_RANGE.1
            ),
        );
    }
    if week.iter().all(Vec::is_empty) {
        errors.add(
            "mon",
            "Open at least one day: the SLA clock runs only in operating hours.",
        );
    }
    match (errors.into_result(), tz, sla) {
        (Ok(()), Some(tz), Some(sla_minutes)) => Ok(Support {
            schedule: Schedule::new(tz, week, holidays),
            sla_minutes,
        }),
        (Err(e), _, _) => Err(e),
        _ => Err(FieldErrors::one("timezone", "Check the form.")),
    }
}

impl Support {
    /// From stored settings; anything unreadable falls back to the default.
    pub fn from_settings(map: &HashMap<String, String>) -> Self {
        let d = Support::default();
        let get = |k: &str| map.get(&format!("support.{k}")).cloned();
        let input = SupportInput {
            timezone: get("timezone").unwrap_or_else(|| d.schedule.tz.name().to_owned()),
            days: std::array::from_fn(|i| get(DAYS[i].0).unwrap_or_else(|| format_day(&d.schedule.week[i]))),
            holidays: get("holidays").unwrap_or_default(),
            sla_minutes: get("sla_minutes").unwrap_or_else(|| d.sla_minutes.to_string()),
        };
        check(&input).unwrap_or(d)
    }
}

/// Saves the support settings (`manage_settings`), audited with before and after.
pub fn save(
    conn: &mut DbConn,
    actor: &Actor,
    permissions: PermissionSet,
    input: &SupportInput,
    now: NaiveDateTime,
) -> AppResult<Support> {
    if !permissions.contains(Permission::ManageSettings) {
        return Err(AppError::Forbidden);
    }
    let next = check(input)?;
    let form = SupportInput::of(&next);
    write_transaction(conn, |conn| {
        let before = SupportInput::of(&Support::from_settings(&setting::load_all(conn)?));
        let mut pairs = vec![
            ("timezone", form.timezone.clone()),
            ("holidays", form.holidays.clone()),
            ("sla_minutes", form.sla_minutes.clone()),
        ];
        pairs.extend(DAYS.iter().enumerate().map(|(i, (k, _))| (*k, form.days[i].clone())));
        for (k, v) in &pairs {
            setting::put(conn, &format!("support.{k}"), v, now)?;
        }
        let show = |f: &SupportInput| {
            json!({
                "timezone": f.timezone, "holidays": f.holidays, "sla_minutes": f.sla_minutes,
                "hours": DAYS.iter().enumerate().map(|(i, (k, _))| (k.to_string(), json!(f.days[i]))).collect::<serde_json::Map<_, _>>(),
            })
        };
        audit::record(
            conn,
            actor,
            "settings.support",
            Target {
                kind: "settings",
                id: None,
            },
            Some(show(&before)),
            Some(show(&form)),
        )?;
        Ok(next.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_holidays_parse() {
        assert_eq!(parse_day("09:00-12:00, 13:00–17:00").unwrap().len(), 2);
        assert!(parse_day("").unwrap().is_empty());
        assert!(parse_day("17:00-09:00").is_err());
        assert!(parse_day("9 to 5").is_err());
        assert_eq!(parse_holidays("2026-12-25\n2026-12-26").unwrap().len(), 2);
        assert!(parse_holidays("Christmas").is_err());
        assert_eq!(format_day(&parse_day("09:00-17:00").unwrap()), "09:00-17:00");
    }

    #[test]
    fn the_form_is_checked() {
        let mut input = SupportInput::of(&Support::default());
        assert_eq!(check(&input).unwrap(), Support::default());
        input.timezone = "Mars/Olympus".into();
        input.sla_minutes = "0".into();
        input.days[2] = "whenever".into();
        let e = check(&input).unwrap_err();
        assert!(e.get("timezone").is_some() && e.get("sla_minutes").is_some() && e.get("wed").is_some());
        let closed = SupportInput {
            timezone: "UTC".into(),
            sla_minutes: "60".into(),
            ..Default::default()
        };
        assert!(check(&closed).unwrap_err().get("mon").is_some());
    }

    #[test]
    fn stored_settings_round_trip() {
        let mut input = SupportInput::of(&Support::default());
        input.timezone = "Europe/London".into();
        input.days[5] = "10:00-14:00".into();
        input.holidays = "2026-12-25".into();
        let want = check(&input).unwrap();
        let form = SupportInput::of(&want);
        let mut map = HashMap::from([("support.timezone".to_string(), form.timezone.clone())]);
        map.insert("support.holidays".into(), form.holidays.clone());
        map.insert("support.sla_minutes".into(), form.sla_minutes.clone());
        for (i, (k, _)) in DAYS.iter().enumerate() {
            map.insert(format!("support.{k}"), form.days[i].clone());
        }
        assert_eq!(Support::from_settings(&map), want);
        assert_eq!(Support::from_settings(&HashMap::new()), Support::default());
    }
}

/// The week in words, consecutive days with the same hours together:
/// `["Monday–Friday 09:00–17:00"]`.
pub fn describe(schedule: &Schedule) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < 7 {
        let day = &schedule.week[i];
        let mut j = i;
        while j + 1 < 7 && schedule.week[j + 1] == *day {
            j += 1;
        }
        if !day.is_empty() {
            let days = if i == j {
                DAYS[i].1.to_string()
            } else {
                format!("{}–{}", DAYS[i].1, DAYS[j].1)
            };
            let hours = day
                .iter()
                .map(|x| format!("{}–{}", Interval::fmt(x.start), Interval::fmt(x.end)))
                .collect::<Vec<_>>()
                .join(" and ");
            out.push(format!("{days} {hours}"));
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod describe_tests {
    use super::*;

    #[test]
    fn weeks_in_words() {
        assert_eq!(describe(&Schedule::default()), vec!["Monday–Friday 09:00–17:00"]);
        let mut input = SupportInput::of(&Support::default());
        input.days[2] = "09:00-12:00, 13:00-17:00".into();
        input.days[6] = "10:00-14:00".into();
        let s = check(&input).unwrap().schedule;
        assert_eq!(
            describe(&s),
            vec![
                "Monday–Tuesday 09:00–17:00",
                "Wednesday 09:00–12:00 and 13:00–17:00",
                "Thursday–Friday 09:00–17:00",
                "Sunday 10:00–14:00"
            ]
        );
    }
}

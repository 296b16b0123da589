//! Reading about members: profile tabs (activity, answers, reputation history, badges), the users
//! directory and the leaderboards. Only public content is listed: nothing from private (group)
//! categories, nothing deleted.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use crate::db::ids::{AnswerId, QuestionId, UserId};
use crate::db::schema::{answers, badge_awards, badges, categories, questions, reputation_events, users};
use crate::db::visibility::public_category;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::models::reputation_event::{self, ReputationEvent};
use crate::models::user::{self, User};

/// One post in a profile's activity or answers tab.
#[derive(Debug, Clone)]
pub struct PostLine {
    pub question: QuestionId,
    pub title: String,
    /// `None` for the question itself.
    pub answer: Option<AnswerId>,
    pub score: i32,
    pub accepted: bool,
    pub at: NaiveDateTime,
}

/// A member by username (`NotFound` otherwise).
pub fn member(conn: &mut DbConn, username: &str) -> AppResult<User> {
    user::find_by_username(conn, username)?.ok_or(AppError::NotFound)
}

type AnswerRow = (
    AnswerId,
    QuestionId,
    String,
    i32,
    Option<AnswerId>,
    Option<NaiveDateTime>,
);
type QuestionRow = (QuestionId, String, i32, Option<AnswerId>, Option<NaiveDateTime>);

/// A page of the member's public answers, newest first, and the total.
pub fn answers_of(conn: &mut DbConn, user: UserId, limit: i64, offset: i64) -> AppResult<(Vec<PostLine>, i64)> {
    let base = || {
        answers::table
            .inner_join(questions::table.inner_join(categories::table))
            .filter(answers::author_id.eq(user))
            .filter(answers::published_at.is_not_null())
            .filter(answers::deleted_at.is_null())
            .filter(questions::published_at.is_not_null())
            .filter(questions::deleted_at.is_null())
            .filter(public_category())
    };
    let total = base().count().get_result(conn)?;
    let rows: Vec<AnswerRow> = base()
        .order((answers::published_at.desc(), answers::id.desc()))
        .select((
            answers::id,
            questions::id,
            questions::title,
            answers::score,
            questions::accepted_answer_id,
            answers::published_at,
        ))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok((
        rows.into_iter()
            .map(|(a, q, title, score, accepted, at)| PostLine {
                question: q,
                title,
                answer: Some(a),
                score,
                accepted: accepted == Some(a),
                at: at.unwrap_or_default(),
            })
            .collect(),
        total,
    ))
}

/// The member's latest public questions and answers, newest first.
pub fn activity(conn: &mut DbConn, user: UserId, limit: i64) -> AppResult<Vec<PostLine>> {
    let asked: Vec<QuestionRow> = questions::table
        .inner_join(categories::table)
        .filter(questions::author_id.eq(user))
        .filter(questions::published_at.is_not_null())
        .filter(questions::deleted_at.is_null())
        .filter(public_category())
        .order(questions::published_at.desc())
        .select((
            questions::id,
            questions::title,
            questions::score,
            questions::accepted_answer_id,
            questions::published_at,
        ))
        .limit(limit)
        .load(conn)?;
    let mut lines: Vec<PostLine> = asked
        .into_iter()
        .map(|(q, title, score, accepted, at)| PostLine {
            question: q,
            title,
            answer: None,
            score,
            accepted: accepted.is_some(),
            at: at.unwrap_or_default(),
        })
        .collect();
    lines.extend(answers_of(conn, user, limit, 0)?.0);
    lines.sort_by_key(|l| std::cmp::Reverse(l.at));
    lines.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(lines)
}

/// A page of the member's reputation history, with the titles of the public questions the
/// events come from (private or deleted ones are not named).
pub fn ledger(
    conn: &mut DbConn,
    user: UserId,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<ReputationEvent>, HashMap<QuestionId, String>, i64)> {
    let (rows, total) = reputation_event::page_for_user(conn, user, limit, offset)?;
    let ids: Vec<QuestionId> = rows.iter().map(|e| e.question_id).collect();
    let titles = crate::models::badge::public_questions(conn, &ids)?
        .into_iter()
        .collect();
    Ok((rows, titles, total))
}

/// How many badges of each tier the member holds (bronze, silver, gold).
pub fn badge_counts(conn: &mut DbConn, user: UserId) -> AppResult<(i64, i64, i64)> {
    let rows: Vec<(String, i64)> = badge_awards::table
        .inner_join(badges::table)
        .filter(badge_awards::user_id.eq(user))
        .group_by(badges::tier)
        .select((badges::tier, diesel::dsl::count_star()))
        .load(conn)?;
    let get = |t: &str| rows.iter().find(|(x, _)| x == t).map(|(_, n)| *n).unwrap_or(0);
    Ok((get("bronze"), get("silver"), get("gold")))
}

/// A page of the users directory: everyone whose username or display name contains `query`,
/// by reputation, and the total.
pub fn directory(conn: &mut DbConn, query: &str, limit: i64, offset: i64) -> AppResult<(Vec<User>, i64)> {
    let pattern = format!("%{}%", user::escape_like(&query.trim().to_lowercase()));
    let filtered = || {
        users::table
            .filter(
                users::username_key
                    .like(pattern.clone())
                    .escape('\\')
                    .or(users::display_name.like(pattern.clone()).escape('\\')),
            )
            .into_boxed()
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((users::reputation.desc(), users::id))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok((rows, total))
}

/// A leaderboard's time span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Since Monday 00:00 UTC.
    Week,
    /// Since the 1st of the month, 00:00 UTC.
    Month,
    All,
}

impl Period {
    /// Parses `week`, `month` or `all`.
    pub fn parse(s: &str) -> Option<Period> {
        match s {
            "week" => Some(Period::Week),
            "month" => Some(Period::Month),
            "all" => Some(Period::All),
            _ => None,
        }
    }

    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::All => "all",
        }
    }

    /// When the period began, as of `now` (`None` for all time).
    pub fn start(self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        let midnight = now.date().and_time(NaiveTime::MIN);
        match self {
            Period::Week => Some(midnight - Duration::days(i64::from(now.weekday().num_days_from_monday()))),
            Period::Month => now.date().with_day(1).map(|d| d.and_time(NaiveTime::MIN)),
            Period::All => None,
        }
    }
}

/// What a leaderboard ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Reputation gained in the period (all time: the total).
    Reputation,
    /// Answers accepted in the period (public questions).
    Accepted,
}

impl Measure {
    /// Parses `reputation` or `accepted`.
    pub fn parse(s: &str) -> Option<Measure> {
        match s {
            "reputation" => Some(Measure::Reputation),
            "accepted" => Some(Measure::Accepted),
            _ => None,
        }
    }

    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Reputation => "reputation",
            Measure::Accepted => "accepted",
        }
    }
}

/// The top `limit` members and their value, best first (ties by who joined first).
pub fn leaderboard(
    conn: &mut DbConn,
    period: Period,
    measure: Measure,
    now: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<(User, i64)>> {
    let since = period.start(now);
    let ranked: Vec<(UserId, i64)> = match (measure, since) {
        (Measure::Reputation, None) => users::table
            .filter(users::reputation.gt(1))
            .order((users::reputation.desc(), users::id))
            .select((users::id, users::reputation))
            .limit(limit)
            .load(conn)?,
        (Measure::Reputation, Some(from)) => {
            let sums: Vec<(UserId, Option<i64>)> = reputation_events::table
                .filter(reputation_events::active.eq(true))
                .filter(reputation_events::created_at.ge(from))
                .group_by(reputation_events::user_id)
                .select((reputation_events::user_id, diesel::dsl::sum(reputation_events::amount)))
                .load(conn)?;
            top(sums.into_iter().map(|(u, s)| (u, s.unwrap_or(0))).collect(), limit)
        }
        (Measure::Accepted, from) => {
            // All time starts before any history a community can import.
            let from = from.unwrap_or_else(|| {
                chrono::NaiveDate::from_ymd_opt(1900, 1, 1)
                    .unwrap_or_default()
                    .and_time(NaiveTime::MIN)
            });
            let counts: Vec<(UserId, i64)> = questions::table
                .inner_join(categories::table)
                .inner_join(answers::table.on(answers::id.nullable().eq(questions::accepted_answer_id)))
                .filter(questions::deleted_at.is_null())
                .filter(answers::deleted_at.is_null())
                .filter(public_category())
                .filter(questions::accepted_at.ge(from))
                .group_by(answers::author_id)
                .select((answers::author_id, diesel::dsl::count_star()))
                .load(conn)?;
            top(counts, limit)
        }
    };
    let ids: Vec<UserId> = ranked.iter().map(|(u, _)| *u).collect();
    let mut people: HashMap<UserId, User> = users::table
        .filter(users::id.eq_any(&ids))
        .load::<User>(conn)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(ranked
        .into_iter()
        .filter_map(|(id, v)| people.remove(&id).map(|u| (u, v)))
        .collect())
}

/// The best `limit` by value (positive only), ties by lower id.
fn top(mut values: Vec<(UserId, i64)>, limit: i64) -> Vec<(UserId, i64)> {
    values.retain(|(_, v)| *v > 0);
    values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    values.truncate(usize::try_from(limit).unwrap_or(0));
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn periods_start_on_monday_and_the_first() {
        // 2026-12-03 is a Thursday.
        let now = NaiveDate::from_ymd_opt(2026, 12, 3)
            .unwrap()
            .and_hms_opt(15, 30, 0)
            .unwrap();
        assert_eq!(Period::Week.start(now).unwrap().to_string(), "2026-11-30 00:00:00");
        assert_eq!(Period::Month.start(now).unwrap().to_string(), "2026-12-01 00:00:00");
        assert_eq!(Period::All.start(now), None);
    }

    #[test]
    fn top_keeps_the_best_positive() {
        let v = vec![
            (UserId(3), 5),
            (UserId(1), 5),
            (UserId(2), 9),
            (UserId(4), 0),
            (UserId(5), -3),
        ];
        assert_eq!(top(v, 2), vec![(UserId(2), 9), (UserId(1), 5)]);
    }
}

//! Badges from history (DESIGN §11: imported history earns badges too): every rule of
//! `badges` evaluated over the stored posts, votes and accepts, each award dated when it was
//! earned. Idempotent; sends no notifications.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::db::ids::{AnswerId, QuestionId, UserId};
use crate::db::DbConn;
use crate::domain::badges::awards::{
    award, For, COMMUNITY_HERO, GOOD_ANSWER, GREAT_ANSWER, GURU, PROBLEM_SOLVER, QUICK_RESPONSE_MINUTES, REGULAR_DAYS,
};
use crate::domain::site::support::Support;
use crate::error::AppResult;
use crate::models::setting;
use crate::queries::badge_history::{self, History};

/// What the sweep awarded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub awards: usize,
}

/// The `n`-th (1-based) time in `times`, once sorted.
fn nth(times: &mut [NaiveDateTime], n: i64) -> Option<NaiveDateTime> {
    times.sort();
    usize::try_from(n - 1).ok().and_then(|i| times.get(i).copied())
}

/// When a running score first reached `at_least`, from the votes in time order.
fn crossed(votes: &[(NaiveDateTime, i32)], at_least: i32) -> Option<NaiveDateTime> {
    let mut score = 0;
    votes.iter().find_map(|(t, v)| {
        score += v;
        (score >= at_least).then_some(*t)
    })
}

/// Records activity days from history and awards every badge it has earned.
pub fn sweep(conn: &mut DbConn) -> AppResult<Swept> {
    let mut out = Swept::default();
    let mut give = |conn: &mut DbConn, slug: &str, user: UserId, on: Option<For>, at: NaiveDateTime| -> AppResult<()> {
        out.awards += usize::from(award(conn, slug, user, on, at, false)?);
        Ok(())
    };

    let History {
        asked,
        answered,
        votes: upvotes,
        accepted,
        responded,
        commented,
    } = badge_history::load(conn)?;

    let mut first_q: HashMap<UserId, NaiveDateTime> = HashMap::new();
    for (u, at) in asked.iter().filter_map(|(u, at)| at.map(|t| (*u, t))) {
        let e = first_q.entry(u).or_insert(at);
        *e = (*e).min(at);
    }
    for (u, at) in first_q {
        give(conn, "first-question", u, None, at)?;
    }
    let mut first_a: HashMap<UserId, NaiveDateTime> = HashMap::new();
    for (_, _, u, at, _) in &answered {
        if let Some(t) = at {
            let e = first_a.entry(*u).or_insert(*t);
            *e = (*e).min(*t);
        }
    }
    for (u, at) in first_a {
        give(conn, "first-answer", u, None, at)?;
    }
    let mut first_up: HashMap<UserId, NaiveDateTime> = HashMap::new();
    for (u, _, _, v, at) in &upvotes {
        if *v > 0 {
            let e = first_up.entry(*u).or_insert(*at);
            *e = (*e).min(*at);
        }
    }
    for (u, at) in first_up {
        give(conn, "supporter", u, None, at)?;
    }

    // Accepted answers, per author in time order.
    let accepted_at: HashMap<AnswerId, NaiveDateTime> =
        accepted.into_iter().filter_map(|(a, t)| Some((a?, t?))).collect();
    let mut by_author: BTreeMap<UserId, Vec<NaiveDateTime>> = BTreeMap::new();
    for (a, _, u, _, _) in &answered {
        if let Some(t) = accepted_at.get(a) {
            by_author.entry(*u).or_default().push(*t);
        }
    }
    for (u, mut times) in by_author {
        for (slug, n) in [
            ("solved", 1),
            ("problem-solver", PROBLEM_SOLVER),
            ("community-hero", COMMUNITY_HERO),
        ] {
            if let Some(at) = nth(&mut times, n) {
                give(conn, slug, u, None, at)?;
            }
        }
    }

    // Per-answer badges, dated by the vote that took the score over the line.
    let mut answer_votes: HashMap<i64, Vec<(NaiveDateTime, i32)>> = HashMap::new();
    for (_, kind, post, v, at) in &upvotes {
        if kind == "answer" {
            answer_votes.entry(*post).or_default().push((*at, *v));
        }
    }
    for (a, q, u, _, score) in &answered {
        if *score < GOOD_ANSWER {
            continue;
        }
        let mut vs = answer_votes.remove(&a.0).unwrap_or_default();
        vs.sort();
        let on = Some(For {
            answer: *a,
            question: *q,
        });
        for (slug, line) in [("good-answer", GOOD_ANSWER), ("great-answer", GREAT_ANSWER)] {
            if *score >= line {
                if let Some(at) = crossed(&vs, line) {
                    give(conn, slug, *u, on, at)?;
                }
            }
        }
        if let (true, Some(acc), Some(at)) = (*score >= GURU, accepted_at.get(a), crossed(&vs, GURU)) {
            give(conn, "guru", *u, on, at.max(*acc))?;
        }
    }

    // Quick Responder: whoever gave a question its first response within one business hour.
    let support = Support::from_settings(&setting::load_all(conn)?);
    let asked_by: HashMap<QuestionId, (UserId, NaiveDateTime)> = responded
        .into_iter()
        .filter_map(|(q, u, t)| Some((q, (u, t?))))
        .collect();
    let comment_times: Vec<(UserId, NaiveDateTime)> =
        commented.iter().filter_map(|(_, u, t)| Some((*u, (*t)?))).collect();
    let mut first: HashMap<QuestionId, (NaiveDateTime, UserId)> = HashMap::new();
    let responses = answered.iter().map(|(_, q, u, t, _)| (*q, *u, *t)).chain(commented);
    for (q, u, t) in responses {
        let (Some(t), Some((asker, _))) = (t, asked_by.get(&q)) else {
            continue;
        };
        if u != *asker && first.get(&q).is_none_or(|(ft, _)| t < *ft) {
            first.insert(q, (t, u));
        }
    }
    for (q, (t, responder)) in first {
        let asked = asked_by[&q].1;
        if support.schedule.business_minutes(asked, t) <= QUICK_RESPONSE_MINUTES {
            give(conn, "quick-responder", responder, None, t)?;
        }
    }

    // Activity days from every post and vote, then the Regular badge on the 30th.
    let mut days: BTreeMap<UserId, Vec<NaiveDate>> = BTreeMap::new();
    let posted = asked.iter().filter_map(|(u, t)| Some((*u, (*t)?)));
    let answered_at = answered.iter().filter_map(|(_, _, u, t, _)| Some((*u, (*t)?)));
    let voted = upvotes.iter().map(|(u, _, _, _, t)| (*u, *t));
    // Many posts share a member's quarter-hour: each slot is written once.
    let mut slots = std::collections::BTreeSet::new();
    for (u, t) in posted.chain(answered_at).chain(comment_times).chain(voted) {
        slots.insert((u, crate::models::activity::slot_of(t)));
        days.entry(u).or_default().push(t.date());
    }
    let slots: Vec<(UserId, NaiveDateTime)> = slots.into_iter().collect();
    crate::models::activity::mark_many(conn, &slots)?;
    for ds in days.values_mut() {
        ds.sort();
        ds.dedup();
    }
    let marks: Vec<(UserId, NaiveDate)> = days.iter().flat_map(|(u, ds)| ds.iter().map(|d| (*u, *d))).collect();
    crate::models::badge::mark_active_many(conn, &marks)?;
    for (u, ds) in days {
        let total = crate::models::badge::active_days(conn, u)?;
        if total >= REGULAR_DAYS {
            if let Some(d) = ds.get(REGULAR_DAYS as usize - 1).or(ds.last()) {
                give(conn, "regular", u, None, d.and_time(NaiveTime::MIN))?;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn crossing_and_nth() {
        let votes = [(t(1), 1), (t(2), 1), (t(3), -1), (t(4), 1), (t(5), 1)];
        assert_eq!(crossed(&votes, 2), Some(t(2)));
        assert_eq!(crossed(&votes, 3), Some(t(5)));
        assert_eq!(crossed(&votes, 4), None);
        let mut times = vec![t(5), t(1), t(3)];
        assert_eq!(nth(&mut times, 2), Some(t(3)));
        assert_eq!(nth(&mut times, 4), None);
        assert_eq!(nth(&mut times, 0), None);
    }
}

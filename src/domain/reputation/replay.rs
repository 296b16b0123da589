//! Replaying actions into the ledger in time order (imports, and each live vote or accept as a
//! replay of one): the daily upvote cap applies as it would have at the time.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::{rewrite_totals, Reason, Source, DAILY_UPVOTE_CAP, UPVOTE_REASONS};
use crate::db::ids::UserId;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::models::reputation_event::{self as events, NewEvent};
use crate::models::user;

/// A past action replayed into the ledger (imports: DESIGN §11 computes reputation from the
/// imported events).
#[derive(Debug, Clone, Copy)]
pub enum Past {
    Vote {
        voter: UserId,
        author: UserId,
        source: Source,
        value: i32,
    },
    Accept {
        accepter: UserId,
        author: UserId,
        asker: UserId,
        source: Source,
    },
}

/// Records past actions in time order (so that the daily cap applies as it would have), then
/// refreshes the totals of everyone involved once.
pub fn replay(conn: &mut DbConn, past: &mut [(NaiveDateTime, Past)]) -> AppResult<()> {
    past.sort_by_key(|(at, _)| *at);
    // Every user whose ledger this touches is locked once, in id order, before the upvote caps are
    // checked: that makes check-then-insert exact under concurrent upvotes, and two replays never
    // wait on each other's users in opposite orders. Once, because each lock is a row update, and
    // thousands of versions of one row in a long import transaction make every later look-up of
    // that row (foreign-key checks included) walk them all on PostgreSQL.
    let involved: BTreeSet<UserId> = past
        .iter()
        .flat_map(|(_, p)| match *p {
            Past::Vote { voter, author, .. } => [voter, author],
            Past::Accept { accepter, author, .. } => [accepter, author],
        })
        .collect();
    for u in &involved {
        user::lock(conn, *u)?;
    }
    let mut ledger = Earned::load(conn, past)?;
    let mut rows = Vec::with_capacity(past.len());
    for (at, p) in past.iter() {
        let at = *at;
        match *p {
            Past::Vote {
                voter,
                author,
                source,
                value,
            } => {
                if value > 0 {
                    let reason = if source.answer.is_some() {
                        Reason::AnswerUpvoted
                    } else {
                        Reason::QuestionUpvoted
                    };
                    rows.push(ledger.event(author, reason, source, voter, at));
                } else {
                    rows.push(ledger.event(author, Reason::PostDownvoted, source, voter, at));
                    if source.answer.is_some() {
                        rows.push(ledger.event(voter, Reason::DownvotedAnswer, source, voter, at));
                    }
                }
            }
            Past::Accept {
                accepter,
                author,
                asker,
                source,
            } => {
                if author != asker {
                    rows.push(ledger.event(author, Reason::AnswerAccepted, source, accepter, at));
                }
                if accepter != author {
                    rows.push(ledger.event(accepter, Reason::AcceptedAnswer, source, accepter, at));
                }
            }
        }
    }
    events::insert_many(conn, &rows)?;
    // Locked above, together with everyone else the events touched.
    rewrite_totals(conn, &involved)
}

/// What each upvoted author has earned from upvotes on each UTC day: read once from the ledger
/// for the days the replay spans, then kept as events are added (one query, not one per event).
struct Earned(HashMap<(UserId, NaiveDate), i64>);

impl Earned {
    fn load(conn: &mut DbConn, past: &[(NaiveDateTime, Past)]) -> AppResult<Earned> {
        let upvoted: BTreeSet<UserId> = past
            .iter()
            .filter_map(|(_, p)| match *p {
                Past::Vote { author, value, .. } if value > 0 => Some(author),
                _ => None,
            })
            .collect();
        let (Some((first, _)), Some((last, _))) = (past.first(), past.last()) else {
            return Ok(Earned(HashMap::new()));
        };
        let from = first.date().and_time(NaiveTime::MIN);
        let until = last.date().and_time(NaiveTime::MIN) + Duration::days(1);
        let users: Vec<UserId> = upvoted.into_iter().collect();
        let mut earned = HashMap::new();
        for part in users.chunks(500) {
            for (user, at, amount) in events::amounts_between(conn, part, &UPVOTE_REASONS, from, until)? {
                *earned.entry((user, at.date())).or_insert(0) += i64::from(amount);
            }
        }
        Ok(Earned(earned))
    }

    /// The event, with an upvote capped to what is left of the day's allowance.
    fn event(
        &mut self,
        user: UserId,
        reason: Reason,
        source: Source,
        actor: UserId,
        at: NaiveDateTime,
    ) -> NewEvent<'static> {
        let mut amount = reason.amount();
        if reason.is_upvote() {
            let earned = self.0.entry((user, at.date())).or_insert(0);
            amount = amount.min((DAILY_UPVOTE_CAP - *earned).clamp(0, i64::from(i32::MAX)) as i32);
            *earned += i64::from(amount);
        }
        super::event(user, reason, source, actor, at, amount)
    }
}

//! Reputation (DESIGN §4): the events votes, accepts and removals earn, recorded in the same
//! transaction as their cause and removed when it is undone; each user's total kept exact.
//!
//! Rules, as DESIGN §4 words them: every account starts at 1 and its total is max(1, 1 + the sum
//! of the ledger). Upvotes earn at most `DAILY_UPVOTE_CAP` a UTC day (the day of the vote): an
//! upvote beyond it is recorded with the part that fits, possibly 0, when it is recorded. Undoing
//! an action removes its event. While a post is deleted its events do not count (`active`);
//! restoring the post brings them back as they were.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use crate::db::ids::{AnswerId, QuestionId, UserId};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::models::reputation_event::{self as events, NewEvent};
use crate::models::user;

/// Most reputation upvotes earn a user in one UTC day.
pub const DAILY_UPVOTE_CAP: i64 = 200;

/// Why reputation changed: the stored name and the amount (DESIGN §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    QuestionUpvoted,
    AnswerUpvoted,
    PostDownvoted,
    DownvotedAnswer,
    AnswerAccepted,
    AcceptedAnswer,
    SpotCheckAccurate,
    RemovedAsSpam,
}

impl Reason {
    /// Every reason.
    pub const ALL: [Reason; 8] = [
        Reason::QuestionUpvoted,
        Reason::AnswerUpvoted,
        Reason::PostDownvoted,
        Reason::DownvotedAnswer,
        Reason::AnswerAccepted,
        Reason::AcceptedAnswer,
        Reason::SpotCheckAccurate,
        Reason::RemovedAsSpam,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::QuestionUpvoted => "question_upvoted",
            Reason::AnswerUpvoted => "answer_upvoted",
            Reason::PostDownvoted => "post_downvoted",
            Reason::DownvotedAnswer => "downvoted_answer",
            Reason::AnswerAccepted => "answer_accepted",
            Reason::AcceptedAnswer => "accepted_answer",
            Reason::SpotCheckAccurate => "spot_check_accurate",
            Reason::RemovedAsSpam => "removed_as_spam",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The amount before the daily cap.
    pub fn amount(self) -> i32 {
        match self {
            Reason::QuestionUpvoted => 5,
            Reason::AnswerUpvoted => 10,
            Reason::PostDownvoted => -2,
            Reason::DownvotedAnswer => -1,
            Reason::AnswerAccepted => 15,
            Reason::AcceptedAnswer => 2,
            Reason::SpotCheckAccurate => 5,
            Reason::RemovedAsSpam => -100,
        }
    }

    /// How the reputation history shows it.
    pub fn label(self) -> &'static str {
        match self {
            Reason::QuestionUpvoted => "question upvoted",
            Reason::AnswerUpvoted => "answer upvoted",
            Reason::PostDownvoted => "post downvoted",
            Reason::DownvotedAnswer => "you downvoted an answer",
            Reason::AnswerAccepted => "answer accepted",
            Reason::AcceptedAnswer => "you accepted an answer",
            Reason::SpotCheckAccurate => "spot check: accurate",
            Reason::RemovedAsSpam => "post removed as spam or offensive",
        }
    }

    fn is_upvote(self) -> bool {
        matches!(self, Reason::QuestionUpvoted | Reason::AnswerUpvoted)
    }
}

/// The reasons a vote records.
const VOTE_REASONS: [&str; 4] = [
    "question_upvoted",
    "answer_upvoted",
    "post_downvoted",
    "downvoted_answer",
];
/// The reasons an accept records.
const ACCEPT_REASONS: [&str; 2] = ["answer_accepted", "accepted_answer"];
const UPVOTE_REASONS: [&str; 2] = ["question_upvoted", "answer_upvoted"];

/// The post an event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub question: QuestionId,
    /// `None` for the question itself.
    pub answer: Option<AnswerId>,
}

impl Source {
    fn kind(self) -> &'static str {
        if self.answer.is_some() {
            "answer"
        } else {
            "question"
        }
    }

    fn id(self) -> i64 {
        self.answer.map(|a| a.0).unwrap_or(self.question.0)
    }
}

/// The ledger row for one event of `amount` (upvotes: after the daily cap, see `replay`).
fn event(
    user: UserId,
    reason: Reason,
    source: Source,
    actor: UserId,
    at: NaiveDateTime,
    amount: i32,
) -> NewEvent<'static> {
    NewEvent {
        user_id: user,
        amount,
        reason: reason.as_str(),
        post_kind: source.kind(),
        post_id: source.id(),
        question_id: source.question,
        actor_id: Some(actor),
        created_at: at,
    }
}

/// Rewrites the totals of `users` from the ledger, in id order (so that two transactions never
/// wait on each other's users in opposite orders).
pub fn refresh(conn: &mut DbConn, users: impl IntoIterator<Item = UserId>) -> AppResult<()> {
    let users: BTreeSet<UserId> = users.into_iter().collect();
    for u in &users {
        user::lock(conn, *u)?;
    }
    rewrite_totals(conn, &users)
}

/// Rewrites the totals of users whose rows this transaction has already locked.
fn rewrite_totals(conn: &mut DbConn, users: &BTreeSet<UserId>) -> AppResult<()> {
    for u in users {
        let sum = events::sum_active(conn, *u)?;
        user::set_reputation(conn, *u, total(sum))?;
    }
    Ok(())
}

/// The total for a ledger sum.
pub fn total(sum: i64) -> i64 {
    (1 + sum).max(1)
}

/// A vote of `value` (1 or -1) by `voter` on a post by `author`.
pub fn vote_cast(
    conn: &mut DbConn,
    voter: UserId,
    author: UserId,
    source: Source,
    value: i32,
    at: NaiveDateTime,
) -> AppResult<()> {
    let vote = Past::Vote {
        voter,
        author,
        source,
        value,
    };
    replay(conn, &mut [(at, vote)])
}

/// `voter` took their vote on the post back (or is about to change it).
pub fn vote_removed(conn: &mut DbConn, voter: UserId, source: Source) -> AppResult<()> {
    let users = events::remove(conn, &VOTE_REASONS, source.kind(), source.id(), Some(voter))?;
    refresh(conn, users.into_iter().chain([voter]))
}

/// `accepter` accepted an answer by `author` on a question asked by `asker`.
pub fn accepted(
    conn: &mut DbConn,
    accepter: UserId,
    author: UserId,
    asker: UserId,
    source: Source,
    at: NaiveDateTime,
) -> AppResult<()> {
    let accept = Past::Accept {
        accepter,
        author,
        asker,
        source,
    };
    replay(conn, &mut [(at, accept)])
}

/// The accepted mark left the answer (moved, removed, or the answer was deleted).
pub fn accept_removed(conn: &mut DbConn, source: Source) -> AppResult<()> {
    let users = events::remove(conn, &ACCEPT_REASONS, source.kind(), source.id(), None)?;
    refresh(conn, users)
}

/// A post was deleted (`visible` false) or restored: its events stop or start counting. For a
/// question, pass its visible answers too: their events follow the question.
pub fn post_visibility(conn: &mut DbConn, sources: &[Source], visible: bool) -> AppResult<()> {
    let mut users = Vec::new();
    for s in sources {
        users.extend(events::set_active(conn, s.kind(), s.id(), visible)?);
    }
    refresh(conn, users)
}

/// A moderator removed `author`'s post as spam or offensive.
pub fn removed_as_spam(
    conn: &mut DbConn,
    author: UserId,
    source: Source,
    moderator: UserId,
    at: NaiveDateTime,
) -> AppResult<()> {
    let penalty = Reason::RemovedAsSpam;
    events::insert(conn, &event(author, penalty, source, moderator, at, penalty.amount()))?;
    refresh(conn, [author])
}

/// The spam removal was reversed (the post restored): the penalty goes.
pub fn spam_removal_undone(conn: &mut DbConn, source: Source) -> AppResult<()> {
    let users = events::remove(conn, &["removed_as_spam"], source.kind(), source.id(), None)?;
    refresh(conn, users)
}

mod replay;
pub use replay::{replay, Past};

/// A user whose stored total differed from their ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub user: UserId,
    pub username: String,
    pub stored: i64,
    pub ledger: i64,
}

/// Rebuilds every total from the ledger; returns the users whose stored total was different.
pub fn recompute(conn: &mut DbConn) -> AppResult<Vec<Difference>> {
    crate::db::backend::write_transaction(conn, |conn| {
        let sums: std::collections::HashMap<UserId, i64> = events::all_sums(conn)?
            .into_iter()
            .map(|(u, s)| (u, s.unwrap_or(0)))
            .collect();
        let mut out = Vec::new();
        for (id, username, stored) in user::reputations(conn)? {
            let ledger = total(sums.get(&id).copied().unwrap_or(0));
            if ledger != stored {
                user::set_reputation(conn, id, ledger)?;
                out.push(Difference {
                    user: id,
                    username,
                    stored,
                    ledger,
                });
            }
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_start_at_one_and_never_go_below() {
        assert_eq!(total(0), 1);
        assert_eq!(total(14), 15);
        assert_eq!(total(-200), 1);
    }

    #[test]
    fn reasons_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(r));
        }
        assert!(VOTE_REASONS
            .iter()
            .chain(&ACCEPT_REASONS)
            .all(|r| Reason::parse(r).is_some()));
    }
}

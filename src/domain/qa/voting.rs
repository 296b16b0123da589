//! Votes and accepted answers. Each runs under the question's row lock, and scores move by the
//! difference a vote makes, so they stay exact under concurrent voting on both backends.

use chrono::NaiveDateTime;

use crate::db::backend::write_transaction;
use crate::db::ids::{AnswerId, QuestionId};
use crate::db::DbConn;
use crate::domain::access::abilities::{PostFacts, Poster, ThreadAbilities, VoteKind};
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::visibility::Viewer;
use crate::domain::badges::awards;
use crate::domain::notifications;
use crate::domain::qa::posting::{refresh_facts, slugify, visible_question};
use crate::domain::qa::surveys;
use crate::domain::reputation::{self, Source};
use crate::error::{AppError, AppResult};
use crate::models::question::Question;
use crate::models::{answer, question, vote};
use serde_json::json;

/// What is voted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Post {
    Question(QuestionId),
    Answer(AnswerId),
}

impl Post {
    /// Stored kind.
    pub fn kind(self) -> &'static str {
        match self {
            Post::Question(_) => "question",
            Post::Answer(_) => "answer",
        }
    }

    fn id(self) -> i64 {
        match self {
            Post::Question(q) => q.0,
            Post::Answer(a) => a.0,
        }
    }
}

/// A vote request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    /// Take my vote back.
    Clear,
}

impl Direction {
    /// Parses `up`, `down` or `clear`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            "clear" => Some(Direction::Clear),
            _ => None,
        }
    }
}

/// The post's score and the voter's vote after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub score: i32,
    pub mine: i32,
}

impl Direction {
    fn kind(self) -> VoteKind {
        match self {
            Direction::Up => VoteKind::Up,
            Direction::Down => VoteKind::Down,
            Direction::Clear => VoteKind::Clear,
        }
    }
}

/// Casts, changes or clears a vote.
pub fn vote(
    conn: &mut DbConn,
    poster: &Poster,
    post: Post,
    direction: Direction,
    now: NaiveDateTime,
) -> AppResult<Tally> {
    // The privilege first: it needs no thread, and it is what the page explains.
    ThreadAbilities::vote_privilege(poster, direction.kind())?;
    write_transaction(conn, |conn| {
        let (author, score, source) = match post {
            Post::Question(id) => {
                question::lock(conn, id)?;
                let q = visible_question(conn, Some(&Viewer::of(poster)), id)?;
                let can = ThreadAbilities::of(Some(poster), &q);
                can.vote_on(&can.question())?;
                (
                    q.author_id,
                    q.score,
                    Source {
                        question: id,
                        answer: None,
                    },
                )
            }
            Post::Answer(id) => {
                let a = answer::find(conn, id)?;
                question::lock(conn, a.question_id)?;
                let q = visible_question(conn, Some(&Viewer::of(poster)), a.question_id)?;
                let a = answer::find(conn, id)?;
                if !a.is_visible() {
                    return Err(AppError::NotFound);
                }
                ThreadAbilities::of(Some(poster), &q).vote_on(&PostFacts::of_answer(&a))?;
                let source = Source {
                    question: a.question_id,
                    answer: Some(id),
                };
                (a.author_id, a.score, source)
            }
        };
        let existing = vote::find(conn, poster.id, post.kind(), post.id())?;
        let (delta, mine) = match (direction, existing) {
            (Direction::Clear, None) => return Err(AppError::BadRequest("You have not voted on this post.".into())),
            (Direction::Clear, Some(v)) => {
                vote::delete(conn, v.id)?;
                reputation::vote_removed(conn, poster.id, source)?;
                (-v.value, 0)
            }
            (d, existing) => {
                let value = if d == Direction::Up { 1 } else { -1 };
                match existing {
                    Some(v) if v.value == value => {
                        return Err(AppError::BadRequest("You have already cast this vote.".into()));
                    }
                    Some(v) => {
                        vote::set_value(conn, v.id, value, now)?;
                        reputation::vote_removed(conn, poster.id, source)?;
                        reputation::vote_cast(conn, poster.id, author, source, value, now)?;
                        (value - v.value, value)
                    }
                    None => {
                        vote::insert(conn, poster.id, post.kind(), post.id(), value, now)?;
                        reputation::vote_cast(conn, poster.id, author, source, value, now)?;
                        (value, value)
                    }
                }
            }
        };
        match post {
            Post::Question(id) => question::add_score(conn, id, delta)?,
            Post::Answer(id) => answer::add_score(conn, id, delta)?,
        };
        if mine != 0 {
            awards::after_vote(conn, poster.id, mine > 0, source.answer, now)?;
        }
        Ok(Tally {
            score: score + delta,
            mine,
        })
    })
}

fn source_of(question: QuestionId, answer: AnswerId) -> Source {
    Source {
        question,
        answer: Some(answer),
    }
}

/// Who may accept: the asker, or someone who handles escalations.
/// Marks `answer_id` as the accepted answer of its question (moving the mark if another had it).
/// Marks `answer_id` accepted. Staff accepting on the asker's behalf is written to the audit log.
pub fn accept(
    conn: &mut DbConn,
    poster: &Poster,
    answer_id: AnswerId,
    ip: Option<String>,
    now: NaiveDateTime,
) -> AppResult<QuestionId> {
    write_transaction(conn, |conn| {
        let a = answer::find(conn, answer_id)?;
        question::lock(conn, a.question_id)?;
        let q = visible_question(conn, Some(&Viewer::of(poster)), a.question_id)?;
        let a = answer::find(conn, answer_id)?;
        if !a.is_visible() {
            return Err(AppError::NotFound);
        }
        ThreadAbilities::of(Some(poster), &q).accept(&PostFacts::of_answer(&a))?;
        if q.accepted_answer_id == Some(answer_id) {
            return Err(AppError::BadRequest("This answer is already accepted.".into()));
        }
        if let Some(old) = q.accepted_answer_id {
            reputation::accept_removed(conn, source_of(q.id, old))?;
        }
        question::set_accepted(conn, q.id, Some(answer_id), Some(poster.id), Some(now))?;
        if poster.id != q.author_id {
            let after = Some(answer_id);
            on_behalf(conn, poster, ip, "answer.accept_on_behalf", &q, after)?;
        }
        reputation::accepted(
            conn,
            poster.id,
            a.author_id,
            q.author_id,
            source_of(q.id, answer_id),
            now,
        )?;
        awards::after_accept(conn, answer_id, now)?;
        refresh_facts(conn, q.id)?;
        // Newly resolved: ask the asker how it went (once; the page keeps asking too).
        if q.accepted_answer_id.is_none() && surveys::find(conn, q.id)?.is_none() {
            notifications::notify(
                conn,
                q.author_id,
                "survey",
                &format!(
                    "Your question \"{}\" has an accepted answer. Did it resolve your issue?",
                    q.title
                ),
                &format!("/questions/{}/{}#survey", q.id, slugify(&q.title)),
                now,
            )?;
        }
        Ok(q.id)
    })
}

/// Removes the accepted mark, reopening the question.
pub fn unaccept(conn: &mut DbConn, poster: &Poster, question_id: QuestionId, ip: Option<String>) -> AppResult<()> {
    write_transaction(conn, |conn| {
        question::lock(conn, question_id)?;
        let q = visible_question(conn, Some(&Viewer::of(poster)), question_id)?;
        ThreadAbilities::of(Some(poster), &q).unaccept()?;
        let Some(old) = q.accepted_answer_id else {
            return Err(AppError::BadRequest("No answer is accepted.".into()));
        };
        question::set_accepted(conn, q.id, None, None, None)?;
        if poster.id != q.author_id {
            on_behalf(conn, poster, ip, "answer.unaccept_on_behalf", &q, None)?;
        }
        reputation::accept_removed(conn, source_of(q.id, old))?;
        refresh_facts(conn, q.id)?;
        Ok(())
    })
}

/// The audit entry of an accept or un-accept by someone other than the asker (staff acting on
/// their behalf): the question, and the accepted answer before and after.
fn on_behalf(
    conn: &mut DbConn,
    poster: &Poster,
    ip: Option<String>,
    action: &str,
    q: &Question,
    after: Option<AnswerId>,
) -> AppResult<()> {
    let state = |a: Option<AnswerId>| json!({ "question": q.id.0, "accepted_answer": a.map(|a| a.0) });
    audit::record(
        conn,
        &Actor::member(poster.id, ip),
        action,
        Target::numbered("question", q.id.0),
        Some(state(q.accepted_answer_id)),
        Some(state(after)),
    )
}

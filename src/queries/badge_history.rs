//! What the badge sweep over history reads (`domain::badges::history`): every live post's
//! author and time, every vote, every accept. Whole-table reads, run by the `badges sweep`
//! command and after an import, never by a page.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{AnswerId, QuestionId, UserId};
use crate::db::schema::{answers, comments, questions, votes};
use crate::db::DbConn;
use crate::error::AppResult;

/// An answer: id, question, author, published, score.
pub type AnswerRow = (AnswerId, QuestionId, UserId, Option<NaiveDateTime>, i32);
/// A vote: voter, post kind, post id, value, when.
pub type VoteRow = (UserId, String, i64, i32, NaiveDateTime);

/// The history the sweep evaluates.
pub struct History {
    /// Live questions: author, published.
    pub asked: Vec<(UserId, Option<NaiveDateTime>)>,
    pub answered: Vec<AnswerRow>,
    pub votes: Vec<VoteRow>,
    /// The accepted answer of each live question, and when.
    pub accepted: Vec<(Option<AnswerId>, Option<NaiveDateTime>)>,
    /// Live questions with a first response: id, author, published.
    pub responded: Vec<(QuestionId, UserId, Option<NaiveDateTime>)>,
    /// Live comments: question, author, published.
    pub commented: Vec<(QuestionId, UserId, Option<NaiveDateTime>)>,
}

/// Reads the whole history.
pub fn load(conn: &mut DbConn) -> AppResult<History> {
    let asked = questions::table
        .filter(questions::published_at.is_not_null())
        .filter(questions::deleted_at.is_null())
        .select((questions::author_id, questions::published_at))
        .load(conn)?;
    let answered = answers::table
        .filter(answers::published_at.is_not_null())
        .filter(answers::deleted_at.is_null())
        .select((
            answers::id,
            answers::question_id,
            answers::author_id,
            answers::published_at,
            answers::score,
        ))
        .load(conn)?;
    let votes = votes::table
        .select((
            votes::user_id,
            votes::post_kind,
            votes::post_id,
            votes::value,
            votes::created_at,
        ))
        .load(conn)?;
    let accepted = questions::table
        .filter(questions::accepted_answer_id.is_not_null())
        .filter(questions::deleted_at.is_null())
        .select((questions::accepted_answer_id, questions::accepted_at))
        .load(conn)?;
    let responded = questions::table
        .filter(questions::published_at.is_not_null())
        .filter(questions::deleted_at.is_null())
        .filter(questions::first_response_at.is_not_null())
        .select((questions::id, questions::author_id, questions::published_at))
        .load(conn)?;
    let commented = comments::table
        .filter(comments::published_at.is_not_null())
        .filter(comments::deleted_at.is_null())
        .select((comments::question_id, comments::author_id, comments::published_at))
        .load(conn)?;
    Ok(History {
        asked,
        answered,
        votes,
        accepted,
        responded,
        commented,
    })
}

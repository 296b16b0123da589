//! `questions`: the question with its counters, resolution and moderation state.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::{AnswerId, CategoryId, QuestionId, UserId};
use crate::db::schema::{question_views, questions};
use crate::db::DbConn;

/// A question row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Question {
    pub id: QuestionId,
    pub author_id: UserId,
    pub category_id: CategoryId,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub score: i32,
    pub answer_count: i32,
    pub comment_count: i32,
    pub accepted_answer_id: Option<AnswerId>,
    pub accepted_at: Option<NaiveDateTime>,
    pub accepted_by: Option<UserId>,
    pub first_response_at: Option<NaiveDateTime>,
    pub last_activity_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<UserId>,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_by: Option<UserId>,
    pub close_reason: Option<String>,
    pub duplicate_of_id: Option<QuestionId>,
    pub locked_at: Option<NaiveDateTime>,
    pub locked_by: Option<UserId>,
    pub ack_status: Option<String>,
    pub ack_at: Option<NaiveDateTime>,
    /// Customer turns that got a reply, and the minutes they waited in all (DESIGN §7).
    pub turns_answered: i32,
    pub turn_wait_minutes: f64,
    /// Answers and comments published by the time the accepted answer was accepted.
    pub messages_at_acceptance: Option<i32>,
    /// The author of the accepted answer, if there is one.
    pub accepted_author_id: Option<UserId>,
    /// The body's rendered plain text (what search indexes and quotes).
    pub body_text: String,
}

impl Question {
    /// Published and not deleted.
    pub fn is_visible(&self) -> bool {
        self.published_at.is_some() && self.deleted_at.is_none()
    }

    /// Has an accepted answer.
    pub fn is_resolved(&self) -> bool {
        self.accepted_answer_id.is_some()
    }
}

/// A new question.
#[derive(Debug, Insertable)]
#[diesel(table_name = questions)]
pub struct NewQuestion<'a> {
    pub author_id: UserId,
    pub category_id: CategoryId,
    pub title: &'a str,
    pub body: &'a str,
    pub body_html: &'a str,
    pub body_text: &'a str,
    pub last_activity_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

/// Inserts a question.
pub fn insert(conn: &mut DbConn, new: &NewQuestion<'_>) -> QueryResult<QuestionId> {
    diesel::insert_into(questions::table)
        .values(new)
        .returning(questions::id)
        .get_result(conn)
}

/// By id, in any state.
pub fn find(conn: &mut DbConn, id: QuestionId) -> QueryResult<Question> {
    questions::table.find(id).first(conn)
}

/// Takes the question's row lock for the rest of the transaction (a write that changes nothing), so
/// that everything changing one thread runs one at a time and counters recomputed after it are exact.
pub fn lock(conn: &mut DbConn, id: QuestionId) -> QueryResult<usize> {
    diesel::update(questions::table.find(id))
        .set(questions::last_activity_at.eq(questions::last_activity_at))
        .execute(conn)
}

/// Adds `n` counted views.
pub fn add_views(conn: &mut DbConn, id: QuestionId, n: i64) -> QueryResult<usize> {
    on_each_backend!(conn, |c| diesel::insert_into(question_views::table)
        .values((question_views::question_id.eq(id), question_views::view_count.eq(n)))
        .on_conflict(question_views::question_id)
        .do_update()
        .set(question_views::view_count.eq(question_views::view_count + n))
        .execute(c))
}

/// Views counted so far (those still in memory, `view_counts`, not included).
pub fn views(conn: &mut DbConn, id: QuestionId) -> QueryResult<i64> {
    question_views::table
        .find(id)
        .select(question_views::view_count)
        .first(conn)
        .optional()
        .map(|v| v.unwrap_or(0))
}

/// Adds `delta` to the score.
pub fn add_score(conn: &mut DbConn, id: QuestionId, delta: i32) -> QueryResult<usize> {
    diesel::update(questions::table.find(id))
        .set(questions::score.eq(questions::score + delta))
        .execute(conn)
}

/// Marks `answer` accepted (or clears the mark with `None`).
pub fn set_accepted(
    conn: &mut DbConn,
    id: QuestionId,
    answer: Option<AnswerId>,
    by: Option<UserId>,
    at: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    diesel::update(questions::table.find(id))
        .set((
            questions::accepted_answer_id.eq(answer),
            questions::accepted_by.eq(by),
            questions::accepted_at.eq(at),
        ))
        .execute(conn)
}

/// The fields an edit changes.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = questions)]
pub struct QuestionEdit<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub body_html: &'a str,
    pub body_text: &'a str,
    pub category_id: CategoryId,
    pub updated_at: NaiveDateTime,
}

/// Applies an edit.
pub fn edit(conn: &mut DbConn, id: QuestionId, e: &QuestionEdit<'_>) -> QueryResult<usize> {
    diesel::update(questions::table.find(id)).set(e).execute(conn)
}

/// Moderation and resolution state that moves as a unit.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = questions, treat_none_as_null = true)]
pub struct QuestionState {
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<UserId>,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_by: Option<UserId>,
    pub close_reason: Option<String>,
    pub duplicate_of_id: Option<QuestionId>,
    pub locked_at: Option<NaiveDateTime>,
    pub locked_by: Option<UserId>,
    pub ack_status: Option<String>,
    pub ack_at: Option<NaiveDateTime>,
}

impl Question {
    /// The current state, to change and write back.
    pub fn state(&self) -> QuestionState {
        QuestionState {
            deleted_at: self.deleted_at,
            deleted_by: self.deleted_by,
            closed_at: self.closed_at,
            closed_by: self.closed_by,
            close_reason: self.close_reason.clone(),
            duplicate_of_id: self.duplicate_of_id,
            locked_at: self.locked_at,
            locked_by: self.locked_by,
            ack_status: self.ack_status.clone(),
            ack_at: self.ack_at,
        }
    }
}

/// Writes the state.
pub fn set_state(conn: &mut DbConn, id: QuestionId, state: &QuestionState) -> QueryResult<usize> {
    diesel::update(questions::table.find(id)).set(state).execute(conn)
}

/// The counters and facts derived from answers and comments (the score moves by votes' deltas).
#[derive(Debug, Clone, PartialEq, AsChangeset, Insertable)]
#[diesel(table_name = questions, treat_none_as_null = true)]
pub struct Facts {
    pub answer_count: i32,
    pub comment_count: i32,
    pub first_response_at: Option<NaiveDateTime>,
    pub last_activity_at: NaiveDateTime,
    pub turns_answered: i32,
    pub turn_wait_minutes: f64,
    pub messages_at_acceptance: Option<i32>,
    /// The author of the accepted answer, if there is one.
    pub accepted_author_id: Option<UserId>,
}

/// Writes recomputed facts.
pub fn set_facts(conn: &mut DbConn, id: QuestionId, facts: &Facts) -> QueryResult<usize> {
    diesel::update(questions::table.find(id)).set(facts).execute(conn)
}

/// The accepted answer of a question (`None` when there is none or no such question).
pub fn accepted_answer(conn: &mut DbConn, id: QuestionId) -> QueryResult<Option<AnswerId>> {
    Ok(questions::table
        .find(id)
        .select(questions::accepted_answer_id)
        .first::<Option<AnswerId>>(conn)
        .optional()?
        .flatten())
}

/// Every question's id.
pub fn all_ids(conn: &mut DbConn) -> QueryResult<Vec<QuestionId>> {
    questions::table.select(questions::id).load(conn)
}

/// The title of each of these questions that exists, by id.
pub fn titles(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    questions::table
        .filter(questions::id.eq_any(ids))
        .select((questions::id, questions::title))
        .load(conn)
}

/// How many questions there are (deleted ones too).
pub fn count_all(conn: &mut DbConn) -> QueryResult<i64> {
    questions::table.count().get_result(conn)
}

/// Every question's id, answer count and score.
pub fn all_standings(conn: &mut DbConn) -> QueryResult<Vec<(QuestionId, i32, i32)>> {
    questions::table
        .select((questions::id, questions::answer_count, questions::score))
        .load(conn)
}

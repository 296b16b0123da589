//! `answers`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{AnswerId, QuestionId, UserId};
use crate::db::schema::answers;
use crate::db::DbConn;

/// An answer row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Answer {
    pub id: AnswerId,
    pub question_id: QuestionId,
    pub author_id: UserId,
    pub body: String,
    pub body_html: String,
    pub score: i32,
    pub official: bool,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<UserId>,
    /// The body's rendered plain text (what search indexes and quotes).
    pub body_text: String,
}

impl Answer {
    /// Published and not deleted.
    pub fn is_visible(&self) -> bool {
        self.published_at.is_some() && self.deleted_at.is_none()
    }
}

/// A new answer.
#[derive(Debug, Insertable)]
#[diesel(table_name = answers)]
pub struct NewAnswer<'a> {
    pub question_id: QuestionId,
    pub author_id: UserId,
    pub body: &'a str,
    pub body_html: &'a str,
    pub body_text: &'a str,
    pub official: bool,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

/// Inserts an answer.
pub fn insert(conn: &mut DbConn, new: &NewAnswer<'_>) -> QueryResult<AnswerId> {
    diesel::insert_into(answers::table)
        .values(new)
        .returning(answers::id)
        .get_result(conn)
}

/// By id.
pub fn find(conn: &mut DbConn, id: AnswerId) -> QueryResult<Answer> {
    answers::table.find(id).first(conn)
}

/// Adds `delta` to the score.
pub fn add_score(conn: &mut DbConn, id: AnswerId, delta: i32) -> QueryResult<usize> {
    diesel::update(answers::table.find(id))
        .set(answers::score.eq(answers::score + delta))
        .execute(conn)
}

/// Replaces the body: its source, HTML and plain text.
pub fn edit(conn: &mut DbConn, id: AnswerId, body: [&str; 3], at: NaiveDateTime) -> QueryResult<usize> {
    let [body, body_html, body_text] = body;
    diesel::update(answers::table.find(id))
        .set((
            answers::body.eq(body),
            answers::body_html.eq(body_html),
            answers::body_text.eq(body_text),
            answers::updated_at.eq(at),
        ))
        .execute(conn)
}

/// Soft-deletes (`Some`) or restores (`None`).
pub fn set_deleted(
    conn: &mut DbConn,
    id: AnswerId,
    at: Option<NaiveDateTime>,
    by: Option<UserId>,
) -> QueryResult<usize> {
    diesel::update(answers::table.find(id))
        .set((answers::deleted_at.eq(at), answers::deleted_by.eq(by)))
        .execute(conn)
}

/// Every answer of a question, in any state, oldest first.
pub fn for_question(conn: &mut DbConn, question: QuestionId) -> QueryResult<Vec<Answer>> {
    answers::table
        .filter(answers::question_id.eq(question))
        .order(answers::id)
        .load(conn)
}

/// An answer's author, question and score (no body).
pub fn standing(conn: &mut DbConn, id: AnswerId) -> QueryResult<(UserId, QuestionId, i32)> {
    answers::table
        .find(id)
        .select((answers::author_id, answers::question_id, answers::score))
        .first(conn)
}

/// How many of `user`'s answers are the accepted answer of a live question.
pub fn accepted_count(conn: &mut DbConn, user: UserId) -> QueryResult<i64> {
    use crate::db::schema::questions;
    let mine = answers::table
        .filter(answers::author_id.eq(user))
        .filter(answers::deleted_at.is_null())
        .select(answers::id.nullable());
    questions::table
        .filter(questions::accepted_answer_id.eq_any(mine))
        .filter(questions::deleted_at.is_null())
        .count()
        .get_result(conn)
}

/// The author and publication time of each published, live answer on `question`.
pub fn published_authors(conn: &mut DbConn, question: QuestionId) -> QueryResult<Vec<(UserId, Option<NaiveDateTime>)>> {
    answers::table
        .filter(answers::question_id.eq(question))
        .filter(answers::published_at.is_not_null())
        .filter(answers::deleted_at.is_null())
        .select((answers::author_id, answers::published_at))
        .load(conn)
}

/// The author of an answer, if it exists.
pub fn author_of(conn: &mut DbConn, id: AnswerId) -> QueryResult<Option<UserId>> {
    answers::table
        .find(id)
        .select(answers::author_id)
        .first(conn)
        .optional()
}

/// The question of each of these answers that exists, by answer id.
pub fn questions_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    answers::table
        .filter(answers::id.eq_any(ids))
        .select((answers::id, answers::question_id))
        .load(conn)
}

//! `comments`: on a question (no `answer_id`) or on one of its answers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{AnswerId, CommentId, QuestionId, UserId};
use crate::db::schema::comments;
use crate::db::DbConn;

/// A comment row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Comment {
    pub id: CommentId,
    pub question_id: QuestionId,
    pub answer_id: Option<AnswerId>,
    pub author_id: UserId,
    pub body: String,
    pub body_html: String,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<UserId>,
}

impl Comment {
    /// Published and not deleted.
    pub fn is_visible(&self) -> bool {
        self.published_at.is_some() && self.deleted_at.is_none()
    }
}

/// A new comment.
#[derive(Debug, Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment<'a> {
    pub question_id: QuestionId,
    pub answer_id: Option<AnswerId>,
    pub author_id: UserId,
    pub body: &'a str,
    pub body_html: &'a str,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

/// Inserts a comment.
pub fn insert(conn: &mut DbConn, new: &NewComment<'_>) -> QueryResult<CommentId> {
    diesel::insert_into(comments::table)
        .values(new)
        .returning(comments::id)
        .get_result(conn)
}

/// The author and publication time of each published, live comment in `question`'s thread.
pub fn published_authors(conn: &mut DbConn, question: QuestionId) -> QueryResult<Vec<(UserId, Option<NaiveDateTime>)>> {
    comments::table
        .filter(comments::question_id.eq(question))
        .filter(comments::published_at.is_not_null())
        .filter(comments::deleted_at.is_null())
        .select((comments::author_id, comments::published_at))
        .load(conn)
}

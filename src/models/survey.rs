//! `surveys`: the asker's post-resolution response, one per question.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{QuestionId, UserId};
use crate::db::schema::surveys;
use crate::db::DbConn;

/// A stored response.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Response {
    pub resolved: bool,
    pub nps: Option<i32>,
    pub comment: String,
    pub created_at: NaiveDateTime,
}

/// The response on a question, if any.
pub fn find(conn: &mut DbConn, q: QuestionId) -> QueryResult<Option<Response>> {
    surveys::table
        .filter(surveys::question_id.eq(q))
        .select((surveys::resolved, surveys::nps, surveys::comment, surveys::created_at))
        .first(conn)
        .optional()
}

/// What a response says.
pub struct Given<'a> {
    pub resolved: bool,
    pub nps: i32,
    pub comment: &'a str,
}

/// Changes the response on `q`.
pub fn update(conn: &mut DbConn, q: QuestionId, given: &Given<'_>, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(surveys::table.filter(surveys::question_id.eq(q)))
        .set((
            surveys::resolved.eq(given.resolved),
            surveys::nps.eq(Some(given.nps)),
            surveys::comment.eq(given.comment),
            surveys::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Records `user`'s first response on `q`.
pub fn insert(
    conn: &mut DbConn,
    q: QuestionId,
    user: UserId,
    given: &Given<'_>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(surveys::table)
        .values((
            surveys::question_id.eq(q),
            surveys::user_id.eq(user),
            surveys::resolved.eq(given.resolved),
            surveys::nps.eq(Some(given.nps)),
            surveys::comment.eq(given.comment),
            surveys::created_at.eq(now),
            surveys::updated_at.eq(now),
        ))
        .execute(conn)
}

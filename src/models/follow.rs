//! `follows`: who is told about activity on a question.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::{QuestionId, UserId};
use crate::db::schema::follows;
use crate::db::DbConn;

/// Follows (idempotent).
pub fn add(conn: &mut DbConn, user: UserId, question: QuestionId, now: NaiveDateTime) -> QueryResult<usize> {
    let row = (
        follows::user_id.eq(user),
        follows::question_id.eq(question),
        follows::created_at.eq(now),
    );
    on_each_backend!(conn, |c| diesel::insert_into(follows::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))
}

/// Unfollows.
pub fn remove(conn: &mut DbConn, user: UserId, question: QuestionId) -> QueryResult<usize> {
    diesel::delete(
        follows::table
            .filter(follows::user_id.eq(user))
            .filter(follows::question_id.eq(question)),
    )
    .execute(conn)
}

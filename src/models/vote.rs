//! `votes`: one per user per post, +1 or -1.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{UserId, VoteId};
use crate::db::schema::votes;
use crate::db::DbConn;

/// A vote row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Vote {
    pub id: VoteId,
    pub user_id: UserId,
    pub post_kind: String,
    pub post_id: i64,
    pub value: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The user's vote on a post.
pub fn find(conn: &mut DbConn, user: UserId, kind: &str, post: i64) -> QueryResult<Option<Vote>> {
    votes::table
        .filter(votes::user_id.eq(user))
        .filter(votes::post_kind.eq(kind))
        .filter(votes::post_id.eq(post))
        .first(conn)
        .optional()
}

/// Records a new vote.
pub fn insert(
    conn: &mut DbConn,
    user: UserId,
    kind: &str,
    post: i64,
    value: i32,
    now: NaiveDateTime,
) -> QueryResult<VoteId> {
    diesel::insert_into(votes::table)
        .values((
            votes::user_id.eq(user),
            votes::post_kind.eq(kind),
            votes::post_id.eq(post),
            votes::value.eq(value),
            votes::created_at.eq(now),
            votes::updated_at.eq(now),
        ))
        .returning(votes::id)
        .get_result(conn)
}

/// Changes a vote's direction.
pub fn set_value(conn: &mut DbConn, id: VoteId, value: i32, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(votes::table.find(id))
        .set((votes::value.eq(value), votes::updated_at.eq(now)))
        .execute(conn)
}

/// Removes a vote.
pub fn delete(conn: &mut DbConn, id: VoteId) -> QueryResult<usize> {
    diesel::delete(votes::table.find(id)).execute(conn)
}

/// The user's votes on a set of posts of one kind: `(post id, value)`.
pub fn of_user(conn: &mut DbConn, user: UserId, kind: &str, posts: &[i64]) -> QueryResult<Vec<(i64, i32)>> {
    votes::table
        .filter(votes::user_id.eq(user))
        .filter(votes::post_kind.eq(kind))
        .filter(votes::post_id.eq_any(posts))
        .select((votes::post_id, votes::value))
        .load(conn)
}

/// The sum of a post's votes (to check the maintained score).
pub fn total(conn: &mut DbConn, kind: &str, post: i64) -> QueryResult<i64> {
    let sum: Option<i64> = votes::table
        .filter(votes::post_kind.eq(kind))
        .filter(votes::post_id.eq(post))
        .select(diesel::dsl::sum(votes::value))
        .first(conn)?;
    Ok(sum.unwrap_or(0))
}

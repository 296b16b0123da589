//! `revisions`: every version of a question or answer (the first is the original), for the history page.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{RevisionId, UserId};
use crate::db::schema::revisions;
use crate::db::DbConn;

/// A revision row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Revision {
    pub id: RevisionId,
    pub post_kind: String,
    pub post_id: i64,
    pub editor_id: UserId,
    pub title: Option<String>,
    pub body: String,
    pub tags: Option<String>,
    pub summary: String,
    pub created_at: NaiveDateTime,
}

/// A new revision.
#[derive(Debug, Insertable)]
#[diesel(table_name = revisions)]
pub struct NewRevision<'a> {
    pub post_kind: &'a str,
    pub post_id: i64,
    pub editor_id: UserId,
    pub title: Option<&'a str>,
    pub body: &'a str,
    pub tags: Option<&'a str>,
    pub summary: &'a str,
    pub created_at: NaiveDateTime,
}

/// Inserts a revision.
pub fn insert(conn: &mut DbConn, new: &NewRevision<'_>) -> QueryResult<RevisionId> {
    diesel::insert_into(revisions::table)
        .values(new)
        .returning(revisions::id)
        .get_result(conn)
}

/// The history of one post, oldest first.
pub fn for_post(conn: &mut DbConn, kind: &str, id: i64) -> QueryResult<Vec<Revision>> {
    revisions::table
        .filter(revisions::post_kind.eq(kind))
        .filter(revisions::post_id.eq(id))
        .order(revisions::id)
        .load(conn)
}

//! The rows an import writes, many to a statement: one statement per table per chunk of questions
//! instead of one per row (PostgreSQL seeding 100,000 questions row by row took 982 s).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{AnswerId, CategoryId, QuestionId, TagId, UserId};
use crate::db::schema::{answers, follows, question_tags, questions, surveys, votes};
use crate::models::question::Facts;

/// Rows per statement: with at most 16 columns, far under the bound-parameter limits of both
/// backends (PostgreSQL 65,535, SQLite 32,766).
pub(super) const ROWS: usize = 1000;

/// Inserts `rows` (a slice of insertable rows) `ROWS` at a time; multi-row statements do not go
/// through `MultiConnection`, so each runs on the backend's own connection.
macro_rules! insert_rows {
    ($conn:expr, $table:path, $rows:expr) => {{
        let mut written = 0usize;
        for part in $rows.chunks($crate::domain::import::batch::ROWS) {
            written +=
                $crate::db::backend::on_each_backend!($conn, |c| diesel::insert_into($table).values(part).execute(c))?;
        }
        written
    }};
}
pub(super) use insert_rows;

/// Like `insert_rows`, returning the new ids in the order of `rows`. Both backends give a
/// statement's rows increasing ids in the order of its `VALUES` (a sequence drawn row by row,
/// SQLite's next rowid), but neither promises to return them in that order: sorted, they match.
macro_rules! insert_returning_ids {
    ($conn:expr, $table:path, $id:path, $ty:ty, $rows:expr) => {{
        let mut ids: Vec<$ty> = Vec::with_capacity($rows.len());
        for part in $rows.chunks($crate::domain::import::batch::ROWS) {
            let mut got: Vec<$ty> = $crate::db::backend::on_each_backend!($conn, |c| diesel::insert_into($table)
                .values(part)
                .returning($id)
                .get_results(c))?;
            got.sort();
            ids.extend(got);
        }
        ids
    }};
}
pub(super) use insert_returning_ids;

/// A question with its score and facts, known before it is written.
#[derive(Insertable)]
#[diesel(table_name = questions)]
pub(super) struct QuestionRow<'a> {
    pub author_id: UserId,
    pub category_id: CategoryId,
    pub title: &'a str,
    pub body: &'a str,
    pub body_html: &'a str,
    pub body_text: &'a str,
    pub score: i32,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    #[diesel(embed)]
    pub facts: Facts,
}

/// An answer with its score.
#[derive(Insertable)]
#[diesel(table_name = answers)]
pub(super) struct AnswerRow<'a> {
    pub question_id: QuestionId,
    pub author_id: UserId,
    pub body: &'a str,
    pub body_html: &'a str,
    pub body_text: &'a str,
    pub score: i32,
    pub official: bool,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = votes)]
pub(super) struct VoteRow {
    pub user_id: UserId,
    pub post_kind: &'static str,
    pub post_id: i64,
    pub value: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = follows)]
pub(super) struct FollowRow {
    pub user_id: UserId,
    pub question_id: QuestionId,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = question_tags)]
pub(super) struct QuestionTagRow {
    pub question_id: QuestionId,
    pub tag_id: TagId,
}

#[derive(Insertable)]
#[diesel(table_name = surveys)]
pub(super) struct SurveyRow {
    pub question_id: QuestionId,
    pub user_id: UserId,
    pub resolved: bool,
    pub nps: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The accepted answer of a question, set once the answer has its id.
pub(super) struct Accepted {
    pub question: QuestionId,
    pub answer: AnswerId,
    pub by: UserId,
    pub at: NaiveDateTime,
}

//! `tags` and `question_tags`: lowercase labels created on first use.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::{QuestionId, TagId};
use crate::db::schema::{categories, question_tags, questions, tags};
use crate::db::visibility::public_category;
use crate::db::DbConn;

/// A tag row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub description: String,
    pub description_html: String,
    pub question_count: i32,
    pub created_at: NaiveDateTime,
}

/// By name.
pub fn find_by_name(conn: &mut DbConn, name: &str) -> QueryResult<Option<Tag>> {
    tags::table.filter(tags::name.eq(name)).first(conn).optional()
}

/// The ids of `names`, creating the tags that do not exist yet.
pub fn ensure(conn: &mut DbConn, names: &[String], now: NaiveDateTime) -> QueryResult<Vec<TagId>> {
    for name in names {
        let row = (tags::name.eq(name), tags::created_at.eq(now));
        on_each_backend!(conn, |c| diesel::insert_into(tags::table)
            .values(row)
            .on_conflict(tags::name)
            .do_nothing()
            .execute(c))?;
    }
    let found: Vec<(String, TagId)> = tags::table
        .filter(tags::name.eq_any(names))
        .select((tags::name, tags::id))
        .load(conn)?;
    let by_name: HashMap<String, TagId> = found.into_iter().collect();
    Ok(names.iter().filter_map(|n| by_name.get(n).copied()).collect())
}

/// The visible public questions a tag counts (`refresh_counts` keeps it).
pub fn question_count(conn: &mut DbConn, id: TagId) -> QueryResult<i32> {
    tags::table.find(id).select(tags::question_count).first(conn)
}

/// Replaces the tags of a question, keeping the per-tag question counts exact.
pub fn set_for_question(conn: &mut DbConn, question: QuestionId, ids: &[TagId]) -> QueryResult<()> {
    let before: Vec<TagId> = question_tags::table
        .filter(question_tags::question_id.eq(question))
        .select(question_tags::tag_id)
        .load(conn)?;
    diesel::delete(question_tags::table.filter(question_tags::question_id.eq(question))).execute(conn)?;
    // One row at a time: batch inserts do not go through `MultiConnection`, and there are at most five.
    for tag in ids {
        diesel::insert_into(question_tags::table)
            .values((question_tags::question_id.eq(question), question_tags::tag_id.eq(*tag)))
            .execute(conn)?;
    }
    let touched: Vec<TagId> = before.into_iter().chain(ids.iter().copied()).collect();
    refresh_counts(conn, &touched)
}

/// Recounts the visible public questions of `ids` (questions in a group's private category do not
/// count, so that neither the tags index nor a tag page tells outsiders about them).
pub fn refresh_counts(conn: &mut DbConn, ids: &[TagId]) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // One grouped count for all of them: an import recounts every tag, and a count a tag took
    // seconds each at a million questions (the same join over and over).
    let counted: HashMap<TagId, i64> = question_tags::table
        .inner_join(questions::table.inner_join(categories::table))
        .filter(question_tags::tag_id.eq_any(ids))
        .filter(public_category())
        .filter(questions::published_at.is_not_null())
        .filter(questions::deleted_at.is_null())
        .group_by(question_tags::tag_id)
        .select((question_tags::tag_id, diesel::dsl::count_star()))
        .load::<(TagId, i64)>(conn)?
        .into_iter()
        .collect();
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let n = counted.get(&id).copied().unwrap_or(0);
        diesel::update(tags::table.find(id))
            .set(tags::question_count.eq(n as i32))
            .execute(conn)?;
    }
    Ok(())
}

/// The tag names of each of `questions`, in name order.
pub fn names_for(conn: &mut DbConn, ids: &[QuestionId]) -> QueryResult<HashMap<QuestionId, Vec<String>>> {
    let rows: Vec<(QuestionId, String)> = question_tags::table
        .inner_join(tags::table)
        .filter(question_tags::question_id.eq_any(ids))
        .select((question_tags::question_id, tags::name))
        .order(tags::name)
        .load(conn)?;
    let mut out: HashMap<QuestionId, Vec<String>> = HashMap::new();
    for (q, name) in rows {
        out.entry(q).or_default().push(name);
    }
    Ok(out)
}

/// Replaces a tag's description.
pub fn set_description(conn: &mut DbConn, id: TagId, description: &str, html: &str) -> QueryResult<usize> {
    diesel::update(tags::table.find(id))
        .set((tags::description.eq(description), tags::description_html.eq(html)))
        .execute(conn)
}

/// Most used tags, for the tags index and the ask page hints.
pub fn popular(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<Tag>> {
    tags::table
        .filter(tags::question_count.gt(0))
        .order((tags::question_count.desc(), tags::name))
        .limit(limit)
        .load(conn)
}

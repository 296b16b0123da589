//! `badges`, `badge_awards` and `user_active_days`: the catalogue, who earned what, and the days
//! members were active (the Regular badge).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::AggregateExpressionMethods;

use crate::db::backend::on_each_backend;
use crate::db::ids::{QuestionId, UserId};
use crate::db::schema::{badge_awards as aw, badges, categories, questions, user_active_days as days, users};
use crate::db::visibility::public_category;
use crate::db::DbConn;

/// A badge row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct Badge {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub tier: String,
    pub description: String,
    pub repeatable: bool,
    pub manual: bool,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

/// A new badge.
#[derive(Debug, Insertable)]
#[diesel(table_name = badges)]
pub struct NewBadge<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub tier: &'a str,
    pub description: &'a str,
    pub repeatable: bool,
    pub manual: bool,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

/// A new award.
#[derive(Debug, Insertable)]
#[diesel(table_name = aw)]
pub struct NewAward<'a> {
    pub badge_id: i64,
    pub user_id: UserId,
    pub post_id: i64,
    pub question_id: Option<QuestionId>,
    pub awarded_by: Option<UserId>,
    pub reason: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

/// Inserts a badge unless one with its slug exists; true when inserted.
pub fn insert_if_missing(conn: &mut DbConn, new: &NewBadge<'_>) -> QueryResult<bool> {
    let n = on_each_backend!(conn, |c| diesel::insert_into(badges::table)
        .values(new)
        .on_conflict(badges::slug)
        .do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Keeps a built-in badge's name, tier and description as the code says.
pub fn update_text(conn: &mut DbConn, slug: &str, name: &str, tier: &str, description: &str) -> QueryResult<usize> {
    diesel::update(badges::table.filter(badges::slug.eq(slug)))
        .set((
            badges::name.eq(name),
            badges::tier.eq(tier),
            badges::description.eq(description),
        ))
        .execute(conn)
}

/// By slug.
pub fn find_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<Badge>> {
    badges::table.filter(badges::slug.eq(slug)).first(conn).optional()
}

/// The whole catalogue with how many distinct users hold each badge.
pub fn list_with_holders(conn: &mut DbConn) -> QueryResult<Vec<(Badge, i64)>> {
    let all: Vec<Badge> = badges::table.order(badges::id).load(conn)?;
    let counts: Vec<(i64, i64)> = aw::table
        .group_by(aw::badge_id)
        .select((aw::badge_id, diesel::dsl::count(aw::user_id).aggregate_distinct()))
        .load(conn)?;
    let counts: std::collections::HashMap<i64, i64> = counts.into_iter().collect();
    Ok(all
        .into_iter()
        .map(|b| {
            let n = counts.get(&b.id).copied().unwrap_or(0);
            (b, n)
        })
        .collect())
}

/// Awards a badge unless it is held already (for that post); true when newly awarded. Safe
/// under concurrent awards of the same badge (the unique index decides).
pub fn award(conn: &mut DbConn, new: &NewAward<'_>) -> QueryResult<bool> {
    let n = on_each_backend!(conn, |c| diesel::insert_into(aw::table)
        .values(new)
        .on_conflict((aw::badge_id, aw::user_id, aw::post_id))
        .do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Removes one award; returns the user it belonged to.
pub fn revoke(conn: &mut DbConn, badge_id: i64, award_id: i64) -> QueryResult<Option<UserId>> {
    let user: Option<UserId> = aw::table
        .filter(aw::id.eq(award_id))
        .filter(aw::badge_id.eq(badge_id))
        .select(aw::user_id)
        .first(conn)
        .optional()?;
    diesel::delete(aw::table.filter(aw::id.eq(award_id)).filter(aw::badge_id.eq(badge_id))).execute(conn)?;
    Ok(user)
}

/// One award as the badge page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct Recipient {
    pub award_id: i64,
    pub username: String,
    pub display_name: Option<String>,
    pub question_id: Option<QuestionId>,
    pub created_at: NaiveDateTime,
}

/// A page of a badge's recipients, newest first, and the total.
/// How many members hold the badge.
pub fn holder_count(conn: &mut DbConn, badge_id: i64) -> QueryResult<i64> {
    aw::table
        .filter(aw::badge_id.eq(badge_id))
        .select(diesel::dsl::count(aw::user_id).aggregate_distinct())
        .first(conn)
}

pub fn recipients(conn: &mut DbConn, badge_id: i64, limit: i64, offset: i64) -> QueryResult<(Vec<Recipient>, i64)> {
    let total = aw::table.filter(aw::badge_id.eq(badge_id)).count().get_result(conn)?;
    let rows = aw::table
        .inner_join(users::table)
        .filter(aw::badge_id.eq(badge_id))
        .order((aw::created_at.desc(), aw::id.desc()))
        .select((
            aw::id,
            users::username,
            users::display_name,
            aw::question_id,
            aw::created_at,
        ))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok((rows, total))
}

/// A user's awards with their badges, newest first.
/// A badge a member holds: the badge, the question it was earned on, when.
pub type Held = (Badge, Option<QuestionId>, NaiveDateTime);

pub fn of_user(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<Held>> {
    aw::table
        .inner_join(badges::table)
        .filter(aw::user_id.eq(user))
        .order((aw::created_at.desc(), aw::id.desc()))
        .select((badges::all_columns, aw::question_id, aw::created_at))
        .load(conn)
}

/// Of `ids`, the questions anyone may see (published, not deleted, not in a group).
pub fn public_questions(conn: &mut DbConn, ids: &[QuestionId]) -> QueryResult<Vec<(QuestionId, String)>> {
    questions::table
        .inner_join(categories::table)
        .filter(questions::id.eq_any(ids))
        .filter(questions::published_at.is_not_null())
        .filter(questions::deleted_at.is_null())
        .filter(public_category())
        .select((questions::id, questions::title))
        .load(conn)
}

/// Marks `day` active for `user` (idempotent).
pub fn mark_active(conn: &mut DbConn, user: UserId, day: NaiveDate) -> QueryResult<usize> {
    on_each_backend!(conn, |c| diesel::insert_into(days::table)
        .values((days::user_id.eq(user), days::day.eq(day)))
        .on_conflict((days::user_id, days::day))
        .do_nothing()
        .execute(c))
}

/// Marks many (user, day) pairs active, a thousand to a statement.
pub fn mark_active_many(conn: &mut DbConn, marks: &[(UserId, NaiveDate)]) -> QueryResult<usize> {
    let mut written = 0;
    for part in marks.chunks(1000) {
        let rows: Vec<_> = part
            .iter()
            .map(|(u, d)| (days::user_id.eq(*u), days::day.eq(*d)))
            .collect();
        written += on_each_backend!(conn, |c| diesel::insert_into(days::table)
            .values(&rows)
            .on_conflict((days::user_id, days::day))
            .do_nothing()
            .execute(c))?;
    }
    Ok(written)
}

/// On how many distinct days `user` was active.
pub fn active_days(conn: &mut DbConn, user: UserId) -> QueryResult<i64> {
    days::table.filter(days::user_id.eq(user)).count().get_result(conn)
}

//! What the KPI engine reads: one narrow row of maintained facts per question of a period, and
//! the aggregate counts beside it (staff, sign-ups, accounts, surveys, open questions). The
//! engine (`domain::kpi::engine`) turns these into the KPI object; nothing here decides a KPI.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{CategoryId, QuestionId, UserId};
use crate::db::schema::{answers, beta_groups, categories, comments, questions, surveys, users};
use crate::db::visibility::public_category;
use crate::db::DbConn;
use crate::domain::access::permissions::Role;
use crate::error::{AppError, AppResult};

/// A question's facts: category, published, first response, accepted, the accepted answer's
/// author, turns answered, minutes waited over those turns, messages at acceptance.
pub type FactRow = (
    CategoryId,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<UserId>,
    i32,
    f64,
    Option<i32>,
);

/// The categories of a category slug and/or a group slug (`None` for neither: all categories),
/// or `NotFound` for an unknown slug.
pub fn scope(conn: &mut DbConn, category: Option<&str>, group: Option<&str>) -> AppResult<Option<Vec<CategoryId>>> {
    let mut ids: Option<Vec<CategoryId>> = None;
    if let Some(slug) = category {
        let c: CategoryId = categories::table
            .filter(categories::slug.eq(slug))
            .select(categories::id)
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        ids = Some(vec![c]);
    }
    if let Some(slug) = group {
        let g: i64 = beta_groups::table
            .filter(beta_groups::slug.eq(slug))
            .select(beta_groups::id)
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        let in_group: Vec<CategoryId> = categories::table
            .filter(categories::group_id.eq(g))
            .select(categories::id)
            .load(conn)?;
        ids = Some(match ids {
            Some(c) => c.into_iter().filter(|x| in_group.contains(x)).collect(),
            None => in_group,
        });
    }
    Ok(ids)
}

/// The facts of the questions published in `[start, end)`, not deleted, in `cats` (all when `None`).
pub fn questions_published(
    conn: &mut DbConn,
    start: NaiveDateTime,
    end: NaiveDateTime,
    cats: &Option<Vec<CategoryId>>,
) -> AppResult<Vec<FactRow>> {
    let mut query = questions::table
        .filter(questions::published_at.ge(start))
        .filter(questions::published_at.lt(end))
        .filter(questions::deleted_at.is_null())
        .select((
            questions::category_id,
            questions::published_at,
            questions::first_response_at,
            questions::accepted_at,
            questions::accepted_author_id,
            questions::turns_answered,
            questions::turn_wait_minutes,
            questions::messages_at_acceptance,
        ))
        .into_boxed();
    if let Some(c) = cats {
        query = query.filter(questions::category_id.eq_any(c.clone()));
    }
    Ok(query.load(conn)?)
}

/// The accounts with a staff role (staff and admins): whose accepted answers are not the
/// community's.
pub fn staff_ids(conn: &mut DbConn) -> AppResult<Vec<UserId>> {
    Ok(users::table
        .filter(users::role.eq_any([Role::Staff.as_str(), Role::Admin.as_str()]))
        .select(users::id)
        .load(conn)?)
}

/// Accounts created in `[start, end)`, with when.
pub fn joined_between(
    conn: &mut DbConn,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> AppResult<Vec<(UserId, NaiveDateTime)>> {
    Ok(users::table
        .filter(users::created_at.ge(start))
        .filter(users::created_at.lt(end))
        .select((users::id, users::created_at))
        .load(conn)?)
}

/// Accounts created before `end`.
pub fn accounts_before(conn: &mut DbConn, end: NaiveDateTime) -> AppResult<i64> {
    Ok(users::table
        .filter(users::created_at.lt(end))
        .count()
        .get_result(conn)?)
}

/// Whether `user` published a post (question, answer or comment, not deleted) in `[from, to]`.
/// One indexed look-up per kind (posts are published no earlier than they were created, and
/// no post of a member predates their account), so its cost does not grow with their history.
pub fn posted_within(conn: &mut DbConn, user: UserId, from: NaiveDateTime, to: NaiveDateTime) -> AppResult<bool> {
    use diesel::dsl::{exists, select};
    let question = questions::table
        .filter(questions::author_id.eq(user))
        .filter(questions::created_at.ge(from))
        .filter(questions::created_at.le(to))
        .filter(questions::published_at.ge(from))
        .filter(questions::published_at.le(to))
        .filter(questions::deleted_at.is_null());
    let answer = answers::table
        .filter(answers::author_id.eq(user))
        .filter(answers::created_at.ge(from))
        .filter(answers::created_at.le(to))
        .filter(answers::published_at.ge(from))
        .filter(answers::published_at.le(to))
        .filter(answers::deleted_at.is_null());
    let comment = comments::table
        .filter(comments::author_id.eq(user))
        .filter(comments::created_at.ge(from))
        .filter(comments::created_at.le(to))
        .filter(comments::published_at.ge(from))
        .filter(comments::published_at.le(to))
        .filter(comments::deleted_at.is_null());
    Ok(select(exists(question).or(exists(answer)).or(exists(comment))).get_result(conn)?)
}

/// The answers of the surveys submitted in `[start, end)` on questions in `cats`: (resolved,
/// NPS score).
pub fn survey_answers(
    conn: &mut DbConn,
    start: NaiveDateTime,
    end: NaiveDateTime,
    cats: &Option<Vec<CategoryId>>,
) -> AppResult<Vec<(bool, Option<i32>)>> {
    let mut q = surveys::table
        .filter(surveys::created_at.ge(start))
        .filter(surveys::created_at.lt(end))
        .select((surveys::resolved, surveys::nps))
        .into_boxed();
    // The questions in scope from the category index, not a look-up of each survey's question.
    if let Some(c) = cats {
        let in_scope = questions::table
            .filter(questions::category_id.eq_any(c.clone()))
            .select(questions::id);
        q = q.filter(surveys::question_id.eq_any(in_scope));
    }
    Ok(q.load(conn)?)
}

/// Published, open questions in `cats` that no one has answered yet.
pub fn unanswered_open(conn: &mut DbConn, cats: &Option<Vec<CategoryId>>) -> AppResult<i64> {
    let mut open = questions::table
        .filter(questions::published_at.is_not_null())
        .filter(questions::deleted_at.is_null())
        .filter(questions::closed_at.is_null())
        .filter(questions::first_response_at.is_null())
        .into_boxed();
    if let Some(c) = cats {
        open = open.filter(questions::category_id.eq_any(c.clone()));
    }
    Ok(open.count().get_result(conn)?)
}

/// A question waiting for its first response: id, title, category name, published.
pub type WaitingRow = (QuestionId, String, String, Option<NaiveDateTime>);

/// The published, open questions in `cats` still waiting for a first response, oldest first, at
/// most `limit`.
pub fn oldest_unanswered(conn: &mut DbConn, cats: Option<Vec<CategoryId>>, limit: i64) -> AppResult<Vec<WaitingRow>> {
    let mut query = questions::table
        .inner_join(categories::table)
        .filter(questions::published_at.is_not_null())
        .filter(questions::deleted_at.is_null())
        .filter(questions::closed_at.is_null())
        .filter(questions::first_response_at.is_null())
        .order((questions::published_at.asc(), questions::id.asc()))
        .select((
            questions::id,
            questions::title,
            categories::name,
            questions::published_at,
        ))
        .limit(limit)
        .into_boxed();
    if let Some(c) = cats {
        query = query.filter(questions::category_id.eq_any(c));
    }
    Ok(query.load(conn)?)
}

/// (published, first response) of the questions in public categories published in `[from, to)`
/// that have a response, not deleted.
pub fn public_first_responses(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<(Option<NaiveDateTime>, Option<NaiveDateTime>)>> {
    Ok(questions::table
        .inner_join(categories::table)
        .filter(questions::published_at.ge(from))
        .filter(questions::published_at.lt(to))
        .filter(questions::deleted_at.is_null())
        .filter(questions::first_response_at.is_not_null())
        .filter(public_category())
        .select((questions::published_at, questions::first_response_at))
        .load(conn)?)
}

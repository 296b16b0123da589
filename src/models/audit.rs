//! `audit_log`: append-only record of privileged actions (the database refuses updates and deletes).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::ids::{AuditId, UserId};
use crate::db::schema::{audit_log, users};
use crate::db::DbConn;

/// An audit row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct AuditEntry {
    pub id: AuditId,
    pub actor_id: Option<UserId>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub ip: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A new audit record.
#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditEntry<'a> {
    pub actor_id: Option<UserId>,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<&'a str>,
    pub before_json: Option<&'a str>,
    pub after_json: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

/// Appends a record.
pub fn insert(conn: &mut DbConn, new: &NewAuditEntry<'_>) -> QueryResult<AuditId> {
    diesel::insert_into(audit_log::table)
        .values(new)
        .returning(audit_log::id)
        .get_result(conn)
}

/// Filters of the audit log page and export.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<UserId>,
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    /// Exclusive upper bound.
    pub until: Option<NaiveDateTime>,
}

/// A page of entries with the actor's username, and the total count of matches.
pub type AuditPage = (Vec<(AuditEntry, Option<String>)>, i64);

/// One page of matching entries, newest first, with the actor's username, and the total count.
pub fn list(conn: &mut DbConn, filter: &AuditFilter, limit: i64, offset: i64) -> QueryResult<AuditPage> {
    let query = || {
        let mut q = audit_log::table.left_join(users::table).into_boxed();
        if let Some(actor) = filter.actor {
            q = q.filter(audit_log::actor_id.eq(actor));
        }
        if let Some(action) = &filter.action {
            q = q.filter(audit_log::action.eq(action.clone()));
        }
        if let Some(from) = filter.from {
            q = q.filter(audit_log::created_at.ge(from));
        }
        if let Some(until) = filter.until {
            q = q.filter(audit_log::created_at.lt(until));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .select((audit_log::all_columns, users::username.nullable()))
        .order(audit_log::id.desc())
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok((rows, total))
}

/// The distinct action names recorded so far, for the filter menu.
pub fn actions(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action)
        .load(conn)
}

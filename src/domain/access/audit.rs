//! Writing the audit log: every privileged action, with before/after as JSON, in the action's transaction.

use serde_json::Value;

use crate::db::ids::UserId;
use crate::db::{self, DbConn};
use crate::error::AppResult;
use crate::models::audit::{self as rows, NewAuditEntry};

/// Who did it and from where.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `None` for the command line (e.g. `create-admin`).
    pub user: Option<UserId>,
    pub ip: Option<String>,
}

impl Actor {
    /// A signed-in member acting from `ip`.
    pub fn member(user: UserId, ip: Option<String>) -> Self {
        Actor { user: Some(user), ip }
    }
}

/// What was changed: a kind of thing and its id.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub kind: &'a str,
    pub id: Option<String>,
}

impl<'a> Target<'a> {
    /// A post (`question` or `answer`) or anything else kept by its number.
    pub fn numbered(kind: &'a str, id: i64) -> Self {
        Target {
            kind,
            id: Some(id.to_string()),
        }
    }

    /// A user account.
    pub fn user(id: UserId) -> Self {
        Target {
            kind: "user",
            id: Some(id.to_string()),
        }
    }
}

/// Appends one record.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    action: &str,
    target: Target<'_>,
    before: Option<Value>,
    after: Option<Value>,
) -> AppResult<()> {
    let before = before.map(|v| v.to_string());
    let after = after.map(|v| v.to_string());
    rows::insert(
        conn,
        &NewAuditEntry {
            actor_id: actor.user,
            action,
            target_type: target.kind,
            target_id: target.id.as_deref(),
            before_json: before.as_deref(),
            after_json: after.as_deref(),
            ip: actor.ip.as_deref(),
            created_at: db::now(),
        },
    )?;
    Ok(())
}

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

/// What was changed: a kind of thing and its id.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub kind: &'a str,
    pub id: Option<String>,
}

impl<'a> Target<'a> {
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

/// What a log line's target is, for people: a name and the page to look at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub label: String,
    pub url: Option<String>,
}

/// Names and pages for the users, questions and answers that a page of the log points at, found
/// in three queries; other targets keep their kind and id.
pub fn describe_targets(conn: &mut DbConn, targets: &[(String, Option<String>)]) -> AppResult<Vec<Described>> {
    use std::collections::HashMap;
    let ids = |kind: &str| -> Vec<i64> {
        targets
            .iter()
            .filter(|(k, _)| k == kind)
            .filter_map(|(_, id)| id.as_deref()?.parse().ok())
            .collect()
    };
    let names: HashMap<i64, String> = crate::models::user::usernames(conn, &ids("user"))?
        .into_iter()
        .collect();
    let titles: HashMap<i64, String> = crate::models::question::titles(conn, &ids("question"))?
        .into_iter()
        .collect();
    let answered: HashMap<i64, i64> = crate::models::answer::questions_of(conn, &ids("answer"))?
        .into_iter()
        .collect();
    Ok(targets
        .iter()
        .map(|(kind, id)| {
            let raw = id.clone().unwrap_or_default();
            let n: Option<i64> = raw.parse().ok();
            let found = match kind.as_str() {
                "user" => n.and_then(|n| names.get(&n)).map(|name| Described {
                    label: format!("user {name}"),
                    url: Some(format!("/admin/users/{raw}")),
                }),
                "question" => n.and_then(|n| titles.get(&n)).map(|title| Described {
                    label: format!("question “{title}”"),
                    url: Some(format!("/questions/{raw}")),
                }),
                "answer" => n.and_then(|n| answered.get(&n)).map(|q| Described {
                    label: format!("answer {raw} (question {q})"),
                    url: Some(format!("/questions/{q}#answer-{raw}")),
                }),
                _ => None,
            };
            found.unwrap_or(Described {
                label: format!("{kind} {raw}").trim().to_string(),
                url: None,
            })
        })
        .collect())
}

//! Managing users: roles, single permissions, suspensions. Every change is authorised here (not
//! only in the handler) and audited in the same transaction.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::db::backend::write_transaction;
use crate::db::ids::UserId;
use crate::db::DbConn;
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::permissions::{self, effective, Permission, PermissionSet, Role};
use crate::domain::access::privileges::{reputation_for, Thresholds};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::models::suspension::{self, NewSuspension};
use crate::models::user::{self, User};
use crate::models::user_permission;

/// The signed-in user doing the administration.
#[derive(Debug, Clone)]
pub struct Admin {
    pub id: UserId,
    pub permissions: PermissionSet,
    pub ip: Option<String>,
}

impl Admin {
    fn actor(&self) -> Actor {
        Actor {
            user: Some(self.id),
            ip: self.ip.clone(),
        }
    }

    fn require(&self, p: Permission) -> AppResult<()> {
        if self.permissions.contains(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// What the admin page shows of one user.
#[derive(Debug, Clone)]
pub struct UserDetail {
    pub user: User,
    pub overrides: Vec<(Permission, bool)>,
    pub permissions: PermissionSet,
    pub suspensions: Vec<suspension::Suspension>,
    pub active_suspension: Option<suspension::Suspension>,
}

/// Where a member's permission comes from, as the admin page labels it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Their role's bundle.
    Role,
    /// Granted to them alone.
    Granted,
    /// Withheld from them alone (their role or reputation would give it).
    Withheld,
    /// Earned by reputation: they have at least this much.
    Reputation(i64),
    /// Not held.
    NotHeld,
}

impl Source {
    /// Whether the member holds the permission.
    pub fn holds(self) -> bool {
        matches!(self, Source::Role | Source::Granted | Source::Reputation(_))
    }
}

impl UserDetail {
    /// Every permission and where the member's holding of it comes from: a single grant or
    /// withholding first, then the role, then reputation.
    pub fn sources(&self, t: &Thresholds) -> Vec<(Permission, Source)> {
        let role = Role::of(&self.user).permissions();
        Permission::ALL
            .iter()
            .map(|p| {
                let source = match self.overrides.iter().find(|(q, _)| q == p) {
                    Some((_, true)) => Source::Granted,
                    Some((_, false)) => Source::Withheld,
                    None if role.contains(*p) => Source::Role,
                    None => match reputation_for(*p, t) {
                        Some(needed) if self.user.reputation >= needed => Source::Reputation(needed),
                        _ => Source::NotHeld,
                    },
                };
                (*p, source)
            })
            .collect()
    }
}

/// Loads a user with permissions and suspension history.
pub fn detail(conn: &mut DbConn, id: UserId, now: NaiveDateTime) -> AppResult<UserDetail> {
    let user = user::find(conn, id)?;
    let overrides = permissions::overrides(conn, id)?;
    let permissions = effective(Role::of(&user), &overrides);
    let suspensions = suspension::history(conn, id)?;
    let active_suspension = suspension::active(conn, id, now)?;
    Ok(UserDetail {
        user,
        overrides,
        permissions,
        suspensions,
        active_suspension,
    })
}

/// The target must not hold anything the admin lacks: nobody manages someone more powerful.
fn outranks(admin: &Admin, target: &UserDetail) -> AppResult<()> {
    if target.user.id == admin.id {
        return Err(AppError::BadRequest("You cannot change your own account here.".into()));
    }
    if !admin.permissions.is_superset_of(target.permissions) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Changes a user's role.
pub fn change_role(conn: &mut DbConn, admin: &Admin, target: UserId, role: Role, now: NaiveDateTime) -> AppResult<()> {
    admin.require(Permission::ManageUsers)?;
    write_transaction(conn, |conn| {
        let current = detail(conn, target, now)?;
        outranks(admin, &current)?;
        if !admin.permissions.is_superset_of(role.permissions()) {
            return Err(AppError::Forbidden);
        }
        let before = Role::of(&current.user);
        if before == role {
            return Ok(());
        }
        if before == Role::Admin && user::count_with_role(conn, Role::Admin.as_str())? <= 1 {
            return Err(AppError::BadRequest("The last admin cannot be demoted.".into()));
        }
        user::set_role(conn, target, role.as_str())?;
        audit::record(
            conn,
            &admin.actor(),
            "user.role_change",
            Target::user(target),
            Some(json!({ "role": before.as_str() })),
            Some(json!({ "role": role.as_str() })),
        )
    })
}

/// A single-permission change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Override {
    Grant,
    Withhold,
    /// Back to what the role says.
    Default,
}

impl Override {
    /// Parses a form value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "grant" => Some(Override::Grant),
            "withhold" => Some(Override::Withhold),
            "default" => Some(Override::Default),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Override::Grant => "granted",
            Override::Withhold => "withheld",
            Override::Default => "role default",
        }
    }
}

/// Grants, withholds or resets one permission of a user.
pub fn set_permission(
    conn: &mut DbConn,
    admin: &Admin,
    target: UserId,
    permission: Permission,
    change: Override,
    now: NaiveDateTime,
) -> AppResult<()> {
    admin.require(Permission::ManageUsers)?;
    // Nobody hands out (or takes away) what they do not hold themselves.
    admin.require(permission)?;
    write_transaction(conn, |conn| {
        let current = detail(conn, target, now)?;
        outranks(admin, &current)?;
        let before = current
            .overrides
            .iter()
            .find(|(p, _)| *p == permission)
            .map(|(_, allowed)| if *allowed { Override::Grant } else { Override::Withhold })
            .unwrap_or(Override::Default);
        match change {
            Override::Grant => user_permission::set(conn, target, permission.as_str(), true, admin.id, now)?,
            Override::Withhold => user_permission::set(conn, target, permission.as_str(), false, admin.id, now)?,
            Override::Default => user_permission::clear(conn, target, permission.as_str())?,
        };
        audit::record(
            conn,
            &admin.actor(),
            "user.permission_change",
            Target::user(target),
            Some(json!({ "permission": permission.as_str(), "state": before.label() })),
            Some(json!({ "permission": permission.as_str(), "state": change.label() })),
        )
    })
}

/// Suspends a user until `ends_at`. The caller ends the user's live sessions.
pub fn suspend(
    conn: &mut DbConn,
    admin: &Admin,
    target: UserId,
    reason: &str,
    ends_at: NaiveDateTime,
    now: NaiveDateTime,
) -> AppResult<()> {
    admin.require(Permission::SuspendUsers)?;
    let reason = crate::domain::fields::clean_text(reason);
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::BadRequest("Give a reason of 1 to 500 characters.".into()));
    }
    if ends_at <= now {
        return Err(AppError::BadRequest(
            "The end of the suspension must be in the future.".into(),
        ));
    }
    write_transaction(conn, |conn| {
        let current = detail(conn, target, now)?;
        outranks(admin, &current)?;
        suspension::insert(
            conn,
            &NewSuspension {
                user_id: target,
                reason,
                ends_at,
                created_by: Some(admin.id),
                created_at: now,
            },
        )?;
        audit::record(
            conn,
            &admin.actor(),
            "user.suspend",
            Target::user(target),
            current
                .active_suspension
                .as_ref()
                .map(|s| json!({ "suspended_until": s.ends_at.to_string() })),
            Some(json!({ "suspended_until": ends_at.to_string(), "reason": reason })),
        )
    })
}

/// Lifts the suspension in force.
pub fn unsuspend(conn: &mut DbConn, admin: &Admin, target: UserId, now: NaiveDateTime) -> AppResult<()> {
    admin.require(Permission::SuspendUsers)?;
    write_transaction(conn, |conn| {
        let current = detail(conn, target, now)?;
        outranks(admin, &current)?;
        let Some(active) = current.active_suspension else {
            return Err(AppError::BadRequest("This user is not suspended.".into()));
        };
        suspension::lift_all(conn, target, admin.id, now)?;
        audit::record(
            conn,
            &admin.actor(),
            "user.unsuspend",
            Target::user(target),
            Some(json!({ "suspended_until": active.ends_at.to_string(), "reason": active.reason })),
            None,
        )
    })
}

/// `peerdesk set-password`: an operator on the server sets a user's password (an account that
/// cannot receive mail, a generated community for load tests). The password policy applies, the
/// user's sessions end, and the change is audited with no actor but the command line.
pub fn set_password_from_cli(conn: &mut DbConn, username: &str, password_text: &str) -> AppResult<UserId> {
    let Some(u) = user::find_by_username(conn, username.trim())? else {
        let missing = format!("no user is called {:?}", username.trim());
        return Err(AppError::Invalid(FieldErrors::one("username", missing)));
    };
    if let Err(e) = crate::auth::password::check_policy(password_text, &u.username, &u.email) {
        return Err(AppError::Invalid(FieldErrors::one("password", e)));
    }
    let hash = crate::auth::password::hash(password_text).map_err(AppError::internal)?;
    write_transaction(conn, |conn| {
        user::set_password_hash(conn, u.id, &hash)?;
        crate::models::session::delete_for_user(conn, u.id, None)?;
        audit::record(
            conn,
            &Actor { user: None, ip: None },
            "user.set_password_cli",
            Target::user(u.id),
            None,
            Some(json!({ "username": u.username })),
        )?;
        Ok(u.id)
    })
}

//! Roles and permissions exactly as DESIGN §2: roles are named bundles; single permissions can be
//! granted to (or withheld from) one user on top of the role.

use std::fmt;

use diesel::QueryResult;

use crate::db::ids::UserId;
use crate::db::DbConn;
use crate::models::user::User;
use crate::models::user_permission;

macro_rules! permissions {
    ($($variant:ident => $name:literal: $label:literal),* $(,)?) => {
        /// One thing a user may be allowed to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Permission { $($variant),* }

        impl Permission {
            /// Every permission, in DESIGN §2 order.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),*];

            /// The stored and displayed name, e.g. `view_kpis`.
            pub fn as_str(self) -> &'static str {
                match self { $(Permission::$variant => $name),* }
            }

            /// A short description for the admin page.
            pub fn label(self) -> &'static str {
                match self { $(Permission::$variant => $label),* }
            }

            /// Parses a stored name.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($name => Some(Permission::$variant),)* _ => None }
            }
        }
    };
}

permissions! {
    Ask => "ask": "Ask questions",
    Answer => "answer": "Answer questions",
    Comment => "comment": "Comment",
    VoteUp => "vote_up": "Vote up",
    VoteDown => "vote_down": "Vote down",
    Flag => "flag": "Flag posts",
    EditOthers => "edit_others": "Edit others' posts",
    Close => "close": "Close and reopen questions",
    Moderate => "moderate": "Work the moderation queues; hide, restore, lock",
    ReviewSpotChecks => "review_spot_checks": "Review spot checks",
    SuspendUsers => "suspend_users": "Suspend users",
    PostOfficial => "post_official": "Post official answers",
    HandleEscalations => "handle_escalations": "Handle escalations",
    ManageGroups => "manage_groups": "Manage beta groups",
    ViewKpis => "view_kpis": "View community KPIs",
    ExportData => "export_data": "Export data",
    ManageUsers => "manage_users": "Manage users, roles and permissions",
    ManageSettings => "manage_settings": "Manage site settings",
    ViewAuditLog => "view_audit_log": "View the audit log",
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of permissions (a bit per permission).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PermissionSet(u32);

impl PermissionSet {
    /// The empty set.
    pub const fn empty() -> Self {
        PermissionSet(0)
    }

    fn bit(p: Permission) -> u32 {
        1 << (p as u32)
    }

    /// Builds a set from a list.
    pub fn of(perms: &[Permission]) -> Self {
        let mut set = Self::empty();
        for p in perms {
            set.insert(*p);
        }
        set
    }

    /// Adds `p`.
    pub fn insert(&mut self, p: Permission) {
        self.0 |= Self::bit(p);
    }

    /// Removes `p`.
    pub fn remove(&mut self, p: Permission) {
        self.0 &= !Self::bit(p);
    }

    /// Whether `p` is in the set.
    pub fn contains(self, p: Permission) -> bool {
        self.0 & Self::bit(p) != 0
    }

    /// Whether every permission of `other` is in this set.
    pub fn is_superset_of(self, other: PermissionSet) -> bool {
        self.0 & other.0 == other.0
    }

    /// The members, in DESIGN order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.iter().copied().filter(move |p| self.contains(*p))
    }
}

/// A named bundle of permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Member,
    Moderator,
    Staff,
    Admin,
}

impl Role {
    /// Every role, least privileged first.
    pub const ALL: &'static [Role] = &[Role::Member, Role::Moderator, Role::Staff, Role::Admin];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Moderator => "moderator",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Role::ALL.iter().copied().find(|r| r.as_str() == s)
    }

    /// Staff in the KPI sense (DESIGN §7): staff or admin.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Staff | Role::Admin)
    }

    /// The role's bundle, as DESIGN §2 lists it.
    pub fn permissions(self) -> PermissionSet {
        use Permission::*;
        let member = [Ask, Answer, Comment, Flag];
        let moderator = [Moderate, ReviewSpotChecks, SuspendUsers, EditOthers, Close];
        let staff = [PostOfficial, HandleEscalations, ManageGroups, ViewKpis, ExportData];
        match self {
            Role::Member => PermissionSet::of(&member),
            Role::Moderator => PermissionSet::of(&[&member[..], &moderator[..]].concat()),
            Role::Staff => PermissionSet::of(&[&member[..], &moderator[..], &staff[..]].concat()),
            Role::Admin => PermissionSet::of(Permission::ALL),
        }
    }
}

impl Role {
    /// A user's role, falling back to the least privileged for an unknown stored value.
    pub fn of(user: &User) -> Role {
        Role::parse(&user.role).unwrap_or(Role::Member)
    }
}

/// A user's single-permission overrides (unknown stored names are ignored).
pub fn overrides(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<(Permission, bool)>> {
    Ok(user_permission::overrides(conn, user)?
        .into_iter()
        .filter_map(|(p, a)| Permission::parse(&p).map(|p| (p, a)))
        .collect())
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The role's bundle plus per-user overrides: `(permission, allowed)` grants or withholds one.
pub fn effective(role: Role, overrides: &[(Permission, bool)]) -> PermissionSet {
    let mut set = role.permissions();
    for (p, allowed) in overrides {
        if *allowed {
            set.insert(*p);
        } else {
            set.remove(*p);
        }
    }
    set
}

/// What a user may do: their role and overrides, plus what their reputation has earned (an
/// override that withholds a permission also withholds it from reputation).
pub fn with_reputation(
    role: Role,
    overrides: &[(Permission, bool)],
    reputation: i64,
    thresholds: &crate::domain::access::privileges::Thresholds,
) -> PermissionSet {
    let withheld = PermissionSet::of(
        &overrides
            .iter()
            .filter(|(_, allowed)| !allowed)
            .map(|(p, _)| *p)
            .collect::<Vec<_>>(),
    );
    crate::domain::access::privileges::earned(effective(role, overrides), withheld, reputation, thresholds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_match_design() {
        let m = Role::Member.permissions();
        assert!(m.contains(Permission::Ask) && m.contains(Permission::Flag));
        assert!(!m.contains(Permission::VoteUp), "voting comes from reputation");
        let mo = Role::Moderator.permissions();
        assert!(mo.is_superset_of(m) && mo.contains(Permission::SuspendUsers) && !mo.contains(Permission::ViewKpis));
        let s = Role::Staff.permissions();
        assert!(s.is_superset_of(mo) && s.contains(Permission::ExportData) && !s.contains(Permission::ManageUsers));
        assert_eq!(Role::Admin.permissions().iter().count(), Permission::ALL.len());
        assert_eq!(Permission::ALL.len(), 19);
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(*p));
        }
    }

    #[test]
    fn overrides_grant_and_withhold() {
        let set = effective(Role::Member, &[(Permission::ViewKpis, true), (Permission::Ask, false)]);
        assert!(set.contains(Permission::ViewKpis) && !set.contains(Permission::Ask));
    }
}

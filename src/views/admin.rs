//! Administration pages: users, one user, the audit log.

use askama::Template;

use super::{fmt_time, PageContext};
use crate::domain::access::audit_log::Line;
use crate::domain::access::permissions::{PermissionSet, Role};
use crate::domain::access::privileges::Thresholds;
use crate::domain::members::user_admin::{Source, UserDetail};
use crate::models::suspension::Suspension;
use crate::models::user::User;

/// One row of the users table.
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub name: String,
    /// Shown to `manage_users` only.
    pub email: Option<String>,
    pub role: String,
    pub created: String,
    pub suspended_until: Option<String>,
}

/// `/admin/users`.
#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct Users {
    /// Whether the email column (and search by email) is there: `manage_users` only.
    pub see_email: bool,
    pub page: PageContext,
    pub query: String,
    pub rows: Vec<UserRow>,
    pub pager: Pager,
}

/// One permission line on the user page.
pub struct PermissionLine {
    pub name: &'static str,
    pub label: &'static str,
    pub effective: bool,
    /// Where it comes from: the role, a single grant or withholding, reputation.
    pub source: String,
    /// `grant`, `withhold` or `default`.
    pub state: &'static str,
    /// Whether the viewer may change it.
    pub editable: bool,
}

/// One suspension in the history.
pub struct SuspensionLine {
    pub reason: String,
    pub from: String,
    pub until: String,
    pub lifted: Option<String>,
}

/// `/admin/users/{id}`.
#[derive(Template)]
#[template(path = "admin/user.html")]
pub struct UserPage {
    pub page: PageContext,
    pub id: i64,
    pub username: String,
    /// Shown to `manage_users` only.
    pub email: Option<String>,
    pub email_verified: bool,
    pub role: String,
    pub roles: Vec<(&'static str, bool)>,
    pub created: String,
    pub last_login: String,
    pub permissions: Vec<PermissionLine>,
    pub can_manage: bool,
    pub can_suspend: bool,
    pub suspended: Option<SuspensionLine>,
    pub history: Vec<SuspensionLine>,
    pub error: Option<String>,
}

/// One audit record.
pub struct AuditRow {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub target_url: Option<String>,
    pub before: String,
    pub after: String,
    pub ip: String,
}

/// `/admin/audit`.
#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct Audit {
    pub page: PageContext,
    pub rows: Vec<AuditRow>,
    pub actions: Vec<String>,
    pub actor: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub pager: Pager,
    /// The same selection as CSV, for users who may export.
    pub csv_url: Option<String>,
}

/// Previous / next links that keep the other query parameters.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// More than `total` items: the count stopped there (see `listing::COUNTED_UP_TO`).
    pub more: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `base` is the URL with its other parameters, ending in `?` or `&`.
    pub fn new(base: &str, page: i64, per_page: i64, total: i64) -> Self {
        let pages = ((total + per_page - 1) / per_page).max(1);
        Pager {
            page,
            pages,
            total,
            more: false,
            prev: (page > 1).then(|| format!("{base}page={}", page - 1)),
            next: (page < pages).then(|| format!("{base}page={}", page + 1)),
        }
    }

    /// For a list whose count may have stopped at a bound: then there is always a next page
    /// (the bound is at least the end of this one) and the number of pages is not known.
    pub fn counted(base: &str, page: i64, per_page: i64, total: crate::queries::listing::Total) -> Self {
        let mut pager = Pager::new(base, page, per_page, total.count);
        if total.more {
            pager.more = true;
            pager.next = Some(format!("{base}page={}", page + 1));
        }
        pager
    }
}

impl AuditRow {
    /// One line of the log as the page shows it.
    pub fn of((e, actor, target): Line) -> Self {
        AuditRow {
            when: fmt_time(e.created_at),
            actor: actor.unwrap_or_else(|| "system".into()),
            action: e.action,
            target: target.label,
            target_url: target.url,
            before: e.before_json.unwrap_or_default(),
            after: e.after_json.unwrap_or_default(),
            ip: e.ip.unwrap_or_default(),
        }
    }
}

impl UserRow {
    /// A member in the users table, with the end of an active suspension.
    pub fn of(u: User, suspended_until: Option<chrono::NaiveDateTime>, see_email: bool) -> Self {
        UserRow {
            id: u.id.0,
            name: u.shown_name().to_owned(),
            suspended_until: suspended_until.map(fmt_time),
            username: u.username,
            email: see_email.then_some(u.email),
            role: u.role,
            created: fmt_time(u.created_at),
        }
    }
}

/// What the admin looking at a member may change there.
pub struct Powers {
    /// The admin's own permissions: only those can be granted or withheld.
    pub viewer: PermissionSet,
    /// Members' email addresses are for `manage_users` only (moderators suspend without them).
    pub see_email: bool,
    pub manage: bool,
    pub suspend: bool,
}

impl SuspensionLine {
    fn of(s: &Suspension) -> Self {
        SuspensionLine {
            reason: s.reason.clone(),
            from: fmt_time(s.created_at),
            until: fmt_time(s.ends_at),
            lifted: s.lifted_at.map(fmt_time),
        }
    }
}

impl UserPage {
    /// One member's administration page.
    pub fn new(page: PageContext, detail: &UserDetail, can: Powers, t: &Thresholds) -> Self {
        let role = Role::of(&detail.user);
        let permissions = detail
            .sources(t)
            .into_iter()
            .map(|(p, source)| PermissionLine {
                name: p.as_str(),
                label: p.label(),
                effective: source.holds(),
                source: match source {
                    Source::Role => format!("role ({})", role.as_str()),
                    Source::Granted => "granted to this member".into(),
                    Source::Withheld => "withheld from this member".into(),
                    Source::Reputation(needed) => format!("reputation ({needed} or more)"),
                    Source::NotHeld => "—".into(),
                },
                state: match source {
                    Source::Granted => "grant",
                    Source::Withheld => "withhold",
                    _ => "default",
                },
                editable: can.manage && can.viewer.contains(p),
            })
            .collect();
        let u = &detail.user;
        UserPage {
            page,
            id: u.id.0,
            username: u.username.clone(),
            email: can.see_email.then(|| u.email.clone()),
            email_verified: u.email_verified_at.is_some(),
            role: u.role.clone(),
            roles: Role::ALL.iter().map(|r| (r.as_str(), *r == Role::of(u))).collect(),
            created: fmt_time(u.created_at),
            last_login: u.last_login_at.map(fmt_time).unwrap_or_else(|| "never".into()),
            permissions,
            can_manage: can.manage,
            can_suspend: can.suspend,
            suspended: detail.active_suspension.as_ref().map(SuspensionLine::of),
            history: detail.suspensions.iter().map(SuspensionLine::of).collect(),
            error: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Pager;
    use crate::queries::listing::Total;

    #[test]
    fn a_count_that_stopped_at_its_bound_always_has_a_next_page() {
        let exact = Pager::counted("/q?", 2, 10, Total::exact(20));
        assert_eq!((exact.pages, exact.next, exact.more), (2, None, false));
        let bounded = Pager::counted("/q?", 2, 10, Total { count: 20, more: true });
        assert_eq!(bounded.next.as_deref(), Some("/q?page=3"));
        assert_eq!(bounded.prev.as_deref(), Some("/q?page=1"));
        assert!(bounded.more);
    }
}

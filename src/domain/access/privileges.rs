//! Privileges earned by reputation (DESIGN §4), from thresholds admins configure: what a member
//! may do beyond their role, the pre-moderation hook, and contributor status.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde_json::json;

use crate::db::backend::write_transaction;
use crate::db::DbConn;
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::permissions::{Permission, PermissionSet};
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::models::setting;
use crate::models::user::User;

/// The reputation each privilege needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub vote_up: i64,
    pub comment_anywhere: i64,
    pub vote_down: i64,
    pub skip_premoderation: i64,
    pub edit_others: i64,
    pub close: i64,
    pub contributor: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            vote_up: 15,
            comment_anywhere: 50,
            vote_down: 125,
            skip_premoderation: 10,
            edit_others: 2000,
            close: 3000,
            contributor: 500,
        }
    }
}

/// One privilege as the privileges page and the admin form show it.
#[derive(Debug, Clone, Copy)]
pub struct Privilege {
    /// Form field and settings key (`reputation.<key>`).
    pub key: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    get: fn(&Thresholds) -> i64,
    set: fn(&mut Thresholds, i64),
}

impl Privilege {
    /// Its threshold.
    pub fn threshold(&self, t: &Thresholds) -> i64 {
        (self.get)(t)
    }
}

/// Every privilege, lowest default threshold first.
pub const PRIVILEGES: [Privilege; 7] = [
    Privilege {
        key: "skip_premoderation",
        label: "Post without review",
        description: "Below this, a member's first 2 posts wait for a moderator before they appear.",
        get: |t| t.skip_premoderation,
        set: |t, v| t.skip_premoderation = v,
    },
    Privilege {
        key: "vote_up",
        label: "Vote up",
        description: "Mark questions and answers that are useful.",
        get: |t| t.vote_up,
        set: |t, v| t.vote_up = v,
    },
    Privilege {
        key: "comment_anywhere",
        label: "Comment everywhere",
        description: "Below this you may comment on your own posts and on answers to your questions.",
        get: |t| t.comment_anywhere,
        set: |t, v| t.comment_anywhere = v,
    },
    Privilege {
        key: "vote_down",
        label: "Vote down",
        description: "Mark answers that are wrong or unhelpful (costs you 1 reputation on answers).",
        get: |t| t.vote_down,
        set: |t, v| t.vote_down = v,
    },
    Privilege {
        key: "contributor",
        label: "Contributor",
        description: "Recognised as a trusted contributor (staff may also grant or withhold it).",
        get: |t| t.contributor,
        set: |t, v| t.contributor = v,
    },
    Privilege {
        key: "edit_others",
        label: "Edit others' posts",
        description: "Improve any question or answer; every edit is kept in its history.",
        get: |t| t.edit_others,
        set: |t, v| t.edit_others = v,
    },
    Privilege {
        key: "close",
        label: "Close and reopen questions",
        description: "Close duplicates and off-topic questions, and reopen them.",
        get: |t| t.close,
        set: |t, v| t.close = v,
    },
];

/// Largest threshold accepted.
pub const MAX_THRESHOLD: i64 = 1_000_000;

fn settings_key(key: &str) -> String {
    format!("reputation.{key}")
}

impl Thresholds {
    /// From stored settings, defaults filling the gaps (and replacing unreadable values).
    pub fn from_settings(map: &HashMap<String, String>) -> Self {
        let mut t = Thresholds::default();
        for p in PRIVILEGES {
            if let Some(v) = map
                .get(&settings_key(p.key))
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|v| (1..=MAX_THRESHOLD).contains(v))
            {
                (p.set)(&mut t, v);
            }
        }
        t
    }

    /// The stored thresholds.
    pub fn load(conn: &mut DbConn) -> AppResult<Self> {
        Ok(Self::from_settings(&setting::load_all(conn)?))
    }
}

/// The permissions a user holds: their role's and grants (`base`), plus what their reputation
/// has earned. A permission withheld by an admin stays withheld (`withheld`).
pub fn earned(base: PermissionSet, withheld: PermissionSet, reputation: i64, t: &Thresholds) -> PermissionSet {
    let mut set = base;
    for p in EARNABLE {
        if reputation_for(p, t).is_some_and(|needed| reputation >= needed) && !withheld.contains(p) {
            set.insert(p);
        }
    }
    set
}

/// The permissions reputation can earn.
const EARNABLE: [Permission; 4] = [
    Permission::VoteUp,
    Permission::VoteDown,
    Permission::EditOthers,
    Permission::Close,
];

/// The reputation that earns `p`, for the permissions reputation can earn.
pub fn reputation_for(p: Permission, t: &Thresholds) -> Option<i64> {
    match p {
        Permission::VoteUp => Some(t.vote_up),
        Permission::VoteDown => Some(t.vote_down),
        Permission::EditOthers => Some(t.edit_others),
        Permission::Close => Some(t.close),
        _ => None,
    }
}

/// Whether a user may comment on posts that are not theirs (moderators and staff always may).
pub fn comments_anywhere(permissions: PermissionSet, reputation: i64, t: &Thresholds) -> bool {
    permissions.contains(Permission::Moderate) || reputation >= t.comment_anywhere
}

/// Whether a new post by this user waits for review (the pre-moderation hook of DESIGN §4 and
/// §6): below the threshold, a member's first 2 posts are held. Moderators are never held.
pub fn held_for_review(permissions: PermissionSet, reputation: i64, posts_so_far: i64, t: &Thresholds) -> bool {
    !permissions.contains(Permission::Moderate) && reputation < t.skip_premoderation && posts_so_far < 2
}

/// Whether the user counts as a contributor: as staff set it, else by reputation.
pub fn is_contributor(user: &User, t: &Thresholds) -> bool {
    user.contributor_override.unwrap_or(user.reputation >= t.contributor)
}

/// Saves new thresholds from the admin form (`manage_settings`), audited with before and after.
pub fn save(
    conn: &mut DbConn,
    actor: &Actor,
    permissions: PermissionSet,
    form: &HashMap<String, String>,
    now: NaiveDateTime,
) -> AppResult<Thresholds> {
    if !permissions.contains(Permission::ManageSettings) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let mut next = Thresholds::default();
    for p in PRIVILEGES {
        match form.get(p.key).map(|v| v.trim().parse::<i64>()) {
            Some(Ok(v)) if (1..=MAX_THRESHOLD).contains(&v) => (p.set)(&mut next, v),
            _ => errors.add(p.key, format!("Give a whole number from 1 to {MAX_THRESHOLD}.")),
        }
    }
    if let Err(e) = errors.into_result() {
        return Err(AppError::Invalid(e));
    }
    write_transaction(conn, |conn| {
        let before = Thresholds::load(conn)?;
        for p in PRIVILEGES {
            setting::put(conn, &settings_key(p.key), &p.threshold(&next).to_string(), now)?;
        }
        let as_json = |t: &Thresholds| {
            PRIVILEGES
                .iter()
                .map(|p| (p.key.to_string(), json!(p.threshold(t))))
                .collect::<serde_json::Map<_, _>>()
        };
        audit::record(
            conn,
            actor,
            "settings.reputation",
            Target {
                kind: "settings",
                id: None,
            },
            Some(as_json(&before).into()),
            Some(as_json(&next).into()),
        )?;
        Ok(next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::permissions::Role;

    #[test]
    fn reputation_earns_permissions_unless_withheld() {
        let t = Thresholds::default();
        let member = Role::Member.permissions();
        let none = PermissionSet::empty();
        assert!(!earned(member, none, 14, &t).contains(Permission::VoteUp));
        assert!(earned(member, none, 15, &t).contains(Permission::VoteUp));
        assert!(!earned(member, none, 124, &t).contains(Permission::VoteDown));
        assert!(earned(member, none, 125, &t).contains(Permission::VoteDown));
        assert!(earned(member, none, 2000, &t).contains(Permission::EditOthers));
        assert!(!earned(member, none, 2999, &t).contains(Permission::Close));
        let withheld = PermissionSet::of(&[Permission::VoteUp]);
        assert!(!earned(member, withheld, 10_000, &t).contains(Permission::VoteUp));
    }

    #[test]
    fn premoderation_holds_first_posts_of_new_members() {
        let t = Thresholds::default();
        let member = Role::Member.permissions();
        assert!(held_for_review(member, 1, 0, &t));
        assert!(held_for_review(member, 9, 1, &t));
        assert!(!held_for_review(member, 9, 2, &t), "the third post is not held");
        assert!(!held_for_review(member, 10, 0, &t));
        assert!(!held_for_review(Role::Moderator.permissions(), 1, 0, &t));
        assert!(comments_anywhere(Role::Staff.permissions(), 1, &t));
        assert!(!comments_anywhere(member, 49, &t) && comments_anywhere(member, 50, &t));
    }

    #[test]
    fn stored_values_fill_in_or_fall_back() {
        let map = HashMap::from([
            ("reputation.vote_up".to_string(), "3".to_string()),
            ("reputation.close".to_string(), "-5".to_string()),
            ("reputation.vote_down".to_string(), "lots".to_string()),
        ]);
        let t = Thresholds::from_settings(&map);
        assert_eq!((t.vote_up, t.close, t.vote_down), (3, 3000, 125));
    }
}

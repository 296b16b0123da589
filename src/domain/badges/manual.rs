//! Manual badges (DESIGN §5): staff create them, grant them to members with a reason, and revoke
//! them. Every step is audited; a grant tells the member.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::db::backend::write_transaction;
use crate::db::DbConn;
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::badges::awards::TIERS;
use crate::domain::fields::clean_text;
use crate::domain::notifications;
use crate::domain::qa::posting::slugify;
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::models::badge::{self, NewAward, NewBadge};
use crate::models::user;

/// What the new-badge form sends.
#[derive(Debug, Clone, Default)]
pub struct BadgeInput {
    pub name: String,
    pub tier: String,
    pub description: String,
}

fn staff_only(is_staff: bool) -> AppResult<()> {
    if is_staff {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Creates a manual badge; returns its slug.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    is_staff: bool,
    input: &BadgeInput,
    now: NaiveDateTime,
) -> AppResult<String> {
    staff_only(is_staff)?;
    let name = clean_text(&input.name).trim().to_owned();
    let description = clean_text(&input.description).trim().to_owned();
    let mut errors = FieldErrors::new();
    if !(2..=40).contains(&name.chars().count()) {
        errors.add("name", "Give the badge a name of 2 to 40 characters.");
    }
    if !TIERS.contains(&input.tier.as_str()) {
        errors.add("tier", "Choose bronze, silver or gold.");
    }
    if !(5..=300).contains(&description.chars().count()) {
        errors.add("description", "Say in 5 to 300 characters what the badge is for.");
    }
    if let Err(e) = errors.into_result() {
        return Err(AppError::Invalid(e));
    }
    let slug = slugify(&name);
    write_transaction(conn, |conn| {
        let made = badge::insert_if_missing(
            conn,
            &NewBadge {
                slug: &slug,
                name: &name,
                tier: &input.tier,
                description: &description,
                repeatable: false,
                manual: true,
                created_by: actor.user,
                created_at: now,
            },
        )?;
        if !made {
            return Err(AppError::Invalid(FieldErrors::one(
                "name",
                "A badge with this name exists already.",
            )));
        }
        audit::record(
            conn,
            actor,
            "badge.create",
            Target {
                kind: "badge",
                id: Some(slug.clone()),
            },
            None,
            Some(json!({ "name": name, "tier": input.tier, "description": description })),
        )?;
        Ok(slug.clone())
    })
}

fn manual_badge(conn: &mut DbConn, slug: &str) -> AppResult<badge::Badge> {
    let b = badge::find_by_slug(conn, slug)?.ok_or(AppError::NotFound)?;
    if !b.manual {
        return Err(AppError::BadRequest(
            "This badge is earned by its rule; only manual badges are granted by hand.".into(),
        ));
    }
    Ok(b)
}

/// Grants a manual badge to `username` with a reason.
pub fn grant(
    conn: &mut DbConn,
    actor: &Actor,
    is_staff: bool,
    slug: &str,
    username: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    staff_only(is_staff)?;
    let reason = clean_text(reason).trim().to_owned();
    if !(3..=300).contains(&reason.chars().count()) {
        return Err(AppError::Invalid(FieldErrors::one(
            "reason",
            "Say in 3 to 300 characters why.",
        )));
    }
    write_transaction(conn, |conn| {
        let b = manual_badge(conn, slug)?;
        let Some(u) = user::find_by_username(conn, username.trim())? else {
            return Err(AppError::Invalid(FieldErrors::one(
                "username",
                "There is no member with that username.",
            )));
        };
        let new = badge::award(
            conn,
            &NewAward {
                badge_id: b.id,
                user_id: u.id,
                post_id: 0,
                question_id: None,
                awarded_by: actor.user,
                reason: Some(&reason),
                created_at: now,
            },
        )?;
        if !new {
            return Err(AppError::Invalid(FieldErrors::one(
                "username",
                "They hold this badge already.",
            )));
        }
        notifications::notify(
            conn,
            u.id,
            "badge",
            &format!("You were given the {} badge: {reason}", b.name),
            &format!("/badges/{}", b.slug),
            now,
        )?;
        audit::record(
            conn,
            actor,
            "badge.grant",
            Target {
                kind: "badge",
                id: Some(b.slug.clone()),
            },
            None,
            Some(json!({ "user": u.username, "reason": reason })),
        )?;
        Ok(())
    })
}

/// Revokes one award of a manual badge.
pub fn revoke(conn: &mut DbConn, actor: &Actor, is_staff: bool, slug: &str, award_id: i64) -> AppResult<()> {
    staff_only(is_staff)?;
    write_transaction(conn, |conn| {
        let b = manual_badge(conn, slug)?;
        let holder = badge::revoke(conn, b.id, award_id)?.ok_or(AppError::NotFound)?;
        let name = user::find(conn, holder)?.username;
        audit::record(
            conn,
            actor,
            "badge.revoke",
            Target {
                kind: "badge",
                id: Some(b.slug.clone()),
            },
            Some(json!({ "user": name })),
            None,
        )
    })
}

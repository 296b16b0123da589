//! Profiles (DESIGN §5): display name, a Markdown bio (sanitised by the one renderer), location,
//! website (http or https only), a flair from the member's own badges, and the avatar. Completing
//! the profile earns the Welcome badge.

use crate::error::Rejected;
use chrono::NaiveDateTime;
use serde_json::json;

use crate::db::backend::write_transaction;
use crate::db::ids::UserId;
use crate::db::DbConn;
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::badges::awards;
use crate::domain::fields::clean_text;
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::markdown;
use crate::models::{avatar, badge};

/// What the profile form sends.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub display_name: String,
    pub bio: String,
    pub location: String,
    pub website: String,
    /// A badge slug the member holds, or empty for none.
    pub flair: String,
}

/// Length bounds (characters).
pub const DISPLAY_NAME_MAX: usize = 50;
pub const BIO_MAX: usize = 3000;
pub const LOCATION_MAX: usize = 60;
pub const WEBSITE_MAX: usize = 200;

/// A website as it may be stored: an absolute http(s) URL with a host.
pub fn check_website(s: &str) -> Result<String, Rejected> {
    let bad = || Rejected::because("Give a full web address starting with https:// or http://.");
    if s.chars().count() > WEBSITE_MAX {
        return Err(format!("The address may be at most {WEBSITE_MAX} characters.").into());
    }
    let u = url::Url::parse(s).map_err(|_| bad())?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none_or(str::is_empty) || !u.username().is_empty() {
        return Err(bad());
    }
    Ok(u.to_string())
}

fn bounded(errors: &mut FieldErrors, field: &'static str, text: &str, max: usize, what: &str) {
    if text.chars().count() > max {
        errors.add(field, format!("{what} may be at most {max} characters."));
    }
}

/// Saves the profile; returns whether the Welcome badge was just earned.
pub fn save(conn: &mut DbConn, user: UserId, input: &ProfileInput, now: NaiveDateTime) -> AppResult<bool> {
    let name = clean_text(&input.display_name).trim().to_owned();
    let bio = clean_text(&input.bio).trim().to_owned();
    let location = clean_text(&input.location).trim().to_owned();
    let website = input.website.trim().to_owned();
    let mut errors = FieldErrors::new();
    bounded(&mut errors, "display_name", &name, DISPLAY_NAME_MAX, "A display name");
    bounded(&mut errors, "bio", &bio, BIO_MAX, "The bio");
    bounded(&mut errors, "location", &location, LOCATION_MAX, "The location");
    let website = match website.as_str() {
        "" => None,
        w => match check_website(w) {
            Ok(u) => Some(u),
            Err(e) => {
                errors.add("website", e);
                None
            }
        },
    };
    write_transaction(conn, |conn| {
        let flair = match input.flair.trim() {
            "" => None,
            slug => match badge::of_user(conn, user)?.into_iter().find(|(b, _, _)| b.slug == slug) {
                Some((b, _, _)) => Some(b.id),
                None => {
                    errors.add("flair", "Choose one of your own badges.");
                    None
                }
            },
        };
        if let Err(e) = errors.clone().into_result() {
            return Err(AppError::Invalid(e));
        }
        let bio_html = markdown::render(&bio);
        let update = crate::models::user::ProfileUpdate {
            display_name: (!name.is_empty()).then_some(name.as_str()),
            bio: &bio,
            bio_html: bio_html.as_str(),
            location: (!location.is_empty()).then_some(location.as_str()),
            website: website.as_deref(),
            flair_badge_id: flair,
        };
        crate::models::user::set_profile(conn, user, &update)?;
        let complete = !name.is_empty() && !bio.is_empty() && !location.is_empty();
        let welcomed = complete && awards::award(conn, "welcome", user, None, now, true)?;
        Ok(welcomed)
    })
}

/// Staff set a member's contributor status by hand (`Some`), or give it back to reputation
/// (`None`); audited.
pub fn set_contributor(
    conn: &mut DbConn,
    actor: &Actor,
    is_staff: bool,
    target: UserId,
    value: Option<bool>,
) -> AppResult<()> {
    if !is_staff {
        return Err(AppError::Forbidden);
    }
    write_transaction(conn, |conn| {
        let before = crate::models::user::set_contributor_override(conn, target, value)?;
        let show = |v: Option<bool>| json!(v.map(|b| if b { "yes" } else { "no" }).unwrap_or("by reputation"));
        audit::record(
            conn,
            actor,
            "user.contributor",
            Target::user(target),
            Some(json!({ "contributor": show(before) })),
            Some(json!({ "contributor": show(value) })),
        )
    })
}

/// Stores a processed avatar (see `avatars::process`) and moves the avatar version.
pub fn set_avatar(conn: &mut DbConn, user: UserId, png: &[u8], now: NaiveDateTime) -> AppResult<()> {
    write_transaction(conn, |conn| Ok(avatar::put(conn, user, png, now)?))
}

/// Back to the identicon.
pub fn remove_avatar(conn: &mut DbConn, user: UserId) -> AppResult<()> {
    write_transaction(conn, |conn| Ok(avatar::remove(conn, user)?))
}

/// The stored avatar PNG, if any.
pub fn avatar_png(conn: &mut DbConn, user: UserId) -> AppResult<Option<Vec<u8>>> {
    Ok(avatar::png(conn, user)?)
}

#[cfg(test)]
mod tests {
    use super::check_website;

    #[test]
    fn websites() {
        assert_eq!(check_website("https://example.com").unwrap(), "https://example.com/");
        assert!(check_website("http://example.com/a?b=c").is_ok());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://example.com",
            "example.com",
            "https://",
            "https://user:pw@example.com",
        ] {
            assert!(check_website(bad).is_err(), "{bad}");
        }
        assert!(check_website(&format!("https://example.com/{}", "a".repeat(200))).is_err());
    }
}

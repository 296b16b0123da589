//! Tag descriptions: written by those who may edit others' posts, audited.

use serde_json::json;

use crate::db::DbConn;
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::permissions::{Permission, PermissionSet};
use crate::domain::fields::clean_text;
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::markdown;
use crate::models::tag;

/// Longest tag description.
pub const DESCRIPTION_LEN: usize = 2000;

/// Sets the description of the tag `name`.
pub fn describe(
    conn: &mut DbConn,
    actor: &Actor,
    permissions: PermissionSet,
    name: &str,
    description: &str,
) -> AppResult<()> {
    if !permissions.contains(Permission::EditOthers) {
        return Err(AppError::Forbidden);
    }
    let description = clean_text(description).trim().to_owned();
    if description.chars().count() > DESCRIPTION_LEN {
        return Err(AppError::Invalid(FieldErrors::one(
            "description",
            format!("Use at most {DESCRIPTION_LEN} characters."),
        )));
    }
    let t = tag::find_by_name(conn, name)?.ok_or(AppError::NotFound)?;
    let html = markdown::render(&description);
    tag::set_description(conn, t.id, &description, html.as_str())?;
    audit::record(
        conn,
        actor,
        "tag.describe",
        Target {
            kind: "tag",
            id: Some(t.name.clone()),
        },
        Some(json!({ "description": t.description })),
        Some(json!({ "description": description })),
    )?;
    Ok(())
}

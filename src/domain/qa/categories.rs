//! Categories: the ones a viewer may file under and browse, and creating and editing them
//! (holders of `manage_settings`, audited).

use chrono::NaiveDateTime;
use serde_json::json;

use crate::db::backend::write_transaction;
use crate::db::ids::CategoryId;
use crate::db::DbConn;
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::permissions::{Permission, PermissionSet};
use crate::domain::access::visibility::{self, Viewer};
use crate::domain::fields::clean_text;
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::markdown;
use crate::models::category::{self, Category, CategoryChanges, NewCategory};

/// The categories open to `viewer` (`None`: a visitor), in their order.
pub fn open_to(conn: &mut DbConn, viewer: Option<&Viewer>) -> AppResult<Vec<Category>> {
    Ok(visibility::open_categories(viewer, category::list(conn)?))
}

/// The category `slug`, if it exists and is open to `viewer`.
pub fn find_open(conn: &mut DbConn, viewer: Option<&Viewer>, slug: &str) -> AppResult<Option<Category>> {
    Ok(category::find_by_slug(conn, slug)?.filter(|c| visibility::category_open(viewer, c)))
}

/// What the category form sends.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub position: i32,
}

fn check(input: &CategoryInput) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if !(2..=50).contains(&name.chars().count()) {
        errors.add("name", "Use 2 to 50 characters.");
    }
    let slug = input.slug.trim();
    if !(1..=50).contains(&slug.len())
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.add("slug", "Use 1 to 50 of a–z, 0–9 and -.");
    }
    if input.description.chars().count() > 2000 {
        errors.add("description", "Use at most 2000 characters.");
    }
    if !(-1000..=1000).contains(&input.position) {
        errors.add("position", "Use a number from -1000 to 1000.");
    }
    errors.into_result()
}

/// Creates or (with `id`) updates a category.
pub fn save(
    conn: &mut DbConn,
    actor: &Actor,
    permissions: PermissionSet,
    id: Option<CategoryId>,
    input: &CategoryInput,
    now: NaiveDateTime,
) -> AppResult<CategoryId> {
    if !permissions.contains(Permission::ManageSettings) {
        return Err(AppError::Forbidden);
    }
    let input = &CategoryInput {
        name: clean_text(&input.name),
        slug: clean_text(&input.slug),
        description: clean_text(&input.description),
        position: input.position,
    };
    if let Err(e) = check(input) {
        return Err(AppError::Invalid(e));
    }
    let (name, slug, description) = (input.name.trim(), input.slug.trim(), input.description.trim());
    let html = markdown::render(description);
    write_transaction(conn, |conn| {
        if let Some(other) = category::find_by_slug(conn, slug)? {
            if Some(other.id) != id {
                return Err(AppError::Invalid(FieldErrors::one(
                    "slug",
                    "Another category uses that slug.",
                )));
            }
        }
        let after = json!({ "name": name, "slug": slug, "description": description, "position": input.position });
        let (id, before) = match id {
            Some(id) => {
                let old = category::find(conn, id)?;
                let changes = CategoryChanges {
                    name,
                    slug,
                    description,
                    description_html: html.as_str(),
                    position: input.position,
                };
                category::update(conn, id, &changes)?;
                (
                    id,
                    Some(
                        json!({ "name": old.name, "slug": old.slug, "description": old.description, "position": old.position }),
                    ),
                )
            }
            None => {
                let new = NewCategory {
                    name,
                    slug,
                    description,
                    description_html: html.as_str(),
                    position: input.position,
                    created_at: now,
                };
                (category::insert(conn, &new)?, None)
            }
        };
        let action = if before.is_some() {
            "category.update"
        } else {
            "category.create"
        };
        audit::record(
            conn,
            actor,
            action,
            Target {
                kind: "category",
                id: Some(id.to_string()),
            },
            before,
            Some(after),
        )?;
        Ok(id)
    })
}

/// A forum started without any category gets "General", so that its first visitor can ask at once
/// (admins rename it or add more under Categories). `true` if it was created.
pub fn ensure_one(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<bool> {
    if !category::list(conn)?.is_empty() {
        return Ok(false);
    }
    let input = CategoryInput {
        name: "General".into(),
        slug: "general".into(),
        description: "Questions about anything: staff move them to a better place when one exists.".into(),
        position: 0,
    };
    let system = Actor { user: None, ip: None };
    save(
        conn,
        &system,
        PermissionSet::of(&[Permission::ManageSettings]),
        None,
        &input,
        now,
    )
    .map_err(|e| match e {
        AppError::Invalid(fields) => AppError::internal(format!("the first category was refused: {fields:?}")),
        other => other,
    })?;
    Ok(true)
}

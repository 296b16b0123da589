//! `settings`: site-wide key/value settings edited by admins, and `settings_version`, the number
//! every change bumps in its own transaction (how other instances learn of it).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::schema::{settings, settings_version};
use crate::db::DbConn;

/// Every stored setting.
pub fn load_all(conn: &mut DbConn) -> QueryResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = settings::table.select((settings::key, settings::value)).load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The settings' version: it grows with every change.
pub fn version(conn: &mut DbConn) -> QueryResult<i64> {
    settings_version::table
        .find(1)
        .select(settings_version::value)
        .first(conn)
}

/// Sets one value, inserting or replacing. The settings version and the content generation grow
/// with it (settings show on every page).
pub fn put(conn: &mut DbConn, key: &str, value: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(settings_version::table.find(1))
        .set(settings_version::value.eq(settings_version::value + 1))
        .execute(conn)?;
    crate::db::backend::bump_content_generation(conn)?;
    let row = (
        settings::key.eq(key),
        settings::value.eq(value),
        settings::updated_at.eq(at),
    );
    on_each_backend!(conn, |c| diesel::insert_into(settings::table)
        .values(row)
        .on_conflict(settings::key)
        .do_update()
        .set((settings::value.eq(value), settings::updated_at.eq(at)))
        .execute(c))
}

/// A lease kept in a settings row: sets `key` to `value` unless it already holds it, and says
/// whether this call did (exactly one caller wins per value, across instances). A lease is not a
/// setting anyone sees, so neither version grows.
pub fn claim(conn: &mut DbConn, key: &str, value: &str, now: NaiveDateTime) -> QueryResult<bool> {
    on_each_backend!(conn, |c| diesel::insert_into(settings::table)
        .values((
            settings::key.eq(key),
            settings::value.eq(""),
            settings::updated_at.eq(now)
        ))
        .on_conflict(settings::key)
        .do_nothing()
        .execute(c))?;
    let n = diesel::update(
        settings::table
            .filter(settings::key.eq(key))
            .filter(settings::value.ne(value)),
    )
    .set((settings::value.eq(value), settings::updated_at.eq(now)))
    .execute(conn)?;
    Ok(n == 1)
}

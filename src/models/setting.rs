//! `settings`: site-wide key/value settings edited by admins (branding now, more later).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::schema::settings;
use crate::db::DbConn;

/// Every stored setting.
pub fn load_all(conn: &mut DbConn) -> QueryResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = settings::table.select((settings::key, settings::value)).load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Sets one value, inserting or replacing.
pub fn put(conn: &mut DbConn, key: &str, value: &str, at: NaiveDateTime) -> QueryResult<usize> {
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

//! `user_permissions`: single permissions granted to, or withheld from, one user on top of the role.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::UserId;
use crate::db::schema::user_permissions;
use crate::db::DbConn;

/// The user's overrides: `(permission, allowed)`. Unknown stored names are ignored.
pub fn overrides(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<(String, bool)>> {
    // On the backend's own connection, as every signed-in request runs it (see `queries::thread`).
    on_each_backend!(conn, |c| user_permissions::table
        .filter(user_permissions::user_id.eq(user))
        .select((user_permissions::permission, user_permissions::allowed))
        .load(c))
}

/// Grants (`allowed`) or withholds one permission, replacing an earlier override.
pub fn set(
    conn: &mut DbConn,
    user: UserId,
    permission: &str,
    allowed: bool,
    by: UserId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let row = (
        user_permissions::user_id.eq(user),
        user_permissions::permission.eq(permission),
        user_permissions::allowed.eq(allowed),
        user_permissions::granted_by.eq(by),
        user_permissions::created_at.eq(at),
    );
    on_each_backend!(conn, |c| diesel::insert_into(user_permissions::table)
        .values(row)
        .on_conflict((user_permissions::user_id, user_permissions::permission))
        .do_update()
        .set((
            user_permissions::allowed.eq(allowed),
            user_permissions::granted_by.eq(by),
            user_permissions::created_at.eq(at)
        ))
        .execute(c))
}

/// Removes an override, so the role decides again.
pub fn clear(conn: &mut DbConn, user: UserId, permission: &str) -> QueryResult<usize> {
    diesel::delete(
        user_permissions::table
            .filter(user_permissions::user_id.eq(user))
            .filter(user_permissions::permission.eq(permission)),
    )
    .execute(conn)
}

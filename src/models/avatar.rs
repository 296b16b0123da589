//! `user_avatars`: an uploaded avatar's PNG, one per user, and the user's avatar version (which
//! moves with every change, so image URLs can be cached for ever).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::UserId;
use crate::db::schema::{user_avatars, users};
use crate::db::DbConn;

/// Stores `png` as the user's avatar and moves the avatar version.
pub fn put(conn: &mut DbConn, user: UserId, png: &[u8], now: NaiveDateTime) -> QueryResult<()> {
    on_each_backend!(conn, |c| diesel::insert_into(user_avatars::table)
        .values((
            user_avatars::user_id.eq(user),
            user_avatars::png.eq(png),
            user_avatars::updated_at.eq(now)
        ))
        .on_conflict(user_avatars::user_id)
        .do_update()
        .set((user_avatars::png.eq(png), user_avatars::updated_at.eq(now)))
        .execute(c))?;
    diesel::update(users::table.find(user))
        .set(users::avatar_version.eq(users::avatar_version + 1))
        .execute(conn)?;
    Ok(())
}

/// Removes the user's avatar (back to the identicon: version 0).
pub fn remove(conn: &mut DbConn, user: UserId) -> QueryResult<()> {
    diesel::delete(user_avatars::table.find(user)).execute(conn)?;
    diesel::update(users::table.find(user))
        .set(users::avatar_version.eq(0))
        .execute(conn)?;
    Ok(())
}

/// The stored PNG, if any.
pub fn png(conn: &mut DbConn, user: UserId) -> QueryResult<Option<Vec<u8>>> {
    user_avatars::table
        .find(user)
        .select(user_avatars::png)
        .first(conn)
        .optional()
}

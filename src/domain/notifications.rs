//! In-app notifications (DESIGN §9): written in the transaction of their cause, listed newest
//! first, counted while unread for the header.

use chrono::NaiveDateTime;

use crate::db::ids::UserId;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::models::notification::{self, NewNotification, Notification};

/// Tells `user` something, linking to where it happened.
pub fn notify(
    conn: &mut DbConn,
    user: UserId,
    kind: &str,
    title: &str,
    link: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    notification::insert(
        conn,
        &NewNotification {
            user_id: user,
            kind,
            title,
            link,
            created_at: at,
        },
    )?;
    Ok(())
}

/// A page of a user's notifications and the total.
pub fn page(conn: &mut DbConn, user: UserId, page: i64, per_page: i64) -> AppResult<(Vec<Notification>, i64)> {
    Ok(notification::page(conn, user, per_page, (page - 1) * per_page)?)
}

/// Marks all of a user's notifications read; returns how many were unread.
pub fn mark_all_read(conn: &mut DbConn, user: UserId, at: NaiveDateTime) -> AppResult<usize> {
    Ok(notification::mark_all_read(conn, user, at)?)
}

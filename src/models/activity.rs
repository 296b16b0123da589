//! `user_active_slots`: the 15-minute UTC slots in which members were active.

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::UserId;
use crate::db::schema::user_active_slots as slots;
use crate::db::DbConn;

/// The slot an instant falls in.
pub fn slot_of(t: NaiveDateTime) -> NaiveDateTime {
    let minute = t.minute() - t.minute() % 15;
    t.date().and_hms_opt(t.hour(), minute, 0).unwrap_or(t)
}

/// Marks `user` active in the slot of `at` (idempotent).
pub fn mark(conn: &mut DbConn, user: UserId, at: NaiveDateTime) -> QueryResult<usize> {
    on_each_backend!(conn, |c| diesel::insert_into(slots::table)
        .values((slots::user_id.eq(user), slots::slot.eq(slot_of(at))))
        .on_conflict((slots::user_id, slots::slot))
        .do_nothing()
        .execute(c))
}

/// Marks many (user, time) pairs active, a thousand to a statement (a history sweep has millions).
pub fn mark_many(conn: &mut DbConn, marks: &[(UserId, NaiveDateTime)]) -> QueryResult<usize> {
    let mut written = 0;
    for part in marks.chunks(1000) {
        let rows: Vec<_> = part
            .iter()
            .map(|(u, at)| (slots::user_id.eq(*u), slots::slot.eq(slot_of(*at))))
            .collect();
        written += on_each_backend!(conn, |c| diesel::insert_into(slots::table)
            .values(&rows)
            .on_conflict((slots::user_id, slots::slot))
            .do_nothing()
            .execute(c))?;
    }
    Ok(written)
}

/// The members active at some point in `[from, to)`, each once (the index on `(slot, user_id)`
/// answers this without reading the table).
pub fn members_between(conn: &mut DbConn, from: NaiveDateTime, to: NaiveDateTime) -> QueryResult<Vec<UserId>> {
    slots::table
        .filter(slots::slot.ge(from))
        .filter(slots::slot.lt(to))
        .select(slots::user_id)
        .distinct()
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::slot_of;

    #[test]
    fn slots_are_quarter_hours() {
        let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(slot_of(t("2026-03-02 09:44:59")), t("2026-03-02 09:30:00"));
        assert_eq!(slot_of(t("2026-03-02 09:45:00")), t("2026-03-02 09:45:00"));
    }
}

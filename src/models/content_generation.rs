//! `content_generation`: one number that grows whenever public content may have changed (every
//! `db::backend::write_transaction` bumps it); the page cache compares it with the number each
//! stored page was rendered under.

use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::schema::content_generation;
use crate::db::DbConn;

/// The current number.
pub fn current(conn: &mut DbConn) -> QueryResult<i64> {
    // On the backend's own connection, as every page request runs it (see `queries::thread`).
    on_each_backend!(conn, |c| content_generation::table
        .find(1)
        .select(content_generation::value)
        .first(c))
}

//! The only place that tells SQLite and PostgreSQL apart: SQL whose spelling differs per backend
//! (upserts, catalogue queries). Everything else is written once against `DbConn`.

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use super::DbConn;

/// Runs the same diesel expression against whichever backend `$conn` holds. For builders that
/// only type-check per backend (`on_conflict`), so the source stays written once.
macro_rules! on_each_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Pg($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}
pub(crate) use on_each_backend;

/// The tables a bulk load (import, seed) fills.
const BULK_TABLES: &str = "users, reputation_events, badge_awards, user_active_days, user_active_slots, \
     tags, questions, answers, comments, question_tags, votes, follows, revisions, surveys";

/// The cheapest round trip: whether the database answers (readiness).
pub fn ping(conn: &mut DbConn) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("SELECT 1")
}

/// After a bulk load has committed, on PostgreSQL: fresh planner statistics and visibility maps
/// for the tables it filled, without which the KPI pass's index-only scans visit the table for
/// every row (2.4 s instead of 0.9 s over 100,000 questions). Not on SQLite: its planner without
/// statistics picks the indexes the queries were written for, and `ANALYZE` made the KPI pass
/// three times slower there (0.85 s → 2.5 s, measured).
pub fn after_bulk_load(conn: &mut DbConn) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    match conn {
        DbConn::Pg(c) => c.batch_execute(&format!("VACUUM (ANALYZE) {BULK_TABLES}")),
        DbConn::Sqlite(_) => Ok(()),
    }
}

/// Runs `f` with SQLite reading through a memory map of the file's first 256 MiB instead of
/// copying pages into the connection's cache: for passes over whole indexes (the KPIs: 0.89 s →
/// 0.45 s at 100,000 questions). Only for the pass, because every connection maps the file on
/// its own and the mapped pages count once per mapping in the process's RSS: mapped on all eight
/// pooled connections, page views showed 600 MB of file pages for a 120 MB database.
pub fn with_mapped_reads<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::connection::SimpleConnection;
    if let DbConn::Sqlite(c) = conn {
        c.batch_execute("PRAGMA mmap_size = 268435456")?;
    }
    let out = f(conn);
    if let DbConn::Sqlite(c) = conn {
        c.batch_execute("PRAGMA mmap_size = 0")?;
    }
    out
}

/// A column as the catalogue describes it, with the type reduced to a family both backends share.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnShape {
    pub table: String,
    pub column: String,
    pub family: String,
    pub not_null: bool,
}

/// Tables, columns and index names of the live schema (diesel's own bookkeeping table left out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchemaShape {
    pub tables: Vec<String>,
    pub columns: Vec<ColumnShape>,
    pub indexes: Vec<String>,
}

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

fn family(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    let f = if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("text") {
        "text"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("timestamp") {
        "timestamp"
    } else if t == "blob" || t == "bytea" {
        "binary"
    } else if t == "real" || t.starts_with("double") {
        "float"
    } else {
        return t;
    };
    f.to_owned()
}

/// Reads the schema from the catalogue, for the migrations test and `check-config`.
pub fn describe_schema(conn: &mut DbConn) -> QueryResult<SchemaShape> {
    let (tables_sql, columns_sql, indexes_sql) = match conn {
        DbConn::Pg(_) => (
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations' ORDER BY 1",
            "SELECT c.table_name, c.column_name, c.data_type, \
             CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null \
             FROM information_schema.columns c WHERE c.table_schema = current_schema() \
             AND c.table_name <> '__diesel_schema_migrations' ORDER BY 1, 2",
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() \
             AND indexname NOT LIKE '%\\_pkey' ORDER BY 1",
        ),
        DbConn::Sqlite(_) => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND name <> '__diesel_schema_migrations' ORDER BY 1",
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
             CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 1 ELSE 0 END AS not_null \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND m.name <> '__diesel_schema_migrations' ORDER BY 1, 2",
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite\\_autoindex%' ESCAPE '\\' \
             ORDER BY 1",
        ),
    };
    let names = |conn: &mut DbConn, sql: &str| -> QueryResult<Vec<String>> {
        Ok(diesel::sql_query(sql)
            .load::<NameRow>(conn)?
            .into_iter()
            .map(|r| r.name)
            .collect())
    };
    // Full-text search objects differ by design (FTS5 tables vs tsvector columns and GIN indexes).
    let searchy = |name: &str| name.starts_with("search_") || name.ends_with("_search");
    let tables: Vec<String> = names(conn, tables_sql)?.into_iter().filter(|t| !searchy(t)).collect();
    let indexes: Vec<String> = names(conn, indexes_sql)?.into_iter().filter(|i| !searchy(i)).collect();
    let columns = diesel::sql_query(columns_sql)
        .load::<ColumnRow>(conn)?
        .into_iter()
        .filter(|r| !searchy(&r.table_name) && !searchy(&r.column_name) && r.column_name != "search_vector")
        .map(|r| ColumnShape {
            table: r.table_name,
            column: r.column_name,
            family: family(&r.data_type),
            not_null: r.not_null == 1,
        })
        .collect();
    Ok(SchemaShape {
        tables,
        columns,
        indexes,
    })
}

/// Runs `f` in a transaction meant to write: every write of the product goes through here or
/// `private_write_transaction` (the web, the command line, import and seed alike). When the
/// outermost one commits, the content generation grows, so every instance's page cache stops
/// serving pages rendered before it (in its own short statement after the commit: a bump inside
/// the transaction would hold the one generation row locked for the whole write and serialise all
/// writers). Nested calls become savepoints.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    counted_transaction(conn, f, true)
}

/// `write_transaction` for a write no page shows (a password reset, a verification mail): the
/// cached pages stay, so that anyone who may ask for a reset cannot empty everyone's cache.
pub fn private_write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    counted_transaction(conn, f, false)
}

fn counted_transaction<T, E, F>(conn: &mut DbConn, f: F, counts: bool) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let outermost = transaction_depth(conn)?.is_none();
    let value = match conn {
        DbConn::Sqlite(_) if outermost => immediate_transaction(conn, f)?,
        _ => conn.transaction(f)?,
    };
    if outermost && counts {
        if let Err(e) = bump_content_generation(conn) {
            // The write stands; pages may stay stale until they expire (`cache::pages::FRESH_FOR`).
            tracing::warn!(error = %e, "cannot count a content change: cached pages may be stale");
        }
    }
    Ok(value)
}

/// Counts one more change of content: every stored page becomes stale.
pub fn bump_content_generation(conn: &mut DbConn) -> QueryResult<usize> {
    use crate::db::schema::content_generation;
    diesel::update(content_generation::table.find(1))
        .set(content_generation::value.eq(content_generation::value + 1))
        .execute(conn)
}

fn transaction_depth(conn: &mut DbConn) -> QueryResult<Option<std::num::NonZeroU32>> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    match conn {
        DbConn::Sqlite(inner) => AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth(),
        DbConn::Pg(inner) => AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth(),
    }
}

/// On SQLite a write starts with `BEGIN IMMEDIATE`: a deferred transaction that reads first and
/// writes later fails at once (SQLITE_BUSY) when another writer got in between, instead of
/// waiting on the busy timeout.
fn immediate_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let DbConn::Sqlite(inner) = conn else {
        return conn.transaction(f);
    };
    AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    match f(conn) {
        Ok(value) => match <DbConn as Connection>::TransactionManager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(commit) => {
                let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
                Err(commit.into())
            }
        },
        Err(e) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

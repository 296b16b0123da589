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

/// Runs `f` in a transaction meant to write. On SQLite it starts with `BEGIN IMMEDIATE`: a deferred
/// transaction that reads first and writes later fails at once (SQLITE_BUSY) when another writer
/// got in between, instead of waiting on the busy timeout. Nested calls become savepoints.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let DbConn::Sqlite(inner) = conn else {
        return conn.transaction(f);
    };
    let depth = AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()?;
    if depth.is_some() {
        return conn.transaction(f);
    }
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

/// A full-text search over visible questions and their answers.
#[derive(Debug, Clone, Default)]
pub struct FullText {
    /// Backend query text built by `domain::search` from sanitised words (never raw user input).
    pub sqlite_match: String,
    pub pg_tsquery: String,
    pub category: Option<i64>,
    pub tag: Option<i64>,
    /// `unanswered`, `unresolved`, `resolved` or empty.
    pub status: String,
    pub limit: i64,
    pub offset: i64,
}

/// Marks the start and end of a matched word in snippets (escaped and turned into `<mark>` later).
pub const HIT_START: &str = "\u{27E6}";
/// See `HIT_START`.
pub const HIT_END: &str = "\u{27E7}";

#[derive(QueryableByName)]
struct HitRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    snippet: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    total: i64,
}

/// Fills the snippets of a page of hits from their search documents (FTS5 picks the column with
/// the best match: the title, the body or the answers). `+rowid` keeps SQLite from handing the
/// ids to FTS5, which would run the whole match once per id (2–6 ms a page); one pass over the
/// matches that makes snippets for the page's rows only costs 0.5–1 ms.
fn sqlite_snippets(c: &mut diesel::sqlite::SqliteConnection, matcher: &str, page: &mut [HitRow]) -> QueryResult<()> {
    use diesel::sql_types::BigInt;
    if page.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; page.len()].join(", ");
    let sql = format!(
        "SELECT rowid AS id, snippet(search_threads, -1, '{HIT_START}', '{HIT_END}', '…', 24) AS snippet, 0 AS total \
           FROM search_threads WHERE search_threads MATCH ? AND +rowid IN ({marks})"
    );
    let mut query = diesel::sql_query(sql)
        .into_boxed::<diesel::sqlite::Sqlite>()
        .bind::<Text, _>(matcher.to_owned());
    for hit in page.iter() {
        query = query.bind::<BigInt, _>(hit.id);
    }
    let found: Vec<HitRow> = query.load(c)?;
    for hit in page.iter_mut() {
        if let Some(f) = found.iter().find(|f| f.id == hit.id) {
            hit.snippet = f.snippet.clone();
        }
    }
    Ok(())
}

/// Ranked matches (question id and raw snippet), best first, and how many match in all.
/// FTS5 with bm25 on SQLite, tsvector with ts_rank and ts_headline on PostgreSQL.
pub fn full_text_search(conn: &mut DbConn, q: &FullText) -> QueryResult<(Vec<(i64, String)>, i64)> {
    use diesel::sql_types::BigInt;
    let status = match q.status.as_str() {
        "unanswered" => " AND q.first_response_at IS NULL",
        "unresolved" => " AND q.accepted_answer_id IS NULL",
        "resolved" => " AND q.accepted_answer_id IS NOT NULL",
        _ => "",
    };
    let rows: Vec<HitRow> = match conn {
        DbConn::Sqlite(c) => {
            let mut filters = String::from(status);
            if q.category.is_some() {
                filters.push_str(" AND q.category_id = ?");
            }
            if q.tag.is_some() {
                filters.push_str(
                    " AND EXISTS (SELECT 1 FROM question_tags t WHERE t.question_id = q.id AND t.tag_id = ?)",
                );
            }
            // One document per question (title, body, answers; weighted as PostgreSQL's A, B, C).
            // Rank and page first; snippets (the costly part) only for the page's rows, below.
            let sql = format!(
                "WITH hits AS ( \
                   SELECT rowid AS qid, bm25(search_threads, 10.0, 2.0, 1.0) AS rank \
                     FROM search_threads WHERE search_threads MATCH ?) \
                 SELECT hits.qid AS id, '' AS snippet, COUNT(*) OVER () AS total \
                   FROM hits JOIN questions q INDEXED BY questions_visible_search ON q.id = hits.qid \
                   JOIN categories c ON c.id = q.category_id \
                  WHERE q.published_at IS NOT NULL AND q.deleted_at IS NULL AND c.group_id IS NULL{filters} \
                  ORDER BY hits.rank, q.id DESC LIMIT ? OFFSET ?"
            );
            let mut query = diesel::sql_query(sql)
                .into_boxed::<diesel::sqlite::Sqlite>()
                .bind::<Text, _>(q.sqlite_match.clone());
            if let Some(cat) = q.category {
                query = query.bind::<BigInt, _>(cat);
            }
            if let Some(tag) = q.tag {
                query = query.bind::<BigInt, _>(tag);
            }
            let mut page: Vec<HitRow> = query.bind::<BigInt, _>(q.limit).bind::<BigInt, _>(q.offset).load(c)?;
            sqlite_snippets(c, &q.sqlite_match, &mut page)?;
            page
        }
        DbConn::Pg(c) => {
            let mut filters = String::from(status);
            let mut n = 1;
            let mut next = || {
                n += 1;
                format!("${n}")
            };
            if q.category.is_some() {
                filters.push_str(&format!(" AND q.category_id = {}", next()));
            }
            if q.tag.is_some() {
                filters.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM question_tags t WHERE t.question_id = q.id AND t.tag_id = {})",
                    next()
                ));
            }
            let (limit, offset) = (next(), next());
            // One vector per question: title (A), body (B), visible answers (C). The snippet comes
            // from the question when its own words (weights A and B) match, else from the answers.
            let sql = format!(
                "WITH query AS (SELECT to_tsquery('english', $1) AS tsq), \
                 page AS ( \
                   SELECT q.id AS qid, ts_rank(q.search_vector, query.tsq) AS rank, COUNT(*) OVER () AS total \
                     FROM questions q CROSS JOIN query JOIN categories c ON c.id = q.category_id \
                    WHERE q.search_vector @@ query.tsq \
                      AND q.published_at IS NOT NULL AND q.deleted_at IS NULL AND c.group_id IS NULL{filters} \
                    ORDER BY rank DESC, q.id DESC LIMIT {limit} OFFSET {offset}) \
                 SELECT page.qid AS id, page.total AS total, \
                        ts_headline('english', \
                          CASE WHEN ts_filter(q.search_vector, '{{a,b}}') @@ query.tsq THEN q.title || ' — ' || q.body \
                          ELSE coalesce((SELECT string_agg(a.body, E'\\n' ORDER BY a.id) FROM answers a \
                                          WHERE a.question_id = q.id AND a.deleted_at IS NULL \
                                            AND a.published_at IS NOT NULL), q.body) END, \
                          query.tsq, 'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=35, MinWords=15') AS snippet \
                   FROM page CROSS JOIN query JOIN questions q ON q.id = page.qid \
                  ORDER BY page.rank DESC, page.qid DESC"
            );
            let mut query = diesel::sql_query(sql)
                .into_boxed::<diesel::pg::Pg>()
                .bind::<Text, _>(q.pg_tsquery.clone());
            if let Some(cat) = q.category {
                query = query.bind::<BigInt, _>(cat);
            }
            if let Some(tag) = q.tag {
                query = query.bind::<BigInt, _>(tag);
            }
            query.bind::<BigInt, _>(q.limit).bind::<BigInt, _>(q.offset).load(c)?
        }
    };
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    Ok((rows.into_iter().map(|r| (r.id, r.snippet)).collect(), total))
}

//! Full-text search over visible questions, one document per question (title, body, visible
//! answers, the bodies as their plain text; weighted A, B, C): FTS5 with bm25 on SQLite, a tsvector with ts_rank on PostgreSQL.
//!
//! A search ranks the newest `ranked` visible matches, not every match. Ranking costs per match
//! (bm25 reads each document's sizes, ts_rank decompresses each vector), so without a bound one
//! common word costs in proportion to the whole community: 4 of 6 ms for 3,000 matches in
//! 10,000 questions, and every never-seen query of that kind queued the others behind it. Finding
//! the newest matches walks the index from its end and stops; the caller says when there were
//! more, so the page can ask for more words instead of pretending to have ranked them all.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::DbConn;
use crate::db::visibility::PUBLIC_CATEGORY_SQL;

/// A full-text search over visible questions and their answers.
#[derive(Debug, Clone, Default)]
pub struct FullText {
    /// Backend query text built by `domain::qa::search` from sanitised words (never raw user input).
    pub sqlite_match: String,
    pub pg_tsquery: String,
    pub category: Option<i64>,
    pub tag: Option<i64>,
    /// `unanswered`, `unresolved` or `resolved`, or empty for any.
    pub status: String,
    pub limit: i64,
    pub offset: i64,
    /// How many of the newest matches are ranked (at least 1).
    pub ranked: i64,
}

/// A page of hits (question id and raw snippet), best first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub hits: Vec<(i64, String)>,
    /// How many questions were ranked: every match, or `ranked` when `more` is set.
    pub total: i64,
    /// More questions matched than were ranked.
    pub more: bool,
}

/// Marks the start and end of a matched word in snippets (escaped and turned into `<mark>` later).
pub const HIT_START: &str = "\u{27E6}";
/// See `HIT_START`.
pub const HIT_END: &str = "\u{27E7}";

#[derive(QueryableByName)]
struct HitRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    snippet: String,
}

/// A PostgreSQL hit: no id (and no snippet) on the row that only carries the count.
#[derive(QueryableByName)]
struct PgHitRow {
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    snippet: Option<String>,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The status filter, the same SQL on both backends.
fn status_filter(status: &str) -> &'static str {
    match status {
        "unanswered" => " AND q.first_response_at IS NULL",
        "unresolved" => " AND q.accepted_answer_id IS NULL",
        "resolved" => " AND q.accepted_answer_id IS NOT NULL",
        _ => "",
    }
}

/// Ranked matches and how many there are (see `Found`).
pub fn full_text_search(conn: &mut DbConn, q: &FullText) -> QueryResult<Found> {
    match conn {
        DbConn::Sqlite(c) => sqlite_search(c, q),
        DbConn::Pg(c) => pg_search(c, q),
    }
}

type SqliteQuery<'a> =
    diesel::query_builder::BoxedSqlQuery<'a, diesel::sqlite::Sqlite, diesel::query_builder::SqlQuery>;

/// The visibility and filter conditions on `q` (a question) and `c` (its category), with their
/// parameters bound by `bind_sqlite_filters` in the same order.
fn sqlite_filters(q: &FullText) -> String {
    let mut filters = format!(" AND q.published_at IS NOT NULL AND q.deleted_at IS NULL AND {PUBLIC_CATEGORY_SQL}");
    filters.push_str(status_filter(&q.status));
    if q.category.is_some() {
        filters.push_str(" AND q.category_id = ?");
    }
    if q.tag.is_some() {
        filters.push_str(" AND EXISTS (SELECT 1 FROM question_tags t WHERE t.question_id = q.id AND t.tag_id = ?)");
    }
    filters
}

fn bind_sqlite_filters<'a>(mut query: SqliteQuery<'a>, q: &FullText) -> SqliteQuery<'a> {
    if let Some(cat) = q.category {
        query = query.bind::<BigInt, _>(cat);
    }
    if let Some(tag) = q.tag {
        query = query.bind::<BigInt, _>(tag);
    }
    query
}

/// Two passes: the newest visible matches (FTS5 walks its rowids from the end and stops), then
/// bm25 over the rowid range they span, filtered again, paged. Snippets, the costly part, only
/// for the page's rows.
fn sqlite_search(c: &mut diesel::sqlite::SqliteConnection, q: &FullText) -> QueryResult<Found> {
    let filters = sqlite_filters(q);
    let newest = format!(
        "SELECT search_threads.rowid AS id FROM search_threads \
           JOIN questions q INDEXED BY questions_visible_search ON q.id = search_threads.rowid \
           JOIN categories c ON c.id = q.category_id \
          WHERE search_threads MATCH ?{filters} \
          ORDER BY search_threads.rowid DESC LIMIT ?"
    );
    let query = diesel::sql_query(newest)
        .into_boxed::<diesel::sqlite::Sqlite>()
        .bind::<Text, _>(q.sqlite_match.clone());
    let ids: Vec<IdRow> = bind_sqlite_filters(query, q)
        .bind::<BigInt, _>(q.ranked.max(1) + 1)
        .load(c)?;
    let more = ids.len() as i64 > q.ranked.max(1);
    let kept = &ids[..ids.len().min(q.ranked.max(1) as usize)];
    let (Some(newest), Some(oldest)) = (kept.first(), kept.last()) else {
        return Ok(Found::default());
    };
    // One document per question, weighted as PostgreSQL's A, B, C.
    let rank = format!(
        "WITH hits AS ( \
           SELECT rowid AS qid, bm25(search_threads, 10.0, 2.0, 1.0) AS rank \
             FROM search_threads WHERE search_threads MATCH ? AND rowid BETWEEN ? AND ?) \
         SELECT hits.qid AS id, '' AS snippet \
           FROM hits JOIN questions q INDEXED BY questions_visible_search ON q.id = hits.qid \
           JOIN categories c ON c.id = q.category_id \
          WHERE 1 = 1{filters} \
          ORDER BY hits.rank, q.id DESC LIMIT ? OFFSET ?"
    );
    let query = diesel::sql_query(rank)
        .into_boxed::<diesel::sqlite::Sqlite>()
        .bind::<Text, _>(q.sqlite_match.clone())
        .bind::<BigInt, _>(oldest.id)
        .bind::<BigInt, _>(newest.id);
    let mut page: Vec<HitRow> = bind_sqlite_filters(query, q)
        .bind::<BigInt, _>(q.limit)
        .bind::<BigInt, _>(q.offset)
        .load(c)?;
    sqlite_snippets(c, &q.sqlite_match, &mut page)?;
    Ok(Found {
        hits: page.into_iter().map(|r| (r.id, r.snippet)).collect(),
        total: kept.len() as i64,
        more,
    })
}

/// Fills the snippets of a page of hits from their search documents (FTS5 picks the column with
/// the best match: the title, the body or the answers). `+rowid` keeps SQLite from handing the
/// ids to FTS5, which would run the whole match once per id (2–6 ms a page); one pass over the
/// matches that makes snippets for the page's rows only costs 0.5–1 ms.
fn sqlite_snippets(c: &mut diesel::sqlite::SqliteConnection, matcher: &str, page: &mut [HitRow]) -> QueryResult<()> {
    let (Some(low), Some(high)) = (page.iter().map(|h| h.id).min(), page.iter().map(|h| h.id).max()) else {
        return Ok(());
    };
    let marks = vec!["?"; page.len()].join(", ");
    // The rowid range is handed to FTS5 (it skips to it); the list is checked row by row.
    let sql = format!(
        "SELECT rowid AS id, snippet(search_threads, -1, '{HIT_START}', '{HIT_END}', '…', 24) AS snippet \
           FROM search_threads WHERE search_threads MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})"
    );
    let mut query = diesel::sql_query(sql)
        .into_boxed::<diesel::sqlite::Sqlite>()
        .bind::<Text, _>(matcher.to_owned())
        .bind::<BigInt, _>(low)
        .bind::<BigInt, _>(high);
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

/// The newest matches come from a window of the newest question ids, widened until it holds
/// more than `ranked` matches or spans every question. PostgreSQL's GIN index cannot return
/// matches newest first, so each match's row is visited (visibility, id order): over the whole
/// table that is every match (300,000 rows for a common word in a million questions), while a
/// window of the newest ids, intersected with the match in the index, visits only what it holds.
/// A common word fills the first window; a rare one has few matches to visit in any window.
fn pg_search(c: &mut diesel::pg::PgConnection, q: &FullText) -> QueryResult<Found> {
    use crate::db::schema::questions;
    use diesel::dsl::max;
    let Some(top) = questions::table.select(max(questions::id)).first::<Option<i64>>(c)? else {
        return Ok(Found::default());
    };
    let ranked = q.ranked.max(1);
    let mut span = PG_FIRST_WINDOW * ranked;
    loop {
        let floor = top.saturating_sub(span).max(0);
        let found = pg_search_above(c, q, ranked, floor)?;
        if found.more || floor == 0 {
            return Ok(found);
        }
        span = span.saturating_mul(PG_WIDEN);
    }
}

/// The first window holds this many times `ranked` ids: the whole table up to 50,000 questions,
/// so that a community of that size pays one statement (a narrower first window measured half
/// the throughput at 10,000 questions, most searches paying for two statements and two plans).
const PG_FIRST_WINDOW: i64 = 50;
/// Each next window is this many times wider.
const PG_WIDEN: i64 = 8;

/// One statement over questions with ids above `floor`: the newest visible matches (kept once,
/// as they are read twice), counted, the newest `ranked` of them ranked and paged, and
/// headlines for the page's rows only.
fn pg_search_above(c: &mut diesel::pg::PgConnection, q: &FullText, ranked: i64, floor: i64) -> QueryResult<Found> {
    let mut filters = String::from(status_filter(&q.status));
    let mut n = 2;
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
    let (newest, window, limit, offset) = (next(), next(), next(), next());
    // Vectors are read only for the ranked rows (they are mostly stored out of line). The
    // snippet comes from the question when its own words (weights A and B) match, else from the
    // answers.
    let sql = format!(
        "WITH query AS (SELECT to_tsquery('english', $1) AS tsq), \
         matched AS MATERIALIZED ( \
           SELECT q.id FROM questions q CROSS JOIN query JOIN categories c ON c.id = q.category_id \
            WHERE q.search_vector @@ query.tsq AND q.id > $2 \
              AND q.published_at IS NOT NULL AND q.deleted_at IS NULL AND {PUBLIC_CATEGORY_SQL}{filters} \
            ORDER BY q.id DESC LIMIT {newest}), \
         counted AS (SELECT count(*) AS n FROM matched), \
         page AS ( \
           SELECT q.id AS qid, ts_rank(q.search_vector, query.tsq) AS rank \
             FROM (SELECT id FROM matched ORDER BY id DESC LIMIT {window}) r \
             JOIN questions q ON q.id = r.id CROSS JOIN query \
            ORDER BY rank DESC, q.id DESC LIMIT {limit} OFFSET {offset}) \
         SELECT page.qid AS id, counted.n AS total, \
                ts_headline('english', \
                  CASE WHEN ts_filter(q.search_vector, '{{a,b}}') @@ query.tsq THEN q.title || ' — ' || q.body_text \
                  ELSE coalesce((SELECT string_agg(a.body_text, E'\\n' ORDER BY a.id) FROM answers a \
                                  WHERE a.question_id = q.id AND a.deleted_at IS NULL \
                                    AND a.published_at IS NOT NULL), q.body_text) END, \
                  query.tsq, 'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=35, MinWords=15') AS snippet \
           FROM counted CROSS JOIN query LEFT JOIN page ON TRUE LEFT JOIN questions q ON q.id = page.qid \
          ORDER BY page.rank DESC, page.qid DESC"
    );
    let mut query = diesel::sql_query(sql)
        .into_boxed::<diesel::pg::Pg>()
        .bind::<Text, _>(q.pg_tsquery.clone())
        .bind::<BigInt, _>(floor);
    if let Some(cat) = q.category {
        query = query.bind::<BigInt, _>(cat);
    }
    if let Some(tag) = q.tag {
        query = query.bind::<BigInt, _>(tag);
    }
    // Always one row at least (the count), so that a page past the end still says how many.
    let rows: Vec<PgHitRow> = query
        .bind::<BigInt, _>(ranked + 1)
        .bind::<BigInt, _>(ranked)
        .bind::<BigInt, _>(q.limit)
        .bind::<BigInt, _>(q.offset)
        .load(c)?;
    let matched = rows.first().map(|r| r.total).unwrap_or(0);
    Ok(Found {
        hits: rows
            .into_iter()
            .filter_map(|r| Some((r.id?, r.snippet.unwrap_or_default())))
            .collect(),
        total: matched.min(ranked),
        more: matched > ranked,
    })
}

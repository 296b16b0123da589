//! Search: any text a person types becomes a safe full-text query (words only, so quotes,
//! operators, `*`, `NEAR` and parentheses are just text), run by the backend's search function,
//! with highlighted snippets made safe for HTML.

use crate::db::full_text::{full_text_search, FullText, HIT_END, HIT_START};
use crate::db::ids::QuestionId;
use crate::db::DbConn;
use crate::domain::qa::categories;
use crate::error::{AppError, AppResult};
use crate::markdown::{self, SafeHtml};
use crate::models::tag;
use crate::queries::listing::{by_ids, Summary, MAX_PAGE, MAX_PER_PAGE};

/// At most this many words of a query are used.
pub const MAX_WORDS: usize = 16;
/// Longest word kept.
const MAX_WORD_LEN: usize = 40;
/// A search ranks the newest this many matching questions (`db::full_text` says why); more
/// matches than that are reported, so the page can ask for more words.
pub const MAX_RANKED: i64 = 1000;
/// The similar-questions hint's window (see `similar`).
const SIMILAR_RANKED: i64 = 20 * MAX_RANKED;

/// All words must match (search), or any may (similar questions, ranked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    All,
    Any,
}

/// The words of a query: letters and digits only, lowercased.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(MAX_WORD_LEN).collect::<String>().to_lowercase())
        .take(MAX_WORDS)
        .collect()
}

/// The FTS5 `MATCH` text: each word quoted (so it is never an operator).
pub fn sqlite_match(words: &[String], mode: Mode) -> String {
    let joiner = if mode == Mode::All { " " } else { " OR " };
    words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(joiner)
}

/// The `to_tsquery` text: words are alphanumeric, so none is tsquery syntax.
pub fn pg_tsquery(words: &[String], mode: Mode) -> String {
    let joiner = if mode == Mode::All { " & " } else { " | " };
    words.join(joiner)
}

/// What the search form asks for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    pub category: Option<i64>,
    pub tag: Option<i64>,
    pub status: String,
    pub page: i64,
    pub per_page: i64,
}

/// One result: the question's list row and a highlighted snippet (safe HTML).
#[derive(Debug, Clone)]
pub struct Hit {
    pub summary: Summary,
    pub snippet: SafeHtml,
    /// Matched every word of the query; `false` for the some-words matches that fill a page.
    pub every_word: bool,
}

/// A page of results.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Questions ranked: all that match, or `MAX_RANKED` when `more` is set.
    pub total: i64,
    /// More questions match than were ranked (the newest `MAX_RANKED` were).
    pub more: bool,
}

/// Runs a search; an empty list (not an error) when the text has no words.
pub fn search(conn: &mut DbConn, q: &SearchQuery, mode: Mode) -> AppResult<Results> {
    search_ranking(conn, q, mode, MAX_RANKED)
}

/// Words too common to find anything by: a some-words match on "how" or "the" alone is noise.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by",
    "can", "could", "did", "do", "does", "doing", "for", "from", "get", "gets", "got", "had", "has", "have", "having",
    "he", "her", "him", "his", "how", "i", "if", "im", "in", "into", "is", "it", "its", "just", "me", "my", "no",
    "not", "of", "on", "or", "our", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "to", "too", "up", "us", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "why", "will", "with", "would", "you", "your",
];

/// Search for people typing a question: every word first, and when that finds less than a page,
/// the page is filled with questions that have some of the words (not the stop words), ranked
/// below them. A paraphrase rarely repeats every word of the post it is after, and requiring all
/// of them found nothing for one paraphrase in five on a real community.
pub fn search_filled(conn: &mut DbConn, q: &SearchQuery) -> AppResult<Results> {
    let mut found = search(conn, q, Mode::All)?;
    let room = q.per_page - found.hits.len() as i64;
    let all = words(&q.text);
    let useful: Vec<String> = all
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    // Only the first page can be filled (later pages of every-word matches are full or empty);
    // one word is the same search either way.
    if q.page != 1 || found.more || room <= 0 || all.len() < 2 || useful.is_empty() {
        return Ok(found);
    }
    let some = SearchQuery {
        text: useful.join(" "),
        per_page: q.per_page + found.hits.len() as i64,
        ..q.clone()
    };
    let extra = search(conn, &some, Mode::Any)?;
    let shown: Vec<QuestionId> = found.hits.iter().map(|h| h.summary.id).collect();
    found.hits.extend(
        extra
            .hits
            .into_iter()
            .filter(|h| !shown.contains(&h.summary.id))
            .take(room as usize)
            .map(|h| Hit { every_word: false, ..h }),
    );
    Ok(found)
}

/// `search`, ranking the newest `ranked` matches.
pub fn search_ranking(conn: &mut DbConn, q: &SearchQuery, mode: Mode, ranked: i64) -> AppResult<Results> {
    let w = words(&q.text);
    if w.is_empty() {
        return Ok(Results::default());
    }
    let ft = FullText {
        sqlite_match: sqlite_match(&w, mode),
        pg_tsquery: pg_tsquery(&w, mode),
        category: q.category,
        tag: q.tag,
        status: q.status.clone(),
        limit: q.per_page,
        offset: (q.page - 1) * q.per_page,
        ranked,
    };
    let found = full_text_search(conn, &ft)?;
    let ids: Vec<QuestionId> = found.hits.iter().map(|(id, _)| QuestionId(*id)).collect();
    let mut summaries = by_ids(conn, &ids)?;
    let hits = found
        .hits
        .into_iter()
        .filter_map(|(id, snippet)| {
            let pos = summaries.iter().position(|s| s.id.0 == id)?;
            Some(Hit {
                summary: summaries.remove(pos),
                snippet: markdown::highlight(&snippet, HIT_START, HIT_END),
                every_word: mode == Mode::All,
            })
        })
        .collect();
    Ok(Results {
        hits,
        total: found.total,
        more: found.more,
    })
}

/// The statuses a search may be narrowed to (`""` is any).
pub const STATUSES: [&str; 4] = ["", "unanswered", "unresolved", "resolved"];

/// Checks a search's status and page (a clear error rather than a silently different result).
pub fn check(q: &SearchQuery) -> AppResult<()> {
    if !STATUSES.contains(&q.status.as_str()) {
        return Err(AppError::BadRequest(
            "status must be unanswered, unresolved or resolved.".into(),
        ));
    }
    if !(1..=MAX_PAGE).contains(&q.page) {
        return Err(AppError::BadRequest(format!("The page must be from 1 to {MAX_PAGE}.")));
    }
    if !(1..=MAX_PER_PAGE).contains(&q.per_page) {
        return Err(AppError::BadRequest(format!(
            "The page size must be from 1 to {MAX_PER_PAGE}."
        )));
    }
    Ok(())
}

/// Runs a search narrowed to a category (by slug) and a tag (by name), either of which may be
/// empty. An unknown or private category, or an unknown tag, matches nothing.
pub fn search_in(conn: &mut DbConn, mut q: SearchQuery, category_slug: &str, tag_name: &str) -> AppResult<Results> {
    check(&q)?;
    let (category_slug, tag_name) = (category_slug.trim(), tag_name.trim().to_lowercase());
    if !category_slug.is_empty() {
        let found = categories::find_open(conn, None, category_slug)?;
        q.category = Some(found.map(|c| c.id.0).unwrap_or(-1));
    }
    if !tag_name.is_empty() {
        q.tag = Some(tag::find_by_name(conn, &tag_name)?.map(|t| t.id.0).unwrap_or(-1));
    }
    search_filled(conn, &q)
}

/// Up to `limit` questions like `title`, best first (for the ask page).
pub fn similar(conn: &mut DbConn, title: &str, limit: i64) -> AppResult<Vec<Summary>> {
    let q = SearchQuery {
        text: title.to_owned(),
        page: 1,
        per_page: limit,
        ..Default::default()
    };
    // Any word matches, so common title words match most questions; an older duplicate matters
    // more here than speed (one person typing, not a crowd), hence the wider window.
    let found = search_ranking(conn, &q, Mode::Any, SIMILAR_RANKED)?;
    Ok(found.hits.into_iter().map(|h| h.summary).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_become_plain_words() {
        let w = words("\"reset\" NEAR(router* OR (pass)) -x ^y:z 'quote");
        assert_eq!(w, vec!["reset", "near", "router", "or", "pass", "x", "y", "z", "quote"]);
        assert_eq!(sqlite_match(&w[..2], Mode::All), "\"reset\" \"near\"");
        assert_eq!(pg_tsquery(&w[..2], Mode::Any), "reset | near");
        assert!(words("((((").is_empty());
        assert_eq!(words(&"a ".repeat(5000)).len(), MAX_WORDS);
    }
}

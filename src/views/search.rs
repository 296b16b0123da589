//! `/search`: the results page and its filter form.

use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::admin::Pager;
use super::questions::{Choice, QuestionRow};
use super::PageContext;
use crate::domain::qa::search::{Hit, Results, MAX_RANKED};
use crate::markdown::SafeHtml;
use crate::models::category::Category;

/// `?q=&category=&tag=&status=&page=`.
#[derive(Deserialize)]
pub struct SearchTerms {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub status: String,
    pub page: Option<i64>,
}

/// One search result.
pub struct SearchRow {
    pub row: QuestionRow,
    pub snippet: SafeHtml,
}

/// `/search?q=`.
#[derive(Template)]
#[template(path = "questions/search.html")]
pub struct SearchPage {
    pub page: PageContext,
    pub q: String,
    /// Questions with every word.
    pub results: Vec<SearchRow>,
    /// Questions with some of the words, filling a first page that every-word matches leave short.
    pub some_words: Vec<SearchRow>,
    pub total: i64,
    /// More questions matched than the newest `ranked`, which were ranked.
    pub more: bool,
    pub ranked: i64,
    pub searched: bool,
    pub categories: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub tag: String,
    pub pager: Pager,
}

const STATUSES: [(&str, &str); 4] = [
    ("", "any"),
    ("unanswered", "unanswered"),
    ("unresolved", "unresolved"),
    ("resolved", "resolved"),
];

impl SearchPage {
    /// The page of `found` for the terms `t` (`per_page` results a page).
    pub fn new(
        page: PageContext,
        t: SearchTerms,
        found: Results,
        categories: Vec<Category>,
        per_page: i64,
        now: NaiveDateTime,
    ) -> Self {
        let base = format!(
            "/search?{}&",
            serde_urlencoded::to_string([
                ("q", t.q.as_str()),
                ("category", t.category.as_str()),
                ("tag", t.tag.as_str()),
                ("status", t.status.as_str())
            ])
            .unwrap_or_default()
        );
        let choice = |value: String, label: String, selected: bool| Choice { value, label, selected };
        let (every, some): (Vec<_>, Vec<_>) = found.hits.into_iter().partition(|h| h.every_word);
        let rows = |hits: Vec<Hit>| -> Vec<SearchRow> {
            hits.into_iter()
                .map(|h| SearchRow {
                    row: QuestionRow::from_summary(h.summary, now),
                    snippet: h.snippet,
                })
                .collect()
        };
        SearchPage {
            page,
            searched: !t.q.trim().is_empty(),
            results: rows(every),
            some_words: rows(some),
            total: found.total,
            more: found.more,
            ranked: MAX_RANKED,
            categories: categories
                .into_iter()
                .map(|c| {
                    let selected = c.slug == t.category;
                    choice(c.slug, c.name, selected)
                })
                .collect(),
            statuses: STATUSES
                .into_iter()
                .map(|(v, l)| choice(v.into(), l.into(), v == t.status))
                .collect(),
            pager: Pager::new(&base, t.page.unwrap_or(1), per_page, found.total),
            q: t.q,
            tag: t.tag,
        }
    }
}

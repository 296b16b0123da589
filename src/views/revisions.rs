//! `/questions/{id}/revisions` and `/answers/{id}/revisions`: a post's revisions, newest first,
//! each with what changed since the one before.

use std::collections::HashMap;

use askama::Template;
use chrono::NaiveDateTime;

use super::questions::{ago, question_url};
use super::PageContext;
use crate::db::ids::UserId;
use crate::models::question::Question;
use crate::models::revision::Revision;
use crate::queries::thread::Author;

/// One line of a diff: `ins`, `del` or `same`.
pub struct DiffLine {
    pub kind: &'static str,
    pub text: String,
}

/// One revision with what changed since the one before.
pub struct RevisionView {
    pub number: usize,
    pub editor: String,
    pub when: String,
    pub summary: String,
    pub title_change: Option<(String, String)>,
    pub tags_change: Option<(String, String)>,
    pub lines: Vec<DiffLine>,
}

/// `/questions/{id}/revisions` and `/answers/{id}/revisions`.
#[derive(Template)]
#[template(path = "questions/revisions.html")]
pub struct RevisionsPage {
    pub page: PageContext,
    pub heading: String,
    pub back: String,
    pub revisions: Vec<RevisionView>,
}

fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|ch| DiffLine {
            kind: match ch.tag() {
                similar::ChangeTag::Insert => "ins",
                similar::ChangeTag::Delete => "del",
                similar::ChangeTag::Equal => "same",
            },
            text: ch.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

impl RevisionsPage {
    /// The history of a `kind` (`question` or `answer`) post in the thread of `q`, its revisions
    /// oldest first as stored.
    pub fn new(
        page: PageContext,
        kind: &str,
        q: &Question,
        revisions: &[Revision],
        names: &HashMap<UserId, Author>,
        now: NaiveDateTime,
    ) -> Self {
        let mut shown = Vec::new();
        let mut prev: Option<&Revision> = None;
        for (i, r) in revisions.iter().enumerate() {
            // The first revision is the post as written: no title or tag change to show.
            let changed = |a: Option<&Option<String>>, b: &Option<String>| match a {
                Some(a) if a != b => Some((a.clone().unwrap_or_default(), b.clone().unwrap_or_default())),
                _ => None,
            };
            shown.push(RevisionView {
                number: i + 1,
                editor: names
                    .get(&r.editor_id)
                    .map(|a| a.name.clone())
                    .unwrap_or_else(|| "deleted user".into()),
                when: ago(r.created_at, now),
                summary: r.summary.clone(),
                title_change: changed(prev.map(|p| &p.title), &r.title),
                tags_change: changed(prev.map(|p| &p.tags), &r.tags),
                lines: diff_lines(prev.map(|p| p.body.as_str()).unwrap_or(""), &r.body),
            });
            prev = Some(r);
        }
        shown.reverse();
        let heading = if kind == "question" {
            format!("History of “{}”", q.title)
        } else {
            format!("History of an answer to “{}”", q.title)
        };
        RevisionsPage {
            page,
            heading,
            back: question_url(q.id.0, &q.title),
            revisions: shown,
        }
    }
}

//! The `*_html` columns beside every Markdown source (question and answer bodies, comments, bios,
//! tag and category descriptions), read and rewritten in id order when the renderer changes.

use diesel::prelude::*;

use crate::db::schema::{answers, categories, comments, questions, tags, users};
use crate::db::DbConn;

/// A table that keeps Markdown and its rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Questions,
    Answers,
    Comments,
    Bios,
    TagDescriptions,
    CategoryDescriptions,
}

impl Source {
    pub const ALL: [Source; 6] = [
        Source::Questions,
        Source::Answers,
        Source::Comments,
        Source::Bios,
        Source::TagDescriptions,
        Source::CategoryDescriptions,
    ];

    /// Comments render the inline subset; everything else full Markdown.
    pub fn is_inline(self) -> bool {
        self == Source::Comments
    }

    /// Questions and answers keep their plain text too (search indexes it).
    pub fn keeps_text(self) -> bool {
        matches!(self, Source::Questions | Source::Answers)
    }
}

/// Up to `limit` (id, Markdown) pairs with ids above `after`, in id order.
pub fn sources_after(conn: &mut DbConn, source: Source, after: i64, limit: i64) -> QueryResult<Vec<(i64, String)>> {
    match source {
        Source::Questions => questions::table
            .select((questions::id, questions::body))
            .filter(questions::id.gt(after))
            .order(questions::id)
            .limit(limit)
            .load(conn),
        Source::Answers => answers::table
            .select((answers::id, answers::body))
            .filter(answers::id.gt(after))
            .order(answers::id)
            .limit(limit)
            .load(conn),
        Source::Comments => comments::table
            .select((comments::id, comments::body))
            .filter(comments::id.gt(after))
            .order(comments::id)
            .limit(limit)
            .load(conn),
        Source::Bios => users::table
            .select((users::id, users::bio))
            .filter(users::id.gt(after))
            .order(users::id)
            .limit(limit)
            .load(conn),
        Source::TagDescriptions => tags::table
            .select((tags::id, tags::description))
            .filter(tags::id.gt(after))
            .order(tags::id)
            .limit(limit)
            .load(conn),
        Source::CategoryDescriptions => categories::table
            .select((categories::id, categories::description))
            .filter(categories::id.gt(after))
            .order(categories::id)
            .limit(limit)
            .load(conn),
    }
}

/// Replaces one row's stored HTML, and for questions and answers the plain text search indexes.
pub fn set_rendering(conn: &mut DbConn, source: Source, id: i64, html: &str, text: &str) -> QueryResult<usize> {
    match source {
        Source::Questions => diesel::update(questions::table.find(id))
            .set((questions::body_html.eq(html), questions::body_text.eq(text)))
            .execute(conn),
        Source::Answers => diesel::update(answers::table.find(id))
            .set((answers::body_html.eq(html), answers::body_text.eq(text)))
            .execute(conn),
        Source::Comments => diesel::update(comments::table.find(id))
            .set(comments::body_html.eq(html))
            .execute(conn),
        Source::Bios => diesel::update(users::table.find(id))
            .set(users::bio_html.eq(html))
            .execute(conn),
        Source::TagDescriptions => diesel::update(tags::table.find(id))
            .set(tags::description_html.eq(html))
            .execute(conn),
        Source::CategoryDescriptions => diesel::update(categories::table.find(id))
            .set(categories::description_html.eq(html))
            .execute(conn),
    }
}

//! Stored HTML follows the renderer. Each `*_html` column is made from its Markdown on write, so
//! when `markdown` changes what it makes (heading levels, bare links, raw tags), every stored
//! rendering (and the plain text search indexes) is made again, once, when the forum starts on
//! the new version; the version it was made with is kept in a setting.

use chrono::NaiveDateTime;

use crate::db::backend::write_transaction;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::markdown;
use crate::models::setting;
use crate::models::stored_html::{self, Source};

/// Bumped whenever `markdown::render` or `render_inline` would make different HTML from the same
/// source, or `plain_text` different text. 2: headings one level down, bare URLs as links, only
/// an unknown tag shown as text. 3: the plain text of questions and answers, for search.
pub const RENDERER_VERSION: &str = "3";
/// The setting holding the version stored HTML was made with.
pub const RENDERER_KEY: &str = "markdown.renderer";
/// Rows re-rendered per transaction: short transactions, so a large forum's other writers wait
/// for one batch, never for the whole pass.
const BATCH: i64 = 500;

/// Re-renders every stored rendering unless it was made by this version; how many rows it
/// re-rendered, or `None` when they were current.
pub fn rerender_if_stale(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Option<usize>> {
    if setting::load_all(conn)?.get(RENDERER_KEY).map(String::as_str) == Some(RENDERER_VERSION) {
        return Ok(None);
    }
    let mut done = 0;
    for source in Source::ALL {
        let mut after = 0;
        loop {
            let rows = stored_html::sources_after(conn, source, after, BATCH)?;
            let Some((last, _)) = rows.last() else {
                break;
            };
            after = *last;
            write_transaction(conn, |c| {
                for (id, md) in &rows {
                    let html = if source.is_inline() {
                        markdown::render_inline(md)
                    } else {
                        markdown::render(md)
                    };
                    let text = if source.keeps_text() {
                        markdown::plain_text(md)
                    } else {
                        String::new()
                    };
                    stored_html::set_rendering(c, source, *id, html.as_str(), &text)?;
                }
                Ok::<_, AppError>(())
            })?;
            done += rows.len();
        }
    }
    write_transaction(conn, |c| setting::put(c, RENDERER_KEY, RENDERER_VERSION, now))?;
    Ok(Some(done))
}

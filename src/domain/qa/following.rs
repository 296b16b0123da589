//! Following a question (the asker, answerers and commenters follow automatically): any visible
//! question may be followed, locked and closed ones too.

use chrono::NaiveDateTime;

use crate::db::ids::QuestionId;
use crate::db::DbConn;
use crate::domain::access::visibility::Viewer;
use crate::domain::qa::posting::visible_question;
use crate::error::AppResult;
use crate::models::follow;

/// Starts (`on`) or stops following `question`.
pub fn set(conn: &mut DbConn, viewer: &Viewer, question: QuestionId, on: bool, now: NaiveDateTime) -> AppResult<()> {
    visible_question(conn, Some(viewer), question)?;
    let user = viewer.id;
    if on {
        follow::add(conn, user, question, now)?;
    } else {
        follow::remove(conn, user, question)?;
    }
    Ok(())
}

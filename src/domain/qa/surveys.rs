//! The post-resolution survey (DESIGN §7): once the asker's question has an accepted answer, the
//! asker is asked whether it resolved their issue and how likely they are to recommend the site
//! (0–10), with an optional comment. One response per question, changeable for 7 days.

use chrono::{Duration, NaiveDateTime};

use crate::db::backend::write_transaction;
use crate::db::ids::{QuestionId, UserId};
use crate::db::DbConn;
use crate::domain::access::visibility::Viewer;
use crate::domain::fields::clean_text;
use crate::domain::qa::posting::visible_question;
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::models::{question, survey};

/// How long a response may be changed after it was first given.
pub const CHANGEABLE: Duration = Duration::days(7);
/// Longest comment.
pub const COMMENT_MAX: usize = 1000;

pub use crate::models::survey::Response;

impl Response {
    /// Whether it may still be changed at `now`.
    pub fn changeable(&self, now: NaiveDateTime) -> bool {
        now < self.created_at + CHANGEABLE
    }
}

/// The response on a question, if any.
pub fn find(conn: &mut DbConn, q: QuestionId) -> AppResult<Option<Response>> {
    Ok(survey::find(conn, q)?)
}

/// What the form sends.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// `yes` or `no`.
    pub resolved: String,
    /// 0 to 10.
    pub nps: String,
    pub comment: String,
}

/// Records or changes the asker's response.
pub fn submit(conn: &mut DbConn, user: UserId, q: QuestionId, a: &Answer, now: NaiveDateTime) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    let resolved = match a.resolved.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add("resolved", "Say whether this resolved your issue.");
            None
        }
    };
    let nps = a.nps.trim().parse::<i32>().ok().filter(|n| (0..=10).contains(n));
    if nps.is_none() {
        errors.add("nps", "Choose a number from 0 to 10.");
    }
    let comment = clean_text(&a.comment).trim().to_owned();
    if comment.chars().count() > COMMENT_MAX {
        errors.add(
            "comment",
            format!("The comment may be at most {COMMENT_MAX} characters."),
        );
    }
    let (Ok(()), Some(resolved), Some(nps)) = (errors.clone().into_result(), resolved, nps) else {
        return Err(AppError::Invalid(errors));
    };
    write_transaction(conn, |conn| {
        question::lock(conn, q)?;
        // Only the asker answers, and only while the question is there to be seen (not deleted).
        let asker = Viewer {
            id: user,
            moderator: false,
        };
        let question = visible_question(conn, Some(&asker), q)?;
        if question.author_id != user || !question.is_visible() {
            return Err(AppError::NotFound);
        }
        if question.accepted_answer_id.is_none() {
            return Err(AppError::BadRequest(
                "The survey opens once an answer is accepted.".into(),
            ));
        }
        let given = survey::Given {
            resolved,
            nps,
            comment: &comment,
        };
        match find(conn, q)? {
            Some(existing) if !existing.changeable(now) => Err(AppError::BadRequest(
                "Responses can be changed for 7 days; this one is final.".into(),
            )),
            Some(_) => {
                survey::update(conn, q, &given, now)?;
                Ok(())
            }
            None => {
                survey::insert(conn, q, user, &given, now)?;
                Ok(())
            }
        }
    })
}

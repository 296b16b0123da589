//! Editing questions and answers: own posts, or others' with `edit_others`; never a locked or
//! deleted thread. Every edit keeps a revision; edits of others' posts are audited.

use chrono::NaiveDateTime;

use crate::db::backend::write_transaction;
use crate::db::ids::{AnswerId, QuestionId, UserId};
use crate::db::DbConn;
use crate::domain::access::abilities::{PostFacts, Poster, ThreadAbilities};
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::visibility::Viewer;
use crate::domain::fields::clean_text;
use crate::domain::qa::posting::{check_question, visible_question, AskInput, BODY_LEN};
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::markdown;
use crate::models::answer::Answer;
use crate::models::question::{self, Question, QuestionEdit};
use crate::models::revision::{self, NewRevision, Revision};
use crate::models::{answer, tag};

/// Longest edit summary.
pub const SUMMARY_LEN: usize = 200;

fn check_summary(summary: &str) -> Result<String, FieldErrors> {
    let s = clean_text(summary).trim().to_owned();
    if s.chars().count() > SUMMARY_LEN {
        return Err(FieldErrors::one(
            "summary",
            format!("Keep the summary under {SUMMARY_LEN} characters."),
        ));
    }
    Ok(s)
}

fn audit_other(
    conn: &mut DbConn,
    poster: &Poster,
    author: UserId,
    action: &str,
    target: Target<'_>,
    ip: Option<String>,
) -> AppResult<()> {
    if poster.id != author {
        audit::record(conn, &Actor::member(poster.id, ip), action, target, None, None)?;
    }
    Ok(())
}

/// Edits a question's title, body, category and tags.
pub fn edit_question(
    conn: &mut DbConn,
    poster: &Poster,
    id: QuestionId,
    input: &AskInput,
    summary: &str,
    ip: Option<String>,
    now: NaiveDateTime,
) -> AppResult<()> {
    let summary = check_summary(summary)?;
    write_transaction(conn, |conn| {
        question::lock(conn, id)?;
        let q = visible_question(conn, Some(&Viewer::of(poster)), id)?;
        let can = ThreadAbilities::of(Some(poster), &q);
        can.edit(&can.question())?;
        let v = check_question(conn, &Viewer::of(poster), input)?;
        let html = markdown::render(&v.body);
        let text = markdown::plain_text(&v.body);
        question::edit(
            conn,
            id,
            &QuestionEdit {
                title: &v.title,
                body: &v.body,
                body_html: html.as_str(),
                body_text: &text,
                category_id: v.category,
                updated_at: now,
            },
        )?;
        let ids = tag::ensure(conn, &v.tags, now)?;
        tag::set_for_question(conn, id, &ids)?;
        let tags = v.tags.join(" ");
        let summary = if summary.is_empty() { "edited" } else { summary.as_str() };
        revision::insert(
            conn,
            &NewRevision {
                post_kind: "question",
                post_id: id.0,
                editor_id: poster.id,
                title: Some(&v.title),
                body: &v.body,
                tags: Some(&tags),
                summary,
                created_at: now,
            },
        )?;
        audit_other(
            conn,
            poster,
            q.author_id,
            "question.edit",
            Target::numbered("question", id.0),
            ip,
        )?;
        Ok(())
    })
}

/// Edits an answer's body.
pub fn edit_answer(
    conn: &mut DbConn,
    poster: &Poster,
    id: AnswerId,
    body: &str,
    summary: &str,
    ip: Option<String>,
    now: NaiveDateTime,
) -> AppResult<QuestionId> {
    let summary = check_summary(summary)?;
    let body = clean_text(body);
    let body = body.trim();
    let n = body.chars().count();
    if n < BODY_LEN.0 || n > BODY_LEN.1 {
        return Err(AppError::Invalid(FieldErrors::one(
            "body",
            format!(
                "The answer must be {} to {} characters (it is {n}).",
                BODY_LEN.0, BODY_LEN.1
            ),
        )));
    }
    write_transaction(conn, |conn| {
        let a = answer::find(conn, id)?;
        question::lock(conn, a.question_id)?;
        let q = visible_question(conn, Some(&Viewer::of(poster)), a.question_id)?;
        if !a.is_visible() {
            return Err(AppError::NotFound);
        }
        ThreadAbilities::of(Some(poster), &q).edit(&PostFacts::of_answer(&a))?;
        let html = markdown::render(body);
        answer::edit(conn, id, [body, html.as_str(), &markdown::plain_text(body)], now)?;
        let summary = if summary.is_empty() { "edited" } else { summary.as_str() };
        revision::insert(
            conn,
            &NewRevision {
                post_kind: "answer",
                post_id: id.0,
                editor_id: poster.id,
                title: None,
                body,
                tags: None,
                summary,
                created_at: now,
            },
        )?;
        audit_other(
            conn,
            poster,
            a.author_id,
            "answer.edit",
            Target::numbered("answer", id.0),
            ip,
        )?;
        Ok(a.question_id)
    })
}

/// A visible answer and its (visible) question, for the edit form; whether the viewer may edit
/// it is `ThreadAbilities::edit`.
pub fn answer_to_edit(conn: &mut DbConn, viewer: &Viewer, id: AnswerId) -> AppResult<(Answer, Question)> {
    let a = answer::find(conn, id)?;
    if !a.is_visible() {
        return Err(AppError::NotFound);
    }
    let q = visible_question(conn, Some(viewer), a.question_id)?;
    Ok((a, q))
}

/// The revisions of a visible post, oldest first, with the question it belongs to.
pub fn history(conn: &mut DbConn, kind: &str, id: i64) -> AppResult<(QuestionId, Vec<Revision>)> {
    let question_id = match kind {
        "question" => QuestionId(id),
        _ => {
            let a = answer::find(conn, AnswerId(id))?;
            if !a.is_visible() {
                return Err(AppError::NotFound);
            }
            a.question_id
        }
    };
    // A public page (and cached as one): the thread as a visitor sees it.
    visible_question(conn, None, question_id)?;
    let revisions = revision::for_post(conn, kind, id)?;
    Ok((question_id, revisions))
}

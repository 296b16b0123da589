//! Changing a thread's state: soft delete and undelete (authors and moderators), close as duplicate
//! or off-topic and reopen (`close`), lock and unlock (`moderate`), and the staff acknowledgement
//! status (`post_official`). Moderator actions are audited with before and after.

use chrono::NaiveDateTime;
use serde_json::{json, Value};

use crate::db::backend::write_transaction;
use crate::db::ids::{AnswerId, QuestionId};
use crate::db::DbConn;
use crate::domain::access::abilities::{PostFacts, Poster, ThreadAbilities};
use crate::domain::access::audit::{self, Actor, Target};
use crate::domain::access::visibility::Viewer;
use crate::domain::qa::posting::{refresh_facts, visible_question};
use crate::domain::reputation::{self, Source};
use crate::error::{AppError, AppResult};
use crate::models::question::{self, Question, QuestionState};
use crate::models::{answer, tag};

/// Acknowledgement statuses (DESIGN §3).
pub const ACK_STATUSES: &[&str] = &["known_issue", "planned", "fixed", "wont_fix"];

/// A change to a question's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Delete,
    /// A moderator removes the question as spam or offensive: deleted, and its author loses
    /// reputation (DESIGN §4) until a moderator restores it.
    RemoveAsSpam,
    Undelete,
    CloseDuplicate(QuestionId),
    CloseOffTopic,
    Reopen,
    Lock,
    Unlock,
    /// `None` clears the acknowledgement.
    Acknowledge(Option<String>),
}

fn summary(s: &QuestionState) -> Value {
    json!({
        "deleted": s.deleted_at.is_some(),
        "closed": s.close_reason,
        "duplicate_of": s.duplicate_of_id.map(|d| d.0),
        "locked": s.locked_at.is_some(),
        "ack": s.ack_status,
    })
}

/// A question the poster sees (deleted ones too, for their author and moderators), locked for
/// the change.
fn find_for_change(conn: &mut DbConn, poster: &Poster, id: QuestionId) -> AppResult<Question> {
    question::lock(conn, id)?;
    visible_question(conn, Some(&Viewer::of(poster)), id)
}

/// Applies `change` to a question.
pub fn change_question(
    conn: &mut DbConn,
    poster: &Poster,
    id: QuestionId,
    change: Change,
    ip: Option<String>,
    now: NaiveDateTime,
) -> AppResult<()> {
    write_transaction(conn, |conn| {
        let q = find_for_change(conn, poster, id)?;
        let before = q.state();
        let mut s = before.clone();
        let mine = poster.id == q.author_id;
        let can = ThreadAbilities::of(Some(poster), &q);
        match &change {
            Change::Delete | Change::Undelete | Change::RemoveAsSpam => {
                match change {
                    Change::Delete => can.delete_question()?,
                    Change::Undelete => can.undelete_question()?,
                    _ => can.remove_question_as_spam()?,
                }
                (s.deleted_at, s.deleted_by) = if change == Change::Undelete {
                    (None, None)
                } else {
                    (Some(now), Some(poster.id))
                };
            }
            Change::CloseDuplicate(original) => {
                can.close()?;
                if *original == id {
                    return Err(AppError::BadRequest("A question cannot duplicate itself.".into()));
                }
                let o = question::find(conn, *original)
                    .map_err(|_| AppError::BadRequest("The original question does not exist.".into()))?;
                if !o.is_visible() {
                    return Err(AppError::BadRequest("The original question does not exist.".into()));
                }
                (s.closed_at, s.closed_by, s.close_reason, s.duplicate_of_id) =
                    (Some(now), Some(poster.id), Some("duplicate".into()), Some(*original));
            }
            Change::CloseOffTopic => {
                can.close()?;
                (s.closed_at, s.closed_by, s.close_reason, s.duplicate_of_id) =
                    (Some(now), Some(poster.id), Some("off_topic".into()), None);
            }
            Change::Reopen => {
                can.reopen()?;
                (s.closed_at, s.closed_by, s.close_reason, s.duplicate_of_id) = (None, None, None, None);
            }
            Change::Lock | Change::Unlock => {
                can.lock()?;
                (s.locked_at, s.locked_by) = if change == Change::Lock {
                    (Some(now), Some(poster.id))
                } else {
                    (None, None)
                };
            }
            Change::Acknowledge(status) => {
                can.acknowledge()?;
                if let Some(st) = status {
                    if !ACK_STATUSES.contains(&st.as_str()) {
                        return Err(AppError::BadRequest("Unknown acknowledgement status.".into()));
                    }
                }
                (s.ack_status, s.ack_at) = (status.clone(), status.as_ref().map(|_| now));
            }
        }
        question::set_state(conn, id, &s)?;
        if matches!(change, Change::Delete | Change::Undelete | Change::RemoveAsSpam) {
            let tags = tag::names_for(conn, &[id])?.remove(&id).unwrap_or_default();
            let ids = tag::ensure(conn, &tags, now)?;
            tag::refresh_counts(conn, &ids)?;
            question_reputation(conn, &q, &change, poster, now)?;
        }
        let action = match change {
            Change::Delete => "question.delete",
            Change::RemoveAsSpam => "question.remove_as_spam",
            Change::Undelete => "question.undelete",
            Change::CloseDuplicate(_) | Change::CloseOffTopic => "question.close",
            Change::Reopen => "question.reopen",
            Change::Lock => "question.lock",
            Change::Unlock => "question.unlock",
            Change::Acknowledge(_) => "question.acknowledge",
        };
        if !(mine && matches!(action, "question.delete" | "question.undelete")) {
            let actor = Actor::member(poster.id, ip.clone());
            audit::record(
                conn,
                &actor,
                action,
                Target::numbered("question", id.0),
                Some(summary(&before)),
                Some(summary(&s)),
            )?;
        }
        Ok(())
    })
}

/// The reputation side of deleting, removing as spam or restoring a question: the events of the
/// question and of its visible answers stop or start counting; a spam removal costs its author.
fn question_reputation(
    conn: &mut DbConn,
    q: &Question,
    change: &Change,
    poster: &Poster,
    now: NaiveDateTime,
) -> AppResult<()> {
    let mut sources = vec![Source {
        question: q.id,
        answer: None,
    }];
    sources.extend(
        answer::for_question(conn, q.id)?
            .into_iter()
            .filter(|a| a.is_visible())
            .map(|a| Source {
                question: q.id,
                answer: Some(a.id),
            }),
    );
    let visible = *change == Change::Undelete;
    reputation::post_visibility(conn, &sources, visible)?;
    match change {
        Change::RemoveAsSpam => reputation::removed_as_spam(conn, q.author_id, sources[0], poster.id, now),
        Change::Undelete => reputation::spam_removal_undone(conn, sources[0]),
        _ => Ok(()),
    }
}

/// What happens to an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerChange {
    Delete,
    /// Moderators only: deleted, and its author loses reputation until it is restored.
    RemoveAsSpam,
    Undelete,
}

/// Soft-deletes or restores an answer (its author or a moderator). Deleting the accepted answer
/// removes the mark, so the question counts as unresolved again.
pub fn set_answer_deleted(
    conn: &mut DbConn,
    poster: &Poster,
    id: AnswerId,
    change: AnswerChange,
    ip: Option<String>,
    now: NaiveDateTime,
) -> AppResult<QuestionId> {
    let delete = change != AnswerChange::Undelete;
    write_transaction(conn, |conn| {
        let a = answer::find(conn, id)?;
        let q = find_for_change(conn, poster, a.question_id)?;
        let can = ThreadAbilities::of(Some(poster), &q);
        let facts = PostFacts::of_answer(&a);
        match change {
            AnswerChange::Delete => can.delete_answer(&facts)?,
            AnswerChange::Undelete => can.undelete_answer(&facts)?,
            AnswerChange::RemoveAsSpam => can.remove_answer_as_spam(&facts)?,
        }
        let mine = poster.id == a.author_id;
        answer::set_deleted(conn, id, delete.then_some(now), delete.then_some(poster.id))?;
        let source = Source {
            question: q.id,
            answer: Some(id),
        };
        if delete && q.accepted_answer_id == Some(id) {
            question::set_accepted(conn, q.id, None, None, None)?;
            reputation::accept_removed(conn, source)?;
        }
        // (`refresh_facts` below recounts the thread, acceptance included.)
        reputation::post_visibility(conn, &[source], !delete)?;
        match change {
            AnswerChange::RemoveAsSpam => reputation::removed_as_spam(conn, a.author_id, source, poster.id, now)?,
            AnswerChange::Undelete => reputation::spam_removal_undone(conn, source)?,
            AnswerChange::Delete => {}
        }
        refresh_facts(conn, q.id)?;
        if !mine || change == AnswerChange::RemoveAsSpam {
            let action = match change {
                AnswerChange::Delete => "answer.delete",
                AnswerChange::RemoveAsSpam => "answer.remove_as_spam",
                AnswerChange::Undelete => "answer.undelete",
            };
            audit::record(
                conn,
                &Actor::member(poster.id, ip),
                action,
                Target::numbered("answer", id.0),
                None,
                None,
            )?;
        }
        Ok(q.id)
    })
}

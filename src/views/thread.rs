//! The question page's view model, drawn from the thread and from the viewer's
//! `ThreadAbilities`: every button shown here is one the matching POST allows.

use actix_web::HttpRequest;

use crate::db::{self, ids::UserId};
use crate::domain::access::abilities::{PostFacts, Poster, ThreadAbilities, VoteKind};
use crate::domain::access::privileges::Thresholds;
use crate::error::AppError;
use crate::error::FieldErrors;
use crate::markdown::SafeHtml;
use crate::models::comment::Comment;
use crate::queries::thread::{Author, Mine, Thread};
use crate::views::questions::{ago, question_url, AnswerView, CommentView, QuestionPage, VoteBox};
use crate::views::PageContext;

/// What the viewer typed into the answer box (kept when it is sent back with errors).
pub struct AnswerDraft {
    pub body: String,
    pub errors: FieldErrors,
}

fn comment_views(comments: Vec<(Comment, Author)>, now: chrono::NaiveDateTime) -> Vec<CommentView> {
    comments
        .into_iter()
        .map(|(c, a)| CommentView {
            html: SafeHtml::from_stored(c.body_html),
            author: a.username,
            author_name: a.name,
            staff: a.is_staff,
            when: ago(c.published_at.unwrap_or(c.created_at), now),
        })
        .collect()
}

/// Why a vote direction is locked for the viewer, or `None` when it is open to them (taking back
/// a vote already cast is always open).
fn locked_why(can: &ThreadAbilities, kind: VoteKind, cast: bool, what: &str, needed: i64) -> Option<String> {
    match can.vote_kind(kind) {
        Err(AppError::NeedsReputation(_)) if !cast => Some(format!("{what} needs {needed} reputation")),
        _ => None,
    }
}

fn vote_box(can: &ThreadAbilities, th: &Thresholds, url: String, score: i32, mine: i32, post: &PostFacts) -> VoteBox {
    VoteBox {
        url,
        score,
        mine,
        enabled: can.vote_on(post).is_ok(),
        up_locked: locked_why(can, VoteKind::Up, mine == 1, "Voting up", th.vote_up),
        down_locked: locked_why(can, VoteKind::Down, mine == -1, "Voting down", th.vote_down),
    }
}

fn close_words(reason: Option<&str>) -> String {
    match reason {
        Some("duplicate") => "duplicate of another question".to_string(),
        Some("off_topic") => "off-topic".to_string(),
        _ => "closed".to_string(),
    }
}

/// The question page for `viewer` (`None` for a visitor).
pub fn question_page(
    th: &Thresholds,
    req: &HttpRequest,
    viewer: Option<&Poster>,
    t: Thread,
    mine: Mine,
    draft: AnswerDraft,
) -> QuestionPage {
    let now = db::now();
    let q = t.question;
    let can = ThreadAbilities::of(viewer, &q);
    let question = can.question();
    let me: Option<UserId> = viewer.map(|v| v.id);
    let on_behalf = t.accepted_on_behalf_by.map(|a| (a.username, a.name));
    let answers = t
        .answers
        .into_iter()
        .map(|a| {
            let facts = PostFacts::of_answer(&a.answer);
            let deleted = facts.deleted;
            AnswerView {
                id: a.answer.id.0,
                html: SafeHtml::from_stored(a.answer.body_html),
                votes: vote_box(
                    &can,
                    th,
                    format!("/answers/{}/vote", a.answer.id),
                    a.answer.score,
                    mine.answer_votes.get(&a.answer.id.0).copied().unwrap_or(0),
                    &facts,
                ),
                official: a.answer.official,
                author: a.author.username,
                author_name: a.author.name,
                when: ago(a.answer.published_at.unwrap_or(a.answer.created_at), now),
                comments: comment_views(a.comments, now),
                deleted,
                can_edit: can.edit(&facts).is_ok(),
                can_delete: if deleted {
                    can.undelete_answer(&facts)
                } else {
                    can.delete_answer(&facts)
                }
                .is_ok(),
                can_remove_spam: can.remove_answer_as_spam(&facts).is_ok(),
                can_accept: if a.accepted { can.unaccept() } else { can.accept(&facts) }.is_ok(),
                can_comment: can.comment(&facts).is_ok(),
                accepted_by: on_behalf.clone().filter(|_| a.accepted),
                accepted: a.accepted,
            }
        })
        .collect();
    QuestionPage {
        survey: None,
        page: PageContext::new(req),
        id: q.id.0,
        url: question_url(q.id.0, &q.title),
        html: SafeHtml::from_stored(q.body_html),
        votes: vote_box(
            &can,
            th,
            format!("/questions/{}/vote", q.id),
            q.score,
            mine.question_vote,
            &question,
        ),
        views: t.views,
        resolved: q.accepted_answer_id.is_some(),
        following: me.map(|_| mine.following),
        closed: q.closed_at.map(|_| close_words(q.close_reason.as_deref())),
        locked: q.locked_at.is_some(),
        ack: q.ack_status.as_ref().map(|s| s.replace('_', " ")),
        author: t.author.username,
        author_name: t.author.name,
        author_staff: t.author.is_staff,
        asked: ago(q.published_at.unwrap_or(q.created_at), now),
        active: ago(q.last_activity_at, now),
        category_name: t.category.name,
        category_slug: t.category.slug,
        tags: t.tags,
        comments: comment_views(t.comments, now),
        answers,
        can_answer: can.answer().is_ok(),
        can_comment: can.comment(&question).is_ok(),
        answer_body: draft.body,
        errors: draft.errors,
        deleted: question.deleted,
        duplicate_url: q.duplicate_of_id.map(|d| format!("/questions/{d}")),
        can_edit: can.edit(&question).is_ok(),
        can_delete: if question.deleted {
            can.undelete_question()
        } else {
            can.delete_question()
        }
        .is_ok(),
        can_remove_spam: can.remove_question_as_spam().is_ok(),
        can_close: if q.closed_at.is_some() {
            can.reopen()
        } else {
            can.close()
        }
        .is_ok(),
        can_lock: can.lock().is_ok(),
        can_ack: can.acknowledge().is_ok(),
        ack_value: q.ack_status.clone().unwrap_or_default(),
        title: q.title,
    }
}

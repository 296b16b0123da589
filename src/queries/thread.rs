//! A question page's content: the question, its answers (accepted first, then score, then oldest)
//! and the comments on each, with their authors, loaded in a fixed number of queries.
//!
//! Every query here has fixed SQL (no `IN` list whose length varies), so that diesel keeps each
//! one prepared: the question page is the most visited page there is, and preparing a statement
//! cost as much as running it. Each runs on the backend's own connection (`on_each_backend!`):
//! through the multi-backend connection diesel writes out a query's SQL on every execution just
//! to find its prepared statement (callgrind: a third of a signed-in question page's
//! instructions went to building SQL text that was then thrown away).

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::{AnswerId, QuestionId, UserId};
use crate::db::schema::{
    answers, categories, comments, follows, question_tags, question_views, questions, tags, users, votes,
};
use crate::db::DbConn;
use crate::domain::access::permissions::Role;
use crate::domain::access::visibility::{self, Viewer};
use crate::error::{AppError, AppResult};
use crate::models::answer::Answer;
use crate::models::category::Category;
use crate::models::comment::Comment;
use crate::models::question::Question;

/// How an author is shown.
#[derive(Debug, Clone)]
pub struct Author {
    pub id: UserId,
    pub username: String,
    pub name: String,
    pub is_staff: bool,
}

/// An answer with its author and comments.
#[derive(Debug, Clone)]
pub struct AnswerInThread {
    pub answer: Answer,
    pub author: Author,
    pub accepted: bool,
    pub comments: Vec<(Comment, Author)>,
}

/// Everything the question page shows.
#[derive(Debug, Clone)]
pub struct Thread {
    pub question: Question,
    /// Views counted so far (`question_views`).
    pub views: i64,
    pub author: Author,
    pub category: Category,
    pub tags: Vec<String>,
    pub comments: Vec<(Comment, Author)>,
    pub answers: Vec<AnswerInThread>,
    /// Who accepted the accepted answer, when that was not the asker (staff on their behalf).
    pub accepted_on_behalf_by: Option<Author>,
}

/// Loads a question's thread. `NotFound` for missing, unpublished or private questions, and for
/// deleted ones unless the looker is their author or a moderator (who also see deleted answers).
pub fn load(conn: &mut DbConn, id: QuestionId, looker: Option<Viewer>) -> AppResult<Thread> {
    type Head = (Question, Category, Option<AuthorRow>, Option<i64>);
    let (q, category, asker, views): Head = on_each_backend!(conn, |c| questions::table
        .find(id)
        .inner_join(categories::table)
        .left_join(users::table)
        .left_join(question_views::table)
        .select((
            questions::all_columns,
            categories::all_columns,
            AUTHOR.nullable(),
            question_views::view_count.nullable(),
        ))
        .first(c))?;
    let sees_deleted = |author: UserId| visibility::sees_deleted(looker.as_ref(), author);
    if !visibility::question_open(looker.as_ref(), &q, &category) {
        return Err(AppError::NotFound);
    }
    let answers: Vec<(Answer, Option<AuthorRow>)> = on_each_backend!(conn, |c| answers::table
        .filter(answers::question_id.eq(id))
        .left_join(users::table)
        .select((answers::all_columns, AUTHOR.nullable()))
        .order(answers::id)
        .load(c))?;
    let comments: Vec<(Comment, Option<AuthorRow>)> = on_each_backend!(conn, |c| comments::table
        .filter(comments::question_id.eq(id))
        .left_join(users::table)
        .select((comments::all_columns, AUTHOR.nullable()))
        .order(comments::id)
        .load(c))?;
    let mut by_answer: HashMap<AnswerId, Vec<(Comment, Author)>> = HashMap::new();
    let mut on_question = Vec::new();
    for (c, row) in comments.into_iter().filter(|(c, _)| c.is_visible()) {
        let a = author(c.author_id, row);
        match c.answer_id {
            Some(aid) => by_answer.entry(aid).or_default().push((c, a)),
            None => on_question.push((c, a)),
        }
    }
    let mut answers: Vec<AnswerInThread> = answers
        .into_iter()
        .filter(|(a, _)| a.published_at.is_some() && (a.deleted_at.is_none() || sees_deleted(a.author_id)))
        .map(|(a, row)| AnswerInThread {
            author: author(a.author_id, row),
            accepted: q.accepted_answer_id == Some(a.id),
            comments: by_answer.remove(&a.id).unwrap_or_default(),
            answer: a,
        })
        .collect();
    answers.sort_by(|x, y| {
        y.accepted
            .cmp(&x.accepted)
            .then(y.answer.score.cmp(&x.answer.score))
            .then(x.answer.id.cmp(&y.answer.id))
    });
    let tags: Vec<String> = on_each_backend!(conn, |c| question_tags::table
        .filter(question_tags::question_id.eq(id))
        .inner_join(tags::table)
        .select(tags::name)
        .order(tags::name)
        .load(c))?;
    // Only a thread whose answer staff accepted pays for this look-up.
    let accepted_on_behalf_by = match q.accepted_by.filter(|by| *by != q.author_id) {
        Some(by) => {
            let row: Option<AuthorRow> =
                on_each_backend!(conn, |c| users::table.find(by).select(AUTHOR).first(c).optional())?;
            Some(author(by, row))
        }
        None => None,
    };
    Ok(Thread {
        accepted_on_behalf_by,
        author: author(q.author_id, asker),
        question: q,
        views: views.unwrap_or(0),
        category,
        tags,
        comments: on_question,
        answers,
    })
}

/// What a signed-in user has done on a thread: their votes and whether they follow it.
#[derive(Debug, Clone, Default)]
pub struct Mine {
    pub question_vote: i32,
    pub answer_votes: HashMap<i64, i32>,
    pub following: bool,
}

/// `user`'s votes on a question and on any of its answers, and whether they follow it, in three
/// look-ups by key.
pub fn mine(conn: &mut DbConn, user: UserId, question: QuestionId) -> AppResult<Mine> {
    // Two look-ups by the unique (user, kind, post) index, each as long as the thread. One
    // query with `OR` walked all of the member's votes instead (hundreds for an active member:
    // a third of a signed-in question page's instructions, callgrind).
    let question_vote: Option<i32> = on_each_backend!(conn, |c| votes::table
        .filter(votes::user_id.eq(user))
        .filter(votes::post_kind.eq("question"))
        .filter(votes::post_id.eq(question.0))
        .select(votes::value)
        .first(c)
        .optional())?;
    let of_answers = answers::table
        .filter(answers::question_id.eq(question))
        .select(answers::id);
    let answer_votes: Vec<(i64, i32)> = on_each_backend!(conn, |c| votes::table
        .filter(votes::user_id.eq(user))
        .filter(votes::post_kind.eq("answer"))
        .filter(votes::post_id.eq_any(of_answers))
        .select((votes::post_id, votes::value))
        .load(c))?;
    let following: bool = on_each_backend!(conn, |c| diesel::select(diesel::dsl::exists(
        follows::table
            .filter(follows::user_id.eq(user))
            .filter(follows::question_id.eq(question)),
    ))
    .get_result(c))?;
    Ok(Mine {
        following,
        question_vote: question_vote.unwrap_or(0),
        answer_votes: answer_votes.into_iter().collect(),
    })
}

/// Authors by id, in one query (for pages that list people beside a thread, such as revisions).
pub fn authors(conn: &mut DbConn, ids: &[UserId]) -> AppResult<HashMap<UserId, Author>> {
    let rows: Vec<AuthorRow> = users::table.filter(users::id.eq_any(ids)).select(AUTHOR).load(conn)?;
    Ok(rows.into_iter().map(|r| (r.0, author(r.0, Some(r)))).collect())
}

/// The author columns every thread query joins in.
type AuthorRow = (UserId, String, Option<String>, String);
const AUTHOR: (users::id, users::username, users::display_name, users::role) =
    (users::id, users::username, users::display_name, users::role);

/// How the author with this id is shown; a missing row is a deleted account.
fn author(id: UserId, row: Option<AuthorRow>) -> Author {
    match row {
        Some((id, username, display, role)) => Author {
            id,
            is_staff: Role::parse(&role).is_some_and(Role::is_staff),
            name: display.filter(|d| !d.is_empty()).unwrap_or_else(|| username.clone()),
            username,
        },
        None => Author {
            id,
            username: "deleted".into(),
            name: "deleted user".into(),
            is_staff: false,
        },
    }
}

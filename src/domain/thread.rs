//! A question page's content: the question, its answers (accepted first, then score, then oldest)
//! and the comments on each, with their authors, loaded in a fixed number of queries.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::auth::Role;
use crate::db::ids::{AnswerId, QuestionId, UserId};
use crate::db::schema::users;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::models::answer::{self, Answer};
use crate::models::category::{self, Category};
use crate::models::comment::{self, Comment};
use crate::models::question::{self, Question};
use crate::models::{follow, tag, vote};

/// How an author is shown.
#[derive(Debug, Clone)]
pub struct Author {
    pub id: UserId,
    pub username: String,
    pub name: String,
    pub is_staff: bool,
}

/// Who is looking, for what they may see beyond the public thread (deleted posts).
#[derive(Debug, Clone, Copy)]
pub struct Looker {
    pub id: UserId,
    pub moderator: bool,
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
    pub author: Author,
    pub category: Category,
    pub tags: Vec<String>,
    pub comments: Vec<(Comment, Author)>,
    pub answers: Vec<AnswerInThread>,
}

/// Loads a question's thread. `NotFound` for missing, unpublished or private questions, and for
/// deleted ones unless the looker is their author or a moderator (who also see deleted answers).
pub fn load(conn: &mut DbConn, id: QuestionId, looker: Option<Looker>) -> AppResult<Thread> {
    let q = question::find(conn, id)?;
    let category = category::find(conn, q.category_id)?;
    let sees_deleted = |author: UserId| looker.is_some_and(|l| l.moderator || l.id == author);
    if q.published_at.is_none() || category.group_id.is_some() || (q.deleted_at.is_some() && !sees_deleted(q.author_id))
    {
        return Err(AppError::NotFound);
    }
    let answers: Vec<Answer> = answer::for_question(conn, id)?
        .into_iter()
        .filter(|a| a.published_at.is_some() && (a.deleted_at.is_none() || sees_deleted(a.author_id)))
        .collect();
    let comments: Vec<Comment> = comment::for_question(conn, id)?
        .into_iter()
        .filter(Comment::is_visible)
        .collect();
    let mut ids: Vec<UserId> = vec![q.author_id];
    ids.extend(answers.iter().map(|a| a.author_id));
    ids.extend(comments.iter().map(|c| c.author_id));
    let authors = authors(conn, &ids)?;
    let who = |id: UserId| {
        authors.get(&id).cloned().unwrap_or(Author {
            id,
            username: "deleted".into(),
            name: "deleted user".into(),
            is_staff: false,
        })
    };
    let mut by_answer: HashMap<AnswerId, Vec<(Comment, Author)>> = HashMap::new();
    let mut on_question = Vec::new();
    for c in comments {
        let a = who(c.author_id);
        match c.answer_id {
            Some(aid) => by_answer.entry(aid).or_default().push((c, a)),
            None => on_question.push((c, a)),
        }
    }
    let mut answers: Vec<AnswerInThread> = answers
        .into_iter()
        .map(|a| AnswerInThread {
            author: who(a.author_id),
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
    let tags = tag::names_for(conn, &[id])?.remove(&id).unwrap_or_default();
    Ok(Thread {
        author: who(q.author_id),
        question: q,
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

impl Thread {
    /// The ids of the answers shown.
    pub fn answer_ids(&self) -> Vec<i64> {
        self.answers.iter().map(|a| a.answer.id.0).collect()
    }
}

/// `user`'s votes on a question and its answers, and whether they follow it, in three queries.
pub fn mine(conn: &mut DbConn, user: UserId, question: QuestionId, answer_ids: &[i64]) -> AppResult<Mine> {
    let q = vote::of_user(conn, user, "question", &[question.0])?;
    let a = vote::of_user(conn, user, "answer", answer_ids)?;
    Ok(Mine {
        question_vote: q.first().map(|(_, v)| *v).unwrap_or(0),
        answer_votes: a.into_iter().collect(),
        following: follow::is_following(conn, user, question)?,
    })
}

/// Authors by id, in one query.
pub fn authors(conn: &mut DbConn, ids: &[UserId]) -> AppResult<HashMap<UserId, Author>> {
    let rows: Vec<(UserId, String, Option<String>, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username, users::display_name, users::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display, role)| {
            let is_staff = Role::parse(&role).is_some_and(Role::is_staff);
            let name = display.filter(|d| !d.is_empty()).unwrap_or_else(|| username.clone());
            (
                id,
                Author {
                    id,
                    username,
                    name,
                    is_staff,
                },
            )
        })
        .collect())
}

//! Writing a checked import file.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::batch::{
    insert_returning_ids, insert_rows, Accepted, AnswerRow, FollowRow, QuestionRow, QuestionTagRow, SurveyRow, VoteRow,
};
use super::check::time;
use super::{IComment, IQuestion, ImportFile, ImportReport};
use crate::db::ids::{AnswerId, CategoryId, QuestionId, TagId, UserId};
use crate::db::schema::{
    answers, beta_group_members, beta_groups, comments, follows, question_tags, questions, revisions, surveys, votes,
};
use crate::db::DbConn;
use crate::domain::access::permissions::Role;
use crate::domain::qa::posting::{facts_of, Asked};
use crate::domain::reputation::{self, Past, Source};
use crate::error::AppResult;
use crate::markdown;
use crate::models::category::{self, NewCategory};
use crate::models::comment::NewComment;
use crate::models::question::{self, Facts};
use crate::models::revision::NewRevision;
use crate::models::tag;
use crate::models::user::{self, NewUser};

fn at(s: &str) -> AppResult<NaiveDateTime> {
    time("", s).map_err(|e| crate::error::AppError::internal(format!("import time: {e}")))
}

pub(super) fn write(
    conn: &mut DbConn,
    f: &ImportFile,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<ImportReport> {
    let mut report = ImportReport::default();
    let mut users: HashMap<&str, (UserId, Role, NaiveDateTime)> = HashMap::new();
    for u in &f.users {
        let role = Role::parse(&u.role).unwrap_or(Role::Member);
        let created = at(&u.created_at)?;
        let id = user::insert(
            conn,
            &NewUser {
                username: u.username.trim(),
                username_key: &user::username_key(&u.username),
                email: u.email.trim(),
                email_key: &user::email_key(&u.email),
                email_verified_at: None,
                password_hash: None,
                role: role.as_str(),
                display_name: u.display_name.as_deref().map(str::trim).filter(|d| !d.is_empty()),
                created_at: created,
            },
        )?;
        users.insert(&u.r#ref, (id, role, created));
        report.users += 1;
    }
    let now = crate::db::now();
    let mut groups: HashMap<&str, i64> = HashMap::new();
    for g in &f.groups {
        let id: i64 = diesel::insert_into(beta_groups::table)
            .values((
                beta_groups::name.eq(g.name.trim()),
                beta_groups::slug.eq(&g.slug),
                beta_groups::created_at.eq(now),
            ))
            .returning(beta_groups::id)
            .get_result(conn)?;
        for m in &g.members {
            let (uid, _, joined) = users[m.as_str()];
            diesel::insert_into(beta_group_members::table)
                .values((
                    beta_group_members::group_id.eq(id),
                    beta_group_members::user_id.eq(uid),
                    beta_group_members::joined_at.eq(joined),
                ))
                .execute(conn)?;
        }
        groups.insert(&g.r#ref, id);
        report.groups += 1;
    }
    let mut categories: HashMap<&str, CategoryId> = HashMap::new();
    for (i, c) in f.categories.iter().enumerate() {
        let id = category::insert(
            conn,
            &NewCategory {
                name: c.name.trim(),
                slug: &c.slug,
                description: "",
                description_html: "",
                position: i as i32,
                created_at: now,
            },
        )?;
        if let Some(g) = &c.group {
            diesel::update(crate::db::schema::categories::table.find(id))
                .set(crate::db::schema::categories::group_id.eq(groups.get(g.as_str()).copied()))
                .execute(conn)?;
        }
        categories.insert(&c.r#ref, id);
        report.categories += 1;
    }
    let mut chunks = Chunks {
        users: &users,
        categories: &categories,
        tags: HashMap::new(),
        past: Vec::new(),
        report: &mut report,
    };
    let mut questions: HashMap<&str, QuestionId> = HashMap::new();
    let total = f.questions.len();
    let mut done = 0;
    for chunk in f.questions.chunks(CHUNK) {
        let ids = chunks.write(conn, chunk)?;
        questions.extend(chunk.iter().map(|q| q.r#ref.as_str()).zip(ids));
        done += chunk.len();
        progress(done, total);
    }
    let Chunks { tags, mut past, .. } = chunks;
    reputation::replay(conn, &mut past)?;
    crate::domain::badges::history::sweep(conn)?;
    let tag_ids: Vec<TagId> = tags.into_values().collect();
    tag::refresh_counts(conn, &tag_ids)?;
    let mut rows = Vec::with_capacity(f.surveys.len());
    for s in &f.surveys {
        let when = at(&s.created_at)?;
        rows.push(SurveyRow {
            question_id: questions[s.question.as_str()],
            user_id: users[s.user.as_str()].0,
            resolved: s.resolved,
            nps: Some(s.nps),
            created_at: when,
            updated_at: when,
        });
    }
    report.surveys += insert_rows!(conn, surveys::table, rows);
    Ok(report)
}

/// Questions per chunk: each chunk is a handful of multi-row statements.
const CHUNK: usize = 250;

type Users<'f> = HashMap<&'f str, (UserId, Role, NaiveDateTime)>;

/// What writing the questions chunk by chunk carries from one chunk to the next.
struct Chunks<'f, 'r> {
    users: &'r Users<'f>,
    categories: &'r HashMap<&'f str, CategoryId>,
    /// Every tag the file uses, by name.
    tags: HashMap<String, TagId>,
    past: Vec<(NaiveDateTime, Past)>,
    report: &'r mut ImportReport,
}

/// A comment, read.
struct Said<'f> {
    author: UserId,
    body: &'f str,
    html: String,
    at: NaiveDateTime,
}

/// An answer, read, with its score and accepted time.
struct Reply<'f> {
    author: UserId,
    official: bool,
    body: &'f str,
    html: String,
    /// The plain text search indexes.
    text: String,
    at: NaiveDateTime,
    score: i32,
    accepted_at: Option<NaiveDateTime>,
    comments: Vec<Said<'f>>,
}

/// A question with its thread, read and with everything derived that does not need an id.
struct Thread<'f> {
    author: UserId,
    category: CategoryId,
    title: &'f str,
    body: &'f str,
    html: String,
    /// The plain text search indexes.
    text: String,
    asked: NaiveDateTime,
    tags: Vec<String>,
    score: i32,
    facts: Facts,
    comments: Vec<Said<'f>>,
    answers: Vec<Reply<'f>>,
    /// Votes as (voter, answer index or `None` for the question, value, time).
    votes: Vec<(UserId, Option<usize>, i32, NaiveDateTime)>,
}

impl<'f> Chunks<'f, '_> {
    fn said(&self, c: &'f IComment) -> AppResult<Said<'f>> {
        let body = c.body.trim();
        Ok(Said {
            author: self.users[c.author.as_str()].0,
            body,
            html: markdown::render_inline(body).into_string(),
            at: at(&c.created_at)?,
        })
    }

    fn read(&self, q: &'f IQuestion) -> AppResult<Thread<'f>> {
        let (author, _, _) = self.users[q.author.as_str()];
        let asked = at(&q.created_at)?;
        let mut tags: Vec<String> = Vec::new();
        for t in q.tags.iter().map(|t| t.to_lowercase()) {
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let mut answers = Vec::with_capacity(q.answers.len());
        for a in &q.answers {
            let (who, role, _) = self.users[a.author.as_str()];
            let body = a.body.trim();
            answers.push(Reply {
                author: who,
                official: role.is_staff(),
                body,
                html: markdown::render(body).into_string(),
                text: markdown::plain_text(body),
                at: at(&a.created_at)?,
                score: 0,
                accepted_at: a.accepted_at.as_deref().map(at).transpose()?,
                comments: a.comments.iter().map(|c| self.said(c)).collect::<AppResult<_>>()?,
            });
        }
        let target: HashMap<&str, Option<usize>> = std::iter::once((q.r#ref.as_str(), None))
            .chain(q.answers.iter().enumerate().map(|(i, a)| (a.r#ref.as_str(), Some(i))))
            .collect();
        let mut score = 0;
        let mut votes = Vec::with_capacity(q.votes.len());
        for v in &q.votes {
            let on = target[v.target.as_str()];
            match on {
                None => score += v.value,
                Some(i) => answers[i].score += v.value,
            }
            votes.push((self.users[v.user.as_str()].0, on, v.value, at(&v.created_at)?));
        }
        let comments: Vec<Said> = q.comments.iter().map(|c| self.said(c)).collect::<AppResult<_>>()?;
        // As the row-by-row import did: the last accepted mark in the file wins.
        let accepted = answers.iter().rev().find_map(|a| Some((a.accepted_at?, a.author)));
        let visible_answers: Vec<_> = answers.iter().map(|a| (a.author, Some(a.at))).collect();
        let visible_comments: Vec<_> = comments
            .iter()
            .chain(answers.iter().flat_map(|a| &a.comments))
            .map(|c| (c.author, Some(c.at)))
            .collect();
        let asked_facts = Asked {
            author,
            created_at: asked,
            published_at: Some(asked),
            accepted_at: accepted.map(|(t, _)| t),
            accepted_author_id: accepted.map(|(_, a)| a),
        };
        let (title, body) = (q.title.trim(), q.body.trim());
        Ok(Thread {
            author,
            category: self.categories[q.category.as_str()],
            title,
            body,
            html: markdown::render(body).into_string(),
            text: markdown::plain_text(body),
            asked,
            tags,
            score,
            facts: facts_of(&asked_facts, &visible_answers, &visible_comments),
            comments,
            answers,
            votes,
        })
    }

    /// Writes a chunk of questions with their threads; returns the questions' ids in order.
    fn write(&mut self, conn: &mut DbConn, chunk: &'f [IQuestion]) -> AppResult<Vec<QuestionId>> {
        let threads: Vec<Thread> = chunk.iter().map(|q| self.read(q)).collect::<AppResult<_>>()?;
        for t in &threads {
            // Each tag is created at the time of the first question that uses it.
            let new: Vec<String> = t.tags.iter().filter(|n| !self.tags.contains_key(*n)).cloned().collect();
            if !new.is_empty() {
                let ids = tag::ensure(conn, &new, t.asked)?;
                self.tags.extend(new.into_iter().zip(ids));
            }
        }
        let rows: Vec<QuestionRow> = threads
            .iter()
            .map(|t| QuestionRow {
                author_id: t.author,
                category_id: t.category,
                title: t.title,
                body: t.body,
                body_html: &t.html,
                body_text: &t.text,
                score: t.score,
                created_at: t.asked,
                published_at: Some(t.asked),
                facts: t.facts.clone(),
            })
            .collect();
        let qids: Vec<QuestionId> = insert_returning_ids!(conn, questions::table, questions::id, QuestionId, rows);
        let tag_lists: Vec<String> = threads.iter().map(|t| t.tags.join(" ")).collect();
        let mut tagged = Vec::new();
        let mut revisions = Vec::new();
        let mut follows = Vec::new();
        let mut replies = Vec::new();
        for ((t, qid), tag_list) in threads.iter().zip(&qids).zip(&tag_lists) {
            tagged.extend(t.tags.iter().map(|n| QuestionTagRow {
                question_id: *qid,
                tag_id: self.tags[n],
            }));
            revisions.push(NewRevision {
                post_kind: "question",
                post_id: qid.0,
                editor_id: t.author,
                title: Some(t.title),
                body: t.body,
                tags: Some(tag_list),
                summary: "imported",
                created_at: t.asked,
            });
            follows.push(FollowRow {
                user_id: t.author,
                question_id: *qid,
                created_at: t.asked,
            });
            replies.extend(t.answers.iter().map(|a| AnswerRow {
                question_id: *qid,
                author_id: a.author,
                body: a.body,
                body_html: &a.html,
                body_text: &a.text,
                score: a.score,
                official: a.official,
                created_at: a.at,
                published_at: Some(a.at),
            }));
        }
        insert_rows!(conn, question_tags::table, tagged);
        insert_rows!(conn, follows::table, follows);
        let mut aids = insert_returning_ids!(conn, answers::table, answers::id, AnswerId, replies).into_iter();
        let mut comments = Vec::new();
        let mut votes = Vec::new();
        let mut accepted = Vec::new();
        for (t, qid) in threads.iter().zip(&qids) {
            let ids: Vec<AnswerId> = aids.by_ref().take(t.answers.len()).collect();
            comments.extend(t.comments.iter().map(|c| note(c, *qid, None)));
            for (a, aid) in t.answers.iter().zip(&ids) {
                revisions.push(NewRevision {
                    post_kind: "answer",
                    post_id: aid.0,
                    editor_id: a.author,
                    title: None,
                    body: a.body,
                    tags: None,
                    summary: "imported",
                    created_at: a.at,
                });
                comments.extend(a.comments.iter().map(|c| note(c, *qid, Some(*aid))));
                if let Some(when) = a.accepted_at {
                    accepted.push(Accepted {
                        question: *qid,
                        answer: *aid,
                        by: t.author,
                        at: when,
                    });
                    let source = Source {
                        question: *qid,
                        answer: Some(*aid),
                    };
                    let accept = Past::Accept {
                        accepter: t.author,
                        author: a.author,
                        asker: t.author,
                        source,
                    };
                    self.past.push((when, accept));
                }
            }
            for (voter, on, value, when) in &t.votes {
                let (post_kind, post_id, author, answer) = match on {
                    None => ("question", qid.0, t.author, None),
                    Some(i) => ("answer", ids[*i].0, t.answers[*i].author, Some(ids[*i])),
                };
                votes.push(VoteRow {
                    user_id: *voter,
                    post_kind,
                    post_id,
                    value: *value,
                    created_at: *when,
                    updated_at: *when,
                });
                let source = Source { question: *qid, answer };
                let vote = Past::Vote {
                    voter: *voter,
                    author,
                    source,
                    value: *value,
                };
                self.past.push((*when, vote));
            }
            self.report.answers += t.answers.len();
        }
        insert_rows!(conn, revisions::table, revisions);
        self.report.comments += insert_rows!(conn, comments::table, comments);
        self.report.votes += insert_rows!(conn, votes::table, votes);
        for a in &accepted {
            question::set_accepted(conn, a.question, Some(a.answer), Some(a.by), Some(a.at))?;
        }
        self.report.questions += threads.len();
        Ok(qids)
    }
}

fn note<'a>(c: &'a Said, question: QuestionId, on: Option<AnswerId>) -> NewComment<'a> {
    NewComment {
        question_id: question,
        answer_id: on,
        author_id: c.author,
        body: c.body,
        body_html: &c.html,
        created_at: c.at,
        published_at: Some(c.at),
    }
}

//! Writing a checked import file.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::check::time;
use super::{IComment, ImportFile, ImportReport};
use crate::auth::Role;
use crate::db::ids::{AnswerId, CategoryId, QuestionId, UserId};
use crate::db::schema::{beta_group_members, beta_groups, question_tags, surveys};
use crate::db::DbConn;
use crate::domain::posting::refresh_facts;
use crate::domain::reputation::{self, Past, Source};
use crate::error::AppResult;
use crate::markdown;
use crate::models::answer::{self, NewAnswer};
use crate::models::category::{self, NewCategory};
use crate::models::comment::{self, NewComment};
use crate::models::question::{self, NewQuestion};
use crate::models::revision::{self, NewRevision};
use crate::models::user::{self, NewUser};
use crate::models::{follow, tag, vote};

fn at(s: &str) -> AppResult<NaiveDateTime> {
    time("", s).map_err(|e| crate::error::AppError::Internal(format!("import time: {e}")))
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
    let mut questions: HashMap<&str, QuestionId> = HashMap::new();
    let mut past: Vec<(NaiveDateTime, Past)> = Vec::new();
    let mut all_tags: HashSet<String> = HashSet::new();
    let total = f.questions.len();
    for (n, q) in f.questions.iter().enumerate() {
        let (author, _, _) = users[q.author.as_str()];
        let asked = at(&q.created_at)?;
        let (title, body) = (q.title.trim(), q.body.trim());
        let html = markdown::render(body);
        let qid = question::insert(
            conn,
            &NewQuestion {
                author_id: author,
                category_id: categories[q.category.as_str()],
                title,
                body,
                body_html: html.as_str(),
                last_activity_at: asked,
                created_at: asked,
                published_at: Some(asked),
            },
        )?;
        questions.insert(&q.r#ref, qid);
        let names: Vec<String> = q.tags.iter().map(|t| t.to_lowercase()).collect::<Vec<_>>();
        let mut unique = Vec::new();
        for t in names {
            if !unique.contains(&t) {
                unique.push(t);
            }
        }
        let tag_ids = tag::ensure(conn, &unique, asked)?;
        for t in &tag_ids {
            diesel::insert_into(question_tags::table)
                .values((question_tags::question_id.eq(qid), question_tags::tag_id.eq(*t)))
                .execute(conn)?;
        }
        all_tags.extend(unique.iter().cloned());
        let tags = unique.join(" ");
        revision::insert(
            conn,
            &NewRevision {
                post_kind: "question",
                post_id: qid.0,
                editor_id: author,
                title: Some(title),
                body,
                tags: Some(&tags),
                summary: "imported",
                created_at: asked,
            },
        )?;
        follow::add(conn, author, qid, asked)?;
        report.comments += write_comments(conn, &users, qid, None, &q.comments)?;
        let mut posts: HashMap<&str, (Option<AnswerId>, UserId)> = HashMap::from([(q.r#ref.as_str(), (None, author))]);
        for a in &q.answers {
            let (aauthor, role, _) = users[a.author.as_str()];
            let answered = at(&a.created_at)?;
            let body = a.body.trim();
            let html = markdown::render(body);
            let aid = answer::insert(
                conn,
                &NewAnswer {
                    question_id: qid,
                    author_id: aauthor,
                    body,
                    body_html: html.as_str(),
                    official: role.is_staff(),
                    created_at: answered,
                    published_at: Some(answered),
                },
            )?;
            revision::insert(
                conn,
                &NewRevision {
                    post_kind: "answer",
                    post_id: aid.0,
                    editor_id: aauthor,
                    title: None,
                    body,
                    tags: None,
                    summary: "imported",
                    created_at: answered,
                },
            )?;
            let source = Source {
                question: qid,
                answer: Some(aid),
            };
            if let Some(accepted) = &a.accepted_at {
                let when = at(accepted)?;
                question::set_accepted(conn, qid, Some(aid), Some(author), Some(when))?;
                let accept = Past::Accept {
                    accepter: author,
                    author: aauthor,
                    asker: author,
                    source,
                };
                past.push((when, accept));
            }
            report.comments += write_comments(conn, &users, qid, Some(aid), &a.comments)?;
            posts.insert(&a.r#ref, (Some(aid), aauthor));
            report.answers += 1;
        }
        for v in &q.votes {
            let (voter, _, _) = users[v.user.as_str()];
            let when = at(&v.created_at)?;
            let (target, post_author) = posts[v.target.as_str()];
            match target {
                None => {
                    vote::insert(conn, voter, "question", qid.0, v.value, when)?;
                    question::add_score(conn, qid, v.value)?;
                }
                Some(aid) => {
                    vote::insert(conn, voter, "answer", aid.0, v.value, when)?;
                    answer::add_score(conn, aid, v.value)?;
                }
            }
            let source = Source {
                question: qid,
                answer: target,
            };
            let vote = Past::Vote {
                voter,
                author: post_author,
                source,
                value: v.value,
            };
            past.push((when, vote));
            report.votes += 1;
        }
        refresh_facts(conn, qid)?;
        report.questions += 1;
        if (n + 1) % 500 == 0 || n + 1 == total {
            progress(n + 1, total);
        }
    }
    reputation::replay(conn, &mut past)?;
    crate::domain::badge_history::sweep(conn)?;
    let names: Vec<String> = all_tags.into_iter().collect();
    let ids = tag::ensure(conn, &names, now)?;
    tag::refresh_counts(conn, &ids)?;
    for s in &f.surveys {
        let when = at(&s.created_at)?;
        diesel::insert_into(surveys::table)
            .values((
                surveys::question_id.eq(questions[s.question.as_str()]),
                surveys::user_id.eq(users[s.user.as_str()].0),
                surveys::resolved.eq(s.resolved),
                surveys::nps.eq(Some(s.nps)),
                surveys::created_at.eq(when),
                surveys::updated_at.eq(when),
            ))
            .execute(conn)?;
        report.surveys += 1;
    }
    Ok(report)
}

fn write_comments(
    conn: &mut DbConn,
    users: &HashMap<&str, (UserId, Role, NaiveDateTime)>,
    qid: QuestionId,
    on: Option<AnswerId>,
    comments: &[IComment],
) -> AppResult<usize> {
    for c in comments {
        let when = at(&c.created_at)?;
        let body = c.body.trim();
        let html = markdown::render_inline(body);
        comment::insert(
            conn,
            &NewComment {
                question_id: qid,
                answer_id: on,
                author_id: users[c.author.as_str()].0,
                body,
                body_html: html.as_str(),
                created_at: when,
                published_at: Some(when),
            },
        )?;
    }
    Ok(comments.len())
}

//! Asking, answering and commenting: the rules for new posts and the facts they change.

use crate::error::Rejected;
use chrono::NaiveDateTime;

use crate::db::backend::write_transaction;
use crate::db::ids::{AnswerId, CategoryId, CommentId, QuestionId, UserId};
use crate::db::DbConn;
use crate::domain::access::abilities::{PostFacts, Poster, ThreadAbilities};
use crate::domain::access::permissions::Permission;
use crate::domain::access::visibility::{self, Viewer};
use crate::domain::badges::awards;
use crate::domain::fields::clean_text;
use crate::domain::kpi::stats;
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::markdown;
use crate::models::answer::{self, NewAnswer};
use crate::models::comment::{self, NewComment};
use crate::models::question::{self, Facts, NewQuestion, Question};
use crate::models::revision::{self, NewRevision};
use crate::models::{category, follow, tag};

/// Title length bounds (characters).
pub const TITLE_LEN: (usize, usize) = (15, 150);
/// Body length bounds (characters).
pub const BODY_LEN: (usize, usize) = (30, 30_000);
/// Comment length bounds (characters).
pub const COMMENT_LEN: (usize, usize) = (1, 600);
/// How many tags a question has.
pub const TAG_COUNT: (usize, usize) = (1, 5);

/// What the ask form sends.
#[derive(Debug, Clone, Default)]
pub struct AskInput {
    pub title: String,
    pub body: String,
    pub category: String,
    /// Space- or comma-separated.
    pub tags: String,
}

/// A tag name: lowercase, 1–35 of `a-z 0-9 - + . #`.
pub fn check_tag(name: &str) -> Result<(), Rejected> {
    let n = name.chars().count();
    if !(1..=35).contains(&n)
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-+.#".contains(c))
    {
        return Err(Rejected(format!(
            "'{}' is not a valid tag: use 1–35 of a–z, 0–9, - + . #.",
            name.chars().take(40).collect::<String>()
        )));
    }
    Ok(())
}

/// Splits, lowercases and de-duplicates the tags field.
pub fn parse_tags(field: &str) -> Result<Vec<String>, Rejected> {
    let mut tags: Vec<String> = Vec::new();
    for raw in field
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        let name = raw.to_lowercase();
        check_tag(&name)?;
        if !tags.contains(&name) {
            tags.push(name);
        }
    }
    if !(TAG_COUNT.0..=TAG_COUNT.1).contains(&tags.len()) {
        return Err(format!("Give {} to {} tags.", TAG_COUNT.0, TAG_COUNT.1).into());
    }
    Ok(tags)
}

fn check_len(errors: &mut FieldErrors, field: &'static str, text: &str, (min, max): (usize, usize), what: &str) {
    let n = text.chars().count();
    if n < min || n > max {
        errors.add(field, format!("{what} must be {min} to {max} characters (it is {n})."));
    }
}

/// A checked question, ready to store.
#[derive(Debug, Clone)]
pub struct ValidQuestion {
    pub title: String,
    pub body: String,
    pub category: CategoryId,
    pub tags: Vec<String>,
}

/// Checks the ask (or edit) form.
pub fn check_question(conn: &mut DbConn, viewer: &Viewer, input: &AskInput) -> AppResult<ValidQuestion> {
    let mut errors = FieldErrors::new();
    let title = clean_text(&input.title).trim().to_owned();
    let body = clean_text(&input.body).trim().to_owned();
    check_len(&mut errors, "title", &title, TITLE_LEN, "The title");
    check_len(&mut errors, "body", &body, BODY_LEN, "The question");
    let tags = parse_tags(&clean_text(&input.tags)).unwrap_or_else(|e| {
        errors.add("tags", e);
        Vec::new()
    });
    let category = match category::find_by_slug(conn, input.category.trim())? {
        Some(c) if visibility::category_open(Some(viewer), &c) => Some(c.id),
        _ => {
            errors.add("category", "Choose one of the categories.");
            None
        }
    };
    match (errors.into_result(), category) {
        (Ok(()), Some(category)) => Ok(ValidQuestion {
            title,
            body,
            category,
            tags,
        }),
        (Err(e), _) => Err(AppError::Invalid(e)),
        (Ok(()), None) => Err(AppError::Invalid(FieldErrors::one(
            "category",
            "Choose one of the categories.",
        ))),
    }
}

/// Stores a question, its tags and first revision; the asker follows it.
pub fn ask(conn: &mut DbConn, poster: &Poster, input: &AskInput, now: NaiveDateTime) -> AppResult<QuestionId> {
    if !poster.permissions.contains(Permission::Ask) {
        return Err(AppError::Forbidden);
    }
    write_transaction(conn, |conn| {
        let q = check_question(conn, &Viewer::of(poster), input)?;
        let html = markdown::render(&q.body);
        let text = markdown::plain_text(&q.body);
        let id = question::insert(
            conn,
            &NewQuestion {
                author_id: poster.id,
                category_id: q.category,
                title: &q.title,
                body: &q.body,
                body_html: html.as_str(),
                body_text: &text,
                last_activity_at: now,
                created_at: now,
                published_at: Some(now),
            },
        )?;
        let tag_ids = tag::ensure(conn, &q.tags, now)?;
        tag::set_for_question(conn, id, &tag_ids)?;
        let tags = q.tags.join(" ");
        revision::insert(
            conn,
            &NewRevision {
                post_kind: "question",
                post_id: id.0,
                editor_id: poster.id,
                title: Some(&q.title),
                body: &q.body,
                tags: Some(&tags),
                summary: "asked",
                created_at: now,
            },
        )?;
        follow::add(conn, poster.id, id, now)?;
        awards::after_question(conn, poster.id, now)?;
        Ok(id)
    })
}

/// A question `viewer` may see (`None`: as a visitor sees it), else `NotFound`. What they may
/// do in it (a deleted, locked or closed thread) is `ThreadAbilities`' decision.
pub fn visible_question(conn: &mut DbConn, viewer: Option<&Viewer>, id: QuestionId) -> AppResult<Question> {
    let q = question::find(conn, id)?;
    if !visibility::question_open(viewer, &q, &category::find(conn, q.category_id)?) {
        return Err(AppError::NotFound);
    }
    Ok(q)
}

/// Posts an answer; staff answers are marked official.
pub fn answer(
    conn: &mut DbConn,
    poster: &Poster,
    question_id: QuestionId,
    body: &str,
    now: NaiveDateTime,
) -> AppResult<AnswerId> {
    if !poster.permissions.contains(Permission::Answer) {
        return Err(AppError::Forbidden);
    }
    let body = clean_text(body);
    let body = body.trim();
    let mut errors = FieldErrors::new();
    check_len(&mut errors, "body", body, BODY_LEN, "The answer");
    if let Err(e) = errors.into_result() {
        return Err(AppError::Invalid(e));
    }
    write_transaction(conn, |conn| {
        question::lock(conn, question_id)?;
        let q = visible_question(conn, Some(&Viewer::of(poster)), question_id)?;
        ThreadAbilities::of(Some(poster), &q).answer()?;
        let html = markdown::render(body);
        let text = markdown::plain_text(body);
        let official = poster.is_staff && poster.permissions.contains(Permission::PostOfficial);
        let id = answer::insert(
            conn,
            &NewAnswer {
                question_id,
                author_id: poster.id,
                body,
                body_html: html.as_str(),
                body_text: &text,
                official,
                created_at: now,
                published_at: Some(now),
            },
        )?;
        revision::insert(
            conn,
            &NewRevision {
                post_kind: "answer",
                post_id: id.0,
                editor_id: poster.id,
                title: None,
                body,
                tags: None,
                summary: "answered",
                created_at: now,
            },
        )?;
        follow::add(conn, poster.id, question_id, now)?;
        first_response(conn, &q, poster.id, now)?;
        awards::after_answer(conn, poster.id, now)?;
        Ok(id)
    })
}

/// Posts a comment on a question or one of its answers.
pub fn comment(
    conn: &mut DbConn,
    poster: &Poster,
    question_id: QuestionId,
    on_answer: Option<AnswerId>,
    body: &str,
    now: NaiveDateTime,
) -> AppResult<CommentId> {
    if !poster.permissions.contains(Permission::Comment) {
        return Err(AppError::Forbidden);
    }
    let body = clean_text(body);
    let body = body.trim();
    let mut errors = FieldErrors::new();
    check_len(&mut errors, "comment", body, COMMENT_LEN, "A comment");
    if let Err(e) = errors.into_result() {
        return Err(AppError::Invalid(e));
    }
    write_transaction(conn, |conn| {
        question::lock(conn, question_id)?;
        let q = visible_question(conn, Some(&Viewer::of(poster)), question_id)?;
        let can = ThreadAbilities::of(Some(poster), &q);
        let on = match on_answer {
            Some(a) => {
                let a = answer::find(conn, a)?;
                if a.question_id != question_id || !a.is_visible() {
                    return Err(AppError::NotFound);
                }
                PostFacts::of_answer(&a)
            }
            None => can.question(),
        };
        can.comment(&on)?;
        let html = markdown::render_inline(body);
        let id = comment::insert(
            conn,
            &NewComment {
                question_id,
                answer_id: on_answer,
                author_id: poster.id,
                body,
                body_html: html.as_str(),
                created_at: now,
                published_at: Some(now),
            },
        )?;
        first_response(conn, &q, poster.id, now)?;
        awards::after_comment(conn, poster.id, now)?;
        Ok(id)
    })
}

/// Refreshes the question's facts after a new answer or comment by `poster`; when that was its
/// first response, the Quick Responder rule looks at how long it took.
fn first_response(conn: &mut DbConn, q: &Question, poster: UserId, now: NaiveDateTime) -> AppResult<()> {
    let facts = refresh_facts(conn, q.id)?;
    if q.first_response_at.is_none() && facts.first_response_at.is_some() && poster != q.author_id {
        awards::after_first_response(conn, poster, q.published_at.unwrap_or(q.created_at), now)?;
    }
    Ok(())
}

/// Recomputes a question's counters and facts from its answers and comments, so that they stay
/// exact through edits, deletions, moderation and imports. Takes the question's row lock first.
pub fn refresh_facts(conn: &mut DbConn, id: QuestionId) -> AppResult<Facts> {
    question::lock(conn, id)?;
    let q = question::find(conn, id)?;
    let visible_answers = answer::published_authors(conn, id)?;
    let visible_comments = crate::models::comment::published_authors(conn, id)?;
    let accepted_author_id = match q.accepted_answer_id {
        Some(a) => answer::author_of(conn, a)?,
        None => None,
    };
    let asked = Asked {
        author: q.author_id,
        created_at: q.created_at,
        published_at: q.published_at,
        accepted_at: q.accepted_at,
        accepted_author_id,
    };
    let facts = facts_of(&asked, &visible_answers, &visible_comments);
    question::set_facts(conn, id, &facts)?;
    Ok(facts)
}

/// What `facts_of` needs to know of the question itself.
pub struct Asked {
    pub author: UserId,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub accepted_at: Option<NaiveDateTime>,
    pub accepted_author_id: Option<UserId>,
}

/// A question's facts from its visible answers and comments (author, publication time): shared by
/// `refresh_facts` and imports, which know the thread before writing it.
pub fn facts_of(
    q: &Asked,
    visible_answers: &[(UserId, Option<NaiveDateTime>)],
    visible_comments: &[(UserId, Option<NaiveDateTime>)],
) -> Facts {
    let messages = visible_answers.iter().chain(visible_comments.iter());
    let first_response_at = messages
        .clone()
        .filter(|(author, _)| *author != q.author)
        .filter_map(|(_, at)| *at)
        .min();
    let last = messages.clone().filter_map(|(_, at)| *at).max();
    let asked = q.published_at.unwrap_or(q.created_at);
    let mut thread: Vec<(NaiveDateTime, bool)> = vec![(asked, true)];
    thread.extend(messages.filter_map(|(author, at)| Some(((*at)?, *author == q.author))));
    let turns = stats::customer_turns(&mut thread);
    let messages_at_acceptance = q
        .accepted_at
        .map(|acc| thread.iter().skip(1).filter(|(t, _)| *t <= acc).count() as i32);
    Facts {
        accepted_author_id: q.accepted_author_id,
        turns_answered: turns.len() as i32,
        turn_wait_minutes: turns.iter().sum(),
        messages_at_acceptance,
        answer_count: visible_answers.len() as i32,
        comment_count: visible_comments.len() as i32,
        first_response_at,
        last_activity_at: last
            .into_iter()
            .chain(q.published_at)
            .chain([q.created_at])
            .max()
            .unwrap_or(q.created_at),
    }
}

/// Recomputes the facts of every question (after a change to how facts are computed).
pub fn refresh_all_facts(conn: &mut DbConn) -> AppResult<usize> {
    let ids = question::all_ids(conn)?;
    write_transaction(conn, |conn| {
        for id in &ids {
            refresh_facts(conn, *id)?;
        }
        Ok(ids.len())
    })
}

/// A URL slug from a title: lowercase ASCII words joined by `-`, at most 80 characters.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > 80 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        out.push_str("question");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_and_bound() {
        assert_eq!(parse_tags("Rust, c++  c# rust").unwrap(), vec!["rust", "c++", "c#"]);
        assert!(parse_tags("").is_err());
        assert!(parse_tags("a b c d e f").is_err());
        assert!(parse_tags("ok bad_tag").is_err());
        assert!(parse_tags(&"x".repeat(36)).is_err());
        assert!(parse_tags("<script>").is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("How do I reset my Router's password?"),
            "how-do-i-reset-my-router-s-password"
        );
        assert_eq!(slugify("¿¿??"), "question");
        assert!(slugify(&"word ".repeat(40)).len() <= 80);
    }
}

//! The JSON shapes of API v1, made from domain values. Each type here is one schema of
//! `/api/v1/openapi.json`; the integration suite checks real responses against that document.

use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serialize;

use super::questions::question_url;
use crate::domain::access::permissions::Role;
use crate::domain::access::privileges::{is_contributor, Thresholds};
use crate::domain::qa::search::Hit;
use crate::models::badge::Held;
use crate::models::category::Category;
use crate::models::comment::Comment;
use crate::models::user::User;
use crate::queries::listing::Summary;
use crate::queries::thread::{AnswerInThread, Author, Mine, Thread};

/// RFC 3339 in UTC, to the second: `2026-12-01T18:30:00Z`.
pub fn time(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A page of items.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: i64,
    pub per_page: i64,
    /// Questions matching: exact, or the bound it was counted to when `more` is set.
    pub total: i64,
    /// More questions match than `total` (lists count up to 10,000 or the page asked for;
    /// searches rank the newest matches).
    pub more: bool,
}

/// Who wrote something, in lists.
#[derive(Debug, Serialize)]
pub struct UserRef {
    pub username: String,
    pub display_name: String,
}

/// Who wrote a post, on its thread.
#[derive(Debug, Serialize)]
pub struct PostAuthor {
    pub username: String,
    pub display_name: String,
    pub staff: bool,
}

impl From<Author> for PostAuthor {
    fn from(a: Author) -> Self {
        PostAuthor {
            username: a.username,
            display_name: a.name,
            staff: a.is_staff,
        }
    }
}

/// A category as a question names it.
#[derive(Debug, Serialize)]
pub struct CategoryRef {
    pub slug: String,
    pub name: String,
}

/// A public category.
#[derive(Debug, Serialize)]
pub struct CategoryJson {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub description_html: String,
}

impl From<Category> for CategoryJson {
    fn from(c: Category) -> Self {
        CategoryJson {
            slug: c.slug,
            name: c.name,
            description: c.description,
            description_html: c.description_html,
        }
    }
}

/// A question in a list.
#[derive(Debug, Serialize)]
pub struct QuestionSummary {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub score: i32,
    pub answer_count: i32,
    pub view_count: i64,
    pub resolved: bool,
    pub closed: bool,
    pub tags: Vec<String>,
    pub author: UserRef,
    pub category: CategoryRef,
    pub created_at: String,
    pub last_activity_at: String,
}

impl From<Summary> for QuestionSummary {
    fn from(s: Summary) -> Self {
        QuestionSummary {
            id: s.id.0,
            url: question_url(s.id.0, &s.title),
            title: s.title,
            score: s.score,
            answer_count: s.answer_count,
            view_count: s.view_count,
            resolved: s.resolved,
            closed: s.closed,
            tags: s.tags,
            author: UserRef {
                username: s.author,
                display_name: s.author_name,
            },
            category: CategoryRef {
                slug: s.category_slug,
                name: s.category_name,
            },
            created_at: time(s.created_at),
            last_activity_at: time(s.last_activity_at),
        }
    }
}

/// A search result.
#[derive(Debug, Serialize)]
pub struct SearchHit {
    pub question: QuestionSummary,
    /// Sanitised HTML: the matching words are wrapped in `<mark>`.
    pub snippet_html: String,
    /// Matched every word; `false` for the some-words matches that fill a short first page.
    pub every_word: bool,
}

impl From<Hit> for SearchHit {
    fn from(h: Hit) -> Self {
        SearchHit {
            question: h.summary.into(),
            snippet_html: h.snippet.into_string(),
            every_word: h.every_word,
        }
    }
}

/// A comment.
#[derive(Debug, Serialize)]
pub struct CommentJson {
    pub id: i64,
    pub answer_id: Option<i64>,
    pub body: String,
    pub body_html: String,
    pub author: PostAuthor,
    pub created_at: String,
}

impl CommentJson {
    fn new((c, a): (Comment, Author)) -> Self {
        CommentJson {
            id: c.id.0,
            answer_id: c.answer_id.map(|a| a.0),
            body: c.body,
            body_html: c.body_html,
            author: a.into(),
            created_at: time(c.published_at.unwrap_or(c.created_at)),
        }
    }
}

/// An answer with its comments.
#[derive(Debug, Serialize)]
pub struct AnswerJson {
    pub id: i64,
    pub question_id: i64,
    pub body: String,
    pub body_html: String,
    pub score: i32,
    /// The viewer's vote (1, -1 or 0); `null` for anonymous requests.
    pub my_vote: Option<i32>,
    pub accepted: bool,
    pub official: bool,
    pub deleted: bool,
    pub author: PostAuthor,
    pub created_at: String,
    pub comments: Vec<CommentJson>,
}

impl AnswerJson {
    fn new(a: AnswerInThread, mine: Option<&Mine>) -> Self {
        AnswerJson {
            id: a.answer.id.0,
            question_id: a.answer.question_id.0,
            my_vote: mine.map(|m| m.answer_votes.get(&a.answer.id.0).copied().unwrap_or(0)),
            body: a.answer.body,
            body_html: a.answer.body_html,
            score: a.answer.score,
            accepted: a.accepted,
            official: a.answer.official,
            deleted: a.answer.deleted_at.is_some(),
            author: a.author.into(),
            created_at: time(a.answer.published_at.unwrap_or(a.answer.created_at)),
            comments: a.comments.into_iter().map(CommentJson::new).collect(),
        }
    }
}

/// A question with its answers (accepted first, then score, then oldest) and comments.
#[derive(Debug, Serialize)]
pub struct QuestionJson {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub body: String,
    pub body_html: String,
    pub score: i32,
    pub my_vote: Option<i32>,
    pub following: Option<bool>,
    pub view_count: i64,
    pub answer_count: i32,
    pub comment_count: i32,
    pub resolved: bool,
    pub accepted_answer_id: Option<i64>,
    pub accepted_at: Option<String>,
    /// Who accepted it when that was not the asker (staff on their behalf).
    pub accepted_on_behalf_by: Option<PostAuthor>,
    pub close_reason: Option<String>,
    pub duplicate_of: Option<i64>,
    pub locked: bool,
    pub deleted: bool,
    pub status: Option<String>,
    pub author: PostAuthor,
    pub category: CategoryRef,
    pub tags: Vec<String>,
    pub created_at: String,
    pub last_activity_at: String,
    pub comments: Vec<CommentJson>,
    pub answers: Vec<AnswerJson>,
}

impl QuestionJson {
    /// The thread as the viewer sees it; `mine` is `None` for anonymous requests.
    pub fn new(t: Thread, mine: Option<Mine>) -> Self {
        let q = t.question;
        QuestionJson {
            id: q.id.0,
            url: question_url(q.id.0, &q.title),
            title: q.title,
            body: q.body,
            body_html: q.body_html,
            score: q.score,
            my_vote: mine.as_ref().map(|m| m.question_vote),
            following: mine.as_ref().map(|m| m.following),
            view_count: t.views,
            answer_count: q.answer_count,
            comment_count: q.comment_count,
            resolved: q.accepted_answer_id.is_some(),
            accepted_answer_id: q.accepted_answer_id.map(|a| a.0),
            accepted_at: q.accepted_at.map(time),
            accepted_on_behalf_by: t.accepted_on_behalf_by.map(Into::into),
            close_reason: q.closed_at.and(q.close_reason),
            duplicate_of: q.duplicate_of_id.map(|d| d.0),
            locked: q.locked_at.is_some(),
            deleted: q.deleted_at.is_some(),
            status: q.ack_status,
            author: t.author.into(),
            category: CategoryRef {
                slug: t.category.slug,
                name: t.category.name,
            },
            tags: t.tags,
            created_at: time(q.published_at.unwrap_or(q.created_at)),
            last_activity_at: time(q.last_activity_at),
            comments: t.comments.into_iter().map(CommentJson::new).collect(),
            answers: t
                .answers
                .into_iter()
                .map(|a| AnswerJson::new(a, mine.as_ref()))
                .collect(),
        }
    }
}

/// Picks one answer of a thread, as the viewer sees it.
pub fn answer_of(t: Thread, id: i64, mine: Option<&Mine>) -> Option<AnswerJson> {
    t.answers
        .into_iter()
        .find(|a| a.answer.id.0 == id)
        .map(|a| AnswerJson::new(a, mine))
}

/// Picks one comment of a thread (on the question or on any answer).
pub fn comment_of(t: Thread, id: i64) -> Option<CommentJson> {
    t.comments
        .into_iter()
        .chain(t.answers.into_iter().flat_map(|a| a.comments))
        .find(|(c, _)| c.id.0 == id)
        .map(CommentJson::new)
}

/// A badge a member holds (repeatable ones counted).
#[derive(Debug, Serialize)]
pub struct HeldBadge {
    pub slug: String,
    pub name: String,
    pub tier: String,
    pub count: i64,
    pub last_awarded_at: String,
}

/// Badge counts by tier.
#[derive(Debug, Serialize)]
pub struct TierCounts {
    pub bronze: i64,
    pub silver: i64,
    pub gold: i64,
}

/// A public profile.
#[derive(Debug, Serialize)]
pub struct UserJson {
    pub username: String,
    pub display_name: String,
    pub url: String,
    pub avatar_url: String,
    pub reputation: i64,
    pub contributor: bool,
    pub staff: bool,
    pub location: Option<String>,
    pub website: Option<String>,
    pub bio_html: String,
    pub flair: Option<String>,
    pub created_at: String,
    pub badge_counts: TierCounts,
    pub badges: Vec<HeldBadge>,
}

/// One leaderboard place.
#[derive(Debug, Serialize)]
pub struct Place {
    pub rank: usize,
    pub user: UserRef,
    pub value: i64,
}

/// A leaderboard.
#[derive(Debug, Serialize)]
pub struct Leaderboard {
    pub period: &'static str,
    pub by: &'static str,
    pub items: Vec<Place>,
}

impl UserJson {
    /// A public profile: the member, the badges they hold (newest award first) and the number
    /// of each tier.
    pub fn of(u: User, awards: Vec<Held>, (bronze, silver, gold): (i64, i64, i64), t: &Thresholds) -> Self {
        let mut held: Vec<HeldBadge> = Vec::new();
        let mut flair = None;
        for (b, _, at) in awards {
            if Some(b.id) == u.flair_badge_id {
                flair = Some(b.slug.clone());
            }
            match held.iter_mut().find(|h| h.slug == b.slug) {
                Some(h) => h.count += 1,
                None => held.push(HeldBadge {
                    slug: b.slug,
                    name: b.name,
                    tier: b.tier,
                    count: 1,
                    last_awarded_at: time(at),
                }),
            }
        }
        UserJson {
            url: super::profile::profile_url(&u.username),
            avatar_url: super::people::avatar_url(&u.username, u.avatar_version),
            display_name: u.shown_name().to_owned(),
            reputation: u.reputation,
            contributor: is_contributor(&u, t),
            staff: Role::of(&u).is_staff(),
            location: u.location.clone(),
            website: u.website.clone(),
            bio_html: u.bio_html.clone(),
            flair,
            created_at: time(u.created_at),
            badge_counts: TierCounts { bronze, silver, gold },
            badges: held,
            username: u.username,
        }
    }
}

//! Question pages: lists, the ask form, the question page, and category admin.

use askama::Template;
use chrono::NaiveDateTime;

use super::admin::Pager;
use super::PageContext;
use crate::domain::qa::posting::slugify;
use crate::domain::site::demo::SignIn;
use crate::error::FieldErrors;
use crate::markdown::SafeHtml;
use crate::models::category::Category;
use crate::queries::listing::{Filter, ListQuery, Sort, Summary, Total};

/// "3 hours ago".
pub fn ago(t: NaiveDateTime, now: NaiveDateTime) -> String {
    let secs = (now - t).num_seconds().max(0);
    let (n, unit) = match secs {
        0..=59 => return "just now".into(),
        60..=3599 => (secs / 60, "minute"),
        3600..=86_399 => (secs / 3600, "hour"),
        86_400..=2_591_999 => (secs / 86_400, "day"),
        2_592_000..=31_535_999 => (secs / 2_592_000, "month"),
        _ => (secs / 31_536_000, "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// The canonical URL of a question.
pub fn question_url(id: i64, title: &str) -> String {
    format!("/questions/{id}/{}", slugify(title))
}

/// One row of a question list.
pub struct QuestionRow {
    pub url: String,
    pub title: String,
    pub score: i32,
    pub answers: i32,
    pub views: i64,
    pub resolved: bool,
    pub closed: bool,
    pub tags: Vec<String>,
    pub author: String,
    pub author_name: String,
    pub category_name: String,
    pub category_slug: String,
    pub asked: String,
    pub active: String,
}

impl QuestionRow {
    /// From a list summary.
    pub fn from_summary(s: Summary, now: NaiveDateTime) -> Self {
        QuestionRow {
            url: question_url(s.id.0, &s.title),
            score: s.score,
            answers: s.answer_count,
            views: s.view_count,
            resolved: s.resolved,
            closed: s.closed,
            tags: s.tags,
            asked: ago(s.created_at, now),
            active: ago(s.last_activity_at, now),
            title: s.title,
            author: s.author,
            author_name: s.author_name,
            category_name: s.category_name,
            category_slug: s.category_slug,
        }
    }
}

/// A tab of the list page.
pub struct Tab {
    pub label: &'static str,
    pub url: String,
    pub current: bool,
}

/// `/`, `/questions`, `/tags/{name}`, `/categories/{slug}`.
#[derive(Template)]
#[template(path = "questions/list.html")]
pub struct ListPage {
    pub page: PageContext,
    pub heading: String,
    pub intro: Option<SafeHtml>,
    /// Where those who may can describe the tag.
    pub edit_intro: Option<String>,
    pub sorts: Vec<Tab>,
    pub filters: Vec<Tab>,
    pub rows: Vec<QuestionRow>,
    pub pager: Pager,
    pub categories: Vec<(String, String)>,
    pub show_hero: bool,
    pub demo_sign_ins: Vec<SignIn>,
}

/// A choice in a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// `/questions/ask`.
#[derive(Template)]
#[template(path = "questions/ask.html")]
pub struct AskPage {
    pub page: PageContext,
    pub errors: FieldErrors,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub categories: Vec<Choice>,
    pub preview: Option<SafeHtml>,
    pub similar: Vec<(String, String)>,
    pub promise: Promise,
}

/// When to expect a reply (DESIGN §10): the staff's hours and SLA, and the community's pace.
pub struct Promise {
    /// `Monday–Friday 09:00–17:00`, …
    pub hours: Vec<String>,
    pub timezone: String,
    /// The SLA target in words, e.g. `8 business hours`.
    pub sla: String,
    /// The median first response over the last 30 days, in words.
    pub median: Option<String>,
}

pub use crate::domain::kpi::stats::duration_words;

/// An SLA target in business minutes, in words.
pub fn sla_words(minutes: i64) -> String {
    if minutes % 60 == 0 {
        let h = minutes / 60;
        format!("{h} business hour{}", if h == 1 { "" } else { "s" })
    } else {
        format!("{minutes} business minutes")
    }
}

/// A comment as shown.
pub struct CommentView {
    pub html: SafeHtml,
    pub author: String,
    pub author_name: String,
    pub staff: bool,
    pub when: String,
}

/// The vote buttons of one post.
pub struct VoteBox {
    pub url: String,
    pub score: i32,
    /// The viewer's vote: 1, -1 or 0.
    pub mine: i32,
    /// Whether buttons are shown (signed in, not the author, thread open).
    pub enabled: bool,
    /// Why a direction is not open to the viewer yet (e.g. "Voting up needs 15 reputation"),
    /// or `None` when they may vote that way (or take their vote back).
    pub up_locked: Option<String>,
    pub down_locked: Option<String>,
}

/// An answer as shown.
pub struct AnswerView {
    pub id: i64,
    pub html: SafeHtml,
    pub votes: VoteBox,
    pub accepted: bool,
    /// (username, name) of the staff member who accepted it on the asker's behalf.
    pub accepted_by: Option<(String, String)>,
    pub official: bool,
    pub author: String,
    pub author_name: String,
    pub when: String,
    pub comments: Vec<CommentView>,
    pub deleted: bool,
    pub can_edit: bool,
    /// Delete, or undelete when deleted.
    pub can_delete: bool,
    pub can_remove_spam: bool,
    /// Accept, or unaccept when accepted.
    pub can_accept: bool,
    /// The viewer may comment here (their own answer or question, or comment-anywhere).
    pub can_comment: bool,
}

/// The post-resolution survey as the asker sees it.
pub struct SurveyView {
    pub site_name: String,
    /// Their response so far: (resolved, nps, comment).
    pub given: Option<(bool, i32, String)>,
    pub changeable: bool,
}

/// `/questions/{id}/{slug}`.
#[derive(Template)]
#[template(path = "questions/show.html")]
pub struct QuestionPage {
    pub page: PageContext,
    /// For the asker of a resolved question.
    pub survey: Option<SurveyView>,
    pub id: i64,
    pub url: String,
    pub title: String,
    pub html: SafeHtml,
    pub votes: VoteBox,
    pub views: i64,
    pub resolved: bool,
    pub following: Option<bool>,
    pub closed: Option<String>,
    pub locked: bool,
    pub ack: Option<String>,
    pub author: String,
    pub author_name: String,
    pub author_staff: bool,
    pub asked: String,
    pub active: String,
    pub category_name: String,
    pub category_slug: String,
    pub tags: Vec<String>,
    pub comments: Vec<CommentView>,
    pub answers: Vec<AnswerView>,
    pub can_answer: bool,
    pub can_comment: bool,
    pub answer_body: String,
    pub errors: FieldErrors,
    pub deleted: bool,
    pub duplicate_url: Option<String>,
    pub can_edit: bool,
    /// Delete, or undelete when deleted.
    pub can_delete: bool,
    pub can_remove_spam: bool,
    /// Close, or reopen when closed.
    pub can_close: bool,
    pub can_lock: bool,
    pub can_ack: bool,
    pub ack_value: String,
}

/// `/questions/{id}/edit`.
#[derive(Template)]
#[template(path = "questions/edit_question.html")]
pub struct EditQuestionPage {
    pub page: PageContext,
    pub id: i64,
    pub url: String,
    pub errors: FieldErrors,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub categories: Vec<Choice>,
    pub summary: String,
}

/// `/answers/{id}/edit`.
#[derive(Template)]
#[template(path = "questions/edit_answer.html")]
pub struct EditAnswerPage {
    pub page: PageContext,
    pub id: i64,
    pub url: String,
    pub errors: FieldErrors,
    pub body: String,
    pub summary: String,
}

/// One category on the admin page.
pub struct CategoryLine {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub position: i32,
}

/// `/admin/categories`.
#[derive(Template)]
#[template(path = "admin/categories.html")]
pub struct CategoriesAdmin {
    pub page: PageContext,
    pub categories: Vec<CategoryLine>,
    pub errors: FieldErrors,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub position: i32,
}

/// `/tags`.
#[derive(Template)]
#[template(path = "questions/tags.html")]
pub struct TagsPage {
    pub page: PageContext,
    pub tags: Vec<(String, i32)>,
}

/// `/tags/{name}/edit`.
#[derive(Template)]
#[template(path = "questions/tag_edit.html")]
pub struct TagEditPage {
    pub page: PageContext,
    pub name: String,
    pub description: String,
    pub errors: FieldErrors,
}

/// What a list page is about.
pub struct ListScope {
    pub heading: String,
    pub intro: Option<SafeHtml>,
    /// Where staff edit the intro.
    pub edit_intro: Option<String>,
    /// The list's URL without sort, filter or page.
    pub base: String,
    pub query: ListQuery,
    pub show_hero: bool,
    /// On a demo forum's home page: whom a visitor may sign in as.
    pub demo_sign_ins: Vec<SignIn>,
}

impl ListScope {
    /// A list with a heading and nothing above it.
    pub fn new(heading: String, base: String, query: ListQuery) -> Self {
        ListScope {
            heading,
            intro: None,
            edit_intro: None,
            base,
            query,
            show_hero: false,
            demo_sign_ins: Vec::new(),
        }
    }

    /// A stored description as the intro (none when it is empty).
    pub fn intro(stored_html: String) -> Option<SafeHtml> {
        Some(stored_html).filter(|d| !d.is_empty()).map(SafeHtml::from_stored)
    }
}

impl ListPage {
    /// One page of a list, with its sort and filter tabs.
    pub fn new(
        page: PageContext,
        scope: ListScope,
        rows: Vec<Summary>,
        total: Total,
        categories: Vec<Category>,
        now: NaiveDateTime,
    ) -> Self {
        let q = &scope.query;
        let sep = if scope.base.contains('?') { '&' } else { '?' };
        let link = |sort: Sort, filter: Filter| {
            format!("{}{sep}sort={}&filter={}", scope.base, sort.as_str(), filter.as_str())
        };
        let sorts = [(Sort::Active, "Active"), (Sort::Newest, "Newest"), (Sort::Score, "Top")]
            .into_iter()
            .map(|(s, label)| Tab {
                label,
                url: link(s, q.filter),
                current: s == q.sort,
            })
            .collect();
        let filters = [
            (Filter::All, "All"),
            (Filter::Unanswered, "Unanswered"),
            (Filter::Unresolved, "Unresolved"),
            (Filter::Resolved, "Resolved"),
        ]
        .into_iter()
        .map(|(f, label)| Tab {
            label,
            url: link(q.sort, f),
            current: f == q.filter,
        })
        .collect();
        let pager_base = format!("{}&per_page={}&", link(q.sort, q.filter), q.per_page);
        ListPage {
            page,
            sorts,
            filters,
            rows: rows.into_iter().map(|s| QuestionRow::from_summary(s, now)).collect(),
            pager: Pager::counted(&pager_base, q.page, q.per_page, total),
            categories: categories.into_iter().map(|c| (c.slug, c.name)).collect(),
            heading: scope.heading,
            intro: scope.intro,
            edit_intro: scope.edit_intro,
            show_hero: scope.show_hero,
            demo_sign_ins: scope.demo_sign_ins,
        }
    }
}

/// The categories of a form's select, with the one `selected` picks marked.
pub fn category_choices(categories: Vec<Category>, selected: impl Fn(&Category) -> bool) -> Vec<Choice> {
    categories
        .into_iter()
        .map(|c| Choice {
            selected: selected(&c),
            value: c.slug,
            label: c.name,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ago;
    use chrono::{Duration, NaiveDate};

    #[test]
    fn ages() {
        let now = NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(ago(now, now), "just now");
        assert_eq!(ago(now - Duration::minutes(1), now), "1 minute ago");
        assert_eq!(ago(now - Duration::hours(5), now), "5 hours ago");
        assert_eq!(ago(now - Duration::days(40), now), "1 month ago");
        assert_eq!(ago(now - Duration::days(800), now), "2 years ago");
    }
}

//! `/users/{username}`: the profile page and its tabs, assembled from `queries::people`.

use askama::Template;
use chrono::NaiveDateTime;
use std::collections::HashMap;

use super::admin::Pager;
use super::people::MemberCard;
use super::questions::{ago, question_url, QuestionRow, Tab};
use super::{fmt_time, PageContext};
use crate::db::ids::QuestionId;
use crate::db::DbConn;
use crate::domain::access::permissions::Role;
use crate::domain::access::privileges::{is_contributor, Thresholds};
use crate::domain::reputation::Reason;
use crate::error::{AppError, AppResult};
use crate::markdown::SafeHtml;
use crate::models::badge;
use crate::models::user::User;
use crate::queries::listing::{self, ListQuery};
use crate::queries::people;

const PER_PAGE: i64 = 30;
const TABS: [(&str, &str); 5] = [
    ("activity", "Activity"),
    ("questions", "Questions"),
    ("answers", "Answers"),
    ("reputation", "Reputation"),
    ("badges", "Badges"),
];

/// A post on a profile tab.
pub struct PostRow {
    pub url: String,
    pub title: String,
    pub is_answer: bool,
    pub score: i32,
    pub accepted: bool,
    pub when: String,
}

/// One line of the reputation history.
pub struct LedgerRow {
    pub when: String,
    pub label: &'static str,
    pub amount: i32,
    /// False while the post it comes from is deleted.
    pub active: bool,
    /// The public question it comes from, as (url, title).
    pub link: Option<(String, String)>,
}

/// A badge the member holds.
pub struct EarnedRow {
    pub slug: String,
    pub name: String,
    pub tier: String,
    pub when: String,
    pub link: Option<(String, String)>,
}

/// `/users/{username}`.
#[derive(Template)]
#[template(path = "people/profile.html")]
pub struct ProfilePage {
    pub page: PageContext,
    pub card: MemberCard,
    /// (slug, name, tier) of the chosen flair badge.
    pub flair: Option<(String, String, String)>,
    pub contributor: bool,
    pub staff: bool,
    pub member_since: String,
    pub website: Option<String>,
    pub bio: SafeHtml,
    pub counts: (i64, i64, i64),
    pub tabs: Vec<Tab>,
    pub tab: &'static str,
    pub posts: Vec<PostRow>,
    pub rows: Vec<QuestionRow>,
    pub ledger: Vec<LedgerRow>,
    pub badges: Vec<EarnedRow>,
    pub pager: Option<Pager>,
    pub is_me: bool,
    /// For staff viewers: the contributor setting (`yes`, `no` or `auto`).
    pub contributor_setting: Option<&'static str>,
}

/// What the request asks of the profile, and who asks.
pub struct ProfileRequest {
    pub tab: &'static str,
    pub page: i64,
    pub viewer: Option<crate::db::ids::UserId>,
    pub viewer_is_staff: bool,
    pub thresholds: Thresholds,
    pub now: NaiveDateTime,
}

impl ProfileRequest {
    /// The tab named by `?tab=` (default: activity); an unknown one is refused.
    pub fn tab(wanted: Option<&str>) -> AppResult<&'static str> {
        let wanted = wanted.unwrap_or("activity");
        TABS.iter()
            .find(|(k, _)| *k == wanted)
            .map(|(k, _)| *k)
            .ok_or_else(|| AppError::BadRequest("Unknown tab.".into()))
    }
}

/// The profile page of a member.
pub fn profile_url(username: &str) -> String {
    format!(
        "/users/{}",
        url::form_urlencoded::byte_serialize(username.as_bytes()).collect::<String>()
    )
}

fn link(q: QuestionId, titles: &HashMap<QuestionId, String>) -> Option<(String, String)> {
    titles.get(&q).map(|t| (question_url(q.0, t), t.clone()))
}

fn post_row(l: people::PostLine, now: NaiveDateTime) -> PostRow {
    PostRow {
        url: match l.answer {
            Some(a) => format!("{}#answer-{a}", question_url(l.question.0, &l.title)),
            None => question_url(l.question.0, &l.title),
        },
        title: l.title,
        is_answer: l.answer.is_some(),
        score: l.score,
        accepted: l.accepted,
        when: ago(l.at, now),
    }
}

impl ProfilePage {
    /// The profile of `username` with the requested tab filled in.
    pub fn load(c: &mut DbConn, page: PageContext, username: &str, r: &ProfileRequest) -> AppResult<Self> {
        let u = people::member(c, username)?;
        let held = badge::of_user(c, u.id)?;
        let mut view = Self::header(c, page, &u, &held, r)?;
        let base = format!("{}?tab={}&", profile_url(&u.username), r.tab);
        let offset = (r.page - 1) * PER_PAGE;
        match r.tab {
            "activity" => view.posts = Self::posts(people::activity(c, u.id, PER_PAGE)?, r.now),
            "answers" => {
                let (lines, total) = people::answers_of(c, u.id, PER_PAGE, offset)?;
                view.posts = Self::posts(lines, r.now);
                view.pager = Some(Pager::new(&base, r.page, PER_PAGE, total));
            }
            "questions" => {
                let q = ListQuery {
                    author: Some(u.id),
                    sort: listing::Sort::Newest,
                    page: r.page,
                    per_page: PER_PAGE,
                    ..Default::default()
                };
                let (rows, total) = listing::list(c, &q)?;
                view.rows = rows.into_iter().map(|s| QuestionRow::from_summary(s, r.now)).collect();
                view.pager = Some(Pager::counted(&base, r.page, PER_PAGE, total));
            }
            "reputation" => {
                let (events, titles, total) = people::ledger(c, u.id, PER_PAGE, offset)?;
                view.ledger = events
                    .into_iter()
                    .map(|e| LedgerRow {
                        when: ago(e.created_at, r.now),
                        label: Reason::parse(&e.reason).map(Reason::label).unwrap_or("other"),
                        amount: e.amount,
                        active: e.active,
                        link: link(e.question_id, &titles),
                    })
                    .collect();
                view.pager = Some(Pager::new(&base, r.page, PER_PAGE, total));
            }
            _ => view.badges = Self::earned(c, held, r.now)?,
        }
        Ok(view)
    }

    fn posts(lines: Vec<people::PostLine>, now: NaiveDateTime) -> Vec<PostRow> {
        lines.into_iter().map(|l| post_row(l, now)).collect()
    }

    fn earned(c: &mut DbConn, held: Vec<badge::Held>, now: NaiveDateTime) -> AppResult<Vec<EarnedRow>> {
        let ids: Vec<_> = held.iter().filter_map(|(_, q, _)| *q).collect();
        let titles = badge::public_questions(c, &ids)?.into_iter().collect();
        Ok(held
            .into_iter()
            .map(|(b, q, at)| EarnedRow {
                link: q.and_then(|q| link(q, &titles)),
                slug: b.slug,
                name: b.name,
                tier: b.tier,
                when: ago(at, now),
            })
            .collect())
    }

    /// Everything above the tabs, and the tabs themselves.
    fn header(
        c: &mut DbConn,
        page: PageContext,
        u: &User,
        held: &[badge::Held],
        r: &ProfileRequest,
    ) -> AppResult<Self> {
        let flair = u
            .flair_badge_id
            .and_then(|f| held.iter().find(|(b, _, _)| b.id == f))
            .map(|(b, _, _)| (b.slug.clone(), b.name.clone(), b.tier.clone()));
        let url = profile_url(&u.username);
        Ok(ProfilePage {
            page,
            card: MemberCard::of(u),
            flair,
            contributor: is_contributor(u, &r.thresholds),
            staff: Role::of(u).is_staff(),
            member_since: fmt_time(u.created_at).chars().take(10).collect(),
            website: u.website.clone(),
            bio: SafeHtml::from_stored(u.bio_html.clone()),
            counts: people::badge_counts(c, u.id)?,
            tabs: TABS
                .iter()
                .map(|(k, label)| Tab {
                    label,
                    url: format!("{url}?tab={k}"),
                    current: *k == r.tab,
                })
                .collect(),
            tab: r.tab,
            posts: Vec::new(),
            rows: Vec::new(),
            ledger: Vec::new(),
            badges: Vec::new(),
            pager: None,
            is_me: r.viewer == Some(u.id),
            contributor_setting: r.viewer_is_staff.then_some(match u.contributor_override {
                Some(true) => "yes",
                Some(false) => "no",
                None => "auto",
            }),
        })
    }
}

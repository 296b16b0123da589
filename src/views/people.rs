//! Member pages: profiles with their tabs, the profile form, the users directory, leaderboards.

use askama::Template;

use super::admin::Pager;
use super::questions::{QuestionRow, Tab};
use super::PageContext;
use crate::error::FieldErrors;
use crate::markdown::SafeHtml;

/// A member as lists show them.
pub struct MemberCard {
    pub username: String,
    pub name: String,
    pub avatar_url: String,
    pub reputation: i64,
    pub location: Option<String>,
}

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

/// A choice in a select.
pub struct Option2 {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// `/settings/profile`.
#[derive(Template)]
#[template(path = "account/profile.html")]
pub struct ProfileForm {
    pub page: PageContext,
    pub username: String,
    pub avatar_url: String,
    pub has_upload: bool,
    pub display_name: String,
    pub bio: String,
    pub location: String,
    pub website: String,
    pub flairs: Vec<Option2>,
    pub errors: FieldErrors,
    pub preview: Option<SafeHtml>,
}

/// `/users`.
#[derive(Template)]
#[template(path = "people/users.html")]
pub struct UsersPage {
    pub page: PageContext,
    pub q: String,
    pub members: Vec<MemberCard>,
    pub pager: Pager,
}

/// `/leaderboard`.
#[derive(Template)]
#[template(path = "people/leaderboard.html")]
pub struct LeaderboardPage {
    pub page: PageContext,
    pub periods: Vec<Tab>,
    pub measures: Vec<Tab>,
    pub heading: String,
    /// (rank, member, value).
    pub rows: Vec<(usize, MemberCard, i64)>,
    pub unit: &'static str,
}

/// Where a member's picture is served (versioned, so it may be cached for long).
pub fn avatar_url(username: &str, version: i64) -> String {
    format!(
        "/users/{}/avatar?v={version}",
        url::form_urlencoded::byte_serialize(username.as_bytes()).collect::<String>()
    )
}

impl MemberCard {
    /// The card of a member.
    pub fn of(u: &crate::models::user::User) -> Self {
        MemberCard {
            username: u.username.clone(),
            name: u.shown_name().to_owned(),
            avatar_url: avatar_url(&u.username, u.avatar_version),
            reputation: u.reputation,
            location: u.location.clone(),
        }
    }
}

//! Member pages: the member card, the profile form, the users directory, leaderboards (the
//! profile page itself is `views::profile`).

use askama::Template;

use super::admin::Pager;
use super::questions::Tab;
use super::PageContext;
use crate::domain::members::profiles::ProfileInput;
use crate::error::FieldErrors;
use crate::markdown::SafeHtml;
use crate::models::badge::Held;
use crate::models::user::User;
use crate::queries::people::{Measure, Period};

/// A member as lists show them.
pub struct MemberCard {
    pub username: String,
    pub name: String,
    pub avatar_url: String,
    pub reputation: i64,
    pub location: Option<String>,
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
    pub fn of(u: &User) -> Self {
        MemberCard {
            username: u.username.clone(),
            name: u.shown_name().to_owned(),
            avatar_url: avatar_url(&u.username, u.avatar_version),
            reputation: u.reputation,
            location: u.location.clone(),
        }
    }
}

impl LeaderboardPage {
    /// The board of one period and measure, with the tabs to the others.
    pub fn new(page: PageContext, period: Period, measure: Measure, rows: &[(User, i64)]) -> Self {
        let tab = |per: Period, by: Measure, label: &'static str| Tab {
            label,
            url: format!("/leaderboard?period={}&by={}", per.as_str(), by.as_str()),
            current: per == period && by == measure,
        };
        let heading = match (measure, period) {
            (Measure::Reputation, Period::Week) => "Reputation gained this week",
            (Measure::Reputation, Period::Month) => "Reputation gained this month",
            (Measure::Reputation, Period::All) => "Reputation, all time",
            (Measure::Accepted, Period::Week) => "Answers accepted this week",
            (Measure::Accepted, Period::Month) => "Answers accepted this month",
            (Measure::Accepted, Period::All) => "Answers accepted, all time",
        };
        LeaderboardPage {
            page,
            periods: vec![
                tab(Period::Week, measure, "This week"),
                tab(Period::Month, measure, "This month"),
                tab(Period::All, measure, "All time"),
            ],
            measures: vec![
                tab(period, Measure::Reputation, "Reputation"),
                tab(period, Measure::Accepted, "Accepted answers"),
            ],
            heading: heading.into(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, (u, v))| (i + 1, MemberCard::of(u), *v))
                .collect(),
            unit: if measure == Measure::Reputation {
                "Reputation"
            } else {
                "Accepted"
            },
        }
    }
}

impl ProfileForm {
    /// The profile form of `u`, filled from `input` (what they sent) or from their profile.
    pub fn new(
        page: PageContext,
        u: User,
        held: Vec<Held>,
        input: Option<ProfileInput>,
        errors: FieldErrors,
        preview: Option<SafeHtml>,
    ) -> Self {
        let input = input.unwrap_or_else(|| ProfileInput {
            display_name: u.display_name.clone().unwrap_or_default(),
            bio: u.bio.clone(),
            location: u.location.clone().unwrap_or_default(),
            website: u.website.clone().unwrap_or_default(),
            flair: held
                .iter()
                .find(|(b, _, _)| Some(b.id) == u.flair_badge_id)
                .map(|(b, _, _)| b.slug.clone())
                .unwrap_or_default(),
        });
        // A repeatable badge is one flair choice however often it was earned.
        let mut seen = std::collections::HashSet::new();
        let flairs = held
            .into_iter()
            .filter(|(b, _, _)| seen.insert(b.id))
            .map(|(b, _, _)| Option2 {
                selected: b.slug == input.flair,
                label: format!("{} ({})", b.name, b.tier),
                value: b.slug,
            })
            .collect();
        ProfileForm {
            page,
            avatar_url: avatar_url(&u.username, u.avatar_version),
            has_upload: u.avatar_version > 0,
            username: u.username,
            display_name: input.display_name,
            bio: input.bio,
            location: input.location,
            website: input.website,
            flairs,
            errors,
            preview,
        }
    }
}

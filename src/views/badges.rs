//! Badge and notification pages.

use askama::Template;

use super::admin::Pager;
use super::PageContext;
use chrono::NaiveDateTime;

use super::questions::{ago, question_url};
use crate::db::ids::QuestionId;
use crate::error::FieldErrors;
use crate::models::badge::{Badge, Recipient};

/// A badge in the catalogue.
pub struct BadgeRow {
    pub slug: String,
    pub name: String,
    pub tier: String,
    pub description: String,
    pub holders: i64,
    pub manual: bool,
    pub repeatable: bool,
    pub mine: bool,
}

/// `/badges`.
#[derive(Template)]
#[template(path = "badges/index.html")]
pub struct BadgesPage {
    pub page: PageContext,
    /// (tier, badges of that tier).
    pub tiers: Vec<(&'static str, Vec<BadgeRow>)>,
    pub can_manage: bool,
    pub errors: FieldErrors,
    pub name: String,
    pub tier: String,
    pub description: String,
}

/// One recipient on a badge page.
pub struct RecipientRow {
    pub award_id: i64,
    pub username: String,
    pub name: String,
    pub when: String,
    /// The public question it was earned on (repeatable badges), as (url, title).
    pub post: Option<(String, String)>,
}

/// `/badges/{slug}`.
#[derive(Template)]
#[template(path = "badges/show.html")]
pub struct BadgePage {
    pub page: PageContext,
    pub badge: BadgeRow,
    pub recipients: Vec<RecipientRow>,
    pub pager: Pager,
    pub can_grant: bool,
    pub errors: FieldErrors,
    pub username: String,
    pub reason: String,
}

/// One notification.
pub struct NotificationRow {
    pub title: String,
    pub link: String,
    pub when: String,
    pub unread: bool,
}

/// `/notifications`.
#[derive(Template)]
#[template(path = "badges/notifications.html")]
pub struct NotificationsPage {
    pub page: PageContext,
    pub items: Vec<NotificationRow>,
    pub pager: Pager,
    pub unread: usize,
}

impl BadgeRow {
    /// A badge with how many hold it, and whether the viewer does.
    pub fn of(b: Badge, holders: i64, mine: bool) -> Self {
        BadgeRow {
            slug: b.slug,
            name: b.name,
            tier: b.tier,
            description: b.description,
            holders,
            manual: b.manual,
            repeatable: b.repeatable,
            mine,
        }
    }
}

impl RecipientRow {
    /// A recipient; `public` are the questions that may be named (a private group's are not named
    /// to anyone here).
    pub fn of(r: Recipient, public: &[(QuestionId, String)], now: NaiveDateTime) -> Self {
        RecipientRow {
            award_id: r.award_id,
            name: r
                .display_name
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| r.username.clone()),
            username: r.username,
            when: ago(r.created_at, now),
            post: r
                .question_id
                .and_then(|q| public.iter().find(|(id, _)| *id == q))
                .map(|(id, title)| (question_url(id.0, title), title.clone())),
        }
    }
}

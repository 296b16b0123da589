//! Badge and notification pages.

use askama::Template;

use super::admin::Pager;
use super::PageContext;
use crate::error::FieldErrors;

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

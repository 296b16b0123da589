//! Reputation pages: the privileges page and the admin form for its thresholds.

use askama::Template;

use super::PageContext;
use crate::error::FieldErrors;

/// One row of the privileges page.
pub struct PrivilegeRow {
    pub label: &'static str,
    pub description: &'static str,
    pub threshold: i64,
    /// For a signed-in viewer: how much more they need (0 when earned).
    pub missing: Option<i64>,
}

/// One way to earn or lose reputation.
pub struct EarnRow {
    pub what: &'static str,
    pub amount: i32,
}

/// `/privileges`.
#[derive(Template)]
#[template(path = "reputation/privileges.html")]
pub struct PrivilegesPage {
    pub page: PageContext,
    pub reputation: Option<i64>,
    pub privileges: Vec<PrivilegeRow>,
    pub earn: Vec<EarnRow>,
    pub daily_cap: i64,
}

/// One field of the thresholds form.
pub struct ThresholdField {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

/// `/admin/reputation`.
#[derive(Template)]
#[template(path = "reputation/thresholds.html")]
pub struct ThresholdsPage {
    pub page: PageContext,
    pub fields: Vec<ThresholdField>,
    pub errors: FieldErrors,
}

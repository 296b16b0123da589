//! The support settings page and what the ask page promises.

use askama::Template;

use super::PageContext;
use crate::error::FieldErrors;

/// One weekday row of the form.
pub struct DayField {
    pub key: &'static str,
    pub name: &'static str,
    pub value: String,
}

/// `/admin/support`.
#[derive(Template)]
#[template(path = "admin/support.html")]
pub struct SupportPage {
    pub page: PageContext,
    pub timezone: String,
    pub days: Vec<DayField>,
    pub holidays: String,
    pub sla_minutes: String,
    pub errors: FieldErrors,
    /// The weekly digest's recipients, one per line.
    pub recipients: String,
}

/// `/admin/brand`.
#[derive(Template)]
#[template(path = "admin/brand.html")]
pub struct BrandPage {
    pub page: PageContext,
    pub form: crate::domain::site::branding::BrandInput,
    pub errors: FieldErrors,
    /// The WCAG AA ratio the colours must meet, for the form's hint.
    pub min_contrast: f64,
}

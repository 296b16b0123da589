//! General pages: home, a one-message page, and the error page.

use askama::Template;

use super::PageContext;

/// A page that only says something (link sent, email confirmed, link expired...).
#[derive(Template)]
#[template(path = "pages/message.html")]
pub struct Message {
    pub page: PageContext,
    pub title: String,
    pub body: String,
    pub link: Option<(String, String)>,
}

/// Every error status, branded.
#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    pub page: PageContext,
    pub status: u16,
    pub title: String,
    pub message: String,
}

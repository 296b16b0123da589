//! General pages.

use actix_web::HttpResponse;

use crate::error::AppResult;
use crate::views::{self, pages::Home, PageContext};

/// `GET /`.
pub async fn home(page: PageContext) -> AppResult<HttpResponse> {
    views::ok(&Home { page })
}

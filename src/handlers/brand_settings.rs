//! `/admin/brand`: the site's name, tagline and colours (`manage_settings`, audited).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::auth::CurrentUser;
use crate::domain::access::permissions::Permission;
use crate::domain::site::branding::{self, BrandInput, AA_CONTRAST};
use crate::error::AppResult;
use crate::error::FieldErrors;
use crate::state::AppState;
use crate::views::support::BrandPage;
use crate::views::{self, PageContext};

fn page(req: &HttpRequest, form: BrandInput, errors: FieldErrors) -> BrandPage {
    BrandPage {
        page: PageContext::new(req),
        form,
        errors,
        min_contrast: AA_CONTRAST,
    }
}

/// `GET /admin/brand`.
pub async fn show(state: web::Data<AppState>, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    views::ok(&page(&req, BrandInput::of(&state.brand()), FieldErrors::new()))
}

/// `POST /admin/brand`: refused with the reasons beside the fields when a colour fails contrast.
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    let f = form.into_inner();
    let field = |k: &str| f.get(k).cloned().unwrap_or_default();
    let input = BrandInput {
        site_name: field("site_name"),
        tagline: field("tagline"),
        primary_color: field("primary_color"),
        accent_color: field("accent_color"),
    };
    let done = ("/admin/brand", "The brand is saved.");
    match super::save_settings(&state, &req, &user, input.clone(), branding::save, done).await? {
        Ok(saved) => Ok(saved),
        Err(errors) => views::invalid(&page(&req, input, errors)),
    }
}

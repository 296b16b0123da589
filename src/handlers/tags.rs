//! `/tags` and tag descriptions.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::domain::access::permissions::Permission;
use crate::domain::qa::tags;
use crate::error::FieldErrors;
use crate::error::FormOutcome;
use crate::error::{AppError, AppResult};
use crate::models::tag;
use crate::state::AppState;
use crate::views::questions::{TagEditPage, TagsPage};
use crate::views::{self, PageContext};

/// `GET /tags`: the most used tags.
pub async fn index(state: web::Data<AppState>, page: PageContext) -> AppResult<HttpResponse> {
    let list = state.db.run(|c| Ok(tag::popular(c, 500)?)).await?;
    views::ok(&TagsPage {
        page,
        tags: list.into_iter().map(|t| (t.name, t.question_count)).collect(),
    })
}

/// `GET /tags/{name}/edit`.
pub async fn edit_form(
    state: web::Data<AppState>,
    page: PageContext,
    user: CurrentUser,
    name: web::Path<String>,
) -> AppResult<HttpResponse> {
    user.require(Permission::EditOthers)?;
    let name = name.into_inner();
    let n = name.clone();
    let t = state
        .db
        .run(move |c| Ok(tag::find_by_name(c, &n)?))
        .await?
        .ok_or(AppError::NotFound)?;
    views::ok(&TagEditPage {
        page,
        name: t.name,
        description: t.description,
        errors: FieldErrors::new(),
    })
}

/// The description form.
#[derive(Deserialize)]
pub struct DescribeForm {
    description: String,
}

/// `POST /tags/{name}/edit`.
pub async fn edit(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    name: web::Path<String>,
    form: web::Form<DescribeForm>,
) -> AppResult<HttpResponse> {
    let name = name.into_inner();
    let description = form.into_inner().description;
    let actor = super::actor(&req, &state, &user);
    let (perms, n, d) = (user.0.permissions, name.clone(), description.clone());
    match state
        .db
        .run(move |c| tags::describe(c, &actor, perms, &n, &d))
        .await
        .or_form_errors()?
    {
        Ok(()) => Ok(views::redirect(&format!(
            "/tags/{}",
            url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
        ))),
        Err(errors) => views::invalid(&TagEditPage {
            page: PageContext::new(&req),
            name,
            description,
            errors,
        }),
    }
}

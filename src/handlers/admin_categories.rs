//! `/admin/categories`: list, create and edit categories (`manage_settings`).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::{self, ids::CategoryId};
use crate::domain::access::audit::Actor;
use crate::domain::access::permissions::Permission;
use crate::domain::qa::categories::{self, CategoryInput};
use crate::error::AppResult;
use crate::error::FieldErrors;
use crate::error::FormOutcome;
use crate::models::category;
use crate::state::AppState;
use crate::views::flash::Flash;
use crate::views::questions::{CategoriesAdmin, CategoryLine};
use crate::views::{self, PageContext};
use crate::web::client_ip;

async fn page(
    state: &AppState,
    req: &HttpRequest,
    errors: FieldErrors,
    input: CategoryInput,
) -> AppResult<CategoriesAdmin> {
    let list = state.db.run(|c| Ok(category::list(c)?)).await?;
    Ok(CategoriesAdmin {
        page: PageContext::new(req),
        categories: list
            .into_iter()
            .map(|c| CategoryLine {
                id: c.id.0,
                name: c.name,
                slug: c.slug,
                description: c.description,
                position: c.position,
            })
            .collect(),
        errors,
        name: input.name,
        slug: input.slug,
        description: input.description,
        position: input.position,
    })
}

/// `GET /admin/categories`.
pub async fn list(state: web::Data<AppState>, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    views::ok(&page(&state, &req, FieldErrors::new(), CategoryInput::default()).await?)
}

/// The category form.
#[derive(Deserialize)]
pub struct CategoryForm {
    name: String,
    slug: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    position: Option<String>,
}

impl CategoryForm {
    fn input(self) -> Result<CategoryInput, FieldErrors> {
        let position = match self.position.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => 0,
            Some(p) => p
                .parse()
                .map_err(|_| FieldErrors::one("position", "Use a whole number."))?,
        };
        Ok(CategoryInput {
            name: self.name,
            slug: self.slug,
            description: self.description,
            position,
        })
    }
}

async fn save(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    id: Option<CategoryId>,
    form: CategoryForm,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    let fallback = CategoryInput {
        name: form.name.clone(),
        slug: form.slug.clone(),
        description: form.description.clone(),
        position: 0,
    };
    let input = match form.input() {
        Ok(i) => i,
        Err(errors) => return views::invalid(&page(state, req, errors, fallback).await?),
    };
    let actor = Actor {
        user: Some(user.user().id),
        ip: Some(client_ip(req, &state.config)),
    };
    let (perms, i) = (user.0.permissions, input.clone());
    match state
        .db
        .run(move |c| categories::save(c, &actor, perms, id, &i, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(_) => views::redirect_with(
            state,
            "/admin/categories",
            Flash::success(format!("Category “{}” saved.", input.name.trim())),
        ),
        Err(errors) => views::invalid(&page(state, req, errors, input).await?),
    }
}

/// `POST /admin/categories`.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<CategoryForm>,
) -> AppResult<HttpResponse> {
    save(&state, &req, &user, None, form.into_inner()).await
}

/// `POST /admin/categories/{id}`.
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<CategoryId>,
    form: web::Form<CategoryForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let exists = state.db.run(move |c| Ok(category::find(c, id)?)).await;
    exists?;
    save(&state, &req, &user, Some(id), form.into_inner()).await
}

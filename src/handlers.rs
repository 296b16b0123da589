//! Thin actix handlers, one module per area: extract, authorise, call the domain, render or redirect.

pub mod accounts;
pub mod admin_categories;
pub mod admin_users;
pub mod api;
pub mod api_tokens;
pub mod api_write;
pub mod audit;
pub mod badges;
pub mod brand_settings;
pub mod editing;
pub mod health;
pub mod kpi_dashboard;
pub mod people;
pub mod privileges;
pub mod profile_settings;
pub mod questions;
pub mod search;
pub mod settings;
pub mod static_files;
pub mod support_settings;
pub mod surveys;
pub mod tags;
pub mod votes;

use actix_web::HttpRequest;

use crate::auth::extract::Authenticated;
use crate::auth::CurrentUser;
use crate::domain::access::abilities::Poster;
use crate::domain::access::permissions::Role;
use crate::web::client_ip;

/// The signed-in user as the posting rules see them.
pub fn poster(user: &CurrentUser) -> Poster {
    poster_of(&user.0)
}

/// A signed-in user, found by `MaybeUser` or `CurrentUser`, as the posting rules see them.
pub fn poster_of(a: &Authenticated) -> Poster {
    Poster {
        id: a.user.id,
        permissions: a.permissions,
        is_staff: Role::of(&a.user).is_staff(),
        comment_anywhere: a.comment_anywhere,
    }
}

/// A signed-in user acting from this request's address, for the audit log.
pub fn actor(
    req: &HttpRequest,
    state: &crate::state::AppState,
    user: &crate::auth::CurrentUser,
) -> crate::domain::access::audit::Actor {
    crate::domain::access::audit::Actor {
        user: Some(user.user().id),
        ip: Some(client_ip(req, &state.config)),
    }
}

/// Saves a settings form through `save` (which checks permission, validates and audits), then
/// reloads the settings and redirects to `back` with `saved`; the form's errors come back as `Err`.
pub async fn save_settings<I, T>(
    state: &actix_web::web::Data<crate::state::AppState>,
    req: &HttpRequest,
    user: &crate::auth::CurrentUser,
    input: I,
    save: fn(
        &mut crate::db::DbConn,
        &crate::domain::access::audit::Actor,
        crate::domain::access::permissions::PermissionSet,
        &I,
        chrono::NaiveDateTime,
    ) -> crate::error::AppResult<T>,
    (back, saved): (&str, &str),
) -> crate::error::AppResult<Result<actix_web::HttpResponse, crate::error::FieldErrors>>
where
    I: Send + 'static,
    T: Send + 'static,
{
    use crate::error::FormOutcome;
    let (actor, perms) = (actor(req, state, user), user.0.permissions);
    match state
        .db
        .run(move |c| save(c, &actor, perms, &input, crate::db::now()))
        .await
        .or_form_errors()?
    {
        Ok(_) => {
            state.reload_settings().await?;
            crate::views::redirect_with(state, back, crate::views::flash::Flash::success(saved)).map(Ok)
        }
        Err(errors) => Ok(Err(errors)),
    }
}

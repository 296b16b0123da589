//! `/settings/tokens`: the signed-in user's personal access tokens for the API — create (the
//! secret is shown on that one response), list, revoke.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::ids::ApiTokenId;
use crate::db::{self};
use crate::domain::members::api_tokens;
use crate::error::AppResult;
use crate::error::FieldErrors;
use crate::error::FormOutcome;
use crate::state::AppState;
use crate::views::account::{TokenRow, Tokens};
use crate::views::flash::Flash;
use crate::views::{self, fmt_time, PageContext};

async fn page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    errors: FieldErrors,
    (name, scope): (String, String),
    minted: Option<String>,
) -> AppResult<Tokens> {
    let id = user.user().id;
    let rows = state.db.run(move |c| api_tokens::list(c, id)).await?;
    Ok(Tokens {
        page: PageContext::new(req),
        tokens: rows
            .into_iter()
            .map(|t| TokenRow {
                id: t.id.0,
                name: t.name,
                scope: t.scope,
                created: fmt_time(t.created_at),
                last_used: t.last_used_at.map(fmt_time).unwrap_or_else(|| "never".into()),
            })
            .collect(),
        errors,
        name,
        scope,
        minted,
    })
}

/// `GET /settings/tokens`.
pub async fn list(state: web::Data<AppState>, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    user.session()?;
    views::ok(&page(&state, &req, &user, FieldErrors::new(), Default::default(), None).await?)
}

/// The new-token form.
#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
}

/// `POST /settings/tokens`: makes a token and shows its secret on this response only (never in
/// a redirect or a cookie, so it is not kept anywhere on the way).
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<CreateForm>,
) -> AppResult<HttpResponse> {
    user.session()?;
    let CreateForm { name, scope } = form.into_inner();
    let (id, n, s) = (user.user().id, name.clone(), scope.clone());
    match state
        .db
        .run(move |c| api_tokens::create(c, id, &n, &s, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(minted) => views::ok(
            &page(
                &state,
                &req,
                &user,
                FieldErrors::new(),
                Default::default(),
                Some(minted.secret),
            )
            .await?,
        ),
        Err(errors) => views::invalid(&page(&state, &req, &user, errors, (name, scope), None).await?),
    }
}

/// `POST /settings/tokens/{id}/revoke`: only the owner's own live tokens (404 otherwise).
pub async fn revoke(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<ApiTokenId>,
) -> AppResult<HttpResponse> {
    user.session()?;
    let (uid, tid) = (user.user().id, id.into_inner());
    state
        .db
        .run(move |c| api_tokens::revoke(c, uid, tid, db::now()))
        .await?;
    views::redirect_with(&state, "/settings/tokens", Flash::success("The token is revoked."))
}

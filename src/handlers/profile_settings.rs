//! `/settings/profile`: the signed-in member's profile form (with a bio preview that needs no
//! script) and picture upload (multipart, 1 MB at most, re-encoded before it is kept).

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::TryStreamExt;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db;
use crate::domain::members::avatars::{self, MAX_BYTES};
use crate::domain::members::profiles::{self, ProfileInput};
use crate::error::FieldErrors;
use crate::error::FormOutcome;
use crate::error::{AppError, AppResult};
use crate::markdown::{self, SafeHtml};
use crate::models::{badge, user};
use crate::state::AppState;
use crate::views::flash::Flash;
use crate::views::people::ProfileForm;
use crate::views::{self, PageContext};

async fn form(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    input: Option<ProfileInput>,
    errors: FieldErrors,
    preview: Option<SafeHtml>,
) -> AppResult<ProfileForm> {
    let id = user.user().id;
    let (u, held) = state
        .db
        .run(move |c| Ok((user::find(c, id)?, badge::of_user(c, id)?)))
        .await?;
    Ok(ProfileForm::new(PageContext::new(req), u, held, input, errors, preview))
}

/// `GET /settings/profile`.
pub async fn show(state: web::Data<AppState>, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    user.session()?;
    views::ok(&form(&state, &req, &user, None, FieldErrors::new(), None).await?)
}

/// The profile form; `action` is `save` or `preview`.
#[derive(Deserialize)]
pub struct ProfileFields {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    flair: String,
    action: Option<String>,
}

/// `POST /settings/profile`.
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    f: web::Form<ProfileFields>,
) -> AppResult<HttpResponse> {
    user.session()?;
    let f = f.into_inner();
    let input = ProfileInput {
        display_name: f.display_name,
        bio: f.bio,
        location: f.location,
        website: f.website,
        flair: f.flair,
    };
    if f.action.as_deref() == Some("preview") {
        let preview = Some(markdown::render(&input.bio));
        return views::ok(&form(&state, &req, &user, Some(input), FieldErrors::new(), preview).await?);
    }
    let (id, i) = (user.user().id, input.clone());
    match state
        .db
        .run(move |c| profiles::save(c, id, &i, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(welcomed) => {
            let note = if welcomed {
                "Your profile is saved, and complete: you earned the Welcome badge."
            } else {
                "Your profile is saved."
            };
            views::redirect_with(&state, "/settings/profile", Flash::success(note))
        }
        Err(errors) => views::invalid(&form(&state, &req, &user, Some(input), errors, None).await?),
    }
}

/// Reads the `avatar` file of a multipart form. The whole body may be at most `MAX_BYTES` and a
/// little for the form's framing: every field is counted, not only the file.
async fn read_avatar(mut payload: Multipart) -> AppResult<Vec<u8>> {
    const BODY_LIMIT: usize = MAX_BYTES + 16 * 1024;
    let bad = |e: actix_multipart::MultipartError| AppError::BadRequest(format!("The upload is malformed: {e}."));
    let (mut total, mut avatar) = (0usize, None);
    while let Some(mut field) = payload.try_next().await.map_err(bad)? {
        let is_avatar = field.name() == Some("avatar");
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(bad)? {
            total += chunk.len();
            if total > BODY_LIMIT || (is_avatar && bytes.len() + chunk.len() > MAX_BYTES) {
                return Err(AppError::PayloadTooLarge);
            }
            if is_avatar {
                bytes.extend_from_slice(&chunk);
            }
        }
        if is_avatar && avatar.is_none() {
            avatar = Some(bytes);
        }
    }
    avatar
        .filter(|b| !b.is_empty())
        .ok_or_else(|| AppError::BadRequest("Choose an image file to upload.".into()))
}

/// `POST /settings/profile/avatar` (multipart; the CSRF token rides in the query string).
pub async fn upload_avatar(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    user.session()?;
    let bytes = read_avatar(payload).await?;
    // Decoding is CPU work: off the async workers.
    let png = match web::block(move || avatars::process(&bytes))
        .await
        .map_err(|e| AppError::caused("avatar task", e))?
    {
        Ok(png) => png,
        Err(why) => {
            let errors = FieldErrors::one("avatar", format!("That picture was not accepted: {why}."));
            return views::invalid(&form(&state, &req, &user, None, errors, None).await?);
        }
    };
    let id = user.user().id;
    state
        .db
        .run(move |c| profiles::set_avatar(c, id, &png, db::now()))
        .await?;
    views::redirect_with(&state, "/settings/profile", Flash::success("Your new picture is up."))
}

/// `POST /settings/profile/avatar/remove`.
pub async fn remove_avatar(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    user.session()?;
    let id = user.user().id;
    state.db.run(move |c| profiles::remove_avatar(c, id)).await?;
    views::redirect_with(
        &state,
        "/settings/profile",
        Flash::success("You have the generated picture again."),
    )
}

//! `/badges` (the catalogue, and the manual-badge form for staff), `/badges/{slug}` (recent
//! recipients; grant and revoke for manual badges), and `/notifications`.

use std::collections::HashSet;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::actor;
use crate::auth::{CurrentUser, MaybeUser};
use crate::db;
use crate::domain::access::permissions::Role;
use crate::domain::badges::awards::TIERS;
use crate::domain::badges::manual::{self, BadgeInput};
use crate::domain::notifications;
use crate::error::FieldErrors;
use crate::error::FormOutcome;
use crate::error::{AppError, AppResult};
use crate::models::badge;
use crate::state::AppState;
use crate::views::admin::Pager;
use crate::views::badges::{BadgePage, BadgeRow, BadgesPage, NotificationRow, NotificationsPage, RecipientRow};
use crate::views::flash::Flash;
use crate::views::questions::ago;
use crate::views::{self, PageContext};

const PER_PAGE: i64 = 30;

fn is_staff(viewer: &MaybeUser) -> bool {
    viewer.0.as_ref().is_some_and(|a| Role::of(&a.user).is_staff())
}

async fn index_page(
    state: &AppState,
    req: &HttpRequest,
    viewer: &MaybeUser,
    errors: FieldErrors,
    input: BadgeInput,
) -> AppResult<BadgesPage> {
    let me = viewer.0.as_ref().map(|a| a.user.id);
    let (all, mine) = state
        .db
        .run(move |c| {
            let mine: HashSet<i64> = match me {
                Some(u) => badge::of_user(c, u)?.into_iter().map(|(b, _, _)| b.id).collect(),
                None => HashSet::new(),
            };
            Ok((badge::list_with_holders(c)?, mine))
        })
        .await?;
    let mut tiers: Vec<(&'static str, Vec<BadgeRow>)> = TIERS.iter().map(|t| (*t, Vec::new())).collect();
    for (b, holders) in all {
        let held = mine.contains(&b.id);
        if let Some((_, list)) = tiers.iter_mut().find(|(t, _)| *t == b.tier) {
            list.push(BadgeRow::of(b, holders, held));
        }
    }
    Ok(BadgesPage {
        page: PageContext::new(req),
        tiers,
        can_manage: is_staff(viewer),
        errors,
        name: input.name,
        tier: input.tier,
        description: input.description,
    })
}

/// `GET /badges`.
pub async fn index(state: web::Data<AppState>, req: HttpRequest, viewer: MaybeUser) -> AppResult<HttpResponse> {
    views::ok(&index_page(&state, &req, &viewer, FieldErrors::new(), BadgeInput::default()).await?)
}

/// The new-badge form.
#[derive(Deserialize)]
pub struct BadgeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    description: String,
}

/// `POST /badges`: staff create a manual badge.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<BadgeForm>,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    let input = BadgeInput {
        name: f.name,
        tier: f.tier,
        description: f.description,
    };
    let (a, staff, i) = (
        actor(&req, &state, &user),
        Role::of(user.user()).is_staff(),
        input.clone(),
    );
    match state
        .db
        .run(move |c| manual::create(c, &a, staff, &i, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(slug) => views::redirect_with(
            &state,
            &format!("/badges/{slug}"),
            Flash::success("The badge is created."),
        ),
        Err(errors) => {
            let viewer = MaybeUser(Some(user.0.clone()));
            views::invalid(&index_page(&state, &req, &viewer, errors, input).await?)
        }
    }
}

/// `?page=`.
#[derive(Deserialize)]
pub struct PageParams {
    page: Option<i64>,
}

fn page_no(p: Option<i64>) -> AppResult<i64> {
    let n = p.unwrap_or(1);
    if !(1..=crate::queries::listing::MAX_PAGE).contains(&n) {
        return Err(AppError::BadRequest("The page must be from 1 to 100000.".into()));
    }
    Ok(n)
}

async fn badge_page(
    state: &AppState,
    req: &HttpRequest,
    viewer: &MaybeUser,
    slug: String,
    page: i64,
    errors: FieldErrors,
    (username, reason): (String, String),
) -> AppResult<BadgePage> {
    let (b, holders, (rows, total), public) = state
        .db
        .run(move |c| {
            let b = badge::find_by_slug(c, &slug)?.ok_or(AppError::NotFound)?;
            let holders = badge::holder_count(c, b.id)?;
            let page = badge::recipients(c, b.id, PER_PAGE, (page - 1) * PER_PAGE)?;
            let ids: Vec<_> = page.0.iter().filter_map(|r| r.question_id).collect();
            let public = badge::public_questions(c, &ids)?;
            Ok((b, holders, page, public))
        })
        .await?;
    let now = db::now();
    let can_grant = b.manual && is_staff(viewer);
    let base = format!("/badges/{}?", b.slug);
    Ok(BadgePage {
        page: PageContext::new(req),
        recipients: rows.into_iter().map(|r| RecipientRow::of(r, &public, now)).collect(),
        pager: Pager::new(&base, page, PER_PAGE, total),
        badge: BadgeRow::of(b, holders, false),
        can_grant,
        errors,
        username,
        reason,
    })
}

/// `GET /badges/{slug}`.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: MaybeUser,
    slug: web::Path<String>,
    p: web::Query<PageParams>,
) -> AppResult<HttpResponse> {
    let page = page_no(p.page)?;
    views::ok(
        &badge_page(
            &state,
            &req,
            &viewer,
            slug.into_inner(),
            page,
            FieldErrors::new(),
            Default::default(),
        )
        .await?,
    )
}

/// The grant form.
#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    reason: String,
}

/// `POST /badges/{slug}/awards`: staff give a manual badge.
pub async fn grant(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    slug: web::Path<String>,
    form: web::Form<GrantForm>,
) -> AppResult<HttpResponse> {
    let slug = slug.into_inner();
    let GrantForm { username, reason } = form.into_inner();
    let (a, staff, s, u, r) = (
        actor(&req, &state, &user),
        Role::of(user.user()).is_staff(),
        slug.clone(),
        username.clone(),
        reason.clone(),
    );
    match state
        .db
        .run(move |c| manual::grant(c, &a, staff, &s, &u, &r, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(()) => views::redirect_with(
            &state,
            &format!("/badges/{slug}"),
            Flash::success(format!("{username} has the badge now.")),
        ),
        Err(errors) => {
            let viewer = MaybeUser(Some(user.0.clone()));
            views::invalid(&badge_page(&state, &req, &viewer, slug, 1, errors, (username, reason)).await?)
        }
    }
}

/// `POST /badges/{slug}/awards/{id}/revoke`.
pub async fn revoke(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (slug, award) = path.into_inner();
    let (a, staff, s) = (
        actor(&req, &state, &user),
        Role::of(user.user()).is_staff(),
        slug.clone(),
    );
    state.db.run(move |c| manual::revoke(c, &a, staff, &s, award)).await?;
    views::redirect_with(
        &state,
        &format!("/badges/{slug}"),
        Flash::success("The badge is revoked."),
    )
}

/// `GET /notifications`.
pub async fn notifications(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    p: web::Query<PageParams>,
) -> AppResult<HttpResponse> {
    let page = page_no(p.page)?;
    let id = user.user().id;
    let (rows, total) = state
        .db
        .run(move |c| notifications::page(c, id, page, PER_PAGE))
        .await?;
    let now = db::now();
    // The session layer counted the unread ones for the header already.
    let unread = usize::try_from(user.0.unread).unwrap_or(0);
    views::ok(&NotificationsPage {
        page: PageContext::new(&req),
        items: rows
            .into_iter()
            .map(|n| NotificationRow {
                title: n.title,
                link: n.link,
                when: ago(n.created_at, now),
                unread: n.read_at.is_none(),
            })
            .collect(),
        pager: Pager::new("/notifications?", page, PER_PAGE, total),
        unread,
    })
}

/// `POST /notifications/read`.
pub async fn mark_read(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.user().id;
    state
        .db
        .run(move |c| notifications::mark_all_read(c, id, db::now()))
        .await?;
    Ok(views::redirect("/notifications"))
}

//! Member pages: `/users/{username}` (profile and its tabs), `/users/{username}/avatar`,
//! `/users` (directory), `/leaderboard`.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::{CurrentUser, MaybeUser};
use crate::db;
use crate::domain::access::permissions::Role;
use crate::domain::members::avatars;
use crate::domain::members::profiles;
use crate::error::{AppError, AppResult};
use crate::queries::listing::MAX_PAGE;
use crate::queries::people::{self, Measure, Period};
use crate::state::AppState;
use crate::views::admin::Pager;
use crate::views::flash::Flash;
use crate::views::people::{LeaderboardPage, MemberCard, UsersPage};
use crate::views::profile::{profile_url, ProfilePage, ProfileRequest};
use crate::views::{self, PageContext};

const PER_PAGE: i64 = 30;

/// `?tab=&page=`.
#[derive(Deserialize)]
pub struct ProfileParams {
    tab: Option<String>,
    page: Option<i64>,
}

fn page_no(p: Option<i64>) -> AppResult<i64> {
    let n = p.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&n) {
        return Err(AppError::BadRequest(format!("The page must be from 1 to {MAX_PAGE}.")));
    }
    Ok(n)
}

/// `GET /users/{username}`.
pub async fn profile(
    state: web::Data<AppState>,
    page: PageContext,
    viewer: MaybeUser,
    name: web::Path<String>,
    p: web::Query<ProfileParams>,
) -> AppResult<HttpResponse> {
    let r = ProfileRequest {
        tab: ProfileRequest::tab(p.tab.as_deref())?,
        page: page_no(p.page)?,
        viewer: viewer.0.as_ref().map(|a| a.user.id),
        viewer_is_staff: viewer.0.as_ref().is_some_and(|a| Role::of(&a.user).is_staff()),
        thresholds: state.thresholds(),
        now: db::now(),
    };
    let view = state.db.run(move |c| ProfilePage::load(c, page, &name, &r)).await?;
    views::ok(&view)
}

/// The contributor form: `yes`, `no` or `auto`.
#[derive(Deserialize)]
pub struct ContributorForm {
    value: String,
}

/// `POST /users/{username}/contributor` (staff).
pub async fn set_contributor(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    name: web::Path<String>,
    form: web::Form<ContributorForm>,
) -> AppResult<HttpResponse> {
    let value = match form.value.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        "auto" => None,
        _ => return Err(AppError::BadRequest("value must be yes, no or auto.".into())),
    };
    let name = name.into_inner();
    let actor = super::actor(&req, &state, &user);
    let staff = Role::of(user.user()).is_staff();
    let n = name.clone();
    state
        .db
        .run(move |c| {
            let target = people::member(c, &n)?.id;
            profiles::set_contributor(c, &actor, staff, target, value)
        })
        .await?;
    let back = profile_url(&name);
    views::redirect_with(&state, &back, Flash::success("Contributor status saved."))
}

/// `GET /users/{username}/avatar`: the uploaded picture (re-encoded PNG) or the identicon.
pub async fn avatar(state: web::Data<AppState>, name: web::Path<String>) -> AppResult<HttpResponse> {
    let name = name.into_inner();
    let (username, png) = state
        .db
        .run(move |c| {
            let u = people::member(c, &name)?;
            let png = if u.avatar_version > 0 {
                profiles::avatar_png(c, u.id)?
            } else {
                None
            };
            Ok((u.username, png))
        })
        .await?;
    // The URL carries the avatar version, so a cached copy is never stale.
    let mut res = HttpResponse::Ok();
    res.insert_header((CACHE_CONTROL, "public, max-age=86400"))
        .insert_header(("X-Content-Type-Options", "nosniff"));
    Ok(match png {
        Some(bytes) => res.insert_header((CONTENT_TYPE, "image/png")).body(bytes),
        None => res
            .insert_header((CONTENT_TYPE, "image/svg+xml"))
            .insert_header((
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'",
            ))
            .body(avatars::identicon(&username)),
    })
}

/// `?q=&page=`.
#[derive(Deserialize)]
pub struct UsersParams {
    #[serde(default)]
    q: String,
    page: Option<i64>,
}

/// `GET /users`: the directory, by reputation.
pub async fn directory(
    state: web::Data<AppState>,
    page: PageContext,
    p: web::Query<UsersParams>,
) -> AppResult<HttpResponse> {
    let page_n = page_no(p.page)?;
    let q = p.q.chars().take(100).collect::<String>();
    let qq = q.clone();
    let (members, total) = state
        .db
        .run(move |c| people::directory(c, &qq, PER_PAGE, (page_n - 1) * PER_PAGE))
        .await?;
    let base = format!(
        "/users?{}&",
        serde_urlencoded::to_string([("q", q.as_str())]).unwrap_or_default()
    );
    views::ok(&UsersPage {
        page,
        members: members.iter().map(MemberCard::of).collect(),
        pager: Pager::new(&base, page_n, PER_PAGE, total),
        q,
    })
}

/// `?period=week|month|all&by=reputation|accepted`.
#[derive(Deserialize)]
pub struct BoardParams {
    period: Option<String>,
    by: Option<String>,
}

/// Parses the leaderboard parameters (defaults: this week, by reputation).
pub fn board_params(p: &BoardParams) -> AppResult<(Period, Measure)> {
    let period = Period::parse(p.period.as_deref().unwrap_or("week"))
        .ok_or_else(|| AppError::BadRequest("period must be week, month or all.".into()))?;
    let measure = Measure::parse(p.by.as_deref().unwrap_or("reputation"))
        .ok_or_else(|| AppError::BadRequest("by must be reputation or accepted.".into()))?;
    Ok((period, measure))
}

/// How many members a leaderboard shows.
pub const BOARD_SIZE: i64 = 50;

/// `GET /leaderboard`.
pub async fn leaderboard(
    state: web::Data<AppState>,
    page: PageContext,
    p: web::Query<BoardParams>,
) -> AppResult<HttpResponse> {
    let (period, measure) = board_params(&p)?;
    let rows = state
        .db
        .run(move |c| people::leaderboard(c, period, measure, db::now(), BOARD_SIZE))
        .await?;
    views::ok(&LeaderboardPage::new(page, period, measure, &rows))
}

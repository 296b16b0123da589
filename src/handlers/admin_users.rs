//! `/admin/users`: search users; see and change role, single permissions and suspensions.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::ids::UserId;
use crate::db::{self};
use crate::domain::access::permissions::{Permission, Role};
use crate::domain::members::user_admin::{self, Admin, Override};
use crate::error::{AppError, AppResult};
use crate::models::{suspension, user};
use crate::state::AppState;
use crate::views::admin::{Pager, Powers, UserPage, UserRow, Users};
use crate::views::flash::Flash;
use crate::views::{self, PageContext};
use crate::web::client_ip;

const PER_PAGE: i64 = 50;

fn require_user_admin(user: &CurrentUser) -> AppResult<()> {
    if user.can(Permission::ManageUsers) || user.can(Permission::SuspendUsers) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn admin(user: &CurrentUser, req: &HttpRequest, state: &AppState) -> Admin {
    Admin {
        id: user.user().id,
        permissions: user.0.permissions,
        ip: Some(client_ip(req, &state.config)),
    }
}

/// `?q=&page=`.
#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<i64>,
}

/// `GET /admin/users`.
pub async fn list(
    state: web::Data<AppState>,
    page: PageContext,
    user: CurrentUser,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    require_user_admin(&user)?;
    let query = q.q.clone().unwrap_or_default();
    let page_no = q.page.unwrap_or(1).clamp(1, 100_000);
    let (qq, see_email) = (query.clone(), user.can(Permission::ManageUsers));
    let (users, total, suspended) = state
        .db
        .run(move |c| {
            let (users, total) = user::search(c, &qq, see_email, PER_PAGE, (page_no - 1) * PER_PAGE)?;
            let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
            let suspended = suspension::active_until(c, &ids, db::now())?;
            Ok((users, total, suspended))
        })
        .await?;
    let rows = users
        .into_iter()
        .map(|u| {
            let until = suspended.get(&u.id).copied();
            UserRow::of(u, until, see_email)
        })
        .collect();
    let base = format!(
        "/admin/users?q={}&",
        url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    );
    views::ok(&Users {
        see_email,
        page,
        query,
        rows,
        pager: Pager::new(&base, page_no, PER_PAGE, total),
    })
}

/// `GET /admin/users/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<UserId>,
) -> AppResult<HttpResponse> {
    require_user_admin(&user)?;
    let id = path.into_inner();
    let detail = state.db.run(move |c| user_admin::detail(c, id, db::now())).await?;
    let is_self = detail.user.id == user.user().id;
    let powers = Powers {
        viewer: user.0.permissions,
        see_email: user.can(Permission::ManageUsers),
        manage: user.can(Permission::ManageUsers) && !is_self,
        suspend: user.can(Permission::SuspendUsers) && !is_self,
    };
    let page = UserPage::new(PageContext::new(&req), &detail, powers, &state.thresholds());
    views::ok(&page)
}

/// The role form.
#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

/// `POST /admin/users/{id}/role`.
pub async fn change_role(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<UserId>,
    form: web::Form<RoleForm>,
) -> AppResult<HttpResponse> {
    let target = path.into_inner();
    let role = Role::parse(&form.role).ok_or_else(|| AppError::BadRequest(format!("Unknown role '{}'.", form.role)))?;
    let a = admin(&user, &req, &state);
    state
        .db
        .run(move |c| user_admin::change_role(c, &a, target, role, db::now()))
        .await?;
    views::redirect_with(
        &state,
        &format!("/admin/users/{target}"),
        Flash::success(format!("Role changed to {role}.")),
    )
}

/// The single-permission form.
#[derive(Deserialize)]
pub struct PermissionForm {
    permission: String,
    state: String,
}

/// `POST /admin/users/{id}/permissions`.
pub async fn set_permission(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<UserId>,
    form: web::Form<PermissionForm>,
) -> AppResult<HttpResponse> {
    let target = path.into_inner();
    let permission = Permission::parse(&form.permission)
        .ok_or_else(|| AppError::BadRequest(format!("Unknown permission '{}'.", form.permission)))?;
    let change = Override::parse(&form.state)
        .ok_or_else(|| AppError::BadRequest("The setting must be default, grant or withhold.".into()))?;
    let a = admin(&user, &req, &state);
    state
        .db
        .run(move |c| user_admin::set_permission(c, &a, target, permission, change, db::now()))
        .await?;
    views::redirect_with(
        &state,
        &format!("/admin/users/{target}"),
        Flash::success(format!("Permission {permission} updated.")),
    )
}

/// The suspension form: a reason and the last day (UTC) of the suspension.
#[derive(Deserialize)]
pub struct SuspendForm {
    reason: String,
    until: String,
}

/// `POST /admin/users/{id}/suspend`: records the suspension and ends the user's live sessions.
pub async fn suspend(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<UserId>,
    form: web::Form<SuspendForm>,
) -> AppResult<HttpResponse> {
    let target = path.into_inner();
    let SuspendForm { reason, until } = form.into_inner();
    let day = NaiveDate::parse_from_str(until.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest("Give the end date as YYYY-MM-DD.".into()))?;
    // Suspended through the whole of the given day.
    let ends_at = day
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or_else(|| AppError::BadRequest("That date is out of range.".into()))?;
    let a = admin(&user, &req, &state);
    state
        .db
        .run(move |c| user_admin::suspend(c, &a, target, &reason, ends_at, db::now()))
        .await?;
    let ended = state.sessions.end_all(target, None).await?;
    views::redirect_with(
        &state,
        &format!("/admin/users/{target}"),
        Flash::success(format!("User suspended; {ended} live session(s) ended.")),
    )
}

/// `POST /admin/users/{id}/unsuspend`.
pub async fn unsuspend(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<UserId>,
) -> AppResult<HttpResponse> {
    let target = path.into_inner();
    let a = admin(&user, &req, &state);
    state
        .db
        .run(move |c| user_admin::unsuspend(c, &a, target, db::now()))
        .await?;
    views::redirect_with(
        &state,
        &format!("/admin/users/{target}"),
        Flash::success("Suspension lifted."),
    )
}

//! `/admin/support`: operating hours, time zone, holidays and the SLA target (`manage_settings`).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use super::client_ip;
use crate::auth::{CurrentUser, Permission};
use crate::db;
use crate::domain::audit::Actor;
use crate::domain::fields::FieldErrors;
use crate::domain::support::{self, SupportInput, DAYS};
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::flash::Flash;
use crate::views::support::{DayField, SupportPage};
use crate::views::{self, PageContext};

fn page(req: &HttpRequest, input: SupportInput, errors: FieldErrors) -> SupportPage {
    SupportPage {
        page: PageContext::new(req),
        timezone: input.timezone,
        days: DAYS
            .iter()
            .zip(input.days)
            .map(|((key, name), value)| DayField { key, name, value })
            .collect(),
        holidays: input.holidays,
        sla_minutes: input.sla_minutes,
        errors,
    }
}

/// `GET /admin/support`.
pub async fn show(state: web::Data<AppState>, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    let input = SupportInput::of(&state.site().support);
    views::ok(&page(&req, input, FieldErrors::new()))
}

/// `POST /admin/support`.
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    let f = form.into_inner();
    let field = |k: &str| f.get(k).cloned().unwrap_or_default();
    let input = SupportInput {
        timezone: field("timezone"),
        days: std::array::from_fn(|i| field(DAYS[i].0)),
        holidays: field("holidays"),
        sla_minutes: field("sla_minutes"),
    };
    let actor = Actor {
        user: Some(user.user().id),
        ip: Some(client_ip(&req, &state.config)),
    };
    let (perms, i) = (user.0.permissions, input.clone());
    match state
        .db
        .run(move |c| support::save(c, &actor, perms, &i, db::now()))
        .await?
    {
        Ok(_) => {
            state.reload_settings().await?;
            views::redirect_with(
                &state,
                "/admin/support",
                Flash::success("The support settings are saved."),
            )
        }
        Err(errors) => views::invalid(&page(&req, input, errors)),
    }
}

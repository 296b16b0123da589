//! `/admin/support`: operating hours, time zone, holidays and the SLA target (`manage_settings`).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::auth::CurrentUser;
use crate::db;
use crate::domain::access::permissions::Permission;
use serde_json::json;

use crate::domain::access::audit::{self, Target};
use crate::domain::kpi::digest;
use crate::domain::site::support::{self, SupportInput, DAYS};
use crate::error::AppResult;
use crate::error::FieldErrors;
use crate::models::setting;
use crate::state::AppState;
use crate::views::flash::Flash;
use crate::views::support::{DayField, SupportPage};
use crate::views::{self, PageContext};

fn page(req: &HttpRequest, input: SupportInput, errors: FieldErrors, recipients: String) -> SupportPage {
    SupportPage {
        recipients,
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
    let to = state.db.run(digest::recipients).await?.join("\n");
    views::ok(&page(&req, input, FieldErrors::new(), to))
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
    let done = ("/admin/support", "The support settings are saved.");
    match super::save_settings(&state, &req, &user, input.clone(), support::save, done).await? {
        Ok(saved) => Ok(saved),
        Err(errors) => {
            let to = state.db.run(digest::recipients).await?.join("\n");
            views::invalid(&page(&req, input, errors, to))
        }
    }
}

/// `POST /admin/digest`: who gets the weekly digest (audited).
pub async fn save_recipients(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    let text = form.get("recipients").cloned().unwrap_or_default();
    let list = match digest::parse_recipients(&text) {
        Ok(l) => l,
        Err(e) => {
            let input = SupportInput::of(&state.site().support);
            return views::invalid(&page(&req, input, FieldErrors::one("recipients", e), text));
        }
    };
    let actor = super::actor(&req, &state, &user);
    state
        .db
        .run(move |c| {
            let before = digest::recipients(c)?;
            setting::put(c, digest::RECIPIENTS, &list.join("\n"), db::now())?;
            audit::record(
                c,
                &actor,
                "settings.digest",
                Target {
                    kind: "settings",
                    id: None,
                },
                Some(json!({ "recipients": before })),
                Some(json!({ "recipients": list })),
            )
        })
        .await?;
    views::redirect_with(
        &state,
        "/admin/support",
        Flash::success("The digest recipients are saved."),
    )
}

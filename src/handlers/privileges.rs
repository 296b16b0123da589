//! `/privileges` (what reputation earns, with the viewer's progress) and `/admin/reputation`
//! (the thresholds, `manage_settings`).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::auth::{CurrentUser, MaybeUser};
use crate::domain::access::permissions::Permission;
use crate::domain::access::privileges::{self, Thresholds, PRIVILEGES};
use crate::domain::reputation::{Reason, DAILY_UPVOTE_CAP};
use crate::error::AppResult;
use crate::error::FieldErrors;
use crate::state::AppState;
use crate::views::reputation::{EarnRow, PrivilegeRow, PrivilegesPage, ThresholdField, ThresholdsPage};
use crate::views::{self, PageContext};

/// `GET /privileges`.
pub async fn show(state: web::Data<AppState>, page: PageContext, viewer: MaybeUser) -> AppResult<HttpResponse> {
    let t = state.thresholds();
    let reputation = viewer.0.as_ref().map(|a| a.user.reputation);
    // What the viewer holds already, by reputation or through their role and grants.
    let holds = |key: &str| {
        viewer.0.as_ref().is_some_and(|a| match key {
            "vote_up" => a.permissions.contains(Permission::VoteUp),
            "vote_down" => a.permissions.contains(Permission::VoteDown),
            "edit_others" => a.permissions.contains(Permission::EditOthers),
            "close" => a.permissions.contains(Permission::Close),
            "comment_anywhere" => a.comment_anywhere,
            "skip_premoderation" => !privileges::held_for_review(a.permissions, a.user.reputation, 0, &t),
            "contributor" => privileges::is_contributor(&a.user, &t),
            _ => false,
        })
    };
    views::ok(&PrivilegesPage {
        page,
        reputation,
        privileges: PRIVILEGES
            .iter()
            .map(|p| PrivilegeRow {
                label: p.label,
                description: p.description,
                threshold: p.threshold(&t),
                missing: reputation.map(|r| if holds(p.key) { 0 } else { (p.threshold(&t) - r).max(1) }),
            })
            .collect(),
        earn: Reason::ALL
            .iter()
            .map(|r| EarnRow {
                what: r.label(),
                amount: r.amount(),
            })
            .collect(),
        daily_cap: DAILY_UPVOTE_CAP,
    })
}

fn form_page(
    req: &HttpRequest,
    values: &HashMap<String, String>,
    t: &Thresholds,
    errors: FieldErrors,
) -> ThresholdsPage {
    ThresholdsPage {
        page: PageContext::new(req),
        fields: PRIVILEGES
            .iter()
            .map(|p| ThresholdField {
                key: p.key,
                label: p.label,
                value: values.get(p.key).cloned().unwrap_or_else(|| p.threshold(t).to_string()),
            })
            .collect(),
        errors,
    }
}

/// `GET /admin/reputation`.
pub async fn thresholds_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    views::ok(&form_page(
        &req,
        &HashMap::new(),
        &state.thresholds(),
        FieldErrors::new(),
    ))
}

/// `POST /admin/reputation`.
pub async fn save_thresholds(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    let values = form.into_inner();
    let done = ("/admin/reputation", "The thresholds are saved.");
    match super::save_settings(&state, &req, &user, values.clone(), privileges::save, done).await? {
        Ok(saved) => Ok(saved),
        Err(errors) => views::invalid(&form_page(&req, &values, &state.thresholds(), errors)),
    }
}

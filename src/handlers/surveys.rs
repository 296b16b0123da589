//! The post-resolution survey on the question page (the asker of a resolved question).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::{CurrentUser, MaybeUser};
use crate::db;
use crate::db::ids::QuestionId;
use crate::domain::qa::surveys;
use crate::error::AppResult;
use crate::models::question;
use crate::queries::thread::Thread;
use crate::state::AppState;
use crate::views;
use crate::views::flash::Flash;
use crate::views::questions::{question_url, SurveyView};

/// The survey box, for the asker of a resolved question.
pub async fn survey_of(state: &AppState, viewer: &MaybeUser, t: &Thread) -> AppResult<Option<SurveyView>> {
    let asker = viewer.0.as_ref().is_some_and(|a| a.user.id == t.question.author_id);
    if !asker || t.question.accepted_answer_id.is_none() {
        return Ok(None);
    }
    let qid = t.question.id;
    let given = state.db.run(move |c| surveys::find(c, qid)).await?;
    let now = db::now();
    Ok(Some(SurveyView {
        site_name: state.brand().site_name.clone(),
        changeable: given.as_ref().is_none_or(|g| g.changeable(now)),
        given: given.map(|g| (g.resolved, g.nps.unwrap_or(0), g.comment)),
    }))
}

/// The survey form.
#[derive(Deserialize)]
pub struct SurveyForm {
    #[serde(default)]
    resolved: String,
    #[serde(default)]
    nps: String,
    #[serde(default)]
    comment: String,
}

/// `POST /questions/{id}/survey`: the asker's post-resolution survey.
pub async fn survey(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<QuestionId>,
    form: web::Form<SurveyForm>,
) -> AppResult<HttpResponse> {
    let qid = id.into_inner();
    let f = form.into_inner();
    let answer = surveys::Answer {
        resolved: f.resolved,
        nps: f.nps,
        comment: f.comment,
    };
    let uid = user.user().id;
    state
        .db
        .run(move |c| surveys::submit(c, uid, qid, &answer, db::now()))
        .await?;
    let q = state.db.run(move |c| Ok(question::find(c, qid)?)).await?;
    views::redirect_with(
        &state,
        &format!("{}#survey", question_url(q.id.0, &q.title)),
        Flash::success("Thank you: your answer helps us improve."),
    )
}

//! Voting, accepting and following. Forms post here and are sent back to the post; scripts that
//! ask for JSON get the new tally instead of a redirect.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::poster;
use crate::auth::CurrentUser;
use crate::db::ids::{AnswerId, QuestionId};
use crate::db::{self};
use crate::domain::access::visibility::Viewer;
use crate::domain::qa::following;
use crate::domain::qa::voting::{self, Direction, Post};
use crate::error::{AppError, AppResult};
use crate::middleware::error_pages::wants_json;
use crate::models::{answer, question};
use crate::state::AppState;
use crate::views::questions::question_url;
use crate::views::{self};
use crate::web::client_ip;

/// The vote form.
#[derive(Deserialize)]
pub struct VoteForm {
    value: String,
}

async fn back_to(state: &AppState, question: QuestionId, anchor: &str) -> AppResult<HttpResponse> {
    let q = state.db.run(move |c| Ok(question::find(c, question)?)).await?;
    Ok(views::redirect(&format!("{}#{anchor}", question_url(q.id.0, &q.title))))
}

async fn cast(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    post: Post,
    value: &str,
) -> AppResult<HttpResponse> {
    let direction =
        Direction::parse(value).ok_or_else(|| AppError::BadRequest("value must be up, down or clear.".into()))?;
    let p = poster(user);
    let tally = state
        .db
        .run(move |c| voting::vote(c, &p, post, direction, db::now()))
        .await?;
    if wants_json(req) {
        return Ok(HttpResponse::Ok().json(json!({ "score": tally.score, "vote": tally.mine })));
    }
    let (question, anchor) = match post {
        Post::Question(q) => (q, "question".to_string()),
        Post::Answer(a) => (
            state.db.run(move |c| Ok(answer::find(c, a)?.question_id)).await?,
            format!("answer-{a}"),
        ),
    };
    back_to(state, question, &anchor).await
}

/// `POST /questions/{id}/vote`.
pub async fn vote_question(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<QuestionId>,
    form: web::Form<VoteForm>,
) -> AppResult<HttpResponse> {
    cast(&state, &req, &user, Post::Question(id.into_inner()), &form.value).await
}

/// `POST /answers/{id}/vote`.
pub async fn vote_answer(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<AnswerId>,
    form: web::Form<VoteForm>,
) -> AppResult<HttpResponse> {
    cast(&state, &req, &user, Post::Answer(id.into_inner()), &form.value).await
}

/// `POST /answers/{id}/accept`.
pub async fn accept(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<AnswerId>,
) -> AppResult<HttpResponse> {
    let ip = Some(client_ip(&req, &state.config));
    let (p, aid) = (poster(&user), id.into_inner());
    let question = state.db.run(move |c| voting::accept(c, &p, aid, ip, db::now())).await?;
    back_to(&state, question, &format!("answer-{aid}")).await
}

/// `POST /questions/{id}/unaccept`.
pub async fn unaccept(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<QuestionId>,
) -> AppResult<HttpResponse> {
    let ip = Some(client_ip(&req, &state.config));
    let (p, qid) = (poster(&user), id.into_inner());
    state.db.run(move |c| voting::unaccept(c, &p, qid, ip)).await?;
    back_to(&state, qid, "answers-h").await
}

/// `POST /questions/{id}/follow` and `/unfollow`.
pub async fn follow(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<QuestionId>,
) -> AppResult<HttpResponse> {
    let (viewer, qid) = (Viewer::of(&poster(&user)), id.into_inner());
    let on = req.path().ends_with("/follow");
    state
        .db
        .run(move |c| following::set(c, &viewer, qid, on, db::now()))
        .await?;
    back_to(&state, qid, "question").await
}

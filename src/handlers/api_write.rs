//! JSON API v1, writes: ask, answer, comment, vote, accept and un-accept. Bodies are JSON
//! (`application/json`, unknown fields refused); invalid fields answer 422 with a message per
//! field, rules broken (your own post, a second vote, a locked question) 400, other people's
//! questions 403, private or missing ones 404.

use actix_web::http::header::LOCATION;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::api::thread_json;
use super::poster;
use super::questions::looker;
use crate::auth::{CurrentUser, MaybeUser};
use crate::db::ids::{AnswerId, QuestionId};
use crate::db::{self};
use crate::domain::qa::posting::{self, check_tag, AskInput};
use crate::domain::qa::voting::{self, Direction, Post};
use crate::error::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::queries::thread;
use crate::state::AppState;
use crate::views::api::{answer_of, comment_of};
use crate::web::client_ip;

fn viewer(user: &CurrentUser) -> MaybeUser {
    MaybeUser(Some(user.0.clone()))
}

fn created(location: String, body: impl serde::Serialize) -> HttpResponse {
    HttpResponse::Created().insert_header((LOCATION, location)).json(body)
}

/// `POST /api/v1/questions`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskBody {
    title: String,
    body: String,
    category: String,
    tags: Vec<String>,
}

/// `POST /api/v1/questions`: 201 with the new question.
pub async fn ask(state: web::Data<AppState>, user: CurrentUser, body: web::Json<AskBody>) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    // Each array item must be one tag: "a b" is refused, not split into two.
    if let Some(e) = b.tags.iter().find_map(|t| check_tag(&t.to_lowercase()).err()) {
        return Err(AppError::Invalid(FieldErrors::one("tags", e)));
    }
    let input = AskInput {
        title: b.title,
        body: b.body,
        category: b.category,
        tags: b.tags.join(" "),
    };
    let p = poster(&user);
    let id = state.db.run(move |c| posting::ask(c, &p, &input, db::now())).await?;
    let q = thread_json(&state, id, looker(&viewer(&user))).await?;
    Ok(created(format!("/api/v1/questions/{id}"), q))
}

/// `POST /api/v1/questions/{id}/answers`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    body: String,
}

/// `POST /api/v1/questions/{id}/answers`: 201 with the new answer.
pub async fn answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<QuestionId>,
    body: web::Json<AnswerBody>,
) -> AppResult<HttpResponse> {
    let qid = id.into_inner();
    let (p, text) = (poster(&user), body.into_inner().body);
    let aid = state
        .db
        .run(move |c| posting::answer(c, &p, qid, &text, db::now()))
        .await?;
    let look = looker(&viewer(&user));
    let made = state
        .db
        .run(move |c| {
            let t = thread::load(c, qid, look)?;
            let mine = look.map(|l| thread::mine(c, l.id, qid)).transpose()?;
            answer_of(t, aid.0, mine.as_ref()).ok_or(AppError::NotFound)
        })
        .await?;
    Ok(created(format!("/api/v1/questions/{qid}"), made))
}

/// `POST /api/v1/questions/{id}/comments`: on the question, or on `answer_id` of it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    body: String,
    answer_id: Option<i64>,
}

/// `POST /api/v1/questions/{id}/comments`: 201 with the new comment.
pub async fn comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<QuestionId>,
    body: web::Json<CommentBody>,
) -> AppResult<HttpResponse> {
    let qid = id.into_inner();
    let CommentBody { body, answer_id } = body.into_inner();
    let p = poster(&user);
    let look = looker(&viewer(&user));
    let made = state
        .db
        .run(move |c| {
            let cid = posting::comment(c, &p, qid, answer_id.map(AnswerId), &body, db::now())?;
            comment_of(thread::load(c, qid, look)?, cid.0).ok_or(AppError::NotFound)
        })
        .await?;
    Ok(created(format!("/api/v1/questions/{qid}"), made))
}

/// `POST /api/v1/.../vote`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    value: String,
}

async fn cast(state: &AppState, user: &CurrentUser, post: Post, value: &str) -> AppResult<HttpResponse> {
    let direction = Direction::parse(value)
        .ok_or_else(|| AppError::Invalid(FieldErrors::one("value", "value must be up, down or clear.")))?;
    let p = poster(user);
    let tally = state
        .db
        .run(move |c| voting::vote(c, &p, post, direction, db::now()))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "score": tally.score, "vote": tally.mine })))
}

/// `POST /api/v1/questions/{id}/vote`.
pub async fn vote_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<QuestionId>,
    body: web::Json<VoteBody>,
) -> AppResult<HttpResponse> {
    cast(&state, &user, Post::Question(id.into_inner()), &body.value).await
}

/// `POST /api/v1/answers/{id}/vote`.
pub async fn vote_answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<AnswerId>,
    body: web::Json<VoteBody>,
) -> AppResult<HttpResponse> {
    cast(&state, &user, Post::Answer(id.into_inner()), &body.value).await
}

/// `POST /api/v1/answers/{id}/accept`: marks the answer accepted (moving the mark).
pub async fn accept(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<AnswerId>,
) -> AppResult<HttpResponse> {
    let ip = Some(client_ip(&req, &state.config));
    let aid = id.into_inner();
    let p = poster(&user);
    let qid = state.db.run(move |c| voting::accept(c, &p, aid, ip, db::now())).await?;
    Ok(HttpResponse::Ok().json(json!({ "question_id": qid.0, "accepted_answer_id": aid.0 })))
}

/// `POST /api/v1/questions/{id}/unaccept`: removes the accepted mark.
pub async fn unaccept(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<QuestionId>,
) -> AppResult<HttpResponse> {
    let ip = Some(client_ip(&req, &state.config));
    let qid = id.into_inner();
    let p = poster(&user);
    state.db.run(move |c| voting::unaccept(c, &p, qid, ip)).await?;
    Ok(HttpResponse::Ok().json(json!({ "question_id": qid.0, "accepted_answer_id": null })))
}

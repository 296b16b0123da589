//! Editing posts, their revision history, and changes of a thread's state.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::poster;
use super::questions::looker;
use crate::auth::{CurrentUser, MaybeUser};
use crate::db::ids::{AnswerId, QuestionId};
use crate::db::{self};
use crate::domain::access::abilities::{PostFacts, ThreadAbilities};
use crate::domain::access::visibility::Viewer;
use crate::domain::qa::categories;
use crate::domain::qa::editing;
use crate::domain::qa::posting::AskInput;
use crate::domain::qa::thread_state::{self, AnswerChange, Change};
use crate::error::FieldErrors;
use crate::error::FormOutcome;
use crate::error::{AppError, AppResult};
use crate::models::category::Category;
use crate::models::question;
use crate::queries::thread::{self, authors};
use crate::state::AppState;
use crate::views::questions::{category_choices, question_url, EditAnswerPage, EditQuestionPage};
use crate::views::revisions::RevisionsPage;
use crate::views::{self, PageContext};
use crate::web::client_ip;

async fn open_categories(state: &AppState, user: &CurrentUser) -> AppResult<Vec<Category>> {
    let viewer = Viewer::of(&poster(user));
    state.db.run(move |c| categories::open_to(c, Some(&viewer))).await
}

/// `GET /questions/{id}/edit`.
pub async fn edit_question_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<QuestionId>,
) -> AppResult<HttpResponse> {
    let qid = id.into_inner();
    let l = looker(&MaybeUser(Some(user.0.clone())));
    let t = state.db.run(move |c| thread::load(c, qid, l)).await?;
    let p = poster(&user);
    let can = ThreadAbilities::of(Some(&p), &t.question);
    can.edit(&can.question())?;
    let q = &t.question;
    views::ok(&EditQuestionPage {
        page: PageContext::new(&req),
        id: q.id.0,
        url: question_url(q.id.0, &q.title),
        errors: FieldErrors::new(),
        title: q.title.clone(),
        body: q.body.clone(),
        tags: t.tags.join(" "),
        categories: category_choices(open_categories(&state, &user).await?, |c| c.id == q.category_id),
        summary: String::new(),
    })
}

/// The question edit form.
#[derive(Deserialize)]
pub struct EditQuestionForm {
    title: String,
    body: String,
    category: String,
    tags: String,
    #[serde(default)]
    summary: String,
}

/// `POST /questions/{id}/edit`.
pub async fn edit_question(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<QuestionId>,
    form: web::Form<EditQuestionForm>,
) -> AppResult<HttpResponse> {
    let qid = id.into_inner();
    let f = form.into_inner();
    let input = AskInput {
        title: f.title.clone(),
        body: f.body.clone(),
        category: f.category.clone(),
        tags: f.tags.clone(),
    };
    let (p, ip) = (poster(&user), Some(client_ip(&req, &state.config)));
    let (i, summary) = (input.clone(), f.summary.clone());
    match state
        .db
        .run(move |c| editing::edit_question(c, &p, qid, &i, &summary, ip, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(()) => Ok(views::redirect(&question_url(qid.0, input.title.trim()))),
        Err(errors) => {
            let choices = category_choices(open_categories(&state, &user).await?, |c| c.slug == f.category);
            views::invalid(&EditQuestionPage {
                page: PageContext::new(&req),
                id: qid.0,
                url: format!("/questions/{qid}"),
                errors,
                title: f.title,
                body: f.body,
                tags: f.tags,
                categories: choices,
                summary: f.summary,
            })
        }
    }
}

/// `GET /answers/{id}/edit`.
pub async fn edit_answer_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<AnswerId>,
) -> AppResult<HttpResponse> {
    let aid = id.into_inner();
    let p = poster(&user);
    let viewer = Viewer::of(&p);
    let (a, q) = state.db.run(move |c| editing::answer_to_edit(c, &viewer, aid)).await?;
    ThreadAbilities::of(Some(&p), &q).edit(&PostFacts::of_answer(&a))?;
    views::ok(&EditAnswerPage {
        page: PageContext::new(&req),
        id: aid.0,
        url: format!("{}#answer-{aid}", question_url(q.id.0, &q.title)),
        errors: FieldErrors::new(),
        body: a.body,
        summary: String::new(),
    })
}

/// The answer edit form.
#[derive(Deserialize)]
pub struct EditAnswerForm {
    body: String,
    #[serde(default)]
    summary: String,
}

/// `POST /answers/{id}/edit`.
pub async fn edit_answer(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<AnswerId>,
    form: web::Form<EditAnswerForm>,
) -> AppResult<HttpResponse> {
    let aid = id.into_inner();
    let f = form.into_inner();
    let (p, body, summary, ip) = (
        poster(&user),
        f.body.clone(),
        f.summary.clone(),
        Some(client_ip(&req, &state.config)),
    );
    match state
        .db
        .run(move |c| editing::edit_answer(c, &p, aid, &body, &summary, ip, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(qid) => {
            let q = state.db.run(move |c| Ok(question::find(c, qid)?)).await?;
            Ok(views::redirect(&format!(
                "{}#answer-{aid}",
                question_url(q.id.0, &q.title)
            )))
        }
        Err(errors) => views::invalid(&EditAnswerPage {
            page: PageContext::new(&req),
            id: aid.0,
            url: format!("/answers/{aid}/edit"),
            errors,
            body: f.body,
            summary: f.summary,
        }),
    }
}

async fn history(state: &AppState, req: &HttpRequest, kind: &'static str, id: i64) -> AppResult<HttpResponse> {
    let (q, revisions, names) = state
        .db
        .run(move |c| {
            let (qid, revs) = editing::history(c, kind, id)?;
            let ids: Vec<_> = revs.iter().map(|r| r.editor_id).collect();
            Ok((question::find(c, qid)?, revs, authors(c, &ids)?))
        })
        .await?;
    let page = PageContext::new(req);
    views::ok(&RevisionsPage::new(page, kind, &q, &revisions, &names, db::now()))
}

/// `GET /questions/{id}/revisions`.
pub async fn question_history(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<QuestionId>,
) -> AppResult<HttpResponse> {
    history(&state, &req, "question", id.into_inner().0).await
}

/// `GET /answers/{id}/revisions`.
pub async fn answer_history(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<AnswerId>,
) -> AppResult<HttpResponse> {
    history(&state, &req, "answer", id.into_inner().0).await
}

/// The state form: `action` and its details.
#[derive(Deserialize)]
pub struct StateForm {
    action: String,
    reason: Option<String>,
    duplicate_of: Option<String>,
    status: Option<String>,
}

fn change_of(f: &StateForm) -> AppResult<Change> {
    Ok(match f.action.as_str() {
        "delete" => Change::Delete,
        "remove_spam" => Change::RemoveAsSpam,
        "undelete" => Change::Undelete,
        "close" => match f.reason.as_deref() {
            Some("off_topic") => Change::CloseOffTopic,
            Some("duplicate") => {
                let raw = f.duplicate_of.as_deref().unwrap_or("").trim().trim_start_matches('#');
                let id = raw
                    .parse::<i64>()
                    .map_err(|_| AppError::BadRequest("Give the number of the original question.".into()))?;
                Change::CloseDuplicate(QuestionId(id))
            }
            _ => return Err(AppError::BadRequest("Close as duplicate or off_topic.".into())),
        },
        "reopen" => Change::Reopen,
        "lock" => Change::Lock,
        "unlock" => Change::Unlock,
        "acknowledge" => Change::Acknowledge(f.status.clone().filter(|s| !s.is_empty())),
        other => return Err(AppError::BadRequest(format!("Unknown action '{other}'."))),
    })
}

/// `POST /questions/{id}/state`.
pub async fn change_state(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<QuestionId>,
    form: web::Form<StateForm>,
) -> AppResult<HttpResponse> {
    let qid = id.into_inner();
    let change = change_of(&form)?;
    let (p, ip) = (poster(&user), Some(client_ip(&req, &state.config)));
    state
        .db
        .run(move |c| thread_state::change_question(c, &p, qid, change, ip, db::now()))
        .await?;
    let q = state.db.run(move |c| Ok(question::find(c, qid)?)).await?;
    Ok(views::redirect(&question_url(q.id.0, &q.title)))
}

/// `POST /answers/{id}/delete`, `/answers/{id}/remove-spam` and `/answers/{id}/undelete`.
pub async fn answer_deleted(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<AnswerId>,
) -> AppResult<HttpResponse> {
    let aid = id.into_inner();
    let change = if req.path().ends_with("/delete") {
        AnswerChange::Delete
    } else if req.path().ends_with("/remove-spam") {
        AnswerChange::RemoveAsSpam
    } else {
        AnswerChange::Undelete
    };
    let (p, ip) = (poster(&user), Some(client_ip(&req, &state.config)));
    let qid = state
        .db
        .run(move |c| thread_state::set_answer_deleted(c, &p, aid, change, ip, db::now()))
        .await?;
    let q = state.db.run(move |c| Ok(question::find(c, qid)?)).await?;
    Ok(views::redirect(&format!(
        "{}#answer-{aid}",
        question_url(q.id.0, &q.title)
    )))
}

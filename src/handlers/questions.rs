//! Questions: lists, asking (with preview), the question page, answering and commenting.

use actix_web::http::header::LOCATION;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::poster;
use crate::auth::{CurrentUser, MaybeUser};
use crate::cache::pages::CountsAsView;
use crate::domain::access::permissions::Permission;

use crate::db::ids::{AnswerId, QuestionId};
use crate::db::{self};
use crate::domain::access::visibility::Viewer;
use crate::domain::kpi::stats as kpi;
use crate::domain::qa::categories;
use crate::domain::qa::posting::{self, slugify, AskInput};
use crate::domain::qa::search;
use crate::domain::site::support;
use crate::error::FieldErrors;
use crate::error::FormOutcome;
use crate::error::{AppError, AppResult};
use crate::markdown;
use crate::models::{tag, user};
use crate::queries::listing::{self, ListQuery};
use crate::queries::thread::{self, Mine, Thread};
use crate::state::AppState;
use crate::views::questions::{duration_words, question_url, sla_words, AskPage, Choice, ListPage, ListScope, Promise};
use crate::views::thread::{question_page, AnswerDraft};
use crate::views::{self, PageContext};

/// `?sort=&filter=&page=&per_page=&author=`.
#[derive(Deserialize, Default)]
pub struct ListParams {
    sort: Option<String>,
    filter: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
    author: Option<String>,
}

fn parse_list(params: &ListParams) -> AppResult<ListQuery> {
    ListQuery::parse(
        params.sort.as_deref(),
        params.filter.as_deref(),
        params.page,
        params.per_page,
    )
}

async fn render_list(state: &AppState, page: PageContext, scope: ListScope) -> AppResult<HttpResponse> {
    let q = scope.query.clone();
    let (rows, total, categories) = state
        .db
        .run(move |c| {
            let (rows, total) = listing::list(c, &q)?;
            Ok((rows, total, categories::open_to(c, None)?))
        })
        .await?;
    views::ok(&ListPage::new(page, scope, rows, total, categories, db::now()))
}

/// `GET /`: recent activity.
pub async fn home(
    state: web::Data<AppState>,
    page: PageContext,
    params: web::Query<ListParams>,
) -> AppResult<HttpResponse> {
    let query = parse_list(&params)?;
    let scope = ListScope {
        show_hero: true,
        demo_sign_ins: state.site().demo_sign_ins.clone(),
        ..ListScope::new("Recent activity".into(), "/questions".into(), query)
    };
    render_list(&state, page, scope).await
}

/// `GET /questions`.
pub async fn list(
    state: web::Data<AppState>,
    page: PageContext,
    params: web::Query<ListParams>,
) -> AppResult<HttpResponse> {
    let mut query = parse_list(&params)?;
    let mut heading = "All questions".to_string();
    let mut base = "/questions".to_string();
    if let Some(name) = params.author.as_deref().filter(|a| !a.is_empty()) {
        let n = name.to_owned();
        let author = state
            .db
            .run(move |c| Ok(user::find_by_username(c, &n)?))
            .await?
            .ok_or(AppError::NotFound)?;
        heading = format!("Questions by {}", author.shown_name());
        base = format!(
            "/questions?author={}",
            url::form_urlencoded::byte_serialize(author.username.as_bytes()).collect::<String>()
        );
        query.author = Some(author.id);
    }
    render_list(&state, page, ListScope::new(heading, base, query)).await
}

/// `GET /tags/{name}`.
pub async fn tag_page(
    state: web::Data<AppState>,
    page: PageContext,
    viewer: MaybeUser,
    name: web::Path<String>,
    params: web::Query<ListParams>,
) -> AppResult<HttpResponse> {
    let name = name.into_inner();
    let n = name.clone();
    let t = state
        .db
        .run(move |c| Ok(tag::find_by_name(c, &n)?))
        .await?
        .ok_or(AppError::NotFound)?;
    // A tag with no public question is not shown to anyone (it may exist only in a private group).
    if t.question_count == 0 {
        return Err(AppError::NotFound);
    }
    let mut query = parse_list(&params)?;
    query.tag = Some(t.id);
    let base = format!(
        "/tags/{}",
        url::form_urlencoded::byte_serialize(t.name.as_bytes()).collect::<String>()
    );
    let heading = format!("Questions tagged {} ({})", t.name, t.question_count);
    let may_edit = viewer.0.is_some_and(|a| a.permissions.contains(Permission::EditOthers));
    let scope = ListScope {
        intro: ListScope::intro(t.description_html),
        edit_intro: may_edit.then(|| format!("{base}/edit")),
        ..ListScope::new(heading, base, query)
    };
    render_list(&state, page, scope).await
}

/// `GET /categories/{slug}`.
pub async fn category_page(
    state: web::Data<AppState>,
    page: PageContext,
    slug: web::Path<String>,
    params: web::Query<ListParams>,
) -> AppResult<HttpResponse> {
    let slug = slug.into_inner();
    let cat = state
        .db
        .run(move |c| categories::find_open(c, None, &slug))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut query = parse_list(&params)?;
    query.category = Some(cat.id);
    let scope = ListScope {
        intro: ListScope::intro(cat.description_html),
        ..ListScope::new(cat.name, format!("/categories/{}", cat.slug), query)
    };
    render_list(&state, page, scope).await
}

async fn ask_page(
    state: &AppState,
    req: &HttpRequest,
    input: AskInput,
    errors: FieldErrors,
    preview: Option<markdown::SafeHtml>,
) -> AppResult<AskPage> {
    let viewer = crate::auth::extract::authenticated(req).map(|a| Viewer::of(&super::poster_of(&a)));
    let cats = state.db.run(move |c| categories::open_to(c, viewer.as_ref())).await?;
    let categories = cats
        .into_iter()
        .map(|c| Choice {
            selected: c.slug == input.category,
            value: c.slug,
            label: c.name,
        })
        .collect();
    let promise = promise(state).await?;
    Ok(AskPage {
        promise,
        page: PageContext::new(req),
        errors,
        title: input.title,
        body: input.body,
        tags: input.tags,
        categories,
        preview,
        similar: Vec::new(),
    })
}

/// What the ask page promises; the community's median is cached for a minute.
async fn promise(state: &AppState) -> AppResult<Promise> {
    let support = state.site().support.clone();
    let median = match state.median_response.get() {
        Some(m) => m,
        None => {
            let now = db::now();
            let m = state
                .db
                .run(move |c| kpi::median_first_response(c, now - chrono::Duration::days(30), now))
                .await?;
            state.median_response.put(m);
            m
        }
    };
    Ok(Promise {
        hours: support::describe(&support.schedule),
        timezone: support.schedule.tz.name().to_owned(),
        sla: sla_words(support.sla_minutes),
        median: median.map(duration_words),
    })
}

/// `GET /questions/ask`.
pub async fn ask_form(state: web::Data<AppState>, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(Permission::Ask)?;
    views::ok(&ask_page(&state, &req, AskInput::default(), FieldErrors::new(), None).await?)
}

/// The ask form: `action` is `preview` or `post`.
#[derive(Deserialize)]
pub struct AskForm {
    title: String,
    body: String,
    category: Option<String>,
    tags: String,
    action: Option<String>,
}

/// `POST /questions/ask`: shows a preview, or stores the question and goes to it.
pub async fn ask(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<AskForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::Ask)?;
    let f = form.into_inner();
    let input = AskInput {
        title: f.title,
        body: f.body,
        category: f.category.unwrap_or_default(),
        tags: f.tags,
    };
    if f.action.as_deref() == Some("preview") {
        let preview = markdown::render(&input.body);
        let mut page = ask_page(&state, &req, input, FieldErrors::new(), Some(preview)).await?;
        let title = page.title.clone();
        let found = state.db.run(move |c| search::similar(c, &title, 5)).await?;
        page.similar = found
            .into_iter()
            .map(|s| (question_url(s.id.0, &s.title), s.title))
            .collect();
        return views::ok(&page);
    }
    let (p, i) = (poster(&user), input.clone());
    match state
        .db
        .run(move |c| posting::ask(c, &p, &i, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(id) => Ok(views::redirect(&question_url(id.0, &input.title))),
        Err(errors) => {
            let preview = Some(markdown::render(&input.body));
            views::invalid(&ask_page(&state, &req, input, errors, preview).await?)
        }
    }
}

/// `POST /markdown/preview`: the sanitised HTML of a draft, for the live preview.
pub async fn preview(_user: CurrentUser, body: web::Form<PreviewForm>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markdown::render(&body.body).into_string())
}

/// The live preview's form.
#[derive(Deserialize)]
pub struct PreviewForm {
    body: String,
}

/// `GET /questions/{id}`: to the canonical URL.
pub async fn by_id(
    state: web::Data<AppState>,
    viewer: MaybeUser,
    id: web::Path<QuestionId>,
) -> AppResult<HttpResponse> {
    let t = load(&state, id.into_inner(), looker(&viewer)).await?;
    Ok(moved(&question_url(t.question.id.0, &t.question.title)))
}

fn moved(location: &str) -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((LOCATION, location))
        .finish()
}

/// Who is looking, for `thread::load`.
pub fn looker(viewer: &MaybeUser) -> Option<Viewer> {
    viewer.0.as_ref().map(|a| Viewer {
        id: a.user.id,
        moderator: a.permissions.contains(Permission::Moderate),
    })
}

async fn load(state: &AppState, id: QuestionId, looker: Option<Viewer>) -> AppResult<Thread> {
    state.db.run(move |c| thread::load(c, id, looker)).await
}

/// `GET /questions/{id}/{slug}`.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: MaybeUser,
    path: web::Path<(QuestionId, String)>,
) -> AppResult<HttpResponse> {
    let (id, slug) = path.into_inner();
    // The thread and what the member did in it in one trip to the database.
    let (looking, me) = (looker(&viewer), viewer.0.as_ref().map(|a| a.user.id));
    let (t, state_of_viewer) = state
        .db
        .run(move |c| {
            let t = thread::load(c, id, looking)?;
            let mine = match me {
                Some(uid) => thread::mine(c, uid, t.question.id)?,
                None => Mine::default(),
            };
            Ok((t, mine))
        })
        .await?;
    if slug != slugify(&t.question.title) {
        return Ok(moved(&question_url(id.0, &t.question.title)));
    }
    let visitor = crate::web::visitor(&req, &state.config, viewer.0.as_ref().map(|a| a.user.id));
    let t_id = t.question.id;
    state.views.record(t_id, visitor);
    let survey = super::surveys::survey_of(&state, &viewer, &t).await?;
    let viewer = viewer.0.as_deref().map(super::poster_of);
    let draft = AnswerDraft {
        body: String::new(),
        errors: FieldErrors::new(),
    };
    let mut page = question_page(&state.thresholds(), &req, viewer.as_ref(), t, state_of_viewer, draft);
    page.survey = survey;
    let mut res = views::ok(&page)?;
    res.extensions_mut().insert(CountsAsView(t_id));
    Ok(res)
}

async fn viewer_state(state: &AppState, viewer: &MaybeUser, t: &Thread) -> AppResult<Mine> {
    let Some(auth) = viewer.0.as_ref() else {
        return Ok(Mine::default());
    };
    let (uid, qid) = (auth.user.id, t.question.id);
    state.db.run(move |c| thread::mine(c, uid, qid)).await
}

/// The answer form.
#[derive(Deserialize)]
pub struct AnswerForm {
    body: String,
}

/// `POST /questions/{id}/answers`.
pub async fn answer(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<QuestionId>,
    form: web::Form<AnswerForm>,
) -> AppResult<HttpResponse> {
    let qid = id.into_inner();
    let body = form.into_inner().body;
    let (p, b) = (poster(&user), body.clone());
    match state
        .db
        .run(move |c| posting::answer(c, &p, qid, &b, db::now()))
        .await
        .or_form_errors()?
    {
        Ok(aid) => {
            let t = load(&state, qid, looker(&MaybeUser(Some(user.0.clone())))).await?;
            Ok(views::redirect(&format!(
                "{}#answer-{aid}",
                question_url(qid.0, &t.question.title)
            )))
        }
        Err(errors) => {
            let t = load(&state, qid, looker(&MaybeUser(Some(user.0.clone())))).await?;
            let viewer = MaybeUser(Some(user.0.clone()));
            let mine = viewer_state(&state, &viewer, &t).await?;
            let draft = AnswerDraft { body, errors };
            views::invalid(&question_page(
                &state.thresholds(),
                &req,
                Some(&poster(&user)),
                t,
                mine,
                draft,
            ))
        }
    }
}

/// The comment form.
#[derive(Deserialize)]
pub struct CommentForm {
    body: String,
    answer_id: Option<i64>,
}

/// `POST /questions/{id}/comments`.
pub async fn comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<QuestionId>,
    form: web::Form<CommentForm>,
) -> AppResult<HttpResponse> {
    let qid = id.into_inner();
    let CommentForm { body, answer_id } = form.into_inner();
    let p = poster(&user);
    // The comment box has no form page of its own: a refused comment is a 400 with the reason.
    state
        .db
        .run(move |c| posting::comment(c, &p, qid, answer_id.map(AnswerId), &body, db::now()))
        .await
        .map_err(|e| match e {
            AppError::Invalid(errors) => AppError::BadRequest(errors.to_string()),
            other => other,
        })?;
    let t = load(&state, qid, looker(&MaybeUser(Some(user.0.clone())))).await?;
    let url = question_url(qid.0, &t.question.title);
    Ok(views::redirect(&match answer_id {
        Some(a) => format!("{url}#answer-{a}"),
        None => url,
    }))
}

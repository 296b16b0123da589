//! Member pages: `/users/{username}` (profile and its tabs), `/users/{username}/avatar`,
//! `/users` (directory), `/leaderboard`.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::{CurrentUser, MaybeUser};
use crate::db;
use crate::domain::access::permissions::Role;
use crate::domain::access::privileges::is_contributor;
use crate::domain::members::avatars;
use crate::domain::members::profiles;
use crate::domain::reputation::Reason;
use crate::error::{AppError, AppResult};
use crate::markdown::SafeHtml;
use crate::models::badge;
use crate::queries::listing::{self, ListQuery, MAX_PAGE};
use crate::queries::people::{self, Measure, Period};
use crate::state::AppState;
use crate::views::admin::Pager;
use crate::views::flash::Flash;
use crate::views::people::{EarnedRow, LeaderboardPage, LedgerRow, MemberCard, PostRow, ProfilePage, UsersPage};
use crate::views::questions::{ago, question_url, QuestionRow, Tab};
use crate::views::{self, fmt_time, PageContext};

const PER_PAGE: i64 = 30;
const TABS: [(&str, &str); 5] = [
    ("activity", "Activity"),
    ("questions", "Questions"),
    ("answers", "Answers"),
    ("reputation", "Reputation"),
    ("badges", "Badges"),
];

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

fn link(
    q: crate::db::ids::QuestionId,
    titles: &std::collections::HashMap<crate::db::ids::QuestionId, String>,
) -> Option<(String, String)> {
    titles.get(&q).map(|t| (question_url(q.0, t), t.clone()))
}

/// `GET /users/{username}`.
pub async fn profile(
    state: web::Data<AppState>,
    page: PageContext,
    viewer: MaybeUser,
    name: web::Path<String>,
    p: web::Query<ProfileParams>,
) -> AppResult<HttpResponse> {
    let wanted = p.tab.as_deref().unwrap_or("activity");
    let tab = TABS
        .iter()
        .find(|(k, _)| *k == wanted)
        .map(|(k, _)| *k)
        .ok_or_else(|| AppError::BadRequest("Unknown tab.".into()))?;
    let page_n = page_no(p.page)?;
    let name = name.into_inner();
    let t = state.thresholds();
    let now = db::now();
    let me = viewer.0.as_ref().map(|a| a.user.id);
    let viewer_is_staff = viewer.0.as_ref().is_some_and(|a| Role::of(&a.user).is_staff());
    let view = state
        .db
        .run(move |c| {
            let u = people::member(c, &name)?;
            let counts = people::badge_counts(c, u.id)?;
            let held = badge::of_user(c, u.id)?;
            let flair = u
                .flair_badge_id
                .and_then(|f| held.iter().find(|(b, _, _)| b.id == f))
                .map(|(b, _, _)| (b.slug.clone(), b.name.clone(), b.tier.clone()));
            let mut view = ProfilePage {
                page,
                card: MemberCard::of(&u),
                flair,
                contributor: is_contributor(&u, &t),
                staff: Role::of(&u).is_staff(),
                member_since: fmt_time(u.created_at).chars().take(10).collect(),
                website: u.website.clone(),
                bio: SafeHtml::from_stored(u.bio_html.clone()),
                counts,
                tabs: Vec::new(),
                tab,
                posts: Vec::new(),
                rows: Vec::new(),
                ledger: Vec::new(),
                badges: Vec::new(),
                pager: None,
                is_me: me == Some(u.id),
                contributor_setting: viewer_is_staff.then_some(match u.contributor_override {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "auto",
                }),
            };
            let base = format!(
                "/users/{}?tab={tab}&",
                url::form_urlencoded::byte_serialize(u.username.as_bytes()).collect::<String>()
            );
            let post_row = |l: people::PostLine| PostRow {
                url: match l.answer {
                    Some(a) => format!("{}#answer-{a}", question_url(l.question.0, &l.title)),
                    None => question_url(l.question.0, &l.title),
                },
                title: l.title,
                is_answer: l.answer.is_some(),
                score: l.score,
                accepted: l.accepted,
                when: ago(l.at, now),
            };
            match tab {
                "activity" => view.posts = people::activity(c, u.id, PER_PAGE)?.into_iter().map(post_row).collect(),
                "answers" => {
                    let (lines, total) = people::answers_of(c, u.id, PER_PAGE, (page_n - 1) * PER_PAGE)?;
                    view.posts = lines.into_iter().map(post_row).collect();
                    view.pager = Some(Pager::new(&base, page_n, PER_PAGE, total));
                }
                "questions" => {
                    let q = ListQuery {
                        author: Some(u.id),
                        sort: listing::Sort::Newest,
                        page: page_n,
                        per_page: PER_PAGE,
                        ..Default::default()
                    };
                    let (rows, total) = listing::list(c, &q)?;
                    view.rows = rows.into_iter().map(|s| QuestionRow::from_summary(s, now)).collect();
                    view.pager = Some(Pager::counted(&base, page_n, PER_PAGE, total));
                }
                "reputation" => {
                    let (events, titles, total) = people::ledger(c, u.id, PER_PAGE, (page_n - 1) * PER_PAGE)?;
                    view.ledger = events
                        .into_iter()
                        .map(|e| LedgerRow {
                            when: ago(e.created_at, now),
                            label: Reason::parse(&e.reason).map(Reason::label).unwrap_or("other"),
                            amount: e.amount,
                            active: e.active,
                            link: link(e.question_id, &titles),
                        })
                        .collect();
                    view.pager = Some(Pager::new(&base, page_n, PER_PAGE, total));
                }
                _ => {
                    let ids: Vec<_> = held.iter().filter_map(|(_, q, _)| *q).collect();
                    let titles = badge::public_questions(c, &ids)?.into_iter().collect();
                    view.badges = held
                        .into_iter()
                        .map(|(b, q, at)| EarnedRow {
                            link: q.and_then(|q| link(q, &titles)),
                            slug: b.slug,
                            name: b.name,
                            tier: b.tier,
                            when: ago(at, now),
                        })
                        .collect();
                }
            }
            view.tabs = TABS
                .iter()
                .map(|(k, label)| Tab {
                    label,
                    url: format!(
                        "/users/{}?tab={k}",
                        url::form_urlencoded::byte_serialize(u.username.as_bytes()).collect::<String>()
                    ),
                    current: *k == tab,
                })
                .collect();
            Ok(view)
        })
        .await?;
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
    let back = format!(
        "/users/{}",
        url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
    );
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
    let tab = |per: Period, by: Measure, label: &'static str, current: bool| Tab {
        label,
        url: format!("/leaderboard?period={}&by={}", per.as_str(), by.as_str()),
        current,
    };
    let heading = match (measure, period) {
        (Measure::Reputation, Period::Week) => "Reputation gained this week",
        (Measure::Reputation, Period::Month) => "Reputation gained this month",
        (Measure::Reputation, Period::All) => "Reputation, all time",
        (Measure::Accepted, Period::Week) => "Answers accepted this week",
        (Measure::Accepted, Period::Month) => "Answers accepted this month",
        (Measure::Accepted, Period::All) => "Answers accepted, all time",
    };
    views::ok(&LeaderboardPage {
        page,
        periods: vec![
            tab(Period::Week, measure, "This week", period == Period::Week),
            tab(Period::Month, measure, "This month", period == Period::Month),
            tab(Period::All, measure, "All time", period == Period::All),
        ],
        measures: vec![
            tab(
                period,
                Measure::Reputation,
                "Reputation",
                measure == Measure::Reputation,
            ),
            tab(
                period,
                Measure::Accepted,
                "Accepted answers",
                measure == Measure::Accepted,
            ),
        ],
        heading: heading.into(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, (u, v))| (i + 1, MemberCard::of(u), *v))
            .collect(),
        unit: if measure == Measure::Reputation {
            "Reputation"
        } else {
            "Accepted"
        },
    })
}

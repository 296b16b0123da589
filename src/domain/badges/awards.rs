//! Badges (DESIGN §5): the default catalogue and its rules, awarded inside the transaction of
//! the event that earns them (with a notification), repeatable ones once per answer.
//!
//! Beta Tester, Beta Champion and Quality Contributor are in the catalogue and are earned once
//! beta groups and spot checks exist; `welcome` is earned by completing a profile (`profiles`).

use chrono::NaiveDateTime;

use crate::db::ids::{AnswerId, QuestionId, UserId};
use crate::db::DbConn;
use crate::domain::notifications;
use crate::domain::site::support::Support;
use crate::error::AppResult;
use crate::models::answer;
use crate::models::badge::{self, NewAward, NewBadge};
use crate::models::setting;

/// A badge's tier.
pub const TIERS: [&str; 3] = ["bronze", "silver", "gold"];

/// A built-in badge.
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    pub slug: &'static str,
    pub name: &'static str,
    pub tier: &'static str,
    pub description: &'static str,
    pub repeatable: bool,
}

const fn def(slug: &'static str, name: &'static str, tier: &'static str, description: &'static str) -> Definition {
    Definition {
        slug,
        name,
        tier,
        description,
        repeatable: false,
    }
}

const fn per_answer(
    slug: &'static str,
    name: &'static str,
    tier: &'static str,
    description: &'static str,
) -> Definition {
    Definition {
        slug,
        name,
        tier,
        description,
        repeatable: true,
    }
}

/// The default catalogue.
pub const CATALOGUE: [Definition; 15] = [
    def(
        "welcome",
        "Welcome",
        "bronze",
        "Completed your profile: a display name, a bio and a location.",
    ),
    def(
        "first-question",
        "First Question",
        "bronze",
        "Asked your first question.",
    ),
    def(
        "first-answer",
        "First Answer",
        "bronze",
        "Answered a question for the first time.",
    ),
    def("supporter", "Supporter", "bronze", "Cast your first upvote."),
    def(
        "solved",
        "Solved",
        "bronze",
        "Your answer was accepted for the first time.",
    ),
    def(
        "beta-tester",
        "Beta Tester",
        "bronze",
        "Joined a beta group and posted in it.",
    ),
    def(
        "quick-responder",
        "Quick Responder",
        "bronze",
        "Gave the first response to a question within one business hour.",
    ),
    def(
        "problem-solver",
        "Problem Solver",
        "silver",
        "10 of your answers were accepted.",
    ),
    per_answer(
        "good-answer",
        "Good Answer",
        "silver",
        "An answer with a score of 10 or more.",
    ),
    def(
        "quality-contributor",
        "Quality Contributor",
        "silver",
        "5 of your answers were rated accurate in spot checks.",
    ),
    def(
        "beta-champion",
        "Beta Champion",
        "silver",
        "Gave feedback 10 times in beta groups.",
    ),
    def("regular", "Regular", "silver", "Active on 30 different days."),
    per_answer("guru", "Guru", "gold", "An accepted answer with a score of 25 or more."),
    def(
        "community-hero",
        "Community Hero",
        "gold",
        "100 of your answers were accepted.",
    ),
    per_answer(
        "great-answer",
        "Great Answer",
        "gold",
        "An answer with a score of 50 or more.",
    ),
];

/// Counted thresholds of the rules.
pub const GOOD_ANSWER: i32 = 10;
pub const GREAT_ANSWER: i32 = 50;
pub const GURU: i32 = 25;
pub const PROBLEM_SOLVER: i64 = 10;
pub const COMMUNITY_HERO: i64 = 100;
pub const REGULAR_DAYS: i64 = 30;
/// Quick Responder: a first response within this many business minutes.
pub const QUICK_RESPONSE_MINUTES: f64 = 60.0;

/// Puts the built-in badges in the table (new ones added, texts kept as the code says).
pub fn ensure_catalogue(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<()> {
    for d in CATALOGUE {
        let inserted = badge::insert_if_missing(
            conn,
            &NewBadge {
                slug: d.slug,
                name: d.name,
                tier: d.tier,
                description: d.description,
                repeatable: d.repeatable,
                manual: false,
                created_by: None,
                created_at: now,
            },
        )?;
        if !inserted {
            badge::update_text(conn, d.slug, d.name, d.tier, d.description)?;
        }
    }
    Ok(())
}

/// Where an award points to (repeatable badges: the answer).
#[derive(Debug, Clone, Copy)]
pub struct For {
    pub answer: AnswerId,
    pub question: QuestionId,
}

/// Awards `slug` to `user` (once, or once per answer) and tells them; true when new. `notify`
/// is false for history (imports), which would otherwise flood people with old news.
pub fn award(
    conn: &mut DbConn,
    slug: &str,
    user: UserId,
    on: Option<For>,
    at: NaiveDateTime,
    notify: bool,
) -> AppResult<bool> {
    let Some(b) = badge::find_by_slug(conn, slug)? else {
        return Ok(false);
    };
    let new = badge::award(
        conn,
        &NewAward {
            badge_id: b.id,
            user_id: user,
            post_id: on.map(|f| f.answer.0).unwrap_or(0),
            question_id: on.map(|f| f.question),
            awarded_by: None,
            reason: None,
            created_at: at,
        },
    )?;
    if new && notify {
        notifications::notify(
            conn,
            user,
            "badge",
            &format!("You earned the {} badge ({}).", b.name, b.tier),
            &format!("/badges/{}", b.slug),
            at,
        )?;
    }
    Ok(new)
}

/// A moment of activity (a post or a vote): its KPI slot, its day, and the Regular badge when
/// that is the 30th day.
fn active(conn: &mut DbConn, user: UserId, at: NaiveDateTime) -> AppResult<()> {
    crate::models::activity::mark(conn, user, at)?;
    if badge::mark_active(conn, user, at.date())? == 1 && badge::active_days(conn, user)? >= REGULAR_DAYS {
        award(conn, "regular", user, None, at, true)?;
    }
    Ok(())
}

/// After `user` asked a question.
pub fn after_question(conn: &mut DbConn, user: UserId, at: NaiveDateTime) -> AppResult<()> {
    active(conn, user, at)?;
    award(conn, "first-question", user, None, at, true)?;
    Ok(())
}

/// After `user` answered.
pub fn after_answer(conn: &mut DbConn, user: UserId, at: NaiveDateTime) -> AppResult<()> {
    active(conn, user, at)?;
    award(conn, "first-answer", user, None, at, true)?;
    Ok(())
}

/// After `responder` gave a question asked at `asked` its first response: Quick Responder when
/// that took at most one business hour by the site's operating hours.
pub fn after_first_response(
    conn: &mut DbConn,
    responder: UserId,
    asked: NaiveDateTime,
    at: NaiveDateTime,
) -> AppResult<()> {
    let support = Support::from_settings(&setting::load_all(conn)?);
    if support.schedule.business_minutes(asked, at) <= QUICK_RESPONSE_MINUTES {
        award(conn, "quick-responder", responder, None, at, true)?;
    }
    Ok(())
}

/// After `user` commented.
pub fn after_comment(conn: &mut DbConn, user: UserId, at: NaiveDateTime) -> AppResult<()> {
    active(conn, user, at)
}

/// After `voter` voted (`up` or down) on a question, or on `answer`.
pub fn after_vote(
    conn: &mut DbConn,
    voter: UserId,
    up: bool,
    answer: Option<AnswerId>,
    at: NaiveDateTime,
) -> AppResult<()> {
    active(conn, voter, at)?;
    if up {
        award(conn, "supporter", voter, None, at, true)?;
        if let Some(a) = answer {
            answer_scored(conn, a, at)?;
        }
    }
    Ok(())
}

/// After an answer was accepted.
pub fn after_accept(conn: &mut DbConn, answer: AnswerId, at: NaiveDateTime) -> AppResult<()> {
    let (author, _, _) = answer::standing(conn, answer)?;
    let accepted = accepted_count(conn, author)?;
    award(conn, "solved", author, None, at, true)?;
    if accepted >= PROBLEM_SOLVER {
        award(conn, "problem-solver", author, None, at, true)?;
    }
    if accepted >= COMMUNITY_HERO {
        award(conn, "community-hero", author, None, at, true)?;
    }
    answer_scored(conn, answer, at)
}

/// The per-answer badges an answer's score (and acceptance) may have earned.
fn answer_scored(conn: &mut DbConn, answer: AnswerId, at: NaiveDateTime) -> AppResult<()> {
    let (author, question, score) = answer::standing(conn, answer)?;
    let accepted = crate::models::question::accepted_answer(conn, question)?;
    let on = Some(For { answer, question });
    if score >= GOOD_ANSWER {
        award(conn, "good-answer", author, on, at, true)?;
    }
    if score >= GREAT_ANSWER {
        award(conn, "great-answer", author, on, at, true)?;
    }
    if score >= GURU && accepted == Some(answer) {
        award(conn, "guru", author, on, at, true)?;
    }
    Ok(())
}

/// How many of `user`'s answers are the accepted answer of a live question.
pub fn accepted_count(conn: &mut DbConn, user: UserId) -> AppResult<i64> {
    Ok(answer::accepted_count(conn, user)?)
}

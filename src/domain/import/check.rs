//! Checking an import file completely before anything is written.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, SubsecRound};

use super::{IComment, ImportError, ImportFile};
use crate::db::DbConn;
use crate::domain::access::permissions::Role;
use crate::domain::members::accounts::{check_email, check_username};
use crate::domain::qa::posting::check_tag;
use crate::models::{category, user};

pub(super) fn bad(path: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError {
        path: path.into(),
        message: message.into(),
    }
}

pub(super) fn time(path: &str, s: &str) -> Result<NaiveDateTime, ImportError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.naive_utc().trunc_subsecs(6))
        .map_err(|_| bad(path, format!("not an RFC 3339 time: {s:?}")))
}

fn length(path: &str, text: &str, min: usize, max: usize) -> Result<(), ImportError> {
    let n = text.trim().chars().count();
    if n < min || n > max {
        return Err(bad(path, format!("must be {min} to {max} characters (is {n})")));
    }
    Ok(())
}

fn unique_ref<'a>(seen: &mut HashSet<&'a str>, path: &str, r: &'a str) -> Result<(), ImportError> {
    if r.is_empty() || !seen.insert(r) {
        return Err(bad(format!("{path}.ref"), format!("missing or repeated ref {r:?}")));
    }
    Ok(())
}

pub(super) fn check_inner(conn: &mut DbConn, f: &ImportFile) -> Result<(), ImportError> {
    let db = |e: diesel::result::Error| bad("database", e.to_string());
    let mut refs = HashSet::new();
    let (mut names, mut emails) = (HashSet::new(), HashSet::new());
    for (i, u) in f.users.iter().enumerate() {
        let p = format!("users[{i}]");
        unique_ref(&mut refs, &p, &u.r#ref)?;
        check_username(&u.username).map_err(|m| bad(format!("{p}.username"), m))?;
        check_email(&u.email).map_err(|m| bad(format!("{p}.email"), m))?;
        Role::parse(&u.role).ok_or_else(|| bad(format!("{p}.role"), format!("unknown role {:?}", u.role)))?;
        time(&format!("{p}.created_at"), &u.created_at)?;
        if !names.insert(user::username_key(&u.username))
            || user::find_by_username(conn, &u.username).map_err(db)?.is_some()
        {
            return Err(bad(
                format!("{p}.username"),
                format!("username {:?} is taken", u.username),
            ));
        }
        if !emails.insert(user::email_key(&u.email)) || user::find_by_email(conn, &u.email).map_err(db)?.is_some() {
            return Err(bad(format!("{p}.email"), format!("email {:?} is taken", u.email)));
        }
        if let Some(d) = &u.display_name {
            length(&format!("{p}.display_name"), d, 0, 50)?;
        }
    }
    let users: HashSet<&str> = f.users.iter().map(|u| u.r#ref.as_str()).collect();
    let user_ref = |path: String, r: &str| {
        if users.contains(r) {
            Ok(())
        } else {
            Err(bad(path, format!("unknown user {r:?}")))
        }
    };
    let mut group_refs = HashSet::new();
    for (i, g) in f.groups.iter().enumerate() {
        let p = format!("groups[{i}]");
        unique_ref(&mut group_refs, &p, &g.r#ref)?;
        length(&format!("{p}.name"), &g.name, 2, 80)?;
        slug(&format!("{p}.slug"), &g.slug)?;
        for (j, m) in g.members.iter().enumerate() {
            user_ref(format!("{p}.members[{j}]"), m)?;
        }
    }
    let mut cat_refs = HashSet::new();
    let mut slugs = HashSet::new();
    for (i, c) in f.categories.iter().enumerate() {
        let p = format!("categories[{i}]");
        unique_ref(&mut cat_refs, &p, &c.r#ref)?;
        length(&format!("{p}.name"), &c.name, 2, 50)?;
        slug(&format!("{p}.slug"), &c.slug)?;
        if !slugs.insert(c.slug.as_str()) || category::find_by_slug(conn, &c.slug).map_err(db)?.is_some() {
            return Err(bad(format!("{p}.slug"), format!("slug {:?} is taken", c.slug)));
        }
        if let Some(g) = &c.group {
            if !group_refs.contains(g.as_str()) {
                return Err(bad(format!("{p}.group"), format!("unknown group {g:?}")));
            }
        }
    }
    let mut post_refs = HashSet::new();
    let mut question_authors: HashMap<&str, &str> = HashMap::new();
    for (i, q) in f.questions.iter().enumerate() {
        let p = format!("questions[{i}]");
        unique_ref(&mut post_refs, &p, &q.r#ref)?;
        user_ref(format!("{p}.author"), &q.author)?;
        if !cat_refs.contains(q.category.as_str()) {
            return Err(bad(
                format!("{p}.category"),
                format!("unknown category {:?}", q.category),
            ));
        }
        length(&format!("{p}.title"), &q.title, 1, 150)?;
        length(&format!("{p}.body"), &q.body, 1, 30_000)?;
        if q.tags.len() > 5 {
            return Err(bad(format!("{p}.tags"), "at most 5 tags"));
        }
        for (j, t) in q.tags.iter().enumerate() {
            check_tag(&t.to_lowercase()).map_err(|m| bad(format!("{p}.tags[{j}]"), m))?;
        }
        let asked = time(&format!("{p}.created_at"), &q.created_at)?;
        question_authors.insert(&q.r#ref, &q.author);
        check_comments(&p, &q.comments, &user_ref)?;
        let mut targets: HashMap<&str, &str> = HashMap::from([(q.r#ref.as_str(), q.author.as_str())]);
        let mut accepted = 0;
        for (j, a) in q.answers.iter().enumerate() {
            let ap = format!("{p}.answers[{j}]");
            unique_ref(&mut post_refs, &ap, &a.r#ref)?;
            user_ref(format!("{ap}.author"), &a.author)?;
            length(&format!("{ap}.body"), &a.body, 1, 30_000)?;
            let answered = time(&format!("{ap}.created_at"), &a.created_at)?;
            if answered < asked {
                return Err(bad(format!("{ap}.created_at"), "is before the question was asked"));
            }
            if let Some(at) = &a.accepted_at {
                if time(&format!("{ap}.accepted_at"), at)? < answered {
                    return Err(bad(format!("{ap}.accepted_at"), "is before the answer was posted"));
                }
                accepted += 1;
                if accepted > 1 {
                    return Err(bad(
                        format!("{ap}.accepted_at"),
                        "a question has at most one accepted answer",
                    ));
                }
            }
            check_comments(&ap, &a.comments, &user_ref)?;
            targets.insert(&a.r#ref, &a.author);
        }
        let mut cast = HashSet::new();
        for (j, v) in q.votes.iter().enumerate() {
            let vp = format!("{p}.votes[{j}]");
            user_ref(format!("{vp}.user"), &v.user)?;
            let author = targets.get(v.target.as_str()).ok_or_else(|| {
                bad(
                    format!("{vp}.target"),
                    format!("{:?} is not this question or one of its answers", v.target),
                )
            })?;
            if *author == v.user {
                return Err(bad(format!("{vp}.user"), "a vote on one's own post"));
            }
            if v.value != 1 && v.value != -1 {
                return Err(bad(format!("{vp}.value"), "must be 1 or -1"));
            }
            if !cast.insert((v.user.as_str(), v.target.as_str())) {
                return Err(bad(format!("{vp}.user"), "a second vote on the same post"));
            }
            time(&format!("{vp}.created_at"), &v.created_at)?;
        }
    }
    let mut surveyed = HashSet::new();
    for (i, s) in f.surveys.iter().enumerate() {
        let p = format!("surveys[{i}]");
        let author = question_authors
            .get(s.question.as_str())
            .ok_or_else(|| bad(format!("{p}.question"), format!("unknown question {:?}", s.question)))?;
        user_ref(format!("{p}.user"), &s.user)?;
        if *author != s.user {
            return Err(bad(format!("{p}.user"), "surveys are answered by the asker"));
        }
        if !surveyed.insert(s.question.as_str()) {
            return Err(bad(format!("{p}.question"), "one survey per question"));
        }
        if !(0..=10).contains(&s.nps) {
            return Err(bad(format!("{p}.nps"), "must be 0 to 10"));
        }
        time(&format!("{p}.created_at"), &s.created_at)?;
    }
    Ok(())
}

fn slug(path: &str, s: &str) -> Result<(), ImportError> {
    if (1..=50).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        Ok(())
    } else {
        Err(bad(path, "use 1 to 50 of a-z, 0-9 and -"))
    }
}

fn check_comments(
    p: &str,
    comments: &[IComment],
    user_ref: &dyn Fn(String, &str) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    for (k, c) in comments.iter().enumerate() {
        let cp = format!("{p}.comments[{k}]");
        user_ref(format!("{cp}.author"), &c.author)?;
        length(&format!("{cp}.body"), &c.body, 1, 600)?;
        time(&format!("{cp}.created_at"), &c.created_at)?;
    }
    Ok(())
}

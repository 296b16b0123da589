//! A living sample community for first runs and demos: five product areas, a few hundred questions
//! over the last 90 days with answers, comments, votes, accepted and staff answers. It is built as
//! an import file and loaded through `import`, so it passes the same checks as real data.

use chrono::{Duration, NaiveDateTime};

use crate::db::backend::write_transaction;
use crate::db::DbConn;
use crate::domain::access::privileges::{is_contributor, Thresholds};
use crate::domain::import::{IAnswer, ICategory, IComment, IQuestion, ISurvey, IUser, IVote, ImportFile};
use crate::domain::members::user_admin;
use crate::domain::site::demo::{SignIn, SIGN_INS_KEY};
use crate::error::{AppError, AppResult};
use crate::models::{setting, user};
use crate::queries::people;

/// A small deterministic generator (so every demo looks the same and tests can rely on it).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The five product areas: name, slug, tags, question titles.
pub(super) const AREAS: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "Getting started",
        "getting-started",
        &["setup", "onboarding", "import", "workspace"],
        &[
            "How do I invite my team to the workspace?",
            "Importing contacts from a CSV file fails",
            "What is the difference between a project and a workspace?",
            "Setup wizard stops at the second step",
            "Can I rename my workspace after creating it?",
            "Where do I change the default language?",
            "How do I move items between projects?",
            "Sample data is still showing after setup",
        ],
    ),
    (
        "Billing & plans",
        "billing",
        &["billing", "invoices", "plans", "vat"],
        &[
            "Where can I download my invoices?",
            "Invoice shows the wrong VAT number",
            "How do I switch from monthly to yearly billing?",
            "I was charged twice this month",
            "Does downgrading delete my data?",
            "Can I pay by bank transfer instead of card?",
            "How are seats counted for guest users?",
            "Promo code is not accepted at checkout",
        ],
    ),
    (
        "Mobile apps",
        "mobile",
        &["ios", "android", "notifications", "sync"],
        &[
            "The iOS app crashes on launch after the update",
            "Push notifications stopped arriving on Android",
            "Offline changes are not syncing",
            "How do I enable dark mode in the app?",
            "The app logs me out every day",
            "Attachments fail to upload from the phone",
            "Widget shows old data on the home screen",
            "Can I use the app on a tablet in landscape?",
        ],
    ),
    (
        "Integrations & API",
        "integrations",
        &["api", "webhooks", "zapier", "slack"],
        &[
            "Webhook deliveries return 401 from my server",
            "API rate limit is lower than documented",
            "Slack integration posts to the wrong channel",
            "How do I paginate the items endpoint?",
            "Zapier trigger fires twice for each new item",
            "OAuth token expires after one hour",
            "Which fields does the export API return?",
            "Creating items through the API ignores the due date",
        ],
    ),
    (
        "Account & security",
        "account",
        &["login", "2fa", "sso", "password"],
        &[
            "I lost my phone with the two-factor app",
            "Password reset email never arrives",
            "How do I set up SSO with our identity provider?",
            "Can I see which devices are logged in?",
            "Account locked after too many attempts",
            "How do I change the email of my account?",
            "Audit log for admin changes in our workspace",
            "Session ends while I am typing a long note",
        ],
    ),
];

const OPENERS: &[&str] = &[
    "Since yesterday I have a problem with this.",
    "This started after the last update.",
    "I have tried everything I could find in the docs.",
    "Our whole team sees the same thing.",
    "It worked fine until last week.",
];
const DETAILS: &[&str] = &[
    "I am on the **Team** plan and use the web app in Firefox and Chrome.",
    "Steps:\n\n1. Open the settings\n2. Click save\n3. Nothing happens",
    "The error in the browser console is:\n\n```\nTypeError: cannot read properties of undefined\n```",
    "It happens about every second time, not always.",
    "I cleared the cache and logged out and in again, without luck.",
    "Is there a setting I am missing, or is this a known issue?",
];
const ANSWERS: &[&str] = &[
    "I had the same problem. Going to **Settings → Account** and saving once fixed it for me.",
    "Check that your browser extensions are not blocking the page; an ad blocker was the cause for me.",
    "This is documented under *Advanced options*: you need admin rights for it.",
    "Try the desktop app instead, it handles this differently:\n\n- open the menu\n- choose *Sync now*",
    "We hit this too and worked around it by exporting and importing again. Took five minutes.",
    "Make sure the time on your device is set automatically; wrong clocks break the sign-in.",
    "You can do it from the API as well: `PATCH /items/{id}` with the new value.",
];
const STAFF_ANSWERS: &[&str] = &[
    "Thanks for the report! This was a bug on our side and the fix is rolling out today. Please let us know if it persists.",
    "Staff here: this is expected with the current plan limits. You can raise the limit under Billing, or contact us for a trial.",
    "We have logged this as a known issue and are working on it. Following this question will tell you when it is fixed.",
];
const QUALIFIERS: &[&str] = &[
    "",
    " on Windows",
    " on macOS",
    " since the last update",
    " for guest users",
    " in the EU region",
    " on the Team plan",
    " with SSO enabled",
];
const COMMENTS: &[&str] = &[
    "Which version are you on?",
    "Same here.",
    "That worked, thank you!",
    "Did you try logging out first?",
    "+1, following.",
    "Can you share a screenshot?",
];
const FIRST: &[&str] = &[
    "anna", "ben", "chloe", "dev", "emma", "felix", "grace", "hugo", "ines", "jonas", "kai", "lena", "milo", "nora",
    "omar", "pia", "quinn", "rosa", "sam", "tara",
];

/// A staff member or moderator of a generated community (`domain` names its email domain).
pub(super) fn team_member(name: &str, role: &str, domain: &str, joined: NaiveDateTime) -> IUser {
    IUser {
        r#ref: name.into(),
        username: name.into(),
        email: format!("{name}@{domain}.peerdesk.invalid"),
        role: role.into(),
        created_at: at(joined),
        display_name: None,
    }
}

/// When a question is asked, as in a support community's week (in UTC, the default zone): most
/// on weekdays in working hours (09:00–17:00), fewer in the evening and at night, a few at
/// weekends.
fn support_week_instant(rng: &mut Rng, start: NaiveDateTime) -> NaiveDateTime {
    use chrono::Datelike;
    loop {
        let day = start.date() + Duration::days(rng.below(89) as i64);
        let weekend = day.weekday().number_from_monday() >= 6;
        if weekend && !rng.chance(25) {
            continue;
        }
        let hour = if rng.chance(75) {
            9 + rng.below(8)
        } else {
            rng.below(24)
        };
        let t = day.and_hms_opt(0, 0, 0).unwrap_or(start) + Duration::minutes((hour * 60 + rng.below(60)) as i64);
        return t.max(start);
    }
}

/// `t` if it falls on a weekday between 09:00 and 17:00, else a minute early on the next
/// working morning.
fn next_working_minute(t: NaiveDateTime, rng: &mut Rng) -> NaiveDateTime {
    use chrono::{Datelike, Timelike};
    let working = |x: NaiveDateTime| x.weekday().number_from_monday() <= 5 && (9..17).contains(&x.hour());
    if working(t) {
        return t;
    }
    let mut day = if t.hour() >= 17 {
        t.date() + Duration::days(1)
    } else {
        t.date()
    };
    while day.weekday().number_from_monday() > 5 {
        day += Duration::days(1);
    }
    let nine = day.and_hms_opt(9, 0, 0).unwrap_or(t);
    nine + Duration::minutes(rng.below(90) as i64)
}

fn at(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339()
}

/// The sample community, dated so that its last activity is shortly before `now`.
pub fn community(now: NaiveDateTime, questions: usize) -> ImportFile {
    let mut rng = Rng(0x5EED_CAFE_F00D);
    let start = now - Duration::days(90);
    let mut users = Vec::new();
    for (i, name) in FIRST.iter().enumerate() {
        for suffix in ["", "_k", "_m"] {
            let username = format!("{name}{suffix}");
            users.push(IUser {
                r#ref: username.clone(),
                email: format!("{username}@demo.peerdesk.invalid"),
                role: "member".into(),
                created_at: at(start - Duration::days(30 + i as i64)),
                display_name: Some(format!("{}{}", name[..1].to_uppercase(), &name[1..])),
                username,
            });
        }
    }
    for (name, role) in [
        ("support_sam", "staff"),
        ("support_lee", "staff"),
        ("mod_riley", "moderator"),
        ("demo_admin", "admin"),
    ] {
        users.push(team_member(name, role, "demo", start - Duration::days(60)));
    }
    let members: Vec<String> = users
        .iter()
        .filter(|u| u.role == "member")
        .map(|u| u.r#ref.clone())
        .collect();
    let staff = ["support_sam", "support_lee"];
    let categories = AREAS
        .iter()
        .map(|(name, slug, _, _)| ICategory {
            r#ref: slug.to_string(),
            name: name.to_string(),
            slug: slug.to_string(),
            group: None,
        })
        .collect();
    let mut qs = Vec::new();
    let mut surveys = Vec::new();
    for n in 0..questions {
        let (_, slug, tags, titles) = AREAS[n % AREAS.len()];
        let asker = rng.pick(&members).clone();
        let asked = support_week_instant(&mut rng, start);
        // Every (title, qualifier) pair once, so that titles read naturally and do not repeat.
        let round = n / AREAS.len();
        let base = titles[round % titles.len()].trim_end_matches('?');
        let qualifier = QUALIFIERS[(round / titles.len()) % QUALIFIERS.len()];
        let title = format!(
            "{base}{qualifier}{}",
            if titles[round % titles.len()].ends_with('?') {
                "?"
            } else {
                ""
            }
        );
        let body = format!("{} {}\n\n{}", rng.pick(OPENERS), rng.pick(DETAILS), rng.pick(DETAILS));
        let qref = format!("q{n}");
        let mut answers = Vec::new();
        let mut t = asked;
        let answer_count = [0, 1, 1, 2, 2, 3, 4][rng.below(7) as usize];
        for k in 0..answer_count {
            t += Duration::minutes(5 + rng.below(600) as i64);
            let is_staff = rng.chance(20);
            if is_staff {
                // Staff answer in their working hours.
                t = next_working_minute(t, &mut rng);
            }
            if t > now - Duration::hours(3) {
                break;
            }
            let author = if is_staff {
                rng.pick(&staff).to_string()
            } else {
                rng.pick(&members).clone()
            };
            if author == asker {
                continue;
            }
            let comments = if rng.chance(40) {
                let who = if rng.chance(50) {
                    asker.clone()
                } else {
                    rng.pick(&members).clone()
                };
                vec![IComment {
                    author: who,
                    body: rng.pick(COMMENTS).to_string(),
                    created_at: at(t + Duration::minutes(20)),
                }]
            } else {
                Vec::new()
            };
            let body = if is_staff {
                rng.pick(STAFF_ANSWERS)
            } else {
                rng.pick(ANSWERS)
            };
            answers.push(IAnswer {
                r#ref: format!("{qref}a{k}"),
                author,
                body: body.to_string(),
                created_at: at(t),
                accepted_at: None,
                comments,
            });
        }
        let mut votes = Vec::new();
        let mut voted = std::collections::HashSet::new();
        for _ in 0..rng.below(6) {
            let voter = rng.pick(&members).clone();
            let (target, author) = match answers.len() {
                0 => (qref.clone(), asker.clone()),
                len => {
                    let a = &answers[rng.below(len as u64) as usize];
                    (a.r#ref.clone(), a.author.clone())
                }
            };
            if voter != author && voted.insert((voter.clone(), target.clone())) {
                votes.push(IVote {
                    user: voter,
                    target,
                    value: if rng.chance(90) { 1 } else { -1 },
                    created_at: at(t + Duration::minutes(30)),
                });
            }
        }
        if !answers.is_empty() && rng.chance(60) {
            let i = rng.below(answers.len() as u64) as usize;
            let accepted = t + Duration::hours(2);
            answers[i].accepted_at = Some(at(accepted));
            surveys.push(ISurvey {
                question: qref.clone(),
                user: asker.clone(),
                resolved: rng.chance(85),
                nps: (5 + rng.below(6)) as i32,
                created_at: at(accepted + Duration::minutes(3)),
            });
        }
        let mut tag_list = vec![rng.pick(tags).to_string()];
        let second = rng.pick(tags).to_string();
        if !tag_list.contains(&second) {
            tag_list.push(second);
        }
        qs.push(IQuestion {
            r#ref: qref,
            author: asker,
            category: slug.to_string(),
            title,
            body,
            tags: tag_list,
            created_at: at(asked),
            comments: Vec::new(),
            answers,
            votes,
        });
    }
    ImportFile {
        users,
        groups: Vec::new(),
        categories,
        questions: qs,
        surveys,
    }
}

/// Gives the loaded sample community view counts (the import format carries none): more for
/// questions with more answers and votes, varied by id, as a browsed forum would have.
pub fn add_sample_views(conn: &mut crate::db::DbConn) -> crate::error::AppResult<()> {
    let rows = crate::models::question::all_standings(conn)?;
    crate::db::backend::write_transaction(conn, |c| {
        for (id, answers, score) in rows {
            let spread = (id.0 * 7919) % 180;
            let n = 12 + spread + 25 * i64::from(answers) + 10 * i64::from(score.max(0));
            crate::models::question::add_views(c, id, n)?;
        }
        Ok(())
    })
}

/// Opens four accounts of a loaded demo — a member, a contributor (the member with the most
/// reputation), the moderator and the staff admin — with `password` (each change audited as a
/// command-line password set), and records their usernames so that the home page can say how to
/// sign in.
pub fn open_sign_ins(conn: &mut DbConn, password: &str, t: &Thresholds, now: NaiveDateTime) -> AppResult<Vec<SignIn>> {
    let (by_reputation, _) = people::directory(conn, "", 500, 0)?;
    let members: Vec<&user::User> = by_reputation.iter().filter(|u| u.role == "member").collect();
    let contributor = members
        .iter()
        .find(|u| is_contributor(u, t))
        .or(members.first())
        .ok_or(AppError::NotFound)?;
    // A member with some reputation but no privileges beyond the basics.
    let member = members
        .iter()
        .find(|u| u.reputation > 0 && u.reputation < t.vote_down && u.id != contributor.id)
        .or(members.last())
        .ok_or(AppError::NotFound)?;
    let sign_ins = vec![
        SignIn {
            kind: "member",
            username: member.username.clone(),
        },
        SignIn {
            kind: "contributor",
            username: contributor.username.clone(),
        },
        SignIn {
            kind: "moderator",
            username: "mod_riley".into(),
        },
        SignIn {
            kind: "admin",
            username: "demo_admin".into(),
        },
    ];
    for s in &sign_ins {
        user_admin::set_password_from_cli(conn, &s.username, password)?;
    }
    if !is_contributor(contributor, t) {
        // A young demo may have nobody at the threshold yet: staff name one, as they may.
        let id = contributor.id;
        write_transaction(conn, |c| user::set_contributor_override(c, id, Some(true)))?;
    }
    let listed: Vec<String> = sign_ins.iter().map(|s| format!("{}={}", s.kind, s.username)).collect();
    write_transaction(conn, |c| setting::put(c, SIGN_INS_KEY, &listed.join(";"), now))?;
    Ok(sign_ins)
}

/// What `--demo` prints and writes to `demo-logins.txt`.
pub fn sign_in_text(url: &str, sign_ins: &[SignIn], password: &str) -> String {
    let mut out = format!("The demo community is at {url}\nSign in (password for all: {password}) as:\n");
    for s in sign_ins {
        out.push_str(&format!("  {:<12} {}\n", s.kind, s.username));
    }
    out
}

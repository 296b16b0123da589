//! A generated community at load-test size (`peerdesk seed --scale N`): N questions with about 3N
//! answers, comments, votes, tags, five categories and N/20 members, bodies of about 600
//! characters of Markdown with code blocks and links, spread over a chosen number of days. Like the
//! sample community it is an import file, so it goes through the same checks and leaves the same
//! facts, reputation and badges as real data would.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};

use crate::domain::import::{IAnswer, ICategory, IComment, IQuestion, ISurvey, IUser, IVote, ImportFile};
use crate::seed::demo::{team_member, Rng, AREAS};

const FEATURES: &[&str] = &[
    "the CSV export",
    "calendar sync",
    "SSO login",
    "webhook delivery",
    "the contact import",
    "the mobile app",
    "search",
    "the dashboard widget",
    "the invoice PDF",
    "API token rotation",
    "two-factor login",
    "the email digest",
    "file upload",
    "team permissions",
    "custom fields",
    "recurring tasks",
    "Slack notifications",
    "time tracking",
    "dark mode",
    "offline mode",
    "the report builder",
    "guest access",
    "the audit log",
    "data retention",
    "bulk edit",
    "public forms",
    "comment mentions",
    "the Zapier trigger",
    "the GraphQL endpoint",
    "the browser extension",
];
const PROBLEMS: &[&str] = &[
    "fails without an error",
    "times out after 30 seconds",
    "returns a 500 error",
    "shows the wrong time zone",
    "is missing after the update",
    "creates every entry twice",
    "ignores the filter",
    "stops working behind a proxy",
    "is very slow with large accounts",
    "logs me out",
    "rejects valid input",
    "breaks with accented names",
    "does not respect permissions",
    "sends two emails",
    "shows stale data",
    "crashes on start",
    "cannot be turned off",
    "loses the last change",
    "uses the wrong language",
    "hangs at 99 percent",
];
const CONTEXTS: &[&str] = &[
    "on Windows 11",
    "on macOS",
    "in Firefox",
    "on Android 14",
    "on iOS 17",
    "since version 4.2",
    "for guest users",
    "in the EU region",
    "on the Team plan",
    "with SSO enabled",
    "behind a corporate proxy",
    "for large workspaces",
    "after renaming a project",
    "in Safari",
    "on Linux",
    "through the API",
];
const OPENERS: &[&str] = &[
    "Since this morning our whole team has the same problem.",
    "This started right after the last release, nothing changed on our side.",
    "I searched the docs and this forum but found nothing that matches.",
    "It worked fine for months and broke last week.",
    "We are evaluating the product for 200 people and this is a blocker.",
    "Not sure whether this is a bug or something I configured wrong.",
    "Two of my colleagues can reproduce it, the third cannot.",
    "I am the admin of our workspace and tried it with a fresh account as well.",
];
const DETAILS: &[&str] = &[
    "It happens about every second time, more often in the afternoon when many people are online.",
    "I cleared the cache, logged out and in again, and tried a private window, without any change.",
    "The same steps work in our staging workspace, which has far fewer items.",
    "Support suggested reinstalling, but the problem came back after a day.",
    "Our IT department says nothing is blocked on the network side, and other tools work.",
    "I checked the status page and there was no incident reported at that time.",
    "Turning the feature off and on again helps for a few hours, then it starts again.",
    "The logs on our side show the request going out, but nothing comes back.",
];
const CODE: &[&str] = &[
    "```\nERROR 2026-03-14T09:12:44Z request failed: status=500 id=7f3a9c\n  at sync.push (worker.js:212)\n  at retry (worker.js:88)\n```",
    "```json\n{\n  \"error\": \"invalid_grant\",\n  \"error_description\": \"token expired\",\n  \"retry_after\": 30\n}\n```",
    "```yaml\nsync:\n  interval: 300\n  proxy: http://proxy.internal:3128\n  verify_tls: true\n```",
    "```sh\ncurl -H \"Authorization: Bearer $TOKEN\" https://api.example.com/v2/items?limit=100\n# => HTTP/1.1 504 Gateway Timeout\n```",
    "```\nWARN export: row 1042 skipped (encoding: expected UTF-8)\nWARN export: row 1043 skipped (encoding: expected UTF-8)\n```",
    "```python\nresp = client.items.list(updated_since=\"2026-01-01\")\nprint(len(resp))  # prints 0, expected 350\n```",
];
const CLOSERS: &[&str] = &[
    "Has anyone found a way around this?",
    "Is this a known issue, and is there a fix planned?",
    "Which setting am I missing?",
    "Any idea what else I could check?",
    "Can someone from the team confirm this?",
    "What is the recommended way to set this up?",
];
const ADVICE: &[&str] = &[
    "I had exactly this last month. The cause was the default workspace setting, which overrides the personal one.",
    "Check **Settings → Integrations → Advanced**: the option *Use legacy endpoint* must be off for this to work.",
    "This is usually the proxy rewriting the headers. Ask your IT to allow-list the API host, then it goes through.",
    "Try signing in once from the web app and then again in the app: that refreshes the token, which is what expires.",
    "We worked around it by splitting the export into months; each file is small enough to finish in time.",
    "Make sure the clock on the device is set automatically. A clock that is a few minutes off breaks the sign-in.",
    "The limit is per workspace, not per user, so a script running somewhere else can use it up.",
    "Removing and adding the integration again fixed it for us; the old connection kept a revoked token.",
];
const STAFF_ADVICE: &[&str] = &[
    "Thanks for the detailed report! This was a regression on our side and the fix is rolling out to all regions today.",
    "Staff here: this is expected on the current plan limits. You can raise them under Billing, or write to us for a trial.",
    "We have logged this as a known issue. Follow this question and you will be told here when the fix ships.",
];
const ANSWER_CODE: &[&str] = &[
    "```sh\npeerctl cache clear --workspace acme\npeerctl sync --full\n```",
    "```json\n{ \"sync\": { \"mode\": \"incremental\", \"batch_size\": 200 } }\n```",
    "```\nSettings > Security > Sessions > \"Keep me signed in\" = on\n```",
];
const COMMENTS: &[&str] = &[
    "Which version are you on?",
    "Same here since Tuesday.",
    "That worked, thank you!",
    "Did you try it with a new account?",
    "+1, following this.",
    "Can you share the full error message?",
    "This fixed it for me as well.",
    "Still happening for us after the update.",
];
const FIRST: &[&str] = &[
    "anna", "ben", "chloe", "dev", "emma", "felix", "grace", "hugo", "ines", "jonas", "kai", "lena", "milo", "nora",
    "omar", "pia", "quinn", "rosa", "sam", "tara", "uma", "victor", "wen", "yara",
];
const LAST: &[&str] = &[
    "berg", "costa", "diaz", "evans", "fischer", "garcia", "hansen", "ito", "jensen", "kim", "lopez", "meyer", "novak",
    "olsen", "park", "rossi", "silva", "tanaka", "weber", "zhang",
];

fn at(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339()
}

fn slugify(s: &str) -> String {
    let words: Vec<String> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "the")
        .map(str::to_lowercase)
        .collect();
    words.join("-")
}

/// `questions` questions over the `days` days before `now`, every time the same for the same
/// arguments.
pub fn community(now: NaiveDateTime, questions: usize, days: u32) -> ImportFile {
    let mut rng = Rng(0x10AD_7E57_5EED);
    let start = now - Duration::days(i64::from(days.max(1)));
    let users = people(&mut rng, start, (questions / 20).max(20));
    let members: Vec<&str> = users
        .iter()
        .filter(|u| u.role == "member")
        .map(|u| u.r#ref.as_str())
        .collect();
    let staff: Vec<&str> = users
        .iter()
        .filter(|u| u.role == "staff")
        .map(|u| u.r#ref.as_str())
        .collect();
    let categories = AREAS
        .iter()
        .map(|(name, slug, _, _)| ICategory {
            r#ref: slug.to_string(),
            name: name.to_string(),
            slug: slug.to_string(),
            group: None,
        })
        .collect();
    let span = (now - start).num_minutes().max(1) as u64;
    let mut qs = Vec::with_capacity(questions);
    let mut surveys = Vec::new();
    for n in 0..questions {
        // Questions in time order, so that ids grow with time as on a real site.
        let asked = start + Duration::minutes((n as u64 * span / questions.max(1) as u64) as i64);
        let (q, survey) = question(&mut rng, n, asked, now, &members, &staff);
        qs.push(q);
        surveys.extend(survey);
    }
    ImportFile {
        users,
        groups: Vec::new(),
        categories,
        questions: qs,
        surveys,
    }
}

fn people(rng: &mut Rng, start: NaiveDateTime, members: usize) -> Vec<IUser> {
    let mut users = Vec::with_capacity(members + 5);
    for i in 0..members {
        let (first, last) = (FIRST[i % FIRST.len()], LAST[(i / FIRST.len()) % LAST.len()]);
        let round = i / (FIRST.len() * LAST.len());
        let username = if round == 0 {
            format!("{first}_{last}")
        } else {
            format!("{first}_{last}{round}")
        };
        users.push(IUser {
            r#ref: username.clone(),
            email: format!("{username}@load.peerdesk.invalid"),
            role: "member".into(),
            created_at: at(start - Duration::days(1 + rng.below(400) as i64)),
            display_name: Some(format!(
                "{}{} {}{}",
                first[..1].to_uppercase(),
                &first[1..],
                last[..1].to_uppercase(),
                &last[1..]
            )),
            username,
        });
    }
    for (name, role) in [
        ("support_sam", "staff"),
        ("support_lee", "staff"),
        ("support_ava", "staff"),
        ("mod_riley", "moderator"),
        ("mod_jo", "moderator"),
    ] {
        users.push(team_member(name, role, "load", start - Duration::days(500)));
    }
    users
}

fn title(rng: &mut Rng) -> (String, &'static str) {
    let feature = *rng.pick(FEATURES);
    let problem = rng.pick(PROBLEMS);
    let context = rng.pick(CONTEXTS);
    let title = match rng.below(3) {
        0 => format!("Why does {feature} {problem} {context}?"),
        1 => {
            let s = format!("{feature} {problem} {context}");
            format!("{}{}", s[..1].to_uppercase(), &s[1..])
        }
        _ => format!("How do I fix it when {feature} {problem} {context}?"),
    };
    (title, feature)
}

fn question_body(rng: &mut Rng, feature: &str, area: &str) -> String {
    let mut body = format!("{} {}\n\n{}", rng.pick(OPENERS), rng.pick(DETAILS), rng.pick(DETAILS));
    if rng.chance(50) {
        body.push_str(&format!(
            "\n\nSteps:\n\n1. Open {feature} as an admin\n2. Change any setting and save\n3. Reload the page after a minute"
        ));
    }
    body.push_str(&format!(
        "\n\n*Version 4.{}.{}, {} seats, {} plan.*",
        rng.below(9),
        rng.below(20),
        5 + rng.below(500),
        rng.pick(&["Starter", "Team", "Business", "Enterprise"])
    ));
    if rng.chance(70) {
        body.push_str("\n\nThis is what I see:\n\n");
        body.push_str(rng.pick::<&str>(CODE));
    }
    if rng.chance(60) {
        body.push_str(&format!(
            "\n\nI followed [the guide for {feature}](https://docs.example.com/{area}/{}) step by step.",
            slugify(feature)
        ));
    }
    body.push_str("\n\n");
    body.push_str(rng.pick::<&str>(CLOSERS));
    body
}

fn answer_body(rng: &mut Rng, is_staff: bool) -> String {
    if is_staff {
        return format!(
            "{}\n\nMore in [our status page](https://status.example.com/) and the [release notes](https://docs.example.com/releases).",
            rng.pick(STAFF_ADVICE)
        );
    }
    let mut body = format!("{} {}", rng.pick(ADVICE), rng.pick(DETAILS));
    if rng.chance(40) {
        body.push_str("\n\n");
        body.push_str(rng.pick::<&str>(ANSWER_CODE));
    }
    if rng.chance(30) {
        body.push_str("\n\nSee also <https://docs.example.com/troubleshooting>.");
    }
    body
}

fn comment(rng: &mut Rng, author: &str, t: NaiveDateTime) -> IComment {
    IComment {
        author: author.to_string(),
        body: rng.pick(COMMENTS).to_string(),
        created_at: at(t),
    }
}

/// An author among `pool` who is not `not`.
fn someone_else<'a>(rng: &mut Rng, pool: &[&'a str], not: &str) -> &'a str {
    loop {
        let who = *rng.pick(pool);
        if who != not || pool.len() < 2 {
            return who;
        }
    }
}

fn question(
    rng: &mut Rng,
    n: usize,
    asked: NaiveDateTime,
    now: NaiveDateTime,
    members: &[&str],
    staff: &[&str],
) -> (IQuestion, Option<ISurvey>) {
    let (_, slug, tags, _) = AREAS[n % AREAS.len()];
    let asker = *rng.pick(members);
    let (title, feature) = title(rng);
    let body = question_body(rng, feature, slug);
    let qref = format!("q{n}");
    let mut answers: Vec<IAnswer> = Vec::new();
    let mut comments = Vec::new();
    if rng.chance(25) {
        let who = someone_else(rng, members, asker);
        comments.push(comment(rng, who, asked + Duration::minutes(15)));
    }
    // The first reply comes minutes to a day later; the rest follow over the next days.
    let mut t = asked + Duration::minutes(3 + rng.below(24 * 60) as i64);
    let mut posted = Vec::new();
    for k in 0..rng.below(7) {
        if t >= now {
            break;
        }
        let is_staff = rng.chance(15);
        let author = if is_staff {
            *rng.pick(staff)
        } else {
            someone_else(rng, members, asker)
        };
        let mut a_comments = Vec::new();
        for c in 0..rng.below(3) {
            let who = if rng.chance(50) {
                asker
            } else {
                someone_else(rng, members, author)
            };
            let when = t + Duration::minutes(10 + 30 * c as i64);
            if when < now {
                a_comments.push(comment(rng, who, when));
            }
        }
        answers.push(IAnswer {
            r#ref: format!("{qref}a{k}"),
            author: author.to_string(),
            body: answer_body(rng, is_staff),
            created_at: at(t),
            accepted_at: None,
            comments: a_comments,
        });
        posted.push(t);
        t += Duration::minutes(20 + rng.below(2 * 24 * 60) as i64);
    }
    let votes = votes(rng, (&qref, asker, asked), &answers, &posted, members);
    let mut survey = None;
    let i = rng.below(answers.len().max(1) as u64) as usize;
    let accepted = posted
        .get(i)
        .map(|p| *p + Duration::minutes(30 + rng.below(48 * 60) as i64));
    if let Some(accepted) = accepted.filter(|a| *a < now && rng.chance(55)) {
        answers[i].accepted_at = Some(at(accepted));
        if rng.chance(70) {
            survey = Some(ISurvey {
                question: qref.clone(),
                user: asker.to_string(),
                resolved: rng.chance(85),
                nps: (4 + rng.below(7)) as i32,
                created_at: at(accepted + Duration::minutes(5)),
            });
        }
    }
    let mut tag_list = vec![rng.pick(tags).to_string(), slugify(feature)];
    for _ in 0..rng.below(2) {
        let more = rng.pick(tags).to_string();
        if !tag_list.contains(&more) {
            tag_list.push(more);
        }
    }
    let q = IQuestion {
        r#ref: qref,
        author: asker.to_string(),
        category: slug.to_string(),
        title,
        body,
        tags: tag_list,
        created_at: at(asked),
        comments,
        answers,
        votes,
    };
    (q, survey)
}

/// Up to eight votes on the question (`asked` by `asker`) and its answers, never one's own.
fn votes(
    rng: &mut Rng,
    (qref, asker, asked): (&str, &str, NaiveDateTime),
    answers: &[IAnswer],
    posted: &[NaiveDateTime],
    members: &[&str],
) -> Vec<IVote> {
    let mut votes = Vec::new();
    let mut cast = HashSet::new();
    for _ in 0..rng.below(9) {
        let voter = *rng.pick(members);
        let (target, author, after) = match rng.below(answers.len() as u64 + 1) as usize {
            0 => (qref, asker, asked),
            i => {
                let a = &answers[i - 1];
                (a.r#ref.as_str(), a.author.as_str(), posted[i - 1])
            }
        };
        if voter != author && cast.insert((voter, target)) {
            votes.push(IVote {
                user: voter.to_string(),
                target: target.to_string(),
                value: if rng.chance(88) { 1 } else { -1 },
                created_at: at(after + Duration::minutes(1 + rng.below(600) as i64)),
            });
        }
    }
    votes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("a date")
    }

    #[test]
    fn has_the_shape_the_benchmark_expects() {
        let f = community(now(), 2_000, 365);
        assert_eq!(f.questions.len(), 2_000);
        assert_eq!(f.categories.len(), 5);
        assert_eq!(f.users.iter().filter(|u| u.role == "member").count(), 100);
        let answers: usize = f.questions.iter().map(|q| q.answers.len()).sum();
        assert!(
            (5_400..=6_600).contains(&answers),
            "about 3 answers a question, got {answers}"
        );
        let body: usize = f.questions.iter().map(|q| q.body.len()).sum::<usize>() / f.questions.len();
        assert!((450..=800).contains(&body), "bodies around 600 characters, got {body}");
        assert!(f.questions.iter().any(|q| q.body.contains("```")));
        assert!(f.questions.iter().any(|q| q.body.contains("](https://")));
        let first = f.questions[0].created_at.as_str();
        let last = f.questions[1_999].created_at.as_str();
        assert!(
            first.starts_with("2025-12") && last.starts_with("2026-12"),
            "{first} .. {last}"
        );
    }

    #[test]
    fn is_repeatable_and_never_in_the_future() {
        let a = community(now(), 500, 30);
        let b = community(now(), 500, 30);
        assert_eq!(a.questions[321].body, b.questions[321].body);
        assert_eq!(a.questions[321].votes.len(), b.questions[321].votes.len());
        let nothing_later = a
            .questions
            .iter()
            .flat_map(|q| &q.answers)
            .all(|x| x.created_at < at(now()));
        assert!(nothing_later, "no answer is dated after now");
    }
}

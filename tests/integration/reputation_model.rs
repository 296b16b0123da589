//! 1,000 random actions (votes, changes, undos, accepts, moves, deletes, spam removals, restores)
//! through the domain, beside an independent model of DESIGN §4: afterwards every stored total
//! equals the model's, and `recompute` finds nothing to correct.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::common::TestApp;
use peerdesk::db::ids::{AnswerId, QuestionId, UserId};
use peerdesk::db::DbConn;
use peerdesk::domain::access::abilities::Poster;
use peerdesk::domain::access::permissions::{Permission, Role};
use peerdesk::domain::qa::posting::{self, AskInput};
use peerdesk::domain::qa::thread_state::{self, AnswerChange, Change};
use peerdesk::domain::qa::voting::{self, Direction, Post};
use peerdesk::domain::reputation;

const BODY: &str = "A body long enough for the rules, about routers and their settings.";

/// A post in the model: a question, or an answer of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum P {
    Q(i64),
    A(i64),
}

#[derive(Debug, Clone)]
struct Event {
    user: UserId,
    amount: i64,
    upvote: bool,
    post: P,
    /// `vote` (by the voter in `actor`), `accept` or `spam`.
    kind: &'static str,
    actor: UserId,
    day: NaiveDate,
    active: bool,
}

/// DESIGN §4 as a list of events, kept independently of the implementation.
#[derive(Default)]
struct Model {
    events: Vec<Event>,
    author: HashMap<P, UserId>,
    question_of: HashMap<i64, i64>,
    accepted: HashMap<i64, i64>,
    deleted: BTreeSet<P>,
    /// How many upvotes were recorded with less than their amount because of the daily cap.
    capped: usize,
}

impl Model {
    fn add(&mut self, user: UserId, amount: i64, post: P, kind: &'static str, actor: UserId, at: NaiveDateTime) {
        let upvote = kind == "vote" && amount > 0;
        let nominal = amount;
        let mut amount = amount;
        if upvote {
            let day = at.date();
            let earned: i64 = self
                .events
                .iter()
                .filter(|e| e.user == user && e.upvote && e.active && e.day == day)
                .map(|e| e.amount)
                .sum();
            amount = amount.min((200 - earned).max(0));
            self.capped += usize::from(amount < nominal);
        }
        self.events.push(Event {
            user,
            amount,
            upvote,
            post,
            kind,
            actor,
            day: at.date(),
            active: true,
        });
    }

    fn remove(&mut self, post: P, kind: &str, actor: Option<UserId>) {
        self.events
            .retain(|e| !(e.post == post && e.kind == kind && actor.is_none_or(|a| e.actor == a)));
    }

    fn set_active(&mut self, post: P, active: bool) {
        for e in self.events.iter_mut().filter(|e| e.post == post) {
            e.active = active;
        }
    }

    fn vote(&mut self, voter: UserId, post: P, value: i32, at: NaiveDateTime) {
        self.remove(post, "vote", Some(voter));
        let author = self.author[&post];
        match (value, post) {
            (1, P::Q(_)) => self.add(author, 5, post, "vote", voter, at),
            (1, P::A(_)) => self.add(author, 10, post, "vote", voter, at),
            (-1, P::Q(_)) => self.add(author, -2, post, "vote", voter, at),
            (-1, P::A(_)) => {
                self.add(author, -2, post, "vote", voter, at);
                self.add(voter, -1, post, "vote", voter, at);
            }
            _ => {}
        }
    }

    fn accept(&mut self, accepter: UserId, answer: i64, at: NaiveDateTime) {
        let q = self.question_of[&answer];
        if let Some(old) = self.accepted.insert(q, answer) {
            self.remove(P::A(old), "accept", None);
        }
        let (author, asker) = (self.author[&P::A(answer)], self.author[&P::Q(q)]);
        if author != asker {
            self.add(author, 15, P::A(answer), "accept", accepter, at);
        }
        if accepter != author {
            self.add(accepter, 2, P::A(answer), "accept", accepter, at);
        }
    }

    fn unaccept(&mut self, q: i64) {
        if let Some(old) = self.accepted.remove(&q) {
            self.remove(P::A(old), "accept", None);
        }
    }

    fn delete(&mut self, post: P, spam: Option<UserId>, at: NaiveDateTime) {
        let mut posts = vec![post];
        match post {
            P::A(a) => {
                let q = self.question_of[&a];
                if self.accepted.get(&q) == Some(&a) {
                    self.unaccept(q);
                }
            }
            P::Q(q) => posts.extend(self.answers_of(q).filter(|a| !self.deleted.contains(a))),
        }
        for p in posts {
            self.set_active(p, false);
        }
        self.deleted.insert(post);
        if let Some(moderator) = spam {
            self.add(self.author[&post], -100, post, "spam", moderator, at);
        }
    }

    fn undelete(&mut self, post: P) {
        self.deleted.remove(&post);
        let mut posts = vec![post];
        if let P::Q(q) = post {
            posts.extend(self.answers_of(q).filter(|a| !self.deleted.contains(a)));
        }
        for p in posts {
            self.set_active(p, true);
        }
        self.remove(post, "spam", None);
    }

    fn answers_of(&self, q: i64) -> impl Iterator<Item = P> + '_ {
        let mut v: Vec<P> = self
            .question_of
            .iter()
            .filter(|(_, qq)| **qq == q)
            .map(|(a, _)| P::A(*a))
            .collect();
        v.sort();
        v.into_iter()
    }

    fn totals(&self) -> BTreeMap<UserId, i64> {
        let mut sums: BTreeMap<UserId, i64> = BTreeMap::new();
        for e in self.events.iter().filter(|e| e.active) {
            *sums.entry(e.user).or_default() += e.amount;
        }
        sums.into_iter().map(|(u, s)| (u, (1 + s).max(1))).collect()
    }
}

fn poster(id: UserId, role: Role) -> Poster {
    let mut permissions = role.permissions();
    permissions.insert(Permission::VoteUp);
    permissions.insert(Permission::VoteDown);
    Poster {
        id,
        permissions,
        is_staff: role.is_staff(),
        comment_anywhere: true,
    }
}

fn stored_totals(c: &mut DbConn) -> BTreeMap<UserId, i64> {
    peerdesk::models::user::reputations(c)
        .unwrap()
        .into_iter()
        .map(|(id, _, rep)| (id, rep))
        .collect()
}

#[actix_web::test]
async fn a_thousand_random_actions_leave_every_total_exact() {
    let app = TestApp::spawn().await;
    let cat = app.category("net").await;
    let mut people = Vec::new();
    for i in 0..12 {
        people.push((app.make_user(&format!("member{i}"), "member").await, Role::Member));
    }
    people.push((app.make_user("staffer", "staff").await, Role::Staff));
    let seed: u64 = std::env::var("PEERDESK_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED);
    let (model, stored, differences) = app
        .db(move |c| {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut m = Model::default();
            let mut now = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_time(NaiveTime::MIN) + Duration::hours(8);
            let mut questions: Vec<i64> = Vec::new();
            let mut answers: Vec<i64> = Vec::new();
            let staff = people.len() - 1;
            for i in 0..10 {
                let (id, role) = people[rng.random_range(0..people.len())];
                let input = AskInput {
                    title: format!("Question number {i} about the router"),
                    body: BODY.into(),
                    category: cat.clone(),
                    tags: "wifi".into(),
                };
                let q: QuestionId = posting::ask(c, &poster(id, role), &input, now).unwrap();
                m.author.insert(P::Q(q.0), id);
                questions.push(q.0);
                for _ in 0..4 {
                    // One prolific expert writes half the answers, so the daily cap is reached.
                    let (aid, arole) = if rng.random_bool(0.5) {
                        people[0]
                    } else {
                        people[rng.random_range(0..people.len())]
                    };
                    let a: AnswerId = posting::answer(c, &poster(aid, arole), q, BODY, now).unwrap();
                    m.author.insert(P::A(a.0), aid);
                    m.question_of.insert(a.0, q.0);
                    answers.push(a.0);
                }
            }
            let mut done: BTreeMap<&str, usize> = BTreeMap::new();
            for _ in 0..1000 {
                now += Duration::minutes(rng.random_range(0..90));
                let (who, role) = people[rng.random_range(0..people.len())];
                let p = poster(who, role);
                let q = questions[rng.random_range(0..questions.len())];
                let a = answers[rng.random_range(0..answers.len())];
                let roll = rng.random_range(0..100);
                let kind = match roll {
                    0..=54 => "vote",
                    55..=74 => "accept",
                    75..=81 => "unaccept",
                    82..=93 => "delete or restore",
                    _ => "upvote burst",
                };
                let ok = match roll {
                    0..=54 => {
                        let (post, target) = if roll % 3 == 0 {
                            (Post::Question(QuestionId(q)), P::Q(q))
                        } else {
                            (Post::Answer(AnswerId(a)), P::A(a))
                        };
                        let (dir, value) = match rng.random_range(0..10) {
                            0..=5 => (Direction::Up, 1),
                            6..=7 => (Direction::Down, -1),
                            _ => (Direction::Clear, 0),
                        };
                        let r = voting::vote(c, &p, post, dir, now);
                        if r.is_ok() {
                            m.vote(who, target, value, now);
                        }
                        r.is_ok()
                    }
                    55..=74 => {
                        // Mostly the asker; staff may accept for them.
                        let asker_id = m.author[&P::Q(m.question_of[&a])];
                        let accepter = if rng.random_bool(0.8) {
                            poster(asker_id, Role::Member)
                        } else {
                            p.clone()
                        };
                        let r = voting::accept(c, &accepter, AnswerId(a), None, now);
                        if r.is_ok() {
                            m.accept(accepter.id, a, now);
                        }
                        r.is_ok()
                    }
                    75..=81 => {
                        let asker = poster(m.author[&P::Q(q)], Role::Member);
                        let r = voting::unaccept(c, &asker, QuestionId(q), None);
                        if r.is_ok() {
                            m.unaccept(q);
                        }
                        r.is_ok()
                    }
                    82..=93 => {
                        let on_question = roll % 2 == 0;
                        let (post, spam) = (if on_question { P::Q(q) } else { P::A(a) }, rng.random_bool(0.3));
                        let deleting = !m.deleted.contains(&post);
                        let actor = if spam || rng.random_bool(0.3) {
                            poster(people[staff].0, Role::Staff)
                        } else {
                            poster(m.author[&post], Role::Member)
                        };
                        let r = match (post, deleting, spam) {
                            (P::Q(q), true, true) => {
                                thread_state::change_question(c, &actor, QuestionId(q), Change::RemoveAsSpam, None, now)
                            }
                            (P::Q(q), true, false) => {
                                thread_state::change_question(c, &actor, QuestionId(q), Change::Delete, None, now)
                            }
                            (P::Q(q), false, _) => {
                                thread_state::change_question(c, &actor, QuestionId(q), Change::Undelete, None, now)
                            }
                            (P::A(a), d, s) => {
                                let change = match (d, s) {
                                    (true, true) => AnswerChange::RemoveAsSpam,
                                    (true, false) => AnswerChange::Delete,
                                    (false, _) => AnswerChange::Undelete,
                                };
                                thread_state::set_answer_deleted(c, &actor, AnswerId(a), change, None, now).map(|_| ())
                            }
                        };
                        if r.is_ok() {
                            if deleting {
                                m.delete(post, spam.then_some(actor.id), now);
                            } else {
                                m.undelete(post);
                            }
                        }
                        r.is_ok()
                    }
                    _ => {
                        // A burst of fresh upvotes on a few of the expert's answers at once (an
                        // earlier vote is taken back first), so that the daily cap is reached.
                        let mut any = false;
                        let experts: Vec<i64> = answers
                            .iter()
                            .copied()
                            .filter(|a| m.author[&P::A(*a)] == people[0].0)
                            .collect();
                        for _ in 0..3 {
                            let a = experts[rng.random_range(0..experts.len())];
                            for (voter, vrole) in people.iter().copied() {
                                let p = poster(voter, vrole);
                                let post = Post::Answer(AnswerId(a));
                                if voting::vote(c, &p, post, Direction::Clear, now).is_ok() {
                                    m.vote(voter, P::A(a), 0, now);
                                }
                                if voting::vote(c, &p, post, Direction::Up, now).is_ok() {
                                    m.vote(voter, P::A(a), 1, now);
                                    any = true;
                                }
                            }
                        }
                        any
                    }
                };
                *done.entry(kind).or_default() += usize::from(ok);
            }
            // Many random actions are refused (a second identical vote, your own post, a deleted
            // thread); enough of each kind must go through for the test to mean something.
            assert!(
                done.values().all(|n| *n >= 15),
                "too few actions went through: {done:?}"
            );
            assert!(
                done.values().sum::<usize>() >= 250,
                "too few actions went through: {done:?}"
            );
            let stored = stored_totals(c);
            let differences = reputation::recompute(c).unwrap();
            (m, stored, differences)
        })
        .await;
    let expected = model.totals();

    for (user, total) in &stored {
        let want = expected.get(user).copied().unwrap_or(1);
        assert_eq!(
            *total, want,
            "user {user}: stored {total}, the rules say {want} (seed {seed})"
        );
    }
    assert!(
        differences.is_empty(),
        "recompute changed {differences:?} (seed {seed})"
    );
    assert!(
        model.capped > 0,
        "the daily cap was never reached: the test does not exercise it"
    );
    assert!(
        model.events.iter().any(|e| e.kind == "spam"),
        "no spam removal happened"
    );
    assert!(stored.values().any(|t| *t > 1), "nobody earned anything");
}

//! Every role (a visitor, a new member, a member with voting and commenting privileges, a
//! moderator, staff, an admin) against every thread state (open, closed, locked, deleted by its
//! author, removed by a moderator), on their own post and on someone else's.

use super::*;
use crate::domain::access::permissions::Role;

const ASKER: UserId = UserId(1);
const ANSWERER: UserId = UserId(2);
const OTHER: UserId = UserId(3);
const MODERATOR: UserId = UserId(4);

fn person(id: UserId, role: Role, earned: &[Permission], anywhere: bool) -> Poster {
    let mut permissions = role.permissions();
    for p in earned {
        permissions.insert(*p);
    }
    Poster {
        id,
        permissions,
        is_staff: role.is_staff(),
        comment_anywhere: anywhere || permissions.contains(Permission::Moderate),
    }
}

fn new_member(id: UserId) -> Poster {
    person(id, Role::Member, &[], false)
}

/// A member past the upvote (15), comment-anywhere (50) and downvote (125) thresholds.
fn seasoned(id: UserId) -> Poster {
    person(id, Role::Member, &[Permission::VoteUp, Permission::VoteDown], true)
}

fn post(author: UserId) -> PostFacts {
    PostFacts {
        author,
        deleted: false,
        deleted_by: None,
    }
}

fn deleted(author: UserId, by: UserId) -> PostFacts {
    PostFacts {
        author,
        deleted: true,
        deleted_by: Some(by),
    }
}

#[derive(Clone, Copy, Debug)]
enum State {
    Open,
    Closed,
    Locked,
    DeletedByAuthor,
    RemovedByModerator,
}

const STATES: [State; 5] = [
    State::Open,
    State::Closed,
    State::Locked,
    State::DeletedByAuthor,
    State::RemovedByModerator,
];

fn thread(state: State) -> ThreadFacts {
    ThreadFacts {
        question: match state {
            State::DeletedByAuthor => deleted(ASKER, ASKER),
            State::RemovedByModerator => deleted(ASKER, MODERATOR),
            _ => post(ASKER),
        },
        locked: matches!(state, State::Locked),
        closed: matches!(state, State::Closed),
    }
}

fn kind(r: AppResult<()>) -> &'static str {
    match r {
        Ok(()) => "ok",
        Err(AppError::LoginRequired) => "login",
        Err(AppError::Forbidden) => "forbidden",
        Err(AppError::NeedsReputation(_)) => "reputation",
        Err(AppError::NotFound) => "not_found",
        Err(AppError::BadRequest(_)) => "state",
        Err(_) => "other",
    }
}

#[test]
fn a_visitor_may_do_nothing_but_is_asked_to_log_in() {
    for state in STATES {
        let a = ThreadAbilities::new(None, thread(state));
        let answer = post(ANSWERER);
        for r in [
            a.answer(),
            a.comment(&a.question()),
            a.vote_on(&answer),
            a.vote_kind(VoteKind::Up),
            a.accept(&answer),
            a.unaccept(),
            a.edit(&answer),
            a.delete_question(),
            a.undelete_question(),
            a.delete_answer(&answer),
            a.close(),
            a.lock(),
            a.acknowledge(),
        ] {
            assert_ne!(kind(r), "ok", "{state:?}");
        }
    }
}

#[test]
fn posting_answers_and_comments_by_state() {
    let newbie = new_member(OTHER);
    let old_hand = seasoned(OTHER);
    let asker = new_member(ASKER);
    for state in STATES {
        let t = thread(state);
        let (n, o, q) = (
            ThreadAbilities::new(Some(&newbie), t),
            ThreadAbilities::new(Some(&old_hand), t),
            ThreadAbilities::new(Some(&asker), t),
        );
        let answer = post(ANSWERER);
        let expect_answer = match state {
            State::Open => "ok",
            State::Closed | State::Locked => "state",
            _ => "not_found",
        };
        assert_eq!(kind(n.answer()), expect_answer, "{state:?}");
        let expect_comment = match state {
            State::Open | State::Closed => ("reputation", "ok", "ok"),
            State::Locked => ("state", "state", "state"),
            _ => ("not_found", "not_found", "not_found"),
        };
        assert_eq!(
            (
                kind(n.comment(&answer)),
                kind(o.comment(&answer)),
                kind(q.comment(&answer))
            ),
            expect_comment,
            "{state:?}: a new member on another's answer, a seasoned one, the asker on an answer"
        );
        if matches!(state, State::Open) {
            let own = ThreadAbilities::new(Some(&newbie), t);
            assert_eq!(kind(own.comment(&post(OTHER))), "ok", "one's own answer");
            assert_eq!(kind(o.comment(&deleted(ANSWERER, ANSWERER))), "not_found");
        }
    }
}

#[test]
fn voting_needs_the_privilege_an_open_thread_and_another_s_post() {
    let newbie = new_member(OTHER);
    let old_hand = seasoned(OTHER);
    for state in STATES {
        let t = thread(state);
        let (n, o) = (
            ThreadAbilities::new(Some(&newbie), t),
            ThreadAbilities::new(Some(&old_hand), t),
        );
        let on = match state {
            State::Open | State::Closed => "ok",
            State::Locked => "state",
            _ => "not_found",
        };
        assert_eq!(kind(o.vote_on(&post(ANSWERER))), on, "{state:?}");
        assert_eq!(kind(n.vote_on(&post(ANSWERER))), on, "{state:?}");
    }
    let n = ThreadAbilities::new(Some(&newbie), thread(State::Open));
    let o = ThreadAbilities::new(Some(&old_hand), thread(State::Open));
    assert_eq!(kind(n.vote_kind(VoteKind::Up)), "reputation");
    assert_eq!(kind(n.vote_kind(VoteKind::Down)), "reputation");
    assert_eq!(
        kind(n.vote_kind(VoteKind::Clear)),
        "ok",
        "taking a vote back is always allowed"
    );
    assert_eq!(kind(o.vote_kind(VoteKind::Down)), "ok");
    assert_eq!(kind(o.vote_on(&post(OTHER))), "state", "one's own post");
    assert_eq!(kind(o.vote_on(&deleted(ANSWERER, ANSWERER))), "not_found");
}

#[test]
fn accepting_is_the_asker_s_or_handle_escalations() {
    let asker = new_member(ASKER);
    let moderator = person(MODERATOR, Role::Moderator, &[], false);
    let staff = person(OTHER, Role::Staff, &[], false);
    for state in STATES {
        let t = thread(state);
        let expect = match state {
            State::Open | State::Closed => "ok",
            State::Locked => "state",
            _ => "not_found",
        };
        let answer = post(ANSWERER);
        assert_eq!(
            kind(ThreadAbilities::new(Some(&asker), t).accept(&answer)),
            expect,
            "{state:?}"
        );
        assert_eq!(
            kind(ThreadAbilities::new(Some(&staff), t).unaccept()),
            expect,
            "{state:?}"
        );
        let m = ThreadAbilities::new(Some(&moderator), t);
        let refused = if expect == "ok" { "forbidden" } else { expect };
        assert_eq!(kind(m.accept(&answer)), refused, "{state:?}: moderators cannot accept");
    }
    let a = ThreadAbilities::new(Some(&asker), thread(State::Open));
    assert_eq!(kind(a.accept(&deleted(ANSWERER, ANSWERER))), "not_found");
}

#[test]
fn editing_own_posts_or_with_edit_others() {
    let answerer = new_member(ANSWERER);
    let other = seasoned(OTHER);
    let editor = person(OTHER, Role::Member, &[Permission::EditOthers], false);
    let moderator = person(MODERATOR, Role::Moderator, &[], false);
    for state in STATES {
        let t = thread(state);
        let answer = post(ANSWERER);
        let expect = match state {
            State::Open | State::Closed => "ok",
            State::Locked => "state",
            _ => "not_found",
        };
        assert_eq!(
            kind(ThreadAbilities::new(Some(&answerer), t).edit(&answer)),
            expect,
            "{state:?}"
        );
        assert_eq!(
            kind(ThreadAbilities::new(Some(&editor), t).edit(&answer)),
            expect,
            "{state:?}"
        );
        assert_eq!(
            kind(ThreadAbilities::new(Some(&moderator), t).edit(&answer)),
            expect,
            "{state:?}"
        );
        let refused = if expect == "ok" { "forbidden" } else { expect };
        assert_eq!(
            kind(ThreadAbilities::new(Some(&other), t).edit(&answer)),
            refused,
            "{state:?}"
        );
    }
}

#[test]
fn deleting_and_restoring_the_question() {
    let asker = new_member(ASKER);
    let other = seasoned(OTHER);
    let moderator = person(MODERATOR, Role::Moderator, &[], false);
    let expect = |who: &Poster, state: State| {
        let a = ThreadAbilities::new(Some(who), thread(state));
        (
            kind(a.delete_question()),
            kind(a.undelete_question()),
            kind(a.remove_question_as_spam()),
        )
    };
    use State::*;
    assert_eq!(expect(&asker, Open), ("ok", "state", "forbidden"));
    assert_eq!(expect(&asker, Closed), ("ok", "state", "forbidden"));
    assert_eq!(
        expect(&asker, Locked),
        ("state", "state", "forbidden"),
        "a locked thread stays as it is for its author"
    );
    assert_eq!(expect(&asker, DeletedByAuthor), ("state", "ok", "forbidden"));
    assert_eq!(
        expect(&asker, RemovedByModerator),
        ("state", "forbidden", "forbidden"),
        "only a moderator restores a removal"
    );
    assert_eq!(
        expect(&moderator, Locked),
        ("ok", "state", "ok"),
        "a moderator deletes a locked question"
    );
    assert_eq!(expect(&moderator, RemovedByModerator), ("state", "ok", "state"));
    assert_eq!(expect(&moderator, DeletedByAuthor), ("state", "ok", "state"));
    for state in STATES {
        let (d, u, s) = expect(&other, state);
        assert_eq!((d, u, s), ("forbidden", "forbidden", "forbidden"), "{state:?}");
    }
}

#[test]
fn deleting_and_restoring_answers() {
    let answerer = new_member(ANSWERER);
    let other = seasoned(OTHER);
    let moderator = person(MODERATOR, Role::Moderator, &[], false);
    let of = |who: &Poster, state: State, answer: PostFacts| {
        let a = ThreadAbilities::new(Some(who), thread(state));
        (
            kind(a.delete_answer(&answer)),
            kind(a.undelete_answer(&answer)),
            kind(a.remove_answer_as_spam(&answer)),
        )
    };
    let live = post(ANSWERER);
    let own_deletion = deleted(ANSWERER, ANSWERER);
    let removal = deleted(ANSWERER, MODERATOR);
    use State::*;
    assert_eq!(of(&answerer, Open, live), ("ok", "state", "forbidden"));
    assert_eq!(of(&answerer, Open, own_deletion), ("state", "ok", "forbidden"));
    assert_eq!(of(&answerer, Open, removal), ("state", "forbidden", "forbidden"));
    assert_eq!(of(&other, Open, live), ("forbidden", "forbidden", "forbidden"));
    assert_eq!(of(&moderator, Open, live), ("ok", "state", "ok"));
    assert_eq!(of(&moderator, Closed, removal), ("state", "ok", "state"));
    for state in [Locked, DeletedByAuthor, RemovedByModerator] {
        for who in [&answerer, &moderator] {
            assert_eq!(of(who, state, live), ("state", "state", "state"), "{state:?}");
        }
    }
}

#[test]
fn closing_locking_and_acknowledging_by_role() {
    let member = seasoned(OTHER);
    let closer = person(OTHER, Role::Member, &[Permission::Close], false);
    let moderator = person(MODERATOR, Role::Moderator, &[], false);
    let staff = person(OTHER, Role::Staff, &[], false);
    let admin = person(OTHER, Role::Admin, &[], false);
    for state in STATES {
        let t = thread(state);
        let gone = matches!(state, State::DeletedByAuthor | State::RemovedByModerator);
        let allowed = if gone { "not_found" } else { "ok" };
        let row = |who: &Poster| {
            let a = ThreadAbilities::new(Some(who), t);
            (kind(a.close()), kind(a.lock()), kind(a.acknowledge()))
        };
        assert_eq!(row(&member), ("forbidden", "forbidden", "forbidden"), "{state:?}");
        assert_eq!(row(&closer), (allowed, "forbidden", "forbidden"), "{state:?}");
        assert_eq!(row(&moderator), (allowed, allowed, "forbidden"), "{state:?}");
        assert_eq!(row(&staff), (allowed, allowed, allowed), "{state:?}");
        assert_eq!(row(&admin), (allowed, allowed, allowed), "{state:?}");
        let reopen = match state {
            State::Closed => "ok",
            _ if gone => "not_found",
            _ => "state",
        };
        assert_eq!(
            kind(ThreadAbilities::new(Some(&moderator), t).reopen()),
            reopen,
            "{state:?}"
        );
    }
}

//! What one person may do in one thread, decided once. The question page draws its buttons from
//! these answers (`.is_ok()`), and the domain's writes authorise with the very same calls (`?`),
//! so a button that shows always leads to a POST that is allowed, and a hidden one to a refusal.
//!
//! Each decision answers with the error the write gives when it is refused: `Forbidden` for a
//! role that may not, `NeedsReputation` for a privilege not yet earned, `NotFound` for a deleted
//! post the rule does not reach, and `BadRequest` for a thread whose state forbids the change
//! (locked, closed). What is merely a no-op ("already accepted", "nothing to change") stays with
//! the write that detects it.

use crate::db::ids::UserId;
use crate::domain::access::permissions::{Permission, PermissionSet};
use crate::error::{AppError, AppResult};
use crate::models::answer::Answer;
use crate::models::question::Question;

/// Who is acting: enough to authorise and to mark official answers.
#[derive(Debug, Clone)]
pub struct Poster {
    pub id: UserId,
    /// Role, overrides and what reputation has earned (`privileges::earned`).
    pub permissions: PermissionSet,
    pub is_staff: bool,
    /// May comment on others' posts (`privileges::comments_anywhere`).
    pub comment_anywhere: bool,
}

/// A vote's direction, as far as the privilege to cast it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteKind {
    Up,
    Down,
    /// Taking a vote back: always allowed where voting is.
    Clear,
}

/// The facts of a post (the question itself, or an answer) that decisions turn on.
#[derive(Debug, Clone, Copy)]
pub struct PostFacts {
    pub author: UserId,
    pub deleted: bool,
    /// Who deleted it (the author, or a moderator whose removal only a moderator undoes).
    pub deleted_by: Option<UserId>,
}

impl PostFacts {
    /// An answer's facts.
    pub fn of_answer(a: &Answer) -> Self {
        PostFacts {
            author: a.author_id,
            deleted: a.deleted_at.is_some(),
            deleted_by: a.deleted_by,
        }
    }
}

/// The facts of a thread that decisions turn on.
#[derive(Debug, Clone, Copy)]
pub struct ThreadFacts {
    pub question: PostFacts,
    pub locked: bool,
    pub closed: bool,
}

impl ThreadFacts {
    /// A question's facts.
    pub fn of(q: &Question) -> Self {
        ThreadFacts {
            question: PostFacts {
                author: q.author_id,
                deleted: q.deleted_at.is_some(),
                deleted_by: q.deleted_by,
            },
            locked: q.locked_at.is_some(),
            closed: q.closed_at.is_some(),
        }
    }
}

/// The decisions for one viewer (or a visitor, `None`) in one thread.
#[derive(Debug, Clone)]
pub struct ThreadAbilities<'a> {
    viewer: Option<&'a Poster>,
    question: PostFacts,
    locked: bool,
    closed: bool,
}

const LOCKED: &str = "This question is locked.";

impl<'a> ThreadAbilities<'a> {
    /// The decisions of `viewer` in the thread of `q`.
    pub fn of(viewer: Option<&'a Poster>, q: &Question) -> Self {
        Self::new(viewer, ThreadFacts::of(q))
    }

    /// The decisions of `viewer` in a thread with these facts.
    pub fn new(viewer: Option<&'a Poster>, t: ThreadFacts) -> Self {
        ThreadAbilities {
            viewer,
            question: t.question,
            locked: t.locked,
            closed: t.closed,
        }
    }

    /// The question as a post.
    pub fn question(&self) -> PostFacts {
        self.question
    }

    fn who(&self) -> AppResult<&'a Poster> {
        self.viewer.ok_or(AppError::LoginRequired)
    }

    fn has(&self, p: Permission) -> bool {
        self.viewer.is_some_and(|v| v.permissions.contains(p))
    }

    fn is(&self, user: UserId) -> bool {
        self.viewer.is_some_and(|v| v.id == user)
    }

    fn require(&self, p: Permission) -> AppResult<()> {
        self.who()?;
        if self.has(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// A thread that takes new posts, votes and accepts: not deleted, not locked.
    fn open(&self) -> AppResult<()> {
        if self.question.deleted {
            return Err(AppError::NotFound);
        }
        if self.locked {
            return Err(AppError::BadRequest(LOCKED.into()));
        }
        Ok(())
    }

    /// A thread whose state staff may change: not deleted (locked is fine).
    fn live(&self) -> AppResult<()> {
        if self.question.deleted {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    fn visible(post: &PostFacts) -> AppResult<()> {
        if post.deleted {
            Err(AppError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Posting an answer.
    pub fn answer(&self) -> AppResult<()> {
        self.require(Permission::Answer)?;
        self.open()?;
        if self.closed {
            return Err(AppError::BadRequest("This question is closed to new answers.".into()));
        }
        Ok(())
    }

    /// Commenting on `on` (the question, or one of its answers): one's own posts, and answers on
    /// one's own question, with `comment`; anyone's with the reputation privilege.
    pub fn comment(&self, on: &PostFacts) -> AppResult<()> {
        let who = self.who()?;
        self.require(Permission::Comment)?;
        self.open()?;
        Self::visible(on)?;
        if on.author == who.id || self.question.author == who.id || who.comment_anywhere {
            Ok(())
        } else {
            Err(AppError::NeedsReputation("comment on other people's posts"))
        }
    }

    /// Voting on `post` at all: an open thread, someone else's visible post.
    pub fn vote_on(&self, post: &PostFacts) -> AppResult<()> {
        self.who()?;
        self.open()?;
        Self::visible(post)?;
        if self.is(post.author) {
            return Err(AppError::BadRequest("You cannot vote on your own post.".into()));
        }
        Ok(())
    }

    /// The privilege to cast a vote of `kind` (held through the role, a grant or reputation).
    pub fn vote_kind(&self, kind: VoteKind) -> AppResult<()> {
        Self::vote_privilege(self.who()?, kind)
    }

    /// `vote_kind` for a voter before their thread is loaded.
    pub fn vote_privilege(voter: &Poster, kind: VoteKind) -> AppResult<()> {
        let (p, what) = match kind {
            VoteKind::Up => (Permission::VoteUp, "vote up"),
            VoteKind::Down => (Permission::VoteDown, "vote down"),
            VoteKind::Clear => return Ok(()),
        };
        if voter.permissions.contains(p) {
            Ok(())
        } else {
            Err(AppError::NeedsReputation(what))
        }
    }

    /// Accepting (or un-accepting) in this thread: the asker, or `handle_escalations`.
    fn accepts(&self) -> AppResult<()> {
        if self.is(self.question.author) || self.has(Permission::HandleEscalations) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Accepting `answer`.
    pub fn accept(&self, answer: &PostFacts) -> AppResult<()> {
        self.open()?;
        Self::visible(answer)?;
        self.who()?;
        self.accepts()
    }

    /// Removing the accepted mark.
    pub fn unaccept(&self) -> AppResult<()> {
        self.who()?;
        self.open()?;
        self.accepts()
    }

    /// Editing `post`: one's own, or anyone's with `edit_others`; never in a locked thread.
    pub fn edit(&self, post: &PostFacts) -> AppResult<()> {
        self.who()?;
        self.open()?;
        Self::visible(post)?;
        if self.is(post.author) || self.has(Permission::EditOthers) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Deleting the question: its author (unless a moderator locked it), or a moderator.
    pub fn delete_question(&self) -> AppResult<()> {
        self.own_or_moderator(&self.question)?;
        if self.question.deleted {
            return Err(AppError::BadRequest("Nothing to change.".into()));
        }
        self.author_not_locked_out()
    }

    /// Restoring the deleted question: its author restores what they deleted themselves; what a
    /// moderator removed, only a moderator restores.
    pub fn undelete_question(&self) -> AppResult<()> {
        self.own_or_moderator(&self.question)?;
        if !self.question.deleted {
            return Err(AppError::BadRequest("Nothing to change.".into()));
        }
        self.restorable(&self.question)?;
        self.author_not_locked_out()
    }

    /// Removing the question as spam or offensive (moderators).
    pub fn remove_question_as_spam(&self) -> AppResult<()> {
        self.require(Permission::Moderate)?;
        if self.question.deleted {
            return Err(AppError::BadRequest("Nothing to change.".into()));
        }
        Ok(())
    }

    /// Deleting an answer: its author or a moderator, in a thread neither deleted nor locked.
    pub fn delete_answer(&self, answer: &PostFacts) -> AppResult<()> {
        self.answer_state_change()?;
        self.own_or_moderator(answer)?;
        if answer.deleted {
            return Err(AppError::BadRequest("Nothing to change.".into()));
        }
        Ok(())
    }

    /// Restoring a deleted answer (what a moderator removed, only a moderator restores).
    pub fn undelete_answer(&self, answer: &PostFacts) -> AppResult<()> {
        self.answer_state_change()?;
        self.own_or_moderator(answer)?;
        if !answer.deleted {
            return Err(AppError::BadRequest("Nothing to change.".into()));
        }
        self.restorable(answer)
    }

    /// Removing an answer as spam or offensive (moderators).
    pub fn remove_answer_as_spam(&self, answer: &PostFacts) -> AppResult<()> {
        self.answer_state_change()?;
        self.require(Permission::Moderate)?;
        if answer.deleted {
            return Err(AppError::BadRequest("Nothing to change.".into()));
        }
        Ok(())
    }

    /// Closing the question (as a duplicate or off-topic), with `close`.
    pub fn close(&self) -> AppResult<()> {
        self.require(Permission::Close)?;
        self.live()
    }

    /// Reopening the closed question, with `close`.
    pub fn reopen(&self) -> AppResult<()> {
        self.close()?;
        if !self.closed {
            return Err(AppError::BadRequest("This question is not closed.".into()));
        }
        Ok(())
    }

    /// Locking or unlocking the question, with `moderate`.
    pub fn lock(&self) -> AppResult<()> {
        self.require(Permission::Moderate)?;
        self.live()
    }

    /// Setting the staff acknowledgement status, with `post_official`.
    pub fn acknowledge(&self) -> AppResult<()> {
        self.require(Permission::PostOfficial)?;
        self.live()
    }

    fn own_or_moderator(&self, post: &PostFacts) -> AppResult<()> {
        self.who()?;
        if self.is(post.author) {
            Ok(())
        } else {
            self.require(Permission::Moderate)
        }
    }

    fn restorable(&self, post: &PostFacts) -> AppResult<()> {
        if post.deleted_by != Some(post.author) && !self.has(Permission::Moderate) {
            return Err(AppError::Forbidden);
        }
        Ok(())
    }

    /// A thread a moderator locked stays as it is for its author.
    fn author_not_locked_out(&self) -> AppResult<()> {
        if self.locked && !self.has(Permission::Moderate) {
            return Err(AppError::BadRequest(LOCKED.into()));
        }
        Ok(())
    }

    fn answer_state_change(&self) -> AppResult<()> {
        self.who()?;
        if self.question.deleted || self.locked {
            return Err(AppError::BadRequest("This question is locked or deleted.".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "abilities_tests.rs"]
mod tests;

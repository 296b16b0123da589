//! Questions and answers (DESIGN §3): the rules for everything done to a thread (what pages read
//! of it is `queries`).
//!
//! - `posting`: asking, answering and commenting, and the facts a new post changes.
//! - `editing`: editing posts, with revisions.
//! - `voting`: votes and accepted answers; `following`: following a question.
//! - `thread_state`: delete and undelete, close and reopen, lock, staff acknowledgement.
//! - `search`: full-text search over questions and their answers.
//! - `categories`, `tags`: managing categories and tag descriptions.
//! - `surveys`: the survey an asker answers once their question is resolved.

pub mod categories;
pub mod editing;
pub mod following;
pub mod posting;
pub mod search;
pub mod surveys;
pub mod tags;
pub mod thread_state;
pub mod voting;

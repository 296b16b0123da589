//! `peerdesk import FILE.json` (DESIGN §11): a community with its history, all or nothing. The file
//! is read and checked completely first (`check`); the first bad record is named by its path in the
//! file (`questions[12].answers[3].author: unknown user "u99"`) and nothing is written. Content is
//! published at its `created_at`; accepted marks, votes and surveys keep their times (`write`).

mod batch;
mod check;
mod write;

use serde::Deserialize;

use crate::db::backend::write_transaction;
use crate::db::DbConn;
use crate::error::AppResult;

/// The file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    #[serde(default)]
    pub users: Vec<IUser>,
    #[serde(default)]
    pub groups: Vec<IGroup>,
    #[serde(default)]
    pub categories: Vec<ICategory>,
    #[serde(default)]
    pub questions: Vec<IQuestion>,
    #[serde(default)]
    pub surveys: Vec<ISurvey>,
}

/// A user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IUser {
    #[serde(rename = "ref")]
    pub r#ref: String,
    pub username: String,
    pub email: String,
    pub role: String,
    pub created_at: String,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// A beta group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IGroup {
    #[serde(rename = "ref")]
    pub r#ref: String,
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub members: Vec<String>,
}

/// A category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ICategory {
    #[serde(rename = "ref")]
    pub r#ref: String,
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub group: Option<String>,
}

/// A comment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IComment {
    pub author: String,
    pub body: String,
    pub created_at: String,
}

/// An answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IAnswer {
    #[serde(rename = "ref")]
    pub r#ref: String,
    pub author: String,
    pub body: String,
    pub created_at: String,
    #[serde(default)]
    pub accepted_at: Option<String>,
    #[serde(default)]
    pub comments: Vec<IComment>,
}

/// A vote on the question or one of its answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IVote {
    pub user: String,
    pub target: String,
    pub value: i32,
    pub created_at: String,
}

/// A question with its thread.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IQuestion {
    #[serde(rename = "ref")]
    pub r#ref: String,
    pub author: String,
    pub category: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub created_at: String,
    #[serde(default)]
    pub comments: Vec<IComment>,
    #[serde(default)]
    pub answers: Vec<IAnswer>,
    #[serde(default)]
    pub votes: Vec<IVote>,
}

/// A post-resolution survey.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ISurvey {
    pub question: String,
    pub user: String,
    pub resolved: bool,
    pub nps: i32,
    pub created_at: String,
}

/// The first problem found, with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What was imported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub users: usize,
    pub groups: usize,
    pub categories: usize,
    pub questions: usize,
    pub answers: usize,
    pub comments: usize,
    pub votes: usize,
    pub surveys: usize,
}

/// Parses the file text; a malformed file is an error at its path.
pub fn parse(text: &str) -> Result<ImportFile, ImportError> {
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| ImportError {
        path: "file".into(),
        message: e.to_string(),
    })?;
    clean_strings(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ImportError {
            path: if path == "." { "file".into() } else { path },
            message: e.into_inner().to_string(),
        }
    })
}

/// Every string in the file as user text may be stored (see `fields::clean_text`).
fn clean_strings(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => *s = crate::domain::fields::clean_text(s),
        serde_json::Value::Array(items) => items.iter_mut().for_each(clean_strings),
        serde_json::Value::Object(map) => map.values_mut().for_each(clean_strings),
        _ => {}
    }
}

/// Checks everything that can be checked without writing (refs, rules, times), including clashes
/// with accounts and slugs already in the database.
pub fn check(conn: &mut DbConn, f: &ImportFile) -> AppResult<Result<(), ImportError>> {
    Ok(check::check_inner(conn, f))
}

/// Checks and, if all is well, writes the whole file in one transaction. `progress` is told
/// `(questions done, questions in all)` now and then.
pub fn import(
    conn: &mut DbConn,
    f: &ImportFile,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<Result<ImportReport, ImportError>> {
    write_transaction(conn, |conn| {
        if let Err(e) = check::check_inner(conn, f) {
            return Ok(Err(e));
        }
        // (A server running beside the import serves the new community at once: the write
        // transaction counts the change.)
        Ok(Ok(write::write(conn, f, progress)?))
    })
}

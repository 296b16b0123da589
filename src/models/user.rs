//! `users`: accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::backend::on_each_backend;
use crate::db::ids::UserId;
use crate::db::schema::users;
use crate::db::DbConn;

/// An account row, in table column order.
#[derive(Debug, Clone, Queryable)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub username_key: String,
    pub email: String,
    pub email_key: String,
    pub email_verified_at: Option<NaiveDateTime>,
    pub password_hash: Option<String>,
    pub role: String,
    pub display_name: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
    /// max(1, 1 + the sum of the user's active reputation events), kept by `domain::reputation`.
    pub reputation: i64,
    /// Contributor status set by staff; `None` follows reputation.
    pub contributor_override: Option<bool>,
    /// Markdown source and its sanitised HTML (made by `markdown::render`).
    pub bio: String,
    pub bio_html: String,
    pub location: Option<String>,
    pub website: Option<String>,
    pub flair_badge_id: Option<i64>,
    /// 0: the generated identicon; otherwise the version of the uploaded avatar.
    pub avatar_version: i64,
}

impl User {
    /// What pages show as the person's name.
    pub fn shown_name(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.username)
    }
}

/// Takes the user's row lock (PostgreSQL) until the transaction ends, so that two transactions
/// changing one user's reputation apply one after the other. Lock users in id order.
pub fn lock(conn: &mut DbConn, id: UserId) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::reputation.eq(users::reputation))
        .execute(conn)
}

/// Sets the reputation total.
pub fn set_reputation(conn: &mut DbConn, id: UserId, total: i64) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::reputation.eq(total))
        .execute(conn)
}

/// Every user's id, username and stored reputation total.
pub fn reputations(conn: &mut DbConn) -> QueryResult<Vec<(UserId, String, i64)>> {
    users::table
        .select((users::id, users::username, users::reputation))
        .order(users::id)
        .load(conn)
}

/// A new account.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub username_key: &'a str,
    pub email: &'a str,
    pub email_key: &'a str,
    pub email_verified_at: Option<NaiveDateTime>,
    pub password_hash: Option<&'a str>,
    pub role: &'a str,
    pub display_name: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

/// The case-insensitive key usernames are unique by.
pub fn username_key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// The case-insensitive key emails are unique by.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Inserts and returns the new id.
pub fn insert(conn: &mut DbConn, new: &NewUser<'_>) -> QueryResult<UserId> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result(conn)
}

/// One user by id.
pub fn find(conn: &mut DbConn, id: UserId) -> QueryResult<User> {
    // On the backend's own connection, as every signed-in request runs it (see `queries::thread`).
    on_each_backend!(conn, |c| users::table.find(id).first(c))
}

/// By username, case-insensitively.
pub fn find_by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username_key.eq(username_key(username)))
        .first(conn)
        .optional()
}

/// By email, case-insensitively.
pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email_key.eq(email_key(email)))
        .first(conn)
        .optional()
}

/// By username or email, as typed into the login form.
pub fn find_by_login(conn: &mut DbConn, login: &str) -> QueryResult<Option<User>> {
    if login.contains('@') {
        find_by_email(conn, login)
    } else {
        find_by_username(conn, login)
    }
}

/// Replaces the password hash.
pub fn set_password_hash(conn: &mut DbConn, id: UserId, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)
}

/// Marks the email verified at `at`.
pub fn set_email_verified(conn: &mut DbConn, id: UserId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::email_verified_at.eq(at))
        .execute(conn)
}

/// Replaces the email (already verified by the caller).
pub fn set_email(conn: &mut DbConn, id: UserId, email: &str, verified_at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::email.eq(email),
            users::email_key.eq(email_key(email)),
            users::email_verified_at.eq(verified_at),
        ))
        .execute(conn)
}

/// Changes the role (its stored name, `domain::access::permissions::Role::as_str`).
pub fn set_role(conn: &mut DbConn, id: UserId, role: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::role.eq(role))
        .execute(conn)
}

/// Records a successful login.
pub fn touch_login(conn: &mut DbConn, id: UserId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(at))
        .execute(conn)
}

/// How many users have the given role.
pub fn count_with_role(conn: &mut DbConn, role: &str) -> QueryResult<i64> {
    users::table.filter(users::role.eq(role)).count().get_result(conn)
}

/// A page of users whose username, display name or email contains `query` (empty: everyone),
/// newest first, with the total count.
/// Members whose username or display name (and, with `by_email`, email) contains `query`.
pub fn search(
    conn: &mut DbConn,
    query: &str,
    by_email: bool,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<User>, i64)> {
    let pattern = format!("%{}%", escape_like(&query.trim().to_lowercase()));
    // Without `by_email` the email column is compared with a pattern no address matches.
    let email_pattern = if by_email { pattern.clone() } else { String::new() };
    let filtered = || {
        users::table
            .filter(
                users::username_key
                    .like(pattern.clone())
                    .escape('\\')
                    .or(users::email_key.like(email_pattern.clone()).escape('\\'))
                    .or(users::display_name.like(pattern.clone()).escape('\\')),
            )
            .into_boxed()
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order(users::id.desc())
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok((rows, total))
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The username of each of these users that exists, by id.
pub fn usernames(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username))
        .load(conn)
}

/// The profile fields a member edits; the bio's HTML is made by `markdown::render`.
pub struct ProfileUpdate<'a> {
    pub display_name: Option<&'a str>,
    pub bio: &'a str,
    pub bio_html: &'a str,
    pub location: Option<&'a str>,
    pub website: Option<&'a str>,
    pub flair_badge_id: Option<i64>,
}

/// Saves a member's profile fields.
pub fn set_profile(conn: &mut DbConn, id: UserId, p: &ProfileUpdate<'_>) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::display_name.eq(p.display_name),
            users::bio.eq(p.bio),
            users::bio_html.eq(p.bio_html),
            users::location.eq(p.location),
            users::website.eq(p.website),
            users::flair_badge_id.eq(p.flair_badge_id),
        ))
        .execute(conn)
}

/// Sets the contributor status staff chose (`None`: by reputation); returns the one before.
pub fn set_contributor_override(conn: &mut DbConn, id: UserId, value: Option<bool>) -> QueryResult<Option<bool>> {
    let before = users::table.find(id).select(users::contributor_override).first(conn)?;
    diesel::update(users::table.find(id))
        .set(users::contributor_override.eq(value))
        .execute(conn)?;
    Ok(before)
}

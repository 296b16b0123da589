//! Server-side, revocable login sessions. The cookie carries a random secret; the store keeps only
//! its SHA-256 with the user, the CSRF token and the clocks. `SessionStore` is the seam for Redis.

use std::any::Any;
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use futures_util::future::BoxFuture;

use crate::auth::tokens::{hash_token, random_token};
use crate::db::ids::UserId;
use crate::db::{self, Db, DbConn};
use crate::error::AppResult;
use crate::models::session as rows;

/// The idle clock is written at most this often, so that browsing is not a stream of writes.
pub const TOUCH_EVERY: Duration = Duration::seconds(60);

/// What a store keeps for one session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub remember: bool,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Work on the database for the session's user, done in the same trip as the session's look-up
/// where the store allows it. The result is type-erased so that the store stays object-safe;
/// `Sessions::resolve_with` puts the type back.
pub type AlsoLoad = Box<dyn FnOnce(&mut DbConn, UserId) -> AppResult<Box<dyn Any + Send>> + Send>;

/// A loaded session with what `AlsoLoad` read for its user (still type-erased).
pub type Loaded = Option<(SessionRecord, Box<dyn Any + Send>)>;

/// Persistence of sessions.
pub trait SessionStore: Send + Sync {
    /// Saves a new session.
    fn create(&self, record: SessionRecord) -> BoxFuture<'_, AppResult<()>>;
    /// Loads by digest and, if found, runs `also` for its user.
    fn load_with(&self, token_hash: String, also: AlsoLoad) -> BoxFuture<'_, AppResult<Loaded>>;
    /// Moves the idle clock.
    fn touch(&self, token_hash: String, at: NaiveDateTime) -> BoxFuture<'_, AppResult<()>>;
    /// Ends one session.
    fn delete(&self, token_hash: String) -> BoxFuture<'_, AppResult<()>>;
    /// Ends every session of a user except `keep`; returns how many ended.
    fn delete_for_user(&self, user: UserId, keep: Option<String>) -> BoxFuture<'_, AppResult<usize>>;
}

/// Sessions in the `sessions` table.
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    /// A store over the pool.
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }
}

impl SessionStore for DbSessionStore {
    fn create(&self, r: SessionRecord) -> BoxFuture<'_, AppResult<()>> {
        Box::pin(self.db.run(move |c| {
            rows::insert(
                c,
                &rows::NewSession {
                    token_hash: &r.token_hash,
                    user_id: r.user_id,
                    csrf_token: &r.csrf_token,
                    remember: r.remember,
                    created_at: r.created_at,
                    last_seen_at: r.last_seen_at,
                    expires_at: r.expires_at,
                    ip: r.ip.as_deref(),
                    user_agent: r.user_agent.as_deref(),
                },
            )?;
            Ok(())
        }))
    }

    // One connection and one trip (on SQLite none: `Db::run_short`): a signed-in page pays for
    // its session once.
    fn load_with(&self, token_hash: String, also: AlsoLoad) -> BoxFuture<'_, AppResult<Loaded>> {
        Box::pin(self.db.run_short(move |c| {
            let Some(r) = rows::find_by_hash(c, &token_hash)? else {
                return Ok(None);
            };
            let extra = also(c, r.user_id)?;
            let record = SessionRecord {
                token_hash: r.token_hash,
                user_id: r.user_id,
                csrf_token: r.csrf_token,
                remember: r.remember,
                created_at: r.created_at,
                last_seen_at: r.last_seen_at,
                expires_at: r.expires_at,
                ip: r.ip,
                user_agent: r.user_agent,
            };
            Ok(Some((record, extra)))
        }))
    }

    fn touch(&self, token_hash: String, at: NaiveDateTime) -> BoxFuture<'_, AppResult<()>> {
        Box::pin(
            self.db
                .run(move |c| rows::touch(c, &token_hash, at).map(|_| ()).map_err(Into::into)),
        )
    }

    fn delete(&self, token_hash: String) -> BoxFuture<'_, AppResult<()>> {
        Box::pin(
            self.db
                .run(move |c| rows::delete_by_hash(c, &token_hash).map(|_| ()).map_err(Into::into)),
        )
    }

    fn delete_for_user(&self, user: UserId, keep: Option<String>) -> BoxFuture<'_, AppResult<usize>> {
        Box::pin(
            self.db
                .run(move |c| rows::delete_for_user(c, user, keep.as_deref()).map_err(Into::into)),
        )
    }
}

/// Session policy (idle timeout, lifetimes) over a store.
#[derive(Clone)]
pub struct Sessions {
    store: Arc<dyn SessionStore>,
    idle: Duration,
    remember_for: Duration,
}

/// A freshly started session: the secret for the cookie and how long the cookie should live.
pub struct Started {
    pub secret: String,
    pub record: SessionRecord,
}

/// Why a presented session is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    Unknown,
    Expired,
    Idle,
}

/// A browser session without "remember me" still ends server-side after this long.
const BROWSER_SESSION_MAX: Duration = Duration::hours(24);

impl Sessions {
    /// Policy with the configured idle timeout and "remember me" lifetime.
    pub fn new(store: Arc<dyn SessionStore>, idle_seconds: i64, remember_days: i64) -> Self {
        Sessions {
            store,
            idle: Duration::seconds(idle_seconds),
            remember_for: Duration::days(remember_days),
        }
    }

    /// The idle timeout.
    pub fn idle(&self) -> Duration {
        self.idle
    }

    /// Starts a session for `user`.
    pub async fn start(
        &self,
        user: UserId,
        remember: bool,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> AppResult<Started> {
        let secret = random_token(32);
        let now = db::now();
        let lifetime = if remember {
            self.remember_for
        } else {
            BROWSER_SESSION_MAX
        };
        let record = SessionRecord {
            token_hash: hash_token(&secret),
            user_id: user,
            csrf_token: random_token(32),
            remember,
            created_at: now,
            last_seen_at: now,
            expires_at: now + lifetime,
            ip,
            user_agent: user_agent.map(|ua| ua.chars().take(300).collect()),
        };
        self.store.create(record.clone()).await?;
        Ok(Started { secret, record })
    }

    /// Checks a cookie secret: the live session with what `also` read for its user, or why it is
    /// refused (a dead one is removed). `also` runs before the verdict, so that the usual case,
    /// a live session, costs one storage trip; for a dead session its result is dropped.
    pub async fn resolve_with<T, F>(&self, secret: &str, also: F) -> AppResult<Result<(SessionRecord, T), Rejected>>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, UserId) -> AppResult<T> + Send + 'static,
    {
        let hash = hash_token(secret);
        let erased: AlsoLoad = Box::new(move |c, user| Ok(Box::new(also(c, user)?) as Box<dyn Any + Send>));
        let Some((record, extra)) = self.store.load_with(hash.clone(), erased).await? else {
            return Ok(Err(Rejected::Unknown));
        };
        let extra = *extra
            .downcast::<T>()
            .map_err(|_| crate::error::AppError::internal("session store returned another type"))?;
        match self.verdict(&record, hash).await? {
            Some(why) => Ok(Err(why)),
            None => Ok(Ok((record, extra))),
        }
    }

    /// `None` for a live session (its idle clock moved if due), else why it is refused (removed).
    async fn verdict(&self, record: &SessionRecord, hash: String) -> AppResult<Option<Rejected>> {
        let now = db::now();
        let verdict = if record.expires_at <= now {
            Rejected::Expired
        } else if record.last_seen_at + self.idle <= now {
            Rejected::Idle
        } else {
            // A timeout shorter than the touch interval must still see activity.
            if now - record.last_seen_at >= TOUCH_EVERY.min(self.idle / 4) {
                self.store.touch(hash, now).await?;
            }
            return Ok(None);
        };
        self.store.delete(hash).await?;
        Ok(Some(verdict))
    }

    /// Ends the session with this digest.
    pub async fn end(&self, token_hash: String) -> AppResult<()> {
        self.store.delete(token_hash).await
    }

    /// Ends every session of `user`, keeping the one with digest `keep`.
    pub async fn end_all(&self, user: UserId, keep: Option<String>) -> AppResult<usize> {
        self.store.delete_for_user(user, keep).await
    }
}

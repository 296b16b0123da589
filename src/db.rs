//! Database access: one connection type over SQLite or PostgreSQL, chosen by the URL scheme,
//! an r2d2 pool, and `Db::run` which keeps blocking queries off the async executor.

pub mod backend;
pub mod full_text;
pub mod ids;
pub mod migrate;
pub mod schema;
pub mod visibility;

use crate::error::SetupError;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{NaiveDateTime, SubsecRound, Utc};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;

use crate::error::{AppError, AppResult};

/// A connection to whichever backend the deployment uses.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which backend a `DATABASE_URL` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    Postgres(String),
    /// Path of the SQLite file (`:memory:` is refused: every pool connection would see its own database).
    Sqlite(PathBuf),
}

impl DbTarget {
    /// Reads the scheme ourselves: SQLite would accept any string as a file name, so a mistyped
    /// PostgreSQL URL must not silently become a file called `postgress://...`.
    pub fn parse(url: &str) -> Result<Self, SetupError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            url::Url::parse(url).map_err(|e| format!("DATABASE_URL is not a valid URL: {e}"))?;
            return Ok(DbTarget::Postgres(url.to_owned()));
        }
        if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err("DATABASE_URL must name a SQLite file, e.g. sqlite://peerdesk-data/peerdesk.db".into());
            }
            return Ok(DbTarget::Sqlite(PathBuf::from(path)));
        }
        Err(SetupError(format!(
            "DATABASE_URL must start with sqlite:// or postgres:// (got '{}')",
            url.split(':').next().unwrap_or_default()
        )))
    }

    /// Human-readable name of the backend, for logs and `check-config`.
    pub fn backend_name(&self) -> &'static str {
        match self {
            DbTarget::Postgres(_) => "postgresql",
            DbTarget::Sqlite(_) => "sqlite",
        }
    }

    /// Opens one connection of the right variant, with SQLite's per-connection pragmas.
    pub fn connect(&self) -> diesel::ConnectionResult<DbConn> {
        match self {
            DbTarget::Postgres(url) => {
                let mut conn = PgConnection::establish(url)?;
                // PostgreSQL compiles with LLVM any statement its planner costs above
                // `jit_above_cost`; as tables grow, ordinary statements cross it and each pays
                // hundreds of milliseconds of compiling. Seeding a million questions it was 65 %
                // of the server's time (perf) and the rate fell from 500 to 140 questions a
                // second; with it off, back to 390. PeerDesk's statements are short: none gains.
                conn.batch_execute("SET jit = off")
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Pg(conn))
            }
            DbTarget::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // The busy timeout first, so that even switching to WAL queues behind another
                // process's lock instead of failing; WAL lets readers run beside the one writer;
                // foreign keys are off by default in SQLite. (Passes over whole indexes map the
                // file for their duration: `backend::with_mapped_reads`.)
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

/// r2d2 manager that opens the variant named by the URL, never "whichever connects first".
pub struct DbManager {
    target: DbTarget,
}

impl ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.target.connect().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// The pool plus what kind of database it talks to. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<DbManager>,
    target: DbTarget,
}

impl Db {
    /// Connects (failing fast if the database is unreachable) and builds the pool.
    pub fn connect(target: DbTarget, pool_size: u32) -> Result<Self, SetupError> {
        if let DbTarget::Sqlite(path) = &target {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create the directory {}: {e}", dir.display()))?;
            }
        }
        // One direct attempt first so that the error names the real cause, not r2d2's time-out.
        target.connect().map_err(|e| {
            format!(
                "cannot connect to the {} database: {}",
                target.backend_name(),
                one_line(&e.to_string())
            )
        })?;
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(Duration::from_secs(10))
            // A server connection can die behind our back and diesel cannot tell until a query
            // fails, so PostgreSQL's are pinged on check-out; an SQLite file cannot go away, and
            // the ping was one statement more on every trip.
            .test_on_check_out(matches!(target, DbTarget::Postgres(_)))
            .build(DbManager { target: target.clone() })
            .map_err(|e| format!("cannot open the database pool: {e}"))?;
        Ok(Db { pool, target })
    }

    /// The backend in use.
    pub fn target(&self) -> &DbTarget {
        &self.target
    }

    /// A pooled connection, for code that already runs on a blocking thread (CLI, workers, tests).
    pub fn get(&self) -> AppResult<r2d2::PooledConnection<DbManager>> {
        self.pool
            .get()
            .map_err(|e| AppError::Unavailable(format!("database pool: {e}")))
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool
                .get()
                .map_err(|e| AppError::Unavailable(format!("database pool: {e}")))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::caused("blocking task failed", e))?
    }

    /// Runs a short read (a look-up by key: tens of microseconds) at once on the calling thread
    /// when the database is an SQLite file and a connection is free, else as `run`. The hop to
    /// the blocking pool and back costs more than such a query: on a signed-in page it was a
    /// sixth of the time (perf: thread wake-ups). Reads only: a write can wait on SQLite's lock,
    /// and a PostgreSQL query waits on the network, either of which would stall every request
    /// on this worker.
    pub async fn run_short<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        if matches!(self.target, DbTarget::Sqlite(_)) {
            if let Some(mut conn) = self.pool.try_get() {
                return f(&mut conn);
            }
        }
        self.run(f).await
    }
}

/// libpq's messages span lines; start-up errors must be one line.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The current time as both backends store it: UTC, truncated to microseconds.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::Text;
    use diesel::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = Text)]
        compile_options: String,
    }

    /// `.cargo/config.toml` builds SQLite with the planner stability guarantee (without it every
    /// `LIMIT ?` statement is planned again on each use), and without the process-wide page
    /// cache and statistics whose mutexes the pooled connections fought over (see the comments
    /// there).
    #[test]
    fn sqlite_is_built_with_the_options_the_pool_needs() {
        let dir = tempfile::tempdir().unwrap();
        let target = super::DbTarget::Sqlite(dir.path().join("t.db"));
        let mut conn = target.connect().unwrap();
        let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options").load(&mut conn).unwrap();
        for wanted in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0", "DISABLE_PAGECACHE_OVERFLOW_STATS"] {
            assert!(options.iter().any(|o| o.compile_options == wanted), "{wanted}");
        }
        assert!(!options.iter().any(|o| o.compile_options == "ENABLE_MEMORY_MANAGEMENT"));
    }
}

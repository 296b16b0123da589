//! Embedded migrations, one set per backend with the same folder names.

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::DbConn;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies every pending migration; returns the names of those it applied.
pub fn run_pending(conn: &mut DbConn) -> Result<Vec<String>, MigrationError> {
    let applied = match conn {
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES)?,
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE)?,
    };
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Reverts every applied migration (used by `peerdesk migrate --revert-all` and the round-trip test).
pub fn revert_all(conn: &mut DbConn) -> Result<Vec<String>, MigrationError> {
    let reverted = match conn {
        DbConn::Pg(c) => c.revert_all_migrations(POSTGRES)?,
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE)?,
    };
    Ok(reverted.iter().map(|v| v.to_string()).collect())
}

/// Names of migrations not yet applied.
pub fn pending(conn: &mut DbConn) -> Result<Vec<String>, MigrationError> {
    Ok(match conn {
        DbConn::Pg(c) => c
            .pending_migrations(POSTGRES)?
            .iter()
            .map(|m| m.name().to_string())
            .collect(),
        DbConn::Sqlite(c) => c
            .pending_migrations(SQLITE)?
            .iter()
            .map(|m| m.name().to_string())
            .collect(),
    })
}

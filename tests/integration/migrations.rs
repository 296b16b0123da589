//! Migrations: both backends define the same tables, columns and indexes, and up/down round-trips.

use std::collections::BTreeSet;

use crate::common::{pg_url, TestDb};
use peerdesk::db::backend::{describe_schema, SchemaShape};
use peerdesk::db::{migrate, Db, DbTarget};

fn fresh(url: &str) -> Db {
    Db::connect(DbTarget::parse(url).unwrap(), 1).unwrap()
}

fn migrated_shape(db: &Db) -> SchemaShape {
    let mut c = db.get().unwrap();
    migrate::run_pending(&mut c).unwrap();
    describe_schema(&mut c).unwrap()
}

#[test]
fn up_down_up_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let testdb = TestDb::new(dir.path());
    let db = fresh(&testdb.url);
    let mut c = db.get().unwrap();
    let applied = migrate::run_pending(&mut c).unwrap();
    assert!(!applied.is_empty());
    let up = describe_schema(&mut c).unwrap();
    assert!(up.tables.contains(&"users".to_string()) && up.tables.contains(&"audit_log".to_string()));
    let reverted = migrate::revert_all(&mut c).unwrap();
    assert_eq!(reverted.len(), applied.len());
    let down = describe_schema(&mut c).unwrap();
    assert!(down.tables.is_empty() && down.indexes.is_empty(), "down left {down:?}");
    assert_eq!(migrate::run_pending(&mut c).unwrap().len(), applied.len());
    assert_eq!(describe_schema(&mut c).unwrap(), up);
    assert!(migrate::pending(&mut c).unwrap().is_empty());
}

#[test]
fn both_backends_have_the_same_folders() {
    let names = |backend: &str| -> BTreeSet<String> {
        std::fs::read_dir(format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

/// Needs PostgreSQL; `.ci/run` always provides it, so this comparison runs in CI.
#[test]
fn both_backends_define_the_same_schema() {
    let Some(_) = pg_url() else {
        eprintln!("both_backends_define_the_same_schema: PostgreSQL half runs when PEERDESK_TEST_DATABASE_URL is set (.ci/run sets it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pg = TestDb::new(dir.path());
    let pg_shape = migrated_shape(&fresh(&pg.url));
    let sqlite_shape = migrated_shape(&fresh(&format!("sqlite://{}", dir.path().join("cmp.db").display())));
    assert_eq!(pg_shape.tables, sqlite_shape.tables);
    assert_eq!(pg_shape.indexes, sqlite_shape.indexes);
    assert_eq!(pg_shape.columns, sqlite_shape.columns);
}

/// PeerDesk's PostgreSQL connections run without JIT compiling (see `DbTarget::connect`); the
/// server's default is on. Needs PostgreSQL, which `.ci/run` always provides.
#[test]
fn postgresql_connections_do_not_compile_statements() {
    use diesel::prelude::*;
    let Some(_) = pg_url() else {
        eprintln!("postgresql_connections_do_not_compile_statements: runs when PEERDESK_TEST_DATABASE_URL is set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pg = TestDb::new(dir.path());
    let mut c = fresh(&pg.url).get().unwrap();
    let jit: String = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>("current_setting('jit')"))
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(jit, "off");
}

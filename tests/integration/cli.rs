//! The `peerdesk` command: help, configuration errors as one line, create-admin, migrate, check-config.

use std::process::Command;

use crate::common::{TestApp, TestDb, PASSWORD};

fn peerdesk(dir: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_peerdesk"));
    cmd.current_dir(dir)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run peerdesk")
}

#[test]
fn help_explains_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = peerdesk(dir.path(), &[], &["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["serve", "migrate", "create-admin", "check-config"] {
        assert!(text.contains(cmd), "--help lacks {cmd}: {text}");
    }
    let out = peerdesk(dir.path(), &[], &["create-admin", "--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("PEERDESK_ADMIN_PASSWORD"));
}

#[test]
fn bad_configuration_stops_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("PEERDESK_COLOUR", "red")],
            "unknown configuration variable PEERDESK_COLOUR",
        ),
        (
            &[("DATABASE_URL", "mysql://localhost/x")],
            "DATABASE_URL must start with",
        ),
        (&[("SMTP_URL", "::nonsense")], "SMTP_URL"),
        (&[("PEERDESK_BIND", "nowhere")], "PEERDESK_BIND"),
        (
            &[("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")],
            "cannot connect to the postgresql database",
        ),
    ];
    for (env, needle) in cases {
        let out = peerdesk(dir.path(), env, &["check-config"]);
        assert_eq!(out.status.code(), Some(2), "{env:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{env:?} printed: {err}");
        assert!(err.contains(needle), "{env:?}: {err}");
    }
    std::fs::write(dir.path().join("peerdesk.toml"), "colour = \"red\"\n").unwrap();
    let out = peerdesk(dir.path(), &[], &["check-config"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown key 'colour'"));
}

#[test]
fn defaults_need_no_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let out = peerdesk(dir.path(), &[], &["check-config"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("sqlite") && text.contains("127.0.0.1:8080") && text.contains("configuration OK"));
    assert!(dir.path().join("peerdesk-data/secret.key").exists());
    assert!(dir.path().join("peerdesk-data/peerdesk.db").exists());
}

#[actix_web::test]
async fn create_admin_then_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let testdb = TestDb::new(dir.path());
    let data = dir.path().join("data");
    let data_s = data.display().to_string();
    let env = [
        ("DATABASE_URL", testdb.url.as_str()),
        ("PEERDESK_DATA_DIR", data_s.as_str()),
        ("PEERDESK_ADMIN_PASSWORD", PASSWORD),
    ];
    let out = peerdesk(dir.path(), &env, &["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = peerdesk(
        dir.path(),
        &env,
        &["create-admin", "--username", "root", "--email", "root@example.com"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = peerdesk(
        dir.path(),
        &env,
        &["create-admin", "--username", "ROOT", "--email", "x@example.com"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("taken"));
    let weak = [
        ("DATABASE_URL", testdb.url.as_str()),
        ("PEERDESK_DATA_DIR", data_s.as_str()),
        ("PEERDESK_ADMIN_PASSWORD", "password1"),
    ];
    let out = peerdesk(
        dir.path(),
        &weak,
        &["create-admin", "--username", "other", "--email", "o@example.com"],
    );
    assert_eq!(out.status.code(), Some(2));

    // The app on the same database: the admin logs in and reaches the users page and audit log.
    let app = TestApp::spawn_with(&[("DATABASE_URL", testdb.url.as_str())]).await;
    let c = app.client();
    assert_eq!(c.login("root", PASSWORD).await.status, 303);
    assert_eq!(c.get("/admin/users").await.status, 200);
    let audit = c.get("/admin/audit").await;
    assert!(audit.body.contains("user.create_admin"));
}

#[actix_web::test]
async fn set_password_lets_a_user_in_and_ends_their_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let testdb = TestDb::new(dir.path());
    let app = TestApp::spawn_with(&[("DATABASE_URL", testdb.url.as_str())]).await;
    app.make_user("carol", "member").await;
    let before = app.client();
    assert_eq!(before.login("carol", PASSWORD).await.status, 303);
    let data = dir.path().join("data").display().to_string();
    let with = |password: &str| {
        [
            ("DATABASE_URL", testdb.url.clone()),
            ("PEERDESK_DATA_DIR", data.clone()),
            ("PEERDESK_PASSWORD", password.to_string()),
        ]
    };
    let run = |password: &str, user: &str| {
        let env = with(password);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        peerdesk(dir.path(), &env, &["set-password", "--username", user])
    };
    let weak = run("password1", "carol");
    assert_eq!(weak.status.code(), Some(2));
    let nobody = run("a long enough pass phrase 7", "nobody");
    let said = String::from_utf8_lossy(&nobody.stderr);
    assert!(said.contains("no user is called \"nobody\""), "{said}");
    let out = run("a long enough pass phrase 7", "carol");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(before.get("/settings").await.status, 303, "the old session ended");
    let c = app.client();
    assert_eq!(
        c.login("carol", PASSWORD).await.status,
        401,
        "the old password is refused"
    );
    assert_eq!(c.login("carol", "a long enough pass phrase 7").await.status, 303);
    app.make_user("root", "admin").await;
    let a = app.client();
    a.login("root", PASSWORD).await;
    assert!(a.get("/admin/audit").await.body.contains("user.set_password_cli"));
}

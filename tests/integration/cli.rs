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

/// A test database and a data directory inside `dir` (its path, and as text for the environment).
fn database_and_data_dir(dir: &std::path::Path) -> (TestDb, std::path::PathBuf, String) {
    let data = dir.join("data");
    let text = data.display().to_string();
    (TestDb::new(dir), data, text)
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

/// The subcommands `--help` lists.
fn commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn what_a_user_reads_points_to_the_docs_and_lists_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let help = String::from_utf8_lossy(&peerdesk(dir.path(), &[], &["--help"]).stdout).to_string();
    let commands = commands(&help);
    assert!(commands.len() >= 8, "{help}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut read = vec![
        ("--help".to_string(), help.clone()),
        ("README.md".into(), readme.clone()),
    ];
    for c in &commands {
        assert!(
            readme.contains(&format!("`peerdesk {c}")),
            "README's commands table lacks {c}"
        );
        let out = peerdesk(dir.path(), &[], &[c.as_str(), "--help"]);
        read.push((format!("{c} --help"), String::from_utf8_lossy(&out.stdout).to_string()));
    }
    read.push((
        "openapi.json".into(),
        std::fs::read_to_string(root.join("src/handlers/openapi.json")).unwrap(),
    ));
    let mut stack = vec![root.join("templates")];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            read.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
        }
    }
    for (name, text) in read {
        // DESIGN.md is the developers' spec beside the repository; users get docs/.
        assert!(!text.contains("DESIGN"), "{name} points to DESIGN instead of docs/");
    }
    for doc in ["docs/kpis.md", "docs/import-format.md"] {
        assert!(root.join(doc).exists(), "{doc}");
        assert!(readme.contains(doc), "README links {doc}");
    }
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
    assert!(text.contains("SQLite file") && text.contains("127.0.0.1:8080") && text.contains("configuration OK"));
    assert!(text.contains("created at first start"), "{text}");
    assert!(
        !text.contains("(\"") && !text.contains("Files("),
        "plain words, no debug output: {text}"
    );
    assert!(
        !dir.path().join("peerdesk-data").exists(),
        "check-config creates nothing"
    );
    // Once the forum has started, it reads what is there.
    let out = peerdesk(dir.path(), &[], &["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&peerdesk(dir.path(), &[], &["check-config"]).stdout).to_string();
    assert!(
        text.contains("(exists)") && text.contains("pending      none"),
        "{text}"
    );
    let smtp = [("SMTP_URL", "smtp://mailer:hunter2@mail.example.com:587")];
    let text = String::from_utf8_lossy(&peerdesk(dir.path(), &smtp, &["check-config"]).stdout).to_string();
    assert!(text.contains("SMTP via") && !text.contains("hunter2"), "{text}");
}

#[actix_web::test]
async fn create_admin_then_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let (testdb, _, data_s) = database_and_data_dir(dir.path());
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
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(said.contains("taken"), "{said}");
    assert!(
        said.trim_end().ends_with('.') && !said.contains("..") && !said.contains(".;"),
        "one sentence: {said}"
    );
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
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        said.starts_with("peerdesk: password: ") && !said.contains(".."),
        "{said}"
    );

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

#[test]
fn serve_says_where_it_is_and_logs_each_request_s_method_and_path() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_peerdesk"))
        .current_dir(dir.path())
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PEERDESK_BIND", &bind)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let get = |path: &str| -> Option<String> {
        use std::io::Write;
        let mut s = std::net::TcpStream::connect(&bind).ok()?;
        write!(
            s,
            "GET {path}?secret=1 HTTP/1.1\r\nHost: {bind}\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut out = String::new();
        s.read_to_string(&mut out).ok()?;
        Some(out)
    };
    let started = std::time::Instant::now();
    while get("/healthz").is_none() {
        assert!(started.elapsed().as_secs() < 60, "the server did not start");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(get("/questions").is_some_and(|r| r.starts_with("HTTP/1.1 200")));
    std::thread::sleep(std::time::Duration::from_millis(200));
    child.kill().unwrap();
    let mut log = String::new();
    child.stdout.take().unwrap().read_to_string(&mut log).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    child.wait().unwrap();
    assert!(log.contains("\"GET /questions\" 200"), "{log}");
    assert!(!log.contains("secret=1"), "the query string stays out of the log");
    assert!(log.contains(&format!("PeerDesk is serving at http://{bind}")), "{log}");
    assert!(
        log.contains("No admin yet") && log.contains("peerdesk create-admin"),
        "{log}"
    );
}

#[actix_web::test]
async fn the_demo_prints_four_sign_ins_that_work() {
    let dir = tempfile::tempdir().unwrap();
    let (testdb, data, data_s) = database_and_data_dir(dir.path());
    let env = [
        ("DATABASE_URL", testdb.url.as_str()),
        ("PEERDESK_DATA_DIR", data_s.as_str()),
    ];
    let out = peerdesk(dir.path(), &env, &["seed", "--demo"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("The demo community is at http://"), "{said}");
    let password = said
        .split("password for all: ")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .unwrap()
        .to_string();
    assert!(password.len() >= 12, "{said}");
    let file = std::fs::read_to_string(data.join("demo-logins.txt")).unwrap();
    assert!(said.contains(&file), "the file holds what was printed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("demo-logins.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "only its owner may read it");
    }
    let sign_ins: Vec<(String, String)> = file
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| {
            let mut w = l.split_whitespace();
            (w.next().unwrap().to_string(), w.next().unwrap().to_string())
        })
        .collect();
    let kinds: Vec<&str> = sign_ins.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["member", "contributor", "moderator", "admin"]);

    // Each works, with the role it says; the home page names them (never the password).
    let app = TestApp::spawn_with(&[("DATABASE_URL", testdb.url.as_str())]).await;
    let home = app.client().get("/").await.body;
    assert!(home.contains("This is a demo community"), "{home}");
    assert!(!home.contains(&password));
    for (kind, username) in &sign_ins {
        assert!(home.contains(&format!("<code>{username}</code>")), "{kind} {username}");
        let c = app.client();
        assert_eq!(c.login(username, &password).await.status, 303, "{kind} {username}");
        let admin_users = c.get("/admin/users").await.status;
        match kind.as_str() {
            "member" | "contributor" => assert_eq!(admin_users, 403),
            _ => assert_eq!(admin_users, 200, "{kind}"),
        }
        let profile = c.get(&format!("/users/{username}")).await.body;
        if kind == "contributor" {
            assert!(profile.to_lowercase().contains("contributor"), "{username}");
        }
    }
    // Loading again leaves the community and says where the sign-ins are.
    let out = peerdesk(dir.path(), &env, &["seed", "--demo"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        said.contains("was not loaded") && said.contains("demo-logins.txt"),
        "{said}"
    );
}

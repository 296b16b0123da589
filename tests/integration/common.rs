//! `TestApp`: a server on a random port over a fresh database, a cookie-keeping HTTP client, and
//! helpers to make users and read the emails the file transport wrote.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use actix_web::cookie::Cookie;
use actix_web::dev::ServerHandle;
use actix_web::HttpServer;
use diesel::connection::SimpleConnection;
use diesel::Connection;

use peerdesk::config::Config;
use peerdesk::db::ids::UserId;
use peerdesk::db::{self, DbConn};
use peerdesk::domain::members::accounts;
use peerdesk::mail::outbox;
use peerdesk::models::user;
use peerdesk::{build_app, AppState};

/// The id in a question path `/questions/{id}/{slug}`.
pub fn question_id(path: &str) -> i64 {
    path.split('/')
        .nth(2)
        .and_then(|s| s.parse().ok())
        .expect("a question path")
}

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// Which database the suite runs on.
pub fn pg_url() -> Option<String> {
    std::env::var("PEERDESK_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A fresh, isolated database: a SQLite file in the test's folder or a new PostgreSQL schema.
pub struct TestDb {
    pub url: String,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub fn new(dir: &std::path::Path) -> TestDb {
        match pg_url() {
            Some(base) => {
                let schema = format!(
                    "t_{}",
                    peerdesk::auth::tokens::random_token(9)
                        .to_lowercase()
                        .replace(['-', '_'], "x")
                );
                let mut c =
                    diesel::PgConnection::establish(&base).expect("PEERDESK_TEST_DATABASE_URL must be reachable");
                c.batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .expect("create schema");
                let sep = if base.contains('?') { '&' } else { '?' };
                let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
                TestDb {
                    url,
                    pg: Some((base, schema)),
                }
            }
            None => TestDb {
                url: format!("sqlite://{}", dir.join("test.db").display()),
                pg: None,
            },
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.pg {
            if let Ok(mut c) = diesel::PgConnection::establish(base) {
                let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
    }
}

/// A running PeerDesk.
pub struct TestApp {
    pub state: AppState,
    pub base: String,
    pub mail_dir: PathBuf,
    handle: ServerHandle,
    db_url: String,
    /// `None` for a second instance on another app's database (the first one drops it).
    _db: Option<TestDb>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(&[]).await
    }

    /// Starts with extra configuration variables.
    pub async fn spawn_with(extra: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let testdb = TestDb::new(dir.path());
        Self::start(dir, testdb.url.clone(), Some(testdb), extra)
    }

    /// A second instance on this one's database, as behind a load balancer (its own caches,
    /// data folder and secret).
    pub async fn spawn_beside(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        Self::start(dir, self.db_url.clone(), None, &[])
    }

    fn start(dir: tempfile::TempDir, db_url: String, testdb: Option<TestDb>, extra: &[(&str, &str)]) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let base = format!("http://{addr}");
        let mail_dir = dir.path().join("mail");
        let mut env: Vec<(String, String)> = vec![
            ("DATABASE_URL".into(), db_url.clone()),
            ("PEERDESK_DATA_DIR".into(), dir.path().display().to_string()),
            ("PEERDESK_BIND".into(), addr.to_string()),
            ("PEERDESK_BASE_URL".into(), base.clone()),
            ("PEERDESK_DB_POOL_SIZE".into(), "4".into()),
        ];
        for (k, v) in extra {
            env.push((k.to_string(), v.to_string()));
        }
        let config = Config::from_sources(&env, None).expect("config");
        let state = AppState::build(config).expect("state");
        let s = state.clone();
        let server = HttpServer::new(move || build_app(s.clone()))
            .workers(1)
            .disable_signals()
            .listen(listener)
            .expect("listen")
            .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        TestApp {
            state,
            base,
            mail_dir,
            handle,
            db_url,
            _db: testdb,
            _dir: dir,
        }
    }

    /// The database URL the app runs on (for the command line on the same data).
    pub fn db_url(&self) -> &str {
        &self.db_url
    }

    /// A new client with an empty cookie jar.
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Runs `f` with a connection on a blocking thread. Writes through the domain count as content
    /// changes for the page cache by themselves (`write_transaction`); a raw write here does not.
    pub async fn db<T: Send + 'static>(&self, f: impl FnOnce(&mut DbConn) -> T + Send + 'static) -> T {
        let pool = self.state.db.clone();
        actix_web::web::block(move || {
            let mut c = pool.get().expect("connection");
            f(&mut c)
        })
        .await
        .expect("blocking task")
    }

    /// Creates a verified user with `role` directly through the domain (as `create-admin` would),
    /// returns its id.
    pub async fn make_user(&self, name: &str, role: &str) -> UserId {
        let (name, role) = (name.to_string(), role.to_string());
        let ctx = self.state.mail_context();
        self.db(move |c| {
            let input = accounts::SignupInput {
                username: name.clone(),
                email: format!("{name}@example.com"),
                password: PASSWORD.into(),
            };
            let id = accounts::signup(c, &ctx, &input, db::now()).expect("signup");
            let role = peerdesk::domain::access::permissions::Role::parse(&role).expect("role");
            user::set_role(c, id, role.as_str()).expect("role");
            user::set_email_verified(c, id, db::now()).expect("verify");
            id
        })
        .await
    }

    /// A user of `role`, logged in.
    pub async fn login_as(&self, name: &str, role: &str) -> (UserId, Client) {
        let id = self.make_user(name, role).await;
        let client = self.client();
        let res = client.login(name, PASSWORD).await;
        assert_eq!(res.status, 303, "login of {name} failed: {}", res.body);
        (id, client)
    }

    /// Creates a category (as an admin would) and returns its slug.
    pub async fn category(&self, slug: &str) -> String {
        let slug = slug.to_string();
        let s = slug.clone();
        self.db(move |c| {
            let input = peerdesk::domain::qa::categories::CategoryInput {
                name: format!("Category {s}"),
                slug: s.clone(),
                description: format!("All about **{s}**."),
                position: 0,
            };
            let actor = peerdesk::domain::access::audit::Actor { user: None, ip: None };
            let all = peerdesk::domain::access::permissions::Role::Admin.permissions();
            peerdesk::domain::qa::categories::save(c, &actor, all, None, &input, db::now()).unwrap();
        })
        .await;
        slug
    }

    /// Sets reputation thresholds (`vote_up`, `comment_anywhere`, ...) as an admin would.
    pub async fn set_thresholds(&self, values: &[(&str, i64)]) {
        let values: Vec<(String, String)> = values
            .iter()
            .map(|(k, v)| (format!("reputation.{k}"), v.to_string()))
            .collect();
        self.db(move |c| {
            for (k, v) in &values {
                peerdesk::models::setting::put(c, k, v, db::now()).unwrap();
            }
        })
        .await;
        self.state.reload_settings().await.unwrap();
    }

    /// For tests about something else: every member may vote and comment from the start.
    pub async fn open_privileges(&self) {
        self.set_thresholds(&[("vote_up", 1), ("vote_down", 1), ("comment_anywhere", 1)])
            .await;
    }

    /// Imports a DESIGN §11 file, which must load.
    pub async fn import(&self, file: &serde_json::Value) {
        let text = file.to_string();
        self.db(move |c| {
            let f = peerdesk::domain::import::parse(&text).expect("parse");
            peerdesk::domain::import::import(c, &f, &mut |_, _| {})
                .expect("import")
                .expect("valid import");
        })
        .await;
    }

    /// Runs the outbox worker once, now.
    pub async fn deliver_mail(&self) -> outbox::Pass {
        self.deliver_mail_at(db::now()).await
    }

    /// Runs the outbox worker as if it were `at` (to skip a backoff).
    pub async fn deliver_mail_at(&self, at: chrono::NaiveDateTime) -> outbox::Pass {
        let s = self.state.clone();
        actix_web::web::block(move || outbox::deliver_due(&s.db, &s.mailer, &s.config.mail_from, "test.local", at))
            .await
            .expect("block")
            .expect("deliver")
    }

    /// Delivers pending mail and returns every email written so far, oldest first.
    pub async fn emails(&self) -> Vec<Email> {
        self.deliver_mail().await;
        read_emails(&self.mail_dir)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        actix_web::rt::spawn(async move { handle.stop(false).await });
    }
}

/// One email as a mail client would read it.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    pub modified: std::time::SystemTime,
}

impl Email {
    /// The first link in the text body containing `needle`.
    pub fn link(&self, needle: &str) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(needle))
            .unwrap_or_else(|| panic!("no link with {needle} in {}", self.text))
            .to_string()
    }
}

/// Parses every `.eml` in `dir`, oldest first.
pub fn read_emails(dir: &std::path::Path) -> Vec<Email> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        let raw = std::fs::read(&path).expect("read eml");
        let msg = mail_parser::MessageParser::default().parse(&raw).expect("parse eml");
        let to = msg
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_string();
        out.push(Email {
            to,
            subject: msg.subject().unwrap_or_default().to_string(),
            text: msg.body_text(0).map(|t| t.to_string()).unwrap_or_default(),
            html: msg.body_html(0).map(|t| t.to_string()).unwrap_or_default(),
            message_id: msg.message_id().unwrap_or_default().to_string(),
            modified: entry.metadata().and_then(|m| m.modified()).expect("mtime"),
        });
    }
    out.sort_by_key(|e| e.modified);
    out
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: BTreeMap<String, Vec<String>>,
    pub body: String,
}

impl Resp {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// The redirect target.
    pub fn location(&self) -> &str {
        self.header("location").unwrap_or_default()
    }

    /// The `Set-Cookie` values.
    pub fn set_cookies(&self) -> Vec<Cookie<'static>> {
        self.headers
            .get("set-cookie")
            .map(|v| v.iter().filter_map(|c| Cookie::parse(c.clone()).ok()).collect())
            .unwrap_or_default()
    }

    /// The CSRF token in the page's first form.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self
            .body
            .find(marker)
            .map(|i| i + marker.len())
            .expect("no csrf field on the page");
        let end = self.body[start..].find('"').expect("unterminated csrf value");
        self.body[start..start + end].to_string()
    }
}

/// An HTTP client that keeps cookies like a browser and does not follow redirects.
pub struct Client {
    inner: awc::Client,
    base: String,
    pub cookies: RefCell<BTreeMap<String, String>>,
    /// The CSRF token seen on the last page that had one.
    pub token: RefCell<String>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let inner = awc::Client::builder()
            .disable_redirects()
            .timeout(Duration::from_secs(30))
            .finish();
        Client {
            inner,
            base: base.to_string(),
            cookies: RefCell::new(BTreeMap::new()),
            token: RefCell::new(String::new()),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .borrow()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sends a request built by `f`, records cookies, reads the body.
    pub async fn send(&self, req: awc::ClientRequest, body: Option<String>) -> Resp {
        self.send_typed(req, body.map(|b| ("application/x-www-form-urlencoded", b)))
            .await
    }

    /// Sends a request with an optional body of the given content type.
    pub async fn send_typed(&self, req: awc::ClientRequest, body: Option<(&str, String)>) -> Resp {
        let req = if self.cookies.borrow().is_empty() {
            req
        } else {
            req.insert_header(("Cookie", self.cookie_header()))
        };
        let sent = match body {
            Some((content_type, b)) => req.insert_header(("Content-Type", content_type)).send_body(b).await,
            None => req.send().await,
        };
        let mut res = sent.expect("request failed");
        let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in res.headers() {
            headers
                .entry(k.as_str().to_string())
                .or_default()
                .push(v.to_str().unwrap_or_default().to_string());
        }
        let body = res.body().limit(10 * 1024 * 1024).await.expect("body");
        let resp = Resp {
            status: res.status().as_u16(),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        for c in resp.set_cookies() {
            let removed = c.max_age().is_some_and(|m| m.is_zero() || m.is_negative()) || c.value().is_empty();
            if removed {
                self.cookies.borrow_mut().remove(c.name());
            } else {
                self.cookies
                    .borrow_mut()
                    .insert(c.name().to_string(), c.value().to_string());
            }
        }
        if resp.body.contains("name=\"csrf_token\" value=\"") {
            *self.token.borrow_mut() = resp.csrf();
        }
        resp
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.inner.get(format!("{}{path}", self.base)), None).await
    }

    /// GET with extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut req = self.inner.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        self.send(req, None).await
    }

    /// Any request: `method` on `path` with extra headers and an optional typed body.
    pub async fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<(&str, String)>) -> Resp {
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.inner.request(method, format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        self.send_typed(req, body).await
    }

    /// Sends raw bytes with a content type (multipart uploads).
    pub async fn call_bytes(&self, method: &str, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.inner.request(method, format!("{}{path}", self.base));
        if !self.cookies.borrow().is_empty() {
            req = req.insert_header(("Cookie", self.cookie_header()));
        }
        let mut res = req
            .insert_header(("Content-Type", content_type))
            .send_body(body)
            .await
            .expect("request failed");
        let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in res.headers() {
            headers
                .entry(k.as_str().to_string())
                .or_default()
                .push(v.to_str().unwrap_or_default().to_string());
        }
        let body = res.body().limit(10 * 1024 * 1024).await.expect("body");
        Resp {
            status: res.status().as_u16(),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    /// GETs a binary body: (content type, bytes).
    pub async fn get_bytes(&self, path: &str) -> (String, Vec<u8>) {
        let mut res = self
            .inner
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request failed");
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = res.body().limit(10 * 1024 * 1024).await.expect("body");
        (ct, body.to_vec())
    }

    /// POSTs a form as is (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Resp {
        let mut req = self.inner.post(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let body = serde_urlencoded::to_string(fields).expect("encode");
        self.send(req, Some(body)).await
    }

    /// POSTs a form with the current CSRF token, as the browser would from our page.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.token.borrow().clone();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all, &[]).await
    }

    /// Loads the login page and logs in; on success loads the home page to pick up the session's
    /// CSRF token, as a browser following the redirect would.
    pub async fn login(&self, login: &str, password: &str) -> Resp {
        self.get("/login").await;
        let res = self.post("/login", &[("login", login), ("password", password)]).await;
        if res.status == 303 {
            self.get("/").await;
        }
        res
    }

    /// Asks a question through the form; returns the question's canonical path.
    pub async fn ask(&self, title: &str, body: &str, category: &str, tags: &str) -> String {
        self.get("/questions/ask").await;
        let res = self
            .post(
                "/questions/ask",
                &[
                    ("title", title),
                    ("body", body),
                    ("category", category),
                    ("tags", tags),
                    ("action", "post"),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "ask failed: {}", res.body);
        res.location().to_string()
    }

    /// Answers question `qid` through the form; returns the answer's id.
    pub async fn answer(&self, qid: i64, text: &str) -> i64 {
        let res = self.post(&format!("/questions/{qid}/answers"), &[("body", text)]).await;
        assert_eq!(res.status, 303, "answer failed: {}", res.body);
        res.location()
            .rsplit("#answer-")
            .next()
            .and_then(|s| s.parse().ok())
            .expect("answer anchor")
    }

    /// Whether the session cookie is held.
    pub fn has_session(&self) -> bool {
        self.cookies.borrow().keys().any(|k| k.ends_with("peerdesk_session"))
    }
}

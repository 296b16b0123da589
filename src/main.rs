//! The `peerdesk` command: serve the forum (the default), apply migrations, create an admin,
//! import or seed a community, mint API tokens, or check the configuration.

use std::io::IsTerminal;
use std::process::ExitCode;

use actix_web::HttpServer;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use peerdesk::config::{Config, LogFormat};
use peerdesk::db::{backend, migrate};
use peerdesk::domain::import;
use peerdesk::domain::members::{accounts, api_tokens};
use peerdesk::seed::{demo, load_community};
use peerdesk::{build_app, tasks, AppState};

/// PeerDesk: a self-hosted, branded peer-to-peer customer support community.
///
/// Configuration comes from environment variables and an optional peerdesk.toml
/// (see .env.example). With nothing set it runs on SQLite in ./peerdesk-data.
#[derive(Parser)]
#[command(name = "peerdesk", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command: serve, loading the sample community first if the database is empty.
    #[arg(long)]
    demo: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the forum over HTTP (the default when no command is given). Applies pending
    /// migrations first, then starts the email outbox worker and the session sweeper.
    Serve {
        /// Load the sample community first if the database has no questions yet.
        #[arg(long)]
        demo: bool,
    },
    /// Load a generated community into a database that has no questions yet: the sample
    /// (`--demo`: five product areas, 240 questions over the last 90 days with answers, comments,
    /// votes and accepted answers) or one at load-test size (`--scale N`).
    Seed {
        /// The sample community.
        #[arg(long, required_unless_present = "scale", conflicts_with = "scale")]
        demo: bool,
        /// N questions with about 3N answers, comments, votes, tags, five categories and N/20
        /// members; bodies of about 600 characters of Markdown with code blocks and links.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=2_000_000))]
        scale: Option<u32>,
        /// Days of history the --scale community is spread over, ending now.
        #[arg(long, default_value_t = 365, requires = "scale", value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
    },
    /// Apply pending database migrations and list them.
    Migrate,
    /// Create an admin account. The password is read from PEERDESK_ADMIN_PASSWORD, or asked for.
    CreateAdmin {
        /// Username: 3-30 letters, digits, _ or -.
        #[arg(long)]
        username: String,
        /// Email address (treated as confirmed).
        #[arg(long)]
        email: String,
    },
    /// Set a user's password (the user's sessions end; audited). The password is read from
    /// PEERDESK_PASSWORD, or asked for.
    SetPassword {
        /// The user's username.
        #[arg(long)]
        username: String,
    },
    /// Check the configuration and say in plain words what it found; reaches the database if it
    /// exists, and creates nothing.
    CheckConfig,
    /// Print the community-health KPIs (defined in docs/kpis.md) for a period of whole days in the site's
    /// time zone: the same object as GET /api/v1/kpis.
    Kpis {
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD (included).
        #[arg(long)]
        to: String,
        /// Only this category (slug).
        #[arg(long)]
        category: Option<String>,
        /// Only this beta group's categories (slug).
        #[arg(long)]
        group: Option<String>,
        /// json (the API's object) or csv (metric,value rows).
        #[arg(long, default_value = "json", value_parser = ["json", "csv"])]
        format: String,
    },
    /// The weekly KPI digest for staff.
    Digest {
        #[command(subcommand)]
        action: DigestAction,
    },
    /// Reputation totals.
    Reputation {
        #[command(subcommand)]
        action: ReputationAction,
    },
    /// Personal access tokens for the JSON API.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Import a community with its history from a JSON file (the format: docs/import-format.md):
    /// all or nothing; the first bad record is named by its path in the file.
    Import {
        /// The JSON file.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum DigestAction {
    /// Queue last week's digest for the recipients in the support settings now (each gets it
    /// once per week), or with --dry-run print it without sending.
    Send {
        /// Print the digest instead of sending it.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ReputationAction {
    /// Rebuild every user's total from the reputation ledger and list the totals that differed.
    Recompute,
}

#[derive(Subcommand)]
enum TokenAction {
    /// Mint a token for a user and print it (it is shown only this once; only a digest is kept).
    Create {
        /// The user the token acts as.
        #[arg(long)]
        user: String,
        /// read (GET only) or write (also ask, answer, comment, vote, accept).
        #[arg(long)]
        scope: String,
        /// A name to recognise the token by on the user's settings page.
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

fn main() -> ExitCode {
    peerdesk::memory::tune_allocator();
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => return fail(&format!("configuration: {e}")),
    };
    init_logging(&config);
    let result = match cli.command.unwrap_or(Command::Serve { demo: cli.demo }) {
        Command::Serve { demo } => serve(config, demo),
        Command::Seed { scale, days, .. } => AppState::build(config).map_err(String::from).and_then(|s| match scale {
            Some(n) => seed_scale(&s, n as usize, days),
            None => load_demo(&s),
        }),
        Command::Migrate => run_migrate(config),
        Command::CreateAdmin { username, email } => create_admin(config, &username, &email),
        Command::SetPassword { username } => set_password(config, &username),
        Command::CheckConfig => check_config(config),
        Command::Import { file } => import(config, &file),
        Command::Token {
            action: TokenAction::Create { user, scope, name },
        } => create_token(config, &user, &scope, &name),
        Command::Kpis {
            from,
            to,
            category,
            group,
            format,
        } => print_kpis(config, &from, &to, category, group, &format),
        Command::Digest {
            action: DigestAction::Send { dry_run },
        } => send_digest(config, dry_run),
        Command::Reputation {
            action: ReputationAction::Recompute,
        } => recompute_reputation(config),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("peerdesk: {message}");
    ExitCode::from(2)
}

fn init_logging(config: &Config) {
    // The HTML parser under the sanitiser warns about every odd construct in user posts (a hostile
    // post gives hundreds of lines): that is input, not an operational problem, so it is kept out
    // unless PEERDESK_LOG names html5ever itself.
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let filter = match ("html5ever=error".parse(), config.log.contains("html5ever")) {
        (Ok(quiet), false) => filter.add_directive(quiet),
        _ => filter,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
    };
}

/// Questions in the sample community `--demo` loads.
const DEMO_QUESTIONS: usize = 240;

/// How many questions the database has: generated communities go only into an empty one.
fn question_count(conn: &mut peerdesk::db::DbConn) -> Result<i64, String> {
    peerdesk::models::question::count_all(conn).map_err(|e| e.to_string())
}

/// Loads the sample community unless the database already has questions.
fn load_demo(state: &AppState) -> Result<(), String> {
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let existing = question_count(&mut conn)?;
    if existing > 0 {
        println!("The database already has {existing} questions; the sample community was not loaded.");
        let file = state.config.data_dir.join("demo-logins.txt");
        if file.exists() {
            println!("The demo's sign-ins are in {}", file.display());
        }
        return Ok(());
    }
    let file = demo::community(peerdesk::db::now(), DEMO_QUESTIONS);
    match import::import(&mut conn, &file, &mut |_, _| {}).map_err(|e| e.to_string())? {
        Ok(r) => {
            demo::add_sample_views(&mut conn).map_err(|e| format!("the sample views did not load: {e}"))?;
            println!(
                "Loaded the sample community: {} questions, {} answers, {} members.",
                r.questions, r.answers, r.users
            );
            // A password made at load, so that no two demos share one.
            let password = peerdesk::auth::tokens::random_token(12);
            let sign_ins = demo::open_sign_ins(&mut conn, &password, &state.thresholds(), peerdesk::db::now())
                .map_err(cli_error)?;
            let text = demo::sign_in_text(&state.config.base_url, &sign_ins, &password);
            let file = state.config.data_dir.join("demo-logins.txt");
            write_private(&file, &text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            print!("{text}");
            println!("(also written to {})", file.display());
            Ok(())
        }
        Err(e) => Err(format!("the sample community did not load: {e}")),
    }
}

/// `seed --scale N`: generates the load-test community and writes it through the import path,
/// with a progress bar on the terminal.
fn seed_scale(state: &AppState, questions: usize, days: u32) -> Result<(), String> {
    let started = std::time::Instant::now();
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let existing = question_count(&mut conn)?;
    if existing > 0 {
        return Err(format!(
            "the database already has {existing} questions; seed --scale needs an empty one"
        ));
    }
    eprintln!("generating {questions} questions over {days} days");
    let file = load_community::community(peerdesk::db::now(), questions, days);
    let bar = progress_bar(questions, "writing");
    let report =
        import::import(&mut conn, &file, &mut |done, _| bar.set_position(done as u64)).map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    if report.is_ok() {
        backend::after_bulk_load(&mut conn).map_err(|e| e.to_string())?;
    }
    match report {
        Ok(r) => {
            println!(
                "seeded {} questions, {} answers, {} comments, {} votes, {} members in {:.1} s",
                r.questions,
                r.answers,
                r.comments,
                r.votes,
                r.users,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Err(e) => Err(format!("the generated community did not load: {e}")),
    }
}

/// A bar on standard error (hidden when it is not a terminal) counting questions.
fn progress_bar(total: usize, verb: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total as u64);
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{verb} {{bar:40}} {{pos}}/{{len}} questions, {{per_sec}}, {{eta}} left"
    ));
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar
}

fn serve(config: Config, demo: bool) -> Result<(), String> {
    let bind = config.bind;
    let workers = config.workers;
    let blocking_threads = (config.db_pool_size as usize).div_ceil(workers) + 1;
    let state = AppState::build(config)?;
    if demo {
        load_demo(&state)?;
    } else {
        let mut conn = state.db.get().map_err(|e| e.to_string())?;
        let created = peerdesk::domain::qa::categories::ensure_one(&mut conn, peerdesk::db::now())
            .map_err(|e| format!("cannot set up the first category: {e}"))?;
        if created {
            println!("Created the category \"General\" so that questions can be asked at once.");
        }
        let admins = peerdesk::models::user::count_with_role(&mut conn, "admin").map_err(|e| e.to_string())?;
        if admins == 0 {
            println!(
                "No admin yet. Create the first one with:\n  peerdesk create-admin --username <name> --email <address>\n(the password is read from PEERDESK_ADMIN_PASSWORD, or asked for)"
            );
        }
    }
    let backend = state.db.target().backend_name();
    actix_web::rt::System::new().block_on(async move {
        tasks::spawn(state.clone());
        let server = HttpServer::new(move || build_app(state.clone()))
            .workers(workers)
            // Blocking threads run database work; beyond the pool's connections they only wait,
            // and each idle thread's allocator arena holds memory (actix's default is 512 / workers).
            .worker_max_blocking_threads(blocking_threads)
            .shutdown_timeout(20)
            .bind(bind)
            .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        tracing::info!(%bind, backend, "PeerDesk is listening on http://{bind}");
        println!("PeerDesk is serving at http://{bind}");
        // actix-web stops accepting on SIGTERM/SIGINT and lets requests in flight finish.
        server.run().await.map_err(|e| format!("server error: {e}"))
    })
}

fn run_migrate(mut config: Config) -> Result<(), String> {
    config.ensure_secret_key().map_err(|e| e.to_string())?;
    let db = peerdesk::db::Db::connect(config.database.clone(), 1)?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let applied = peerdesk::state::upgrade(&mut conn)?;
    if applied.is_empty() {
        println!("The database is up to date.");
    }
    for name in applied {
        println!("applied {name}");
    }
    Ok(())
}

/// The password from `var`, or asked for twice on the terminal.
fn password_from(var: &str, prompt: &str) -> Result<String, String> {
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => {
            let first = rpassword::prompt_password(prompt).map_err(|e| format!("cannot read the password: {e}"))?;
            let again =
                rpassword::prompt_password("Once more: ").map_err(|e| format!("cannot read the password: {e}"))?;
            if first != again {
                return Err("the two passwords differ".into());
            }
            Ok(first)
        }
    }
}

fn set_password(config: Config, username: &str) -> Result<(), String> {
    let password = password_from("PEERDESK_PASSWORD", "New password: ")?;
    let state = AppState::build(config)?;
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    peerdesk::domain::members::user_admin::set_password_from_cli(&mut conn, username, &password).map_err(cli_error)?;
    println!("Set the password of '{}'; their sessions have ended.", username.trim());
    Ok(())
}

fn create_admin(config: Config, username: &str, email: &str) -> Result<(), String> {
    let password = password_from("PEERDESK_ADMIN_PASSWORD", "Password for the new admin: ")?;
    let state = AppState::build(config)?;
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let id = accounts::create_admin(&mut conn, username.trim(), email.trim(), &password, peerdesk::db::now())
        .map_err(cli_error)?;
    println!(
        "Created admin '{}' (id {id}). Log in at {}/login",
        username.trim(),
        state.config.base_url
    );
    Ok(())
}

/// An error as the command line says it: each refused field with its name.
fn cli_error(e: peerdesk::error::AppError) -> String {
    match e {
        // One sentence: "username: that name is taken; password: too short." (each message's
        // own full stop dropped, so that none is doubled).
        peerdesk::error::AppError::Invalid(errors) => {
            let parts: Vec<String> = errors
                .iter()
                .map(|(f, m)| format!("{f}: {}", m.trim().trim_end_matches('.')))
                .collect();
            format!("{}.", parts.join("; "))
        }
        other => other.to_string(),
    }
}

fn print_kpis(
    config: Config,
    from: &str,
    to: &str,
    category: Option<String>,
    group: Option<String>,
    format: &str,
) -> Result<(), String> {
    use peerdesk::domain::kpi::engine::{self, KpiQuery};
    use peerdesk::domain::kpi::reports;
    let q = KpiQuery {
        from: reports::parse_day("--from", from).map_err(|e| e.to_string())?,
        to: reports::parse_day("--to", to).map_err(|e| e.to_string())?,
        category,
        group,
    };
    let state = AppState::build(config)?;
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let support = state.site().support.clone();
    let k = engine::compute(&mut conn, &q, &support, peerdesk::db::now()).map_err(|e| match e {
        peerdesk::error::AppError::NotFound => "no such category or group".to_string(),
        other => other.to_string(),
    })?;
    let out = match format {
        "csv" => reports::to_csv(&k).map_err(|e| e.to_string())?,
        _ => serde_json::to_string_pretty(&k).map_err(|e| e.to_string())? + "\n",
    };
    print!("{out}");
    Ok(())
}

fn send_digest(config: Config, dry_run: bool) -> Result<(), String> {
    use chrono::TimeZone;
    use peerdesk::domain::kpi::digest;
    let state = AppState::build(config)?;
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let support = state.site().support.clone();
    let now = peerdesk::db::now();
    let today = support.schedule.tz.from_utc_datetime(&now).date_naive();
    let ctx = state.mail_context();
    if dry_run {
        let (week, mail) = digest::compose(&mut conn, &ctx, &support, today, now).map_err(|e| e.to_string())?;
        let to = digest::recipients(&mut conn).map_err(|e| e.to_string())?;
        println!(
            "To: {}",
            if to.is_empty() {
                "(no recipients set)".to_string()
            } else {
                to.join(", ")
            }
        );
        println!("Subject: {}\n\n{}", mail.subject, mail.text);
        eprintln!("Dry run for {week}: nothing was sent.");
        return Ok(());
    }
    let n = digest::queue(&mut conn, &ctx, &support, today, now).map_err(|e| e.to_string())?;
    println!(
        "Queued the digest for {n} recipient{} (each gets it once a week).",
        if n == 1 { "" } else { "s" }
    );
    Ok(())
}

fn recompute_reputation(config: Config) -> Result<(), String> {
    let state = AppState::build(config)?;
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let differences = peerdesk::domain::reputation::recompute(&mut conn).map_err(|e| e.to_string())?;
    for d in &differences {
        println!("{}: stored {}, ledger {} (corrected)", d.username, d.stored, d.ledger);
    }
    println!(
        "{} total{} differed from the ledger.",
        differences.len(),
        if differences.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

fn create_token(config: Config, username: &str, scope: &str, name: &str) -> Result<(), String> {
    let state = AppState::build(config)?;
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let user = peerdesk::models::user::find_by_username(&mut conn, username)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no user named {username:?}"))?;
    let minted = api_tokens::create(&mut conn, user.id, name, scope, peerdesk::db::now()).map_err(cli_error)?;
    println!("{}", minted.secret);
    eprintln!(
        "Token {} for {} ({scope}). Send it as `Authorization: Bearer <token>`; it is not shown again.",
        minted.id, user.username
    );
    Ok(())
}

fn import(config: Config, file: &std::path::Path) -> Result<(), String> {
    let started = std::time::Instant::now();
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let parsed = import::parse(&text).map_err(|e| format!("import failed, nothing written: {e}"))?;
    let state = AppState::build(config)?;
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let bar = progress_bar(parsed.questions.len(), "importing");
    let report = import::import(&mut conn, &parsed, &mut |done, _| bar.set_position(done as u64))
        .map_err(|e| format!("import failed: {e}"))?;
    bar.finish_and_clear();
    if report.is_ok() {
        backend::after_bulk_load(&mut conn).map_err(|e| format!("imported, but the statistics refresh failed: {e}"))?;
    }
    match report {
        Ok(r) => {
            println!(
                "imported {} users, {} groups, {} categories, {} questions, {} answers, {} comments, {} votes, {} surveys in {:.1} s",
                r.users, r.groups, r.categories, r.questions, r.answers, r.comments, r.votes, r.surveys, started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Err(e) => Err(format!("import failed, nothing written: {e}")),
    }
}

/// Prints the configuration in words and checks that the database can be reached; it creates
/// nothing (no data directory, key or database file), so it is safe on a machine being set up.
fn check_config(config: Config) -> Result<(), String> {
    println!("database     {}", describe_database(&config.database));
    println!("bind         {}", config.bind);
    println!("base url     {}", config.base_url);
    println!("data dir     {}", config.data_dir.display());
    println!("secret key   {}", config.describe_secret_key()?);
    println!("mail         {}", describe_mail(&config.mail));
    println!(
        "redis        {}",
        config
            .redis_url
            .as_deref()
            .map(hide_password)
            .unwrap_or_else(|| "not configured (sessions and the cache stay in this process)".into())
    );
    if let peerdesk::db::DbTarget::Sqlite(path) = &config.database {
        if !path.exists() {
            println!("tables       none yet: the database is created and migrated at first start");
            println!("configuration OK");
            return Ok(());
        }
    }
    let db = peerdesk::db::Db::connect(config.database.clone(), 1)?;
    let mut conn = db.get().map_err(|e| format!("cannot reach the database: {e}"))?;
    let pending = migrate::pending(&mut conn).map_err(|e| format!("cannot read migrations: {e}"))?;
    let shape = backend::describe_schema(&mut conn).map_err(|e| e.to_string())?;
    println!("tables       {}", shape.tables.len());
    println!(
        "pending      {}",
        if pending.is_empty() {
            "none".to_string()
        } else {
            format!(
                "{} migration(s), run at next start or by `peerdesk migrate`",
                pending.len()
            )
        }
    );
    println!("configuration OK");
    Ok(())
}

fn describe_database(db: &peerdesk::db::DbTarget) -> String {
    match db {
        peerdesk::db::DbTarget::Sqlite(path) => format!(
            "SQLite file {} ({})",
            path.display(),
            if path.exists() {
                "exists"
            } else {
                "created at first start"
            }
        ),
        peerdesk::db::DbTarget::Postgres(url) => format!("PostgreSQL at {}", hide_password(url)),
    }
}

fn describe_mail(mail: &peerdesk::config::MailTransport) -> String {
    match mail {
        peerdesk::config::MailTransport::Smtp(url) => format!("SMTP via {}", hide_password(url)),
        peerdesk::config::MailTransport::Files(dir) => {
            format!(
                "written as .eml files to {} (nothing leaves this machine)",
                dir.display()
            )
        }
    }
}

/// A URL with its password replaced, for printing.
fn hide_password(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => raw.to_owned(),
    }
}

/// Writes a file only its owner may read (the demo's password).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

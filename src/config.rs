//! One typed configuration, read once at start from the environment and an optional `peerdesk.toml`,
//! validated, and passed around in `AppState` (no globals). Every key is listed in `.env.example`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::db::DbTarget;

/// A setting that cannot be used, or a file the configuration needs that cannot be read or
/// written; the message names the variable or file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl From<String> for ConfigError {
    fn from(message: String) -> Self {
        ConfigError(message)
    }
}

impl From<crate::error::SetupError> for ConfigError {
    fn from(e: crate::error::SetupError) -> Self {
        ConfigError(e.0)
    }
}

impl From<ConfigError> for String {
    fn from(e: ConfigError) -> String {
        e.0
    }
}

impl From<&str> for ConfigError {
    fn from(message: &str) -> Self {
        ConfigError(message.to_owned())
    }
}

/// Environment variables that are ours but not configuration keys (so not "unknown").
const NON_CONFIG_ENV: &[&str] = &[
    "PEERDESK_CONFIG",
    "PEERDESK_ADMIN_PASSWORD",
    "PEERDESK_PASSWORD",
    "PEERDESK_TEST_DATABASE_URL",
];

/// Every configuration key: its name in `peerdesk.toml` and its environment variable.
pub const KEYS: &[(&str, &str)] = &[
    ("database_url", "DATABASE_URL"),
    ("redis_url", "REDIS_URL"),
    ("smtp_url", "SMTP_URL"),
    ("bind", "PEERDESK_BIND"),
    ("data_dir", "PEERDESK_DATA_DIR"),
    ("base_url", "PEERDESK_BASE_URL"),
    ("secret_key", "PEERDESK_SECRET_KEY"),
    ("behind_https_proxy", "PEERDESK_BEHIND_HTTPS_PROXY"),
    ("trust_forwarded_for", "PEERDESK_TRUST_FORWARDED_FOR"),
    ("session_idle_minutes", "PEERDESK_SESSION_IDLE_MINUTES"),
    ("session_idle_seconds", "PEERDESK_SESSION_IDLE_SECONDS"),
    ("session_remember_days", "PEERDESK_SESSION_REMEMBER_DAYS"),
    ("login_attempts_per_account", "PEERDESK_LOGIN_ATTEMPTS_PER_ACCOUNT"),
    ("login_attempts_per_ip", "PEERDESK_LOGIN_ATTEMPTS_PER_IP"),
    ("mail_from", "PEERDESK_MAIL_FROM"),
    ("mail_dir", "PEERDESK_MAIL_DIR"),
    ("db_pool_size", "PEERDESK_DB_POOL_SIZE"),
    ("workers", "PEERDESK_WORKERS"),
    ("page_cache_mb", "PEERDESK_PAGE_CACHE_MB"),
    ("log", "PEERDESK_LOG"),
    ("log_format", "PEERDESK_LOG_FORMAT"),
];

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Where outgoing email goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// `smtp://` or `smtps://` URL, as lettre reads it.
    Smtp(String),
    /// `.eml` files in this folder (the default: nothing leaves the machine).
    Files(PathBuf),
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database: DbTarget,
    pub redis_url: Option<String>,
    pub mail: MailTransport,
    pub mail_from: String,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub base_url: String,
    /// `None` until `ensure_secret_key` reads or creates the persisted one.
    pub secret_key: Option<String>,
    pub behind_https_proxy: bool,
    pub trust_forwarded_for: bool,
    /// The idle timeout in seconds (set in minutes, or in seconds for tests and shared screens).
    pub session_idle_seconds: i64,
    pub session_remember_days: i64,
    pub login_attempts_per_account: u32,
    pub login_attempts_per_ip: u32,
    pub db_pool_size: u32,
    pub workers: usize,
    /// Memory for rendered anonymous pages, in MiB (0: no page cache).
    pub page_cache_mb: usize,
    pub log: String,
    pub log_format: LogFormat,
}

impl Config {
    /// Reads `peerdesk.toml` (or `PEERDESK_CONFIG`) and the process environment.
    pub fn load() -> Result<Self, ConfigError> {
        let env: Vec<(String, String)> = std::env::vars().collect();
        let explicit = env
            .iter()
            .find(|(k, _)| k == "PEERDESK_CONFIG")
            .map(|(_, v)| PathBuf::from(v));
        let toml_text = match &explicit {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("PEERDESK_CONFIG: cannot read {}: {e}", path.display()))?,
            ),
            None => std::fs::read_to_string("peerdesk.toml").ok(),
        };
        Self::from_sources(&env, toml_text.as_deref())
    }

    /// Builds the configuration from environment pairs and an optional TOML text.
    /// Environment variables win over the file.
    pub fn from_sources(env: &[(String, String)], toml_text: Option<&str>) -> Result<Self, ConfigError> {
        let mut raw: BTreeMap<&'static str, String> = BTreeMap::new();
        if let Some(text) = toml_text {
            let table: toml::Table = text.parse().map_err(|e| format!("peerdesk.toml: {e}"))?;
            for (key, value) in table {
                let (name, _) = KEYS
                    .iter()
                    .find(|(name, _)| *name == key)
                    .ok_or_else(|| format!("peerdesk.toml: unknown key '{key}'"))?;
                let text = match value {
                    toml::Value::String(s) => s,
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    other => {
                        return Err(ConfigError(format!(
                            "peerdesk.toml: '{key}' must be a string, number or boolean, not {}",
                            other.type_str()
                        )))
                    }
                };
                raw.insert(name, text);
            }
        }
        for (var, value) in env {
            if let Some((name, _)) = KEYS.iter().find(|(_, env_name)| env_name == var) {
                raw.insert(name, value.clone());
            } else if var.starts_with("PEERDESK_") && !NON_CONFIG_ENV.contains(&var.as_str()) {
                return Err(ConfigError(format!(
                    "unknown configuration variable {var} (see .env.example for the list)"
                )));
            }
        }
        Self::from_raw(&raw)
    }

    fn from_raw(raw: &BTreeMap<&'static str, String>) -> Result<Self, ConfigError> {
        let get = |k: &str| raw.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
        let data_dir = PathBuf::from(get("data_dir").unwrap_or("peerdesk-data"));
        let database_url = match get("database_url") {
            Some(url) => url.to_owned(),
            None => format!("sqlite://{}", data_dir.join("peerdesk.db").display()),
        };
        let database = DbTarget::parse(&database_url)?;
        let redis_url = get("redis_url")
            .map(|u| {
                let parsed = url::Url::parse(u).map_err(|e| format!("REDIS_URL is not a valid URL: {e}"))?;
                match parsed.scheme() {
                    "redis" | "rediss" => Ok(u.to_owned()),
                    other => Err(ConfigError(format!(
                        "REDIS_URL must start with redis:// or rediss:// (got '{other}')"
                    ))),
                }
            })
            .transpose()?;
        let mail = match get("smtp_url") {
            Some(u) => {
                let parsed = url::Url::parse(u).map_err(|e| format!("SMTP_URL is not a valid URL: {e}"))?;
                if !matches!(parsed.scheme(), "smtp" | "smtps") || parsed.host_str().is_none() {
                    return Err("SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465".into());
                }
                MailTransport::Smtp(u.to_owned())
            }
            None => MailTransport::Files(
                get("mail_dir")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| data_dir.join("mail")),
            ),
        };
        let bind: SocketAddr = get("bind")
            .unwrap_or("127.0.0.1:8080")
            .parse()
            .map_err(|_| "PEERDESK_BIND must be an address with a port, e.g. 127.0.0.1:8080".to_string())?;
        let behind_https_proxy = parse_bool(raw, "behind_https_proxy", false)?;
        let base_url = match get("base_url") {
            Some(u) => {
                let parsed = url::Url::parse(u).map_err(|e| format!("PEERDESK_BASE_URL is not a valid URL: {e}"))?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    return Err("PEERDESK_BASE_URL must start with http:// or https://".into());
                }
                u.trim_end_matches('/').to_owned()
            }
            None => {
                let scheme = if behind_https_proxy { "https" } else { "http" };
                format!("{scheme}://{bind}")
            }
        };
        let secret_key = get("secret_key").map(str::to_owned);
        if secret_key.as_ref().is_some_and(|k| k.len() < 32) {
            return Err("PEERDESK_SECRET_KEY must be at least 32 characters".into());
        }
        let log_format = match get("log_format").unwrap_or("text") {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => return Err("PEERDESK_LOG_FORMAT must be text or json".into()),
        };
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Ok(Config {
            database,
            redis_url,
            mail,
            mail_from: get("mail_from").unwrap_or("PeerDesk <noreply@localhost>").to_owned(),
            bind,
            data_dir,
            base_url,
            secret_key,
            behind_https_proxy,
            trust_forwarded_for: parse_bool(raw, "trust_forwarded_for", false)?,
            session_idle_seconds: idle_seconds(raw)?,
            session_remember_days: parse_num(raw, "session_remember_days", 30, 1, 365)?,
            login_attempts_per_account: parse_num(raw, "login_attempts_per_account", 5, 1, 10_000)?,
            login_attempts_per_ip: parse_num(raw, "login_attempts_per_ip", 30, 1, 100_000)?,
            db_pool_size: parse_num(raw, "db_pool_size", 8, 1, 512)?,
            workers: parse_num(raw, "workers", cores, 1, 512)?,
            page_cache_mb: parse_num(raw, "page_cache_mb", 32, 0, 4096)?,
            log: get("log").unwrap_or("info").to_owned(),
            log_format,
        })
    }

    /// Reads the persisted secret key from the data directory, creating it on first run.
    pub fn ensure_secret_key(&mut self) -> Result<(), ConfigError> {
        if self.secret_key.is_some() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.data_dir)
            .map_err(|e| format!("cannot create the data directory {}: {e}", self.data_dir.display()))?;
        let path = self.data_dir.join("secret.key");
        self.secret_key = Some(read_or_create_secret(&path)?);
        Ok(())
    }

    /// Where the secret key comes from, in words, without creating it (`check-config` writes
    /// nothing); a persisted key that is too short is an error.
    pub fn describe_secret_key(&self) -> Result<String, ConfigError> {
        if self.secret_key.is_some() {
            return Ok("set by PEERDESK_SECRET_KEY (or the config file)".into());
        }
        let path = self.data_dir.join("secret.key");
        if path.exists() {
            read_or_create_secret(&path)?;
            Ok(format!("{} (exists)", path.display()))
        } else {
            Ok(format!("{} (created at first start)", path.display()))
        }
    }

    /// The secret key bytes (call `ensure_secret_key` first).
    pub fn secret(&self) -> &[u8] {
        self.secret_key.as_deref().unwrap_or_default().as_bytes()
    }
}

fn read_or_create_secret(path: &Path) -> Result<String, ConfigError> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let key = existing.trim().to_owned();
        if key.len() >= 32 {
            return Ok(key);
        }
        return Err(ConfigError(format!(
            "{} holds a key shorter than 32 characters",
            path.display()
        )));
    }
    let key = crate::auth::tokens::random_token(48);
    write_private(path, &key).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

fn env_name(key: &str) -> &'static str {
    KEYS.iter().find(|(k, _)| *k == key).map(|(_, e)| *e).unwrap_or("?")
}

fn parse_bool(raw: &BTreeMap<&'static str, String>, key: &str, default: bool) -> Result<bool, ConfigError> {
    match raw.get(key).map(|s| s.trim().to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if v.is_empty() => Ok(default),
        Some(v) => match v.as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError(format!(
                "{} must be true or false (got '{v}')",
                env_name(key)
            ))),
        },
    }
}

/// `session_idle_minutes` or, finer, `session_idle_seconds` (not both: one would silently lose).
fn idle_seconds(raw: &BTreeMap<&'static str, String>) -> Result<i64, ConfigError> {
    let set = |k: &str| raw.get(k).is_some_and(|v| !v.trim().is_empty());
    match (set("session_idle_minutes"), set("session_idle_seconds")) {
        (true, true) => Err(ConfigError(format!(
            "set {} or {}, not both",
            env_name("session_idle_minutes"),
            env_name("session_idle_seconds")
        ))),
        (false, true) => parse_num(raw, "session_idle_seconds", 0, 5, 60 * 60 * 24 * 30),
        _ => Ok(parse_num(raw, "session_idle_minutes", 30, 1, 60 * 24 * 30)? * 60),
    }
}

fn parse_num<T>(raw: &BTreeMap<&'static str, String>, key: &str, default: T, min: T, max: T) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    match raw.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(v) => match v.parse::<T>() {
            Ok(n) if n >= min && n <= max => Ok(n),
            _ => Err(ConfigError(format!(
                "{} must be a number from {min} to {max} (got '{v}')",
                env_name(key)
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_need_nothing() {
        let c = Config::from_sources(&[], None).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.data_dir, PathBuf::from("peerdesk-data"));
        assert_eq!(c.database, DbTarget::Sqlite(PathBuf::from("peerdesk-data/peerdesk.db")));
        assert_eq!(c.mail, MailTransport::Files(PathBuf::from("peerdesk-data/mail")));
        assert_eq!(c.session_idle_seconds, 30 * 60);
        assert!(c.redis_url.is_none());
    }

    #[test]
    fn idle_timeout_in_minutes_or_seconds_but_not_both() {
        let c = Config::from_sources(&env(&[("PEERDESK_SESSION_IDLE_MINUTES", "2")]), None).unwrap();
        assert_eq!(c.session_idle_seconds, 120);
        let c = Config::from_sources(&env(&[("PEERDESK_SESSION_IDLE_SECONDS", "8")]), None).unwrap();
        assert_eq!(c.session_idle_seconds, 8);
        let both = env(&[
            ("PEERDESK_SESSION_IDLE_MINUTES", "2"),
            ("PEERDESK_SESSION_IDLE_SECONDS", "8"),
        ]);
        let err = Config::from_sources(&both, None).unwrap_err();
        assert!(err.0.contains("not both"), "{err}");
    }

    #[test]
    fn env_wins_over_file_and_unknown_keys_are_refused() {
        let c = Config::from_sources(
            &env(&[("PEERDESK_BIND", "0.0.0.0:9000")]),
            Some("bind = \"127.0.0.1:1\"\nworkers = 3"),
        )
        .unwrap();
        assert_eq!(c.bind.port(), 9000);
        assert_eq!(c.workers, 3);
        let err = Config::from_sources(&env(&[("PEERDESK_BINDD", "x")]), None).unwrap_err();
        assert!(err.0.contains("PEERDESK_BINDD"), "{err}");
        let err = Config::from_sources(&[], Some("colour = \"red\"")).unwrap_err();
        assert!(err.0.contains("unknown key 'colour'"), "{err}");
    }

    #[test]
    fn bad_values_name_the_key() {
        for (var, value, needle) in [
            ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
            ("DATABASE_URL", "postgres://[bad", "DATABASE_URL"),
            ("REDIS_URL", "http://x", "REDIS_URL"),
            ("SMTP_URL", "nonsense", "SMTP_URL"),
            ("PEERDESK_BIND", "localhost", "PEERDESK_BIND"),
            ("PEERDESK_SESSION_IDLE_MINUTES", "0", "PEERDESK_SESSION_IDLE_MINUTES"),
            ("PEERDESK_SESSION_IDLE_SECONDS", "4", "from 5 to"),
            ("PEERDESK_BEHIND_HTTPS_PROXY", "maybe", "PEERDESK_BEHIND_HTTPS_PROXY"),
            ("PEERDESK_SECRET_KEY", "short", "PEERDESK_SECRET_KEY"),
            ("PEERDESK_PAGE_CACHE_MB", "4097", "from 0 to 4096"),
            ("PEERDESK_PAGE_CACHE_MB", "-1", "PEERDESK_PAGE_CACHE_MB"),
            ("PEERDESK_PAGE_CACHE_MB", "lots", "PEERDESK_PAGE_CACHE_MB"),
        ] {
            let err = Config::from_sources(&env(&[(var, value)]), None).unwrap_err();
            assert!(err.0.contains(needle), "{var}={value}: {err}");
        }
    }

    #[test]
    fn secret_key_is_created_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Config::from_sources(&env(&[("PEERDESK_DATA_DIR", dir.path().to_str().unwrap())]), None).unwrap();
        c.ensure_secret_key().unwrap();
        let first = c.secret_key.clone().unwrap();
        let mut again =
            Config::from_sources(&env(&[("PEERDESK_DATA_DIR", dir.path().to_str().unwrap())]), None).unwrap();
        again.ensure_secret_key().unwrap();
        assert_eq!(again.secret_key.unwrap(), first);
        assert!(first.len() >= 32);
    }
}

//! `AppState`: what every request shares, built once at start and passed as `web::Data`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use actix_web::cookie::Key;

use crate::activity::Visits;
use crate::assets::Assets;
use crate::auth::session::{DbSessionStore, Sessions};
use crate::auth::throttle::{LoginThrottle, MemoryThrottle};
use crate::cache::pages::{PageCache, FRESH_FOR};
use crate::cache::Briefly;
use crate::config::Config;
use crate::db::{migrate, Db};
use crate::domain::access::privileges::Thresholds;
use crate::domain::site::branding::Brand;
use crate::domain::site::support::Support;
use crate::error::AppResult;
use crate::mail::compose::MailContext;
use crate::mail::Mailer;
use crate::view_counts::ViewCounts;

/// How often an instance compares its settings with the database's.
pub const SETTINGS_CHECK_EVERY: Duration = Duration::from_secs(1);

/// Shared application state. Cheap to clone (everything inside is shared).
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub sessions: Sessions,
    pub throttle: Arc<dyn LoginThrottle>,
    pub mailer: Mailer,
    pub assets: Arc<Assets>,
    /// Signs the flash cookie.
    pub cookie_key: Key,
    /// Question views waiting to be written.
    pub views: Arc<ViewCounts>,
    /// Signed-in members' visits waiting to be written (activity KPIs).
    pub visits: Arc<Visits>,
    site: Arc<RwLock<Arc<SiteSettings>>>,
    /// When this instance last compared the settings version (milliseconds since `started`).
    settings_checked: Arc<AtomicU64>,
    started: Instant,
    /// The community's median first response over the last 30 days (the ask page's promise).
    pub median_response: Arc<Briefly<Option<f64>>>,
    /// Pages rendered for anonymous visitors (`middleware::page_cache`): reading pages, and
    /// search results in a quarter of the memory of their own.
    pub pages: Arc<PageCache>,
    pub search_pages: Arc<PageCache>,
}

/// What admins set that every request reads: read from `settings` at start and after a change.
#[derive(Debug, Clone, Default)]
pub struct SiteSettings {
    /// The `settings_version` these were read under.
    pub version: i64,
    pub brand: Arc<Brand>,
    /// A digest of the brand stylesheet, to version its URL (computed once, not per page).
    pub brand_css_version: String,
    pub thresholds: Thresholds,
    pub support: Support,
    /// A demo forum's sign-ins (empty for a real one).
    pub demo_sign_ins: Vec<crate::domain::site::demo::SignIn>,
}

impl SiteSettings {
    /// From the `settings` table.
    pub fn load(conn: &mut crate::db::DbConn) -> AppResult<Self> {
        // The version first: a change that lands between the two reads is seen at the next check.
        let version = crate::models::setting::version(conn)?;
        let map = crate::models::setting::load_all(conn)?;
        let brand = Brand::from_settings(&map);
        Ok(SiteSettings {
            version,
            brand_css_version: crate::auth::tokens::hash_token(&brand.css())[..10].to_owned(),
            brand: Arc::new(brand),
            thresholds: Thresholds::from_settings(&map),
            support: Support::from_settings(&map),
            demo_sign_ins: crate::domain::site::demo::sign_ins_of(
                map.get(crate::domain::site::demo::SIGN_INS_KEY).map(String::as_str),
            ),
        })
    }
}

/// Why the server or a command could not start: the configuration, or the database or mail
/// set-up (one line saying what is wrong).
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("{0}")]
    Setup(String),
    #[error(transparent)]
    Database(#[from] crate::error::SetupError),
}

impl From<String> for StartupError {
    fn from(message: String) -> Self {
        StartupError::Setup(message)
    }
}

impl From<StartupError> for String {
    fn from(e: StartupError) -> String {
        e.to_string()
    }
}

impl AppState {
    /// Connects to the database, applies pending migrations, and loads the brand.
    /// Every failure is one line saying what is wrong.
    pub fn build(mut config: Config) -> Result<Self, StartupError> {
        config.ensure_secret_key()?;
        let db = Db::connect(config.database.clone(), config.db_pool_size)?;
        let site = {
            let mut conn = db.get().map_err(|e| e.to_string())?;
            for name in upgrade(&mut conn)? {
                tracing::info!(migration = %name, "applied migration");
            }
            crate::domain::badges::awards::ensure_catalogue(&mut conn, crate::db::now())
                .map_err(|e| format!("cannot set up the badges: {e}"))?;
            SiteSettings::load(&mut conn).map_err(|e| format!("cannot read settings: {e}"))?
        };
        let mailer = Mailer::from_config(&config.mail)?;
        let sessions = Sessions::new(
            Arc::new(DbSessionStore::new(db.clone())),
            config.session_idle_seconds,
            config.session_remember_days,
        );
        let throttle = Arc::new(MemoryThrottle::new(
            config.login_attempts_per_account,
            config.login_attempts_per_ip,
        ));
        let cookie_key = Key::derive_from(config.secret());
        let budget = config.page_cache_mb * 1024 * 1024;
        let pages = Arc::new(PageCache::new(budget - budget / 4, FRESH_FOR));
        let search_pages = Arc::new(PageCache::new(budget / 4, FRESH_FOR));
        Ok(AppState {
            config: Arc::new(config),
            db,
            sessions,
            throttle,
            mailer,
            assets: Arc::new(Assets::load()),
            cookie_key,
            views: Arc::new(ViewCounts::default()),
            visits: Arc::new(Visits::default()),
            site: Arc::new(RwLock::new(Arc::new(site))),
            settings_checked: Arc::new(AtomicU64::new(0)),
            started: Instant::now(),
            median_response: Arc::new(Briefly::new(std::time::Duration::from_secs(60))),
            pages,
            search_pages,
        })
    }

    /// The current site settings.
    pub fn site(&self) -> Arc<SiteSettings> {
        match self.site.read() {
            Ok(b) => b.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The current brand.
    pub fn brand(&self) -> Arc<Brand> {
        self.site().brand.clone()
    }

    /// The current reputation thresholds.
    pub fn thresholds(&self) -> Thresholds {
        self.site().thresholds
    }

    /// Re-reads the settings after an admin changed them.
    pub async fn reload_settings(&self) -> AppResult<()> {
        let site = self.db.run(SiteSettings::load).await?;
        self.install(site);
        Ok(())
    }

    fn install(&self, site: SiteSettings) {
        match self.site.write() {
            Ok(mut b) => *b = Arc::new(site),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(site),
        }
        // Pages rendered under the old settings (by this instance, in the moment before it
        // knew) must not outlive them.
        self.pages.clear();
        self.search_pages.clear();
    }

    /// Picks up a settings change saved on another instance: at most once every
    /// `SETTINGS_CHECK_EVERY` per instance, one read of the version, and a reload when it moved.
    pub async fn follow_settings(&self) {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.settings_checked.load(Ordering::Relaxed);
        let every = SETTINGS_CHECK_EVERY.as_millis() as u64;
        if now.saturating_sub(last) < every
            || self
                .settings_checked
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        let seen = self.site().version;
        let site = self
            .db
            .run(move |c| {
                let v = crate::models::setting::version(c)?;
                if v == seen {
                    Ok(None)
                } else {
                    SiteSettings::load(c).map(Some)
                }
            })
            .await;
        match site {
            Ok(Some(site)) => {
                tracing::info!(version = site.version, "settings changed on another instance: reloaded");
                self.install(site);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot check the settings version"),
        }
    }

    /// Site name and base URL for emails.
    pub fn mail_context(&self) -> MailContext {
        MailContext {
            site_name: self.brand().site_name.clone(),
            base_url: self.config.base_url.clone(),
        }
    }

    /// The host part of the base URL (for Message-IDs).
    pub fn mail_host(&self) -> String {
        url::Url::parse(&self.config.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "localhost".into())
    }
}

/// Applies pending migrations and the data work some of them need; the names applied.
pub fn upgrade(conn: &mut crate::db::DbConn) -> Result<Vec<String>, crate::error::SetupError> {
    let applied = migrate::run_pending(conn).map_err(|e| format!("database migration failed: {e}"))?;
    // KPI facts arrived with these migrations: compute them for the questions there are.
    if applied
        .iter()
        .any(|m| m.starts_with("20261201000011") || m.starts_with("20261201000013"))
    {
        let n = crate::domain::qa::posting::refresh_all_facts(conn)
            .map_err(|e| format!("cannot compute the KPI facts: {e}"))?;
        tracing::info!(questions = n, "computed KPI facts");
    }
    let now = crate::db::now();
    if let Some(n) = crate::domain::site::rendering::rerender_if_stale(conn, now)
        .map_err(|e| format!("cannot re-render the stored posts: {e}"))?
    {
        tracing::info!(rows = n, "re-rendered stored HTML for the current Markdown renderer");
    }
    Ok(applied)
}

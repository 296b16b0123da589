//! `AppState`: what every request shares, built once at start and passed as `web::Data`.

use std::sync::{Arc, RwLock};

use actix_web::cookie::Key;

use crate::assets::Assets;
use crate::auth::session::{DbSessionStore, Sessions};
use crate::auth::throttle::{LoginThrottle, MemoryThrottle};
use crate::config::Config;
use crate::db::{migrate, Db};
use crate::domain::branding::Brand;
use crate::error::AppResult;
use crate::mail::compose::MailContext;
use crate::mail::Mailer;
use crate::view_counts::ViewCounts;

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
    brand: Arc<RwLock<Arc<Brand>>>,
}

impl AppState {
    /// Connects to the database, applies pending migrations, and loads the brand.
    /// Every failure is one line saying what is wrong.
    pub fn build(mut config: Config) -> Result<Self, String> {
        config.ensure_secret_key()?;
        let db = Db::connect(config.database.clone(), config.db_pool_size)?;
        let brand = {
            let mut conn = db.get().map_err(|e| e.to_string())?;
            let applied = migrate::run_pending(&mut conn).map_err(|e| format!("database migration failed: {e}"))?;
            for name in applied {
                tracing::info!(migration = %name, "applied migration");
            }
            Brand::load(&mut conn).map_err(|e| format!("cannot read settings: {e}"))?
        };
        let mailer = Mailer::from_config(&config.mail)?;
        let sessions = Sessions::new(
            Arc::new(DbSessionStore::new(db.clone())),
            config.session_idle_minutes,
            config.session_remember_days,
        );
        let throttle = Arc::new(MemoryThrottle::new(
            config.login_attempts_per_account,
            config.login_attempts_per_ip,
        ));
        let cookie_key = Key::derive_from(config.secret());
        Ok(AppState {
            config: Arc::new(config),
            db,
            sessions,
            throttle,
            mailer,
            assets: Arc::new(Assets::load()),
            cookie_key,
            views: Arc::new(ViewCounts::default()),
            brand: Arc::new(RwLock::new(Arc::new(brand))),
        })
    }

    /// The current brand.
    pub fn brand(&self) -> Arc<Brand> {
        match self.brand.read() {
            Ok(b) => b.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Re-reads the brand after settings change.
    pub async fn reload_brand(&self) -> AppResult<()> {
        let brand = self.db.run(Brand::load).await?;
        match self.brand.write() {
            Ok(mut b) => *b = Arc::new(brand),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(brand),
        }
        Ok(())
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

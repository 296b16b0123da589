//! One-shot messages carried to the next page in a signed cookie (no session needed, so anonymous
//! visitors get them too, and nobody can forge one).

use actix_web::cookie::{Cookie, CookieJar, Key, SameSite};
use actix_web::{HttpMessage, HttpRequest};
use serde::{Deserialize, Serialize};

/// Cookie name.
pub const COOKIE: &str = "peerdesk_flash";

/// A message and its tone.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Flash {
    /// `success`, `info` or `error` (also the CSS class).
    pub kind: String,
    pub message: String,
}

impl Flash {
    /// Something worked.
    pub fn success(message: impl Into<String>) -> Self {
        Flash {
            kind: "success".into(),
            message: message.into(),
        }
    }

    /// Neutral news.
    pub fn info(message: impl Into<String>) -> Self {
        Flash {
            kind: "info".into(),
            message: message.into(),
        }
    }

    /// Something failed.
    pub fn error(message: impl Into<String>) -> Self {
        Flash {
            kind: "error".into(),
            message: message.into(),
        }
    }
}

/// The signed cookie carrying `flash`.
pub fn cookie(key: &Key, flash: &Flash) -> Cookie<'static> {
    let mut jar = CookieJar::new();
    let value = serde_json::to_string(flash).unwrap_or_default();
    jar.signed_mut(key).add(
        Cookie::build(COOKIE, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .finish(),
    );
    jar.delta().next().cloned().unwrap_or_else(|| Cookie::new(COOKIE, ""))
}

/// A cookie that deletes the flash.
pub fn removal() -> Cookie<'static> {
    let mut c = Cookie::build(COOKIE, "").path("/").finish();
    c.make_removal();
    c
}

/// The flash for this request's page: one the session layer put there for this very response, else
/// the cookie's, if present and correctly signed.
pub fn read(req: &HttpRequest, key: &Key) -> Option<Flash> {
    if let Some(now) = req.extensions().get::<Flash>() {
        return Some(now.clone());
    }
    let raw = req.cookie(COOKIE)?;
    let mut jar = CookieJar::new();
    jar.add_original(raw);
    let verified = jar.signed(key).get(COOKIE)?;
    serde_json::from_str(verified.value()).ok()
}

//! Authentication: who the request is (sessions, tokens, the user extractors) and the guards
//! around it (passwords, CSRF, login throttling). What a user may do is `domain::access`.

pub mod csrf;
pub mod extract;
pub mod password;
pub mod session;
pub mod throttle;
pub mod tokens;

pub use extract::{CurrentUser, MaybeUser};

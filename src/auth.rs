//! Authentication and authorisation: who the request is (sessions), what they may do (permissions),
//! and the guards around it (passwords, CSRF, login throttling).

pub mod csrf;
pub mod extract;
pub mod password;
pub mod permissions;
pub mod session;
pub mod throttle;
pub mod tokens;

pub use extract::{CurrentUser, MaybeUser};
pub use permissions::{Permission, PermissionSet, Role};

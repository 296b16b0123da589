//! Members: their accounts and what they show of themselves.
//!
//! - `accounts`: sign-up, verification, login, password reset and change, email change.
//! - `profiles`: display name, bio, location, website, flair; `avatars`: uploaded images (the
//!   people pages read through `queries::people`).
//! - `api_tokens`: personal access tokens for the JSON API.
//! - `user_admin`: roles, single permissions and suspensions, changed by staff.

pub mod accounts;
pub mod api_tokens;
pub mod avatars;
pub mod profiles;
pub mod user_admin;

//! The rules of the product, free of the web framework and tested directly.

pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod avatars;
pub mod badge_history;
pub mod badges;
pub mod branding;
pub mod categories;
pub mod demo;
pub mod editing;
pub mod fields;
pub mod import;
pub mod listing;
pub mod manual_badges;
pub mod notifications;
pub mod people;
pub mod posting;
pub mod privileges;
pub mod profiles;
pub mod reputation;
pub mod search;
pub mod tags;
pub mod thread;
pub mod thread_state;
pub mod user_admin;
pub mod voting;

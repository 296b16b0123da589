//! One module per table: the row struct, its insert form, and queries that take the connection first.

pub mod activity;
pub mod answer;
pub mod api_token;
pub mod audit;
pub mod avatar;
pub mod badge;
pub mod category;
pub mod comment;
pub mod content_generation;
pub mod follow;
pub mod notification;
pub mod outbox;
pub mod question;
pub mod reputation_event;
pub mod revision;
pub mod session;
pub mod setting;
pub mod stored_html;
pub mod survey;
pub mod suspension;
pub mod tag;
pub mod user;
pub mod user_permission;
pub mod user_token;
pub mod vote;

//! One module per table: the row struct, its insert form, and queries that take the connection first.

pub mod audit;
pub mod outbox;
pub mod session;
pub mod setting;
pub mod suspension;
pub mod user;
pub mod user_permission;
pub mod user_token;

//! The rules of the product, free of the web framework and tested directly.

pub mod accounts;
pub mod audit;
pub mod branding;
pub mod fields;
pub mod user_admin;

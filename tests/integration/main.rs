//! The integration suite: drives the real actix app over real HTTP against a fresh database per
//! test — a SQLite file, or a PostgreSQL schema when PEERDESK_TEST_DATABASE_URL is set.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a panic in a test is a failing test; clippy.toml exempts only #[test] functions, not their helpers"
)]

mod common;

mod abilities;
mod accounts;
mod admin;
mod api;
mod api_errors;
mod api_tokens;
mod architecture;
mod audit;
mod badges;
mod cli;
mod csrf;
mod demo;
mod editing;
mod import;
mod kpis;
mod mail;
mod migrations;
mod page_cache;
mod profiles;
mod questions;
mod rendering;
mod reputation;
mod reputation_model;
mod search;
mod sessions;
mod shell;
mod support;
mod surveys;
mod visibility;
mod voting;
mod xss;

//! PeerDesk: a self-hosted, branded peer-to-peer customer support community.
//!
//! Map of the crate:
//! - `config`: the one typed configuration; `state`: what every handler shares.
//! - `db`: SQLite or PostgreSQL through one connection type, migrations, schema, ids;
//!   `db::backend` is the only place that tells the backends apart.
//! - `models`: one module per table; `queries`: the read models of the busiest pages.
//!   `domain`: the rules, free of the web framework.
//! - `auth`: sessions, passwords, CSRF, throttling, and the user extractors (who the request is;
//!   what they may do is `domain::access`).
//! - `routes` (the one route table and `build_app`), `handlers`, `views`, `middleware`: the web
//!   layer, thin by design; `web`: request helpers they share. `assets`: files compiled into
//!   the binary. `seed`: generated communities (demo, load test).
//! - `mail`: transports, templated messages and the durable outbox; `tasks`: background loops.

pub mod activity;
pub mod assets;
pub mod auth;
pub mod cache;
pub mod config;
pub mod csv_export;
pub mod db;
pub mod domain;
pub mod error;
pub mod handlers;
pub mod mail;
pub mod markdown;
pub mod memory;
pub mod middleware;
pub mod models;
pub mod queries;
pub mod routes;
pub mod seed;
pub mod state;
pub mod tasks;
pub mod view_counts;
pub mod views;
pub mod web;

pub use routes::build_app;
pub use state::AppState;

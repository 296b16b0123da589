//! Site settings admins change (DESIGN §10).
//!
//! - `branding`: name, tagline and colours (checked for contrast).
//! - `support`: operating hours, time zone, holidays and the SLA target.
//! - `business_time`: business minutes between two instants and the instant N business minutes
//!   after another, over those hours.
//! - `demo`: a demo forum's sign-ins, which the home page names.
//! - `rendering`: stored HTML made again when the Markdown renderer changes.

pub mod branding;
pub mod business_time;
pub mod demo;
pub mod rendering;
pub mod support;

//! Badges (DESIGN §5).
//!
//! - `awards`: the default catalogue and its rules, awarded in the transaction of the event
//!   that earns them.
//! - `history`: every rule evaluated over stored history (imports, recomputes).
//! - `manual`: badges staff create, grant and revoke.

pub mod awards;
pub mod history;
pub mod manual;

//! Access: what a member may do beyond their role (privileges earned by reputation, from the
//! thresholds admins configure), and the audit log every privileged action writes.
//!
//! - `abilities`: what one person may do in one thread (answer, comment, vote, accept, edit,
//!   delete, close, lock, acknowledge), decided once for the page's buttons and the writes alike.
//! - `visibility`: what a viewer may see — the one rule every page, list and feed decides by
//!   (its SQL form is `db::visibility`).
//! - `permissions`: roles as DESIGN §2 bundles them, single permissions, per-user overrides.
//! - `privileges`: thresholds, reputation-earned permissions, the pre-moderation hook and
//!   contributor status.
//! - `audit`: writing the audit log, in the action's own transaction.
//! - `audit_log`: reading it: filters, a page with its targets named, CSV.

pub mod abilities;
pub mod audit;
pub mod audit_log;
pub mod permissions;
pub mod privileges;
pub mod visibility;

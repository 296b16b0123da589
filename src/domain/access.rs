//! Access: what a member may do beyond their role (privileges earned by reputation, from the
//! thresholds admins configure), and the audit log every privileged action writes.
//!
//! - `abilities`: what one person may do in one thread (answer, comment, vote, accept, edit,
//!   delete, close, lock, acknowledge), decided once for the page's buttons and the writes alike.
//! - `privileges`: thresholds, reputation-earned permissions, the pre-moderation hook and
//!   contributor status.
//! - `audit`: writing the audit log, in the action's own transaction.

pub mod abilities;
pub mod audit;
pub mod privileges;

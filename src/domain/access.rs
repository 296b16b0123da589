//! Access: what a member may do beyond their role (privileges earned by reputation, from the
//! thresholds admins configure), and the audit log every privileged action writes.
//!
//! - `privileges`: thresholds, reputation-earned permissions, the pre-moderation hook and
//!   contributor status.
//! - `audit`: writing the audit log, in the action's own transaction.

pub mod audit;
pub mod privileges;

//! Generated communities, written as import files and loaded through `domain::import`: the
//! living sample community of `--demo` (`demo`) and the load-test community of `peerdesk seed`
//! (`load_community`). Not product rules: nothing in `domain` depends on them.

pub mod demo;
pub mod load_community;

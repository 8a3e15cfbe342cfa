//! Groups (spec analytics-v2-sharing.md §9): a workspace's groups of its users, which views can
//! be shared with, and their members.

pub mod handlers;
pub mod request;
pub mod wire;

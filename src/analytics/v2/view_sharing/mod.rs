//! View sharing (spec analytics-v2-sharing.md §7): the workspace's shared details, share,
//! update, remove, shared details for views, and the caller's own permissions on a view. The
//! same shares v1 SHARE, REMOVESHARE and GETSHAREINFO work on.

pub mod handlers;
pub mod request;
pub mod wire;

//! SHARE and REMOVESHARE on a workspace's views (spec analytics-v2-sharing.md §10.1, §10.2),
//! over the same shares the v2 API reads and writes.

pub mod handlers;
pub mod request;
pub mod wire;

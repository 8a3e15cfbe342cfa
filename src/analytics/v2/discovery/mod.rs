//! Discovery (spec analytics-v2-sharing.md §5): the caller's org, its workspaces (all, owned,
//! shared), one workspace, and a workspace's views. What every client calls first, to learn
//! the org id and the workspace and view ids.

pub mod handlers;
pub mod request;
pub mod wire;

//! Workspace users (spec analytics-v2-sharing.md §8.1 to §8.5): list, add with a role, remove,
//! deactivate and activate, change the role. The same `users`, `admins` and `inactive_users`
//! every other Analytics API reads.

pub mod handlers;
pub mod request;
pub mod wire;

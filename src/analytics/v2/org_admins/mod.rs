//! Org admins (spec analytics-v2-sharing.md §8.6): the emails of the org's users whose
//! Analytics role is `ORGADMIN`, for Account Admins.

pub mod handlers;
pub mod wire;

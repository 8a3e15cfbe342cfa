//! Workspace admins (spec analytics-v2-sharing.md §6): the same `admins` list as v1 ADDDBOWNER
//! and REMOVEDBOWNER, read and changed by Account Admins, Org Admins and the owner.

pub mod handlers;
pub mod request;
pub mod wire;

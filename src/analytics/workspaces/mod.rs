//! The org's Analytics workspaces: the state the v1 API (and, later, the v2 API with views,
//! folders, groups and shares) works on.

pub mod fixture;
pub mod model;

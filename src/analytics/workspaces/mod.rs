//! The org's Analytics workspaces: the one state the v1 and v2 APIs both read and write
//! (`model`), the permission keys of a view share (`permissions`), who may do what
//! (`access`, the effective-permission model) and the fixture section (`fixture`).

pub mod access;
pub mod fixture;
pub mod model;
pub mod permissions;

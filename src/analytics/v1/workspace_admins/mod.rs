//! REMOVEDBOWNER, ADDDBOWNER and GETSHAREINFO on a workspace.

pub mod handlers;
pub mod request;
pub mod wire;

//! `GET/POST/PUT/DELETE /crm/{v}/{module}/{record_id}/actions/share`: list, add (merge),
//! replace and revoke a record's shares (spec crm-record-sharing.md).

pub mod fixture;
pub mod handlers;
pub mod model;
pub mod request;
pub mod wire;

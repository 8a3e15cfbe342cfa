//! `GET/POST/PUT/DELETE /crm/{v}/{module}/{record_id}/actions/share`.

pub mod handlers;
pub mod model;

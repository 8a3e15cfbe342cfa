//! CRM records: the org's records and custom modules (`model`, `fixture`), and the Records
//! API over them (`handlers`, `request`, `wire`; spec crm-records-and-access.md), which asks
//! the access model for every level it enforces.

pub mod fixture;
pub mod handlers;
pub mod model;
pub mod request;
pub mod wire;

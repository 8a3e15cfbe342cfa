//! CRM records: the org's records and custom modules. Today only what sharing needs (module,
//! owner); the Records API (`handlers`, `request`, `wire` beside this model) comes later.

pub mod fixture;
pub mod model;

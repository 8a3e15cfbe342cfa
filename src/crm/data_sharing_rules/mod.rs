//! `/crm/{v}/settings/data_sharing/rules...` and `/crm/{v}/settings/data_sharing`.

pub mod handlers;
pub mod model;

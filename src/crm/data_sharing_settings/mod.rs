//! CRM data sharing settings: `GET` and `PUT /crm/{v}/settings/data_sharing` (spec
//! crm-data-sharing-rules.md §7), the org-wide default access per module.

pub mod fixture;
pub mod handlers;
pub mod model;
pub mod request;
pub mod wire;

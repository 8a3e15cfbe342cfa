//! CRM data sharing rules: `/crm/{v}/settings/data_sharing/rules...` (spec
//! crm-data-sharing-rules.md). `model` owns the rules, their status transitions, the
//! per-module computation flag and the summary; `request` reads a rule body item; `wire`
//! renders; `handlers` walk the processing order.

pub mod fixture;
pub mod handlers;
pub mod model;
pub mod request;
pub mod wire;

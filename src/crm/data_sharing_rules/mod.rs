//! CRM data sharing rules and data sharing settings: `/crm/{v}/settings/data_sharing` and
//! `/crm/{v}/settings/data_sharing/rules...` (spec crm-data-sharing-rules.md).
//!
//! `model` owns the rules, their status transitions, the per-module computation flag and the
//! summary; `draft` and `criteria` check a rule body item; `settings` owns the per-module share
//! types; `wire` renders; `handlers` walk the processing order.

pub mod criteria;
pub mod draft;
pub mod handlers;
pub mod model;
pub mod settings;
pub mod wire;

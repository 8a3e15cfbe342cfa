//! The CRM's discovery calls that SDK code makes to find ids: `GET /crm/{v}/settings/roles`,
//! `/settings/user_groups` (with a group's sources and source counts) and `/settings/profiles`
//! (spec crm-settings-and-search.md §3-§5). They read the tenant's directory (and the org's
//! modules, for a profile's permissions) and change nothing; this area has no state of its own.

pub mod handlers;
pub mod request;
pub mod wire;

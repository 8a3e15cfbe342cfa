//! zoho-sharing-mock: a stateful local simulator of Zoho CRM record sharing and data sharing
//! rules, and of Zoho Analytics workspace admins, with Zoho's exact rules, status codes and
//! bodies.
//!
//! Module map:
//! - `crm`: the CRM API (`record_sharing`, `data_sharing_rules`, users and org);
//! - `analytics`: the Analytics v1 API (`workspace_admins`);
//! - `oauth`: the accounts server; `admin`: the `/__admin` API;
//! - `tenant`: what one org owns; `store`: the one lock, fixtures, persistence;
//! - `auth`: the `Zoho-oauthtoken` caller and scope grammar; `clock`: the mock's clock;
//! - `journal`, `faults`: the test-harness controls; `app`, `server`: wiring and startup.

pub mod admin;
pub mod analytics;
pub mod app;
pub mod app_state;
pub mod auth;
pub mod body;
pub mod clock;
pub mod config;
pub mod crm;
pub mod family;
pub mod faults;
pub mod form;
pub mod healthcheck;
pub mod ids;
pub mod journal;
pub mod json_doc;
pub mod oauth;
pub mod response;
pub mod server;
pub mod store;
pub mod tenant;

pub use app::build_app;
pub use app_state::AppState;
pub use config::Config;
pub use server::{MockServer, MockServerBuilder, StartError};

//! zoho-sharing-mock: a stateful local simulator of Zoho CRM record sharing and data sharing
//! rules, and of Zoho Analytics workspace admins, with Zoho's exact rules, status codes and
//! bodies.
//!
//! The library is what the binary runs, and what a Rust test suite embeds: start a
//! [`MockServer`] (the embedded sandbox on an ephemeral port by default), point the Zoho
//! client under test at [`MockServer::base_url`], drop the server when done. Every server has
//! its own state, so tests run in parallel.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use zoho_sharing_mock::MockServer;
//!
//! let mock = MockServer::builder().journal_size(100).start().await?;
//! let client = reqwest::Client::builder().no_proxy().build()?;
//! let reply = client
//!     .get(format!("{}/crm/v8/Deals/4150868000001148250/actions/share", mock.base_url()))
//!     .header("Authorization", "Zoho-oauthtoken 1000.sandbox.admin")
//!     .send()
//!     .await?;
//! assert_eq!(reply.status(), 200);
//! mock.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! With the default `cli` feature the crate also carries what the binary needs (flag parsing,
//! log output, its allocator, the `healthcheck` subcommand); depend on it with
//! `default-features = false` to embed the mock without them.
//!
//! The modules behind this API are private; `ARCHITECTURE.md` maps them.

#![warn(missing_docs)]

mod admin;
mod analytics;
mod app;
mod app_state;
mod auth;
mod body;
mod clock;
#[cfg(feature = "cli")]
mod config;
mod crm;
mod defaults;
mod dirty;
mod family;
mod faults;
mod form;
#[cfg(feature = "cli")]
pub mod healthcheck;
mod ids;
mod journal;
mod json_doc;
mod oauth;
mod org_numbers;
mod request_log;
mod response;
mod server;
mod store;
mod str_enum;
mod tenant;
#[cfg(feature = "tls")]
mod tls;

#[cfg(feature = "cli")]
pub use config::{Cli, Command, Config, LogFormat};
pub use json_doc::FixtureError;
pub use request_log::{BatchedLog, BatchedLogGuard, write_text_lines_to};
pub use server::{MockServer, MockServerBuilder, StartError};

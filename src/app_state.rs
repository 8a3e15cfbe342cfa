//! `AppState`: everything one running mock owns. Built per `MockServer`, never global, so
//! parallel tests each get their own state.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use crate::clock::Clock;
use crate::faults::Faults;
use crate::journal::Journal;
use crate::store::Store;
use crate::store::copy::OrgTemplate;
use crate::store::fixture::StateDoc;
use crate::store::snapshots::Snapshots;
use crate::store::world::World;

#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub store: Store,
    pub clock: Arc<Clock>,
    pub journal: Journal,
    pub faults: Faults,
    /// Saved states; reset and state import leave them alone.
    pub snapshots: Snapshots,
    pub settings: Settings,
    /// The startup fixture (`--fixtures`, else the embedded sandbox): what reset restores and
    /// what `POST /__admin/orgs` with an empty body copies.
    pub startup: StateDoc,
    /// The startup fixture's first org loaded once, on the first copy (`None`: copies load the
    /// document, `store::copy`).
    pub startup_copy: OnceLock<Option<OrgTemplate>>,
}

#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub admin_token: Option<String>,
    pub rule_computation_ms: u64,
    /// `http://HOST:PORT` of the listener, for `api_domain` when a request has no `Host`.
    pub base_url: String,
    /// What `GET /__admin/certs/ca.pem` serves: the HTTPS listener's CA certificate (or the
    /// given chain); `None` without an HTTPS listener.
    pub ca_pem: Option<String>,
    /// The names (lower-case, without port) besides loopback ones that admin requests may
    /// carry as their `Host`, and their `Origin` as its host: the bind host, the TLS names and
    /// `--admin-host` names.
    pub admin_hosts: Vec<String>,
    /// `--body-timeout-ms`; `None`: no limit.
    pub body_timeout: Option<std::time::Duration>,
}

/// A request extension set on every request that came in over the HTTPS listener, so an
/// answer that names the mock's own URL (OAuth's `api_domain`) names it with `https`.
#[derive(Clone, Copy, Debug)]
pub struct ViaTls;

impl AppState {
    pub fn new(inner: Inner) -> Self {
        AppState(Arc::new(inner))
    }

    pub fn base_url(&self) -> String {
        self.settings.base_url.clone()
    }

    /// Back to the startup fixture; clears journal and faults; the clock returns to real time.
    pub fn reset(&self) {
        self.clock.reset_to_real_time();
        // The startup document was validated when the server started.
        match World::from_doc(self.startup.clone(), self.clock.now()) {
            Ok(world) => self.store.replace(world),
            Err(err) => tracing::error!(error = %err, "the startup fixture no longer loads"),
        }
        self.journal.clear();
        self.faults.clear();
    }
}

impl Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

//! `MockServer`: load the fixture (and state file), bind, serve (both listeners through the
//! connection loop of `app.rs`), shut down gracefully within a bound.
//! The binary and the in-process API (DESIGN §7) both start the mock through here.

use std::borrow::Cow;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::{Timeouts, build_app, serve_connections};
use crate::app_state::{AppState, Inner, Settings};
use crate::clock::Clock;
#[cfg(feature = "cli")]
use crate::config::Config;
use crate::defaults;
use crate::faults::Faults;
use crate::journal::Journal;
use crate::json_doc::FixtureError;
use crate::store::Store;
use crate::store::fixture::{SANDBOX_JSON, StateDoc, parse_state};
use crate::store::rows;
use crate::store::snapshots::Snapshots;
use crate::store::sqlite::{OpenError, StateFile};
use crate::store::world::World;

/// Why [`MockServerBuilder::start`] could not start the mock. The binary prints it and exits 2.
#[derive(Debug)]
pub enum StartError {
    /// The fixture document does not load.
    Fixture {
        /// The fixture's path, `(embedded sandbox)` or `(inline JSON)`.
        source: String,
        /// The first problem, with its JSON path.
        error: FixtureError,
    },
    /// The state file holds a state that does not load.
    StateFile {
        /// The state file.
        path: PathBuf,
        /// The first problem, with its JSON path in the state document the file's rows make.
        error: FixtureError,
    },
    /// The state file cannot be created, opened for writing, or read as this mock's state
    /// (not an SQLite database, another program's, an unknown format).
    StateFileUnusable {
        /// The state file.
        path: PathBuf,
        /// Why.
        cause: String,
    },
    /// A fixture or state file cannot be read.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The address cannot be bound.
    Bind {
        /// `HOST:PORT` as given.
        address: String,
        /// Why.
        error: std::io::Error,
    },
    /// The HTTPS listener cannot be set up: a certificate or key file that does not read, a
    /// name that cannot be in a certificate, settings that do not go together.
    Tls {
        /// What is wrong, naming the file or setting.
        message: String,
    },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Fixture { source, error } => write!(f, "invalid fixture {source}: {error}"),
            StartError::StateFile { path, error } => {
                write!(f, "invalid state file {}: {error}", path.display())
            }
            StartError::StateFileUnusable { path, cause } => {
                write!(f, "cannot use state file {}: {cause}", path.display())
            }
            StartError::Read { path, error } => {
                write!(f, "cannot read {}: {error}", path.display())
            }
            StartError::Bind { address, error } => write!(f, "cannot listen on {address}: {error}"),
            StartError::Tls { message } => write!(f, "cannot serve HTTPS: {message}"),
        }
    }
}

impl std::error::Error for StartError {}

#[derive(Clone, Debug)]
enum FixtureSource {
    Sandbox,
    Path(PathBuf),
    Json(String),
}

/// The HTTPS listener's settings (DESIGN §1 `--tls-*`).
#[cfg(feature = "tls")]
#[derive(Clone, Debug, Default)]
struct TlsOptions {
    port: Option<u16>,
    files: Option<(PathBuf, PathBuf)>,
    names: Vec<String>,
}

/// How to start a mock: fixture, address, state file and harness settings. Every setting has a
/// default, so `MockServer::builder().start()` runs the embedded sandbox on an ephemeral port
/// of 127.0.0.1.
#[derive(Clone, Debug)]
pub struct MockServerBuilder {
    host: String,
    port: u16,
    fixtures: FixtureSource,
    state_file: Option<PathBuf>,
    admin_token: Option<String>,
    journal_size: usize,
    journal_bytes: usize,
    rule_computation_ms: u64,
    timeouts: Timeouts,
    admin_hosts: Vec<String>,
    fail_commits: Option<Arc<AtomicBool>>,
    #[cfg(feature = "tls")]
    tls: TlsOptions,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            host: defaults::HOST.into(),
            port: 0,
            fixtures: FixtureSource::Sandbox,
            state_file: None,
            admin_token: None,
            journal_size: defaults::JOURNAL_SIZE,
            journal_bytes: defaults::JOURNAL_BYTES,
            rule_computation_ms: defaults::RULE_COMPUTATION_MS,
            timeouts: Timeouts::default(),
            admin_hosts: Vec::new(),
            fail_commits: None,
            #[cfg(feature = "tls")]
            tls: TlsOptions::default(),
        }
    }
}

impl MockServerBuilder {
    /// The settings of the command line (what the binary starts).
    #[cfg(feature = "cli")]
    pub fn from_config(config: &Config) -> Self {
        MockServerBuilder {
            host: config.host.clone(),
            port: config.port,
            fixtures: config
                .fixtures
                .clone()
                .map_or(FixtureSource::Sandbox, FixtureSource::Path),
            state_file: config.state_file.clone(),
            admin_token: config.admin_token.clone(),
            journal_size: config.journal_size,
            journal_bytes: config.journal_bytes,
            rule_computation_ms: config.rule_computation_ms,
            timeouts: Timeouts {
                header: millis(config.header_timeout_ms),
                body: millis(config.body_timeout_ms),
                shutdown: Duration::from_millis(config.shutdown_timeout_ms),
            },
            admin_hosts: config.admin_hosts.clone(),
            fail_commits: None,
            tls: TlsOptions {
                port: config.tls_port,
                files: config.tls_cert.clone().zip(config.tls_key.clone()),
                names: config.tls_names.clone(),
            },
        }
    }

    /// A fixture file (DESIGN §3) instead of the embedded sandbox; it is also what reset
    /// restores.
    pub fn fixtures_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.fixtures = FixtureSource::Path(path.into());
        self
    }

    /// A fixture document given as JSON text, instead of the embedded sandbox.
    pub fn fixtures_json(mut self, json: impl Into<String>) -> Self {
        self.fixtures = FixtureSource::Json(json.into());
        self
    }

    /// The address to bind (default `127.0.0.1`).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// The port to bind (default 0: a free port, read it back with [`MockServer::base_url`]).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Durable state in an SQLite database: loaded at start when the file exists (else the
    /// fixture is written to it), every acknowledged change committed before its answer
    /// (DESIGN §6).
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// A test hook, not part of the API: while the flag is set, every commit to the state
    /// file fails as a full or broken disk would make it fail.
    #[doc(hidden)]
    pub fn fail_commits(mut self, when: Arc<AtomicBool>) -> Self {
        self.fail_commits = Some(when);
        self
    }

    /// Makes `/__admin/*` (except health) require `Authorization: Bearer TOKEN`.
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.admin_token = Some(token.into());
        self
    }

    /// How many requests the journal keeps (default 10,000; 0 turns it off).
    pub fn journal_size(mut self, size: usize) -> Self {
        self.journal_size = size;
        self
    }

    /// How many bytes the journal holds between its entries (default 64 MiB; oldest dropped
    /// first). Each body is kept up to 64 KiB, a longer one truncated and flagged.
    pub fn journal_bytes(mut self, bytes: usize) -> Self {
        self.journal_bytes = bytes;
        self
    }

    /// How long a client may take to send a request's headers, which is also how long an idle
    /// keep-alive connection stays open (default 10 s; `None`: no limit).
    pub fn header_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeouts.header = timeout;
        self
    }

    /// How long a client may take to send a request's body once its headers are in (default
    /// 30 s; `None`: no limit). Later, the request is answered 408 and not executed.
    pub fn body_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeouts.body = timeout;
        self
    }

    /// How long [`MockServer::shutdown`] waits for requests in flight before it closes their
    /// connections (default 10 s).
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.shutdown = timeout;
        self
    }

    /// Another name the admin API answers under, besides loopback names and addresses, the
    /// host and the TLS names (a web page's request names its own host, so the admin API
    /// refuses names it was not given: DNS rebinding).
    pub fn admin_host(mut self, name: impl Into<String>) -> Self {
        self.admin_hosts.push(name.into());
        self
    }

    /// How long, on the mock's clock, a module's rule computation runs after each change of its
    /// data sharing rules (default 0: never).
    pub fn rule_computation_ms(mut self, ms: u64) -> Self {
        self.rule_computation_ms = ms;
        self
    }

    /// Also serve the same application over HTTPS on this port (0: a free one, read it back
    /// with [`MockServer::tls_base_url`]). Without [`MockServerBuilder::tls_cert_files`], a
    /// private CA and a server certificate for `localhost`, `127.0.0.1`, `::1`, the host and
    /// every [`MockServerBuilder::tls_name`] are generated at start; [`MockServer::ca_pem`]
    /// is the CA certificate to trust.
    #[cfg(feature = "tls")]
    pub fn tls_port(mut self, port: u16) -> Self {
        self.tls.port = Some(port);
        self
    }

    /// The HTTPS listener's certificate chain and private key, PEM files, instead of a
    /// generated certificate.
    #[cfg(feature = "tls")]
    pub fn tls_cert_files(mut self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.tls.files = Some((cert.into(), key.into()));
        self
    }

    /// One more DNS name (or IP address) for the generated certificate, such as
    /// `analyticsapi.zoho.com` for a client whose host is fixed.
    #[cfg(feature = "tls")]
    pub fn tls_name(mut self, name: impl Into<String>) -> Self {
        self.tls.names.push(name.into());
        self
    }

    /// The HTTPS listener, bound, with its TLS configuration; `None` without a TLS port.
    #[cfg(feature = "tls")]
    async fn bind_tls(&self) -> Result<Option<(TcpListener, crate::tls::Prepared)>, StartError> {
        use crate::tls::{CertSource, prepare};
        let tls_error = |message: &str| StartError::Tls {
            message: message.to_owned(),
        };
        let names: Vec<String> = self
            .tls
            .names
            .iter()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect();
        let Some(port) = self.tls.port else {
            if self.tls.files.is_some() || !names.is_empty() {
                return Err(tls_error(
                    "--tls-cert, --tls-key and --tls-name need --tls-port",
                ));
            }
            return Ok(None);
        };
        let source = match &self.tls.files {
            Some(_) if !names.is_empty() => {
                return Err(tls_error(
                    "--tls-name names the generated certificate; it does not go with --tls-cert",
                ));
            }
            Some((cert, key)) => CertSource::Files {
                cert: cert.clone(),
                key: key.clone(),
            },
            None => CertSource::Generated {
                host: self.host.clone(),
                names,
            },
        };
        let prepared = prepare(&source).map_err(|message| StartError::Tls { message })?;
        let address = format!("{}:{port}", self.host);
        let listener = TcpListener::bind(&address)
            .await
            .map_err(|error| StartError::Bind { address, error })?;
        Ok(Some((listener, prepared)))
    }

    /// The names admin requests may carry besides loopback ones (`Settings::admin_hosts`).
    fn allowed_admin_hosts(&self) -> Vec<String> {
        let mut names = vec![crate::admin::origin::bare_host(&self.host)];
        #[cfg(feature = "tls")]
        names.extend(
            self.tls
                .names
                .iter()
                .map(|n| crate::admin::origin::bare_host(n)),
        );
        names.extend(
            self.admin_hosts
                .iter()
                .map(|n| crate::admin::origin::bare_host(n)),
        );
        names.retain(|n| !n.is_empty());
        names.dedup();
        names
    }

    fn startup_doc(&self, clock: &Clock) -> Result<(StateDoc, World), StartError> {
        let (source, bytes) = match &self.fixtures {
            FixtureSource::Sandbox => (
                "(embedded sandbox)".to_owned(),
                Cow::Borrowed(SANDBOX_JSON.as_bytes()),
            ),
            FixtureSource::Json(json) => {
                ("(inline JSON)".to_owned(), Cow::Borrowed(json.as_bytes()))
            }
            FixtureSource::Path(path) => (
                path.display().to_string(),
                Cow::Owned(std::fs::read(path).map_err(|error| StartError::Read {
                    path: path.clone(),
                    error,
                })?),
            ),
        };
        let fixture_error = |error| StartError::Fixture {
            source: source.clone(),
            error,
        };
        let doc = parse_state(&bytes).map_err(fixture_error)?;
        // Freed before the state is built, which can then reuse the memory: the process keeps
        // what it used at its peak.
        drop(bytes);
        // The copy kept for reset shares the document's (packed) records.
        let world = World::from_doc(doc.clone(), clock.now()).map_err(fixture_error)?;
        Ok((doc, world))
    }

    /// Opens the state file and loads the state it holds (`None`: it is new).
    fn open_state_file(
        path: &Path,
        clock: &Clock,
    ) -> Result<(StateFile, Option<World>), StartError> {
        let (file, held) = StateFile::open(path).map_err(|err| match err {
            OpenError::Unusable(cause) => StartError::StateFileUnusable {
                path: path.to_owned(),
                cause,
            },
            OpenError::Invalid(error) => StartError::StateFile {
                path: path.to_owned(),
                error,
            },
        })?;
        let world =
            match held {
                Some(doc) => Some(World::from_doc(doc, clock.now()).map_err(|error| {
                    StartError::StateFile {
                        path: path.to_owned(),
                        error,
                    }
                })?),
                None => None,
            };
        Ok((file, world))
    }

    /// The startup fixture, and the store: over the state file's state, or over the fixture
    /// (then written to a new state file). The fixture is checked even when the file holds the
    /// state (reset goes back to it), on another thread while the file loads.
    fn load(&self, clock: &Arc<Clock>) -> Result<(StateDoc, Store), StartError> {
        let Some(path) = &self.state_file else {
            let (startup, world) = self.startup_doc(clock)?;
            return Ok((startup, Store::new(world)));
        };
        let (fixture, state_file) = std::thread::scope(|scope| {
            let fixture = scope.spawn(|| self.startup_doc(clock));
            let state_file = Self::open_state_file(path, clock);
            let fixture = fixture.join().unwrap_or_else(|_| {
                Err(StartError::Fixture {
                    source: "(startup)".into(),
                    error: FixtureError {
                        path: "$".into(),
                        message: "the fixture could not be loaded".into(),
                    },
                })
            });
            (fixture, state_file)
        });
        let (startup, startup_world) = fixture?;
        let (mut file, held) = state_file?;
        let world = match held {
            Some(world) => {
                // Only checked: freeing a large fixture's state need not delay serving.
                let _ = std::thread::Builder::new()
                    .name("fixture-drop".into())
                    .spawn(move || drop(startup_world));
                world
            }
            None => {
                file.initialize(&rows::whole_world(&startup_world))
                    .map_err(|cause| StartError::StateFileUnusable {
                        path: path.clone(),
                        cause,
                    })?;
                startup_world
            }
        };
        let store = Store::durable(world, file, clock.clone(), self.fail_commits.clone());
        Ok((startup, store))
    }

    /// Loads the fixture (and the state file), binds and starts serving.
    pub async fn start(self) -> Result<MockServer, StartError> {
        let clock = Arc::new(Clock::default());
        let (startup, store) = self.load(&clock)?;
        let address = format!("{}:{}", self.host, self.port);
        let bind_error = |error| StartError::Bind {
            address: address.clone(),
            error,
        };
        let listener = TcpListener::bind(&address).await.map_err(bind_error)?;
        let local = listener.local_addr().map_err(bind_error)?;
        let base_url = format!("http://{local}");
        #[cfg(feature = "tls")]
        let tls = match self.bind_tls().await? {
            Some((listener, prepared)) => {
                let tls_local = listener.local_addr().map_err(|error| StartError::Bind {
                    address: format!("{}:{}", self.host, self.tls.port.unwrap_or_default()),
                    error,
                })?;
                Some((listener, tls_local, prepared))
            }
            None => None,
        };
        #[cfg(feature = "tls")]
        let ca_pem = tls.as_ref().map(|(_, _, prepared)| prepared.ca_pem.clone());
        #[cfg(not(feature = "tls"))]
        let ca_pem = None;
        let state = AppState::new(Inner {
            store,
            clock,
            journal: Journal::new(self.journal_size, self.journal_bytes),
            faults: Faults::default(),
            snapshots: Snapshots::default(),
            settings: Settings {
                admin_token: self.admin_token.clone(),
                rule_computation_ms: self.rule_computation_ms,
                base_url: base_url.clone(),
                ca_pem,
                admin_hosts: self.allowed_admin_hosts(),
                body_timeout: self.timeouts.body,
            },
            startup,
            startup_copy: Default::default(),
        });
        let app = build_app(state.clone());
        // Both listeners stop on the same signal, each finishing its in-flight requests.
        let (shutdown, on_shutdown) = watch::channel(false);
        let mut tasks = Vec::new();
        #[allow(
            unused_mut,
            reason = "the HTTPS address is set only with the tls feature"
        )]
        let mut tls_base_url = None;
        #[cfg(feature = "tls")]
        if let Some((tls_listener, tls_local, prepared)) = tls {
            tls_base_url = Some(format!("https://{tls_local}"));
            // Answers that name the mock's own URL (OAuth's `api_domain`) say https there.
            let tls_app = app.clone().layer(axum::Extension(crate::app_state::ViaTls));
            tasks.push(tokio::spawn(crate::tls::serve(
                tls_listener,
                prepared.acceptor,
                tls_app,
                on_shutdown.clone(),
                self.timeouts,
            )));
        }
        let plain = |tcp| async move { Some(tcp) };
        tasks.push(tokio::spawn(serve_connections(
            listener,
            plain,
            app,
            on_shutdown,
            self.timeouts,
        )));
        Ok(MockServer {
            address: local,
            base_url,
            tls_base_url,
            state,
            shutdown: Some(shutdown),
            tasks,
        })
    }
}

/// A timeout in milliseconds, 0 meaning none.
#[cfg(feature = "cli")]
fn millis(ms: u64) -> Option<Duration> {
    (ms > 0).then(|| Duration::from_millis(ms))
}

/// A running mock. Dropping it shuts the server down.
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    base_url: String,
    tls_base_url: Option<String>,
    state: AppState,
    shutdown: Option<watch::Sender<bool>>,
    tasks: Vec<JoinHandle<()>>,
}

impl MockServer {
    /// The embedded sandbox on an ephemeral port of 127.0.0.1.
    ///
    /// # Panics
    /// If the loopback interface cannot be bound.
    pub async fn start() -> MockServer {
        Self::builder()
            .start()
            .await
            .unwrap_or_else(|err| panic!("the mock could not start: {err}"))
    }

    /// Every setting at its default; change some, then [`MockServerBuilder::start`].
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The address the mock listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `https://127.0.0.1:PORT` when the mock also serves HTTPS (`tls_port`), else `None`.
    pub fn tls_base_url(&self) -> Option<String> {
        self.tls_base_url.clone()
    }

    /// The PEM a client of the HTTPS listener trusts (what `GET /__admin/certs/ca.pem`
    /// answers): the generated CA certificate, or the given chain; `None` without HTTPS.
    pub fn ca_pem(&self) -> Option<String> {
        self.state.settings.ca_pem.clone()
    }

    /// Stops accepting, lets in-flight requests finish (for at most the shutdown timeout, then
    /// their connections are closed), then closes the state file (every acknowledged change is
    /// in it already).
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(true);
        }
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
        self.state.store.close();
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(true);
        }
    }
}

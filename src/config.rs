//! Every command-line flag once, each with its `ZOHO_MOCK_*` environment variable (DESIGN §1).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::defaults;

/// The command line: an optional subcommand, then the server's flags.
#[derive(Parser, Debug)]
#[command(
    name = "zoho-sharing-mock",
    version,
    about = "A stateful local simulator of Zoho CRM record sharing, data sharing rules and Zoho Analytics workspace admins"
)]
pub struct Cli {
    /// `healthcheck`, or none to run the server.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The server's settings.
    #[command(flatten)]
    pub config: Config,
}

/// A subcommand instead of running the server.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Exit 0 if the mock answers GET /__admin/health with 200, else print the cause and exit 1.
    Healthcheck {
        /// Base URL of the mock (default: the address the server would bind, from --host/--port
        /// or ZOHO_MOCK_HOST/ZOHO_MOCK_PORT; 0.0.0.0 is checked on 127.0.0.1, :: on ::1).
        url: Option<String>,
        /// Host the server binds (default: the server's --host).
        #[arg(long)]
        host: Option<String>,
        /// Port the server binds (default: the server's --port).
        #[arg(long)]
        port: Option<u16>,
    },
}

/// Every flag of the server; each doc line is its `--help` text.
#[derive(Args, Clone, Debug)]
pub struct Config {
    /// Address to bind (the Docker image sets 0.0.0.0).
    #[arg(long, env = "ZOHO_MOCK_HOST", default_value = defaults::HOST)]
    pub host: String,
    /// Port to bind; 0 picks a free port.
    #[arg(long, env = "ZOHO_MOCK_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Fixture file loaded at start and on reset (default: the embedded sandbox).
    #[arg(long, env = "ZOHO_MOCK_FIXTURES")]
    pub fixtures: Option<PathBuf>,
    /// Durable state: loaded at start if it exists, written before every acknowledged change.
    #[arg(long, env = "ZOHO_MOCK_STATE_FILE")]
    pub state_file: Option<PathBuf>,
    /// If set, /__admin/* (except health) needs `Authorization: Bearer TOKEN`.
    #[arg(long, env = "ZOHO_MOCK_ADMIN_TOKEN")]
    pub admin_token: Option<String>,
    /// One line per request via tracing; filter with RUST_LOG.
    #[arg(long, env = "ZOHO_MOCK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Newest requests kept in the journal (0 turns it off).
    #[arg(long, env = "ZOHO_MOCK_JOURNAL_SIZE", default_value_t = defaults::JOURNAL_SIZE)]
    pub journal_size: usize,
    /// Bytes the journal may hold between its entries (oldest dropped first); each body is kept
    /// up to 64 KiB, longer ones truncated and flagged.
    #[arg(long, env = "ZOHO_MOCK_JOURNAL_BYTES", default_value_t = defaults::JOURNAL_BYTES)]
    pub journal_bytes: usize,
    /// Milliseconds a client may take to send a request's headers, and an idle keep-alive
    /// connection stays open (0: no limit).
    #[arg(long, env = "ZOHO_MOCK_HEADER_TIMEOUT_MS", default_value_t = defaults::HEADER_TIMEOUT_MS)]
    pub header_timeout_ms: u64,
    /// Milliseconds a client may take to send a request's body after its headers; later, the
    /// request is answered 408 and not executed (0: no limit).
    #[arg(long, env = "ZOHO_MOCK_BODY_TIMEOUT_MS", default_value_t = defaults::BODY_TIMEOUT_MS)]
    pub body_timeout_ms: u64,
    /// Milliseconds SIGINT/SIGTERM waits for requests in flight before exiting anyway.
    #[arg(long, env = "ZOHO_MOCK_SHUTDOWN_TIMEOUT_MS", default_value_t = defaults::SHUTDOWN_TIMEOUT_MS)]
    pub shutdown_timeout_ms: u64,
    /// Another name the admin API answers under (its `Host`), besides loopback names and
    /// addresses, the --host address and the --tls-name names (repeatable;
    /// ZOHO_MOCK_ADMIN_HOSTS is comma-separated).
    #[arg(
        long = "admin-host",
        env = "ZOHO_MOCK_ADMIN_HOSTS",
        value_delimiter = ','
    )]
    pub admin_hosts: Vec<String>,
    /// After each change of a module's data sharing rules, its rule computation runs this many
    /// milliseconds on the mock's clock.
    #[arg(long, env = "ZOHO_MOCK_RULE_COMPUTATION_MS", default_value_t = defaults::RULE_COMPUTATION_MS)]
    pub rule_computation_ms: u64,
    /// Also serve the same application over HTTPS on this port (0 picks a free one).
    #[arg(long, env = "ZOHO_MOCK_TLS_PORT")]
    pub tls_port: Option<u16>,
    /// PEM certificate chain of the HTTPS listener, with --tls-key (default: a private CA and a
    /// server certificate generated at start; GET /__admin/certs/ca.pem serves the CA).
    #[arg(long, env = "ZOHO_MOCK_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, env = "ZOHO_MOCK_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Extra DNS name of the generated certificate, besides localhost, 127.0.0.1 and ::1
    /// (repeatable; ZOHO_MOCK_TLS_NAMES is comma-separated).
    #[arg(long = "tls-name", env = "ZOHO_MOCK_TLS_NAMES", value_delimiter = ',')]
    pub tls_names: Vec<String>,
}

/// How the log lines on stderr are written.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Plain text (colours only on a terminal).
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

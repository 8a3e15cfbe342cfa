//! The default of every setting that both the flags (`config.rs`) and the in-process builder
//! (`server.rs`) have, written once. The port differs on purpose (8080 for the binary, 0 for a
//! test suite), so each keeps its own.

/// The host a mock binds unless told otherwise (the Docker image sets `0.0.0.0`).
pub const HOST: &str = "127.0.0.1";
/// The number of requests the journal keeps unless told otherwise.
pub const JOURNAL_SIZE: usize = 10_000;
/// How long a rule change's computation runs unless told otherwise: not at all.
pub const RULE_COMPUTATION_MS: u64 = 0;
/// The bytes the journal may hold between its entries unless told otherwise: 64 MiB.
pub const JOURNAL_BYTES: usize = 64 * 1024 * 1024;
/// How long a client may take to send a request's headers (and how long an idle keep-alive
/// connection stays open) unless told otherwise.
pub const HEADER_TIMEOUT_MS: u64 = 10_000;
/// How long a client may take to send a request's body once its headers are in.
pub const BODY_TIMEOUT_MS: u64 = 30_000;
/// How long a graceful shutdown waits for requests in flight before it exits anyway.
pub const SHUTDOWN_TIMEOUT_MS: u64 = 10_000;

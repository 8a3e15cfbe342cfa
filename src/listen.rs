//! The connection loop of both listeners: accept, (for HTTPS) handshake, serve HTTP/1.1 with a
//! header read timeout, and on shutdown stop accepting, let requests in flight finish for at
//! most the shutdown timeout, then close what is left.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::defaults;

/// How long a client may take, and how long a shutdown waits (README "Configuration").
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// To send a request's headers; also how long an idle keep-alive connection stays open.
    /// `None`: no limit.
    pub header: Option<Duration>,
    /// To send a request's body once the headers are in (the harness and the admin body read
    /// it). `None`: no limit.
    pub body: Option<Duration>,
    /// For requests in flight to finish once shutdown begins.
    pub shutdown: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header: Some(Duration::from_millis(defaults::HEADER_TIMEOUT_MS)),
            body: Some(Duration::from_millis(defaults::BODY_TIMEOUT_MS)),
            shutdown: Duration::from_millis(defaults::SHUTDOWN_TIMEOUT_MS),
        }
    }
}

/// Serves `app` on `listener` until `stop` changes. Each accepted stream goes through
/// `handshake` (the identity for HTTP, TLS for HTTPS; `None` drops the connection).
pub async fn serve<H, F, Io>(
    listener: TcpListener,
    handshake: H,
    app: Router,
    mut stop: watch::Receiver<bool>,
    timeouts: Timeouts,
) where
    H: Fn(TcpStream) -> F,
    F: Future<Output = Option<Io>> + Send + 'static,
    Io: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.changed() => break,
        };
        // Finished connections leave the set as new ones come.
        while connections.try_join_next().is_some() {}
        let tcp = match accepted {
            Ok((tcp, _peer)) => tcp,
            Err(err) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                tracing::debug!(error = %err, "could not accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let stream = handshake(tcp);
        let service = TowerToHyperService::new(app.clone());
        // Taken before the handshake, so a shutdown waits for this connection too.
        let watcher = graceful.watcher();
        connections.spawn(async move {
            let Some(io) = stream.await else {
                return;
            };
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(timeouts.header);
            let connection = builder.serve_connection(TokioIo::new(io), service);
            if let Err(err) = watcher.watch(connection).await {
                tracing::debug!(error = %err, "a connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(timeouts.shutdown, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            timeout_ms = timeouts.shutdown.as_millis(),
            "requests still in flight after the shutdown timeout; closing their connections"
        );
    }
    connections.shutdown().await;
}

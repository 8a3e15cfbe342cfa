//! The router: CRM, accounts server, Analytics and admin on one origin, behind the harness
//! layer that buffers API bodies, applies faults and writes the journal; and the connection
//! loop that serves it on both listeners (read timeouts, bounded graceful shutdown).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body::Body as _;
use http_body_util::BodyExt;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::{Layer, Service, ServiceExt};

use crate::app_state::AppState;
use crate::body::{BufferedBody, MAX_API_BODY_BYTES};
use crate::crm::error::CrmError;
use crate::defaults;
use crate::family::Family;
use crate::faults::Fault;
use crate::ids::OrgId;
use crate::journal::Recording;
use crate::oauth::error::OAuthError;
use crate::store::durable::CommitFailed;
use crate::{admin, analytics, auth, crm, faults, oauth, request_log};

pub fn build_app(state: AppState) -> Router {
    Router::new()
        .merge(crm::routes())
        .merge(oauth::routes())
        .merge(analytics::routes())
        .nest("/__admin", admin::routes())
        .fallback(route_miss)
        .layer(HarnessLayer { app: state.clone() })
        .with_state(state)
}

/// Wraps every route (and the fallback) in [`logged`] and [`harness`]. A hand-written layer
/// rather than `middleware::from_fn`: that one re-boxes the route and maps its answer on every
/// request, which showed in the instruction count of a share update (`bench/run.py callgrind`).
#[derive(Clone)]
struct HarnessLayer {
    app: AppState,
}

impl<S> Layer<S> for HarnessLayer {
    type Service = HarnessService<S>;

    fn layer(&self, route: S) -> Self::Service {
        HarnessService {
            route,
            app: self.app.clone(),
        }
    }
}

#[derive(Clone)]
struct HarnessService<S> {
    route: S,
    app: AppState,
}

/// What the harness wraps: a route, or the fallback.
trait Inner:
    Service<Request, Response = Response, Error = Infallible, Future: Send> + Send + 'static
{
}

impl<S> Inner for S where
    S: Service<Request, Response = Response, Error = Infallible, Future: Send> + Send + 'static
{
}

impl<S: Inner + Clone> Service<Request> for HarnessService<S> {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.route.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        // The ready service goes with the request; a clone stays for the next one (tower's
        // usual swap).
        let clone = self.route.clone();
        let route = std::mem::replace(&mut self.route, clone);
        let app = self.app.clone();
        Box::pin(async move { Ok(logged(app, req, route).await) })
    }
}

/// Runs the route (readied, as tower requires; a route always is).
async fn run(route: impl Inner, req: Request) -> Response {
    match route.oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The one log line per request (`request_log`). One event and no span: a span per request
/// (what tower-http's `TraceLayer` opens) cost more than the rest of a share update.
async fn logged(app: AppState, req: Request, next: impl Inner) -> Response {
    let start = Instant::now();
    let quiet = req.uri().path() == HEALTH_PATH;
    if !request_log::enabled(quiet) {
        return harness(app, req, next).await;
    }
    let (method, uri, version) = (req.method().clone(), req.uri().clone(), req.version());
    let response = harness(app, req, next).await;
    request_log::Line {
        method: &method,
        uri: &uri,
        version,
        status: response.status().as_u16(),
        latency: start.elapsed(),
        quiet,
    }
    .write();
    response
}

const HEALTH_PATH: &str = "/__admin/health";

/// No route matches: each family's own "no such URL" answer. The accounts server answers its
/// own only under `/oauth/v2/`, Analytics v2 its bodiless 404; every other path gets the CRM's
/// (spec auth-and-errors.md §8).
async fn route_miss(uri: Uri) -> Response {
    let path = uri.path();
    match Family::of(path) {
        Family::OAuth if path.starts_with("/oauth/v2/") => OAuthError::NotFound.into_response(),
        Family::Admin => admin::error::AdminError::unknown_path(path).into_response(),
        Family::AnalyticsV2 => analytics::v2::route_miss(),
        Family::OAuth | Family::Crm | Family::Analytics => {
            CrmError::route_miss(path).into_response()
        }
    }
}

/// The answer of a fault that has a status, in the envelope of the path's family.
async fn fault_answer(
    fault: &Fault,
    status: StatusCode,
    parts: &Parts,
    body: &BufferedBody,
) -> Response {
    let path = parts.uri.path();
    match Family::of(path) {
        Family::Analytics => analytics::v1::fault_response(fault, status, parts, body).await,
        Family::AnalyticsV2 => analytics::v2::fault_response(fault, status),
        Family::OAuth => oauth::error::fault_response(fault, status),
        // Admin paths never reach the fault matcher.
        Family::Crm | Family::Admin => {
            crm::error::fault_response(fault, status, &parts.method, path)
        }
    }
}

/// The answer of a request whose change the state file could not commit (DESIGN §6): its
/// family's internal error. The committer has logged the cause and reloaded the state.
async fn not_committed(parts: &Parts, body: &BufferedBody, failed: &CommitFailed) -> Response {
    match Family::of(parts.uri.path()) {
        Family::Crm => CrmError::InternalError.into_response(),
        Family::Analytics => analytics::v1::internal_error(parts, body).await,
        Family::AnalyticsV2 => analytics::v2::internal_error(),
        Family::OAuth => OAuthError::ServerError.into_response(),
        Family::Admin => {
            admin::error::AdminError::not_committed(&failed.path, &failed.cause).into_response()
        }
    }
}

/// The request's method, URI and headers, kept for [`not_committed`] (with a state file only).
fn copy_parts(parts: &Parts) -> Parts {
    let (mut copy, ()) = Request::new(()).into_parts();
    copy.method = parts.method.clone();
    copy.uri = parts.uri.clone();
    copy.headers = parts.headers.clone();
    copy
}

/// Handles the request; with a state file, answers only once its writes are committed.
async fn handle(app: &AppState, next: impl Inner, req: Request, body: &BufferedBody) -> Response {
    if !app.store.is_durable() {
        return run(next, req).await;
    }
    Box::pin(handle_durably(app, next, req, body)).await
}

/// [`handle`] with a state file.
async fn handle_durably(
    app: &AppState,
    next: impl Inner,
    req: Request,
    body: &BufferedBody,
) -> Response {
    let (parts, request_body) = req.into_parts();
    let copy = copy_parts(&parts);
    let (response, committed) = app
        .store
        .acknowledged(run(next, Request::from_parts(parts, request_body)))
        .await;
    match committed {
        Ok(()) => response,
        Err(failed) => Box::pin(not_committed(&copy, body, &failed)).await,
    }
}

/// Admin requests pass through the admin token guard only. API requests: the body is read
/// once, then a matching fault applies (before any other check), then the request is handled
/// and journaled. With a state file, no answer leaves before the writes it reports are on
/// disk.
async fn harness(app: AppState, req: Request, next: impl Inner) -> Response {
    if Family::of(req.uri().path()) == Family::Admin {
        if let Some(refusal) = admin::guard(&app, req.method(), req.uri(), req.headers()) {
            return refusal;
        }
        return handle(&app, next, req, &BufferedBody::default()).await;
    }
    let time = app.clock.now();
    let (mut parts, body) = req.into_parts();
    let buffered = BufferedBody::read(body, MAX_API_BODY_BYTES, app.settings.body_timeout).await;
    // A request that did not fully arrive is not a request: not faulted, not journaled, never
    // executed (RFC 9112 §6.3).
    if let Some(incomplete) = buffered.incomplete {
        tracing::debug!(path = parts.uri.path(), "{}", incomplete.message());
        return incomplete.into_response();
    }
    parts.extensions.insert(buffered.clone());

    let journal_on = app.journal.is_enabled();
    let faults_on = !app.faults.is_empty();
    let org: Option<OrgId> = if journal_on || (faults_on && app.faults.any_names_an_org()) {
        request_org(&app, &parts, &buffered).await
    } else {
        None
    };

    let fault = if faults_on {
        let path = faults::decoded_path(parts.uri.path());
        app.faults
            .take_match(&parts.method, &path, org.as_ref().map(OrgId::as_str))
    } else {
        None
    };
    if let Some(fault) = &fault
        && fault.delay_ms > 0
    {
        tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
    }
    let injected = match fault.as_ref().and_then(|f| f.status.map(|s| (f, s))) {
        // Boxed, as the other rare branches below: inline, their state would make every
        // request's future (moved a few times per request) several times larger.
        Some((fault, status)) => {
            Some(Box::pin(fault_answer(fault, status, &parts, &buffered)).await)
        }
        None => None,
    };

    let recording = journal_on.then(|| {
        Recording::start(
            time,
            org.as_ref().map(OrgId::as_str),
            &parts.method,
            &parts.uri,
            &parts.headers,
            &buffered.bytes,
        )
    });
    let response = match injected {
        Some(response) => response,
        // Handlers read the body from the `BufferedBody` extension; an empty body costs no
        // allocation.
        None => {
            handle(
                &app,
                next,
                Request::from_parts(parts, Body::empty()),
                &buffered,
            )
            .await
        }
    };
    let Some(recording) = recording else {
        return response;
    };
    let (response_parts, response_body) = response.into_parts();
    let response_bytes = body_bytes(response_body).await;
    app.journal
        .record(recording.finish(response_parts.status, &response_bytes));
    Response::from_parts(response_parts, Body::from(response_bytes))
}

/// The org a request belongs to, for the journal and org-scoped faults: the org of the
/// credential an accounts-server request names (its refresh token, code or revoked token),
/// else the org of its `Zoho-oauthtoken`.
async fn request_org(app: &AppState, parts: &Parts, body: &BufferedBody) -> Option<OrgId> {
    let resolve = |token: &str| app.store.read(|world| world.credential_org(token).cloned());
    let named = if Family::of(parts.uri.path()) == Family::OAuth {
        // Boxed: only accounts-server requests take it (see `fault_answer` below).
        Box::pin(oauth::request::named_credential(
            &parts.uri,
            &parts.headers,
            body,
        ))
        .await
    } else {
        None
    };
    // The accounts server's user info also takes `Bearer`; every other path the CRM and
    // Analytics scheme only.
    let carried = if parts.uri.path() == oauth::USER_INFO_PATH {
        auth::token_from_any_scheme(&parts.headers).ok()
    } else {
        auth::token_from_headers(&parts.headers).ok()
    };
    named
        .as_deref()
        .and_then(resolve)
        .or_else(|| carried.and_then(resolve))
}

/// A response body as one buffer. Every answer of the mock is a single chunk, taken as it is;
/// anything longer is collected.
async fn body_bytes(mut body: Body) -> Bytes {
    let first = match body.frame().await {
        Some(Ok(frame)) => frame.into_data().unwrap_or_default(),
        _ => return Bytes::new(),
    };
    if body.is_end_stream() {
        return first;
    }
    let rest = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let mut joined = Vec::with_capacity(first.len() + rest.len());
    joined.extend_from_slice(&first);
    joined.extend_from_slice(&rest);
    Bytes::from(joined)
}

/// How long a client may take, and how long a shutdown waits (README "Configuration").
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
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

/// The connection loop of both listeners: serves `app` on `listener` until `stop` changes,
/// with a header read timeout; then stops accepting, lets requests in flight finish for at
/// most the shutdown timeout, and closes what is left. Each accepted stream goes through
/// `handshake` (the identity for HTTP, TLS for HTTPS; `None` drops the connection).
pub(crate) async fn serve_connections<H, F, Io>(
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

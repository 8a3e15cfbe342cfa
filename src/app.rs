//! The router: CRM, accounts server, Analytics and admin on one origin, behind the harness
//! layer that buffers API bodies, applies faults and writes the journal.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body::Body as _;
use http_body_util::BodyExt;

use crate::app_state::AppState;
use crate::body::{BufferedBody, MAX_API_BODY_BYTES};
use crate::crm::error::CrmError;
use crate::family::Family;
use crate::faults::Fault;
use crate::ids::OrgId;
use crate::journal::Recording;
use crate::oauth::error::OAuthError;
use crate::{admin, analytics, auth, crm, faults, oauth, request_log};

pub fn build_app(state: AppState) -> Router {
    Router::new()
        .merge(crm::routes())
        .merge(oauth::routes())
        .merge(analytics::routes())
        .nest("/__admin", admin::routes())
        .fallback(route_miss)
        .layer(middleware::from_fn_with_state(state.clone(), logged))
        .with_state(state)
}

/// The one log line per request (`request_log`). One event and no span: a span per request
/// (what tower-http's `TraceLayer` opens) cost more than the rest of a share update.
async fn logged(State(app): State<AppState>, req: Request, next: Next) -> Response {
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

/// Admin requests pass through the admin token guard only. API requests: the body is read
/// once, then a matching fault applies (before any other check), then the request is handled
/// and journaled.
async fn harness(app: AppState, req: Request, next: Next) -> Response {
    if Family::of(req.uri().path()) == Family::Admin {
        if let Some(refusal) = admin::guard(&app, req.headers(), req.uri().path()) {
            return refusal;
        }
        return next.run(req).await;
    }
    let time = app.clock.now();
    let (mut parts, body) = req.into_parts();
    let buffered = BufferedBody::read(body, MAX_API_BODY_BYTES).await;
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
        Some((fault, status)) => Some(fault_answer(fault, status, &parts, &buffered).await),
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
        None => next.run(Request::from_parts(parts, Body::empty())).await,
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
        oauth::request::named_credential(&parts.uri, &parts.headers, body).await
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

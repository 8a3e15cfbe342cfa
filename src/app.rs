//! The router: CRM, accounts server, Analytics and admin on one origin, behind the harness
//! layer that buffers API bodies, applies faults and writes the journal.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Uri;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body_util::BodyExt;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::app_state::AppState;
use crate::body::{BufferedBody, MAX_API_BODY_BYTES};
use crate::crm::error::CrmError;
use crate::ids::OrgId;
use crate::journal::Entry;
use crate::oauth::error::OAuthError;
use crate::{admin, analytics, auth, crm, faults, oauth};

pub fn build_app(state: AppState) -> Router {
    Router::new()
        .merge(crm::routes())
        .merge(oauth::routes())
        .merge(analytics::routes())
        .nest("/__admin", admin::routes())
        .fallback(route_miss)
        .layer(middleware::from_fn_with_state(state.clone(), harness))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// No route matches: each family's own "no such URL" answer.
async fn route_miss(uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/oauth/v2/") {
        OAuthError::NotFound.into_response()
    } else if admin::is_admin_path(path) {
        admin::error::AdminError::unknown_path(path).into_response()
    } else {
        CrmError::route_miss(path).into_response()
    }
}

/// Admin requests pass through the admin token guard only. API requests: the body is read
/// once, then a matching fault applies (before any other check), then the request is handled
/// and journaled.
async fn harness(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if admin::is_admin_path(req.uri().path()) {
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
        auth::token_from_headers(&parts.headers)
            .ok()
            .and_then(|token| app.store.read(|world| world.credential_org(token).cloned()))
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
        Some((fault, status)) => Some(faults::respond(fault, status, &parts, &buffered).await),
        None => None,
    };

    // What the journal needs of the request, taken before the handler consumes it.
    let summary = journal_on.then(|| {
        (
            parts.method.clone(),
            parts.uri.path().to_owned(),
            parts.uri.query().unwrap_or("").to_owned(),
            parts.headers.clone(),
        )
    });
    let response = match injected {
        Some(response) => response,
        None => {
            let req = Request::from_parts(parts, Body::from(buffered.bytes.clone()));
            next.run(req).await
        }
    };
    let Some((method, path, query, headers)) = summary else {
        return response;
    };
    let (response_parts, response_body) = response.into_parts();
    let response_bytes: Bytes = response_body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    app.journal.record(Entry {
        time,
        org,
        method,
        path,
        query,
        headers,
        status: response_parts.status,
        request_body: buffered.bytes,
        response_body: response_bytes.clone(),
    });
    Response::from_parts(response_parts, Body::from(response_bytes))
}

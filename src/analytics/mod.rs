//! Zoho Analytics v1: one URL per workspace, `/api/{owner_email}/{workspace_name}`, the
//! operation chosen by `ZOHO_ACTION`; answers in JSON or XML.

pub mod email;
pub mod error;
pub mod params;
pub mod path;
pub mod render;
pub mod workspace_admins;
pub mod workspaces;

use axum::Router;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::any;

use crate::app_state::AppState;
use crate::body::BufferedBody;
use crate::faults::{Fault, FaultCode};

use error::AnalyticsError;
use params::Params;
use render::Envelope;

/// Every `/api` path goes to one dispatcher, which judges the path's shape itself (7102, 7138)
/// and answers other methods with 405.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api", any(workspace_admins::handlers::dispatch))
        .route("/api/", any(workspace_admins::handlers::dispatch))
        .route("/api/{*rest}", any(workspace_admins::handlers::dispatch))
}

/// An injected fault in the Analytics envelope, in the request's `ZOHO_ERROR_FORMAT`: the
/// fault's code (a number; absent or not a number: 7005), its message or the code's text.
pub async fn fault_response(
    fault: &Fault,
    status: StatusCode,
    parts: &Parts,
    body: &BufferedBody,
) -> Response {
    let code = match &fault.code {
        Some(FaultCode::Number(n)) => *n,
        Some(FaultCode::Text(text)) => text.parse().unwrap_or(7005),
        None => 7005,
    };
    let params = Params::read(parts.uri.query(), &parts.headers, body).await;
    let message = fault.message.clone().unwrap_or_else(|| {
        error::message_of_code(code)
            .map(str::to_owned)
            .unwrap_or_else(|| code.to_string())
    });
    let err = AnalyticsError::Fault {
        status,
        code,
        message,
    };
    render::error(
        params.error_format(),
        &envelope(parts.uri.path(), &params),
        &err,
    )
}

/// What every answer to a request starts with: its `uri` and `action` attributes.
pub fn envelope(path: &str, params: &Params) -> Envelope {
    Envelope {
        uri: path::response_uri(path),
        action: params.action_attribute(),
    }
}

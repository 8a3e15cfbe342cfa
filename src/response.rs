//! The two response shapes every family shares: compact JSON in Zoho's content type, and 204
//! with neither a body nor a `Content-Type` (Zoho's SDKs read a missing type as "no content").

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

pub fn json(status: StatusCode, value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => json_bytes(status, bytes),
        Err(err) => unserialisable(&err),
    }
}

/// The mock's own bodies always serialise; should one ever not, say so in the log.
pub fn unserialisable(err: &serde_json::Error) -> Response {
    tracing::error!(error = %err, "could not serialise a response body");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

pub fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

pub fn no_content() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

//! `GET /__admin/health`: never needs the admin token; the Docker healthcheck calls it.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::response;

pub async fn health() -> Response {
    response::json(
        StatusCode::OK,
        &json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}),
    )
}

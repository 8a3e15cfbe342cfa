//! `GET /__admin/openapi.json`: one OpenAPI 3.1 document of every route the mock serves (DESIGN
//! §5), kept beside this file as `openapi.json` and served as it is. `tests/openapi.rs` holds it
//! to the route tables in both directions and to the statuses the golden files show; the unit
//! test below holds it to the Analytics v2 route table.

use axum::http::StatusCode;
use axum::response::Response;

use crate::response;

/// The document, as tracked in the repository.
pub const DOCUMENT: &str = include_str!("openapi.json");

pub async fn document() -> Response {
    response::json_bytes(StatusCode::OK, DOCUMENT.as_bytes().to_vec())
}

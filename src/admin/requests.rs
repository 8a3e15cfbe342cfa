//! `GET` and `DELETE /__admin/requests`: the request journal.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::app_state::AppState;
use crate::journal::Filter;
use crate::response;

use super::error::AdminError;

#[derive(Deserialize)]
pub struct RequestFilter {
    method: Option<String>,
    path: Option<String>,
    org: Option<String>,
    status: Option<String>,
}

pub async fn list_requests(
    State(app): State<AppState>,
    query: Result<Query<RequestFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AdminError> {
    let Query(query) = query.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let non_empty = |v: Option<String>| v.filter(|s| !s.is_empty());
    let status = match non_empty(query.status) {
        Some(text) => Some(text.parse::<u16>().map_err(|_| {
            AdminError::bad_request(format!("status: {text:?} is not an HTTP status"))
        })?),
        None => None,
    };
    let filter = Filter {
        method: non_empty(query.method),
        path: non_empty(query.path),
        org: non_empty(query.org),
        status,
    };
    Ok(response::json(
        StatusCode::OK,
        &json!({"requests": app.journal.list(&filter)}),
    ))
}

pub async fn clear_requests(State(app): State<AppState>) -> Response {
    app.journal.clear();
    response::no_content()
}

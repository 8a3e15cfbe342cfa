//! `AdminError`: the admin API's `{"error": "message"}` with 400, 401, 404, 405 or 409, and 500
//! when the state file could not commit a change (DESIGN §6); the state is unchanged whenever
//! one is returned.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::json_doc::FixtureError;
use crate::response;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminError {
    pub status: StatusCode,
    pub message: String,
}

impl AdminError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        AdminError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AdminError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        AdminError {
            status: StatusCode::CONFLICT,
            message: message.into(),
        }
    }

    /// A change the state file could not commit; the state is back to what the file holds.
    pub fn not_committed(path: &std::path::Path, cause: &str) -> Self {
        AdminError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!(
                "the change could not be committed to the state file {}: {cause}; the state is what the file holds",
                path.display()
            ),
        }
    }

    pub fn unknown_path(path: &str) -> Self {
        AdminError::not_found(format!("no admin endpoint at {path}"))
    }

    pub fn admin_token_required() -> Self {
        AdminError {
            status: StatusCode::UNAUTHORIZED,
            message: "admin token required".into(),
        }
    }
}

impl From<FixtureError> for AdminError {
    fn from(err: FixtureError) -> Self {
        AdminError::bad_request(err.to_string())
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let mut response = response::json(self.status, &json!({"error": self.message}));
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

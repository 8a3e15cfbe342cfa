//! `OAuthError`: the accounts server's answers. Token errors are HTTP 200 with
//! `{"error":"<code>"}` (as Zoho's accounts server answers them); a failed revoke is 400
//! `{"status":"failure"}`; `/oauth/user/info` refuses a token with 401
//! `{"cause":"invalid_oauthtoken","response":"error"}`.

use axum::http::header::ALLOW;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::faults::{Fault, FaultCode};
use crate::response;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OAuthError {
    /// Body over 1 MiB, a value that is not UTF-8, or a malformed body. [mock's choice]
    InvalidRequest,
    /// `grant_type` missing or not `refresh_token` / `authorization_code`. [mock's choice]
    UnsupportedGrantType,
    /// No org declares this client id with this secret. [captured response]
    InvalidClient,
    /// Refresh token or code missing, unknown, revoked, used, of another client, or of an
    /// inactive user. [captured response]
    InvalidCode,
    /// `POST /oauth/v2/token/revoke` of anything but a live token. HTTP 400 [Zoho Accounts docs]
    RevokeFailed,
    /// A path under `/oauth/v2/` that is not an endpoint: 404 `{"error":"invalid_request"}`.
    NotFound,
    /// A grant or revocation the state file could not commit (DESIGN §6): 500
    /// `{"error":"server_error"}`, the answer of a fault with no code (spec auth-and-errors.md §9).
    ServerError,
    /// `/oauth/user/info` without a usable header, or with a token that is unknown, expired,
    /// revoked or of a user who is not active: 401. [OAuth clients] (keys); [mock's choice]
    InvalidOAuthToken,
    /// `/oauth/user/info` with a method other than GET (HEAD included): 405, no body,
    /// `Allow: GET`. [mock's choice]
    UserInfoMethodNotAllowed,
    /// An injected fault: `{"error":"<code>"}` with the fault's status.
    Fault { status: StatusCode, code: String },
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let error = |status, code: &str| response::json(status, &json!({"error": code}));
        match self {
            OAuthError::InvalidRequest => error(StatusCode::OK, "invalid_request"),
            OAuthError::UnsupportedGrantType => error(StatusCode::OK, "unsupported_grant_type"),
            OAuthError::InvalidClient => error(StatusCode::OK, "invalid_client"),
            OAuthError::InvalidCode => error(StatusCode::OK, "invalid_code"),
            OAuthError::RevokeFailed => {
                response::json(StatusCode::BAD_REQUEST, &json!({"status": "failure"}))
            }
            OAuthError::NotFound => error(StatusCode::NOT_FOUND, "invalid_request"),
            OAuthError::ServerError => error(StatusCode::INTERNAL_SERVER_ERROR, "server_error"),
            OAuthError::InvalidOAuthToken => response::json(
                StatusCode::UNAUTHORIZED,
                &json!({"cause": "invalid_oauthtoken", "response": "error"}),
            ),
            OAuthError::UserInfoMethodNotAllowed => {
                let mut answer = StatusCode::METHOD_NOT_ALLOWED.into_response();
                answer
                    .headers_mut()
                    .insert(ALLOW, HeaderValue::from_static("GET"));
                answer
            }
            OAuthError::Fault { status, code } => error(status, &code),
        }
    }
}

/// The answer of an injected fault on an `/oauth/...` path: `{"error":"<code>"}`, the code
/// defaulting to `server_error`.
pub fn fault_response(fault: &Fault, status: StatusCode) -> Response {
    let code = match &fault.code {
        Some(FaultCode::Text(text)) => text.clone(),
        Some(FaultCode::Number(n)) => n.to_string(),
        None => "server_error".to_owned(),
    };
    OAuthError::Fault { status, code }.into_response()
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;
    use serde_json::Value;

    use super::*;

    /// Each error, rendered, is the body of a golden answer with the golden's status.
    #[tokio::test]
    async fn every_error_renders_its_golden_answer() {
        let cases = [
            (OAuthError::InvalidRequest, "oauth/invalid_request.json"),
            (
                OAuthError::UnsupportedGrantType,
                "oauth/unsupported_grant_type.json",
            ),
            (OAuthError::InvalidClient, "oauth/invalid_client.json"),
            (OAuthError::InvalidCode, "oauth/invalid_code.json"),
            (OAuthError::RevokeFailed, "oauth/revoke_failure.json"),
            (OAuthError::NotFound, "oauth/unknown_path.json"),
            (OAuthError::ServerError, "harness/oauth_server_error.json"),
            (
                OAuthError::InvalidOAuthToken,
                "crm/settings_and_search/user_info_invalid_token.json",
            ),
            (
                OAuthError::Fault {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "server_error".into(),
                },
                "harness/oauth_server_error.json",
            ),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
        for (error, file) in cases {
            let text = std::fs::read_to_string(root.join(file)).expect("a golden file");
            let golden: Value = serde_json::from_str(&text).expect("golden JSON");
            let response = error.into_response();
            assert_eq!(
                u64::from(response.status().as_u16()),
                golden["status"].as_u64().expect("a status"),
                "{file}"
            );
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            let body: Value = serde_json::from_slice(&bytes).expect("a JSON body");
            assert_eq!(body, golden["body"], "{file}");
        }
    }
}

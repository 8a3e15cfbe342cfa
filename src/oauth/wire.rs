//! The accounts server's answers: the token body, the revocation success, and the one mapping
//! of a refused grant to its `OAuthError`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::response;

use super::error::OAuthError;
use super::model::{ACCESS_TOKEN_LIFETIME_S, GrantError, Minted};

impl From<GrantError> for OAuthError {
    fn from(error: GrantError) -> Self {
        match error {
            GrantError::InvalidClient => OAuthError::InvalidClient,
            GrantError::InvalidCode => OAuthError::InvalidCode,
        }
    }
}

/// `POST /oauth/v2/token`: the minted token; `refresh_token` only when one was minted.
pub fn token(minted: Minted, api_domain: String) -> Response {
    let mut body = json!({
        "access_token": minted.access_token,
        "api_domain": api_domain,
        "expires_in": ACCESS_TOKEN_LIFETIME_S,
        "scope": minted.scopes.join(" "),
        "token_type": "Bearer",
    });
    if let Some(refresh_token) = minted.new_refresh_token {
        body["refresh_token"] = json!(refresh_token);
    }
    response::json(StatusCode::OK, &body)
}

/// `POST /oauth/v2/token/revoke` success.
pub fn revoked() -> Response {
    response::json(StatusCode::OK, &json!({"status": "success"}))
}

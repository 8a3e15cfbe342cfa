//! The accounts server's answers: the token body, the revocation success, and the one mapping
//! of a refused grant to its `OAuthError`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::response;
use crate::tenant::directory::User;

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

/// `GET /oauth/user/info`: who the token belongs to (spec crm-settings-and-search.md §8). The
/// name splits at its first space; `ZUID` is a JSON number (a zuid that is not one stays text).
pub fn user_info(user: &User) -> Response {
    let (first, last) = user
        .full_name
        .split_once(' ')
        .unwrap_or((user.full_name.as_str(), ""));
    let zuid = user
        .zuid
        .parse::<u64>()
        .map_or_else(|_| json!(user.zuid), |n| json!(n));
    response::json(
        StatusCode::OK,
        &json!({
            "Display_Name": user.full_name,
            "Email": user.email,
            "First_Name": first,
            "Last_Name": last,
            "ZUID": zuid,
        }),
    )
}

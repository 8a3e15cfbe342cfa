//! `POST /oauth/v2/token` and `POST /oauth/v2/token/revoke`: parameters -> model -> answer.

use axum::extract::State;
use axum::http::header::HOST;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use crate::app_state::AppState;
use crate::body::BufferedBody;
use crate::response;

use super::error::OAuthError;
use super::model::{self, ACCESS_TOKEN_LIFETIME_S, Client, Grant};
use super::request::merged_params;

/// `http://` + the request's `Host` (the listen address without one): SDKs replace their API
/// base with `api_domain`, so it must point back at the mock.
fn api_domain(app: &AppState, headers: &HeaderMap) -> String {
    match headers.get(HOST).and_then(|v| v.to_str().ok()) {
        Some(host) if !host.is_empty() => format!("http://{host}"),
        _ => app.base_url(),
    }
}

pub async fn issue_token(
    State(app): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: BufferedBody,
) -> Result<Response, OAuthError> {
    let params = merged_params(&uri, &headers, &body)
        .await
        .map_err(|_| OAuthError::InvalidRequest)?;
    let param = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let grant = match param("grant_type") {
        Some("refresh_token") => Grant::RefreshToken(param("refresh_token")),
        Some("authorization_code") => Grant::AuthorizationCode(param("code")),
        _ => return Err(OAuthError::UnsupportedGrantType),
    };
    let client = Client {
        id: param("client_id").unwrap_or_default(),
        secret: param("client_secret").unwrap_or_default(),
    };
    let now = app.clock.now();
    let minted = app
        .store
        .write(|world| model::grant(world, client, grant, now))?;
    let mut body = json!({
        "access_token": minted.access_token,
        "api_domain": api_domain(&app, &headers),
        "expires_in": ACCESS_TOKEN_LIFETIME_S,
        "scope": minted.scopes.join(" "),
        "token_type": "Bearer",
    });
    if let Some(refresh_token) = minted.new_refresh_token {
        body["refresh_token"] = json!(refresh_token);
    }
    Ok(response::json(StatusCode::OK, &body))
}

pub async fn revoke_token(
    State(app): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: BufferedBody,
) -> Result<Response, OAuthError> {
    let params = merged_params(&uri, &headers, &body)
        .await
        .map_err(|_| OAuthError::RevokeFailed)?;
    let token = params
        .get("token")
        .filter(|t| !t.is_empty())
        .ok_or(OAuthError::RevokeFailed)?;
    let now = app.clock.now();
    app.store.write(|world| {
        if model::revoke(world, token, now) {
            Ok(())
        } else {
            Err(OAuthError::RevokeFailed)
        }
    })?;
    Ok(response::json(
        StatusCode::OK,
        &json!({"status": "success"}),
    ))
}

//! `POST /oauth/v2/token`, `POST /oauth/v2/token/revoke` and `GET /oauth/user/info`:
//! parameters -> model -> answer.

use axum::Extension;
use axum::extract::State;
use axum::http::header::HOST;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;

use crate::app_state::{AppState, ViaTls};
use crate::auth;
use crate::body::BufferedBody;

use super::error::OAuthError;
use super::model;
use super::request::{self, merged_params};
use super::wire;

/// The scheme the request came in with + its `Host` (the HTTP listen address without one):
/// SDKs replace their API base with `api_domain`, so it must point back at the mock, over
/// HTTPS when the token was asked for over HTTPS.
fn api_domain(app: &AppState, headers: &HeaderMap, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    match headers.get(HOST).and_then(|v| v.to_str().ok()) {
        Some(host) if !host.is_empty() => format!("{scheme}://{host}"),
        _ => app.base_url(),
    }
}

pub async fn issue_token(
    State(app): State<AppState>,
    tls: Option<Extension<ViaTls>>,
    uri: Uri,
    headers: HeaderMap,
    body: BufferedBody,
) -> Result<Response, OAuthError> {
    let params = merged_params(&uri, &headers, &body)
        .await
        .map_err(|_| OAuthError::InvalidRequest)?;
    let (client, grant) = request::grant(&params).ok_or(OAuthError::UnsupportedGrantType)?;
    let now = app.clock.now();
    let minted = app
        .store
        .write(|world| model::grant(world, client, grant, now))?;
    Ok(wire::token(
        minted,
        api_domain(&app, &headers, tls.is_some()),
    ))
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
    Ok(wire::revoked())
}

/// `GET /oauth/user/info`: any live access token of the state, either scheme; no scope is
/// checked, query and body are ignored.
pub async fn user_info(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, OAuthError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let token =
            auth::token_from_any_scheme(&headers).map_err(|_| OAuthError::InvalidOAuthToken)?;
        let caller = auth::resolve(world, token, now).map_err(|_| OAuthError::InvalidOAuthToken)?;
        Ok(wire::user_info(caller.user))
    })
}

/// Any method but GET on `/oauth/user/info` (HEAD included).
pub async fn user_info_wrong_method() -> OAuthError {
    OAuthError::UserInfoMethodNotAllowed
}

//! `POST /__admin/tokens` (access tokens on demand), `GET /__admin/orgs/{id}/tokens` (an org's
//! access tokens, by label) and `POST /__admin/grant-codes` (one-time authorization codes for
//! `POST /oauth/v2/token`).

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::app_state::AppState;
use crate::ids::UserId;
use crate::response;
use crate::store::world::Credential;
use crate::tenant::credentials::{AccessToken, GrantCode};

use super::body::AdminBody;
use super::error::AdminError;
use super::orgs::unknown_org;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    org: String,
    user: UserId,
    scopes: Vec<String>,
    /// Seconds on the mock's clock; absent never expires, `0` is expired at once.
    #[serde(default)]
    expires_in: Option<u64>,
}

pub async fn create_token(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    let request: NewToken = body.parse()?;
    let now = app.clock.now();
    let access_token = app.store.write(|world| {
        let org = world
            .org(&request.org)
            .ok_or_else(|| unknown_org(&request.org))?;
        if org.tenant.directory.user(request.user.as_str()).is_none() {
            return Err(unknown_user(&request.user));
        }
        let access_token = world.fresh_credential();
        let expires_at = request
            .expires_in
            .map(|s| now.plus_ms(i64::try_from(s).unwrap_or(i64::MAX).saturating_mul(1000)));
        world.mint_credential(
            &request.org,
            Credential::AccessToken(AccessToken {
                access_token: access_token.clone(),
                user: request.user.clone(),
                scopes: request.scopes.clone(),
                expires_at,
                revoked: false,
                refresh_token: None,
                label: None,
            }),
        );
        Ok(access_token)
    })?;
    Ok(response::json(
        StatusCode::CREATED,
        &json!({"access_token": access_token}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewGrantCode {
    org: String,
    client_id: String,
    user: UserId,
    scopes: Vec<String>,
}

pub async fn create_grant_code(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    let request: NewGrantCode = body.parse()?;
    let code = app.store.write(|world| {
        let org = world
            .org(&request.org)
            .ok_or_else(|| unknown_org(&request.org))?;
        if org.tenant.credentials.client(&request.client_id).is_none() {
            return Err(AdminError::not_found(format!(
                "no OAuth client {:?} in org {:?}",
                request.client_id, request.org
            )));
        }
        if org.tenant.directory.user(request.user.as_str()).is_none() {
            return Err(unknown_user(&request.user));
        }
        let code = world.fresh_credential();
        world.mint_credential(
            &request.org,
            Credential::GrantCode(GrantCode {
                code: code.clone(),
                client_id: request.client_id.clone(),
                user: request.user.clone(),
                scopes: request.scopes.clone(),
            }),
        );
        Ok(code)
    })?;
    Ok(response::json(StatusCode::CREATED, &json!({"code": code})))
}

fn unknown_user(user: &UserId) -> AdminError {
    AdminError::not_found(format!("no user with id {:?} in that org", user.0))
}

/// `GET /__admin/orgs/{id}/tokens[?label=L]`: the org's stored access tokens (expired, revoked
/// and OAuth-minted ones included), in the order they were loaded or minted; `label` keeps
/// the tokens with that label (DESIGN §5).
pub async fn list_tokens(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AdminError> {
    let label = form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .find(|(key, _)| key == "label")
        .map(|(_, value)| value.into_owned());
    let tokens = app.store.read(|world| {
        let org = world.org(&id).ok_or_else(|| unknown_org(&id))?;
        let tokens: Vec<_> = org
            .tenant
            .credentials
            .access_tokens()
            .filter(|token| label.is_none() || token.label == label)
            .map(|token| {
                json!({
                    "access_token": token.access_token,
                    "label": token.label,
                    "user": token.user,
                    "scopes": token.scopes,
                    "expires_at": token.expires_at.map(|at| at.to_iso()),
                    "revoked": token.revoked,
                })
            })
            .collect();
        Ok::<_, AdminError>(tokens)
    })?;
    Ok(response::json(StatusCode::OK, &json!({ "tokens": tokens })))
}

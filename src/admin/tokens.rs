//! `POST /__admin/tokens` (access tokens on demand), `GET /__admin/orgs/{id}/tokens` (an org's
//! access tokens, optionally by label) and `POST /__admin/grant-codes` (one-time authorization
//! codes for `POST /oauth/v2/token`).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::app_state::AppState;
use crate::clock::Timestamp;
use crate::ids::UserId;
use crate::response;
use crate::store::world::Credential;
use crate::tenant::credentials::{AccessToken, GrantCode};

use super::body::AdminBody;
use super::error::AdminError;
use super::orgs::unknown_org;
use super::path::AdminPath;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    org: String,
    user: UserId,
    scopes: Vec<String>,
    /// Seconds on the mock's clock; absent never expires, `0` is expired at once.
    #[serde(default)]
    expires_in: Option<u64>,
    /// A free name to find the token by later (`GET /__admin/orgs/{id}/tokens?label=`).
    #[serde(default)]
    label: Option<String>,
}

/// The longest `expires_in`: ten years (DESIGN §5).
const MAX_EXPIRES_IN_S: u64 = 315_360_000;

pub async fn create_token(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    let request: NewToken = body.parse()?;
    if request.expires_in.is_some_and(|s| s > MAX_EXPIRES_IN_S) {
        return Err(AdminError::bad_request(format!(
            "$.expires_in: at most {MAX_EXPIRES_IN_S} seconds (ten years)"
        )));
    }
    let now = app.clock.now();
    // Stored exactly or refused: an expiry past the clock's last instant would not render.
    let expires_at = match request.expires_in {
        None => None,
        Some(seconds) => Some(
            i64::try_from(seconds * 1000)
                .ok()
                .and_then(|ms| now.checked_plus_ms(ms))
                .ok_or_else(|| {
                    AdminError::bad_request(format!(
                        "$.expires_in: the token would expire after {}, the latest instant of the mock's clock",
                        Timestamp::LATEST.to_iso()
                    ))
                })?,
        ),
    };
    let access_token = app.store.write(|world| {
        let org = world
            .org(&request.org)
            .ok_or_else(|| unknown_org(&request.org))?;
        if org.tenant.directory.user(request.user.as_str()).is_none() {
            return Err(unknown_user(&request.user));
        }
        let access_token = world.fresh_credential();
        world.mint_credential(
            &request.org,
            Credential::AccessToken(AccessToken {
                access_token: access_token.clone(),
                user: request.user.clone(),
                scopes: request.scopes.clone(),
                expires_at,
                revoked: false,
                refresh_token: None,
                label: request.label.clone(),
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
pub struct TokenFilter {
    label: Option<String>,
}

/// `{"tokens":[{"access_token","label","user","scopes","expires_at","revoked"}]}` in the order
/// the org holds them; `?label=L` keeps the tokens labelled `L` (an empty `label=` is no
/// filter, as with the journal's filters).
pub async fn list_tokens(
    State(app): State<AppState>,
    AdminPath(id): AdminPath,
    query: Result<Query<TokenFilter>, QueryRejection>,
) -> Result<Response, AdminError> {
    let Query(filter) = query.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let label = filter.label.filter(|l| !l.is_empty());
    let tokens = app.store.read(|world| {
        let org = world.org(&id).ok_or_else(|| unknown_org(&id))?;
        Ok::<_, AdminError>(
            org.tenant
                .credentials
                .access_tokens()
                .filter(|t| {
                    label
                        .as_deref()
                        .is_none_or(|wanted| t.label.as_deref() == Some(wanted))
                })
                .map(|t| {
                    json!({
                        "access_token": t.access_token,
                        "label": t.label,
                        "user": t.user,
                        "scopes": t.scopes,
                        "expires_at": t.expires_at.map(|at| at.to_iso()),
                        "revoked": t.revoked,
                    })
                })
                .collect::<Vec<_>>(),
        )
    })?;
    Ok(response::json(StatusCode::OK, &json!({"tokens": tokens})))
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

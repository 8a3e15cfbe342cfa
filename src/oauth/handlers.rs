//! Token grants and revocation. Parameters come from the query string and the body
//! (urlencoded or multipart), merged; the body wins where a name appears in both.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use crate::app_state::AppState;
use crate::body::BufferedBody;
use crate::clock::Timestamp;
use crate::form::{self, FormPair};
use crate::ids::OrgId;
use crate::response;
use crate::store::world::World;
use crate::tenant::{AccessToken, Org, RefreshToken};

use super::error::OAuthError;

/// Tokens minted here live one hour on the mock's clock; the body says `expires_in: 3600` and
/// never `expires_in_sec`, which would make Zoho's SDKs read `expires_in` as milliseconds.
pub const ACCESS_TOKEN_LIFETIME_S: i64 = 3600;

/// Query and body pairs merged, the body winning; `Err` if any value is not UTF-8.
async fn merged_params(
    uri: &Uri,
    headers: &HeaderMap,
    body: &BufferedBody,
) -> Result<HashMap<String, String>, ()> {
    if body.too_large {
        return Err(());
    }
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let body_pairs = form::parse_body(content_type, body.bytes.clone())
        .await
        .map_err(|_| ())?;
    let query_pairs = form::parse_urlencoded(uri.query().unwrap_or("").as_bytes());
    let mut params = HashMap::new();
    for group in [query_pairs, body_pairs] {
        let mut seen_in_group = std::collections::HashSet::new();
        for FormPair { name, value } in group {
            let (Some(name), Some(value)) = (name, value) else {
                return Err(());
            };
            // Within one source the first value counts; the body overrides the query string.
            if seen_in_group.insert(name.clone()) {
                params.insert(name, value);
            }
        }
    }
    Ok(params)
}

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
    let client_id = param("client_id").unwrap_or_default();
    let client_secret = param("client_secret").unwrap_or_default();
    let now = app.clock.now();
    let minted = app.store.write(|world| {
        if !world
            .orgs
            .values()
            .any(|o| o.has_client(client_id, client_secret))
        {
            return Err(OAuthError::InvalidClient);
        }
        let client = ClientCredentials {
            id: client_id,
            secret: client_secret,
        };
        match grant {
            Grant::RefreshToken(token) => refresh_grant(world, &client, token, now),
            Grant::AuthorizationCode(code) => code_grant(world, &client, code, now),
        }
    })?;
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

enum Grant<'a> {
    RefreshToken(Option<&'a str>),
    AuthorizationCode(Option<&'a str>),
}

struct ClientCredentials<'a> {
    id: &'a str,
    secret: &'a str,
}

struct Minted {
    access_token: String,
    scopes: Vec<String>,
    new_refresh_token: Option<String>,
}

/// The org that holds a refresh token or authorization code; unknown ones are `invalid_code`.
fn holder<'w>(world: &'w World, credential: &str) -> Result<(OrgId, &'w Org), OAuthError> {
    let org_id = world
        .credential_org(credential)
        .cloned()
        .ok_or(OAuthError::InvalidCode)?;
    let org = world.org(org_id.as_str()).ok_or(OAuthError::InvalidCode)?;
    Ok((org_id, org))
}

fn refresh_grant(
    world: &mut World,
    client: &ClientCredentials<'_>,
    refresh_token: Option<&str>,
    now: Timestamp,
) -> Result<Minted, OAuthError> {
    let refresh_token = refresh_token.ok_or(OAuthError::InvalidCode)?;
    let (org_id, org) = holder(world, refresh_token)?;
    let (owner, token) = org
        .oauth_clients
        .iter()
        .find_map(|c| {
            c.refresh_tokens
                .iter()
                .find(|r| r.refresh_token == refresh_token)
                .map(|r| (c, r))
        })
        .ok_or(OAuthError::InvalidCode)?;
    let user_active = org.user(token.user.as_str()).is_some_and(|u| u.is_active());
    if owner.client_id != client.id
        || owner.client_secret != client.secret
        || token.revoked
        || !user_active
    {
        return Err(OAuthError::InvalidCode);
    }
    let (user, scopes) = (token.user.clone(), token.scopes.clone());
    let access_token = mint_access_token(
        world,
        &org_id,
        user,
        scopes.clone(),
        Some(refresh_token.to_owned()),
        now,
    );
    Ok(Minted {
        access_token,
        scopes,
        new_refresh_token: None,
    })
}

fn code_grant(
    world: &mut World,
    client: &ClientCredentials<'_>,
    code: Option<&str>,
    now: Timestamp,
) -> Result<Minted, OAuthError> {
    let code = code.ok_or(OAuthError::InvalidCode)?;
    let (org_id, org) = holder(world, code)?;
    let grant = org
        .grant_codes
        .iter()
        .find(|g| g.code == code)
        .ok_or(OAuthError::InvalidCode)?;
    let user_active = org.user(grant.user.as_str()).is_some_and(|u| u.is_active());
    if grant.client_id != client.id || !org.has_client(client.id, client.secret) || !user_active {
        return Err(OAuthError::InvalidCode);
    }
    let (user, scopes) = (grant.user.clone(), grant.scopes.clone());
    let refresh_token = world.fresh_credential();
    let org = world
        .org_mut(org_id.as_str())
        .ok_or(OAuthError::InvalidCode)?;
    org.grant_codes.retain(|g| g.code != code);
    if let Some(owner) = org
        .oauth_clients
        .iter_mut()
        .find(|c| c.client_id == client.id)
    {
        owner.refresh_tokens.push(RefreshToken {
            refresh_token: refresh_token.clone(),
            user: user.clone(),
            scopes: scopes.clone(),
            revoked: false,
        });
    }
    world.forget_credential(code);
    world.register_credential(&refresh_token, &org_id);
    let access_token = mint_access_token(
        world,
        &org_id,
        user,
        scopes.clone(),
        Some(refresh_token.clone()),
        now,
    );
    Ok(Minted {
        access_token,
        scopes,
        new_refresh_token: Some(refresh_token),
    })
}

fn mint_access_token(
    world: &mut World,
    org_id: &OrgId,
    user: crate::ids::UserId,
    scopes: Vec<String>,
    refresh_token: Option<String>,
    now: Timestamp,
) -> String {
    let access_token = world.fresh_credential();
    if let Some(org) = world.org_mut(org_id.as_str()) {
        org.tokens.insert(
            access_token.clone(),
            AccessToken {
                access_token: access_token.clone(),
                user,
                scopes,
                expires_at: Some(now.plus_ms(ACCESS_TOKEN_LIFETIME_S * 1000)),
                revoked: false,
                refresh_token,
            },
        );
    }
    world.register_credential(&access_token, org_id);
    access_token
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
        let org_id = world
            .credential_org(token)
            .cloned()
            .ok_or(OAuthError::RevokeFailed)?;
        let org = world
            .org_mut(org_id.as_str())
            .ok_or(OAuthError::RevokeFailed)?;
        let live_refresh = org
            .oauth_clients
            .iter_mut()
            .flat_map(|c| c.refresh_tokens.iter_mut())
            .find(|r| r.refresh_token == *token && !r.revoked);
        if let Some(refresh) = live_refresh {
            refresh.revoked = true;
            for access in org.tokens.values_mut() {
                if access.refresh_token.as_deref() == Some(token.as_str()) {
                    access.revoked = true;
                }
            }
            return Ok(());
        }
        match org.tokens.get_mut(token.as_str()) {
            Some(access) if access.is_live(now) => {
                access.revoked = true;
                Ok(())
            }
            _ => Err(OAuthError::RevokeFailed),
        }
    })?;
    Ok(response::json(
        StatusCode::OK,
        &json!({"status": "success"}),
    ))
}

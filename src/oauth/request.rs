//! The accounts server's parameters: the query string and the body (urlencoded or multipart),
//! merged; within one source the first value of a name counts, and the body wins over the
//! query string.

use std::collections::{HashMap, HashSet};

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, Uri};

use crate::body::BufferedBody;
use crate::form::{self, FormPair};

use super::model::{Client, Grant};

/// The body is over 1 MiB, is malformed multipart, or a name or value is not UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unreadable;

/// Query and body pairs merged, the body winning.
pub async fn merged_params(
    uri: &Uri,
    headers: &HeaderMap,
    body: &BufferedBody,
) -> Result<HashMap<String, String>, Unreadable> {
    if body.too_large {
        return Err(Unreadable);
    }
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let body_pairs = form::parse_body(content_type, body.bytes.clone())
        .await
        .map_err(|_| Unreadable)?;
    let query_pairs = form::parse_urlencoded(uri.query().unwrap_or("").as_bytes());
    let mut params = HashMap::new();
    for group in [query_pairs, body_pairs] {
        let mut seen_in_group = HashSet::new();
        for FormPair { name, value } in group {
            let (Some(name), Some(value)) = (name, value) else {
                return Err(Unreadable);
            };
            if seen_in_group.insert(name.clone()) {
                params.insert(name, value);
            }
        }
    }
    Ok(params)
}

/// The client and the grant a token request presents (an empty value counts as absent);
/// `None` when `grant_type` is neither `refresh_token` nor `authorization_code`.
pub fn grant(params: &HashMap<String, String>) -> Option<(Client<'_>, Grant<'_>)> {
    let param = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let grant = match param("grant_type") {
        Some("refresh_token") => Grant::RefreshToken(param("refresh_token")),
        Some("authorization_code") => Grant::AuthorizationCode(param("code")),
        _ => return None,
    };
    let client = Client {
        id: param("client_id").unwrap_or_default(),
        secret: param("client_secret").unwrap_or_default(),
    };
    Some((client, grant))
}

/// The credential a request to the accounts server names (the refresh token or code of a
/// token request, the token of a revocation), which tells the journal and org-scoped faults
/// the request's org. `None` when the request names none or its parameters do not read.
pub async fn named_credential(
    uri: &Uri,
    headers: &HeaderMap,
    body: &BufferedBody,
) -> Option<String> {
    let mut params = merged_params(uri, headers, body).await.ok()?;
    let name = match uri.path() {
        "/oauth/v2/token" => match params.get("grant_type").map(String::as_str) {
            Some("refresh_token") => "refresh_token",
            Some("authorization_code") => "code",
            _ => return None,
        },
        "/oauth/v2/token/revoke" => "token",
        _ => return None,
    };
    params.remove(name).filter(|value| !value.is_empty())
}

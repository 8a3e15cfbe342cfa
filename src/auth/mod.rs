//! `Authorization: Zoho-oauthtoken TOKEN` -> the caller (org, user, scopes). The org always comes
//! from the token, never from the URL. Each API family maps [`AuthFailure`] to its own error.

pub mod scope;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

use crate::clock::Timestamp;
use crate::store::org::Org;
use crate::store::world::{OrgSlot, World};
use crate::tenant::credentials::AccessToken;
use crate::tenant::directory::User;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthFailure {
    /// Header missing, another scheme, no space after the scheme, or an empty token.
    Unusable,
    /// Token unknown, expired or revoked, or its user is not active.
    Invalid,
}

/// The scheme of the CRM and Analytics APIs.
const ZOHO_SCHEME: &str = "Zoho-oauthtoken";

/// The token string of a usable `Zoho-oauthtoken` header (scheme compared case-insensitively).
pub fn token_from_headers(headers: &HeaderMap) -> Result<&str, AuthFailure> {
    token_with_scheme(headers, ZOHO_SCHEME)
}

/// The token string of a usable `Zoho-oauthtoken` or `Bearer` header: the accounts server's
/// `/oauth/user/info` takes both (spec crm-settings-and-search.md §8).
pub fn token_from_any_scheme(headers: &HeaderMap) -> Result<&str, AuthFailure> {
    token_with_scheme(headers, ZOHO_SCHEME).or_else(|_| token_with_scheme(headers, "Bearer"))
}

/// `SCHEME` (any case), at least one space, then a non-empty token (surrounding spaces cut).
#[inline]
fn token_with_scheme<'h>(headers: &'h HeaderMap, wanted: &str) -> Result<&'h str, AuthFailure> {
    let value = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(AuthFailure::Unusable)?;
    let (scheme, rest) = value
        .split_at_checked(wanted.len())
        .ok_or(AuthFailure::Unusable)?;
    // The exact comparison first: clients send the scheme as documented, and a byte-by-byte
    // case fold costs several times more.
    if !(scheme == wanted || scheme.eq_ignore_ascii_case(wanted)) || !rest.starts_with(' ') {
        return Err(AuthFailure::Unusable);
    }
    // `to_str` admits visible ASCII, spaces and tabs only, so the ASCII trim cuts what
    // `str::trim` would.
    let token = rest.trim_ascii();
    if token.is_empty() {
        return Err(AuthFailure::Unusable);
    }
    Ok(token)
}

/// A resolved caller, borrowed from the state for the duration of one request.
#[derive(Clone, Copy, Debug)]
pub struct CallerRef<'w> {
    pub org: &'w Org,
    /// Where `org` is, for the mutable borrow a write takes once its checks have passed.
    pub slot: OrgSlot,
    pub user: &'w User,
    pub token: &'w AccessToken,
}

impl CallerRef<'_> {
    /// True when a granted scope covers one of `acceptable` (alternatives for the same need).
    pub fn allows(&self, acceptable: &[&str]) -> bool {
        scope::allows(&self.token.scopes, acceptable)
    }
}

pub fn authenticate<'w>(
    world: &'w World,
    headers: &HeaderMap,
    now: Timestamp,
) -> Result<CallerRef<'w>, AuthFailure> {
    resolve(world, token_from_headers(headers)?, now)
}

/// The caller a token string stands for: a live access token of the state whose user is
/// active. Every API request passes here: `#[inline]` keeps the PUT-share path as short as it
/// was before `authenticate` was split (callgrind, `bench/run.py`).
#[inline]
pub fn resolve<'w>(
    world: &'w World,
    token: &str,
    now: Timestamp,
) -> Result<CallerRef<'w>, AuthFailure> {
    let (slot, org, token) = world.access_token(token).ok_or(AuthFailure::Invalid)?;
    if !token.is_live(now) {
        return Err(AuthFailure::Invalid);
    }
    let user = org
        .tenant
        .directory
        .user(token.user.as_str())
        .filter(|u| u.is_active())
        .ok_or(AuthFailure::Invalid)?;
    Ok(CallerRef {
        org,
        slot,
        user,
        token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn header_forms() {
        assert_eq!(
            token_from_headers(&headers("Zoho-oauthtoken abc")),
            Ok("abc")
        );
        assert_eq!(
            token_from_headers(&headers("zoho-OAUTHTOKEN   abc  ")),
            Ok("abc")
        );
        assert_eq!(
            token_from_headers(&headers("Bearer abc")),
            Err(AuthFailure::Unusable)
        );
        assert_eq!(
            token_from_headers(&headers("Zoho-oauthtokenabc")),
            Err(AuthFailure::Unusable)
        );
        assert_eq!(
            token_from_headers(&headers("Zoho-oauthtoken ")),
            Err(AuthFailure::Unusable)
        );
        assert_eq!(
            token_from_headers(&headers("Zoho-oauthtoken")),
            Err(AuthFailure::Unusable)
        );
        assert_eq!(
            token_from_headers(&HeaderMap::new()),
            Err(AuthFailure::Unusable)
        );
    }

    #[test]
    fn user_info_takes_bearer_too() {
        assert_eq!(token_from_any_scheme(&headers("Bearer abc")), Ok("abc"));
        assert_eq!(token_from_any_scheme(&headers("bEARER  abc ")), Ok("abc"));
        assert_eq!(
            token_from_any_scheme(&headers("Zoho-oauthtoken abc")),
            Ok("abc")
        );
        for bad in ["Bearer", "Bearer ", "Bearerabc", "Basic abc", "abc"] {
            assert_eq!(
                token_from_any_scheme(&headers(bad)),
                Err(AuthFailure::Unusable),
                "{bad}"
            );
        }
    }
}

//! The accounts server's rules: which client may redeem which refresh token or grant code,
//! what a grant mints, and what a revocation revokes. They work above the org aggregate,
//! because a credential names its org: the state-wide index finds it, and `World` stores what a
//! grant mints in the same call as it indexes it.

use crate::clock::Timestamp;
use crate::ids::UserId;
use crate::store::org::Org;
use crate::store::world::{Credential, World};
use crate::tenant::credentials::{AccessToken, RefreshToken};

/// Tokens minted here live one hour on the mock's clock; the body says `expires_in: 3600` and
/// never `expires_in_sec`, which would make Zoho's SDKs read `expires_in` as milliseconds.
pub const ACCESS_TOKEN_LIFETIME_S: i64 = 3600;

/// Why a grant was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantError {
    /// No org declares this client id with this secret.
    InvalidClient,
    /// The refresh token or code is missing, unknown, revoked, used, of another client, or of
    /// a user who is not active.
    InvalidCode,
}

/// The client credentials a grant presents.
#[derive(Clone, Copy, Debug)]
pub struct Client<'a> {
    pub id: &'a str,
    pub secret: &'a str,
}

/// What a grant asks to redeem.
#[derive(Clone, Copy, Debug)]
pub enum Grant<'a> {
    RefreshToken(Option<&'a str>),
    AuthorizationCode(Option<&'a str>),
}

/// What a successful grant minted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Minted {
    pub access_token: String,
    pub scopes: Vec<String>,
    /// Only the authorization-code grant mints a refresh token.
    pub new_refresh_token: Option<String>,
}

/// The client is checked first, across every org, then the grant.
pub fn grant(
    world: &mut World,
    client: Client<'_>,
    grant: Grant<'_>,
    now: Timestamp,
) -> Result<Minted, GrantError> {
    if !world
        .orgs()
        .any(|o| o.tenant.credentials.has_client(client.id, client.secret))
    {
        return Err(GrantError::InvalidClient);
    }
    match grant {
        Grant::RefreshToken(token) => refresh_grant(world, client, token, now),
        Grant::AuthorizationCode(code) => code_grant(world, client, code, now),
    }
}

/// The org that holds a refresh token or authorization code; unknown ones are `invalid_code`.
fn holder<'w>(world: &'w World, credential: &str) -> Result<&'w Org, GrantError> {
    let org_id = world
        .credential_org(credential)
        .ok_or(GrantError::InvalidCode)?;
    world.org(org_id.as_str()).ok_or(GrantError::InvalidCode)
}

fn refresh_grant(
    world: &mut World,
    client: Client<'_>,
    refresh_token: Option<&str>,
    now: Timestamp,
) -> Result<Minted, GrantError> {
    let refresh_token = refresh_token.ok_or(GrantError::InvalidCode)?;
    let org = holder(world, refresh_token)?;
    let (owner, token) = org
        .tenant
        .credentials
        .refresh_token(refresh_token)
        .ok_or(GrantError::InvalidCode)?;
    let user_active = org
        .tenant
        .directory
        .user(token.user.as_str())
        .is_some_and(|u| u.is_active());
    if owner.client_id != client.id
        || owner.client_secret != client.secret
        || token.revoked
        || !user_active
    {
        return Err(GrantError::InvalidCode);
    }
    let (org_id, user, scopes) = (org.id().clone(), token.user.clone(), token.scopes.clone());
    let access_token = mint_access_token(
        world,
        org_id.as_str(),
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
    client: Client<'_>,
    code: Option<&str>,
    now: Timestamp,
) -> Result<Minted, GrantError> {
    let code = code.ok_or(GrantError::InvalidCode)?;
    let org = holder(world, code)?;
    let credentials = &org.tenant.credentials;
    let grant = credentials
        .grant_code(code)
        .ok_or(GrantError::InvalidCode)?;
    let user_active = org
        .tenant
        .directory
        .user(grant.user.as_str())
        .is_some_and(|u| u.is_active());
    if grant.client_id != client.id
        || !credentials.has_client(client.id, client.secret)
        || !user_active
    {
        return Err(GrantError::InvalidCode);
    }
    let (org_id, user, scopes) = (org.id().clone(), grant.user.clone(), grant.scopes.clone());
    world.redeem_grant_code(org_id.as_str(), code);
    let refresh_token = world.fresh_credential();
    world.mint_credential(
        org_id.as_str(),
        Credential::RefreshToken {
            client_id: client.id.to_owned(),
            token: RefreshToken {
                refresh_token: refresh_token.clone(),
                user: user.clone(),
                scopes: scopes.clone(),
                revoked: false,
            },
        },
    );
    let access_token = mint_access_token(
        world,
        org_id.as_str(),
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
    org: &str,
    user: UserId,
    scopes: Vec<String>,
    refresh_token: Option<String>,
    now: Timestamp,
) -> String {
    let access_token = world.fresh_credential();
    world.mint_credential(
        org,
        Credential::AccessToken(AccessToken {
            access_token: access_token.clone(),
            user,
            scopes,
            expires_at: Some(now.plus_ms(ACCESS_TOKEN_LIFETIME_S * 1000)),
            revoked: false,
            refresh_token,
            label: None,
        }),
    );
    access_token
}

/// Revokes a live refresh token (with the access tokens minted from it) or a live access token.
/// False when `token` is neither.
pub fn revoke(world: &mut World, token: &str, now: Timestamp) -> bool {
    let Some(org_id) = world.credential_org(token).cloned() else {
        return false;
    };
    world
        .org_mut(org_id.as_str())
        .is_some_and(|org| org.tenant.credentials.revoke(token, now))
}

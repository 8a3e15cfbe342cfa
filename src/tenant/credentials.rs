//! Access tokens, OAuth clients with their refresh tokens, and one-time authorization codes.
//! Every credential string is unique across the whole state, because the org is found from it;
//! so the methods that add or remove one are called only by `store::world::World`, which keeps
//! the state-wide index in the same call (`tests/layering.rs` checks it).

use indexmap::IndexMap;

use crate::clock::Timestamp;
use crate::dirty::Dirty;
use crate::ids::UserId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    pub access_token: String,
    pub user: UserId,
    pub scopes: Vec<String>,
    /// `None` never expires.
    pub expires_at: Option<Timestamp>,
    pub revoked: bool,
    /// The refresh token this access token was minted from (revoking it revokes this too).
    pub refresh_token: Option<String>,
    /// A free name a test finds the token by; copied with the token when an org is copied.
    pub label: Option<String>,
}

impl AccessToken {
    /// Expired means "now is at or after the expiry instant" (DESIGN §5).
    pub fn is_live(&self, now: Timestamp) -> bool {
        !self.revoked && self.expires_at.is_none_or(|at| now < at)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefreshToken {
    pub refresh_token: String,
    pub user: UserId,
    pub scopes: Vec<String>,
    pub revoked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: String,
    pub refresh_tokens: Vec<RefreshToken>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantCode {
    pub code: String,
    pub client_id: String,
    pub user: UserId,
    pub scopes: Vec<String>,
}

/// The credentials one org has issued.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    /// By token string, in the order they were loaded or minted.
    tokens: IndexMap<String, AccessToken>,
    oauth_clients: Vec<OAuthClient>,
    grant_codes: Vec<GrantCode>,
    /// Credentials stored, revoked or removed, for the state file.
    dirty: Dirty<CredentialKey>,
}

/// One credential, by its string: what [`Credentials`] marks for the state file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CredentialKey {
    Access(String),
    Refresh(String),
    GrantCode(String),
}

impl Credentials {
    /// Credentials the caller has checked (strings unique, users and clients resolved).
    pub fn new(
        tokens: IndexMap<String, AccessToken>,
        oauth_clients: Vec<OAuthClient>,
        grant_codes: Vec<GrantCode>,
    ) -> Self {
        Credentials {
            tokens,
            oauth_clients,
            grant_codes,
            dirty: Dirty::default(),
        }
    }

    /// What changed, for the state file.
    pub fn dirty(&mut self) -> &mut Dirty<CredentialKey> {
        &mut self.dirty
    }

    pub fn access_token(&self, token: &str) -> Option<&AccessToken> {
        self.tokens.get(token)
    }

    pub fn access_tokens(&self) -> impl Iterator<Item = &AccessToken> {
        self.tokens.values()
    }

    pub fn oauth_clients(&self) -> &[OAuthClient] {
        &self.oauth_clients
    }

    pub fn grant_codes(&self) -> &[GrantCode] {
        &self.grant_codes
    }

    pub fn client(&self, client_id: &str) -> Option<&OAuthClient> {
        self.oauth_clients.iter().find(|c| c.client_id == client_id)
    }

    pub fn has_client(&self, client_id: &str, client_secret: &str) -> bool {
        self.oauth_clients
            .iter()
            .any(|c| c.client_id == client_id && c.client_secret == client_secret)
    }

    /// The client that issued a refresh token, and the token.
    pub fn refresh_token(&self, token: &str) -> Option<(&OAuthClient, &RefreshToken)> {
        self.oauth_clients.iter().find_map(|c| {
            c.refresh_tokens
                .iter()
                .find(|r| r.refresh_token == token)
                .map(|r| (c, r))
        })
    }

    pub fn grant_code(&self, code: &str) -> Option<&GrantCode> {
        self.grant_codes.iter().find(|g| g.code == code)
    }

    /// Every credential string the org holds: access tokens, refresh tokens, grant codes.
    pub fn strings(&self) -> impl Iterator<Item = &str> {
        self.tokens
            .keys()
            .map(String::as_str)
            .chain(
                self.oauth_clients
                    .iter()
                    .flat_map(|c| c.refresh_tokens.iter().map(|r| r.refresh_token.as_str())),
            )
            .chain(self.grant_codes.iter().map(|g| g.code.as_str()))
    }

    /// Revokes a live refresh token (and every access token minted from it), or else a live
    /// access token. False when `token` is neither.
    pub fn revoke(&mut self, token: &str, now: Timestamp) -> bool {
        let live_refresh = self
            .oauth_clients
            .iter_mut()
            .flat_map(|c| c.refresh_tokens.iter_mut())
            .find(|r| r.refresh_token == token && !r.revoked);
        if let Some(refresh) = live_refresh {
            refresh.revoked = true;
            self.dirty.mark(|| CredentialKey::Refresh(token.to_owned()));
            for access in self.tokens.values_mut() {
                if access.refresh_token.as_deref() == Some(token) {
                    access.revoked = true;
                    self.dirty
                        .mark(|| CredentialKey::Access(access.access_token.clone()));
                }
            }
            return true;
        }
        match self.tokens.get_mut(token) {
            Some(access) if access.is_live(now) => {
                access.revoked = true;
                self.dirty.mark(|| CredentialKey::Access(token.to_owned()));
                true
            }
            _ => false,
        }
    }

    /// Stores a freshly minted access token. Only `World::mint_credential` calls this.
    pub fn add_access_token(&mut self, token: AccessToken) {
        self.dirty
            .mark(|| CredentialKey::Access(token.access_token.clone()));
        self.tokens.insert(token.access_token.clone(), token);
    }

    /// Stores a freshly minted refresh token under its client; false when the org has no such
    /// client. Only `World::mint_credential` calls this.
    pub fn add_refresh_token(&mut self, client_id: &str, token: RefreshToken) -> bool {
        match self
            .oauth_clients
            .iter_mut()
            .find(|c| c.client_id == client_id)
        {
            Some(client) => {
                self.dirty
                    .mark(|| CredentialKey::Refresh(token.refresh_token.clone()));
                client.refresh_tokens.push(token);
                true
            }
            None => false,
        }
    }

    /// Stores a freshly minted grant code. Only `World::mint_credential` calls this.
    pub fn add_grant_code(&mut self, code: GrantCode) {
        self.dirty
            .mark(|| CredentialKey::GrantCode(code.code.clone()));
        self.grant_codes.push(code);
    }

    /// Takes a grant code out (it is used once). Only `World::redeem_grant_code` calls this.
    pub fn remove_grant_code(&mut self, code: &str) -> Option<GrantCode> {
        let index = self.grant_codes.iter().position(|g| g.code == code)?;
        self.dirty
            .mark(|| CredentialKey::GrantCode(code.to_owned()));
        Some(self.grant_codes.remove(index))
    }
}

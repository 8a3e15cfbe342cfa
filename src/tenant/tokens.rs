//! Access tokens, OAuth clients with their refresh tokens, and one-time authorization codes.
//! Every credential string is unique across the whole state, because the org is found from it.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::ids::UserId;

use super::Org;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessToken {
    pub access_token: String,
    pub user: UserId,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `None` never expires.
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    #[serde(default)]
    pub revoked: bool,
    /// The refresh token this access token was minted from (revoking it revokes this too).
    #[serde(default)]
    pub refresh_token: Option<String>,
}

impl AccessToken {
    /// Expired means "now is at or after the expiry instant" (DESIGN §5).
    pub fn is_live(&self, now: Timestamp) -> bool {
        !self.revoked && self.expires_at.is_none_or(|at| now < at)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshToken {
    pub refresh_token: String,
    pub user: UserId,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub revoked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: String,
    #[serde(default)]
    pub refresh_tokens: Vec<RefreshToken>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantCode {
    pub code: String,
    pub client_id: String,
    pub user: UserId,
    #[serde(default)]
    pub scopes: Vec<String>,
}

impl Org {
    pub fn has_client(&self, client_id: &str, client_secret: &str) -> bool {
        self.oauth_clients
            .iter()
            .any(|c| c.client_id == client_id && c.client_secret == client_secret)
    }

    /// Every credential string the org holds: access tokens, refresh tokens, grant codes.
    pub fn credential_strings(&self) -> impl Iterator<Item = &str> {
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
}

//! The tenant's sections of an org document (DESIGN §3): its identity keys, `users`, `roles`,
//! `groups`, `tokens`, `oauth_clients` and `grant_codes`. Each section is checked whole, in
//! document order, and refused with the JSON path of its first problem; export writes every
//! key back, so export -> import is lossless. The types of [`doc`] are the fixture contract;
//! the model types may change without changing it.

use indexmap::IndexMap;

use crate::ids::{OrgId, UserId};
use crate::json_doc::{FixtureError, SeenIds, check_decimal, fail};

use super::credentials::{AccessToken, Credentials, GrantCode, OAuthClient, RefreshToken};
use super::derive_crm_org_ids;
use super::directory::{Directory, Group, Role, User, derive_zuid};

/// The section's document types: the fixture contract (DESIGN §3). They keep the names serde
/// has always printed in type errors (`expected struct User`), which are part of the
/// whole-file error messages.
pub mod doc {
    use serde::{Deserialize, Serialize};

    use crate::clock::Timestamp;
    use crate::ids::{GroupId, RoleId, UserId};
    use crate::tenant::directory::UserStatus;

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct User {
        pub id: UserId,
        pub email: String,
        pub full_name: String,
        pub role: RoleId,
        pub profile: String,
        pub status: UserStatus,
        /// Derived from the id when absent or empty (spec README §3).
        #[serde(default)]
        pub zuid: String,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Role {
        pub id: RoleId,
        pub name: String,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Group {
        pub id: GroupId,
        pub name: String,
        #[serde(default)]
        pub members: Vec<UserId>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AccessToken {
        pub access_token: String,
        pub user: UserId,
        #[serde(default)]
        pub scopes: Vec<String>,
        /// `null` never expires.
        #[serde(default)]
        pub expires_at: Option<Timestamp>,
        #[serde(default)]
        pub revoked: bool,
        /// The refresh token this access token was minted from.
        #[serde(default)]
        pub refresh_token: Option<String>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RefreshToken {
        pub refresh_token: String,
        pub user: UserId,
        #[serde(default)]
        pub scopes: Vec<String>,
        #[serde(default)]
        pub revoked: bool,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct OAuthClient {
        pub client_id: String,
        pub client_secret: String,
        #[serde(default)]
        pub refresh_tokens: Vec<RefreshToken>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct GrantCode {
        pub code: String,
        pub client_id: String,
        pub user: UserId,
        #[serde(default)]
        pub scopes: Vec<String>,
    }
}

/// The org's CRM org id and `zgid`: as given, else derived from the org key.
pub fn load_identity(
    id: &OrgId,
    crm_org_id: Option<String>,
    zgid: Option<String>,
    path: &str,
    seen: &mut SeenIds,
) -> Result<(String, String), FixtureError> {
    if id.0.is_empty() {
        return fail(format!("{path}.id"), "org id must not be empty");
    }
    let (derived_crm_id, derived_zgid) = derive_crm_org_ids(&id.0);
    let crm_org_id = crm_org_id.unwrap_or(derived_crm_id);
    check_decimal(format!("{path}.crm_org_id"), &crm_org_id)?;
    let zgid = zgid.unwrap_or(derived_zgid);
    check_decimal(format!("{path}.zgid"), &zgid)?;
    seen.claim(format!("{path}.crm_org_id"), "org", &crm_org_id)?;
    Ok((crm_org_id, zgid))
}

/// An email as the fixture checks it: one `@`, a local part, a dotted domain that neither starts
/// nor ends with a dot, no whitespace. (Analytics v1 checks the emails of its requests with a
/// rule of its own, which accepts `a@b.`; see `analytics::v1::email`.)
pub fn is_plausible_email(text: &str) -> bool {
    let mut parts = text.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
        }
        _ => false,
    }
}

/// `users`, then `roles`, then `groups`.
pub fn load_directory(
    users: Vec<doc::User>,
    roles: Vec<doc::Role>,
    groups: Vec<doc::Group>,
    path: &str,
    seen: &mut SeenIds,
) -> Result<Directory, FixtureError> {
    let mut emails: Vec<String> = Vec::with_capacity(users.len());
    for (i, user) in users.iter().enumerate() {
        let p = format!("{path}.users[{i}]");
        check_decimal(format!("{p}.id"), user.id.as_str())?;
        seen.claim(format!("{p}.id"), "user", user.id.as_str())?;
        if !is_plausible_email(&user.email) {
            return fail(
                format!("{p}.email"),
                format!("{:?} is not an email address", user.email),
            );
        }
        let lower = user.email.to_ascii_lowercase();
        if emails.contains(&lower) {
            return fail(
                format!("{p}.email"),
                format!("duplicate user email {:?}", user.email),
            );
        }
        emails.push(lower);
        if !roles.iter().any(|r| r.id == user.role) {
            return fail(
                format!("{p}.role"),
                format!("unknown role id {:?}", user.role.0),
            );
        }
        if user.profile.is_empty() {
            return fail(format!("{p}.profile"), "profile must not be empty");
        }
    }
    for (i, role) in roles.iter().enumerate() {
        check_decimal(format!("{path}.roles[{i}].id"), role.id.as_str())?;
        seen.claim(format!("{path}.roles[{i}].id"), "role", role.id.as_str())?;
    }
    for (i, group) in groups.iter().enumerate() {
        check_decimal(format!("{path}.groups[{i}].id"), group.id.as_str())?;
        seen.claim(format!("{path}.groups[{i}].id"), "group", group.id.as_str())?;
        for (m, member) in group.members.iter().enumerate() {
            if !users.iter().any(|u| u.id == *member) {
                return fail(
                    format!("{path}.groups[{i}].members[{m}]"),
                    format!("unknown user id {:?}", member.0),
                );
            }
        }
    }
    let users = users
        .into_iter()
        .map(|u| User {
            zuid: if u.zuid.is_empty() {
                derive_zuid(u.id.as_str())
            } else {
                u.zuid
            },
            id: u.id,
            email: u.email,
            full_name: u.full_name,
            role: u.role,
            profile: u.profile,
            status: u.status,
        })
        .collect();
    let roles = roles
        .into_iter()
        .map(|r| Role {
            id: r.id,
            name: r.name,
        })
        .collect();
    let groups = groups
        .into_iter()
        .map(|g| Group {
            id: g.id,
            name: g.name,
            members: g.members,
        })
        .collect();
    Ok(Directory::new(users, roles, groups))
}

/// `tokens`, then `oauth_clients`, then `grant_codes`. Strings unique within the org here;
/// across orgs the state's loader checks them ([`credential_paths`]).
pub fn load_credentials(
    tokens: Vec<doc::AccessToken>,
    oauth_clients: Vec<doc::OAuthClient>,
    grant_codes: Vec<doc::GrantCode>,
    directory: &Directory,
    path: &str,
) -> Result<Credentials, FixtureError> {
    let user_known = |id: &UserId| directory.user(id.as_str()).is_some();
    let refresh_known = |t: &str| {
        oauth_clients
            .iter()
            .any(|c| c.refresh_tokens.iter().any(|r| r.refresh_token == t))
    };
    let mut loaded: IndexMap<String, AccessToken> = IndexMap::new();
    for (i, token) in tokens.into_iter().enumerate() {
        let p = format!("{path}.tokens[{i}]");
        if token.access_token.trim().is_empty() {
            return fail(
                format!("{p}.access_token"),
                "access token must not be empty",
            );
        }
        if !user_known(&token.user) {
            return fail(
                format!("{p}.user"),
                format!("unknown user id {:?}", token.user.0),
            );
        }
        if let Some(refresh) = &token.refresh_token
            && !refresh_known(refresh)
        {
            return fail(
                format!("{p}.refresh_token"),
                format!("unknown refresh token {refresh:?}"),
            );
        }
        if loaded.contains_key(&token.access_token) {
            return fail(
                format!("{p}.access_token"),
                format!("credential string {:?} is used twice", token.access_token),
            );
        }
        loaded.insert(
            token.access_token.clone(),
            AccessToken {
                access_token: token.access_token,
                user: token.user,
                scopes: token.scopes,
                expires_at: token.expires_at,
                revoked: token.revoked,
                refresh_token: token.refresh_token,
            },
        );
    }
    for (c, client) in oauth_clients.iter().enumerate() {
        let p = format!("{path}.oauth_clients[{c}]");
        if client.client_id.is_empty() {
            return fail(format!("{p}.client_id"), "client_id must not be empty");
        }
        if oauth_clients[..c]
            .iter()
            .any(|o| o.client_id == client.client_id)
        {
            return fail(
                format!("{p}.client_id"),
                format!("duplicate client_id {:?}", client.client_id),
            );
        }
        for (r, refresh) in client.refresh_tokens.iter().enumerate() {
            if refresh.refresh_token.trim().is_empty() {
                return fail(
                    format!("{p}.refresh_tokens[{r}].refresh_token"),
                    "refresh token must not be empty",
                );
            }
            if !user_known(&refresh.user) {
                return fail(
                    format!("{p}.refresh_tokens[{r}].user"),
                    format!("unknown user id {:?}", refresh.user.0),
                );
            }
        }
    }
    for (g, code) in grant_codes.iter().enumerate() {
        let p = format!("{path}.grant_codes[{g}]");
        if code.code.trim().is_empty() {
            return fail(format!("{p}.code"), "code must not be empty");
        }
        if !oauth_clients.iter().any(|c| c.client_id == code.client_id) {
            return fail(
                format!("{p}.client_id"),
                format!("unknown client_id {:?}", code.client_id),
            );
        }
        if !user_known(&code.user) {
            return fail(
                format!("{p}.user"),
                format!("unknown user id {:?}", code.user.0),
            );
        }
    }
    let clients = oauth_clients
        .into_iter()
        .map(|c| OAuthClient {
            client_id: c.client_id,
            client_secret: c.client_secret,
            refresh_tokens: c
                .refresh_tokens
                .into_iter()
                .map(|r| RefreshToken {
                    refresh_token: r.refresh_token,
                    user: r.user,
                    scopes: r.scopes,
                    revoked: r.revoked,
                })
                .collect(),
        })
        .collect();
    let codes = grant_codes
        .into_iter()
        .map(|g| GrantCode {
            code: g.code,
            client_id: g.client_id,
            user: g.user,
            scopes: g.scopes,
        })
        .collect();
    Ok(Credentials::new(loaded, clients, codes))
}

/// Every credential string of an org with its JSON path, for state-wide uniqueness.
pub fn credential_paths(credentials: &Credentials, path: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, token) in credentials.access_tokens().enumerate() {
        out.push((
            token.access_token.clone(),
            format!("{path}.tokens[{i}].access_token"),
        ));
    }
    for (c, client) in credentials.oauth_clients().iter().enumerate() {
        for (r, refresh) in client.refresh_tokens.iter().enumerate() {
            out.push((
                refresh.refresh_token.clone(),
                format!("{path}.oauth_clients[{c}].refresh_tokens[{r}].refresh_token"),
            ));
        }
    }
    for (g, code) in credentials.grant_codes().iter().enumerate() {
        out.push((code.code.clone(), format!("{path}.grant_codes[{g}].code")));
    }
    out
}

/// `users`, `roles`, `groups` as the directory holds them.
pub fn export_directory(
    directory: &Directory,
) -> (Vec<doc::User>, Vec<doc::Role>, Vec<doc::Group>) {
    let users = directory
        .users()
        .iter()
        .map(|u| doc::User {
            id: u.id.clone(),
            email: u.email.clone(),
            full_name: u.full_name.clone(),
            role: u.role.clone(),
            profile: u.profile.clone(),
            status: u.status,
            zuid: u.zuid.clone(),
        })
        .collect();
    let roles = directory
        .roles()
        .iter()
        .map(|r| doc::Role {
            id: r.id.clone(),
            name: r.name.clone(),
        })
        .collect();
    let groups = directory
        .groups()
        .iter()
        .map(|g| doc::Group {
            id: g.id.clone(),
            name: g.name.clone(),
            members: g.members.clone(),
        })
        .collect();
    (users, roles, groups)
}

/// `tokens`, `oauth_clients`, `grant_codes` as the credentials hold them.
pub fn export_credentials(
    credentials: &Credentials,
) -> (
    Vec<doc::AccessToken>,
    Vec<doc::OAuthClient>,
    Vec<doc::GrantCode>,
) {
    let tokens = credentials
        .access_tokens()
        .map(export_access_token)
        .collect();
    let clients = credentials
        .oauth_clients()
        .iter()
        .map(|c| doc::OAuthClient {
            refresh_tokens: c.refresh_tokens.iter().map(export_refresh_token).collect(),
            ..export_client(c)
        })
        .collect();
    let codes = credentials
        .grant_codes()
        .iter()
        .map(export_grant_code)
        .collect();
    (tokens, clients, codes)
}

// One credential each, as the sections list them (the state file keeps each in this form).

pub fn export_access_token(token: &AccessToken) -> doc::AccessToken {
    doc::AccessToken {
        access_token: token.access_token.clone(),
        user: token.user.clone(),
        scopes: token.scopes.clone(),
        expires_at: token.expires_at,
        revoked: token.revoked,
        refresh_token: token.refresh_token.clone(),
    }
}

/// A client without its refresh tokens.
pub fn export_client(client: &OAuthClient) -> doc::OAuthClient {
    doc::OAuthClient {
        client_id: client.client_id.clone(),
        client_secret: client.client_secret.clone(),
        refresh_tokens: Vec::new(),
    }
}

pub fn export_refresh_token(token: &RefreshToken) -> doc::RefreshToken {
    doc::RefreshToken {
        refresh_token: token.refresh_token.clone(),
        user: token.user.clone(),
        scopes: token.scopes.clone(),
        revoked: token.revoked,
    }
}

pub fn export_grant_code(code: &GrantCode) -> doc::GrantCode {
    doc::GrantCode {
        code: code.code.clone(),
        client_id: code.client_id.clone(),
        user: code.user.clone(),
        scopes: code.scopes.clone(),
    }
}

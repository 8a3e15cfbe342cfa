//! The tenant's sections of an org document (DESIGN §3): its identity keys,
//! `hierarchy_preference`, `profiles`, `users`, `roles`, `groups`, `tokens`, `oauth_clients` and
//! `grant_codes`. Each section is checked whole, in
//! document order, and refused with the JSON path of its first problem; export writes every
//! key back, so export -> import is lossless. The types of [`doc`] are the fixture contract;
//! the model types may change without changing it.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::ids::{OrgId, ProfileId, RoleId, UserId, is_decimal};
use crate::json_doc::{FixtureError, SeenIds, check_decimal, fail};

use super::credentials::{AccessToken, Credentials, GrantCode, OAuthClient, RefreshToken};
use super::derive_crm_org_ids;
use super::directory::{
    AnalyticsRole, Directory, Group, GroupSource, HierarchyPreference, LineProblem, Role, User,
    derive_zuid, line_problem,
};
use super::profiles::{Grants, Profile, derive_profiles};

/// The section's document types: the fixture contract (DESIGN §3). They keep the names serde
/// has always printed in type errors (`expected struct User`), which are part of the
/// whole-file error messages.
pub mod doc {
    use serde::{Deserialize, Serialize};

    use indexmap::IndexMap;

    use crate::clock::Timestamp;
    use crate::ids::{GroupId, RoleId, UserId};
    use crate::tenant::directory::{AnalyticsRole, UserStatus};

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct User {
        pub id: UserId,
        pub email: String,
        pub full_name: String,
        pub role: RoleId,
        pub profile: String,
        pub status: UserStatus,
        /// From the profile when absent (`AnalyticsRole::default_for_profile`).
        #[serde(default)]
        pub analytics_role: Option<AnalyticsRole>,
        /// Derived from the id when absent or empty (spec README §3).
        #[serde(default)]
        pub zuid: String,
        #[serde(default)]
        pub reporting_to: Option<UserId>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Role {
        pub id: RoleId,
        pub name: String,
        #[serde(default)]
        pub reporting_to: Option<RoleId>,
        #[serde(default)]
        pub share_with_peers: bool,
        #[serde(default)]
        pub description: Option<String>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Group {
        pub id: GroupId,
        pub name: String,
        #[serde(default)]
        pub description: Option<String>,
        /// Read only: one `users` source per id. Export writes `sources`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub members: Option<Vec<UserId>>,
        #[serde(default)]
        pub sources: Option<Vec<GroupSource>>,
    }

    /// `{"type": "users", "id"}` or `{"type": "roles", "id", "subordinates"}`. The type is
    /// read as text so that a bad one gets the message of DESIGN §3.
    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct GroupSource {
        #[serde(rename = "type")]
        pub kind: String,
        #[serde(deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub subordinates: Option<bool>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Profile {
        #[serde(deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
        pub name: String,
        #[serde(default)]
        pub description: Option<String>,
        /// By module API name or `"*"`.
        #[serde(default)]
        pub permissions: IndexMap<String, Permissions>,
    }

    /// One module's permissions; each key optional.
    #[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Permissions {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub view: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub create: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub edit: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub delete: Option<bool>,
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
        /// A free name a test finds the token by (`admin`, `amelia`).
        #[serde(default)]
        pub label: Option<String>,
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

/// The org's `analytics_org_id` (what `ZANALYTICS-ORGID` must carry): as given, a decimal
/// string of 1 to 19 digits, else the `zgid` (DESIGN §3).
pub fn load_analytics_org_id(
    given: Option<String>,
    zgid: &str,
    path: &str,
) -> Result<String, FixtureError> {
    match given {
        None => Ok(zgid.to_owned()),
        Some(id) if is_decimal(&id) && id.len() <= 19 => Ok(id),
        Some(id) => fail(
            format!("{path}.analytics_org_id"),
            format!("{id:?} is not a decimal string of 1 to 19 digits"),
        ),
    }
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

/// The directory's keys of an org document, as read and as exported.
#[derive(Clone, Debug, Default)]
pub struct DirectoryDoc {
    /// `None` reads as `role`; export always writes it.
    pub hierarchy_preference: Option<String>,
    /// `None` derives the profiles from the users; export always writes them.
    pub profiles: Option<Vec<doc::Profile>>,
    pub users: Vec<doc::User>,
    pub roles: Vec<doc::Role>,
    pub groups: Vec<doc::Group>,
}

/// The message of a broken reporting line; `kind` names what the line links (`users`, `roles`).
fn line_message(kind: &str, parent: Option<&str>, problem: &LineProblem<'_>) -> String {
    match problem {
        LineProblem::Unknown => format!("unknown {kind} id {:?}", parent.unwrap_or_default()),
        LineProblem::ItSelf => format!("{:?} reports to itself", parent.unwrap_or_default()),
        LineProblem::LoopsBackTo(id) => format!("reporting line loops back to {id:?}"),
    }
}

/// `hierarchy_preference`, then `users`, `roles` (with the role tree), the users' reporting
/// lines, `profiles` (declared, else derived from the users) and `groups` with their sources.
/// The profiles' permission keys name modules, which the CRM checks
/// (`crm::records::fixture::check_profiles`).
pub fn load_directory(
    doc: DirectoryDoc,
    path: &str,
    seen: &mut SeenIds,
) -> Result<Directory, FixtureError> {
    let DirectoryDoc {
        hierarchy_preference,
        profiles,
        users,
        roles,
        groups,
    } = doc;
    // Read as text, so that a bad value gets DESIGN §3's message rather than serde's.
    let hierarchy_preference = match hierarchy_preference.as_deref() {
        None => HierarchyPreference::default(),
        Some(text) => match HierarchyPreference::parse(text) {
            Some(preference) => preference,
            None => {
                return fail(
                    format!("{path}.hierarchy_preference"),
                    r#"expected "role" or "reporting""#,
                );
            }
        },
    };
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
    let role_parents: HashMap<&str, Option<&str>> = roles
        .iter()
        .map(|r| (r.id.as_str(), r.reporting_to.as_ref().map(RoleId::as_str)))
        .collect();
    for (i, role) in roles.iter().enumerate() {
        let parent = role.reporting_to.as_ref().map(RoleId::as_str);
        if let Some(problem) =
            line_problem(role.id.as_str(), parent, |id| role_parents.get(id).copied())
        {
            return fail(
                format!("{path}.roles[{i}].reporting_to"),
                line_message("roles", parent, &problem),
            );
        }
    }
    let managers: HashMap<&str, Option<&str>> = users
        .iter()
        .map(|u| (u.id.as_str(), u.reporting_to.as_ref().map(UserId::as_str)))
        .collect();
    for (i, user) in users.iter().enumerate() {
        let parent = user.reporting_to.as_ref().map(UserId::as_str);
        if let Some(problem) =
            line_problem(user.id.as_str(), parent, |id| managers.get(id).copied())
        {
            return fail(
                format!("{path}.users[{i}].reporting_to"),
                line_message("users", parent, &problem),
            );
        }
    }
    let declared = match profiles {
        Some(docs) => Some(load_profiles(docs, &users, path)?),
        None => None,
    };
    let groups = load_groups(groups, &users, &roles, path, seen)?;
    let users: Vec<User> = users
        .into_iter()
        .map(|u| User {
            zuid: if u.zuid.is_empty() {
                derive_zuid(u.id.as_str())
            } else {
                u.zuid
            },
            analytics_role: u
                .analytics_role
                .unwrap_or_else(|| AnalyticsRole::default_for_profile(&u.profile)),
            id: u.id,
            email: u.email,
            full_name: u.full_name,
            role: u.role,
            profile: u.profile,
            status: u.status,
            reporting_to: u.reporting_to,
        })
        .collect();
    let roles = roles
        .into_iter()
        .map(|r| Role {
            id: r.id,
            name: r.name,
            reporting_to: r.reporting_to,
            share_with_peers: r.share_with_peers,
            description: r.description,
        })
        .collect();
    let profiles =
        declared.unwrap_or_else(|| derive_profiles(users.iter().map(|u| u.profile.as_str())));
    Ok(Directory::new(
        hierarchy_preference,
        profiles,
        users,
        roles,
        groups,
    ))
}

/// Declared profiles: ids decimal and unique, names non-empty and unique; then every user
/// names one of them.
fn load_profiles(
    docs: Vec<doc::Profile>,
    users: &[doc::User],
    path: &str,
) -> Result<Vec<Profile>, FixtureError> {
    for (i, profile) in docs.iter().enumerate() {
        let p = format!("{path}.profiles[{i}]");
        check_decimal(format!("{p}.id"), &profile.id)?;
        if docs[..i].iter().any(|other| other.id == profile.id) {
            return fail(
                format!("{p}.id"),
                format!("duplicate profile id {:?}", profile.id),
            );
        }
        if profile.name.is_empty() {
            return fail(format!("{p}.name"), "profile name must not be empty");
        }
        if docs[..i].iter().any(|other| other.name == profile.name) {
            return fail(
                format!("{p}.name"),
                format!("duplicate profile name {:?}", profile.name),
            );
        }
    }
    for (i, user) in users.iter().enumerate() {
        if !docs.iter().any(|p| p.name == user.profile) {
            return fail(
                format!("{path}.users[{i}].profile"),
                format!("unknown profile {:?}", user.profile),
            );
        }
    }
    Ok(docs
        .into_iter()
        .map(|p| Profile {
            id: ProfileId(p.id),
            name: p.name,
            description: p.description,
            permissions: p
                .permissions
                .into_iter()
                .map(|(key, g)| {
                    let grants = Grants {
                        view: g.view,
                        create: g.create,
                        edit: g.edit,
                        delete: g.delete,
                    };
                    (key, grants)
                })
                .collect(),
        })
        .collect())
}

/// Groups: ids, then `members` (read as users sources) or `sources`, never both.
fn load_groups(
    groups: Vec<doc::Group>,
    users: &[doc::User],
    roles: &[doc::Role],
    path: &str,
    seen: &mut SeenIds,
) -> Result<Vec<Group>, FixtureError> {
    let mut loaded = Vec::with_capacity(groups.len());
    for (i, group) in groups.into_iter().enumerate() {
        let p = format!("{path}.groups[{i}]");
        check_decimal(format!("{p}.id"), group.id.as_str())?;
        seen.claim(format!("{p}.id"), "group", group.id.as_str())?;
        let sources = match (group.members, group.sources) {
            (Some(_), Some(_)) => {
                return fail(
                    format!("{p}.members"),
                    "a group gives either members or sources, not both",
                );
            }
            (Some(members), None) => {
                for (m, member) in members.iter().enumerate() {
                    if !users.iter().any(|u| u.id == *member) {
                        return fail(
                            format!("{p}.members[{m}]"),
                            format!("unknown user id {:?}", member.0),
                        );
                    }
                }
                members.into_iter().map(GroupSource::User).collect()
            }
            (None, Some(sources)) => load_sources(sources, users, roles, &p)?,
            (None, None) => Vec::new(),
        };
        loaded.push(Group {
            id: group.id,
            name: group.name,
            description: group.description,
            sources,
        });
    }
    Ok(loaded)
}

/// One group's `sources`: a type of `users` or `roles`, an id of that kind, `subordinates` on
/// roles sources only, no source twice.
fn load_sources(
    sources: Vec<doc::GroupSource>,
    users: &[doc::User],
    roles: &[doc::Role],
    group_path: &str,
) -> Result<Vec<GroupSource>, FixtureError> {
    let mut loaded: Vec<GroupSource> = Vec::with_capacity(sources.len());
    for (s, source) in sources.into_iter().enumerate() {
        let p = format!("{group_path}.sources[{s}]");
        let parsed = match source.kind.as_str() {
            "users" => {
                if !users.iter().any(|u| u.id.as_str() == source.id) {
                    return fail(
                        format!("{p}.id"),
                        format!("unknown users id {:?}", source.id),
                    );
                }
                if source.subordinates.is_some() {
                    return fail(
                        format!("{p}.subordinates"),
                        "subordinates is allowed on roles sources only",
                    );
                }
                GroupSource::User(UserId::from(source.id))
            }
            "roles" => {
                if !roles.iter().any(|r| r.id.as_str() == source.id) {
                    return fail(
                        format!("{p}.id"),
                        format!("unknown roles id {:?}", source.id),
                    );
                }
                GroupSource::Role {
                    id: RoleId::from(source.id),
                    subordinates: source.subordinates.unwrap_or(false),
                }
            }
            _ => return fail(format!("{p}.type"), r#"expected "users" or "roles""#),
        };
        let same = |other: &GroupSource| match (other, &parsed) {
            (GroupSource::User(a), GroupSource::User(b)) => a == b,
            (GroupSource::Role { id: a, .. }, GroupSource::Role { id: b, .. }) => a == b,
            _ => false,
        };
        if loaded.iter().any(same) {
            return fail(p, "the same source is given twice");
        }
        loaded.push(parsed);
    }
    Ok(loaded)
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
    let mut loaded: IndexMap<String, AccessToken> = IndexMap::with_capacity(tokens.len());
    for (i, token) in tokens.into_iter().enumerate() {
        // Built only for a message: a copy of an org loads its tokens every time.
        let p = |key: &str| format!("{path}.tokens[{i}].{key}");
        if token.access_token.trim().is_empty() {
            return fail(p("access_token"), "access token must not be empty");
        }
        if !user_known(&token.user) {
            return fail(p("user"), format!("unknown user id {:?}", token.user.0));
        }
        if let Some(refresh) = &token.refresh_token
            && !refresh_known(refresh)
        {
            return fail(
                p("refresh_token"),
                format!("unknown refresh token {refresh:?}"),
            );
        }
        if loaded.contains_key(&token.access_token) {
            return fail(
                p("access_token"),
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
                label: token.label,
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

/// Every directory key as the directory holds it: the preference, every profile (derived
/// ones included), users with their reporting lines, roles with the tree, groups as sources.
pub fn export_directory(directory: &Directory) -> DirectoryDoc {
    let profiles = directory
        .profiles()
        .iter()
        .map(|p| doc::Profile {
            id: p.id.0.clone(),
            name: p.name.clone(),
            description: p.description.clone(),
            permissions: p
                .permissions
                .iter()
                .map(|(key, g)| {
                    let permissions = doc::Permissions {
                        view: g.view,
                        create: g.create,
                        edit: g.edit,
                        delete: g.delete,
                    };
                    (key.clone(), permissions)
                })
                .collect(),
        })
        .collect();
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
            analytics_role: Some(u.analytics_role),
            zuid: u.zuid.clone(),
            reporting_to: u.reporting_to.clone(),
        })
        .collect();
    let roles = directory
        .roles()
        .iter()
        .map(|r| doc::Role {
            id: r.id.clone(),
            name: r.name.clone(),
            reporting_to: r.reporting_to.clone(),
            share_with_peers: r.share_with_peers,
            description: r.description.clone(),
        })
        .collect();
    let groups = directory
        .groups()
        .iter()
        .map(|g| doc::Group {
            id: g.id.clone(),
            name: g.name.clone(),
            description: g.description.clone(),
            members: None,
            sources: Some(
                g.sources
                    .iter()
                    .map(|source| match source {
                        GroupSource::User(id) => doc::GroupSource {
                            kind: "users".to_owned(),
                            id: id.0.to_string(),
                            subordinates: None,
                        },
                        GroupSource::Role { id, subordinates } => doc::GroupSource {
                            kind: "roles".to_owned(),
                            id: id.0.to_string(),
                            subordinates: Some(*subordinates),
                        },
                    })
                    .collect(),
            ),
        })
        .collect();
    DirectoryDoc {
        hierarchy_preference: Some(directory.hierarchy_preference().as_str().to_owned()),
        profiles: Some(profiles),
        users,
        roles,
        groups,
    }
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
        label: token.label.clone(),
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

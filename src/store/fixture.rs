//! The fixture document (DESIGN §3) <-> `World`. The same shape is read from `--fixtures`,
//! `--state-file`, `PUT /__admin/state` and `POST /__admin/orgs`, and written by
//! `GET /__admin/state`, so export -> import is lossless. Loading validates the whole document
//! and refuses it with a message naming the JSON path of the first problem.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::analytics::workspaces::model::{Workspace, Workspaces};
use crate::clock::Timestamp;
use crate::crm::data_sharing_rules::model::{
    Rule, RulePermission, RuleStatus, RuleType, SharedKind, SharedSpec, SharingRules,
};
use crate::crm::data_sharing_settings::model::{DataSharingSettings, ShareType};
use crate::crm::record_sharing::model::{
    MAX_SHARED_GROUPS, MAX_SHARED_ROLES, MAX_SHARED_USERS, Permission, RecordShares, Share,
    ShareSetError, ShareTarget, TargetKind,
};
use crate::crm::records::model::{Record, Records};
use crate::crm::registry::{self, CustomModule, ModuleLookup};
use crate::crm::state::CrmState;
use crate::ids::{IdGenerator, OrgId, RecordId, RuleId, UserId, is_decimal};
use crate::tenant::credentials::{AccessToken, Credentials, GrantCode, OAuthClient};
use crate::tenant::directory::{Directory, Group, Role, User, derive_zuid};
use crate::tenant::{Tenant, derive_crm_org_ids};

use super::org::Org;

use crate::json_doc::{FixtureError, parse_json};

use super::world::{World, first_free_org_id};

/// The default state, compiled into the binary (DESIGN §4).
pub const SANDBOX_JSON: &str = include_str!("../../fixtures/sandbox.json");

/// The whole state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateDoc {
    #[serde(default)]
    pub orgs: Vec<OrgDoc>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgDoc {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "optional_id")]
    pub crm_org_id: Option<String>,
    #[serde(default, deserialize_with = "optional_id")]
    pub zgid: Option<String>,
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub tokens: Vec<AccessToken>,
    #[serde(default)]
    pub oauth_clients: Vec<OAuthClient>,
    #[serde(default)]
    pub grant_codes: Vec<GrantCode>,
    #[serde(default)]
    pub custom_modules: Vec<CustomModule>,
    #[serde(default)]
    pub records: Vec<Record>,
    #[serde(default)]
    pub shares: Vec<ShareDoc>,
    #[serde(default)]
    pub sharing_rules: Vec<RuleDoc>,
    #[serde(default)]
    pub rule_computation: IndexMap<String, bool>,
    #[serde(default)]
    pub data_sharing: IndexMap<String, ShareType>,
    #[serde(default)]
    pub analytics: AnalyticsDoc,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsDoc {
    #[serde(default)]
    pub workspaces: Vec<Workspace>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareVisibility {
    #[default]
    Private,
    Public,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareDoc {
    pub module: String,
    pub record: RecordId,
    /// `null` (or absent) for the public share.
    #[serde(default)]
    pub shared_with: Option<ShareTarget>,
    #[serde(default = "default_permission")]
    pub permission: Permission,
    #[serde(default)]
    pub share_related_records: bool,
    #[serde(rename = "type", default)]
    pub visibility: ShareVisibility,
    /// Defaults to the record owner.
    #[serde(default)]
    pub shared_by: Option<UserId>,
    /// Defaults to the load time.
    #[serde(default)]
    pub shared_time: Option<Timestamp>,
}

fn default_permission() -> Permission {
    Permission::FullAccess
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub id: RuleId,
    pub module: String,
    pub name: String,
    #[serde(rename = "type")]
    pub rule_type: RuleType,
    pub permission_type: RulePermission,
    pub superiors_allowed: bool,
    #[serde(default = "default_status")]
    pub status: RuleStatus,
    #[serde(default)]
    pub criteria: Option<serde_json::Value>,
    #[serde(default)]
    pub match_limit_exceeded: bool,
    #[serde(default)]
    pub shared_from: Option<SharedDoc>,
    pub shared_to: SharedDoc,
}

fn default_status() -> RuleStatus {
    RuleStatus::Active
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceDoc>,
    #[serde(default)]
    pub subordinates: bool,
    #[serde(rename = "type")]
    pub kind: SharedKind,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceDoc {
    #[serde(deserialize_with = "crate::ids::deserialize_id")]
    pub id: String,
    /// Ignored on input (the org's role or group name is used); written on export.
    #[serde(default)]
    pub name: Option<String>,
}

fn optional_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "crate::ids::deserialize_id")] String);
    Ok(Option::<Wrapped>::deserialize(d)?.map(|w| w.0))
}

fn fail<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, FixtureError> {
    Err(FixtureError {
        path: path.into(),
        message: message.into(),
    })
}

pub fn parse_state(bytes: &[u8]) -> Result<StateDoc, FixtureError> {
    parse_json(bytes)
}

impl World {
    /// Validates a whole document and builds the state from it.
    pub fn from_doc(doc: StateDoc, now: Timestamp) -> Result<World, FixtureError> {
        let explicit: HashSet<String> = doc.orgs.iter().filter_map(|o| o.id.clone()).collect();
        let mut orgs: IndexMap<OrgId, Org> = IndexMap::new();
        let mut credentials: HashMap<String, String> = HashMap::new();
        for (index, org_doc) in doc.orgs.into_iter().enumerate() {
            let path = format!("$.orgs[{index}]");
            let id = match &org_doc.id {
                Some(id) => OrgId(id.clone()),
                None => first_free_org_id(|id| explicit.contains(id) || orgs.contains_key(id)),
            };
            if orgs.contains_key(&id) {
                return fail(format!("{path}.id"), format!("duplicate org id {:?}", id.0));
            }
            let org = build_org(org_doc, id, &path, now)?;
            for (credential, credential_path) in credential_paths(&org.tenant.credentials, &path) {
                if let Some(first) = credentials.get(&credential) {
                    return fail(
                        credential_path,
                        format!("credential string {credential:?} is already used at {first}"),
                    );
                }
                credentials.insert(credential, credential_path);
            }
            orgs.insert(org.id().clone(), org);
        }
        Ok(World::from_orgs(orgs))
    }

    pub fn to_doc(&self, now: Timestamp) -> StateDoc {
        StateDoc {
            orgs: self.orgs().map(|org| org_to_doc(org, now)).collect(),
        }
    }
}

/// Every credential string of an org with its JSON path, for state-wide uniqueness.
fn credential_paths(credentials: &Credentials, path: &str) -> Vec<(String, String)> {
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

fn check_decimal(path: String, id: &str) -> Result<(), FixtureError> {
    if is_decimal(id) {
        Ok(())
    } else {
        fail(path, format!("id {id:?} is not a decimal string"))
    }
}

fn check_unique<'a>(
    seen: &mut HashSet<&'a str>,
    path: String,
    what: &str,
    id: &'a str,
) -> Result<(), FixtureError> {
    if seen.insert(id) {
        Ok(())
    } else {
        fail(path, format!("duplicate {what} id {id:?}"))
    }
}

/// Validates one org document and builds the org (`id` already decided by the caller).
pub fn build_org(doc: OrgDoc, id: OrgId, path: &str, now: Timestamp) -> Result<Org, FixtureError> {
    if id.0.is_empty() {
        return fail(format!("{path}.id"), "org id must not be empty");
    }
    let (derived_crm_id, derived_zgid) = derive_crm_org_ids(&id.0);
    let crm_org_id = doc.crm_org_id.clone().unwrap_or(derived_crm_id);
    check_decimal(format!("{path}.crm_org_id"), &crm_org_id)?;
    let zgid = doc.zgid.clone().unwrap_or(derived_zgid);
    check_decimal(format!("{path}.zgid"), &zgid)?;

    let mut ids: HashSet<&str> = HashSet::new();
    ids.insert(crm_org_id.as_str());

    // Directory.
    let mut emails: HashSet<String> = HashSet::new();
    for (i, user) in doc.users.iter().enumerate() {
        let p = format!("{path}.users[{i}]");
        check_decimal(format!("{p}.id"), user.id.as_str())?;
        check_unique(&mut ids, format!("{p}.id"), "user", user.id.as_str())?;
        if !is_plausible_email(&user.email) {
            return fail(
                format!("{p}.email"),
                format!("{:?} is not an email address", user.email),
            );
        }
        if !emails.insert(user.email.to_ascii_lowercase()) {
            return fail(
                format!("{p}.email"),
                format!("duplicate user email {:?}", user.email),
            );
        }
        if !doc.roles.iter().any(|r| r.id == user.role) {
            return fail(
                format!("{p}.role"),
                format!("unknown role id {:?}", user.role.0),
            );
        }
        if user.profile.is_empty() {
            return fail(format!("{p}.profile"), "profile must not be empty");
        }
    }
    for (i, role) in doc.roles.iter().enumerate() {
        check_decimal(format!("{path}.roles[{i}].id"), role.id.as_str())?;
        check_unique(
            &mut ids,
            format!("{path}.roles[{i}].id"),
            "role",
            role.id.as_str(),
        )?;
    }
    let user_known = |id: &str| doc.users.iter().any(|u| u.id.as_str() == id);
    for (i, group) in doc.groups.iter().enumerate() {
        check_decimal(format!("{path}.groups[{i}].id"), group.id.as_str())?;
        check_unique(
            &mut ids,
            format!("{path}.groups[{i}].id"),
            "group",
            group.id.as_str(),
        )?;
        for (m, member) in group.members.iter().enumerate() {
            if !user_known(member.as_str()) {
                return fail(
                    format!("{path}.groups[{i}].members[{m}]"),
                    format!("unknown user id {:?}", member.0),
                );
            }
        }
    }

    // Custom modules.
    for (i, module) in doc.custom_modules.iter().enumerate() {
        let p = format!("{path}.custom_modules[{i}]");
        if module.api_name.is_empty() || registry::is_standard_name(&module.api_name) {
            return fail(
                format!("{p}.api_name"),
                format!("{:?} cannot name a custom module", module.api_name),
            );
        }
        if doc.custom_modules[..i]
            .iter()
            .any(|m| m.api_name.eq_ignore_ascii_case(&module.api_name))
        {
            return fail(
                format!("{p}.api_name"),
                format!("duplicate custom module {:?}", module.api_name),
            );
        }
        check_decimal(format!("{p}.id"), &module.id)?;
        check_unique(&mut ids, format!("{p}.id"), "custom module", &module.id)?;
    }
    let canonical_module = |p: String, name: &str| -> Result<String, FixtureError> {
        match registry::lookup(&doc.custom_modules, name) {
            ModuleLookup::Known(m) => Ok(m.api_name.to_owned()),
            _ => fail(p, format!("unknown module {name:?}")),
        }
    };

    // Records.
    let mut records: IndexMap<RecordId, Record> = IndexMap::new();
    for (i, record) in doc.records.iter().enumerate() {
        let p = format!("{path}.records[{i}]");
        let module = canonical_module(format!("{p}.module"), &record.module)?;
        check_decimal(format!("{p}.id"), record.id.as_str())?;
        check_unique(&mut ids, format!("{p}.id"), "record", record.id.as_str())?;
        if !user_known(record.owner.as_str()) {
            return fail(
                format!("{p}.owner"),
                format!("unknown user id {:?}", record.owner.0),
            );
        }
        records.insert(
            record.id.clone(),
            Record {
                module,
                id: record.id.clone(),
                owner: record.owner.clone(),
            },
        );
    }

    let records = Records::new(doc.custom_modules.clone(), records);

    // Credentials.
    let mut tokens: IndexMap<String, AccessToken> = IndexMap::new();
    let refresh_known = |t: &str| {
        doc.oauth_clients
            .iter()
            .any(|c| c.refresh_tokens.iter().any(|r| r.refresh_token == t))
    };
    for (i, token) in doc.tokens.iter().enumerate() {
        let p = format!("{path}.tokens[{i}]");
        if token.access_token.trim().is_empty() {
            return fail(
                format!("{p}.access_token"),
                "access token must not be empty",
            );
        }
        if !user_known(token.user.as_str()) {
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
        if tokens.contains_key(&token.access_token) {
            return fail(
                format!("{p}.access_token"),
                format!("credential string {:?} is used twice", token.access_token),
            );
        }
        tokens.insert(token.access_token.clone(), token.clone());
    }
    for (c, client) in doc.oauth_clients.iter().enumerate() {
        let p = format!("{path}.oauth_clients[{c}]");
        if client.client_id.is_empty() {
            return fail(format!("{p}.client_id"), "client_id must not be empty");
        }
        if doc.oauth_clients[..c]
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
            if !user_known(refresh.user.as_str()) {
                return fail(
                    format!("{p}.refresh_tokens[{r}].user"),
                    format!("unknown user id {:?}", refresh.user.0),
                );
            }
        }
    }
    for (g, code) in doc.grant_codes.iter().enumerate() {
        let p = format!("{path}.grant_codes[{g}]");
        if code.code.trim().is_empty() {
            return fail(format!("{p}.code"), "code must not be empty");
        }
        if !doc
            .oauth_clients
            .iter()
            .any(|c| c.client_id == code.client_id)
        {
            return fail(
                format!("{p}.client_id"),
                format!("unknown client_id {:?}", code.client_id),
            );
        }
        if !user_known(code.user.as_str()) {
            return fail(
                format!("{p}.user"),
                format!("unknown user id {:?}", code.user.0),
            );
        }
    }

    // Shares.
    let mut shares = RecordShares::default();
    let now_secs = now.truncated_to_secs();
    for (i, share) in doc.shares.iter().enumerate() {
        let p = format!("{path}.shares[{i}]");
        let record = records
            .get(share.record.as_str())
            .ok_or_else(|| FixtureError {
                path: format!("{p}.record"),
                message: format!("unknown record id {:?}", share.record.0),
            })?;
        if !record.module.eq_ignore_ascii_case(&share.module) {
            return fail(
                format!("{p}.module"),
                format!(
                    "record {:?} is a {} record, not {:?}",
                    record.id.0, record.module, share.module
                ),
            );
        }
        let shared_by = share
            .shared_by
            .clone()
            .unwrap_or_else(|| record.owner.clone());
        if !user_known(shared_by.as_str()) {
            return fail(
                format!("{p}.shared_by"),
                format!("unknown user id {:?}", shared_by.0),
            );
        }
        let target = match (share.visibility, &share.shared_with) {
            (ShareVisibility::Public, None) => None,
            (ShareVisibility::Public, Some(_)) => {
                return fail(
                    format!("{p}.shared_with"),
                    "a public share has no shared_with",
                );
            }
            (ShareVisibility::Private, None) => {
                return fail(
                    format!("{p}.shared_with"),
                    "a private share needs shared_with",
                );
            }
            (ShareVisibility::Private, Some(target)) => {
                let known = match target.kind {
                    TargetKind::Users => user_known(&target.id),
                    TargetKind::Groups => doc.groups.iter().any(|g| g.id.as_str() == target.id),
                    TargetKind::Roles => doc.roles.iter().any(|r| r.id.as_str() == target.id),
                };
                if !known {
                    return fail(
                        format!("{p}.shared_with.id"),
                        format!("unknown {} id {:?}", target.kind.as_str(), target.id),
                    );
                }
                Some(target.clone())
            }
        };
        let loaded = shares.load(
            record,
            Share {
                target,
                permission: share.permission,
                share_related_records: share.share_related_records,
                shared_by,
                shared_time: share.shared_time.unwrap_or(now_secs).truncated_to_secs(),
                position: u32::try_from(i).unwrap_or(u32::MAX),
            },
        );
        match loaded {
            Ok(()) => {}
            Err(ShareSetError::OwnerIsTarget) => {
                return fail(
                    format!("{p}.shared_with.id"),
                    "a record is never shared with its owner",
                );
            }
            Err(ShareSetError::PublicAndPrivate) => {
                return fail(
                    format!("{p}.type"),
                    "a record has either one public share or private shares, never both",
                );
            }
            Err(ShareSetError::DuplicateTarget) => {
                return fail(
                    format!("{p}.shared_with"),
                    "the record is already shared with this target",
                );
            }
            Err(ShareSetError::OverLimit) => {
                return fail(
                    p,
                    format!(
                        "record {:?} is shared with more than {MAX_SHARED_USERS} users, \
                         {MAX_SHARED_GROUPS} groups or {MAX_SHARED_ROLES} roles",
                        record.id.0
                    ),
                );
            }
        }
    }

    // Data sharing rules.
    let mut rules = SharingRules::default();
    for (i, rule) in doc.sharing_rules.iter().enumerate() {
        let p = format!("{path}.sharing_rules[{i}]");
        check_decimal(format!("{p}.id"), rule.id.as_str())?;
        check_unique(&mut ids, format!("{p}.id"), "rule", rule.id.as_str())?;
        let module = canonical_module(format!("{p}.module"), &rule.module)?;
        if rule.name.is_empty() {
            return fail(format!("{p}.name"), "name must not be empty");
        }
        if rules.name_taken(&module, &rule.name, None) {
            return fail(
                format!("{p}.name"),
                format!("duplicate rule name {:?} in {module}", rule.name),
            );
        }
        let shared = |q: String, s: &SharedDoc, from: bool| -> Result<SharedSpec, FixtureError> {
            let resource = match s.kind {
                kind if from && !kind.may_share_from() => {
                    return fail(format!("{q}.type"), "shared_from cannot be all_users");
                }
                SharedKind::AllUsers => None,
                SharedKind::Roles | SharedKind::Groups => {
                    let resource = s.resource.as_ref().ok_or_else(|| FixtureError {
                        path: format!("{q}.resource"),
                        message: "resource is required for roles and groups".into(),
                    })?;
                    let known = if s.kind == SharedKind::Roles {
                        doc.roles.iter().any(|r| r.id.as_str() == resource.id)
                    } else {
                        doc.groups.iter().any(|g| g.id.as_str() == resource.id)
                    };
                    if !known {
                        return fail(
                            format!("{q}.resource.id"),
                            format!("unknown role or group id {:?}", resource.id),
                        );
                    }
                    Some(resource.id.clone())
                }
            };
            Ok(SharedSpec {
                kind: s.kind,
                resource,
                subordinates: s.subordinates,
            })
        };
        let shared_to = shared(format!("{p}.shared_to"), &rule.shared_to, false)?;
        let (shared_from, criteria) = match rule.rule_type {
            RuleType::RecordOwnerBased => {
                let from = rule.shared_from.as_ref().ok_or_else(|| FixtureError {
                    path: format!("{p}.shared_from"),
                    message: "shared_from is required for Record_Owner_Based rules".into(),
                })?;
                (Some(shared(format!("{p}.shared_from"), from, true)?), None)
            }
            RuleType::CriteriaBased => {
                let criteria = rule.criteria.clone().filter(|c| !c.is_null());
                match criteria {
                    Some(criteria @ serde_json::Value::Object(_)) => (None, Some(criteria)),
                    _ => {
                        return fail(
                            format!("{p}.criteria"),
                            "criteria (an object) is required for Criteria_Based rules",
                        );
                    }
                }
            }
        };
        rules.load(Rule {
            id: rule.id.clone(),
            module,
            name: rule.name.clone(),
            rule_type: rule.rule_type,
            permission_type: rule.permission_type,
            superiors_allowed: rule.superiors_allowed,
            status: rule.status,
            criteria,
            match_limit_exceeded: rule.match_limit_exceeded,
            shared_from,
            shared_to,
        });
    }
    for (name, running) in &doc.rule_computation {
        let module = canonical_module(format!("{path}.rule_computation.{name}"), name)?;
        rules.pin_computation(&module, *running);
    }
    let mut settings = DataSharingSettings::default();
    for (name, share_type) in &doc.data_sharing {
        canonical_module(format!("{path}.data_sharing.{name}"), name)?;
        if let ModuleLookup::Known(module) = records.module(name) {
            settings.update(&[(module, *share_type)]);
        }
    }

    // Analytics.
    let email_known = |email: &str| {
        doc.users
            .iter()
            .any(|u| u.email.eq_ignore_ascii_case(email))
    };
    for (i, ws) in doc.analytics.workspaces.iter().enumerate() {
        let p = format!("{path}.analytics.workspaces[{i}]");
        if !ws.id.is_empty() {
            check_decimal(format!("{p}.id"), &ws.id)?;
            check_unique(&mut ids, format!("{p}.id"), "workspace", &ws.id)?;
        }
        if ws.name.is_empty() {
            return fail(format!("{p}.name"), "name must not be empty");
        }
        if !email_known(&ws.owner_email) {
            return fail(
                format!("{p}.owner_email"),
                format!("{:?} is not the email of a user of the org", ws.owner_email),
            );
        }
        if doc.analytics.workspaces[..i]
            .iter()
            .any(|o| o.owner_email.eq_ignore_ascii_case(&ws.owner_email) && o.name == ws.name)
        {
            return fail(
                format!("{p}.name"),
                format!("duplicate workspace {:?} of {}", ws.name, ws.owner_email),
            );
        }
        for (key, list) in [("admins", &ws.admins), ("users", &ws.users)] {
            for (e, email) in list.iter().enumerate() {
                if !email_known(email) {
                    return fail(
                        format!("{p}.{key}[{e}]"),
                        format!("{email:?} is not the email of a user of the org"),
                    );
                }
                if list[..e].iter().any(|o| o.eq_ignore_ascii_case(email)) {
                    return fail(
                        format!("{p}.{key}[{e}]"),
                        format!("duplicate email {email:?}"),
                    );
                }
            }
        }
        if ws.is_admin(&ws.owner_email) {
            return fail(
                format!("{p}.admins"),
                "the workspace owner is never one of its admins",
            );
        }
    }

    let generator = IdGenerator::after(ids.iter().copied());
    let mut users = doc.users;
    for user in &mut users {
        if user.zuid.is_empty() {
            user.zuid = derive_zuid(user.id.as_str());
        }
    }
    let tenant = Tenant::new(
        id.clone(),
        doc.name.unwrap_or_else(|| id.0.clone()),
        crm_org_id,
        zgid,
        Directory::new(users, doc.roles, doc.groups),
        Credentials::new(tokens, doc.oauth_clients, doc.grant_codes),
    );
    let crm = CrmState {
        records,
        shares,
        rules,
        settings,
    };
    let mut org = Org::new(
        tenant,
        crm,
        Workspaces::new(doc.analytics.workspaces),
        generator,
    );
    while let Some(slot) = org.analytics.first_without_id() {
        let id = org.new_id();
        if let Some(workspace) = org.analytics.get_mut(slot) {
            workspace.id = id;
        }
    }
    Ok(org)
}

/// An email as the mock checks it: one `@`, a local part, a dotted domain, no whitespace.
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

pub fn org_to_doc(org: &Org, now: Timestamp) -> OrgDoc {
    let Org { tenant, crm, .. } = org;
    let directory = &tenant.directory;
    let credentials = &tenant.credentials;
    let shares = crm
        .records
        .iter()
        .flat_map(|record| {
            crm.shares
                .of(record.id.as_str())
                .iter()
                .map(|share| ShareDoc {
                    module: record.module.clone(),
                    record: record.id.clone(),
                    shared_with: share.target.clone(),
                    permission: share.permission,
                    share_related_records: share.share_related_records,
                    visibility: if share.is_public() {
                        ShareVisibility::Public
                    } else {
                        ShareVisibility::Private
                    },
                    shared_by: Some(share.shared_by.clone()),
                    shared_time: Some(share.shared_time),
                })
        })
        .collect();
    let shared_doc = |spec: &SharedSpec| SharedDoc {
        resource: spec.resource.as_ref().map(|id| ResourceDoc {
            id: id.clone(),
            name: match spec.kind {
                SharedKind::Roles => directory.role(id).map(|r| r.name.clone()),
                SharedKind::Groups => directory.group(id).map(|g| g.name.clone()),
                SharedKind::AllUsers => None,
            },
        }),
        subordinates: spec.subordinates,
        kind: spec.kind,
    };
    let sharing_rules = crm
        .rules
        .all()
        .iter()
        .map(|rule| RuleDoc {
            id: rule.id.clone(),
            module: rule.module.clone(),
            name: rule.name.clone(),
            rule_type: rule.rule_type,
            permission_type: rule.permission_type,
            superiors_allowed: rule.superiors_allowed,
            status: rule.status,
            criteria: rule.criteria.clone(),
            match_limit_exceeded: rule.match_limit_exceeded,
            shared_from: rule.shared_from.as_ref().map(shared_doc),
            shared_to: shared_doc(&rule.shared_to),
        })
        .collect();
    OrgDoc {
        id: Some(tenant.id().0.clone()),
        name: Some(tenant.name().to_owned()),
        crm_org_id: Some(tenant.crm_org_id().to_owned()),
        zgid: Some(tenant.zgid().to_owned()),
        users: directory.users().to_vec(),
        roles: directory.roles().to_vec(),
        groups: directory.groups().to_vec(),
        tokens: credentials.access_tokens().cloned().collect(),
        oauth_clients: credentials.oauth_clients().to_vec(),
        grant_codes: credentials.grant_codes().to_vec(),
        custom_modules: crm.records.custom_modules().to_vec(),
        records: crm.records.iter().cloned().collect(),
        shares,
        sharing_rules,
        rule_computation: crm
            .records
            .modules()
            .map(|m| {
                (
                    m.api_name.to_owned(),
                    crm.rules.computation_running(m.api_name, now),
                )
            })
            .collect(),
        data_sharing: crm
            .records
            .modules()
            .map(|m| (m.api_name.to_owned(), crm.settings.share_type(m.api_name)))
            .collect(),
        analytics: AnalyticsDoc {
            workspaces: org.analytics.all().to_vec(),
        },
    }
}

/// The embedded sandbox's org `zylker`, loaded at `now`: the state most unit tests start from.
#[cfg(test)]
pub fn sandbox_org(now: Timestamp) -> Org {
    let doc = parse_state(SANDBOX_JSON.as_bytes()).expect("the sandbox parses");
    let mut world = World::from_doc(doc, now).expect("the sandbox loads");
    world.remove_org("zylker").expect("the sandbox has zylker")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(json: &str) -> Result<World, FixtureError> {
        World::from_doc(parse_state(json.as_bytes())?, Timestamp(0))
    }

    const BASE: &str = r#"{"orgs":[{"id":"a",
        "users":[{"id":"1","email":"o@x.com","full_name":"O","role":"10","profile":"Administrator","status":"active"},
                 {"id":"2","email":"u@x.com","full_name":"U","role":"10","profile":"Standard","status":"disabled"}],
        "roles":[{"id":"10","name":"CEO"}],
        "records":[{"module":"leads","id":"100","owner":"1"}]
        __EXTRA__}]}"#;

    fn with(extra: &str) -> String {
        BASE.replace("__EXTRA__", extra)
    }

    #[test]
    fn loads_and_canonicalises() {
        let world = load(&with(
            r#","shares":[{"module":"Leads","record":100,"shared_with":{"type":"users","id":2},"type":"private","shared_time":"2026-01-01T00:00:00Z"}]"#,
        ))
        .unwrap();
        let org = world.org("a").unwrap();
        assert_eq!(org.crm.records.get("100").unwrap().module, "Leads");
        assert_eq!(org.tenant.directory.users()[0].zuid, "71");
        assert_eq!(
            org.crm.shares.of("100").len(),
            1,
            "a disabled user may hold a share"
        );
        assert_eq!(org.tenant.name(), "a");
    }

    #[test]
    fn export_then_import_is_identical() {
        let world = load(&with(
            r#","shares":[{"module":"Leads","record":"100","type":"public","shared_with":null}],
               "sharing_rules":[{"id":"5","module":"Leads","name":"r","type":"Criteria_Based","permission_type":"read",
                 "superiors_allowed":false,"criteria":{"comparator":"equal","field":{"api_name":"City"},"type":"value","value":"X"},
                 "shared_to":{"type":"all_users","resource":{"id":"10"}}}],
               "analytics":{"workspaces":[{"owner_email":"o@x.com","name":"W","admins":["u@x.com"]}]}"#,
        ))
        .unwrap();
        let first = serde_json::to_string(&world.to_doc(Timestamp(0))).unwrap();
        let again = load(&first).unwrap();
        let second = serde_json::to_string(&again.to_doc(Timestamp(0))).unwrap();
        assert_eq!(first, second);
        assert!(
            !first.contains("\"resource\":{\"id\":\"10\""),
            "all_users drops its resource"
        );
    }

    fn error_of(extra: &str) -> FixtureError {
        load(&with(extra)).unwrap_err()
    }

    #[test]
    fn rejects_with_json_paths() {
        let cases: &[(&str, &str)] = &[
            (
                r#","shares":[{"module":"Leads","record":"999","shared_with":{"type":"users","id":"2"}}]"#,
                "$.orgs[0].shares[0].record",
            ),
            (
                r#","shares":[{"module":"Leads","record":"100","shared_with":{"type":"users","id":"1"}}]"#,
                "$.orgs[0].shares[0].shared_with.id",
            ),
            (
                r#","shares":[{"module":"Leads","record":"100","shared_with":{"type":"users","id":"2"}},{"module":"Leads","record":"100","shared_with":{"type":"users","id":"2"}}]"#,
                "$.orgs[0].shares[1].shared_with",
            ),
            (
                r#","shares":[{"module":"Leads","record":"100","shared_with":{"type":"users","id":"2"}},{"module":"Leads","record":"100","type":"public"}]"#,
                "$.orgs[0].shares[1].type",
            ),
            (
                r#","shares":[{"module":"Deals","record":"100","shared_with":{"type":"users","id":"2"}}]"#,
                "$.orgs[0].shares[0].module",
            ),
            (
                r#","tokens":[{"access_token":"t","user":"9"}]"#,
                "$.orgs[0].tokens[0].user",
            ),
            (
                r#","tokens":[{"access_token":"t","user":"1"},{"access_token":"t","user":"1"}]"#,
                "$.orgs[0].tokens[1].access_token",
            ),
            (
                r#","groups":[{"id":"20","name":"G","members":["3"]}]"#,
                "$.orgs[0].groups[0].members[0]",
            ),
            (
                r#","custom_modules":[{"api_name":"Leads","id":"7"}]"#,
                "$.orgs[0].custom_modules[0].api_name",
            ),
            (
                r#","analytics":{"workspaces":[{"owner_email":"nobody@x.com","name":"W"}]}"#,
                "$.orgs[0].analytics.workspaces[0].owner_email",
            ),
            (
                r#","analytics":{"workspaces":[{"owner_email":"o@x.com","name":"W","admins":["O@X.com"]}]}"#,
                "$.orgs[0].analytics.workspaces[0].admins",
            ),
            (
                r#","rule_computation":{"Meetings":true}"#,
                "$.orgs[0].rule_computation.Meetings",
            ),
            (
                r#","sharing_rules":[{"id":"5","module":"Leads","name":"r","type":"Record_Owner_Based","permission_type":"read","superiors_allowed":false,"shared_to":{"type":"all_users"}}]"#,
                "$.orgs[0].sharing_rules[0].shared_from",
            ),
            (
                r#","sharing_rules":[{"id":"5","module":"Leads","name":"r","type":"Record_Owner_Based","permission_type":"read","superiors_allowed":false,"shared_from":{"type":"all_users"},"shared_to":{"type":"all_users"}}]"#,
                "$.orgs[0].sharing_rules[0].shared_from.type",
            ),
            (
                r#","sharing_rules":[{"id":"100","module":"Leads","name":"r","type":"Criteria_Based","permission_type":"read","superiors_allowed":false,"criteria":{},"shared_to":{"type":"all_users"}}]"#,
                "$.orgs[0].sharing_rules[0].id",
            ),
            (r#","records":[]"#, "$.orgs[0]"),
        ];
        for (extra, path) in cases {
            let err = error_of(extra);
            assert_eq!(&err.path, path, "{extra}: {err}");
        }
    }

    #[test]
    fn type_errors_name_the_path() {
        let err = load(r#"{"orgs":[{"users":[{"id":"1","email":"a@b.c","full_name":"A","role":"1","profile":"P","status":"gone"}]}]}"#).unwrap_err();
        assert_eq!(err.path, "$.orgs[0].users[0].status");
        let err = load(r#"{"orgs":[{"surprise":1}]}"#).unwrap_err();
        assert_eq!(err.path, "$.orgs[0].surprise");
        assert!(err.message.contains("unknown field"));
    }

    #[test]
    fn too_many_users_on_a_record() {
        let mut users = String::new();
        let mut shares = String::new();
        for n in 0..11 {
            users.push_str(&format!(
                r#",{{"id":"{}","email":"u{n}@x.com","full_name":"U","role":"10","profile":"Standard","status":"active"}}"#,
                200 + n
            ));
            shares.push_str(&format!(
                r#"{}{{"module":"Leads","record":"100","shared_with":{{"type":"users","id":"{}"}}}}"#,
                if n == 0 { "" } else { "," },
                200 + n
            ));
        }
        let json = BASE
            .replace(
                r#"}],
        "roles""#,
                &format!(
                    r#"}}{users}],
        "roles""#
                ),
            )
            .replace("__EXTRA__", &format!(r#","shares":[{shares}]"#));
        let err = load(&json).unwrap_err();
        assert_eq!(err.path, "$.orgs[0].shares[10]");
    }

    #[test]
    fn credentials_are_unique_across_orgs() {
        let json = r#"{"orgs":[
            {"id":"a","users":[{"id":"1","email":"o@x.com","full_name":"O","role":"10","profile":"P","status":"active"}],"roles":[{"id":"10","name":"R"}],"tokens":[{"access_token":"t","user":"1"}]},
            {"id":"b","users":[{"id":"1","email":"o@x.com","full_name":"O","role":"10","profile":"P","status":"active"}],"roles":[{"id":"10","name":"R"}],"tokens":[{"access_token":"t","user":"1"}]}]}"#;
        let err = load(json).unwrap_err();
        assert_eq!(err.path, "$.orgs[1].tokens[0].access_token");
        let err = load(r#"{"orgs":[{"id":"a"},{"id":"a"}]}"#).unwrap_err();
        assert_eq!(err.path, "$.orgs[1].id");
        let world = load(r#"{"orgs":[{},{"id":"org-1"},{}]}"#).unwrap();
        let ids: Vec<&str> = world.orgs().map(|o| o.id().as_str()).collect();
        assert_eq!(ids, ["org-2", "org-1", "org-3"]);
    }
}

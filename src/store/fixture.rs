//! The fixture document (DESIGN §3) <-> `World`. The same shape is read from `--fixtures`,
//! `--state-file`, `PUT /__admin/state` and `POST /__admin/orgs`, and written by
//! `GET /__admin/state`, so export -> import is lossless. Loading validates the whole document
//! and refuses it with a message naming the JSON path of the first problem.
//!
//! An org document is the families' sections side by side; each family loads (and checks) and
//! exports its own, in `fixture.rs` beside its model. This file only assembles them, in the
//! order of DESIGN §3: tenant identity and directory, CRM records, credentials, record shares,
//! data sharing rules, data sharing settings, Analytics.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::analytics::workspaces::fixture::{self as analytics, doc::AnalyticsDoc};
use crate::analytics::workspaces::model::Workspaces;
use crate::clock::Timestamp;
use crate::crm::data_sharing_rules::fixture::{self as sharing_rules, doc::RuleDoc};
use crate::crm::data_sharing_settings::fixture as data_sharing;
use crate::crm::data_sharing_settings::model::ShareType;
use crate::crm::record_sharing::fixture::{self as shares, doc::ShareDoc};
use crate::crm::records::fixture::{self as records, doc as records_doc};
use crate::crm::state::CrmState;
use crate::ids::OrgId;
use crate::json_doc::{FixtureError, SeenIds, fail, parse_json};
use crate::tenant::Tenant;
use crate::tenant::credentials::Credentials;
use crate::tenant::directory::Directory;
use crate::tenant::fixture::{self as tenant, doc as tenant_doc};

use super::org::Org;
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

/// One org: every family's sections, in export order.
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
    #[serde(default, deserialize_with = "optional_id")]
    pub analytics_org_id: Option<String>,
    #[serde(default)]
    pub hierarchy_preference: Option<String>,
    #[serde(default)]
    pub profiles: Option<Vec<tenant_doc::Profile>>,
    #[serde(default)]
    pub users: Vec<tenant_doc::User>,
    #[serde(default)]
    pub roles: Vec<tenant_doc::Role>,
    #[serde(default)]
    pub groups: Vec<tenant_doc::Group>,
    #[serde(default)]
    pub tokens: Vec<tenant_doc::AccessToken>,
    #[serde(default)]
    pub oauth_clients: Vec<tenant_doc::OAuthClient>,
    #[serde(default)]
    pub grant_codes: Vec<tenant_doc::GrantCode>,
    #[serde(default)]
    pub custom_modules: Vec<records_doc::CustomModule>,
    #[serde(default)]
    pub records: records_doc::RecordDocs,
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

fn optional_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "crate::ids::deserialize_id")] String);
    Ok(Option::<Wrapped>::deserialize(d)?.map(|w| w.0))
}

/// A state document: a JSON object (`{"orgs": [...]}`); anything else is refused as a whole,
/// with a message saying so rather than one about a struct read from a sequence.
pub fn parse_state(bytes: &[u8]) -> Result<StateDoc, FixtureError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') && parse_json::<serde::de::IgnoredAny>(bytes).is_ok() {
        return fail(
            "$",
            "not a state document: expected a JSON object such as {\"orgs\": [...]}",
        );
    }
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
            let org = load_org(org_doc, id, &path, now)?;
            for (credential, at) in tenant::credential_paths(&org.tenant.credentials, &path) {
                if let Some(first) = credentials.get(&credential) {
                    return fail(
                        at,
                        format!("credential string {credential:?} is already used at {first}"),
                    );
                }
                credentials.insert(credential, at);
            }
            orgs.insert(org.id().clone(), org);
        }
        Ok(World::from_orgs(orgs))
    }

    pub fn to_doc(&self, now: Timestamp) -> StateDoc {
        StateDoc {
            orgs: self.orgs().map(|org| export_org(org, now)).collect(),
        }
    }
}

/// Validates one org document and builds the org (`id` already decided by the caller): each
/// family's sections in turn, then the ids the document left out.
pub fn load_org(
    mut doc: OrgDoc,
    id: OrgId,
    path: &str,
    now: Timestamp,
) -> Result<Org, FixtureError> {
    let mut seen = SeenIds::default();
    let (crm_org_id, zgid) =
        tenant::load_identity(&id, doc.crm_org_id.take(), doc.zgid.take(), path, &mut seen)?;
    let analytics_org_id = tenant::load_analytics_org_id(doc.analytics_org_id.take(), &zgid, path)?;
    let name = doc.name.take();
    let (tokens, oauth_clients, grant_codes) = (
        std::mem::take(&mut doc.tokens),
        std::mem::take(&mut doc.oauth_clients),
        std::mem::take(&mut doc.grant_codes),
    );
    let loaded = load_sections(doc, path, now, seen, |directory| {
        tenant::load_credentials(tokens, oauth_clients, grant_codes, directory, path)
    })?;
    let identity = Identity {
        crm_org_id,
        zgid,
        analytics_org_id,
    };
    Ok(assemble(
        id,
        name,
        identity,
        Sections {
            directory: loaded.directory,
            credentials: loaded.between,
            crm: loaded.crm,
            workspaces: loaded.workspaces,
        },
        loaded.seen,
    ))
}

/// An org document's sections besides its identity and credentials, loaded, and what the
/// caller's step between them gave.
pub(super) struct LoadedSections<T> {
    pub directory: Directory,
    pub crm: CrmState,
    pub workspaces: Workspaces,
    /// Every id the sections claimed, the records' aside (their index holds those).
    pub seen: SeenIds<'static>,
    pub between: T,
}

/// Loads the directory, CRM and Analytics sections of `doc` (its identity and credentials are
/// the caller's) in the order their checks run, ids claimed in `seen`. `between` runs once the
/// directory and records are in: [`load_org`] loads the credentials there, so a document with
/// several faults reports the same one first whoever loads it.
pub(super) fn load_sections<T>(
    doc: OrgDoc,
    path: &str,
    now: Timestamp,
    mut seen: SeenIds<'static>,
    between: impl FnOnce(&Directory) -> Result<T, FixtureError>,
) -> Result<LoadedSections<T>, FixtureError> {
    let directory = tenant::load_directory(
        tenant::DirectoryDoc {
            hierarchy_preference: doc.hierarchy_preference,
            profiles: doc.profiles,
            users: doc.users,
            roles: doc.roles,
            groups: doc.groups,
        },
        path,
        &mut seen,
    )?;
    let records = records::load(doc.custom_modules, doc.records, &directory, path, &mut seen)?;
    let held = |id: &str| records.holds_record_id(id);
    let mut seen = seen.and_held(&held);
    let between = between(&directory)?;
    let shares = shares::load(doc.shares, &records, &directory, path, now)?;
    let rules = sharing_rules::load(
        doc.sharing_rules,
        doc.rule_computation,
        &records,
        &directory,
        path,
        &mut seen,
    )?;
    let settings = data_sharing::load(doc.data_sharing, &records, path)?;
    let workspaces = analytics::load(doc.analytics, &directory, path, &mut seen)?;
    // The records' ids stay with the records, which `assemble` attaches again.
    let seen = seen.without_held();
    Ok(LoadedSections {
        directory,
        crm: CrmState {
            records,
            shares,
            rules,
            settings,
        },
        workspaces,
        seen,
        between,
    })
}

/// The ids an org gets from its key unless its document gives others.
pub(super) struct Identity {
    pub crm_org_id: String,
    pub zgid: String,
    pub analytics_org_id: String,
}

/// An org document's sections, loaded.
pub(super) struct Sections {
    pub directory: Directory,
    pub credentials: Credentials,
    pub crm: CrmState,
    pub workspaces: Workspaces,
}

/// The org from its loaded sections, `seen` holding every id they claimed: the ids the
/// document left out are minted last, after every id of the org.
pub(super) fn assemble(
    id: OrgId,
    name: Option<String>,
    identity: Identity,
    sections: Sections,
    seen: SeenIds<'static>,
) -> Org {
    let Sections {
        directory,
        credentials,
        crm,
        mut workspaces,
    } = sections;
    // The records' ids are held by their index, not copied into `seen`.
    let held = |id: &str| crm.records.holds_record_id(id);
    let mut seen = seen.and_held(&held);
    let mut ids = seen.generator();
    workspaces.mint_missing_ids(|| seen.mint(&mut ids));
    drop(seen);
    let name = name.unwrap_or_else(|| id.0.clone());
    let tenant = Tenant::new(
        id,
        name,
        identity.crm_org_id,
        identity.zgid,
        identity.analytics_org_id,
        directory,
        credentials,
    );
    Org::new(tenant, crm, workspaces, ids)
}

/// Every section of one org, as its family writes it.
pub fn export_org(org: &Org, now: Timestamp) -> OrgDoc {
    let Org { tenant, crm, .. } = org;
    let (tokens, oauth_clients, grant_codes) = tenant::export_credentials(&tenant.credentials);
    let (_, record_docs) = records::export(&crm.records);
    let (sharing_rules, rule_computation) =
        sharing_rules::export(&crm.rules, &crm.records, &tenant.directory, now);
    OrgDoc {
        tokens,
        oauth_clients,
        grant_codes,
        records: record_docs,
        shares: shares::export(&crm.records, &crm.shares),
        sharing_rules,
        rule_computation,
        analytics: analytics::export(&org.analytics),
        ..export_org_head(org)
    }
}

/// The org's document without the sections that grow with use: records, shares, rules and
/// their computation flags, access tokens, the clients' refresh tokens, grant codes and
/// workspaces are empty; OAuth clients are listed without their refresh tokens. Everything
/// else (identity, directory, custom modules, data sharing settings, and any key added to
/// [`OrgDoc`] later) is here, which is what the state file keeps in the org's own row
/// (`store/rows.rs`); the sections left out are one row per entity there.
pub fn export_org_head(org: &Org) -> OrgDoc {
    let Org { tenant, crm, .. } = org;
    let directory = tenant::export_directory(&tenant.directory);
    let oauth_clients = tenant
        .credentials
        .oauth_clients()
        .iter()
        .map(tenant::export_client)
        .collect();
    let custom_modules = records::export_custom_modules(&crm.records);
    OrgDoc {
        id: Some(tenant.id().0.clone()),
        name: Some(tenant.name().to_owned()),
        crm_org_id: Some(tenant.crm_org_id().to_owned()),
        zgid: Some(tenant.zgid().to_owned()),
        analytics_org_id: Some(tenant.analytics_org_id().to_owned()),
        hierarchy_preference: directory.hierarchy_preference,
        profiles: directory.profiles,
        users: directory.users,
        roles: directory.roles,
        groups: directory.groups,
        tokens: Vec::new(),
        oauth_clients,
        grant_codes: Vec::new(),
        custom_modules,
        records: records_doc::RecordDocs::default(),
        shares: Vec::new(),
        sharing_rules: Vec::new(),
        rule_computation: IndexMap::new(),
        data_sharing: data_sharing::export(&crm.settings, &crm.records),
        analytics: AnalyticsDoc {
            workspaces: Vec::new(),
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

    /// serde names the struct it expected; those names are part of the whole-file messages.
    #[test]
    fn type_errors_keep_their_struct_names() {
        let cases = [
            (r#"{"orgs":[{"users":[5]}]}"#, "struct User"),
            (r#"{"orgs":[{"roles":[5]}]}"#, "struct Role"),
            // An array is never read as a struct (it used to be, field by field).
            (r#"{"orgs":[{"groups":[[]]}]}"#, "struct Group"),
            (r#"{"orgs":[{"tokens":[5]}]}"#, "struct AccessToken"),
            (r#"{"orgs":[{"oauth_clients":[5]}]}"#, "struct OAuthClient"),
            (
                r#"{"orgs":[{"oauth_clients":[{"client_id":"c","client_secret":"s","refresh_tokens":[5]}]}]}"#,
                "struct RefreshToken",
            ),
            (r#"{"orgs":[{"grant_codes":[5]}]}"#, "struct GrantCode"),
            (
                r#"{"orgs":[{"custom_modules":[5]}]}"#,
                "struct CustomModule",
            ),
            (r#"{"orgs":[{"records":[5]}]}"#, "struct Record"),
            (r#"{"orgs":[{"shares":[5]}]}"#, "struct ShareDoc"),
            (
                r#"{"orgs":[{"shares":[{"module":"Leads","record":"1","shared_with":5}]}]}"#,
                "struct ShareTarget",
            ),
            (r#"{"orgs":[{"sharing_rules":[5]}]}"#, "struct RuleDoc"),
            (r#"{"orgs":[{"analytics":5}]}"#, "struct AnalyticsDoc"),
            (
                r#"{"orgs":[{"analytics":{"workspaces":[5]}}]}"#,
                "struct Workspace",
            ),
            (r#"{"orgs":[5]}"#, "struct OrgDoc"),
            // Not an object at all: not a state document.
            (r#"5"#, "a JSON object"),
        ];
        for (json, expected) in cases {
            let err = load(json).unwrap_err();
            assert!(
                err.message.contains(&format!("expected {expected}")),
                "{json}: {err}"
            );
        }
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

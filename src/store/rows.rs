//! The state file's rows: one row per entity, keyed by (org, kind, key), holding the entity in
//! its fixture-document JSON form, exactly as the owning family's fixture export writes that
//! one entity. So the row format is the portable format, a key a family adds to its document
//! type flows into the rows with no schema change, and loading reassembles each org's document
//! from its rows and hands it to the normal fixture loader, with the same checks as any
//! fixture (ARCHITECTURE.md, "Durability", lists the kinds).
//!
//! Writing: after a successful write, [`collect`] reads the change marks the parts of the state
//! left (`crate::dirty::Dirty`) in the orgs the write reached, and turns each marked key into
//! the row of the entity as it now is, or into a deletion when the entity is gone. An org that
//! was inserted or removed is written anew, whole. Nothing here decides what changed: the parts
//! mark it in their own `&mut self` methods.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::analytics::workspaces::fixture::{self as analytics, doc as analytics_doc};
use crate::crm::data_sharing_rules::fixture::{self as sharing_rules, doc::RuleDoc};
use crate::crm::data_sharing_rules::model::RuleChange;
use crate::crm::record_sharing::fixture::{self as shares, doc::ShareDoc};
use crate::crm::records::fixture::{self as records, doc as records_doc};
use crate::json_doc::{FixtureError, parse_json};
use crate::tenant::credentials::CredentialKey;
use crate::tenant::fixture::{self as tenant, doc as tenant_doc};

use super::fixture::{OrgDoc, StateDoc, export_org_head};
use super::org::Org;
use super::world::World;

/// The org's own row (key `""`): [`export_org_head`], everything but the kinds below.
pub const ORG: &str = "org";
/// One CRM record (key: record id), `records_doc::Record`.
pub const RECORD: &str = "record";
/// One record's share set (key: record id), the `shares` entries of that record in listing
/// order; a record with no share has no row.
pub const SHARES: &str = "shares";
/// One data sharing rule (key: rule id), `RuleDoc`.
pub const RULE: &str = "rule";
/// One module's pinned rule-computation flag (key: module API name), `true` or `false`.
pub const RULE_COMPUTATION: &str = "rule_computation";
/// One access token (key: the token), `tenant_doc::AccessToken`.
pub const TOKEN: &str = "token";
/// One refresh token (key: the token), `{"client_id": ..., "token": RefreshToken}`.
pub const REFRESH_TOKEN: &str = "refresh_token";
/// One unused authorization code (key: the code), `tenant_doc::GrantCode`.
pub const GRANT_CODE: &str = "grant_code";
/// One Analytics workspace (key: workspace id), `analytics_doc::Workspace`.
pub const WORKSPACE: &str = "workspace";

/// A change of the file, applied in order inside one transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Every row goes (the whole state is replaced).
    ClearAll,
    /// Every row of the org goes.
    ClearOrg(Arc<str>),
    /// The row is written (inserted, or its `doc` replaced; an existing row keeps its place).
    Put {
        org: Arc<str>,
        kind: &'static str,
        key: String,
        doc: String,
    },
    /// The row goes.
    Delete {
        org: Arc<str>,
        kind: &'static str,
        key: String,
    },
}

/// A refresh-token row: the token names its client, whose other fields are in the org row.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RefreshTokenRow {
    client_id: String,
    token: tenant_doc::RefreshToken,
}

/// Turns on change marks in the world and every part of every org (a state file is in use).
pub fn track(world: &mut World) {
    world.track_changes();
    for org in world.orgs_mut_unnoted() {
        track_org(org);
    }
}

fn track_org(org: &mut Org) {
    org.tenant.credentials.dirty().track();
    org.crm.records.dirty().track();
    org.crm.shares.dirty().track();
    org.crm.rules.dirty().track();
    org.crm.settings.dirty().track();
    org.analytics.dirty().track();
}

fn clear_org(org: &mut Org) {
    org.tenant.credentials.dirty().clear();
    org.crm.records.dirty().clear();
    org.crm.shares.dirty().clear();
    org.crm.rules.dirty().clear();
    org.crm.settings.dirty().clear();
    org.analytics.dirty().clear();
}

/// Whether any part of the org holds a mark.
#[cfg(debug_assertions)]
fn has_marks(org: &mut Org) -> bool {
    !(org.tenant.credentials.dirty().is_empty()
        && org.crm.records.dirty().is_empty()
        && org.crm.shares.dirty().is_empty()
        && org.crm.rules.dirty().is_empty()
        && org.crm.settings.dirty().is_empty()
        && org.analytics.dirty().is_empty())
}

/// A refused write changed nothing: its marks are dropped.
pub fn discard(world: &mut World) {
    let (touched, replaced) = world.take_changes();
    for id in touched.iter().chain(&replaced) {
        if let Some(org) = world.org_mut_unnoted(id.as_str()) {
            clear_org(org);
        }
    }
}

/// The rows a successful write changed, from the marks it left; none are left behind.
pub fn collect(world: &mut World) -> Vec<Op> {
    let (touched, replaced) = world.take_changes();
    let mut ops = Vec::new();
    let replaced = unique(replaced);
    for id in &replaced {
        let org_key: Arc<str> = Arc::from(id.as_str());
        ops.push(Op::ClearOrg(org_key.clone()));
        if let Some(org) = world.org_mut_unnoted(id.as_str()) {
            track_org(org);
            clear_org(org);
            whole_org(org, &org_key, &mut ops);
        }
    }
    for id in unique(touched) {
        if replaced.contains(&id) {
            continue;
        }
        if let Some(org) = world.org_mut_unnoted(id.as_str()) {
            changed_rows(org, &mut ops);
        }
    }
    // Every `&mut Org` comes from a `World` method that notes it; one that did not would leave
    // marks behind, to be written late. Debug builds (the tests) look for them.
    #[cfg(debug_assertions)]
    for org in world.orgs_mut_unnoted() {
        debug_assert!(
            !has_marks(org),
            "org {} holds change marks that no World method noted",
            org.id()
        );
    }
    ops
}

/// Every row of the state, after clearing the file.
pub fn whole_world(world: &World) -> Vec<Op> {
    let mut ops = vec![Op::ClearAll];
    for org in world.orgs() {
        whole_org(org, &Arc::from(org.id().as_str()), &mut ops);
    }
    ops
}

fn json<T: Serialize>(value: &T) -> String {
    // The document types serialise to JSON without fail: maps with string keys, no floats.
    serde_json::to_string(value).unwrap_or_default()
}

fn put(ops: &mut Vec<Op>, org: &Arc<str>, kind: &'static str, key: &str, doc: String) {
    ops.push(Op::Put {
        org: org.clone(),
        kind,
        key: key.to_owned(),
        doc,
    });
}

fn delete(ops: &mut Vec<Op>, org: &Arc<str>, kind: &'static str, key: &str) {
    ops.push(Op::Delete {
        org: org.clone(),
        kind,
        key: key.to_owned(),
    });
}

/// Every row of one org, in export order (which is the order loading restores).
fn whole_org(org: &Org, key: &Arc<str>, ops: &mut Vec<Op>) {
    let Org {
        tenant: org_tenant,
        crm,
        analytics: workspaces,
        ..
    } = org;
    put(ops, key, ORG, "", json(&export_org_head(org)));
    for record in crm.records.iter() {
        let doc = json(&records::export_record(record));
        put(ops, key, RECORD, record.id.as_str(), doc);
    }
    for record in crm.records.iter() {
        let set = shares::export_record_shares(record, &crm.shares);
        if !set.is_empty() {
            put(ops, key, SHARES, record.id.as_str(), json(&set));
        }
    }
    for rule in crm.rules.all() {
        let doc = json(&sharing_rules::export_rule(rule, &org_tenant.directory));
        put(ops, key, RULE, rule.id.as_str(), doc);
    }
    for (module, running) in sharing_rules::export_pinned(&crm.rules, &crm.records) {
        put(ops, key, RULE_COMPUTATION, &module, json(&running));
    }
    let credentials = &org_tenant.credentials;
    for token in credentials.access_tokens() {
        let doc = json(&tenant::export_access_token(token));
        put(ops, key, TOKEN, &token.access_token, doc);
    }
    for client in credentials.oauth_clients() {
        for token in &client.refresh_tokens {
            let doc = json(&RefreshTokenRow {
                client_id: client.client_id.clone(),
                token: tenant::export_refresh_token(token),
            });
            put(ops, key, REFRESH_TOKEN, &token.refresh_token, doc);
        }
    }
    for code in credentials.grant_codes() {
        put(
            ops,
            key,
            GRANT_CODE,
            &code.code,
            json(&tenant::export_grant_code(code)),
        );
    }
    for workspace in workspaces.all() {
        let doc = json(&analytics::export_workspace(workspace));
        put(ops, key, WORKSPACE, workspace.id(), doc);
    }
}

/// The rows of the entities the org's parts marked: each as it now is, or gone.
fn changed_rows(org: &mut Org, ops: &mut Vec<Op>) {
    let key: Arc<str> = Arc::from(org.id().as_str());
    let key = &key;
    if !org.crm.settings.dirty().is_empty() {
        org.crm.settings.dirty().clear();
        put(ops, key, ORG, "", json(&export_org_head(org)));
    }
    let Org {
        tenant: org_tenant,
        crm,
        analytics: workspaces,
        ..
    } = org;
    for id in unique(crm.records.dirty().take()) {
        match crm.records.get(id.as_str()) {
            Some(record) => put(
                ops,
                key,
                RECORD,
                id.as_str(),
                json(&records::export_record(record)),
            ),
            None => delete(ops, key, RECORD, id.as_str()),
        }
    }
    for id in unique(crm.shares.dirty().take()) {
        let set = crm
            .records
            .get(id.as_str())
            .map(|record| shares::export_record_shares(record, &crm.shares))
            .unwrap_or_default();
        if set.is_empty() {
            delete(ops, key, SHARES, id.as_str());
        } else {
            put(ops, key, SHARES, id.as_str(), json(&set));
        }
    }
    for change in unique(crm.rules.dirty().take()) {
        match change {
            RuleChange::Rule(id) => match crm.rules.find(id.as_str(), None) {
                Ok(rule) => {
                    let doc = json(&sharing_rules::export_rule(rule, &org_tenant.directory));
                    put(ops, key, RULE, id.as_str(), doc);
                }
                Err(_) => delete(ops, key, RULE, id.as_str()),
            },
            RuleChange::Computation(module) => match crm.rules.pinned_computation(&module) {
                Some(running) => put(ops, key, RULE_COMPUTATION, &module, json(&running)),
                None => delete(ops, key, RULE_COMPUTATION, &module),
            },
        }
    }
    let credentials = &mut org_tenant.credentials;
    for credential in unique(credentials.dirty().take()) {
        match credential {
            CredentialKey::Access(token) => match credentials.access_token(&token) {
                Some(stored) => {
                    let doc = json(&tenant::export_access_token(stored));
                    put(ops, key, TOKEN, &token, doc);
                }
                None => delete(ops, key, TOKEN, &token),
            },
            CredentialKey::Refresh(token) => match credentials.refresh_token(&token) {
                Some((client, stored)) => {
                    let doc = json(&RefreshTokenRow {
                        client_id: client.client_id.clone(),
                        token: tenant::export_refresh_token(stored),
                    });
                    put(ops, key, REFRESH_TOKEN, &token, doc);
                }
                None => delete(ops, key, REFRESH_TOKEN, &token),
            },
            CredentialKey::GrantCode(code) => match credentials.grant_code(&code) {
                Some(stored) => {
                    let doc = json(&tenant::export_grant_code(stored));
                    put(ops, key, GRANT_CODE, &code, doc);
                }
                None => delete(ops, key, GRANT_CODE, &code),
            },
        }
    }
    for id in unique(workspaces.dirty().take()) {
        match workspaces.all().iter().find(|w| w.id() == id) {
            Some(workspace) => {
                let doc = json(&analytics::export_workspace(workspace));
                put(ops, key, WORKSPACE, &id, doc);
            }
            None => delete(ops, key, WORKSPACE, &id),
        }
    }
}

/// The keys once each, first marks first.
fn unique<K: Eq + Hash + Clone>(keys: Vec<K>) -> Vec<K> {
    if keys.len() < 2 {
        return keys;
    }
    let mut seen = HashSet::with_capacity(keys.len());
    keys.into_iter()
        .filter(|key| seen.insert(key.clone()))
        .collect()
}

/// A row that does not read as its kind, or that names what is not there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub org: String,
    pub kind: String,
    pub key: String,
    pub error: FixtureError,
}

/// Where a row's entity sits in the org document the rows make up.
fn section_of(kind: &str) -> &'static str {
    match kind {
        RECORD => "records",
        SHARES => "shares",
        RULE => "sharing_rules",
        RULE_COMPUTATION => "rule_computation",
        TOKEN => "tokens",
        REFRESH_TOKEN => "oauth_clients",
        GRANT_CODE => "grant_codes",
        WORKSPACE => "analytics.workspaces",
        _ => "",
    }
}

impl RowError {
    /// The problem with its path in the state document: `$.orgs[0].users` for the org's own
    /// row, `$.orgs[0].records[key "41..."].owner` for an entity row (`index` is the org's
    /// place; `None` when the org has no row of its own).
    pub fn located(&self, index: Option<usize>) -> FixtureError {
        let org = index.map_or_else(|| format!("[org {:?}]", self.org), |i| format!("[{i}]"));
        let inner = self
            .error
            .path
            .strip_prefix('$')
            .unwrap_or(&self.error.path);
        let path = match self.kind.as_str() {
            ORG => format!("$.orgs{org}{inner}"),
            kind if section_of(kind).is_empty() => format!("$.orgs{org}"),
            kind => format!(
                "$.orgs{org}.{}[key {:?}]{inner}",
                section_of(kind),
                self.key
            ),
        };
        FixtureError {
            path,
            message: self.error.message.clone(),
        }
    }
}

/// One org's rows while the file is read, each with its place (`pos`).
#[derive(Default)]
struct OrgRows {
    head: Option<(i64, String)>,
    records: Vec<(i64, records_doc::Record)>,
    shares: HashMap<String, Vec<ShareDoc>>,
    rules: Vec<(i64, RuleDoc)>,
    computation: Vec<(i64, String, bool)>,
    tokens: Vec<(i64, tenant_doc::AccessToken)>,
    refresh_tokens: Vec<(i64, RefreshTokenRow)>,
    grant_codes: Vec<(i64, tenant_doc::GrantCode)>,
    workspaces: Vec<(i64, analytics_doc::Workspace)>,
}

/// Builds the state document from the file's rows, in any order (an org's rows usually come
/// together, so the org last seen is kept at hand).
#[derive(Default)]
pub struct Assembler {
    orgs: HashMap<String, OrgRows>,
    current: Option<(String, OrgRows)>,
}

/// Reads a row's JSON; the fast path first, the one with paths only for the message.
fn parse<T: serde::de::DeserializeOwned>(doc: &str) -> Result<T, FixtureError> {
    serde_json::from_str(doc).or_else(|_| parse_json(doc.as_bytes()))
}

impl Assembler {
    /// Takes one row.
    pub fn add(
        &mut self,
        org: &str,
        kind: &str,
        key: &str,
        pos: i64,
        doc: &str,
    ) -> Result<(), RowError> {
        if self.current.as_ref().is_none_or(|(name, _)| name != org) {
            let rows = self.orgs.remove(org).unwrap_or_default();
            if let Some((name, done)) = self.current.replace((org.to_owned(), rows)) {
                self.orgs.insert(name, done);
            }
        }
        let Some((_, rows)) = self.current.as_mut() else {
            return Ok(());
        };
        let fault = |error: FixtureError| RowError {
            org: org.to_owned(),
            kind: kind.to_owned(),
            key: key.to_owned(),
            error,
        };
        let result = match kind {
            ORG => {
                rows.head = Some((pos, doc.to_owned()));
                Ok(())
            }
            RECORD => parse(doc).map(|r| rows.records.push((pos, r))),
            SHARES => parse(doc).map(|s| {
                rows.shares.insert(key.to_owned(), s);
            }),
            RULE => parse(doc).map(|r| rows.rules.push((pos, r))),
            RULE_COMPUTATION => parse(doc).map(|b| rows.computation.push((pos, key.to_owned(), b))),
            TOKEN => parse(doc).map(|t| rows.tokens.push((pos, t))),
            REFRESH_TOKEN => parse(doc).map(|t| rows.refresh_tokens.push((pos, t))),
            GRANT_CODE => parse(doc).map(|g| rows.grant_codes.push((pos, g))),
            WORKSPACE => parse(doc).map(|w| rows.workspaces.push((pos, w))),
            other => Err(FixtureError {
                path: "$".into(),
                message: format!("unknown row kind {other:?}"),
            }),
        };
        result.map_err(fault)
    }

    /// The state document: orgs in the order of their own rows, each org's entities in the
    /// order they were first written.
    pub fn finish(mut self) -> Result<StateDoc, FixtureError> {
        if let Some((name, rows)) = self.current.take() {
            self.orgs.insert(name, rows);
        }
        let mut orgs: Vec<(String, OrgRows)> = self.orgs.into_iter().collect();
        if let Some((org, _)) = orgs.iter().find(|(_, rows)| rows.head.is_none()) {
            return Err(FixtureError {
                path: format!("$.orgs[org {org:?}]"),
                message: format!("the org has rows but no row of kind {ORG:?}"),
            });
        }
        orgs.sort_by_key(|(_, rows)| rows.head.as_ref().map_or(0, |(pos, _)| *pos));
        let mut docs = Vec::with_capacity(orgs.len());
        for (index, (org, rows)) in orgs.into_iter().enumerate() {
            docs.push(assemble(index, &org, rows)?);
        }
        Ok(StateDoc { orgs: docs })
    }
}

/// The items in the order their rows were first written (collected in place: a million
/// records are not copied).
fn in_order<T>(mut rows: Vec<(i64, T)>) -> Vec<T> {
    rows.sort_by_key(|(pos, _)| *pos);
    rows.into_iter().map(|(_, item)| item).collect()
}

/// `rows` after what `into` already holds (an org row may list some entities itself).
fn append<T>(into: &mut Vec<T>, rows: Vec<(i64, T)>) {
    let rows = in_order(rows);
    if into.is_empty() {
        *into = rows;
    } else {
        into.extend(rows);
    }
}

fn assemble(index: usize, org: &str, rows: OrgRows) -> Result<OrgDoc, FixtureError> {
    let path = format!("$.orgs[{index}]");
    let (_, head) = rows.head.unwrap_or_default();
    let mut doc: OrgDoc = parse(&head).map_err(|error| {
        RowError {
            org: org.to_owned(),
            kind: ORG.to_owned(),
            key: String::new(),
            error,
        }
        .located(Some(index))
    })?;
    if doc.id.as_deref() != Some(org) {
        return Err(FixtureError {
            path: format!("{path}.id"),
            message: format!("the org row of org {org:?} names the org {:?}", doc.id),
        });
    }
    let records = in_order(rows.records);
    doc.records = if doc.records.is_empty() {
        records.into_iter().collect()
    } else {
        doc.records.iter().chain(records).collect()
    };
    let mut share_sets = rows.shares;
    let mut share_docs = Vec::new();
    // Records are read back from the packed section only when some have shares.
    if !share_sets.is_empty() {
        for record in doc.records.iter() {
            if let Some(set) = share_sets.remove(record.id.as_str()) {
                share_docs.extend(set);
            }
        }
    }
    // Sets of records that are not there: the loader refuses them with their path.
    let mut orphans: Vec<(String, Vec<ShareDoc>)> = share_sets.into_iter().collect();
    orphans.sort_by(|a, b| a.0.cmp(&b.0));
    share_docs.extend(orphans.into_iter().flat_map(|(_, set)| set));
    doc.shares.extend(share_docs);
    append(&mut doc.sharing_rules, rows.rules);
    let mut computation = rows.computation;
    computation.sort_by_key(|(pos, _, _)| *pos);
    let pinned: IndexMap<String, bool> = computation
        .into_iter()
        .map(|(_, module, running)| (module, running))
        .collect();
    doc.rule_computation.extend(pinned);
    append(&mut doc.tokens, rows.tokens);
    for row in in_order(rows.refresh_tokens) {
        let Some(client) = doc
            .oauth_clients
            .iter_mut()
            .find(|c| c.client_id == row.client_id)
        else {
            return Err(FixtureError {
                path: format!("{path}.oauth_clients[key {:?}]", row.token.refresh_token),
                message: format!(
                    "the refresh token's client {:?} is not an OAuth client of the org",
                    row.client_id
                ),
            });
        };
        client.refresh_tokens.push(row.token);
    }
    append(&mut doc.grant_codes, rows.grant_codes);
    append(&mut doc.analytics.workspaces, rows.workspaces);
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::store::fixture::{SANDBOX_JSON, parse_state};

    fn sandbox() -> World {
        World::from_doc(parse_state(SANDBOX_JSON.as_bytes()).unwrap(), Timestamp(0)).unwrap()
    }

    /// Rows as the file would hold them after `ops`, then read back in `order`.
    fn reload(ops: &[Op], reverse: bool) -> World {
        let mut rows: Vec<(String, &str, String, i64, String)> = Vec::new();
        for (pos, op) in ops.iter().enumerate() {
            match op {
                Op::ClearAll => rows.clear(),
                Op::ClearOrg(org) => rows.retain(|r| r.0 != org.as_ref()),
                Op::Put {
                    org,
                    kind,
                    key,
                    doc,
                } => match rows
                    .iter_mut()
                    .find(|r| r.0 == org.as_ref() && r.1 == *kind && r.2 == *key)
                {
                    Some(row) => row.4 = doc.clone(),
                    None => {
                        rows.push((org.to_string(), kind, key.clone(), pos as i64, doc.clone()))
                    }
                },
                Op::Delete { org, kind, key } => {
                    rows.retain(|r| !(r.0 == org.as_ref() && r.1 == *kind && r.2 == *key));
                }
            }
        }
        if reverse {
            rows.reverse();
        }
        let mut assembler = Assembler::default();
        for (org, kind, key, pos, doc) in &rows {
            assembler.add(org, kind, key, *pos, doc).unwrap();
        }
        World::from_doc(assembler.finish().unwrap(), Timestamp(0)).unwrap()
    }

    #[test]
    fn the_rows_of_a_world_load_as_that_world_in_any_row_order() {
        let mut world = sandbox();
        world
            .insert_org(
                crate::store::fixture::load_org(
                    crate::store::fixture::OrgDoc::default(),
                    crate::ids::OrgId("second".into()),
                    "$",
                    Timestamp(0),
                )
                .unwrap(),
            )
            .unwrap();
        let ops = whole_world(&world);
        for reverse in [false, true] {
            let again = reload(&ops, reverse);
            assert_eq!(
                serde_json::to_value(again.to_doc(Timestamp(0))).unwrap(),
                serde_json::to_value(world.to_doc(Timestamp(0))).unwrap()
            );
        }
    }

    #[test]
    fn a_write_collects_the_rows_it_changed_and_a_refused_one_none() {
        let mut world = sandbox();
        track(&mut world);
        let mut ops = whole_world(&world);
        let whole = ops.len();
        let org = world.org_mut("zylker").unwrap();
        assert!(
            org.tenant
                .credentials
                .revoke("1000.sandbox.admin", Timestamp(0))
        );
        let changed = collect(&mut world);
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert!(
            matches!(&changed[0], Op::Put { kind: TOKEN, key, .. } if key == "1000.sandbox.admin")
        );
        ops.extend(changed);
        assert!(collect(&mut world).is_empty(), "the marks were taken");

        world
            .org_mut("zylker")
            .unwrap()
            .crm
            .shares
            .dirty()
            .mark(|| "4150868000001148230".into());
        discard(&mut world);
        assert!(
            collect(&mut world).is_empty(),
            "a refused write leaves nothing"
        );

        let removed = world.remove_org("zylker").unwrap();
        let gone = collect(&mut world);
        assert_eq!(gone, [Op::ClearOrg(Arc::from("zylker"))]);
        ops.extend(gone);
        assert_eq!(reload(&ops, false).orgs().count(), 0);

        world.insert_org(removed).unwrap();
        let back = collect(&mut world);
        assert_eq!(back[0], Op::ClearOrg(Arc::from("zylker")));
        assert_eq!(
            back.len(),
            whole,
            "the org is written whole (ClearOrg for ClearAll)"
        );
        ops.extend(back);
        let reloaded = reload(&ops, false);
        assert!(
            reloaded
                .access_token("1000.sandbox.admin")
                .unwrap()
                .2
                .revoked
        );
    }
}

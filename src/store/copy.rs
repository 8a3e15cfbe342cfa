//! The copies of the startup fixture's first org that `POST /__admin/orgs` makes when its body
//! is empty (DESIGN §5): the org under a fresh `org-<n>` id, with fresh token strings, fresh CRM
//! org ids (derived from the new id; the Analytics org id follows the new `zgid`), no grant codes
//! and, once built, fresh Analytics ids.
//!
//! A copy is by definition what [`load_org`] builds from the renamed document ([`fresh_copy`]),
//! then [`Org::renew_analytics_ids`]. Loading the whole document again for every copy (checking
//! every section, building every index) was most of what a copy cost, and it is the same work
//! every time: only the identity and the credential strings differ. So [`OrgTemplate`] loads the
//! document's sections once, without the identity, and a copy clones them, loads the renamed
//! credentials (a few tokens) and claims its own CRM org id in a copy of the ids the sections
//! claimed, so that the ids it mints next are the ones [`load_org`] would mint.
//! `tests::copies_are_what_the_document_loads_to` compares the two.
//!
//! Where a copy of the loaded sections would not be that org, the template declines and the
//! caller loads the document: a share without `shared_time` (it is the load time, so it differs
//! from copy to copy), a derived CRM org id that another id of the org already holds (the load
//! refuses that copy, with its message), a fresh string drawn twice.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::analytics::workspaces::fixture as analytics;
use crate::analytics::workspaces::model::Workspaces;
use crate::clock::Timestamp;
use crate::crm::state::CrmState;
use crate::ids::OrgId;
use crate::json_doc::SeenIds;
use crate::tenant::derive_crm_org_ids;
use crate::tenant::directory::Directory;
use crate::tenant::fixture::{self as tenant, doc as tenant_doc};

use super::fixture::{Identity, OrgDoc, Sections, assemble, export_org, load_org, load_sections};
use super::org::Org;

/// The startup org's document with what a copy gets fresh: the id `id`, token strings from
/// `fresh` (access tokens keep pointing at the refresh token they came from), CRM org ids left
/// to be derived from the id (the Analytics org id follows the new `zgid`), no grant codes.
pub fn fresh_copy(mut doc: OrgDoc, id: &OrgId, fresh: impl FnMut() -> String) -> OrgDoc {
    doc.id = Some(id.0.clone());
    doc.crm_org_id = None;
    doc.zgid = None;
    doc.analytics_org_id = None;
    doc.grant_codes.clear();
    rename_credentials(&mut doc.tokens, &mut doc.oauth_clients, fresh);
    doc
}

/// Fresh strings for every refresh token, then every access token, with each access token's
/// `refresh_token` following its refresh token.
fn rename_credentials(
    tokens: &mut [tenant_doc::AccessToken],
    oauth_clients: &mut [tenant_doc::OAuthClient],
    mut fresh: impl FnMut() -> String,
) {
    let mut renamed: HashMap<String, String> = HashMap::new();
    for client in oauth_clients {
        for refresh in &mut client.refresh_tokens {
            let new = fresh();
            renamed.insert(
                std::mem::replace(&mut refresh.refresh_token, new.clone()),
                new,
            );
        }
    }
    for token in tokens {
        token.access_token = fresh();
        if let Some(old) = &token.refresh_token {
            token.refresh_token = renamed.get(old).cloned();
        }
    }
}

/// The startup org's sections, loaded once (DESIGN §5: what every copy starts from).
#[derive(Debug)]
pub struct OrgTemplate {
    name: Option<String>,
    /// The credentials as the document gives them (renamed and loaded per copy: they are few).
    tokens: Vec<tenant_doc::AccessToken>,
    oauth_clients: Vec<tenant_doc::OAuthClient>,
    directory: Directory,
    crm: CrmState,
    /// Before the ids the document left out are minted: they come after the copy's CRM org id.
    workspaces: Workspaces,
    /// Every id the sections claimed; not the CRM org id, which each copy claims its own.
    seen: SeenIds<'static>,
    /// The sections of the answer that are the same in every copy, rendered once.
    rendered: OnceLock<Rendered>,
}

/// The keys of a copy's answer (`export_org`, as JSON) that every copy has alike, as they are
/// written between the keys that differ: compact JSON is the concatenation of its members, so
/// a member rendered once is the same bytes in every answer.
#[derive(Debug)]
struct Rendered {
    /// `,"hierarchy_preference":...` through `"groups"`.
    directory: Vec<u8>,
    /// `,"custom_modules":...` through `"data_sharing"`.
    crm: Vec<u8>,
    /// The longest answer so far, to allocate the next one at once.
    size: AtomicUsize,
}

impl OrgTemplate {
    /// The sections of `doc` (the startup org), or `None` when a copy of them would not be
    /// what the document loads to (a share without `shared_time`) or they do not load: copies
    /// are then loaded from the document, which says what is wrong.
    pub fn new(doc: &OrgDoc) -> Option<OrgTemplate> {
        if doc.shares.iter().any(|share| share.shared_time.is_none()) {
            return None;
        }
        let mut doc = doc.clone();
        let (name, tokens, oauth_clients) = (
            doc.name.take(),
            std::mem::take(&mut doc.tokens),
            std::mem::take(&mut doc.oauth_clients),
        );
        // The path of a message nobody sees: any problem makes copies load the document. Every
        // share has its time: the load time is not used. The credentials load against the
        // directory (users, clients, refresh tokens) as a check; each copy loads its renamed
        // ones.
        let loaded = load_sections(doc, "$", Timestamp(0), SeenIds::default(), |directory| {
            tenant::load_credentials(
                tokens.clone(),
                oauth_clients.clone(),
                Vec::new(),
                directory,
                "$",
            )
        })
        .ok()?;
        let template = OrgTemplate {
            name,
            tokens,
            oauth_clients,
            directory: loaded.directory,
            crm: loaded.crm,
            workspaces: loaded.workspaces,
            seen: loaded.seen,
            rendered: OnceLock::new(),
        };
        Some(template)
    }

    /// The copy under `id` with token strings from `fresh`, as [`copy_by_loading`] builds it;
    /// `None` when it would not be that org (see the module's notes).
    pub fn copy(&self, id: OrgId, fresh: impl FnMut() -> String) -> Option<Org> {
        let (crm_org_id, zgid) = derive_crm_org_ids(&id.0);
        // The CRM org id must not be a record's either (loading the document would refuse it).
        let held = |id: &str| self.crm.records.holds_record_id(id);
        let mut seen = self.seen.clone().and_held(&held);
        seen.claim_with(String::new, "org", &crm_org_id).ok()?;
        let seen = seen.without_held();
        let credentials = self.credentials(fresh)?;
        let identity = Identity {
            analytics_org_id: zgid.clone(),
            crm_org_id,
            zgid,
        };
        let sections = Sections {
            directory: self.directory.clone(),
            credentials,
            crm: self.crm.clone(),
            workspaces: self.workspaces.clone(),
        };
        let mut org = assemble(id, self.name.clone(), identity, sections, seen);
        org.renew_analytics_ids();
        Some(org)
    }

    /// `serde_json::to_vec(&export_org(copy, now))` for a `copy` this template just made
    /// (before anything changed it): the members that differ between copies (identity,
    /// credentials, Analytics) are exported and written, the others come from the first copy's
    /// export. A copy's rules have no computation timers yet, so `now` changes none of those.
    pub fn answer(&self, copy: &Org, now: Timestamp) -> Vec<u8> {
        let rendered = self.rendered.get_or_init(|| {
            let doc = export_org(copy, now);
            let mut directory = Vec::new();
            member(
                &mut directory,
                "hierarchy_preference",
                &doc.hierarchy_preference,
            );
            member(&mut directory, "profiles", &doc.profiles);
            member(&mut directory, "users", &doc.users);
            member(&mut directory, "roles", &doc.roles);
            member(&mut directory, "groups", &doc.groups);
            let mut crm = Vec::new();
            member(&mut crm, "custom_modules", &doc.custom_modules);
            member(&mut crm, "records", &doc.records);
            member(&mut crm, "shares", &doc.shares);
            member(&mut crm, "sharing_rules", &doc.sharing_rules);
            member(&mut crm, "rule_computation", &doc.rule_computation);
            member(&mut crm, "data_sharing", &doc.data_sharing);
            Rendered {
                directory,
                crm,
                size: AtomicUsize::new(0),
            }
        });
        let tenant = &copy.tenant;
        let (tokens, oauth_clients, grant_codes) = tenant::export_credentials(&tenant.credentials);
        let analytics = analytics::export(&copy.analytics);
        // Copies differ by a few digits at most: room for the first one's answer, and some.
        let mut out = Vec::with_capacity(rendered.size.load(Ordering::Relaxed) + 256);
        out.push(b'{');
        write_json(&mut out, "id");
        out.push(b':');
        write_json(&mut out, tenant.id().as_str());
        member(&mut out, "name", tenant.name());
        member(&mut out, "crm_org_id", tenant.crm_org_id());
        member(&mut out, "zgid", tenant.zgid());
        member(&mut out, "analytics_org_id", tenant.analytics_org_id());
        out.extend_from_slice(&rendered.directory);
        member(&mut out, "tokens", &tokens);
        member(&mut out, "oauth_clients", &oauth_clients);
        member(&mut out, "grant_codes", &grant_codes);
        out.extend_from_slice(&rendered.crm);
        member(&mut out, "analytics", &analytics);
        out.push(b'}');
        rendered.size.fetch_max(out.len(), Ordering::Relaxed);
        out
    }

    /// The document's credentials renamed with `fresh`, loaded; no grant codes. `None`: a
    /// string drawn twice, which the load refuses.
    fn credentials(
        &self,
        fresh: impl FnMut() -> String,
    ) -> Option<crate::tenant::credentials::Credentials> {
        let mut tokens = self.tokens.clone();
        let mut clients = self.oauth_clients.clone();
        rename_credentials(&mut tokens, &mut clients, fresh);
        tenant::load_credentials(tokens, clients, Vec::new(), &self.directory, "$").ok()
    }
}

/// The copy of `doc` under `id` by loading the renamed document: what a copy is. `Err` is the
/// load's refusal (a derived CRM org id that the org already holds).
pub fn copy_by_loading(
    doc: OrgDoc,
    id: OrgId,
    fresh: impl FnMut() -> String,
    now: Timestamp,
) -> Result<Org, crate::json_doc::FixtureError> {
    let doc = fresh_copy(doc, &id, fresh);
    let mut org = load_org(doc, id, "$", now)?;
    org.renew_analytics_ids();
    Ok(org)
}

/// `,"key":value`, as `serde_json` writes a member after the first.
fn member(out: &mut Vec<u8>, key: &str, value: &(impl Serialize + ?Sized)) {
    out.push(b',');
    write_json(out, key);
    out.push(b':');
    write_json(out, value);
}

fn write_json(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) {
    // Writing to a Vec fails only on a serialiser error, which the model's types never raise
    // (string keys, no non-finite floats): the same assumption `response::json` makes.
    if let Err(err) = serde_json::to_writer(&mut *out, value) {
        tracing::error!(error = %err, "could not serialise an org copy");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::records::fixture as records;
    use crate::store::fixture::{SANDBOX_JSON, parse_state};

    const NOW: Timestamp = Timestamp(1_767_300_000_123);

    fn sandbox_doc() -> OrgDoc {
        parse_state(SANDBOX_JSON.as_bytes()).unwrap().orgs.remove(0)
    }

    /// Credential strings from a counter, the same for both ways of copying.
    fn counter() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("1000.copy.{n}")
        }
    }

    fn export(org: &Org) -> Vec<u8> {
        serde_json::to_vec(&export_org(org, NOW)).unwrap()
    }

    fn next_id(org: &mut Org) -> String {
        org.with_new_id(|_, id| Ok::<_, ()>(id)).unwrap()
    }

    /// Each copy from the template is the org the renamed document loads to: the same export,
    /// the same answer bytes, the same next minted id.
    fn check_copies(doc: &OrgDoc) {
        let template = OrgTemplate::new(doc).expect("a template");
        for id in ["org-1", "org-2", "org-17", "org-1234", "org-99999"] {
            let id = OrgId(id.to_owned());
            let mut copied = template.copy(id.clone(), counter()).expect("a copy");
            let mut loaded = copy_by_loading(doc.clone(), id, counter(), NOW).unwrap();
            let expected = export(&loaded);
            assert_eq!(
                String::from_utf8(export(&copied)).unwrap(),
                String::from_utf8(expected.clone()).unwrap()
            );
            assert_eq!(
                template.answer(&copied, NOW),
                expected,
                "the answer is the export"
            );
            assert_eq!(next_id(&mut copied), next_id(&mut loaded));
        }
    }

    #[test]
    fn copies_are_what_the_document_loads_to() {
        check_copies(&sandbox_doc());
        check_copies(&OrgDoc::default());
    }

    /// No name (the copy's name is its id), ids left to mint, a token minted from a refresh
    /// token, a grant code (a copy has none), Analytics ids the copy renews.
    #[test]
    fn copies_of_a_sparse_document() {
        let json = r#"{"orgs":[{"crm_org_id":"5","zgid":"6",
            "users":[{"id":"1","email":"o@x.com","full_name":"O","role":"10","profile":"Administrator","status":"active"},
                     {"id":"2","email":"u@x.com","full_name":"U","role":"10","profile":"Standard","status":"active"}],
            "roles":[{"id":"10","name":"CEO"}],
            "tokens":[{"access_token":"a","user":"1","refresh_token":"r","label":"admin"},{"access_token":"b","user":"2"}],
            "oauth_clients":[{"client_id":"c","client_secret":"s","refresh_tokens":[{"refresh_token":"r","user":"1"}]}],
            "grant_codes":[{"code":"g","client_id":"c","user":"1"}],
            "records":[{"module":"Leads","id":"100","owner":"1"}],
            "shares":[{"module":"Leads","record":"100","shared_with":{"type":"users","id":"2"},"shared_time":"2026-01-01T00:00:00Z"}],
            "analytics":{"workspaces":[{"owner_email":"o@x.com","name":"W","admins":["u@x.com"]},
                                       {"owner_email":"o@x.com","name":"V"}]}}]}"#;
        let doc = parse_state(json.as_bytes()).unwrap().orgs.remove(0);
        check_copies(&doc);
        let copy = OrgTemplate::new(&doc)
            .unwrap()
            .copy(OrgId("org-3".into()), counter())
            .unwrap();
        assert_eq!(copy.tenant.name(), "org-3");
        assert!(copy.tenant.credentials.grant_codes().is_empty());
    }

    /// A share without its time is shared at the load: copies load the document.
    #[test]
    fn a_share_without_its_time_declines() {
        let mut doc = sandbox_doc();
        doc.shares[0].shared_time = None;
        assert!(OrgTemplate::new(&doc).is_none());
    }

    /// The CRM org id derived from the copy's id is an id of the org: the load refuses it
    /// (with its message), so the template declines.
    #[test]
    fn a_derived_id_the_org_holds_declines() {
        let (crm_org_id, _) = derive_crm_org_ids("org-7");
        let mut doc = OrgDoc::default();
        doc.custom_modules = vec![records::doc::CustomModule {
            api_name: "Properties".to_owned(),
            id: crm_org_id,
        }];
        let template = OrgTemplate::new(&doc).unwrap();
        assert!(template.copy(OrgId("org-7".into()), counter()).is_none());
        assert!(copy_by_loading(doc.clone(), OrgId("org-7".into()), counter(), NOW).is_err());
        assert!(template.copy(OrgId("org-8".into()), counter()).is_some());
    }
}

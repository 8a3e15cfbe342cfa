//! One org: the aggregate of everything a tenant owns. Every CRM and Analytics object belongs
//! to exactly one org, and handlers only ever receive the caller's own org.

pub mod directory;
pub mod tokens;

use std::collections::HashMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::analytics::workspace_admins::model::Workspace;
use crate::clock::Timestamp;
use crate::crm::data_sharing_rules::model::{ComputationFlag, Rule, ShareType};
use crate::crm::module_name::{self, CrmModule, CustomModule, ModuleLookup};
use crate::crm::record_sharing::model::Share;
use crate::ids::{IdGenerator, OrgId, RecordId, UserId};

pub use directory::{Group, Role, User};
pub use tokens::{AccessToken, GrantCode, OAuthClient, RefreshToken};

/// A CRM record: only what sharing needs (module, owner).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub module: String,
    pub id: RecordId,
    pub owner: UserId,
}

#[derive(Clone, Debug)]
pub struct Org {
    pub id: OrgId,
    pub name: String,
    pub crm_org_id: String,
    pub zgid: String,
    pub users: Vec<User>,
    pub roles: Vec<Role>,
    pub groups: Vec<Group>,
    pub tokens: IndexMap<String, AccessToken>,
    pub oauth_clients: Vec<OAuthClient>,
    pub grant_codes: Vec<GrantCode>,
    pub custom_modules: Vec<CustomModule>,
    pub records: IndexMap<RecordId, Record>,
    /// Per record, in listing order; a record with no share has no entry.
    pub shares: HashMap<RecordId, Vec<Share>>,
    pub sharing_rules: Vec<Rule>,
    /// Absent means not running.
    pub rule_computation: HashMap<String, ComputationFlag>,
    /// Absent means `private`.
    pub data_sharing: HashMap<String, ShareType>,
    pub workspaces: Vec<Workspace>,
    pub ids: IdGenerator,
}

impl Org {
    pub fn module(&self, name: &str) -> ModuleLookup<'_> {
        module_name::lookup(&self.custom_modules, name)
    }

    pub fn modules(&self) -> impl Iterator<Item = CrmModule<'_>> {
        module_name::all_modules(&self.custom_modules)
    }

    pub fn record(&self, id: &str) -> Option<&Record> {
        self.records.get(id)
    }

    pub fn shares_of(&self, record: &str) -> &[Share] {
        self.shares.get(record).map_or(&[], Vec::as_slice)
    }

    pub fn rule_computation_running(&self, module: &str, now: Timestamp) -> bool {
        self.rule_computation
            .get(module)
            .is_some_and(|flag| flag.is_running(now))
    }

    pub fn share_type(&self, module: &str) -> ShareType {
        self.data_sharing.get(module).copied().unwrap_or_default()
    }

    /// Every Zoho id the org holds, for uniqueness checks and the id generator.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        self.users
            .iter()
            .map(|u| u.id.as_str())
            .chain(self.roles.iter().map(|r| r.id.as_str()))
            .chain(self.groups.iter().map(|g| g.id.as_str()))
            .chain(self.records.keys().map(RecordId::as_str))
            .chain(self.sharing_rules.iter().map(|r| r.id.as_str()))
            .chain(self.workspaces.iter().map(|w| w.id.as_str()))
            .chain(self.custom_modules.iter().map(|m| m.id.as_str()))
            .chain(std::iter::once(self.crm_org_id.as_str()))
    }

    /// A fresh 19-digit id, unique in the org.
    pub fn new_id(&mut self) -> String {
        let mut ids = self.ids.clone();
        let id = ids.next_id(|candidate| self.all_ids().any(|existing| existing == candidate));
        self.ids = ids;
        id
    }
}

/// The CRM org id and `zgid` derived from the org key, so the same key always gives the same
/// values whatever other orgs exist (spec auth-and-errors.md §5b).
pub fn derive_crm_org_ids(org_id: &str) -> (String, String) {
    // FNV-1a: stable across runs and platforms, unlike std's randomly seeded hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in org_id.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let crm_org_id = 4_000_000_000_000_000_000 + hash % 1_000_000_000_000_000_000;
    let zgid = 700_000_000 + hash % 100_000_000;
    (crm_org_id.to_string(), zgid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_org_ids_are_stable_and_shaped() {
        let (id, zgid) = derive_crm_org_ids("org-1");
        assert_eq!(derive_crm_org_ids("org-1"), (id.clone(), zgid.clone()));
        assert_eq!(id.len(), 19);
        assert!(id.parse::<i64>().is_ok());
        assert_eq!(zgid.len(), 9);
        assert_ne!(derive_crm_org_ids("org-2").0, id);
    }
}

//! The tenant core: who an org is (its keys and the CRM ids derived from them), who works in it
//! (the directory) and which credentials it has issued. It knows no API family: the families
//! keep their own state and read the directory through `&Directory`.

pub mod credentials;
pub mod directory;
pub mod fixture;
pub mod profiles;

use crate::ids::OrgId;

use credentials::Credentials;
use directory::Directory;

/// One org's identity, directory and credentials. The identity never changes once loaded;
/// `directory` and `credentials` keep their own invariants.
#[derive(Clone, Debug)]
pub struct Tenant {
    id: OrgId,
    name: String,
    crm_org_id: String,
    zgid: String,
    /// The Analytics organization id (`ZANALYTICS-ORGID`, v2's `orgId`).
    analytics_org_id: String,
    /// Users, roles, groups, profiles and the hierarchy preference.
    pub directory: Directory,
    /// Access tokens, OAuth clients and grant codes. Minting or removing one goes through
    /// `World`, which indexes every credential string of the state.
    pub credentials: Credentials,
}

impl Tenant {
    /// An org as a fixture describes it; the caller has checked the ids (`store::fixture`).
    pub fn new(
        id: OrgId,
        name: String,
        crm_org_id: String,
        zgid: String,
        analytics_org_id: String,
        directory: Directory,
        credentials: Credentials,
    ) -> Self {
        Tenant {
            id,
            name,
            crm_org_id,
            zgid,
            analytics_org_id,
            directory,
            credentials,
        }
    }

    /// The mock's own key for the org (`zylker`, `org-2`).
    pub fn id(&self) -> &OrgId {
        &self.id
    }

    /// The company name of `GET /crm/{v}/org`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The CRM org id of `GET /crm/{v}/org`.
    pub fn crm_org_id(&self) -> &str {
        &self.crm_org_id
    }

    /// The `zgid` of `GET /crm/{v}/org`.
    pub fn zgid(&self) -> &str {
        &self.zgid
    }

    /// The Analytics organization id: what `ZANALYTICS-ORGID` must carry and v2 answers write
    /// as `orgId` (the `zgid` unless the fixture gives another).
    pub fn analytics_org_id(&self) -> &str {
        &self.analytics_org_id
    }

    /// Every Zoho id the tenant holds (users, roles, groups, the CRM org id).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.directory
            .ids()
            .chain(std::iter::once(self.crm_org_id.as_str()))
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

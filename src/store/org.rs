//! `Org`: the aggregate of everything one tenant owns, above the families. It is a plain
//! container whose fields are public so that handlers can split the borrows (read the
//! directory while changing the shares); the invariants live in the parts, whose own fields
//! are private. What the aggregate itself owns is the org's id space: every Zoho id of the org
//! is unique across its parts, and new ids come from here.

use crate::analytics::workspaces::model::Workspaces;
use crate::crm::state::CrmState;
use crate::ids::{IdGenerator, IdHash, IdText, OrgId};
use crate::tenant::Tenant;

/// One org.
#[derive(Clone, Debug)]
pub struct Org {
    /// Identity, directory, credentials.
    pub tenant: Tenant,
    pub crm: CrmState,
    pub analytics: Workspaces,
    ids: IdGenerator,
}

impl Org {
    pub fn new(tenant: Tenant, crm: CrmState, analytics: Workspaces, ids: IdGenerator) -> Self {
        Org {
            tenant,
            crm,
            analytics,
            ids,
        }
    }

    pub fn id(&self) -> &OrgId {
        self.tenant.id()
    }

    /// Whether an id is held anywhere in the org. Records (the one part that grows large) answer
    /// through their index; the rest is small.
    fn id_taken(&self, candidate: &str) -> bool {
        self.crm.records.holds_id(candidate)
            || self.crm.rules.ids().any(|id| id == candidate)
            || self.tenant.ids().any(|id| id == candidate)
            || self.analytics.ids().any(|id| id == candidate)
    }

    /// Fresh ids for every workspace, folder, view and group, from the org's generator, with
    /// every reference following: what a copy of an org gets (DESIGN §5).
    pub fn renew_analytics_ids(&mut self) {
        let Org {
            tenant,
            crm,
            analytics,
            ids,
        } = self;
        // Inline strings and FxHash: no allocation per id (a copy of an org does this once).
        let taken: std::collections::HashSet<IdText, IdHash> = tenant
            .ids()
            .chain(crm.ids())
            .chain(analytics.ids())
            .map(IdText::from)
            .collect();
        analytics.renew_ids(|| ids.next_id(|candidate| taken.contains(candidate)));
    }

    /// Runs `f` with a fresh 19-digit id, unique in the org; the id is spent only when `f` succeeds, so a refused request
    /// leaves the generator as it was.
    pub fn with_new_id<T, E>(
        &mut self,
        f: impl FnOnce(&mut Org, String) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut ids = self.ids.clone();
        let id = ids.next_id(|candidate| self.id_taken(candidate));
        let done = f(self, id)?;
        self.ids = ids;
        Ok(done)
    }
}

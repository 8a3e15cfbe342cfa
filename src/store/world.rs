//! `World`: every org, plus the state-wide index of credential strings (access tokens, refresh
//! tokens, grant codes), which are unique across the whole state because the org is found
//! from them. Everything reset and state export touch lives here.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::ids::OrgId;
use crate::tenant::{AccessToken, Org};

#[derive(Clone, Debug, Default)]
pub struct World {
    pub orgs: IndexMap<OrgId, Org>,
    credentials: HashMap<String, OrgId>,
}

/// A credential string or org id that already exists in the state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conflict {
    OrgId(String),
    Credential(String),
}

impl World {
    /// Builds the index; the caller has checked that ids and credential strings are unique.
    pub(crate) fn from_orgs(orgs: IndexMap<OrgId, Org>) -> Self {
        let mut world = World {
            orgs,
            credentials: HashMap::new(),
        };
        world.reindex();
        world
    }

    fn reindex(&mut self) {
        self.credentials.clear();
        for org in self.orgs.values() {
            for credential in org.credential_strings() {
                self.credentials
                    .insert(credential.to_owned(), org.id.clone());
            }
        }
    }

    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.get(id)
    }

    pub fn org_mut(&mut self, id: &str) -> Option<&mut Org> {
        self.orgs.get_mut(id)
    }

    /// The org that holds a credential string (access token, refresh token or grant code).
    pub fn credential_org(&self, credential: &str) -> Option<&OrgId> {
        self.credentials.get(credential)
    }

    pub fn credential_exists(&self, credential: &str) -> bool {
        self.credentials.contains_key(credential)
    }

    pub fn access_token(&self, token: &str) -> Option<(&Org, &AccessToken)> {
        let org = self.orgs.get(self.credentials.get(token)?)?;
        Some((org, org.tokens.get(token)?))
    }

    /// Records a credential minted for `org` (the caller has already stored it in the org).
    pub fn register_credential(&mut self, credential: &str, org: &OrgId) {
        self.credentials.insert(credential.to_owned(), org.clone());
    }

    pub fn forget_credential(&mut self, credential: &str) {
        self.credentials.remove(credential);
    }

    /// A credential string not used anywhere in the state.
    pub fn fresh_credential(&self) -> String {
        loop {
            let candidate = crate::ids::new_credential();
            if !self.credential_exists(&candidate) {
                return candidate;
            }
        }
    }

    /// `org-<n>` for the smallest n >= 1 not in use.
    pub fn next_org_id(&self) -> OrgId {
        first_free_org_id(|id| self.orgs.contains_key(id))
    }

    pub fn insert_org(&mut self, org: Org) -> Result<(), Conflict> {
        if self.orgs.contains_key(&org.id) {
            return Err(Conflict::OrgId(org.id.0.clone()));
        }
        if let Some(taken) = org.credential_strings().find(|c| self.credential_exists(c)) {
            return Err(Conflict::Credential(taken.to_owned()));
        }
        for credential in org.credential_strings() {
            self.credentials
                .insert(credential.to_owned(), org.id.clone());
        }
        self.orgs.insert(org.id.clone(), org);
        Ok(())
    }

    pub fn remove_org(&mut self, id: &str) -> Option<Org> {
        let org = self.orgs.shift_remove(id)?;
        for credential in org.credential_strings() {
            self.credentials.remove(credential);
        }
        Some(org)
    }
}

/// `org-<n>` for the smallest n >= 1 that is not taken.
pub fn first_free_org_id(taken: impl Fn(&str) -> bool) -> OrgId {
    let mut n: u64 = 1;
    loop {
        let candidate = format!("org-{n}");
        if !taken(&candidate) {
            return OrgId(candidate);
        }
        n += 1;
    }
}

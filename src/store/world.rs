//! `World`: every org, plus the state-wide index of credential strings (access tokens, refresh
//! tokens, grant codes), which are unique across the whole state because the org is found
//! from them. Everything reset and state export touch lives here.
//!
//! The index is kept in the same call as the org's credentials: `mint_credential` and
//! `redeem_grant_code` are the only callers of `Credentials::add_*` and `remove_grant_code`
//! (`tests/layering.rs` checks it), and orgs come and go only through `insert_org`,
//! `restore_org` and `remove_org`.

use indexmap::IndexMap;

use crate::ids::{IdMap, OrgId};
use crate::tenant::credentials::{AccessToken, GrantCode, RefreshToken};

use super::org::Org;

#[derive(Clone, Debug, Default)]
pub struct World {
    /// In the order export writes them.
    orgs: IndexMap<OrgId, Org>,
    credentials: IdMap<String, OrgId>,
}

/// Where an org is in the world: found once from a token, used again for a mutable borrow
/// under the same lock without copying its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrgSlot(usize);

/// A credential string or org id that already exists in the state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conflict {
    OrgId(String),
    Credential(String),
}

/// A credential to store in an org and index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    AccessToken(AccessToken),
    /// A refresh token of the org's client `client_id`.
    RefreshToken {
        client_id: String,
        token: RefreshToken,
    },
    GrantCode(GrantCode),
}

impl World {
    /// Builds the index; the caller has checked that ids and credential strings are unique.
    pub fn from_orgs(orgs: IndexMap<OrgId, Org>) -> Self {
        let mut credentials = IdMap::default();
        for org in orgs.values() {
            for credential in org.tenant.credentials.strings() {
                credentials.insert(credential.to_owned(), org.id().clone());
            }
        }
        World { orgs, credentials }
    }

    /// Every org, in export order.
    pub fn orgs(&self) -> impl Iterator<Item = &Org> {
        self.orgs.values()
    }

    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.get(id)
    }

    pub fn org_mut(&mut self, id: &str) -> Option<&mut Org> {
        self.orgs.get_mut(id)
    }

    pub fn org_at_mut(&mut self, slot: OrgSlot) -> Option<&mut Org> {
        self.orgs.get_index_mut(slot.0).map(|(_, org)| org)
    }

    pub fn contains_org(&self, id: &str) -> bool {
        self.orgs.contains_key(id)
    }

    /// The org that holds a credential string (access token, refresh token or grant code).
    pub fn credential_org(&self, credential: &str) -> Option<&OrgId> {
        self.credentials.get(credential)
    }

    pub fn credential_exists(&self, credential: &str) -> bool {
        self.credentials.contains_key(credential)
    }

    /// The org holding an access token (and where it is), and the token.
    pub fn access_token(&self, token: &str) -> Option<(OrgSlot, &Org, &AccessToken)> {
        let (index, _, org) = self.orgs.get_full(self.credentials.get(token)?)?;
        Some((
            OrgSlot(index),
            org,
            org.tenant.credentials.access_token(token)?,
        ))
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

    /// Stores a freshly minted credential (its string from [`World::fresh_credential`]) in
    /// org `org` and indexes it; false, and nothing stored, when the org (or the refresh
    /// token's client) does not exist.
    pub fn mint_credential(&mut self, org: &str, credential: Credential) -> bool {
        let Some((_, org_id, org)) = self.orgs.get_full_mut(org) else {
            return false;
        };
        let credentials = &mut org.tenant.credentials;
        let string = match credential {
            Credential::AccessToken(token) => {
                let string = token.access_token.clone();
                credentials.add_access_token(token);
                string
            }
            Credential::RefreshToken { client_id, token } => {
                let string = token.refresh_token.clone();
                if !credentials.add_refresh_token(&client_id, token) {
                    return false;
                }
                string
            }
            Credential::GrantCode(code) => {
                let string = code.code.clone();
                credentials.add_grant_code(code);
                string
            }
        };
        self.credentials.insert(string, org_id.clone());
        true
    }

    /// Takes a grant code out of its org and the index (a code is used once).
    pub fn redeem_grant_code(&mut self, org: &str, code: &str) -> Option<GrantCode> {
        let grant = self
            .orgs
            .get_mut(org)?
            .tenant
            .credentials
            .remove_grant_code(code)?;
        self.credentials.remove(code);
        Some(grant)
    }

    /// `org-<n>` for the smallest n >= 1 not in use: neither an org of the state nor an id
    /// `also_taken` names (the journal's orgs, so a new org never inherits the requests of a
    /// deleted one that had its id).
    pub fn next_org_id(&self, also_taken: impl Fn(&str) -> bool) -> OrgId {
        first_free_org_id(|id| self.orgs.contains_key(id) || also_taken(id))
    }

    pub fn insert_org(&mut self, org: Org) -> Result<(), Conflict> {
        if self.orgs.contains_key(org.id()) {
            return Err(Conflict::OrgId(org.id().0.clone()));
        }
        let credentials = &org.tenant.credentials;
        if let Some(taken) = credentials.strings().find(|c| self.credential_exists(c)) {
            return Err(Conflict::Credential(taken.to_owned()));
        }
        for credential in credentials.strings() {
            self.credentials
                .insert(credential.to_owned(), org.id().clone());
        }
        self.orgs.insert(org.id().clone(), org);
        Ok(())
    }

    /// Puts a saved org back in place of the org with its id, at that org's position (or last,
    /// when that org is gone), and re-indexes the credentials: the current org's strings leave
    /// the index, the saved org's come back. Refused, with nothing changed, when a saved string
    /// is now held by another org.
    pub fn restore_org(&mut self, org: Org) -> Result<(), Conflict> {
        let id = org.id().clone();
        let held_elsewhere =
            |c: &&str| self.credentials.get(*c).is_some_and(|holder| *holder != id);
        if let Some(taken) = org.tenant.credentials.strings().find(held_elsewhere) {
            return Err(Conflict::Credential(taken.to_owned()));
        }
        if let Some(current) = self.orgs.get(&id) {
            for credential in current.tenant.credentials.strings() {
                self.credentials.remove(credential);
            }
        }
        for credential in org.tenant.credentials.strings() {
            self.credentials.insert(credential.to_owned(), id.clone());
        }
        // `insert` keeps the position of an existing key.
        self.orgs.insert(id, org);
        Ok(())
    }

    pub fn remove_org(&mut self, id: &str) -> Option<Org> {
        let org = self.orgs.shift_remove(id)?;
        for credential in org.tenant.credentials.strings() {
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

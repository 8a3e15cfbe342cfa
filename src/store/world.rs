//! `World`: every org, plus the state-wide index of credential strings (access tokens, refresh
//! tokens, grant codes), which are unique across the whole state because the org is found
//! from them. Everything reset and state export touch lives here.
//!
//! The index is kept in the same call as the org's credentials: `mint_credential` and
//! `redeem_grant_code` are the only callers of `Credentials::add_*` and `remove_grant_code`
//! (`tests/layering.rs` checks it), and orgs come and go only through `insert_org`,
//! `restore_org` and `remove_org`.
//!
//! With a state file, `World` also notes which orgs a write reached (every `&mut Org` it hands
//! out) and which it added, restored or removed, so that the store knows where to collect the
//! changes of a write (`store/rows.rs`): an org added, restored or removed is written anew,
//! whole.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::dirty::Dirty;
use crate::ids::OrgId;
use crate::tenant::credentials::{AccessToken, GrantCode, RefreshToken};

use super::org::Org;

#[derive(Clone, Debug, Default)]
pub struct World {
    /// In the order export writes them.
    orgs: IndexMap<OrgId, Org>,
    credentials: HashMap<String, OrgId>,
    /// Orgs handed out for change since the store last collected the changes.
    touched: Dirty<OrgId>,
    /// Orgs inserted or removed since then (an org snapshot restore is a remove and an insert).
    replaced: Dirty<OrgId>,
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
        let mut credentials = HashMap::new();
        for org in orgs.values() {
            for credential in org.tenant.credentials.strings() {
                credentials.insert(credential.to_owned(), org.id().clone());
            }
        }
        World {
            orgs,
            credentials,
            touched: Dirty::default(),
            replaced: Dirty::default(),
        }
    }

    /// From now on, note the orgs each write reaches (a state file is in use).
    pub fn track_changes(&mut self) {
        self.touched.track();
        self.replaced.track();
    }

    /// The orgs handed out for change and the orgs inserted or removed, since the last call.
    pub fn take_changes(&mut self) -> (Vec<OrgId>, Vec<OrgId>) {
        (self.touched.take(), self.replaced.take())
    }

    /// An org by id without noting it (the store, collecting the changes of a write).
    pub(super) fn org_mut_unnoted(&mut self, id: &str) -> Option<&mut Org> {
        self.orgs.get_mut(id)
    }

    /// Every org, mutably, without noting them (the store turning change marks on or off).
    pub(super) fn orgs_mut_unnoted(&mut self) -> impl Iterator<Item = &mut Org> {
        self.orgs.values_mut()
    }

    /// Every org, in export order.
    pub fn orgs(&self) -> impl Iterator<Item = &Org> {
        self.orgs.values()
    }

    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.get(id)
    }

    pub fn org_mut(&mut self, id: &str) -> Option<&mut Org> {
        let (_, id, org) = self.orgs.get_full_mut(id)?;
        self.touched.mark(|| id.clone());
        Some(org)
    }

    pub fn org_at_mut(&mut self, slot: OrgSlot) -> Option<&mut Org> {
        let (id, org) = self.orgs.get_index_mut(slot.0)?;
        self.touched.mark(|| id.clone());
        Some(org)
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
        self.touched.mark(|| org_id.clone());
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
        let (_, org_id, holder) = self.orgs.get_full_mut(org)?;
        let grant = holder.tenant.credentials.remove_grant_code(code)?;
        self.touched.mark(|| org_id.clone());
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
        self.replaced.mark(|| org.id().clone());
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
        self.replaced.mark(|| id.clone());
        // `insert` keeps the position of an existing key.
        self.orgs.insert(id, org);
        Ok(())
    }

    pub fn remove_org(&mut self, id: &str) -> Option<Org> {
        let org = self.orgs.shift_remove(id)?;
        self.replaced.mark(|| org.id().clone());
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

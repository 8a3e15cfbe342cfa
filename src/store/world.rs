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

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::dirty::Dirty;
use crate::ids::{IdHash, IdMap, OrgId};
use crate::tenant::credentials::{AccessToken, GrantCode, RefreshToken};

use super::org::Org;
use crate::org_numbers::{NumberRuns, first_free, org_number};

#[derive(Clone, Debug, Default)]
pub struct World {
    /// Each org with its place in the state order. Removal is `swap_remove` (constant time,
    /// whatever the number of orgs); the order lives in `order`.
    orgs: IndexMap<OrgId, Placed, IdHash>,
    /// The state order (export, `GET /__admin/orgs`): by the place each org got when it was
    /// added (a restored org keeps its place).
    order: BTreeMap<u64, OrgId>,
    next_place: u64,
    /// The numbers of the `org-<n>` ids in use, for [`World::next_org_id`].
    numbers: NumberRuns,
    credentials: IdMap<String, OrgId>,
    /// Orgs handed out for change since the store last collected the changes.
    touched: Dirty<OrgId>,
    /// Orgs inserted or removed since then (an org snapshot restore is a remove and an insert).
    replaced: Dirty<OrgId>,
}

#[derive(Clone, Debug)]
struct Placed {
    place: u64,
    org: Org,
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
        let mut world = World::default();
        for (_, org) in orgs {
            for credential in org.tenant.credentials.strings() {
                world
                    .credentials
                    .insert(credential.to_owned(), org.id().clone());
            }
            world.place(org);
        }
        world
    }

    /// Adds an org (its id not in the state) last in the state order.
    fn place(&mut self, org: Org) {
        let place = self.next_place;
        self.next_place += 1;
        let id = org.id().clone();
        if let Some(n) = org_number(id.as_str()) {
            self.numbers.insert(n);
        }
        self.order.insert(place, id.clone());
        self.orgs.insert(id, Placed { place, org });
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
        self.orgs.get_mut(id).map(|placed| &mut placed.org)
    }

    /// Every org, mutably, without noting them (the store turning change marks on or off).
    pub(super) fn orgs_mut_unnoted(&mut self) -> impl Iterator<Item = &mut Org> {
        self.orgs.values_mut().map(|placed| &mut placed.org)
    }

    /// Every org, in export order.
    pub fn orgs(&self) -> impl Iterator<Item = &Org> {
        self.order.values().filter_map(|id| self.org(id.as_str()))
    }

    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.get(id).map(|placed| &placed.org)
    }

    pub fn org_mut(&mut self, id: &str) -> Option<&mut Org> {
        let (_, id, placed) = self.orgs.get_full_mut(id)?;
        self.touched.mark(|| id.clone());
        Some(&mut placed.org)
    }

    pub fn org_at_mut(&mut self, slot: OrgSlot) -> Option<&mut Org> {
        let (id, placed) = self.orgs.get_index_mut(slot.0)?;
        self.touched.mark(|| id.clone());
        Some(&mut placed.org)
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
        let (index, _, placed) = self.orgs.get_full(self.credentials.get(token)?)?;
        let org = &placed.org;
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
        let Some((_, org_id, placed)) = self.orgs.get_full_mut(org) else {
            return false;
        };
        self.touched.mark(|| org_id.clone());
        let credentials = &mut placed.org.tenant.credentials;
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
        let grant = holder.org.tenant.credentials.remove_grant_code(code)?;
        self.touched.mark(|| org_id.clone());
        self.credentials.remove(code);
        Some(grant)
    }

    /// `org-<n>` for the smallest n >= 1 not in use: neither an org of the state nor a number
    /// `also_taken` holds (`first_free_from(c)`: the smallest number >= c it does not hold;
    /// the journal's orgs, so a new org never inherits the requests of a deleted one that had
    /// its id). Logarithmic in the number of orgs: each step skips a whole run of taken ids.
    pub fn next_org_id(&self, also_taken: impl Fn(u64) -> u64) -> OrgId {
        let n = first_free(&[&|c| self.numbers.first_free_from(c), &also_taken]);
        OrgId(format!("org-{n}"))
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
        self.place(org);
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
            for credential in current.org.tenant.credentials.strings() {
                self.credentials.remove(credential);
            }
        }
        for credential in org.tenant.credentials.strings() {
            self.credentials.insert(credential.to_owned(), id.clone());
        }
        self.replaced.mark(|| id.clone());
        match self.orgs.get_mut(&id) {
            // In place: the org keeps its place in the state order.
            Some(current) => current.org = org,
            None => self.place(org),
        }
        Ok(())
    }

    /// Constant time in the number of orgs (plus the org's own credentials): the map's
    /// `swap_remove` moves the last org into the hole, the order keeps its own places.
    pub fn remove_org(&mut self, id: &str) -> Option<Org> {
        let Placed { place, org } = self.orgs.swap_remove(id)?;
        self.order.remove(&place);
        if let Some(n) = org_number(id) {
            self.numbers.remove(n);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::store::fixture::{OrgDoc, load_org};

    fn org(id: &str) -> Org {
        load_org(OrgDoc::default(), OrgId(id.to_owned()), "$", Timestamp(0)).unwrap()
    }

    fn ids(world: &World) -> Vec<&str> {
        world.orgs().map(|o| o.id().as_str()).collect()
    }

    const NOTHING_ELSE: fn(u64) -> u64 = |from| from;

    #[test]
    fn removal_keeps_the_order_of_the_others_and_restore_keeps_places() {
        let mut world = World::default();
        for id in ["a", "b", "c", "d", "e"] {
            world.insert_org(org(id)).unwrap();
        }
        assert!(world.remove_org("b").is_some());
        assert!(world.remove_org("b").is_none());
        assert_eq!(ids(&world), ["a", "c", "d", "e"]);
        assert_eq!(
            world.org("e").unwrap().id().as_str(),
            "e",
            "the moved org is still found"
        );
        world.insert_org(org("b")).unwrap();
        assert_eq!(
            ids(&world),
            ["a", "c", "d", "e", "b"],
            "a new org goes last"
        );
        world.restore_org(org("c")).unwrap();
        assert_eq!(ids(&world), ["a", "c", "d", "e", "b"], "restored in place");
        world.remove_org("a");
        world.restore_org(org("a")).unwrap();
        assert_eq!(
            ids(&world),
            ["c", "d", "e", "b", "a"],
            "a gone org comes back last"
        );
        assert!(matches!(
            world.insert_org(org("d")),
            Err(Conflict::OrgId(id)) if id == "d"
        ));
        let copy = World::from_orgs(world.orgs().map(|o| (o.id().clone(), o.clone())).collect());
        assert_eq!(ids(&copy), ids(&world));
    }

    #[test]
    fn minted_ids_take_the_smallest_free_number() {
        let mut world = World::default();
        assert_eq!(world.next_org_id(NOTHING_ELSE).0, "org-1");
        for id in ["org-1", "org-2", "org-3", "org-01", "org-5", "zylker"] {
            world.insert_org(org(id)).unwrap();
        }
        assert_eq!(
            world.next_org_id(NOTHING_ELSE).0,
            "org-4",
            "org-01 is not org-1"
        );
        world.insert_org(org("org-4")).unwrap();
        assert_eq!(world.next_org_id(NOTHING_ELSE).0, "org-6");
        world.remove_org("org-2");
        assert_eq!(world.next_org_id(NOTHING_ELSE).0, "org-2");
        world.restore_org(org("org-2")).unwrap();
        assert_eq!(world.next_org_id(NOTHING_ELSE).0, "org-6");
        // Numbers named elsewhere (the journal) are skipped too, run by run.
        world.remove_org("org-3");
        let named = |from: u64| if (3..=7).contains(&from) { 8 } else { from };
        assert_eq!(world.next_org_id(named).0, "org-8");
    }

    /// The allocator against the definition (the smallest n >= 1 whose id is not an org),
    /// over a random sequence of creations and removals.
    #[test]
    fn minted_ids_agree_with_a_scan() {
        let mut world = World::default();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..600 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let scanned = first_free_org_id(|id| world.contains_org(id));
            let minted = world.next_org_id(NOTHING_ELSE);
            assert_eq!(minted, scanned);
            if seed % 3 == 0 {
                let victim = format!("org-{}", 1 + (seed >> 8) % 40);
                world.remove_org(&victim);
            } else {
                world.insert_org(org(minted.as_str())).unwrap();
            }
        }
    }
}

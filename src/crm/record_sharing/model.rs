//! Shares per record and the rules of the share endpoint: who may act on which record, per-item
//! checks against the org, merge (POST), replace (PUT) and revoke (DELETE).
//!
//! Invariant ([`check_share_set`]): a record's share set is either up to 10 user, 5 group and
//! 5 role shares (private) or exactly one public share, never both; the record owner is never a
//! target; no target appears twice. A record with no share has no entry, and each record's list
//! is kept in listing order (spec crm-record-sharing.md §7), so GET and export read it as
//! stored. [`RecordShares`] stores a set only after that check, whether the set comes from a
//! request or from a fixture; every operation validates before it mutates.

use std::cmp::Reverse;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::str_enum::str_enum;

use crate::clock::Timestamp;
use crate::crm::records::model::{Record, RecordSlot, Records};
use crate::crm::registry::{CrmModule, ModuleLookup, RecordSharing};
use crate::dirty::Dirty;
use crate::ids::{IdHash, IdMap, RecordId, UserId, is_decimal};
use crate::tenant::directory::{Directory, User};

/// "Cannot share a record to more than 10 users." (seed crm-update-share-permissions.txt)
pub const MAX_SHARED_USERS: usize = 10;
/// Zoho v7 docs: a record can be shared with at most 5 groups.
pub const MAX_SHARED_GROUPS: usize = 5;
/// Zoho v7 docs: a record can be shared with at most 5 roles.
pub const MAX_SHARED_ROLES: usize = 5;

str_enum! {
    /// Declaration order is the listing order: full access first, then read-write, then read-only.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    pub enum Permission {
        FullAccess = "full_access",
        ReadWrite = "read_write",
        ReadOnly = "read_only",
    }
}

str_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum TargetKind {
        Users = "users",
        Groups = "groups",
        Roles = "roles",
    }
}

/// Who a private share is for; identity is (kind, exact decimal id).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ShareTarget {
    pub kind: TargetKind,
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    /// `None` is the public share.
    pub target: Option<ShareTarget>,
    pub permission: Permission,
    pub share_related_records: bool,
    pub shared_by: UserId,
    /// Whole seconds: what Zoho renders and what listing order compares.
    pub shared_time: Timestamp,
    /// Position of the item in the request (or fixture) that last created or changed the share.
    pub position: u32,
}

impl Share {
    pub fn is_public(&self) -> bool {
        self.target.is_none()
    }
}

/// Newest first; record-only before related records; full, read-write, read-only; request position.
fn sort_for_listing(shares: &mut [Share]) {
    shares.sort_by_key(|s| {
        (
            Reverse(s.shared_time),
            s.share_related_records,
            s.permission,
            s.position,
        )
    });
}

/// Distinct targets per kind in a share set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct TargetCounts {
    users: usize,
    groups: usize,
    roles: usize,
}

impl TargetCounts {
    fn of<'a>(targets: impl IntoIterator<Item = &'a ShareTarget>) -> Self {
        let mut counts = TargetCounts::default();
        for target in targets {
            match target.kind {
                TargetKind::Users => counts.users += 1,
                TargetKind::Groups => counts.groups += 1,
                TargetKind::Roles => counts.roles += 1,
            }
        }
        counts
    }

    fn within_limits(self) -> bool {
        self.users <= MAX_SHARED_USERS
            && self.groups <= MAX_SHARED_GROUPS
            && self.roles <= MAX_SHARED_ROLES
    }
}

/// Why a share set breaks the invariant, in the order [`check_share_set`] looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareSetError {
    /// A share names the record owner.
    OwnerIsTarget,
    /// A public share together with any other share.
    PublicAndPrivate,
    /// Two shares name the same target.
    DuplicateTarget,
    /// More than 10 users, 5 groups or 5 roles.
    OverLimit,
}

/// THE invariant of a record's share set (see the module doc), checked in this order: owner,
/// public mixing, duplicates, limits. Allocation-free: this runs on every share write.
pub fn check_share_set(owner: &str, shares: &[Share]) -> Result<(), ShareSetError> {
    let targets = || shares.iter().filter_map(|s| s.target.as_ref());
    if targets().any(|t| t.kind == TargetKind::Users && t.id == owner) {
        return Err(ShareSetError::OwnerIsTarget);
    }
    if shares.len() > 1 && shares.iter().any(Share::is_public) {
        return Err(ShareSetError::PublicAndPrivate);
    }
    let duplicate = shares.iter().enumerate().any(|(i, share)| {
        share.target.is_some() && shares[..i].iter().any(|s| s.target == share.target)
    });
    if duplicate {
        return Err(ShareSetError::DuplicateTarget);
    }
    if !TargetCounts::of(targets()).within_limits() {
        return Err(ShareSetError::OverLimit);
    }
    Ok(())
}

/// POST merges the body into the stored shares; PUT replaces them with the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    Merge,
    Replace,
}

/// One well-formed request item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareItem {
    /// `None` for a public item.
    pub target: Option<ShareTarget>,
    pub permission: Permission,
    pub share_related_records: bool,
}

/// One item of a write request as the model sees it: a well-formed [`ShareItem`], or `None`
/// for an item that failed its shape checks (the request layer knows why). Lets the model
/// read the parsed body in place, without a copy.
pub trait RequestedShare {
    fn share_item(&self) -> Option<&ShareItem>;
}

/// Why a well-formed item cannot be applied to the org, in the check order of spec
/// crm-record-sharing.md §5 (#10 onwards); an item reports only the first check it fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemConflict {
    /// Not an active user, a group or a role of the org.
    CannotShareTo,
    /// POST naming the record owner.
    AlreadyVisible,
    /// A target an earlier valid item named.
    Duplicate,
}

/// A well-formed item that failed, and its index in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemFailure {
    pub index: usize,
    pub conflict: ItemConflict,
}

/// Every way a share request can fail in the model, in the processing order of spec README §2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// Tasks, Events, Calls: Zoho answers `OAUTH_SCOPE_MISMATCH` for these.
    ScopeMismatch,
    UnknownModule,
    /// Documents, Projects.
    UnsupportedModule,
    RecordNotFound,
    /// Neither an Administrator nor the record owner.
    NotPermitted,
    /// Some item failed: those that failed here (in body order), plus every item that failed
    /// its shape checks.
    Items(Vec<ItemFailure>),
    /// A public item together with any other item.
    PublicNotAlone,
    /// A POST that would mix public and private shares on the record.
    PublicPrivateConflict,
    OverLimit,
    NothingToRevoke,
    /// A computed set that broke another part of the invariant; the item checks make this
    /// unreachable.
    Inconsistent(ShareSetError),
}

impl From<ShareSetError> for ShareError {
    fn from(error: ShareSetError) -> Self {
        match error {
            ShareSetError::OverLimit => ShareError::OverLimit,
            ShareSetError::PublicAndPrivate => ShareError::PublicPrivateConflict,
            other => ShareError::Inconsistent(other),
        }
    }
}

/// Who makes a change and when (whole seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub by: UserId,
    pub at: Timestamp,
}

/// The module and record a request acts on, once module class, record id and the caller's
/// permission have passed.
#[derive(Clone, Copy, Debug)]
pub struct Located<'o> {
    pub module: CrmModule<'o>,
    pub record: &'o Record,
    pub slot: RecordSlot,
}

/// Checks module class, then record id, then the caller's permission (spec README §2 steps 6
/// and 7; the scope, step 4, is the caller's to check first).
pub fn locate<'o>(
    records: &'o Records,
    caller: &User,
    module: ModuleLookup<'o>,
    record_id: Option<&str>,
) -> Result<Located<'o>, ShareError> {
    let module = match module {
        ModuleLookup::Known(module) if module.record_sharing == RecordSharing::Shareable => module,
        ModuleLookup::Known(_) => return Err(ShareError::ScopeMismatch),
        ModuleLookup::Unsupported => return Err(ShareError::UnsupportedModule),
        ModuleLookup::Unknown => return Err(ShareError::UnknownModule),
    };
    let (slot, record) = record_id
        .and_then(|id| records.find(id))
        .filter(|(_, record)| record.module.eq_ignore_ascii_case(module.api_name))
        .ok_or(ShareError::RecordNotFound)?;
    if !caller.is_administrator() && record.owner != caller.id {
        return Err(ShareError::NotPermitted);
    }
    Ok(Located {
        module,
        record,
        slot,
    })
}

/// A validated item that will be stored: its target (`None` = public), settings and position.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Grant {
    target: Option<ShareTarget>,
    permission: Permission,
    share_related_records: bool,
    position: u32,
}

impl Grant {
    fn same_settings(&self, share: &Share) -> bool {
        self.permission == share.permission
            && self.share_related_records == share.share_related_records
    }

    fn stamped(&self, stamp: &Stamp) -> Share {
        Share {
            target: self.target.clone(),
            permission: self.permission,
            share_related_records: self.share_related_records,
            shared_by: stamp.by.clone(),
            shared_time: stamp.at,
            position: self.position,
        }
    }
}

/// Every record's shares.
#[derive(Clone, Debug, Default)]
pub struct RecordShares {
    /// Per record, in listing order; a record with no share has no entry.
    by_record: IdMap<RecordId, Vec<Share>>,
    /// The records whose share set an API call stored or revoked.
    dirty: Dirty<RecordId>,
}

impl RecordShares {
    /// A record's shares in listing order (empty when none).
    pub fn of(&self, record: &str) -> &[Share] {
        self.by_record.get(record).map_or(&[], Vec::as_slice)
    }

    /// Whether the record has an entry (a record with no share has none).
    #[cfg(test)]
    pub fn has_entry(&self, record: &str) -> bool {
        self.by_record.contains_key(record)
    }

    /// POST (merge) or PUT (replace) on one record. On `Err` nothing changed.
    pub fn write<I: RequestedShare>(
        &mut self,
        records: &Records,
        directory: &Directory,
        record: RecordSlot,
        mode: WriteMode,
        items: &[I],
        stamp: &Stamp,
    ) -> Result<(), ShareError> {
        let record = records.at(record).ok_or(ShareError::RecordNotFound)?;
        let grants = validate(directory, record.owner.as_str(), mode, items)?;
        let current = self.of(record.id.as_str());
        let next = match mode {
            WriteMode::Merge => merge(current, &grants, stamp),
            WriteMode::Replace => replace(current, &grants, stamp),
        };
        if let Some(next) = next {
            self.store(record, next)?;
        }
        Ok(())
    }

    /// A record deleted through the Records API takes its shares with it; `true` when it had any.
    pub fn remove_record(&mut self, record: &str) -> bool {
        match self.by_record.remove_entry(record) {
            Some((id, _)) => {
                self.dirty.mark(|| id);
                true
            }
            None => false,
        }
    }

    /// The record's owner changed to `owner`: a share with that user goes, since a record is
    /// never shared with its owner (the owner's own grant is `full`, so no level drops). Keeps
    /// the invariant every fixture and state file is loaded with. `true` when a share went.
    pub fn forget_owner_share(&mut self, record: &str, owner: &str) -> bool {
        let Some(set) = self.by_record.get_mut(record) else {
            return false;
        };
        let before = set.len();
        set.retain(|s| {
            !s.target
                .as_ref()
                .is_some_and(|t| t.kind == TargetKind::Users && t.id == owner)
        });
        if set.len() == before {
            return false;
        }
        if set.is_empty() {
            self.by_record.remove(record);
        }
        self.dirty.mark(|| RecordId::from(record));
        true
    }

    /// DELETE: every share of the record goes.
    pub fn revoke(&mut self, record: &str) -> Result<(), ShareError> {
        match self.by_record.remove_entry(record) {
            Some((id, removed)) if !removed.is_empty() => {
                self.dirty.mark(|| id);
                Ok(())
            }
            _ => Err(ShareError::NothingToRevoke),
        }
    }

    /// The records whose share set changed, for the state file.
    pub fn dirty(&mut self) -> &mut Dirty<RecordId> {
        &mut self.dirty
    }

    /// Adds one share of a fixture to its record's set, which must still hold the invariant;
    /// on `Err` the set is as it was.
    pub fn load(&mut self, record: &Record, share: Share) -> Result<(), ShareSetError> {
        let list = self.by_record.entry(record.id.clone()).or_default();
        list.push(share);
        if let Err(err) = check_share_set(record.owner.as_str(), list) {
            list.pop();
            return Err(err);
        }
        sort_for_listing(list);
        Ok(())
    }

    /// The one place a request's set is stored: checked against the invariant, then sorted.
    fn store(&mut self, record: &Record, mut next: Vec<Share>) -> Result<(), ShareSetError> {
        check_share_set(record.owner.as_str(), &next)?;
        self.dirty.mark(|| record.id.clone());
        if next.is_empty() {
            self.by_record.remove(record.id.as_str());
            return Ok(());
        }
        sort_for_listing(&mut next);
        if let Some(list) = self.by_record.get_mut(record.id.as_str()) {
            *list = next;
        } else {
            self.by_record.insert(record.id.clone(), next);
        }
        Ok(())
    }
}

/// The shares GET lists, in listing order: all of them, or those whose target is one user.
pub fn listed<'s>(
    shares: &'s [Share],
    shared_to: Option<&'s str>,
) -> impl Iterator<Item = &'s Share> {
    shares.iter().filter(move |share| match shared_to {
        None => true,
        Some(user) => share
            .target
            .as_ref()
            .is_some_and(|t| t.kind == TargetKind::Users && t.id == user),
    })
}

/// Per-item checks against the org (valid target, owner, duplicates) for the items that passed
/// their shape checks, then the public-mixing check. Owner items of a PUT are accepted and
/// dropped.
fn validate<I: RequestedShare>(
    directory: &Directory,
    owner: &str,
    mode: WriteMode,
    items: &[I],
) -> Result<Vec<Grant>, ShareError> {
    let mut failures = Vec::new();
    let mut misshapen = false;
    let mut grants = Vec::with_capacity(items.len());
    let mut seen: HashSet<&ShareTarget, IdHash> =
        HashSet::with_capacity_and_hasher(items.len(), IdHash::default());
    for (index, item) in items.iter().enumerate() {
        let Some(item) = item.share_item() else {
            misshapen = true;
            continue;
        };
        match admit(directory, owner, mode, item, index, &mut seen) {
            Ok(Some(grant)) => grants.push(grant),
            Ok(None) => {}
            Err(conflict) => failures.push(ItemFailure { index, conflict }),
        }
    }
    if misshapen || !failures.is_empty() {
        return Err(ShareError::Items(failures));
    }
    let has_public = items
        .iter()
        .any(|item| item.share_item().is_some_and(|item| item.target.is_none()));
    if has_public && items.len() > 1 {
        return Err(ShareError::PublicNotAlone);
    }
    Ok(grants)
}

/// The grant a well-formed item makes; `None` for the record owner on a PUT (accepted, not
/// stored). `seen` holds the targets of the earlier valid items.
fn admit<'i>(
    directory: &Directory,
    owner: &str,
    mode: WriteMode,
    item: &'i ShareItem,
    index: usize,
    seen: &mut HashSet<&'i ShareTarget, IdHash>,
) -> Result<Option<Grant>, ItemConflict> {
    let grant = |target: Option<ShareTarget>| Grant {
        target,
        permission: item.permission,
        share_related_records: item.share_related_records,
        position: u32::try_from(index).unwrap_or(u32::MAX),
    };
    let Some(target) = &item.target else {
        return Ok(Some(grant(None)));
    };
    if !is_valid_target(directory, target) {
        return Err(ItemConflict::CannotShareTo);
    }
    let is_owner = target.kind == TargetKind::Users && target.id == owner;
    if is_owner && mode == WriteMode::Merge {
        return Err(ItemConflict::AlreadyVisible);
    }
    if !seen.insert(target) {
        return Err(ItemConflict::Duplicate);
    }
    Ok((!is_owner).then(|| grant(Some(target.clone()))))
}

/// `users` = an active user of the org, `groups` = a group, `roles` = a role.
fn is_valid_target(directory: &Directory, target: &ShareTarget) -> bool {
    is_decimal(&target.id)
        && match target.kind {
            TargetKind::Users => directory.user(&target.id).is_some_and(User::is_active),
            TargetKind::Groups => directory.group(&target.id).is_some(),
            TargetKind::Roles => directory.role(&target.id).is_some(),
        }
}

/// Whether a grant names a stored share with the same settings (which it then leaves as it is).
fn is_unchanged(current: &[Share], grant: &Grant) -> bool {
    current
        .iter()
        .any(|s| s.target == grant.target && grant.same_settings(s))
}

/// Each grant creates its target's share or changes it; other shares stay. The invariant is
/// checked on the merged set, so limits count it and public and private shares never mix.
/// `None`: nothing changes.
fn merge(current: &[Share], grants: &[Grant], stamp: &Stamp) -> Option<Vec<Share>> {
    if grants.iter().all(|grant| is_unchanged(current, grant)) {
        return None;
    }
    let fresh = grants
        .iter()
        .filter(|grant| !is_unchanged(current, grant))
        .map(|grant| grant.stamped(stamp));
    let mut next: Vec<Share> = fresh.collect();
    let kept: Vec<Share> = current
        .iter()
        .filter(|s| !next.iter().any(|f| f.target == s.target))
        .cloned()
        .collect();
    next.extend(kept);
    Some(next)
}

/// The grants become the whole share set; a share whose settings do not change keeps its time
/// and author, and limits apply to the body alone. `None`: nothing changes.
fn replace(current: &[Share], grants: &[Grant], stamp: &Stamp) -> Option<Vec<Share>> {
    // Grants name distinct targets, so as many unchanged grants as shares means no revocation.
    if grants.len() == current.len() && grants.iter().all(|grant| is_unchanged(current, grant)) {
        return None;
    }
    let mut next: Vec<Share> = grants
        .iter()
        .filter(|grant| !is_unchanged(current, grant))
        .map(|grant| grant.stamped(stamp))
        .collect();
    next.extend(
        current
            .iter()
            .filter(|s| {
                grants
                    .iter()
                    .any(|g| g.target == s.target && g.same_settings(s))
            })
            .cloned(),
    );
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::record_sharing::request::{BodyItem, ParsedItem, ShapeFault, TargetForm, Verb};
    use crate::crm::record_sharing::wire;
    use crate::store::fixture::sandbox_org;
    use crate::store::org::Org;
    use crate::tenant::directory::Group;

    const PATRICIA: &str = "4150868000001174048";
    const AMELIA: &str = "4150868000001199001";
    const RYAN: &str = "4150868000001199002";
    const DEREK_DISABLED: &str = "4150868000001199099";
    const SALES_GROUP: &str = "4150868000000232001";
    const SALES_REP_ROLE: &str = "4150868000000026007";
    /// Owned by Patricia, no shares in the sandbox.
    const LEAD: &str = "4150868000001148212";
    /// Owned by Patricia, shared with Ryan and the Sales group.
    const DEAL: &str = "4150868000001148250";
    /// Owned by Patricia, public.
    const CAMPAIGN: &str = "4150868000001148310";

    fn sandbox() -> Org {
        sandbox_org(at(0))
    }

    fn write_shares(
        org: &mut Org,
        record: &str,
        mode: WriteMode,
        items: &[BodyItem],
        stamp: &Stamp,
    ) -> Result<(), ShareError> {
        let Org { tenant, crm, .. } = org;
        let (slot, _) = crm.records.find(record).expect("a sandbox record");
        crm.shares
            .write(&crm.records, &tenant.directory, slot, mode, items, stamp)
    }

    fn revoke(org: &mut Org, record: &str) -> Result<(), ShareError> {
        org.crm.shares.revoke(record)
    }

    /// 2026-11-21T09:30:00+00:00 plus `secs`: after every share of the sandbox.
    fn at(secs: i64) -> Timestamp {
        Timestamp::from_secs(1_795_253_400 + secs)
    }

    fn stamp(secs: i64) -> Stamp {
        Stamp {
            by: UserId::from(PATRICIA),
            at: at(secs),
        }
    }

    fn user(id: &str, permission: Permission, related: bool) -> BodyItem {
        target(TargetKind::Users, id, permission, related)
    }

    fn target(kind: TargetKind, id: &str, permission: Permission, related: bool) -> BodyItem {
        Ok(ParsedItem {
            share: ShareItem {
                target: Some(ShareTarget {
                    kind,
                    id: id.to_owned(),
                }),
                permission,
                share_related_records: related,
            },
            form: TargetForm::SharedWith,
        })
    }

    fn public(permission: Permission) -> BodyItem {
        Ok(ParsedItem {
            share: ShareItem {
                target: None,
                permission,
                share_related_records: false,
            },
            form: TargetForm::SharedWith,
        })
    }

    fn standard_users(org: &Org, count: usize) -> Vec<String> {
        let users: Vec<String> = org
            .tenant
            .directory
            .users()
            .iter()
            .filter(|u| u.is_active() && u.id.as_str() != PATRICIA)
            .take(count)
            .map(|u| u.id.to_string())
            .collect();
        assert_eq!(users.len(), count, "the sandbox has enough active users");
        users
    }

    fn targets(org: &Org, record: &str) -> Vec<(Option<String>, Permission, bool)> {
        org.crm
            .shares
            .of(record)
            .iter()
            .map(|s| {
                (
                    s.target.as_ref().map(|t| t.id.clone()),
                    s.permission,
                    s.share_related_records,
                )
            })
            .collect()
    }

    fn failures(err: ShareError) -> Vec<(usize, ItemConflict)> {
        match err {
            ShareError::Items(items) => items.iter().map(|f| (f.index, f.conflict)).collect(),
            other => panic!("expected item failures, got {other:?}"),
        }
    }

    #[test]
    fn post_merges_and_keeps_unnamed_shares() {
        let mut org = sandbox();
        let items = [user(AMELIA, Permission::ReadOnly, false)];
        write_shares(&mut org, DEAL, WriteMode::Merge, &items, &stamp(10)).unwrap();
        let listed = targets(&org, DEAL);
        assert_eq!(listed.len(), 3);
        assert_eq!(
            listed[0],
            (Some(AMELIA.into()), Permission::ReadOnly, false)
        );
        assert!(listed.iter().any(|t| t.0.as_deref() == Some(RYAN)));
        assert!(listed.iter().any(|t| t.0.as_deref() == Some(SALES_GROUP)));
    }

    #[test]
    fn post_changing_a_share_restamps_it_and_an_equal_item_keeps_its_time() {
        let mut org = sandbox();
        let before: Vec<Share> = org.crm.shares.of(DEAL).to_vec();
        let ryan_before = before
            .iter()
            .find(|s| s.target.as_ref().is_some_and(|t| t.id == RYAN))
            .unwrap();
        let items = [
            user(
                RYAN,
                ryan_before.permission,
                ryan_before.share_related_records,
            ),
            target(TargetKind::Groups, SALES_GROUP, Permission::ReadOnly, true),
        ];
        let mut changer = stamp(99);
        changer.by = UserId::from(AMELIA);
        write_shares(&mut org, DEAL, WriteMode::Merge, &items, &changer).unwrap();
        let after = org.crm.shares.of(DEAL);
        let ryan = after
            .iter()
            .find(|s| s.target.as_ref().is_some_and(|t| t.id == RYAN))
            .unwrap();
        assert_eq!(
            ryan, ryan_before,
            "an equal item leaves the share untouched"
        );
        let group = after
            .iter()
            .find(|s| s.target.as_ref().is_some_and(|t| t.id == SALES_GROUP))
            .unwrap();
        assert_eq!(group.shared_time, at(99));
        assert_eq!(group.shared_by.as_str(), AMELIA);
        assert_eq!(group.permission, Permission::ReadOnly);
    }

    #[test]
    fn post_counts_limits_after_the_merge_and_changes_nothing_when_over() {
        let mut org = sandbox();
        let users = standard_users(&org, 11);
        let ten: Vec<_> = users[..10]
            .iter()
            .map(|u| user(u, Permission::ReadOnly, false))
            .collect();
        write_shares(&mut org, LEAD, WriteMode::Merge, &ten, &stamp(1)).unwrap();
        let before = org.crm.shares.of(LEAD).to_vec();
        let eleventh = [user(&users[10], Permission::ReadOnly, false)];
        assert_eq!(
            write_shares(&mut org, LEAD, WriteMode::Merge, &eleventh, &stamp(2)),
            Err(ShareError::OverLimit)
        );
        assert_eq!(org.crm.shares.of(LEAD), before.as_slice());
        let resharing = [user(&users[0], Permission::FullAccess, true)];
        write_shares(&mut org, LEAD, WriteMode::Merge, &resharing, &stamp(3)).unwrap();
        assert_eq!(
            org.crm.shares.of(LEAD).len(),
            10,
            "changing an existing target adds none"
        );
    }

    #[test]
    fn group_and_role_limits_are_five() {
        let mut org = sandbox();
        let directory = &org.tenant.directory;
        let mut groups = directory.groups().to_vec();
        for i in 0..6 {
            let id = format!("41508680000002330{i:02}");
            groups.push(Group {
                id: id.as_str().into(),
                name: format!("G{i}"),
                description: None,
                sources: Vec::new(),
            });
        }
        org.tenant.directory = Directory::new(
            directory.hierarchy_preference(),
            directory.profiles().to_vec(),
            directory.users().to_vec(),
            directory.roles().to_vec(),
            groups,
        );
        let groups: Vec<_> = (0..6)
            .map(|i| {
                target(
                    TargetKind::Groups,
                    &format!("41508680000002330{i:02}"),
                    Permission::ReadOnly,
                    false,
                )
            })
            .collect();
        assert_eq!(
            write_shares(&mut org, LEAD, WriteMode::Replace, &groups, &stamp(1)),
            Err(ShareError::OverLimit)
        );
        write_shares(&mut org, LEAD, WriteMode::Replace, &groups[..5], &stamp(1)).unwrap();
        assert_eq!(org.crm.shares.of(LEAD).len(), 5);
    }

    #[test]
    fn put_replaces_the_whole_set_and_revokes_the_unlisted() {
        let mut org = sandbox();
        let items = [user(AMELIA, Permission::ReadWrite, false)];
        write_shares(&mut org, DEAL, WriteMode::Replace, &items, &stamp(5)).unwrap();
        assert_eq!(
            targets(&org, DEAL),
            vec![(Some(AMELIA.into()), Permission::ReadWrite, false)]
        );
    }

    #[test]
    fn put_unchanged_item_keeps_its_time_and_author() {
        let mut org = sandbox();
        let ryan_before = org.crm.shares.of(DEAL)[0].clone();
        let items = [user(
            RYAN,
            ryan_before.permission,
            ryan_before.share_related_records,
        )];
        let mut changer = stamp(50);
        changer.by = UserId::from(AMELIA);
        write_shares(&mut org, DEAL, WriteMode::Replace, &items, &changer).unwrap();
        assert_eq!(org.crm.shares.of(DEAL), std::slice::from_ref(&ryan_before));
    }

    #[test]
    fn put_counts_only_the_body_and_not_the_owner() {
        let mut org = sandbox();
        let users = standard_users(&org, 11);
        let mut items: Vec<_> = users[..10]
            .iter()
            .map(|u| user(u, Permission::ReadOnly, false))
            .collect();
        items.push(user(PATRICIA, Permission::ReadOnly, false));
        write_shares(&mut org, DEAL, WriteMode::Replace, &items, &stamp(1)).unwrap();
        let listed = targets(&org, DEAL);
        assert_eq!(
            listed.len(),
            10,
            "the owner item succeeds and is not stored"
        );
        assert!(!listed.iter().any(|t| t.0.as_deref() == Some(PATRICIA)));
        let eleven: Vec<_> = users
            .iter()
            .map(|u| user(u, Permission::ReadOnly, false))
            .collect();
        let before = org.crm.shares.of(DEAL).to_vec();
        assert_eq!(
            write_shares(&mut org, DEAL, WriteMode::Replace, &eleven, &stamp(2)),
            Err(ShareError::OverLimit)
        );
        assert_eq!(org.crm.shares.of(DEAL), before.as_slice());
    }

    #[test]
    fn put_with_only_the_owner_leaves_no_share() {
        let mut org = sandbox();
        let items = [user(PATRICIA, Permission::ReadOnly, false)];
        write_shares(&mut org, DEAL, WriteMode::Replace, &items, &stamp(1)).unwrap();
        assert!(
            !org.crm.shares.has_entry(DEAL),
            "a record with no share has no entry"
        );
    }

    #[test]
    fn post_naming_the_owner_fails_and_a_second_owner_item_on_put_is_a_duplicate() {
        let mut org = sandbox();
        let items = [
            user(AMELIA, Permission::ReadOnly, false),
            user(PATRICIA, Permission::ReadOnly, false),
        ];
        let err = write_shares(&mut org, LEAD, WriteMode::Merge, &items, &stamp(1)).unwrap_err();
        assert_eq!(failures(err), vec![(1, ItemConflict::AlreadyVisible)]);
        assert!(org.crm.shares.of(LEAD).is_empty());
        let items = [
            user(PATRICIA, Permission::ReadOnly, false),
            user(PATRICIA, Permission::FullAccess, false),
        ];
        let err = write_shares(&mut org, LEAD, WriteMode::Replace, &items, &stamp(1)).unwrap_err();
        assert_eq!(failures(err), vec![(1, ItemConflict::Duplicate)]);
    }

    #[test]
    fn public_and_private_switch_on_put_and_conflict_on_post() {
        let mut org = sandbox();
        write_shares(
            &mut org,
            DEAL,
            WriteMode::Replace,
            &[public(Permission::ReadOnly)],
            &stamp(1),
        )
        .unwrap();
        assert_eq!(
            targets(&org, DEAL),
            vec![(None, Permission::ReadOnly, false)]
        );
        assert_eq!(
            write_shares(
                &mut org,
                DEAL,
                WriteMode::Merge,
                &[user(AMELIA, Permission::ReadOnly, false)],
                &stamp(2)
            ),
            Err(ShareError::PublicPrivateConflict)
        );
        write_shares(
            &mut org,
            DEAL,
            WriteMode::Merge,
            &[public(Permission::ReadWrite)],
            &stamp(3),
        )
        .unwrap();
        assert_eq!(
            targets(&org, DEAL),
            vec![(None, Permission::ReadWrite, false)],
            "a public item replaces the public share"
        );
        write_shares(
            &mut org,
            DEAL,
            WriteMode::Replace,
            &[user(AMELIA, Permission::ReadOnly, false)],
            &stamp(4),
        )
        .unwrap();
        assert_eq!(
            targets(&org, DEAL),
            vec![(Some(AMELIA.into()), Permission::ReadOnly, false)]
        );
        assert_eq!(
            write_shares(
                &mut org,
                DEAL,
                WriteMode::Merge,
                &[public(Permission::ReadOnly)],
                &stamp(5)
            ),
            Err(ShareError::PublicPrivateConflict)
        );
    }

    #[test]
    fn a_public_item_must_be_alone_but_item_errors_come_first() {
        let mut org = sandbox();
        let items = [
            public(Permission::ReadOnly),
            user(AMELIA, Permission::ReadOnly, false),
        ];
        assert_eq!(
            write_shares(&mut org, LEAD, WriteMode::Replace, &items, &stamp(1)),
            Err(ShareError::PublicNotAlone)
        );
        let items = [
            public(Permission::ReadOnly),
            user(DEREK_DISABLED, Permission::ReadOnly, false),
        ];
        let err = write_shares(&mut org, LEAD, WriteMode::Replace, &items, &stamp(1)).unwrap_err();
        assert_eq!(failures(err), vec![(1, ItemConflict::CannotShareTo)]);
    }

    #[test]
    fn invalid_targets_and_duplicates_fail_per_item_in_body_order() {
        let mut org = sandbox();
        let mut legacy = user(AMELIA, Permission::ReadOnly, false).unwrap();
        legacy.form = TargetForm::User;
        let items = [
            user(AMELIA, Permission::ReadOnly, false),
            Err(ShapeFault::InvalidPermission),
            user(DEREK_DISABLED, Permission::ReadOnly, false),
            target(
                TargetKind::Groups,
                "4150868000000239999",
                Permission::ReadOnly,
                false,
            ),
            target(
                TargetKind::Roles,
                SALES_REP_ROLE,
                Permission::ReadOnly,
                false,
            ),
            Ok(legacy),
            target(TargetKind::Users, SALES_GROUP, Permission::ReadOnly, false),
        ];
        let err = write_shares(&mut org, LEAD, WriteMode::Merge, &items, &stamp(1)).unwrap_err();
        assert_eq!(
            failures(err.clone()),
            vec![
                (2, ItemConflict::CannotShareTo),
                (3, ItemConflict::CannotShareTo),
                (5, ItemConflict::Duplicate),
                (6, ItemConflict::CannotShareTo),
            ],
            "the model reports the items it could check; the misshapen one is the request's"
        );
        let answer = wire::error(Verb::Share, err, &items).to_json();
        let paths: Vec<&str> = answer["share"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["details"]["json_path"].as_str().unwrap())
            .collect();
        assert_eq!(
            paths,
            [
                "$.share[1].permission",
                "$.share[2].shared_with.id",
                "$.share[3].shared_with.id",
                "$.share[5].user.id",
                "$.share[6].shared_with.id",
            ],
            "every failed item in body order, each with its own form"
        );
        assert!(
            org.crm.shares.of(LEAD).is_empty(),
            "an item error changes nothing"
        );
    }

    #[test]
    fn a_failed_item_does_not_make_a_later_one_a_duplicate() {
        let mut org = sandbox();
        let items = [
            target(
                TargetKind::Groups,
                "0004150868000000232001",
                Permission::ReadOnly,
                false,
            ),
            target(TargetKind::Groups, SALES_GROUP, Permission::ReadOnly, false),
        ];
        let err = write_shares(&mut org, LEAD, WriteMode::Merge, &items, &stamp(1)).unwrap_err();
        assert_eq!(failures(err), vec![(0, ItemConflict::CannotShareTo)]);
    }

    #[test]
    fn listing_order_is_newest_then_record_only_then_permission_then_position() {
        let mut org = sandbox();
        let users = standard_users(&org, 6);
        let items = [
            user(&users[0], Permission::ReadOnly, false),
            user(&users[1], Permission::FullAccess, true),
            user(&users[2], Permission::ReadWrite, false),
            user(&users[3], Permission::FullAccess, false),
            user(&users[4], Permission::ReadWrite, false),
        ];
        write_shares(&mut org, LEAD, WriteMode::Merge, &items, &stamp(1)).unwrap();
        write_shares(
            &mut org,
            LEAD,
            WriteMode::Merge,
            &[user(&users[5], Permission::ReadOnly, true)],
            &stamp(2),
        )
        .unwrap();
        let order: Vec<String> = org
            .crm
            .shares
            .of(LEAD)
            .iter()
            .map(|s| s.target.clone().unwrap().id)
            .collect();
        assert_eq!(
            order,
            vec![
                users[5].clone(),
                users[3].clone(),
                users[2].clone(),
                users[4].clone(),
                users[0].clone(),
                users[1].clone(),
            ]
        );
    }

    #[test]
    fn revoke_removes_everything_or_reports_nothing_to_revoke() {
        let mut org = sandbox();
        revoke(&mut org, DEAL).unwrap();
        assert!(org.crm.shares.of(DEAL).is_empty());
        assert_eq!(revoke(&mut org, DEAL), Err(ShareError::NothingToRevoke));
        revoke(&mut org, CAMPAIGN).unwrap();
    }

    #[test]
    fn listed_filters_by_user_target() {
        let org = sandbox();
        let shares = org.crm.shares.of(DEAL);
        assert_eq!(listed(shares, None).count(), 2);
        assert_eq!(listed(shares, Some(RYAN)).count(), 1);
        assert_eq!(
            listed(shares, Some(SALES_GROUP)).count(),
            0,
            "only user targets match"
        );
        assert_eq!(listed(org.crm.shares.of(CAMPAIGN), Some(RYAN)).count(), 0);
    }
}

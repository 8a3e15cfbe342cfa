//! Shares per record and the rules of the share endpoint: who may act on which record, per-item
//! validation against the org, merge (POST), replace (PUT) and revoke (DELETE).
//!
//! Invariant: a record's share set is either up to 10 user, 5 group and 5 role shares (private)
//! or exactly one public share, never both; the record owner is never a target; a record with no
//! share has no entry; each record's list is kept in listing order (spec crm-record-sharing.md
//! §7), so GET and export read it as stored. Every function validates before it mutates.

use std::cmp::Reverse;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::crm::module_name::{CrmModule, ModuleLookup, RecordSharing, scope_name_of};
use crate::ids::{RecordId, UserId, is_decimal};
use crate::tenant::{Org, Record, User};

/// "Cannot share a record to more than 10 users." (seed crm-update-share-permissions.txt)
pub const MAX_SHARED_USERS: usize = 10;
/// Zoho v7 docs: a record can be shared with at most 5 groups.
pub const MAX_SHARED_GROUPS: usize = 5;
/// Zoho v7 docs: a record can be shared with at most 5 roles.
pub const MAX_SHARED_ROLES: usize = 5;

/// Declaration order is the listing order: full access first, then read-write, then read-only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    FullAccess,
    ReadWrite,
    ReadOnly,
}

impl Permission {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "full_access" => Some(Permission::FullAccess),
            "read_write" => Some(Permission::ReadWrite),
            "read_only" => Some(Permission::ReadOnly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::FullAccess => "full_access",
            Permission::ReadWrite => "read_write",
            Permission::ReadOnly => "read_only",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Users,
    Groups,
    Roles,
}

impl TargetKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "users" => Some(TargetKind::Users),
            "groups" => Some(TargetKind::Groups),
            "roles" => Some(TargetKind::Roles),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Users => "users",
            TargetKind::Groups => "groups",
            TargetKind::Roles => "roles",
        }
    }
}

/// Who a private share is for; identity is (kind, exact decimal id).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareTarget {
    #[serde(rename = "type")]
    pub kind: TargetKind,
    #[serde(deserialize_with = "crate::ids::deserialize_id")]
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
pub fn sort_for_listing(shares: &mut [Share]) {
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
pub struct TargetCounts {
    pub users: usize,
    pub groups: usize,
    pub roles: usize,
}

impl TargetCounts {
    pub fn of<'a>(targets: impl IntoIterator<Item = &'a ShareTarget>) -> Self {
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

    pub fn within_limits(self) -> bool {
        self.users <= MAX_SHARED_USERS
            && self.groups <= MAX_SHARED_GROUPS
            && self.roles <= MAX_SHARED_ROLES
    }
}

/// The four operations of the endpoint; each needs `ZohoCRM.share.{module}.{OP}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Read,
    Share,
    Update,
    Revoke,
}

impl Verb {
    pub fn scope_operation(self) -> &'static str {
        match self {
            Verb::Read => "READ",
            Verb::Share => "CREATE",
            Verb::Update => "UPDATE",
            Verb::Revoke => "DELETE",
        }
    }
}

/// POST merges the body into the stored shares; PUT replaces them with the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    Merge,
    Replace,
}

/// Which body key named an item's target: `shared_with`, or the legacy `user` (v2/v2.1 form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetForm {
    SharedWith,
    User,
}

/// A target as a request item named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedTarget {
    pub target: ShareTarget,
    pub form: TargetForm,
}

/// One well-formed request item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareItem {
    /// `None` for a public item.
    pub target: Option<NamedTarget>,
    pub permission: Permission,
    pub share_related_records: bool,
}

/// Why one request item fails, in the check order of spec crm-record-sharing.md §5; an item
/// reports only the first check it fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemFault {
    NotObject,
    InvalidType,
    MissingType,
    InvalidPermission,
    RelatedNotBoolean,
    PublicWithTarget(TargetForm),
    MissingTarget,
    /// `shared_with` or `user` is there but is not an object.
    TargetNotObject(TargetForm),
    MissingTargetType,
    MissingTargetId(TargetForm),
    InvalidTargetType,
    CannotShareTo(TargetForm),
    AlreadyVisible(TargetForm),
    Duplicate(TargetForm),
}

/// A failed item and its index in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemFailure {
    pub index: usize,
    pub fault: ItemFault,
}

/// Every way a share request can fail, in the processing order of spec README §2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// No granted scope covers the module's share scope, or the module is Tasks, Events or Calls.
    ScopeMismatch,
    UnknownModule,
    /// Documents, Projects.
    UnsupportedModule,
    RecordNotFound,
    /// Neither an Administrator nor the record owner.
    NotPermitted,
    /// The failing items, in body order.
    Items(Vec<ItemFailure>),
    /// A public item together with any other item.
    PublicNotAlone,
    /// A POST that would mix public and private shares on the record.
    PublicPrivateConflict,
    OverLimit,
    NothingToRevoke,
}

/// Who makes a change and when (whole seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub by: UserId,
    pub at: Timestamp,
}

/// The module and record a request acts on, once scope, module class, record id and the
/// caller's permission have passed.
#[derive(Clone, Copy, Debug)]
pub struct Located<'o> {
    pub module: CrmModule<'o>,
    pub record: &'o Record,
}

/// Stands for a module path segment that is not UTF-8: it names nothing, and no scope names it.
const UNDECODABLE_MODULE: &str = "\u{fffd}";

/// Checks scope, then module class, then record id, then the caller's permission (spec README
/// §2 steps 4, 6, 7). `allows` answers whether the caller's token covers one of the scopes.
pub fn locate<'o>(
    org: &'o Org,
    caller: &User,
    allows: impl Fn(&[&str]) -> bool,
    verb: Verb,
    module_name: Option<&str>,
    record_id: Option<&str>,
) -> Result<Located<'o>, ShareError> {
    let url_name = module_name.unwrap_or(UNDECODABLE_MODULE);
    let lookup = module_name.map_or(ModuleLookup::Unknown, |name| org.module(name));
    let operation = verb.scope_operation();
    let covered = match lookup {
        ModuleLookup::Known(module) if module.custom => allows(&[
            &format!("ZohoCRM.share.{}.{operation}", module.share_scope_name()),
            &format!(
                "ZohoCRM.share.{}.{operation}",
                module.api_name.to_lowercase()
            ),
        ]),
        _ => allows(&[&format!(
            "ZohoCRM.share.{}.{operation}",
            scope_name_of(url_name)
        )]),
    };
    if !covered {
        return Err(ShareError::ScopeMismatch);
    }
    let module = match lookup {
        ModuleLookup::Known(module) if module.record_sharing == RecordSharing::Shareable => module,
        ModuleLookup::Known(_) => return Err(ShareError::ScopeMismatch),
        ModuleLookup::Unsupported => return Err(ShareError::UnsupportedModule),
        ModuleLookup::Unknown => return Err(ShareError::UnknownModule),
    };
    let record = record_id
        .and_then(|id| org.record(id))
        .filter(|record| record.module.eq_ignore_ascii_case(module.api_name))
        .ok_or(ShareError::RecordNotFound)?;
    if !caller.is_administrator() && record.owner != caller.id {
        return Err(ShareError::NotPermitted);
    }
    Ok(Located { module, record })
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

/// POST (merge) or PUT (replace) on one record of `org`. On `Err` nothing changed.
pub fn write_shares(
    org: &mut Org,
    record_id: &str,
    mode: WriteMode,
    items: &[Result<ShareItem, ItemFault>],
    stamp: &Stamp,
) -> Result<(), ShareError> {
    let record = org.record(record_id).ok_or(ShareError::RecordNotFound)?;
    let grants = validate(org, record.owner.as_str(), mode, items)?;
    let current = org.shares_of(record_id);
    let next = match mode {
        WriteMode::Merge => merge(current, &grants, stamp)?,
        WriteMode::Replace => replace(current, &grants, stamp)?,
    };
    if let Some(next) = next {
        set_shares(org, record_id, next);
    }
    Ok(())
}

/// DELETE: every share of the record goes.
pub fn revoke(org: &mut Org, record_id: &str) -> Result<(), ShareError> {
    match org.shares.remove(record_id) {
        Some(removed) if !removed.is_empty() => Ok(()),
        _ => Err(ShareError::NothingToRevoke),
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

/// Per-item checks against the org (valid target, owner, duplicates) after the well-formedness
/// checks the wire layer made, then the public-mixing check. Owner items of a PUT are accepted
/// and dropped.
fn validate(
    org: &Org,
    owner: &str,
    mode: WriteMode,
    items: &[Result<ShareItem, ItemFault>],
) -> Result<Vec<Grant>, ShareError> {
    let mut failures = Vec::new();
    let mut grants = Vec::with_capacity(items.len());
    let mut seen: HashSet<&ShareTarget> = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        let admitted = item
            .as_ref()
            .map_err(|fault| *fault)
            .and_then(|item| admit(org, owner, mode, item, index, &mut seen));
        match admitted {
            Ok(Some(grant)) => grants.push(grant),
            Ok(None) => {}
            Err(fault) => failures.push(ItemFailure { index, fault }),
        }
    }
    if !failures.is_empty() {
        return Err(ShareError::Items(failures));
    }
    let has_public = items
        .iter()
        .any(|item| item.as_ref().is_ok_and(|item| item.target.is_none()));
    if has_public && items.len() > 1 {
        return Err(ShareError::PublicNotAlone);
    }
    Ok(grants)
}

/// The grant a well-formed item makes; `None` for the record owner on a PUT (accepted, not
/// stored). `seen` holds the targets of the earlier valid items.
fn admit<'i>(
    org: &Org,
    owner: &str,
    mode: WriteMode,
    item: &'i ShareItem,
    index: usize,
    seen: &mut HashSet<&'i ShareTarget>,
) -> Result<Option<Grant>, ItemFault> {
    let grant = |target: Option<ShareTarget>| Grant {
        target,
        permission: item.permission,
        share_related_records: item.share_related_records,
        position: u32::try_from(index).unwrap_or(u32::MAX),
    };
    let Some(NamedTarget { target, form }) = &item.target else {
        return Ok(Some(grant(None)));
    };
    if !is_valid_target(org, target) {
        return Err(ItemFault::CannotShareTo(*form));
    }
    let is_owner = target.kind == TargetKind::Users && target.id == owner;
    if is_owner && mode == WriteMode::Merge {
        return Err(ItemFault::AlreadyVisible(*form));
    }
    if !seen.insert(target) {
        return Err(ItemFault::Duplicate(*form));
    }
    Ok((!is_owner).then(|| grant(Some(target.clone()))))
}

/// `users` = an active user of the org, `groups` = a group, `roles` = a role.
fn is_valid_target(org: &Org, target: &ShareTarget) -> bool {
    is_decimal(&target.id)
        && match target.kind {
            TargetKind::Users => org.user(&target.id).is_some_and(User::is_active),
            TargetKind::Groups => org.group(&target.id).is_some(),
            TargetKind::Roles => org.role(&target.id).is_some(),
        }
}

/// Whether a grant names a stored share with the same settings (which it then leaves as it is).
fn is_unchanged(current: &[Share], grant: &Grant) -> bool {
    current
        .iter()
        .any(|s| s.target == grant.target && grant.same_settings(s))
}

/// Each grant creates its target's share or changes it; other shares stay. Limits apply to the
/// merged set, and public and private shares never mix. `None`: nothing changes.
fn merge(
    current: &[Share],
    grants: &[Grant],
    stamp: &Stamp,
) -> Result<Option<Vec<Share>>, ShareError> {
    if grants.iter().all(|grant| is_unchanged(current, grant)) {
        return Ok(None);
    }
    let public_body = grants.iter().any(|g| g.target.is_none());
    let conflict = if public_body {
        current.iter().any(|s| !s.is_public())
    } else {
        !grants.is_empty() && current.iter().any(Share::is_public)
    };
    if conflict {
        return Err(ShareError::PublicPrivateConflict);
    }
    let fresh: Vec<Share> = grants
        .iter()
        .filter(|grant| !is_unchanged(current, grant))
        .map(|grant| grant.stamped(stamp))
        .collect();
    let kept: Vec<Share> = current
        .iter()
        .filter(|s| !fresh.iter().any(|f| f.target == s.target))
        .cloned()
        .collect();
    let mut next = fresh;
    next.extend(kept);
    if !TargetCounts::of(next.iter().filter_map(|s| s.target.as_ref())).within_limits() {
        return Err(ShareError::OverLimit);
    }
    sort_for_listing(&mut next);
    Ok(Some(next))
}

/// The grants become the whole share set; a share whose settings do not change keeps its time
/// and author. Limits apply to the body alone. `None`: nothing changes.
fn replace(
    current: &[Share],
    grants: &[Grant],
    stamp: &Stamp,
) -> Result<Option<Vec<Share>>, ShareError> {
    if !TargetCounts::of(grants.iter().filter_map(|g| g.target.as_ref())).within_limits() {
        return Err(ShareError::OverLimit);
    }
    // Grants name distinct targets, so as many unchanged grants as shares means no revocation.
    if grants.len() == current.len() && grants.iter().all(|grant| is_unchanged(current, grant)) {
        return Ok(None);
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
    sort_for_listing(&mut next);
    Ok(Some(next))
}

fn set_shares(org: &mut Org, record_id: &str, next: Vec<Share>) {
    if next.is_empty() {
        org.shares.remove(record_id);
    } else if let Some(list) = org.shares.get_mut(record_id) {
        *list = next;
    } else {
        org.shares.insert(RecordId::from(record_id), next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::fixture::{SANDBOX_JSON, parse_state};
    use crate::store::world::World;

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
        let doc = parse_state(SANDBOX_JSON.as_bytes()).unwrap();
        let mut world = World::from_doc(doc, at(0)).unwrap();
        world.orgs.shift_remove("zylker").unwrap()
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

    fn user(id: &str, permission: Permission, related: bool) -> Result<ShareItem, ItemFault> {
        target(TargetKind::Users, id, permission, related)
    }

    fn target(
        kind: TargetKind,
        id: &str,
        permission: Permission,
        related: bool,
    ) -> Result<ShareItem, ItemFault> {
        Ok(ShareItem {
            target: Some(NamedTarget {
                target: ShareTarget {
                    kind,
                    id: id.to_owned(),
                },
                form: TargetForm::SharedWith,
            }),
            permission,
            share_related_records: related,
        })
    }

    fn public(permission: Permission) -> Result<ShareItem, ItemFault> {
        Ok(ShareItem {
            target: None,
            permission,
            share_related_records: false,
        })
    }

    fn standard_users(org: &Org, count: usize) -> Vec<String> {
        let users: Vec<String> = org
            .users
            .iter()
            .filter(|u| u.is_active() && u.id.as_str() != PATRICIA)
            .take(count)
            .map(|u| u.id.0.clone())
            .collect();
        assert_eq!(users.len(), count, "the sandbox has enough active users");
        users
    }

    fn targets(org: &Org, record: &str) -> Vec<(Option<String>, Permission, bool)> {
        org.shares_of(record)
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

    fn failures(err: ShareError) -> Vec<(usize, ItemFault)> {
        match err {
            ShareError::Items(items) => items.iter().map(|f| (f.index, f.fault)).collect(),
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
        let before: Vec<Share> = org.shares_of(DEAL).to_vec();
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
        let after = org.shares_of(DEAL);
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
        let before = org.shares_of(LEAD).to_vec();
        let eleventh = [user(&users[10], Permission::ReadOnly, false)];
        assert_eq!(
            write_shares(&mut org, LEAD, WriteMode::Merge, &eleventh, &stamp(2)),
            Err(ShareError::OverLimit)
        );
        assert_eq!(org.shares_of(LEAD), before.as_slice());
        let resharing = [user(&users[0], Permission::FullAccess, true)];
        write_shares(&mut org, LEAD, WriteMode::Merge, &resharing, &stamp(3)).unwrap();
        assert_eq!(
            org.shares_of(LEAD).len(),
            10,
            "changing an existing target adds none"
        );
    }

    #[test]
    fn group_and_role_limits_are_five() {
        let mut org = sandbox();
        for i in 0..6 {
            let id = format!("41508680000002330{i:02}");
            org.groups.push(crate::tenant::Group {
                id: id.as_str().into(),
                name: format!("G{i}"),
                members: Vec::new(),
            });
        }
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
        assert_eq!(org.shares_of(LEAD).len(), 5);
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
        let ryan_before = org.shares_of(DEAL)[0].clone();
        let items = [user(
            RYAN,
            ryan_before.permission,
            ryan_before.share_related_records,
        )];
        let mut changer = stamp(50);
        changer.by = UserId::from(AMELIA);
        write_shares(&mut org, DEAL, WriteMode::Replace, &items, &changer).unwrap();
        assert_eq!(org.shares_of(DEAL), std::slice::from_ref(&ryan_before));
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
        let before = org.shares_of(DEAL).to_vec();
        assert_eq!(
            write_shares(&mut org, DEAL, WriteMode::Replace, &eleven, &stamp(2)),
            Err(ShareError::OverLimit)
        );
        assert_eq!(org.shares_of(DEAL), before.as_slice());
    }

    #[test]
    fn put_with_only_the_owner_leaves_no_share() {
        let mut org = sandbox();
        let items = [user(PATRICIA, Permission::ReadOnly, false)];
        write_shares(&mut org, DEAL, WriteMode::Replace, &items, &stamp(1)).unwrap();
        assert!(
            !org.shares.contains_key(DEAL),
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
        assert_eq!(
            failures(err),
            vec![(1, ItemFault::AlreadyVisible(TargetForm::SharedWith))]
        );
        assert!(org.shares_of(LEAD).is_empty());
        let items = [
            user(PATRICIA, Permission::ReadOnly, false),
            user(PATRICIA, Permission::FullAccess, false),
        ];
        let err = write_shares(&mut org, LEAD, WriteMode::Replace, &items, &stamp(1)).unwrap_err();
        assert_eq!(
            failures(err),
            vec![(1, ItemFault::Duplicate(TargetForm::SharedWith))]
        );
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
        assert_eq!(
            failures(err),
            vec![(1, ItemFault::CannotShareTo(TargetForm::SharedWith))]
        );
    }

    #[test]
    fn invalid_targets_and_duplicates_fail_per_item_in_body_order() {
        let mut org = sandbox();
        let mut legacy = user(AMELIA, Permission::ReadOnly, false).unwrap();
        if let Some(named) = &mut legacy.target {
            named.form = TargetForm::User;
        }
        let items = [
            user(AMELIA, Permission::ReadOnly, false),
            Err(ItemFault::InvalidPermission),
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
            failures(err),
            vec![
                (1, ItemFault::InvalidPermission),
                (2, ItemFault::CannotShareTo(TargetForm::SharedWith)),
                (3, ItemFault::CannotShareTo(TargetForm::SharedWith)),
                (5, ItemFault::Duplicate(TargetForm::User)),
                (6, ItemFault::CannotShareTo(TargetForm::SharedWith)),
            ]
        );
        assert!(
            org.shares_of(LEAD).is_empty(),
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
        assert_eq!(
            failures(err),
            vec![(0, ItemFault::CannotShareTo(TargetForm::SharedWith))]
        );
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
            .shares_of(LEAD)
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
        assert!(org.shares_of(DEAL).is_empty());
        assert_eq!(revoke(&mut org, DEAL), Err(ShareError::NothingToRevoke));
        revoke(&mut org, CAMPAIGN).unwrap();
    }

    #[test]
    fn listed_filters_by_user_target() {
        let org = sandbox();
        let shares = org.shares_of(DEAL);
        assert_eq!(listed(shares, None).count(), 2);
        assert_eq!(listed(shares, Some(RYAN)).count(), 1);
        assert_eq!(
            listed(shares, Some(SALES_GROUP)).count(),
            0,
            "only user targets match"
        );
        assert_eq!(listed(org.shares_of(CAMPAIGN), Some(RYAN)).count(), 0);
    }

    fn locate_as(
        org: &Org,
        user_id: &str,
        scopes: &[&str],
        verb: Verb,
        module: &str,
        record: &str,
    ) -> Result<String, ShareError> {
        let caller = org.user(user_id).unwrap();
        let allows = |wanted: &[&str]| crate::auth::scope::allows(scopes, wanted);
        locate(org, caller, allows, verb, Some(module), Some(record))
            .map(|l| l.module.api_name.to_owned())
    }

    #[test]
    fn locate_checks_scope_then_module_class_then_record_then_permission() {
        let org = sandbox();
        let all = ["ZohoCRM.share.ALL"];
        let leads_only = ["ZohoCRM.share.leads.ALL"];
        assert_eq!(
            locate_as(&org, PATRICIA, &all, Verb::Read, "leads", LEAD),
            Ok("Leads".into())
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &leads_only, Verb::Update, "Contacts", LEAD),
            Err(ShareError::ScopeMismatch)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &leads_only, Verb::Update, "Nope", LEAD),
            Err(ShareError::ScopeMismatch)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &leads_only, Verb::Update, "Documents", LEAD),
            Err(ShareError::ScopeMismatch)
        );
        assert_eq!(
            locate_as(
                &org,
                PATRICIA,
                &all,
                Verb::Update,
                "Tasks",
                "4150868000001148370"
            ),
            Err(ShareError::ScopeMismatch)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &all, Verb::Update, "Documents", LEAD),
            Err(ShareError::UnsupportedModule)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &all, Verb::Update, "Nope", LEAD),
            Err(ShareError::UnknownModule)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &all, Verb::Update, "Contacts", LEAD),
            Err(ShareError::RecordNotFound)
        );
        assert_eq!(
            locate_as(
                &org,
                PATRICIA,
                &all,
                Verb::Update,
                "Leads",
                "4150868000009999999"
            ),
            Err(ShareError::RecordNotFound)
        );
        assert_eq!(
            locate_as(&org, AMELIA, &all, Verb::Update, "Leads", LEAD),
            Err(ShareError::NotPermitted)
        );
        assert_eq!(
            locate_as(
                &org,
                AMELIA,
                &all,
                Verb::Update,
                "Leads",
                "4150868000001148213"
            ),
            Ok("Leads".into())
        );
        assert_eq!(
            locate_as(
                &org,
                PATRICIA,
                &["ZohoCRM.share.salesorders.READ"],
                Verb::Read,
                "sales_orders",
                "4150868000001148280"
            ),
            Ok("Sales_Orders".into())
        );
    }

    #[test]
    fn custom_modules_take_custom_or_their_own_name_as_scope() {
        let org = sandbox();
        let record = "4150868000001148360";
        for scope in ["ZohoCRM.share.custom.READ", "ZohoCRM.share.properties.ALL"] {
            assert_eq!(
                locate_as(&org, PATRICIA, &[scope], Verb::Read, "Properties", record),
                Ok("Properties".into())
            );
        }
        assert_eq!(
            locate_as(
                &org,
                PATRICIA,
                &["ZohoCRM.share.leads.ALL"],
                Verb::Read,
                "Properties",
                record
            ),
            Err(ShareError::ScopeMismatch)
        );
    }
}

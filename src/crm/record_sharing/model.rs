//! Shares per record. A record's share set is either up to 10 user, 5 group and 5 role shares
//! (private) or exactly one public share, never both; the record owner is never a target.
//!
//! Each record's list is kept in listing order (spec crm-record-sharing.md §7), so GET and
//! export read it as stored.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::ids::UserId;

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

//! The org document's `shares` section (DESIGN §3): one entry per share, in any order. Each
//! share joins its record's set through `RecordShares::load`, which holds the set to the same
//! invariant as the API's writes; a share to a disabled user is valid (users can be disabled
//! after being shared with).

use crate::clock::Timestamp;
use crate::crm::records::model::{Record, Records};
use crate::json_doc::{FixtureError, fail};
use crate::tenant::directory::Directory;

use super::model::{
    MAX_SHARED_GROUPS, MAX_SHARED_ROLES, MAX_SHARED_USERS, RecordShares, Share, ShareSetError,
    ShareTarget, TargetKind,
};

/// The section's document types: the fixture contract (DESIGN §3). They keep the names serde
/// has always printed in type errors (`expected struct ShareDoc`), which are part of the
/// whole-file error messages.
pub mod doc {
    use serde::{Deserialize, Serialize};

    use crate::clock::Timestamp;
    use crate::crm::record_sharing::model::{Permission, TargetKind};
    use crate::ids::{RecordId, UserId};

    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ShareVisibility {
        #[default]
        Private,
        Public,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ShareTarget {
        #[serde(rename = "type")]
        pub kind: TargetKind,
        #[serde(deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ShareDoc {
        pub module: String,
        pub record: RecordId,
        /// `null` (or absent) for the public share.
        #[serde(default)]
        pub shared_with: Option<ShareTarget>,
        #[serde(default = "default_permission")]
        pub permission: Permission,
        #[serde(default)]
        pub share_related_records: bool,
        #[serde(rename = "type", default)]
        pub visibility: ShareVisibility,
        /// Defaults to the record owner.
        #[serde(default)]
        pub shared_by: Option<UserId>,
        /// Defaults to the load time.
        #[serde(default)]
        pub shared_time: Option<Timestamp>,
    }

    fn default_permission() -> Permission {
        Permission::FullAccess
    }
}

/// `shares`, checked one by one against the records and the directory.
pub fn load(
    shares: Vec<doc::ShareDoc>,
    records: &Records,
    directory: &Directory,
    path: &str,
    now: Timestamp,
) -> Result<RecordShares, FixtureError> {
    let mut loaded = RecordShares::default();
    let user_known = |id: &str| directory.user(id).is_some();
    let now_secs = now.truncated_to_secs();
    for (i, share) in shares.into_iter().enumerate() {
        let p = format!("{path}.shares[{i}]");
        let Some(record) = records.get(share.record.as_str()) else {
            return fail(
                format!("{p}.record"),
                format!("unknown record id {:?}", share.record.0),
            );
        };
        if !record.module.eq_ignore_ascii_case(&share.module) {
            return fail(
                format!("{p}.module"),
                format!(
                    "record {:?} is a {} record, not {:?}",
                    record.id.0, record.module, share.module
                ),
            );
        }
        let shared_by = share.shared_by.unwrap_or_else(|| (*record.owner).clone());
        if !user_known(shared_by.as_str()) {
            return fail(
                format!("{p}.shared_by"),
                format!("unknown user id {:?}", shared_by.0),
            );
        }
        let target = match (share.visibility, share.shared_with) {
            (doc::ShareVisibility::Public, None) => None,
            (doc::ShareVisibility::Public, Some(_)) => {
                return fail(
                    format!("{p}.shared_with"),
                    "a public share has no shared_with",
                );
            }
            (doc::ShareVisibility::Private, None) => {
                return fail(
                    format!("{p}.shared_with"),
                    "a private share needs shared_with",
                );
            }
            (doc::ShareVisibility::Private, Some(target)) => {
                let known = match target.kind {
                    TargetKind::Users => user_known(&target.id),
                    TargetKind::Groups => directory.group(&target.id).is_some(),
                    TargetKind::Roles => directory.role(&target.id).is_some(),
                };
                if !known {
                    return fail(
                        format!("{p}.shared_with.id"),
                        format!("unknown {} id {:?}", target.kind.as_str(), target.id),
                    );
                }
                Some(ShareTarget {
                    kind: target.kind,
                    id: target.id,
                })
            }
        };
        let share = Share {
            target,
            permission: share.permission,
            share_related_records: share.share_related_records,
            shared_by,
            shared_time: share.shared_time.unwrap_or(now_secs).truncated_to_secs(),
            position: u32::try_from(i).unwrap_or(u32::MAX),
        };
        if let Err(broken) = loaded.load(record, share) {
            let (at, message) = match broken {
                ShareSetError::OwnerIsTarget => (
                    format!("{p}.shared_with.id"),
                    "a record is never shared with its owner".to_owned(),
                ),
                ShareSetError::PublicAndPrivate => (
                    format!("{p}.type"),
                    "a record has either one public share or private shares, never both".to_owned(),
                ),
                ShareSetError::DuplicateTarget => (
                    format!("{p}.shared_with"),
                    "the record is already shared with this target".to_owned(),
                ),
                ShareSetError::OverLimit => (
                    p,
                    format!(
                        "record {:?} is shared with more than {MAX_SHARED_USERS} users, \
                         {MAX_SHARED_GROUPS} groups or {MAX_SHARED_ROLES} roles",
                        record.id.0
                    ),
                ),
            };
            return fail(at, message);
        }
    }
    Ok(loaded)
}

/// `shares` as the org holds them: by record (in record order), each record's in listing order.
pub fn export(records: &Records, shares: &RecordShares) -> Vec<doc::ShareDoc> {
    records
        .iter()
        .flat_map(|record| export_record_shares(record, shares))
        .collect()
}

/// One record's shares as `shares` lists them, in listing order (the state file keeps each
/// record's set in this form).
pub fn export_record_shares(record: &Record, shares: &RecordShares) -> Vec<doc::ShareDoc> {
    shares
        .of(record.id.as_str())
        .iter()
        .map(|share| doc::ShareDoc {
            module: record.module.to_string(),
            record: record.id.clone(),
            shared_with: share.target.as_ref().map(|t| doc::ShareTarget {
                kind: t.kind,
                id: t.id.clone(),
            }),
            permission: share.permission,
            share_related_records: share.share_related_records,
            visibility: if share.is_public() {
                doc::ShareVisibility::Public
            } else {
                doc::ShareVisibility::Private
            },
            shared_by: Some(share.shared_by.clone()),
            shared_time: Some(share.shared_time),
        })
        .collect()
}

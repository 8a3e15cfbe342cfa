//! Data sharing rules, the per-module rule-computation flag and the org-wide data sharing
//! settings. A rule belongs to one module; names are unique (case-insensitive) per module.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::ids::RuleId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleType {
    #[serde(rename = "Record_Owner_Based")]
    RecordOwnerBased,
    #[serde(rename = "Criteria_Based")]
    CriteriaBased,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RulePermission {
    ReadWriteDelete,
    Read,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    Active,
    Inactive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedKind {
    Roles,
    Groups,
    AllUsers,
}

/// The `shared_from` / `shared_to` object; `resource` is a role or group id (none for `all_users`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedSpec {
    pub kind: SharedKind,
    pub resource: Option<String>,
    pub subordinates: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: RuleId,
    /// Canonical module API name.
    pub module: String,
    pub name: String,
    pub rule_type: RuleType,
    pub permission_type: RulePermission,
    pub superiors_allowed: bool,
    pub status: RuleStatus,
    /// Stored as given (shape-checked only); `None` unless `Criteria_Based`.
    pub criteria: Option<serde_json::Value>,
    pub match_limit_exceeded: bool,
    /// `None` for `Criteria_Based` rules.
    pub shared_from: Option<SharedSpec>,
    pub shared_to: SharedSpec,
}

/// A module's "rule computation running" flag (spec crm-data-sharing-rules.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComputationFlag {
    /// Written by a fixture, a state import or the admin endpoint; wins over timers.
    Pinned(bool),
    /// Set by a rule change for `--rule-computation-ms`; on while `now < until`.
    Timer { until: Timestamp },
}

impl ComputationFlag {
    pub fn is_running(self, now: Timestamp) -> bool {
        match self {
            ComputationFlag::Pinned(on) => on,
            ComputationFlag::Timer { until } => now < until,
        }
    }
}

/// Org-wide default access per module (`GET/PUT /settings/data_sharing`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareType {
    #[default]
    Private,
    PublicReadOnly,
    PublicReadWrite,
    Public,
}

impl ShareType {
    /// The allowed values as Zoho's `regex` detail lists them.
    pub const REGEX: &'static str = "private|public_read_only|public_read_write|public";

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "private" => Some(ShareType::Private),
            "public_read_only" => Some(ShareType::PublicReadOnly),
            "public_read_write" => Some(ShareType::PublicReadWrite),
            "public" => Some(ShareType::Public),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computation_flag_timer_is_on_strictly_before_its_end() {
        let until = Timestamp(10_000);
        let flag = ComputationFlag::Timer { until };
        assert!(flag.is_running(Timestamp(9_999)));
        assert!(!flag.is_running(until));
        assert!(ComputationFlag::Pinned(true).is_running(Timestamp(i64::MAX)));
        assert!(!ComputationFlag::Pinned(false).is_running(Timestamp(0)));
    }
}

//! The org document's `sharing_rules` and `rule_computation` sections (DESIGN §3). A rule is
//! held to the API's rules through the model's own checks: `SharingRules::name_taken`,
//! `resource_exists`, `SharedKind::may_share_from`. Export writes every registry module's
//! computation flag as it reads now (timers included), so a re-import pins them.

use indexmap::IndexMap;
use serde_json::Value;

use crate::clock::Timestamp;
use crate::crm::records::fixture::module_of;
use crate::crm::records::model::Records;
use crate::json_doc::{FixtureError, SeenIds, check_decimal, fail};
use crate::tenant::directory::Directory;

use super::model::{
    Criteria, Rule, RuleType, SharedKind, SharedSpec, SharingRules, resource_exists,
};

/// The section's document types: the fixture contract (DESIGN §3). They keep the names serde
/// has always printed in type errors (`expected struct RuleDoc`), which are part of the
/// whole-file error messages.
pub mod doc {
    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    use crate::crm::data_sharing_rules::model::{RulePermission, RuleStatus, RuleType, SharedKind};
    use crate::ids::RuleId;

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RuleDoc {
        pub id: RuleId,
        pub module: String,
        pub name: String,
        #[serde(rename = "type")]
        pub rule_type: RuleType,
        pub permission_type: RulePermission,
        pub superiors_allowed: bool,
        #[serde(default = "default_status")]
        pub status: RuleStatus,
        #[serde(default)]
        pub criteria: Option<Value>,
        #[serde(default)]
        pub match_limit_exceeded: bool,
        #[serde(default)]
        pub shared_from: Option<SharedDoc>,
        pub shared_to: SharedDoc,
    }

    fn default_status() -> RuleStatus {
        RuleStatus::Active
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SharedDoc {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub resource: Option<ResourceDoc>,
        #[serde(default)]
        pub subordinates: bool,
        #[serde(rename = "type")]
        pub kind: SharedKind,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ResourceDoc {
        #[serde(deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
        /// Ignored on input (the org's role or group name is used); written on export.
        #[serde(default)]
        pub name: Option<String>,
    }
}

/// `sharing_rules`, then `rule_computation` (module -> pinned flag).
pub fn load(
    rules: Vec<doc::RuleDoc>,
    computation: IndexMap<String, bool>,
    records: &Records,
    directory: &Directory,
    path: &str,
    seen: &mut SeenIds,
) -> Result<SharingRules, FixtureError> {
    let mut loaded = SharingRules::default();
    for (i, rule) in rules.into_iter().enumerate() {
        let p = format!("{path}.sharing_rules[{i}]");
        check_decimal(format!("{p}.id"), rule.id.as_str())?;
        seen.claim(format!("{p}.id"), "rule", rule.id.as_str())?;
        let module = module_of(records, format!("{p}.module"), &rule.module)?
            .api_name
            .to_owned();
        if rule.name.is_empty() {
            return fail(format!("{p}.name"), "name must not be empty");
        }
        if loaded.name_taken(&module, &rule.name, None) {
            return fail(
                format!("{p}.name"),
                format!("duplicate rule name {:?} in {module}", rule.name),
            );
        }
        let shared_to = shared(directory, format!("{p}.shared_to"), &rule.shared_to, false)?;
        let (shared_from, criteria) = match rule.rule_type {
            RuleType::RecordOwnerBased => {
                let Some(from) = &rule.shared_from else {
                    return fail(
                        format!("{p}.shared_from"),
                        "shared_from is required for Record_Owner_Based rules",
                    );
                };
                let from = shared(directory, format!("{p}.shared_from"), from, true)?;
                (Some(from), None)
            }
            RuleType::CriteriaBased => match rule.criteria.filter(|c| !c.is_null()) {
                Some(criteria @ Value::Object(_)) => (None, Some(Criteria::new(criteria))),
                _ => {
                    return fail(
                        format!("{p}.criteria"),
                        "criteria (an object) is required for Criteria_Based rules",
                    );
                }
            },
        };
        loaded.load(Rule {
            id: rule.id,
            module,
            name: rule.name,
            rule_type: rule.rule_type,
            permission_type: rule.permission_type,
            superiors_allowed: rule.superiors_allowed,
            status: rule.status,
            criteria,
            match_limit_exceeded: rule.match_limit_exceeded,
            shared_from,
            shared_to,
        });
    }
    for (name, running) in &computation {
        let module = module_of(records, format!("{path}.rule_computation.{name}"), name)?;
        loaded.pin_computation(module.api_name, *running);
    }
    Ok(loaded)
}

/// A Shared object: `type` (never `all_users` to share from), then for roles and groups a
/// `resource` that exists.
fn shared(
    directory: &Directory,
    path: String,
    doc: &doc::SharedDoc,
    from: bool,
) -> Result<SharedSpec, FixtureError> {
    let resource = match doc.kind {
        kind if from && !kind.may_share_from() => {
            return fail(format!("{path}.type"), "shared_from cannot be all_users");
        }
        SharedKind::AllUsers => None,
        SharedKind::Roles | SharedKind::Groups => {
            let Some(resource) = &doc.resource else {
                return fail(
                    format!("{path}.resource"),
                    "resource is required for roles and groups",
                );
            };
            Some(resource.id.clone())
        }
    };
    let spec = SharedSpec {
        kind: doc.kind,
        resource,
        subordinates: doc.subordinates,
    };
    if !resource_exists(directory, &spec) {
        let id = spec.resource.as_deref().unwrap_or_default();
        return fail(
            format!("{path}.resource.id"),
            format!("unknown role or group id {id:?}"),
        );
    }
    Ok(spec)
}

/// `sharing_rules` as stored (resource names from the directory), and every registry module's
/// computation flag at `now`.
pub fn export(
    rules: &SharingRules,
    records: &Records,
    directory: &Directory,
    now: Timestamp,
) -> (Vec<doc::RuleDoc>, IndexMap<String, bool>) {
    let docs = rules
        .all()
        .iter()
        .map(|rule| export_rule(rule, directory))
        .collect();
    let computation = records
        .modules()
        .map(|m| {
            (
                m.api_name.to_owned(),
                rules.computation_running(m.api_name, now),
            )
        })
        .collect();
    (docs, computation)
}

/// One rule as `sharing_rules` lists it, resource names from the directory (the state file
/// keeps each rule in this form).
pub fn export_rule(rule: &Rule, directory: &Directory) -> doc::RuleDoc {
    let shared_doc = |spec: &SharedSpec| doc::SharedDoc {
        resource: spec.resource.as_ref().map(|id| doc::ResourceDoc {
            id: id.clone(),
            name: match spec.kind {
                SharedKind::Roles => directory.role(id).map(|r| r.name.clone()),
                SharedKind::Groups => directory.group(id).map(|g| g.name.clone()),
                SharedKind::AllUsers => None,
            },
        }),
        subordinates: spec.subordinates,
        kind: spec.kind,
    };
    doc::RuleDoc {
        id: rule.id.clone(),
        module: rule.module.clone(),
        name: rule.name.clone(),
        rule_type: rule.rule_type,
        permission_type: rule.permission_type,
        superiors_allowed: rule.superiors_allowed,
        status: rule.status,
        criteria: rule.criteria.as_ref().map(|c| c.given().clone()),
        match_limit_exceeded: rule.match_limit_exceeded,
        shared_from: rule.shared_from.as_ref().map(shared_doc),
        shared_to: shared_doc(&rule.shared_to),
    }
}

/// The pinned computation flags (fixture, state import, admin), in registry order: what the
/// state file keeps of `rule_computation`, since timers are not persisted (DESIGN §6).
pub fn export_pinned(rules: &SharingRules, records: &Records) -> IndexMap<String, bool> {
    records
        .modules()
        .filter_map(|m| {
            rules
                .pinned_computation(m.api_name)
                .map(|running| (m.api_name.to_owned(), running))
        })
        .collect()
}

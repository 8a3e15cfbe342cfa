//! One `sharing_rules` body item, checked in the order of spec §8 and turned into a
//! [`RuleSpec`]: (bulk update) `id`, then `status`, then missing mandatory keys, then types and
//! enum values, then role and group references, then a duplicate name. The first failure is
//! the answer. Within a phase keys go in alphabetical order, the order of the rule object, and
//! a `null` value counts as absent.

use serde_json::{Map, Value};

use crate::ids::{RuleId, id_from_json};
use crate::tenant::Org;

use super::criteria;
use super::model::{
    IssueKind, ItemIssue, Rule, RulePermission, RuleSpec, RuleType, SharedKind, SharedSpec,
    find_rule,
};

/// Create and update take exactly one item.
const ITEM: &str = "$.sharing_rules[0]";

fn path_of(key: &str) -> String {
    format!("{ITEM}.{key}")
}

fn invalid(api_name: &str, json_path: impl Into<String>) -> ItemIssue {
    ItemIssue::new(IssueKind::Invalid, api_name, json_path)
}

fn fields_of(item: &Value) -> Result<&Map<String, Value>, ItemIssue> {
    item.as_object()
        .ok_or_else(|| ItemIssue::new(IssueKind::NotAnObject, "sharing_rules", ITEM))
}

fn present<'a>(fields: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    fields.get(key).filter(|v| !v.is_null())
}

/// The rule a bulk update item names by its `id`, which must be a rule of `module`.
pub fn item_rule_id(org: &Org, module: &str, item: &Value) -> Result<RuleId, ItemIssue> {
    let fields = fields_of(item)?;
    let raw = present(fields, "id")
        .ok_or_else(|| ItemIssue::new(IssueKind::Missing, "id", path_of("id")))?;
    id_from_json(raw)
        .and_then(|id| find_rule(org, &id, Some(module)).ok())
        .map(|rule| rule.id.clone())
        .ok_or_else(|| ItemIssue::new(IssueKind::UnknownRuleId, "id", path_of("id")))
}

/// Checks a create item (`stored` is `None`) or an update item over the `stored` rule, and
/// returns the rule's fields after the change.
pub fn check_item(
    org: &Org,
    module: &str,
    item: &Value,
    stored: Option<&Rule>,
) -> Result<RuleSpec, ItemIssue> {
    let fields = fields_of(item)?;
    let get = |key: &str| present(fields, key);
    if get("status").is_some() {
        return Err(ItemIssue::new(
            IssueKind::StatusNotAllowed,
            "status",
            path_of("status"),
        ));
    }

    // Missing keys. `type` and `superiors_allowed` are due in every item; the rest only on
    // create, or when the merged rule would lack what its type needs.
    let declared = get("type")
        .and_then(Value::as_str)
        .and_then(RuleType::parse);
    let creating = stored.is_none();
    let needs_criteria =
        declared == Some(RuleType::CriteriaBased) && stored.is_none_or(|r| r.criteria.is_none());
    let needs_from = declared == Some(RuleType::RecordOwnerBased)
        && stored.is_none_or(|r| r.shared_from.is_none());
    let mandatory = [
        ("criteria", needs_criteria),
        ("name", creating),
        ("permission_type", creating),
        ("shared_from", needs_from),
        ("shared_to", creating),
        ("superiors_allowed", true),
        ("type", true),
    ];
    if let Some((key, _)) = mandatory
        .iter()
        .find(|(key, due)| *due && get(key).is_none())
    {
        return Err(ItemIssue::new(IssueKind::Missing, key, path_of(key)));
    }

    // Types and enum values.
    let criteria = match (declared, get("criteria")) {
        (Some(RuleType::CriteriaBased), Some(value)) => {
            criteria::check(value, "criteria", &path_of("criteria"))?;
            Some(value.clone())
        }
        _ => None,
    };
    let name = match get("name") {
        None => None,
        Some(Value::String(name)) if !name.is_empty() => Some(name.clone()),
        Some(_) => return Err(invalid("name", path_of("name"))),
    };
    let permission_type = match get("permission_type") {
        None => None,
        Some(value) => Some(
            value
                .as_str()
                .and_then(RulePermission::parse)
                .ok_or_else(|| invalid("permission_type", path_of("permission_type")))?,
        ),
    };
    let shared_from = match (declared, get("shared_from")) {
        (Some(RuleType::RecordOwnerBased), Some(value)) => Some(shared(value, "shared_from")?),
        _ => None,
    };
    let shared_to = get("shared_to")
        .map(|value| shared(value, "shared_to"))
        .transpose()?;
    let superiors_allowed = get("superiors_allowed")
        .and_then(Value::as_bool)
        .ok_or_else(|| invalid("superiors_allowed", path_of("superiors_allowed")))?;
    let rule_type = declared.ok_or_else(|| invalid("type", path_of("type")))?;

    // References to the org's roles and groups.
    for (key, spec) in [("shared_from", &shared_from), ("shared_to", &shared_to)] {
        if let Some(spec) = spec {
            check_reference(org, spec, key)?;
        }
    }

    if let Some(name) = &name {
        let taken = org.sharing_rules.iter().any(|r| {
            r.module == module
                && stored.is_none_or(|s| s.id != r.id)
                && r.name.eq_ignore_ascii_case(name)
        });
        if taken {
            return Err(ItemIssue::new(
                IssueKind::Duplicate,
                "name",
                path_of("name"),
            ));
        }
    }

    let sent = Sent {
        name,
        permission_type,
        criteria,
        shared_from,
        shared_to,
    };
    // Only a create can lack a key here, and the missing-key phase has refused that already.
    sent.merge(stored, rule_type, superiors_allowed)
        .ok_or_else(|| ItemIssue::new(IssueKind::Missing, "name", path_of("name")))
}

/// The optional keys an item sent, checked.
struct Sent {
    name: Option<String>,
    permission_type: Option<RulePermission>,
    criteria: Option<Value>,
    shared_from: Option<SharedSpec>,
    shared_to: Option<SharedSpec>,
}

impl Sent {
    /// The rule's fields after the change: sent values where given, stored ones otherwise.
    /// The type decides which of `criteria` and `shared_from` is kept (the other is `null`).
    fn merge(
        self,
        stored: Option<&Rule>,
        rule_type: RuleType,
        superiors_allowed: bool,
    ) -> Option<RuleSpec> {
        let (criteria, shared_from) = match rule_type {
            RuleType::CriteriaBased => (self.criteria.or_else(|| stored?.criteria.clone()), None),
            RuleType::RecordOwnerBased => (
                None,
                self.shared_from.or_else(|| stored?.shared_from.clone()),
            ),
        };
        Some(RuleSpec {
            name: self.name.or_else(|| Some(stored?.name.clone()))?,
            rule_type,
            permission_type: self
                .permission_type
                .or_else(|| Some(stored?.permission_type))?,
            superiors_allowed,
            criteria,
            shared_from,
            shared_to: self.shared_to.or_else(|| Some(stored?.shared_to.clone()))?,
        })
    }
}

/// A Shared object's shape: `type` first (it decides the rest), then `resource`, then
/// `subordinates`. A `resource` sent with `all_users` is ignored.
fn shared(value: &Value, key: &str) -> Result<SharedSpec, ItemIssue> {
    let at = path_of(key);
    let fields = value.as_object().ok_or_else(|| invalid(key, at.clone()))?;
    let kind_path = format!("{at}.type");
    let kind = fields
        .get("type")
        .and_then(Value::as_str)
        .and_then(SharedKind::parse)
        .filter(|kind| !(key == "shared_from" && *kind == SharedKind::AllUsers))
        .ok_or_else(|| invalid("type", kind_path))?;
    let resource = match kind {
        SharedKind::AllUsers => None,
        SharedKind::Roles | SharedKind::Groups => {
            let resource_path = format!("{at}.resource");
            let resource = fields
                .get("resource")
                .and_then(Value::as_object)
                .ok_or_else(|| invalid("resource", resource_path.clone()))?;
            let id = resource
                .get("id")
                .and_then(id_from_json)
                .ok_or_else(|| invalid("id", format!("{resource_path}.id")))?;
            Some(id)
        }
    };
    let subordinates = match fields.get("subordinates") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(on)) => *on,
        Some(_) => return Err(invalid("subordinates", format!("{at}.subordinates"))),
    };
    Ok(SharedSpec {
        kind,
        resource,
        subordinates,
    })
}

fn check_reference(org: &Org, spec: &SharedSpec, key: &str) -> Result<(), ItemIssue> {
    let Some(id) = &spec.resource else {
        return Ok(());
    };
    let known = match spec.kind {
        SharedKind::Roles => org.role(id).is_some(),
        SharedKind::Groups => org.group(id).is_some(),
        SharedKind::AllUsers => true,
    };
    if known {
        Ok(())
    } else {
        Err(invalid("id", format!("{}.resource.id", path_of(key))))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::clock::Timestamp;
    use crate::store::fixture::parse_state;
    use crate::store::world::World;

    fn org() -> Org {
        let doc = parse_state(include_bytes!("../../../fixtures/sandbox.json")).unwrap();
        World::from_doc(doc, Timestamp(0))
            .unwrap()
            .orgs
            .shift_remove("zylker")
            .unwrap()
    }

    fn issue(org: &Org, item: Value, stored: Option<&Rule>) -> (IssueKind, String, String) {
        let issue = check_item(org, "Leads", &item, stored).unwrap_err();
        (issue.kind, issue.api_name, issue.json_path)
    }

    fn owner_based() -> Value {
        json!({"name": "N", "type": "Record_Owner_Based", "permission_type": "read", "superiors_allowed": false,
               "shared_from": {"type": "roles", "resource": {"id": "4150868000000026005"}},
               "shared_to": {"type": "groups", "resource": {"id": 4_150_868_000_000_232_001_u64}, "subordinates": true}})
    }

    #[test]
    fn a_valid_item_resolves_ids_and_defaults() {
        let org = org();
        let spec = check_item(&org, "Leads", &owner_based(), None).unwrap();
        assert_eq!(
            spec.shared_to.resource.as_deref(),
            Some("4150868000000232001")
        );
        assert!(spec.shared_to.subordinates);
        assert!(!spec.shared_from.unwrap().subordinates);
        assert_eq!(spec.criteria, None);
    }

    #[test]
    fn checks_go_status_missing_types_references_duplicate() {
        let org = org();
        let mut item = owner_based();
        item["status"] = json!("active");
        item["name"] = json!("");
        assert_eq!(issue(&org, item, None).0, IssueKind::StatusNotAllowed);

        let mut item = owner_based();
        item["name"] = json!("");
        item.as_object_mut().unwrap().remove("superiors_allowed");
        assert_eq!(
            issue(&org, item, None).1,
            "superiors_allowed",
            "missing before types"
        );

        let mut item = owner_based();
        item["name"] = json!("leads TO sales");
        item["shared_to"]["resource"]["id"] = json!("1");
        item["permission_type"] = json!("write");
        assert_eq!(
            issue(&org, item.clone(), None),
            (
                IssueKind::Invalid,
                "permission_type".into(),
                "$.sharing_rules[0].permission_type".into()
            )
        );
        item["permission_type"] = json!("read");
        assert_eq!(
            issue(&org, item.clone(), None),
            (
                IssueKind::Invalid,
                "id".into(),
                "$.sharing_rules[0].shared_to.resource.id".into()
            )
        );
        item["shared_to"]["resource"]["id"] = json!("4150868000000232002");
        assert_eq!(
            issue(&org, item, None),
            (
                IssueKind::Duplicate,
                "name".into(),
                "$.sharing_rules[0].name".into()
            )
        );
    }

    #[test]
    fn the_type_decides_the_conditional_keys() {
        let org = org();
        let mut item = owner_based();
        item["type"] = json!("Criteria_Based");
        assert_eq!(issue(&org, item.clone(), None).1, "criteria");
        item["criteria"] = json!({"group_operator": "or", "group": [{"comparator": "equal", "field": {"api_name": "City"}}]});
        item["shared_from"] = json!("ignored for Criteria_Based");
        let spec = check_item(&org, "Leads", &item, None).unwrap();
        assert_eq!(spec.shared_from, None);
        let mut item = owner_based();
        item["type"] = json!("Other");
        item.as_object_mut().unwrap().remove("shared_from");
        assert_eq!(
            issue(&org, item, None).1,
            "type",
            "an unknown type asks for nothing more"
        );
    }

    #[test]
    fn shared_from_cannot_be_all_users_and_roles_need_a_resource() {
        let org = org();
        let mut item = owner_based();
        item["shared_from"] = json!({"type": "all_users"});
        assert_eq!(
            issue(&org, item, None).2,
            "$.sharing_rules[0].shared_from.type"
        );
        let mut item = owner_based();
        item["shared_to"] = json!({"type": "roles"});
        assert_eq!(
            issue(&org, item, None).2,
            "$.sharing_rules[0].shared_to.resource"
        );
        let mut item = owner_based();
        item["shared_to"] = json!({"type": "groups", "resource": {"id": "4150868000000026005"}});
        assert_eq!(
            issue(&org, item, None).2,
            "$.sharing_rules[0].shared_to.resource.id",
            "a role id is not a group"
        );
    }

    #[test]
    fn an_update_merges_and_may_keep_its_own_name() {
        let org = org();
        let stored = find_rule(&org, "2276164000002052006", None).unwrap();
        let spec = check_item(&org, "Leads", &json!({"type": "Record_Owner_Based", "superiors_allowed": true, "name": "LEADS to sales"}), Some(stored)).unwrap();
        assert_eq!(spec.name, "LEADS to sales");
        assert_eq!(spec.shared_from, stored.shared_from);
        let to_criteria = json!({"type": "Criteria_Based", "superiors_allowed": true});
        assert_eq!(issue(&org, to_criteria, Some(stored)).1, "criteria");
        assert_eq!(
            issue(&org, json!({"superiors_allowed": true}), Some(stored)).1,
            "type"
        );
    }

    #[test]
    fn a_bulk_item_names_its_rule_by_id() {
        let org = org();
        assert_eq!(
            item_rule_id(&org, "Leads", &json!({"id": 2_276_164_000_002_052_006_u64}))
                .unwrap()
                .as_str(),
            "2276164000002052006"
        );
        assert_eq!(
            item_rule_id(&org, "Leads", &json!({})).unwrap_err().kind,
            IssueKind::Missing
        );
        assert_eq!(
            item_rule_id(&org, "Contacts", &json!({"id": "2276164000002052006"}))
                .unwrap_err()
                .kind,
            IssueKind::UnknownRuleId
        );
        assert_eq!(
            item_rule_id(&org, "Leads", &json!({"id": true}))
                .unwrap_err()
                .kind,
            IssueKind::UnknownRuleId
        );
        assert_eq!(
            item_rule_id(&org, "Leads", &json!([1])).unwrap_err().kind,
            IssueKind::NotAnObject
        );
    }
}

//! What a rules request asks for: the one `sharing_rules` body item of a create or update,
//! checked in the order of spec §8 up to the phases that need the org, and turned into a
//! [`RuleSpec`]: (bulk update) `id`, then `status`, then missing mandatory keys, then types and
//! enum values. The role and group references and the duplicate name come after, in the model
//! (`SharingRules::check_in_org`). The first failure is the answer. Within a phase keys go in
//! alphabetical order, the order of the rule object, and a `null` value counts as absent.
//!
//! An update's item is read over the stored rule (which keys are due depends on it); nothing
//! here changes state.
//!
//! The body of the rules search and the filtered summary, `{"filters":[criterion, ...]}`, is
//! read into [`RuleFilter`]s by [`search_filters`] (spec crm-settings-and-search.md §7.2, §7.5).

use serde_json::{Map, Value};

use crate::crm::error::{CrmError, IssueKind, ItemIssue};
use crate::crm::extract::body_items;
use crate::ids::{RuleId, id_from_json};

use super::model::{
    Criteria, NamePattern, Rule, RuleCondition, RuleFilter, RulePermission, RuleSpec, RuleStatus,
    RuleType, SharedKind, SharedSpec, SharingRules,
};

/// The wrapper key of rule bodies and answers.
pub const RULES: &str = "sharing_rules";

/// "one rule per call" [Zoho v8 docs]
pub const MAX_RULES_PER_CALL: usize = 1;

/// How many groups a rule's `criteria` may nest, the outermost counted as 1 (spec
/// crm-data-sharing-rules.md §2). [mock's choice]: far below what a state document can hold
/// and read back (serde_json reads 128 levels; each group is two), so every rule the API
/// accepts exports, imports and reloads from a state file.
pub const MAX_CRITERIA_DEPTH: usize = 10;

/// Create and update take exactly one item.
pub const ITEM: &str = "$.sharing_rules[0]";

/// The one item of a create or update body.
pub fn single_rule(body: &Map<String, Value>) -> Result<&Value, CrmError> {
    match body_items(body, RULES)? {
        [item] => Ok(item),
        _ => Err(CrmError::TooManyItems {
            api_name: RULES,
            maximum_length: MAX_RULES_PER_CALL,
        }),
    }
}

fn path_of(key: &str) -> String {
    format!("{ITEM}.{key}")
}

fn invalid(api_name: &str, json_path: impl Into<String>) -> ItemIssue {
    ItemIssue::new(IssueKind::Invalid, api_name, json_path)
}

fn fields_of(item: &Value) -> Result<&Map<String, Value>, ItemIssue> {
    item.as_object()
        .ok_or_else(|| ItemIssue::new(IssueKind::NotAnObject, RULES, ITEM))
}

fn present<'a>(fields: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    fields.get(key).filter(|v| !v.is_null())
}

/// The rule a bulk update item names by its `id`, which must be a rule of `module`.
pub fn item_rule_id(rules: &SharingRules, module: &str, item: &Value) -> Result<RuleId, ItemIssue> {
    let fields = fields_of(item)?;
    let raw = present(fields, "id")
        .ok_or_else(|| ItemIssue::new(IssueKind::Missing, "id", path_of("id")))?;
    id_from_json(raw)
        .and_then(|id| rules.find(&id, Some(module)).ok())
        .map(|rule| rule.id.clone())
        .ok_or_else(|| ItemIssue::new(IssueKind::UnknownRuleId, "id", path_of("id")))
}

/// Reads a create item (`stored` is `None`) or an update item over the `stored` rule, and
/// returns the rule's fields after the change.
pub fn rule_item(item: &Value, stored: Option<&Rule>) -> Result<RuleSpec, ItemIssue> {
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
            check_criteria(value, "criteria", &path_of("criteria"), 1)?;
            Some(Criteria::new(value.clone()))
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
    criteria: Option<Criteria>,
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
        .filter(|kind| key != "shared_from" || kind.may_share_from())
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

/// The shape of a rule's `criteria`: a condition `{"comparator","field":{"api_name"},...}` or
/// a group `{"group_operator":"AND"|"OR","group":[criteria, ...]}`. Only the shape is checked;
/// fields are not matched against a layout, and the value is stored as sent. The first shape
/// problem is named by its key and JSON path; a group nested deeper than
/// [`MAX_CRITERIA_DEPTH`] is refused at its own path, naming the limit.
fn check_criteria(
    value: &Value,
    api_name: &str,
    json_path: &str,
    depth: usize,
) -> Result<(), ItemIssue> {
    let fields = value
        .as_object()
        .ok_or_else(|| invalid(api_name, json_path.to_owned()))?;
    if fields.contains_key("group") || fields.contains_key("group_operator") {
        if depth > MAX_CRITERIA_DEPTH {
            return Err(ItemIssue::new(
                IssueKind::TooDeep(MAX_CRITERIA_DEPTH),
                api_name,
                json_path,
            ));
        }
        let operator_ok = fields
            .get("group_operator")
            .and_then(Value::as_str)
            .is_some_and(|op| op.eq_ignore_ascii_case("AND") || op.eq_ignore_ascii_case("OR"));
        if !operator_ok {
            return Err(invalid(
                "group_operator",
                format!("{json_path}.group_operator"),
            ));
        }
        let group = fields
            .get("group")
            .and_then(Value::as_array)
            .filter(|group| !group.is_empty())
            .ok_or_else(|| invalid("group", format!("{json_path}.group")))?;
        for (i, member) in group.iter().enumerate() {
            check_criteria(
                member,
                "group",
                &format!("{json_path}.group[{i}]"),
                depth + 1,
            )?;
        }
        return Ok(());
    }
    check_condition(fields, json_path)
}

fn check_condition(fields: &Map<String, Value>, json_path: &str) -> Result<(), ItemIssue> {
    let non_empty =
        |value: Option<&Value>| value.and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    if !non_empty(fields.get("comparator")) {
        return Err(invalid("comparator", format!("{json_path}.comparator")));
    }
    let field = fields
        .get("field")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("field", format!("{json_path}.field")))?;
    if !non_empty(field.get("api_name")) {
        return Err(invalid("api_name", format!("{json_path}.field.api_name")));
    }
    Ok(())
}

/// The wrapper key of a search body.
const FILTERS: &str = "filters";

/// `{"filters":[criterion, ...]}`: missing, `null` or `[]` is `MANDATORY_NOT_FOUND`, another
/// type `INVALID_DATA` `jsonarray`; then each criterion depth-first, in document order. Other
/// top-level keys are ignored. The items hold together (AND).
pub fn search_filters(body: &Map<String, Value>) -> Result<Vec<RuleFilter>, CrmError> {
    body_items(body, FILTERS)?
        .iter()
        .enumerate()
        .map(|(i, item)| criterion(item, &format!("$.{FILTERS}[{i}]")))
        .collect()
}

fn missing(api_name: &'static str, json_path: String) -> CrmError {
    CrmError::RequiredFieldNotFoundAt {
        api_name,
        json_path,
    }
}

fn bad(api_name: &'static str, json_path: String) -> CrmError {
    CrmError::InvalidDataAt {
        api_name,
        json_path,
    }
}

/// A group (an object with `group`) or a condition, at `path`.
fn criterion(value: &Value, path: &str) -> Result<RuleFilter, CrmError> {
    let object = value.as_object().ok_or_else(|| CrmError::WrongType {
        api_name: FILTERS,
        expected: "jsonobject",
        json_path: path.to_owned(),
    })?;
    if object.contains_key("group") {
        group(object, path)
    } else {
        condition(object, path).map(RuleFilter::Condition)
    }
}

/// `group_operator` (`and`/`or` in any case; may be left out of a one-criterion group), then
/// `group`, a non-empty array, then its members. Other keys are ignored.
fn group(object: &Map<String, Value>, path: &str) -> Result<RuleFilter, CrmError> {
    let members = object.get("group").and_then(Value::as_array);
    let any = match present(object, "group_operator") {
        Some(Value::String(op)) if op.eq_ignore_ascii_case("and") => false,
        Some(Value::String(op)) if op.eq_ignore_ascii_case("or") => true,
        Some(_) => return Err(bad("group_operator", format!("{path}.group_operator"))),
        None if members.is_some_and(|m| m.len() >= 2) => {
            return Err(missing("group_operator", format!("{path}.group_operator")));
        }
        None => false,
    };
    let members = members
        .filter(|m| !m.is_empty())
        .ok_or_else(|| CrmError::WrongType {
            api_name: "group",
            expected: "jsonarray",
            json_path: format!("{path}.group"),
        })?;
    let members = members
        .iter()
        .enumerate()
        .map(|(i, member)| criterion(member, &format!("{path}.group[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if any {
        RuleFilter::Any(members)
    } else {
        RuleFilter::All(members)
    })
}

/// The comparator each key of spec §7.2 takes.
fn comparator_of(key: &str) -> Option<&'static str> {
    Some(match key {
        "superiors_allowed" | "status" | "shared_to.type" | "shared_from.type"
        | "permission_type" => "equal",
        "shared_to.resource.id" | "shared_from.resource.id" => "in",
        "name" => "like",
        _ => return None,
    })
}

/// `field` (an object with `api_name`, one of the keys; `field.id` is ignored), then
/// `comparator`, then `value`. Other keys (`type`) are ignored.
fn condition(object: &Map<String, Value>, path: &str) -> Result<RuleCondition, CrmError> {
    let field = present(object, "field")
        .and_then(Value::as_object)
        .ok_or_else(|| missing("field", format!("{path}.field")))?;
    let key = present(field, "api_name")
        .ok_or_else(|| missing("api_name", format!("{path}.field.api_name")))?;
    let (key, wanted) = key
        .as_str()
        .and_then(|k| comparator_of(k).map(|c| (k, c)))
        .ok_or_else(|| bad("api_name", format!("{path}.field.api_name")))?;
    let comparator = present(object, "comparator")
        .ok_or_else(|| missing("comparator", format!("{path}.comparator")))?;
    if comparator.as_str() != Some(wanted) {
        return Err(bad("comparator", format!("{path}.comparator")));
    }
    let value =
        present(object, "value").ok_or_else(|| missing("value", format!("{path}.value")))?;
    condition_value(key, value).ok_or_else(|| bad("value", format!("{path}.value")))
}

/// The value of a condition on `key`, when it is of the key's type and among its values.
fn condition_value(key: &str, value: &Value) -> Option<RuleCondition> {
    let text = value.as_str();
    Some(match key {
        "superiors_allowed" => RuleCondition::SuperiorsAllowed(match value {
            Value::Bool(b) => *b,
            Value::String(s) if s.eq_ignore_ascii_case("true") => true,
            Value::String(s) if s.eq_ignore_ascii_case("false") => false,
            _ => return None,
        }),
        "status" => RuleCondition::Status(RuleStatus::parse(text?)?),
        "shared_to.type" => RuleCondition::SharedToType(SharedKind::parse(text?)?),
        "shared_from.type" => RuleCondition::SharedFromType(SharedKind::parse(text?)?),
        "permission_type" => RuleCondition::PermissionType(RulePermission::parse(text?)?),
        "shared_to.resource.id" => RuleCondition::SharedToResource(ids(value)?),
        "shared_from.resource.id" => RuleCondition::SharedFromResource(ids(value)?),
        "name" => RuleCondition::NameLike(NamePattern::new(text.filter(|t| !t.is_empty())?)),
        _ => return None,
    })
}

/// A non-empty array of ids, or one id: strings of digits, or integers that fit `u64`.
fn ids(value: &Value) -> Option<Vec<String>> {
    let one = |v: &Value| id_from_json(v).filter(|id| crate::ids::is_decimal(id));
    match value {
        Value::Array(items) if !items.is_empty() => items.iter().map(one).collect(),
        Value::Array(_) => None,
        other => one(other).map(|id| vec![id]),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::clock::Timestamp;
    use crate::crm::data_sharing_rules::wire;
    use crate::store::fixture::sandbox_org;
    use crate::store::org::Org;

    fn org() -> Org {
        sandbox_org(Timestamp(0))
    }

    /// Every check of an item in order: the request's, then the model's against the org.
    fn check_item(
        org: &Org,
        module: &str,
        item: &Value,
        stored: Option<&Rule>,
    ) -> Result<RuleSpec, ItemIssue> {
        let spec = rule_item(item, stored)?;
        org.crm
            .rules
            .check_in_org(&org.tenant.directory, module, &spec, stored.map(|r| &r.id))
            .map_err(|e| wire::issue_of(&e).expect("an item's own problem"))?;
        Ok(spec)
    }

    fn find_rule<'o>(org: &'o Org, id: &str, module: Option<&str>) -> Option<&'o Rule> {
        org.crm.rules.find(id, module).ok()
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
            item_rule_id(
                &org.crm.rules,
                "Leads",
                &json!({"id": 2_276_164_000_002_052_006_u64})
            )
            .unwrap()
            .as_str(),
            "2276164000002052006"
        );
        assert_eq!(
            item_rule_id(&org.crm.rules, "Leads", &json!({}))
                .unwrap_err()
                .kind,
            IssueKind::Missing
        );
        assert_eq!(
            item_rule_id(
                &org.crm.rules,
                "Contacts",
                &json!({"id": "2276164000002052006"})
            )
            .unwrap_err()
            .kind,
            IssueKind::UnknownRuleId
        );
        assert_eq!(
            item_rule_id(&org.crm.rules, "Leads", &json!({"id": true}))
                .unwrap_err()
                .kind,
            IssueKind::UnknownRuleId
        );
        assert_eq!(
            item_rule_id(&org.crm.rules, "Leads", &json!([1]))
                .unwrap_err()
                .kind,
            IssueKind::NotAnObject
        );
    }

    fn path_of_problem(value: Value) -> Option<String> {
        check_criteria(&value, "criteria", "$.c", 1)
            .err()
            .map(|issue| issue.json_path)
    }

    #[test]
    fn conditions_and_groups() {
        let condition = json!({"comparator": "equal", "field": {"api_name": "City", "id": "1"}, "type": "value", "value": "X"});
        assert_eq!(path_of_problem(condition.clone()), None);
        assert_eq!(
            path_of_problem(
                json!({"group_operator": "and", "group": [condition.clone(), {"group_operator": "OR", "group": [condition.clone()]}]})
            ),
            None
        );
        assert_eq!(path_of_problem(json!("x")).as_deref(), Some("$.c"));
        assert_eq!(
            path_of_problem(json!({})).as_deref(),
            Some("$.c.comparator")
        );
        assert_eq!(
            path_of_problem(json!({"comparator": "equal", "field": {"api_name": ""}})).as_deref(),
            Some("$.c.field.api_name")
        );
        assert_eq!(
            path_of_problem(json!({"comparator": "equal"})).as_deref(),
            Some("$.c.field")
        );
        assert_eq!(
            path_of_problem(json!({"group_operator": "XOR", "group": [condition.clone()]}))
                .as_deref(),
            Some("$.c.group_operator")
        );
        assert_eq!(
            path_of_problem(json!({"group_operator": "AND", "group": []})).as_deref(),
            Some("$.c.group")
        );
        assert_eq!(
            path_of_problem(json!({"group": [condition]})).as_deref(),
            Some("$.c.group_operator")
        );
        assert_eq!(
            path_of_problem(json!({"group_operator": "AND", "group": [{"comparator": ""}]}))
                .as_deref(),
            Some("$.c.group[0].comparator")
        );
    }
}

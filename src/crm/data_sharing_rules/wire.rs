//! The family's wire shapes: the wrapper arrays of request bodies, the rule object, success,
//! list, summary and settings bodies, and the one mapping of model outcomes to `CrmError`.
//! JSON objects are `serde_json::Value` maps, so keys come out in alphabetical order.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::crm::error::{CrmError, ItemError};
use crate::crm::module_name::{CrmModule, ModuleLookup};
use crate::crm::paging::Info;
use crate::ids::RuleId;
use crate::response;
use crate::tenant::Org;

use super::model::{IssueKind, ItemIssue, Rule, RuleError, SharedKind, SharedSpec, SummaryRow};
use super::settings::SettingsRow;

const RULES: &str = "sharing_rules";
const SETTINGS: &str = "data_sharing";

/// "one rule per call" [Zoho v8 docs]
pub const MAX_RULES_PER_CALL: usize = 1;

/// The items under `wrapper`: missing, `null` or `[]` is `MANDATORY_NOT_FOUND`; anything but
/// an array is `INVALID_DATA` `jsonarray`.
pub fn body_items<'b>(
    body: &'b Map<String, Value>,
    wrapper: &'static str,
) -> Result<&'b [Value], CrmError> {
    match body.get(wrapper) {
        None | Some(Value::Null) => Err(CrmError::RequiredFieldNotFound { api_name: wrapper }),
        Some(Value::Array(items)) if items.is_empty() => {
            Err(CrmError::RequiredFieldNotFound { api_name: wrapper })
        }
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(CrmError::WrongType {
            api_name: wrapper,
            expected: "jsonarray",
            json_path: format!("$.{wrapper}"),
        }),
    }
}

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

pub fn settings_items(body: &Map<String, Value>) -> Result<&[Value], CrmError> {
    body_items(body, SETTINGS)
}

fn module_object(org: &Org, api_name: &str, with_name: bool) -> Value {
    let id = match org.module(api_name) {
        ModuleLookup::Known(module) => Value::from(module.id),
        ModuleLookup::Unsupported | ModuleLookup::Unknown => Value::Null,
    };
    if with_name {
        json!({"api_name": api_name, "id": id, "name": api_name})
    } else {
        json!({"api_name": api_name, "id": id})
    }
}

fn registry_module(module: CrmModule<'_>) -> Value {
    json!({"api_name": module.api_name, "id": module.id})
}

fn shared_object(org: &Org, spec: &SharedSpec) -> Value {
    let mut object = json!({"subordinates": spec.subordinates, "type": spec.kind.as_str()});
    if let Some(id) = &spec.resource {
        let name = match spec.kind {
            SharedKind::Roles => org.role(id).map(|r| r.name.as_str()),
            SharedKind::Groups => org.group(id).map(|g| g.name.as_str()),
            SharedKind::AllUsers => None,
        };
        object["resource"] = json!({"id": id, "name": name});
    }
    object
}

/// The rule object of spec §2.
pub fn rule_object(org: &Org, rule: &Rule) -> Value {
    json!({
        "criteria": rule.criteria,
        "id": rule.id,
        "match_limit_exceeded": rule.match_limit_exceeded,
        "module": module_object(org, &rule.module, true),
        "name": rule.name,
        "permission_type": rule.permission_type.as_str(),
        "shared_from": rule.shared_from.as_ref().map(|spec| shared_object(org, spec)),
        "shared_to": shared_object(org, &rule.shared_to),
        "status": rule.status.as_str(),
        "superiors_allowed": rule.superiors_allowed,
        "type": rule.rule_type.as_str(),
    })
}

pub fn one_rule(org: &Org, rule: &Rule) -> Response {
    response::json(StatusCode::OK, &json!({ RULES: [rule_object(org, rule)] }))
}

/// A page of the list; 204 when it holds no rule.
pub fn rules_page(org: &Org, rules: &[&Rule], info: Info) -> Response {
    if rules.is_empty() {
        return response::no_content();
    }
    let rules: Vec<Value> = rules.iter().map(|rule| rule_object(org, rule)).collect();
    response::json(StatusCode::OK, &json!({"info": info, RULES: rules}))
}

/// What a successful rule operation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    Created(RuleId),
    Updated(RuleId),
    Deleted(RuleId),
    Activated(RuleId),
    Deactivated(RuleId),
    RerunScheduled,
}

/// `{"sharing_rules":[{"code","details","message","status":"success"}]}` (spec §5).
pub fn done(outcome: &Done) -> Response {
    let (status, code, message, details) = match outcome {
        Done::Created(id) => (
            StatusCode::CREATED,
            "SUCCESS",
            "sharing rule is created successfully",
            json!({"id": id}),
        ),
        Done::Updated(id) => (
            StatusCode::OK,
            "SUCCESS",
            "sharing rule is updated successfully",
            json!({"id": id}),
        ),
        Done::Deleted(id) => (
            StatusCode::OK,
            "SUCCESS",
            "Sharing Rule deleted",
            json!({"id": id}),
        ),
        Done::Activated(id) => (
            StatusCode::OK,
            "SUCCESS",
            "sharing rule is activated successfully",
            json!({"id": id}),
        ),
        Done::Deactivated(id) => (
            StatusCode::OK,
            "SUCCESS",
            "sharing rule is deactivated successfully",
            json!({"id": id}),
        ),
        Done::RerunScheduled => (
            StatusCode::OK,
            "SCHEDULED",
            "Rerun successfully scheduled",
            json!({}),
        ),
    };
    response::json(
        status,
        &json!({ RULES: [{"code": code, "details": details, "message": message, "status": "success"}] }),
    )
}

/// The summary; 204 when the org has no rule.
pub fn summary(rows: Option<Vec<SummaryRow<'_>>>) -> Response {
    let Some(rows) = rows else {
        return response::no_content();
    };
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|row| {
            json!({
                "module": registry_module(row.module),
                "rule_computation_status": row.computation_running,
                "rule_count": row.rule_count,
            })
        })
        .collect();
    response::json(StatusCode::OK, &json!({"sharing_rules_summary": rows}))
}

/// `GET /settings/data_sharing`; never 204. Portals are not modelled.
pub fn settings(rows: Vec<SettingsRow<'_>>) -> Response {
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|row| {
            json!({
                "module": registry_module(row.module),
                "public_in_portals": false,
                "rule_computation_running": row.computation_running,
                "share_type": row.share_type.as_str(),
            })
        })
        .collect();
    response::json(StatusCode::OK, &json!({ SETTINGS: rows }))
}

/// `PUT /settings/data_sharing` success: one element per item, in body order.
pub fn settings_updated(modules: &[String]) -> Response {
    let items: Vec<Value> = modules
        .iter()
        .map(|module| {
            json!({
                "code": "SUCCESS",
                "details": {"module": module},
                "message": "data sharing settings updated successfully",
                "status": "success",
            })
        })
        .collect();
    response::json(StatusCode::OK, &json!({ SETTINGS: items }))
}

/// The refused items of a settings `PUT`.
pub fn settings_refused(issues: &[ItemIssue]) -> CrmError {
    CrmError::ItemErrors {
        wrapper: SETTINGS,
        items: issues.iter().map(item_error).collect(),
    }
}

fn item_error(issue: &ItemIssue) -> ItemError {
    let located = || json!({"api_name": issue.api_name, "json_path": issue.json_path});
    match issue.kind {
        IssueKind::Missing => {
            ItemError::new("MANDATORY_NOT_FOUND", "required field not found", located())
        }
        IssueKind::Invalid => ItemError::new("INVALID_DATA", "invalid data", located()),
        IssueKind::NotAnObject => ItemError::new(
            "INVALID_DATA",
            "invalid data",
            json!({"api_name": issue.api_name, "expected_data_type": "jsonobject", "json_path": issue.json_path}),
        ),
        IssueKind::UnknownRuleId => ItemError::new(
            "INVALID_DATA",
            "the given sharing rule id seems invalid",
            located(),
        ),
        IssueKind::StatusNotAllowed => ItemError::new(
            "NOT_ALLOWED",
            "status is not allowed in this api",
            located(),
        ),
        IssueKind::Duplicate => ItemError::new("DUPLICATE_DATA", "duplicate data", located()),
        IssueKind::NotOneOf(regex) => ItemError::new(
            "INVALID_DATA",
            "invalid data",
            json!({"api_name": issue.api_name, "json_path": issue.json_path, "regex": regex}),
        ),
    }
}

impl From<RuleError> for CrmError {
    fn from(error: RuleError) -> Self {
        let item = match error {
            RuleError::UnknownRule => return CrmError::RuleIdInvalid,
            RuleError::ComputationRunning => ItemError::new(
                "CANNOT_PROCESS",
                "Sharing rule computation is in process. Please try after sometime.",
                json!({}),
            ),
            RuleError::AlreadyActive => ItemError::new(
                "ID_ALREADY_ACTIVE",
                "data sharing rule is already activated.",
                json!({"resource_path_index": 3}),
            ),
            RuleError::AlreadyInactive => ItemError::new(
                "ID_ALREADY_DEACTIVATED",
                "data sharing rule is already deactivated.",
                json!({"resource_path_index": 3}),
            ),
            RuleError::Invalid(issue) => item_error(&issue),
        };
        CrmError::ItemErrors {
            wrapper: RULES,
            items: vec![item],
        }
    }
}

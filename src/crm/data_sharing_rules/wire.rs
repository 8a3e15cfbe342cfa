//! The rules family's answers: the rule object, success, list and summary bodies, and the one
//! mapping of model outcomes and refused items to `CrmError`. JSON objects are
//! `serde_json::Value` maps, so keys come out in alphabetical order.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::{Value, json};

use crate::crm::error::{Case, CrmError, IssueKind, ItemError, ItemIssue};
use crate::crm::paging::Info;
use crate::crm::records::model::Records;
use crate::crm::registry::ModuleLookup;
use crate::crm::wire::{ModuleRef, success_item};
use crate::ids::RuleId;
use crate::response;
use crate::tenant::directory::Directory;

use super::model::{Rule, RuleError, SharedKind, SharedSpec, Side, SummaryRow};
use super::request::{ITEM, RULES};

fn module_object(records: &Records, api_name: &str) -> Value {
    let id = match records.module(api_name) {
        ModuleLookup::Known(module) => Value::from(module.id),
        ModuleLookup::Unsupported | ModuleLookup::Unknown => Value::Null,
    };
    json!({"api_name": api_name, "id": id, "name": api_name})
}

fn shared_object(directory: &Directory, spec: &SharedSpec) -> Value {
    let mut object = json!({"subordinates": spec.subordinates, "type": spec.kind.as_str()});
    if let Some(id) = &spec.resource {
        let name = match spec.kind {
            SharedKind::Roles => directory.role(id).map(|r| r.name.as_str()),
            SharedKind::Groups => directory.group(id).map(|g| g.name.as_str()),
            SharedKind::AllUsers => None,
        };
        object["resource"] = json!({"id": id, "name": name});
    }
    object
}

/// The rule object of spec §2.
fn rule_object(directory: &Directory, records: &Records, rule: &Rule) -> Value {
    json!({
        "criteria": rule.criteria,
        "id": rule.id,
        "match_limit_exceeded": rule.match_limit_exceeded,
        "module": module_object(records, &rule.module),
        "name": rule.name,
        "permission_type": rule.permission_type.as_str(),
        "shared_from": rule.shared_from.as_ref().map(|spec| shared_object(directory, spec)),
        "shared_to": shared_object(directory, &rule.shared_to),
        "status": rule.status.as_str(),
        "superiors_allowed": rule.superiors_allowed,
        "type": rule.rule_type.as_str(),
    })
}

pub fn one_rule(directory: &Directory, records: &Records, rule: &Rule) -> Response {
    response::json(
        StatusCode::OK,
        &json!({ RULES: [rule_object(directory, records, rule)] }),
    )
}

/// A page of the list; 204 when it holds no rule.
pub fn rules_page(
    directory: &Directory,
    records: &Records,
    rules: &[&Rule],
    info: Info,
) -> Response {
    if rules.is_empty() {
        return response::no_content();
    }
    let rules: Vec<Value> = rules
        .iter()
        .map(|rule| rule_object(directory, records, rule))
        .collect();
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
        &json!({ RULES: [success_item(code, details, message)] }),
    )
}

/// The summary; 204 when the org has no rule (the filtered summary: when no rule matches).
pub fn summary(rows: Option<Vec<SummaryRow<'_>>>) -> Response {
    let Some(rows) = rows else {
        return response::no_content();
    };
    /// Written straight to bytes (no `Value` tree); fields in the key order `json!` writes.
    #[derive(Serialize)]
    struct Summary<'a> {
        sharing_rules_summary: Vec<Row<'a>>,
    }
    #[derive(Serialize)]
    struct Row<'a> {
        module: ModuleRef<'a>,
        rule_computation_status: bool,
        rule_count: usize,
    }
    let rows = rows
        .into_iter()
        .map(|row| Row {
            module: ModuleRef::of(row.module),
            rule_computation_status: row.computation_running,
            rule_count: row.rule_count,
        })
        .collect();
    response::json(
        StatusCode::OK,
        &Summary {
            sharing_rules_summary: rows,
        },
    )
}

/// A refused body item, inside `sharing_rules`.
impl From<ItemIssue> for CrmError {
    fn from(issue: ItemIssue) -> Self {
        CrmError::ItemErrors {
            wrapper: RULES,
            items: vec![ItemError::from(&issue)],
        }
    }
}

/// The refused item a model error stands for, when it is about the body's item (its role or
/// group references, its name).
pub fn issue_of(error: &RuleError) -> Option<ItemIssue> {
    match error {
        RuleError::UnknownResource(side) => {
            let key = match side {
                Side::From => "shared_from",
                Side::To => "shared_to",
            };
            Some(ItemIssue::new(
                IssueKind::Invalid,
                "id",
                format!("{ITEM}.{key}.resource.id"),
            ))
        }
        RuleError::DuplicateName => Some(ItemIssue::new(
            IssueKind::Duplicate,
            "name",
            format!("{ITEM}.name"),
        )),
        RuleError::UnknownRule
        | RuleError::ComputationRunning
        | RuleError::AlreadyActive
        | RuleError::AlreadyInactive => None,
    }
}

impl From<RuleError> for CrmError {
    fn from(error: RuleError) -> Self {
        if let Some(issue) = issue_of(&error) {
            return CrmError::from(issue);
        }
        let item = match error {
            RuleError::UnknownRule => return CrmError::RuleIdInvalid,
            RuleError::ComputationRunning => {
                ItemError::new(Case::RuleComputationRunning, json!({}))
            }
            RuleError::AlreadyActive => {
                ItemError::new(Case::IdAlreadyActive, json!({"resource_path_index": 3}))
            }
            RuleError::AlreadyInactive => ItemError::new(
                Case::IdAlreadyDeactivated,
                json!({"resource_path_index": 3}),
            ),
            // Answered by `issue_of` above.
            RuleError::UnknownResource(_) | RuleError::DuplicateName => {
                return CrmError::InternalError;
            }
        };
        CrmError::ItemErrors {
            wrapper: RULES,
            items: vec![item],
        }
    }
}

//! The answers of the discovery calls: role, group, source and profile objects (spec
//! crm-settings-and-search.md §3.1, §4.1, §4.4, §4.5, §5.1, §5.3). JSON objects are
//! `serde_json::Value` maps, so keys come out in alphabetical order. History keys
//! (`created_by`, `modified_time`, ...) are `null`: the mock keeps no history for them.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::crm::paging::Info;
use crate::crm::registry::CrmModule;
use crate::response;
use crate::tenant::directory::{Directory, Group, GroupSource, Role, SourceCounts};
use crate::tenant::profiles::{Operation, Profile};

fn role_object(directory: &Directory, role: &Role) -> Value {
    json!({
        "created_by__s": null,
        "created_time__s": null,
        "description": role.description,
        "display_label": role.name,
        "forecast_manager": null,
        "id": role.id,
        "modified_by__s": null,
        "modified_time__s": null,
        "name": role.name,
        "reporting_to": directory
            .parent_role(role)
            .map(|parent| json!({"id": parent.id, "name": parent.name})),
        "share_with_peers": role.share_with_peers,
    })
}

/// `{"roles":[...]}`, no `info`; 204 when there is no role.
pub fn roles<'d>(directory: &Directory, roles: impl Iterator<Item = &'d Role>) -> Response {
    let roles: Vec<Value> = roles.map(|role| role_object(directory, role)).collect();
    if roles.is_empty() {
        return response::no_content();
    }
    response::json(StatusCode::OK, &json!({ "roles": roles }))
}

fn counts_object(counts: SourceCounts) -> Value {
    json!({
        "groups": 0,
        "roles": counts.roles,
        "territories": 0,
        "users": {"active": counts.active_users, "deleted": 0, "inactive": counts.inactive_users},
    })
}

fn source_item(directory: &Directory, source: &GroupSource) -> Value {
    let (kind, id, name, subordinates) = match source {
        GroupSource::User(id) => (
            "users",
            id.as_str(),
            directory.user(id.as_str()).map(|u| u.full_name.as_str()),
            false,
        ),
        GroupSource::Role { id, subordinates } => (
            "roles",
            id.as_str(),
            directory.role(id.as_str()).map(|r| r.name.as_str()),
            *subordinates,
        ),
    };
    json!({"source": {"id": id, "name": name}, "subordinates": subordinates, "type": kind})
}

fn group_object(group: &Group) -> Value {
    json!({
        "created_by": null,
        "created_time": null,
        "description": group.description,
        "id": group.id,
        "modified_by": null,
        "modified_time": null,
        "name": group.name,
    })
}

/// A page of groups (with their counts when asked); 204 when it holds none.
pub fn groups_page(
    directory: &Directory,
    page: &[&Group],
    info: Info,
    with_counts: bool,
) -> Response {
    if page.is_empty() {
        return response::no_content();
    }
    let groups: Vec<Value> = page
        .iter()
        .map(|group| {
            let mut object = group_object(group);
            if with_counts {
                object["sources_count"] = counts_object(directory.source_counts(group));
            }
            object
        })
        .collect();
    response::json(
        StatusCode::OK,
        &json!({"info": info, "user_groups": groups}),
    )
}

/// One group with its sources and counts, no `info`.
pub fn one_group(directory: &Directory, group: &Group) -> Response {
    let mut object = group_object(group);
    object["sources"] = group
        .sources
        .iter()
        .map(|source| source_item(directory, source))
        .collect();
    object["sources_count"] = counts_object(directory.source_counts(group));
    response::json(StatusCode::OK, &json!({"user_groups": [object]}))
}

/// A page of a group's sources; 204 when it holds none.
pub fn sources_page(directory: &Directory, page: &[&GroupSource], info: Info) -> Response {
    if page.is_empty() {
        return response::no_content();
    }
    let sources: Vec<Value> = page
        .iter()
        .map(|source| source_item(directory, source))
        .collect();
    response::json(StatusCode::OK, &json!({"info": info, "sources": sources}))
}

/// `{"sources_count":[counts]}`.
pub fn sources_count(directory: &Directory, group: &Group) -> Response {
    response::json(
        StatusCode::OK,
        &json!({"sources_count": [counts_object(directory.source_counts(group))]}),
    )
}

fn profile_object(profile: &Profile) -> Value {
    json!({
        "created_by": null,
        "created_time": null,
        "custom": profile.is_custom(),
        "description": profile.description,
        "display_label": profile.name,
        "id": profile.id,
        "modified_by": null,
        "modified_time": null,
        "name": profile.name,
        "type": "normal_profile",
    })
}

/// `{"profiles":[...]}` in fixture order, no `info` (an org without profiles answers `[]`).
pub fn profiles(profiles: &[Profile]) -> Response {
    let profiles: Vec<Value> = profiles.iter().map(profile_object).collect();
    response::json(StatusCode::OK, &json!({ "profiles": profiles }))
}

/// One profile with `permissions_details`: View, Create, Edit, Delete for every module of the
/// org in registry order. An entry's id is the same in every profile: `"3602353000000"`, `1`,
/// the module's 3-digit position from `001`, and `01`..`04` for the operation.
pub fn one_profile<'m>(
    profile: &Profile,
    modules: impl Iterator<Item = CrmModule<'m>>,
) -> Response {
    let mut details = Vec::new();
    for (position, module) in modules.enumerate() {
        for (index, operation) in Operation::ALL.iter().enumerate() {
            details.push(json!({
                "display_label": operation.label(),
                "enabled": profile.allows(module.api_name, *operation),
                "id": format!("36023530000001{:03}{:02}", position + 1, index + 1),
                "module": module.api_name,
                "name": format!("Crm_Implied_{}_{}", operation.label(), module.api_name),
            }));
        }
    }
    let mut object = profile_object(profile);
    object["permissions_details"] = Value::Array(details);
    response::json(StatusCode::OK, &json!({"profiles": [object]}))
}

//! `GET /__admin/orgs/{id}/access?user=&record=[&module=]` (spec crm-records-and-access.md
//! §12): a user's level on a record and every grant behind it, from the same access model the
//! Records API enforces, the running computation's snapshot included. Token scopes play no
//! part. Only GET: any other method answers 405 with `Allow: GET`.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::app_state::AppState;
use crate::crm::access::model::{Explanation, Grant, OrgAccess, Via, Viewer};
use crate::crm::registry::ModuleLookup;
use crate::response;

use super::error::AdminError;
use super::orgs::unknown_org;

pub async fn explain(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AdminError> {
    let param = |name: &str| {
        form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .filter(|value| !value.is_empty())
    };
    let (Some(user_id), Some(record_id)) = (param("user"), param("record")) else {
        return Err(AdminError::bad_request("user and record are required"));
    };
    let module_name = param("module");
    let now = app.clock.now();
    let body = app.store.read(|world| {
        let org = world.org(&id).ok_or_else(|| unknown_org(&id))?;
        let directory = &org.tenant.directory;
        let user = directory
            .user(&user_id)
            .ok_or_else(|| AdminError::not_found(format!("unknown user {user_id:?} in {id:?}")))?;
        let unknown_record =
            || AdminError::not_found(format!("unknown record {record_id:?} in {id:?}"));
        let records = &org.crm.records;
        let record = records.get(&record_id).ok_or_else(unknown_record)?;
        if let Some(name) = &module_name {
            match records.module(name) {
                ModuleLookup::Known(module) if module.api_name == record.module => {}
                _ => return Err(unknown_record()),
            }
        }
        let module = records
            .module_named(&record.module)
            .ok_or_else(unknown_record)?;
        let access = OrgAccess {
            directory,
            rules: &org.crm.rules,
            settings: &org.crm.settings,
            now,
        };
        let viewer = Viewer::new(access, user, module);
        let explanation = viewer.explain(record, org.crm.shares.of(record.id.as_str()));
        Ok(json!({
            "capped_by_profile": explanation.capped_by_profile(),
            "editable": explanation.level.editable(),
            "grants": explanation.grants.iter().map(grant).collect::<Vec<_>>(),
            "level": explanation.level.as_str(),
            "module": module.api_name,
            "profile": profile(&explanation),
            "record": record.id,
            "rule_computation_running": explanation.rule_computation_running,
            "sharing_permission": explanation.level.sharing_permission(),
            "uncapped_level": explanation.uncapped.as_str(),
            "user": user.id,
        }))
    })?;
    Ok(response::json(StatusCode::OK, &body))
}

/// Any method but GET on the explain path.
pub async fn get_only() -> Response {
    let mut response = AdminError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: "method not allowed on this admin endpoint".into(),
    }
    .into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET"));
    response
}

/// `{"create","delete","edit","id","name","view"}`: the user's profile and its permissions on
/// the module.
fn profile(explanation: &Explanation<'_>) -> Value {
    let permissions = explanation.permissions;
    json!({
        "create": permissions.create,
        "delete": permissions.delete,
        "edit": permissions.edit,
        "id": explanation.profile.map(|p| &p.id),
        "name": explanation.profile.map(|p| &p.name),
        "view": permissions.view,
    })
}

/// `{"id","level","via"}` and the keys of the grant's row (spec §12).
fn grant(grant: &Grant<'_>) -> Value {
    let mut keys = Map::new();
    let mut put = |key: &str, value: Value| {
        keys.insert(key.to_owned(), value);
    };
    let (via, id) = match grant.via {
        Via::Owner { owner } => ("owner", owner),
        Via::Hierarchy { owner, preference } => {
            put("preference", json!(preference.as_str()));
            ("hierarchy", owner)
        }
        Via::Peer { role } => ("peer", role),
        Via::OrgDefault { module, share_type } => {
            put("share_type", json!(share_type.as_str()));
            ("org_default", module)
        }
        Via::Rule { rule, reach } => {
            put("as", json!(reach.as_str()));
            ("rule", rule)
        }
        Via::Share { user, permission } => {
            put("permission", json!(permission.as_str()));
            ("share", user)
        }
        Via::GroupShare { group, permission } => {
            put("permission", json!(permission.as_str()));
            ("group_share", group)
        }
        Via::RoleShare { role, permission } => {
            put("permission", json!(permission.as_str()));
            ("role_share", role)
        }
        Via::Public { record, permission } => {
            put("permission", json!(permission.as_str()));
            ("public", record)
        }
        Via::AdminProfile { profile } => ("admin_profile", profile),
    };
    put("id", json!(id));
    put("level", json!(grant.level.as_str()));
    put("via", json!(via));
    Value::Object(keys)
}

//! The Records API's answers (spec crm-records-and-access.md §3.3, §5-§8, §10): record bodies
//! with the caller's `$editable` and `$sharing_permission`, lists with their `info`, per-item
//! results with their combined status, and the metadata the SDKs fetch first.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::crm::access::model::Level;
use crate::crm::error::{Case, ItemError};
use crate::crm::paging::Paging;
use crate::crm::records::model::Record;
use crate::response;
use crate::tenant::directory::Directory;

use super::request::{Fields, SortBy};

/// `{"email","id","name"}` of a user (`name` = `full_name`).
fn user_ref(directory: &Directory, id: &str) -> Value {
    match directory.user(id) {
        Some(user) => json!({"email": user.email, "id": user.id, "name": user.full_name}),
        None => json!({"email": null, "id": id, "name": null}),
    }
}

/// `{"id","name"}` of a user, as success items write the creator and modifier.
fn user_short(directory: &Directory, id: &str) -> Value {
    json!({"id": id, "name": directory.user(id).map(|u| &u.full_name)})
}

/// A system key of the record (§3.1), if `key` is one.
fn system_key(directory: &Directory, record: &Record, key: &str) -> Option<Value> {
    Some(match key {
        "id" => json!(record.id),
        "Owner" => user_ref(directory, record.owner.as_str()),
        "Created_By" => user_ref(directory, record.created_by.as_str()),
        "Modified_By" => user_ref(directory, record.modified_by.as_str()),
        "Created_Time" => json!(record.created_time.to_iso()),
        "Modified_Time" => json!(record.modified_time.to_iso()),
        _ => return None,
    })
}

/// A record as the caller sees it at `level` (at least `read`): every stored field and the
/// system keys, or with `fields` only `id` and the named keys (a key the record lacks is
/// `null`); the caller's `$editable` and `$sharing_permission` always. Keys sort
/// alphabetically (`$...`, upper case, lower case), as serde_json's map writes them.
pub fn record_body(directory: &Directory, record: &Record, level: Level, fields: &Fields) -> Value {
    let mut body = Map::new();
    match fields {
        Fields::All => {
            for (key, value) in &record.fields {
                body.insert(key.clone(), value.clone());
            }
            for key in [
                "id",
                "Owner",
                "Created_By",
                "Modified_By",
                "Created_Time",
                "Modified_Time",
            ] {
                if let Some(value) = system_key(directory, record, key) {
                    body.insert(key.to_owned(), value);
                }
            }
        }
        Fields::Only(names) => {
            body.insert("id".to_owned(), json!(record.id));
            for name in names {
                let value = system_key(directory, record, name)
                    .or_else(|| record.fields.get(name).cloned())
                    .unwrap_or(Value::Null);
                body.insert(name.clone(), value);
            }
        }
    }
    body.insert("$editable".to_owned(), Value::Bool(level.editable()));
    body.insert(
        "$sharing_permission".to_owned(),
        json!(level.sharing_permission()),
    );
    Value::Object(body)
}

/// One record: 200 `{"data":[record]}`.
pub fn one(record: Value) -> Response {
    response::json(StatusCode::OK, &json!({ "data": [record] }))
}

/// A page of a list: 200 with `info`, or 204 when it holds no record.
pub fn page(
    records: Vec<Value>,
    paging: Paging,
    more_records: bool,
    sort_by: SortBy,
    descending: bool,
) -> Response {
    if records.is_empty() {
        return response::no_content();
    }
    let info = json!({
        "count": records.len(),
        "more_records": more_records,
        "next_page_token": null,
        "page": paging.page,
        "page_token_expiry": null,
        "per_page": paging.per_page,
        "previous_page_token": null,
        "sort_by": sort_by.as_str(),
        "sort_order": if descending { "desc" } else { "asc" },
    });
    response::json(StatusCode::OK, &json!({"data": records, "info": info}))
}

/// One item's result: a success body or its error.
pub type ItemResult = Result<Value, ItemError>;

/// The per-item answer `{"data":[...]}` in request order (§2): `success` when every item
/// succeeded, 400 when every item failed, 207 when some did and some did not.
pub fn results(success: StatusCode, items: Vec<ItemResult>) -> Response {
    let succeeded = items.iter().filter(|r| r.is_ok()).count();
    let status = if succeeded == items.len() {
        success
    } else if succeeded == 0 {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::MULTI_STATUS
    };
    let data: Vec<Value> = items
        .into_iter()
        .map(|result| result.unwrap_or_else(|error| error.to_json()))
        .collect();
    response::json(status, &json!({ "data": data }))
}

fn success(details: Value, message: &str) -> Value {
    crate::crm::wire::success_item("SUCCESS", details, message)
}

/// The creation and modification stamps of a success item.
fn stamps(directory: &Directory, record: &Record) -> Map<String, Value> {
    let mut details = Map::new();
    details.insert(
        "Created_By".into(),
        user_short(directory, record.created_by.as_str()),
    );
    details.insert("Created_Time".into(), json!(record.created_time.to_iso()));
    details.insert(
        "Modified_By".into(),
        user_short(directory, record.modified_by.as_str()),
    );
    details.insert("Modified_Time".into(), json!(record.modified_time.to_iso()));
    details.insert("id".into(), json!(record.id));
    details
}

/// An inserted record (§5).
pub fn added(directory: &Directory, record: &Record) -> Value {
    let mut details = stamps(directory, record);
    details.insert("$approval_state".into(), json!("approved"));
    success(Value::Object(details), "record added")
}

/// An updated record (§7).
pub fn updated(directory: &Directory, record: &Record) -> Value {
    success(Value::Object(stamps(directory, record)), "record updated")
}

/// A deleted record (§8).
pub fn deleted(id: &str) -> Value {
    success(json!({ "id": id }), "record deleted")
}

/// An update of a record that is absent, of another module, or hidden (§9).
pub fn update_absent(id: &str) -> ItemError {
    ItemError::new(Case::IdInvalid, json!({ "id": id }))
}

/// A delete of a record that is absent, hidden, or deleted by an earlier occurrence (§9).
pub fn delete_absent(id: &str) -> ItemError {
    ItemError::new(Case::RecordNotDeleted, json!({ "id": id }))
}

/// A record the caller sees but may not change this way (§9).
pub fn no_permission(id: &str) -> ItemError {
    ItemError::new(Case::NoPermissionOnRecord, json!({ "id": id }))
}

/// `GET /settings/fields?module=`: the owner field, which tells the SDKs to read `Owner` as
/// a user (§10). Its id: `36023530000`, the module's 4-digit registry position, `2589`.
pub fn field_metadata(position: usize) -> Response {
    response::json(
        StatusCode::OK,
        &json!({"fields": [{
            "api_name": "Owner",
            "custom_field": false,
            "data_type": "ownerlookup",
            "display_label": "Owner",
            "field_label": "Owner",
            "id": format!("36023530000{position:04}2589"),
            "json_type": "jsonobject",
            "read_only": false,
            "system_mandatory": false,
        }]}),
    )
}

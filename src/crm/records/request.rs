//! The Records API's requests read into typed input (spec crm-records-and-access.md §2, §5-§8,
//! §13): the path module and record id, the scope a call needs, the list and delete
//! parameters, the body's items, and each item's own checks in the spec's order. Nothing here
//! changes state; the item checks read the directory.

use serde_json::{Map, Value, json};

use crate::crm::error::{Case, CrmError, ItemError};
use crate::crm::extract::{CrmQuery, CrmVersion};
use crate::crm::paging::Paging;
use crate::crm::records::model::Records;
use crate::crm::registry::{CrmModule, ModuleLookup, scope_name_of};
use crate::ids::{UserId, id_from_json, is_decimal};
use crate::tenant::directory::Directory;
use crate::tenant::profiles::Operation;

/// The most items a bulk insert or update takes, and the most ids a list or delete names.
pub const MAX_ITEMS: usize = 100;
/// The most keys `fields` may name.
pub const MAX_FIELDS: usize = 50;

/// The keys a record has as its own (§3.1): never stored as fields.
const SYSTEM_KEYS: [&str; 6] = [
    "id",
    "Owner",
    "Created_By",
    "Modified_By",
    "Created_Time",
    "Modified_Time",
];

/// The module a path names (§2 step 4): Documents and Projects are not supported, any other
/// unknown name is invalid. Tasks, Events and Calls are record modules like the others.
pub fn module<'o>(records: &'o Records, name: Option<&str>) -> Result<CrmModule<'o>, CrmError> {
    match name.map_or(ModuleLookup::Unknown, |n| records.module(n)) {
        ModuleLookup::Known(module) => Ok(module),
        ModuleLookup::Unsupported => Err(CrmError::UnsupportedModule),
        ModuleLookup::Unknown => Err(CrmError::InvalidModule),
    }
}

/// The scopes that cover an operation on the module (§1): `ZohoCRM.modules.{M}.{OP}`, where a
/// custom module answers to `custom` and to its lower-cased API name, and `WRITE` covers
/// `CREATE` and `UPDATE`.
pub fn scopes(module: CrmModule<'_>, operation: Operation) -> Vec<String> {
    let names = if module.custom {
        vec!["custom".to_owned(), module.api_name.to_lowercase()]
    } else {
        vec![scope_name_of(module.api_name)]
    };
    let ops: &[&str] = match operation {
        Operation::View => &["READ"],
        Operation::Create => &["CREATE", "WRITE"],
        Operation::Edit => &["UPDATE", "WRITE"],
        Operation::Delete => &["DELETE"],
    };
    names
        .iter()
        .flat_map(|name| {
            ops.iter()
                .map(move |op| format!("ZohoCRM.modules.{name}.{op}"))
        })
        .collect()
}

/// The profile's refusal of an operation on the module (§13, step 7).
pub fn refused(operation: Operation) -> CrmError {
    match operation {
        Operation::View => CrmError::NoPermissionToReadRecords,
        Operation::Create => CrmError::NoPermissionToAddRecords,
        Operation::Edit => CrmError::NoPermissionToUpdateRecordsModule,
        Operation::Delete => CrmError::NoPermissionToDeleteRecordsModule,
    }
}

/// A single-record path's `{record_id}`: a string of digits (§2 step 6).
pub fn record_id(segment: Option<&str>) -> Result<&str, CrmError> {
    segment
        .filter(|id| is_decimal(id))
        .ok_or(CrmError::IdInvalid {
            resource_path_index: 1,
        })
}

/// Which keys a record body shows (§6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fields {
    /// The whole record (§3.3).
    All,
    /// `id`, `$editable`, `$sharing_permission` and these keys.
    Only(Vec<String>),
}

/// `fields`: comma-separated API names (after percent-decoding), spaces around them trimmed,
/// empty names and repeats dropped, at most 50. `required`: a v3+ list, which needs it.
pub fn fields(query: &CrmQuery, required: bool) -> Result<Fields, CrmError> {
    let mut names: Vec<String> = Vec::new();
    for name in query.get("fields").unwrap_or("").split(',') {
        let name = name.trim();
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    if names.is_empty() {
        return if required {
            Err(CrmError::RequiredParamMissing { param: "fields" })
        } else {
            Ok(Fields::All)
        };
    }
    if names.len() > MAX_FIELDS {
        return Err(CrmError::FieldsLimitExceeded);
    }
    Ok(Fields::Only(names))
}

/// What a list sorts by (§6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Id,
    CreatedTime,
    ModifiedTime,
}

impl SortBy {
    pub fn as_str(self) -> &'static str {
        match self {
            SortBy::Id => "id",
            SortBy::CreatedTime => "Created_Time",
            SortBy::ModifiedTime => "Modified_Time",
        }
    }
}

/// A list's parameters, checked in the order of §13: `fields`, `page`, `per_page`, `sort_by`,
/// `sort_order`, `ids`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    pub fields: Fields,
    pub paging: Paging,
    pub sort_by: SortBy,
    pub descending: bool,
    /// Only these records (distinct, in the order given).
    pub ids: Option<Vec<String>>,
}

impl ListQuery {
    pub fn parse(query: &CrmQuery, version: CrmVersion) -> Result<Self, CrmError> {
        let fields = fields(query, !version.uses_legacy_user_form())?;
        let paging = Paging::from_query(query)?;
        let sort_by = match query.get("sort_by") {
            None | Some("id") => SortBy::Id,
            Some("Created_Time") => SortBy::CreatedTime,
            Some("Modified_Time") => SortBy::ModifiedTime,
            Some(_) => return Err(CrmError::InvalidParam { param: "sort_by" }),
        };
        let descending = match query.get("sort_order") {
            None | Some("desc") => true,
            Some("asc") => false,
            Some(_) => {
                return Err(CrmError::InvalidParam {
                    param: "sort_order",
                });
            }
        };
        let ids = match query.get("ids") {
            None => None,
            Some(list) => {
                let ids = id_list(list).ok_or(CrmError::InvalidParam { param: "ids" })?;
                if ids.len() > MAX_ITEMS {
                    return Err(CrmError::InvalidParam { param: "ids" });
                }
                let mut distinct: Vec<String> = Vec::with_capacity(ids.len());
                for id in ids {
                    if !distinct.contains(&id) {
                        distinct.push(id);
                    }
                }
                Some(distinct)
            }
        };
        Ok(ListQuery {
            fields,
            paging,
            sort_by,
            descending,
            ids,
        })
    }
}

/// Comma-separated ids, spaces around each trimmed; `None` when an entry is empty or not
/// digits.
fn id_list(text: &str) -> Option<Vec<String>> {
    text.split(',')
        .map(str::trim)
        .map(|id| is_decimal(id).then(|| id.to_owned()))
        .collect()
}

/// A bulk delete's `ids` (§8): mandatory; an entry empty or not digits is reported before
/// the count (at most 100). Repeats stay: each occurrence answers.
pub fn delete_ids(query: &CrmQuery) -> Result<Vec<String>, CrmError> {
    let list = query
        .get("ids")
        .ok_or(CrmError::RequiredParamMissing { param: "ids" })?;
    let ids = id_list(list).ok_or(CrmError::IdsUnparsable)?;
    if ids.len() > MAX_ITEMS {
        return Err(CrmError::TooManyIds);
    }
    Ok(ids)
}

/// The items of an insert or update body (§5, §7): a JSON object whose `data` is a non-empty
/// array of at most `max` items.
pub fn items(body: &Map<String, Value>, max: usize) -> Result<&[Value], CrmError> {
    let items = match body.get("data") {
        None | Some(Value::Null) => {
            return Err(CrmError::RequiredFieldNotFound { api_name: "data" });
        }
        Some(Value::Array(items)) if items.is_empty() => {
            return Err(CrmError::RequiredFieldNotFound { api_name: "data" });
        }
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(CrmError::WrongType {
                api_name: "data",
                expected: "jsonarray",
                json_path: "$.data".into(),
            });
        }
    };
    if items.len() > max {
        return Err(CrmError::TooManyItems {
            api_name: "data",
            maximum_length: max,
        });
    }
    Ok(items)
}

fn item_path(index: usize) -> String {
    format!("$.data[{index}]")
}

fn at(api_name: &str, index: usize) -> Value {
    json!({"api_name": api_name, "json_path": format!("{}.{api_name}", item_path(index))})
}

/// The item as an object; anything else is its failure.
pub fn item_object(item: &Value, index: usize) -> Result<&Map<String, Value>, ItemError> {
    item.as_object().ok_or_else(|| {
        ItemError::new(
            Case::InvalidData,
            json!({"api_name": "data", "expected_data_type": "jsonobject", "json_path": item_path(index)}),
        )
    })
}

/// A bulk update item's `id`: present (a `null` counts as missing), and a string of digits or
/// an integer that fits an unsigned 64-bit integer.
pub fn item_id(item: &Map<String, Value>, index: usize) -> Result<String, ItemError> {
    match item.get("id") {
        None | Some(Value::Null) => {
            Err(ItemError::new(Case::RequiredFieldNotFound, at("id", index)))
        }
        Some(value) => id_from_json(value)
            .filter(|id| is_decimal(id))
            .ok_or_else(|| ItemError::new(Case::IdInvalid, at("id", index))),
    }
}

/// An item's `Owner` when it has one: `{"id": ...}` naming an active user of the org.
fn owner(
    item: &Map<String, Value>,
    index: usize,
    directory: &Directory,
) -> Result<Option<UserId>, ItemError> {
    let Some(value) = item.get("Owner") else {
        return Ok(None);
    };
    value
        .get("id")
        .and_then(id_from_json)
        .filter(|id| directory.user(id).is_some_and(|u| u.is_active()))
        .map(|id| Some(UserId::from(id)))
        .ok_or_else(|| ItemError::new(Case::InvalidData, at("Owner", index)))
}

/// The name field `key` of an item (§3.2): `required` on insert; never `null` or `""`; a
/// string.
fn check_name(
    item: &Map<String, Value>,
    index: usize,
    key: &str,
    required: bool,
) -> Result<(), ItemError> {
    let missing = || ItemError::new(Case::RequiredFieldNotFound, at(key, index));
    match item.get(key) {
        None if required => Err(missing()),
        None => Ok(()),
        Some(Value::Null) => Err(missing()),
        Some(Value::String(name)) if name.is_empty() => Err(missing()),
        Some(Value::String(_)) => Ok(()),
        Some(_) => Err(ItemError::new(
            Case::InvalidData,
            json!({"api_name": key, "expected_data_type": "text", "json_path": format!("{}.{key}", item_path(index))}),
        )),
    }
}

/// The fields an item sets: every key but the system keys, `$` keys and an empty key (which
/// no fixture could hold), with its value as given.
fn item_fields(item: &Map<String, Value>) -> Map<String, Value> {
    item.iter()
        .filter(|(key, _)| {
            !key.is_empty() && !key.starts_with('$') && !SYSTEM_KEYS.contains(&key.as_str())
        })
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// What an insert item stores, once it passed its checks.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRecord {
    pub owner: Option<UserId>,
    pub fields: Map<String, Value>,
}

/// An insert item, checked in the order of §5: an object, then `Owner`, then the name field.
/// `name_field` is the module's (§3.2).
pub fn insert_item(
    item: &Value,
    index: usize,
    name_field: &str,
    directory: &Directory,
) -> Result<NewRecord, ItemError> {
    let item = item_object(item, index)?;
    let owner = owner(item, index, directory)?;
    check_name(item, index, name_field, true)?;
    Ok(NewRecord {
        owner,
        fields: item_fields(item),
    })
}

/// What an update item changes.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateItem {
    pub owner: Option<UserId>,
    pub fields: Map<String, Value>,
}

/// The checks of an update item that come after its record and level (§7): `Owner`, then the
/// name field.
pub fn update_item(
    item: &Map<String, Value>,
    index: usize,
    name_field: &str,
    directory: &Directory,
) -> Result<UpdateItem, ItemError> {
    let owner = owner(item, index, directory)?;
    check_name(item, index, name_field, false)?;
    Ok(UpdateItem {
        owner,
        fields: item_fields(item),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::registry::all_modules;

    fn leads() -> CrmModule<'static> {
        all_modules(&[]).next().expect("Leads")
    }

    #[test]
    fn scopes_take_write_for_create_and_update_and_custom_names() {
        let leads = leads();
        assert_eq!(
            scopes(leads, Operation::Create),
            [
                "ZohoCRM.modules.leads.CREATE",
                "ZohoCRM.modules.leads.WRITE"
            ]
        );
        assert_eq!(
            scopes(leads, Operation::Delete),
            ["ZohoCRM.modules.leads.DELETE"]
        );
        let custom = crate::crm::registry::CustomModule {
            api_name: "Properties".into(),
            id: "1".into(),
        };
        let customs = [custom];
        let properties = all_modules(&customs).last().expect("Properties");
        assert_eq!(
            scopes(properties, Operation::View),
            [
                "ZohoCRM.modules.custom.READ",
                "ZohoCRM.modules.properties.READ"
            ]
        );
    }

    #[test]
    fn fields_are_trimmed_deduplicated_and_counted() {
        let q = CrmQuery::parse("fields=%20A%20,A,,B");
        assert_eq!(
            fields(&q, true),
            Ok(Fields::Only(vec!["A".into(), "B".into()]))
        );
        assert_eq!(
            fields(&CrmQuery::parse("fields=,,"), true),
            Err(CrmError::RequiredParamMissing { param: "fields" })
        );
        assert_eq!(fields(&CrmQuery::parse(""), false), Ok(Fields::All));
        let many: Vec<String> = (0..51).map(|i| format!("F{i}")).collect();
        let q = CrmQuery::parse(&format!("fields={}", many.join(",")));
        assert_eq!(fields(&q, false), Err(CrmError::FieldsLimitExceeded));
    }

    #[test]
    fn delete_ids_report_a_bad_entry_before_the_count() {
        let q = CrmQuery::parse("ids=%201%20,2,1");
        assert_eq!(delete_ids(&q), Ok(vec!["1".into(), "2".into(), "1".into()]));
        assert_eq!(
            delete_ids(&CrmQuery::parse("ids=1,,2")),
            Err(CrmError::IdsUnparsable)
        );
        let many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
        let q = CrmQuery::parse(&format!("ids={}", many.join(",")));
        assert_eq!(delete_ids(&q), Err(CrmError::TooManyIds));
        let mut bad = many.clone();
        bad.push("x".into());
        let q = CrmQuery::parse(&format!("ids={}", bad.join(",")));
        assert_eq!(delete_ids(&q), Err(CrmError::IdsUnparsable));
        assert_eq!(
            delete_ids(&CrmQuery::parse("wf_trigger=true")),
            Err(CrmError::RequiredParamMissing { param: "ids" })
        );
    }

    #[test]
    fn item_fields_leave_system_and_dollar_keys_out() {
        let item = json!({"Last_Name": "A", "id": "1", "Owner": {"id": "2"}, "$editable": true,
                          "Created_Time": "x", "": 1, "Nested": {"a": null}});
        let fields = item_fields(item.as_object().expect("an object"));
        assert_eq!(
            Value::Object(fields),
            json!({"Last_Name": "A", "Nested": {"a": null}})
        );
    }
}

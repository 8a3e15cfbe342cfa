//! The share endpoint's answers (spec crm-record-sharing.md §3, §6-§8), and the one place that
//! picks the wire case of a `ShareError` and of each failed item.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::crm::error::{Case, CrmError, ItemError};
use crate::crm::extract::CrmVersion;
use crate::crm::wire::success_item;
use crate::response;
use crate::tenant::directory::Directory;

use super::model::{
    ItemConflict, ItemFailure, Located, Share, ShareError, ShareTarget, TargetKind,
};
use super::request::{BodyItem, ShapeFault, TargetForm, Verb};

/// The wire case of a model error for this verb; `items` is the request's body (empty for GET
/// and DELETE), whose failed items a `ShareError::Items` answers.
pub fn error(verb: Verb, err: ShareError, items: &[BodyItem]) -> CrmError {
    match err {
        ShareError::ScopeMismatch => CrmError::OAuthScopeMismatch,
        ShareError::UnknownModule if verb == Verb::Read => CrmError::InvalidModuleOnRead,
        ShareError::UnknownModule => CrmError::InvalidModule,
        ShareError::UnsupportedModule => CrmError::UnsupportedModule,
        ShareError::RecordNotFound if verb == Verb::Revoke => CrmError::EntityIdInvalidOnRevoke,
        ShareError::RecordNotFound => CrmError::EntityIdInvalid,
        ShareError::NotPermitted => match verb {
            Verb::Read => CrmError::NoPermissionToRead,
            Verb::Share => CrmError::NoPermissionToShare,
            Verb::Update => CrmError::NoPermissionToUpdate,
            Verb::Revoke => CrmError::NoPermissionToDelete,
        },
        ShareError::Items(failures) => CrmError::ItemErrors {
            wrapper: "share",
            items: failed_items(verb, items, &failures),
        },
        ShareError::PublicNotAlone | ShareError::PublicPrivateConflict => {
            CrmError::AmbiguityDuringProcessing
        }
        ShareError::OverLimit if verb == Verb::Update => CrmError::ShareLimitExceeded,
        ShareError::OverLimit => CrmError::LimitExceeded,
        ShareError::NothingToRevoke => CrmError::NothingToRevoke,
        // The item checks keep owners and repeated targets out of every set the model builds.
        ShareError::Inconsistent(_) => CrmError::InternalError,
    }
}

/// Every failed item in body order: the shape faults of the request and the conflicts the
/// model found, merged by index (an item has at most one of them).
fn failed_items(verb: Verb, items: &[BodyItem], conflicts: &[ItemFailure]) -> Vec<ItemError> {
    let mut conflicts = conflicts.iter().peekable();
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match item {
            Err(fault) => errors.push(shape_error(verb, index, *fault)),
            Ok(item) => {
                if let Some(failure) = conflicts.next_if(|f| f.index == index) {
                    errors.push(conflict_error(index, item.form, failure.conflict));
                }
            }
        }
    }
    errors
}

fn item_path(index: usize) -> String {
    format!("$.share[{index}]")
}

fn at(api_name: &str, path: String) -> Value {
    json!({"api_name": api_name, "json_path": path})
}

fn id_at(index: usize, form: TargetForm) -> Value {
    at("id", format!("{}.{}.id", item_path(index), form.key()))
}

/// A row of the per-item table of §5 whose check needs the org (#10 onwards).
fn conflict_error(index: usize, form: TargetForm, conflict: ItemConflict) -> ItemError {
    let case = match conflict {
        ItemConflict::CannotShareTo => Case::CannotShareTo,
        ItemConflict::AlreadyVisible => Case::AlreadyVisible,
        ItemConflict::Duplicate => Case::DuplicateData,
    };
    ItemError::new(case, id_at(index, form))
}

/// A row of the per-item table of §5 up to the id's shape.
fn shape_error(verb: Verb, index: usize, fault: ShapeFault) -> ItemError {
    let item = item_path(index);
    let on_put = verb == Verb::Update;
    let typed = |api_name: &str, expected: &str, path: String| json!({"api_name": api_name, "expected_data_type": expected, "json_path": path});
    let invalid = |details: Value| ItemError::new(Case::InvalidData, details);
    let missing = |details: Value| ItemError::new(Case::MandatoryFieldsMissing, details);
    match fault {
        ShapeFault::NotObject => invalid(typed("share", "jsonobject", item)),
        ShapeFault::InvalidType => ItemError::new(
            if on_put {
                Case::InvalidData
            } else {
                Case::TypeOrPermissionIncorrect
            },
            at("type", format!("{item}.type")),
        ),
        ShapeFault::MissingType => missing(at("type", format!("{item}.type"))),
        ShapeFault::InvalidPermission => ItemError::new(
            if on_put {
                Case::PermissionInvalid
            } else {
                Case::TypeOrPermissionIncorrect
            },
            at("permission", format!("{item}.permission")),
        ),
        ShapeFault::RelatedNotBoolean => invalid(typed(
            "share_related_records",
            "boolean",
            format!("{item}.share_related_records"),
        )),
        ShapeFault::PublicWithTarget(form) => {
            invalid(at(form.key(), format!("{item}.{}", form.key())))
        }
        ShapeFault::MissingTarget => missing(at("shared_with", format!("{item}.shared_with"))),
        ShapeFault::TargetNotObject(form) => invalid(typed(
            form.key(),
            "jsonobject",
            format!("{item}.{}", form.key()),
        )),
        ShapeFault::MissingTargetType => missing(at("type", format!("{item}.shared_with.type"))),
        ShapeFault::MissingTargetId(form) => missing(id_at(index, form)),
        ShapeFault::InvalidTargetType => invalid(at("type", format!("{item}.shared_with.type"))),
        ShapeFault::CannotShareTo(form) => conflict_error(index, form, ItemConflict::CannotShareTo),
    }
}

/// One success of `{"share":[...]}` for POST and PUT, pre-rendered (keys in Zoho's order): the
/// answer is the same for every item, and this is the hot path of a share write.
const SHARED_ITEM: &str = r#"{"code":"SUCCESS","details":{},"message":"record will be shared successfully","status":"success"}"#;

/// POST (201) and PUT (200): one success per body item.
pub fn shared(verb: Verb, items: usize) -> Response {
    let status = if verb == Verb::Share {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut body = Vec::with_capacity(12 + items * (SHARED_ITEM.len() + 1));
    body.extend_from_slice(br#"{"share":["#);
    for index in 0..items {
        if index > 0 {
            body.push(b',');
        }
        body.extend_from_slice(SHARED_ITEM.as_bytes());
    }
    body.extend_from_slice(b"]}");
    response::json_bytes(status, body)
}

/// DELETE: `share` is an object here, not an array.
pub fn revoked(record_id: &str) -> Response {
    response::json(
        StatusCode::OK,
        &json!({"share": success_item("SUCCESS", json!({"id": record_id}), "Sharing Revoked")}),
    )
}

/// GET: 200 with the shares (and `shareable_user` for `view=manage`), or 204 when nothing is
/// listed and `view=manage` was not asked.
pub fn listing(
    directory: &Directory,
    located: Located<'_>,
    shares: &[&Share],
    version: CrmVersion,
    manage: bool,
) -> Response {
    if shares.is_empty() && !manage {
        return response::no_content();
    }
    let mut shared_through = json!({
        "id": located.record.id,
        "module": {"id": located.module.id, "name": located.module.api_name},
    });
    // The record's name when it has one (spec crm-records-and-access.md §11); `entity_name`
    // stays out.
    if let (Some(name), Value::Object(keys)) =
        (located.record.name(located.module), &mut shared_through)
    {
        keys.insert("name".to_owned(), Value::String(name));
    }
    let legacy = version.uses_legacy_user_form();
    let items: Vec<Value> = shares
        .iter()
        .map(|share| share_view(directory, share, &shared_through, legacy))
        .collect();
    let mut body = Map::new();
    body.insert("share".to_owned(), Value::Array(items));
    if manage {
        let shareable: Vec<Value> = directory
            .users()
            .iter()
            .filter(|u| u.is_active() && u.id != located.record.owner)
            .map(|u| json!({"id": u.id, "name": u.full_name, "zuid": u.zuid}))
            .collect();
        body.insert("shareable_user".to_owned(), Value::Array(shareable));
    }
    response::json(StatusCode::OK, &Value::Object(body))
}

/// One listed share; on v2/v2.1 a user share names its target under `user`.
fn share_view(directory: &Directory, share: &Share, shared_through: &Value, legacy: bool) -> Value {
    let shared_by = directory.user(share.shared_by.as_str()).map_or_else(
        || json!({"id": share.shared_by}),
        |u| json!({"id": u.id, "name": u.full_name, "zuid": u.zuid}),
    );
    let mut view = json!({
        "permission": share.permission.as_str(),
        "share_related_records": share.share_related_records,
        "shared_by": shared_by,
        "shared_through": shared_through,
        "shared_time": share.shared_time.to_iso(),
        "type": if share.is_public() { "public" } else { "private" },
    });
    let (key, target) = match &share.target {
        None if legacy => ("user", Value::Null),
        None => ("shared_with", Value::Null),
        Some(target) if legacy && target.kind == TargetKind::Users => {
            let user = directory.user(&target.id);
            (
                "user",
                json!({"id": target.id, "name": user.map(|u| &u.full_name), "zuid": user.map(|u| &u.zuid)}),
            )
        }
        Some(target) => ("shared_with", target_view(directory, target)),
    };
    if let Value::Object(fields) = &mut view {
        fields.insert(key.to_owned(), target);
    }
    view
}

fn target_view(directory: &Directory, target: &ShareTarget) -> Value {
    match target.kind {
        TargetKind::Users => {
            let user = directory.user(&target.id);
            json!({
                "id": target.id,
                "name": user.map(|u| &u.full_name),
                "type": "users",
                "zuid": user.map(|u| &u.zuid),
            })
        }
        TargetKind::Groups => json!({
            "id": target.id,
            "name": directory.group(&target.id).map(|g| &g.name),
            "type": "groups",
        }),
        TargetKind::Roles => json!({
            "id": target.id,
            "name": directory.role(&target.id).map(|r| &r.name),
            "type": "roles",
        }),
    }
}

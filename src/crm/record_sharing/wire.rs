//! The share endpoint on the wire: request bodies and query parameters read into model values,
//! model outcomes and errors written as Zoho's bodies (spec crm-record-sharing.md §3, §5-§8).
//! This is the one place that picks the wire case (code, text, status) of a `ShareError`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::body::BufferedBody;
use crate::crm::error::{CrmError, ItemError};
use crate::crm::extract::{CrmQuery, CrmVersion};
use crate::ids::is_decimal;
use crate::response;
use crate::tenant::Org;

use super::model::{
    ItemFailure, ItemFault, Located, NamedTarget, Permission, Share, ShareError, ShareItem,
    ShareTarget, TargetForm, TargetKind, Verb,
};
use super::request::{self, Item, Scalar, ShareBody, ShareField, Target};

/// POST's text for a bad `type` or `permission` [Zoho v7 docs].
const TYPE_OR_PERMISSION_INCORRECT: &str =
    "Either the value for \"permission\" or the \"type\" key is incorrect.";

/// A POST or PUT body: its top-level errors, or one entry per item of `share` (a well-formed
/// item, or why it is malformed). Any `Content-Type`; an empty body reads as `{}`; JSON `null`
/// counts as an absent key throughout.
pub fn share_body(body: &BufferedBody) -> Result<Vec<Result<ShareItem, ItemFault>>, CrmError> {
    if body.too_large {
        return Err(CrmError::BodyNotJsonObject);
    }
    let parsed = if body.bytes.iter().all(u8::is_ascii_whitespace) {
        ShareBody::default()
    } else {
        std::str::from_utf8(&body.bytes)
            .ok()
            .and_then(|text| request::parse(text).ok())
            .ok_or(CrmError::BodyNotJsonObject)?
    };
    let items = match parsed.share {
        Some(ShareField::Items(items)) => items,
        None | Some(ShareField::Other(Scalar::Null)) => Vec::new(),
        Some(ShareField::Other(_)) => {
            return Err(CrmError::WrongType {
                api_name: "share",
                expected: "jsonarray",
                json_path: "$.share".to_owned(),
            });
        }
    };
    if items.is_empty() {
        return Err(CrmError::MandatoryFieldsMissing { api_name: "share" });
    }
    let flags = [
        ("notify", &parsed.notify),
        ("notify_shared_members", &parsed.notify_shared_members),
        ("notify_on_completion", &parsed.notify_on_completion),
    ];
    for (key, value) in flags {
        if !matches!(value, None | Some(Scalar::Null | Scalar::Bool(_))) {
            return Err(CrmError::WrongType {
                api_name: key,
                expected: "boolean",
                json_path: format!("$.{key}"),
            });
        }
    }
    Ok(items.into_iter().map(share_item).collect())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visibility {
    Private,
    Public,
}

/// One item of `share`, checked in the order of §5 up to the id's shape; the checks that need
/// the org (#10 onwards) are the model's.
fn share_item(item: Item<'_>) -> Result<ShareItem, ItemFault> {
    let Item::Object(item) = item else {
        return Err(ItemFault::NotObject);
    };
    let shared_with = item.shared_with.filter(|t| !t.is_null());
    let has_shared_with = shared_with.is_some();
    let named = shared_with
        .map(|target| (TargetForm::SharedWith, target))
        .or_else(|| {
            let user = item.user.filter(|t| !t.is_null());
            user.map(|target| (TargetForm::User, target))
        });
    let visibility = match present(item.kind.as_ref()) {
        None if has_shared_with => return Err(ItemFault::MissingType),
        None => Visibility::Private,
        Some(Scalar::Str(text)) if text == "private" => Visibility::Private,
        Some(Scalar::Str(text)) if text == "public" => Visibility::Public,
        Some(_) => return Err(ItemFault::InvalidType),
    };
    let permission = match present(item.permission.as_ref()) {
        None => Permission::FullAccess,
        Some(Scalar::Str(text)) => Permission::parse(text).ok_or(ItemFault::InvalidPermission)?,
        Some(_) => return Err(ItemFault::InvalidPermission),
    };
    let share_related_records = match present(item.share_related_records.as_ref()) {
        None => false,
        Some(Scalar::Bool(flag)) => *flag,
        Some(_) => return Err(ItemFault::RelatedNotBoolean),
    };
    let target = match (visibility, named) {
        (Visibility::Public, Some((form, _))) => return Err(ItemFault::PublicWithTarget(form)),
        (Visibility::Public, None) => None,
        (Visibility::Private, None) => return Err(ItemFault::MissingTarget),
        (Visibility::Private, Some((form, target))) => Some(named_target(form, target)?),
    };
    Ok(ShareItem {
        target,
        permission,
        share_related_records,
    })
}

fn named_target(form: TargetForm, target: Target<'_>) -> Result<NamedTarget, ItemFault> {
    let Target::Object { kind, id } = target else {
        return Err(ItemFault::TargetNotObject(form));
    };
    let kind = match form {
        TargetForm::SharedWith => Some(present(kind.as_ref()).ok_or(ItemFault::MissingTargetType)?),
        TargetForm::User => None,
    };
    let id = present(id.as_ref()).ok_or(ItemFault::MissingTargetId(form))?;
    let kind = match kind {
        None => TargetKind::Users,
        Some(Scalar::Str(text)) => TargetKind::parse(text).ok_or(ItemFault::InvalidTargetType)?,
        Some(_) => return Err(ItemFault::InvalidTargetType),
    };
    let id = match id {
        Scalar::Str(text) if is_decimal(text) => text.clone().into_owned(),
        Scalar::Unsigned(number) => number.to_string(),
        _ => return Err(ItemFault::CannotShareTo(form)),
    };
    Ok(NamedTarget {
        target: ShareTarget { kind, id },
        form,
    })
}

/// A key's value unless it is absent or `null`.
fn present<'s, 'a>(value: Option<&'s Scalar<'a>>) -> Option<&'s Scalar<'a>> {
    value.filter(|v| !v.is_null())
}

/// GET's query: `sharedTo` (a user id) and `view` (`summary` or `manage`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub shared_to: Option<String>,
    pub manage: bool,
}

impl ListQuery {
    pub fn parse(query: &CrmQuery) -> Result<Self, CrmError> {
        let shared_to = match query.get("sharedTo") {
            Some(id) if !is_decimal(id) => {
                return Err(CrmError::PatternNotMatched { param: "sharedTo" });
            }
            other => other.map(str::to_owned),
        };
        let manage = match query.get("view") {
            None | Some("summary") => false,
            Some("manage") => true,
            Some(_) => return Err(CrmError::PatternNotMatched { param: "view" }),
        };
        Ok(ListQuery { shared_to, manage })
    }
}

/// The wire case of a model error for this verb.
pub fn error(verb: Verb, err: ShareError) -> CrmError {
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
            items: failures.iter().map(|f| item_error(verb, *f)).collect(),
        },
        ShareError::PublicNotAlone | ShareError::PublicPrivateConflict => {
            CrmError::AmbiguityDuringProcessing
        }
        ShareError::OverLimit if verb == Verb::Update => CrmError::ShareLimitExceeded,
        ShareError::OverLimit => CrmError::LimitExceeded,
        ShareError::NothingToRevoke => CrmError::NothingToRevoke,
    }
}

/// One row of the per-item table of §5.
fn item_error(verb: Verb, failure: ItemFailure) -> ItemError {
    let item = format!("$.share[{}]", failure.index);
    let on_put = verb == Verb::Update;
    let at = |api_name: &str, path: String| json!({"api_name": api_name, "json_path": path});
    let typed = |api_name: &str, expected: &str, path: String| json!({"api_name": api_name, "expected_data_type": expected, "json_path": path});
    let id_at = |form: TargetForm| at("id", format!("{item}.{}.id", form_key(form)));
    let invalid =
        |message: &'static str, details: Value| ItemError::new("INVALID_DATA", message, details);
    let missing =
        |details: Value| ItemError::new("MANDATORY_NOT_FOUND", "Mandatory fields missing", details);
    match failure.fault {
        ItemFault::NotObject => invalid("invalid data", typed("share", "jsonobject", item)),
        ItemFault::InvalidType => invalid(
            if on_put {
                "invalid data"
            } else {
                TYPE_OR_PERMISSION_INCORRECT
            },
            at("type", format!("{item}.type")),
        ),
        ItemFault::MissingType => missing(at("type", format!("{item}.type"))),
        ItemFault::InvalidPermission => invalid(
            if on_put {
                "Permission is invalid"
            } else {
                TYPE_OR_PERMISSION_INCORRECT
            },
            at("permission", format!("{item}.permission")),
        ),
        ItemFault::RelatedNotBoolean => invalid(
            "invalid data",
            typed(
                "share_related_records",
                "boolean",
                format!("{item}.share_related_records"),
            ),
        ),
        ItemFault::PublicWithTarget(form) => invalid(
            "invalid data",
            at(form_key(form), format!("{item}.{}", form_key(form))),
        ),
        ItemFault::MissingTarget => missing(at("shared_with", format!("{item}.shared_with"))),
        ItemFault::TargetNotObject(form) => invalid(
            "invalid data",
            typed(
                form_key(form),
                "jsonobject",
                format!("{item}.{}", form_key(form)),
            ),
        ),
        ItemFault::MissingTargetType => missing(at("type", format!("{item}.shared_with.type"))),
        ItemFault::MissingTargetId(form) => missing(id_at(form)),
        ItemFault::InvalidTargetType => invalid(
            "invalid data",
            at("type", format!("{item}.shared_with.type")),
        ),
        ItemFault::CannotShareTo(form) => invalid("cannot share to the user", id_at(form)),
        ItemFault::AlreadyVisible(form) => {
            invalid("record is already visible to the user.", id_at(form))
        }
        ItemFault::Duplicate(form) => {
            ItemError::new("DUPLICATE_DATA", "duplicate data", id_at(form))
        }
    }
}

fn form_key(form: TargetForm) -> &'static str {
    match form {
        TargetForm::SharedWith => "shared_with",
        TargetForm::User => "user",
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
        &json!({"share": {
            "code": "SUCCESS",
            "details": {"id": record_id},
            "message": "Sharing Revoked",
            "status": "success",
        }}),
    )
}

/// GET: 200 with the shares (and `shareable_user` for `view=manage`), or 204 when nothing is
/// listed and `view=manage` was not asked.
pub fn listing(
    org: &Org,
    located: Located<'_>,
    shares: &[&Share],
    version: CrmVersion,
    manage: bool,
) -> Response {
    if shares.is_empty() && !manage {
        return response::no_content();
    }
    let shared_through = json!({
        "id": located.record.id,
        "module": {"id": located.module.id, "name": located.module.api_name},
    });
    let legacy = version.uses_legacy_user_form();
    let items: Vec<Value> = shares
        .iter()
        .map(|share| share_view(org, share, &shared_through, legacy))
        .collect();
    let mut body = Map::new();
    body.insert("share".to_owned(), Value::Array(items));
    if manage {
        let shareable: Vec<Value> = org
            .users
            .iter()
            .filter(|u| u.is_active() && u.id != located.record.owner)
            .map(|u| json!({"id": u.id, "name": u.full_name, "zuid": u.zuid}))
            .collect();
        body.insert("shareable_user".to_owned(), Value::Array(shareable));
    }
    response::json(StatusCode::OK, &Value::Object(body))
}

/// One listed share; on v2/v2.1 a user share names its target under `user`.
fn share_view(org: &Org, share: &Share, shared_through: &Value, legacy: bool) -> Value {
    let shared_by = org.user(share.shared_by.as_str()).map_or_else(
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
            let user = org.user(&target.id);
            (
                "user",
                json!({"id": target.id, "name": user.map(|u| &u.full_name), "zuid": user.map(|u| &u.zuid)}),
            )
        }
        Some(target) => ("shared_with", target_view(org, target)),
    };
    if let Value::Object(fields) = &mut view {
        fields.insert(key.to_owned(), target);
    }
    view
}

fn target_view(org: &Org, target: &ShareTarget) -> Value {
    match target.kind {
        TargetKind::Users => {
            let user = org.user(&target.id);
            json!({
                "id": target.id,
                "name": user.map(|u| &u.full_name),
                "type": "users",
                "zuid": user.map(|u| &u.zuid),
            })
        }
        TargetKind::Groups => json!({
            "id": target.id,
            "name": org.group(&target.id).map(|g| &g.name),
            "type": "groups",
        }),
        TargetKind::Roles => json!({
            "id": target.id,
            "name": org.role(&target.id).map(|r| &r.name),
            "type": "roles",
        }),
    }
}

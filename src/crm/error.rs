//! `CrmError`: every documented whole-request CRM error, one variant per documented case, and
//! the one renderer of Zoho's CRM envelope `{"code","details","message","status":"error"}`.
//! Per-item outcomes (`{"share":[...]}`) are data ([`ItemError`]) carried by `ItemErrors`.

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::auth::AuthFailure;
use crate::faults::{Fault, FaultCode};
use crate::response;

#[derive(Clone, Debug, PartialEq)]
pub enum CrmError {
    /// `Please check if the URL trying to access is a correct one.` HTTP 404
    /// [seed crm-revoke-shared-records.txt] [seed crm-update-share-permissions.txt]
    InvalidUrlPattern,
    /// `Please check if the URL trying to access is a correct one` (no period) HTTP 404, for
    /// paths under `/crm/{v}/settings/data_sharing` [seed crm-deactivate-data-sharing-rule.txt]
    InvalidUrlPatternDataSharing,
    /// `The http request method type is not a valid one` HTTP 400 [all four CRM seeds]
    InvalidRequestMethod,
    /// `Authentication failed` HTTP 401 [seed crm-deactivate-data-sharing-rule.txt]
    AuthenticationFailure,
    /// `invalid oauth token` HTTP 401 [captured response]
    InvalidToken,
    /// `invalid oauth scope to access this URL` HTTP 401 [all four CRM seeds]
    OAuthScopeMismatch,
    /// `The module name given seems to be invalid` HTTP 400 (POST/PUT/DELETE share)
    /// [seed crm-revoke-shared-records.txt]
    InvalidModule,
    /// `the module name given seems to be invalid` HTTP 400 (GET share) [Zoho v7 docs]
    InvalidModuleOnRead,
    /// `the module name given seems to be invalid` `{"param_name":"module"}` HTTP 400 (rules family)
    InvalidModuleParam,
    /// `The given module is not supported in API` HTTP 400 (Documents, Projects)
    /// [seed crm-revoke-shared-records.txt]
    UnsupportedModule,
    /// `INVALID_DATA` `ENTITY_ID_INVALID` `{"resource_path_index":1}` HTTP 400
    /// [seed crm-update-share-permissions.txt]
    EntityIdInvalid,
    /// The same on DELETE share, where the seed gives HTTP 403 [seed crm-revoke-shared-records.txt]
    EntityIdInvalidOnRevoke,
    /// `NO_PERMISSION` `Permission denied to share records` HTTP 403 [Zoho v7 docs]
    NoPermissionToShare,
    /// `NO_PERMISSION` `Permission denied to update records` HTTP 403 [seed crm-update-share-permissions.txt]
    NoPermissionToUpdate,
    /// `NO_PERMISSION` `Permission denied to delete records` HTTP 403 [seed crm-revoke-shared-records.txt]
    NoPermissionToDelete,
    /// `NO_PERMISSION` `Permission denied to read` HTTP 403 [Zoho v7 docs]
    NoPermissionToRead,
    /// `NO_PERMISSION` `permission denied` HTTP 403 (rules family) [SDK enum]
    NoPermission,
    /// `INVALID_DATA` `invalid data` `{"expected_data_type":"jsonobject"}` HTTP 400: a required
    /// body is not a JSON object (unparsable, too large, not UTF-8, an array...)
    BodyNotJsonObject,
    /// `INVALID_DATA` `invalid data` `{"param_name":...}` HTTP 400 (bad `type`, `page`, `per_page`)
    InvalidParam { param: &'static str },
    /// `PATTERN_NOT_MATCHED` `Please check whether the input values are correct` HTTP 400
    PatternNotMatched { param: &'static str },
    /// `REQUIRED_PARAM_MISSING` `One of the expected parameter is missing` HTTP 400
    /// [seed crm-deactivate-data-sharing-rule.txt] [captured response]
    RequiredParamMissing { param: &'static str },
    /// `MANDATORY_NOT_FOUND` `Mandatory fields missing` `{"api_name":...}` HTTP 400 [Zoho v7 docs]
    MandatoryFieldsMissing { api_name: &'static str },
    /// `MANDATORY_NOT_FOUND` `required field not found` `{"api_name","json_path"}` HTTP 400
    RequiredFieldNotFound { api_name: &'static str },
    /// `INVALID_DATA` `invalid data` `{"api_name","expected_data_type","json_path"}` HTTP 400
    WrongType {
        api_name: &'static str,
        expected: &'static str,
        json_path: String,
    },
    /// `INVALID_DATA` `invalid data` `{"api_name","json_path","maximum_length"}` HTTP 400
    TooManyItems {
        api_name: &'static str,
        maximum_length: usize,
    },
    /// `AMBIGUITY_DURING_PROCESSING` `For public sharing, more than one json object is given` HTTP 400
    /// [Zoho v7 docs]
    AmbiguityDuringProcessing,
    /// `LIMIT_EXCEEDED` `The record sharing limit has been reached` HTTP 403 (POST share)
    /// [Zoho v7 docs] [SDK enum]
    LimitExceeded,
    /// `SHARE_LIMIT_EXCEEDED` `Cannot share a record to more than 10 users.` HTTP 403 (PUT share)
    /// [seed crm-update-share-permissions.txt]
    ShareLimitExceeded,
    /// `BAD_REQUEST` `No sharing through this record is available to revoke.` HTTP 400
    /// [seed crm-revoke-shared-records.txt]
    NothingToRevoke,
    /// `INVALID_DATA` `the given sharing rule id seems invalid` `{"resource_path_index":3}` HTTP 400
    /// [seed crm-deactivate-data-sharing-rule.txt] [captured response]
    RuleIdInvalid,
    /// Per-item errors inside the endpoint's wrapper key, HTTP 400.
    ItemErrors {
        wrapper: &'static str,
        items: Vec<ItemError>,
    },
    /// `INTERNAL_ERROR` `Internal Server Error` HTTP 500 [all four CRM seeds]
    InternalError,
    /// An injected fault: the status, code and message it asks for.
    Fault {
        status: StatusCode,
        code: String,
        message: String,
    },
}

/// One failed item of a bulk body: `{"code","details","message","status":"error"}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemError {
    pub code: &'static str,
    pub message: Cow<'static, str>,
    pub details: Value,
}

impl ItemError {
    pub fn new(code: &'static str, message: impl Into<Cow<'static, str>>, details: Value) -> Self {
        ItemError {
            code,
            message: message.into(),
            details,
        }
    }

    pub fn to_json(&self) -> Value {
        json!({"code": self.code, "details": self.details, "message": self.message, "status": "error"})
    }
}

/// Why one body item of a rules or settings request was refused; the wire case follows from
/// the kind (`ItemError::from`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// A mandatory key is absent (or `null`).
    Missing,
    /// Wrong type, enum value or shape; or an id naming nothing.
    Invalid,
    /// The item itself is not a JSON object.
    NotAnObject,
    /// Bulk update: the item's `id` names no rule of the module.
    UnknownRuleId,
    /// `status` may not be sent.
    StatusNotAllowed,
    /// Already used by another rule of the module, or by an earlier item.
    Duplicate,
    /// Not one of the values of this `regex` (`a|b|c`).
    NotOneOf(&'static str),
}

/// One refused item: what is wrong, with the offending key and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemIssue {
    pub kind: IssueKind,
    pub api_name: String,
    pub json_path: String,
}

impl ItemIssue {
    pub fn new(kind: IssueKind, api_name: &str, json_path: impl Into<String>) -> Self {
        ItemIssue {
            kind,
            api_name: api_name.to_owned(),
            json_path: json_path.into(),
        }
    }
}

impl From<&ItemIssue> for ItemError {
    fn from(issue: &ItemIssue) -> Self {
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
}

impl From<AuthFailure> for CrmError {
    fn from(failure: AuthFailure) -> Self {
        match failure {
            AuthFailure::Unusable => CrmError::AuthenticationFailure,
            AuthFailure::Invalid => CrmError::InvalidToken,
        }
    }
}

impl CrmError {
    /// The route-miss variant for a path: without the final period under
    /// `/crm/{any}/settings/data_sharing` (whole segments), with it everywhere else.
    pub fn route_miss(path: &str) -> Self {
        let mut segments = path.trim_start_matches('/').split('/');
        let crm = segments.next() == Some("crm");
        let _version = segments.next();
        if crm && segments.next() == Some("settings") && segments.next() == Some("data_sharing") {
            CrmError::InvalidUrlPatternDataSharing
        } else {
            CrmError::InvalidUrlPattern
        }
    }

    /// Status, code, message and details: the whole error table as one `match`.
    pub fn parts(&self) -> (StatusCode, Cow<'_, str>, Cow<'_, str>, Value) {
        use CrmError as E;
        let empty = || json!({});
        let (status, code, message, details): (StatusCode, &str, Cow<'_, str>, Value) = match self {
            E::InvalidUrlPattern => (
                StatusCode::NOT_FOUND,
                "INVALID_URL_PATTERN",
                "Please check if the URL trying to access is a correct one.".into(),
                empty(),
            ),
            E::InvalidUrlPatternDataSharing => (
                StatusCode::NOT_FOUND,
                "INVALID_URL_PATTERN",
                "Please check if the URL trying to access is a correct one".into(),
                empty(),
            ),
            E::InvalidRequestMethod => (
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST_METHOD",
                "The http request method type is not a valid one".into(),
                empty(),
            ),
            E::AuthenticationFailure => (
                StatusCode::UNAUTHORIZED,
                "AUTHENTICATION_FAILURE",
                "Authentication failed".into(),
                empty(),
            ),
            E::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                "INVALID_TOKEN",
                "invalid oauth token".into(),
                empty(),
            ),
            E::OAuthScopeMismatch => (
                StatusCode::UNAUTHORIZED,
                "OAUTH_SCOPE_MISMATCH",
                "invalid oauth scope to access this URL".into(),
                empty(),
            ),
            E::InvalidModule => (
                StatusCode::BAD_REQUEST,
                "INVALID_MODULE",
                "The module name given seems to be invalid".into(),
                empty(),
            ),
            E::InvalidModuleOnRead => (
                StatusCode::BAD_REQUEST,
                "INVALID_MODULE",
                "the module name given seems to be invalid".into(),
                empty(),
            ),
            E::InvalidModuleParam => (
                StatusCode::BAD_REQUEST,
                "INVALID_MODULE",
                "the module name given seems to be invalid".into(),
                json!({"param_name": "module"}),
            ),
            E::UnsupportedModule => (
                StatusCode::BAD_REQUEST,
                "INVALID_MODULE",
                "The given module is not supported in API".into(),
                empty(),
            ),
            E::EntityIdInvalid => (
                StatusCode::BAD_REQUEST,
                "INVALID_DATA",
                "ENTITY_ID_INVALID".into(),
                json!({"resource_path_index": 1}),
            ),
            E::EntityIdInvalidOnRevoke => (
                StatusCode::FORBIDDEN,
                "INVALID_DATA",
                "ENTITY_ID_INVALID".into(),
                json!({"resource_path_index": 1}),
            ),
            E::NoPermissionToShare => no_permission("Permission denied to share records"),
            E::NoPermissionToUpdate => no_permission("Permission denied to update records"),
            E::NoPermissionToDelete => no_permission("Permission denied to delete records"),
            E::NoPermissionToRead => no_permission("Permission denied to read"),
            E::NoPermission => no_permission("permission denied"),
            E::BodyNotJsonObject => (
                StatusCode::BAD_REQUEST,
                "INVALID_DATA",
                "invalid data".into(),
                json!({"expected_data_type": "jsonobject"}),
            ),
            E::InvalidParam { param } => (
                StatusCode::BAD_REQUEST,
                "INVALID_DATA",
                "invalid data".into(),
                json!({"param_name": param}),
            ),
            E::PatternNotMatched { param } => (
                StatusCode::BAD_REQUEST,
                "PATTERN_NOT_MATCHED",
                "Please check whether the input values are correct".into(),
                json!({"param_name": param}),
            ),
            E::RequiredParamMissing { param } => (
                StatusCode::BAD_REQUEST,
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing".into(),
                json!({"param_name": param}),
            ),
            E::MandatoryFieldsMissing { api_name } => (
                StatusCode::BAD_REQUEST,
                "MANDATORY_NOT_FOUND",
                "Mandatory fields missing".into(),
                json!({"api_name": api_name}),
            ),
            E::RequiredFieldNotFound { api_name } => (
                StatusCode::BAD_REQUEST,
                "MANDATORY_NOT_FOUND",
                "required field not found".into(),
                json!({"api_name": api_name, "json_path": format!("$.{api_name}")}),
            ),
            E::WrongType {
                api_name,
                expected,
                json_path,
            } => (
                StatusCode::BAD_REQUEST,
                "INVALID_DATA",
                "invalid data".into(),
                json!({"api_name": api_name, "expected_data_type": expected, "json_path": json_path}),
            ),
            E::TooManyItems {
                api_name,
                maximum_length,
            } => (
                StatusCode::BAD_REQUEST,
                "INVALID_DATA",
                "invalid data".into(),
                json!({"api_name": api_name, "json_path": format!("$.{api_name}"), "maximum_length": maximum_length}),
            ),
            E::AmbiguityDuringProcessing => (
                StatusCode::BAD_REQUEST,
                "AMBIGUITY_DURING_PROCESSING",
                "For public sharing, more than one json object is given".into(),
                empty(),
            ),
            E::LimitExceeded => (
                StatusCode::FORBIDDEN,
                "LIMIT_EXCEEDED",
                "The record sharing limit has been reached".into(),
                empty(),
            ),
            E::ShareLimitExceeded => (
                StatusCode::FORBIDDEN,
                "SHARE_LIMIT_EXCEEDED",
                "Cannot share a record to more than 10 users.".into(),
                empty(),
            ),
            E::NothingToRevoke => (
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "No sharing through this record is available to revoke.".into(),
                empty(),
            ),
            E::RuleIdInvalid => (
                StatusCode::BAD_REQUEST,
                "INVALID_DATA",
                "the given sharing rule id seems invalid".into(),
                json!({"resource_path_index": 3}),
            ),
            E::ItemErrors { .. } => (StatusCode::BAD_REQUEST, "", "".into(), Value::Null),
            E::InternalError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "Internal Server Error".into(),
                empty(),
            ),
            E::Fault {
                status,
                code,
                message,
            } => (*status, code.as_str(), message.as_str().into(), empty()),
        };
        (status, Cow::Borrowed(code), message, details)
    }

    pub fn to_json(&self) -> Value {
        if let CrmError::ItemErrors { wrapper, items } = self {
            let items: Vec<Value> = items.iter().map(ItemError::to_json).collect();
            return json!({ *wrapper: items });
        }
        let (_, code, message, details) = self.parts();
        json!({"code": code, "details": details, "message": message, "status": "error"})
    }
}

fn no_permission(message: &'static str) -> (StatusCode, &'static str, Cow<'static, str>, Value) {
    (
        StatusCode::FORBIDDEN,
        "NO_PERMISSION",
        message.into(),
        json!({}),
    )
}

impl IntoResponse for CrmError {
    fn into_response(self) -> Response {
        let (status, ..) = self.parts();
        response::json(status, &self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_is_exact() {
        assert_eq!(
            serde_json::to_string(&CrmError::InvalidToken.to_json()).unwrap(),
            r#"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#
        );
        assert_eq!(
            serde_json::to_string(&CrmError::EntityIdInvalidOnRevoke.to_json()).unwrap(),
            r#"{"code":"INVALID_DATA","details":{"resource_path_index":1},"message":"ENTITY_ID_INVALID","status":"error"}"#
        );
        assert_eq!(
            CrmError::EntityIdInvalidOnRevoke.parts().0,
            StatusCode::FORBIDDEN
        );
        let items = CrmError::ItemErrors {
            wrapper: "share",
            items: vec![ItemError::new(
                "INVALID_DATA",
                "Permission is invalid",
                json!({"api_name": "permission", "json_path": "$.share[1].permission"}),
            )],
        };
        assert_eq!(
            serde_json::to_string(&items.to_json()).unwrap(),
            r#"{"share":[{"code":"INVALID_DATA","details":{"api_name":"permission","json_path":"$.share[1].permission"},"message":"Permission is invalid","status":"error"}]}"#
        );
    }

    #[test]
    fn route_miss_message_follows_the_segments() {
        assert_eq!(
            CrmError::route_miss("/crm/v9/settings/data_sharing/rules/x/y"),
            CrmError::InvalidUrlPatternDataSharing
        );
        assert_eq!(
            CrmError::route_miss("/crm/v8/settings/data_sharing_x"),
            CrmError::InvalidUrlPattern
        );
        assert_eq!(
            CrmError::route_miss("/nothing"),
            CrmError::InvalidUrlPattern
        );
    }
}

/// Which CRM endpoint family a path belongs to, for the texts of injected faults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint {
    RecordSharing,
    DataSharing,
    Other,
}

fn endpoint_of(path: &str) -> Endpoint {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["crm", _, "settings", "data_sharing", ..] => Endpoint::DataSharing,
        ["crm", _, _, _, "actions", "share"] => Endpoint::RecordSharing,
        _ => Endpoint::Other,
    }
}

/// The message of an injected fault with no message of its own: the text this endpoint gives
/// the code, else the first row for the code in the common table, else the code itself
/// (spec auth-and-errors.md §9).
pub fn fault_message(method: &axum::http::Method, path: &str, code: &str) -> String {
    use axum::http::Method;
    let endpoint = endpoint_of(path);
    let per_verb =
        |post: &'static str, put: &'static str, delete: &'static str, get: &'static str| {
            if *method == Method::POST {
                post
            } else if *method == Method::PUT {
                put
            } else if *method == Method::DELETE {
                delete
            } else {
                get
            }
        };
    let specific: Option<&'static str> = match (endpoint, code) {
        (Endpoint::RecordSharing, "AUTHORIZATION_FAILED") => Some(per_verb(
            "User does not have sufficient privilege to share records",
            "User does not have sufficient privilege to update records",
            "User does not have sufficient privilege to delete records",
            "User does not have sufficient privilege to read.",
        )),
        (Endpoint::RecordSharing, "NO_PERMISSION") => Some(per_verb(
            "Permission denied to share records",
            "Permission denied to update records",
            "Permission denied to delete records",
            "Permission denied to read",
        )),
        (Endpoint::RecordSharing, "CANNOT_PROCESS") => Some("Scheduler is running"),
        (Endpoint::RecordSharing, "INVALID_MODULE") => Some(per_verb(
            "The module name given seems to be invalid",
            "The module name given seems to be invalid",
            "The module name given seems to be invalid",
            "the module name given seems to be invalid",
        )),
        (Endpoint::RecordSharing, "INVALID_DATA") => Some("ENTITY_ID_INVALID"),
        (Endpoint::RecordSharing, "MANDATORY_NOT_FOUND") => Some("Mandatory fields missing"),
        (Endpoint::RecordSharing, "DUPLICATE_DATA") | (Endpoint::DataSharing, "DUPLICATE_DATA") => {
            Some("duplicate data")
        }
        (Endpoint::RecordSharing, "PATTERN_NOT_MATCHED") => {
            Some("Please check whether the input values are correct")
        }
        (Endpoint::RecordSharing, "LIMIT_EXCEEDED") => {
            Some("The record sharing limit has been reached")
        }
        (Endpoint::RecordSharing, "SHARE_LIMIT_EXCEEDED") => {
            Some("Cannot share a record to more than 10 users.")
        }
        (Endpoint::RecordSharing, "BAD_REQUEST") => {
            Some("No sharing through this record is available to revoke.")
        }
        (Endpoint::RecordSharing, "AMBIGUITY_DURING_PROCESSING") => {
            Some("For public sharing, more than one json object is given")
        }
        (Endpoint::DataSharing, "INVALID_URL_PATTERN") => {
            Some("Please check if the URL trying to access is a correct one")
        }
        (Endpoint::DataSharing, "NO_PERMISSION") => Some("permission denied"),
        (Endpoint::DataSharing, "CANNOT_PROCESS") => {
            Some("Sharing rule computation is in process. Please try after sometime.")
        }
        (Endpoint::DataSharing, "INVALID_DATA") => Some("the given sharing rule id seems invalid"),
        (Endpoint::DataSharing, "REQUIRED_PARAM_MISSING") => {
            Some("One of the expected parameter is missing")
        }
        (Endpoint::DataSharing, "INVALID_MODULE") => {
            Some("the module name given seems to be invalid")
        }
        (Endpoint::DataSharing, "ID_ALREADY_ACTIVE") => {
            Some("data sharing rule is already activated.")
        }
        (Endpoint::DataSharing, "ID_ALREADY_DEACTIVATED") => {
            Some("data sharing rule is already deactivated.")
        }
        (Endpoint::DataSharing, "MANDATORY_NOT_FOUND") => Some("required field not found"),
        (Endpoint::DataSharing, "NOT_ALLOWED") => Some("status is not allowed in this api"),
        _ => None,
    };
    let common = || -> Option<&'static str> {
        Some(match code {
            "INVALID_URL_PATTERN" => "Please check if the URL trying to access is a correct one.",
            "INVALID_REQUEST_METHOD" => "The http request method type is not a valid one",
            "AUTHENTICATION_FAILURE" => "Authentication failed",
            "INVALID_TOKEN" => "invalid oauth token",
            "OAUTH_SCOPE_MISMATCH" => "invalid oauth scope to access this URL",
            "INVALID_MODULE" => "The module name given seems to be invalid",
            "INVALID_DATA" => "invalid data",
            "INTERNAL_ERROR" => "Internal Server Error",
            "TOO_MANY_REQUESTS" => "too many requests",
            _ => return None,
        })
    };
    specific
        .or_else(common)
        .map_or_else(|| code.to_owned(), str::to_owned)
}

#[cfg(test)]
mod fault_message_tests {
    use super::fault_message;
    use axum::http::Method;

    #[test]
    fn endpoint_texts_then_common_then_code() {
        let share = "/crm/v8/Leads/1/actions/share";
        assert_eq!(
            fault_message(&Method::PUT, share, "AUTHORIZATION_FAILED"),
            "User does not have sufficient privilege to update records"
        );
        assert_eq!(
            fault_message(&Method::POST, share, "CANNOT_PROCESS"),
            "Scheduler is running"
        );
        assert_eq!(
            fault_message(
                &Method::DELETE,
                "/crm/v8/settings/data_sharing/rules/1/actions/activate",
                "CANNOT_PROCESS"
            ),
            "Sharing rule computation is in process. Please try after sometime."
        );
        assert_eq!(
            fault_message(&Method::GET, "/crm/v8/users", "INTERNAL_ERROR"),
            "Internal Server Error"
        );
        assert_eq!(
            fault_message(&Method::GET, "/crm/v8/users", "TOO_MANY_REQUESTS"),
            "too many requests"
        );
        assert_eq!(
            fault_message(&Method::GET, "/crm/v8/users", "SOMETHING"),
            "SOMETHING"
        );
    }
}

/// The answer of an injected fault on a CRM path (and on every path no other family claims):
/// the fault's code, else `INTERNAL_ERROR` (`TOO_MANY_REQUESTS` for 429), and its message,
/// else the text this endpoint gives the code.
pub fn fault_response(
    fault: &Fault,
    status: StatusCode,
    method: &axum::http::Method,
    path: &str,
) -> Response {
    let code = match &fault.code {
        Some(FaultCode::Text(text)) => text.clone(),
        Some(FaultCode::Number(n)) => n.to_string(),
        None if status == StatusCode::TOO_MANY_REQUESTS => "TOO_MANY_REQUESTS".to_owned(),
        None => "INTERNAL_ERROR".to_owned(),
    };
    let message = fault
        .message
        .clone()
        .unwrap_or_else(|| fault_message(method, path, &code));
    CrmError::Fault {
        status,
        code,
        message,
    }
    .into_response()
}

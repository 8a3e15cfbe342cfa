//! CRM errors. [`CASES`] is the one table of every documented CRM error case: its status, code
//! and message, and where an injected fault takes its text. [`CrmError`] (a whole-request
//! error), [`ItemError`] (one failed item of a bulk body) and [`fault_response`] all read it,
//! and this file holds the one renderer of Zoho's CRM envelope
//! `{"code","details","message","status":"error"}`.

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::auth::AuthFailure;
use crate::faults::{Fault, FaultCode};
use crate::response;

/// A documented CRM answer: one status, code and message. Several [`CrmError`]s may share a
/// case (`INVALID_DATA` `invalid data` comes with many `details`); a case is never written
/// twice. The comment above each row of [`CASES`] names its evidence (spec README's tags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    InvalidUrlPattern,
    InvalidUrlPatternDataSharing,
    InvalidRequestMethod,
    AuthenticationFailure,
    InvalidToken,
    OAuthScopeMismatch,
    InvalidModule,
    InvalidModuleLowercase,
    UnsupportedModule,
    InvalidData,
    InternalError,
    TooManyRequests,
    PatternNotMatched,
    RequiredParamMissing,
    MandatoryFieldsMissing,
    RequiredFieldNotFound,
    EntityIdInvalid,
    EntityIdInvalidOnRevoke,
    NoPermissionToShare,
    NoPermissionToUpdate,
    NoPermissionToDelete,
    NoPermissionToRead,
    AuthorizationFailedToShare,
    AuthorizationFailedToUpdate,
    AuthorizationFailedToDelete,
    AuthorizationFailedToRead,
    SchedulerRunning,
    TypeOrPermissionIncorrect,
    PermissionInvalid,
    CannotShareTo,
    AlreadyVisible,
    DuplicateData,
    AmbiguityDuringProcessing,
    LimitExceeded,
    ShareLimitExceeded,
    NothingToRevoke,
    NoPermission,
    RuleIdInvalid,
    StatusNotAllowed,
    RuleComputationRunning,
    IdAlreadyActive,
    IdAlreadyDeactivated,
    IdInvalid,
    IdInvalidOrDeleted,
    NoPermissionToViewGroups,
    AuthorizationFailedToReadRoles,
    NoPermissionToAddRecords,
    NoPermissionToReadRecords,
    NoPermissionToUpdateRecordsModule,
    NoPermissionToDeleteRecordsModule,
    FieldsLimitExceeded,
    UnableToParseDataType,
    RecordNotDeleted,
    NoPermissionOnRecord,
    AuthorizationFailedToAdd,
}

/// The calls of the record-sharing endpoint, as bits: where a text differs by call.
pub type Calls = u8;
pub const READ: Calls = 1;
pub const SHARE: Calls = 2;
pub const UPDATE: Calls = 4;
pub const REVOKE: Calls = 8;
pub const ANY_CALL: Calls = READ | SHARE | UPDATE | REVOKE;

/// Where a fault with a case's code (and no message of its own) takes the case's message
/// (spec auth-and-errors.md §9: the text this spec gives the code on that endpoint, else the
/// first row for it in §7, else the code itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultText {
    /// The first row for the code in the common table (auth-and-errors.md §7): any CRM path.
    Common,
    /// `/crm/{v}/{module}/{id}/actions/share`, for these calls.
    RecordSharing(Calls),
    /// `/crm/{v}/settings/data_sharing...`.
    DataSharing,
    /// The discovery paths (`/settings/roles`, `/settings/user_groups`, `/settings/profiles`,
    /// `/users/{id}`), for these of them.
    Settings(SettingsPaths),
    /// The Records API (`/crm/{v}/{module}`, `/crm/{v}/{module}/{record_id}`), for these calls
    /// (`SHARE` is the insert).
    Records(Calls),
}

/// The discovery paths, as bits: where a text differs by path.
pub type SettingsPaths = u8;
pub const ROLES: SettingsPaths = 1;
pub const USER_GROUPS: SettingsPaths = 2;
pub const PROFILES: SettingsPaths = 4;
pub const ONE_USER: SettingsPaths = 8;

/// One row of [`CASES`].
#[derive(Debug)]
pub struct Row {
    pub case: Case,
    /// The answer's status when the case is the whole answer (per-item cases: the status of an
    /// answer that carries them).
    pub status: StatusCode,
    pub code: &'static str,
    pub message: &'static str,
    pub fault_text: &'static [FaultText],
}

const fn row(
    case: Case,
    status: StatusCode,
    code: &'static str,
    message: &'static str,
    fault_text: &'static [FaultText],
) -> Row {
    Row {
        case,
        status,
        code,
        message,
        fault_text,
    }
}

use Case as C;
use FaultText::{Common, DataSharing, RecordSharing, Records, Settings};
use StatusCode as S;

/// Every documented CRM case, in the order of the spec's tables; `CASES[case as usize]` is
/// the case's row (a unit test checks it).
#[rustfmt::skip]
pub static CASES: [Row; 55] = [
    // auth-and-errors.md §7, the common table.
    // [seed crm-revoke-shared-records.txt] [seed crm-update-share-permissions.txt] [SDK enum]
    row(C::InvalidUrlPattern, S::NOT_FOUND, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one.", &[Common]),
    // Paths under /crm/{v}/settings/data_sharing (no period) [seed crm-deactivate-data-sharing-rule.txt]
    row(C::InvalidUrlPatternDataSharing, S::NOT_FOUND, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one", &[DataSharing]),
    // [all four CRM seeds]
    row(C::InvalidRequestMethod, S::BAD_REQUEST, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one", &[Common]),
    // [seed crm-deactivate-data-sharing-rule.txt]
    row(C::AuthenticationFailure, S::UNAUTHORIZED, "AUTHENTICATION_FAILURE", "Authentication failed", &[Common]),
    // [captured response] [SDK enum]
    row(C::InvalidToken, S::UNAUTHORIZED, "INVALID_TOKEN", "invalid oauth token", &[Common]),
    // [all four CRM seeds] (pair); [captured response] (message)
    row(C::OAuthScopeMismatch, S::UNAUTHORIZED, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL", &[Common]),
    // POST/PUT/DELETE share [seed crm-revoke-shared-records.txt] [seed crm-update-share-permissions.txt]
    row(C::InvalidModule, S::BAD_REQUEST, "INVALID_MODULE", "The module name given seems to be invalid", &[Common, RecordSharing(SHARE | UPDATE | REVOKE)]),
    // GET share, and the rules family [Zoho v7 docs] [SDK enum]
    row(C::InvalidModuleLowercase, S::BAD_REQUEST, "INVALID_MODULE", "the module name given seems to be invalid", &[RecordSharing(READ), DataSharing]),
    // Documents, Projects [seed crm-revoke-shared-records.txt] [seed crm-update-share-permissions.txt]
    row(C::UnsupportedModule, S::BAD_REQUEST, "INVALID_MODULE", "The given module is not supported in API", &[]),
    // A body that is not a JSON object; also bad parameters, types and sizes [mock's choice]
    row(C::InvalidData, S::BAD_REQUEST, "INVALID_DATA", "invalid data", &[Common]),
    // Faults only [all four CRM seeds]
    row(C::InternalError, S::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal Server Error", &[Common]),
    // Faults only [Kaizen #203] (code); [mock's choice] (message)
    row(C::TooManyRequests, S::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS", "too many requests", &[Common]),
    // Query parameters: sharedTo, view (crm-record-sharing.md §6)
    row(C::PatternNotMatched, S::BAD_REQUEST, "PATTERN_NOT_MATCHED", "Please check whether the input values are correct", &[RecordSharing(ANY_CALL)]),
    // [seed crm-deactivate-data-sharing-rule.txt] [captured response]
    row(C::RequiredParamMissing, S::BAD_REQUEST, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", &[DataSharing]),
    // The share body's wrapper or an item's key [Zoho v7 docs]
    row(C::MandatoryFieldsMissing, S::BAD_REQUEST, "MANDATORY_NOT_FOUND", "Mandatory fields missing", &[RecordSharing(ANY_CALL)]),
    // The rules and settings bodies' wrapper or an item's key (crm-data-sharing-rules.md §8)
    row(C::RequiredFieldNotFound, S::BAD_REQUEST, "MANDATORY_NOT_FOUND", "required field not found", &[DataSharing]),
    // crm-record-sharing.md: record id unknown [seed crm-update-share-permissions.txt]
    row(C::EntityIdInvalid, S::BAD_REQUEST, "INVALID_DATA", "ENTITY_ID_INVALID", &[RecordSharing(ANY_CALL)]),
    // The same on DELETE, where the seed gives 403 [seed crm-revoke-shared-records.txt]
    row(C::EntityIdInvalidOnRevoke, S::FORBIDDEN, "INVALID_DATA", "ENTITY_ID_INVALID", &[]),
    // [Zoho v7 docs]
    row(C::NoPermissionToShare, S::FORBIDDEN, "NO_PERMISSION", "Permission denied to share records", &[RecordSharing(SHARE)]),
    // [seed crm-update-share-permissions.txt]
    row(C::NoPermissionToUpdate, S::FORBIDDEN, "NO_PERMISSION", "Permission denied to update records", &[RecordSharing(UPDATE)]),
    // [seed crm-revoke-shared-records.txt]
    row(C::NoPermissionToDelete, S::FORBIDDEN, "NO_PERMISSION", "Permission denied to delete records", &[RecordSharing(REVOKE)]),
    // GET share [Zoho v7 docs]; roles [Zoho v7 docs] and profiles [mock's choice] (crm-settings-and-search.md §3.4, §5.4)
    row(C::NoPermissionToRead, S::FORBIDDEN, "NO_PERMISSION", "Permission denied to read", &[RecordSharing(READ), Settings(ROLES | PROFILES)]),
    // Faults only [Zoho v7 docs]
    row(C::AuthorizationFailedToShare, S::BAD_REQUEST, "AUTHORIZATION_FAILED", "User does not have sufficient privilege to share records", &[RecordSharing(SHARE)]),
    // Faults only [seed crm-update-share-permissions.txt]
    row(C::AuthorizationFailedToUpdate, S::BAD_REQUEST, "AUTHORIZATION_FAILED", "User does not have sufficient privilege to update records", &[RecordSharing(UPDATE), Records(UPDATE)]),
    // Faults only [seed crm-revoke-shared-records.txt]
    row(C::AuthorizationFailedToDelete, S::BAD_REQUEST, "AUTHORIZATION_FAILED", "User does not have sufficient privilege to delete records", &[RecordSharing(REVOKE), Records(REVOKE)]),
    // Faults only [Zoho v7 docs]
    row(C::AuthorizationFailedToRead, S::BAD_REQUEST, "AUTHORIZATION_FAILED", "User does not have sufficient privilege to read.", &[RecordSharing(READ)]),
    // Faults only [Zoho v7 docs] [SDK enum]
    row(C::SchedulerRunning, S::BAD_REQUEST, "CANNOT_PROCESS", "Scheduler is running", &[RecordSharing(ANY_CALL)]),
    // POST item: bad `type` or `permission` [Zoho v7 docs]
    row(C::TypeOrPermissionIncorrect, S::BAD_REQUEST, "INVALID_DATA", "Either the value for \"permission\" or the \"type\" key is incorrect.", &[]),
    // PUT item: bad `permission` [seed crm-update-share-permissions.txt]
    row(C::PermissionInvalid, S::BAD_REQUEST, "INVALID_DATA", "Permission is invalid", &[]),
    // Item naming no active user, group or role [Zoho v7 docs]
    row(C::CannotShareTo, S::BAD_REQUEST, "INVALID_DATA", "cannot share to the user", &[]),
    // POST item naming the record owner [Zoho v7 docs]
    row(C::AlreadyVisible, S::BAD_REQUEST, "INVALID_DATA", "record is already visible to the user.", &[]),
    // A repeated item; a taken rule name or settings module
    row(C::DuplicateData, S::BAD_REQUEST, "DUPLICATE_DATA", "duplicate data", &[RecordSharing(ANY_CALL), DataSharing]),
    // [Zoho v7 docs]
    row(C::AmbiguityDuringProcessing, S::BAD_REQUEST, "AMBIGUITY_DURING_PROCESSING", "For public sharing, more than one json object is given", &[RecordSharing(ANY_CALL)]),
    // POST share [Zoho v7 docs] [SDK enum]
    row(C::LimitExceeded, S::FORBIDDEN, "LIMIT_EXCEEDED", "The record sharing limit has been reached", &[RecordSharing(ANY_CALL)]),
    // PUT share [seed crm-update-share-permissions.txt]
    row(C::ShareLimitExceeded, S::FORBIDDEN, "SHARE_LIMIT_EXCEEDED", "Cannot share a record to more than 10 users.", &[RecordSharing(ANY_CALL)]),
    // [seed crm-revoke-shared-records.txt]
    row(C::NothingToRevoke, S::BAD_REQUEST, "BAD_REQUEST", "No sharing through this record is available to revoke.", &[RecordSharing(ANY_CALL)]),
    // crm-data-sharing-rules.md: not an Administrator [SDK enum]
    row(C::NoPermission, S::FORBIDDEN, "NO_PERMISSION", "permission denied", &[DataSharing]),
    // [seed crm-deactivate-data-sharing-rule.txt] [captured response]
    row(C::RuleIdInvalid, S::BAD_REQUEST, "INVALID_DATA", "the given sharing rule id seems invalid", &[DataSharing]),
    // A rule item that sends `status`
    row(C::StatusNotAllowed, S::BAD_REQUEST, "NOT_ALLOWED", "status is not allowed in this api", &[DataSharing]),
    // Inside `sharing_rules` [seed crm-deactivate-data-sharing-rule.txt]
    row(C::RuleComputationRunning, S::BAD_REQUEST, "CANNOT_PROCESS", "Sharing rule computation is in process. Please try after sometime.", &[DataSharing]),
    // Inside `sharing_rules` [captured response]
    row(C::IdAlreadyActive, S::BAD_REQUEST, "ID_ALREADY_ACTIVE", "data sharing rule is already activated.", &[DataSharing]),
    // Inside `sharing_rules` [seed crm-deactivate-data-sharing-rule.txt]
    row(C::IdAlreadyDeactivated, S::BAD_REQUEST, "ID_ALREADY_DEACTIVATED", "data sharing rule is already deactivated.", &[DataSharing]),
    // crm-settings-and-search.md: an unknown role, group or user id [mock's choice] (text from [SDK enum]); groups [Zoho v7 docs] (code)
    row(C::IdInvalid, S::BAD_REQUEST, "INVALID_DATA", "the id given seems to be invalid", &[Settings(ROLES | USER_GROUPS | ONE_USER)]),
    // An unknown profile id [SDK enum]
    row(C::IdInvalidOrDeleted, S::BAD_REQUEST, "INVALID_DATA", "the id given seems to be invalid or already deleted", &[Settings(PROFILES)]),
    // User groups, caller not Administrator [Zoho v7 docs]
    row(C::NoPermissionToViewGroups, S::FORBIDDEN, "NO_PERMISSION", "You do not have permission to view the user groups.", &[Settings(USER_GROUPS)]),
    // Roles, faults only [Zoho v7 docs]
    row(C::AuthorizationFailedToReadRoles, S::BAD_REQUEST, "AUTHORIZATION_FAILED", "User does not have sufficient privilege to read roles", &[Settings(ROLES)]),
    // crm-records-and-access.md §13: the profile refuses the operation on the module [Zoho v7 docs]
    row(C::NoPermissionToAddRecords, S::FORBIDDEN, "NO_PERMISSION", "Permission denied to add records", &[Records(SHARE)]),
    row(C::NoPermissionToReadRecords, S::FORBIDDEN, "NO_PERMISSION", "Permission denied to read records", &[Records(READ)]),
    row(C::NoPermissionToUpdateRecordsModule, S::FORBIDDEN, "NO_PERMISSION", "Permission denied to update", &[Records(UPDATE)]),
    row(C::NoPermissionToDeleteRecordsModule, S::FORBIDDEN, "NO_PERMISSION", "Permission denied to delete", &[Records(REVOKE)]),
    // `fields` names more than 50 keys [Zoho v7 docs]
    row(C::FieldsLimitExceeded, S::BAD_REQUEST, "LIMIT_EXCEEDED", "Fields limit exceeded.", &[Records(READ)]),
    // A bulk delete's `ids` entry that is not digits [Zoho v7 docs]
    row(C::UnableToParseDataType, S::BAD_REQUEST, "UNABLE_TO_PARSE_DATA_TYPE", "either the request body or parameters is in wrong format", &[Records(ANY_CALL)]),
    // Item: a delete of a record that is absent or hidden [Zoho v7 docs]
    row(C::RecordNotDeleted, S::BAD_REQUEST, "INVALID_DATA", "record not deleted", &[]),
    // Item: the caller's level is below the operation's [SDK enum]
    row(C::NoPermissionOnRecord, S::BAD_REQUEST, "NO_PERMISSION", "no permission to perform an action on this record", &[]),
    // Faults only [Zoho v7 docs]
    row(C::AuthorizationFailedToAdd, S::BAD_REQUEST, "AUTHORIZATION_FAILED", "User does not have sufficient privilege to add records", &[Records(SHARE)]),
];

impl Case {
    pub fn row(self) -> &'static Row {
        let row = &CASES[self as usize];
        debug_assert_eq!(row.case, self, "CASES is in the order of Case");
        row
    }
}

/// Every whole-request CRM error: a [`Case`] with its `details`. Variants name the situation
/// (its spec table row); the texts are in [`CASES`].
#[derive(Clone, Debug, PartialEq)]
pub enum CrmError {
    /// No route matches (also an unsupported version). HTTP 404.
    InvalidUrlPattern,
    /// The same under `/crm/{v}/settings/data_sharing` (whole segments).
    InvalidUrlPatternDataSharing,
    /// The route exists, the method is not allowed on it (HEAD and OPTIONS included).
    InvalidRequestMethod,
    /// The `Authorization` header is missing or unusable.
    AuthenticationFailure,
    /// The token is unknown, expired or revoked, or its user is not active.
    InvalidToken,
    /// No granted scope covers the required one (and Tasks, Events, Calls on record sharing).
    OAuthScopeMismatch,
    /// Unknown module on POST/PUT/DELETE share.
    InvalidModule,
    /// Unknown module on GET share.
    InvalidModuleOnRead,
    /// Unknown or unsupported `module` parameter in the rules family, `{"param_name":"module"}`.
    InvalidModuleParam,
    /// Documents, Projects on record sharing.
    UnsupportedModule,
    /// Unknown record, `{"resource_path_index":1}`.
    EntityIdInvalid,
    /// The same on DELETE share (HTTP 403).
    EntityIdInvalidOnRevoke,
    /// Neither Administrator nor owner: POST share.
    NoPermissionToShare,
    /// PUT share.
    NoPermissionToUpdate,
    /// DELETE share.
    NoPermissionToDelete,
    /// GET share; roles and profiles, not an Administrator.
    NoPermissionToRead,
    /// User groups, not an Administrator.
    NoPermissionToViewGroups,
    /// Records API: the profile has no `create` on the module.
    NoPermissionToAddRecords,
    /// Records API: no `view`.
    NoPermissionToReadRecords,
    /// Records API: no `edit`.
    NoPermissionToUpdateRecordsModule,
    /// Records API: no `delete`.
    NoPermissionToDeleteRecordsModule,
    /// `fields` names more than 50 keys, `{"maximum_length":50,"param_name":"fields"}`.
    FieldsLimitExceeded,
    /// A bulk delete's `ids` entry that is empty or not digits, `{"param_name":"ids"}`.
    IdsUnparsable,
    /// More than 100 `ids` in a bulk delete, `{"maximum_length":100,"param_name":"ids"}`.
    TooManyIds,
    /// Not an Administrator (rules family).
    NoPermission,
    /// A required body is not a JSON object, `{"expected_data_type":"jsonobject"}`.
    BodyNotJsonObject,
    /// A bad query parameter (`type`, `page`, `per_page`), `{"param_name"}`.
    InvalidParam { param: &'static str },
    /// A query parameter of the wrong pattern (`sharedTo`, `view`), `{"param_name"}`.
    PatternNotMatched { param: &'static str },
    /// A missing query parameter, `{"param_name"}`.
    RequiredParamMissing { param: &'static str },
    /// The share body's wrapper missing or empty, `{"api_name"}`.
    MandatoryFieldsMissing { api_name: &'static str },
    /// A rules or settings body's wrapper missing or empty, `{"api_name","json_path"}`.
    RequiredFieldNotFound { api_name: &'static str },
    /// A body key of the wrong type, `{"api_name","expected_data_type","json_path"}`.
    WrongType {
        api_name: &'static str,
        expected: &'static str,
        json_path: String,
    },
    /// More items than a call takes, `{"api_name","json_path","maximum_length"}`.
    TooManyItems {
        api_name: &'static str,
        maximum_length: usize,
    },
    /// A public share item together with others, or mixing with the stored shares (POST).
    AmbiguityDuringProcessing,
    /// POST over the record's share limits.
    LimitExceeded,
    /// PUT over the record's share limits.
    ShareLimitExceeded,
    /// DELETE of a record with no share.
    NothingToRevoke,
    /// A path rule id that names no rule of the module, `{"resource_path_index":3}`.
    RuleIdInvalid,
    /// A path role, group or user id that names nothing of the org, `{"resource_path_index"}`
    /// (the index of the id's segment after the version).
    IdInvalid { resource_path_index: u8 },
    /// A path profile id that names no profile of the org, `{"resource_path_index":2}`.
    ProfileIdInvalid,
    /// A key missing from a body, at any depth, `{"api_name","json_path"}`.
    RequiredFieldNotFoundAt {
        api_name: &'static str,
        json_path: String,
    },
    /// A body key of a bad value, at any depth, `{"api_name","json_path"}`.
    InvalidDataAt {
        api_name: &'static str,
        json_path: String,
    },
    /// Per-item errors inside the endpoint's wrapper key, HTTP 400.
    ItemErrors {
        wrapper: &'static str,
        items: Vec<ItemError>,
    },
    /// A state the checks make impossible (an org gone under the lock); never expected.
    InternalError,
    /// An injected fault: the status, code and message it asks for.
    Fault {
        status: StatusCode,
        code: String,
        message: String,
    },
}

/// One failed item of a bulk body: a case and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemError {
    pub case: Case,
    pub details: Value,
}

impl ItemError {
    pub fn new(case: Case, details: Value) -> Self {
        ItemError { case, details }
    }

    pub fn to_json(&self) -> Value {
        envelope(self.case.row().code, self.case.row().message, &self.details)
    }
}

fn envelope(code: &str, message: &str, details: &Value) -> Value {
    json!({"code": code, "details": details, "message": message, "status": "error"})
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
    /// A criteria group nested deeper than this many groups.
    TooDeep(usize),
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
            IssueKind::Missing => ItemError::new(Case::RequiredFieldNotFound, located()),
            IssueKind::Invalid => ItemError::new(Case::InvalidData, located()),
            IssueKind::NotAnObject => ItemError::new(
                Case::InvalidData,
                json!({"api_name": issue.api_name, "expected_data_type": "jsonobject", "json_path": issue.json_path}),
            ),
            IssueKind::UnknownRuleId => ItemError::new(Case::RuleIdInvalid, located()),
            IssueKind::StatusNotAllowed => ItemError::new(Case::StatusNotAllowed, located()),
            IssueKind::Duplicate => ItemError::new(Case::DuplicateData, located()),
            IssueKind::NotOneOf(regex) => ItemError::new(
                Case::InvalidData,
                json!({"api_name": issue.api_name, "json_path": issue.json_path, "regex": regex}),
            ),
            IssueKind::TooDeep(maximum_depth) => ItemError::new(
                Case::InvalidData,
                json!({"api_name": issue.api_name, "json_path": issue.json_path, "maximum_depth": maximum_depth}),
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

/// The first segments after `/crm/{v}/` that are never module names (spec
/// crm-records-and-access.md §14): exact and lower-case, so `Settings` is an unknown module.
pub const RESERVED_FIRST_SEGMENTS: [&str; 3] = ["users", "org", "settings"];

/// Which CRM endpoint a path belongs to, where texts differ by endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `/crm/{v}/{module}/{record_id}/actions/share`
    RecordSharing,
    /// `/crm/{v}/settings/data_sharing` and below (whole segments).
    DataSharing,
    /// `/crm/{v}/settings/roles`, `/settings/user_groups`, `/settings/profiles` (and below),
    /// `/users/{id}`: one of [`ROLES`], [`USER_GROUPS`], [`PROFILES`], [`ONE_USER`].
    Settings(SettingsPaths),
    /// `/crm/{v}/{module}` and `/crm/{v}/{module}/{record_id}` (the Records API).
    Records,
    Other,
}

impl Endpoint {
    pub fn of(path: &str) -> Endpoint {
        let mut segments = path.trim_start_matches('/').split('/');
        let (first, _version) = (segments.next(), segments.next());
        if first != Some("crm") {
            return Endpoint::Other;
        }
        let rest: [Option<&str>; 4] = [
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ];
        match rest {
            [Some("settings"), Some("data_sharing"), ..] => Endpoint::DataSharing,
            [Some("settings"), Some("roles"), ..] => Endpoint::Settings(ROLES),
            [Some("settings"), Some("user_groups"), ..] => Endpoint::Settings(USER_GROUPS),
            [Some("settings"), Some("profiles"), ..] => Endpoint::Settings(PROFILES),
            [Some("users"), Some(_), None, None] => Endpoint::Settings(ONE_USER),
            [Some(_), Some(_), Some("actions"), Some("share")] if segments.next().is_none() => {
                Endpoint::RecordSharing
            }
            [Some(module), _, None, None] if !RESERVED_FIRST_SEGMENTS.contains(&module) => {
                Endpoint::Records
            }
            _ => Endpoint::Other,
        }
    }
}

impl CrmError {
    /// The route-miss answer for a path: without the final period under
    /// `/crm/{any}/settings/data_sharing`, with it everywhere else.
    pub fn route_miss(path: &str) -> Self {
        match Endpoint::of(path) {
            Endpoint::DataSharing => CrmError::InvalidUrlPatternDataSharing,
            Endpoint::RecordSharing
            | Endpoint::Settings(_)
            | Endpoint::Records
            | Endpoint::Other => CrmError::InvalidUrlPattern,
        }
    }

    /// The case of every error but an injected fault (which brings its own texts) and per-item
    /// errors (which are many).
    pub fn case(&self) -> Option<Case> {
        use CrmError as E;
        Some(match self {
            E::InvalidUrlPattern => Case::InvalidUrlPattern,
            E::InvalidUrlPatternDataSharing => Case::InvalidUrlPatternDataSharing,
            E::InvalidRequestMethod => Case::InvalidRequestMethod,
            E::AuthenticationFailure => Case::AuthenticationFailure,
            E::InvalidToken => Case::InvalidToken,
            E::OAuthScopeMismatch => Case::OAuthScopeMismatch,
            E::InvalidModule => Case::InvalidModule,
            E::InvalidModuleOnRead | E::InvalidModuleParam => Case::InvalidModuleLowercase,
            E::UnsupportedModule => Case::UnsupportedModule,
            E::EntityIdInvalid => Case::EntityIdInvalid,
            E::EntityIdInvalidOnRevoke => Case::EntityIdInvalidOnRevoke,
            E::NoPermissionToShare => Case::NoPermissionToShare,
            E::NoPermissionToUpdate => Case::NoPermissionToUpdate,
            E::NoPermissionToDelete => Case::NoPermissionToDelete,
            E::NoPermissionToRead => Case::NoPermissionToRead,
            E::NoPermissionToViewGroups => Case::NoPermissionToViewGroups,
            E::NoPermissionToAddRecords => Case::NoPermissionToAddRecords,
            E::NoPermissionToReadRecords => Case::NoPermissionToReadRecords,
            E::NoPermissionToUpdateRecordsModule => Case::NoPermissionToUpdateRecordsModule,
            E::NoPermissionToDeleteRecordsModule => Case::NoPermissionToDeleteRecordsModule,
            E::FieldsLimitExceeded => Case::FieldsLimitExceeded,
            E::IdsUnparsable => Case::UnableToParseDataType,
            E::TooManyIds => Case::InvalidData,
            E::IdInvalid { .. } => Case::IdInvalid,
            E::ProfileIdInvalid => Case::IdInvalidOrDeleted,
            E::RequiredFieldNotFoundAt { .. } => Case::RequiredFieldNotFound,
            E::InvalidDataAt { .. } => Case::InvalidData,
            E::NoPermission => Case::NoPermission,
            E::BodyNotJsonObject
            | E::InvalidParam { .. }
            | E::WrongType { .. }
            | E::TooManyItems { .. } => Case::InvalidData,
            E::PatternNotMatched { .. } => Case::PatternNotMatched,
            E::RequiredParamMissing { .. } => Case::RequiredParamMissing,
            E::MandatoryFieldsMissing { .. } => Case::MandatoryFieldsMissing,
            E::RequiredFieldNotFound { .. } => Case::RequiredFieldNotFound,
            E::AmbiguityDuringProcessing => Case::AmbiguityDuringProcessing,
            E::LimitExceeded => Case::LimitExceeded,
            E::ShareLimitExceeded => Case::ShareLimitExceeded,
            E::NothingToRevoke => Case::NothingToRevoke,
            E::RuleIdInvalid => Case::RuleIdInvalid,
            E::InternalError => Case::InternalError,
            E::ItemErrors { .. } | E::Fault { .. } => return None,
        })
    }

    /// The `details` object.
    fn details(&self) -> Value {
        use CrmError as E;
        match self {
            E::InvalidModuleParam => json!({"param_name": "module"}),
            E::EntityIdInvalid | E::EntityIdInvalidOnRevoke => json!({"resource_path_index": 1}),
            E::RuleIdInvalid => json!({"resource_path_index": 3}),
            E::IdInvalid {
                resource_path_index,
            } => json!({"resource_path_index": resource_path_index}),
            E::ProfileIdInvalid => json!({"resource_path_index": 2}),
            E::FieldsLimitExceeded => json!({"maximum_length": 50, "param_name": "fields"}),
            E::IdsUnparsable => json!({"param_name": "ids"}),
            E::TooManyIds => json!({"maximum_length": 100, "param_name": "ids"}),
            E::RequiredFieldNotFoundAt {
                api_name,
                json_path,
            }
            | E::InvalidDataAt {
                api_name,
                json_path,
            } => json!({"api_name": api_name, "json_path": json_path}),
            E::BodyNotJsonObject => json!({"expected_data_type": "jsonobject"}),
            E::InvalidParam { param }
            | E::PatternNotMatched { param }
            | E::RequiredParamMissing { param } => json!({"param_name": param}),
            E::MandatoryFieldsMissing { api_name } => json!({"api_name": api_name}),
            E::RequiredFieldNotFound { api_name } => {
                json!({"api_name": api_name, "json_path": format!("$.{api_name}")})
            }
            E::WrongType {
                api_name,
                expected,
                json_path,
            } => {
                json!({"api_name": api_name, "expected_data_type": expected, "json_path": json_path})
            }
            E::TooManyItems {
                api_name,
                maximum_length,
            } => {
                json!({"api_name": api_name, "json_path": format!("$.{api_name}"), "maximum_length": maximum_length})
            }
            _ => json!({}),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            CrmError::Fault { status, .. } => *status,
            CrmError::ItemErrors { .. } => StatusCode::BAD_REQUEST,
            other => other
                .case()
                .map_or(StatusCode::INTERNAL_SERVER_ERROR, |c| c.row().status),
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            CrmError::ItemErrors { wrapper, items } => {
                let items: Vec<Value> = items.iter().map(ItemError::to_json).collect();
                json!({ *wrapper: items })
            }
            CrmError::Fault { code, message, .. } => envelope(code, message, &json!({})),
            other => {
                let row = other.case().unwrap_or(Case::InternalError).row();
                envelope(row.code, row.message, &other.details())
            }
        }
    }
}

impl IntoResponse for CrmError {
    fn into_response(self) -> Response {
        response::json(self.status(), &self.to_json())
    }
}

/// A record-sharing call by its method: POST shares, PUT updates, DELETE revokes, anything
/// else reads.
fn call_of(method: &Method) -> Calls {
    if *method == Method::POST {
        SHARE
    } else if *method == Method::PUT {
        UPDATE
    } else if *method == Method::DELETE {
        REVOKE
    } else {
        READ
    }
}

impl FaultText {
    fn applies(self, endpoint: Endpoint, call: Calls) -> bool {
        match (self, endpoint) {
            (FaultText::RecordSharing(calls), Endpoint::RecordSharing) => calls & call != 0,
            (FaultText::DataSharing, Endpoint::DataSharing) => true,
            (FaultText::Settings(paths), Endpoint::Settings(path)) => paths & path != 0,
            (FaultText::Records(calls), Endpoint::Records) => calls & call != 0,
            _ => false,
        }
    }
}

/// The message of an injected fault with no message of its own: the text this endpoint gives
/// the code, else the first row for the code in the common table, else the code itself
/// (spec auth-and-errors.md §9).
pub fn fault_message(method: &Method, path: &str, code: &str) -> String {
    let (endpoint, call) = (Endpoint::of(path), call_of(method));
    let with = |wanted: &dyn Fn(FaultText) -> bool| {
        CASES
            .iter()
            .find(|row| row.code == code && row.fault_text.iter().any(|at| wanted(*at)))
    };
    with(&|at| at.applies(endpoint, call))
        .or_else(|| with(&|at| at == FaultText::Common))
        .map_or_else(|| code.to_owned(), |row| row.message.to_owned())
}

/// The answer of an injected fault on a CRM path (and on every path no other family claims):
/// the fault's code, else `INTERNAL_ERROR` (`TOO_MANY_REQUESTS` for 429), and its message,
/// else the text this endpoint gives the code.
pub fn fault_response(fault: &Fault, status: StatusCode, method: &Method, path: &str) -> Response {
    let code = match &fault.code {
        Some(FaultCode::Text(text)) => text.clone(),
        Some(FaultCode::Number(n)) => n.to_string(),
        None if status == StatusCode::TOO_MANY_REQUESTS => {
            Case::TooManyRequests.row().code.to_owned()
        }
        None => Case::InternalError.row().code.to_owned(),
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
            CrmError::EntityIdInvalidOnRevoke.status(),
            StatusCode::FORBIDDEN
        );
        let items = CrmError::ItemErrors {
            wrapper: "share",
            items: vec![ItemError::new(
                Case::PermissionInvalid,
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
            fault_message(
                &Method::GET,
                "/crm/v8/settings/roles/1",
                "AUTHORIZATION_FAILED"
            ),
            "User does not have sufficient privilege to read roles"
        );
        assert_eq!(
            fault_message(
                &Method::GET,
                "/crm/v8/settings/user_groups",
                "NO_PERMISSION"
            ),
            "You do not have permission to view the user groups."
        );
        assert_eq!(
            fault_message(&Method::GET, "/crm/v8/settings/profiles/1", "INVALID_DATA"),
            "the id given seems to be invalid or already deleted"
        );
        assert_eq!(
            fault_message(&Method::GET, "/crm/v8/users/1", "INVALID_DATA"),
            "the id given seems to be invalid"
        );
        // The list of users is not the one-user path.
        assert_eq!(
            fault_message(&Method::GET, "/crm/v8/users", "INVALID_DATA"),
            "invalid data"
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

    /// The golden answers of the CRM family (`tests/golden/{common,crm,harness}`): file name,
    /// status and body.
    fn golden_answers() -> Vec<(String, u64, Value)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, u64, Value)>) {
            for entry in std::fs::read_dir(dir).expect("a golden directory") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let text = std::fs::read_to_string(&path).expect("a golden file");
                    let golden: Value = serde_json::from_str(&text).expect("golden JSON");
                    let status = golden["status"].as_u64().expect("a golden status");
                    out.push((path.display().to_string(), status, golden["body"].clone()));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
        let mut out = Vec::new();
        for family in ["common", "crm", "harness"] {
            walk(&root.join(family), &mut out);
        }
        out
    }

    /// Every error object (`"status":"error"`) of an answer, at any depth.
    fn error_objects<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
        match value {
            Value::Object(map) => {
                if map.get("status").and_then(Value::as_str) == Some("error") {
                    out.push(value);
                }
                map.values().for_each(|v| error_objects(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| error_objects(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_case_is_its_own_row_and_appears_in_a_golden_answer() {
        let goldens = golden_answers();
        assert!(goldens.len() > 100, "the golden files are found");
        for (index, row) in CASES.iter().enumerate() {
            assert_eq!(row.case as usize, index, "{:?} is out of place", row.case);
            let rendered = ItemError::new(row.case, json!({"k": 1})).to_json();
            assert_eq!(
                rendered,
                json!({"code": row.code, "details": {"k": 1}, "message": row.message, "status": "error"})
            );
            let evidence: Vec<&(String, u64, Value)> = goldens
                .iter()
                .filter(|(_, _, body)| {
                    let mut found = Vec::new();
                    error_objects(body, &mut found);
                    found
                        .iter()
                        .any(|e| e["code"] == row.code && e["message"] == row.message)
                })
                .collect();
            assert!(
                !evidence.is_empty(),
                "{:?} ({} {}) has no golden answer",
                row.case,
                row.code,
                row.message
            );
            for (file, status, body) in evidence {
                let whole_answer = body["code"] == row.code && body["message"] == row.message;
                // Faults choose their own status; two cases may share code and message.
                let documented = CASES.iter().any(|r| {
                    r.code == row.code
                        && r.message == row.message
                        && u64::from(r.status.as_u16()) == *status
                });
                assert!(
                    !whole_answer || file.contains("/harness/") || documented,
                    "{file}: status {status} is no status of {:?}",
                    row.case
                );
            }
        }
    }

    #[test]
    fn fault_texts_name_one_row_per_code_and_place() {
        let places = [
            Endpoint::RecordSharing,
            Endpoint::DataSharing,
            Endpoint::Settings(ROLES),
            Endpoint::Settings(USER_GROUPS),
            Endpoint::Settings(PROFILES),
            Endpoint::Settings(ONE_USER),
            Endpoint::Records,
            Endpoint::Other,
        ];
        for row in &CASES {
            for endpoint in places {
                for call in [READ, SHARE, UPDATE, REVOKE] {
                    let rows = CASES
                        .iter()
                        .filter(|r| {
                            r.code == row.code
                                && r.fault_text.iter().any(|at| at.applies(endpoint, call))
                        })
                        .count();
                    assert!(
                        rows <= 1,
                        "{} at {endpoint:?} ({call}): {rows} texts",
                        row.code
                    );
                }
            }
            let common = CASES
                .iter()
                .filter(|r| r.code == row.code && r.fault_text.contains(&FaultText::Common))
                .count();
            assert!(common <= 1, "{}: {common} common texts", row.code);
        }
    }

    /// Each error, rendered, is the body of a golden answer with the golden's status.
    #[test]
    fn every_error_renders_its_golden_answer() {
        let item = |case, details| ItemError::new(case, details);
        let samples: Vec<(CrmError, &str)> = vec![
            (
                CrmError::InvalidUrlPattern,
                "common/invalid_url_pattern.json",
            ),
            (
                CrmError::InvalidUrlPatternDataSharing,
                "common/invalid_url_pattern_data_sharing.json",
            ),
            (
                CrmError::InvalidRequestMethod,
                "common/invalid_request_method.json",
            ),
            (
                CrmError::AuthenticationFailure,
                "common/authentication_failure.json",
            ),
            (CrmError::InvalidToken, "common/invalid_token.json"),
            (
                CrmError::OAuthScopeMismatch,
                "common/oauth_scope_mismatch.json",
            ),
            (
                CrmError::InvalidModule,
                "crm/record_sharing/invalid_module.json",
            ),
            (
                CrmError::InvalidModuleOnRead,
                "crm/record_sharing/invalid_module_on_read.json",
            ),
            (
                CrmError::InvalidModuleParam,
                "crm/data_sharing_rules/invalid_module.json",
            ),
            (
                CrmError::UnsupportedModule,
                "crm/record_sharing/unsupported_module.json",
            ),
            (
                CrmError::EntityIdInvalid,
                "crm/record_sharing/f_unknown_record.json",
            ),
            (
                CrmError::EntityIdInvalidOnRevoke,
                "crm/record_sharing/f_delete_unknown_record.json",
            ),
            (
                CrmError::NoPermissionToShare,
                "crm/record_sharing/no_permission_post.json",
            ),
            (
                CrmError::NoPermissionToUpdate,
                "crm/record_sharing/no_permission_put.json",
            ),
            (
                CrmError::NoPermissionToDelete,
                "crm/record_sharing/no_permission_delete.json",
            ),
            (
                CrmError::NoPermissionToRead,
                "crm/record_sharing/no_permission_get.json",
            ),
            (
                CrmError::NoPermission,
                "crm/data_sharing_rules/no_permission.json",
            ),
            (
                CrmError::BodyNotJsonObject,
                "crm/record_sharing/body_not_json_object.json",
            ),
            (
                CrmError::InvalidParam { param: "type" },
                "common/users_invalid_type.json",
            ),
            (
                CrmError::PatternNotMatched { param: "sharedTo" },
                "crm/record_sharing/shared_to_pattern_not_matched.json",
            ),
            (
                CrmError::RequiredParamMissing { param: "module" },
                "crm/data_sharing_rules/required_param_missing.json",
            ),
            (
                CrmError::MandatoryFieldsMissing { api_name: "share" },
                "crm/record_sharing/share_missing.json",
            ),
            (
                CrmError::RequiredFieldNotFound {
                    api_name: "sharing_rules",
                },
                "crm/data_sharing_rules/sharing_rules_missing.json",
            ),
            (
                CrmError::WrongType {
                    api_name: "share",
                    expected: "jsonarray",
                    json_path: "$.share".into(),
                },
                "crm/record_sharing/share_not_array.json",
            ),
            (
                CrmError::TooManyItems {
                    api_name: "sharing_rules",
                    maximum_length: 1,
                },
                "crm/data_sharing_rules/sharing_rules_too_many.json",
            ),
            (
                CrmError::AmbiguityDuringProcessing,
                "crm/record_sharing/ambiguity.json",
            ),
            (
                CrmError::LimitExceeded,
                "crm/record_sharing/post_limit_exceeded.json",
            ),
            (
                CrmError::ShareLimitExceeded,
                "crm/record_sharing/c_put_eleven_users.json",
            ),
            (
                CrmError::NothingToRevoke,
                "crm/record_sharing/e_delete_nothing_shared.json",
            ),
            (
                CrmError::RuleIdInvalid,
                "crm/data_sharing_rules/rule_id_invalid.json",
            ),
            (
                CrmError::ItemErrors {
                    wrapper: "sharing_rules",
                    items: vec![item(
                        Case::IdAlreadyActive,
                        json!({"resource_path_index": 3}),
                    )],
                },
                "crm/data_sharing_rules/id_already_active.json",
            ),
            (
                CrmError::ItemErrors {
                    wrapper: "share",
                    items: vec![item(
                        Case::AlreadyVisible,
                        json!({"api_name": "id", "json_path": "$.share[0].shared_with.id"}),
                    )],
                },
                "crm/record_sharing/item_11_already_visible_post.json",
            ),
            (
                CrmError::NoPermissionToViewGroups,
                "crm/settings_and_search/user_groups_no_permission.json",
            ),
            (
                CrmError::IdInvalid {
                    resource_path_index: 2,
                },
                "crm/settings_and_search/roles_unknown_id.json",
            ),
            (
                CrmError::IdInvalid {
                    resource_path_index: 1,
                },
                "crm/settings_and_search/user_unknown_id.json",
            ),
            (
                CrmError::ProfileIdInvalid,
                "crm/settings_and_search/profiles_unknown_id.json",
            ),
            (
                CrmError::RequiredFieldNotFoundAt {
                    api_name: "value",
                    json_path: "$.filters[0].value".into(),
                },
                "crm/settings_and_search/search_value_missing.json",
            ),
            (
                CrmError::InvalidDataAt {
                    api_name: "comparator",
                    json_path: "$.filters[0].comparator".into(),
                },
                "crm/settings_and_search/search_comparator_invalid.json",
            ),
            (CrmError::InternalError, "harness/crm_internal_error.json"),
            (
                CrmError::Fault {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    code: "MAINTENANCE".into(),
                    message: "Back soon".into(),
                },
                "harness/crm_custom_message.json",
            ),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
        for (error, file) in samples {
            let text = std::fs::read_to_string(root.join(file)).expect("a golden file");
            let golden: Value = serde_json::from_str(&text).expect("golden JSON");
            assert_eq!(error.to_json(), golden["body"], "{file}");
            assert_eq!(
                u64::from(error.status().as_u16()),
                golden["status"].as_u64().expect("a status"),
                "{file}"
            );
        }
    }
}

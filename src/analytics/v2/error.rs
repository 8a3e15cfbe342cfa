//! Analytics v2 errors. [`CASES`] is the one table of the numbered codes (spec
//! analytics-v2-sharing.md §11.1): status, `summary` constant and message per code.
//! [`V2Error`] (one variant per documented case) and injected faults (§11.3) both read it, and
//! [`V2Error::into_response`] is the one place that writes
//! `{"status":"failure","summary","data":{"errorCode","errorMessage"}}`. The one mapping of the
//! workspace model's refusals to v2 codes is here too.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::analytics::workspaces::model::WorkspaceError;
use crate::auth::AuthFailure;
use crate::faults::{Fault, FaultCode};
use crate::response;

/// One row of [`CASES`].
#[derive(Debug)]
pub struct Row {
    pub code: u32,
    pub status: StatusCode,
    pub summary: &'static str,
    /// The message; `{…}` parts are filled in by the error (a fault writes them as they are).
    pub text: &'static str,
}

const fn row(code: u32, status: StatusCode, summary: &'static str, text: &'static str) -> Row {
    Row {
        code,
        status,
        summary,
        text,
    }
}

use StatusCode as S;

/// Every documented v2 code (spec §11.1, in its order): 401 for 8535, 403 for 7301, 404 for
/// 7103 and 7104, 500 for 7005, 400 for the rest (§11.2); 6045 takes its fault's status.
#[rustfmt::skip]
pub static CASES: [Row; 43] = [
    row(8535, S::UNAUTHORIZED, "INVALID_OAUTHTOKEN", "Invalid Oauthtoken"),
    row(8083, S::BAD_REQUEST, "ORGID_NOT_PRESENT_IN_THE_HEADER", "Organization id is not present in the request header."),
    row(8506, S::BAD_REQUEST, "MORE_THAN_MAX_OCCURANCE", "The mentioned parameter has been sent more than the required count."),
    row(8507, S::BAD_REQUEST, "MORE_THAN_MAX_LENGTH", "The parameter CONFIG exceeds the maximum allowed length."),
    row(8504, S::BAD_REQUEST, "LESS_THAN_MIN_OCCURANCE", "The parameter CONFIG is not proper(Has not been sent or is less than required count)"),
    row(8077, S::BAD_REQUEST, "EMPTY_JSON_CONFIGURATION", "The JSON configuration is empty."),
    row(8080, S::BAD_REQUEST, "INVALID_JSON_CONFIGURATION", "The JSON configuration is not valid."),
    row(8079, S::BAD_REQUEST, "ATTRIBUTE_NOT_PRESENT_IN_JSON_CONFIGURATION", "The mentioned attribute is not present in the JSON configuration."),
    row(8031, S::BAD_REQUEST, "REMOVESHARE_API_PARAMS", "Either viewIds or removeAllViews must be given."),
    row(8105, S::BAD_REQUEST, "REMOVESHARE_ALL_VIEWS_PRESENT", "viewIds and removeAllViews cannot be given together."),
    row(8516, S::BAD_REQUEST, "UNABLE_TO_PARSE_DATA_TYPE", "Invalid value passed in the mentioned parameter."),
    row(8078, S::BAD_REQUEST, "EMPTY_JSON_ATTRIBUTE_FOUND", "The mentioned attribute has an empty value."),
    row(7103, S::NOT_FOUND, "META_OBJECT_NOT_PRESENT", "Workspace not found! Please check whether the workspace exists."),
    row(7387, S::BAD_REQUEST, "WORKSPACE_NOT_IN_ORGANIZATION", "Workspaces does not belongs to current organization."),
    row(7389, S::BAD_REQUEST, "ORGANIZATION_NOT_PRESENT", "Organization does not exist."),
    row(7104, S::NOT_FOUND, "META_OBJECT_NOT_PRESENT", "The view id specified in the API does not exist."),
    row(7319, S::BAD_REQUEST, "OBJID_NOT_BELONGS_TO_DB", "The view does not belong to the specified workspace."),
    row(7338, S::BAD_REQUEST, "GRPID_NOT_BELONGS_TO_DB", "Group does not belongs to current workspace."),
    // The message ends with a space [Analytics v2 docs]
    row(7301, S::FORBIDDEN, "SECURITY_NOT_PERMITTED", "You ({full_name}) do not have the permission to do this operation. "),
    row(8029, S::BAD_REQUEST, "SHARE_INVALID_EMAIL_ADDRESS", "{email} is not a valid email address."),
    row(8509, S::BAD_REQUEST, "PATTERN_NOT_MATCHED", "The Email Ids provided is not proper / not in the EMAIL ID format."),
    row(8119, S::BAD_REQUEST, "INVALID_VALUE_FOR_ATTRIBUTE", "Invalid value for attribute."),
    row(7550, S::BAD_REQUEST, "ROLE_NOT_PRESENT", "The role {role} does not exist in this organization."),
    row(8026, S::BAD_REQUEST, "PERMISSION_CONFIGURATION_MISSING", "Permission configuration missing."),
    row(8074, S::BAD_REQUEST, "READ_PERM_SHOULD_BE_TRUE_FOR_SHARING", "Read permission must be true for sharing."),
    row(7541, S::BAD_REQUEST, "FILTER_CRITERIA_NOT_SUPPORTED_FOR_MULTI_VIEW_SHARE", "Filter criteria is not supported when more than one view is shared."),
    row(7543, S::BAD_REQUEST, "VUD_OR_DRILL_COLUMNS_EDIT_NOT_SUPPORTED_FOR_MULTI_VIEW_SHARE", "Column restrictions are not supported when more than one view is shared."),
    row(8060, S::BAD_REQUEST, "DOMAIN_NOT_EXIST", "Domain does not exist."),
    row(7535, S::BAD_REQUEST, "CANNOT_SHARE_TO_MEMBERS_NOT_PART_OF_ORG", "{email} is not a user of this organization."),
    row(6028, S::BAD_REQUEST, "USER_IN_INACTIVE_STATE", "User is in inactive state."),
    row(7307, S::BAD_REQUEST, "OWNER_CANNOT_SHARE_HIMSELF", "You cannot share a view with yourself."),
    row(7545, S::BAD_REQUEST, "SHARE_AND_WRITE_PERMISSIONS_NOT_ALLOWED_FOR_RO_USERS", "{email} is a read-only user and cannot be given share and write permissions together."),
    row(7323, S::BAD_REQUEST, "CANNOT_SHARED_TO_OBJOWNER", "The view {view_name} cannot be shared with its owner {email}."),
    row(7321, S::BAD_REQUEST, "VIEW_ALREADY_SHARED", "The view {view_name} is already shared with {email}."),
    row(7322, S::BAD_REQUEST, "VIEW_ALREADY_SHARED", "The view {view_name} is already shared with the group {group_name}."),
    row(8032, S::BAD_REQUEST, "VIEW_NOT_SHARED", "The view {view_name} is not shared with {email}."),
    row(8150, S::BAD_REQUEST, "VIEW_NOT_SHARED_TO_GROUP", "The view {view_name} is not shared with the group {group_name}."),
    row(8040, S::BAD_REQUEST, "USER_NOT_WORKSPACE_ADMIN", "{email} is not a Workspace Admin."),
    row(7390, S::BAD_REQUEST, "VIEWER_CANNOT_BE_WORKSPACE_ADMIN", "{email} is a Viewer and cannot be a Workspace Admin."),
    row(8114, S::BAD_REQUEST, "USER_NOT_IN_WORKSPACE", "{email} is not a user of this workspace."),
    row(7282, S::BAD_REQUEST, "GROUP_NAME_ALREADY_EXISTS", "Group name already exist."),
    // Faults only
    row(7005, S::INTERNAL_SERVER_ERROR, "COMMON_INTERNAL_SERVER_ERROR", "Sorry, an unexpected error occurred when performing this operation. Please contact support for additional information."),
    row(6045, S::TOO_MANY_REQUESTS, "RATE_LIMIT_EXCEEDED", "Rate limit exceeded"),
];

fn row_of(code: u32) -> Option<&'static Row> {
    CASES.iter().find(|row| row.code == code)
}

/// One variant per documented case; the texts are in [`CASES`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum V2Error {
    /// 8535: no usable header, a token that is not valid, or one without the route's scope.
    InvalidOauthToken,
    /// 8083
    OrgIdMissing,
    /// 8506
    ConfigRepeated,
    /// 8507
    ConfigTooLong,
    /// 8504
    ConfigMissing,
    /// 8077
    ConfigEmpty,
    /// 8080: not JSON, not an object, not UTF-8, or a list over its limit.
    ConfigInvalid,
    /// 8079
    AttributeMissing,
    /// 8031
    RemoveShareParams,
    /// 8105
    RemoveShareBoth,
    /// 8516: a known key, or a value inside one, of the wrong JSON type.
    WrongType,
    /// 8078
    EmptyAttribute,
    /// 7103
    WorkspaceNotFound,
    /// 7387: `ZANALYTICS-ORGID` is not the org's, on a workspace route.
    WorkspaceNotInOrg,
    /// 7389: `ZANALYTICS-ORGID` is not the org's, on `/orgadmins`.
    OrgNotPresent,
    /// 7104
    ViewNotFound,
    /// 7319
    ViewOfAnotherWorkspace,
    /// 7338
    GroupNotInWorkspace,
    /// 7301
    NotPermitted { full_name: String },
    /// 8029: an email of the share routes.
    InvalidShareEmail { email: String },
    /// 8509: an email of the admins, users and groups routes.
    PatternNotMatched,
    /// 8119
    InvalidAttributeValue,
    /// 7550
    RoleNotPresent { role: String },
    /// 8026
    PermissionsMissing,
    /// 8074
    ReadNotTrue,
    /// 7541
    CriteriaMultiView,
    /// 7543
    ColumnsMultiView,
    /// 8060
    DomainNotExist,
    /// 7535
    NotOrgUser { email: String },
    /// 6028
    InactiveUser,
    /// 7307
    SelfShare,
    /// 7545
    ReadOnlyUser { email: String },
    /// 7323
    OwnerTarget { view_name: String, email: String },
    /// 7321
    AlreadyShared { view_name: String, email: String },
    /// 7322
    AlreadySharedGroup {
        view_name: String,
        group_name: String,
    },
    /// 8032
    NotShared { view_name: String, email: String },
    /// 8150
    NotSharedGroup {
        view_name: String,
        group_name: String,
    },
    /// 8040
    NotWorkspaceAdmin { email: String },
    /// 7390
    ViewerAsAdmin { email: String },
    /// 8114
    NotWorkspaceUser { email: String },
    /// 7282
    GroupNameTaken,
    /// 7005: a state the checks make impossible (never expected), or a change the state file
    /// could not commit.
    InternalError,
    /// An injected fault: its status, code and message.
    Fault {
        status: StatusCode,
        code: u32,
        message: String,
    },
}

impl From<AuthFailure> for V2Error {
    fn from(_: AuthFailure) -> Self {
        V2Error::InvalidOauthToken
    }
}

/// The v2 answer to each refusal of the workspace model.
impl From<WorkspaceError> for V2Error {
    fn from(err: WorkspaceError) -> Self {
        use WorkspaceError as W;
        match err {
            W::NotAdmin { email } => V2Error::NotWorkspaceAdmin { email },
            W::NotOrgUser { email } => V2Error::NotOrgUser { email },
            W::InactiveUser { .. } => V2Error::InactiveUser,
            W::ViewerAsAdmin { email } => V2Error::ViewerAsAdmin { email },
            W::NotWorkspaceUser { email } => V2Error::NotWorkspaceUser { email },
            W::SelfShare => V2Error::SelfShare,
            W::ReadOnlyUser { email } => V2Error::ReadOnlyUser { email },
            W::OwnerTarget { view_name, email } => V2Error::OwnerTarget { view_name, email },
            W::AlreadyShared { view_name, email } => V2Error::AlreadyShared { view_name, email },
            W::AlreadySharedGroup {
                view_name,
                group_name,
            } => V2Error::AlreadySharedGroup {
                view_name,
                group_name,
            },
            W::NotShared { view_name, email } => V2Error::NotShared { view_name, email },
            W::NotSharedGroup {
                view_name,
                group_name,
            } => V2Error::NotSharedGroup {
                view_name,
                group_name,
            },
            W::GroupNameTaken => V2Error::GroupNameTaken,
            W::Unresolved => V2Error::InternalError,
        }
    }
}

impl V2Error {
    pub fn code(&self) -> u32 {
        use V2Error as E;
        match self {
            E::InvalidOauthToken => 8535,
            E::OrgIdMissing => 8083,
            E::ConfigRepeated => 8506,
            E::ConfigTooLong => 8507,
            E::ConfigMissing => 8504,
            E::ConfigEmpty => 8077,
            E::ConfigInvalid => 8080,
            E::AttributeMissing => 8079,
            E::RemoveShareParams => 8031,
            E::RemoveShareBoth => 8105,
            E::WrongType => 8516,
            E::EmptyAttribute => 8078,
            E::WorkspaceNotFound => 7103,
            E::WorkspaceNotInOrg => 7387,
            E::OrgNotPresent => 7389,
            E::ViewNotFound => 7104,
            E::ViewOfAnotherWorkspace => 7319,
            E::GroupNotInWorkspace => 7338,
            E::NotPermitted { .. } => 7301,
            E::InvalidShareEmail { .. } => 8029,
            E::PatternNotMatched => 8509,
            E::InvalidAttributeValue => 8119,
            E::RoleNotPresent { .. } => 7550,
            E::PermissionsMissing => 8026,
            E::ReadNotTrue => 8074,
            E::CriteriaMultiView => 7541,
            E::ColumnsMultiView => 7543,
            E::DomainNotExist => 8060,
            E::NotOrgUser { .. } => 7535,
            E::InactiveUser => 6028,
            E::SelfShare => 7307,
            E::ReadOnlyUser { .. } => 7545,
            E::OwnerTarget { .. } => 7323,
            E::AlreadyShared { .. } => 7321,
            E::AlreadySharedGroup { .. } => 7322,
            E::NotShared { .. } => 8032,
            E::NotSharedGroup { .. } => 8150,
            E::NotWorkspaceAdmin { .. } => 8040,
            E::ViewerAsAdmin { .. } => 7390,
            E::NotWorkspaceUser { .. } => 8114,
            E::GroupNameTaken => 7282,
            E::InternalError => 7005,
            E::Fault { code, .. } => *code,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            V2Error::Fault { status, .. } => *status,
            other => row_of(other.code()).map_or(StatusCode::BAD_REQUEST, |row| row.status),
        }
    }

    /// The `summary` constant; a code the table does not list (a fault's) is an internal error.
    pub fn summary(&self) -> &'static str {
        row_of(self.code()).map_or("COMMON_INTERNAL_SERVER_ERROR", |row| row.summary)
    }

    pub fn message(&self) -> String {
        use V2Error as E;
        let text = row_of(self.code()).map_or("", |row| row.text);
        let fill = |pairs: &[(&str, &str)]| {
            pairs.iter().fold(text.to_owned(), |text, (key, value)| {
                text.replace(key, value)
            })
        };
        match self {
            E::Fault { message, .. } => message.clone(),
            E::NotPermitted { full_name } => fill(&[("{full_name}", full_name)]),
            E::RoleNotPresent { role } => fill(&[("{role}", role)]),
            E::InvalidShareEmail { email }
            | E::NotOrgUser { email }
            | E::ReadOnlyUser { email }
            | E::NotWorkspaceAdmin { email }
            | E::ViewerAsAdmin { email }
            | E::NotWorkspaceUser { email } => fill(&[("{email}", email)]),
            E::OwnerTarget { view_name, email }
            | E::AlreadyShared { view_name, email }
            | E::NotShared { view_name, email } => {
                fill(&[("{view_name}", view_name), ("{email}", email)])
            }
            E::AlreadySharedGroup {
                view_name,
                group_name,
            }
            | E::NotSharedGroup {
                view_name,
                group_name,
            } => fill(&[("{view_name}", view_name), ("{group_name}", group_name)]),
            _ => text.to_owned(),
        }
    }
}

#[derive(Serialize)]
struct Failure<'a> {
    status: &'static str,
    summary: &'a str,
    data: FailureData<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FailureData<'a> {
    error_code: u32,
    error_message: &'a str,
}

impl IntoResponse for V2Error {
    fn into_response(self) -> Response {
        let message = self.message();
        let body = Failure {
            status: "failure",
            summary: self.summary(),
            data: FailureData {
                error_code: self.code(),
                error_message: &message,
            },
        };
        response::json(self.status(), &body)
    }
}

/// An injected fault in the v2 envelope (spec §11.3): its code (a number or a digit string;
/// absent: 7005), its status, the code's `summary`, and its message, else the code's text with
/// its placeholders as written, else `""`.
pub fn fault_response(fault: &Fault, status: StatusCode) -> Response {
    let code = match &fault.code {
        Some(FaultCode::Number(n)) => *n,
        Some(FaultCode::Text(text)) => text.parse().unwrap_or(7005),
        None => 7005,
    };
    let message = fault
        .message
        .clone()
        .unwrap_or_else(|| row_of(code).map_or("", |row| row.text).to_owned());
    V2Error::Fault {
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
    fn codes_statuses_summaries_and_messages() {
        let e = V2Error::NotPermitted {
            full_name: "Liam Foster".into(),
        };
        assert_eq!((e.code(), e.status()), (7301, StatusCode::FORBIDDEN));
        assert_eq!(
            e.message(),
            "You (Liam Foster) do not have the permission to do this operation. "
        );
        assert_eq!(V2Error::WorkspaceNotFound.status(), StatusCode::NOT_FOUND);
        assert_eq!(V2Error::ViewNotFound.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            V2Error::InvalidOauthToken.status(),
            StatusCode::UNAUTHORIZED
        );
        let e = V2Error::AlreadySharedGroup {
            view_name: "Leads by Region".into(),
            group_name: "Regional Leads".into(),
        };
        assert_eq!(e.summary(), "VIEW_ALREADY_SHARED");
        assert_eq!(
            e.message(),
            "The view Leads by Region is already shared with the group Regional Leads."
        );
        let fault = V2Error::Fault {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: 9999,
            message: String::new(),
        };
        assert_eq!(fault.summary(), "COMMON_INTERNAL_SERVER_ERROR");
    }

    /// Every code of the table is its own row, and appears with its status, summary and message
    /// (templates by their longest fixed part) in a golden answer of `tests/golden/analytics/v2`.
    #[test]
    fn every_case_appears_in_a_golden_answer() {
        fn read_all(dir: &std::path::Path, out: &mut Vec<serde_json::Value>) {
            for entry in std::fs::read_dir(dir).expect("a golden directory") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    read_all(&path, out);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let text = std::fs::read_to_string(&path).expect("a golden file");
                    out.push(serde_json::from_str(&text).expect("a JSON golden"));
                }
            }
        }
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/analytics/v2");
        let mut goldens = Vec::new();
        read_all(&root, &mut goldens);
        for (index, row) in CASES.iter().enumerate() {
            assert!(
                CASES[..index].iter().all(|other| other.code != row.code),
                "{} is in the table twice",
                row.code
            );
            let fixed = row
                .text
                .split(['{', '}'])
                .max_by_key(|part| part.len())
                .unwrap_or(row.text);
            let found = goldens.iter().any(|golden| {
                let body = &golden["body"];
                body["data"]["errorCode"] == row.code
                    && body["summary"] == row.summary
                    && body["data"]["errorMessage"]
                        .as_str()
                        .is_some_and(|m| m.contains(fixed))
                    && (row.code == 6045 || golden["status"] == row.status.as_u16())
            });
            assert!(found, "{} ({fixed}) has no golden answer", row.code);
        }
    }
}

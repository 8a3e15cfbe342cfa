//! Analytics v1 errors. [`CASES`] is the one table of the numbered codes (spec
//! analytics-workspace-admins.md §7, with the rows analytics-v2-sharing.md §10.4 adds): status
//! and message per code. [`AnalyticsError`] (one variant per documented case) and injected
//! faults both read it; `render::error` writes it in the request's `ZOHO_ERROR_FORMAT`. The one
//! mapping of the workspace model's refusals to v1 codes is here too.

use std::borrow::Cow;

use axum::http::StatusCode;

use crate::analytics::workspaces::model::WorkspaceError;
use crate::auth::AuthFailure;

/// A code's message: fixed, or a template whose `{…}` part the error fills in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    Fixed(&'static str),
    /// Faults with this code and no message of their own answer the code itself.
    Template(&'static str),
}

/// One row of [`CASES`].
#[derive(Debug)]
pub struct Row {
    pub code: u32,
    pub status: StatusCode,
    pub text: Text,
}

const fn row(code: u32, status: StatusCode, text: Text) -> Row {
    Row { code, status, text }
}

use StatusCode as S;
use Text::{Fixed, Template};

/// Every documented Analytics v1 code; 401 for 8535 and 8540, 403 for 7301, 500 for 7005, 400
/// for the rest.
#[rustfmt::skip]
pub static CASES: [Row; 26] = [
    // [Analytics v1 error list]
    row(7003, S::BAD_REQUEST, Fixed("Required parameters are missing in the request.")),
    // [Analytics OpenAPI]
    row(8504, S::BAD_REQUEST, Template("The parameter {NAME} is not proper(Has not been sent or is less than required count)")),
    row(8506, S::BAD_REQUEST, Fixed("The mentioned parameter has been sent more than the required count.")),
    row(8509, S::BAD_REQUEST, Fixed("The Email Ids provided in ZOHO_EMAILS parameter is not proper / not in the EMAIL ID format.")),
    row(8516, S::BAD_REQUEST, Fixed("Invalid value passed in the mentioned parameter.")),
    row(8533, S::BAD_REQUEST, Fixed("The user email address provided in the URL is an improper format.")),
    row(7102, S::BAD_REQUEST, Fixed("The Workspace name specified in the API request URL is empty.")),
    row(7138, S::BAD_REQUEST, Fixed("The view name specified in the API request URL does not exist.")),
    // [Analytics OpenAPI]
    row(7103, S::BAD_REQUEST, Fixed("Workspace not found! Please check whether the workspace exists.")),
    // The message ends with a space [Analytics v2 docs]
    row(7301, S::FORBIDDEN, Template("You ({full_name}) do not have the permission to do this operation. ")),
    row(8040, S::BAD_REQUEST, Template("{email} is not a Workspace Admin.")),
    row(7535, S::BAD_REQUEST, Template("{email} is not a user of this organization.")),
    row(6028, S::BAD_REQUEST, Fixed("User is in inactive state.")),
    row(8060, S::BAD_REQUEST, Fixed("Domain does not exist.")),
    // [Analytics OpenAPI] [Analytics v1 client]
    row(8535, S::UNAUTHORIZED, Fixed("Invalid Oauthtoken")),
    // [Analytics v1 client]
    row(8540, S::UNAUTHORIZED, Fixed("Invalid Oauthscope")),
    // analytics-v2-sharing.md §10.4: v1 reasons [Analytics v1 error list]
    row(8026, S::BAD_REQUEST, Fixed("Permission parameter missing.")),
    row(8027, S::BAD_REQUEST, Fixed("Mentioned View/Workspace is not found.")),
    // analytics-v2-sharing.md §10.4: the texts of its §11.1 [mock's choice]
    row(7307, S::BAD_REQUEST, Fixed("You cannot share a view with yourself.")),
    row(7323, S::BAD_REQUEST, Template("The view {view_name} cannot be shared with its owner {email}.")),
    row(7541, S::BAD_REQUEST, Fixed("Filter criteria is not supported when more than one view is shared.")),
    row(7545, S::BAD_REQUEST, Template("{email} is a read-only user and cannot be given share and write permissions together.")),
    row(7390, S::BAD_REQUEST, Template("{email} is a Viewer and cannot be a Workspace Admin.")),
    row(8032, S::BAD_REQUEST, Template("The view {view_name} is not shared with {email}.")),
    // Faults only [Analytics OpenAPI]
    row(7005, S::INTERNAL_SERVER_ERROR, Fixed("Sorry, an unexpected error occurred when performing this operation. Please contact support for additional information.")),
    // Faults only [Analytics v1 client]
    row(6045, S::BAD_REQUEST, Fixed("Rate limit exceeded")),
];

fn row_of(code: u32) -> Option<&'static Row> {
    CASES.iter().find(|row| row.code == code)
}

/// One variant per documented case; the texts are in [`CASES`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnalyticsError {
    /// 7003: a required parameter is missing.
    MissingParameters,
    /// 8504: a parameter has no usable entry.
    ParameterNotProper { name: String },
    /// 8506: a parameter the mock reads was sent twice.
    ParameterRepeated,
    /// 8509: an entry of `ZOHO_EMAILS` is not an email.
    ImproperEmails,
    /// 8516: a bad value (or an unreadable body).
    InvalidValue,
    /// 8533: the owner email of the URL is not an email.
    ImproperOwnerEmail,
    /// 7102: fewer than two path segments.
    EmptyWorkspaceName,
    /// 7138: more than two path segments (a view-level URL).
    ViewNotFound,
    /// 7103: no such workspace of that owner.
    WorkspaceNotFound,
    /// 7301: the caller may not act on the workspace (or on these views).
    NotPermitted { full_name: String },
    /// 8040: removal of an email that is not an admin.
    NotWorkspaceAdmin { email: String },
    /// 7535: addition of an email that is no user of the org.
    NotOrgUser { email: String },
    /// 6028: addition of a user who is not active.
    InactiveUser,
    /// 8060: a `ZOHO_DOMAINNAME` (no white-label domain is modelled).
    DomainNotExist,
    /// 8026: none of the permission flags of SHARE.
    PermissionMissing,
    /// 8027: a `ZOHO_VIEWS` name that is no view of the workspace.
    ViewNameNotFound,
    /// 7307: SHARE with the caller's own email.
    SelfShare,
    /// 7323: SHARE with the view's or the workspace's owner.
    OwnerTarget { view_name: String, email: String },
    /// 7541: `ZOHO_CRITERIA` with more than one view.
    CriteriaMultiView,
    /// 7545: a Viewer given `ZOHO_SHARE` and a write flag.
    ReadOnlyUser { email: String },
    /// 7390: ADDDBOWNER of a Viewer.
    ViewerAsAdmin { email: String },
    /// 8032: REMOVESHARE of a pair that is not shared.
    NotShared { view_name: String, email: String },
    /// 8535: the token is unusable or invalid.
    InvalidOauthToken,
    /// 8540: no granted scope covers the action.
    InvalidOauthScope,
    /// 7005: a state the checks make impossible, or a change the state file could not commit
    /// (DESIGN §6).
    InternalError,
    /// An injected fault with its own status, code and message.
    Fault {
        status: StatusCode,
        code: u32,
        message: String,
    },
}

impl From<AuthFailure> for AnalyticsError {
    fn from(_: AuthFailure) -> Self {
        AnalyticsError::InvalidOauthToken
    }
}

impl AnalyticsError {
    pub fn code(&self) -> u32 {
        use AnalyticsError as E;
        match self {
            E::MissingParameters => 7003,
            E::ParameterNotProper { .. } => 8504,
            E::ParameterRepeated => 8506,
            E::ImproperEmails => 8509,
            E::InvalidValue => 8516,
            E::ImproperOwnerEmail => 8533,
            E::EmptyWorkspaceName => 7102,
            E::ViewNotFound => 7138,
            E::WorkspaceNotFound => 7103,
            E::NotPermitted { .. } => 7301,
            E::NotWorkspaceAdmin { .. } => 8040,
            E::NotOrgUser { .. } => 7535,
            E::InactiveUser => 6028,
            E::DomainNotExist => 8060,
            E::PermissionMissing => 8026,
            E::ViewNameNotFound => 8027,
            E::SelfShare => 7307,
            E::OwnerTarget { .. } => 7323,
            E::CriteriaMultiView => 7541,
            E::ReadOnlyUser { .. } => 7545,
            E::ViewerAsAdmin { .. } => 7390,
            E::NotShared { .. } => 8032,
            E::InvalidOauthToken => 8535,
            E::InvalidOauthScope => 8540,
            E::InternalError => 7005,
            E::Fault { code, .. } => *code,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AnalyticsError::Fault { status, .. } => *status,
            other => row_of(other.code()).map_or(StatusCode::BAD_REQUEST, |row| row.status),
        }
    }

    pub fn message(&self) -> Cow<'_, str> {
        use AnalyticsError as E;
        let template = || match row_of(self.code()).map(|row| row.text) {
            Some(Template(text) | Fixed(text)) => text,
            None => "",
        };
        match self {
            E::ParameterNotProper { name } => template().replace("{NAME}", name).into(),
            E::NotPermitted { full_name } => template().replace("{full_name}", full_name).into(),
            E::NotWorkspaceAdmin { email }
            | E::NotOrgUser { email }
            | E::ReadOnlyUser { email }
            | E::ViewerAsAdmin { email } => template().replace("{email}", email).into(),
            E::OwnerTarget { view_name, email } | E::NotShared { view_name, email } => template()
                .replace("{view_name}", view_name)
                .replace("{email}", email)
                .into(),
            E::Fault { message, .. } => message.as_str().into(),
            other => message_of_code(other.code()).unwrap_or_default().into(),
        }
    }
}

/// The v1 answer to each refusal of the workspace model (spec analytics-workspace-admins.md §5,
/// analytics-v2-sharing.md §10). The refusals only v2 can meet never reach v1.
impl From<WorkspaceError> for AnalyticsError {
    fn from(err: WorkspaceError) -> Self {
        use WorkspaceError as W;
        match err {
            W::NotAdmin { email } => AnalyticsError::NotWorkspaceAdmin { email },
            W::NotOrgUser { email } => AnalyticsError::NotOrgUser { email },
            W::InactiveUser { .. } => AnalyticsError::InactiveUser,
            W::ViewerAsAdmin { email } => AnalyticsError::ViewerAsAdmin { email },
            W::SelfShare => AnalyticsError::SelfShare,
            W::ReadOnlyUser { email } => AnalyticsError::ReadOnlyUser { email },
            W::OwnerTarget { view_name, email } => AnalyticsError::OwnerTarget { view_name, email },
            W::NotShared { view_name, email } => AnalyticsError::NotShared { view_name, email },
            W::NotWorkspaceUser { .. }
            | W::AlreadyShared { .. }
            | W::AlreadySharedGroup { .. }
            | W::NotSharedGroup { .. }
            | W::GroupNameTaken
            | W::Unresolved => AnalyticsError::InternalError,
        }
    }
}

/// The fixed text of a code, for codes whose message has no placeholder. A fault without a
/// message uses it (spec auth-and-errors.md §9).
pub fn message_of_code(code: u32) -> Option<&'static str> {
    match row_of(code)?.text {
        Fixed(text) => Some(text),
        Template(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_statuses_and_messages() {
        let e = AnalyticsError::NotPermitted {
            full_name: "Amelia Burrows".into(),
        };
        assert_eq!(e.code(), 7301);
        assert_eq!(e.status(), StatusCode::FORBIDDEN);
        assert!(e.message().ends_with("operation. "));
        assert_eq!(
            AnalyticsError::InvalidOauthScope.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            AnalyticsError::InternalError.status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            AnalyticsError::ParameterNotProper {
                name: "ZOHO_EMAILS".into()
            }
            .message(),
            "The parameter ZOHO_EMAILS is not proper(Has not been sent or is less than required count)"
        );
    }

    /// Every code of the table appears, with its status and message, in a golden answer (JSON
    /// or XML) of `tests/golden/{analytics,harness}`; templates by their fixed part.
    #[test]
    fn every_case_appears_in_a_golden_answer() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
        fn read_all(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("a golden directory") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    read_all(&path, out);
                } else {
                    out.push(std::fs::read_to_string(&path).expect("a golden file"));
                }
            }
        }
        let mut goldens = Vec::new();
        for family in ["analytics", "harness"] {
            read_all(&root.join(family), &mut goldens);
        }
        for row in &CASES {
            let (Fixed(text) | Template(text)) = row.text;
            let fixed = text
                .split(['{', '}'])
                .max_by_key(|part| part.len())
                .unwrap_or(text);
            let json_code = format!("\"code\": {}", row.code);
            let xml_code = format!("<code>{}</code>", row.code);
            let found = goldens.iter().any(|golden| {
                (golden.contains(&json_code) || golden.contains(&xml_code))
                    && golden.contains(fixed)
            });
            assert!(found, "{} ({fixed}) has no golden answer", row.code);
        }
        for (index, row) in CASES.iter().enumerate() {
            assert!(
                CASES[..index].iter().all(|other| other.code != row.code),
                "{} is in the table twice",
                row.code
            );
        }
    }
}

//! `AnalyticsError`: the numbered Analytics v1 error codes (spec analytics-workspace-admins.md
//! §7), one variant per documented case. Rendered only by `render::error`, in the request's
//! `ZOHO_ERROR_FORMAT`.

use std::borrow::Cow;

use axum::http::StatusCode;

use crate::auth::AuthFailure;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnalyticsError {
    /// 7003 `Required parameters are missing in the request.` [Analytics v1 error list]
    MissingParameters,
    /// 8504 `The parameter {NAME} is not proper(Has not been sent or is less than required count)`
    /// [Analytics OpenAPI]
    ParameterNotProper { name: String },
    /// 8506 `The mentioned parameter has been sent more than the required count.`
    ParameterRepeated,
    /// 8509 `The Email Ids provided in ZOHO_EMAILS parameter is not proper / not in the EMAIL ID format.`
    ImproperEmails,
    /// 8516 `Invalid value passed in the mentioned parameter.`
    InvalidValue,
    /// 8533 `The user email address provided in the URL is an improper format.`
    ImproperOwnerEmail,
    /// 7102 `The Workspace name specified in the API request URL is empty.`
    EmptyWorkspaceName,
    /// 7138 `The view name specified in the API request URL does not exist.`
    ViewNotFound,
    /// 7103 `Workspace not found! Please check whether the workspace exists.` [Analytics OpenAPI]
    WorkspaceNotFound,
    /// 7301 `You ({full_name}) do not have the permission to do this operation. ` HTTP 403
    /// (the message ends with a space) [Analytics v2 docs]
    NotPermitted { full_name: String },
    /// 8040 `{email} is not a Workspace Admin.`
    NotWorkspaceAdmin { email: String },
    /// 7535 `{email} is not a user of this organization.`
    NotOrgUser { email: String },
    /// 6028 `User is in inactive state.`
    InactiveUser,
    /// 8060 `Domain does not exist.`
    DomainNotExist,
    /// 8535 `Invalid Oauthtoken` HTTP 401 [Analytics OpenAPI] [Analytics v1 client]
    InvalidOauthToken,
    /// 8540 `Invalid Oauthscope` HTTP 401 [Analytics v1 client]
    InvalidOauthScope,
    /// 7005 HTTP 500, faults only [Analytics OpenAPI]
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

const INTERNAL_ERROR_MESSAGE: &str = "Sorry, an unexpected error occurred when performing this operation. Please contact support for additional information.";

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
            E::InvalidOauthToken => 8535,
            E::InvalidOauthScope => 8540,
            E::InternalError => 7005,
            E::Fault { code, .. } => *code,
        }
    }

    /// 401 for 8535 and 8540, 403 for 7301, 500 for 7005, 400 for every other code.
    pub fn status(&self) -> StatusCode {
        match self {
            AnalyticsError::Fault { status, .. } => *status,
            _ => status_of_code(self.code()),
        }
    }

    pub fn message(&self) -> Cow<'_, str> {
        use AnalyticsError as E;
        match self {
            E::ParameterNotProper { name } => format!(
                "The parameter {name} is not proper(Has not been sent or is less than required count)"
            )
            .into(),
            E::NotPermitted { full_name } => format!(
                "You ({full_name}) do not have the permission to do this operation. "
            )
            .into(),
            E::NotWorkspaceAdmin { email } => format!("{email} is not a Workspace Admin.").into(),
            E::NotOrgUser { email } => format!("{email} is not a user of this organization.").into(),
            E::Fault { message, .. } => message.as_str().into(),
            other => message_of_code(other.code()).unwrap_or_default().into(),
        }
    }
}

pub fn status_of_code(code: u32) -> StatusCode {
    match code {
        8535 | 8540 => StatusCode::UNAUTHORIZED,
        7301 => StatusCode::FORBIDDEN,
        7005 => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// The fixed text of a code, for codes whose message has no placeholder. A fault without a
/// message uses it (spec auth-and-errors.md §9).
pub fn message_of_code(code: u32) -> Option<&'static str> {
    Some(match code {
        7003 => "Required parameters are missing in the request.",
        8506 => "The mentioned parameter has been sent more than the required count.",
        8509 => {
            "The Email Ids provided in ZOHO_EMAILS parameter is not proper / not in the EMAIL ID format."
        }
        8516 => "Invalid value passed in the mentioned parameter.",
        8533 => "The user email address provided in the URL is an improper format.",
        7102 => "The Workspace name specified in the API request URL is empty.",
        7138 => "The view name specified in the API request URL does not exist.",
        7103 => "Workspace not found! Please check whether the workspace exists.",
        6028 => "User is in inactive state.",
        8060 => "Domain does not exist.",
        8535 => "Invalid Oauthtoken",
        8540 => "Invalid Oauthscope",
        7005 => INTERNAL_ERROR_MESSAGE,
        6045 => "Rate limit exceeded",
        _ => return None,
    })
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
}

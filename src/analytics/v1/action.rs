//! The `ZOHO_ACTION` table of Analytics v1: the operations one workspace URL offers, with the
//! scope each needs and whether it changes state. An action is a row here and belongs to a
//! sub-area: `workspace_admins` (REMOVEDBOWNER, ADDDBOWNER, GETSHAREINFO) or `view_sharing`
//! (SHARE, REMOVESHARE).

use super::error::AnalyticsError;
use super::params::{Param, Params, ZOHO_ACTION};

/// A `ZOHO_ACTION`, by the sub-area that performs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Admins(AdminAction),
    Sharing(SharingAction),
}

/// The workspace-admin actions (`workspace_admins`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminAction {
    /// `REMOVEDBOWNER`
    RemoveAdmins,
    /// `ADDDBOWNER`
    AddAdmins,
    /// `GETSHAREINFO`
    GetShareInfo,
}

/// The view-sharing actions (`view_sharing`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SharingAction {
    /// `SHARE`
    Share,
    /// `REMOVESHARE`
    RemoveShare,
}

impl Action {
    /// The value must be exactly one of the upper-case names [seed analytics-remove-workspace-admin.txt].
    pub fn from_params(params: &Params) -> Result<Action, AnalyticsError> {
        use Action::{Admins, Sharing};
        match params.get(ZOHO_ACTION) {
            Param::Missing => Err(AnalyticsError::MissingParameters),
            Param::Text("REMOVEDBOWNER") => Ok(Admins(AdminAction::RemoveAdmins)),
            Param::Text("ADDDBOWNER") => Ok(Admins(AdminAction::AddAdmins)),
            Param::Text("GETSHAREINFO") => Ok(Admins(AdminAction::GetShareInfo)),
            Param::Text("SHARE") => Ok(Sharing(SharingAction::Share)),
            Param::Text("REMOVESHARE") => Ok(Sharing(SharingAction::RemoveShare)),
            Param::Text(_) | Param::NotUtf8 => Err(AnalyticsError::InvalidValue),
        }
    }

    /// `ZohoAnalytics.share.all` and `ZohoAnalytics.fullaccess.all` cover it too (scope grammar).
    pub fn required_scope(self) -> &'static str {
        match self {
            Action::Admins(AdminAction::RemoveAdmins)
            | Action::Sharing(SharingAction::RemoveShare) => "ZohoAnalytics.share.delete",
            Action::Admins(AdminAction::AddAdmins) | Action::Sharing(SharingAction::Share) => {
                "ZohoAnalytics.share.create"
            }
            Action::Admins(AdminAction::GetShareInfo) => "ZohoAnalytics.share.read",
        }
    }

    pub fn changes_state(self) -> bool {
        self != Action::Admins(AdminAction::GetShareInfo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::BufferedBody;
    use axum::http::HeaderMap;

    async fn action(query: &str) -> Result<Action, u32> {
        let params = Params::read(Some(query), &HeaderMap::new(), &BufferedBody::default()).await;
        Action::from_params(&params).map_err(|e| e.code())
    }

    #[tokio::test]
    async fn action_names_are_exact() {
        assert_eq!(
            action("ZOHO_ACTION=REMOVEDBOWNER").await,
            Ok(Action::Admins(AdminAction::RemoveAdmins))
        );
        assert_eq!(
            action("ZOHO_ACTION=ADDDBOWNER").await,
            Ok(Action::Admins(AdminAction::AddAdmins))
        );
        assert_eq!(
            action("ZOHO_ACTION=GETSHAREINFO").await,
            Ok(Action::Admins(AdminAction::GetShareInfo))
        );
        assert_eq!(
            action("ZOHO_ACTION=SHARE").await,
            Ok(Action::Sharing(SharingAction::Share))
        );
        assert_eq!(
            action("ZOHO_ACTION=REMOVESHARE").await,
            Ok(Action::Sharing(SharingAction::RemoveShare))
        );
        assert_eq!(action("").await, Err(7003));
        for bad in ["removedbowner", "ADDDBOWNERS", "", "%FF", "Share", "share"] {
            assert_eq!(
                action(&format!("ZOHO_ACTION={bad}")).await,
                Err(8516),
                "{bad}"
            );
        }
    }
}

//! The `ZOHO_ACTION` table of Analytics v1: the operations one workspace URL offers, with the
//! scope each needs and whether it changes state. A new action (`SHARE`, `REMOVESHARE`, ...)
//! is a row here and a sub-area beside `workspace_admins`.

use super::error::AnalyticsError;
use super::params::{Param, Params, ZOHO_ACTION};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `REMOVEDBOWNER`
    RemoveAdmins,
    /// `ADDDBOWNER`
    AddAdmins,
    /// `GETSHAREINFO`
    GetShareInfo,
}

impl Action {
    /// The value must be exactly one of the upper-case names [seed analytics-remove-workspace-admin.txt].
    pub fn from_params(params: &Params) -> Result<Action, AnalyticsError> {
        match params.get(ZOHO_ACTION) {
            Param::Missing => Err(AnalyticsError::MissingParameters),
            Param::Text("REMOVEDBOWNER") => Ok(Action::RemoveAdmins),
            Param::Text("ADDDBOWNER") => Ok(Action::AddAdmins),
            Param::Text("GETSHAREINFO") => Ok(Action::GetShareInfo),
            Param::Text(_) | Param::NotUtf8 => Err(AnalyticsError::InvalidValue),
        }
    }

    /// `ZohoAnalytics.share.all` and `ZohoAnalytics.fullaccess.all` cover it too (scope grammar).
    pub fn required_scope(self) -> &'static str {
        match self {
            Action::RemoveAdmins => "ZohoAnalytics.share.delete",
            Action::AddAdmins => "ZohoAnalytics.share.create",
            Action::GetShareInfo => "ZohoAnalytics.share.read",
        }
    }

    pub fn changes_state(self) -> bool {
        !matches!(self, Action::GetShareInfo)
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
            Ok(Action::RemoveAdmins)
        );
        assert_eq!(
            action("ZOHO_ACTION=ADDDBOWNER").await,
            Ok(Action::AddAdmins)
        );
        assert_eq!(
            action("ZOHO_ACTION=GETSHAREINFO").await,
            Ok(Action::GetShareInfo)
        );
        assert_eq!(action("").await, Err(7003));
        for bad in ["removedbowner", "ADDDBOWNERS", "", "%FF"] {
            assert_eq!(
                action(&format!("ZOHO_ACTION={bad}")).await,
                Err(8516),
                "{bad}"
            );
        }
    }
}

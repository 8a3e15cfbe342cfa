//! The result bodies of the workspace-admin actions, written both as JSON and as XML, and the
//! wire case of each model refusal.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use crate::analytics::v1::error::AnalyticsError;
use crate::analytics::v1::render::{ResultBody, XmlLines};

use crate::analytics::workspaces::model::{AdminChangeError, Workspace};

impl From<AdminChangeError> for AnalyticsError {
    fn from(err: AdminChangeError) -> Self {
        match err {
            AdminChangeError::NotAdmin { email } => AnalyticsError::NotWorkspaceAdmin { email },
            AdminChangeError::NotOrgUser { email } => AnalyticsError::NotOrgUser { email },
            AdminChangeError::InactiveUser { .. } => AnalyticsError::InactiveUser,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ActionResult {
    Message(MessageResult),
    ShareInfo(ShareInfo),
}

impl ActionResult {
    pub fn admins_removed() -> Self {
        ActionResult::Message(MessageResult {
            message: "Workspace admins removed successfully",
        })
    }

    pub fn admins_added() -> Self {
        ActionResult::Message(MessageResult {
            message: "Workspace admins added successfully",
        })
    }
}

impl ResultBody for ActionResult {
    fn write_xml(&self, xml: &mut XmlLines) {
        match self {
            ActionResult::Message(message) => xml.leaf("message", message.message),
            ActionResult::ShareInfo(info) => info.write_xml(xml),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageResult {
    message: &'static str,
}

/// GETSHAREINFO: all five keys, always, in this order. Views are not modelled, so group,
/// public and private-link sharing are always empty and users hold no view permissions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShareInfo {
    usershareinfo: Vec<UserShareInfo>,
    groupshareinfo: EmptyList,
    publicshareinfo: EmptyObject,
    privatelinkshareinfo: EmptyObject,
    dbownershareinfo: DbOwnerShareInfo,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct UserShareInfo {
    shareinfo: UserShare,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct UserShare {
    email: String,
    permissions: EmptyList,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct DbOwnerShareInfo {
    dbowners: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct EmptyList;

impl Serialize for EmptyList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_seq(Some(0))?.end()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

impl ShareInfo {
    pub fn of(workspace: &Workspace) -> Self {
        ShareInfo {
            usershareinfo: workspace
                .users()
                .iter()
                .map(|email| UserShareInfo {
                    shareinfo: UserShare {
                        email: email.clone(),
                        permissions: EmptyList,
                    },
                })
                .collect(),
            groupshareinfo: EmptyList,
            publicshareinfo: EmptyObject,
            privatelinkshareinfo: EmptyObject,
            dbownershareinfo: DbOwnerShareInfo {
                dbowners: workspace.admins().to_vec(),
            },
        }
    }

    /// A JSON array becomes an element of its name with one child per entry (`shareinfo` per
    /// user, `dbowner` per admin); an empty array or object becomes an empty element.
    fn write_xml(&self, xml: &mut XmlLines) {
        xml.list("usershareinfo", &self.usershareinfo, |xml, user| {
            xml.open("shareinfo", &[]);
            xml.leaf("email", &user.shareinfo.email);
            xml.leaf("permissions", "");
            xml.close("shareinfo");
        });
        xml.leaf("groupshareinfo", "");
        xml.leaf("publicshareinfo", "");
        xml.leaf("privatelinkshareinfo", "");
        xml.open("dbownershareinfo", &[]);
        xml.list("dbowners", &self.dbownershareinfo.dbowners, |xml, admin| {
            xml.leaf("dbowner", admin);
        });
        xml.close("dbownershareinfo");
    }
}

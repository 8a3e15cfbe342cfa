//! The result bodies of the workspace-admin actions, written both as JSON and as XML.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::analytics::v1::render::{ResultBody, XmlLines};
use crate::analytics::workspaces::model::{ShareTarget, Workspace};
use crate::analytics::workspaces::permissions::{Permission, PermissionSet};

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

/// GETSHAREINFO: all five keys, always, in this order (spec analytics-workspace-admins.md §5,
/// analytics-v2-sharing.md §10.3). Public and private-link sharing are not modelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShareInfo {
    usershareinfo: Vec<UserShareInfo>,
    groupshareinfo: Vec<GroupShareInfo>,
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
    permissions: Vec<PermInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct GroupShareInfo {
    shareinfo: GroupShare,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct GroupShare {
    #[serde(rename = "groupName")]
    group_name: String,
    desc: String,
    groupmembers: Vec<String>,
    permissions: Vec<PermInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct PermInfo {
    perminfo: PermDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct PermDetail {
    viewname: String,
    sharedby: String,
    permission: V1Permissions,
}

/// The twelve v1 permission keys, in their order, each with the stored key it reads (not
/// capped by the role) [Analytics v1 client].
const V1_KEYS: [(&str, Permission); 12] = [
    ("read", Permission::Read),
    ("export", Permission::Export),
    ("vud", Permission::Vud),
    ("addrow", Permission::AddRow),
    ("updaterow", Permission::UpdateRow),
    ("deleterow", Permission::DeleteRow),
    ("deleteallrows", Permission::DeleteAllRows),
    ("appendimport", Permission::ImportAppend),
    ("updateimport", Permission::ImportAddOrUpdate),
    ("truncateimport", Permission::ImportDeleteAllAdd),
    ("deleteupdateaddimport", Permission::ImportDeleteUpdateAdd),
    ("share", Permission::Share),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct V1Permissions(PermissionSet);

impl Serialize for V1Permissions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(V1_KEYS.len()))?;
        for (key, permission) in V1_KEYS {
            map.serialize_entry(key, &self.0.has(permission))?;
        }
        map.end()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct DbOwnerShareInfo {
    dbowners: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

/// One `perminfo` per share, in the workspace's `views` order.
fn perm_infos(workspace: &Workspace, target: &ShareTarget) -> Vec<PermInfo> {
    workspace
        .shares_to(target)
        .into_iter()
        .map(|share| PermInfo {
            perminfo: PermDetail {
                viewname: workspace
                    .view(&share.view)
                    .map(|v| v.name.clone())
                    .unwrap_or_default(),
                sharedby: share.shared_by.clone(),
                permission: V1Permissions(share.content.permissions),
            },
        })
        .collect()
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
                        permissions: perm_infos(workspace, &ShareTarget::User(email.clone())),
                    },
                })
                .collect(),
            groupshareinfo: workspace
                .groups()
                .iter()
                .map(|group| GroupShareInfo {
                    shareinfo: GroupShare {
                        group_name: group.name.clone(),
                        desc: group.description.clone(),
                        groupmembers: group.members.clone(),
                        permissions: perm_infos(workspace, &ShareTarget::Group(group.id.clone())),
                    },
                })
                .collect(),
            publicshareinfo: EmptyObject,
            privatelinkshareinfo: EmptyObject,
            dbownershareinfo: DbOwnerShareInfo {
                dbowners: workspace.admins().to_vec(),
            },
        }
    }

    /// A JSON array becomes an element of its name with one child per entry (`shareinfo` per
    /// user or group, `perminfo` per share, `groupmember` per member, `dbowner` per admin); an
    /// object an element with one child per key; an empty array or object an empty element.
    fn write_xml(&self, xml: &mut XmlLines) {
        xml.list("usershareinfo", &self.usershareinfo, |xml, user| {
            xml.open("shareinfo", &[]);
            xml.leaf("email", &user.shareinfo.email);
            write_permissions(xml, &user.shareinfo.permissions);
            xml.close("shareinfo");
        });
        xml.list("groupshareinfo", &self.groupshareinfo, |xml, group| {
            let group = &group.shareinfo;
            xml.open("shareinfo", &[]);
            xml.leaf("groupName", &group.group_name);
            xml.leaf("desc", &group.desc);
            xml.list("groupmembers", &group.groupmembers, |xml, member| {
                xml.leaf("groupmember", member);
            });
            write_permissions(xml, &group.permissions);
            xml.close("shareinfo");
        });
        xml.leaf("publicshareinfo", "");
        xml.leaf("privatelinkshareinfo", "");
        xml.open("dbownershareinfo", &[]);
        xml.list("dbowners", &self.dbownershareinfo.dbowners, |xml, admin| {
            xml.leaf("dbowner", admin);
        });
        xml.close("dbownershareinfo");
    }
}

fn write_permissions(xml: &mut XmlLines, permissions: &[PermInfo]) {
    xml.list("permissions", permissions, |xml, info| {
        let info = &info.perminfo;
        xml.open("perminfo", &[]);
        xml.leaf("viewname", &info.viewname);
        xml.leaf("sharedby", &info.sharedby);
        xml.open("permission", &[]);
        for (key, permission) in V1_KEYS {
            xml.leaf(
                key,
                if info.permission.0.has(permission) {
                    "true"
                } else {
                    "false"
                },
            );
        }
        xml.close("permission");
        xml.close("perminfo");
    });
}

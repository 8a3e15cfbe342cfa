//! The answers of view sharing (spec §7.2, §7.6, §7.7), keys as Zoho spells them.

use serde::Serialize;

use crate::analytics::v2::render::{Keyed, P15, P18, P19, permission_string};
use crate::analytics::workspaces::model::{ColumnList, Share, ShareTarget, Workspace};
use crate::analytics::workspaces::permissions::PermissionSet;
use crate::tenant::directory::{AnalyticsRole, Directory};

/// `GET …/share`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareInfo {
    user_share_info: Vec<UserShareInfo>,
    group_share_info: Vec<GroupShareInfo>,
    public_share_info: Empty,
    private_link_share_info: Empty,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserShareInfo {
    email_id: String,
    views: Vec<SharedView>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupShareInfo {
    group_id: String,
    group_name: String,
    group_desc: String,
    group_members: Vec<String>,
    views: Vec<SharedView>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SharedView {
    view_id: String,
    view_name: String,
    shared_by: String,
    /// `P18` of the stored set, not capped by the role.
    permissions: Keyed,
}

/// `{}`: public and private links are not modelled.
#[derive(Serialize)]
struct Empty {}

fn shared_views(workspace: &Workspace, target: &ShareTarget) -> Vec<SharedView> {
    workspace
        .shares_to(target)
        .into_iter()
        .map(|share| SharedView {
            view_id: share.view.clone(),
            view_name: view_name(workspace, share),
            shared_by: share.shared_by.clone(),
            permissions: Keyed {
                set: share.content.permissions,
                keys: &P18,
            },
        })
        .collect()
}

fn view_name(workspace: &Workspace, share: &Share) -> String {
    workspace
        .view(&share.view)
        .map(|v| v.name.clone())
        .unwrap_or_default()
}

impl ShareInfo {
    /// Users with a direct share in `users` order; groups with a share in `groups` order.
    pub fn of(workspace: &Workspace) -> Self {
        let users = workspace
            .users()
            .iter()
            .map(|email| UserShareInfo {
                email_id: email.clone(),
                views: shared_views(workspace, &ShareTarget::User(email.clone())),
            })
            .filter(|u| !u.views.is_empty())
            .collect();
        let groups = workspace
            .groups()
            .iter()
            .map(|group| GroupShareInfo {
                group_id: group.id.clone(),
                group_name: group.name.clone(),
                group_desc: group.description.clone(),
                group_members: group.members.clone(),
                views: shared_views(workspace, &ShareTarget::Group(group.id.clone())),
            })
            .filter(|g| !g.views.is_empty())
            .collect();
        ShareInfo {
            user_share_info: users,
            group_share_info: groups,
            public_share_info: Empty {},
            private_link_share_info: Empty {},
        }
    }
}

/// `GET …/share/shareddetails`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedDetails {
    shared_details: Vec<ViewDetails>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ViewDetails {
    view_id: String,
    share_info: Vec<ShareDetail>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ShareDetail {
    shared_to: String,
    shared_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    shared_to_zu_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shared_to_group_id: Option<String>,
    permission_string: String,
    permissions: Keyed,
    criteria: String,
    /// A string here, a boolean in requests [Analytics v2 docs].
    inherit_parent_filter_criteria: &'static str,
    is_invalid_criteria: bool,
    shared_columns: Vec<Columns>,
    vud_columns: Vec<Columns>,
    drill_columns: Vec<Columns>,
    is_group_share: bool,
    public_perm_level: u8,
    #[serde(rename = "isROUser")]
    is_ro_user: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Columns {
    table_name: String,
    column_names: Vec<String>,
}

fn columns(lists: &[ColumnList]) -> Vec<Columns> {
    lists
        .iter()
        .map(|c| Columns {
            table_name: c.table_name.clone(),
            column_names: c.column_names.clone(),
        })
        .collect()
}

impl SharedDetails {
    /// One entry per view, in request order; its direct shares in `users` order, then its
    /// group shares in `groups` order.
    pub fn of(workspace: &Workspace, directory: &Directory, views: &[String]) -> Self {
        let detail = |share: &Share| {
            let content = &share.content;
            let (shared_to, zuid, group_id, read_only) = match &share.target {
                ShareTarget::User(email) => {
                    let user = directory.user_by_email(email);
                    (
                        email.clone(),
                        Some(user.map(|u| u.zuid.clone()).unwrap_or_default()),
                        None,
                        user.is_some_and(|u| u.analytics_role == AnalyticsRole::Viewer),
                    )
                }
                ShareTarget::Group(id) => (
                    workspace
                        .group(id)
                        .map(|g| g.name.clone())
                        .unwrap_or_default(),
                    None,
                    Some(id.clone()),
                    false,
                ),
            };
            ShareDetail {
                is_group_share: group_id.is_some(),
                shared_to,
                shared_by: share.shared_by.clone(),
                shared_to_zu_id: zuid,
                shared_to_group_id: group_id,
                permission_string: permission_string(content.permissions),
                permissions: Keyed {
                    set: content.permissions,
                    keys: &P19,
                },
                criteria: content.criteria.clone(),
                inherit_parent_filter_criteria: if content.inherit_parent_filter_criteria {
                    "true"
                } else {
                    "false"
                },
                is_invalid_criteria: false,
                shared_columns: columns(&content.columns),
                vud_columns: columns(&content.vud_columns),
                drill_columns: columns(&content.drill_columns),
                public_perm_level: 0,
                is_ro_user: read_only,
            }
        };
        SharedDetails {
            shared_details: views
                .iter()
                .map(|view| ViewDetails {
                    view_id: view.clone(),
                    share_info: workspace
                        .shares_of_view(view)
                        .into_iter()
                        .map(detail)
                        .collect(),
                })
                .collect(),
        }
    }
}

/// `GET …/mypermissions`: `P15` of the effective set.
#[derive(Serialize)]
pub struct MyPermissions {
    permissions: Keyed,
}

impl MyPermissions {
    pub fn of(set: PermissionSet) -> Self {
        MyPermissions {
            permissions: Keyed { set, keys: &P15 },
        }
    }
}

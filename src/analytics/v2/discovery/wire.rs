//! The answers of discovery (spec §5), keys as Zoho spells them, in the order of the spec.

use serde::Serialize;

use crate::analytics::v2::render::epoch_ms;
use crate::analytics::workspaces::model::{View, Workspace};
use crate::tenant::directory::AnalyticsRole;

/// The caller's role as `GET /restapi/v2/orgs` writes it (spec §1.3).
pub fn org_role(role: AnalyticsRole) -> &'static str {
    match role {
        AnalyticsRole::AccountAdmin => "Account Admin",
        AnalyticsRole::OrgAdmin => "Organization Admin",
        AnalyticsRole::User => "User",
        AnalyticsRole::Viewer => "Viewer",
    }
}

#[derive(Serialize)]
pub struct Orgs {
    pub orgs: Vec<OrgEntry>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgEntry {
    pub org_id: String,
    pub org_name: String,
    pub org_desc: &'static str,
    pub created_by: String,
    pub created_by_zu_id: String,
    pub plan_name: &'static str,
    pub is_default: bool,
    #[serde(rename = "numberOfworkspaces")]
    pub number_of_workspaces: usize,
    pub role: &'static str,
}

/// One entry of the workspace lists (spec §5.2).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceEntry {
    workspace_id: String,
    workspace_name: String,
    workspace_desc: String,
    org_id: String,
    created_time: String,
    created_by: String,
    is_default: bool,
}

impl WorkspaceEntry {
    pub fn of(workspace: &Workspace, org_id: &str) -> Self {
        WorkspaceEntry {
            workspace_id: workspace.id().to_owned(),
            workspace_name: workspace.name().to_owned(),
            workspace_desc: workspace.description().to_owned(),
            org_id: org_id.to_owned(),
            created_time: epoch_ms(workspace.created_time()),
            created_by: workspace.owner_email().to_owned(),
            is_default: false,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllWorkspaces {
    pub owned_workspaces: Vec<WorkspaceEntry>,
    pub shared_workspaces: Vec<WorkspaceEntry>,
}

#[derive(Serialize)]
pub struct WorkspaceList {
    pub workspaces: Vec<WorkspaceEntry>,
}

/// `GET …/workspaces/{ws}`: one object (spec §5.3).
#[derive(Serialize)]
pub struct WorkspaceDetails {
    pub workspaces: Details,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Details {
    workspace_id: String,
    workspace_name: String,
    workspace_desc: String,
    created_time: String,
    created_by: String,
    org_id: String,
}

impl Details {
    pub fn of(workspace: &Workspace, org_id: &str) -> Self {
        Details {
            workspace_id: workspace.id().to_owned(),
            workspace_name: workspace.name().to_owned(),
            workspace_desc: workspace.description().to_owned(),
            created_time: epoch_ms(workspace.created_time()),
            created_by: workspace.owner_email().to_owned(),
            org_id: org_id.to_owned(),
        }
    }
}

#[derive(Serialize)]
pub struct Views {
    pub views: Vec<ViewEntry>,
}

/// One view (spec §5.4).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewEntry {
    view_id: String,
    view_name: String,
    view_desc: String,
    view_type: &'static str,
    parent_view_id: String,
    folder_id: String,
    folder_name: String,
    created_time: String,
    created_by: String,
    last_modified_time: String,
    last_modified_by: String,
    is_favorite: bool,
    shared_by: String,
}

impl ViewEntry {
    pub fn of(workspace: &Workspace, view: &View, shared_by: &str) -> Self {
        let time = epoch_ms(view.created_time);
        ViewEntry {
            view_id: view.id.clone(),
            view_name: view.name.clone(),
            view_desc: view.description.clone(),
            view_type: view.kind.as_str(),
            parent_view_id: view.parent.clone().unwrap_or_default(),
            folder_id: view.folder.clone(),
            folder_name: workspace
                .folder(&view.folder)
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            created_time: time.clone(),
            created_by: view.owner.clone(),
            last_modified_time: time,
            last_modified_by: view.owner.clone(),
            is_favorite: false,
            shared_by: shared_by.to_owned(),
        }
    }
}

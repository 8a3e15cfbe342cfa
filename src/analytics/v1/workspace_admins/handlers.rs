//! The workspace-admin actions, once the front door (`analytics::v1`) has run every check of
//! spec §4 up to the state rules: each applies them to the workspace, all-or-nothing, and says
//! what to answer.

use crate::analytics::v1::error::AnalyticsError;
use crate::analytics::workspaces::model::{NewAdmins, Workspace, WorkspaceSlot, Workspaces};
use crate::tenant::directory::Directory;

use super::wire::{ActionResult, ShareInfo};

/// `REMOVEDBOWNER`: every email stops being an admin (they stay users).
pub fn remove_workspace_admins(
    workspaces: &mut Workspaces,
    workspace: WorkspaceSlot,
    emails: &[String],
) -> Result<ActionResult, AnalyticsError> {
    workspaces
        .get_mut(workspace)
        .ok_or(AnalyticsError::InternalError)?
        .remove_admins(emails)?;
    Ok(ActionResult::admins_removed())
}

/// `ADDDBOWNER`: every email, an active user of the org and no Viewer, becomes an admin (and a
/// user of the workspace when it is not one yet: v1 is more lenient than v2, spec §10.4).
pub fn add_workspace_admins(
    workspaces: &mut Workspaces,
    directory: &Directory,
    workspace: WorkspaceSlot,
    emails: &[String],
) -> Result<ActionResult, AnalyticsError> {
    workspaces
        .get_mut(workspace)
        .ok_or(AnalyticsError::InternalError)?
        .add_admins(emails, directory, NewAdmins::MayJoin)?;
    Ok(ActionResult::admins_added())
}

/// `GETSHAREINFO`: who the workspace and its views are shared with, its groups, and who
/// administers it.
pub fn get_share_info(workspace: &Workspace) -> ActionResult {
    ActionResult::ShareInfo(ShareInfo::of(workspace))
}

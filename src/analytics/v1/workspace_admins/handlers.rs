//! The workspace-admin actions, once the front door (`analytics::v1`) has run every check of
//! spec §4 up to the state rules: each applies them to the workspace, all-or-nothing, and says
//! what to answer.

use crate::analytics::v1::error::AnalyticsError;
use crate::analytics::workspaces::model::{Workspace, WorkspaceSlot, Workspaces};
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

/// `ADDDBOWNER`: every email, an active user of the org, becomes an admin.
pub fn add_workspace_admins(
    workspaces: &mut Workspaces,
    directory: &Directory,
    workspace: WorkspaceSlot,
    emails: &[String],
) -> Result<ActionResult, AnalyticsError> {
    workspaces
        .get_mut(workspace)
        .ok_or(AnalyticsError::InternalError)?
        .add_admins(emails, directory)?;
    Ok(ActionResult::admins_added())
}

/// `GETSHAREINFO`: who the workspace is shared with and who administers it.
pub fn get_share_info(workspace: &Workspace) -> ActionResult {
    ActionResult::ShareInfo(ShareInfo::of(workspace))
}

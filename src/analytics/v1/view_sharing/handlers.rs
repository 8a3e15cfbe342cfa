//! SHARE and REMOVESHARE, once the front door (`analytics::v1`) has run every check up to the
//! state rules: who may call (step 10b), then the state rules and the change, all-or-nothing.

use crate::analytics::v1::error::AnalyticsError;
use crate::analytics::workspaces::access::{self, Caller};
use crate::analytics::workspaces::model::{
    OnExisting, Removal, ShareBatch, Workspace, WorkspaceSlot, Workspaces,
};
use crate::analytics::workspaces::permissions::Permission;
use crate::clock::Timestamp;
use crate::tenant::directory::Directory;

use super::request::{SharingArgs, Views};
use super::wire::SharingResult;

/// Step 10b: an admin of the workspace, or a caller holding `share` on every named view;
/// every share of the emails (`ZOHO_ALLVIEWS=true`) is for admins only.
pub fn may_act(workspace: &Workspace, views: &Views, caller: Caller<'_>) -> bool {
    if access::is_admin_of(workspace, caller) {
        return true;
    }
    match views {
        Views::All => false,
        Views::Named(ids) => ids.iter().all(|id| {
            workspace.view(id).is_some_and(|view| {
                access::effective_permissions(workspace, view, caller).has(Permission::Share)
            })
        }),
    }
}

/// SHARE creates the (view, email) shares or replaces existing ones; REMOVESHARE removes the
/// direct shares of the emails (group shares are never touched).
pub fn perform(
    workspaces: &mut Workspaces,
    directory: &Directory,
    slot: WorkspaceSlot,
    args: SharingArgs,
    sharer: &str,
    now: Timestamp,
) -> Result<SharingResult, AnalyticsError> {
    let workspace = workspaces
        .get_mut(slot)
        .ok_or(AnalyticsError::InternalError)?;
    match args {
        SharingArgs::Share {
            views,
            emails,
            content,
        } => {
            let batch = ShareBatch {
                views: &views,
                emails: &emails,
                groups: &[],
                content: &content,
                sharer,
                now,
                on_existing: OnExisting::Replace,
            };
            workspace.share(batch, directory)?;
            Ok(SharingResult::shared())
        }
        SharingArgs::RemoveShare { views, emails } => {
            let removal = match &views {
                Views::All => Removal::AllViews,
                Views::Named(ids) => Removal::Views(ids),
            };
            workspace.remove_shares(removal, &emails, &[])?;
            Ok(SharingResult::removed())
        }
    }
}

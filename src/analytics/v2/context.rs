//! What the front door (`analytics::v2`) hands an endpoint once steps 1 to 7 (d) of spec
//! analytics-v2-sharing.md §4 have passed: the caller, the workspace, the path's view and
//! group, the time. Also the id checks of step 7 (e) and (f), which the share endpoints run on
//! their `viewIds` and `groupIds`.

use crate::analytics::workspaces::access::Caller;
use crate::analytics::workspaces::model::{Workspace, WorkspaceSlot};
use crate::clock::Timestamp;
use crate::store::org::Org;
use crate::tenant::directory::{AnalyticsRole, Directory, User};

use super::error::V2Error;

/// The caller, copied out of the state so that a write can borrow the org mutably.
#[derive(Clone, Debug)]
pub struct CallerInfo {
    /// As the user record spells it.
    pub email: String,
    pub full_name: String,
    pub role: AnalyticsRole,
}

impl CallerInfo {
    pub fn of(user: &User) -> Self {
        CallerInfo {
            email: user.email.clone(),
            full_name: user.full_name.clone(),
            role: user.analytics_role,
        }
    }

    pub fn caller(&self) -> Caller<'_> {
        Caller {
            email: &self.email,
            role: self.role,
        }
    }

    /// 7301, naming the caller.
    pub fn refused(&self) -> V2Error {
        V2Error::NotPermitted {
            full_name: self.full_name.clone(),
        }
    }
}

/// A request that passed steps 1 to 7 (d).
#[derive(Clone, Debug)]
pub struct Ctx {
    pub caller: CallerInfo,
    /// The path's workspace, on workspace routes.
    pub workspace: Option<WorkspaceSlot>,
    /// The path's view, a view of that workspace.
    pub view: Option<String>,
    /// The path's group, a group of that workspace.
    pub group: Option<String>,
    pub now: Timestamp,
}

impl Ctx {
    /// The path's workspace (a route without one never asks).
    pub fn workspace<'o>(&self, org: &'o Org) -> Result<&'o Workspace, V2Error> {
        self.workspace
            .and_then(|slot| org.analytics.get(slot))
            .ok_or(V2Error::InternalError)
    }

    /// The path's workspace to change, with the org's directory beside it.
    pub fn workspace_mut<'o>(
        &self,
        org: &'o mut Org,
    ) -> Result<(&'o mut Workspace, &'o Directory), V2Error> {
        let Org {
            tenant, analytics, ..
        } = org;
        let workspace = self
            .workspace
            .and_then(|slot| analytics.get_mut(slot))
            .ok_or(V2Error::InternalError)?;
        Ok((workspace, &tenant.directory))
    }

    pub fn view_id(&self) -> Result<&str, V2Error> {
        self.view.as_deref().ok_or(V2Error::InternalError)
    }

    pub fn group_id(&self) -> Result<&str, V2Error> {
        self.group.as_deref().ok_or(V2Error::InternalError)
    }
}

/// Step 7 (c) and (e): a view of the org (else 404, 7104) and of this workspace (else 7319).
pub fn check_view(org: &Org, workspace: &Workspace, id: &str) -> Result<(), V2Error> {
    if workspace.view(id).is_some() {
        return Ok(());
    }
    match org.analytics.view_anywhere(id) {
        Some(_) => Err(V2Error::ViewOfAnotherWorkspace),
        None => Err(V2Error::ViewNotFound),
    }
}

/// Step 7 (e): every `viewIds` entry, in list order.
pub fn check_views(org: &Org, workspace: &Workspace, ids: &[String]) -> Result<(), V2Error> {
    ids.iter().try_for_each(|id| check_view(org, workspace, id))
}

/// Step 7 (d) and (f): a group of this workspace (else 7338).
pub fn check_groups(workspace: &Workspace, ids: &[String]) -> Result<(), V2Error> {
    match ids.iter().all(|id| workspace.group(id).is_some()) {
        true => Ok(()),
        false => Err(V2Error::GroupNotInWorkspace),
    }
}

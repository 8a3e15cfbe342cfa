//! View sharing (spec §7), each operation walking steps 7 (e, f) to 10 of §4: the `viewIds`
//! and `groupIds`, who may call, the value rules, then the change through the workspace model.

use axum::response::Response;

use crate::analytics::v2::context::{Ctx, check_groups, check_views};
use crate::analytics::v2::error::V2Error;
use crate::analytics::v2::render::{no_content, success};
use crate::analytics::workspaces::access::{self, Caller};
use crate::analytics::workspaces::model::{
    OnExisting, Removal, ShareBatch, ShareChange, Workspace,
};
use crate::analytics::workspaces::permissions::Permission;
use crate::store::org::Org;

use super::request::{DetailsRequest, RemoveRequest, ShareRequest, UpdateRequest};
use super::wire::{MyPermissions, ShareInfo, SharedDetails};

/// An admin of the workspace, or a caller holding `share` on every view.
fn may_share(workspace: &Workspace, views: &[String], caller: Caller<'_>) -> bool {
    access::is_admin_of(workspace, caller)
        || views.iter().all(|id| {
            workspace.view(id).is_some_and(|view| {
                access::effective_permissions(workspace, view, caller).has(Permission::Share)
            })
        })
}

/// `GET …/share`: for admins of the workspace.
pub fn share_info(org: &Org, ctx: &Ctx) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    if !access::is_admin_of(workspace, ctx.caller.caller()) {
        return Err(ctx.caller.refused());
    }
    Ok(success("Get share info", &ShareInfo::of(workspace)))
}

/// `POST …/share`: every view to every email and group; a pair shared already is refused.
pub fn share(org: &mut Org, ctx: &Ctx, request: ShareRequest) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    check_views(org, workspace, &request.views)?;
    check_groups(workspace, &request.targets.groups)?;
    if !may_share(workspace, &request.views, ctx.caller.caller()) {
        return Err(ctx.caller.refused());
    }
    let content = request.content()?;
    let (workspace, directory) = ctx.workspace_mut(org)?;
    let batch = ShareBatch {
        views: &request.views,
        emails: &request.targets.emails,
        groups: &request.targets.groups,
        content: &content,
        sharer: &ctx.caller.email,
        now: ctx.now,
        on_existing: OnExisting::Refuse,
    };
    workspace.share(batch, directory)?;
    Ok(no_content())
}

/// `PUT …/views/{view}/share`: the named parts of each target's share of the path's view.
pub fn update(org: &mut Org, ctx: &Ctx, request: UpdateRequest) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    let view = ctx.view_id()?.to_owned();
    check_groups(workspace, &request.targets.groups)?;
    if !may_share(workspace, std::slice::from_ref(&view), ctx.caller.caller()) {
        return Err(ctx.caller.refused());
    }
    let update = request.update()?;
    let (workspace, directory) = ctx.workspace_mut(org)?;
    let change = ShareChange {
        view: &view,
        emails: &request.targets.emails,
        groups: &request.targets.groups,
        update: &update,
        sharer: &ctx.caller.email,
        now: ctx.now,
    };
    workspace.update_shares(change, directory)?;
    Ok(no_content())
}

/// `DELETE …/share`: the named pairs, or with `removeAllViews` every share of the targets.
pub fn remove(org: &mut Org, ctx: &Ctx, request: RemoveRequest) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    check_views(org, workspace, &request.views)?;
    check_groups(workspace, &request.targets.groups)?;
    let caller = ctx.caller.caller();
    let allowed = if request.all {
        access::is_admin_of(workspace, caller)
    } else {
        may_share(workspace, &request.views, caller)
    };
    if !allowed {
        return Err(ctx.caller.refused());
    }
    request.check_values()?;
    let removal = if request.all {
        Removal::AllViews
    } else {
        Removal::Views(&request.views)
    };
    let (workspace, _) = ctx.workspace_mut(org)?;
    workspace.remove_shares(removal, &request.targets.emails, &request.targets.groups)?;
    Ok(no_content())
}

/// `GET …/share/shareddetails`: for admins, or a caller holding `share` on every view.
pub fn shared_details(org: &Org, ctx: &Ctx, request: DetailsRequest) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    check_views(org, workspace, &request.views)?;
    if !may_share(workspace, &request.views, ctx.caller.caller()) {
        return Err(ctx.caller.refused());
    }
    let details = SharedDetails::of(workspace, &org.tenant.directory, &request.views);
    Ok(success("Get shared details for view", &details))
}

/// `GET …/views/{view}/share/mypermissions`: the caller's effective permissions, for a caller
/// that holds `read` on the view.
pub fn my_permissions(org: &Org, ctx: &Ctx) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    let view = workspace
        .view(ctx.view_id()?)
        .ok_or(V2Error::InternalError)?;
    let set = access::effective_permissions(workspace, view, ctx.caller.caller());
    if !set.has(Permission::Read) {
        return Err(ctx.caller.refused());
    }
    Ok(success("Get user permissions", &MyPermissions::of(set)))
}

//! `GET`, `POST`, `DELETE …/admins` (spec §6). Account Admins, Org Admins and the owner may
//! call them, as in v1 (`access::manages_admins`).

use axum::response::Response;

use crate::analytics::v2::context::Ctx;
use crate::analytics::v2::error::V2Error;
use crate::analytics::v2::render::{no_content, success};
use crate::analytics::workspaces::access;
use crate::analytics::workspaces::model::NewAdmins;
use crate::store::org::Org;

use super::request::AdminsRequest;
use super::wire::{AdminMembers, Admins};

pub fn get(org: &Org, ctx: &Ctx) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    if !access::manages_admins(workspace, ctx.caller.caller()) {
        return Err(ctx.caller.refused());
    }
    let admins = Admins {
        workspace_admins: [AdminMembers {
            admin_members: workspace.admins(),
        }],
    };
    Ok(success("Get workspace admins", &admins))
}

/// Each email, a user of the workspace who is active and no Viewer, becomes an admin; the
/// owner and current admins are skipped.
pub fn add(org: &mut Org, ctx: &Ctx, request: AdminsRequest) -> Result<Response, V2Error> {
    check_caller(org, ctx)?;
    let emails = request.emails()?;
    let (workspace, directory) = ctx.workspace_mut(org)?;
    workspace.add_admins(emails, directory, NewAdmins::MembersOnly)?;
    Ok(no_content())
}

/// Each email, a current admin, stops being one and stays a user.
pub fn remove(org: &mut Org, ctx: &Ctx, request: AdminsRequest) -> Result<Response, V2Error> {
    check_caller(org, ctx)?;
    let emails = request.emails()?;
    let (workspace, _) = ctx.workspace_mut(org)?;
    workspace.remove_admins(emails)?;
    Ok(no_content())
}

fn check_caller(org: &Org, ctx: &Ctx) -> Result<(), V2Error> {
    if access::manages_admins(ctx.workspace(org)?, ctx.caller.caller()) {
        Ok(())
    } else {
        Err(ctx.caller.refused())
    }
}

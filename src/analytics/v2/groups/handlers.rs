//! The groups routes (spec §9), all for admins of the workspace.

use axum::response::Response;

use crate::analytics::v2::context::Ctx;
use crate::analytics::v2::error::V2Error;
use crate::analytics::v2::render::{no_content, success};
use crate::analytics::workspaces::access;
use crate::store::org::Org;

use super::request::{CreateRequest, MembersRequest, RenameRequest};
use super::wire::{Created, GroupEntry, Groups, OneGroup};

fn check_caller(org: &Org, ctx: &Ctx) -> Result<(), V2Error> {
    if access::is_admin_of(ctx.workspace(org)?, ctx.caller.caller()) {
        Ok(())
    } else {
        Err(ctx.caller.refused())
    }
}

pub fn list(org: &Org, ctx: &Ctx) -> Result<Response, V2Error> {
    check_caller(org, ctx)?;
    let groups = ctx
        .workspace(org)?
        .groups()
        .iter()
        .map(GroupEntry::of)
        .collect();
    Ok(success("Get groups", &Groups { groups }))
}

/// A new group with a fresh id of the org (spent only when the group is made).
pub fn create(org: &mut Org, ctx: &Ctx, request: CreateRequest) -> Result<Response, V2Error> {
    check_caller(org, ctx)?;
    let emails = request.emails()?;
    let id = org.with_new_id(|org, id| {
        let (workspace, directory) = ctx.workspace_mut(org)?;
        workspace.create_group(
            id.clone(),
            &request.name,
            &request.description,
            emails,
            directory,
        )?;
        Ok::<_, V2Error>(id)
    })?;
    Ok(success(
        "Group created successfully",
        &Created { group_id: id },
    ))
}

pub fn get(org: &Org, ctx: &Ctx) -> Result<Response, V2Error> {
    check_caller(org, ctx)?;
    let group = ctx
        .workspace(org)?
        .group(ctx.group_id()?)
        .ok_or(V2Error::InternalError)?;
    Ok(success(
        "Get group details",
        &OneGroup {
            groups: GroupEntry::of(group),
        },
    ))
}

pub fn rename(org: &mut Org, ctx: &Ctx, request: RenameRequest) -> Result<Response, V2Error> {
    check_caller(org, ctx)?;
    let group = ctx.group_id()?;
    let (workspace, _) = ctx.workspace_mut(org)?;
    workspace.rename_group(group, &request.name, &request.description)?;
    Ok(no_content())
}

/// The group and every share to it go; its members keep their direct shares.
pub fn delete(org: &mut Org, ctx: &Ctx) -> Result<Response, V2Error> {
    check_caller(org, ctx)?;
    let group = ctx.group_id()?;
    let (workspace, _) = ctx.workspace_mut(org)?;
    workspace.delete_group(group)?;
    Ok(no_content())
}

pub fn add_members(org: &mut Org, ctx: &Ctx, request: MembersRequest) -> Result<Response, V2Error> {
    check_caller(org, ctx)?;
    let emails = request.emails()?;
    let group = ctx.group_id()?;
    let (workspace, directory) = ctx.workspace_mut(org)?;
    workspace.add_members(group, emails, directory)?;
    Ok(no_content())
}

pub fn remove_members(
    org: &mut Org,
    ctx: &Ctx,
    request: MembersRequest,
) -> Result<Response, V2Error> {
    check_caller(org, ctx)?;
    let emails = request.emails()?;
    let group = ctx.group_id()?;
    let (workspace, _) = ctx.workspace_mut(org)?;
    workspace.remove_members(group, emails)?;
    Ok(no_content())
}

//! The users routes (spec §8.1 to §8.5), each walking steps 8 to 10 of §4.

use axum::response::Response;

use crate::analytics::v2::context::Ctx;
use crate::analytics::v2::error::V2Error;
use crate::analytics::v2::render::{no_content, success};
use crate::analytics::workspaces::access;
use crate::analytics::workspaces::model::{Workspace, same_email};
use crate::store::org::Org;
use crate::tenant::directory::{AnalyticsRole, Directory};

use super::request::{RemoveRequest, StatusRequest, UsersRequest};
use super::wire::{UserRow, Users};

/// The rows, each email once: Account Admins, Org Admins (user order), the owner, the users.
fn rows(workspace: &Workspace, directory: &Directory) -> Vec<UserRow> {
    let admins_first = [AnalyticsRole::AccountAdmin, AnalyticsRole::OrgAdmin]
        .into_iter()
        .flat_map(|role| {
            directory
                .users()
                .iter()
                .filter(move |u| u.analytics_role == role)
                .map(|u| u.email.as_str())
        });
    let members = std::iter::once(workspace.owner_email())
        .chain(workspace.users().iter().map(String::as_str));
    let mut emails: Vec<&str> = Vec::new();
    for email in admins_first.chain(members) {
        if !emails.iter().any(|e| same_email(e, email)) {
            emails.push(email);
        }
    }
    emails
        .into_iter()
        .map(|email| {
            let user = directory.user_by_email(email);
            let role = match user.map(|u| u.analytics_role) {
                Some(AnalyticsRole::AccountAdmin) => "Account Admin",
                Some(AnalyticsRole::OrgAdmin) => "Organization Admin",
                Some(AnalyticsRole::User)
                    if workspace.is_owner(email) || workspace.is_admin(email) =>
                {
                    "Workspace Admin"
                }
                _ => "User",
            };
            UserRow {
                email_id: email.to_owned(),
                status: !workspace.is_inactive(email) && user.is_some_and(|u| u.is_active()),
                role,
            }
        })
        .collect()
}

/// `GET …/users`: for admins of the workspace.
pub fn get(org: &Org, ctx: &Ctx) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    if !access::is_admin_of(workspace, ctx.caller.caller()) {
        return Err(ctx.caller.refused());
    }
    let users = Users {
        users: rows(workspace, &org.tenant.directory),
    };
    Ok(success("Get workspace users", &users))
}

/// `POST …/users`: admins of the workspace; giving or taking `WORKSPACEADMIN` is for Account
/// Admins, Org Admins and the owner.
pub fn add(org: &mut Org, ctx: &Ctx, request: UsersRequest) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    let caller = ctx.caller.caller();
    let allowed = access::is_admin_of(workspace, caller)
        && (!request.touches_admins(|e| workspace.is_admin(e))
            || access::manages_admins(workspace, caller));
    if !allowed {
        return Err(ctx.caller.refused());
    }
    let entries = request.entries()?;
    let (workspace, directory) = ctx.workspace_mut(org)?;
    workspace.add_users(&entries, directory)?;
    Ok(no_content())
}

/// `DELETE …/users`: admins of the workspace; removing a Workspace Admin is for Account
/// Admins, Org Admins and the owner.
pub fn remove(org: &mut Org, ctx: &Ctx, request: RemoveRequest) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    let caller = ctx.caller.caller();
    let removes_admin = request.emails.iter().any(|e| workspace.is_admin(e));
    let allowed = access::is_admin_of(workspace, caller)
        && (!removes_admin || access::manages_admins(workspace, caller));
    if !allowed {
        return Err(ctx.caller.refused());
    }
    request.check_values()?;
    let (workspace, _) = ctx.workspace_mut(org)?;
    workspace.remove_users(&request.emails)?;
    Ok(no_content())
}

/// `PUT …/users/status`: Account Admins only.
pub fn status(org: &mut Org, ctx: &Ctx, request: StatusRequest) -> Result<Response, V2Error> {
    if !ctx.caller.caller().is_account_admin() {
        return Err(ctx.caller.refused());
    }
    let (emails, active) = request.values()?;
    let (workspace, _) = ctx.workspace_mut(org)?;
    workspace.set_active(emails, active)?;
    Ok(no_content())
}

/// `PUT …/users/role`: Account Admins and Org Admins.
pub fn role(org: &mut Org, ctx: &Ctx, request: UsersRequest) -> Result<Response, V2Error> {
    let caller = ctx.caller.caller();
    if !(caller.is_account_admin() || caller.is_org_admin()) {
        return Err(ctx.caller.refused());
    }
    let entries = request.entries()?;
    let (workspace, directory) = ctx.workspace_mut(org)?;
    workspace.set_roles(&entries, directory)?;
    Ok(no_content())
}

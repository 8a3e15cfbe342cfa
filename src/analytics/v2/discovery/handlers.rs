//! Discovery (spec §5): read-only, under the read lock.

use axum::response::Response;

use crate::analytics::v2::context::Ctx;
use crate::analytics::v2::error::V2Error;
use crate::analytics::v2::render::success;
use crate::analytics::workspaces::access;
use crate::analytics::workspaces::model::View;
use crate::analytics::workspaces::permissions::Permission;
use crate::store::org::Org;
use crate::tenant::directory::AnalyticsRole;

use super::request::{SortBy, ViewQuery};
use super::wire::{
    AllWorkspaces, Details, OrgEntry, Orgs, ViewEntry, Views, WorkspaceDetails, WorkspaceEntry,
    WorkspaceList, org_role,
};

/// `GET /restapi/v2/orgs`: the caller's org, the one a mock user belongs to.
pub fn orgs(org: &Org, ctx: &Ctx) -> Result<Response, V2Error> {
    let directory = &org.tenant.directory;
    let first_account_admin = directory
        .users()
        .iter()
        .find(|u| u.analytics_role == AnalyticsRole::AccountAdmin);
    let entry = OrgEntry {
        org_id: org.tenant.analytics_org_id().to_owned(),
        org_name: org.tenant.name().to_owned(),
        org_desc: "",
        created_by: first_account_admin.map_or_else(String::new, |u| u.email.clone()),
        created_by_zu_id: first_account_admin.map_or_else(String::new, |u| u.zuid.clone()),
        plan_name: "Premium",
        is_default: true,
        number_of_workspaces: org.analytics.all().len(),
        role: org_role(ctx.caller.role),
    };
    Ok(success("Get organizations", &Orgs { orgs: vec![entry] }))
}

/// Which workspace list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    All,
    Owned,
    Shared,
}

/// `GET /restapi/v2/workspaces[/owned|/shared]`: owned are the caller's; shared, the others it
/// has access to (every other one for an Account Admin or an Org Admin), in fixture order.
pub fn workspaces(org: &Org, ctx: &Ctx, which: Which) -> Result<Response, V2Error> {
    let caller = ctx.caller.caller();
    let org_id = org.tenant.analytics_org_id();
    let mut owned = Vec::new();
    let mut shared = Vec::new();
    for workspace in org.analytics.all() {
        if workspace.is_owner(caller.email) {
            owned.push(WorkspaceEntry::of(workspace, org_id));
        } else if access::has_access(workspace, caller) {
            shared.push(WorkspaceEntry::of(workspace, org_id));
        }
    }
    Ok(match which {
        Which::All => success(
            "Get all workspaces",
            &AllWorkspaces {
                owned_workspaces: owned,
                shared_workspaces: shared,
            },
        ),
        Which::Owned => success("Get owned workspaces", &WorkspaceList { workspaces: owned }),
        Which::Shared => success(
            "Get shared workspaces",
            &WorkspaceList { workspaces: shared },
        ),
    })
}

/// `GET /restapi/v2/workspaces/{ws}`: for whoever has access to it.
pub fn details(org: &Org, ctx: &Ctx) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    if !access::has_access(workspace, ctx.caller.caller()) {
        return Err(ctx.caller.refused());
    }
    let details = Details::of(workspace, org.tenant.analytics_org_id());
    Ok(success(
        "Get workspace details",
        &WorkspaceDetails {
            workspaces: details,
        },
    ))
}

/// `GET …/views`: every view for an admin of the workspace; the views it owns or holds `read`
/// on for anyone else with access; filtered, sorted and paged by the options.
pub fn views(org: &Org, ctx: &Ctx, query: ViewQuery) -> Result<Response, V2Error> {
    let workspace = ctx.workspace(org)?;
    let caller = ctx.caller.caller();
    if !access::has_access(workspace, caller) {
        return Err(ctx.caller.refused());
    }
    let options = query.options()?;
    let directory = &org.tenant.directory;
    let zuid_of = |view: &View| {
        directory
            .user_by_email(&view.owner)
            .map(|u| u.zuid.as_str())
    };
    let mut views: Vec<&View> = workspace
        .views()
        .iter()
        .filter(|view| access::effective_permissions(workspace, view, caller).has(Permission::Read))
        .filter(|view| {
            options
                .types
                .as_ref()
                .is_none_or(|types| types.contains(&view.kind))
        })
        .filter(|view| {
            options
                .keyword
                .as_ref()
                .is_none_or(|keyword| view.name.to_lowercase().contains(&keyword.to_lowercase()))
        })
        .filter(|view| {
            options
                .criteria_zuid
                .as_ref()
                .is_none_or(|zuid| zuid_of(view) == Some(zuid.as_str()))
        })
        .collect();
    match options.sort_by {
        SortBy::Name => views.sort_by(|a, b| {
            (a.name.to_lowercase(), &a.name, &a.id).cmp(&(b.name.to_lowercase(), &b.name, &b.id))
        }),
        SortBy::Time => views.sort_by(|a, b| (a.created_time, &a.id).cmp(&(b.created_time, &b.id))),
    }
    if options.descending {
        views.reverse();
    }
    let page = views
        .into_iter()
        .skip(options.start_index)
        .take(options.no_of_result.unwrap_or(usize::MAX));
    let entries = page
        .map(|view| ViewEntry::of(workspace, view, access::shared_by(workspace, view, caller)))
        .collect();
    Ok(success("Get views", &Views { views: entries }))
}

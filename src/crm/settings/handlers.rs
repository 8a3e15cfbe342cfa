//! Handlers of the discovery calls. Each walks spec crm-settings-and-search.md §2 on screen:
//! token, scope, path id, Administrator, query, then the directory, and renders it.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::app_state::AppState;
use crate::auth::{CallerRef, authenticate};
use crate::crm::checks;
use crate::crm::error::CrmError;
use crate::crm::extract::{CrmPath, CrmQuery, CrmVersion};
use crate::tenant::directory::{Group, GroupSource};

use super::request::{GroupsQuery, SourcesQuery, check_profiles_query};
use super::wire;

const ROLES_READ: &str = "ZohoCRM.settings.roles.READ";
const GROUPS_READ: &str = "ZohoCRM.settings.user_groups.READ";
const PROFILES_READ: &str = "ZohoCRM.settings.profiles.READ";

/// The id segment after the version is the second (`settings` is the first).
const PATH_ID_INDEX: u8 = 2;

/// The group a path names, before the caller's profile is checked.
fn path_group<'w>(caller: &CallerRef<'w>, path: &CrmPath) -> Result<&'w Group, CrmError> {
    path.get("group_id")
        .and_then(|id| caller.org.tenant.directory.group(id))
        .ok_or(CrmError::IdInvalid {
            resource_path_index: PATH_ID_INDEX,
        })
}

pub async fn get_roles(
    State(app): State<AppState>,
    _version: CrmVersion,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, ROLES_READ)?;
        checks::administrator_or(&caller, CrmError::NoPermissionToRead)?;
        let directory = &caller.org.tenant.directory;
        Ok(wire::roles(directory, directory.roles().iter()))
    })
}

pub async fn get_role(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, ROLES_READ)?;
        let directory = &caller.org.tenant.directory;
        let role = path
            .get("role_id")
            .and_then(|id| directory.role(id))
            .ok_or(CrmError::IdInvalid {
                resource_path_index: PATH_ID_INDEX,
            })?;
        checks::administrator_or(&caller, CrmError::NoPermissionToRead)?;
        Ok(wire::roles(directory, std::iter::once(role)))
    })
}

pub async fn get_groups(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, GROUPS_READ)?;
        checks::administrator_or(&caller, CrmError::NoPermissionToViewGroups)?;
        let query = GroupsQuery::parse(&query)?;
        let directory = &caller.org.tenant.directory;
        let groups: Vec<&Group> = directory
            .groups()
            .iter()
            .filter(|group| query.admits(group))
            .collect();
        let (page, info) = query.paging.slice(&groups);
        Ok(wire::groups_page(directory, page, info, query.with_counts))
    })
}

pub async fn get_group(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, GROUPS_READ)?;
        let group = path_group(&caller, &path)?;
        checks::administrator_or(&caller, CrmError::NoPermissionToViewGroups)?;
        Ok(wire::one_group(&caller.org.tenant.directory, group))
    })
}

pub async fn get_group_sources(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, GROUPS_READ)?;
        let group = path_group(&caller, &path)?;
        checks::administrator_or(&caller, CrmError::NoPermissionToViewGroups)?;
        let query = SourcesQuery::parse(&query)?;
        let directory = &caller.org.tenant.directory;
        let sources: Vec<&GroupSource> = group
            .sources
            .iter()
            .filter(|source| query.admits(directory, source))
            .collect();
        let (page, info) = query.paging.slice(&sources);
        Ok(wire::sources_page(directory, page, info))
    })
}

pub async fn get_group_sources_count(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, GROUPS_READ)?;
        let group = path_group(&caller, &path)?;
        checks::administrator_or(&caller, CrmError::NoPermissionToViewGroups)?;
        Ok(wire::sources_count(&caller.org.tenant.directory, group))
    })
}

pub async fn get_profiles(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, PROFILES_READ)?;
        checks::administrator_or(&caller, CrmError::NoPermissionToRead)?;
        check_profiles_query(&query)?;
        Ok(wire::profiles(caller.org.tenant.directory.profiles()))
    })
}

pub async fn get_profile(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, PROFILES_READ)?;
        let profile = path
            .get("profile_id")
            .and_then(|id| caller.org.tenant.directory.profile_by_id(id))
            .ok_or(CrmError::ProfileIdInvalid)?;
        checks::administrator_or(&caller, CrmError::NoPermissionToRead)?;
        Ok(wire::one_profile(profile, caller.org.crm.records.modules()))
    })
}

//! The handlers: token, scope (users only), path id or query, then the directory.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::app_state::AppState;
use crate::auth::authenticate;
use crate::crm::checks;
use crate::crm::error::CrmError;
use crate::crm::extract::{CrmPath, CrmQuery, CrmVersion};
use crate::crm::paging::Paging;
use crate::tenant::directory::User;

use super::request::UserFilter;
use super::wire;

pub async fn get_users(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, "ZohoCRM.users.READ")?;
        let filter = UserFilter::parse(&query)?;
        let paging = Paging::from_query(&query)?;
        let directory = &caller.org.tenant.directory;
        let users: Vec<&User> = directory
            .users()
            .iter()
            .filter(|u| filter.admits(u, caller.user))
            .collect();
        let (page, info) = paging.slice(&users);
        Ok(wire::users_page(directory, page, info))
    })
}

/// One user, disabled ones too; no profile restriction (spec crm-settings-and-search.md §6).
/// `If-Modified-Since` is ignored.
pub async fn get_user(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, "ZohoCRM.users.READ")?;
        let directory = &caller.org.tenant.directory;
        let user = path
            .get("user_id")
            .and_then(|id| directory.user(id))
            .ok_or(CrmError::IdInvalid {
                resource_path_index: 1,
            })?;
        Ok(wire::one_user(directory, user))
    })
}

/// The org scope is not enforced: SDK clients rarely ask for it, and only log a failure here.
pub async fn get_org(
    State(app): State<AppState>,
    _version: CrmVersion,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        Ok(wire::org(&caller.org.tenant))
    })
}

//! `GET /crm/{v}/users` and `GET /crm/{v}/org`: Zoho's SDKs call both right after every token
//! grant (to learn the user's email and key their token store).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::app_state::AppState;
use crate::auth::authenticate;
use crate::response;
use crate::tenant::directory::User;

use super::error::CrmError;
use super::extract::{CrmQuery, CrmVersion};
use super::paging::Paging;

pub async fn get_users(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        if !caller.allows(&["ZohoCRM.users.READ"]) {
            return Err(CrmError::OAuthScopeMismatch);
        }
        let wanted: fn(&User, &User) -> bool = match query.get("type") {
            None | Some("AllUsers") => |_, _| true,
            Some("ActiveUsers") => |u, _| u.is_active(),
            Some("CurrentUser") => |u, caller| u.id == caller.id,
            Some("AdminUsers") => |u, _| u.is_administrator(),
            Some(_) => return Err(CrmError::InvalidParam { param: "type" }),
        };
        let paging = Paging::from_query(&query)?;
        let directory = &caller.org.tenant.directory;
        let users: Vec<&User> = directory
            .users()
            .iter()
            .filter(|u| wanted(u, caller.user))
            .collect();
        let (page, info) = paging.slice(&users);
        if page.is_empty() {
            return Ok(response::no_content());
        }
        let users: Vec<_> = page
            .iter()
            .map(|u| {
                json!({
                    "email": u.email,
                    "full_name": u.full_name,
                    "id": u.id,
                    "profile": {"id": directory.profile_id(&u.profile), "name": u.profile},
                    "role": {"id": u.role, "name": directory.role(u.role.as_str()).map(|r| r.name.as_str())},
                    "status": u.status,
                    "zuid": u.zuid,
                })
            })
            .collect();
        Ok(response::json(StatusCode::OK, &json!({"info": info, "users": users})))
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
        let tenant = &authenticate(world, &headers, now)?.org.tenant;
        Ok(response::json(
            StatusCode::OK,
            &json!({"org": [{
                "company_name": tenant.name(),
                "country_code": "US",
                "currency": "USD",
                "id": tenant.crm_org_id(),
                "primary_email": tenant.directory.primary_email(),
                "time_zone": "UTC",
                "zgid": tenant.zgid(),
            }]}),
        ))
    })
}

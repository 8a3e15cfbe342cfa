//! The users page and the org object.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::crm::paging::Info;
use crate::response;
use crate::tenant::Tenant;
use crate::tenant::directory::{Directory, User};

/// The user object (spec auth-and-errors.md §5, crm-settings-and-search.md §6): `Reporting_To`
/// is spelled as Zoho sends it.
fn user_object(directory: &Directory, u: &User) -> Value {
    json!({
        "Reporting_To": directory
            .reporting_to(u)
            .map(|manager| json!({"id": manager.id, "name": manager.full_name})),
        "email": u.email,
        "full_name": u.full_name,
        "id": u.id,
        "profile": {"id": directory.profile_id(&u.profile), "name": u.profile},
        "role": {"id": u.role, "name": directory.role(u.role.as_str()).map(|r| r.name.as_str())},
        "status": u.status,
        "zuid": u.zuid,
    })
}

/// A page of users; 204 when it holds none.
pub fn users_page(directory: &Directory, page: &[&User], info: Info) -> Response {
    if page.is_empty() {
        return response::no_content();
    }
    let users: Vec<Value> = page.iter().map(|u| user_object(directory, u)).collect();
    response::json(StatusCode::OK, &json!({"info": info, "users": users}))
}

/// `GET /crm/{v}/users/{user_id}`: one user, no `info`.
pub fn one_user(directory: &Directory, user: &User) -> Response {
    response::json(
        StatusCode::OK,
        &json!({"users": [user_object(directory, user)]}),
    )
}

/// `GET /crm/{v}/org`: one org object, with the fixed locale of the mock.
pub fn org(tenant: &Tenant) -> Response {
    response::json(
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
    )
}

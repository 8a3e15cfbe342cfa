//! `GET /restapi/v2/orgadmins` (spec §8.6).

use axum::response::Response;

use crate::analytics::v2::context::Ctx;
use crate::analytics::v2::error::V2Error;
use crate::analytics::v2::render::success;
use crate::store::org::Org;
use crate::tenant::directory::AnalyticsRole;

use super::wire::OrgAdmins;

/// The Org Admins in user order; for Account Admins only.
pub fn get(org: &Org, ctx: &Ctx) -> Result<Response, V2Error> {
    if !ctx.caller.caller().is_account_admin() {
        return Err(ctx.caller.refused());
    }
    let org_admins = org
        .tenant
        .directory
        .users()
        .iter()
        .filter(|u| u.analytics_role == AnalyticsRole::OrgAdmin)
        .map(|u| u.email.as_str())
        .collect();
    Ok(success("Get org admins", &OrgAdmins { org_admins }))
}

//! Zoho CRM: the whole route table on one screen. Every CRM endpoint accepts every version of
//! `CRM_VERSIONS`; a known path with a method it does not list (HEAD and OPTIONS included)
//! answers `INVALID_REQUEST_METHOD`.

pub mod access;
pub mod checks;
pub mod data_sharing_rules;
pub mod data_sharing_settings;
pub mod error;
pub mod extract;
pub mod paging;
pub mod record_sharing;
pub mod records;
pub mod registry;
pub mod settings;
pub mod state;
pub mod users;
pub mod wire;

use axum::Router;
use axum::handler::Handler;
use axum::http::Uri;
use axum::routing::{MethodRouter, get, post, put};

use crate::app_state::AppState;

use data_sharing_rules::handlers as rules;
use data_sharing_settings::handlers as sharing_settings;
use error::CrmError;
use extract::{CrmPath, CrmVersion};
use record_sharing::handlers as share;
use records::handlers as records_api;
use settings::handlers as discovery;

pub fn routes() -> Router<AppState> {
    const RULES: &str = "/crm/{version}/settings/data_sharing/rules";
    const GROUPS: &str = "/crm/{version}/settings/user_groups";
    Router::new()
        .route("/crm/{version}/users", get_only(users::handlers::get_users))
        .route(
            "/crm/{version}/users/{user_id}",
            get_only(users::handlers::get_user),
        )
        .route("/crm/{version}/org", get_only(users::handlers::get_org))
        .route(
            "/crm/{version}/settings/roles",
            get_only(discovery::get_roles),
        )
        .route(
            "/crm/{version}/settings/roles/{role_id}",
            get_only(discovery::get_role),
        )
        .route(GROUPS, get_only(discovery::get_groups))
        .route(
            &format!("{GROUPS}/{{group_id}}"),
            get_only(discovery::get_group),
        )
        .route(
            &format!("{GROUPS}/{{group_id}}/sources"),
            get_only(discovery::get_group_sources),
        )
        .route(
            &format!("{GROUPS}/{{group_id}}/actions/sources_count"),
            get_only(discovery::get_group_sources_count),
        )
        .route(
            "/crm/{version}/settings/profiles",
            get_only(discovery::get_profiles),
        )
        .route(
            "/crm/{version}/settings/profiles/{profile_id}",
            get_only(discovery::get_profile),
        )
        .route(
            "/crm/{version}/{module}/{record_id}/actions/share",
            get_only(share::get_shared_details)
                .post(share::share_record)
                .put(share::update_share_permissions)
                .delete(share::revoke_shared_records),
        )
        .route(
            "/crm/{version}/settings/data_sharing",
            get_only(sharing_settings::get_data_sharing_settings)
                .put(sharing_settings::update_data_sharing_settings),
        )
        .route(
            RULES,
            get_only(rules::get_rules)
                .post(rules::create_rule)
                .put(rules::update_rules),
        )
        .route(
            &format!("{RULES}/{{rule_id}}"),
            get_only(rules::get_rule)
                .put(rules::update_rule)
                .delete(rules::delete_rule),
        )
        .route(
            &format!("{RULES}/{{rule_id}}/actions/activate"),
            put(rules::activate_rule).delete(rules::deactivate_rule),
        )
        .route(&format!("{RULES}/search"), post(rules::search_rules))
        .route(
            &format!("{RULES}/actions/summary"),
            get_only(rules::get_rules_summary).post(rules::filtered_summary),
        )
        .route(&format!("{RULES}/actions/run"), post(rules::rerun_rules))
        .route(
            "/crm/{version}/settings/fields",
            get_only(records_api::field_metadata),
        )
        .route(
            "/crm/{version}/settings/modules",
            get_only(records_api::module_metadata),
        )
        // The Records API: any first segment but `users`, `org` and `settings` is a module
        // (the handlers answer a route miss for those three).
        .route(
            "/crm/{version}/{module}",
            get_only(records_api::list_records)
                .post(records_api::insert_records)
                .put(records_api::update_records)
                .delete(records_api::delete_records),
        )
        .route(
            "/crm/{version}/{module}/{record_id}",
            get_only(records_api::get_record)
                .put(records_api::update_record)
                .delete(records_api::delete_record),
        )
        .method_not_allowed_fallback(invalid_request_method)
}

/// axum answers HEAD with the GET handler; Zoho treats HEAD as a wrong method.
fn get_only<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    get(handler).head(invalid_request_method)
}

/// The route exists but not with this method; an unsupported version, or a record path whose
/// first segment is never a module, is still a route miss.
async fn invalid_request_method(
    version: Result<CrmVersion, CrmError>,
    uri: Uri,
    path: Result<CrmPath, CrmError>,
) -> CrmError {
    let reserved = path.and_then(|path| records_api::reserved(&uri, &path));
    match (version, reserved) {
        (Err(miss), _) | (Ok(_), Err(miss)) => miss,
        (Ok(_), Ok(())) => CrmError::InvalidRequestMethod,
    }
}

//! The settings answers: every module's row, and one success per item of a `PUT`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::clock::Timestamp;
use crate::crm::data_sharing_rules::model::SharingRules;
use crate::crm::error::{CrmError, ItemError, ItemIssue};
use crate::crm::records::model::Records;
use crate::crm::registry::CrmModule;
use crate::crm::wire::{module_ref, success_item};
use crate::response;

use super::model::{DataSharingSettings, ShareType};
use super::request::SETTINGS;

/// `GET /settings/data_sharing`: every registry module in registry order; never 204. Portals
/// are not modelled.
pub fn settings(
    records: &Records,
    settings: &DataSharingSettings,
    rules: &SharingRules,
    now: Timestamp,
) -> Response {
    let rows: Vec<Value> = records
        .modules()
        .map(|module| {
            json!({
                "module": module_ref(module),
                "public_in_portals": false,
                "rule_computation_running": rules.computation_running(module.api_name, now),
                "share_type": settings.share_type(module.api_name).as_str(),
            })
        })
        .collect();
    response::json(StatusCode::OK, &json!({ SETTINGS: rows }))
}

/// `PUT /settings/data_sharing` success: one element per item, in body order.
pub fn updated(changes: &[(CrmModule<'_>, ShareType)]) -> Response {
    let items: Vec<Value> = changes
        .iter()
        .map(|(module, _)| {
            success_item(
                "SUCCESS",
                json!({"module": module.api_name}),
                "data sharing settings updated successfully",
            )
        })
        .collect();
    response::json(StatusCode::OK, &json!({ SETTINGS: items }))
}

/// The refused items of a settings `PUT`.
pub fn refused(issues: &[ItemIssue]) -> CrmError {
    CrmError::ItemErrors {
        wrapper: SETTINGS,
        items: issues.iter().map(ItemError::from).collect(),
    }
}

//! `GET` and `PUT /crm/{v}/settings/data_sharing`: token, scope, Administrator, then (PUT) the
//! body, checked whole before anything changes.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::app_state::AppState;
use crate::auth::authenticate;
use crate::body::BufferedBody;
use crate::crm::checks;
use crate::crm::error::CrmError;
use crate::crm::extract::{CrmVersion, json_object};
use crate::store::org::Org;

use super::request;
use super::wire;

const READ: &str = "ZohoCRM.settings.data_sharing.READ";
const UPDATE: &str = "ZohoCRM.settings.data_sharing.UPDATE";

pub async fn get_data_sharing_settings(
    State(app): State<AppState>,
    _version: CrmVersion,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, READ)?;
        checks::administrator(&caller)?;
        let crm = &caller.org.crm;
        Ok(wire::settings(&crm.records, &crm.settings, &crm.rules, now))
    })
}

pub async fn update_data_sharing_settings(
    State(app): State<AppState>,
    _version: CrmVersion,
    headers: HeaderMap,
    body: BufferedBody,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    let body = json_object(&body);
    app.store.write(|world| {
        let caller = authenticate(world, &headers, now)?;
        checks::scope(&caller, UPDATE)?;
        checks::administrator(&caller)?;
        let org = caller.slot;
        let body = body?;
        let items = request::settings_items(&body)?;
        let Org { crm, .. } = world.org_at_mut(org).ok_or(CrmError::InternalError)?;
        let changes =
            request::changes(&crm.records, items).map_err(|issues| wire::refused(&issues))?;
        crm.settings.update(&changes);
        Ok(wire::updated(&changes))
    })
}

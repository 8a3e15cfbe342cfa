//! `POST`/`GET /__admin/snapshots`, `DELETE /__admin/snapshots/{name}` and
//! `POST /__admin/snapshots/{name}/restore`: save the whole state or one org under a name, and
//! put it back later. Journal, faults and clock are not part of a snapshot.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app_state::AppState;
use crate::response;
use crate::store::org::Org;
use crate::store::snapshots::{Saved, Snapshot, is_valid_name};
use crate::store::world::Conflict;

use super::body::AdminBody;
use super::error::AdminError;
use super::orgs::unknown_org;
use super::path::AdminPath;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSnapshot {
    name: String,
    /// Absent or `null`: the whole state.
    #[serde(default)]
    org: Option<String>,
}

fn listing(snapshot: &Snapshot) -> Value {
    json!({
        "name": snapshot.name,
        "org": snapshot.org(),
        "created": snapshot.created.to_iso(),
    })
}

fn unknown_snapshot(name: &str) -> AdminError {
    AdminError::not_found(format!("no snapshot named {name:?}"))
}

pub async fn save_snapshot(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    let request: NewSnapshot = body.parse()?;
    if !is_valid_name(&request.name) {
        return Err(AdminError::bad_request(format!(
            "$.name: {:?} is not 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'",
            request.name
        )));
    }
    let saved = match &request.org {
        None => Saved::State(app.store.read(Clone::clone)),
        Some(id) => Saved::Org(Box::new(
            app.store
                .read(|world| world.org(id).cloned())
                .ok_or_else(|| unknown_org(id))?,
        )),
    };
    let snapshot = Snapshot {
        name: request.name,
        created: app.clock.now(),
        saved,
    };
    let body = listing(&snapshot);
    app.snapshots.save(snapshot);
    Ok(response::json(StatusCode::CREATED, &body))
}

pub async fn list_snapshots(State(app): State<AppState>) -> Response {
    let snapshots: Vec<Value> = app.snapshots.list().iter().map(|s| listing(s)).collect();
    response::json(StatusCode::OK, &json!({"snapshots": snapshots}))
}

pub async fn delete_snapshot(
    State(app): State<AppState>,
    AdminPath(name): AdminPath,
) -> Result<Response, AdminError> {
    if app.snapshots.remove(&name) {
        Ok(response::no_content())
    } else {
        Err(unknown_snapshot(&name))
    }
}

/// A whole-state snapshot replaces the state; an org snapshot replaces that org alone (or
/// recreates it), leaving every other org as it is.
pub async fn restore_snapshot(
    State(app): State<AppState>,
    AdminPath(name): AdminPath,
) -> Result<Response, AdminError> {
    let snapshot = app
        .snapshots
        .get(&name)
        .ok_or_else(|| unknown_snapshot(&name))?;
    match &snapshot.saved {
        Saved::State(world) => app.store.replace(world.clone()),
        Saved::Org(org) => app.store.write(|world| {
            world.restore_org(Org::clone(org)).map_err(|conflict| match conflict {
                Conflict::Credential(credential) => AdminError::conflict(format!(
                    "the credential string {credential:?} of snapshot {name:?} is now used by another org"
                )),
                Conflict::OrgId(id) => AdminError::conflict(format!("an org with id {id:?} exists")),
            })
        })?,
    }
    Ok(response::no_content())
}

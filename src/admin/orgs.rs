//! `GET`/`POST /__admin/orgs`, `GET`/`DELETE /__admin/orgs/{id}` and
//! `PUT /__admin/orgs/{id}/rule-computation`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use indexmap::IndexMap;
use serde_json::json;

use crate::app_state::AppState;
use crate::crm::registry::ModuleLookup;
use crate::ids::OrgId;
use crate::response;
use crate::store::copy::{OrgTemplate, copy_by_loading};
use crate::store::fixture::{OrgDoc, export_org, load_org};
use crate::store::world::Conflict;

use super::body::AdminBody;
use super::error::AdminError;
use super::path::AdminPath;

/// Body: an org object (`{}` is a valid, empty org). Empty body: a copy of the startup
/// fixture's first org under a fresh id, with fresh credential strings and org ids.
pub async fn create_org(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    let copy_startup = body.is_blank();
    let doc: Option<OrgDoc> = if copy_startup {
        None
    } else {
        Some(body.parse()?)
    };
    let now = app.clock.now();
    // An id the journal still names stays unused: a test that counts its org's requests must
    // not count those of a deleted org that had the same id. The journal's lock is taken under
    // the store's (never the other way round: recording takes no store lock).
    let taken = |from: u64| app.journal.first_unnamed_org_number(from);
    let template = copy_startup.then(|| {
        app.startup_copy
            .get_or_init(|| OrgTemplate::new(&startup_org(&app)))
            .as_ref()
    });
    let created = app.store.write(|world| {
        let (org, answer) = match doc {
            Some(doc) => {
                let id = match &doc.id {
                    Some(id) => OrgId(id.clone()),
                    None => world.next_org_id(taken),
                };
                if world.contains_org(id.as_str()) {
                    return Err(AdminError::conflict(format!(
                        "an org with id {:?} exists",
                        id.0
                    )));
                }
                (load_org(doc, id, "$", now)?, None)
            }
            // A fresh id: not an org of the state. Fresh strings are 256 random bits and
            // checked against the state; they do not collide.
            None => {
                let id = world.next_org_id(taken);
                let fresh = || world.fresh_credential();
                let template = template.flatten();
                match template.and_then(|t| Some((t, t.copy(id.clone(), fresh)?))) {
                    Some((template, org)) => {
                        let answer = template.answer(&org, now);
                        debug_assert_eq!(
                            answer,
                            serde_json::to_vec(&export_org(&org, now)).unwrap_or_default(),
                            "a copy's answer is its export"
                        );
                        (org, Some(answer))
                    }
                    None => (copy_by_loading(startup_org(&app), id, fresh, now)?, None),
                }
            }
        };
        // The answer is the org as stored, rendered before the state owns it.
        let answer = match answer {
            Some(bytes) => Ok(bytes),
            None => serde_json::to_vec(&export_org(&org, now)),
        };
        world.insert_org(org).map_err(|conflict| match conflict {
            Conflict::OrgId(id) => AdminError::conflict(format!("an org with id {id:?} exists")),
            Conflict::Credential(credential) => AdminError::conflict(format!(
                "the credential string {credential:?} is already used in the state"
            )),
        })?;
        Ok(answer)
    })?;
    Ok(match created {
        Ok(bytes) => response::json_bytes(StatusCode::CREATED, bytes),
        Err(err) => response::unserialisable(&err),
    })
}

/// What an empty body copies: the startup fixture's first org (an empty one when it has none).
fn startup_org(app: &AppState) -> OrgDoc {
    app.startup.orgs.first().cloned().unwrap_or_default()
}

/// Every org in state order with counts of its users (disabled ones included), records and
/// stored access tokens (expired, revoked and OAuth-minted ones included).
pub async fn list_orgs(State(app): State<AppState>) -> Response {
    let orgs = app.store.read(|world| {
        world
            .orgs()
            .map(|org| {
                let tenant = &org.tenant;
                json!({
                    "id": tenant.id(),
                    "name": tenant.name(),
                    "crm_org_id": tenant.crm_org_id(),
                    "zgid": tenant.zgid(),
                    "users": tenant.directory.users().len(),
                    "records": org.crm.records.iter().count(),
                    "tokens": tenant.credentials.access_tokens().count(),
                })
            })
            .collect::<Vec<_>>()
    });
    response::json(StatusCode::OK, &json!({"orgs": orgs}))
}

pub async fn get_org(
    State(app): State<AppState>,
    AdminPath(id): AdminPath,
) -> Result<Response, AdminError> {
    let now = app.clock.now();
    let doc = app
        .store
        .read(|world| world.org(&id).map(|org| export_org(org, now)))
        .ok_or_else(|| unknown_org(&id))?;
    Ok(response::json(StatusCode::OK, &doc))
}

pub async fn delete_org(
    State(app): State<AppState>,
    AdminPath(id): AdminPath,
) -> Result<Response, AdminError> {
    app.store.write(|world| {
        world
            .remove_org(&id)
            .map(|_| ())
            .ok_or_else(|| unknown_org(&id))
    })?;
    Ok(response::no_content())
}

/// `{"Leads": true, ...}`: pins a module's computation flag, cancelling its running timer.
pub async fn set_rule_computation(
    State(app): State<AppState>,
    AdminPath(id): AdminPath,
    body: AdminBody,
) -> Result<Response, AdminError> {
    let flags: IndexMap<String, bool> = body.parse()?;
    app.store.write(|world| {
        let org = world.org_mut(&id).ok_or_else(|| unknown_org(&id))?;
        let mut resolved = Vec::new();
        for (name, running) in &flags {
            match org.crm.records.module(name) {
                ModuleLookup::Known(module) => {
                    resolved.push((module.api_name.to_owned(), *running))
                }
                _ => {
                    return Err(AdminError::bad_request(format!(
                        "$.{name}: unknown module {name:?}"
                    )));
                }
            }
        }
        for (module, running) in resolved {
            org.crm.rules.pin_computation(&module, running);
        }
        Ok(())
    })?;
    Ok(response::no_content())
}

pub fn unknown_org(id: &str) -> AdminError {
    AdminError::not_found(format!("no org with id {id:?}"))
}

//! Handlers of `/crm/{v}/settings/data_sharing/rules...`. Each one walks the family's check
//! order on screen: token, the `module` parameter's class, scope, path rule id, Administrator,
//! query, body, then the model (which owns the state rules), and renders the outcome. Bodies
//! are parsed before the store lock is taken; a parse error still answers at its place in order.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;

use crate::app_state::AppState;
use crate::auth::{CallerRef, authenticate};
use crate::body::BufferedBody;
use crate::clock::Timestamp;
use crate::crm::checks;
use crate::crm::error::CrmError;
use crate::crm::extract::{CrmPath, CrmQuery, CrmVersion, json_object};
use crate::crm::paging::Paging;
use crate::crm::records::model::Records;
use crate::crm::registry::ModuleLookup;
use crate::ids::RuleId;
use crate::store::org::Org;
use crate::store::world::{OrgSlot, World};

use super::model::{ChangeClock, RuleStatus};
use super::request;
use super::wire::{self, Done};

const READ: &str = "ZohoCRM.settings.data_sharing.READ";
const CREATE: &str = "ZohoCRM.settings.data_sharing.CREATE";
const UPDATE: &str = "ZohoCRM.settings.data_sharing.UPDATE";
const DELETE: &str = "ZohoCRM.settings.data_sharing.DELETE";

/// The `module` parameter names a registry module (Documents and Projects do not).
fn module_class<'o>(records: &'o Records, name: &str) -> Result<&'o str, CrmError> {
    match records.module(name) {
        ModuleLookup::Known(module) => Ok(module.api_name),
        ModuleLookup::Unsupported | ModuleLookup::Unknown => Err(CrmError::InvalidModuleParam),
    }
}

/// Token, then the optional `module` filter's class, then scope.
fn admit<'w>(
    world: &'w World,
    headers: &HeaderMap,
    now: Timestamp,
    query: &CrmQuery,
    scope: &str,
) -> Result<(CallerRef<'w>, Option<&'w str>), CrmError> {
    let caller = authenticate(world, headers, now)?;
    let module = match query.get("module") {
        Some(name) => Some(module_class(&caller.org.crm.records, name)?),
        None => None,
    };
    checks::scope(&caller, scope)?;
    Ok((caller, module))
}

/// Token, then the mandatory `module` parameter, then scope.
fn admit_for_module<'w>(
    world: &'w World,
    headers: &HeaderMap,
    now: Timestamp,
    query: &CrmQuery,
    scope: &str,
) -> Result<(CallerRef<'w>, &'w str), CrmError> {
    let caller = authenticate(world, headers, now)?;
    let name = query
        .get("module")
        .ok_or(CrmError::RequiredParamMissing { param: "module" })?;
    let module = module_class(&caller.org.crm.records, name)?;
    checks::scope(&caller, scope)?;
    Ok((caller, module))
}

/// A path rule id that names no rule of the module is refused before the caller's profile.
fn path_rule<'p>(path: &'p CrmPath, org: &Org, module: Option<&str>) -> Result<&'p str, CrmError> {
    let id = path.get("rule_id").ok_or(CrmError::RuleIdInvalid)?;
    org.crm.rules.find(id, module)?;
    Ok(id)
}

/// What a change of the module's rules has passed: token, the mandatory `module`, scope, then
/// the Administrator profile.
struct Admitted {
    org: OrgSlot,
    module: String,
}

fn admit_change(
    world: &World,
    headers: &HeaderMap,
    now: Timestamp,
    query: &CrmQuery,
    scope: &str,
) -> Result<Admitted, CrmError> {
    let (caller, module) = admit_for_module(world, headers, now, query, scope)?;
    checks::administrator(&caller)?;
    Ok(Admitted {
        org: caller.slot,
        module: module.to_owned(),
    })
}

/// The same for a change of one rule: its path id is checked between scope and profile.
fn admit_rule_change<'p>(
    world: &World,
    headers: &HeaderMap,
    now: Timestamp,
    query: &CrmQuery,
    scope: &str,
    path: &'p CrmPath,
) -> Result<(Admitted, &'p str), CrmError> {
    let (caller, module) = admit_for_module(world, headers, now, query, scope)?;
    let rule = path_rule(path, caller.org, Some(module))?;
    checks::administrator(&caller)?;
    let admitted = Admitted {
        org: caller.slot,
        module: module.to_owned(),
    };
    Ok((admitted, rule))
}

fn org_mut(world: &mut World, org: OrgSlot) -> Result<&mut Org, CrmError> {
    // The caller was just resolved under the same lock, so the org is there.
    world.org_at_mut(org).ok_or(CrmError::InternalError)
}

fn change_clock(app: &AppState) -> ChangeClock {
    ChangeClock {
        now: app.clock.now(),
        timer_ms: app.settings.rule_computation_ms,
    }
}

pub async fn get_rules(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let (caller, module) = admit(world, &headers, now, &query, READ)?;
        checks::administrator(&caller)?;
        let paging = Paging::from_query(&query)?;
        let Org { tenant, crm, .. } = caller.org;
        let rules = crm.rules.listed(&crm.records, module);
        let (page, info) = paging.slice(&rules);
        Ok(wire::rules_page(
            &tenant.directory,
            &crm.records,
            page,
            info,
        ))
    })
}

pub async fn create_rule(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
    body: BufferedBody,
) -> Result<Response, CrmError> {
    let clock = change_clock(&app);
    let body = json_object(&body);
    app.store.write(|world| {
        let change = admit_change(world, &headers, clock.now, &query, CREATE)?;
        let spec = request::rule_item(request::single_rule(&body?)?, None)?;
        let id = org_mut(world, change.org)?.with_new_id(|org, id| {
            let Org { tenant, crm, .. } = org;
            crm.rules
                .create(&tenant.directory, &change.module, RuleId(id), spec, clock)
        })?;
        Ok(wire::done(&Done::Created(id)))
    })
}

/// `PUT /rules`: the rule is named by the item's `id`.
pub async fn update_rules(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
    body: BufferedBody,
) -> Result<Response, CrmError> {
    let clock = change_clock(&app);
    let body = json_object(&body);
    app.store.write(|world| {
        let change = admit_change(world, &headers, clock.now, &query, UPDATE)?;
        let body = body?;
        let item = request::single_rule(&body)?;
        let org = org_mut(world, change.org)?;
        let id = request::item_rule_id(&org.crm.rules, &change.module, item)?;
        update(org, &change.module, id, item, clock)
    })
}

/// `PUT /rules/{rule_id}`: the path id wins over any `id` in the body.
pub async fn update_rule(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
    body: BufferedBody,
) -> Result<Response, CrmError> {
    let clock = change_clock(&app);
    let body = json_object(&body);
    app.store.write(|world| {
        let (change, id) = admit_rule_change(world, &headers, clock.now, &query, UPDATE, &path)?;
        let body = body?;
        let item = request::single_rule(&body)?;
        let org = org_mut(world, change.org)?;
        update(org, &change.module, RuleId::from(id), item, clock)
    })
}

/// Both updates once the rule is known: the item over the stored rule, then the model.
fn update(
    org: &mut Org,
    module: &str,
    id: RuleId,
    item: &Value,
    clock: ChangeClock,
) -> Result<Response, CrmError> {
    let Org { tenant, crm, .. } = org;
    let stored = crm.rules.find(id.as_str(), Some(module))?;
    let spec = request::rule_item(item, Some(stored))?;
    crm.rules
        .update(&tenant.directory, module, &id, spec, clock)?;
    Ok(wire::done(&Done::Updated(id)))
}

pub async fn get_rule(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let (caller, module) = admit(world, &headers, now, &query, READ)?;
        let id = path_rule(&path, caller.org, module)?;
        checks::administrator(&caller)?;
        let Org { tenant, crm, .. } = caller.org;
        let rule = crm.rules.find(id, module)?;
        Ok(wire::one_rule(&tenant.directory, &crm.records, rule))
    })
}

pub async fn delete_rule(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let clock = change_clock(&app);
    app.store.write(|world| {
        let (change, id) = admit_rule_change(world, &headers, clock.now, &query, DELETE, &path)?;
        let org = org_mut(world, change.org)?;
        org.crm.rules.delete(&change.module, id, clock)?;
        Ok(wire::done(&Done::Deleted(id.into())))
    })
}

pub async fn activate_rule(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    change_rule_status(&app, &path, &query, &headers, RuleStatus::Active)
}

pub async fn deactivate_rule(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    change_rule_status(&app, &path, &query, &headers, RuleStatus::Inactive)
}

fn change_rule_status(
    app: &AppState,
    path: &CrmPath,
    query: &CrmQuery,
    headers: &HeaderMap,
    wanted: RuleStatus,
) -> Result<Response, CrmError> {
    let clock = change_clock(app);
    app.store.write(|world| {
        let (change, id) = admit_rule_change(world, headers, clock.now, query, UPDATE, path)?;
        let org = org_mut(world, change.org)?;
        org.crm
            .rules
            .set_status(&change.module, id, wanted, clock)?;
        Ok(wire::done(&match wanted {
            RuleStatus::Active => Done::Activated(id.into()),
            RuleStatus::Inactive => Done::Deactivated(id.into()),
        }))
    })
}

pub async fn get_rules_summary(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let (caller, module) = admit(world, &headers, now, &query, READ)?;
        checks::administrator(&caller)?;
        let crm = &caller.org.crm;
        Ok(wire::summary(crm.rules.summary(&crm.records, module, now)))
    })
}

/// `POST /rules/search`: the rules that match the body's `filters`, paged as the list. Reads
/// only; a running computation does not block it.
pub async fn search_rules(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
    body: BufferedBody,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    let body = json_object(&body);
    app.store.read(|world| {
        let (caller, module) = admit(world, &headers, now, &query, READ)?;
        checks::administrator(&caller)?;
        let paging = Paging::from_query(&query)?;
        let filters = request::search_filters(&body?)?;
        let Org { tenant, crm, .. } = caller.org;
        let rules = crm.rules.search(&crm.records, module, &filters);
        let (page, info) = paging.slice(&rules);
        Ok(wire::rules_page(
            &tenant.directory,
            &crm.records,
            page,
            info,
        ))
    })
}

/// `POST /rules/actions/summary`: per-module counts of the rules that match the body's
/// `filters`; `page` and `per_page` are not read.
pub async fn filtered_summary(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
    body: BufferedBody,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    let body = json_object(&body);
    app.store.read(|world| {
        let (caller, module) = admit(world, &headers, now, &query, READ)?;
        checks::administrator(&caller)?;
        let filters = request::search_filters(&body?)?;
        let crm = &caller.org.crm;
        let rows = crm
            .rules
            .filtered_summary(&crm.records, module, &filters, now);
        Ok(wire::summary((!rows.is_empty()).then_some(rows)))
    })
}

pub async fn rerun_rules(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let clock = change_clock(&app);
    app.store.write(|world| {
        let change = admit_change(world, &headers, clock.now, &query, UPDATE)?;
        org_mut(world, change.org)?
            .crm
            .rules
            .rerun(&change.module, clock)?;
        Ok(wire::done(&Done::RerunScheduled))
    })
}

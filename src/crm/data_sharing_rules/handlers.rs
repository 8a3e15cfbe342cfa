//! Handlers of `/crm/{v}/settings/data_sharing[/rules...]`. Each one walks the family's check
//! order on screen: token, the `module` parameter's class, scope, path rule id, Administrator,
//! query, body, then the model (which owns the state rules), and renders the outcome. Bodies
//! are parsed before the store lock is taken; a parse error still answers at its place in order.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::app_state::AppState;
use crate::auth::{CallerRef, authenticate};
use crate::body::BufferedBody;
use crate::clock::Timestamp;
use crate::crm::error::CrmError;
use crate::crm::extract::{CrmPath, CrmQuery, CrmVersion, json_object};
use crate::crm::module_name::ModuleLookup;
use crate::crm::paging::Paging;
use crate::ids::OrgId;
use crate::store::world::World;
use crate::tenant::Org;

use super::model::{self, ChangeClock, RuleStatus, UpdateTarget};
use super::settings;
use super::wire::{self, Done};

const READ: &str = "ZohoCRM.settings.data_sharing.READ";
const CREATE: &str = "ZohoCRM.settings.data_sharing.CREATE";
const UPDATE: &str = "ZohoCRM.settings.data_sharing.UPDATE";
const DELETE: &str = "ZohoCRM.settings.data_sharing.DELETE";

/// The `module` parameter names a registry module (Documents and Projects do not).
fn module_class<'o>(org: &'o Org, name: &str) -> Result<&'o str, CrmError> {
    match org.module(name) {
        ModuleLookup::Known(module) => Ok(module.api_name),
        ModuleLookup::Unsupported | ModuleLookup::Unknown => Err(CrmError::InvalidModuleParam),
    }
}

fn require_scope(caller: &CallerRef<'_>, scope: &str) -> Result<(), CrmError> {
    if caller.allows(&[scope]) {
        Ok(())
    } else {
        Err(CrmError::OAuthScopeMismatch)
    }
}

fn require_administrator(caller: &CallerRef<'_>) -> Result<(), CrmError> {
    if caller.user.is_administrator() {
        Ok(())
    } else {
        Err(CrmError::NoPermission)
    }
}

/// Token, then the optional `module` filter's class, then scope.
fn admit<'w>(
    world: &'w World,
    headers: &HeaderMap,
    now: Timestamp,
    filter: Option<&CrmQuery>,
    scope: &str,
) -> Result<(CallerRef<'w>, Option<&'w str>), CrmError> {
    let caller = authenticate(world, headers, now)?;
    let module = match filter.and_then(|query| query.get("module")) {
        Some(name) => Some(module_class(caller.org, name)?),
        None => None,
    };
    require_scope(&caller, scope)?;
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
    let module = module_class(caller.org, name)?;
    require_scope(&caller, scope)?;
    Ok((caller, module))
}

/// A path rule id that names no rule of the module is refused before the caller's profile.
fn path_rule<'p>(path: &'p CrmPath, org: &Org, module: Option<&str>) -> Result<&'p str, CrmError> {
    let id = path.get("rule_id").ok_or(CrmError::RuleIdInvalid)?;
    model::find_rule(org, id, module)?;
    Ok(id)
}

/// What a change of the module's rules has passed: token, the mandatory `module`, scope, then
/// the Administrator profile.
struct Admitted {
    org: OrgId,
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
    require_administrator(&caller)?;
    Ok(Admitted {
        org: caller.org.id.clone(),
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
    require_administrator(&caller)?;
    let admitted = Admitted {
        org: caller.org.id.clone(),
        module: module.to_owned(),
    };
    Ok((admitted, rule))
}

fn org_mut<'w>(world: &'w mut World, org: &OrgId) -> Result<&'w mut Org, CrmError> {
    // The caller was just resolved under the same lock, so the org is there.
    world.org_mut(org.as_str()).ok_or(CrmError::InternalError)
}

fn change_clock(app: &AppState) -> ChangeClock {
    ChangeClock {
        now: app.clock.now(),
        timer_ms: app.settings.rule_computation_ms,
    }
}

pub async fn get_data_sharing_settings(
    State(app): State<AppState>,
    _version: CrmVersion,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let (caller, _) = admit(world, &headers, now, None, READ)?;
        require_administrator(&caller)?;
        Ok(wire::settings(settings::settings_of(caller.org, now)))
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
        let (caller, _) = admit(world, &headers, now, None, UPDATE)?;
        require_administrator(&caller)?;
        let org_id = caller.org.id.clone();
        let body = body?;
        let items = wire::settings_items(&body)?;
        let changed = settings::update_settings(org_mut(world, &org_id)?, items)
            .map_err(|issues| wire::settings_refused(&issues))?;
        Ok(wire::settings_updated(&changed))
    })
}

pub async fn get_rules(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let (caller, module) = admit(world, &headers, now, Some(&query), READ)?;
        require_administrator(&caller)?;
        let paging = Paging::from_query(&query)?;
        let rules = model::rules_of(caller.org, module);
        let (page, info) = paging.slice(&rules);
        Ok(wire::rules_page(caller.org, page, info))
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
        let body = body?;
        let item = wire::single_rule(&body)?;
        let org = org_mut(world, &change.org)?;
        let id = model::create_rule(org, &change.module, item, clock)?;
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
        let item = wire::single_rule(&body)?;
        let org = org_mut(world, &change.org)?;
        let id = model::update_rule(org, &change.module, UpdateTarget::BodyId, item, clock)?;
        Ok(wire::done(&Done::Updated(id)))
    })
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
        let (caller, module) = admit(world, &headers, now, Some(&query), READ)?;
        let id = path_rule(&path, caller.org, module)?;
        require_administrator(&caller)?;
        let rule = model::find_rule(caller.org, id, module)?;
        Ok(wire::one_rule(caller.org, rule))
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
        let item = wire::single_rule(&body)?;
        let org = org_mut(world, &change.org)?;
        let id = model::update_rule(org, &change.module, UpdateTarget::Path(id), item, clock)?;
        Ok(wire::done(&Done::Updated(id)))
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
        model::delete_rule(org_mut(world, &change.org)?, &change.module, id, clock)?;
        Ok(wire::done(&Done::Deleted(id.into())))
    })
}

pub async fn activate_rule(
    State(app): State<AppState>,
    version: CrmVersion,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    change_rule_status(&app, version, &path, &query, &headers, RuleStatus::Active)
}

pub async fn deactivate_rule(
    State(app): State<AppState>,
    version: CrmVersion,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    change_rule_status(&app, version, &path, &query, &headers, RuleStatus::Inactive)
}

fn change_rule_status(
    app: &AppState,
    _version: CrmVersion,
    path: &CrmPath,
    query: &CrmQuery,
    headers: &HeaderMap,
    wanted: RuleStatus,
) -> Result<Response, CrmError> {
    let clock = change_clock(app);
    app.store.write(|world| {
        let (change, id) = admit_rule_change(world, headers, clock.now, query, UPDATE, path)?;
        model::set_rule_status(
            org_mut(world, &change.org)?,
            &change.module,
            id,
            wanted,
            clock,
        )?;
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
        let (caller, module) = admit(world, &headers, now, Some(&query), READ)?;
        require_administrator(&caller)?;
        Ok(wire::summary(model::summary(caller.org, module, now)))
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
        model::rerun_rules(org_mut(world, &change.org)?, &change.module, clock)?;
        Ok(wire::done(&Done::RerunScheduled))
    })
}

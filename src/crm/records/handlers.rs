//! The Records API (spec crm-records-and-access.md): insert, get one, list, update (one and
//! bulk), delete (one and bulk), and the metadata calls the SDKs make first. Each handler walks
//! the order of §2 inside one store closure: the route's reserved names, authentication, the
//! module class, the scope, the path id, the profile, the parameters and body, then each item
//! against the record and the caller's level, which always comes from the access model
//! ([`Viewer::level`]).

use std::cmp::Ordering;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

use crate::app_state::AppState;
use crate::auth::{CallerRef, authenticate};
use crate::body::HeadersAndBody;
use crate::clock::Timestamp;
use crate::crm::access::model::{Level, ModulePermissions, OrgAccess, Viewer};
use crate::crm::error::{CrmError, RESERVED_FIRST_SEGMENTS};
use crate::crm::extract::{CrmPath, CrmQuery, CrmVersion, json_object};
use crate::crm::record_sharing::model::RecordShares;
use crate::crm::records::model::{Record, RecordChange, Records, numeric_order};
use crate::crm::registry::{CrmModule, ModuleLookup, RecordSharing};
use crate::crm::state::CrmState;
use crate::ids::{RecordId, UserId};
use crate::response;
use crate::store::org::Org;
use crate::tenant::directory::Directory;
use crate::tenant::profiles::Operation;

use super::request::{self, ListQuery, SortBy};
use super::wire::{self, ItemResult};

/// `GET /crm/{v}/{module}`: the records of the module the caller can see, sorted and paged.
pub async fn list_records(
    State(app): State<AppState>,
    version: CrmVersion,
    uri: Uri,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    reserved(&uri, &path)?;
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        let module = open(&caller, &path, Operation::View)?;
        permitted(&caller, module, Operation::View)?;
        let query = ListQuery::parse(&query, version)?;
        let org = caller.org;
        let viewer = Viewer::new(access(org, now), caller.user, module);
        let (records, shares) = (&org.crm.records, &org.crm.shares);
        let level = |record: &Record| viewer.level(record, shares.of(record.id.as_str()));
        let per_page = usize::try_from(query.paging.per_page).unwrap_or(usize::MAX);
        let start = usize::try_from(query.paging.page - 1)
            .unwrap_or(usize::MAX)
            .saturating_mul(per_page);
        let end = start.saturating_add(per_page);
        let mut visible: Vec<(&Record, Level)> = Vec::new();
        match (&query.ids, query.sort_by) {
            // The module's records already walk in id order: stop one past the page, which
            // is all `more_records` needs.
            (None, SortBy::Id) => {
                for record in records.of_module(module.api_name, query.descending) {
                    let level = level(record);
                    if level != Level::None {
                        visible.push((record, level));
                        if visible.len() > end {
                            break;
                        }
                    }
                }
            }
            (ids, sort_by) => {
                let candidates: Vec<&Record> = match ids {
                    Some(ids) => ids
                        .iter()
                        .filter_map(|id| records.in_module(module.api_name, id))
                        .collect(),
                    None => records.of_module(module.api_name, false).collect(),
                };
                visible.extend(candidates.into_iter().filter_map(|record| {
                    let level = level(record);
                    (level != Level::None).then_some((record, level))
                }));
                visible.sort_by(|(a, _), (b, _)| {
                    let order = sort_order(sort_by, a, b);
                    if query.descending {
                        order.reverse()
                    } else {
                        order
                    }
                });
            }
        }
        let more_records = visible.len() > end;
        let page: Vec<_> = visible
            .get(start.min(visible.len())..end.min(visible.len()))
            .unwrap_or_default()
            .iter()
            .map(|(record, level)| {
                wire::record_body(&org.tenant.directory, record, *level, &query.fields)
            })
            .collect();
        Ok(wire::page(
            page,
            query.paging,
            more_records,
            query.sort_by,
            query.descending,
        ))
    })
}

/// By the sort key, then (for ties, and for `id` itself) by the id's numeric value.
fn sort_order(sort_by: SortBy, a: &Record, b: &Record) -> Ordering {
    let key = match sort_by {
        SortBy::Id => Ordering::Equal,
        SortBy::CreatedTime => a.created_time.cmp(&b.created_time),
        SortBy::ModifiedTime => a.modified_time.cmp(&b.modified_time),
    };
    key.then_with(|| numeric_order(a.id.as_str(), b.id.as_str()))
}

/// `GET /crm/{v}/{module}/{record_id}`: 200 with the record, or 204 when it is absent or
/// hidden (§9: the two look the same).
pub async fn get_record(
    State(app): State<AppState>,
    _version: CrmVersion,
    uri: Uri,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    reserved(&uri, &path)?;
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        let module = open(&caller, &path, Operation::View)?;
        let id = request::record_id(path.get("record_id"))?;
        permitted(&caller, module, Operation::View)?;
        let fields = request::fields(&query, false)?;
        let org = caller.org;
        let Some(record) = org.crm.records.in_module(module.api_name, id) else {
            return Ok(response::no_content());
        };
        let viewer = Viewer::new(access(org, now), caller.user, module);
        match viewer.level(record, org.crm.shares.of(id)) {
            Level::None => Ok(response::no_content()),
            level => Ok(wire::one(wire::record_body(
                &org.tenant.directory,
                record,
                level,
                &fields,
            ))),
        }
    })
}

/// `POST /crm/{v}/{module}`: insert 1 to 100 records, each item on its own (§5).
pub async fn insert_records(
    State(app): State<AppState>,
    _version: CrmVersion,
    uri: Uri,
    path: CrmPath,
    HeadersAndBody { headers, body }: HeadersAndBody,
) -> Result<Response, CrmError> {
    reserved(&uri, &path)?;
    let parsed = json_object(&body);
    let now = app.clock.now();
    let at = now.truncated_to_secs();
    app.store.write(|world| {
        let caller = authenticate(world, &headers, now)?;
        let module = open(&caller, &path, Operation::Create)?;
        permitted(&caller, module, Operation::Create)?;
        let body = parsed?;
        let items = request::items(&body, request::MAX_ITEMS)?;
        let (slot, user) = (caller.slot, caller.user.id.clone());
        let (module, name_field) = (module.api_name.to_owned(), module.name_field());
        let org = world.org_at_mut(slot).ok_or(CrmError::InternalError)?;
        let mut results: Vec<ItemResult> = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let checked = request::insert_item(item, index, name_field, &org.tenant.directory);
            let result = checked.map(|new| {
                let record = Record {
                    module: module.as_str().into(),
                    id: RecordId::default(),
                    owner: new.owner.unwrap_or_else(|| user.clone()).into(),
                    fields: new.fields.into(),
                    created_time: at,
                    modified_time: at,
                    created_by: user.clone().into(),
                    modified_by: user.clone().into(),
                };
                let id = insert(org, record);
                let stored = org.crm.records.get(&id);
                stored.map_or(serde_json::Value::Null, |record| {
                    wire::added(&org.tenant.directory, record)
                })
            });
            results.push(result);
        }
        Ok(wire::results(StatusCode::CREATED, results))
    })
}

/// Stores a record under a fresh id of the org's id space and answers the id.
fn insert(org: &mut Org, mut record: Record) -> String {
    let inserted: Result<String, std::convert::Infallible> = org.with_new_id(|org, id| {
        record.id = RecordId::from(id.as_str());
        org.crm.records.insert(record);
        Ok(id)
    });
    match inserted {
        Ok(id) => id,
        Err(never) => match never {},
    }
}

/// `PUT /crm/{v}/{module}`: update 1 to 100 records named by their `id` (§7).
pub async fn update_records(
    State(app): State<AppState>,
    _version: CrmVersion,
    uri: Uri,
    path: CrmPath,
    HeadersAndBody { headers, body }: HeadersAndBody,
) -> Result<Response, CrmError> {
    update(&app, &uri, &path, &headers, json_object(&body), false)
}

/// `PUT /crm/{v}/{module}/{record_id}`: update one record; an `id` in the item is ignored.
pub async fn update_record(
    State(app): State<AppState>,
    _version: CrmVersion,
    uri: Uri,
    path: CrmPath,
    HeadersAndBody { headers, body }: HeadersAndBody,
) -> Result<Response, CrmError> {
    update(&app, &uri, &path, &headers, json_object(&body), true)
}

fn update(
    app: &AppState,
    uri: &Uri,
    path: &CrmPath,
    headers: &HeaderMap,
    parsed: Result<serde_json::Map<String, serde_json::Value>, CrmError>,
    single: bool,
) -> Result<Response, CrmError> {
    reserved(uri, path)?;
    let now = app.clock.now();
    let at = now.truncated_to_secs();
    app.store.write(|world| {
        let caller = authenticate(world, headers, now)?;
        let module = open(&caller, path, Operation::Edit)?;
        let path_id = match single {
            true => Some(request::record_id(path.get("record_id"))?.to_owned()),
            false => None,
        };
        permitted(&caller, module, Operation::Edit)?;
        let body = parsed?;
        let max = if single { 1 } else { request::MAX_ITEMS };
        let items = request::items(&body, max)?;
        let (slot, user) = (caller.slot, caller.user.id.clone());
        let module = OwnedModule::of(module);
        let org = world.org_at_mut(slot).ok_or(CrmError::InternalError)?;
        let Writable {
            records,
            shares,
            directory,
            viewer,
        } = writable(org, &user, &module, now)?;
        let api_name = module.api_name.as_str();
        let mut results: Vec<ItemResult> = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let mut apply = || {
                let item = request::item_object(item, index)?;
                let id = match &path_id {
                    Some(id) => id.clone(),
                    None => request::item_id(item, index)?,
                };
                let record = records
                    .in_module(api_name, &id)
                    .ok_or_else(|| wire::update_absent(&id))?;
                match viewer.level(record, shares.of(&id)) {
                    Level::None => return Err(wire::update_absent(&id)),
                    Level::Read => return Err(wire::no_permission(&id)),
                    Level::ReadWrite | Level::Full => {}
                }
                let change = request::update_item(item, index, module.name_field, directory)?;
                let new_owner = change.owner.clone();
                let change = RecordChange {
                    fields: change.fields,
                    owner: change.owner,
                    by: user.clone(),
                    at,
                };
                let record = records
                    .update(&id, change)
                    .ok_or_else(|| wire::update_absent(&id))?;
                if let Some(owner) = &new_owner {
                    // A share with the new owner would break the share-set invariant (and make
                    // the state unloadable: export, state file).
                    shares.forget_owner_share(&id, owner.as_str());
                }
                Ok(wire::updated(directory, record))
            };
            results.push(apply());
        }
        Ok(wire::results(StatusCode::OK, results))
    })
}

/// `DELETE /crm/{v}/{module}?ids=`: delete 1 to 100 records (§8).
pub async fn delete_records(
    State(app): State<AppState>,
    _version: CrmVersion,
    uri: Uri,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    delete(&app, &uri, &path, &headers, Some(&query))
}

/// `DELETE /crm/{v}/{module}/{record_id}`: delete one record; `ids` is ignored.
pub async fn delete_record(
    State(app): State<AppState>,
    _version: CrmVersion,
    uri: Uri,
    path: CrmPath,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    delete(&app, &uri, &path, &headers, None)
}

/// `query` is the bulk path's; `None` is the single path.
fn delete(
    app: &AppState,
    uri: &Uri,
    path: &CrmPath,
    headers: &HeaderMap,
    query: Option<&CrmQuery>,
) -> Result<Response, CrmError> {
    reserved(uri, path)?;
    let now = app.clock.now();
    app.store.write(|world| {
        let caller = authenticate(world, headers, now)?;
        let module = open(&caller, path, Operation::Delete)?;
        let path_id = match query {
            None => Some(request::record_id(path.get("record_id"))?.to_owned()),
            Some(_) => None,
        };
        permitted(&caller, module, Operation::Delete)?;
        let ids = match (path_id, query) {
            (Some(id), _) => vec![id],
            (None, Some(query)) => request::delete_ids(query)?,
            (None, None) => return Err(CrmError::InternalError),
        };
        let (slot, user) = (caller.slot, caller.user.id.clone());
        let module = OwnedModule::of(module);
        let org = world.org_at_mut(slot).ok_or(CrmError::InternalError)?;
        let Writable {
            records,
            shares,
            viewer,
            ..
        } = writable(org, &user, &module, now)?;
        let mut results: Vec<ItemResult> = Vec::with_capacity(ids.len());
        for id in &ids {
            let result = match records.in_module(&module.api_name, id) {
                None => Err(wire::delete_absent(id)),
                Some(record) => match viewer.level(record, shares.of(id)) {
                    Level::None => Err(wire::delete_absent(id)),
                    Level::Read | Level::ReadWrite => Err(wire::no_permission(id)),
                    Level::Full => {
                        records.delete(id);
                        shares.remove_record(id);
                        Ok(wire::deleted(id))
                    }
                },
            };
            results.push(result);
        }
        Ok(wire::results(StatusCode::OK, results))
    })
}

/// `GET /crm/{v}/settings/fields?module=`: a valid token is needed, no scope or profile
/// (§10).
pub async fn field_metadata(
    State(app): State<AppState>,
    _version: CrmVersion,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        let name = query
            .get("module")
            .ok_or(CrmError::RequiredParamMissing { param: "module" })?;
        let records = &caller.org.crm.records;
        match records.module(name) {
            ModuleLookup::Known(module) => Ok(wire::field_metadata(
                module.position(records.custom_modules()),
            )),
            ModuleLookup::Unsupported | ModuleLookup::Unknown => Err(CrmError::InvalidModuleParam),
        }
    })
}

/// `GET /crm/{v}/settings/modules`: 204, no body (§10).
pub async fn module_metadata(
    State(app): State<AppState>,
    _version: CrmVersion,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        authenticate(world, &headers, now)?;
        Ok(response::no_content())
    })
}

/// `users`, `org` and `settings` are never module names (§14): a path that routes as a
/// record path with one of them first is a route miss.
pub fn reserved(uri: &Uri, path: &CrmPath) -> Result<(), CrmError> {
    match path.get("module") {
        Some(name) if RESERVED_FIRST_SEGMENTS.contains(&name) => {
            Err(CrmError::route_miss(uri.path()))
        }
        _ => Ok(()),
    }
}

/// The module class (§2 step 4), then the scope of the operation (step 5).
fn open<'w>(
    caller: &CallerRef<'w>,
    path: &CrmPath,
    operation: Operation,
) -> Result<CrmModule<'w>, CrmError> {
    let module = request::module(&caller.org.crm.records, path.get("module"))?;
    let scopes = request::scopes(module, operation);
    let acceptable: Vec<&str> = scopes.iter().map(String::as_str).collect();
    if !caller.allows(&acceptable) {
        return Err(CrmError::OAuthScopeMismatch);
    }
    Ok(module)
}

/// The caller's profile allows the operation on the module (§2 step 7, §4.7).
fn permitted(
    caller: &CallerRef<'_>,
    module: CrmModule<'_>,
    operation: Operation,
) -> Result<(), CrmError> {
    let profile = caller.org.tenant.directory.profile(&caller.user.profile);
    if ModulePermissions::of(profile, module.api_name).allows(operation) {
        Ok(())
    } else {
        Err(request::refused(operation))
    }
}

/// What record access reads of an org.
fn access(org: &Org, now: Timestamp) -> OrgAccess<'_> {
    OrgAccess {
        directory: &org.tenant.directory,
        rules: &org.crm.rules,
        settings: &org.crm.settings,
        now,
    }
}

/// What a record write needs of the caller's org: the records and their shares, to change, and
/// the caller's view of them (the access of §4 under the org's rules and settings), borrowed
/// apart so that a level can be read while a record or its shares change.
struct Writable<'o> {
    records: &'o mut Records,
    shares: &'o mut RecordShares,
    directory: &'o Directory,
    viewer: Viewer<'o>,
}

fn writable<'o>(
    org: &'o mut Org,
    user: &UserId,
    module: &'o OwnedModule,
    now: Timestamp,
) -> Result<Writable<'o>, CrmError> {
    let Org { tenant, crm, .. } = org;
    let CrmState {
        records,
        shares,
        rules,
        settings,
    } = crm;
    let directory = &tenant.directory;
    let caller = directory
        .user(user.as_str())
        .ok_or(CrmError::InternalError)?;
    let access = OrgAccess {
        directory,
        rules,
        settings,
        now,
    };
    Ok(Writable {
        records,
        shares,
        directory,
        viewer: Viewer::new(access, caller, module.as_module()),
    })
}

/// A module's names held apart from the org, so that a write can borrow the records mutably
/// while the access model looks at the module.
struct OwnedModule {
    api_name: String,
    id: String,
    custom: bool,
    record_sharing: RecordSharing,
    name_field: &'static str,
}

impl OwnedModule {
    fn of(module: CrmModule<'_>) -> Self {
        OwnedModule {
            api_name: module.api_name.to_owned(),
            id: module.id.to_owned(),
            custom: module.custom,
            record_sharing: module.record_sharing,
            name_field: module.name_field(),
        }
    }

    fn as_module(&self) -> CrmModule<'_> {
        CrmModule {
            api_name: &self.api_name,
            id: &self.id,
            custom: self.custom,
            record_sharing: self.record_sharing,
        }
    }
}

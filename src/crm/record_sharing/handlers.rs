//! The four share handlers: parse -> model -> render. Each runs its checks in the order of spec
//! README §2 inside one store closure, so a request sees and leaves a consistent org.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::app_state::AppState;
use crate::auth::{CallerRef, authenticate};
use crate::body::HeadersAndBody;
use crate::crm::error::CrmError;
use crate::crm::extract::{CrmPath, CrmQuery, CrmVersion};
use crate::crm::records::model::Records;
use crate::crm::registry::{ModuleLookup, scope_name_of};
use crate::store::org::Org;
use crate::tenant::directory::User;

use super::model::{self, Located, Share, Stamp, WriteMode};
use super::request::{self, BodyItem, ListQuery, Verb};
use super::wire;

/// `GET`: the record's shares, 204 when none is listed.
pub async fn get_shared_details(
    State(app): State<AppState>,
    version: CrmVersion,
    path: CrmPath,
    query: CrmQuery,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    app.store.read(|world| {
        let caller = authenticate(world, &headers, now)?;
        let located = locate(&caller, Verb::Read, &path)?;
        let query = ListQuery::parse(&query)?;
        let crm = &caller.org.crm;
        let shares: Vec<&Share> = model::listed(
            crm.shares.of(located.record.id.as_str()),
            query.shared_to.as_deref(),
        )
        .collect();
        Ok(wire::listing(
            &caller.org.tenant.directory,
            located,
            &shares,
            version,
            query.manage,
        ))
    })
}

/// `POST`: merge the body's shares into the record's (201).
pub async fn share_record(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    HeadersAndBody { headers, body }: HeadersAndBody,
) -> Result<Response, CrmError> {
    write_shares(
        &app,
        Verb::Share,
        &path,
        &headers,
        request::share_body(&body),
    )
}

/// `PUT`: the body's shares become the record's whole share set (200).
pub async fn update_share_permissions(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    HeadersAndBody { headers, body }: HeadersAndBody,
) -> Result<Response, CrmError> {
    write_shares(
        &app,
        Verb::Update,
        &path,
        &headers,
        request::share_body(&body),
    )
}

/// `DELETE`: revoke every share of the record; a body is ignored.
pub async fn revoke_shared_records(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    headers: HeaderMap,
) -> Result<Response, CrmError> {
    let now = app.clock.now();
    let record_id = app.store.write(|world| -> Result<_, CrmError> {
        let caller = authenticate(world, &headers, now)?;
        let located = locate(&caller, Verb::Revoke, &path)?;
        let (org, record_id) = (caller.slot, located.record.id.clone());
        let Org { crm, .. } = world.org_at_mut(org).ok_or(CrmError::InternalError)?;
        crm.shares
            .revoke(record_id.as_str())
            .map_err(|e| wire::error(Verb::Revoke, e, &[]))?;
        Ok(record_id)
    })?;
    Ok(wire::revoked(record_id.as_str()))
}

/// POST and PUT. The body was parsed before the lock was taken; its errors still answer only
/// after the path checks, in the order of README §2.
fn write_shares(
    app: &AppState,
    verb: Verb,
    path: &CrmPath,
    headers: &HeaderMap,
    parsed: Result<Vec<BodyItem>, CrmError>,
) -> Result<Response, CrmError> {
    let mode = if verb == Verb::Share {
        WriteMode::Merge
    } else {
        WriteMode::Replace
    };
    let now = app.clock.now();
    let items = app.store.write(|world| -> Result<_, CrmError> {
        let caller = authenticate(world, headers, now)?;
        let located = locate(&caller, verb, path)?;
        let items = parsed?;
        let stamp = Stamp {
            by: caller.user.id.clone(),
            at: now.truncated_to_secs(),
        };
        let (org, record) = (caller.slot, located.slot);
        let Org { tenant, crm, .. } = world.org_at_mut(org).ok_or(CrmError::InternalError)?;
        crm.shares
            .write(
                &crm.records,
                &tenant.directory,
                record,
                mode,
                &items,
                &stamp,
            )
            .map_err(|e| wire::error(verb, e, &items))?;
        Ok(items.len())
    })?;
    Ok(wire::shared(verb, items))
}

/// The scope (README §2 step 4), then the model's module, record and permission checks.
fn locate<'w>(caller: &CallerRef<'w>, verb: Verb, path: &CrmPath) -> Result<Located<'w>, CrmError> {
    find_record(
        &caller.org.crm.records,
        caller.user,
        |scopes| caller.allows(scopes),
        verb,
        path.get("module"),
        path.get("record_id"),
    )
}

/// [`locate`] over its parts; `allows` answers whether the caller's token covers one of the
/// scopes.
fn find_record<'o>(
    records: &'o Records,
    user: &User,
    allows: impl Fn(&[&str]) -> bool,
    verb: Verb,
    module_name: Option<&str>,
    record_id: Option<&str>,
) -> Result<Located<'o>, CrmError> {
    let lookup = module_name.map_or(ModuleLookup::Unknown, |name| records.module(name));
    if !allows_share_scope(allows, lookup, module_name, verb) {
        return Err(CrmError::OAuthScopeMismatch);
    }
    model::locate(records, user, lookup, record_id).map_err(|e| wire::error(verb, e, &[]))
}

/// Stands for a module path segment that is not UTF-8: it names nothing, and no scope names it.
const UNDECODABLE_MODULE: &str = "\u{fffd}";

/// `ZohoCRM.share.{module}.{OP}` covers the call; a custom module also answers to `custom`.
fn allows_share_scope(
    allows: impl Fn(&[&str]) -> bool,
    lookup: ModuleLookup<'_>,
    module_name: Option<&str>,
    verb: Verb,
) -> bool {
    let operation = match verb {
        Verb::Read => "READ",
        Verb::Share => "CREATE",
        Verb::Update => "UPDATE",
        Verb::Revoke => "DELETE",
    };
    match lookup {
        ModuleLookup::Known(module) if module.custom => allows(&[
            &format!("ZohoCRM.share.{}.{operation}", module.share_scope_name()),
            &format!(
                "ZohoCRM.share.{}.{operation}",
                module.api_name.to_lowercase()
            ),
        ]),
        _ => {
            let name = scope_name_of(module_name.unwrap_or(UNDECODABLE_MODULE));
            let mut required = String::with_capacity(22 + name.len());
            required.push_str("ZohoCRM.share.");
            required.push_str(&name);
            required.push('.');
            required.push_str(operation);
            allows(&[&required])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::store::fixture::sandbox_org;

    const PATRICIA: &str = "4150868000001174048";
    const AMELIA: &str = "4150868000001199001";
    /// Owned by Patricia.
    const LEAD: &str = "4150868000001148212";

    fn sandbox() -> Org {
        sandbox_org(Timestamp(0))
    }

    fn locate_as(
        org: &Org,
        user_id: &str,
        scopes: &[&str],
        verb: Verb,
        module: &str,
        record: &str,
    ) -> Result<String, CrmError> {
        let caller = org.tenant.directory.user(user_id).unwrap();
        let allows = |wanted: &[&str]| crate::auth::scope::allows(scopes, wanted);
        find_record(
            &org.crm.records,
            caller,
            allows,
            verb,
            Some(module),
            Some(record),
        )
        .map(|l| l.module.api_name.to_owned())
    }

    #[test]
    fn locate_checks_scope_then_module_class_then_record_then_permission() {
        let org = sandbox();
        let all = ["ZohoCRM.share.ALL"];
        let leads_only = ["ZohoCRM.share.leads.ALL"];
        assert_eq!(
            locate_as(&org, PATRICIA, &all, Verb::Read, "leads", LEAD),
            Ok("Leads".into())
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &leads_only, Verb::Update, "Contacts", LEAD),
            Err(CrmError::OAuthScopeMismatch)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &leads_only, Verb::Update, "Nope", LEAD),
            Err(CrmError::OAuthScopeMismatch)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &leads_only, Verb::Update, "Documents", LEAD),
            Err(CrmError::OAuthScopeMismatch)
        );
        assert_eq!(
            locate_as(
                &org,
                PATRICIA,
                &all,
                Verb::Update,
                "Tasks",
                "4150868000001148370"
            ),
            Err(CrmError::OAuthScopeMismatch)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &all, Verb::Update, "Documents", LEAD),
            Err(CrmError::UnsupportedModule)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &all, Verb::Update, "Nope", LEAD),
            Err(CrmError::InvalidModule)
        );
        assert_eq!(
            locate_as(&org, PATRICIA, &all, Verb::Update, "Contacts", LEAD),
            Err(CrmError::EntityIdInvalid)
        );
        assert_eq!(
            locate_as(
                &org,
                PATRICIA,
                &all,
                Verb::Update,
                "Leads",
                "4150868000009999999"
            ),
            Err(CrmError::EntityIdInvalid)
        );
        assert_eq!(
            locate_as(&org, AMELIA, &all, Verb::Update, "Leads", LEAD),
            Err(CrmError::NoPermissionToUpdate)
        );
        assert_eq!(
            locate_as(
                &org,
                AMELIA,
                &all,
                Verb::Update,
                "Leads",
                "4150868000001148213"
            ),
            Ok("Leads".into())
        );
        assert_eq!(
            locate_as(
                &org,
                PATRICIA,
                &["ZohoCRM.share.salesorders.READ"],
                Verb::Read,
                "sales_orders",
                "4150868000001148280"
            ),
            Ok("Sales_Orders".into())
        );
    }

    #[test]
    fn custom_modules_take_custom_or_their_own_name_as_scope() {
        let org = sandbox();
        let record = "4150868000001148360";
        for scope in ["ZohoCRM.share.custom.READ", "ZohoCRM.share.properties.ALL"] {
            assert_eq!(
                locate_as(&org, PATRICIA, &[scope], Verb::Read, "Properties", record),
                Ok("Properties".into())
            );
        }
        assert_eq!(
            locate_as(
                &org,
                PATRICIA,
                &["ZohoCRM.share.leads.ALL"],
                Verb::Read,
                "Properties",
                record
            ),
            Err(CrmError::OAuthScopeMismatch)
        );
    }
}

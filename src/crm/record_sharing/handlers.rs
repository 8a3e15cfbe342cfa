//! The four share handlers: parse -> model -> render. Each runs its checks in the order of spec
//! README §2 inside one store closure, so a request sees and leaves a consistent org.

use std::convert::Infallible;

use axum::extract::{FromRequest, Request, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::app_state::AppState;
use crate::auth::{CallerRef, authenticate};
use crate::body::BufferedBody;
use crate::crm::error::CrmError;
use crate::crm::extract::{CrmPath, CrmQuery, CrmVersion};

use super::model::{self, Located, Share, Stamp, Verb, WriteMode};
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
        let query = wire::ListQuery::parse(&query)?;
        let shares: Vec<&Share> = model::listed(
            caller.org.shares_of(located.record.id.as_str()),
            query.shared_to.as_deref(),
        )
        .collect();
        Ok(wire::listing(
            caller.org,
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
    write_shares(&app, Verb::Share, &path, &headers, &body)
}

/// `PUT`: the body's shares become the record's whole share set (200).
pub async fn update_share_permissions(
    State(app): State<AppState>,
    _version: CrmVersion,
    path: CrmPath,
    HeadersAndBody { headers, body }: HeadersAndBody,
) -> Result<Response, CrmError> {
    write_shares(&app, Verb::Update, &path, &headers, &body)
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
        let (org_id, record_id) = (caller.org.id.clone(), located.record.id.clone());
        let org = world
            .org_mut(org_id.as_str())
            .ok_or(CrmError::InternalError)?;
        model::revoke(org, record_id.as_str()).map_err(|e| wire::error(Verb::Revoke, e))?;
        Ok(record_id)
    })?;
    Ok(wire::revoked(record_id.as_str()))
}

fn write_shares(
    app: &AppState,
    verb: Verb,
    path: &CrmPath,
    headers: &HeaderMap,
    body: &BufferedBody,
) -> Result<Response, CrmError> {
    let mode = if verb == Verb::Share {
        WriteMode::Merge
    } else {
        WriteMode::Replace
    };
    // Parsed before taking the lock; its errors still answer only after the path checks.
    let parsed = wire::share_body(body);
    let now = app.clock.now();
    let items = app.store.write(|world| -> Result<_, CrmError> {
        let caller = authenticate(world, headers, now)?;
        let located = locate(&caller, verb, path)?;
        let items = parsed?;
        let stamp = Stamp {
            by: caller.user.id.clone(),
            at: now.truncated_to_secs(),
        };
        let (org_id, record_id) = (caller.org.id.clone(), located.record.id.clone());
        let org = world
            .org_mut(org_id.as_str())
            .ok_or(CrmError::InternalError)?;
        model::write_shares(org, record_id.as_str(), mode, &items, &stamp)
            .map_err(|e| wire::error(verb, e))?;
        Ok(items.len())
    })?;
    Ok(wire::shared(verb, items))
}

fn locate<'w>(caller: &CallerRef<'w>, verb: Verb, path: &CrmPath) -> Result<Located<'w>, CrmError> {
    model::locate(
        caller.org,
        caller.user,
        |scopes| caller.allows(scopes),
        verb,
        path.get("module"),
        path.get("record_id"),
    )
    .map_err(|e| wire::error(verb, e))
}

/// The headers and the buffered body of a write; the headers are moved out of the request
/// rather than cloned, as writes are the endpoint's hot path.
pub struct HeadersAndBody {
    headers: HeaderMap,
    body: BufferedBody,
}

impl<S: Send + Sync> FromRequest<S> for HeadersAndBody {
    type Rejection = Infallible;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let headers = std::mem::take(&mut parts.headers);
        let body = BufferedBody::from_request(Request::from_parts(parts, body), state).await?;
        Ok(HeadersAndBody { headers, body })
    }
}

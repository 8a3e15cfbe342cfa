//! Zoho Analytics v2 REST, `/restapi/v2/...` (spec analytics-v2-sharing.md): discovery,
//! workspace admins, view sharing, workspace users, org admins and groups, over the same
//! workspaces as v1. This is the front door every v2 request passes, walking the processing
//! order of spec §4: the route (1) and the method (2) before anything else, then under one
//! lock the token (3), the scope (4), `ZANALYTICS-ORGID` (5), `CONFIG` (6: its presence and
//! shape here, the endpoint's keys in its `request.rs`), the ids of the path (7 a-d); the
//! endpoint's handler takes the rest (7 e-f, who may call, value rules, state rules).

pub mod config;
pub mod context;
pub mod error;
pub mod render;
pub mod route;

pub mod discovery;
pub mod groups;
pub mod org_admins;
pub mod view_sharing;
pub mod workspace_admins;
pub mod workspace_users;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use crate::app_state::AppState;
use crate::auth::authenticate;
use crate::body::BufferedBody;
use crate::clock::Timestamp;
use crate::store::org::Org;
use crate::store::world::{OrgSlot, World};

use config::{Config, RawConfig};
use context::{CallerInfo, Ctx, check_groups, check_view};
use discovery::handlers::{self as discover, Which};
use discovery::request as discover_request;
use error::V2Error;
use groups::{handlers as group, request as group_request};
use org_admins::handlers as org_admin;
use route::{ConfigUse, Endpoint, Matched};
use view_sharing::{handlers as sharing, request as sharing_request};
use workspace_admins::{handlers as admins, request as admins_request};
use workspace_users::{handlers as users, request as users_request};

pub use error::fault_response;

/// The header that names the Analytics org (spec §2); header names compare ignoring case.
const ORG_HEADER: &str = "zanalytics-orgid";

/// Every path under `/restapi/v2` and every alias goes to one dispatcher, which matches the
/// route table itself (so that a miss is 404 without a body and a wrong method 405 with
/// `Allow`, before authentication).
pub fn routes() -> Router<AppState> {
    route::axum_paths()
        .into_iter()
        .fold(Router::new(), |router, path| {
            router.route(&path, any(dispatch))
        })
}

/// A path under `/restapi/v2/` that no route matches (the router's fallback for the family).
pub fn route_miss() -> Response {
    render::route_miss()
}

/// The v2 internal error (7005): the answer of a request whose change the state file could not
/// commit.
pub fn internal_error() -> Response {
    V2Error::InternalError.into_response()
}

async fn dispatch(
    State(app): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: BufferedBody,
) -> Response {
    let Some(matched) = route::find(uri.path()) else {
        return render::route_miss();
    };
    let Some(endpoint) = matched.endpoint(&method) else {
        return render::method_not_allowed(&matched.allow());
    };
    let raw = match endpoint.config() {
        ConfigUse::Ignored => RawConfig::default(),
        ConfigUse::Optional | ConfigUse::Required => {
            RawConfig::read(uri.query(), &headers, &body).await
        }
    };
    let call = Call {
        endpoint,
        matched: &matched,
        headers: &headers,
        raw: &raw,
        now: app.clock.now(),
    };
    let outcome = if endpoint.changes_state() {
        app.store.write(|world| call.write(world))
    } else {
        app.store.read(|world| call.read(world))
    };
    outcome.unwrap_or_else(IntoResponse::into_response)
}

/// One request's inputs to the checks.
struct Call<'r> {
    endpoint: Endpoint,
    matched: &'r Matched,
    headers: &'r HeaderMap,
    raw: &'r RawConfig,
    now: Timestamp,
}

/// What steps 3 to 6 (e) found.
struct Front {
    caller: CallerInfo,
    slot: OrgSlot,
    /// The trimmed `ZANALYTICS-ORGID`, on the routes that need it.
    org_header: Option<String>,
    /// Empty where the route takes none or it was left out.
    config: Config,
}

impl Call<'_> {
    /// Steps 3 to 6 (e).
    fn front<'w>(&self, world: &'w World) -> Result<(Front, &'w Org), V2Error> {
        let caller = authenticate(world, self.headers, self.now)?;
        if !caller.allows(&[self.endpoint.scope()]) {
            return Err(V2Error::InvalidOauthToken);
        }
        let org_header = if self.endpoint.needs_org_header() {
            let value = self
                .headers
                .get(ORG_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .ok_or(V2Error::OrgIdMissing)?;
            Some(value.to_owned())
        } else {
            None
        };
        let config = match self.endpoint.config() {
            ConfigUse::Ignored => Config::default(),
            ConfigUse::Optional => self.raw.optional()?.unwrap_or_default(),
            ConfigUse::Required => self.raw.required()?,
        };
        let front = Front {
            caller: CallerInfo::of(caller.user),
            slot: caller.slot,
            org_header,
            config,
        };
        Ok((front, caller.org))
    }

    /// Step 7 (a) to (d): the path's workspace, the org header's value, the path's view and
    /// group.
    fn resolve(&self, org: &Org, front: Front) -> Result<Ctx, V2Error> {
        let workspace = match &self.matched.workspace {
            Some(id) => Some(org.analytics.by_id(id).ok_or(V2Error::WorkspaceNotFound)?),
            None => None,
        };
        if let Some(value) = &front.org_header
            && value != org.tenant.analytics_org_id()
        {
            return Err(match workspace {
                Some(_) => V2Error::WorkspaceNotInOrg,
                None => V2Error::OrgNotPresent,
            });
        }
        if let (Some((_, ws)), Some(view)) = (workspace, &self.matched.view) {
            check_view(org, ws, view)?;
        }
        if let (Some((_, ws)), Some(group)) = (workspace, &self.matched.group) {
            check_groups(ws, std::slice::from_ref(group))?;
        }
        Ok(Ctx {
            caller: front.caller,
            workspace: workspace.map(|(slot, _)| slot),
            view: self.matched.view.clone(),
            group: self.matched.group.clone(),
            now: self.now,
        })
    }

    /// The endpoints that only read, under the read lock.
    fn read(&self, world: &World) -> Result<Response, V2Error> {
        use Endpoint as E;
        let (front, org) = self.front(world)?;
        // An arm with a request: step 6 (f) to (i), then step 7 (a) to (d), then the handler.
        macro_rules! with {
            ($request:expr, $handler:path) => {{
                let request = $request?;
                let ctx = self.resolve(org, front)?;
                $handler(org, &ctx, request)
            }};
            ($handler:expr) => {{
                let ctx = self.resolve(org, front)?;
                $handler(org, &ctx)
            }};
        }
        let config = &front.config;
        match self.endpoint {
            E::Orgs => with!(discover::orgs),
            E::Workspaces => with!(|org, ctx| discover::workspaces(org, ctx, Which::All)),
            E::OwnedWorkspaces => with!(|org, ctx| discover::workspaces(org, ctx, Which::Owned)),
            E::SharedWorkspaces => {
                with!(|org, ctx| discover::workspaces(org, ctx, Which::Shared))
            }
            E::WorkspaceDetails => with!(discover::details),
            E::Views => with!(discover_request::views(config), discover::views),
            E::GetAdmins => with!(admins::get),
            E::ShareInfo => with!(sharing::share_info),
            E::SharedDetails => with!(
                sharing_request::shared_details(config),
                sharing::shared_details
            ),
            E::MyPermissions => with!(sharing::my_permissions),
            E::GetUsers => with!(users::get),
            E::OrgAdmins => with!(org_admin::get),
            E::GetGroups => with!(group::list),
            E::GetGroup => with!(group::get),
            // The route table sends every other endpoint to `write`.
            _ => Err(V2Error::InternalError),
        }
    }

    /// The endpoints that change state, under the write lock: every check runs before the
    /// change, and a refused request changes nothing.
    fn write(&self, world: &mut World) -> Result<Response, V2Error> {
        use Endpoint as E;
        let (front, _) = self.front(world)?;
        let org = world.org_at_mut(front.slot).ok_or(V2Error::InternalError)?;
        // Each arm: step 6 (f) to (i), then step 7 (a) to (d), then the handler.
        macro_rules! with {
            ($request:expr, $handler:path) => {{
                let request = $request?;
                let ctx = self.resolve(org, front)?;
                $handler(org, &ctx, request)
            }};
            ($handler:path) => {{
                let ctx = self.resolve(org, front)?;
                $handler(org, &ctx)
            }};
        }
        let config = &front.config;
        match self.endpoint {
            E::AddAdmins => with!(admins_request::add(config), admins::add),
            E::RemoveAdmins => with!(admins_request::remove(config), admins::remove),
            E::Share => with!(sharing_request::share(config), sharing::share),
            E::UpdateShare => with!(sharing_request::update(config), sharing::update),
            E::RemoveShare => with!(sharing_request::remove(config), sharing::remove),
            E::AddUsers => with!(users_request::add(config), users::add),
            E::RemoveUsers => with!(users_request::remove(config), users::remove),
            E::UserStatus => with!(users_request::status(config), users::status),
            E::UserRole => with!(users_request::role(config), users::role),
            E::CreateGroup => with!(group_request::create(config), group::create),
            E::RenameGroup => with!(group_request::rename(config), group::rename),
            E::DeleteGroup => with!(group::delete),
            E::AddMembers => with!(
                group_request::members(config, "inviteMail"),
                group::add_members
            ),
            E::RemoveMembers => with!(
                group_request::members(config, "notifyMail"),
                group::remove_members
            ),
            // The route table sends every other endpoint to `read`.
            _ => Err(V2Error::InternalError),
        }
    }
}

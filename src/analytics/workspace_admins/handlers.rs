//! `/api/{owner_email}/{workspace_name}`: the checks of spec §4 in order, then the action.
//! Parse -> model -> render; every refusal is an `AnalyticsError` rendered by `render::error`.

use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;

use crate::analytics::error::AnalyticsError;
use crate::analytics::params::Params;
use crate::analytics::path::WorkspacePath;
use crate::analytics::render::{self, Format};
use crate::analytics::workspaces::model::WorkspaceSlot;
use crate::analytics::{email, envelope};
use crate::app_state::AppState;
use crate::auth::authenticate;
use crate::body::BufferedBody;
use crate::clock::Timestamp;
use crate::store::org::Org;
use crate::store::world::{OrgSlot, World};

use super::request::{Action, ActionArgs};
use super::wire::{ActionResult, ShareInfo};

/// Every `/api` request. The path's shape is judged before the method (spec §4).
pub async fn dispatch(
    State(app): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: BufferedBody,
) -> Response {
    let params = Params::read(uri.query(), &headers, &body).await;
    let outcome = match WorkspacePath::parse(uri.path()) {
        Err(err) => Err(err),
        Ok(_) if method != Method::GET && method != Method::POST => {
            return render::method_not_allowed();
        }
        Ok(target) => run(&app, &target, &headers, &params),
    };
    let envelope = envelope(uri.path(), &params);
    match outcome {
        Ok((format, result)) => render::result(format, &envelope, &result),
        Err(err) => render::error(params.error_format(), &envelope, &err),
    }
}

/// Checks and action under one lock, so that what was checked is what is changed.
fn run(
    app: &AppState,
    target: &WorkspacePath,
    headers: &HeaderMap,
    params: &Params,
) -> Result<(Format, ActionResult), AnalyticsError> {
    let now = app.clock.now();
    let call = Call {
        target,
        headers,
        params,
        now,
    };
    if Action::from_params(params).is_ok_and(Action::changes_state) {
        app.store.write(|world| {
            let checked = call.check(world)?;
            let (org, format, workspace, args) = (
                checked.slot,
                checked.format,
                checked.workspace,
                checked.args,
            );
            let org = world.org_at_mut(org).ok_or(AnalyticsError::InternalError)?;
            Ok((format, change_admins(org, workspace, args)?))
        })
    } else {
        app.store.read(|world| {
            let checked = call.check(world)?;
            let workspace = checked
                .org
                .analytics
                .get(checked.workspace)
                .ok_or(AnalyticsError::InternalError)?;
            Ok((
                checked.format,
                ActionResult::ShareInfo(ShareInfo::of(workspace)),
            ))
        })
    }
}

/// One request's inputs to the checks.
struct Call<'r> {
    target: &'r WorkspacePath,
    headers: &'r HeaderMap,
    params: &'r Params,
    now: Timestamp,
}

/// A request that passed every check but the state rules.
struct Checked<'w> {
    org: &'w Org,
    slot: OrgSlot,
    workspace: WorkspaceSlot,
    format: Format,
    args: ActionArgs,
}

impl Call<'_> {
    /// Steps 3 to 11 of spec §4; steps 1 and 2 (path shape, method) come before.
    fn check<'w>(&self, world: &'w World) -> Result<Checked<'w>, AnalyticsError> {
        let caller = authenticate(world, self.headers, self.now)?;
        self.params.check_readable_and_unrepeated()?;
        let action = Action::from_params(self.params)?;
        if !caller.allows(&[action.required_scope()]) {
            return Err(AnalyticsError::InvalidOauthScope);
        }
        let format = self.params.output_format()?;
        self.params.check_api_version()?;
        let owner_email = self
            .target
            .owner_email
            .as_deref()
            .filter(|owner| email::is_well_formed(owner))
            .ok_or(AnalyticsError::ImproperOwnerEmail)?;
        let org = caller.org;
        let (workspace, found) = self
            .target
            .workspace_name
            .as_deref()
            .and_then(|name| org.analytics.find(owner_email, name))
            .ok_or(AnalyticsError::WorkspaceNotFound)?;
        let user = caller.user;
        if !(found.is_owner(&user.email) || user.is_administrator()) {
            return Err(AnalyticsError::NotPermitted {
                full_name: user.full_name.clone(),
            });
        }
        let args = ActionArgs::read(action, self.params)?;
        Ok(Checked {
            org,
            slot: caller.slot,
            workspace,
            format,
            args,
        })
    }
}

/// Step 12: the state rules, applied to the workspace all-or-nothing.
fn change_admins(
    org: &mut Org,
    workspace: WorkspaceSlot,
    args: ActionArgs,
) -> Result<ActionResult, AnalyticsError> {
    let Org {
        tenant, analytics, ..
    } = org;
    let workspace = analytics
        .get_mut(workspace)
        .ok_or(AnalyticsError::InternalError)?;
    match args {
        ActionArgs::RemoveAdmins { emails } => {
            workspace.remove_admins(&emails)?;
            Ok(ActionResult::admins_removed())
        }
        ActionArgs::AddAdmins { emails } => {
            workspace.add_admins(&emails, &tenant.directory)?;
            Ok(ActionResult::admins_added())
        }
        ActionArgs::GetShareInfo => Ok(ActionResult::ShareInfo(ShareInfo::of(workspace))),
    }
}

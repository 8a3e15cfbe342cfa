//! Zoho Analytics v1: one URL per workspace, `/api/{owner_email}/{workspace_name}`, the
//! operation chosen by `ZOHO_ACTION`; answers in JSON or XML. This is the front door every v1
//! request passes: the checks of spec §4 in order (path shape, method, then under one lock
//! token, parameters, action, scope, formats, owner, workspace, permission, the action's
//! parameters), then the action's own handler, then the envelope.

pub mod action;
pub mod error;
pub mod params;
pub mod path;
pub mod render;
pub mod view_sharing;
pub mod workspace_admins;

use axum::Router;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::any;

use crate::analytics::email;
use crate::analytics::workspaces::access::{self, Caller};
use crate::analytics::workspaces::model::WorkspaceSlot;
use crate::app_state::AppState;
use crate::auth::authenticate;
use crate::body::BufferedBody;
use crate::clock::Timestamp;
use crate::faults::{Fault, FaultCode};
use crate::store::org::Org;
use crate::store::world::{OrgSlot, World};

use action::Action;
use error::AnalyticsError;
use params::Params;
use path::WorkspacePath;
use render::{Envelope, Format, ResultBody, XmlLines};
use view_sharing::handlers as sharing;
use view_sharing::request::SharingArgs;
use view_sharing::wire::SharingResult;
use workspace_admins::handlers as admins;
use workspace_admins::request::ActionArgs;
use workspace_admins::wire::ActionResult;

/// Every `/api` path goes to one dispatcher, which judges the path's shape itself (7102, 7138)
/// and answers other methods with 405.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api", any(dispatch))
        .route("/api/", any(dispatch))
        .route("/api/{*rest}", any(dispatch))
}

/// Every `/api` request. The path's shape is judged before the method (spec §4).
async fn dispatch(
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

/// Checks and action under one lock, so that what was checked is what is changed; the write
/// lock only for an action that changes state.
fn run(
    app: &AppState,
    target: &WorkspacePath,
    headers: &HeaderMap,
    params: &Params,
) -> Result<(Format, Answer), AnalyticsError> {
    let call = Call {
        target,
        headers,
        params,
        now: app.clock.now(),
    };
    if Action::from_params(params).is_ok_and(Action::changes_state) {
        app.store.write(|world| {
            let checked = call.check(world)?;
            let (org, format, workspace, args, caller) = (
                checked.slot,
                checked.format,
                checked.workspace,
                checked.args,
                checked.caller_email,
            );
            let org = world.org_at_mut(org).ok_or(AnalyticsError::InternalError)?;
            Ok((format, perform(org, workspace, args, &caller, call.now)?))
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
                Answer::Admins(admins::get_share_info(workspace)),
            ))
        })
    }
}

/// An action with its parameters, by sub-area.
enum Args {
    Admins(ActionArgs),
    Sharing(SharingArgs),
}

/// What an action answers, by sub-area.
enum Answer {
    Admins(ActionResult),
    Sharing(SharingResult),
}

impl serde::Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Admins(result) => result.serialize(serializer),
            Answer::Sharing(result) => result.serialize(serializer),
        }
    }
}

impl ResultBody for Answer {
    fn write_xml(&self, xml: &mut XmlLines) {
        match self {
            Answer::Admins(result) => result.write_xml(xml),
            Answer::Sharing(result) => result.write_xml(xml),
        }
    }
}

/// Step 12: the action's handler, which applies the state rules all-or-nothing.
fn perform(
    org: &mut Org,
    workspace: WorkspaceSlot,
    args: Args,
    caller_email: &str,
    now: Timestamp,
) -> Result<Answer, AnalyticsError> {
    let Org {
        tenant, analytics, ..
    } = org;
    let directory = &tenant.directory;
    match args {
        Args::Admins(ActionArgs::RemoveAdmins { emails }) => {
            admins::remove_workspace_admins(analytics, workspace, &emails).map(Answer::Admins)
        }
        Args::Admins(ActionArgs::AddAdmins { emails }) => {
            admins::add_workspace_admins(analytics, directory, workspace, &emails)
                .map(Answer::Admins)
        }
        Args::Admins(ActionArgs::GetShareInfo) => {
            let workspace = analytics
                .get(workspace)
                .ok_or(AnalyticsError::InternalError)?;
            Ok(Answer::Admins(admins::get_share_info(workspace)))
        }
        Args::Sharing(args) => {
            sharing::perform(analytics, directory, workspace, args, caller_email, now)
                .map(Answer::Sharing)
        }
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
    args: Args,
    /// As the user record spells it: a share's `shared_by`.
    caller_email: String,
}

impl Call<'_> {
    /// Steps 3 to 11 of spec §4 (with the split of steps 10 and 11 that SHARE and REMOVESHARE
    /// make, analytics-v2-sharing.md §10.4); steps 1 and 2 (path shape, method) come before.
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
        let who = Caller::of(user);
        let refused = || AnalyticsError::NotPermitted {
            full_name: user.full_name.clone(),
        };
        let args = match action {
            Action::Admins(action) => {
                if !access::manages_admins(found, who) {
                    return Err(refused());
                }
                Args::Admins(ActionArgs::read(action, self.params)?)
            }
            Action::Sharing(action) => {
                let views = view_sharing::request::read_views(action, self.params, found)?;
                if !sharing::may_act(found, &views, who) {
                    return Err(refused());
                }
                Args::Sharing(view_sharing::request::read_args(
                    action,
                    self.params,
                    views,
                )?)
            }
        };
        Ok(Checked {
            org,
            slot: caller.slot,
            workspace,
            format,
            args,
            caller_email: user.email.clone(),
        })
    }
}

/// What every answer to a request starts with: its `uri` and `action` attributes.
fn envelope(path: &str, params: &Params) -> Envelope {
    Envelope {
        uri: path::response_uri(path),
        action: params.action_attribute(),
    }
}

/// 7005 in the Analytics envelope, in the request's `ZOHO_ERROR_FORMAT`: the answer of a request
/// whose change the state file could not commit (DESIGN §6).
pub async fn internal_error(parts: &Parts, body: &BufferedBody) -> Response {
    let params = Params::read(parts.uri.query(), &parts.headers, body).await;
    render::error(
        params.error_format(),
        &envelope(parts.uri.path(), &params),
        &AnalyticsError::InternalError,
    )
}

/// An injected fault in the Analytics envelope, in the request's `ZOHO_ERROR_FORMAT`: the
/// fault's code (a number; absent or not a number: 7005), its message or the code's text.
pub async fn fault_response(
    fault: &Fault,
    status: StatusCode,
    parts: &Parts,
    body: &BufferedBody,
) -> Response {
    let code = match &fault.code {
        Some(FaultCode::Number(n)) => *n,
        Some(FaultCode::Text(text)) => text.parse().unwrap_or(7005),
        None => 7005,
    };
    let params = Params::read(parts.uri.query(), &parts.headers, body).await;
    let message = fault.message.clone().unwrap_or_else(|| {
        error::message_of_code(code)
            .map(str::to_owned)
            .unwrap_or_else(|| code.to_string())
    });
    let err = AnalyticsError::Fault {
        status,
        code,
        message,
    };
    render::error(
        params.error_format(),
        &envelope(parts.uri.path(), &params),
        &err,
    )
}

//! Zoho Analytics: the org's workspaces (`workspaces`, the state every Analytics API works on),
//! the v1 API over them (`v1`) and the v2 REST API beside it (`v2`), over the same state; the
//! email rule both APIs apply to their requests (`email`).

pub mod email;
pub mod v1;
pub mod v2;
pub mod workspaces;

use axum::Router;

use crate::app_state::AppState;

pub fn routes() -> Router<AppState> {
    v1::routes().merge(v2::routes())
}

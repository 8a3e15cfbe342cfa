//! Zoho Analytics: the org's workspaces (`workspaces`, the state every Analytics API works on)
//! and the v1 API over them (`v1`). The v2 REST API will sit beside v1, over the same state.

pub mod email;
pub mod v1;
pub mod workspaces;

use axum::Router;

use crate::app_state::AppState;

pub fn routes() -> Router<AppState> {
    v1::routes()
}

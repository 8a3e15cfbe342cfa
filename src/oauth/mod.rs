//! The accounts server: `POST /oauth/v2/token` (refresh_token and authorization_code grants)
//! and `POST /oauth/v2/token/revoke`. Any other method answers 405 with `Allow: POST`.

pub mod error;
pub mod handlers;
pub mod model;
pub mod request;
pub mod wire;

use axum::Router;
use axum::routing::post;

use crate::app_state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/v2/token", post(handlers::issue_token))
        .route("/oauth/v2/token/revoke", post(handlers::revoke_token))
}

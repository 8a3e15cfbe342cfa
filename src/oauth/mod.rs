//! The accounts server: `POST /oauth/v2/token` (refresh_token and authorization_code grants),
//! `POST /oauth/v2/token/revoke` (any other method: 405 with `Allow: POST`) and
//! `GET /oauth/user/info` (any other method: 405 with `Allow: GET`).

pub mod error;
pub mod handlers;
pub mod model;
pub mod request;
pub mod wire;

use axum::Router;
use axum::routing::{get, post};

use crate::app_state::AppState;

/// The accounts server's user info, which takes `Bearer` tokens as well.
pub const USER_INFO_PATH: &str = "/oauth/user/info";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/v2/token", post(handlers::issue_token))
        .route("/oauth/v2/token/revoke", post(handlers::revoke_token))
        .route(
            USER_INFO_PATH,
            get(handlers::user_info)
                .head(handlers::user_info_wrong_method)
                .fallback(handlers::user_info_wrong_method),
        )
}

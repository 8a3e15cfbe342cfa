//! PLACEHOLDER until the Analytics family lands.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use crate::analytics::error::AnalyticsError;
use crate::analytics::params::Params;
use crate::analytics::{params, render};
use crate::app_state::AppState;

pub async fn dispatch(State(_app): State<AppState>, uri: Uri) -> Response {
    let p = Params::default();
    render::error(
        p.error_format(),
        &params::envelope(uri.path(), &p),
        &AnalyticsError::InternalError,
    )
}

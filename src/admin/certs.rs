//! `GET /__admin/certs/ca.pem`: the certificate a client of the HTTPS listener trusts (the
//! generated CA, or the chain given with `--tls-cert`), on both listeners.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app_state::AppState;

use super::error::AdminError;

pub async fn ca_pem(State(app): State<AppState>) -> Result<Response, AdminError> {
    let pem = app.settings.ca_pem.clone().ok_or_else(|| {
        AdminError::not_found("no HTTPS listener: start the mock with --tls-port")
    })?;
    let mut response = (StatusCode::OK, pem).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-pem-file"),
    );
    Ok(response)
}

//! The admin API under `/__admin` (DESIGN §5): health, reset, state, orgs, snapshots, tokens,
//! grant codes, rule computation, the access explain, clock, journal, faults, the HTTPS CA
//! certificate, the OpenAPI document and the dashboard. Checked in order: the optional admin token, then unknown paths
//! (404), then wrong methods (405 with `Allow`).

pub mod access;
pub mod body;
pub mod certs;
pub mod clock;
pub mod error;
pub mod faults;
pub mod health;
pub mod openapi;
pub mod orgs;
pub mod origin;
mod path;
pub mod requests;
pub mod snapshots;
pub mod state;
pub mod tokens;
mod ui;

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};

use crate::app_state::AppState;

use error::AdminError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/reset", post(state::reset))
        .route("/state", get(state::export_state).put(state::import_state))
        .route("/orgs", get(orgs::list_orgs).post(orgs::create_org))
        .route("/orgs/{id}", get(orgs::get_org).delete(orgs::delete_org))
        .route("/orgs/{id}/tokens", get(tokens::list_tokens))
        .route(
            "/orgs/{id}/rule-computation",
            put(orgs::set_rule_computation),
        )
        .route(
            "/snapshots",
            post(snapshots::save_snapshot).get(snapshots::list_snapshots),
        )
        .route("/snapshots/{name}", delete(snapshots::delete_snapshot))
        .route(
            "/snapshots/{name}/restore",
            post(snapshots::restore_snapshot),
        )
        .route(
            "/orgs/{id}/access",
            get(access::explain)
                .head(access::get_only)
                .fallback(access::get_only),
        )
        .route("/tokens", post(tokens::create_token))
        .route("/grant-codes", post(tokens::create_grant_code))
        .route("/clock", get(clock::get_clock).put(clock::set_clock))
        .route(
            "/requests",
            get(requests::list_requests).delete(requests::clear_requests),
        )
        .route("/requests/count", post(requests::count_requests))
        .route("/requests/find", post(requests::find_requests))
        .route(
            "/faults",
            post(faults::add_fault)
                .get(faults::list_faults)
                .delete(faults::clear_faults),
        )
        .route("/faults/{id}", delete(faults::remove_fault))
        .route("/certs/ca.pem", get(certs::ca_pem))
        .route("/openapi.json", get(openapi::document))
        .route("/ui", get(ui::page))
        .route("/ui/", get(ui::page))
        .route("/ui/{asset}", get(ui::asset))
        .fallback(unknown_path)
        .layer(map_response(method_not_allowed_body))
}

async fn unknown_path(OriginalUri(uri): OriginalUri) -> AdminError {
    AdminError::unknown_path(uri.path())
}

/// axum's 405 already carries the `Allow` header; give it the admin API's JSON body.
async fn method_not_allowed_body(response: Response) -> Response {
    if response.status() != StatusCode::METHOD_NOT_ALLOWED {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut replaced = AdminError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: "method not allowed on this admin endpoint".into(),
    }
    .into_response();
    if let Some(allow) = allow {
        replaced.headers_mut().insert(header::ALLOW, allow);
    }
    replaced
}

/// First what a web page may have sent ([`origin`]: 403), then, with `--admin-token`, every
/// admin path but health and the dashboard (the page and its assets, so it can ask for the
/// token) needs `Authorization: Bearer TOKEN`.
pub fn guard(app: &AppState, method: &Method, uri: &Uri, headers: &HeaderMap) -> Option<Response> {
    if let Some(refusal) = origin::check(app, method, uri, headers) {
        return Some(refusal.into_response());
    }
    let path = uri.path();
    let expected = app.settings.admin_token.as_deref()?;
    if path == "/__admin/health" || ui::is_ui_path(path) {
        return None;
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if presented == Some(expected) {
        None
    } else {
        Some(AdminError::admin_token_required().into_response())
    }
}

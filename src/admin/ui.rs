//! `GET /__admin/ui` and `/__admin/ui/{asset}`: the dashboard (DESIGN §10), one page and its
//! assets compiled into the binary. Served without the admin token so the page can ask for it;
//! every call the page makes goes through the admin API and needs the token there.

use axum::body::Body;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app_state::AppState;

use super::error::AdminError;
use super::path::AdminPath;

const PAGE: &str = include_str!("ui/index.html");

/// The page's one dynamic part: whether the admin API wants a token. Knowing it up front lets
/// the page ask for the token before its first call instead of provoking a 401 (which the
/// browser would log as a console error). It reveals nothing a 401 would not.
const TOKEN_MARKER: &str = "data-admin-token=\"open\"";
const TOKEN_REQUIRED: &str = "data-admin-token=\"required\"";

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("ui/app.js"),
    },
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("ui/app.css"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("ui/favicon.svg"),
    },
];

/// Scripts, styles and images from this origin only (the page uses no inline script or style);
/// `connect-src 'self'` keeps every call on the mock's own admin API.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub async fn page(State(app): State<AppState>) -> Response {
    let html = if app.settings.admin_token.is_some() {
        PAGE.replacen(TOKEN_MARKER, TOKEN_REQUIRED, 1)
    } else {
        PAGE.to_owned()
    };
    serve("text/html; charset=utf-8", html)
}

pub async fn asset(OriginalUri(uri): OriginalUri, AdminPath(name): AdminPath) -> Response {
    match ASSETS.iter().find(|asset| asset.name == name) {
        Some(asset) => serve(asset.content_type, asset.body.to_owned()),
        None => AdminError::unknown_path(uri.path()).into_response(),
    }
}

fn serve(content_type: &'static str, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A rebuilt binary serves new assets at the same paths; always revalidate.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `/__admin/ui`, `/__admin/ui/` and everything below: the page and its assets, never guarded.
pub fn is_ui_path(path: &str) -> bool {
    path == "/__admin/ui" || path.starts_with("/__admin/ui/")
}

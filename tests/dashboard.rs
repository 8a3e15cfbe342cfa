//! The dashboard (DESIGN §10) as a client sees it: the page and its assets are served, with
//! their content types, without the admin token even when one is set; every admin call the page
//! makes still needs the token. What the page does in a browser is tested in `tests/browser/`.

mod support;

use serde_json::json;
use support::TestServer;
use zoho_sharing_mock::MockServer;

const PAGE: &str = "/__admin/ui";
const SECRET: &str = "s3cret";

/// Every `/__admin/ui/...` path the page's HTML refers to (`src=` and `href=`).
fn assets_of(html: &str) -> Vec<String> {
    let mut assets = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len()..];
            let value = &rest[..rest.find('"').expect("a closing quote")];
            if value.starts_with("/__admin/ui/") && !assets.iter().any(|a| a == value) {
                assets.push(value.to_owned());
            }
        }
    }
    assets
}

fn expected_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        other => panic!("an asset of an unexpected kind: {other:?} ({path})"),
    }
}

#[tokio::test]
async fn the_page_and_every_asset_it_names_are_served_with_their_types() {
    let server = TestServer::start().await;
    for path in [PAGE, "/__admin/ui/"] {
        let page = server.admin("GET", path, None).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(
            page.content_type(),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert_eq!(page.headers["cache-control"], "no-cache");
        assert_eq!(page.headers["x-content-type-options"], "nosniff");
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"),
            "{csp}"
        );
        let html = page.text();
        assert!(html.starts_with("<!doctype html>"), "{path}");
        // Without --admin-token the page does not ask for one.
        assert!(html.contains("data-admin-token=\"open\""));
    }

    let html = server.admin("GET", PAGE, None).await.text();
    let assets = assets_of(&html);
    for wanted in [
        "/__admin/ui/app.js",
        "/__admin/ui/app.css",
        "/__admin/ui/favicon.svg",
    ] {
        assert!(
            assets.iter().any(|a| a == wanted),
            "the page names {wanted}: {assets:?}"
        );
    }
    for asset in &assets {
        let reply = server.admin("GET", asset, None).await;
        assert_eq!(reply.status, 200, "{asset}");
        assert_eq!(reply.content_type(), Some(expected_type(asset)), "{asset}");
        assert!(!reply.body.is_empty(), "{asset}");
    }
    // The script is a module: no inline script is needed (the CSP allows none).
    assert!(html.contains("<script type=\"module\" src=\"/__admin/ui/app.js\"></script>"));
    assert!(!html.contains("<script>"));
    assert!(
        html.contains("rel=\"icon\""),
        "a favicon, so the browser asks for no other"
    );
}

#[tokio::test]
async fn an_unknown_asset_is_the_admin_404_and_other_methods_are_405() {
    let server = TestServer::start().await;
    let missing = server.admin("GET", "/__admin/ui/nope.js", None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json(),
        json!({"error": "no admin endpoint at /__admin/ui/nope.js"})
    );
    for path in [PAGE, "/__admin/ui/app.js"] {
        let reply = server.call("POST", path, None, Some("{}")).await;
        assert_eq!(reply.status, 405, "{path}");
        assert_eq!(reply.headers["allow"], "GET,HEAD", "{path}");
        assert!(reply.json()["error"].is_string());
    }
}

#[tokio::test]
async fn with_an_admin_token_the_page_is_open_and_says_it_needs_the_token() {
    let server = TestServer::from_builder(MockServer::builder().admin_token(SECRET)).await;
    let page = server.admin("GET", PAGE, None).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type(), Some("text/html; charset=utf-8"));
    let html = page.text();
    // The page asks for the token before its first call instead of provoking a 401.
    assert!(html.contains("data-admin-token=\"required\""));
    assert!(!html.contains("data-admin-token=\"open\""));
    assert!(!html.contains(SECRET), "the page never carries the token");
    for asset in assets_of(&html) {
        let reply = server.admin("GET", &asset, None).await;
        assert_eq!(reply.status, 200, "{asset} needs no token");
        assert_eq!(reply.content_type(), Some(expected_type(&asset)), "{asset}");
    }
    // The exemption is the dashboard's paths, not every path that begins with "ui".
    for path in ["/__admin/uix", "/__admin/ui-data"] {
        let reply = server.admin("GET", path, None).await;
        assert_eq!(reply.status, 401, "{path}");
    }
}

/// Every admin call `app.js` makes (method, path); the page's own list of calls, checked
/// against the script below so the two cannot drift apart.
const PAGE_CALLS: &[(&str, &str)] = &[
    ("GET", "/__admin/clock"),
    ("PUT", "/__admin/clock"),
    ("GET", "/__admin/orgs"),
    ("GET", "/__admin/orgs/zylker"),
    (
        "GET",
        "/__admin/orgs/zylker/access?user=4150868000001199005&record=4150868000001148212",
    ),
    ("GET", "/__admin/state"),
    ("GET", "/__admin/requests?limit=200"),
    ("DELETE", "/__admin/requests"),
    ("GET", "/__admin/faults"),
    ("POST", "/__admin/faults"),
    ("DELETE", "/__admin/faults"),
    ("DELETE", "/__admin/faults/1"),
    ("POST", "/__admin/reset"),
    ("GET", "/__admin/snapshots"),
    ("POST", "/__admin/snapshots"),
    ("POST", "/__admin/snapshots/seeded/restore"),
    ("DELETE", "/__admin/snapshots/seeded"),
];

#[tokio::test]
async fn every_call_the_page_makes_still_needs_the_token() {
    let server = TestServer::from_builder(MockServer::builder().admin_token(SECRET)).await;
    let script = server.admin("GET", "/__admin/ui/app.js", None).await.text();
    // Each admin endpoint the script names is in the list above.
    for (at, _) in script
        .match_indices("\"/__admin/")
        .chain(script.match_indices("`/__admin/"))
    {
        let rest = &script[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let named = rest[..end].trim_end_matches('/');
        if named.starts_with("/__admin/ui") {
            continue;
        }
        assert!(
            PAGE_CALLS.iter().any(|(_, path)| path.starts_with(named)),
            "app.js calls {named}, which this test does not check"
        );
    }
    for (method, path) in PAGE_CALLS {
        let bare = server.call(method, path, None, Some("{}")).await;
        assert_eq!(bare.status, 401, "{method} {path} without the token");
        assert_eq!(bare.json(), json!({"error": "admin token required"}));
        assert_eq!(bare.headers["www-authenticate"], "Bearer");
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let with_token = server
            .send(
                server
                    .client
                    .request(method.clone(), server.url(path))
                    .header("Authorization", format!("Bearer {SECRET}"))
                    .body("{}"),
            )
            .await;
        assert_ne!(with_token.status, 401, "{method} {path} with the token");
    }
}

//! Bad input of every kind, on every endpoint, gets a documented Zoho answer: never a 5xx,
//! never a panic, never axum's plain-text rejection.

mod support;

use support::*;

const PATHS: &[&str] = &[
    "/crm/v8/Leads/4150868000001148212/actions/share",
    "/crm/v2/Contacts/4150868000001148230/actions/share",
    "/crm/v8/Properties/4150868000001148360/actions/share",
    "/crm/v8/Leads/%FF%FE/actions/share",
    "/crm/v8/Le%00ads/12/actions/share",
    "/crm/v8/Leads/00004150868000001148212/actions/share",
    "/crm/v8/settings/data_sharing",
    "/crm/v8/settings/data_sharing/rules?module=Leads",
    "/crm/v8/settings/data_sharing/rules",
    "/crm/v8/settings/data_sharing/rules/2276164000002052006?module=Leads",
    "/crm/v8/settings/data_sharing/rules/%FF?module=Leads",
    "/crm/v8/settings/data_sharing/rules/2276164000002052006/actions/activate?module=Leads",
    "/crm/v8/settings/data_sharing/rules/actions/summary?module=%FF",
    "/crm/v8/settings/data_sharing/rules/actions/run?module=Leads",
    "/crm/v8/users?type=%FF&page=99999999999999999999999",
    "/crm/v8/org",
    "/api/patricia%40zylker.com/Sales%20Analytics?ZOHO_ACTION=ADDDBOWNER&ZOHO_OUTPUT_FORMAT=JSON&ZOHO_API_VERSION=1.0",
    "/api/%FF/%FE",
    "/oauth/v2/token?grant_type=refresh_token",
    "/oauth/v2/token/revoke",
];

fn bodies() -> Vec<Vec<u8>> {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    vec![
        Vec::new(),
        b"{".to_vec(),
        b"[]".to_vec(),
        b"\"share\"".to_vec(),
        b"null".to_vec(),
        b"{\"share\": {\"a\": 1}}".to_vec(),
        b"{\"share\": [1, \"x\", null, [], {\"type\": 5, \"permission\": [], \"shared_with\": \"me\"}]}".to_vec(),
        b"{\"sharing_rules\": [{\"name\": 5, \"type\": [], \"superiors_allowed\": \"no\", \"shared_to\": {\"type\": \"roles\", \"resource\": 1}}]}".to_vec(),
        b"{\"data_sharing\": [{\"module\": 7, \"share_type\": {}}]}".to_vec(),
        b"{\"share\": [{\"type\": \"private\", \"user\": {\"id\": -1}}, {\"shared_with\": {\"type\": \"users\", \"id\": 1e400}}]}".to_vec(),
        vec![0xff, 0xfe, b'{', b'}'],
        deep.into_bytes(),
        format!("{{\"share\": \"{}\"}}", "x".repeat(1024 * 1024 + 10)).into_bytes(),
        b"ZOHO_EMAILS=%FF&ZOHO_EMAILS=a&ZOHO_ERROR_FORMAT=JSON".to_vec(),
    ]
}

#[tokio::test]
async fn no_bad_input_gets_a_server_error_or_plain_text() {
    let server = TestServer::start().await;
    let methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];
    let bodies = bodies();
    let mut checked = 0;
    for path in PATHS {
        for method in methods {
            for (index, body) in bodies.iter().enumerate() {
                for token in [Some(ADMIN_TOKEN), Some(STANDARD_TOKEN), None] {
                    let mut request = server
                        .client
                        .request(
                            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                            server.url(path),
                        )
                        .body(body.clone());
                    if let Some(token) = token {
                        request =
                            request.header("Authorization", format!("Zoho-oauthtoken {token}"));
                    }
                    let reply = server.send(request).await;
                    let what = format!(
                        "{method} {path} body#{index} token {token:?}: {} {}",
                        reply.status,
                        reply.text()
                    );
                    assert!(reply.status < 500, "{what}");
                    match reply.content_type() {
                        Some(JSON_CT) => {
                            let _ = reply.json();
                        }
                        Some("text/xml;charset=UTF-8") => {
                            assert!(reply.text().starts_with("<?xml"), "{what}")
                        }
                        None => assert!(reply.body.is_empty(), "{what}"),
                        Some(other) => panic!("unexpected Content-Type {other}: {what}"),
                    }
                    checked += 1;
                }
                // The state is restored between bodies so a successful mutation does not hide
                // the next case.
                if index % 4 == 3 {
                    server.admin("POST", "/__admin/reset", None).await;
                }
            }
        }
    }
    assert!(checked > 4000);
}

#[tokio::test]
async fn oversized_crm_bodies_are_invalid_data() {
    let server = TestServer::start().await;
    let huge = format!(
        "{{\"share\":[{{\"type\":\"private\",\"shared_with\":{{\"type\":\"users\",\"id\":\"4150868000001199001\"}}}}],\"pad\":\"{}\"}}",
        "x".repeat(1024 * 1024)
    );
    for (method, path) in [
        ("PUT", "/crm/v8/Leads/4150868000001148212/actions/share"),
        ("POST", "/crm/v8/Leads/4150868000001148212/actions/share"),
        ("POST", "/crm/v8/settings/data_sharing/rules?module=Leads"),
        ("PUT", "/crm/v8/settings/data_sharing"),
    ] {
        let reply = server
            .call(method, path, Some(ADMIN_TOKEN), Some(&huge))
            .await;
        assert_eq!(reply.status, 400, "{method} {path}");
        assert_eq!(
            reply.json(),
            serde_json::json!({"code": "INVALID_DATA", "details": {"expected_data_type": "jsonobject"}, "message": "invalid data", "status": "error"}),
            "{method} {path}"
        );
    }
    // Exactly 1 MiB is still read.
    let mut exact = String::from(
        "{\"share\":[{\"type\":\"private\",\"shared_with\":{\"type\":\"users\",\"id\":\"4150868000001199001\"}}],\"pad\":\"",
    );
    let closing = "\"}";
    exact.push_str(&"x".repeat(1024 * 1024 - exact.len() - closing.len()));
    exact.push_str(closing);
    assert_eq!(exact.len(), 1024 * 1024);
    let reply = server
        .call(
            "PUT",
            "/crm/v8/Leads/4150868000001148212/actions/share",
            Some(ADMIN_TOKEN),
            Some(&exact),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

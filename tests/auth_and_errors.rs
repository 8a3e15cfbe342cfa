//! Authentication, scopes, users/org endpoints and the common CRM errors
//! (spec auth-and-errors.md §1, §3, §5, §5b, §5c, §7, §8).

mod support;

use serde_json::json;
use support::sandbox::*;
use support::*;

async fn with_header(server: &TestServer, path: &str, value: Option<&str>) -> Reply {
    let mut request = server.client.get(server.url(path));
    if let Some(value) = value {
        request = request.header("Authorization", value);
    }
    server.send(request).await
}

#[tokio::test]
async fn unusable_authorization_headers_fail_authentication() {
    let server = TestServer::start().await;
    let path = "/crm/v8/users";
    for header in [
        None,
        Some("Bearer 1000.sandbox.admin"),
        Some("Zoho-oauthtoken1000.sandbox.admin"),
        Some("Zoho-oauthtoken "),
        Some("Zoho-oauthtoken"),
        Some(""),
    ] {
        let reply = with_header(&server, path, header).await;
        assert_golden(&reply, "common/authentication_failure.json");
    }
}

#[tokio::test]
async fn scheme_is_case_insensitive_and_token_trimmed() {
    let server = TestServer::start().await;
    let reply = with_header(
        &server,
        "/crm/v8/users?type=CurrentUser",
        Some("zoho-OAUTHTOKEN   1000.sandbox.admin  "),
    )
    .await;
    assert_golden(&reply, "common/users_current_user.json");
}

#[tokio::test]
async fn unknown_expired_revoked_and_inactive_tokens_are_invalid() {
    let server = TestServer::start().await;
    let path = "/crm/v8/users";
    assert_golden(
        &server.get(path, "1000.no.such").await,
        "common/invalid_token.json",
    );
    assert_golden(
        &server.get(path, EXPIRED_TOKEN).await,
        "common/invalid_token.json",
    );

    // A token of a disabled user (Derek) never authenticates.
    let derek = server
        .mint_token(ORG, "4150868000001199099", &["ZohoCRM.users.ALL"])
        .await;
    assert_golden(&server.get(path, &derek).await, "common/invalid_token.json");

    // A revoked token stays in the state but fails.
    let token = server
        .mint_token(ORG, "4150868000001174048", &["ZohoCRM.users.ALL"])
        .await;
    assert_eq!(server.get(path, &token).await.status, 200);
    let reply = server
        .send(
            server
                .client
                .post(server.url(&format!("/oauth/v2/token/revoke?token={token}"))),
        )
        .await;
    assert_golden(&reply, "oauth/revoke_success.json");
    assert_golden(&server.get(path, &token).await, "common/invalid_token.json");
    let state = server.state().await;
    let stored = stored_token(&state, &token);
    assert_eq!(stored["revoked"], true);
}

#[tokio::test]
async fn users_endpoint_needs_the_users_scope() {
    let server = TestServer::start().await;
    let token = server
        .mint_token(
            ORG,
            "4150868000001174048",
            &["ZohoCRM.share.ALL", "ZohoCRM.org.ALL"],
        )
        .await;
    assert_golden(
        &server.get("/crm/v8/users", &token).await,
        "common/oauth_scope_mismatch.json",
    );
    // Zoho's scope grammar: users.READ, users.ALL and a case-insensitive spelling all cover it.
    for scopes in [["ZohoCRM.users.READ"], ["zohocrm.USERS.all"]] {
        let token = server.mint_token(ORG, "4150868000001174048", &scopes).await;
        assert_eq!(server.get("/crm/v8/users", &token).await.status, 200);
    }
    let token = server
        .mint_token(ORG, "4150868000001174048", &["ZohoCRM.users.CREATE"])
        .await;
    assert_eq!(server.get("/crm/v8/users", &token).await.status, 401);
}

#[tokio::test]
async fn users_type_filters_and_paging() {
    let server = TestServer::start().await;
    let count = |reply: &Reply| reply.json()["users"].as_array().unwrap().len();
    let all = server.get("/crm/v8/users", NOSHARE_TOKEN).await;
    assert_eq!(all.status, 200);
    assert_eq!(count(&all), 15, "every user, the disabled one included");
    assert_eq!(
        all.json()["info"],
        json!({"count": 15, "more_records": false, "page": 1, "per_page": 200})
    );
    assert_eq!(
        count(
            &server
                .get("/crm/v8/users?type=ActiveUsers", ADMIN_TOKEN)
                .await
        ),
        14
    );
    let admins = server
        .get("/crm/v8/users?type=AdminUsers", ADMIN_TOKEN)
        .await;
    assert_eq!(count(&admins), 1);
    assert_eq!(admins.json()["users"][0]["id"], "4150868000001174048");
    let me = server
        .get("/crm/v2/users?type=CurrentUser", STANDARD_TOKEN)
        .await;
    assert_eq!(me.json()["users"][0]["email"], "amelia@zylker.com");
    assert_golden(
        &server
            .get(
                "/crm/v8/users?type=ActiveUsers&page=2&per_page=5",
                ADMIN_TOKEN,
            )
            .await,
        "common/users_active_page_two.json",
    );
    let last = server
        .get(
            "/crm/v8/users?type=ActiveUsers&page=3&per_page=5",
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(
        last.json()["info"],
        json!({"count": 4, "more_records": false, "page": 3, "per_page": 5})
    );
    // A page past the end holds nobody: 204, no body, no Content-Type.
    let empty = server.get("/crm/v8/users?page=9", ADMIN_TOKEN).await;
    assert_eq!(empty.status, 204);
    assert!(empty.body.is_empty());
    assert_eq!(empty.content_type(), None);
}

#[tokio::test]
async fn users_query_errors() {
    let server = TestServer::start().await;
    assert_golden(
        &server.get("/crm/v8/users?type=Everyone", ADMIN_TOKEN).await,
        "common/users_invalid_type.json",
    );
    for bad in ["page=0", "page=%2B1", "page=1.0", "page=-1"] {
        assert_golden(
            &server
                .get(&format!("/crm/v8/users?{bad}"), ADMIN_TOKEN)
                .await,
            "common/users_invalid_page.json",
        );
    }
    for bad in ["per_page=0", "per_page=201", "per_page=x"] {
        assert_golden(
            &server
                .get(&format!("/crm/v8/users?{bad}"), ADMIN_TOKEN)
                .await,
            "common/users_invalid_per_page.json",
        );
    }
    // Leading zeros are digits; an empty value counts as missing; empty pairs are ignored.
    assert_eq!(
        server
            .get("/crm/v8/users?page=01", ADMIN_TOKEN)
            .await
            .status,
        200
    );
    assert_eq!(
        server.get("/crm/v8/users?type=&", ADMIN_TOKEN).await.json()["users"]
            .as_array()
            .unwrap()
            .len(),
        15
    );
    assert_golden(
        &server
            .get("/crm/v8/users?&type=CurrentUser&&", ADMIN_TOKEN)
            .await,
        "common/users_current_user.json",
    );
    // Names are case-sensitive: an unknown parameter is ignored.
    assert_eq!(
        server
            .get("/crm/v8/users?Type=Nonsense", ADMIN_TOKEN)
            .await
            .status,
        200
    );
    // Type is checked before paging.
    assert_golden(
        &server.get("/crm/v8/users?type=x&page=0", ADMIN_TOKEN).await,
        "common/users_invalid_type.json",
    );
}

#[tokio::test]
async fn org_endpoint_answers_without_the_org_scope() {
    let server = TestServer::start().await;
    assert_golden(
        &server.get("/crm/v8/org", ADMIN_TOKEN).await,
        "common/org.json",
    );
    assert_golden(
        &server.get("/crm/v2.1/org", NOSHARE_TOKEN).await,
        "common/org.json",
    );
    assert_golden(
        &server.get("/crm/v8/org", EXPIRED_TOKEN).await,
        "common/invalid_token.json",
    );
}

#[tokio::test]
async fn every_supported_version_routes() {
    let server = TestServer::start().await;
    for version in ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"] {
        let reply = server
            .get(
                &format!("/crm/{version}/users?type=CurrentUser"),
                ADMIN_TOKEN,
            )
            .await;
        assert_golden(&reply, "common/users_current_user.json");
    }
}

#[tokio::test]
async fn unsupported_versions_and_unknown_paths_are_route_misses() {
    let server = TestServer::start().await;
    for path in [
        "/crm/v1/users",
        "/crm/v9/users",
        "/crm/V8/users",
        "/crm/v2.2/users",
        "/crm/v8/users/",
        // Any other first segment names a module (crm-records-and-access.md §14): a path under
        // one longer than a record's is a miss.
        "/crm/v8/nothing/1/photo",
        "/crm/v8/Leads/4150868000001148212/actions/share/extra",
        "/crm/v8/settings/data_sharing_x",
        "/",
        "/totally/unknown",
        // Not under /restapi/v2/ (that prefix is Analytics v2's, with its own route misses:
        // analytics-v2-sharing.md §2), nor a listed /workspaces/... alias.
        "/restapi/v3/orgs",
        "/workspaces/1/share",
    ] {
        for method in ["GET", "POST"] {
            let reply = server.call(method, path, Some(ADMIN_TOKEN), None).await;
            assert_golden(&reply, "common/invalid_url_pattern.json");
        }
    }
    for path in [
        "/crm/v8/settings/data_sharing/nope",
        "/crm/v9/settings/data_sharing",
        "/crm/v8/settings/data_sharing/rules/1/actions/deactivate",
        "/crm/v8/settings/data_sharing/rules/actions/summary/x",
    ] {
        let reply = server.call("GET", path, Some(ADMIN_TOKEN), None).await;
        assert_golden(&reply, "common/invalid_url_pattern_data_sharing.json");
    }
    // The route check comes before authentication.
    let reply = server.call("GET", "/crm/v9/users", None, None).await;
    assert_golden(&reply, "common/invalid_url_pattern.json");
}

#[tokio::test]
async fn known_paths_with_other_methods_are_invalid_request_methods() {
    let server = TestServer::start().await;
    let cases = [
        (
            "/crm/v8/users",
            ["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"].as_slice(),
        ),
        ("/crm/v8/org", &["POST", "HEAD"]),
        (
            "/crm/v8/Leads/4150868000001148212/actions/share",
            &["PATCH", "HEAD", "OPTIONS"],
        ),
        ("/crm/v8/settings/data_sharing", &["POST", "DELETE"]),
        ("/crm/v8/settings/data_sharing/rules", &["DELETE", "PATCH"]),
        (
            "/crm/v8/settings/data_sharing/rules/2276164000002052006",
            &["POST"],
        ),
        (
            "/crm/v8/settings/data_sharing/rules/2276164000002052006/actions/activate",
            &["POST", "GET"],
        ),
        // POST is the filtered summary (crm-settings-and-search.md §7.6).
        (
            "/crm/v8/settings/data_sharing/rules/actions/summary",
            &["PUT", "DELETE"],
        ),
        ("/crm/v8/settings/data_sharing/rules/actions/run", &["GET"]),
    ];
    for (path, methods) in cases {
        for method in methods {
            let reply = server.call(method, path, Some(ADMIN_TOKEN), None).await;
            if *method == "HEAD" {
                // A HEAD answer has no body on the wire; the status still says it all.
                assert_eq!(reply.status, 400, "HEAD {path}");
            } else {
                assert_golden(&reply, "common/invalid_request_method.json");
            }
        }
    }
    // Method is checked before authentication, and a bad version stays a route miss.
    assert_golden(
        &server.call("POST", "/crm/v8/users", None, None).await,
        "common/invalid_request_method.json",
    );
    assert_golden(
        &server.call("PATCH", "/crm/v10/users", None, None).await,
        "common/invalid_url_pattern.json",
    );
}

#[tokio::test]
async fn sdk_headers_and_content_types_are_ignored() {
    let server = TestServer::start().await;
    let reply = server
        .send(
            server
                .client
                .get(server.url("/crm/v8/users?type=CurrentUser"))
                .header("Authorization", "Zoho-oauthtoken 1000.sandbox.admin")
                .header("X-ZOHO-SDK", "python-8.0")
                .header("User-Agent", "Zoho CRM Python SDK")
                .header("Content-Type", "application/x-www-form-urlencoded"),
        )
        .await;
    assert_golden(&reply, "common/users_current_user.json");
}

//! The admin API (DESIGN §5): health, reset, state export/import, orgs, tokens, grant codes,
//! rule computation, the admin token guard, unknown paths and wrong methods.

mod support;

use serde_json::{Value, json};
use support::*;
use zoho_sharing_mock::MockServer;

fn minimal_org(id: &str, token: &str) -> Value {
    json!({
        "id": id,
        "users": [{"id": "1", "email": "a@example.com", "full_name": "A", "role": "9", "profile": "Administrator", "status": "active"}],
        "roles": [{"id": "9", "name": "Boss"}],
        "tokens": [{"access_token": token, "user": "1", "scopes": ["ZohoCRM.users.READ"]}]
    })
}

#[tokio::test]
async fn health_answers_status_and_version() {
    let server = TestServer::start().await;
    let reply = server.admin("GET", "/__admin/health", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
}

#[tokio::test]
async fn export_import_export_is_identical() {
    let server = TestServer::start().await;
    let first = server.admin("GET", "/__admin/state", None).await;
    assert_eq!(first.status, 200);
    let reply = server
        .admin("PUT", "/__admin/state", Some(first.json()))
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    let second = server.admin("GET", "/__admin/state", None).await;
    assert_eq!(first.text(), second.text(), "byte-identical export");
    // Export writes every optional key.
    let org = &first.json()["orgs"][0];
    for key in [
        "crm_org_id",
        "zgid",
        "custom_modules",
        "grant_codes",
        "data_sharing",
        "rule_computation",
    ] {
        assert!(org.get(key).is_some(), "{key}");
    }
    assert_eq!(org["users"][0]["zuid"], "701174048");
    assert_eq!(org["tokens"][0]["refresh_token"], Value::Null);
    assert_eq!(org["tokens"][0]["revoked"], false);
}

#[tokio::test]
async fn exported_state_starts_an_identical_server() {
    let server = TestServer::start().await;
    let exported = server.admin("GET", "/__admin/state", None).await.text();
    let copy = TestServer::with_fixture(&exported).await;
    assert_eq!(
        copy.admin("GET", "/__admin/state", None).await.text(),
        exported
    );
}

#[tokio::test]
async fn a_bad_state_import_answers_400_and_changes_nothing() {
    let server = TestServer::start().await;
    let before = server.admin("GET", "/__admin/state", None).await.text();
    let mut broken = server.state().await;
    broken["orgs"][0]["users"][1]["role"] = json!("999");
    let reply = server.admin("PUT", "/__admin/state", Some(broken)).await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        json!({"error": "$.orgs[0].users[1].role: unknown role id \"999\""})
    );
    for bad in [
        json!({"orgs": [{"users": 5}]}),
        json!([1, 2]),
        json!({"orgs": [], "extra": true}),
    ] {
        let reply = server.admin("PUT", "/__admin/state", Some(bad)).await;
        assert_eq!(reply.status, 400, "{}", reply.text());
        assert!(
            reply.json()["error"].as_str().unwrap().starts_with("$"),
            "{}",
            reply.text()
        );
    }
    let reply = server
        .send(
            server
                .client
                .put(server.url("/__admin/state"))
                .body("{not json"),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        server.admin("GET", "/__admin/state", None).await.text(),
        before
    );
}

#[tokio::test]
async fn state_import_replaces_everything() {
    let server = TestServer::start().await;
    let doc = json!({"orgs": [minimal_org("acme", "tok-acme")]});
    assert_eq!(
        server
            .admin("PUT", "/__admin/state", Some(doc))
            .await
            .status,
        204
    );
    assert_golden(
        &server.get("/crm/v8/org", ADMIN_TOKEN).await,
        "common/invalid_token.json",
    );
    let me = server
        .get("/crm/v8/users?type=CurrentUser", "tok-acme")
        .await;
    assert_eq!(me.json()["users"][0]["email"], "a@example.com");
    // Reset returns to the startup fixture, not to the imported state.
    assert_eq!(
        server.admin("POST", "/__admin/reset", None).await.status,
        204
    );
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 200);
    assert_golden(
        &server.get("/crm/v8/org", "tok-acme").await,
        "common/invalid_token.json",
    );
}

#[tokio::test]
async fn reset_restores_the_fixture() {
    let server = TestServer::start().await;
    let pristine = server.admin("GET", "/__admin/state", None).await.text();
    server.admin("POST", "/__admin/orgs", None).await;
    server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(json!({"org": "zylker", "user": "4150868000001174048", "scopes": []})),
        )
        .await;
    server
        .admin(
            "PUT",
            "/__admin/orgs/zylker/rule-computation",
            Some(json!({"Leads": true})),
        )
        .await;
    assert_ne!(
        server.admin("GET", "/__admin/state", None).await.text(),
        pristine
    );
    let reply = server.admin("POST", "/__admin/reset", None).await;
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_empty());
    assert_eq!(
        server.admin("GET", "/__admin/state", None).await.text(),
        pristine
    );
}

#[tokio::test]
async fn reset_with_a_custom_fixture_restores_that_fixture() {
    let doc = json!({"orgs": [minimal_org("acme", "tok-acme")]}).to_string();
    let server = TestServer::with_fixture(&doc).await;
    let pristine = server.admin("GET", "/__admin/state", None).await.text();
    server.admin("DELETE", "/__admin/orgs/acme", None).await;
    assert_eq!(server.state().await, json!({"orgs": []}));
    server.admin("POST", "/__admin/reset", None).await;
    assert_eq!(
        server.admin("GET", "/__admin/state", None).await.text(),
        pristine
    );
}

#[tokio::test]
async fn creating_orgs() {
    let server = TestServer::start().await;
    // An empty body copies the sandbox org under a fresh id with fresh credentials.
    let reply = server.admin("POST", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let copy = reply.json();
    assert_eq!(copy["id"], "org-1");
    let sandbox = server.state().await["orgs"][0].clone();
    assert_eq!(copy["users"], sandbox["users"]);
    assert_eq!(copy["records"], sandbox["records"]);
    assert_eq!(copy["shares"], sandbox["shares"]);
    assert_eq!(copy["grant_codes"], json!([]));
    assert_ne!(copy["crm_org_id"], sandbox["crm_org_id"]);
    assert_ne!(copy["zgid"], sandbox["zgid"]);
    assert_ne!(
        copy["analytics"]["workspaces"][0]["id"],
        sandbox["analytics"]["workspaces"][0]["id"]
    );
    assert_eq!(copy["oauth_clients"][0]["client_id"], "1000.SANDBOXCLIENT");
    assert_eq!(copy["oauth_clients"][0]["client_secret"], "sandbox-secret");
    // The four credentials and the seven per-user tokens (DESIGN §4), labels copied with them.
    let tokens = copy["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 11);
    assert_eq!(tokens[0]["label"], "admin");
    assert_eq!(tokens[10]["label"], "lucas");
    for token in tokens {
        assert!(
            !token["access_token"]
                .as_str()
                .unwrap()
                .starts_with("1000.sandbox")
        );
    }
    let new_refresh = copy["oauth_clients"][0]["refresh_tokens"][0]["refresh_token"]
        .as_str()
        .unwrap();
    assert_ne!(new_refresh, "1000.sandbox.refresh");

    // The copy's tokens work and act in the copy.
    let admin_token = tokens[0]["access_token"].as_str().unwrap();
    let org = server.get("/crm/v8/org", admin_token).await.json();
    assert_eq!(org["org"][0]["id"], copy["crm_org_id"]);
    // The copy's refresh token goes through the shared client id to the copy.
    let reply = server
        .send(server.client.post(server.url("/oauth/v2/token")).form(&[
            ("grant_type", "refresh_token"),
            ("client_id", "1000.SANDBOXCLIENT"),
            ("client_secret", "sandbox-secret"),
            ("refresh_token", new_refresh),
        ]))
        .await;
    let minted = reply.json()["access_token"].as_str().unwrap().to_owned();
    let org = server.get("/crm/v8/org", &minted).await.json();
    assert_eq!(org["org"][0]["id"], copy["crm_org_id"]);

    // The next copy takes the next free id; ids freed by deletion are reused.
    assert_eq!(
        server.admin("POST", "/__admin/orgs", None).await.json()["id"],
        "org-2"
    );
    assert_eq!(
        server
            .admin("DELETE", "/__admin/orgs/org-1", None)
            .await
            .status,
        204
    );
    assert_eq!(
        server.admin("POST", "/__admin/orgs", None).await.json()["id"],
        "org-1"
    );
}

#[tokio::test]
async fn creating_orgs_from_a_body() {
    let server = TestServer::start().await;
    let reply = server.admin("POST", "/__admin/orgs", Some(json!({}))).await;
    assert_eq!(reply.status, 201);
    let empty = reply.json();
    assert_eq!(empty["id"], "org-1");
    assert_eq!(empty["users"], json!([]));
    assert_eq!(empty["name"], "org-1");

    let reply = server
        .admin(
            "POST",
            "/__admin/orgs",
            Some(minimal_org("acme", "tok-acme")),
        )
        .await;
    assert_eq!(reply.status, 201);
    assert_eq!(reply.json()["tokens"][0]["access_token"], "tok-acme");
    let fetched = server.admin("GET", "/__admin/orgs/acme", None).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.json(), reply.json());

    let conflict = server
        .admin(
            "POST",
            "/__admin/orgs",
            Some(minimal_org("acme", "tok-other")),
        )
        .await;
    assert_eq!(conflict.status, 409);
    let conflict = server
        .admin(
            "POST",
            "/__admin/orgs",
            Some(minimal_org("beta", "1000.sandbox.admin")),
        )
        .await;
    assert_eq!(
        conflict.status, 409,
        "token strings are unique across the whole state"
    );
    assert!(
        conflict.json()["error"]
            .as_str()
            .unwrap()
            .contains("1000.sandbox.admin")
    );
    let invalid = server
        .admin(
            "POST",
            "/__admin/orgs",
            Some(json!({"id": "gamma", "users": [{"id": "1"}]})),
        )
        .await;
    assert_eq!(invalid.status, 400);
    assert!(
        invalid.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("$.users[0]"),
        "{}",
        invalid.text()
    );
    assert_eq!(
        server
            .admin("GET", "/__admin/orgs/gamma", None)
            .await
            .status,
        404
    );
    assert_eq!(
        server.admin("GET", "/__admin/orgs/beta", None).await.status,
        404
    );
}

#[tokio::test]
async fn reading_and_deleting_orgs() {
    let server = TestServer::start().await;
    let reply = server.admin("GET", "/__admin/orgs/zylker", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), server.state().await["orgs"][0]);
    assert_eq!(
        server.admin("GET", "/__admin/orgs/nope", None).await.status,
        404
    );
    assert_eq!(
        server
            .admin("DELETE", "/__admin/orgs/nope", None)
            .await
            .status,
        404
    );
    assert_eq!(
        server
            .admin("DELETE", "/__admin/orgs/zylker", None)
            .await
            .status,
        204
    );
    assert_golden(
        &server.get("/crm/v8/org", ADMIN_TOKEN).await,
        "common/invalid_token.json",
    );
    // Its token strings are free again.
    let reply = server
        .admin(
            "POST",
            "/__admin/orgs",
            Some(minimal_org("reuse", "1000.sandbox.admin")),
        )
        .await;
    assert_eq!(reply.status, 201);
}

#[tokio::test]
async fn minting_access_tokens() {
    let server = TestServer::start().await;
    server
        .admin(
            "PUT",
            "/__admin/clock",
            Some(json!({"now": "2026-11-21T09:30:00+00:00"})),
        )
        .await;
    let reply = server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(json!({"org": "zylker", "user": "4150868000001199001", "scopes": ["ZohoCRM.users.READ"], "expires_in": 60})),
        )
        .await;
    assert_eq!(reply.status, 201);
    let token = reply.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        server
            .get("/crm/v8/users?type=CurrentUser", &token)
            .await
            .json()["users"][0]["id"],
        "4150868000001199001"
    );
    server
        .admin("PUT", "/__admin/clock", Some(json!({"advance_s": 60})))
        .await;
    assert_golden(
        &server.get("/crm/v8/users", &token).await,
        "common/invalid_token.json",
    );

    let zero = server
        .admin("POST", "/__admin/tokens", Some(json!({"org": "zylker", "user": "4150868000001174048", "scopes": [], "expires_in": 0})))
        .await;
    let zero = zero.json()["access_token"].as_str().unwrap().to_owned();
    assert_golden(
        &server.get("/crm/v8/org", &zero).await,
        "common/invalid_token.json",
    );

    let never = server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(json!({"org": "zylker", "user": 4150868000001174048u64, "scopes": []})),
        )
        .await;
    assert_eq!(never.status, 201, "a user id may be a JSON integer");

    let cases = [
        (
            json!({"org": "nope", "user": "4150868000001174048", "scopes": []}),
            404,
        ),
        (json!({"org": "zylker", "user": "1", "scopes": []}), 404),
        (
            json!({"org": "zylker", "user": "4150868000001174048", "scopes": "ALL"}),
            400,
        ),
        (
            json!({"org": "zylker", "user": "4150868000001174048", "scopes": [], "expires_in": -1}),
            400,
        ),
        (
            json!({"org": "zylker", "user": "4150868000001174048", "scopes": [], "expires_in": "60"}),
            400,
        ),
        (json!({"org": "zylker", "user": "4150868000001174048"}), 400),
        (
            json!({"org": "zylker", "user": "4150868000001174048", "scopes": [], "color": "red"}),
            400,
        ),
    ];
    for (body, status) in cases {
        let reply = server
            .admin("POST", "/__admin/tokens", Some(body.clone()))
            .await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text());
        assert!(reply.json()["error"].is_string());
    }
}

#[tokio::test]
async fn minting_grant_codes() {
    let server = TestServer::start().await;
    let good = json!({"org": "zylker", "client_id": "1000.SANDBOXCLIENT", "user": "4150868000001174048", "scopes": ["ZohoCRM.org.READ"]});
    let reply = server
        .admin("POST", "/__admin/grant-codes", Some(good.clone()))
        .await;
    assert_eq!(reply.status, 201);
    let code = reply.json()["code"].as_str().unwrap().to_owned();
    assert_eq!(
        server.state().await["orgs"][0]["grant_codes"][0]["code"],
        code.as_str()
    );
    for (field, value) in [("org", "nope"), ("client_id", "1000.OTHER"), ("user", "42")] {
        let mut body = good.clone();
        body[field] = json!(value);
        assert_eq!(
            server
                .admin("POST", "/__admin/grant-codes", Some(body))
                .await
                .status,
            404,
            "{field}"
        );
    }
}

#[tokio::test]
async fn rule_computation_flags() {
    let server = TestServer::start().await;
    let reply = server
        .admin(
            "PUT",
            "/__admin/orgs/zylker/rule-computation",
            Some(json!({"Leads": true, "contacts": true})),
        )
        .await;
    assert_eq!(reply.status, 204);
    let flags = server.state().await["orgs"][0]["rule_computation"].clone();
    assert_eq!(flags["Leads"], true);
    assert_eq!(flags["Contacts"], true);
    assert_eq!(flags["Deals"], false);
    server
        .admin(
            "PUT",
            "/__admin/orgs/zylker/rule-computation",
            Some(json!({"Leads": false})),
        )
        .await;
    assert_eq!(
        server.state().await["orgs"][0]["rule_computation"]["Leads"],
        false
    );
    let bad = [
        (
            "/__admin/orgs/nope/rule-computation",
            json!({"Leads": true}),
            404,
        ),
        (
            "/__admin/orgs/zylker/rule-computation",
            json!({"Meetings": true}),
            400,
        ),
        (
            "/__admin/orgs/zylker/rule-computation",
            json!({"Leads": "yes"}),
            400,
        ),
        (
            "/__admin/orgs/zylker/rule-computation",
            json!(["Leads"]),
            400,
        ),
    ];
    for (path, body, status) in bad {
        assert_eq!(server.admin("PUT", path, Some(body)).await.status, status);
    }
}

#[tokio::test]
async fn unknown_admin_paths_and_wrong_methods() {
    let server = TestServer::start().await;
    for path in [
        "/__admin",
        "/__admin/",
        "/__admin/nothing",
        "/__admin/orgs/zylker/extra",
    ] {
        let reply = server.admin("GET", path, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.json()["error"].is_string());
    }
    let cases = [
        ("DELETE", "/__admin/health", "GET,HEAD"),
        ("GET", "/__admin/reset", "POST"),
        ("POST", "/__admin/state", "GET,HEAD,PUT"),
        ("PUT", "/__admin/orgs", "GET,HEAD,POST"),
        ("PATCH", "/__admin/clock", "GET,HEAD,PUT"),
        ("GET", "/__admin/faults/1", "DELETE"),
    ];
    for (method, path, allow) in cases {
        let reply = server.call(method, path, None, None).await;
        assert_eq!(reply.status, 405, "{method} {path}");
        assert_eq!(reply.headers["allow"], allow, "{method} {path}");
        assert!(reply.json()["error"].is_string());
    }
}

#[tokio::test]
async fn the_admin_token_guards_everything_but_health() {
    let server = TestServer::from_builder(MockServer::builder().admin_token("s3cret")).await;
    assert_eq!(
        server.admin("GET", "/__admin/health", None).await.status,
        200
    );
    for (method, path) in [
        ("GET", "/__admin/state"),
        ("GET", "/__admin/nothing"),
        ("PATCH", "/__admin/state"),
        ("POST", "/__admin/reset"),
    ] {
        let reply = server.call(method, path, None, None).await;
        assert_eq!(reply.status, 401, "{method} {path}");
        assert_eq!(reply.json(), json!({"error": "admin token required"}));
        assert_eq!(reply.headers["www-authenticate"], "Bearer");
        let wrong = server
            .send(
                server
                    .client
                    .get(server.url(path))
                    .header("Authorization", "Bearer nope"),
            )
            .await;
        assert_eq!(wrong.status, 401);
    }
    let ok = server
        .send(
            server
                .client
                .get(server.url("/__admin/state"))
                .header("Authorization", "Bearer s3cret"),
        )
        .await;
    assert_eq!(ok.status, 200);
    // The API itself is not guarded by the admin token.
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 200);
}

#[tokio::test]
async fn admin_bodies_may_be_large_but_not_unbounded() {
    let server = TestServer::start().await;
    let mut doc = server.state().await;
    // A state document of several MiB (well over the 1 MiB API limit) is accepted.
    let mut users = doc["orgs"][0]["users"].as_array().unwrap().clone();
    for n in 0..20_000u64 {
        users.push(json!({"id": format!("{}", 5_000_000_000_000_000_000u64 + n), "email": format!("bulk{n}@zylker.com"),
                          "full_name": "Bulk User", "role": "4150868000000026007", "profile": "Standard", "status": "active"}));
    }
    doc["orgs"][0]["users"] = Value::Array(users);
    let body = doc.to_string();
    assert!(body.len() > 2 * 1024 * 1024);
    let reply = server
        .send(server.client.put(server.url("/__admin/state")).body(body))
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    let reply = server
        .send(
            server
                .client
                .put(server.url("/__admin/state"))
                .body(vec![b' '; 64 * 1024 * 1024 + 1]),
        )
        .await;
    assert_eq!(reply.status, 400);
}

//! Test-harness controls (DESIGN §5, spec auth-and-errors.md §9): the request journal, fault and
//! latency injection in each family's envelope, and the mock's clock.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::*;
use zoho_sharing_mock::MockServer;

async fn journal(server: &TestServer, query: &str) -> Vec<Value> {
    let reply = server
        .admin("GET", &format!("/__admin/requests{query}"), None)
        .await;
    assert_eq!(reply.status, 200);
    reply.json()["requests"].as_array().unwrap().clone()
}

async fn clock(server: &TestServer, body: Value) -> Reply {
    server.admin("PUT", "/__admin/clock", Some(body)).await
}

// ---- journal ----

#[tokio::test]
async fn journal_records_every_api_request_with_redacted_authorization() {
    let server = TestServer::start().await;
    clock(&server, json!({"now": "2026-11-21T09:30:00+00:00"})).await;
    server
        .get("/crm/v8/users?type=CurrentUser&", ADMIN_TOKEN)
        .await;
    server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token"))
                .form(&[("grant_type", "nope")]),
        )
        .await;
    server
        .call(
            "PUT",
            "/crm/v8/users",
            Some(STANDARD_TOKEN),
            Some("{\"share\": 1}"),
        )
        .await;
    server.call("GET", "/crm/v8/users", None, None).await;
    server.admin("GET", "/__admin/state", None).await;

    let entries = journal(&server, "").await;
    assert_eq!(entries.len(), 4, "admin requests are never journaled");
    let first = &entries[0];
    assert_eq!(first["id"], 1);
    assert_eq!(first["time"], "2026-11-21T09:30:00+00:00");
    assert_eq!(first["org"], "zylker");
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], "/crm/v8/users");
    assert_eq!(first["query"], "type=CurrentUser&");
    assert_eq!(first["status"], 200);
    assert_eq!(first["headers"]["authorization"], "REDACTED");
    assert!(
        !first.to_string().contains("1000.sandbox.admin"),
        "the token never appears"
    );
    assert_eq!(first["request_body"], Value::Null);
    assert_eq!(
        first["response_body"]["users"][0]["email"],
        "patricia@zylker.com"
    );

    let oauth = &entries[1];
    assert_eq!(oauth["org"], Value::Null);
    assert_eq!(
        oauth["request_body"], "grant_type=nope",
        "a non-JSON body is kept as text"
    );
    assert_eq!(
        oauth["response_body"],
        json!({"error": "unsupported_grant_type"})
    );
    assert_eq!(oauth["query"], "");

    let put = &entries[2];
    assert_eq!(
        put["request_body"],
        json!({"share": 1}),
        "a JSON body is parsed"
    );
    assert_eq!(put["status"], 400);
    assert_eq!(entries[3]["org"], Value::Null);
    assert_eq!(entries[3]["status"], 401);
    let ids: Vec<u64> = entries.iter().map(|e| e["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [1, 2, 3, 4], "newest last, increasing ids");
}

#[tokio::test]
async fn journal_filters_and_clear() {
    let server = TestServer::start().await;
    let other = server.admin("POST", "/__admin/orgs", None).await.json();
    let other_token = other["tokens"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    server.get("/crm/v8/users", ADMIN_TOKEN).await;
    server.get("/crm/v8/org", ADMIN_TOKEN).await;
    server.get("/crm/v8/org", &other_token).await;
    server
        .call("POST", "/crm/v8/org", Some(ADMIN_TOKEN), None)
        .await;
    server.get("/oauth/v2/token", ADMIN_TOKEN).await;

    assert_eq!(journal(&server, "?method=GET").await.len(), 4);
    assert_eq!(journal(&server, "?method=post").await.len(), 1);
    assert_eq!(journal(&server, "?path=/crm/v8/org").await.len(), 3);
    assert_eq!(
        journal(&server, "?path=/crm").await.len(),
        4,
        "path is a prefix"
    );
    assert_eq!(journal(&server, "?org=org-1").await.len(), 1);
    assert_eq!(journal(&server, "?org=zylker&status=200").await.len(), 2);
    assert_eq!(journal(&server, "?status=400").await.len(), 1);
    assert_eq!(journal(&server, "?status=405").await.len(), 1);
    assert_eq!(
        journal(&server, "?org=").await.len(),
        5,
        "an empty filter is no filter"
    );
    let bad = server
        .admin("GET", "/__admin/requests?status=abc", None)
        .await;
    assert_eq!(bad.status, 400);

    assert_eq!(
        server
            .admin("DELETE", "/__admin/requests", None)
            .await
            .status,
        204
    );
    assert!(journal(&server, "").await.is_empty());
    server.get("/crm/v8/org", ADMIN_TOKEN).await;
    let after = journal(&server, "").await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["id"], 6, "ids keep increasing after a clear");
}

#[tokio::test]
async fn journal_keeps_only_the_newest_entries() {
    let server = TestServer::from_builder(MockServer::builder().journal_size(3)).await;
    for page in 1..=5 {
        server
            .get(&format!("/crm/v8/users?page={page}"), ADMIN_TOKEN)
            .await;
    }
    let entries = journal(&server, "").await;
    let queries: Vec<&str> = entries
        .iter()
        .map(|e| e["query"].as_str().unwrap())
        .collect();
    assert_eq!(queries, ["page=3", "page=4", "page=5"]);

    // With the journal off, reads say so rather than answer an empty journal (DESIGN §1
    // --journal-size); clearing it still succeeds.
    let off = TestServer::from_builder(MockServer::builder().journal_size(0)).await;
    off.get("/crm/v8/org", ADMIN_TOKEN).await;
    assert_golden(
        &off.admin("GET", "/__admin/requests", None).await,
        "admin/journal_off.json",
    );
    assert_eq!(
        off.admin("DELETE", "/__admin/requests", None).await.status,
        204
    );
}

#[tokio::test]
async fn journal_keeps_undecodable_bodies_as_text() {
    let server = TestServer::start().await;
    server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token"))
                .body(vec![b'a', 0xff, b'b']),
        )
        .await;
    let entries = journal(&server, "").await;
    assert_eq!(entries[0]["request_body"], "a\u{fffd}b");
}

// ---- faults ----

#[tokio::test]
async fn crm_fault_answers_zoho_internal_error() {
    let server = TestServer::start().await;
    server.add_fault(
        json!({"method": "GET", "path": "/crm/*/users", "status": 500, "code": "INTERNAL_ERROR"}),
    )
    .await;
    assert_golden(
        &server.get("/crm/v8/users", ADMIN_TOKEN).await,
        "harness/crm_internal_error.json",
    );
    // Until removed: it keeps answering; other paths and methods are untouched.
    assert_golden(
        &server.get("/crm/v2/users", ADMIN_TOKEN).await,
        "harness/crm_internal_error.json",
    );
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 200);
    assert_golden(
        &server
            .call("POST", "/crm/v8/users", Some(ADMIN_TOKEN), None)
            .await,
        "common/invalid_request_method.json",
    );
}

#[tokio::test]
async fn faults_apply_before_any_other_check() {
    let server = TestServer::start().await;
    server
        .add_fault(json!({"method": "*", "path": "/crm/*/*", "status": 500}))
        .await;
    // No token, an unsupported version, a wrong method: the fault still answers.
    assert_golden(
        &server.call("GET", "/crm/v9/users", None, None).await,
        "harness/crm_internal_error.json",
    );
    assert_golden(
        &server.call("DELETE", "/crm/v8/org", None, None).await,
        "harness/crm_internal_error.json",
    );
    // `*` is one segment: a longer path is not matched.
    assert_golden(
        &server.call("GET", "/crm/v9/users/x", None, None).await,
        "common/invalid_url_pattern.json",
    );
    // The admin API is never faulted.
    server
        .add_fault(json!({"method": "*", "path": "/__admin/state", "status": 500}))
        .await;
    assert_eq!(
        server.admin("GET", "/__admin/state", None).await.status,
        200
    );
}

#[tokio::test]
async fn fault_codes_messages_and_defaults() {
    let server = TestServer::start().await;
    server
        .add_fault(json!({"method": "GET", "path": "/crm/v8/org", "status": 429}))
        .await;
    assert_golden(
        &server.get("/crm/v8/org", ADMIN_TOKEN).await,
        "harness/crm_too_many_requests.json",
    );
    server.add_fault(json!({"method": "PUT", "path": "/crm/*/Leads/*/actions/share", "status": 400, "code": "AUTHORIZATION_FAILED"})).await;
    assert_golden(
        &server
            .call(
                "PUT",
                "/crm/v8/Leads/4150868000001148212/actions/share",
                Some(ADMIN_TOKEN),
                Some("{}"),
            )
            .await,
        "harness/crm_authorization_failed_put.json",
    );
    server.add_fault(json!({"method": "POST", "path": "/crm/v8/Leads/4150868000001148212/actions/share", "status": 400, "code": "CANNOT_PROCESS"})).await;
    assert_golden(
        &server
            .call(
                "POST",
                "/crm/v8/Leads/4150868000001148212/actions/share",
                Some(ADMIN_TOKEN),
                Some("{}"),
            )
            .await,
        "harness/crm_scheduler_running.json",
    );
    server.add_fault(json!({"method": "GET", "path": "/crm/v8/users", "status": 503, "code": "MAINTENANCE", "message": "Back soon"})).await;
    assert_golden(
        &server.get("/crm/v8/users", ADMIN_TOKEN).await,
        "harness/crm_custom_message.json",
    );
    server
        .add_fault(json!({"method": "POST", "path": "/oauth/v2/token", "status": 500}))
        .await;
    assert_golden(
        &server.call("POST", "/oauth/v2/token", None, None).await,
        "harness/oauth_server_error.json",
    );
    server.add_fault(json!({"method": "POST", "path": "/oauth/v2/token/revoke", "status": 503, "code": "temporarily_unavailable"})).await;
    let reply = server
        .call("POST", "/oauth/v2/token/revoke", None, None)
        .await;
    assert_eq!(reply.status, 503);
    assert_eq!(reply.json(), json!({"error": "temporarily_unavailable"}));
}

#[tokio::test]
async fn analytics_faults_follow_the_error_format() {
    let server = TestServer::start().await;
    server
        .add_fault(json!({"method": "POST", "path": "/api/*/*", "status": 500}))
        .await;
    let reply = server
        .send(
            server
                .client
                .post(server.url("/api/patricia%40zylker.com/Sales%20Analytics?&ZOHO_ACTION=REMOVEDBOWNER&ZOHO_ERROR_FORMAT=JSON")),
        )
        .await;
    assert_golden(&reply, "harness/analytics_internal_error.json");
    assert!(
        reply
            .text()
            .contains(r#""uri":"\/api\/patricia@zylker.com\/Sales Analytics""#),
        "{}",
        reply.text()
    );

    server
        .add_fault(json!({"method": "GET", "path": "/api/*/*", "status": 400, "code": "6045"}))
        .await;
    let reply = server
        .send(
            server
                .client
                .get(server.url("/api/patricia@zylker.com/Sales%20Analytics"))
                .form(&[("ZOHO_ACTION", "GETSHAREINFO")]),
        )
        .await;
    assert_golden(&reply, "harness/analytics_rate_limit.xml");
}

#[tokio::test]
async fn fault_times_and_removal() {
    let server = TestServer::start().await;
    let limited = server
        .add_fault(json!({"method": "GET", "path": "/crm/v8/org", "status": 500, "times": 2}))
        .await;
    let forever = server
        .add_fault(json!({"method": "*", "path": "/crm/v8/users", "status": 500}))
        .await;
    let listed = server.admin("GET", "/__admin/faults", None).await.json();
    assert_eq!(
        listed,
        json!({"faults": [
            {"id": limited, "method": "GET", "path": "/crm/v8/org", "status": 500, "times": 2, "remaining": 2},
            {"id": forever, "method": "*", "path": "/crm/v8/users", "status": 500, "remaining": null}
        ]})
    );
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 500);
    assert_eq!(
        server.admin("GET", "/__admin/faults", None).await.json()["faults"][0]["remaining"],
        1
    );
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 500);
    assert_eq!(
        server.get("/crm/v8/org", ADMIN_TOKEN).await.status,
        200,
        "used up"
    );
    assert_eq!(
        server.admin("GET", "/__admin/faults", None).await.json()["faults"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    assert_eq!(
        server
            .admin("DELETE", &format!("/__admin/faults/{forever}"), None)
            .await
            .status,
        204
    );
    assert_eq!(server.get("/crm/v8/users", ADMIN_TOKEN).await.status, 200);
    assert_eq!(
        server
            .admin("DELETE", &format!("/__admin/faults/{forever}"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        server
            .admin("DELETE", "/__admin/faults/abc", None)
            .await
            .status,
        404
    );

    server
        .add_fault(json!({"method": "*", "path": "/crm/v8/org", "status": 500}))
        .await;
    server
        .add_fault(json!({"method": "*", "path": "/crm/v8/users", "status": 500}))
        .await;
    assert_eq!(
        server.admin("DELETE", "/__admin/faults", None).await.status,
        204
    );
    assert_eq!(
        server.admin("GET", "/__admin/faults", None).await.json(),
        json!({"faults": []})
    );
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 200);
}

#[tokio::test]
async fn the_oldest_matching_fault_wins() {
    let server = TestServer::start().await;
    server
        .add_fault(json!({"method": "*", "path": "/crm/*/org", "status": 502, "times": 1}))
        .await;
    server
        .add_fault(json!({"method": "GET", "path": "/crm/v8/org", "status": 503}))
        .await;
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 502);
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 503);
}

#[tokio::test]
async fn org_scoped_faults_only_hit_that_org() {
    let server = TestServer::start().await;
    let other = server.admin("POST", "/__admin/orgs", None).await.json();
    let other_token = other["tokens"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    server
        .add_fault(json!({"method": "GET", "path": "/crm/v8/org", "org": "org-1", "status": 500}))
        .await;
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 200);
    assert_eq!(server.get("/crm/v8/org", &other_token).await.status, 500);
    // Without a resolvable token the fault is skipped.
    assert_golden(
        &server.call("GET", "/crm/v8/org", None, None).await,
        "common/authentication_failure.json",
    );
    assert_golden(
        &server.get("/crm/v8/org", "1000.unknown").await,
        "common/invalid_token.json",
    );
}

#[tokio::test]
async fn a_delay_alone_delays_the_real_answer() {
    let server = TestServer::start().await;
    server
        .add_fault(json!({"method": "GET", "path": "/crm/v8/org", "delay_ms": 300, "times": 1}))
        .await;
    let started = Instant::now();
    let reply = server.get("/crm/v8/org", ADMIN_TOKEN).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_golden(&reply, "common/org.json");
    // A delay with a status delays the fault's answer.
    server.add_fault(
        json!({"method": "GET", "path": "/crm/v8/org", "delay_ms": 200, "status": 500, "times": 1}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 500);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn faulted_requests_are_journaled() {
    let server = TestServer::start().await;
    server
        .add_fault(json!({"method": "GET", "path": "/crm/v8/org", "status": 500}))
        .await;
    server.get("/crm/v8/org", ADMIN_TOKEN).await;
    let entries = journal(&server, "").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["status"], 500);
    assert_eq!(entries[0]["org"], "zylker");
    assert_eq!(entries[0]["response_body"]["code"], "INTERNAL_ERROR");
}

#[tokio::test]
async fn invalid_faults_are_refused() {
    let server = TestServer::start().await;
    let cases = [
        json!({"method": "", "path": "/crm/*/org"}),
        json!({"method": "G ET", "path": "/crm/*/org"}),
        json!({"method": 1, "path": "/crm/*/org"}),
        json!({"method": "GET"}),
        json!({"method": "GET", "path": "crm/org"}),
        json!({"method": "GET", "path": "/crm/*/org", "status": 200}),
        json!({"method": "GET", "path": "/crm/*/org", "status": 600}),
        json!({"method": "GET", "path": "/crm/*/org", "status": "500"}),
        json!({"method": "GET", "path": "/crm/*/org", "delay_ms": -5}),
        json!({"method": "GET", "path": "/crm/*/org", "times": 0}),
        json!({"method": "GET", "path": "/crm/*/org", "times": 1.5}),
        json!({"method": "GET", "path": "/crm/*/org", "code": true}),
        json!({"method": "GET", "path": "/api/*/*", "code": "SEVEN"}),
        json!({"method": "GET", "path": "/crm/*/org", "colour": "red"}),
        json!(["GET"]),
    ];
    for body in cases {
        let reply = server
            .admin("POST", "/__admin/faults", Some(body.clone()))
            .await;
        assert_eq!(reply.status, 400, "{body}");
        assert!(reply.json()["error"].is_string());
    }
    assert_eq!(
        server.admin("GET", "/__admin/faults", None).await.json(),
        json!({"faults": []})
    );
}

// ---- clock ----

#[tokio::test]
async fn clock_freezes_advances_and_returns_to_real_time() {
    let server = TestServer::start().await;
    let real = server.admin("GET", "/__admin/clock", None).await.json();
    assert_eq!(real["frozen"], false);
    assert!(real["now"].as_str().unwrap().ends_with("+00:00"));

    let frozen = clock(&server, json!({"now": "2026-11-21T15:00:00.750+05:30"})).await;
    assert_eq!(frozen.status, 200);
    assert_eq!(
        frozen.json(),
        json!({"now": "2026-11-21T09:30:00+00:00", "frozen": true})
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        server.admin("GET", "/__admin/clock", None).await.json()["now"],
        "2026-11-21T09:30:00+00:00"
    );
    let advanced = clock(&server, json!({"advance_s": 90})).await.json();
    assert_eq!(
        advanced,
        json!({"now": "2026-11-21T09:31:30+00:00", "frozen": true})
    );

    let back = clock(&server, json!({"now": null})).await.json();
    assert_eq!(back["frozen"], false);
    assert_ne!(back["now"], "2026-11-21T09:31:30+00:00");

    // Advancing a real clock moves it forward and it keeps running.
    let before = server.admin("GET", "/__admin/clock", None).await.json()["now"]
        .as_str()
        .unwrap()
        .to_owned();
    let moved = clock(&server, json!({"advance_s": 86_400})).await.json();
    assert_eq!(moved["frozen"], false);
    assert!(moved["now"].as_str().unwrap() > before.as_str());
}

#[tokio::test]
async fn invalid_clock_bodies_are_refused() {
    let server = TestServer::start().await;
    for body in [
        json!({}),
        json!({"now": "2026-11-21T09:30:00+00:00", "advance_s": 1}),
        json!({"now": "yesterday"}),
        json!({"now": "2026-11-21T09:30:00"}),
        json!({"advance_s": -1}),
        json!({"advance_s": 1.5}),
        json!({"advance_s": "1"}),
        json!({"later": 1}),
        json!([1]),
    ] {
        let reply = clock(&server, body.clone()).await;
        assert_eq!(reply.status, 400, "{body}");
    }
    assert_eq!(
        server.admin("GET", "/__admin/clock", None).await.json()["frozen"],
        false
    );
}

#[tokio::test]
async fn fixture_token_expiry_follows_the_clock() {
    let fixture = json!({"orgs": [{"id": "acme",
        "users": [{"id": "1", "email": "a@acme.io", "full_name": "A", "role": "9", "profile": "Administrator", "status": "active"}],
        "roles": [{"id": "9", "name": "R"}],
        "tokens": [{"access_token": "soon", "user": "1", "scopes": [], "expires_at": "2030-01-01T00:00:00+00:00"}]}]});
    let server = TestServer::with_fixture(&fixture.to_string()).await;
    clock(&server, json!({"now": "2029-12-31T23:59:59+00:00"})).await;
    assert_eq!(server.get("/crm/v8/org", "soon").await.status, 200);
    clock(&server, json!({"advance_s": 1})).await;
    assert_golden(
        &server.get("/crm/v8/org", "soon").await,
        "common/invalid_token.json",
    );
    clock(&server, json!({"now": "2020-01-01T00:00:00Z"})).await;
    assert_eq!(
        server.get("/crm/v8/org", EXPIRED_TOKEN).await.status,
        401,
        "a different fixture"
    );
    assert_eq!(
        server.get("/crm/v8/org", "soon").await.status,
        200,
        "time can go back"
    );
}

#[tokio::test]
async fn the_sandbox_expired_token_is_valid_before_its_expiry() {
    let server = TestServer::start().await;
    clock(&server, json!({"now": "2025-12-31T23:59:59+00:00"})).await;
    assert_eq!(server.get("/crm/v8/org", EXPIRED_TOKEN).await.status, 200);
    clock(&server, json!({"advance_s": 1})).await;
    assert_golden(
        &server.get("/crm/v8/org", EXPIRED_TOKEN).await,
        "common/invalid_token.json",
    );
}

#[tokio::test]
async fn reset_clears_journal_faults_and_clock() {
    let server = TestServer::start().await;
    clock(&server, json!({"now": "2026-01-01T00:00:00+00:00"})).await;
    server
        .add_fault(json!({"method": "*", "path": "/crm/v8/users", "status": 500}))
        .await;
    server.get("/crm/v8/org", ADMIN_TOKEN).await;
    assert_eq!(
        server.admin("POST", "/__admin/reset", None).await.status,
        204
    );
    assert!(journal(&server, "").await.is_empty());
    assert_eq!(
        server.admin("GET", "/__admin/faults", None).await.json(),
        json!({"faults": []})
    );
    assert_eq!(
        server.admin("GET", "/__admin/clock", None).await.json()["frozen"],
        false
    );
    assert_eq!(server.get("/crm/v8/users", ADMIN_TOKEN).await.status, 200);
}

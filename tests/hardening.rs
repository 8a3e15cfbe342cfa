//! Hardening: what a client can send is bounded, so every answer is a documented one and every
//! state the API accepts exports, imports and reloads: the nesting of a rule's criteria, the
//! journal's bytes, the time a request may take to arrive, requests that never fully arrive,
//! and admin requests from web pages (a foreign `Host` or `Origin`, a non-JSON body type).

mod support;

use serde_json::json;
use support::*;
use zoho_sharing_mock::MockServer;

const RULES: &str = "/crm/v8/settings/data_sharing/rules?module=Leads";

/// A `Criteria_Based` rule whose criteria are `groups` groups, each inside the one before.
fn nested_rule(name: &str, groups: usize) -> String {
    let mut criteria = json!({"comparator": "equal", "field": {"api_name": "City"}, "type": "value", "value": "Chennai"});
    for _ in 0..groups {
        criteria = json!({"group_operator": "AND", "group": [criteria]});
    }
    json!({"sharing_rules": [{"name": name, "type": "Criteria_Based", "superiors_allowed": false,
        "permission_type": "read", "shared_to": {"type": "all_users"}, "criteria": criteria}]})
    .to_string()
}

#[tokio::test]
async fn criteria_nest_at_most_ten_groups_and_what_is_accepted_reloads() {
    let dir = std::env::temp_dir().join(format!("zoho-mock-hardening-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let state_file = dir.join("state.json");
    let server =
        TestServer::from_builder(MockServer::builder().state_file(state_file.clone())).await;
    let before = server.state().await;

    let too_deep = server
        .call(
            "POST",
            RULES,
            Some(ADMIN_TOKEN),
            Some(&nested_rule("deep", 11)),
        )
        .await;
    let eleventh = format!("$.sharing_rules[0].criteria{}", ".group[0]".repeat(10));
    assert_eq!(too_deep.status, 400, "{}", too_deep.text());
    assert_eq!(
        too_deep.json(),
        json!({"sharing_rules": [{"code": "INVALID_DATA", "details": {"api_name": "group",
            "json_path": eleventh, "maximum_depth": 10}, "message": "invalid data", "status": "error"}]})
    );
    // Far deeper still (what the JSON parser reads), the same answer: nothing is stored.
    let far = server
        .call(
            "POST",
            RULES,
            Some(ADMIN_TOKEN),
            Some(&nested_rule("far", 60)),
        )
        .await;
    assert_eq!(far.status, 400, "{}", far.text());
    assert_eq!(
        far.json()["sharing_rules"][0]["details"]["maximum_depth"],
        10
    );
    assert_eq!(server.state().await, before);

    let at_limit = server
        .call(
            "POST",
            RULES,
            Some(ADMIN_TOKEN),
            Some(&nested_rule("ten deep", 10)),
        )
        .await;
    assert_eq!(at_limit.status, 201, "{}", at_limit.text());
    let exported = server.state().await;
    assert!(exported.to_string().contains("ten deep"));
    // The export imports again, and the state file loads at the next start.
    let reply = server
        .admin("PUT", "/__admin/state", Some(exported.clone()))
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    server.mock.shutdown().await;
    let again = TestServer::from_builder(MockServer::builder().state_file(state_file)).await;
    assert_eq!(again.state().await, exported);
    let _ = std::fs::remove_dir_all(&dir);
}

const LEAD: &str = "/crm/v8/Leads/4150868000001148212/actions/share";

fn share_body() -> String {
    json!({"share": [{"type": "private", "permission": "read_only",
        "shared_with": {"type": "users", "id": "4150868000001199001"}}]})
    .to_string()
}

/// Sends `head` and `body` on a fresh connection, then half-closes it (or, without
/// `half_close`, keeps it open) and reads until the server closes or `wait` passes. What was
/// read, and whether the server closed the connection.
async fn raw(
    server: &TestServer,
    head: &str,
    body: &[u8],
    half_close: bool,
    wait: std::time::Duration,
) -> (String, bool) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.mock.address())
        .await
        .unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    if half_close {
        stream.shutdown().await.unwrap();
    }
    let mut read = Vec::new();
    let closed = tokio::time::timeout(wait, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => read.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await
    .is_ok();
    (String::from_utf8_lossy(&read).into_owned(), closed)
}

/// The lead's shares as `GET` answers them (204 with no body while it has none).
async fn shares(server: &TestServer) -> (u16, String) {
    let reply = server.get(LEAD, ADMIN_TOKEN).await;
    (reply.status, reply.text())
}

#[tokio::test]
async fn a_request_whose_body_does_not_fully_arrive_is_never_executed() {
    let server = TestServer::start().await;
    let before = shares(&server).await;
    let body = share_body();
    let wait = std::time::Duration::from_secs(5);
    // 40 bytes fewer than the Content-Length, then the client half-closes.
    let head = format!(
        "POST {LEAD} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Zoho-oauthtoken {ADMIN_TOKEN}\r\nContent-Length: {}\r\n\r\n",
        body.len() + 40
    );
    let (answer, closed) = raw(&server, &head, body.as_bytes(), true, wait).await;
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert!(closed);
    // A chunked body without its last (empty) chunk.
    let head = format!(
        "POST {LEAD} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Zoho-oauthtoken {ADMIN_TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
        body.len()
    );
    let chunk = format!("{body}\r\n");
    let (answer, _) = raw(&server, &head, chunk.as_bytes(), true, wait).await;
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert_eq!(shares(&server).await, before, "no share was stored");
    // Never journaled either: it was not a request.
    let journal = server.admin("GET", "/__admin/requests", None).await;
    let methods: Vec<String> = journal.json()["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["method"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(methods, ["GET", "GET"], "only the two reads of the shares");
    // An admin body cut short: the admin error body, nothing added.
    let fault = json!({"path": "/crm/*/org", "status": 500}).to_string();
    let head = format!(
        "POST /__admin/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        fault.len() + 40
    );
    let (answer, _) = raw(&server, &head, fault.as_bytes(), true, wait).await;
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(
        answer.contains(r#"{"error":"the request body ended before its Content-Length or last chunk; the request was not executed"}"#),
        "{answer}"
    );
    let faults = server.admin("GET", "/__admin/faults", None).await;
    assert_eq!(faults.json(), json!({"faults": []}));
    // The same request, complete, is executed.
    let head = format!(
        "POST {LEAD} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Zoho-oauthtoken {ADMIN_TOKEN}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let (answer, _) = raw(&server, &head, body.as_bytes(), true, wait).await;
    assert!(answer.starts_with("HTTP/1.1 201 "), "{answer}");
    assert_ne!(shares(&server).await, before);
}

#[tokio::test]
async fn slow_headers_and_bodies_time_out_and_shutdown_waits_a_bounded_time() {
    use std::time::{Duration, Instant};
    let ms = Duration::from_millis;
    let server = TestServer::from_builder(
        MockServer::builder()
            .header_timeout(Some(ms(300)))
            .body_timeout(Some(ms(300))),
    )
    .await;
    let before = shares(&server).await;
    // Headers that never end: the connection is closed, with no answer.
    let started = Instant::now();
    let (answer, closed) = raw(
        &server,
        "GET /crm/v8/org HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
        b"",
        false,
        ms(5000),
    )
    .await;
    assert!(closed, "the server closed the connection");
    assert!(started.elapsed() < ms(3000), "{:?}", started.elapsed());
    assert!(!answer.starts_with("HTTP/1.1 2"), "{answer}");
    // A body that stops halfway: 408, not executed.
    let body = share_body();
    let head = format!(
        "POST {LEAD} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Zoho-oauthtoken {ADMIN_TOKEN}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let (answer, closed) = raw(&server, &head, &body.as_bytes()[..10], false, ms(5000)).await;
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(closed);
    let head = "PUT /__admin/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n";
    let (answer, _) = raw(&server, head, b"{\"now\"", false, ms(5000)).await;
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(
        answer.contains(r#"{"error":"the request body did not arrive within the body timeout (--body-timeout-ms 300); the request was not executed"}"#),
        "{answer}"
    );
    assert_eq!(shares(&server).await, before);

    // Shutdown with a request in flight that never completes: bounded by the shutdown timeout.
    let server = TestServer::from_builder(
        MockServer::builder()
            .header_timeout(None)
            .body_timeout(None)
            .shutdown_timeout(ms(300)),
    )
    .await;
    let address = server.mock.address();
    let stuck = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream
            .write_all(
                b"POST /crm/v8/org HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{",
            )
            .await
            .unwrap();
        tokio::time::sleep(ms(10_000)).await;
        drop(stream);
    });
    tokio::time::sleep(ms(200)).await;
    let started = Instant::now();
    tokio::time::timeout(ms(5000), server.mock.shutdown())
        .await
        .expect("the shutdown ends");
    assert!(started.elapsed() >= ms(250), "it waited for the request");
    stuck.abort();
}

#[tokio::test]
async fn the_journal_is_bounded_in_bytes_and_keeps_long_bodies_truncated() {
    let server = TestServer::from_builder(MockServer::builder().journal_bytes(300_000)).await;
    let long = format!("{{\"pad\": \"{}\"}}", "x".repeat(100 * 1024));
    for _ in 0..10 {
        let reply = server
            .call("POST", "/crm/v8/nothing", None, Some(&long))
            .await;
        // A Records API insert without a token (crm-records-and-access.md §2: auth first).
        assert_eq!(reply.status, 401);
    }
    let reply = server.admin("GET", "/__admin/requests", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some(JSON_CT));
    let entries = reply.json()["requests"].as_array().unwrap().clone();
    // Each entry keeps 64 KiB of its body: four fit in 300,000 bytes, the newest four.
    let ids: Vec<u64> = entries.iter().map(|e| e["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [7, 8, 9, 10]);
    for entry in &entries {
        assert_eq!(entry["request_body_truncated"], true);
        assert_eq!(entry["response_body_truncated"], false);
        let kept = entry["request_body"].as_str().unwrap();
        assert_eq!(kept.len(), 64 * 1024);
        assert!(long.starts_with(kept));
    }
    // A short body is kept whole and says so.
    server.get("/crm/v8/org", ADMIN_TOKEN).await;
    let reply = server.admin("GET", "/__admin/requests?limit=1", None).await;
    let newest = &reply.json()["requests"][0];
    assert_eq!(newest["request_body_truncated"], false);
    assert_eq!(newest["response_body_truncated"], false);
    assert_eq!(newest["request_body"], serde_json::Value::Null);
    // Find answers the same way.
    let reply = server
        .admin(
            "POST",
            "/__admin/requests/find",
            Some(json!({"path": "/crm/*/nothing"})),
        )
        .await;
    assert_eq!(reply.json()["requests"].as_array().map(Vec::len), Some(4));
    let reply = server.admin("DELETE", "/__admin/requests", None).await;
    assert_eq!(reply.status, 204);
    let reply = server.admin("GET", "/__admin/requests", None).await;
    assert_eq!(reply.json(), json!({"requests": []}));
}

#[tokio::test]
async fn the_admin_api_refuses_what_a_web_page_sends() {
    let server = TestServer::from_builder(MockServer::builder().admin_host("mock.internal")).await;
    let port = server.mock.address().port();
    let state = server.url("/__admin/state");
    let faults = server.url("/__admin/faults");
    let fault = json!({"path": "/crm/*/org", "status": 500}).to_string();
    let send = |request: reqwest::RequestBuilder| server.send(request);

    // DNS rebinding: a foreign Host reads nothing, changes nothing.
    for host in [
        "evil.example",
        "evil.example:8080",
        "localhost.evil.example",
    ] {
        let reply = send(server.client.get(&state).header("Host", host)).await;
        assert_eq!(reply.status, 403, "{host}");
        assert_eq!(reply.content_type(), Some(JSON_CT));
        let message = reply.json()["error"].as_str().unwrap().to_owned();
        assert_eq!(
            message,
            format!(
                "the admin API answers only under a loopback name or address, the --host address, a --tls-name or an --admin-host name, and Host {host} is none of them"
            )
        );
    }
    let reply = send(
        server
            .client
            .post(&faults)
            .header("Host", "evil.example")
            .body(fault.clone()),
    )
    .await;
    assert_eq!(reply.status, 403);
    // Loopback names, the bound address and an --admin-host name are the mock's.
    for host in [
        "localhost",
        &format!("127.0.0.1:{port}"),
        "[::1]:1",
        "mock.internal:80",
        "MOCK.internal",
    ] {
        let reply = send(server.client.get(&state).header("Host", host)).await;
        assert_eq!(reply.status, 200, "{host}");
    }
    // Health answers any Host (container healthchecks), and the API families are not guarded.
    let reply = send(
        server
            .client
            .get(server.url("/__admin/health"))
            .header("Host", "evil.example"),
    )
    .await;
    assert_eq!(reply.status, 200);
    let reply = send(
        server
            .client
            .get(server.url("/crm/v8/org"))
            .header("Host", "evil.example")
            .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}")),
    )
    .await;
    assert_eq!(reply.status, 200);

    // A page of another origin posting text/plain JSON (no CORS preflight).
    let reply = send(
        server
            .client
            .post(&faults)
            .header("Origin", "http://evil.example")
            .header("Content-Type", "text/plain;charset=UTF-8")
            .body(fault.clone()),
    )
    .await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.json(),
        json!({"error": "admin requests that change state are refused from a web page of another origin (Origin http://evil.example); name its host with --admin-host to allow it"})
    );
    for origin in [
        "null",
        "http://evil.example",
        "https://127.0.0.1.evil.example",
    ] {
        let reply = send(
            server
                .client
                .post(&faults)
                .header("Origin", origin)
                .header("Content-Type", "application/json")
                .body(fault.clone()),
        )
        .await;
        assert_eq!(reply.status, 403, "{origin}");
    }
    // From a browser, even of the mock's own origin, or from any other client, only JSON
    // bodies change state.
    for (origin, marker) in [
        (Some(format!("http://127.0.0.1:{port}")), None),
        (None, Some("same-origin")),
        (None, None),
    ] {
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ] {
            let mut request = server
                .client
                .post(&faults)
                .header("Content-Type", content_type)
                .body(fault.clone());
            if let Some(origin) = &origin {
                request = request.header("Origin", origin);
            }
            if let Some(marker) = marker {
                request = request.header("Sec-Fetch-Site", marker);
            }
            let reply = send(request).await;
            assert_eq!(reply.status, 403, "{content_type}");
            assert_eq!(
                reply.json(),
                json!({"error": format!("admin requests that change state take a JSON body: Content-Type {content_type} is refused, send application/json")})
            );
        }
    }
    let listed = server.admin("GET", "/__admin/faults", None).await;
    assert_eq!(listed.json(), json!({"faults": []}), "nothing was added");
    // The dashboard's own calls, and a page under an --admin-host name, are answered.
    for origin in [
        format!("http://localhost:{port}"),
        "http://mock.internal:3000".to_owned(),
    ] {
        let reply = send(
            server
                .client
                .post(&faults)
                .header("Origin", origin.as_str())
                .header("Content-Type", "application/json")
                .body(fault.clone()),
        )
        .await;
        assert_eq!(reply.status, 201, "{origin}: {}", reply.text());
    }
    // A JSON type with parameters is JSON; a request without a Content-Type is answered.
    let reply = send(
        server
            .client
            .post(&faults)
            .header("Content-Type", "application/json; charset=utf-8")
            .body(fault.clone()),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let reply = send(server.client.post(&faults).body(fault.clone())).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    // Reads from a page need no Origin check: the browser keeps a foreign page from reading.
    let reply = send(
        server
            .client
            .get(&state)
            .header("Origin", "http://evil.example"),
    )
    .await;
    assert_eq!(reply.status, 200);
}

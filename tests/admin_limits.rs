//! The admin API's inputs are bounded (DESIGN §5): path segments that do not decode to UTF-8
//! answer the admin `{"error"}` body; the clock and token lifetimes stay in the years the mock
//! renders (1970 to 9999), so every stored time renders and parses back; a document that is not
//! an object is not a state.

mod support;

use serde_json::{Value, json};
use support::*;

/// Every admin route with a path parameter, each of its methods.
const PATH_PARAMETER_ROUTES: [(&str, &str); 8] = [
    ("GET", "/__admin/orgs/%FF"),
    ("DELETE", "/__admin/orgs/%FF"),
    ("GET", "/__admin/orgs/%FF/tokens"),
    ("PUT", "/__admin/orgs/%FF/rule-computation"),
    ("DELETE", "/__admin/snapshots/%FF"),
    ("POST", "/__admin/snapshots/%FF/restore"),
    ("DELETE", "/__admin/faults/%FF"),
    ("GET", "/__admin/ui/%FF"),
];

#[tokio::test]
async fn path_segments_that_are_not_utf8_answer_the_admin_error_body() {
    let server = TestServer::start().await;
    for (method, path) in PATH_PARAMETER_ROUTES {
        let body = (method == "PUT").then(|| json!({"Leads": true}));
        let reply = server.admin(method, path, body).await;
        assert_eq!(reply.status, 404, "{method} {path}: {}", reply.text());
        assert_eq!(reply.content_type(), Some(JSON_CT), "{method} {path}");
        assert_eq!(
            reply.json(),
            json!({"error": format!("no admin resource at {path}: a path segment that does not decode to UTF-8 names nothing")}),
            "{method} {path}"
        );
    }
    // Nothing was removed or changed on the way.
    let reply = server.admin("GET", "/__admin/orgs", None).await;
    assert_eq!(reply.json()["orgs"].as_array().map(Vec::len), Some(1));
    // A segment that decodes still answers as before.
    let reply = server.admin("GET", "/__admin/orgs/%7A", None).await;
    assert_eq!(reply.status, 404, "{}", reply.text());
    assert_eq!(reply.json(), json!({"error": "no org with id \"z\""}));
    let reply = server.admin("GET", "/__admin/orgs/zylk%65r", None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

const LATEST: &str = "9999-12-31T23:59:59+00:00";
const CLOCK_RANGE: &str =
    "the mock's clock stands between 1970-01-01T00:00:00+00:00 and 9999-12-31T23:59:59+00:00";
const LEAD: &str = "/crm/v8/Leads/4150868000001148212/actions/share";
const SHARE_AMELIA: &str = r#"{"share":[{"type":"private","permission":"read_only","shared_with":{"type":"users","id":"4150868000001199001"}}]}"#;

async fn clock(server: &TestServer, body: Value) -> Reply {
    server.admin("PUT", "/__admin/clock", Some(body)).await
}

async fn now(server: &TestServer) -> Value {
    server.admin("GET", "/__admin/clock", None).await.json()
}

async fn token(server: &TestServer, expires_in: Value) -> Reply {
    let body = json!({"org": "zylker", "user": sandbox::PATRICIA,
        "scopes": ["ZohoCRM.share.ALL"], "expires_in": expires_in});
    server.admin("POST", "/__admin/tokens", Some(body)).await
}

/// Export, import the export, export again: the same bytes, so every stored time rendered in a
/// form the importer reads back.
async fn assert_state_round_trips(server: &TestServer) {
    let first = server.admin("GET", "/__admin/state", None).await;
    assert_eq!(first.status, 200);
    let reply = server
        .admin("PUT", "/__admin/state", Some(first.json()))
        .await;
    assert_eq!(reply.status, 204, "the export imports: {}", reply.text());
    let second = server.admin("GET", "/__admin/state", None).await;
    assert_eq!(first.text(), second.text());
}

#[tokio::test]
async fn token_lifetimes_are_bounded_and_name_the_limit() {
    let server = TestServer::start().await;
    for too_long in [
        json!(315_360_001u64),
        json!(300_000_000_000u64),
        json!(u64::MAX),
    ] {
        let reply = token(&server, too_long.clone()).await;
        assert_eq!(reply.status, 400, "{too_long}: {}", reply.text());
        assert_eq!(
            reply.json(),
            json!({"error": "$.expires_in: at most 315360000 seconds (ten years)"})
        );
    }
    let reply = token(&server, json!(315_360_000u64)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());

    // Ten years from the last year the clock reaches would expire after it: refused, not
    // stored as some other instant.
    clock(&server, json!({"now": "9999-06-30T00:00:00+00:00"})).await;
    let tokens_before = server.state().await["orgs"][0]["tokens"].clone();
    let reply = token(&server, json!(315_360_000u64)).await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"error": format!("$.expires_in: the token would expire after {LATEST}, the latest instant of the mock's clock")})
    );
    assert_eq!(server.state().await["orgs"][0]["tokens"], tokens_before);
    // Up to the last second is fine, and is stored exactly.
    let reply = token(&server, json!(15_983_999u64)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let minted = reply.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        stored_token(&server.state().await, &minted)["expires_at"],
        LATEST
    );
    assert_state_round_trips(&server).await;
}

#[tokio::test]
async fn the_clock_stays_between_1970_and_9999() {
    let server = TestServer::start().await;
    for outside in [
        "10000-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59-00:01",
        "1969-12-31T23:59:59+00:00",
        "1970-01-01T00:00:00+00:01",
        "0000-01-01T00:00:00+00:00",
    ] {
        let reply = clock(&server, json!({ "now": outside })).await;
        assert_eq!(reply.status, 400, "{outside}: {}", reply.text());
        let error = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(
            error == format!("$.now: {outside:?} is outside the range: {CLOCK_RANGE}")
                || error == format!("$.now: {outside:?} is not ISO 8601 with an offset"),
            "{outside}: {error}"
        );
        assert_eq!(now(&server).await["frozen"], false, "{outside}: unchanged");
    }
    let reply = clock(&server, json!({"now": "1970-01-01T00:00:00+00:00"})).await;
    assert_eq!(reply.status, 200, "{}", reply.text());

    let reply = clock(&server, json!({ "now": LATEST })).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    for step in [
        json!(1),
        json!(86_400),
        json!(9_223_372_036_854_775_807u64),
        json!(u64::MAX),
    ] {
        let reply = clock(&server, json!({ "advance_s": step })).await;
        assert_eq!(reply.status, 400, "{step}: {}", reply.text());
        assert_eq!(
            reply.json(),
            json!({"error": format!("$.advance_s: the clock would pass {LATEST}, the latest instant it can reach")}),
            "{step}"
        );
        assert_eq!(
            now(&server).await,
            json!({"now": LATEST, "frozen": true}),
            "{step}: unchanged"
        );
    }
    let reply = clock(&server, json!({"advance_s": 0})).await;
    assert_eq!(reply.status, 200, "{}", reply.text());

    // A running clock cannot be pushed past the limit either, and does not wrap to 1970.
    clock(&server, json!({"now": null})).await;
    let reply = clock(&server, json!({"advance_s": 9_223_372_036_854_775_807u64})).await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    let running = now(&server).await;
    assert_eq!(running["frozen"], false);
    assert!(running["now"].as_str().unwrap() > "2020", "{running}");
    // The sandbox's expired token stays expired.
    assert_golden(
        &server.get("/crm/v8/users", EXPIRED_TOKEN).await,
        "common/invalid_token.json",
    );
}

#[tokio::test]
async fn times_written_at_the_last_instant_render_and_reload() {
    let server = TestServer::start().await;
    clock(&server, json!({"now": "9999-12-31T23:59:59.500+00:00"})).await;
    let reply = server
        .call("POST", LEAD, Some(ADMIN_TOKEN), Some(SHARE_AMELIA))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let shares = server.get(LEAD, ADMIN_TOKEN).await.json();
    assert_eq!(shares["share"][0]["shared_time"], LATEST);
    // The accounts server's tokens live 3600 s, but never past the clock's last instant.
    let reply = server
        .send(server.client.post(server.url("/oauth/v2/token")).form(&[
            ("grant_type", "refresh_token"),
            ("client_id", "1000.SANDBOXCLIENT"),
            ("client_secret", "sandbox-secret"),
            ("refresh_token", "1000.sandbox.refresh"),
        ]))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let minted = reply.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        stored_token(&server.state().await, &minted)["expires_at"],
        LATEST
    );
    assert_eq!(server.get("/crm/v8/org", &minted).await.status, 200);
    assert_state_round_trips(&server).await;
}

#[tokio::test]
async fn fixture_times_that_would_not_render_back_are_refused() {
    let org = |share_time: &str, expires_at: &str| {
        json!({"orgs": [{"id": "acme",
            "users": [{"id": "1", "email": "a@acme.io", "full_name": "A", "role": "9", "profile": "Administrator", "status": "active"},
                      {"id": "2", "email": "b@acme.io", "full_name": "B", "role": "9", "profile": "Administrator", "status": "active"}],
            "roles": [{"id": "9", "name": "R"}],
            "records": [{"module": "Leads", "id": "5", "owner": "1"}],
            "shares": [{"module": "Leads", "record": "5", "shared_with": {"type": "users", "id": "2"},
                        "permission": "read_only", "type": "private", "shared_by": "1", "shared_time": share_time}],
            "tokens": [{"access_token": "t", "user": "1", "scopes": [], "expires_at": expires_at}]}]})
    };
    let server = TestServer::start().await;
    // In UTC these are years 10000 and -1: RFC 3339 cannot write them back.
    for (doc, path) in [
        (
            org("9999-12-31T23:59:59-01:00", LATEST),
            "$.orgs[0].shares[0].shared_time",
        ),
        (
            org("2026-01-01T00:00:00+00:00", "0000-01-01T00:00:00+00:01"),
            "$.orgs[0].tokens[0].expires_at",
        ),
    ] {
        let reply = server.admin("PUT", "/__admin/state", Some(doc)).await;
        assert_eq!(reply.status, 400, "{}", reply.text());
        let error = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(error.starts_with(&format!("{path}: timestamp ")), "{error}");
        assert!(
            error
                .contains("is outside the years 0000 to 9999 (UTC) that timestamps are written in"),
            "{error}"
        );
    }
    // The ends of that range load and export as they were given.
    let reply = server
        .admin(
            "PUT",
            "/__admin/state",
            Some(org("0000-01-01T00:00:00+00:00", LATEST)),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    let state = server.state().await;
    assert_eq!(
        state["orgs"][0]["shares"][0]["shared_time"],
        "0000-01-01T00:00:00+00:00"
    );
    assert_eq!(state["orgs"][0]["tokens"][0]["expires_at"], LATEST);
    assert_state_round_trips(&server).await;
}

#[tokio::test]
async fn a_body_that_is_not_a_state_document_is_refused() {
    let server = TestServer::start().await;
    let before = server.state().await;
    for (path, method) in [("/__admin/state", "PUT"), ("/__admin/orgs", "POST")] {
        for body in ["[]", "[[]]", "\"orgs\"", "1", "null", "true"] {
            let reply = server.call(method, path, None, Some(body)).await;
            assert_eq!(
                reply.status,
                400,
                "{method} {path} {body}: {}",
                reply.text()
            );
            assert_eq!(
                reply.json(),
                json!({"error": "$: expected a JSON object"}),
                "{method} {path} {body}"
            );
        }
    }
    // Arrays where the format has an object, at any depth.
    for (path, method, body, error) in [
        (
            "/__admin/state",
            "PUT",
            r#"{"orgs": [[]]}"#,
            "$.orgs[0]: invalid type: sequence, expected struct OrgDoc at line 1 column ",
        ),
        (
            "/__admin/state",
            "PUT",
            r#"{"orgs": [{"id": "a", "roles": [["9", "Boss"]]}]}"#,
            "$.orgs[0].roles[0]: invalid type: sequence, expected struct Role at line 1 column ",
        ),
        (
            "/__admin/orgs",
            "POST",
            r#"{"id": "a", "roles": [["9", "Boss"]]}"#,
            "$.roles[0]: invalid type: sequence, expected struct Role at line 1 column ",
        ),
        (
            "/__admin/tokens",
            "POST",
            r#"{"org": "zylker", "user": "4150868000001174048", "scopes": [], "label": "x", "expires_in": 1}"#,
            "",
        ),
    ] {
        let reply = server.call(method, path, None, Some(body)).await;
        if error.is_empty() {
            assert_eq!(reply.status, 201, "{body}: {}", reply.text());
            continue;
        }
        assert_eq!(
            reply.status,
            400,
            "{method} {path} {body}: {}",
            reply.text()
        );
        let message = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(message.starts_with(error), "{body}: {message}");
    }
    let mut after = server.state().await;
    // Only the token minted last was added.
    after["orgs"][0]["tokens"].as_array_mut().unwrap().pop();
    assert_eq!(after, before);
}

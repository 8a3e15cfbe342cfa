//! The accounts server: `POST /oauth/v2/token` (both grants, every body encoding, every
//! failure) and `POST /oauth/v2/token/revoke` (spec auth-and-errors.md §4).

mod support;

use reqwest::multipart::Form;
use serde_json::{Value, json};
use support::*;

const CLIENT: &str = "1000.SANDBOXCLIENT";
const SECRET: &str = "sandbox-secret";
const REFRESH: &str = "1000.sandbox.refresh";
const ADMIN_SCOPES: &str = "ZohoCRM.share.ALL ZohoCRM.settings.ALL ZohoCRM.users.ALL ZohoCRM.org.ALL ZohoAnalytics.fullaccess.all";

fn refresh_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("grant_type", "refresh_token"),
        ("client_id", CLIENT),
        ("client_secret", SECRET),
        ("refresh_token", REFRESH),
    ]
}

fn is_zoho_shaped(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts[0] == "1000"
        && parts[1..].iter().all(|p| {
            p.len() == 32
                && p.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// Checks a successful token answer and returns its access token.
fn assert_token_answer(server: &TestServer, reply: &Reply, with_refresh: bool) -> String {
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.content_type(), Some(JSON_CT));
    let body = reply.json();
    let object = body.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = vec![
        "access_token",
        "api_domain",
        "expires_in",
        "scope",
        "token_type",
    ];
    if with_refresh {
        expected.push("refresh_token");
        expected.sort_unstable();
    }
    assert_eq!(keys, expected, "never expires_in_sec");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["api_domain"], server.mock.base_url().as_str());
    assert_eq!(body["scope"], ADMIN_SCOPES);
    let token = body["access_token"].as_str().unwrap();
    assert!(is_zoho_shaped(token), "{token}");
    token.to_owned()
}

async fn post_form(server: &TestServer, form: &[(&str, &str)]) -> Reply {
    server
        .send(server.client.post(server.url("/oauth/v2/token")).form(form))
        .await
}

#[tokio::test]
async fn refresh_grant_with_urlencoded_body_mints_a_working_token() {
    let server = TestServer::start().await;
    let reply = post_form(&server, &refresh_form()).await;
    let token = assert_token_answer(&server, &reply, false);
    let me = server.get("/crm/v8/users?type=CurrentUser", &token).await;
    assert_eq!(me.json()["users"][0]["email"], "patricia@zylker.com");
    // The new token records the refresh token it came from and expires in an hour.
    let state = server.state().await;
    let stored = stored_token(&state, &token);
    assert_eq!(stored["refresh_token"], REFRESH);
    assert!(stored["expires_at"].is_string());
}

#[tokio::test]
async fn refresh_grant_with_query_string_and_with_multipart() {
    let server = TestServer::start().await;
    let query = "/oauth/v2/token?grant_type=refresh_token&client_id=1000.SANDBOXCLIENT&client_secret=sandbox-secret&refresh_token=1000.sandbox.refresh";
    let reply = server.send(server.client.post(server.url(query))).await;
    assert_token_answer(&server, &reply, false);

    let mut form = Form::new();
    for (name, value) in refresh_form() {
        form = form.text(name, value);
    }
    let reply = server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token"))
                .multipart(form),
        )
        .await;
    assert_token_answer(&server, &reply, false);
}

#[tokio::test]
async fn body_wins_over_query_string() {
    let server = TestServer::start().await;
    let reply = server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token?grant_type=password&client_secret=wrong"))
                .form(&refresh_form()),
        )
        .await;
    assert_token_answer(&server, &reply, false);
}

#[tokio::test]
async fn api_domain_follows_the_host_header() {
    let server = TestServer::start().await;
    let reply = server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token"))
                .header("Host", "mock.internal:9999")
                .form(&refresh_form()),
        )
        .await;
    assert_eq!(reply.json()["api_domain"], "http://mock.internal:9999");
}

#[tokio::test]
async fn minted_tokens_expire_after_3600_seconds_on_the_mock_clock() {
    let server = TestServer::start().await;
    server
        .admin(
            "PUT",
            "/__admin/clock",
            Some(json!({"now": "2026-11-21T09:30:00+00:00"})),
        )
        .await;
    let token = assert_token_answer(&server, &post_form(&server, &refresh_form()).await, false);
    server
        .admin("PUT", "/__admin/clock", Some(json!({"advance_s": 3599})))
        .await;
    assert_eq!(server.get("/crm/v8/org", &token).await.status, 200);
    server
        .admin("PUT", "/__admin/clock", Some(json!({"advance_s": 1})))
        .await;
    assert_golden(
        &server.get("/crm/v8/org", &token).await,
        "common/invalid_token.json",
    );
    let state = server.state().await;
    let stored = stored_token(&state, &token);
    assert_eq!(stored["expires_at"], "2026-11-21T10:30:00+00:00");
}

#[tokio::test]
async fn authorization_code_grant_mints_a_refresh_token_and_uses_the_code_up() {
    let server = TestServer::start().await;
    let reply = server
        .admin(
            "POST",
            "/__admin/grant-codes",
            Some(json!({"org": "zylker", "client_id": CLIENT, "user": "4150868000001199001", "scopes": ["ZohoCRM.users.READ"]})),
        )
        .await;
    assert_eq!(reply.status, 201);
    let code = reply.json()["code"].as_str().unwrap().to_owned();
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", CLIENT),
        ("client_secret", SECRET),
        ("code", code.as_str()),
        ("redirect_uri", "http://localhost/callback"),
    ];
    let reply = post_form(&server, &form).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["scope"], "ZohoCRM.users.READ");
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    assert!(is_zoho_shaped(&refresh));
    let token = body["access_token"].as_str().unwrap();
    let me = server.get("/crm/v8/users?type=CurrentUser", token).await;
    assert_eq!(me.json()["users"][0]["email"], "amelia@zylker.com");

    // The code is used up; the new refresh token works.
    assert_golden(&post_form(&server, &form).await, "oauth/invalid_code.json");
    let again = post_form(
        &server,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("refresh_token", refresh.as_str()),
        ],
    )
    .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["scope"], "ZohoCRM.users.READ");
    let state = server.state().await;
    assert_eq!(state["orgs"][0]["grant_codes"], json!([]));
}

#[tokio::test]
async fn token_failures() {
    let server = TestServer::start().await;
    let with = |changes: &[(&'static str, &'static str)]| {
        let mut form = refresh_form();
        for (name, value) in changes {
            form.retain(|(n, _)| n != name);
            if !value.is_empty() {
                form.push((name, value));
            }
        }
        form
    };
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            with(&[("grant_type", "")]),
            "oauth/unsupported_grant_type.json",
        ),
        (
            with(&[("grant_type", "password")]),
            "oauth/unsupported_grant_type.json",
        ),
        (
            with(&[("client_secret", "nope")]),
            "oauth/invalid_client.json",
        ),
        (
            with(&[("client_id", "1000.OTHER")]),
            "oauth/invalid_client.json",
        ),
        (with(&[("client_id", "")]), "oauth/invalid_client.json"),
        (with(&[("refresh_token", "")]), "oauth/invalid_code.json"),
        (
            with(&[("refresh_token", "1000.unknown.token")]),
            "oauth/invalid_code.json",
        ),
        // An access token is not a refresh token.
        (
            with(&[("refresh_token", "1000.sandbox.admin")]),
            "oauth/invalid_code.json",
        ),
        (
            with(&[
                ("grant_type", "authorization_code"),
                ("code", "1000.no.code"),
            ]),
            "oauth/invalid_code.json",
        ),
        (
            with(&[("grant_type", "authorization_code")]),
            "oauth/invalid_code.json",
        ),
    ];
    for (form, golden) in cases {
        assert_golden(&post_form(&server, &form).await, golden);
    }
    // Unsupported grant type is checked before the client.
    assert_golden(
        &post_form(
            &server,
            &[("grant_type", "client_credentials"), ("client_id", "x")],
        )
        .await,
        "oauth/unsupported_grant_type.json",
    );
}

#[tokio::test]
async fn a_refresh_token_of_another_client_or_a_disabled_user_is_invalid() {
    let fixture = json!({"orgs": [{
        "id": "acme",
        "users": [
            {"id": "1", "email": "a@acme.io", "full_name": "A", "role": "9", "profile": "Administrator", "status": "active"},
            {"id": "2", "email": "b@acme.io", "full_name": "B", "role": "9", "profile": "Standard", "status": "disabled"}
        ],
        "roles": [{"id": "9", "name": "R"}],
        "oauth_clients": [
            {"client_id": "c1", "client_secret": "s1", "refresh_tokens": [
                {"refresh_token": "r-active", "user": "1", "scopes": ["ZohoCRM.users.READ"]},
                {"refresh_token": "r-disabled", "user": "2", "scopes": ["ZohoCRM.users.READ"]},
                {"refresh_token": "r-revoked", "user": "1", "scopes": [], "revoked": true}
            ]},
            {"client_id": "c2", "client_secret": "s2", "refresh_tokens": []}
        ]
    }]});
    let server = TestServer::with_fixture(&fixture.to_string()).await;
    let grant = |client: &'static str, secret: &'static str, token: &'static str| {
        vec![
            ("grant_type", "refresh_token"),
            ("client_id", client),
            ("client_secret", secret),
            ("refresh_token", token),
        ]
    };
    assert_eq!(
        post_form(&server, &grant("c1", "s1", "r-active"))
            .await
            .json()["scope"],
        "ZohoCRM.users.READ"
    );
    assert_golden(
        &post_form(&server, &grant("c2", "s2", "r-active")).await,
        "oauth/invalid_code.json",
    );
    assert_golden(
        &post_form(&server, &grant("c1", "s1", "r-disabled")).await,
        "oauth/invalid_code.json",
    );
    assert_golden(
        &post_form(&server, &grant("c1", "s1", "r-revoked")).await,
        "oauth/invalid_code.json",
    );
}

#[tokio::test]
async fn oversized_and_non_utf8_bodies_are_invalid_requests() {
    let server = TestServer::start().await;
    let huge = format!("grant_type=refresh_token&pad={}", "x".repeat(1024 * 1024));
    let reply = server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(huge),
        )
        .await;
    assert_golden(&reply, "oauth/invalid_request.json");
    let reply = server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("grant_type=refresh_token&client_id=%FF%FE"),
        )
        .await;
    assert_golden(&reply, "oauth/invalid_request.json");
    let reply = server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token"))
                .header("Content-Type", "multipart/form-data; boundary=XX")
                .body("not multipart at all"),
        )
        .await;
    assert_golden(&reply, "oauth/invalid_request.json");
}

#[tokio::test]
async fn other_methods_and_paths() {
    let server = TestServer::start().await;
    for method in ["GET", "PUT", "DELETE", "HEAD"] {
        for path in ["/oauth/v2/token", "/oauth/v2/token/revoke"] {
            let reply = server.call(method, path, None, None).await;
            assert_eq!(reply.status, 405, "{method} {path}");
            assert_eq!(reply.headers["allow"], "POST");
            assert!(reply.body.is_empty());
        }
    }
    for path in ["/oauth/v2/auth", "/oauth/v2/token/", "/oauth/v2/user/info"] {
        assert_golden(
            &server.call("POST", path, None, None).await,
            "oauth/unknown_path.json",
        );
    }
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_the_tokens_minted_from_it() {
    let server = TestServer::start().await;
    let first = assert_token_answer(&server, &post_form(&server, &refresh_form()).await, false);
    let second = assert_token_answer(&server, &post_form(&server, &refresh_form()).await, false);
    let reply = server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token/revoke"))
                .form(&[("token", REFRESH)]),
        )
        .await;
    assert_golden(&reply, "oauth/revoke_success.json");
    for token in [&first, &second] {
        assert_golden(
            &server.get("/crm/v8/org", token).await,
            "common/invalid_token.json",
        );
    }
    // Tokens not minted from it live on; the refresh token itself is used up.
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 200);
    assert_golden(
        &post_form(&server, &refresh_form()).await,
        "oauth/invalid_code.json",
    );
    // Revoking it again, or anything unknown, fails.
    let again = server
        .send(
            server
                .client
                .post(server.url(&format!("/oauth/v2/token/revoke?token={REFRESH}"))),
        )
        .await;
    assert_golden(&again, "oauth/revoke_failure.json");
    for query in ["?token=1000.unknown", "", "?token="] {
        let reply = server
            .send(
                server
                    .client
                    .post(server.url(&format!("/oauth/v2/token/revoke{query}"))),
            )
            .await;
        assert_golden(&reply, "oauth/revoke_failure.json");
    }
    let state = server.state().await;
    let refresh: &Value = &state["orgs"][0]["oauth_clients"][0]["refresh_tokens"][0];
    assert_eq!(refresh["revoked"], true);
}

#[tokio::test]
async fn an_expired_access_token_cannot_be_revoked() {
    let server = TestServer::start().await;
    let reply = server
        .send(
            server
                .client
                .post(server.url("/oauth/v2/token/revoke?token=1000.sandbox.expired")),
        )
        .await;
    assert_golden(&reply, "oauth/revoke_failure.json");
}

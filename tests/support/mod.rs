//! Shared by the black-box tests: a real mock on 127.0.0.1:0 per test, a reqwest client, and
//! golden-file assertions.
//!
//! Golden files live in `tests/golden/`. A `.json` golden is
//! `{"source": "<seed or spec section>", "status": N, "body": <JSON or null>}`; the body is
//! compared as parsed JSON (key order ignored), `null` meaning an empty body. Any other golden
//! (`.xml`, `.txt`) starts with `# key: value` header lines (`source`, `status`,
//! `content-type`) and the rest of the file is the exact expected body, byte for byte.

#![allow(dead_code)]

pub mod openapi;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde_json::{Value, json};
use zoho_sharing_mock::{MockServer, MockServerBuilder};

/// Ids and names of the embedded sandbox (`fixtures/sandbox.json`, DESIGN §4) that several
/// test files use.
pub mod sandbox {
    /// The sandbox's one org.
    pub const ORG: &str = "zylker";
    /// Patricia Boyle, Administrator, owner of most records.
    pub const PATRICIA: &str = "4150868000001174048";
    /// Amelia Burrows, Standard.
    pub const AMELIA: &str = "4150868000001199001";
    /// Ryan, Standard.
    pub const RYAN: &str = "4150868000001199002";
    /// Derek, Standard, disabled.
    pub const DEREK_DISABLED: &str = "4150868000001199099";
    /// The Sales group.
    pub const SALES_GROUP: &str = "4150868000000232001";
    /// The Sales Rep role.
    pub const SALES_REP_ROLE: &str = "4150868000000026007";
}

pub const ADMIN_TOKEN: &str = "1000.sandbox.admin";
pub const NOSHARE_TOKEN: &str = "1000.sandbox.noshare";
pub const STANDARD_TOKEN: &str = "1000.sandbox.standard";
pub const EXPIRED_TOKEN: &str = "1000.sandbox.expired";
pub const JSON_CT: &str = "application/json;charset=UTF-8";

pub struct TestServer {
    pub mock: MockServer,
    pub client: reqwest::Client,
    /// Set once a fault was added through [`TestServer::admin`]: a fault may answer any
    /// status, so golden answers after it are not held to the OpenAPI document.
    faults_added: AtomicBool,
}

impl TestServer {
    /// The embedded sandbox.
    pub async fn start() -> Self {
        Self::from_builder(MockServer::builder()).await
    }

    /// A fixture document given inline.
    pub async fn with_fixture(json: &str) -> Self {
        Self::from_builder(MockServer::builder().fixtures_json(json)).await
    }

    pub async fn from_builder(builder: MockServerBuilder) -> Self {
        let mock = builder.start().await.expect("the mock starts");
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("a reqwest client");
        TestServer {
            mock,
            client,
            faults_added: AtomicBool::new(false),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.mock.base_url(), path)
    }

    /// A request with an optional `Zoho-oauthtoken` and an optional raw body (no Content-Type,
    /// as Zoho's SDKs send JSON).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Reply {
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Zoho-oauthtoken {token}"));
        }
        if let Some(body) = body {
            request = request.body(body.to_owned());
        }
        self.send(request).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call("GET", path, Some(token), None).await
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let (client, request) = request.build_split();
        let request = request.expect("a request");
        let method = request.method().as_str().to_owned();
        let response = client
            .execute(request)
            .await
            .expect("the request is answered");
        let mut reply = Reply::from(response).await;
        reply.method = Some(method);
        reply.faulted = self.faults_added.load(Ordering::Relaxed);
        reply
    }

    /// An admin API call with an optional JSON body.
    pub async fn admin(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        if method == Method::POST && path.starts_with("/__admin/faults") {
            self.faults_added.store(true, Ordering::Relaxed);
        }
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    /// A fresh access token of `org`'s `user` with exactly `scopes` (`POST /__admin/tokens`).
    pub async fn mint_token(&self, org: &str, user: &str, scopes: &[&str]) -> String {
        let reply = self
            .admin(
                "POST",
                "/__admin/tokens",
                Some(json!({"org": org, "user": user, "scopes": scopes})),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["access_token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    /// `PUT /__admin/clock` with `body` (`{"now": ..}`, `{"advance_s": ..}`), which must succeed.
    pub async fn set_clock(&self, body: Value) {
        let reply = self.admin("PUT", "/__admin/clock", Some(body)).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
    }

    /// Freezes the mock's clock at `at` (ISO 8601 with offset).
    pub async fn freeze_clock(&self, at: &str) {
        self.set_clock(json!({ "now": at })).await;
    }

    /// Adds a fault (`POST /__admin/faults`), which must be accepted; its id.
    pub async fn add_fault(&self, fault: Value) -> u64 {
        let reply = self.admin("POST", "/__admin/faults", Some(fault)).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_u64().expect("a fault id")
    }

    /// The whole state as `GET /__admin/state` exports it.
    pub async fn state(&self) -> Value {
        let reply = self.admin("GET", "/__admin/state", None).await;
        assert_eq!(reply.status, 200);
        reply.json()
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The request's method, when the reply came through [`TestServer`].
    pub method: Option<String>,
    /// The request's path.
    pub path: String,
    /// A fault had been added to the server before this request.
    pub faulted: bool,
}

impl Reply {
    pub async fn from(response: reqwest::Response) -> Reply {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let path = response.url().path().to_owned();
        let body = response.bytes().await.expect("a body").to_vec();
        Reply {
            status,
            headers,
            body,
            method: None,
            path,
            faulted: false,
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }
}

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Asserts status, Content-Type and body against `tests/golden/{name}`, and that the OpenAPI
/// document declares that answer (unless a fault may have made it).
#[track_caller]
pub fn assert_golden(reply: &Reply, name: &str) {
    if !reply.faulted
        && let Some(missing) = openapi::undeclared(
            reply.method.as_deref(),
            &reply.path,
            reply.status,
            reply.content_type(),
            !reply.body.is_empty(),
        )
    {
        panic!("{name}: {missing}");
    }
    let path = golden_path(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("golden file {}: {e}", path.display()));
    if name.ends_with(".json") {
        let golden: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("golden file {} is not JSON: {e}", path.display()));
        assert!(
            golden.get("source").and_then(Value::as_str).is_some(),
            "{name}: golden needs a source"
        );
        let status = golden["status"].as_u64().expect("golden status");
        assert_eq!(
            u64::from(reply.status),
            status,
            "{name}: status; body {}",
            reply.text()
        );
        let expected = &golden["body"];
        if expected.is_null() {
            assert!(
                reply.body.is_empty(),
                "{name}: expected no body, got {}",
                reply.text()
            );
            if reply.status == 204 {
                assert_eq!(
                    reply.content_type(),
                    None,
                    "{name}: a 204 has no Content-Type"
                );
            }
        } else {
            let expected_ct = golden
                .get("content_type")
                .and_then(Value::as_str)
                .unwrap_or(JSON_CT);
            assert_eq!(
                reply.content_type(),
                Some(expected_ct),
                "{name}: Content-Type"
            );
            assert_eq!(&reply.json(), expected, "{name}: body");
        }
    } else {
        let mut status = None;
        let mut content_type = None;
        let mut rest = text.as_str();
        while let Some(line) = rest.strip_prefix("# ") {
            let (header, tail) = line.split_once('\n').unwrap_or((line, ""));
            if let Some(value) = header.strip_prefix("status: ") {
                status = Some(value.trim().parse::<u16>().expect("golden status"));
            } else if let Some(value) = header.strip_prefix("content-type: ") {
                content_type = Some(value.trim().to_owned());
            }
            rest = tail;
        }
        assert_eq!(
            Some(reply.status),
            status,
            "{name}: status; body {}",
            reply.text()
        );
        if let Some(ct) = content_type {
            assert_eq!(
                reply.content_type(),
                Some(ct.as_str()),
                "{name}: Content-Type"
            );
        }
        assert_eq!(reply.text(), rest, "{name}: body");
    }
}

/// The access token `token` as the exported state holds it (any org).
pub fn stored_token(state: &Value, token: &str) -> Value {
    state["orgs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|org| org["tokens"].as_array().into_iter().flatten())
        .find(|t| t["access_token"] == token)
        .cloned()
        .unwrap_or_else(|| panic!("token {token} is not in the state"))
}

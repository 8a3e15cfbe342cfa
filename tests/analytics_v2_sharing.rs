//! Analytics v2 REST `/restapi/v2/...`: discovery, workspace admins, view sharing, workspace
//! users, org admins and groups, against the real server (spec analytics-v2-sharing.md); the
//! Analytics keys of the fixture and the admin API (DESIGN.md §3, §4, §5).
//!
//! Requests are built the way Zoho's official Python v2 client builds them (spec §13): `CONFIG`
//! in the query string, `quote_plus` over `json.dumps` output, `ZANALYTICS-ORGID` on the org,
//! workspace and view calls, its `User-Agent`, and no body.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};
use support::*;

const ORG_ID: &str = "700017001";
const CRM_ORG_ID: &str = "4150868000000017001";
const USER_AGENT: &str = "Analytics Python Client v2.1.0";

const SALES_WS: &str = "4150868000002100001";
const SUPPORT_WS: &str = "4150868000002100002";
const AMELIAS_WS: &str = "4150868000002100003";
const MI: &str = "4150868000002100005";

const SALES_DEALS: &str = "4150868000002200001";
const OPPORTUNITIES: &str = "4150868000002200006";
const FORECAST: &str = "4150868000002200007";
const CAMPAIGN_LEADS: &str = "4150868000002200009";
const LEADS_BY_REGION: &str = "4150868000002200010";
const CAMPAIGN_PIVOT: &str = "4150868000002200011";
const MARKETING_OVERVIEW: &str = "4150868000002200012";
const LEAD_NOTES: &str = "4150868000002200013";
const REGIONAL_LEADS: &str = "4150868000002300001";
const UNKNOWN_ID: &str = "4150868000002999999";

/// The sandbox users these tests act as (DESIGN.md §4 and the README's tables).
const USERS: [(&str, &str); 15] = [
    ("patricia", "4150868000001174048"),
    ("amelia", "4150868000001199001"),
    ("ryan", "4150868000001199002"),
    ("olivia", "4150868000001199003"),
    ("liam", "4150868000001199004"),
    ("sophia", "4150868000001199005"),
    ("noah", "4150868000001199006"),
    ("emma", "4150868000001199007"),
    ("lucas", "4150868000001199008"),
    ("mia", "4150868000001199009"),
    ("ethan", "4150868000001199010"),
    ("chloe", "4150868000001199011"),
    ("mason", "4150868000001199012"),
    ("ava", "4150868000001199013"),
    ("derek", "4150868000001199099"),
];

/// Every v2 scope a route of spec §3 names.
const V2_SCOPES: [&str; 9] = [
    "ZohoAnalytics.metadata.read",
    "ZohoAnalytics.share.read",
    "ZohoAnalytics.share.create",
    "ZohoAnalytics.share.update",
    "ZohoAnalytics.share.delete",
    "ZohoAnalytics.usermanagement.read",
    "ZohoAnalytics.usermanagement.create",
    "ZohoAnalytics.usermanagement.update",
    "ZohoAnalytics.usermanagement.delete",
];

/// `P15`, the keys of `…/mypermissions` in order (spec §7.1).
const P15: [&str; 15] = [
    "read",
    "export",
    "vud",
    "addRow",
    "updateRow",
    "deleteRow",
    "deleteAllRows",
    "importAppend",
    "importAddOrUpdate",
    "importDeleteAllAdd",
    "importDeleteUpdateAdd",
    "drillDown",
    "share",
    "discussion",
    "insight",
];

/// The twenty stored keys in the order of spec §7.1 (and of the export, DESIGN.md §3).
const ALL20: [&str; 20] = [
    "read",
    "export",
    "vud",
    "drillDown",
    "addRow",
    "updateRow",
    "deleteRow",
    "deleteAllRows",
    "importAppend",
    "importAddOrUpdate",
    "importDeleteAllAdd",
    "importDeleteUpdateAdd",
    "share",
    "vudSelectedColumns",
    "discussion",
    "insight",
    "drillThrough",
    "drillActions",
    "accessAdminPresets",
    "createPreset",
];

fn user_id(name: &str) -> &'static str {
    USERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, id)| *id)
        .unwrap_or_else(|| panic!("no sandbox user {name}"))
}

fn ws_path(ws: &str, tail: &str) -> String {
    format!("/restapi/v2/workspaces/{ws}{tail}")
}

fn mi(tail: &str) -> String {
    ws_path(MI, tail)
}

// ---------------------------------------------------------------------------------------------
// Encoding as the official client does it.

/// Python's `json.dumps` with its default separators (`, ` and `: `) and `ensure_ascii`.
fn py_dumps(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", py_str(k), py_dumps(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(py_dumps).collect::<Vec<_>>().join(", ")
        ),
        Value::String(s) => py_str(s),
        other => other.to_string(),
    }
}

fn py_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `urllib.parse.quote_plus`: spaces become `+`.
fn quote_plus(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The `CONFIG=...` pair the official client appends to every URL.
fn config_pair(config: &Value) -> String {
    format!("CONFIG={}", quote_plus(&py_dumps(config)))
}

// ---------------------------------------------------------------------------------------------
// Requests.

enum Body {
    None,
    Raw(Option<String>, Vec<u8>),
    Multipart(Vec<(String, String)>),
}

/// One v2 request: Patricia's `1000.sandbox.admin`, `ZANALYTICS-ORGID: 700017001` and the
/// client's User-Agent unless changed.
struct Call<'a> {
    server: &'a TestServer,
    method: String,
    path: String,
    query: Vec<String>,
    token: Option<String>,
    org_id: Option<String>,
    headers: Vec<(String, String)>,
    body: Body,
}

fn v2<'a>(server: &'a TestServer, method: &str, path: &str) -> Call<'a> {
    Call {
        server,
        method: method.to_owned(),
        path: path.to_owned(),
        query: Vec::new(),
        token: Some(ADMIN_TOKEN.to_owned()),
        org_id: Some(ORG_ID.to_owned()),
        headers: Vec::new(),
        body: Body::None,
    }
}

impl Call<'_> {
    fn token(mut self, token: &str) -> Self {
        self.token = Some(token.to_owned());
        self
    }
    fn no_token(mut self) -> Self {
        self.token = None;
        self
    }
    fn org(mut self, org_id: &str) -> Self {
        self.org_id = Some(org_id.to_owned());
        self
    }
    fn no_org(mut self) -> Self {
        self.org_id = None;
        self
    }
    /// `CONFIG` in the query string, as the official client sends it.
    fn config(mut self, config: &Value) -> Self {
        self.query.push(config_pair(config));
        self
    }
    /// A query pair written exactly as given (already encoded).
    fn raw_query(mut self, pair: &str) -> Self {
        self.query.push(pair.to_owned());
        self
    }
    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
    /// `CONFIG` in an urlencoded body, as Zoho's docs send it.
    fn form_config(self, config: &Value) -> Self {
        let body = config_pair(config);
        self.body(Some("application/x-www-form-urlencoded"), body.into_bytes())
    }
    fn body(mut self, content_type: Option<&str>, body: Vec<u8>) -> Self {
        self.body = Body::Raw(content_type.map(str::to_owned), body);
        self
    }
    fn multipart(mut self, fields: &[(&str, &str)]) -> Self {
        self.body = Body::Multipart(
            fields
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        );
        self
    }

    fn url(&self) -> String {
        if self.query.is_empty() {
            self.server.url(&self.path)
        } else {
            format!("{}?{}", self.server.url(&self.path), self.query.join("&"))
        }
    }

    async fn send(self) -> Reply {
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).expect("a method");
        let mut request = self
            .server
            .client
            .request(method, self.url())
            .header("User-Agent", USER_AGENT);
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Zoho-oauthtoken {token}"));
        }
        if let Some(org_id) = &self.org_id {
            request = request.header("ZANALYTICS-ORGID", org_id.as_str());
        }
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        request = match self.body {
            Body::None => request,
            Body::Raw(content_type, bytes) => {
                if let Some(ct) = content_type {
                    request = request.header("Content-Type", ct);
                }
                request.body(bytes)
            }
            Body::Multipart(fields) => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in fields {
                    form = form.text(name, value);
                }
                request.multipart(form)
            }
        };
        self.server.send(request).await
    }
}

/// GET with Patricia's token and the org header, the common case.
async fn get(server: &TestServer, path: &str) -> Reply {
    v2(server, "GET", path).send().await
}

async fn mint(server: &TestServer, org: &str, user: &str, scopes: &[&str]) -> String {
    let reply = server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(json!({"org": org, "user": user, "scopes": scopes})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["access_token"].as_str().unwrap().to_owned()
}

/// A sandbox user's token with `ZohoAnalytics.fullaccess.all` (spec §12: `<token of ...>`).
async fn token_of(server: &TestServer, name: &str) -> String {
    mint(
        server,
        "zylker",
        user_id(name),
        &["ZohoAnalytics.fullaccess.all"],
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Assertions.

/// `assert_golden` on `tests/golden/analytics/v2/{name}`, plus the wire rules of spec §2 for a
/// JSON answer: compact, and `/` not escaped.
#[track_caller]
fn check(reply: &Reply, name: &str) {
    assert_golden(reply, &format!("analytics/v2/{name}"));
    if !reply.body.is_empty() {
        let text = reply.text();
        assert!(
            !text.contains("\\/"),
            "{name}: `/` is not escaped in v2: {text}"
        );
        assert_compact(&text, name);
    }
}

/// An error row's golden, `tests/golden/analytics/v2/errors/{name}.json`.
#[track_caller]
fn check_err(reply: &Reply, name: &str) {
    check(reply, &format!("errors/{name}.json"));
}

#[track_caller]
fn check_204(reply: &Reply) {
    check(reply, "no_content.json");
}

/// No whitespace outside JSON strings (spec §2: compact).
#[track_caller]
fn assert_compact(text: &str, name: &str) {
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else {
            assert!(!c.is_whitespace(), "{name}: not compact: {text}");
        }
    }
}

/// 405, no body, and an `Allow` header naming exactly `allowed`.
#[track_caller]
fn check_405(reply: &Reply, allowed: &[&str], what: &str) {
    assert_eq!(reply.status, 405, "{what}: {}", reply.text());
    check(reply, "method_not_allowed.json");
    let allow = reply
        .headers
        .get("allow")
        .unwrap_or_else(|| panic!("{what}: an Allow header"))
        .to_str()
        .unwrap();
    let got: BTreeSet<&str> = allow.split(',').map(str::trim).collect();
    let want: BTreeSet<&str> = allowed.iter().copied().collect();
    assert_eq!(got, want, "{what}: Allow {allow}");
}

/// The `data.errorCode` of a v2 failure, or 0 for anything else.
fn code(reply: &Reply) -> i64 {
    serde_json::from_slice::<Value>(&reply.body)
        .ok()
        .and_then(|v| v["data"]["errorCode"].as_i64())
        .unwrap_or(0)
}

/// The keys that are true in `data.permissions`, in `P15` order, after checking that exactly the
/// fifteen keys are there.
fn true_keys(reply: &Reply) -> Vec<&'static str> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    let permissions = reply.json()["data"]["permissions"].clone();
    let keys: BTreeSet<String> = permissions.as_object().unwrap().keys().cloned().collect();
    let want: BTreeSet<String> = P15.iter().map(|k| (*k).to_owned()).collect();
    assert_eq!(keys, want, "P15 keys");
    P15.iter()
        .copied()
        .filter(|k| permissions[*k] == json!(true))
        .collect()
}

const ADMIN_KEYS: [&str; 14] = [
    "read",
    "export",
    "vud",
    "addRow",
    "updateRow",
    "deleteRow",
    "deleteAllRows",
    "importAppend",
    "importAddOrUpdate",
    "importDeleteAllAdd",
    "importDeleteUpdateAdd",
    "drillDown",
    "share",
    "discussion",
];

async fn my_permissions(server: &TestServer, token: &str, ws: &str, view: &str) -> Reply {
    v2(
        server,
        "GET",
        &ws_path(ws, &format!("/views/{view}/share/mypermissions")),
    )
    .token(token)
    .send()
    .await
}

// ---------------------------------------------------------------------------------------------
// State, as the admin API exports it.

fn org_of<'s>(state: &'s Value, org: &str) -> &'s Value {
    state["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == org)
        .unwrap_or_else(|| panic!("org {org}"))
}

fn workspace_of<'s>(org: &'s Value, ws: &str) -> &'s Value {
    org["analytics"]["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == ws)
        .unwrap_or_else(|| panic!("workspace {ws}"))
}

async fn workspace(server: &TestServer, ws: &str) -> Value {
    let state = server.state().await;
    workspace_of(org_of(&state, "zylker"), ws).clone()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("an array: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// The shares of `view` in an exported workspace, as `(target, permissions that are true)`.
fn shares_of_view(ws: &Value, view: &str) -> Vec<(String, Vec<String>)> {
    ws["shares"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["view"] == view)
        .map(|s| {
            let target = match s["shared_with"]["type"].as_str().unwrap() {
                "user" => s["shared_with"]["email"].as_str().unwrap().to_owned(),
                _ => format!("group:{}", s["shared_with"]["id"].as_str().unwrap()),
            };
            let granted = ALL20
                .iter()
                .filter(|k| s["permissions"][**k] == json!(true))
                .map(|k| (*k).to_owned())
                .collect();
            (target, granted)
        })
        .collect()
}

fn view_names(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["data"]["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["viewName"].as_str().unwrap().to_owned())
        .collect()
}

fn admin_members(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    strings(&reply.json()["data"]["workspaceAdmins"][0]["adminMembers"])
}

fn user_rows(reply: &Reply) -> Vec<(String, bool, String)> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["data"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["emailId"].as_str().unwrap().to_owned(),
                u["status"].as_bool().unwrap(),
                u["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn set_clock(server: &TestServer, now: &str) {
    let reply = server
        .admin("PUT", "/__admin/clock", Some(json!({"now": now})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

// =============================================================================================
// §12 worked examples, exactly as written.

#[tokio::test]
async fn example_12_1_the_token_as_the_official_client_asks_for_it() {
    let server = TestServer::start().await;
    let url = server.url(
        "/oauth/v2/token?client_id=1000.SANDBOXCLIENT&client_secret=sandbox-secret\
         &refresh_token=1000.sandbox.refresh&grant_type=refresh_token",
    );
    let reply = server
        .send(
            server
                .client
                .post(url)
                .header("User-Agent", USER_AGENT)
                .header("Content-Length", "0"),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    let keys: BTreeSet<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "access_token",
            "api_domain",
            "expires_in",
            "scope",
            "token_type"
        ])
    );
    assert_eq!(body["expires_in"], 3600);
    // The minted token works on a v2 call.
    let token = body["access_token"].as_str().unwrap();
    let orgs = v2(&server, "GET", "/restapi/v2/orgs")
        .token(token)
        .no_org()
        .send()
        .await;
    check(&orgs, "examples/12_2_orgs.json");
}

#[tokio::test]
async fn example_12_2_discovery_orgs_workspaces_and_views() {
    let server = TestServer::start().await;
    let orgs = v2(&server, "GET", "/restapi/v2/orgs").no_org().send().await;
    check(&orgs, "examples/12_2_orgs.json");
    let workspaces = v2(&server, "GET", "/restapi/v2/workspaces")
        .no_org()
        .send()
        .await;
    check(&workspaces, "examples/12_2_workspaces.json");
    let liam = token_of(&server, "liam").await;
    let views = v2(&server, "GET", &mi("/views")).token(&liam).send().await;
    check(&views, "examples/12_2_views_liam.json");
    let all = get(&server, &mi("/views")).await;
    check(&all, "discovery/views_patricia.json");
}

#[tokio::test]
async fn example_12_3_workspace_shared_details() {
    let server = TestServer::start().await;
    check(
        &get(&server, &mi("/share")).await,
        "examples/12_3_share_info.json",
    );
}

#[tokio::test]
async fn example_12_4_share_a_view_then_share_it_again() {
    let server = TestServer::start().await;
    let path = format!(
        "{}?CONFIG=%7B%22viewIds%22%3A+%5B%224150868000002200011%22%5D%2C+%22emailIds%22%3A+%5B%22noah%40zylker.com%22%5D%2C+%22permissions%22%3A+%7B%22read%22%3A+%22true%22%2C+%22export%22%3A+%22true%22%7D%7D",
        mi("/share")
    );
    let request = || {
        server
            .client
            .post(server.url(&path))
            .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
            .header("ZANALYTICS-ORGID", ORG_ID)
            .header("User-Agent", USER_AGENT)
            .header("Content-Length", "0")
    };
    check_204(&server.send(request()).await);
    let details = v2(&server, "GET", &mi("/share/shareddetails"))
        .config(&json!({"viewIds": [CAMPAIGN_PIVOT]}))
        .send()
        .await;
    check(&details, "sharing/shared_details_after_post.json");
    let again = server.send(request()).await;
    check_err(&again, "7321_already_shared");
    // The failed request changed nothing: still one share of the pair.
    let ws = workspace(&server, MI).await;
    assert_eq!(
        shares_of_view(&ws, CAMPAIGN_PIVOT),
        vec![(
            "noah@zylker.com".to_owned(),
            vec!["read".to_owned(), "export".to_owned()]
        )]
    );
}

#[tokio::test]
async fn example_12_5_shared_details_for_a_view() {
    let server = TestServer::start().await;
    let path = format!(
        "{}?CONFIG=%7B%22viewIds%22%3A+%5B%224150868000002200010%22%5D%7D",
        mi("/share/shareddetails")
    );
    check(
        &get(&server, &path).await,
        "examples/12_5_shared_details.json",
    );
}

#[tokio::test]
async fn example_12_6_my_permissions_union_and_ceiling() {
    let server = TestServer::start().await;
    let liam = token_of(&server, "liam").await;
    check(
        &my_permissions(&server, &liam, MI, LEADS_BY_REGION).await,
        "examples/12_6_mypermissions_liam.json",
    );
    let ava = token_of(&server, "ava").await;
    check(
        &my_permissions(&server, &ava, MI, CAMPAIGN_LEADS).await,
        "examples/12_6_mypermissions_ava.json",
    );
    for view in [
        CAMPAIGN_LEADS,
        LEADS_BY_REGION,
        CAMPAIGN_PIVOT,
        MARKETING_OVERVIEW,
        LEAD_NOTES,
    ] {
        check(
            &my_permissions(&server, ADMIN_TOKEN, MI, view).await,
            "examples/12_6_mypermissions_admin.json",
        );
    }
    // Ava's stored share keeps addRow; only the effective set is capped (§12.3).
    let ws = workspace(&server, MI).await;
    assert_eq!(
        shares_of_view(&ws, CAMPAIGN_LEADS),
        vec![(
            "ava@zylker.com".to_owned(),
            vec!["read".to_owned(), "export".to_owned(), "addRow".to_owned()]
        )]
    );
}

#[tokio::test]
async fn example_12_7_remove_every_share_of_a_user() {
    let server = TestServer::start().await;
    let path = format!(
        "{}?CONFIG=%7B%22emailIds%22%3A+%5B%22liam%40zylker.com%22%5D%2C+%22removeAllViews%22%3A+true%7D",
        mi("/share")
    );
    let reply = v2(&server, "DELETE", &path)
        .header("Content-Length", "0")
        .send()
        .await;
    check_204(&reply);
    let ws = workspace(&server, MI).await;
    assert!(strings(&ws["users"]).contains(&"liam@zylker.com".to_owned()));
    assert_eq!(
        strings(&ws["groups"][0]["members"]),
        ["liam@zylker.com", "sophia@zylker.com"]
    );
    let liam = token_of(&server, "liam").await;
    check(
        &my_permissions(&server, &liam, MI, LEADS_BY_REGION).await,
        "examples/12_7_mypermissions_liam_after.json",
    );
    // The official client's remove_share(None, [...]): no viewIds, no removeAllViews.
    let without = format!(
        "{}?CONFIG=%7B%22emailIds%22%3A+%5B%22liam%40zylker.com%22%5D%7D",
        mi("/share")
    );
    check_err(
        &v2(&server, "DELETE", &without).send().await,
        "8031_removeshare_params",
    );
}

#[tokio::test]
async fn example_12_8_errors_before_the_state_is_touched() {
    let server = TestServer::start().await;
    let before = workspace(&server, MI).await;
    check_err(
        &v2(&server, "GET", &mi("/share")).no_org().send().await,
        "8083_orgid_not_present",
    );
    check_err(
        &v2(&server, "GET", &mi("/share"))
            .org(CRM_ORG_ID)
            .send()
            .await,
        "7387_orgid_mismatch",
    );
    check_err(
        &v2(&server, "POST", &mi("/share")).send().await,
        "8504_config_missing",
    );
    let liam = token_of(&server, "liam").await;
    check_err(
        &v2(&server, "GET", &mi("/share")).token(&liam).send().await,
        "7301_not_permitted_liam",
    );
    let no_share_read = mint(
        &server,
        "zylker",
        user_id("patricia"),
        &["ZohoAnalytics.metadata.read", "ZohoAnalytics.share.create"],
    )
    .await;
    check_err(
        &v2(&server, "GET", &mi("/share"))
            .token(&no_share_read)
            .send()
            .await,
        "8535_invalid_oauthtoken",
    );
    assert_eq!(workspace(&server, MI).await, before);
}

#[tokio::test]
async fn example_12_9_workspace_users_and_groups() {
    let server = TestServer::start().await;
    check(
        &get(&server, &mi("/users")).await,
        "examples/12_9_users.json",
    );
    let path = format!(
        "{}?CONFIG=%7B%22groupName%22%3A+%22EMEA+Leads%22%2C+%22emailIds%22%3A+%5B%22sophia%40zylker.com%22%2C+%22noah%40zylker.com%22%5D%7D",
        mi("/groups")
    );
    let created = v2(&server, "POST", &path).send().await;
    assert_eq!(created.status, 200, "{}", created.text());
    assert_eq!(created.content_type(), Some(JSON_CT));
    let body = created.json();
    assert_eq!(body["status"], "success");
    assert_eq!(body["summary"], "Group created successfully");
    let id = body["data"]["groupId"]
        .as_str()
        .expect("groupId is a string");
    assert_eq!(id.len(), 19, "a 19-digit id: {id}");
    assert!(id.bytes().all(|b| b.is_ascii_digit()));
    assert!(id.parse::<u64>().unwrap() <= i64::MAX as u64);
    assert_ne!(id, REGIONAL_LEADS);
    let details = get(&server, &mi(&format!("/groups/{id}"))).await;
    assert_eq!(
        details.json(),
        json!({"status": "success", "summary": "Get group details", "data": {"groups": {
            "groupId": id, "groupName": "EMEA Leads", "groupDesc": "",
            "groupMembers": ["sophia@zylker.com", "noah@zylker.com"]}}})
    );
    check_err(
        &v2(&server, "POST", &path).send().await,
        "7282_group_name_exists",
    );
}

#[tokio::test]
async fn example_12_10_v1_share_reads_back_through_v2() {
    let server = TestServer::start().await;
    let url = server.url(
        "/api/patricia%40zylker.com/Marketing%20Insights?&ZOHO_ERROR_FORMAT=JSON&ZOHO_ACTION=SHARE\
         &ZOHO_OUTPUT_FORMAT=XML&ZOHO_API_VERSION=1.0&ZOHO_EMAILS=sophia%40zylker.com\
         &ZOHO_VIEWS=Campaign%20Pivot",
    );
    let reply = server
        .send(
            server
                .client
                .post(url)
                .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("ZOHO_READ=true&ZOHO_EXPORT=true"),
        )
        .await;
    assert_golden(&reply, "analytics/v1_share/share_success.xml");
    let details = v2(&server, "GET", &mi("/share/shareddetails"))
        .config(&json!({"viewIds": [CAMPAIGN_PIVOT]}))
        .send()
        .await;
    check(&details, "examples/12_10_shared_details.json");
}

// =============================================================================================
// §5 Discovery.

#[tokio::test]
async fn orgs_shows_the_callers_role_and_ignores_the_org_header() {
    let server = TestServer::start().await;
    for (name, role) in [
        ("patricia", "Account Admin"),
        ("mason", "Organization Admin"),
        ("liam", "User"),
        ("ava", "Viewer"),
        ("amelia", "User"),
    ] {
        let token = token_of(&server, name).await;
        let reply = v2(&server, "GET", "/restapi/v2/orgs")
            .token(&token)
            .no_org()
            .send()
            .await;
        assert_eq!(reply.status, 200, "{name}: {}", reply.text());
        let orgs = reply.json()["data"]["orgs"].clone();
        assert_eq!(orgs.as_array().unwrap().len(), 1, "{name}: one org");
        assert_eq!(orgs[0]["role"], role, "{name}");
        assert_eq!(orgs[0]["orgId"], ORG_ID);
        assert_eq!(orgs[0]["createdBy"], "patricia@zylker.com");
    }
    // ZANALYTICS-ORGID is ignored where it is not required, even when wrong (§2).
    let wrong = v2(&server, "GET", "/restapi/v2/orgs").org("1").send().await;
    check(&wrong, "examples/12_2_orgs.json");
}

#[tokio::test]
async fn owned_and_shared_workspaces() {
    let server = TestServer::start().await;
    check(
        &get(&server, "/restapi/v2/workspaces/owned").await,
        "discovery/workspaces_owned_patricia.json",
    );
    check(
        &get(&server, "/restapi/v2/workspaces/shared").await,
        "discovery/workspaces_shared_patricia.json",
    );
    let liam = token_of(&server, "liam").await;
    check(
        &v2(&server, "GET", "/restapi/v2/workspaces")
            .token(&liam)
            .no_org()
            .send()
            .await,
        "discovery/workspaces_liam.json",
    );
    let mason = token_of(&server, "mason").await;
    check(
        &v2(&server, "GET", "/restapi/v2/workspaces")
            .token(&mason)
            .send()
            .await,
        "discovery/workspaces_mason.json",
    );
    // Amelia owns one workspace, and any user may list what it owns (§3).
    let amelia = token_of(&server, "amelia").await;
    let owned = v2(&server, "GET", "/restapi/v2/workspaces/owned")
        .token(&amelia)
        .send()
        .await;
    assert_eq!(owned.status, 200, "{}", owned.text());
    let ids: Vec<Value> = owned.json()["data"]["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["workspaceId"].clone())
        .collect();
    assert_eq!(ids, vec![json!(AMELIAS_WS)]);
    // Emma is a user of Support Desk only; a shared list with one entry, an owned list empty.
    let emma = token_of(&server, "emma").await;
    let shared = v2(&server, "GET", "/restapi/v2/workspaces/shared")
        .token(&emma)
        .send()
        .await;
    let ids: Vec<Value> = shared.json()["data"]["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["workspaceId"].clone())
        .collect();
    assert_eq!(ids, vec![json!(SUPPORT_WS)]);
    let none = v2(&server, "GET", "/restapi/v2/workspaces/owned")
        .token(&emma)
        .send()
        .await;
    assert_eq!(
        none.json(),
        json!({"status": "success", "summary": "Get owned workspaces", "data": {"workspaces": []}})
    );
}

#[tokio::test]
async fn one_workspace_unknown_workspace_and_no_access() {
    let server = TestServer::start().await;
    let reply = v2(&server, "GET", &mi("")).no_org().send().await;
    check(&reply, "discovery/workspace_details.json");
    // The official client's own discovery calls end in `/` (§2).
    check(
        &v2(&server, "GET", &mi("/")).no_org().send().await,
        "discovery/workspace_details.json",
    );
    for ws in [UNKNOWN_ID, "abc", "04150868000002100005"] {
        check_err(
            &v2(&server, "GET", &ws_path(ws, "")).send().await,
            "7103_workspace_not_found",
        );
    }
    let mia = token_of(&server, "mia").await;
    check_err(
        &v2(&server, "GET", &mi("")).token(&mia).send().await,
        "7301_not_permitted_mia",
    );
    // Literal segments win over ids.
    assert_eq!(
        get(&server, "/restapi/v2/workspaces/owned").await.json()["summary"],
        "Get owned workspaces"
    );
}

#[tokio::test]
async fn views_as_each_kind_of_caller() {
    let server = TestServer::start().await;
    let cases: [(&str, &[&str]); 7] = [
        (
            "mason",
            &[
                "Campaign Leads",
                "Campaign Pivot",
                "Lead Notes",
                "Leads by Region",
                "Marketing Overview",
            ],
        ),
        (
            "ryan",
            &[
                "Campaign Leads",
                "Campaign Pivot",
                "Lead Notes",
                "Leads by Region",
                "Marketing Overview",
            ],
        ),
        ("liam", &["Lead Notes", "Leads by Region"]),
        ("sophia", &["Leads by Region"]),
        ("noah", &["Marketing Overview"]),
        ("ava", &["Campaign Leads"]),
        (
            "patricia",
            &[
                "Campaign Leads",
                "Campaign Pivot",
                "Lead Notes",
                "Leads by Region",
                "Marketing Overview",
            ],
        ),
    ];
    for (name, expected) in cases {
        let token = token_of(&server, name).await;
        let reply = v2(&server, "GET", &mi("/views")).token(&token).send().await;
        assert_eq!(view_names(&reply), expected, "{name}");
        let shared_by: Vec<Value> = reply.json()["data"]["views"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["sharedBy"].clone())
            .collect();
        let admin = matches!(name, "mason" | "ryan" | "patricia");
        for (view, by) in expected.iter().zip(&shared_by) {
            let want = if admin || *view == "Lead Notes" {
                ""
            } else {
                "patricia@zylker.com"
            };
            assert_eq!(by, want, "{name} {view}");
        }
    }
    // Emma, a member of Support Desk with no share: [].
    let emma = token_of(&server, "emma").await;
    check(
        &v2(&server, "GET", &ws_path(SUPPORT_WS, "/views"))
            .token(&emma)
            .send()
            .await,
        "discovery/views_empty.json",
    );
    // Mia is no member of Marketing Insights.
    let mia = token_of(&server, "mia").await;
    check_err(
        &v2(&server, "GET", &mi("/views")).token(&mia).send().await,
        "7301_not_permitted_mia",
    );
}

#[tokio::test]
async fn views_of_the_other_sandbox_workspaces() {
    let server = TestServer::start().await;
    // (workspace, its views as (id, name, type) in name order)
    type ViewRow = (&'static str, &'static str, &'static str);
    let cases: [(&str, &[ViewRow]); 4] = [
        (
            SALES_WS,
            &[
                ("4150868000002200001", "Deals", "Table"),
                ("4150868000002200002", "Deals by Stage", "AnalysisView"),
                ("4150868000002200003", "Sales Dashboard", "Dashboard"),
            ],
        ),
        (
            SUPPORT_WS,
            &[
                ("4150868000002200004", "Tickets", "Table"),
                ("4150868000002200005", "Tickets by Status", "Pivot"),
            ],
        ),
        (
            AMELIAS_WS,
            &[
                (FORECAST, "Forecast", "SummaryView"),
                (OPPORTUNITIES, "Opportunities", "Table"),
            ],
        ),
        (
            "4150868000002100004",
            &[("4150868000002200008", "Experiments", "Table")],
        ),
    ];
    for (ws, views) in cases {
        let reply = get(&server, &ws_path(ws, "/views")).await;
        assert_eq!(reply.status, 200, "{ws}: {}", reply.text());
        let got: Vec<(String, String, String)> = reply.json()["data"]["views"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["viewId"].as_str().unwrap().to_owned(),
                    v["viewName"].as_str().unwrap().to_owned(),
                    v["viewType"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let want: Vec<(String, String, String)> = views
            .iter()
            .map(|(i, n, t)| ((*i).to_owned(), (*n).to_owned(), (*t).to_owned()))
            .collect();
        assert_eq!(got, want, "{ws}");
    }
    // Forecast's parent, folder and time (DESIGN.md §4).
    let reply = get(&server, &ws_path(AMELIAS_WS, "/views")).await;
    let forecast = reply.json()["data"]["views"][0].clone();
    assert_eq!(forecast["parentViewId"], OPPORTUNITIES);
    assert_eq!(forecast["folderId"], "4150868000002110003");
    assert_eq!(forecast["folderName"], "Default");
    assert_eq!(forecast["createdTime"], "1770029400000");
    assert_eq!(forecast["createdBy"], "amelia@zylker.com");
}

#[tokio::test]
async fn view_list_options_filter_sort_and_page() {
    let server = TestServer::start().await;
    let names = |config: Value| {
        let server = &server;
        async move {
            view_names(
                &v2(server, "GET", &mi("/views"))
                    .config(&config)
                    .send()
                    .await,
            )
        }
    };
    assert_eq!(names(json!({"viewTypes": [0]})).await, ["Campaign Leads"]);
    assert_eq!(
        names(json!({"viewTypes": [1, 7]})).await,
        ["Lead Notes", "Marketing Overview"]
    );
    assert_eq!(
        names(json!({"keyword": "LEAD"})).await,
        ["Campaign Leads", "Lead Notes", "Leads by Region"]
    );
    assert_eq!(
        names(json!({"criteriaZuid": 701199004_u64})).await,
        ["Lead Notes"]
    );
    assert_eq!(
        names(json!({"criteriaZuid": "701199004"})).await,
        ["Lead Notes"]
    );
    assert_eq!(
        names(json!({"sortedColumn": 1})).await,
        [
            "Campaign Leads",
            "Leads by Region",
            "Campaign Pivot",
            "Marketing Overview",
            "Lead Notes"
        ]
    );
    assert_eq!(
        names(json!({"sortedOrder": 1})).await,
        [
            "Marketing Overview",
            "Leads by Region",
            "Lead Notes",
            "Campaign Pivot",
            "Campaign Leads"
        ]
    );
    let page = v2(&server, "GET", &mi("/views"))
        .config(&json!({"sortedColumn": 1, "sortedOrder": 1, "startIndex": 1, "noOfResult": 2}))
        .send()
        .await;
    check(&page, "discovery/views_by_created_time_desc.json");
    assert_eq!(names(json!({"startIndex": 5})).await, Vec::<String>::new());
    assert_eq!(names(json!({"noOfResult": 0})).await, Vec::<String>::new());
    // An empty or `{}` CONFIG counts as absent where it is optional (§4 step 6).
    assert_eq!(names(json!({})).await.len(), 5);
    let empty = v2(&server, "GET", &mi("/views"))
        .raw_query("CONFIG=")
        .send()
        .await;
    assert_eq!(view_names(&empty).len(), 5);
    // zoho-analytics-connector's plain `?viewTypes=0,7` is ignored (§2).
    let plain = v2(&server, "GET", &mi("/views/"))
        .raw_query("viewTypes=0,7")
        .send()
        .await;
    assert_eq!(view_names(&plain).len(), 5);
    for bad in [
        json!({"viewTypes": [9]}),
        json!({"viewTypes": [0, 1, 2, 3, 4, 5, 6, 7, 0]}),
        json!({"sortedColumn": 3}),
        json!({"sortedOrder": 2}),
        json!({"startIndex": -1}),
        json!({"noOfResult": -1}),
    ] {
        check_err(
            &v2(&server, "GET", &mi("/views")).config(&bad).send().await,
            "8119_invalid_value",
        );
    }
    for bad in [
        json!({"viewTypes": "0"}),
        json!({"keyword": 5}),
        json!({"sortedColumn": "name"}),
    ] {
        check_err(
            &v2(&server, "GET", &mi("/views")).config(&bad).send().await,
            "8516_wrong_type",
        );
    }
}

// =============================================================================================
// §3 Routes: methods, scopes, ZANALYTICS-ORGID, aliases; §2 route misses.

/// One route of spec §3 with a `CONFIG` that passes every check for Patricia on the sandbox.
struct Route {
    method: &'static str,
    path: String,
    scope: &'static str,
    orgid: bool,
    workspace: bool,
    config: Option<Value>,
    success: u16,
}

fn route(
    method: &'static str,
    path: String,
    scope: &'static str,
    orgid: bool,
    config: Option<Value>,
    success: u16,
) -> Route {
    let workspace = path.contains(MI);
    Route {
        method,
        path,
        scope,
        orgid,
        workspace,
        config,
        success,
    }
}

/// Every route of §3, then the OpenAPI aliases.
fn routes() -> Vec<Route> {
    let md = "ZohoAnalytics.metadata.read";
    let sr = "ZohoAnalytics.share.read";
    let sc = "ZohoAnalytics.share.create";
    let su = "ZohoAnalytics.share.update";
    let sd = "ZohoAnalytics.share.delete";
    let ur = "ZohoAnalytics.usermanagement.read";
    let uc = "ZohoAnalytics.usermanagement.create";
    let uu = "ZohoAnalytics.usermanagement.update";
    let ud = "ZohoAnalytics.usermanagement.delete";
    let share = json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"], "permissions": {"read": true}});
    let unshare = json!({"viewIds": [LEADS_BY_REGION], "emailIds": ["liam@zylker.com"]});
    let g = format!("/groups/{REGIONAL_LEADS}");
    let root = |tail: &str| format!("/workspaces/{MI}{tail}");
    vec![
        route("GET", "/restapi/v2/orgs".into(), md, false, None, 200),
        route("GET", "/restapi/v2/workspaces".into(), md, false, None, 200),
        route(
            "GET",
            "/restapi/v2/workspaces/owned".into(),
            md,
            false,
            None,
            200,
        ),
        route(
            "GET",
            "/restapi/v2/workspaces/shared".into(),
            md,
            false,
            None,
            200,
        ),
        route("GET", mi(""), md, false, None, 200),
        route("GET", mi("/views"), md, true, None, 200),
        route("GET", mi("/admins"), sr, true, None, 200),
        route(
            "POST",
            mi("/admins"),
            sc,
            true,
            Some(json!({"emailIds": ["liam@zylker.com"]})),
            204,
        ),
        route(
            "DELETE",
            mi("/admins"),
            sd,
            true,
            Some(json!({"emailIds": ["ryan@zylker.com"]})),
            204,
        ),
        route("GET", mi("/share"), sr, true, None, 200),
        route("POST", mi("/share"), sc, true, Some(share.clone()), 204),
        route(
            "PUT",
            mi(&format!("/views/{LEADS_BY_REGION}/share")),
            su,
            true,
            Some(json!({"emailIds": ["liam@zylker.com"]})),
            204,
        ),
        route("DELETE", mi("/share"), sd, true, Some(unshare.clone()), 204),
        route(
            "GET",
            mi("/share/shareddetails"),
            sr,
            true,
            Some(json!({"viewIds": [LEADS_BY_REGION]})),
            200,
        ),
        route(
            "GET",
            mi(&format!("/views/{LEADS_BY_REGION}/share/mypermissions")),
            sr,
            true,
            None,
            200,
        ),
        route(
            "GET",
            mi(&format!("/views/{LEADS_BY_REGION}/share/userpermissions")),
            sr,
            true,
            None,
            200,
        ),
        route("GET", mi("/users"), ur, true, None, 200),
        route(
            "POST",
            mi("/users"),
            uc,
            true,
            Some(json!({"emailIds": ["mia@zylker.com"]})),
            204,
        ),
        route(
            "DELETE",
            mi("/users"),
            ud,
            true,
            Some(json!({"emailIds": ["noah@zylker.com"]})),
            204,
        ),
        route(
            "PUT",
            mi("/users/status"),
            uu,
            true,
            Some(json!({"emailIds": ["noah@zylker.com"], "operation": "deactivate"})),
            204,
        ),
        route(
            "PUT",
            mi("/users/role"),
            uu,
            true,
            Some(json!({"emailIds": ["noah@zylker.com"], "role": "USER"})),
            204,
        ),
        route("GET", "/restapi/v2/orgadmins".into(), sr, true, None, 200),
        route("GET", mi("/groups"), sr, true, None, 200),
        route(
            "POST",
            mi("/groups"),
            sc,
            true,
            Some(json!({"groupName": "EMEA Leads", "emailIds": ["noah@zylker.com"]})),
            200,
        ),
        route("GET", mi(&g), sr, true, None, 200),
        route(
            "PUT",
            mi(&g),
            su,
            true,
            Some(json!({"groupName": "Regional Leads"})),
            204,
        ),
        route("DELETE", mi(&g), sd, true, None, 204),
        route(
            "POST",
            mi(&format!("{g}/members")),
            sc,
            true,
            Some(json!({"emailIds": ["noah@zylker.com"]})),
            204,
        ),
        route(
            "DELETE",
            mi(&format!("{g}/members")),
            sd,
            true,
            Some(json!({"emailIds": ["liam@zylker.com"]})),
            204,
        ),
        // Aliases of the OpenAPI files (§3).
        route("POST", mi("/views/share"), sc, true, Some(share), 204),
        route("DELETE", mi("/views/share"), sd, true, Some(unshare), 204),
        route(
            "GET",
            root("/share/shareddetails"),
            sr,
            true,
            Some(json!({"viewIds": [LEADS_BY_REGION]})),
            200,
        ),
        route(
            "GET",
            root(&format!("/views/{LEADS_BY_REGION}/share/mypermissions")),
            sr,
            true,
            None,
            200,
        ),
        route("GET", root("/groups"), sr, true, None, 200),
        route(
            "POST",
            root("/groups"),
            sc,
            true,
            Some(json!({"groupName": "EMEA Leads", "emailIds": ["noah@zylker.com"]})),
            200,
        ),
        route("GET", root(&g), sr, true, None, 200),
        route(
            "PUT",
            root(&g),
            su,
            true,
            Some(json!({"groupName": "Regional Leads"})),
            204,
        ),
        route("DELETE", root(&g), sd, true, None, 204),
        route(
            "POST",
            root(&format!("{g}/members")),
            sc,
            true,
            Some(json!({"emailIds": ["noah@zylker.com"]})),
            204,
        ),
        route(
            "DELETE",
            root(&format!("{g}/members")),
            sd,
            true,
            Some(json!({"emailIds": ["liam@zylker.com"]})),
            204,
        ),
    ]
}

impl Route {
    fn call<'a>(&self, server: &'a TestServer) -> Call<'a> {
        let call = v2(server, self.method, &self.path);
        match &self.config {
            Some(config) => call.config(config),
            None => call,
        }
    }
    fn on_workspace(&self, ws: &str) -> String {
        self.path.replace(MI, ws)
    }
}

#[tokio::test]
async fn every_route_answers_its_documented_success_status() {
    let server = TestServer::start().await;
    for route in routes() {
        let reply = route.call(&server).send().await;
        let what = format!("{} {}", route.method, route.path);
        assert_eq!(reply.status, route.success, "{what}: {}", reply.text());
        if route.success == 204 {
            check_204(&reply);
        } else {
            assert_eq!(reply.content_type(), Some(JSON_CT), "{what}");
            assert_eq!(reply.json()["status"], "success", "{what}");
            assert_compact(&reply.text(), &what);
        }
        let reset = server.admin("POST", "/__admin/reset", None).await;
        assert_eq!(reset.status, 204);
    }
}

#[tokio::test]
async fn the_aliases_answer_as_their_routes() {
    let server = TestServer::start().await;
    check(
        &get(
            &server,
            &format!(
                "/workspaces/{MI}/share/shareddetails?{}",
                config_pair(&json!({"viewIds": [LEADS_BY_REGION]}))
            ),
        )
        .await,
        "examples/12_5_shared_details.json",
    );
    let liam = token_of(&server, "liam").await;
    for path in [
        format!("/workspaces/{MI}/views/{LEADS_BY_REGION}/share/mypermissions"),
        mi(&format!("/views/{LEADS_BY_REGION}/share/userpermissions")),
    ] {
        check(
            &v2(&server, "GET", &path).token(&liam).send().await,
            "examples/12_6_mypermissions_liam.json",
        );
    }
    check(
        &get(&server, &format!("/workspaces/{MI}/groups")).await,
        "groups/groups_marketing.json",
    );
    check(
        &get(
            &server,
            &format!("/workspaces/{MI}/groups/{REGIONAL_LEADS}"),
        )
        .await,
        "groups/group_details.json",
    );
    // POST and DELETE on …/views/share are share and remove share.
    check_204(
        &v2(&server, "POST", &mi("/views/share"))
            .config(
                &json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"],
                            "permissions": {"read": true, "export": true}}),
            )
            .send()
            .await,
    );
    check(
        &v2(&server, "GET", &mi("/share/shareddetails"))
            .config(&json!({"viewIds": [CAMPAIGN_PIVOT]}))
            .send()
            .await,
        "sharing/shared_details_after_post.json",
    );
    check_err(
        &v2(&server, "POST", &mi("/views/share"))
            .config(
                &json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"],
                            "permissions": {"read": true}}),
            )
            .send()
            .await,
        "7321_already_shared",
    );
    check_204(
        &v2(&server, "DELETE", &mi("/views/share"))
            .config(&json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"]}))
            .send()
            .await,
    );
    assert!(shares_of_view(&workspace(&server, MI).await, CAMPAIGN_PIVOT).is_empty());
    // PUT is declared there by the OpenAPI file without a view id, and not served (§3).
    let put = v2(&server, "PUT", &mi("/views/share"))
        .config(&json!({"emailIds": ["liam@zylker.com"]}))
        .send()
        .await;
    check_405(&put, &["POST", "DELETE"], "PUT …/views/share");
    // A root /workspaces/... path that is not a listed alias is an unknown CRM path
    // (auth-and-errors.md §8).
    for path in [
        format!("/workspaces/{MI}/share"),
        format!("/workspaces/{MI}/admins"),
        format!("/workspaces/{MI}/views/{LEADS_BY_REGION}/share/userpermissions"),
        format!("/workspaces/{MI}"),
    ] {
        let reply = get(&server, &path).await;
        assert_golden(&reply, "common/invalid_url_pattern.json");
    }
}

#[tokio::test]
async fn other_methods_answer_405_with_allow_before_authentication() {
    let server = TestServer::start().await;
    let g = format!("/groups/{REGIONAL_LEADS}");
    let table: Vec<(String, &[&str])> = vec![
        ("/restapi/v2/orgs".into(), &["GET"]),
        ("/restapi/v2/workspaces".into(), &["GET"]),
        ("/restapi/v2/workspaces/owned".into(), &["GET"]),
        ("/restapi/v2/workspaces/shared".into(), &["GET"]),
        (mi(""), &["GET"]),
        (mi("/views"), &["GET"]),
        (mi("/admins"), &["GET", "POST", "DELETE"]),
        (mi("/share"), &["GET", "POST", "DELETE"]),
        (mi(&format!("/views/{LEADS_BY_REGION}/share")), &["PUT"]),
        (mi("/views/share"), &["POST", "DELETE"]),
        (mi("/share/shareddetails"), &["GET"]),
        (
            mi(&format!("/views/{LEADS_BY_REGION}/share/mypermissions")),
            &["GET"],
        ),
        (
            mi(&format!("/views/{LEADS_BY_REGION}/share/userpermissions")),
            &["GET"],
        ),
        (mi("/users"), &["GET", "POST", "DELETE"]),
        (mi("/users/status"), &["PUT"]),
        (mi("/users/role"), &["PUT"]),
        ("/restapi/v2/orgadmins".into(), &["GET"]),
        (mi("/groups"), &["GET", "POST"]),
        (mi(&g), &["GET", "PUT", "DELETE"]),
        (mi(&format!("{g}/members")), &["POST", "DELETE"]),
        (format!("/workspaces/{MI}/share/shareddetails"), &["GET"]),
        (
            format!("/workspaces/{MI}/views/{LEADS_BY_REGION}/share/mypermissions"),
            &["GET"],
        ),
        (format!("/workspaces/{MI}/groups"), &["GET", "POST"]),
        (format!("/workspaces/{MI}{g}"), &["GET", "PUT", "DELETE"]),
        (format!("/workspaces/{MI}{g}/members"), &["POST", "DELETE"]),
    ];
    for (path, allowed) in table {
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] {
            if allowed.contains(&method) {
                continue;
            }
            let reply = v2(&server, method, &path).no_token().no_org().send().await;
            check_405(&reply, allowed, &format!("{method} {path}"));
        }
    }
    // Unknown ids in the path are not a route check: the method still decides first.
    let reply = v2(&server, "PATCH", &ws_path(UNKNOWN_ID, "/share"))
        .send()
        .await;
    check_405(
        &reply,
        &["GET", "POST", "DELETE"],
        "PATCH on an unknown workspace",
    );
}

#[tokio::test]
async fn route_misses_under_restapi_v2_answer_404_without_a_body() {
    let server = TestServer::start().await;
    for path in [
        "/restapi/v2/users".to_owned(),
        "/restapi/v2/users/active".to_owned(),
        "/restapi/v2/views/4150868000002200010".to_owned(),
        "/restapi/v2/recentviews".to_owned(),
        "/restapi/v2/dashboards".to_owned(),
        "/restapi/v2/orgs//".to_owned(),
        "/restapi/v2//orgs".to_owned(),
        "/restapi/v2/".to_owned(),
        "/restapi/v2/nothing".to_owned(),
        mi("/folders"),
        mi(&format!("/views/{LEADS_BY_REGION}")),
        mi("/share/mypermissions"),
        mi("/users/active"),
        mi(&format!("/groups/{REGIONAL_LEADS}/members/x")),
        mi("/admins//"),
    ] {
        for method in ["GET", "POST", "DELETE"] {
            let reply = v2(&server, method, &path).send().await;
            assert_eq!(reply.status, 404, "{method} {path}: {}", reply.text());
            check(&reply, "route_miss.json");
        }
        // The route check comes before authentication (§4 step 1).
        let reply = v2(&server, "GET", &path).no_token().send().await;
        check(&reply, "route_miss.json");
    }
    // One trailing slash is ignored (§2).
    for path in ["/restapi/v2/orgs/", "/restapi/v2/workspaces/"] {
        let reply = get(&server, path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
    }
    check(
        &get(&server, &mi("/admins/")).await,
        "admins/admins_marketing.json",
    );
}

#[tokio::test]
async fn every_route_needs_its_scope() {
    let server = TestServer::start().await;
    let patricia = user_id("patricia");
    for route in routes() {
        let what = format!("{} {}", route.method, route.path);
        let others: Vec<&str> = V2_SCOPES
            .iter()
            .copied()
            .filter(|s| *s != route.scope)
            .collect();
        let without = mint(&server, "zylker", patricia, &others).await;
        let reply = route.call(&server).token(&without).send().await;
        check_err(&reply, "8535_invalid_oauthtoken");
        // The scope check comes before the org header (§4 steps 4 and 5).
        let reply = route.call(&server).token(&without).no_org().send().await;
        check_err(&reply, "8535_invalid_oauthtoken");
        let with = mint(&server, "zylker", patricia, &[route.scope]).await;
        let reply = route.call(&server).token(&with).send().await;
        assert_ne!(
            reply.status,
            401,
            "{what} with {}: {}",
            route.scope,
            reply.text()
        );
        assert_ne!(code(&reply), 8535, "{what}");
    }
    // The `.all` scopes cover the operations below them (§3); CRM scopes cover none.
    for (scope, method, path) in [
        ("ZohoAnalytics.share.all", "GET", mi("/share")),
        (
            "ZohoAnalytics.share.all",
            "GET",
            "/restapi/v2/orgadmins".to_owned(),
        ),
        (
            "ZohoAnalytics.metadata.all",
            "GET",
            "/restapi/v2/orgs".to_owned(),
        ),
        ("ZohoAnalytics.usermanagement.all", "GET", mi("/users")),
        ("ZohoAnalytics.fullaccess.all", "GET", mi("/users")),
        ("zohoanalytics.SHARE.ALL", "GET", mi("/share")),
    ] {
        let token = mint(&server, "zylker", patricia, &[scope]).await;
        let reply = v2(&server, method, &path).token(&token).send().await;
        assert_eq!(reply.status, 200, "{scope} on {path}: {}", reply.text());
    }
    for (scope, path) in [
        ("ZohoAnalytics.share.all", "/restapi/v2/orgs".to_owned()),
        ("ZohoAnalytics.metadata.all", mi("/share")),
        ("ZohoCRM.share.ALL", mi("/share")),
        ("ZohoAnalytics.share.all", mi("/users")),
    ] {
        let token = mint(&server, "zylker", patricia, &[scope]).await;
        let reply = v2(&server, "GET", &path).token(&token).send().await;
        check_err(&reply, "8535_invalid_oauthtoken");
    }
    // The sandbox's standard token holds ZohoAnalytics.share.all only.
    check_err(
        &v2(&server, "GET", "/restapi/v2/orgs")
            .token(STANDARD_TOKEN)
            .send()
            .await,
        "8535_invalid_oauthtoken",
    );
}

#[tokio::test]
async fn the_org_header_is_required_where_section_3_says_and_ignored_elsewhere() {
    let server = TestServer::start().await;
    for route in routes() {
        let what = format!("{} {}", route.method, route.path);
        if route.orgid {
            let before = workspace(&server, MI).await;
            check_err(
                &route.call(&server).no_org().send().await,
                "8083_orgid_not_present",
            );
            // An empty value counts as missing; a value of spaces too, once trimmed.
            check_err(
                &route.call(&server).org("").send().await,
                "8083_orgid_not_present",
            );
            check_err(
                &route.call(&server).org("   ").send().await,
                "8083_orgid_not_present",
            );
            assert_eq!(workspace(&server, MI).await, before, "{what}");
        } else {
            for header in [None, Some("1"), Some(CRM_ORG_ID)] {
                let call = route.call(&server);
                let call = match header {
                    None => call.no_org(),
                    Some(h) => call.org(h),
                };
                let reply = call.send().await;
                assert_eq!(
                    reply.status,
                    route.success,
                    "{what} with {header:?}: {}",
                    reply.text()
                );
            }
        }
    }
    // The header name is case-insensitive and the value is trimmed.
    let reply = v2(&server, "GET", &mi("/share"))
        .no_org()
        .header("zanalytics-orgid", " 700017001 ")
        .send()
        .await;
    check(&reply, "examples/12_3_share_info.json");
    // Other headers are ignored.
    let reply = v2(&server, "GET", &mi("/share"))
        .header("ZANALYTICS-DEST-ORGID", "1")
        .send()
        .await;
    check(&reply, "examples/12_3_share_info.json");
}

#[tokio::test]
async fn a_wrong_org_header_answers_7387_on_workspace_routes_and_7389_on_orgadmins() {
    let server = TestServer::start().await;
    for route in routes().into_iter().filter(|r| r.orgid) {
        let what = format!("{} {}", route.method, route.path);
        for wrong in [CRM_ORG_ID, "700017002", "0700017001", "abc"] {
            let reply = route.call(&server).org(wrong).send().await;
            if route.workspace {
                check_err(&reply, "7387_orgid_mismatch");
            } else {
                assert!(route.path.ends_with("/orgadmins"), "{what}");
                check_err(&reply, "7389_organization_not_present");
            }
        }
    }
    assert_eq!(
        workspace(&server, MI).await,
        workspace(&TestServer::start().await, MI).await
    );
}

#[tokio::test]
async fn the_org_header_must_name_the_analytics_org_id_of_the_fixture() {
    let server = TestServer::start().await;
    let mut state = server.state().await;
    state["orgs"][0]["analytics_org_id"] = json!("60012345");
    let reply = server.admin("PUT", "/__admin/state", Some(state)).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    let orgs = v2(&server, "GET", "/restapi/v2/orgs").no_org().send().await;
    assert_eq!(orgs.json()["data"]["orgs"][0]["orgId"], "60012345");
    let workspaces = v2(&server, "GET", "/restapi/v2/workspaces").send().await;
    for entry in workspaces.json()["data"]["ownedWorkspaces"]
        .as_array()
        .unwrap()
    {
        assert_eq!(entry["orgId"], "60012345");
    }
    check_err(&get(&server, &mi("/share")).await, "7387_orgid_mismatch");
    check_err(
        &get(&server, "/restapi/v2/orgadmins").await,
        "7389_organization_not_present",
    );
    let reply = v2(&server, "GET", &mi("/share"))
        .org("60012345")
        .send()
        .await;
    check(&reply, "examples/12_3_share_info.json");
    let reply = v2(&server, "GET", "/restapi/v2/orgadmins")
        .org("60012345")
        .send()
        .await;
    check(&reply, "users/orgadmins.json");
}

// =============================================================================================
// §11.1, one test per row (each on the routes it applies to). Rows 14 and 15 (7387, 7389) are
// above, with the org header.

#[tokio::test]
async fn row_01_8535_authentication_and_scope() {
    let server = TestServer::start().await;
    let derek = mint(
        &server,
        "zylker",
        user_id("derek"),
        &["ZohoAnalytics.fullaccess.all"],
    )
    .await;
    for route in routes() {
        let what = format!("{} {}", route.method, route.path);
        check_err(
            &route.call(&server).no_token().send().await,
            "8535_invalid_oauthtoken",
        );
        for header in [
            "Bearer 1000.sandbox.admin".to_owned(),
            "Zoho-oauthtoken".to_owned(),
            "Zoho-oauthtoken ".to_owned(),
            "Zoho-oauthtoken1000.sandbox.admin".to_owned(),
        ] {
            let reply = route
                .call(&server)
                .no_token()
                .header("Authorization", &header)
                .send()
                .await;
            check_err(&reply, "8535_invalid_oauthtoken");
        }
        for token in ["1000.unknown", EXPIRED_TOKEN, derek.as_str(), NOSHARE_TOKEN] {
            let reply = route.call(&server).token(token).send().await;
            assert_eq!(reply.status, 401, "{what} with {token}");
            check_err(&reply, "8535_invalid_oauthtoken");
        }
    }
    // The scheme is case-insensitive (auth-and-errors.md §1).
    let reply = v2(&server, "GET", &mi("/share"))
        .no_token()
        .header("Authorization", "zoho-OAUTHTOKEN   1000.sandbox.admin ")
        .send()
        .await;
    check(&reply, "examples/12_3_share_info.json");
}

#[tokio::test]
async fn row_02_8083_no_org_header() {
    let server = TestServer::start().await;
    // Step 5 comes before the CONFIG checks and the ids.
    check_err(
        &v2(&server, "POST", &mi("/share")).no_org().send().await,
        "8083_orgid_not_present",
    );
    check_err(
        &v2(&server, "GET", &ws_path(UNKNOWN_ID, "/share"))
            .no_org()
            .send()
            .await,
        "8083_orgid_not_present",
    );
    check_err(
        &v2(&server, "GET", "/restapi/v2/orgadmins")
            .no_org()
            .send()
            .await,
        "8083_orgid_not_present",
    );
}

#[tokio::test]
async fn row_03_8506_config_sent_more_than_once() {
    let server = TestServer::start().await;
    let share = json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"], "permissions": {"read": true}});
    let twice = v2(&server, "POST", &mi("/share"))
        .config(&share)
        .config(&share)
        .send()
        .await;
    check_err(&twice, "8506_config_repeated");
    // Query string and body are counted together.
    let split = v2(&server, "POST", &mi("/share"))
        .config(&share)
        .form_config(&share)
        .send()
        .await;
    check_err(&split, "8506_config_repeated");
    // Also where CONFIG is optional.
    let views = v2(&server, "GET", &mi("/views"))
        .config(&json!({"viewTypes": [0]}))
        .raw_query("CONFIG=")
        .send()
        .await;
    check_err(&views, "8506_config_repeated");
    let details = v2(&server, "GET", &mi("/share/shareddetails"))
        .config(&json!({"viewIds": [LEADS_BY_REGION]}))
        .config(&json!({"viewIds": [CAMPAIGN_PIVOT]}))
        .send()
        .await;
    check_err(&details, "8506_config_repeated");
    // Where a route takes no CONFIG, it is ignored, repeated or not.
    let ignored = v2(&server, "GET", &mi("/share"))
        .raw_query("CONFIG=x")
        .raw_query("CONFIG=y")
        .send()
        .await;
    check(&ignored, "examples/12_3_share_info.json");
    assert!(shares_of_view(&workspace(&server, MI).await, CAMPAIGN_PIVOT).is_empty());
}

#[tokio::test]
async fn row_04_8507_config_or_body_too_long() {
    let server = TestServer::start().await;
    let long = json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"],
                      "permissions": {"read": true}, "mailMessage": "x".repeat(100_000)});
    check_err(
        &v2(&server, "POST", &mi("/share"))
            .form_config(&long)
            .send()
            .await,
        "8507_config_too_long",
    );
    // Exactly 100,000 characters is not too long.
    let head = r#"{"viewIds":["4150868000002200011"],"emailIds":["noah@zylker.com"],"permissions":{"read":true},"mailMessage":""#;
    let fill = 100_000 - head.len() - 2;
    let exact = format!("{head}{}\"}}", "y".repeat(fill));
    assert_eq!(exact.chars().count(), 100_000);
    let reply = v2(&server, "POST", &mi("/share"))
        .body(
            Some("application/x-www-form-urlencoded"),
            format!("CONFIG={}", quote_plus(&exact)).into_bytes(),
        )
        .send()
        .await;
    check_204(&reply);
    // A body over 1 MiB, whatever CONFIG holds.
    let small = config_pair(
        &json!({"viewIds": [MARKETING_OVERVIEW], "emailIds": ["mia@zylker.com"],
                                    "permissions": {"read": true}}),
    );
    let body = format!("{small}&pad={}", "a".repeat(1_048_576));
    let reply = v2(&server, "POST", &mi("/share"))
        .body(Some("application/x-www-form-urlencoded"), body.into_bytes())
        .send()
        .await;
    check_err(&reply, "8507_config_too_long");
    assert!(shares_of_view(&workspace(&server, MI).await, MARKETING_OVERVIEW).len() == 1);
    // (a) before (b): two CONFIGs, one too long.
    let reply = v2(&server, "POST", &mi("/share"))
        .config(&json!({"viewIds": [CAMPAIGN_PIVOT]}))
        .form_config(&long)
        .send()
        .await;
    check_err(&reply, "8506_config_repeated");
}

#[tokio::test]
async fn row_05_8504_config_missing_where_required() {
    let server = TestServer::start().await;
    for route in routes().into_iter().filter(|r| r.config.is_some()) {
        let reply = v2(&server, route.method, &route.path).send().await;
        check_err(&reply, "8504_config_missing");
        // Other parameters do not stand in for it.
        let reply = v2(&server, route.method, &route.path)
            .raw_query("config=%7B%7D")
            .raw_query("viewIds=1")
            .send()
            .await;
        check_err(&reply, "8504_config_missing");
    }
    // GET views, whose CONFIG is optional, and DELETE group, which takes none, do not need it.
    assert_eq!(get(&server, &mi("/views")).await.status, 200);
}

#[tokio::test]
async fn row_06_8077_config_empty() {
    let server = TestServer::start().await;
    for route in routes().into_iter().filter(|r| r.config.is_some()) {
        for raw in [
            "CONFIG=",
            "CONFIG=+++",
            "CONFIG=%7B%7D",
            "CONFIG=%7B+%7D",
            "CONFIG=%09%7B%7D%0A",
        ] {
            let reply = v2(&server, route.method, &route.path)
                .raw_query(raw)
                .send()
                .await;
            check_err(&reply, "8077_config_empty");
        }
    }
}

#[tokio::test]
async fn row_07_8080_config_not_a_json_object_or_a_list_over_its_limit() {
    let server = TestServer::start().await;
    for raw in [
        "CONFIG=not+json",
        "CONFIG=%5B1%5D",
        "CONFIG=%22x%22",
        "CONFIG=5",
        "CONFIG=%7B%22viewIds%22%3A",
        "CONFIG=%FF%FE",
        "CONFIG=%7B%22viewIds%22%3A%5B%22%FF%22%5D%7D",
    ] {
        for path in [mi("/share"), mi("/admins"), mi("/groups")] {
            let reply = v2(&server, "POST", &path).raw_query(raw).send().await;
            check_err(&reply, "8080_config_invalid");
        }
        let reply = v2(&server, "GET", &mi("/views"))
            .raw_query(raw)
            .send()
            .await;
        check_err(&reply, "8080_config_invalid");
    }
    // Lists over their limits (step 6 (i)): 1000 ids or emails, 20 bulk entries.
    let views: Vec<String> = (0..1001).map(|i| format!("41508680000022{i:05}")).collect();
    let reply = v2(&server, "GET", &mi("/share/shareddetails"))
        .form_config(&json!({"viewIds": views}))
        .send()
        .await;
    check_err(&reply, "8080_config_invalid");
    let emails: Vec<String> = (0..1001).map(|i| format!("u{i}@zylker.com")).collect();
    let reply = v2(&server, "POST", &mi("/admins"))
        .form_config(&json!({"emailIds": emails}))
        .send()
        .await;
    check_err(&reply, "8080_config_invalid");
    let groups: Vec<String> = (0..1001).map(|i| format!("41508680000023{i:05}")).collect();
    let reply = v2(&server, "POST", &mi("/share"))
        .form_config(&json!({"viewIds": [CAMPAIGN_PIVOT], "groupIds": groups, "permissions": {"read": true}}))
        .send()
        .await;
    check_err(&reply, "8080_config_invalid");
    let bulk: Vec<Value> = (0..21)
        .map(|_| json!({"emailIds": ["noah@zylker.com"], "role": "USER"}))
        .collect();
    for (method, path) in [("POST", mi("/users")), ("PUT", mi("/users/role"))] {
        let reply = v2(&server, method, &path)
            .config(&json!({"users": bulk}))
            .send()
            .await;
        check_err(&reply, "8080_config_invalid");
    }
    // Exactly 1000 distinct entries is within the limit; duplicates collapse first (§2).
    let thousand: Vec<String> = (0..1000).map(|i| format!("41508680000022{i:05}")).collect();
    let reply = v2(&server, "GET", &mi("/share/shareddetails"))
        .form_config(&json!({"viewIds": thousand}))
        .send()
        .await;
    assert_ne!(code(&reply), 8080, "{}", reply.text());
}

#[tokio::test]
async fn row_08_8079_a_required_key_missing() {
    let server = TestServer::start().await;
    let lr_share = mi(&format!("/views/{LEADS_BY_REGION}/share"));
    let g = mi(&format!("/groups/{REGIONAL_LEADS}"));
    let cases: Vec<(&str, String, Value)> = vec![
        ("POST", mi("/admins"), json!({"domainName": ""})),
        ("DELETE", mi("/admins"), json!({"notifyMail": true})),
        (
            "POST",
            mi("/share"),
            json!({"emailIds": ["noah@zylker.com"], "permissions": {"read": true}}),
        ),
        (
            "POST",
            mi("/share"),
            json!({"viewIds": [CAMPAIGN_PIVOT], "permissions": {"read": true}}),
        ),
        ("PUT", lr_share, json!({"permissions": {"read": true}})),
        (
            "DELETE",
            mi("/share"),
            json!({"viewIds": [LEADS_BY_REGION]}),
        ),
        (
            "GET",
            mi("/share/shareddetails"),
            json!({"emailIds": ["liam@zylker.com"]}),
        ),
        ("POST", mi("/users"), json!({"role": "USER"})),
        ("DELETE", mi("/users"), json!({"role": "USER"})),
        ("PUT", mi("/users/status"), json!({"operation": "activate"})),
        (
            "PUT",
            mi("/users/status"),
            json!({"emailIds": ["noah@zylker.com"]}),
        ),
        (
            "PUT",
            mi("/users/role"),
            json!({"emailIds": ["noah@zylker.com"]}),
        ),
        ("PUT", mi("/users/role"), json!({"role": "USER"})),
        (
            "PUT",
            mi("/users/role"),
            json!({"users": [{"emailIds": ["noah@zylker.com"]}]}),
        ),
        (
            "POST",
            mi("/groups"),
            json!({"emailIds": ["noah@zylker.com"]}),
        ),
        ("POST", mi("/groups"), json!({"groupName": "EMEA Leads"})),
        ("PUT", g.clone(), json!({"groupDesc": "x"})),
        ("POST", format!("{g}/members"), json!({"inviteMail": false})),
        (
            "DELETE",
            format!("{g}/members"),
            json!({"notifyMail": false}),
        ),
    ];
    for (method, path, config) in cases {
        let reply = v2(&server, method, &path).config(&config).send().await;
        check_err(&reply, "8079_attribute_missing");
    }
    // (f) runs before (g): a missing key wins over a key of the wrong type.
    let reply = v2(&server, "POST", &mi("/share"))
        .config(&json!({"viewIds": "4150868000002200011", "permissions": {"read": true}}))
        .send()
        .await;
    check_err(&reply, "8079_attribute_missing");
}

#[tokio::test]
async fn row_09_8031_neither_view_ids_nor_remove_all_views() {
    let server = TestServer::start().await;
    for config in [
        json!({"emailIds": ["liam@zylker.com"]}),
        json!({"emailIds": ["liam@zylker.com"], "viewIds": []}),
        json!({"emailIds": ["liam@zylker.com"], "removeAllViews": false}),
        json!({"emailIds": ["liam@zylker.com"], "removeAllViews": "false"}),
        json!({"groupIds": [REGIONAL_LEADS]}),
        // The mode rule comes before the empty-list rule (step 6 (f) before (h)).
        json!({"emailIds": [], "viewIds": []}),
    ] {
        for path in [mi("/share"), mi("/views/share")] {
            let reply = v2(&server, "DELETE", &path).config(&config).send().await;
            check_err(&reply, "8031_removeshare_params");
        }
    }
}

#[tokio::test]
async fn row_10_8105_view_ids_and_remove_all_views_together() {
    let server = TestServer::start().await;
    for config in [
        json!({"emailIds": ["liam@zylker.com"], "viewIds": [LEADS_BY_REGION], "removeAllViews": true}),
        json!({"groupIds": [REGIONAL_LEADS], "viewIds": [LEADS_BY_REGION], "removeAllViews": "true"}),
    ] {
        let reply = v2(&server, "DELETE", &mi("/share"))
            .config(&config)
            .send()
            .await;
        check_err(&reply, "8105_removeshare_both");
    }
    // An empty viewIds with removeAllViews is the removeAllViews mode.
    let reply = v2(&server, "DELETE", &mi("/share"))
        .config(&json!({"emailIds": ["noah@zylker.com"], "viewIds": [], "removeAllViews": true}))
        .send()
        .await;
    check_204(&reply);
    assert!(shares_of_view(&workspace(&server, MI).await, MARKETING_OVERVIEW).is_empty());
}

#[tokio::test]
async fn row_11_8516_a_known_key_of_the_wrong_type() {
    let server = TestServer::start().await;
    let share = |extra: Value| {
        let mut config = json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"],
                                "permissions": {"read": true}});
        for (k, v) in extra.as_object().unwrap() {
            config[k] = v.clone();
        }
        config
    };
    let bad_shares = [
        json!({"viewIds": CAMPAIGN_PIVOT}),
        json!({"viewIds": [1.5]}),
        json!({"viewIds": [true]}),
        json!({"viewIds": [[CAMPAIGN_PIVOT]]}),
        json!({"viewIds": [-4150868000002200011_i64]}),
        json!({"viewIds": [18446744073709551616.0_f64]}),
        json!({"emailIds": "noah@zylker.com"}),
        json!({"emailIds": [5]}),
        json!({"groupIds": [null]}),
        json!({"permissions": {"read": "yes"}}),
        json!({"permissions": {"read": "TRUE"}}),
        json!({"permissions": {"read": 1}}),
        json!({"permissions": [true]}),
        json!({"criteria": 5}),
        json!({"columns": "Region"}),
        json!({"inheritParentFilterCriteria": "no"}),
        json!({"includeAllColsForVUD": 0}),
        json!({"inviteMail": "True"}),
        json!({"inviteMailCCMe": 1}),
        json!({"validateSystemTags": "x"}),
        json!({"mailSubject": false}),
        json!({"mailMessage": []}),
        json!({"domainName": 1}),
    ];
    for extra in bad_shares {
        let reply = v2(&server, "POST", &mi("/share"))
            .config(&share(extra.clone()))
            .send()
            .await;
        assert_eq!(code(&reply), 8516, "{extra}: {}", reply.text());
        check_err(&reply, "8516_wrong_type");
    }
    let others: Vec<(&str, String, Value)> = vec![
        (
            "POST",
            mi("/admins"),
            json!({"emailIds": ["liam@zylker.com"], "inviteMail": "yes"}),
        ),
        (
            "DELETE",
            mi("/admins"),
            json!({"emailIds": ["ryan@zylker.com"], "notifyMail": 0}),
        ),
        (
            "DELETE",
            mi("/share"),
            json!({"emailIds": ["liam@zylker.com"], "removeAllViews": "yes"}),
        ),
        (
            "POST",
            mi("/users"),
            json!({"emailIds": ["mia@zylker.com"], "role": 1}),
        ),
        (
            "POST",
            mi("/users"),
            json!({"users": [{"emailIds": "mia@zylker.com"}]}),
        ),
        (
            "PUT",
            mi("/users/status"),
            json!({"emailIds": ["noah@zylker.com"], "operation": true}),
        ),
        (
            "POST",
            mi("/groups"),
            json!({"groupName": "G", "emailIds": ["noah@zylker.com"], "groupDesc": 5}),
        ),
        (
            "POST",
            mi("/groups"),
            json!({"groupName": 5, "emailIds": ["noah@zylker.com"]}),
        ),
    ];
    for (method, path, config) in others {
        let reply = v2(&server, method, &path).config(&config).send().await;
        assert_eq!(
            code(&reply),
            8516,
            "{method} {path} {config}: {}",
            reply.text()
        );
        check_err(&reply, "8516_wrong_type");
    }
    // (g) before (h): wrong type wins over an empty list.
    let reply = v2(&server, "POST", &mi("/share"))
        .config(&json!({"viewIds": [], "emailIds": "x", "permissions": {"read": true}}))
        .send()
        .await;
    check_err(&reply, "8516_wrong_type");
    assert!(shares_of_view(&workspace(&server, MI).await, CAMPAIGN_PIVOT).is_empty());
}

#[tokio::test]
async fn row_12_8078_a_required_list_empty_or_a_required_string_blank() {
    let server = TestServer::start().await;
    let cases: Vec<(&str, String, Value)> = vec![
        ("POST", mi("/admins"), json!({"emailIds": []})),
        ("DELETE", mi("/admins"), json!({"emailIds": []})),
        (
            "POST",
            mi("/share"),
            json!({"viewIds": [], "emailIds": ["noah@zylker.com"], "permissions": {"read": true}}),
        ),
        (
            "POST",
            mi("/share"),
            json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": [], "permissions": {"read": true}}),
        ),
        (
            "POST",
            mi("/share"),
            json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": [], "groupIds": [], "permissions": {"read": true}}),
        ),
        (
            "PUT",
            mi(&format!("/views/{LEADS_BY_REGION}/share")),
            json!({"emailIds": []}),
        ),
        (
            "DELETE",
            mi("/share"),
            json!({"emailIds": [], "removeAllViews": true}),
        ),
        ("GET", mi("/share/shareddetails"), json!({"viewIds": []})),
        ("POST", mi("/users"), json!({"emailIds": []})),
        ("POST", mi("/users"), json!({"users": []})),
        ("DELETE", mi("/users"), json!({"emailIds": []})),
        (
            "PUT",
            mi("/users/status"),
            json!({"emailIds": [], "operation": "activate"}),
        ),
        (
            "PUT",
            mi("/users/status"),
            json!({"emailIds": ["noah@zylker.com"], "operation": ""}),
        ),
        ("PUT", mi("/users/role"), json!({"users": []})),
        (
            "POST",
            mi("/groups"),
            json!({"groupName": "   ", "emailIds": ["noah@zylker.com"]}),
        ),
        (
            "POST",
            mi("/groups"),
            json!({"groupName": "EMEA Leads", "emailIds": []}),
        ),
        (
            "PUT",
            mi(&format!("/groups/{REGIONAL_LEADS}")),
            json!({"groupName": ""}),
        ),
        (
            "POST",
            mi(&format!("/groups/{REGIONAL_LEADS}/members")),
            json!({"emailIds": []}),
        ),
        (
            "DELETE",
            mi(&format!("/groups/{REGIONAL_LEADS}/members")),
            json!({"emailIds": []}),
        ),
    ];
    for (method, path, config) in cases {
        let reply = v2(&server, method, &path).config(&config).send().await;
        assert_eq!(
            code(&reply),
            8078,
            "{method} {path} {config}: {}",
            reply.text()
        );
        check_err(&reply, "8078_empty_attribute");
    }
}

#[tokio::test]
async fn row_13_7103_unknown_workspace_on_every_workspace_route() {
    let server = TestServer::start().await;
    let copy = server.admin("POST", "/__admin/orgs", None).await.json();
    let copied_ws = copy["analytics"]["workspaces"][4]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(copied_ws, MI);
    for route in routes().into_iter().filter(|r| r.workspace) {
        for ws in [UNKNOWN_ID, "abc", copied_ws.as_str(), "%20"] {
            let reply = v2(&server, route.method, &route.on_workspace(ws));
            let reply = match &route.config {
                Some(c) => reply.config(c),
                None => reply,
            };
            let reply = reply.send().await;
            check_err(&reply, "7103_workspace_not_found");
        }
    }
}

#[tokio::test]
async fn row_16_7104_unknown_view() {
    let server = TestServer::start().await;
    for view in [UNKNOWN_ID, "abc", "04150868000002200010"] {
        check_err(
            &my_permissions(&server, ADMIN_TOKEN, MI, view).await,
            "7104_view_not_found",
        );
        check_err(
            &v2(
                &server,
                "GET",
                &mi(&format!("/views/{view}/share/userpermissions")),
            )
            .send()
            .await,
            "7104_view_not_found",
        );
        check_err(
            &v2(&server, "PUT", &mi(&format!("/views/{view}/share")))
                .config(&json!({"emailIds": ["liam@zylker.com"]}))
                .send()
                .await,
            "7104_view_not_found",
        );
        for (method, path, config) in [
            (
                "POST",
                mi("/share"),
                json!({"viewIds": [view], "emailIds": ["noah@zylker.com"], "permissions": {"read": true}}),
            ),
            (
                "DELETE",
                mi("/share"),
                json!({"viewIds": [view], "emailIds": ["liam@zylker.com"]}),
            ),
            (
                "GET",
                mi("/share/shareddetails"),
                json!({"viewIds": [view]}),
            ),
        ] {
            let reply = v2(&server, method, &path).config(&config).send().await;
            check_err(&reply, "7104_view_not_found");
        }
    }
}

#[tokio::test]
async fn row_17_7319_a_view_of_another_workspace() {
    let server = TestServer::start().await;
    check_err(
        &my_permissions(&server, ADMIN_TOKEN, MI, SALES_DEALS).await,
        "7319_view_of_another_workspace",
    );
    check_err(
        &v2(&server, "PUT", &mi(&format!("/views/{SALES_DEALS}/share")))
            .config(&json!({"emailIds": ["liam@zylker.com"]}))
            .send()
            .await,
        "7319_view_of_another_workspace",
    );
    for (method, path, config) in [
        (
            "POST",
            mi("/share"),
            json!({"viewIds": [SALES_DEALS], "emailIds": ["noah@zylker.com"], "permissions": {"read": true}}),
        ),
        (
            "DELETE",
            mi("/share"),
            json!({"viewIds": [SALES_DEALS], "emailIds": ["liam@zylker.com"]}),
        ),
        (
            "GET",
            mi("/share/shareddetails"),
            json!({"viewIds": [SALES_DEALS]}),
        ),
        (
            "GET",
            ws_path(SALES_WS, "/share/shareddetails"),
            json!({"viewIds": [LEADS_BY_REGION]}),
        ),
    ] {
        let reply = v2(&server, method, &path).config(&config).send().await;
        check_err(&reply, "7319_view_of_another_workspace");
    }
}

#[tokio::test]
async fn row_18_7338_a_group_that_is_not_of_this_workspace() {
    let server = TestServer::start().await;
    // A group of another workspace.
    let other = v2(&server, "POST", &ws_path(SALES_WS, "/groups"))
        .config(&json!({"groupName": "Sales Leads", "emailIds": ["amelia@zylker.com"]}))
        .send()
        .await;
    assert_eq!(other.status, 200, "{}", other.text());
    let other = other.json()["data"]["groupId"].as_str().unwrap().to_owned();
    for group in [UNKNOWN_ID, "abc", other.as_str(), LEADS_BY_REGION] {
        let g = mi(&format!("/groups/{group}"));
        for (method, path, config) in [
            ("GET", g.clone(), None),
            ("PUT", g.clone(), Some(json!({"groupName": "X"}))),
            ("DELETE", g.clone(), None),
            (
                "POST",
                format!("{g}/members"),
                Some(json!({"emailIds": ["noah@zylker.com"]})),
            ),
            (
                "DELETE",
                format!("{g}/members"),
                Some(json!({"emailIds": ["liam@zylker.com"]})),
            ),
            (
                "POST",
                mi("/share"),
                Some(
                    json!({"viewIds": [CAMPAIGN_PIVOT], "groupIds": [group], "permissions": {"read": true}}),
                ),
            ),
            (
                "PUT",
                mi(&format!("/views/{LEADS_BY_REGION}/share")),
                Some(json!({"groupIds": [group]})),
            ),
            (
                "DELETE",
                mi("/share"),
                Some(json!({"viewIds": [LEADS_BY_REGION], "groupIds": [group]})),
            ),
        ] {
            let call = v2(&server, method, &path);
            let call = match &config {
                Some(c) => call.config(c),
                None => call,
            };
            check_err(&call.send().await, "7338_group_not_in_workspace");
        }
    }
}

#[tokio::test]
async fn row_19_7301_caller_permission_per_route() {
    let server = TestServer::start().await;
    let liam = token_of(&server, "liam").await;
    // A plain user of the workspace may read the workspace, its views and the views it holds
    // read on; every other route needs more (§3).
    for route in routes() {
        let what = format!("{} {}", route.method, route.path);
        let reply = route.call(&server).token(&liam).send().await;
        let allowed = (!route.path.contains(MI) && !route.path.ends_with("/orgadmins"))
            || route.path == mi("")
            || route.path == mi("/views")
            || route.path.ends_with("/share/mypermissions")
            || route.path.ends_with("/share/userpermissions");
        if allowed {
            assert_eq!(reply.status, 200, "{what}: {}", reply.text());
        } else {
            check_err(&reply, "7301_not_permitted_liam");
        }
    }
    // On a view he holds no read on, my permissions is refused too (§7.7).
    check_err(
        &my_permissions(&server, &liam, MI, CAMPAIGN_PIVOT).await,
        "7301_not_permitted_liam",
    );
    assert_eq!(
        workspace(&server, MI).await,
        workspace(&TestServer::start().await, MI).await
    );
}

/// POST share with Patricia's token; `extra` keys replace those of a valid request (Campaign
/// Pivot to Noah, read).
async fn post_share(server: &TestServer, token: &str, extra: Value) -> Reply {
    let mut config = json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"],
                            "permissions": {"read": true}});
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            config.as_object_mut().unwrap().remove(k);
        } else {
            config[k] = v.clone();
        }
    }
    v2(server, "POST", &mi("/share"))
        .token(token)
        .config(&config)
        .send()
        .await
}

#[tokio::test]
async fn row_20_8029_a_malformed_email_on_the_share_routes() {
    let server = TestServer::start().await;
    for bad in ["not-an-email", " not-an-email "] {
        check_err(
            &post_share(
                &server,
                ADMIN_TOKEN,
                json!({"emailIds": ["noah@zylker.com", bad]}),
            )
            .await,
            "8029_invalid_email",
        );
        check_err(
            &v2(
                &server,
                "PUT",
                &mi(&format!("/views/{LEADS_BY_REGION}/share")),
            )
            .config(&json!({"emailIds": [bad]}))
            .send()
            .await,
            "8029_invalid_email",
        );
        check_err(
            &v2(&server, "DELETE", &mi("/share"))
                .config(&json!({"emailIds": [bad], "removeAllViews": true}))
                .send()
                .await,
            "8029_invalid_email",
        );
    }
    // Each malformed shape of analytics-workspace-admins.md §2 (the first offending entry is named).
    for bad in [
        "a@@zylker.com",
        "@zylker.com",
        "a@zylker",
        "a b@zylker.com",
        "a@",
    ] {
        let reply = post_share(
            &server,
            ADMIN_TOKEN,
            json!({"emailIds": [bad, "not-an-email"]}),
        )
        .await;
        assert_eq!(code(&reply), 8029, "{bad}: {}", reply.text());
        assert_eq!(
            reply.json()["data"]["errorMessage"],
            format!("{bad} is not a valid email address."),
        );
    }
}

#[tokio::test]
async fn row_21_8509_a_malformed_email_on_the_admins_users_and_groups_routes() {
    let server = TestServer::start().await;
    let g = mi(&format!("/groups/{REGIONAL_LEADS}"));
    let cases: Vec<(&str, String, Value)> = vec![
        (
            "POST",
            mi("/admins"),
            json!({"emailIds": ["liam@zylker.com", "liam"]}),
        ),
        (
            "DELETE",
            mi("/admins"),
            json!({"emailIds": ["ryan@zylker"]}),
        ),
        (
            "POST",
            mi("/users"),
            json!({"emailIds": ["a b@zylker.com"]}),
        ),
        (
            "POST",
            mi("/users"),
            json!({"users": [{"emailIds": ["x"], "role": "USER"}]}),
        ),
        ("DELETE", mi("/users"), json!({"emailIds": ["@zylker.com"]})),
        (
            "PUT",
            mi("/users/status"),
            json!({"emailIds": ["x@"], "operation": "activate"}),
        ),
        (
            "PUT",
            mi("/users/role"),
            json!({"emailIds": ["x"], "role": "USER"}),
        ),
        (
            "POST",
            mi("/groups"),
            json!({"groupName": "G", "emailIds": ["x"]}),
        ),
        ("POST", format!("{g}/members"), json!({"emailIds": ["x"]})),
        ("DELETE", format!("{g}/members"), json!({"emailIds": ["x"]})),
    ];
    for (method, path, config) in cases {
        let reply = v2(&server, method, &path).config(&config).send().await;
        check_err(&reply, "8509_pattern_not_matched");
    }
}

#[tokio::test]
async fn row_22_8119_an_invalid_value_for_an_attribute() {
    let server = TestServer::start().await;
    for operation in ["Deactivate", "suspend", "ACTIVATE"] {
        let reply = v2(&server, "PUT", &mi("/users/status"))
            .config(&json!({"emailIds": ["noah@zylker.com"], "operation": operation}))
            .send()
            .await;
        check_err(&reply, "8119_invalid_value");
    }
    check_err(
        &v2(&server, "GET", &mi("/views"))
            .config(&json!({"viewTypes": [9]}))
            .send()
            .await,
        "8119_invalid_value",
    );
}

#[tokio::test]
async fn row_23_7550_an_unknown_role() {
    let server = TestServer::start().await;
    for (method, path) in [("POST", mi("/users")), ("PUT", mi("/users/role"))] {
        check_err(
            &v2(&server, method, &path)
                .config(&json!({"emailIds": ["noah@zylker.com"], "role": "ADMIN"}))
                .send()
                .await,
            "7550_role_admin",
        );
        check_err(
            &v2(&server, method, &path)
                .config(
                    &json!({"users": [{"emailIds": ["noah@zylker.com"], "role": "USER"},
                                          {"emailIds": ["liam@zylker.com"], "role": "ADMIN"}]}),
                )
                .send()
                .await,
            "7550_role_admin",
        );
    }
    // Exact case: `workspaceadmin` is no role, and, not being WORKSPACEADMIN as sent, it does not
    // need the callers of step 8: a Workspace Admin gets 7550, not 7301 (§8.2).
    let ryan = token_of(&server, "ryan").await;
    check_err(
        &v2(&server, "POST", &mi("/users"))
            .token(&ryan)
            .config(&json!({"emailIds": ["mia@zylker.com"], "role": "workspaceadmin"}))
            .send()
            .await,
        "7550_role_lower_case",
    );
}

#[tokio::test]
async fn row_24_8026_permissions_absent_or_none_true() {
    let server = TestServer::start().await;
    for permissions in [
        Value::Null,
        json!({}),
        json!({"read": false, "export": "false"}),
        json!({"nothing": true}),
    ] {
        check_err(
            &post_share(&server, ADMIN_TOKEN, json!({"permissions": permissions})).await,
            "8026_permissions_missing",
        );
    }
    // On PUT a present permissions object follows the rule; an absent one leaves the set.
    check_err(
        &v2(
            &server,
            "PUT",
            &mi(&format!("/views/{LEADS_BY_REGION}/share")),
        )
        .config(&json!({"emailIds": ["liam@zylker.com"], "permissions": {}}))
        .send()
        .await,
        "8026_permissions_missing",
    );
}

#[tokio::test]
async fn row_25_8074_read_must_be_true() {
    let server = TestServer::start().await;
    for permissions in [
        json!({"export": true}),
        json!({"read": false, "export": true}),
        json!({"read": "false", "vud": "true"}),
    ] {
        check_err(
            &post_share(&server, ADMIN_TOKEN, json!({"permissions": permissions})).await,
            "8074_read_not_true",
        );
    }
    check_err(
        &v2(
            &server,
            "PUT",
            &mi(&format!("/views/{LEADS_BY_REGION}/share")),
        )
        .config(&json!({"emailIds": ["liam@zylker.com"], "permissions": {"export": true}}))
        .send()
        .await,
        "8074_read_not_true",
    );
}

#[tokio::test]
async fn row_26_7541_criteria_with_more_than_one_view() {
    let server = TestServer::start().await;
    check_err(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"viewIds": [CAMPAIGN_PIVOT, MARKETING_OVERVIEW], "criteria": "\"Campaign Leads\".\"Region\"='East'"}),
        )
        .await,
        "7541_criteria_multi_view",
    );
    // Duplicates collapse first: the same view twice is one view.
    check_204(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"viewIds": [CAMPAIGN_PIVOT, CAMPAIGN_PIVOT], "criteria": "x"}),
        )
        .await,
    );
}

#[tokio::test]
async fn row_27_7543_columns_with_more_than_one_view() {
    let server = TestServer::start().await;
    let columns = json!([{"tableName": "Campaign Leads", "columnNames": ["Region"]}]);
    for key in ["columns", "vudColumns", "drillColumns"] {
        let mut extra = json!({"viewIds": [CAMPAIGN_PIVOT, MARKETING_OVERVIEW]});
        extra[key] = columns.clone();
        check_err(
            &post_share(&server, ADMIN_TOKEN, extra).await,
            "7543_columns_multi_view",
        );
    }
}

#[tokio::test]
async fn row_28_8060_a_domain_name() {
    let server = TestServer::start().await;
    let g = mi(&format!("/groups/{REGIONAL_LEADS}"));
    let cases: Vec<(&str, String, Value)> = vec![
        (
            "POST",
            mi("/admins"),
            json!({"emailIds": ["liam@zylker.com"], "domainName": "reports.zylker.com"}),
        ),
        (
            "DELETE",
            mi("/admins"),
            json!({"emailIds": ["ryan@zylker.com"], "domainName": "x"}),
        ),
        (
            "POST",
            mi("/share"),
            json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"], "permissions": {"read": true}, "domainName": "x"}),
        ),
        (
            "PUT",
            mi(&format!("/views/{LEADS_BY_REGION}/share")),
            json!({"emailIds": ["liam@zylker.com"], "domainName": "x"}),
        ),
        (
            "DELETE",
            mi("/share"),
            json!({"emailIds": ["liam@zylker.com"], "removeAllViews": true, "domainName": "x"}),
        ),
        (
            "POST",
            mi("/users"),
            json!({"emailIds": ["mia@zylker.com"], "domainName": "x"}),
        ),
        (
            "PUT",
            mi("/users/status"),
            json!({"emailIds": ["noah@zylker.com"], "operation": "activate", "domainName": "x"}),
        ),
        (
            "POST",
            mi("/groups"),
            json!({"groupName": "G", "emailIds": ["noah@zylker.com"], "domainName": "x"}),
        ),
        (
            "POST",
            format!("{g}/members"),
            json!({"emailIds": ["noah@zylker.com"], "domainName": "x"}),
        ),
        (
            "DELETE",
            format!("{g}/members"),
            json!({"emailIds": ["liam@zylker.com"], "domainName": "x"}),
        ),
    ];
    for (method, path, config) in cases {
        check_err(
            &v2(&server, method, &path).config(&config).send().await,
            "8060_domain_not_exist",
        );
    }
    // An empty string counts as absent (§2).
    check_204(
        &v2(&server, "POST", &mi("/admins"))
            .config(&json!({"emailIds": ["liam@zylker.com"], "domainName": ""}))
            .send()
            .await,
    );
}

#[tokio::test]
async fn row_29_7535_not_a_user_of_the_org() {
    let server = TestServer::start().await;
    let g = mi(&format!("/groups/{REGIONAL_LEADS}"));
    let cases: Vec<(&str, String, Value)> = vec![
        (
            "POST",
            mi("/share"),
            json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com", "nobody@zylker.com"], "permissions": {"read": true}}),
        ),
        (
            "POST",
            mi("/admins"),
            json!({"emailIds": ["nobody@zylker.com"]}),
        ),
        (
            "POST",
            mi("/users"),
            json!({"emailIds": ["nobody@zylker.com"]}),
        ),
        (
            "POST",
            mi("/groups"),
            json!({"groupName": "G", "emailIds": ["nobody@zylker.com"]}),
        ),
        (
            "POST",
            format!("{g}/members"),
            json!({"emailIds": ["nobody@zylker.com"]}),
        ),
    ];
    for (method, path, config) in cases {
        check_err(
            &v2(&server, method, &path).config(&config).send().await,
            "7535_not_org_user",
        );
    }
    let ws = workspace(&server, MI).await;
    assert!(
        shares_of_view(&ws, CAMPAIGN_PIVOT).is_empty(),
        "the whole batch failed"
    );
}

#[tokio::test]
async fn row_30_6028_the_user_is_not_active() {
    let server = TestServer::start().await;
    for (method, path, config) in [
        (
            "POST",
            mi("/share"),
            json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["derek@zylker.com"], "permissions": {"read": true}}),
        ),
        (
            "POST",
            mi("/admins"),
            json!({"emailIds": ["derek@zylker.com"]}),
        ),
        (
            "POST",
            mi("/users"),
            json!({"emailIds": ["derek@zylker.com"]}),
        ),
    ] {
        check_err(
            &v2(&server, method, &path).config(&config).send().await,
            "6028_user_inactive",
        );
    }
}

#[tokio::test]
async fn row_31_7307_sharing_with_yourself() {
    let server = TestServer::start().await;
    let ryan = token_of(&server, "ryan").await;
    check_err(
        &post_share(&server, &ryan, json!({"emailIds": ["RYAN@zylker.com"]})).await,
        "7307_share_with_yourself",
    );
    // The workspace owner sharing with herself: rule 1 (7307) comes before rule 2 (7323).
    check_err(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"emailIds": ["patricia@zylker.com"]}),
        )
        .await,
        "7307_share_with_yourself",
    );
}

#[tokio::test]
async fn row_32_7545_a_viewer_given_share_and_a_write_key() {
    let server = TestServer::start().await;
    for write in [
        "addRow",
        "updateRow",
        "deleteRow",
        "deleteAllRows",
        "importAppend",
        "importAddOrUpdate",
        "importDeleteAllAdd",
        "importDeleteUpdateAdd",
    ] {
        let mut permissions = json!({"read": true, "share": true});
        permissions[write] = json!(true);
        check_err(
            &post_share(
                &server,
                ADMIN_TOKEN,
                json!({"emailIds": ["ava@zylker.com"], "permissions": permissions}),
            )
            .await,
            "7545_read_only_user",
        );
    }
    // Share alone, or write alone, is allowed for a Viewer (the write key is capped, §1.4).
    check_204(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"emailIds": ["ava@zylker.com"], "permissions": {"read": true, "share": true}}),
        )
        .await,
    );
    check_204(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"viewIds": [MARKETING_OVERVIEW], "emailIds": ["ava@zylker.com"], "permissions": {"read": true, "addRow": true}}),
        )
        .await,
    );
    // PUT: the resulting set decides (§7.4).
    let put = |permissions: Value| {
        let server = &server;
        async move {
            v2(
                server,
                "PUT",
                &mi(&format!("/views/{CAMPAIGN_LEADS}/share")),
            )
            .config(&json!({"emailIds": ["ava@zylker.com"], "permissions": permissions}))
            .send()
            .await
        }
    };
    check_err(
        &put(json!({"read": true, "share": true, "addRow": true})).await,
        "7545_read_only_user",
    );
    check_204(&put(json!({"read": true, "share": true})).await);
}

#[tokio::test]
async fn row_33_7323_the_views_or_the_workspaces_owner() {
    let server = TestServer::start().await;
    check_err(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"viewIds": [LEAD_NOTES], "emailIds": ["liam@zylker.com"]}),
        )
        .await,
        "7323_view_owner",
    );
    let ryan = token_of(&server, "ryan").await;
    check_err(
        &post_share(
            &server,
            &ryan,
            json!({"emailIds": ["noah@zylker.com", "patricia@zylker.com"]}),
        )
        .await,
        "7323_workspace_owner",
    );
    assert!(shares_of_view(&workspace(&server, MI).await, CAMPAIGN_PIVOT).is_empty());
}

#[tokio::test]
async fn row_34_7321_already_shared_with_that_user() {
    let server = TestServer::start().await;
    check_204(&post_share(&server, ADMIN_TOKEN, json!({})).await);
    check_err(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"permissions": {"read": true, "export": true}}),
        )
        .await,
        "7321_already_shared",
    );
    // Re-sharing is not an update: the stored set is unchanged.
    assert_eq!(
        shares_of_view(&workspace(&server, MI).await, CAMPAIGN_PIVOT),
        vec![("noah@zylker.com".to_owned(), vec!["read".to_owned()])]
    );
    // Emails compare ignoring case; the message names the entry as sent (spec §11.1: `{email}`
    // is the offending entry as sent, trimmed).
    let reply = post_share(
        &server,
        ADMIN_TOKEN,
        json!({"emailIds": ["Noah@Zylker.com"]}),
    )
    .await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"status": "failure", "summary": "VIEW_ALREADY_SHARED", "data": {"errorCode": 7321,
               "errorMessage": "The view Campaign Pivot is already shared with Noah@Zylker.com."}})
    );
}

#[tokio::test]
async fn row_35_7322_already_shared_with_that_group() {
    let server = TestServer::start().await;
    check_err(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"viewIds": [LEADS_BY_REGION], "emailIds": null, "groupIds": [REGIONAL_LEADS]}),
        )
        .await,
        "7322_already_shared_group",
    );
    // Group ids may be JSON integers (§2).
    check_err(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"viewIds": [LEADS_BY_REGION], "emailIds": [], "groupIds": [4150868000002300001_u64]}),
        )
        .await,
        "7322_already_shared_group",
    );
}

#[tokio::test]
async fn row_36_8032_the_view_is_not_shared_with_that_user() {
    let server = TestServer::start().await;
    check_err(
        &v2(
            &server,
            "PUT",
            &mi(&format!("/views/{LEADS_BY_REGION}/share")),
        )
        .config(&json!({"emailIds": ["noah@zylker.com"]}))
        .send()
        .await,
        "8032_not_shared",
    );
    check_err(
        &v2(&server, "DELETE", &mi("/share"))
            .config(&json!({"viewIds": [LEADS_BY_REGION], "emailIds": ["liam@zylker.com", "noah@zylker.com"]}))
            .send()
            .await,
        "8032_not_shared",
    );
    // View by view in viewIds order.
    check_err(
        &v2(&server, "DELETE", &mi("/share"))
            .config(&json!({"viewIds": [CAMPAIGN_PIVOT, LEADS_BY_REGION], "emailIds": ["liam@zylker.com"]}))
            .send()
            .await,
        "8032_not_shared_campaign_pivot_liam",
    );
    // Nothing was removed.
    check(
        &get(&server, &mi("/share")).await,
        "examples/12_3_share_info.json",
    );
}

#[tokio::test]
async fn row_37_8150_the_view_is_not_shared_with_that_group() {
    let server = TestServer::start().await;
    check_err(
        &v2(
            &server,
            "PUT",
            &mi(&format!("/views/{CAMPAIGN_PIVOT}/share")),
        )
        .config(&json!({"groupIds": [REGIONAL_LEADS]}))
        .send()
        .await,
        "8150_not_shared_group",
    );
    check_err(
        &v2(&server, "DELETE", &mi("/share"))
            .config(&json!({"viewIds": [CAMPAIGN_PIVOT], "groupIds": [REGIONAL_LEADS]}))
            .send()
            .await,
        "8150_not_shared_group",
    );
    // Emails before groups, for each view.
    check_err(
        &v2(&server, "DELETE", &mi("/share"))
            .config(&json!({"viewIds": [LEADS_BY_REGION], "emailIds": ["noah@zylker.com"], "groupIds": [REGIONAL_LEADS]}))
            .send()
            .await,
        "8032_not_shared",
    );
}

#[tokio::test]
async fn row_38_8040_not_a_workspace_admin() {
    let server = TestServer::start().await;
    check_err(
        &v2(&server, "DELETE", &mi("/admins"))
            .config(&json!({"emailIds": ["ryan@zylker.com", "liam@zylker.com"]}))
            .send()
            .await,
        "8040_not_workspace_admin",
    );
    check_err(
        &v2(&server, "DELETE", &mi("/admins"))
            .config(&json!({"emailIds": ["patricia@zylker.com"]}))
            .send()
            .await,
        "8040_owner_not_workspace_admin",
    );
    check(
        &get(&server, &mi("/admins")).await,
        "admins/admins_marketing.json",
    );
}

#[tokio::test]
async fn row_39_7390_a_viewer_cannot_be_a_workspace_admin() {
    let server = TestServer::start().await;
    for (method, path, config) in [
        (
            "POST",
            mi("/admins"),
            json!({"emailIds": ["ava@zylker.com"]}),
        ),
        (
            "POST",
            mi("/users"),
            json!({"emailIds": ["ava@zylker.com"], "role": "WORKSPACEADMIN"}),
        ),
        (
            "POST",
            mi("/users"),
            json!({"users": [{"emailIds": ["liam@zylker.com"], "role": "WORKSPACEADMIN"},
                                                {"emailIds": ["ava@zylker.com"], "role": "WORKSPACEADMIN"}]}),
        ),
        (
            "PUT",
            mi("/users/role"),
            json!({"emailIds": ["ava@zylker.com"], "role": "WORKSPACEADMIN"}),
        ),
    ] {
        check_err(
            &v2(&server, method, &path).config(&config).send().await,
            "7390_viewer_not_admin",
        );
    }
    check(
        &get(&server, &mi("/admins")).await,
        "admins/admins_marketing.json",
    );
}

#[tokio::test]
async fn row_40_8114_not_a_user_of_the_workspace() {
    let server = TestServer::start().await;
    let g = mi(&format!("/groups/{REGIONAL_LEADS}"));
    let cases: Vec<(&str, String, Value)> = vec![
        (
            "POST",
            mi("/admins"),
            json!({"emailIds": ["noah@zylker.com", "mia@zylker.com"]}),
        ),
        (
            "DELETE",
            mi("/users"),
            json!({"emailIds": ["mia@zylker.com"]}),
        ),
        (
            "PUT",
            mi("/users/status"),
            json!({"emailIds": ["mia@zylker.com"], "operation": "deactivate"}),
        ),
        (
            "PUT",
            mi("/users/role"),
            json!({"emailIds": ["mia@zylker.com"], "role": "USER"}),
        ),
        (
            "POST",
            mi("/groups"),
            json!({"groupName": "G", "emailIds": ["noah@zylker.com", "mia@zylker.com"]}),
        ),
        (
            "POST",
            format!("{g}/members"),
            json!({"emailIds": ["mia@zylker.com"]}),
        ),
    ];
    for (method, path, config) in cases {
        check_err(
            &v2(&server, method, &path).config(&config).send().await,
            "8114_not_in_workspace",
        );
    }
    // The whole batch failed: Noah was not promoted, no group was created.
    check(
        &get(&server, &mi("/admins")).await,
        "admins/admins_marketing.json",
    );
    check(
        &get(&server, &mi("/groups")).await,
        "groups/groups_marketing.json",
    );
}

#[tokio::test]
async fn row_41_7282_the_group_name_is_taken() {
    let server = TestServer::start().await;
    for name in ["Regional Leads", "regional LEADS", "  Regional Leads  "] {
        check_err(
            &v2(&server, "POST", &mi("/groups"))
                .config(&json!({"groupName": name, "emailIds": ["noah@zylker.com"]}))
                .send()
                .await,
            "7282_group_name_exists",
        );
    }
    let created = v2(&server, "POST", &mi("/groups"))
        .config(&json!({"groupName": "EMEA Leads", "emailIds": ["noah@zylker.com"]}))
        .send()
        .await;
    let id = created.json()["data"]["groupId"]
        .as_str()
        .unwrap()
        .to_owned();
    check_err(
        &v2(&server, "PUT", &mi(&format!("/groups/{id}")))
            .config(&json!({"groupName": "REGIONAL leads"}))
            .send()
            .await,
        "7282_group_name_exists",
    );
    // The same name in another workspace is fine.
    let other = v2(&server, "POST", &ws_path(SALES_WS, "/groups"))
        .config(&json!({"groupName": "Regional Leads", "emailIds": ["amelia@zylker.com"]}))
        .send()
        .await;
    assert_eq!(other.status, 200, "{}", other.text());
}

async fn add_fault(server: &TestServer, fault: Value) {
    let reply = server.admin("POST", "/__admin/faults", Some(fault)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
}

#[tokio::test]
async fn row_42_7005_a_fault_without_a_code() {
    let server = TestServer::start().await;
    add_fault(
        &server,
        json!({"method": "GET", "path": "/restapi/v2/orgs", "status": 500}),
    )
    .await;
    check_err(
        &v2(&server, "GET", "/restapi/v2/orgs").send().await,
        "7005_internal_error",
    );
    // Before step 1: even without a token.
    check_err(
        &v2(&server, "GET", "/restapi/v2/orgs")
            .no_token()
            .send()
            .await,
        "7005_internal_error",
    );
}

#[tokio::test]
async fn row_43_6045_a_rate_limit_fault() {
    let server = TestServer::start().await;
    add_fault(
        &server,
        json!({"method": "POST", "path": "/restapi/v2/workspaces/*/share", "status": 429, "code": 6045}),
    )
    .await;
    check_err(
        &post_share(&server, ADMIN_TOKEN, json!({})).await,
        "6045_rate_limit",
    );
    assert!(shares_of_view(&workspace(&server, MI).await, CAMPAIGN_PIVOT).is_empty());
    // Another method on the same path is not faulted.
    check(
        &get(&server, &mi("/share")).await,
        "examples/12_3_share_info.json",
    );
}

#[tokio::test]
async fn faults_on_v2_paths_answer_in_the_v2_envelope() {
    let server = TestServer::start().await;
    // A digit string code, a code §11.1 does not list, a custom message, a route miss, an alias.
    add_fault(
        &server,
        json!({"method": "GET", "path": "/restapi/v2/orgadmins", "status": 403, "code": "7301"}),
    )
    .await;
    check_err(
        &get(&server, "/restapi/v2/orgadmins").await,
        "fault_7301_placeholders",
    );
    add_fault(
        &server,
        json!({"method": "*", "path": "/restapi/v2/nothing/here", "status": 503, "code": 9999}),
    )
    .await;
    check_err(
        &get(&server, "/restapi/v2/nothing/here").await,
        "fault_unknown_code",
    );
    add_fault(&server, json!({"method": "GET", "path": "/workspaces/*/groups", "status": 500, "message": "Scheduled maintenance", "times": 1})).await;
    check_err(
        &get(&server, &format!("/workspaces/{MI}/groups")).await,
        "fault_custom_message",
    );
    // `times` ran out: the alias answers normally again.
    check(
        &get(&server, &format!("/workspaces/{MI}/groups")).await,
        "groups/groups_marketing.json",
    );
    // A fault without a status only delays.
    add_fault(
        &server,
        json!({"method": "GET", "path": "/restapi/v2/workspaces", "delay_ms": 50}),
    )
    .await;
    let started = std::time::Instant::now();
    check(
        &get(&server, "/restapi/v2/workspaces").await,
        "examples/12_2_workspaces.json",
    );
    assert!(started.elapsed().as_millis() >= 50);
    // A fault limited to another org does not match.
    add_fault(
        &server,
        json!({"method": "GET", "path": "/restapi/v2/workspaces/*", "org": "org-9", "status": 500}),
    )
    .await;
    check(
        &v2(&server, "GET", &mi("")).send().await,
        "discovery/workspace_details.json",
    );
}

// =============================================================================================
// §4 Processing order: each pair pins which of two competing errors answers.

#[tokio::test]
async fn processing_order_steps_1_to_5() {
    let server = TestServer::start().await;
    // 1 before 3: a route miss without a token.
    check(
        &v2(&server, "GET", "/restapi/v2/nope")
            .no_token()
            .send()
            .await,
        "route_miss.json",
    );
    // 2 before 3.
    check_405(
        &v2(&server, "PATCH", &mi("/share")).no_token().send().await,
        &["GET", "POST", "DELETE"],
        "PATCH without a token",
    );
    // 3 before 4 and 5 and 6.
    check_err(
        &v2(&server, "POST", &mi("/share"))
            .no_token()
            .no_org()
            .send()
            .await,
        "8535_invalid_oauthtoken",
    );
    // 4 before 5.
    let metadata = mint(
        &server,
        "zylker",
        user_id("patricia"),
        &["ZohoAnalytics.metadata.read"],
    )
    .await;
    check_err(
        &v2(&server, "POST", &mi("/share"))
            .token(&metadata)
            .no_org()
            .send()
            .await,
        "8535_invalid_oauthtoken",
    );
    // 5 before 6 (CONFIG) and 7 (ids).
    check_err(
        &v2(&server, "POST", &ws_path(UNKNOWN_ID, "/share"))
            .no_org()
            .raw_query("CONFIG=x")
            .send()
            .await,
        "8083_orgid_not_present",
    );
}

#[tokio::test]
async fn processing_order_step_6_and_its_sub_steps() {
    let server = TestServer::start().await;
    let post = |raw: String| {
        let server = &server;
        async move {
            v2(server, "POST", &mi("/share"))
                .raw_query(&raw)
                .send()
                .await
        }
    };
    // A value this long travels in the body: a URI is limited to 64 KiB on both sides.
    let in_body = |raw: String| {
        let server = &server;
        async move {
            v2(server, "POST", &mi("/share"))
                .body(Some("application/x-www-form-urlencoded"), raw.into_bytes())
                .send()
                .await
        }
    };
    let big = format!("CONFIG={}", "x".repeat(100_001));
    // (a) before (b).
    check_err(
        &in_body(format!("{big}&{big}")).await,
        "8506_config_repeated",
    );
    // (b) before (e): too long and not JSON.
    check_err(&in_body(big.clone()).await, "8507_config_too_long");
    // (d) before (e): blank is empty, not invalid JSON.
    check_err(&post("CONFIG=++".to_owned()).await, "8077_config_empty");
    // (e) before (f).
    check_err(
        &post("CONFIG=%5B%5D".to_owned()).await,
        "8080_config_invalid",
    );
    // (f) before (g), in the endpoint's key order: viewIds is named first.
    check_err(
        &post(config_pair(&json!({"viewIds": 5, "emailIds": 5}))).await,
        "8516_wrong_type",
    );
    check_err(
        &post(config_pair(&json!({"emailIds": 5}))).await,
        "8079_attribute_missing",
    );
    // (g) before the mode rules, the mode rules before (h).
    let delete = |config: Value| {
        let server = &server;
        async move {
            v2(server, "DELETE", &mi("/share"))
                .config(&config)
                .send()
                .await
        }
    };
    check_err(
        &delete(json!({"emailIds": [], "removeAllViews": "yes"})).await,
        "8516_wrong_type",
    );
    check_err(
        &delete(json!({"emailIds": [], "viewIds": [LEADS_BY_REGION], "removeAllViews": true}))
            .await,
        "8105_removeshare_both",
    );
    check_err(
        &delete(json!({"emailIds": []})).await,
        "8031_removeshare_params",
    );
    // (h) before (i): an empty required list is reported before another list's length.
    let views: Vec<String> = (0..1001).map(|i| format!("41508680000022{i:05}")).collect();
    check_err(
        &v2(&server, "POST", &mi("/share"))
            .form_config(&json!({"viewIds": views, "emailIds": [], "permissions": {"read": true}}))
            .send()
            .await,
        "8078_empty_attribute",
    );
    // 6 before 7: a CONFIG problem on an unknown workspace.
    check_err(
        &v2(&server, "POST", &ws_path(UNKNOWN_ID, "/share"))
            .send()
            .await,
        "8504_config_missing",
    );
    // (i) before 7: 1001 unknown view ids are too many before any is looked up.
    check_err(
        &v2(&server, "POST", &mi("/share"))
            .form_config(&json!({"viewIds": views, "emailIds": ["noah@zylker.com"], "permissions": {"read": true}}))
            .send()
            .await,
        "8080_config_invalid",
    );
}

#[tokio::test]
async fn processing_order_step_7_ids() {
    let server = TestServer::start().await;
    // (a) before (b).
    check_err(
        &v2(&server, "GET", &ws_path(UNKNOWN_ID, "/share"))
            .org(CRM_ORG_ID)
            .send()
            .await,
        "7103_workspace_not_found",
    );
    // (b) before (c).
    check_err(
        &v2(
            &server,
            "GET",
            &mi(&format!("/views/{UNKNOWN_ID}/share/mypermissions")),
        )
        .org(CRM_ORG_ID)
        .send()
        .await,
        "7387_orgid_mismatch",
    );
    // (c) before (f): the path view before the groupIds.
    check_err(
        &v2(&server, "PUT", &mi(&format!("/views/{UNKNOWN_ID}/share")))
            .config(&json!({"groupIds": [UNKNOWN_ID]}))
            .send()
            .await,
        "7104_view_not_found",
    );
    // (e) in list order.
    let share = |views: Value| json!({"viewIds": views, "emailIds": ["noah@zylker.com"], "permissions": {"read": true}});
    check_err(
        &v2(&server, "POST", &mi("/share"))
            .config(&share(json!([UNKNOWN_ID, SALES_DEALS])))
            .send()
            .await,
        "7104_view_not_found",
    );
    check_err(
        &v2(&server, "POST", &mi("/share"))
            .config(&share(json!([SALES_DEALS, UNKNOWN_ID])))
            .send()
            .await,
        "7319_view_of_another_workspace",
    );
    // (e) before (f).
    check_err(
        &v2(&server, "POST", &mi("/share"))
            .config(&json!({"viewIds": [CAMPAIGN_PIVOT, UNKNOWN_ID], "groupIds": [UNKNOWN_ID], "permissions": {"read": true}}))
            .send()
            .await,
        "7104_view_not_found",
    );
    // (d) before the body: an unknown path group with a bad member list.
    check_err(
        &v2(
            &server,
            "POST",
            &mi(&format!("/groups/{UNKNOWN_ID}/members")),
        )
        .config(&json!({"emailIds": ["x"]}))
        .send()
        .await,
        "7338_group_not_in_workspace",
    );
    // 7 before 8: Liam is refused only once the ids are known.
    let liam = token_of(&server, "liam").await;
    check_err(
        &v2(&server, "POST", &mi("/share"))
            .token(&liam)
            .config(&share(json!([UNKNOWN_ID])))
            .send()
            .await,
        "7104_view_not_found",
    );
    check_err(
        &v2(&server, "GET", &ws_path(SALES_WS, "/share"))
            .token(&liam)
            .org(CRM_ORG_ID)
            .send()
            .await,
        "7387_orgid_mismatch",
    );
}

#[tokio::test]
async fn processing_order_steps_8_to_10() {
    let server = TestServer::start().await;
    let liam = token_of(&server, "liam").await;
    // 8 before 9 and 10.
    check_err(
        &post_share(
            &server,
            &liam,
            json!({"emailIds": ["not-an-email"], "permissions": {}}),
        )
        .await,
        "7301_not_permitted_liam",
    );
    check_err(
        &v2(&server, "POST", &mi("/admins"))
            .token(&liam)
            .config(&json!({"emailIds": ["x"]}))
            .send()
            .await,
        "7301_not_permitted_liam",
    );
    // Step 9 in the order of §7.3: 8029, 8026, 8074, 7541, 7543, 8060.
    let two = json!([CAMPAIGN_PIVOT, MARKETING_OVERVIEW]);
    let cols = json!([{"tableName": "T", "columnNames": ["c"]}]);
    for (extra, golden) in [
        (
            json!({"emailIds": ["not-an-email"], "permissions": {}}),
            "8029_invalid_email",
        ),
        (
            json!({"permissions": {}, "viewIds": two, "criteria": "x", "domainName": "d"}),
            "8026_permissions_missing",
        ),
        (
            json!({"permissions": {"export": true}, "viewIds": two, "criteria": "x"}),
            "8074_read_not_true",
        ),
        (
            json!({"viewIds": two, "criteria": "x", "columns": cols, "domainName": "d"}),
            "7541_criteria_multi_view",
        ),
        (
            json!({"viewIds": two, "vudColumns": cols, "domainName": "d"}),
            "7543_columns_multi_view",
        ),
        (
            json!({"domainName": "d", "emailIds": ["nobody@zylker.com"]}),
            "8060_domain_not_exist",
        ),
    ] {
        check_err(&post_share(&server, ADMIN_TOKEN, extra).await, golden);
    }
    // PUT: 8029, 8026, 8074, 8060.
    let put = |config: Value| {
        let server = &server;
        async move {
            v2(
                server,
                "PUT",
                &mi(&format!("/views/{LEADS_BY_REGION}/share")),
            )
            .config(&config)
            .send()
            .await
        }
    };
    check_err(
        &put(json!({"emailIds": ["not-an-email"], "permissions": {}})).await,
        "8029_invalid_email",
    );
    check_err(
        &put(json!({"emailIds": ["liam@zylker.com"], "permissions": {}, "domainName": "d"})).await,
        "8026_permissions_missing",
    );
    check_err(&put(json!({"emailIds": ["liam@zylker.com"], "permissions": {"vud": true}, "domainName": "d"})).await, "8074_read_not_true");
    check_err(
        &put(json!({"emailIds": ["noah@zylker.com"], "domainName": "d"})).await,
        "8060_domain_not_exist",
    );
    // 9 before 10: a value rule wins over a state rule.
    check_err(
        &post_share(&server, ADMIN_TOKEN, json!({"viewIds": [LEADS_BY_REGION], "emailIds": ["liam@zylker.com"], "domainName": "d"})).await,
        "8060_domain_not_exist",
    );
    // Step 10, rule 1 for every email before rule 2: the first email's 7321 loses to the second
    // email's 7535.
    check_err(
        &post_share(&server, ADMIN_TOKEN, json!({"viewIds": [LEADS_BY_REGION], "emailIds": ["liam@zylker.com", "nobody@zylker.com"]})).await,
        "7535_not_org_user",
    );
    // Rule 1 per email in list order: 6028 (derek) before 7535 (nobody).
    check_err(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"emailIds": ["derek@zylker.com", "nobody@zylker.com"]}),
        )
        .await,
        "6028_user_inactive",
    );
    // Rule 2, users before groups: 7321 (Liam) before 7322 (the group) on Leads by Region.
    check_err(
        &post_share(&server, ADMIN_TOKEN, json!({"viewIds": [LEADS_BY_REGION], "emailIds": ["noah@zylker.com", "liam@zylker.com"], "groupIds": [REGIONAL_LEADS]})).await,
        "7321_already_shared_liam",
    );
    // Rule 2, view by view: Lead Notes (7323 for Liam) comes before Leads by Region (7321).
    check_err(
        &post_share(
            &server,
            ADMIN_TOKEN,
            json!({"viewIds": [LEAD_NOTES, LEADS_BY_REGION], "emailIds": ["liam@zylker.com"]}),
        )
        .await,
        "7323_view_owner",
    );
    check(
        &get(&server, &mi("/share")).await,
        "examples/12_3_share_info.json",
    );
}

// =============================================================================================
// §2 Wire conventions: where CONFIG may be and how it is decoded.

#[tokio::test]
async fn config_in_the_query_an_urlencoded_body_or_a_multipart_body() {
    let server = TestServer::start().await;
    let config = json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"],
                        "permissions": {"read": "true", "export": "true"}});
    // Zoho's docs: an urlencoded body.
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .form_config(&config)
            .send()
            .await,
    );
    let details = || {
        v2(&server, "GET", &mi("/share/shareddetails"))
            .config(&json!({"viewIds": [CAMPAIGN_PIVOT]}))
            .send()
    };
    check(&details().await, "sharing/shared_details_after_post.json");
    check_204(
        &v2(&server, "DELETE", &mi("/share"))
            .form_config(&json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"]}))
            .send()
            .await,
    );
    // A multipart body.
    let text = py_dumps(&config);
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .multipart(&[("CONFIG", text.as_str())])
            .send()
            .await,
    );
    check(&details().await, "sharing/shared_details_after_post.json");
    // A body whose Content-Type says JSON is still read as urlencoded.
    check_204(
        &v2(&server, "DELETE", &mi("/share"))
            .body(
                Some("application/json"),
                config_pair(&json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"]}))
                    .into_bytes(),
            )
            .send()
            .await,
    );
    // Compact JSON with %20 for spaces, ids as JSON integers, a leading empty pair and an
    // unknown parameter.
    let compact = format!(
        "CONFIG={}",
        percent_encode_all(&format!(
            r#"{{"viewIds": [{CAMPAIGN_PIVOT}], "emailIds":["noah@zylker.com"],"permissions":{{"read":true,"export":true}}}}"#
        ))
    );
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .raw_query("")
            .raw_query(&compact)
            .raw_query("ZOHO_ACTION=SHARE")
            .send()
            .await,
    );
    check(&details().await, "sharing/shared_details_after_post.json");
}

/// Percent-encodes every byte that is not alphanumeric, spaces as `%20`.
fn percent_encode_all(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn config_decoding_plus_is_a_space_and_non_ascii_arrives_escaped() {
    let server = TestServer::start().await;
    // A raw `+` is a space; an encoded `+` (`%2B`) is a plus.
    let reply = v2(&server, "POST", &mi("/groups"))
        .raw_query("CONFIG=%7B%22groupName%22%3A%22EMEA+Leads%22%2C%22groupDesc%22%3A%22A%2BB%22%2C%22emailIds%22%3A%5B%22noah%40zylker.com%22%5D%7D")
        .send()
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let id = reply.json()["data"]["groupId"].as_str().unwrap().to_owned();
    let group = get(&server, &mi(&format!("/groups/{id}"))).await.json();
    assert_eq!(group["data"]["groups"]["groupName"], "EMEA Leads");
    assert_eq!(group["data"]["groups"]["groupDesc"], "A+B");
    // json.dumps writes non-ASCII as \u escapes; the answer writes the characters.
    let reply = v2(&server, "PUT", &mi(&format!("/groups/{id}")))
        .config(&json!({"groupName": "Régional Café ✓", "groupDesc": "naïve"}))
        .send()
        .await;
    check_204(&reply);
    let group = get(&server, &mi(&format!("/groups/{id}"))).await;
    assert_eq!(
        group.json()["data"]["groups"]["groupName"],
        "Régional Café ✓"
    );
    assert_eq!(group.json()["data"]["groups"]["groupDesc"], "naïve");
    // Emails are trimmed, duplicates ignoring case collapse, and the user's spelling is stored.
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .config(
                &json!({"viewIds": [CAMPAIGN_PIVOT, 4150868000002200011_u64],
                            "emailIds": ["  MIA@zylker.com ", "mia@ZYLKER.com"],
                            "permissions": {"read": true}}),
            )
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        shares_of_view(&ws, CAMPAIGN_PIVOT),
        vec![("mia@zylker.com".to_owned(), vec!["read".to_owned()])]
    );
    assert_eq!(strings(&ws["users"]).last().unwrap(), "mia@zylker.com");
    // Unknown keys are ignored, and so are unknown permission keys.
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .config(
                &json!({"viewIds": [MARKETING_OVERVIEW], "emailIds": ["mia@zylker.com"],
                            "permissions": {"read": true, "fly": true}, "surprise": [1, 2]}),
            )
            .send()
            .await,
    );
    assert_eq!(
        shares_of_view(&workspace(&server, MI).await, MARKETING_OVERVIEW)[1],
        ("mia@zylker.com".to_owned(), vec!["read".to_owned()])
    );
}

#[tokio::test]
async fn empty_lists_and_objects_are_always_present() {
    let server = TestServer::start().await;
    check(
        &get(&server, &ws_path(SUPPORT_WS, "/share")).await,
        "sharing/share_info_empty.json",
    );
    check(
        &get(&server, &ws_path(SUPPORT_WS, "/admins")).await,
        "admins/admins_none.json",
    );
    check(
        &get(&server, &ws_path(SUPPORT_WS, "/groups")).await,
        "groups/groups_none.json",
    );
}

// =============================================================================================
// §6 Workspace admins.

#[tokio::test]
async fn workspace_admins_get_add_and_remove() {
    let server = TestServer::start().await;
    check(
        &get(&server, &mi("/admins")).await,
        "admins/admins_marketing.json",
    );
    // The owner and current admins are skipped; the user's own spelling is stored.
    check_204(
        &v2(&server, "POST", &mi("/admins"))
            .config(&json!({"emailIds": ["patricia@zylker.com", "Liam@Zylker.com", "ryan@zylker.com", "noah@zylker.com"],
                            "inviteMail": "true"}))
            .send()
            .await,
    );
    check(
        &get(&server, &mi("/admins")).await,
        "admins/admins_after_add.json",
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        strings(&ws["users"]),
        [
            "ryan@zylker.com",
            "liam@zylker.com",
            "sophia@zylker.com",
            "noah@zylker.com",
            "ava@zylker.com"
        ],
        "promoting changes no user list"
    );
    // DELETE removes from admins only; removing every admin is allowed.
    check_204(
        &v2(&server, "DELETE", &mi("/admins"))
            .config(&json!({"emailIds": ["ryan@zylker.com", "LIAM@zylker.com", "noah@zylker.com"], "notifyMail": false}))
            .send()
            .await,
    );
    assert_eq!(
        admin_members(&get(&server, &mi("/admins")).await),
        Vec::<String>::new()
    );
    let ws = workspace(&server, MI).await;
    assert!(strings(&ws["users"]).contains(&"ryan@zylker.com".to_owned()));
    assert_eq!(strings(&ws["admins"]), Vec::<String>::new());
    // The users list shows the demotion.
    let rows = user_rows(&get(&server, &mi("/users")).await);
    assert!(rows.contains(&("ryan@zylker.com".to_owned(), true, "User".to_owned())));
}

#[tokio::test]
async fn workspace_admins_are_read_and_changed_by_account_admins_org_admins_and_the_owner() {
    let server = TestServer::start().await;
    let mason = token_of(&server, "mason").await;
    let ryan = token_of(&server, "ryan").await;
    let amelia = token_of(&server, "amelia").await;
    check(
        &v2(&server, "GET", &mi("/admins"))
            .token(&mason)
            .send()
            .await,
        "admins/admins_marketing.json",
    );
    check_204(
        &v2(&server, "POST", &mi("/admins"))
            .token(&mason)
            .config(&json!({"emailIds": ["sophia@zylker.com"]}))
            .send()
            .await,
    );
    // A Workspace Admin who is not the owner may not (§3).
    for (method, config) in [
        ("GET", None),
        ("POST", Some(json!({"emailIds": ["noah@zylker.com"]}))),
        ("DELETE", Some(json!({"emailIds": ["sophia@zylker.com"]}))),
    ] {
        let call = v2(&server, method, &mi("/admins")).token(&ryan);
        let call = match &config {
            Some(c) => call.config(c),
            None => call,
        };
        check_err(&call.send().await, "7301_not_permitted_ryan");
    }
    // Amelia, a plain user, owns her pipeline.
    let ap = ws_path(AMELIAS_WS, "/admins");
    assert_eq!(
        admin_members(&v2(&server, "GET", &ap).token(&amelia).send().await),
        ["ryan@zylker.com"]
    );
    check_204(
        &v2(&server, "POST", &ap)
            .token(&amelia)
            .config(&json!({"emailIds": ["olivia@zylker.com"]}))
            .send()
            .await,
    );
    assert_eq!(
        admin_members(&v2(&server, "GET", &ap).token(&amelia).send().await),
        ["ryan@zylker.com", "olivia@zylker.com"]
    );
    // Patricia, an Account Admin, on Amelia's workspace.
    check_204(
        &v2(&server, "DELETE", &ap)
            .config(&json!({"emailIds": ["ryan@zylker.com"]}))
            .send()
            .await,
    );
    assert_eq!(
        admin_members(&get(&server, &ap).await),
        ["olivia@zylker.com"]
    );
}

#[tokio::test]
async fn post_admins_refuses_the_whole_batch_on_the_first_offending_email() {
    let server = TestServer::start().await;
    for (emails, golden) in [
        (
            json!(["noah@zylker.com", "nobody@zylker.com", "derek@zylker.com"]),
            "7535_not_org_user",
        ),
        (
            json!(["noah@zylker.com", "derek@zylker.com", "nobody@zylker.com"]),
            "6028_user_inactive",
        ),
        (
            json!(["noah@zylker.com", "ava@zylker.com", "mia@zylker.com"]),
            "7390_viewer_not_admin",
        ),
        (
            json!(["noah@zylker.com", "mia@zylker.com", "ava@zylker.com"]),
            "8114_not_in_workspace",
        ),
    ] {
        check_err(
            &v2(&server, "POST", &mi("/admins"))
                .config(&json!({"emailIds": emails}))
                .send()
                .await,
            golden,
        );
    }
    check(
        &get(&server, &mi("/admins")).await,
        "admins/admins_marketing.json",
    );
}

// =============================================================================================
// §7 View sharing.

#[tokio::test]
async fn sharing_adds_new_users_and_stores_every_part_of_the_share() {
    let server = TestServer::start().await;
    set_clock(&server, "2026-11-21T09:30:00+00:00").await;
    let every_key: Value = ALL20
        .iter()
        .map(|k| ((*k).to_owned(), json!(true)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let columns = json!([{"tableName": "Campaign Leads", "columnNames": ["Region", "Owner"]}]);
    let vud = json!([{"tableName": "Campaign Leads", "columnNames": ["Region"]}]);
    let drill = json!([{"tableName": "Campaign Leads", "columnNames": ["Owner"]}]);
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .config(&json!({
                "viewIds": [CAMPAIGN_PIVOT], "emailIds": ["mia@zylker.com"], "permissions": every_key,
                "criteria": "\"Campaign Leads\".\"Region\"='West'", "columns": columns, "vudColumns": vud,
                "drillColumns": drill, "inheritParentFilterCriteria": true, "includeAllColsForVUD": "true",
                "inviteMail": true, "inviteMailCCMe": false, "mailSubject": "s", "mailMessage": "m",
                "validateSystemTags": false}))
            .send()
            .await,
    );
    check(
        &v2(&server, "GET", &mi("/share/shareddetails"))
            .config(&json!({"viewIds": [CAMPAIGN_PIVOT]}))
            .send()
            .await,
        "sharing/shared_details_every_key.json",
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(strings(&ws["users"]).last().unwrap(), "mia@zylker.com");
    let share = ws["shares"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        share,
        json!({"view": CAMPAIGN_PIVOT, "shared_with": {"type": "user", "email": "mia@zylker.com"},
               "permissions": every_key, "criteria": "\"Campaign Leads\".\"Region\"='West'",
               "inherit_parent_filter_criteria": true, "columns": columns, "vud_columns": vud,
               "drill_columns": drill, "include_all_cols_for_vud": true,
               "shared_by": "patricia@zylker.com", "shared_time": "2026-11-21T09:30:00+00:00"})
    );
    // Mia is a plain user holding every key: her effective set is every key, insight included
    // (§1.4 step 3; only admins lose insight, step 1).
    let mia = token_of(&server, "mia").await;
    assert_eq!(
        true_keys(&my_permissions(&server, &mia, MI, CAMPAIGN_PIVOT).await),
        P15
    );
    // GET …/users lists her as a User; GET …/share as a user with one view (P18).
    let rows = user_rows(&get(&server, &mi("/users")).await);
    assert_eq!(
        rows.last().unwrap(),
        &("mia@zylker.com".to_owned(), true, "User".to_owned())
    );
    let info = get(&server, &mi("/share")).await.json();
    let entry = info["data"]["userShareInfo"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(entry["emailId"], "mia@zylker.com");
    let p18: Vec<&str> = entry["views"][0]["permissions"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut p18_sorted = p18.clone();
    p18_sorted.sort_unstable();
    let mut want = vec![
        "read",
        "export",
        "vud",
        "addRow",
        "updateRow",
        "deleteRow",
        "deleteAllRows",
        "importAppend",
        "importAddOrUpdate",
        "importDeleteAllAdd",
        "importDeleteUpdateAdd",
        "drillDown",
        "share",
        "discussion",
        "insight",
        "drillThrough",
        "accessAdminPresets",
        "createPreset",
    ];
    want.sort_unstable();
    assert_eq!(
        p18_sorted, want,
        "P18: no vudSelectedColumns, no drillActions"
    );
}

#[tokio::test]
async fn sharing_many_views_with_users_and_groups_in_one_request() {
    let server = TestServer::start().await;
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .config(&json!({"viewIds": [MARKETING_OVERVIEW, CAMPAIGN_PIVOT], "emailIds": ["mia@zylker.com", "ethan@zylker.com"],
                            "groupIds": [REGIONAL_LEADS], "permissions": {"read": true, "export": "true"}}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    let users = strings(&ws["users"]);
    assert_eq!(
        &users[users.len() - 2..],
        ["mia@zylker.com", "ethan@zylker.com"],
        "appended in list order"
    );
    let re = vec!["read".to_owned(), "export".to_owned()];
    assert_eq!(
        shares_of_view(&ws, CAMPAIGN_PIVOT),
        vec![
            ("mia@zylker.com".to_owned(), re.clone()),
            ("ethan@zylker.com".to_owned(), re.clone()),
            (format!("group:{REGIONAL_LEADS}"), re.clone()),
        ]
    );
    assert_eq!(shares_of_view(&ws, MARKETING_OVERVIEW).len(), 4);
    // Liam, through the group, now reads Campaign Pivot.
    let liam = token_of(&server, "liam").await;
    assert_eq!(
        true_keys(&my_permissions(&server, &liam, MI, CAMPAIGN_PIVOT).await),
        ["read", "export"]
    );
    // A group-only share (groupIds without emailIds) is accepted.
    let created = v2(&server, "POST", &mi("/groups"))
        .config(&json!({"groupName": "Ops", "emailIds": ["noah@zylker.com"]}))
        .send()
        .await;
    let ops = created.json()["data"]["groupId"]
        .as_str()
        .unwrap()
        .to_owned();
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .config(
                &json!({"viewIds": [LEAD_NOTES], "groupIds": [ops], "permissions": {"read": true}}),
            )
            .send()
            .await,
    );
    let info = get(&server, &mi("/share")).await.json();
    let groups: Vec<&str> = info["data"]["groupShareInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["groupName"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["Regional Leads", "Ops"]);
}

#[tokio::test]
async fn a_user_holding_share_on_a_view_may_share_it_further() {
    let server = TestServer::start().await;
    let noah = token_of(&server, "noah").await;
    check_204(
        &post_share(
            &server,
            &noah,
            json!({"viewIds": [MARKETING_OVERVIEW], "emailIds": ["mia@zylker.com"]}),
        )
        .await,
    );
    let ws = workspace(&server, MI).await;
    let share = ws["shares"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(share["shared_by"], "noah@zylker.com");
    // Every view of the list must be one he holds share on.
    check_err(
        &post_share(&server, &noah, json!({"viewIds": [MARKETING_OVERVIEW, CAMPAIGN_PIVOT], "emailIds": ["ethan@zylker.com"]})).await,
        "7301_not_permitted_noah",
    );
    // He may update and remove shares of that view, and read its shared details.
    check_204(
        &v2(
            &server,
            "PUT",
            &mi(&format!("/views/{MARKETING_OVERVIEW}/share")),
        )
        .token(&noah)
        .config(
            &json!({"emailIds": ["mia@zylker.com"], "permissions": {"read": true, "export": true}}),
        )
        .send()
        .await,
    );
    let details = v2(&server, "GET", &mi("/share/shareddetails"))
        .token(&noah)
        .config(&json!({"viewIds": [MARKETING_OVERVIEW]}))
        .send()
        .await;
    assert_eq!(details.status, 200, "{}", details.text());
    check_err(
        &v2(&server, "GET", &mi("/share/shareddetails"))
            .token(&noah)
            .config(&json!({"viewIds": [MARKETING_OVERVIEW, LEADS_BY_REGION]}))
            .send()
            .await,
        "7301_not_permitted_noah",
    );
    check_204(
        &v2(&server, "DELETE", &mi("/share"))
            .token(&noah)
            .config(&json!({"viewIds": [MARKETING_OVERVIEW], "emailIds": ["mia@zylker.com"]}))
            .send()
            .await,
    );
    // removeAllViews is for admins of the workspace only (§3).
    check_err(
        &v2(&server, "DELETE", &mi("/share"))
            .token(&noah)
            .config(&json!({"emailIds": ["liam@zylker.com"], "removeAllViews": true}))
            .send()
            .await,
        "7301_not_permitted_noah",
    );
    // Nor may he read the workspace's share info, or update a view he cannot share.
    check_err(
        &v2(&server, "GET", &mi("/share")).token(&noah).send().await,
        "7301_not_permitted_noah",
    );
    check_err(
        &v2(
            &server,
            "PUT",
            &mi(&format!("/views/{LEADS_BY_REGION}/share")),
        )
        .token(&noah)
        .config(&json!({"emailIds": ["liam@zylker.com"]}))
        .send()
        .await,
        "7301_not_permitted_noah",
    );
}

#[tokio::test]
async fn update_shared_details_replaces_what_it_names() {
    let server = TestServer::start().await;
    set_clock(&server, "2026-12-01T10:00:00+00:00").await;
    let ryan = token_of(&server, "ryan").await;
    let path = mi(&format!("/views/{LEADS_BY_REGION}/share"));
    // Sophia: criteria cleared, permissions replaced (absent keys become false).
    check_204(
        &v2(&server, "PUT", &path)
            .token(&ryan)
            .config(&json!({"emailIds": ["sophia@zylker.com"], "groupIds": [REGIONAL_LEADS], "criteria": ""}))
            .send()
            .await,
    );
    check_204(
        &v2(&server, "PUT", &path)
            .token(&ryan)
            .config(&json!({"emailIds": ["sophia@zylker.com"], "permissions": {"read": true, "vud": "true"}}))
            .send()
            .await,
    );
    check_204(
        &v2(&server, "PUT", &path)
            .token(&ryan)
            .config(&json!({"groupIds": [REGIONAL_LEADS], "permissions": {"read": true}}))
            .send()
            .await,
    );
    check(
        &v2(&server, "GET", &mi("/share/shareddetails"))
            .config(&json!({"viewIds": [LEADS_BY_REGION]}))
            .send()
            .await,
        "sharing/shared_details_after_update.json",
    );
    let ws = workspace(&server, MI).await;
    let sophia = ws["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["shared_with"]["email"] == "sophia@zylker.com")
        .unwrap()
        .clone();
    assert_eq!(sophia["shared_by"], "ryan@zylker.com");
    assert_eq!(sophia["shared_time"], "2026-12-01T10:00:00+00:00");
    // A request with targets only changes nothing but sharedBy and sharedTime.
    set_clock(&server, "2026-12-02T10:00:00+00:00").await;
    let before = ws["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["shared_with"]["email"] == "liam@zylker.com")
        .unwrap()
        .clone();
    check_204(
        &v2(&server, "PUT", &path)
            .token(&ryan)
            .config(&json!({"emailIds": ["liam@zylker.com"]}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    let after = ws["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["shared_with"]["email"] == "liam@zylker.com")
        .unwrap()
        .clone();
    let mut expected = before.clone();
    expected["shared_by"] = json!("ryan@zylker.com");
    expected["shared_time"] = json!("2026-12-02T10:00:00+00:00");
    assert_eq!(after, expected);
    // Column lists and the two flags are replaced when present.
    check_204(
        &v2(&server, "PUT", &path)
            .config(&json!({"emailIds": ["liam@zylker.com"], "columns": [{"tableName": "T", "columnNames": ["a"]}],
                            "inheritParentFilterCriteria": "true", "includeAllColsForVUD": true,
                            "criteria": "\"T\".\"a\"=1"}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    let liam = ws["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["shared_with"]["email"] == "liam@zylker.com")
        .unwrap()
        .clone();
    assert_eq!(
        liam["columns"],
        json!([{"tableName": "T", "columnNames": ["a"]}])
    );
    assert_eq!(liam["inherit_parent_filter_criteria"], true);
    assert_eq!(liam["include_all_cols_for_vud"], true);
    assert_eq!(liam["criteria"], "\"T\".\"a\"=1");
    assert_eq!(
        liam["permissions"]["export"], true,
        "permissions absent: unchanged"
    );
}

#[tokio::test]
async fn remove_shares_targeted_by_group_and_every_share_of_a_target() {
    let server = TestServer::start().await;
    // Targeted: the user's and the group's shares of one view.
    check_204(
        &v2(&server, "DELETE", &mi("/share"))
            .config(&json!({"viewIds": [LEADS_BY_REGION], "emailIds": ["liam@zylker.com"], "groupIds": [REGIONAL_LEADS]}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        shares_of_view(&ws, LEADS_BY_REGION),
        vec![("sophia@zylker.com".to_owned(), vec!["read".to_owned()])]
    );
    // Users and groups stay.
    assert!(strings(&ws["users"]).contains(&"liam@zylker.com".to_owned()));
    assert_eq!(ws["groups"].as_array().unwrap().len(), 1);
    let liam = token_of(&server, "liam").await;
    check_err(
        &my_permissions(&server, &liam, MI, LEADS_BY_REGION).await,
        "7301_not_permitted_liam",
    );
    // removeAllViews for a group, and a target without shares skipped silently.
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .config(&json!({"viewIds": [CAMPAIGN_PIVOT, MARKETING_OVERVIEW], "groupIds": [REGIONAL_LEADS], "permissions": {"read": true}}))
            .send()
            .await,
    );
    check_204(
        &v2(&server, "DELETE", &mi("/share"))
            .config(&json!({"groupIds": [REGIONAL_LEADS], "emailIds": ["mia@zylker.com", "ethan@zylker.com"], "removeAllViews": true}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    assert!(
        ws["shares"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["shared_with"]["type"] == "user")
    );
    assert_eq!(
        ws["shares"].as_array().unwrap().len(),
        3,
        "Sophia's, Noah's and Ava's remain"
    );
}

#[tokio::test]
async fn shared_details_for_several_views() {
    let server = TestServer::start().await;
    check(
        &v2(&server, "GET", &mi("/share/shareddetails"))
            .config(&json!({"viewIds": [LEADS_BY_REGION, 4150868000002200010_u64, CAMPAIGN_PIVOT]}))
            .send()
            .await,
        "sharing/shared_details_collapsed.json",
    );
    check(
        &v2(&server, "GET", &mi("/share/shareddetails"))
            .config(&json!({"viewIds": [CAMPAIGN_LEADS]}))
            .send()
            .await,
        "sharing/shared_details_campaign_leads.json",
    );
    // A Workspace Admin may read them; a user without share on the view may not.
    let ryan = token_of(&server, "ryan").await;
    check(
        &v2(&server, "GET", &mi("/share/shareddetails"))
            .token(&ryan)
            .config(&json!({"viewIds": [LEADS_BY_REGION]}))
            .send()
            .await,
        "examples/12_5_shared_details.json",
    );
    let sophia = token_of(&server, "sophia").await;
    check_err(
        &v2(&server, "GET", &mi("/share/shareddetails"))
            .token(&sophia)
            .config(&json!({"viewIds": [LEADS_BY_REGION]}))
            .send()
            .await,
        "7301_not_permitted_sophia",
    );
}

// =============================================================================================
// §1.3-§1.4 The effective-permission model, through `…/mypermissions`.

/// `(caller, workspace, view, the true keys, or None for 403 7301)`.
type PermissionCase = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static [&'static str]>,
);

const SANDBOX_PERMISSIONS: [PermissionCase; 16] = [
    // Account Admin (and owner) on every kind of view.
    ("patricia", MI, CAMPAIGN_LEADS, Some(&ADMIN_KEYS)),
    ("patricia", MI, LEAD_NOTES, Some(&ADMIN_KEYS)),
    // Account Admin who is not the owner.
    ("patricia", AMELIAS_WS, FORECAST, Some(&ADMIN_KEYS)),
    // Org Admin, not a member.
    ("mason", MI, CAMPAIGN_PIVOT, Some(&ADMIN_KEYS)),
    ("mason", AMELIAS_WS, OPPORTUNITIES, Some(&ADMIN_KEYS)),
    // Workspace Admin, and an owner who is a plain user.
    ("ryan", MI, CAMPAIGN_PIVOT, Some(&ADMIN_KEYS)),
    ("amelia", AMELIAS_WS, FORECAST, Some(&ADMIN_KEYS)),
    // View owner.
    ("liam", MI, LEAD_NOTES, Some(&ADMIN_KEYS)),
    // Direct share joined with a group share; group share alone; direct share alone.
    (
        "liam",
        MI,
        LEADS_BY_REGION,
        Some(&["read", "export", "vud", "drillDown"]),
    ),
    (
        "sophia",
        MI,
        LEADS_BY_REGION,
        Some(&["read", "vud", "drillDown"]),
    ),
    ("olivia", AMELIAS_WS, FORECAST, Some(&["read", "export"])),
    ("noah", MI, MARKETING_OVERVIEW, Some(&["read", "share"])),
    // The Viewer ceiling.
    ("ava", MI, CAMPAIGN_LEADS, Some(&["read", "export"])),
    // No share: no read.
    ("liam", MI, CAMPAIGN_PIVOT, None),
    ("olivia", AMELIAS_WS, OPPORTUNITIES, None),
    // Not a member at all.
    ("mia", MI, CAMPAIGN_LEADS, None),
];

async fn expect_permissions(server: &TestServer, cases: &[PermissionCase]) {
    for (name, ws, view, expected) in cases {
        let token = token_of(server, name).await;
        let reply = my_permissions(server, &token, ws, view).await;
        match expected {
            Some(keys) => assert_eq!(true_keys(&reply), *keys, "{name} on {view}"),
            None => {
                assert_eq!(reply.status, 403, "{name} on {view}: {}", reply.text());
                assert_eq!(code(&reply), 7301, "{name} on {view}");
            }
        }
        // userpermissions answers alike (§7.7).
        let alias = v2(
            server,
            "GET",
            &ws_path(ws, &format!("/views/{view}/share/userpermissions")),
        )
        .token(&token)
        .send()
        .await;
        assert_eq!(
            (alias.status, alias.json()),
            (reply.status, reply.json()),
            "{name} on {view}"
        );
    }
}

#[tokio::test]
async fn effective_permissions_of_the_sandbox() {
    let server = TestServer::start().await;
    expect_permissions(&server, &SANDBOX_PERMISSIONS).await;
}

#[tokio::test]
async fn effective_permissions_follow_changes_to_roles_groups_and_status() {
    let server = TestServer::start().await;
    // A group share with write keys: members gain them, the Viewer member does not.
    let created = v2(&server, "POST", &mi("/groups"))
        .config(&json!({"groupName": "Writers", "emailIds": ["liam@zylker.com", "ava@zylker.com"]}))
        .send()
        .await;
    assert_eq!(created.status, 200, "{}", created.text());
    let writers = created.json()["data"]["groupId"]
        .as_str()
        .unwrap()
        .to_owned();
    check_204(
        &v2(&server, "POST", &mi("/share"))
            .config(&json!({"viewIds": [CAMPAIGN_PIVOT], "groupIds": [writers],
                            "permissions": {"read": true, "addRow": true, "updateRow": true, "importAppend": true, "discussion": true}}))
            .send()
            .await,
    );
    expect_permissions(
        &server,
        &[
            (
                "liam",
                MI,
                CAMPAIGN_PIVOT,
                Some(&["read", "addRow", "updateRow", "importAppend", "discussion"]),
            ),
            ("ava", MI, CAMPAIGN_PIVOT, Some(&["read", "discussion"])),
        ],
    )
    .await;
    // A member removed from the group loses what the group gave.
    check_204(
        &v2(
            &server,
            "DELETE",
            &mi(&format!("/groups/{writers}/members")),
        )
        .config(&json!({"emailIds": ["liam@zylker.com"]}))
        .send()
        .await,
    );
    expect_permissions(&server, &[("liam", MI, CAMPAIGN_PIVOT, None)]).await;
    // Promotion to Workspace Admin gives every key but insight; demotion takes it back.
    check_204(
        &v2(&server, "PUT", &mi("/users/role"))
            .config(&json!({"emailIds": ["sophia@zylker.com"], "role": "WORKSPACEADMIN"}))
            .send()
            .await,
    );
    expect_permissions(
        &server,
        &[("sophia", MI, CAMPAIGN_PIVOT, Some(&ADMIN_KEYS))],
    )
    .await;
    check_204(
        &v2(&server, "PUT", &mi("/users/role"))
            .config(&json!({"emailIds": ["sophia@zylker.com"], "role": "USER"}))
            .send()
            .await,
    );
    expect_permissions(
        &server,
        &[(
            "sophia",
            MI,
            LEADS_BY_REGION,
            Some(&["read", "vud", "drillDown"]),
        )],
    )
    .await;
    // A deactivated user loses every alternative: admin, view owner, shares. Reactivation
    // restores them (§8.4).
    for who in ["ryan", "liam"] {
        check_204(
            &v2(&server, "PUT", &mi("/users/status"))
                .config(
                    &json!({"emailIds": [format!("{who}@zylker.com")], "operation": "deactivate"}),
                )
                .send()
                .await,
        );
    }
    expect_permissions(
        &server,
        &[
            ("ryan", MI, CAMPAIGN_PIVOT, None),
            ("liam", MI, LEAD_NOTES, None),
            ("liam", MI, LEADS_BY_REGION, None),
        ],
    )
    .await;
    let liam = token_of(&server, "liam").await;
    check_err(
        &v2(&server, "GET", &mi("/views")).token(&liam).send().await,
        "7301_not_permitted_liam",
    );
    let ryan = token_of(&server, "ryan").await;
    check_err(
        &v2(&server, "GET", &mi("/share")).token(&ryan).send().await,
        "7301_not_permitted_ryan",
    );
    let shared = v2(&server, "GET", "/restapi/v2/workspaces/shared")
        .token(&liam)
        .send()
        .await;
    assert_eq!(
        shared.json()["data"]["workspaces"],
        json!([]),
        "no access, not listed"
    );
    for who in ["ryan", "liam"] {
        check_204(
            &v2(&server, "PUT", &mi("/users/status"))
                .config(
                    &json!({"emailIds": [format!("{who}@zylker.com")], "operation": "activate"}),
                )
                .send()
                .await,
        );
    }
    expect_permissions(&server, &SANDBOX_PERMISSIONS).await;
}

#[tokio::test]
async fn roles_come_from_analytics_role_not_from_the_profile() {
    // An Administrator-profile user whose role is USER, and a Standard one who is an Account
    // Admin; a Viewer; no default Account Admin at all.
    let fixture = json!({"orgs": [{
        "id": "acme", "name": "Acme", "zgid": "800012345",
        "users": [
            {"id": "1", "email": "boss@acme.io", "full_name": "Bo Boss", "role": "9", "profile": "Administrator", "status": "active", "analytics_role": "USER"},
            {"id": "2", "email": "acc@acme.io", "full_name": "Ann Count", "role": "9", "profile": "Standard", "status": "active", "analytics_role": "ACCOUNTADMIN", "zuid": "7002"},
            {"id": "3", "email": "org@acme.io", "full_name": "Oz Gadmin", "role": "9", "profile": "Standard", "status": "active", "analytics_role": "ORGADMIN"},
            {"id": "4", "email": "view@acme.io", "full_name": "Vi Ewer", "role": "9", "profile": "Standard", "status": "active", "analytics_role": "VIEWER"},
            {"id": "5", "email": "own@acme.io", "full_name": "Ow Ner", "role": "9", "profile": "Standard", "status": "active"}],
        "roles": [{"id": "9", "name": "R"}],
        "analytics": {"workspaces": [{"id": "1000000000000000100", "owner_email": "own@acme.io", "name": "W",
            "users": ["view@acme.io"],
            "views": [{"id": "1000000000000000200", "name": "T"}],
            "shares": [{"view": "1000000000000000200", "shared_with": {"type": "user", "email": "view@acme.io"},
                        "permissions": {"read": true, "addRow": true, "share": true}}]}]}
    }]});
    let server = TestServer::with_fixture(&fixture.to_string()).await;
    let t = |user: &str| {
        let server = &server;
        let user = user.to_owned();
        async move { mint(server, "acme", &user, &["ZohoAnalytics.fullaccess.all"]).await }
    };
    let ws = "1000000000000000100";
    let view = "1000000000000000200";
    let orgs = v2(&server, "GET", "/restapi/v2/orgs")
        .token(&t("1").await)
        .send()
        .await
        .json();
    assert_eq!(orgs["data"]["orgs"][0]["role"], "User");
    assert_eq!(
        orgs["data"]["orgs"][0]["orgId"], "800012345",
        "analytics_org_id defaults to the zgid"
    );
    // createdBy is the first Account Admin in user order: Ann, not the Administrator profile.
    assert_eq!(orgs["data"]["orgs"][0]["createdBy"], "acc@acme.io");
    assert_eq!(orgs["data"]["orgs"][0]["createdByZuId"], "7002");
    assert_eq!(orgs["data"]["orgs"][0]["numberOfworkspaces"], 1);
    let perms = |token: String| {
        let server = &server;
        async move {
            v2(
                server,
                "GET",
                &ws_path(ws, &format!("/views/{view}/share/mypermissions")),
            )
            .token(&token)
            .org("800012345")
            .send()
            .await
        }
    };
    assert_eq!(
        perms(t("1").await).await.status,
        403,
        "an Administrator profile is no Account Admin here"
    );
    assert_eq!(true_keys(&perms(t("2").await).await), ADMIN_KEYS);
    assert_eq!(true_keys(&perms(t("3").await).await), ADMIN_KEYS);
    assert_eq!(true_keys(&perms(t("5").await).await), ADMIN_KEYS);
    assert_eq!(
        true_keys(&perms(t("4").await).await),
        ["read", "share"],
        "the Viewer ceiling"
    );
    let users = v2(&server, "GET", &ws_path(ws, "/users"))
        .org("800012345")
        .token(&t("2").await)
        .send()
        .await;
    assert_eq!(
        user_rows(&users),
        [
            ("acc@acme.io".to_owned(), true, "Account Admin".to_owned()),
            (
                "org@acme.io".to_owned(),
                true,
                "Organization Admin".to_owned()
            ),
            ("own@acme.io".to_owned(), true, "Workspace Admin".to_owned()),
            ("view@acme.io".to_owned(), true, "User".to_owned()),
        ]
    );
    // An org without Account Admins: createdBy is empty.
    let mut state = server.state().await;
    state["orgs"][0]["users"][1]["analytics_role"] = json!("USER");
    assert_eq!(
        server
            .admin("PUT", "/__admin/state", Some(state))
            .await
            .status,
        204
    );
    let orgs = v2(&server, "GET", "/restapi/v2/orgs")
        .token(&t("3").await)
        .send()
        .await
        .json();
    assert_eq!(orgs["data"]["orgs"][0]["createdBy"], "");
    assert_eq!(orgs["data"]["orgs"][0]["createdByZuId"], "");
    assert_eq!(orgs["data"]["orgs"][0]["role"], "Organization Admin");
}

// =============================================================================================
// §8 Workspace users and org admins.

#[tokio::test]
async fn workspace_users_list_every_kind_of_member() {
    let server = TestServer::start().await;
    check(
        &get(&server, &ws_path(AMELIAS_WS, "/users")).await,
        "users/users_amelias_pipeline.json",
    );
    // A Workspace Admin may list them; a plain user may not.
    let ryan = token_of(&server, "ryan").await;
    check(
        &v2(&server, "GET", &mi("/users")).token(&ryan).send().await,
        "examples/12_9_users.json",
    );
    let noah = token_of(&server, "noah").await;
    check_err(
        &v2(&server, "GET", &mi("/users")).token(&noah).send().await,
        "7301_not_permitted_noah",
    );
}

#[tokio::test]
async fn add_workspace_users_with_a_role() {
    let server = TestServer::start().await;
    // Patricia adds Mia and Ethan as Workspace Admins, skipping herself.
    check_204(
        &v2(&server, "POST", &mi("/users"))
            .config(&json!({"emailIds": ["patricia@zylker.com", "Mia@zylker.com", "ethan@zylker.com"], "role": "WORKSPACEADMIN", "domainName": ""}))
            .send()
            .await,
    );
    check(
        &get(&server, &mi("/users")).await,
        "users/users_after_add.json",
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        strings(&ws["admins"]),
        ["ryan@zylker.com", "mia@zylker.com", "ethan@zylker.com"]
    );
    // Re-adding changes the role; the same role is a silent success.
    check_204(
        &v2(&server, "POST", &mi("/users"))
            .config(&json!({"emailIds": ["mia@zylker.com"], "role": "USER"}))
            .send()
            .await,
    );
    check_204(
        &v2(&server, "POST", &mi("/users"))
            .config(&json!({"emailIds": ["liam@zylker.com"]}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        strings(&ws["admins"]),
        ["ryan@zylker.com", "ethan@zylker.com"]
    );
    assert_eq!(strings(&ws["users"]).len(), 7, "nobody added twice");
    // Bulk mode: top-level keys ignored; an email given twice takes its last role.
    check_204(
        &v2(&server, "POST", &mi("/users"))
            .config(&json!({"emailIds": ["chloe@zylker.com"], "role": "WORKSPACEADMIN",
                            "users": [{"emailIds": ["lucas@zylker.com"], "role": "WORKSPACEADMIN"},
                                      {"emailIds": ["lucas@zylker.com"], "role": "USER"},
                                      {"emailIds": ["noah@zylker.com"], "role": "WORKSPACEADMIN"}]}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    assert!(
        !strings(&ws["users"]).contains(&"chloe@zylker.com".to_owned()),
        "top-level emailIds ignored in bulk mode"
    );
    assert_eq!(strings(&ws["users"]).last().unwrap(), "lucas@zylker.com");
    assert_eq!(
        strings(&ws["admins"]),
        ["ryan@zylker.com", "ethan@zylker.com", "noah@zylker.com"]
    );
    // A deactivated user keeps that status when re-added.
    check_204(
        &v2(&server, "PUT", &mi("/users/status"))
            .config(&json!({"emailIds": ["liam@zylker.com"], "operation": "deactivate"}))
            .send()
            .await,
    );
    check_204(
        &v2(&server, "POST", &mi("/users"))
            .config(&json!({"emailIds": ["liam@zylker.com"], "role": "USER"}))
            .send()
            .await,
    );
    assert_eq!(
        strings(&workspace(&server, MI).await["inactive_users"]),
        ["liam@zylker.com"]
    );
}

#[tokio::test]
async fn who_may_give_or_take_the_workspace_admin_role_through_users() {
    let server = TestServer::start().await;
    let ryan = token_of(&server, "ryan").await;
    let mason = token_of(&server, "mason").await;
    // A Workspace Admin may add plain users...
    check_204(
        &v2(&server, "POST", &mi("/users"))
            .token(&ryan)
            .config(&json!({"emailIds": ["mia@zylker.com"]}))
            .send()
            .await,
    );
    // ...but not give the role, in role or in a bulk entry, nor take it (USER to an admin).
    for config in [
        json!({"emailIds": ["ethan@zylker.com"], "role": "WORKSPACEADMIN"}),
        json!({"users": [{"emailIds": ["ethan@zylker.com"]}, {"emailIds": ["chloe@zylker.com"], "role": "WORKSPACEADMIN"}]}),
        json!({"emailIds": ["ryan@zylker.com"], "role": "USER"}),
    ] {
        check_err(
            &v2(&server, "POST", &mi("/users"))
                .token(&ryan)
                .config(&config)
                .send()
                .await,
            "7301_not_permitted_ryan",
        );
    }
    // The check runs on the request as sent: even a WORKSPACEADMIN that would be skipped.
    check_err(
        &v2(&server, "POST", &mi("/users"))
            .token(&ryan)
            .config(&json!({"emailIds": ["patricia@zylker.com"], "role": "WORKSPACEADMIN"}))
            .send()
            .await,
        "7301_not_permitted_ryan",
    );
    // An Org Admin may.
    check_204(
        &v2(&server, "POST", &mi("/users"))
            .token(&mason)
            .config(&json!({"emailIds": ["ethan@zylker.com"], "role": "WORKSPACEADMIN"}))
            .send()
            .await,
    );
    // Removing: a Workspace Admin may remove users, not Workspace Admins.
    check_err(
        &v2(&server, "DELETE", &mi("/users"))
            .token(&ryan)
            .config(&json!({"emailIds": ["ethan@zylker.com"]}))
            .send()
            .await,
        "7301_not_permitted_ryan",
    );
    check_204(
        &v2(&server, "DELETE", &mi("/users"))
            .token(&ryan)
            .config(&json!({"emailIds": ["mia@zylker.com"]}))
            .send()
            .await,
    );
    // Status is for the Account Admin only; role for Account and Org Admins.
    let status = json!({"emailIds": ["noah@zylker.com"], "operation": "deactivate"});
    check_err(
        &v2(&server, "PUT", &mi("/users/status"))
            .token(&mason)
            .config(&status)
            .send()
            .await,
        "7301_not_permitted_mason",
    );
    check_err(
        &v2(&server, "PUT", &mi("/users/status"))
            .token(&ryan)
            .config(&status)
            .send()
            .await,
        "7301_not_permitted_ryan",
    );
    let role = json!({"emailIds": ["noah@zylker.com"], "role": "WORKSPACEADMIN"});
    check_err(
        &v2(&server, "PUT", &mi("/users/role"))
            .token(&ryan)
            .config(&role)
            .send()
            .await,
        "7301_not_permitted_ryan",
    );
    check_204(
        &v2(&server, "PUT", &mi("/users/role"))
            .token(&mason)
            .config(&role)
            .send()
            .await,
    );
    // The owner, a plain user, may give the role on her workspace.
    let amelia = token_of(&server, "amelia").await;
    check_204(
        &v2(&server, "POST", &ws_path(AMELIAS_WS, "/users"))
            .token(&amelia)
            .config(&json!({"emailIds": ["olivia@zylker.com"], "role": "WORKSPACEADMIN"}))
            .send()
            .await,
    );
    assert_eq!(
        strings(&workspace(&server, AMELIAS_WS).await["admins"]),
        ["ryan@zylker.com", "olivia@zylker.com"]
    );
}

#[tokio::test]
async fn removing_a_user_removes_it_from_admins_groups_and_its_direct_shares() {
    let server = TestServer::start().await;
    check_204(
        &v2(&server, "DELETE", &mi("/users"))
            .config(&json!({"emailIds": ["liam@zylker.com", "patricia@zylker.com"]}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        strings(&ws["users"]),
        [
            "ryan@zylker.com",
            "sophia@zylker.com",
            "noah@zylker.com",
            "ava@zylker.com"
        ]
    );
    assert_eq!(strings(&ws["groups"][0]["members"]), ["sophia@zylker.com"]);
    assert_eq!(
        shares_of_view(&ws, LEADS_BY_REGION),
        vec![
            ("sophia@zylker.com".to_owned(), vec!["read".to_owned()]),
            (
                format!("group:{REGIONAL_LEADS}"),
                vec!["read".to_owned(), "vud".to_owned(), "drillDown".to_owned()]
            ),
        ]
    );
    // The view he owns stays, with him as its owner.
    let lead_notes = ws["views"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == LEAD_NOTES)
        .unwrap()
        .clone();
    assert_eq!(lead_notes["owner"], "liam@zylker.com");
    assert_eq!(view_names(&get(&server, &mi("/views")).await).len(), 5);
    let liam = token_of(&server, "liam").await;
    check_err(
        &v2(&server, "GET", &mi("/views")).token(&liam).send().await,
        "7301_not_permitted_liam",
    );
    // A Workspace Admin removed leaves admins too.
    check_204(
        &v2(&server, "DELETE", &mi("/users"))
            .config(&json!({"emailIds": ["ryan@zylker.com"]}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(strings(&ws["admins"]), Vec::<String>::new());
    // A deactivated user leaves inactive_users with the rest.
    check_204(
        &v2(&server, "PUT", &mi("/users/status"))
            .config(&json!({"emailIds": ["noah@zylker.com"], "operation": "deactivate"}))
            .send()
            .await,
    );
    check_204(
        &v2(&server, "DELETE", &mi("/users"))
            .config(&json!({"emailIds": ["noah@zylker.com"]}))
            .send()
            .await,
    );
    assert_eq!(
        strings(&workspace(&server, MI).await["inactive_users"]),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn user_status_deactivates_and_activates_idempotently() {
    let server = TestServer::start().await;
    for _ in 0..2 {
        check_204(
            &v2(&server, "PUT", &mi("/users/status"))
                .config(&json!({"emailIds": ["liam@zylker.com", "patricia@zylker.com"], "operation": "deactivate"}))
                .send()
                .await,
        );
    }
    check(
        &get(&server, &mi("/users")).await,
        "users/users_liam_deactivated.json",
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        strings(&ws["inactive_users"]),
        ["liam@zylker.com"],
        "the owner is skipped"
    );
    // Shares, groups and the role are kept.
    assert_eq!(shares_of_view(&ws, LEADS_BY_REGION).len(), 3);
    for _ in 0..2 {
        check_204(
            &v2(&server, "PUT", &mi("/users/status"))
                .config(&json!({"emailIds": ["liam@zylker.com"], "operation": "activate"}))
                .send()
                .await,
        );
    }
    check(
        &get(&server, &mi("/users")).await,
        "examples/12_9_users.json",
    );
    // A deactivated Workspace Admin is still listed as one, with status false (§1.3).
    check_204(
        &v2(&server, "PUT", &mi("/users/status"))
            .config(&json!({"emailIds": ["ryan@zylker.com"], "operation": "deactivate"}))
            .send()
            .await,
    );
    let rows = user_rows(&get(&server, &mi("/users")).await);
    assert!(rows.contains(&(
        "ryan@zylker.com".to_owned(),
        false,
        "Workspace Admin".to_owned()
    )));
}

#[tokio::test]
async fn a_disabled_org_user_is_listed_with_status_false() {
    let server = TestServer::start().await;
    let mut state = server.state().await;
    let users = state["orgs"][0]["users"].as_array_mut().unwrap();
    let noah = users
        .iter_mut()
        .find(|u| u["email"] == "noah@zylker.com")
        .unwrap();
    noah["status"] = json!("disabled");
    assert_eq!(
        server
            .admin("PUT", "/__admin/state", Some(state))
            .await
            .status,
        204
    );
    let rows = user_rows(&get(&server, &mi("/users")).await);
    assert!(
        rows.contains(&("noah@zylker.com".to_owned(), false, "User".to_owned())),
        "{rows:?}"
    );
    // A share to a user who is now disabled stays valid and listed.
    check(
        &get(&server, &mi("/share")).await,
        "examples/12_3_share_info.json",
    );
}

#[tokio::test]
async fn user_role_promotes_and_demotes() {
    let server = TestServer::start().await;
    check_204(
        &v2(&server, "PUT", &mi("/users/role"))
            .config(&json!({"users": [{"emailIds": ["liam@zylker.com", "patricia@zylker.com"], "role": "WORKSPACEADMIN"},
                                      {"emailIds": ["ryan@zylker.com"], "role": "USER"}]}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(strings(&ws["admins"]), ["liam@zylker.com"]);
    assert!(
        strings(&ws["users"]).contains(&"ryan@zylker.com".to_owned()),
        "a demoted admin stays a user"
    );
    assert_eq!(
        admin_members(&get(&server, &mi("/admins")).await),
        ["liam@zylker.com"]
    );
    // USER on a plain user changes nothing.
    check_204(
        &v2(&server, "PUT", &mi("/users/role"))
            .config(&json!({"emailIds": ["noah@zylker.com"], "role": "USER"}))
            .send()
            .await,
    );
    assert_eq!(
        strings(&workspace(&server, MI).await["admins"]),
        ["liam@zylker.com"]
    );
}

#[tokio::test]
async fn org_admins() {
    let server = TestServer::start().await;
    check(
        &get(&server, "/restapi/v2/orgadmins").await,
        "users/orgadmins.json",
    );
    check(
        &get(&server, "/restapi/v2/orgadmins/").await,
        "users/orgadmins.json",
    );
    let mason = token_of(&server, "mason").await;
    check_err(
        &v2(&server, "GET", "/restapi/v2/orgadmins")
            .token(&mason)
            .send()
            .await,
        "7301_not_permitted_mason",
    );
}

// =============================================================================================
// §9 Groups.

#[tokio::test]
async fn groups_list_create_read_rename_and_delete() {
    let server = TestServer::start().await;
    check(
        &get(&server, &mi("/groups")).await,
        "groups/groups_marketing.json",
    );
    check(
        &get(&server, &mi(&format!("/groups/{REGIONAL_LEADS}"))).await,
        "groups/group_details.json",
    );
    // Create: trimmed name, the owner may be a member, a description.
    let reply = v2(&server, "POST", &mi("/groups"))
        .config(&json!({"groupName": "  EMEA Leads  ", "emailIds": ["patricia@zylker.com", "noah@zylker.com", "NOAH@zylker.com"],
                        "groupDesc": "Europe", "inviteMail": false, "mailSubject": "s", "mailMessage": "m"}))
        .send()
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let id = reply.json()["data"]["groupId"].as_str().unwrap().to_owned();
    let groups = get(&server, &mi("/groups")).await.json();
    assert_eq!(
        groups["data"]["groups"][1],
        json!({"groupId": id, "groupName": "EMEA Leads", "groupDesc": "Europe",
               "groupMembers": ["patricia@zylker.com", "noah@zylker.com"]})
    );
    // Ids are fresh and unique: a second group gets another one.
    let second = v2(&server, "POST", &mi("/groups"))
        .config(&json!({"groupName": "APAC", "emailIds": ["ava@zylker.com"]}))
        .send()
        .await;
    let second = second.json()["data"]["groupId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(second, id);
    // Rename: its own name in another case is fine; groupDesc absent resets it.
    check_204(
        &v2(&server, "PUT", &mi(&format!("/groups/{REGIONAL_LEADS}")))
            .config(&json!({"groupName": "REGIONAL LEADS", "groupDesc": "x"}))
            .send()
            .await,
    );
    check_204(
        &v2(&server, "PUT", &mi(&format!("/groups/{REGIONAL_LEADS}")))
            .config(&json!({"groupName": "Regional Leads EMEA"}))
            .send()
            .await,
    );
    check(
        &get(&server, &mi(&format!("/groups/{REGIONAL_LEADS}"))).await,
        "groups/group_renamed.json",
    );
    // The new name shows in v2 share answers.
    let info = get(&server, &mi("/share")).await.json();
    assert_eq!(
        info["data"]["groupShareInfo"][0]["groupName"],
        "Regional Leads EMEA"
    );
    // Delete: the group and its shares go; members keep their direct shares and stay users.
    check_204(
        &v2(&server, "DELETE", &mi(&format!("/groups/{REGIONAL_LEADS}")))
            .send()
            .await,
    );
    check_err(
        &get(&server, &mi(&format!("/groups/{REGIONAL_LEADS}"))).await,
        "7338_group_not_in_workspace",
    );
    let ws = workspace(&server, MI).await;
    assert!(
        ws["shares"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["shared_with"]["type"] == "user")
    );
    assert!(strings(&ws["users"]).contains(&"liam@zylker.com".to_owned()));
    let liam = token_of(&server, "liam").await;
    assert_eq!(
        true_keys(&my_permissions(&server, &liam, MI, LEADS_BY_REGION).await),
        ["read", "export"]
    );
    // Only admins of the workspace manage groups.
    let noah = token_of(&server, "noah").await;
    check_err(
        &v2(&server, "GET", &mi("/groups")).token(&noah).send().await,
        "7301_not_permitted_noah",
    );
    let ryan = token_of(&server, "ryan").await;
    check_204(
        &v2(&server, "DELETE", &mi(&format!("/groups/{second}")))
            .token(&ryan)
            .send()
            .await,
    );
}

#[tokio::test]
async fn group_members_add_and_remove() {
    let server = TestServer::start().await;
    let members = mi(&format!("/groups/{REGIONAL_LEADS}/members"));
    // Existing members are skipped; new ones appended; the owner may join.
    check_204(
        &v2(&server, "POST", &members)
            .config(&json!({"emailIds": ["liam@zylker.com", "noah@zylker.com", "patricia@zylker.com"], "inviteMail": true}))
            .send()
            .await,
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        strings(&ws["groups"][0]["members"]),
        [
            "liam@zylker.com",
            "sophia@zylker.com",
            "noah@zylker.com",
            "patricia@zylker.com"
        ]
    );
    // Noah now holds the group's share.
    let noah = token_of(&server, "noah").await;
    assert_eq!(
        true_keys(&my_permissions(&server, &noah, MI, LEADS_BY_REGION).await),
        ["read", "vud", "drillDown"]
    );
    // Non-members are skipped silently on removal; a removed member keeps its direct shares.
    check_204(
        &v2(&server, "DELETE", &members)
            .config(&json!({"emailIds": ["liam@zylker.com", "ava@zylker.com", "mia@zylker.com"], "notifyMail": true}))
            .send()
            .await,
    );
    let liam = token_of(&server, "liam").await;
    assert_eq!(
        true_keys(&my_permissions(&server, &liam, MI, LEADS_BY_REGION).await),
        ["read", "export"]
    );
    // Removing every member leaves an empty group.
    check_204(
        &v2(&server, "DELETE", &members)
            .config(&json!({"emailIds": ["sophia@zylker.com", "noah@zylker.com", "patricia@zylker.com"]}))
            .send()
            .await,
    );
    let group = get(&server, &mi(&format!("/groups/{REGIONAL_LEADS}")))
        .await
        .json();
    assert_eq!(group["data"]["groups"]["groupMembers"], json!([]));
    // Adding someone who is no user of the workspace is refused.
    check_err(
        &v2(&server, "POST", &members)
            .config(&json!({"emailIds": ["mia@zylker.com"]}))
            .send()
            .await,
        "8114_not_in_workspace",
    );
}

// =============================================================================================
// Concurrency (README §3 atomicity): two clients share one view with one user at once.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_sharing_the_same_view_with_the_same_user_exactly_one_wins() {
    let server = TestServer::start().await;
    let ryan = token_of(&server, "ryan").await;
    let config = config_pair(
        &json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["mia@zylker.com"],
                                     "permissions": {"read": true}}),
    );
    let url = format!("{}?{config}", server.url(&mi("/share")));
    // Two independent clients, each with its own connection pool.
    let clients: Vec<reqwest::Client> = (0..2)
        .map(|_| reqwest::Client::builder().no_proxy().build().unwrap())
        .collect();
    for round in 0..40 {
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let mut handles = Vec::new();
        for (client, token) in clients.iter().zip([ADMIN_TOKEN.to_owned(), ryan.clone()]) {
            let client = client.clone();
            let barrier = barrier.clone();
            let url = url.clone();
            handles.push(tokio::spawn(async move {
                let request = client
                    .post(&url)
                    .header("Authorization", format!("Zoho-oauthtoken {token}"))
                    .header("ZANALYTICS-ORGID", ORG_ID)
                    .header("User-Agent", USER_AGENT);
                barrier.wait().await;
                Reply::from(request.send().await.expect("answered")).await
            }));
        }
        let mut replies = Vec::new();
        for handle in handles {
            replies.push(handle.await.unwrap());
        }
        let won: Vec<&Reply> = replies.iter().filter(|r| r.status == 204).collect();
        let lost: Vec<&Reply> = replies.iter().filter(|r| r.status != 204).collect();
        assert_eq!(
            won.len(),
            1,
            "round {round}: exactly one succeeds: {replies:?}"
        );
        check_204(won[0]);
        check_err(lost[0], "7321_already_shared_mia");
        let ws = workspace(&server, MI).await;
        assert_eq!(
            shares_of_view(&ws, CAMPAIGN_PIVOT).len(),
            1,
            "round {round}: one share"
        );
        assert_eq!(
            strings(&ws["users"])
                .iter()
                .filter(|u| *u == "mia@zylker.com")
                .count(),
            1,
            "round {round}: Mia joined once"
        );
        check_204(
            &v2(&server, "DELETE", &mi("/share"))
                .config(&json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["mia@zylker.com"]}))
                .send()
                .await,
        );
    }
}

// =============================================================================================
// DESIGN.md §3: the Analytics keys of the fixture (validation, export), §4: the sandbox, §5: the
// admin copies.

/// A small valid org: owner Owen (Administrator), Uma (admin), Vic (a Viewer), Wes (no member).
fn small_org() -> Value {
    json!({
        "id": "acme", "name": "Acme", "zgid": "800012345",
        "users": [
            {"id": "1", "email": "o@x.com", "full_name": "Owen", "role": "9", "profile": "Administrator", "status": "active"},
            {"id": "2", "email": "u@x.com", "full_name": "Uma", "role": "9", "profile": "Standard", "status": "active"},
            {"id": "3", "email": "v@x.com", "full_name": "Vic", "role": "9", "profile": "Standard", "status": "active", "analytics_role": "VIEWER"},
            {"id": "4", "email": "w@x.com", "full_name": "Wes", "role": "9", "profile": "Standard", "status": "active"}],
        "roles": [{"id": "9", "name": "R"}],
        "analytics": {"workspaces": [{
            "id": "100", "owner_email": "o@x.com", "name": "W", "admins": ["u@x.com"], "users": ["u@x.com", "v@x.com"],
            "folders": [{"id": "110", "name": "Default"}],
            "views": [{"id": "200", "name": "T", "type": "Table", "folder": "110"},
                      {"id": "201", "name": "R", "type": "Report", "parent": "200", "owner": "u@x.com"}],
            "groups": [{"id": "300", "name": "G", "members": ["u@x.com"]}],
            "shares": [{"view": "200", "shared_with": {"type": "user", "email": "v@x.com"}, "permissions": {"read": true}},
                       {"view": "200", "shared_with": {"type": "group", "id": "300"}, "permissions": {"read": true}}]}]}
    })
}

/// Sets `value` at a `/`-separated pointer of `doc`, creating nothing (the parent must exist);
/// a pointer ending in `/-` appends.
fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let target = doc
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{parent}"));
    match target {
        Value::Array(items) if last == "-" => items.push(value),
        Value::Array(items) => items[last.parse::<usize>().unwrap()] = value,
        Value::Object(map) => {
            map.insert(last.to_owned(), value);
        }
        other => panic!("{pointer}: {other}"),
    }
}

#[tokio::test]
async fn state_import_refuses_bad_analytics_keys_naming_the_json_path() {
    let server = TestServer::start().await;
    let ws = "/orgs/0/analytics/workspaces/0";
    let w = "$.orgs[0].analytics.workspaces[0]";
    let cases: Vec<(String, Value, String)> = vec![
        (
            "/orgs/0/analytics_org_id".into(),
            json!("12a"),
            "$.orgs[0].analytics_org_id".into(),
        ),
        (
            "/orgs/0/analytics_org_id".into(),
            json!("12345678901234567890"),
            "$.orgs[0].analytics_org_id".into(),
        ),
        (
            "/orgs/0/analytics_org_id".into(),
            json!(""),
            "$.orgs[0].analytics_org_id".into(),
        ),
        (
            "/orgs/0/users/2/analytics_role".into(),
            json!("SUPERVIEWER"),
            "$.orgs[0].users[2].analytics_role".into(),
        ),
        (
            "/orgs/0/users/1/analytics_role".into(),
            json!("orgadmin"),
            "$.orgs[0].users[1].analytics_role".into(),
        ),
        (
            format!("{ws}/users/-"),
            json!("o@x.com"),
            format!("{w}.users[2]"),
        ),
        (
            format!("{ws}/inactive_users"),
            json!(["w@x.com"]),
            format!("{w}.inactive_users[0]"),
        ),
        (
            format!("{ws}/inactive_users"),
            json!(["v@x.com", "V@x.com"]),
            format!("{w}.inactive_users[1]"),
        ),
        (
            format!("{ws}/admins/-"),
            json!("v@x.com"),
            format!("{w}.admins[1]"),
        ),
        (
            format!("{ws}/views/1/id"),
            json!("100"),
            format!("{w}.views[1].id"),
        ),
        (
            format!("{ws}/views/1/id"),
            json!("200"),
            format!("{w}.views[1].id"),
        ),
        (
            format!("{ws}/views/1/id"),
            json!("1"),
            format!("{w}.views[1].id"),
        ),
        (
            format!("{ws}/groups/-"),
            json!({"id": "201", "name": "G2"}),
            format!("{w}.groups[1].id"),
        ),
        (
            format!("{ws}/folders/-"),
            json!({"id": "110", "name": "Other"}),
            format!("{w}.folders[1].id"),
        ),
        (
            format!("{ws}/views/1/id"),
            json!("x1"),
            format!("{w}.views[1].id"),
        ),
        (
            format!("{ws}/views/0/name"),
            json!("  "),
            format!("{w}.views[0].name"),
        ),
        (
            format!("{ws}/views/1/name"),
            json!("t"),
            format!("{w}.views[1].name"),
        ),
        (
            format!("{ws}/folders/0/name"),
            json!(""),
            format!("{w}.folders[0].name"),
        ),
        (
            format!("{ws}/folders/-"),
            json!({"id": "111", "name": "default"}),
            format!("{w}.folders[1].name"),
        ),
        (
            format!("{ws}/groups/-"),
            json!({"id": "301", "name": "g"}),
            format!("{w}.groups[1].name"),
        ),
        (
            format!("{ws}/groups/0/name"),
            json!(" "),
            format!("{w}.groups[0].name"),
        ),
        (
            format!("{ws}/views/0/type"),
            json!("Chart"),
            format!("{w}.views[0].type"),
        ),
        (
            format!("{ws}/views/0/type"),
            json!("table"),
            format!("{w}.views[0].type"),
        ),
        (
            format!("{ws}/views/1/owner"),
            json!("nobody@x.com"),
            format!("{w}.views[1].owner"),
        ),
        (
            format!("{ws}/shares/0/shared_by"),
            json!("nobody@x.com"),
            format!("{w}.shares[0].shared_by"),
        ),
        (
            format!("{ws}/views/0/folder"),
            json!("999"),
            format!("{w}.views[0].folder"),
        ),
        (
            format!("{ws}/views/1/parent"),
            json!("999"),
            format!("{w}.views[1].parent"),
        ),
        (
            format!("{ws}/views/0/parent"),
            json!("200"),
            format!("{w}.views[0].parent"),
        ),
        (
            format!("{ws}/groups/0/members/-"),
            json!("w@x.com"),
            format!("{w}.groups[0].members[1]"),
        ),
        (
            format!("{ws}/groups/0/members/-"),
            json!("U@x.com"),
            format!("{w}.groups[0].members[1]"),
        ),
        (
            format!("{ws}/shares/0/view"),
            json!("999"),
            format!("{w}.shares[0].view"),
        ),
        (
            format!("{ws}/shares/1/shared_with/id"),
            json!("999"),
            format!("{w}.shares[1].shared_with.id"),
        ),
        (
            format!("{ws}/shares/0/shared_with/email"),
            json!("w@x.com"),
            format!("{w}.shares[0].shared_with.email"),
        ),
        (
            format!("{ws}/shares/0/shared_with/email"),
            json!("o@x.com"),
            format!("{w}.shares[0].shared_with.email"),
        ),
        (
            format!("{ws}/shares/0/shared_with/type"),
            json!("role"),
            format!("{w}.shares[0].shared_with.type"),
        ),
        (
            format!("{ws}/shares/0/permissions/fly"),
            json!(true),
            format!("{w}.shares[0].permissions.fly"),
        ),
        (
            format!("{ws}/shares/0/permissions/export"),
            json!("yes"),
            format!("{w}.shares[0].permissions.export"),
        ),
        (
            format!("{ws}/shares/0/permissions"),
            json!({"export": true}),
            format!("{w}.shares[0].permissions.read"),
        ),
        (
            format!("{ws}/shares/0/permissions/read"),
            json!(false),
            format!("{w}.shares[0].permissions.read"),
        ),
        (
            format!("{ws}/shares/0/columns"),
            json!([{"tableName": "T"}]),
            format!("{w}.shares[0].columns[0]"),
        ),
        (
            format!("{ws}/shares/0/vud_columns"),
            json!([{"tableName": "T", "columnNames": "c"}]),
            format!("{w}.shares[0].vud_columns[0]"),
        ),
        (
            format!("{ws}/shares/-"),
            json!({"view": "200", "shared_with": {"type": "user", "email": "V@x.com"}, "permissions": {"read": true}}),
            format!("{w}.shares[2].shared_with"),
        ),
    ];
    // A share to the view's owner: Uma owns view 201.
    let mut owner_case = json!({"orgs": [small_org()]});
    set(
        &mut owner_case,
        &format!("{ws}/shares/-"),
        json!({"view": "201", "shared_with": {"type": "user", "email": "u@x.com"}, "permissions": {"read": true}}),
    );
    let valid = json!({"orgs": [small_org()]});
    assert_eq!(
        server
            .admin("PUT", "/__admin/state", Some(valid.clone()))
            .await
            .status,
        204,
        "the base document is valid"
    );
    let before = server.admin("GET", "/__admin/state", None).await.text();
    let mut documents: Vec<(Value, String)> = cases
        .into_iter()
        .map(|(pointer, value, path)| {
            let mut doc = valid.clone();
            set(&mut doc, &pointer, value);
            (doc, path)
        })
        .collect();
    documents.push((owner_case, format!("{w}.shares[2].shared_with.email")));
    for (doc, path) in documents {
        let reply = server
            .admin("PUT", "/__admin/state", Some(doc.clone()))
            .await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text());
        let message = reply.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            message.starts_with(&format!("{path}: ")),
            "want {path}: ..., got {message}"
        );
        assert!(
            message.len() > path.len() + 2,
            "{message}: a reason after the path"
        );
        assert_eq!(
            server.admin("GET", "/__admin/state", None).await.text(),
            before,
            "{path}: state unchanged"
        );
        // The same org through POST /__admin/orgs names the path from the org.
        let mut org = doc["orgs"][0].clone();
        org["id"] = json!("acme2");
        // Its own crm ids, so that only the Analytics fault can answer.
        org.as_object_mut().unwrap().remove("zgid");
        let reply = server.admin("POST", "/__admin/orgs", Some(org)).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text());
        let relative = path.replacen("$.orgs[0]", "$", 1);
        let message = reply.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            message.starts_with(&format!("{relative}: ")),
            "want {relative}: ..., got {message}"
        );
    }
    // A disabled user may keep a share (as for CRM shares).
    let mut doc = valid.clone();
    set(&mut doc, "/orgs/0/users/2/status", json!("disabled"));
    assert_eq!(
        server
            .admin("PUT", "/__admin/state", Some(doc))
            .await
            .status,
        204
    );
}

/// A JSON value with its object keys in document order (serde_json's `Value` sorts them).
#[derive(Debug, Clone, PartialEq)]
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Scalar(Value),
}

impl Ordered {
    fn keys(&self) -> Vec<&str> {
        match self {
            Ordered::Object(entries) => entries.iter().map(|(k, _)| k.as_str()).collect(),
            other => panic!("not an object: {other:?}"),
        }
    }
    fn get(&self, key: &str) -> &Ordered {
        match self {
            Ordered::Object(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .unwrap_or_else(|| panic!("no key {key}")),
            other => panic!("not an object: {other:?}"),
        }
    }
    fn at(&self, index: usize) -> &Ordered {
        match self {
            Ordered::Array(items) => &items[index],
            other => panic!("not an array: {other:?}"),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Ordered>()? {
                    entries.push((k, v));
                }
                Ok(Ordered::Object(entries))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Ordered>()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::Null))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

async fn ordered_state(server: &TestServer) -> Ordered {
    let reply = server.admin("GET", "/__admin/state", None).await;
    assert_eq!(reply.status, 200);
    serde_json::from_slice(&reply.body).expect("the export is JSON")
}

const WORKSPACE_KEYS: [&str; 12] = [
    "id",
    "owner_email",
    "name",
    "description",
    "created_time",
    "admins",
    "users",
    "inactive_users",
    "folders",
    "views",
    "groups",
    "shares",
];
const VIEW_KEYS: [&str; 8] = [
    "id",
    "name",
    "type",
    "owner",
    "description",
    "folder",
    "parent",
    "created_time",
];
const GROUP_KEYS: [&str; 4] = ["id", "name", "description", "members"];
const SHARE_KEYS: [&str; 11] = [
    "view",
    "shared_with",
    "permissions",
    "criteria",
    "inherit_parent_filter_criteria",
    "columns",
    "vud_columns",
    "drill_columns",
    "include_all_cols_for_vud",
    "shared_by",
    "shared_time",
];

#[tokio::test]
async fn export_writes_every_analytics_key_in_order_with_defaults_filled() {
    let server = TestServer::with_fixture(&json!({"orgs": [small_org()]}).to_string()).await;
    let state = ordered_state(&server).await;
    let org = state.get("orgs").at(0);
    let keys = org.keys();
    let zgid = keys.iter().position(|k| *k == "zgid").expect("zgid");
    assert_eq!(keys[zgid + 1], "analytics_org_id");
    assert_eq!(
        org.get("analytics_org_id"),
        &Ordered::Scalar(json!("800012345"))
    );
    for (i, role) in ["ACCOUNTADMIN", "USER", "VIEWER", "USER"]
        .iter()
        .enumerate()
    {
        let user = org.get("users").at(i);
        let keys = user.keys();
        let status = keys.iter().position(|k| *k == "status").expect("status");
        assert_eq!(keys[status + 1], "analytics_role", "user {i}");
        assert_eq!(
            user.get("analytics_role"),
            &Ordered::Scalar(json!(role)),
            "user {i}"
        );
    }
    let ws = org.get("analytics").get("workspaces").at(0);
    assert_eq!(ws.keys(), WORKSPACE_KEYS);
    for i in 0..2 {
        assert_eq!(ws.get("views").at(i).keys(), VIEW_KEYS);
        assert_eq!(ws.get("shares").at(i).keys(), SHARE_KEYS);
        assert_eq!(ws.get("shares").at(i).get("permissions").keys(), ALL20);
    }
    assert_eq!(ws.get("groups").at(0).keys(), GROUP_KEYS);
    // The values, defaults filled (serde_json's Value compares regardless of order).
    let exported = server.state().await;
    let ws = &exported["orgs"][0]["analytics"]["workspaces"][0];
    let t0 = "2026-01-01T00:00:00+00:00";
    let mut read_only: Value = ALL20
        .iter()
        .map(|k| ((*k).to_owned(), json!(*k == "read")))
        .collect::<serde_json::Map<_, _>>()
        .into();
    assert_eq!(
        ws,
        &json!({
            "id": "100", "owner_email": "o@x.com", "name": "W", "description": "", "created_time": t0,
            "admins": ["u@x.com"], "users": ["u@x.com", "v@x.com"], "inactive_users": [],
            "folders": [{"id": "110", "name": "Default"}],
            "views": [
                {"id": "200", "name": "T", "type": "Table", "owner": "o@x.com", "description": "", "folder": "110", "parent": null, "created_time": t0},
                {"id": "201", "name": "R", "type": "Report", "owner": "u@x.com", "description": "", "folder": "110", "parent": "200", "created_time": t0}],
            "groups": [{"id": "300", "name": "G", "description": "", "members": ["u@x.com"]}],
            "shares": [
                {"view": "200", "shared_with": {"type": "user", "email": "v@x.com"}, "permissions": read_only.clone(),
                 "criteria": "", "inherit_parent_filter_criteria": false, "columns": [], "vud_columns": [], "drill_columns": [],
                 "include_all_cols_for_vud": false, "shared_by": "o@x.com", "shared_time": t0},
                {"view": "200", "shared_with": {"type": "group", "id": "300"}, "permissions": read_only.take(),
                 "criteria": "", "inherit_parent_filter_criteria": false, "columns": [], "vud_columns": [], "drill_columns": [],
                 "include_all_cols_for_vud": false, "shared_by": "o@x.com", "shared_time": t0}]
        })
    );
    // Export then import is lossless.
    let text = server.admin("GET", "/__admin/state", None).await.text();
    let copy = TestServer::with_fixture(&text).await;
    assert_eq!(copy.admin("GET", "/__admin/state", None).await.text(), text);
}

#[tokio::test]
async fn absent_ids_are_minted_in_document_order_and_admins_join_users() {
    let mut org = small_org();
    org["analytics"]["workspaces"] = json!([
        {"owner_email": "o@x.com", "name": "A", "admins": ["u@x.com"],
         "views": [{"name": "T1"}, {"name": "T2"}], "groups": [{"name": "G1"}]},
        {"owner_email": "o@x.com", "name": "B", "folders": [], "views": [{"name": "T3"}]}
    ]);
    let fixture = json!({"orgs": [org]}).to_string();
    let first = TestServer::with_fixture(&fixture).await.state().await;
    let second = TestServer::with_fixture(&fixture).await.state().await;
    assert_eq!(first, second, "a fixture always loads with the same ids");
    let a = &first["orgs"][0]["analytics"]["workspaces"][0];
    let b = &first["orgs"][0]["analytics"]["workspaces"][1];
    let id = |v: &Value| v.as_str().unwrap().parse::<u64>().unwrap();
    let minted = [
        id(&a["id"]),
        id(&b["id"]),
        id(&a["folders"][0]["id"]),
        id(&a["views"][0]["id"]),
        id(&a["views"][1]["id"]),
        id(&a["groups"][0]["id"]),
        id(&b["folders"][0]["id"]),
        id(&b["views"][0]["id"]),
    ];
    for pair in minted.windows(2) {
        assert!(
            pair[0] < pair[1],
            "minted in order: workspaces, then per workspace folder, views, groups: {minted:?}"
        );
    }
    for value in minted {
        assert!(
            (1_000_000_000_000_000_000..=9_223_372_036_854_775_807).contains(&value),
            "{value}"
        );
    }
    assert_eq!(a["folders"][0]["name"], "Default");
    assert_eq!(
        b["folders"].as_array().unwrap().len(),
        1,
        "[] means one Default folder"
    );
    assert_eq!(a["views"][0]["folder"], a["folders"][0]["id"]);
    assert_eq!(a["views"][0]["type"], "Table");
    assert_eq!(
        a["users"],
        json!(["u@x.com"]),
        "an admin missing from users is appended"
    );
}

#[tokio::test]
async fn the_sandbox_holds_the_analytics_additions_of_design_4() {
    let server = TestServer::start().await;
    let state = server.state().await;
    let org = org_of(&state, "zylker");
    assert_eq!(org["analytics_org_id"], ORG_ID);
    let roles: Vec<(String, String)> = org["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["email"].as_str().unwrap().to_owned(),
                u["analytics_role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (email, role) in &roles {
        let want = match email.as_str() {
            "patricia@zylker.com" => "ACCOUNTADMIN",
            "mason@zylker.com" => "ORGADMIN",
            "ava@zylker.com" => "VIEWER",
            _ => "USER",
        };
        assert_eq!(role, want, "{email}");
    }
    let read = |keys: &[&str]| -> Value {
        ALL20
            .iter()
            .map(|k| ((*k).to_owned(), json!(keys.contains(k))))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let share = |view: &str, with: Value, keys: &[&str], criteria: &str| {
        json!({
        "view": view, "shared_with": with, "permissions": read(keys), "criteria": criteria,
        "inherit_parent_filter_criteria": false, "columns": [], "vud_columns": [], "drill_columns": [],
        "include_all_cols_for_vud": false, "shared_by": "patricia@zylker.com", "shared_time": "2026-03-03T09:00:00+00:00"})
    };
    let view = |id: &str, name: &str, kind: &str, owner: &str, parent: Value, time: &str| {
        json!({
        "id": id, "name": name, "type": kind, "owner": owner, "description": "", "folder": "4150868000002110005",
        "parent": parent, "created_time": time})
    };
    let p = "patricia@zylker.com";
    let expected = json!({
        "id": MI, "owner_email": p, "name": "Marketing Insights", "description": "Campaign and lead reporting",
        "created_time": "2026-03-02T08:15:00+00:00", "admins": ["ryan@zylker.com"],
        "users": ["ryan@zylker.com", "liam@zylker.com", "sophia@zylker.com", "noah@zylker.com", "ava@zylker.com"],
        "inactive_users": [], "folders": [{"id": "4150868000002110005", "name": "Default"}],
        "views": [
            view(CAMPAIGN_LEADS, "Campaign Leads", "Table", p, Value::Null, "2026-03-02T08:20:00+00:00"),
            view(LEADS_BY_REGION, "Leads by Region", "AnalysisView", p, json!(CAMPAIGN_LEADS), "2026-03-02T08:30:00+00:00"),
            view(CAMPAIGN_PIVOT, "Campaign Pivot", "Pivot", p, json!(CAMPAIGN_LEADS), "2026-03-02T08:40:00+00:00"),
            view(MARKETING_OVERVIEW, "Marketing Overview", "Dashboard", p, Value::Null, "2026-03-02T08:50:00+00:00"),
            view(LEAD_NOTES, "Lead Notes", "Report", "liam@zylker.com", json!(CAMPAIGN_LEADS), "2026-03-04T11:00:00+00:00")],
        "groups": [{"id": REGIONAL_LEADS, "name": "Regional Leads", "description": "Regional marketing leads",
                    "members": ["liam@zylker.com", "sophia@zylker.com"]}],
        "shares": [
            share(LEADS_BY_REGION, json!({"type": "user", "email": "liam@zylker.com"}), &["read", "export"], ""),
            share(LEADS_BY_REGION, json!({"type": "user", "email": "sophia@zylker.com"}), &["read"], "\"Campaign Leads\".\"Region\"='East'"),
            share(LEADS_BY_REGION, json!({"type": "group", "id": REGIONAL_LEADS}), &["read", "vud", "drillDown"], ""),
            share(MARKETING_OVERVIEW, json!({"type": "user", "email": "noah@zylker.com"}), &["read", "share"], ""),
            share(CAMPAIGN_LEADS, json!({"type": "user", "email": "ava@zylker.com"}), &["read", "export", "addRow"], "")]
    });
    assert_eq!(workspace_of(org, MI), &expected);
    // The four other workspaces: description, time, folder, views; one share in Amelia's.
    let ap = workspace_of(org, AMELIAS_WS);
    assert_eq!(ap["created_time"], "2026-02-02T10:30:00+00:00");
    assert_eq!(
        ap["folders"],
        json!([{"id": "4150868000002110003", "name": "Default"}])
    );
    assert_eq!(
        ap["shares"],
        json!([{
        "view": FORECAST, "shared_with": {"type": "user", "email": "olivia@zylker.com"}, "permissions": read(&["read", "export"]),
        "criteria": "", "inherit_parent_filter_criteria": false, "columns": [], "vud_columns": [], "drill_columns": [],
        "include_all_cols_for_vud": false, "shared_by": "amelia@zylker.com", "shared_time": "2026-02-03T09:00:00+00:00"}])
    );
    for (ws, time, folder, views) in [
        (
            SALES_WS,
            "2026-01-05T09:00:00+00:00",
            "4150868000002110001",
            vec![
                (
                    "4150868000002200001",
                    "Deals",
                    "Table",
                    Value::Null,
                    "2026-01-05T09:10:00+00:00",
                ),
                (
                    "4150868000002200002",
                    "Deals by Stage",
                    "AnalysisView",
                    json!("4150868000002200001"),
                    "2026-01-05T09:20:00+00:00",
                ),
                (
                    "4150868000002200003",
                    "Sales Dashboard",
                    "Dashboard",
                    Value::Null,
                    "2026-01-05T09:30:00+00:00",
                ),
            ],
        ),
        (
            SUPPORT_WS,
            "2026-01-12T09:00:00+00:00",
            "4150868000002110002",
            vec![
                (
                    "4150868000002200004",
                    "Tickets",
                    "Table",
                    Value::Null,
                    "2026-01-12T09:10:00+00:00",
                ),
                (
                    "4150868000002200005",
                    "Tickets by Status",
                    "Pivot",
                    json!("4150868000002200004"),
                    "2026-01-12T09:20:00+00:00",
                ),
            ],
        ),
        (
            AMELIAS_WS,
            "2026-02-02T10:30:00+00:00",
            "4150868000002110003",
            vec![
                (
                    OPPORTUNITIES,
                    "Opportunities",
                    "Table",
                    Value::Null,
                    "2026-02-02T10:40:00+00:00",
                ),
                (
                    FORECAST,
                    "Forecast",
                    "SummaryView",
                    json!(OPPORTUNITIES),
                    "2026-02-02T10:50:00+00:00",
                ),
            ],
        ),
        (
            "4150868000002100004",
            "2026-02-16T14:00:00+00:00",
            "4150868000002110004",
            vec![(
                "4150868000002200008",
                "Experiments",
                "Table",
                Value::Null,
                "2026-02-16T14:10:00+00:00",
            )],
        ),
    ] {
        let w = workspace_of(org, ws);
        assert_eq!(w["description"], "", "{ws}");
        assert_eq!(w["created_time"], time, "{ws}");
        assert_eq!(
            w["folders"],
            json!([{"id": folder, "name": "Default"}]),
            "{ws}"
        );
        assert_eq!(w["groups"], json!([]), "{ws}");
        let owner = w["owner_email"].clone();
        let want: Vec<Value> = views.into_iter().map(|(id, name, kind, parent, t)| json!({
            "id": id, "name": name, "type": kind, "owner": owner, "description": "", "folder": folder,
            "parent": parent, "created_time": t})).collect();
        assert_eq!(w["views"], Value::Array(want), "{ws}");
        if ws != AMELIAS_WS {
            assert_eq!(w["shares"], json!([]), "{ws}");
        }
    }
}

#[tokio::test]
async fn a_copied_org_gets_fresh_analytics_ids_with_every_reference_following() {
    let server = TestServer::start().await;
    let reply = server.admin("POST", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let copy = reply.json();
    let state = server.state().await;
    let sandbox = org_of(&state, "zylker");
    assert_eq!(
        org_of(&state, copy["id"].as_str().unwrap()),
        &copy,
        "201 with the org as stored"
    );
    assert_ne!(copy["zgid"], sandbox["zgid"]);
    assert_eq!(copy["analytics_org_id"], copy["zgid"]);
    // Every Analytics id of the copy is new, none repeats, and references follow.
    let mut sandbox_ids = BTreeSet::new();
    let mut copy_ids = BTreeSet::new();
    let both = sandbox["analytics"]["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .zip(copy["analytics"]["workspaces"].as_array().unwrap());
    for (old, new) in both {
        assert_eq!(old["name"], new["name"]);
        let mut map = std::collections::BTreeMap::new();
        for (kind, ids) in [("folders", "id"), ("views", "id"), ("groups", "id")] {
            let olds = old[kind].as_array().unwrap();
            let news = new[kind].as_array().unwrap();
            assert_eq!(olds.len(), news.len(), "{kind}");
            for (o, n) in olds.iter().zip(news) {
                assert_eq!(o["name"], n["name"], "{kind}");
                map.insert(
                    o[ids].as_str().unwrap().to_owned(),
                    n[ids].as_str().unwrap().to_owned(),
                );
                assert!(sandbox_ids.insert(o[ids].as_str().unwrap().to_owned()));
                assert!(
                    copy_ids.insert(n[ids].as_str().unwrap().to_owned()),
                    "{kind} ids are unique"
                );
            }
        }
        assert!(sandbox_ids.insert(old["id"].as_str().unwrap().to_owned()));
        assert!(copy_ids.insert(new["id"].as_str().unwrap().to_owned()));
        let follow = |v: &Value| -> Value {
            match v.as_str() {
                Some(id) => json!(map.get(id).unwrap_or_else(|| panic!("{id} is mapped"))),
                None => Value::Null,
            }
        };
        for (o, n) in old["views"]
            .as_array()
            .unwrap()
            .iter()
            .zip(new["views"].as_array().unwrap())
        {
            assert_eq!(n["folder"], follow(&o["folder"]));
            assert_eq!(n["parent"], follow(&o["parent"]));
        }
        for (o, n) in old["shares"]
            .as_array()
            .unwrap()
            .iter()
            .zip(new["shares"].as_array().unwrap())
        {
            assert_eq!(n["view"], follow(&o["view"]));
            if o["shared_with"]["type"] == "group" {
                assert_eq!(n["shared_with"]["id"], follow(&o["shared_with"]["id"]));
            } else {
                assert_eq!(n["shared_with"], o["shared_with"]);
            }
            assert_eq!(n["permissions"], o["permissions"]);
        }
        assert_eq!(new["users"], old["users"]);
        assert_eq!(new["admins"], old["admins"]);
        assert_eq!(new["groups"][0]["members"], old["groups"][0]["members"]);
    }
    assert!(sandbox_ids.is_disjoint(&copy_ids), "fresh ids");
    // Through v2, the copy answers with its own ids and org id, and only those.
    // The copy keeps the sandbox's tokens in order, with fresh strings: the copy of
    // `1000.sandbox.admin` is where that token is in the sandbox.
    let admin_at = sandbox["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["access_token"] == ADMIN_TOKEN)
        .unwrap();
    let token = copy["tokens"][admin_at]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(token, ADMIN_TOKEN);
    let zgid = copy["zgid"].as_str().unwrap().to_owned();
    let copy_mi = copy["analytics"]["workspaces"][4]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let orgs = v2(&server, "GET", "/restapi/v2/orgs")
        .token(&token)
        .send()
        .await
        .json();
    assert_eq!(orgs["data"]["orgs"][0]["orgId"], json!(zgid));
    let info = v2(&server, "GET", &ws_path(&copy_mi, "/share"))
        .token(&token)
        .org(&zgid)
        .send()
        .await;
    assert_eq!(info.status, 200, "{}", info.text());
    assert_eq!(
        info.json()["data"]["groupShareInfo"][0]["groupId"],
        copy["analytics"]["workspaces"][4]["groups"][0]["id"]
    );
    check_err(
        &v2(&server, "GET", &ws_path(&copy_mi, "/share"))
            .token(&token)
            .send()
            .await,
        "7387_orgid_mismatch",
    );
    check_err(
        &v2(&server, "GET", &mi("/share"))
            .token(&token)
            .org(&zgid)
            .send()
            .await,
        "7103_workspace_not_found",
    );
    // The copy's changes stay in the copy.
    check_204(
        &v2(&server, "POST", &ws_path(&copy_mi, "/share"))
            .token(&token)
            .org(&zgid)
            .config(&json!({"viewIds": [copy["analytics"]["workspaces"][4]["views"][2]["id"]], "emailIds": ["noah@zylker.com"], "permissions": {"read": true}}))
            .send()
            .await,
    );
    check(
        &get(&server, &mi("/share")).await,
        "examples/12_3_share_info.json",
    );
}

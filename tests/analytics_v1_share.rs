//! Analytics v1 SHARE, REMOVESHARE and GETSHAREINFO with view shares and groups, over the one
//! workspace state that v2 reads and writes (spec analytics-v2-sharing.md §10, §12.10), against
//! the real server.

mod support;

use serde_json::{Value, json};
use support::*;

const MI_PATH: &str = "/api/patricia%40zylker.com/Marketing%20Insights";
const SALES: &str = "/api/patricia%40zylker.com/Sales%20Analytics";
const SUPPORT_DESK: &str = "/api/patricia%40zylker.com/Support%20Desk";
const AMELIAS: &str = "/api/amelia%40zylker.com/Amelia's%20Pipeline";
const R_AND_D: &str = "/api/patricia%40zylker.com/R%26D%20%22Q4%22%20%3CForecasts%3E%20Caf%C3%A9";
const FORM_CT: &str = "application/x-www-form-urlencoded";
const ORG_ID: &str = "700017001";
const MI: &str = "4150868000002100005";
const CAMPAIGN_LEADS: &str = "4150868000002200009";
const LEADS_BY_REGION: &str = "4150868000002200010";
const CAMPAIGN_PIVOT: &str = "4150868000002200011";
const MARKETING_OVERVIEW: &str = "4150868000002200012";
const REGIONAL_LEADS: &str = "4150868000002300001";

const USERS: [(&str, &str); 8] = [
    ("ryan", "4150868000001199002"),
    ("liam", "4150868000001199004"),
    ("sophia", "4150868000001199005"),
    ("noah", "4150868000001199006"),
    ("mia", "4150868000001199009"),
    ("mason", "4150868000001199012"),
    ("ava", "4150868000001199013"),
    ("amelia", "4150868000001199001"),
];

/// Request parameters in order; names may repeat.
#[derive(Clone, Debug)]
struct Form(Vec<(String, String)>);

impl Form {
    /// The four common parameters, answering in JSON both ways.
    fn action(action: &str) -> Form {
        Form(Vec::new())
            .add("ZOHO_ACTION", action)
            .add("ZOHO_OUTPUT_FORMAT", "JSON")
            .add("ZOHO_ERROR_FORMAT", "JSON")
            .add("ZOHO_API_VERSION", "1.0")
    }
    fn add(mut self, name: &str, value: &str) -> Form {
        self.0.push((name.to_owned(), value.to_owned()));
        self
    }
    fn set(self, name: &str, value: &str) -> Form {
        self.without(name).add(name, value)
    }
    fn without(mut self, name: &str) -> Form {
        self.0.retain(|(n, _)| n != name);
        self
    }
    /// Both formats XML.
    fn xml(self) -> Form {
        self.set("ZOHO_OUTPUT_FORMAT", "XML")
            .set("ZOHO_ERROR_FORMAT", "XML")
    }
    fn encoded(&self) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.0 {
            serializer.append_pair(name, value);
        }
        serializer.finish()
    }
}

fn share(views: &str, emails: &str) -> Form {
    Form::action("SHARE")
        .add("ZOHO_VIEWS", views)
        .add("ZOHO_EMAILS", emails)
        .add("ZOHO_READ", "true")
}

fn remove_share(views: &str, emails: &str) -> Form {
    Form::action("REMOVESHARE")
        .add("ZOHO_VIEWS", views)
        .add("ZOHO_EMAILS", emails)
}

fn share_info() -> Form {
    Form::action("GETSHAREINFO")
}

/// As the seed's curl sample: everything in an urlencoded POST body.
async fn post(server: &TestServer, path: &str, token: &str, form: &Form) -> Reply {
    let request = server
        .client
        .post(server.url(path))
        .header("Authorization", format!("Zoho-oauthtoken {token}"))
        .header("Content-Type", FORM_CT)
        .body(form.encoded());
    server.send(request).await
}

/// As zoho-analytics-connector sends SHARE: the action, formats, version, emails and views in a
/// query string that starts with `&`, the permission flags in a form body (spec §10).
async fn connector(
    server: &TestServer,
    method: &str,
    path: &str,
    token: &str,
    query: &Form,
    body: &Form,
) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let request = server
        .client
        .request(method, format!("{}?&{}", server.url(path), query.encoded()))
        .header("Authorization", format!("Zoho-oauthtoken {token}"))
        .header("Content-Type", FORM_CT)
        .body(body.encoded());
    server.send(request).await
}

/// `assert_golden` on `tests/golden/{dir}/{name}`, plus the exact bytes of a JSON answer:
/// compact, keys in Zoho's order, every `/` written `\/` (analytics-workspace-admins.md §6).
#[track_caller]
fn assert_v1(reply: &Reply, name: &str) {
    let name = if name.contains('/') {
        name.to_owned()
    } else {
        format!("analytics/v1_share/{name}")
    };
    assert_golden(reply, &name);
    if name.ends_with(".json") {
        let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
        let golden: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(
            reply.text(),
            zoho_json(&golden["body"]),
            "{name}: exact bytes"
        );
    }
}

/// The key order of Zoho's v1 envelopes: analytics-workspace-admins.md §5-§6 and
/// analytics-v2-sharing.md §10.3 (`shareinfo`, `perminfo`, the twelve `permission` keys).
const KEY_ORDER: [&str; 35] = [
    "response",
    "uri",
    "action",
    "result",
    "error",
    "code",
    "message",
    "usershareinfo",
    "groupshareinfo",
    "publicshareinfo",
    "privatelinkshareinfo",
    "dbownershareinfo",
    "shareinfo",
    "email",
    "groupName",
    "desc",
    "groupmembers",
    "permissions",
    "perminfo",
    "viewname",
    "sharedby",
    "permission",
    "read",
    "export",
    "vud",
    "addrow",
    "updaterow",
    "deleterow",
    "deleteallrows",
    "appendimport",
    "updateimport",
    "truncateimport",
    "deleteupdateaddimport",
    "share",
    "dbowners",
];

fn zoho_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| {
                KEY_ORDER
                    .iter()
                    .position(|o| o == k)
                    .unwrap_or_else(|| panic!("a known key: {k}"))
            });
            let entries: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", zoho_json(&json!(k)), zoho_json(&map[k.as_str()])))
                .collect();
            format!("{{{}}}", entries.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(zoho_json).collect::<Vec<_>>().join(",")
        ),
        Value::String(_) => value.to_string().replace('/', "\\/"),
        other => other.to_string(),
    }
}

fn user_id(name: &str) -> &'static str {
    USERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, id)| *id)
        .unwrap_or_else(|| panic!("no sandbox user {name}"))
}

async fn mint(server: &TestServer, user: &str, scopes: &[&str]) -> String {
    let reply = server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(json!({"org": "zylker", "user": user, "scopes": scopes})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["access_token"].as_str().unwrap().to_owned()
}

async fn token_of(server: &TestServer, name: &str) -> String {
    mint(server, user_id(name), &["ZohoAnalytics.fullaccess.all"]).await
}

/// A v2 GET with Patricia's token and the org header.
async fn v2_get(server: &TestServer, path: &str, config: Option<Value>, token: &str) -> Reply {
    let mut url = server.url(path);
    if let Some(config) = config {
        let encoded: String =
            form_urlencoded::byte_serialize(config.to_string().as_bytes()).collect();
        url = format!("{url}?CONFIG={encoded}");
    }
    let request = server
        .client
        .get(url)
        .header("Authorization", format!("Zoho-oauthtoken {token}"))
        .header("ZANALYTICS-ORGID", ORG_ID);
    server.send(request).await
}

async fn v2_send(server: &TestServer, method: &str, path: &str, config: Value) -> Reply {
    let encoded: String = form_urlencoded::byte_serialize(config.to_string().as_bytes()).collect();
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let request = server
        .client
        .request(method, format!("{}?CONFIG={encoded}", server.url(path)))
        .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
        .header("ZANALYTICS-ORGID", ORG_ID);
    server.send(request).await
}

fn mi(tail: &str) -> String {
    format!("/restapi/v2/workspaces/{MI}{tail}")
}

async fn workspace(server: &TestServer, ws: &str) -> Value {
    let state = server.state().await;
    state["orgs"][0]["analytics"]["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == ws)
        .cloned()
        .unwrap_or_else(|| panic!("workspace {ws}"))
}

/// The exported share of `view` with the user `email`, if any.
fn user_share(ws: &Value, view: &str, email: &str) -> Option<Value> {
    ws["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["view"] == view && s["shared_with"]["email"] == email)
        .cloned()
}

fn granted(share: &Value) -> Vec<String> {
    share["permissions"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| **v == json!(true))
        .map(|(k, _)| k.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The keys, sorted and without repeats (as `granted` lists them).
fn sorted(keys: &[&str]) -> Vec<String> {
    let set: std::collections::BTreeSet<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    set.into_iter().collect()
}

fn users(ws: &Value) -> Vec<String> {
    ws["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_owned())
        .collect()
}

async fn set_clock(server: &TestServer, now: &str) {
    let reply = server
        .admin("PUT", "/__admin/clock", Some(json!({"now": now})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

// =============================================================================================
// §12.10 and §10.3: GETSHAREINFO with view shares and groups.

#[tokio::test]
async fn example_12_10_getshareinfo_on_marketing_insights_in_json_and_xml() {
    let server = TestServer::start().await;
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &share_info()).await,
        "getshareinfo_marketing.json",
    );
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &share_info().xml()).await,
        "getshareinfo_marketing.xml",
    );
    // GET, with every parameter in the query string, as Zoho's own v1 client sends it.
    let url = format!("{MI_PATH}?&{}", share_info().encoded());
    assert_v1(
        &server.call("GET", &url, Some(ADMIN_TOKEN), None).await,
        "getshareinfo_marketing.json",
    );
}

#[tokio::test]
async fn example_12_10_share_as_zoho_analytics_connector_sends_it() {
    let server = TestServer::start().await;
    let query = Form(Vec::new())
        .add("ZOHO_ERROR_FORMAT", "JSON")
        .add("ZOHO_ACTION", "SHARE")
        .add("ZOHO_OUTPUT_FORMAT", "XML")
        .add("ZOHO_API_VERSION", "1.0")
        .add("ZOHO_EMAILS", "sophia@zylker.com")
        .add("ZOHO_VIEWS", "Campaign Pivot");
    let body = Form(Vec::new())
        .add("ZOHO_READ", "true")
        .add("ZOHO_EXPORT", "true");
    assert_v1(
        &connector(&server, "POST", MI_PATH, ADMIN_TOKEN, &query, &body).await,
        "share_success.xml",
    );
    let details = v2_get(
        &server,
        &mi("/share/shareddetails"),
        Some(json!({"viewIds": [CAMPAIGN_PIVOT]})),
        ADMIN_TOKEN,
    )
    .await;
    assert_golden(&details, "analytics/v2/examples/12_10_shared_details.json");
}

#[tokio::test]
async fn amelias_pipeline_shows_its_one_share() {
    let server = TestServer::start().await;
    // Amelia owns it; the standard token is hers.
    assert_v1(
        &post(&server, AMELIAS, STANDARD_TOKEN, &share_info()).await,
        "getshareinfo_amelias_pipeline.json",
    );
    assert_v1(
        &post(&server, AMELIAS, ADMIN_TOKEN, &share_info().xml()).await,
        "getshareinfo_amelias_pipeline.xml",
    );
}

#[tokio::test]
async fn the_other_workspaces_answer_byte_for_byte_as_before() {
    let server = TestServer::start().await;
    for (path, golden) in [
        (SALES, "share_info"),
        (SUPPORT_DESK, "share_info_no_admins"),
        (R_AND_D, "share_info_escaped_name"),
    ] {
        assert_v1(
            &post(&server, path, ADMIN_TOKEN, &share_info()).await,
            &format!("analytics/{golden}.json"),
        );
        assert_v1(
            &post(
                &server,
                path,
                ADMIN_TOKEN,
                &share_info().set("ZOHO_OUTPUT_FORMAT", "XML"),
            )
            .await,
            &format!("analytics/{golden}.xml"),
        );
    }
}

// =============================================================================================
// §10.1 SHARE.

#[tokio::test]
async fn share_answers_in_json_and_xml_and_by_get() {
    let server = TestServer::start().await;
    assert_v1(
        &post(
            &server,
            MI_PATH,
            ADMIN_TOKEN,
            &share("Campaign Pivot", "mia@zylker.com"),
        )
        .await,
        "share_success.json",
    );
    assert_v1(
        &post(
            &server,
            MI_PATH,
            ADMIN_TOKEN,
            &share("Campaign Pivot", "ethan@zylker.com").xml(),
        )
        .await,
        "share_success.xml",
    );
    let url = format!(
        "{MI_PATH}?&{}",
        share("Marketing Overview", "mia@zylker.com").encoded()
    );
    assert_v1(
        &server.call("GET", &url, Some(ADMIN_TOKEN), None).await,
        "share_success.json",
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        &users(&ws)[5..],
        ["mia@zylker.com", "ethan@zylker.com"],
        "new users appended"
    );
    assert!(user_share(&ws, MARKETING_OVERVIEW, "mia@zylker.com").is_some());
}

#[tokio::test]
async fn share_stores_the_flags_as_the_permission_set() {
    let server = TestServer::start().await;
    set_clock(&server, "2026-11-21T09:30:00+00:00").await;
    let flags = [
        ("ZOHO_READ", "read"),
        ("ZOHO_EXPORT", "export"),
        ("ZOHO_VUD", "vud"),
        ("ZOHO_ADDROW", "addRow"),
        ("ZOHO_UPDATEROW", "updateRow"),
        ("ZOHO_DELETEROW", "deleteRow"),
        ("ZOHO_DELETEALLROWS", "deleteAllRows"),
        ("ZOHO_IMPORT_APPEND", "importAppend"),
        ("ZOHO_IMPORT_ADDORUPDATE", "importAddOrUpdate"),
        ("ZOHO_IMPORT_DELETEALLADD", "importDeleteAllAdd"),
        ("ZOHO_IMPORT_DELETEUPDATEADD", "importDeleteUpdateAdd"),
        ("ZOHO_SHARE", "share"),
        ("ZOHO_VUD_SELCOL", "vudSelectedColumns"),
        ("ZOHO_DRILLDOWN", "drillDown"),
    ];
    for (flag, key) in flags {
        let form = Form::action("SHARE")
            .add("ZOHO_VIEWS", "Campaign Pivot")
            .add("ZOHO_EMAILS", "mia@zylker.com")
            .add(flag, "TRUE");
        let reply = post(&server, MI_PATH, ADMIN_TOKEN, &form).await;
        assert_v1(&reply, "share_success.json");
        let ws = workspace(&server, MI).await;
        let stored = user_share(&ws, CAMPAIGN_PIVOT, "mia@zylker.com").unwrap();
        // Every share grants read (§10.1); SHARE again replaces the record.
        assert_eq!(granted(&stored), sorted(&["read", key]), "{flag}");
        assert_eq!(stored["shared_by"], "patricia@zylker.com");
        assert_eq!(stored["shared_time"], "2026-11-21T09:30:00+00:00");
        assert_eq!(stored["criteria"], "");
    }
    // ZOHO_READ=false still stores read.
    let form = share("Campaign Pivot", "mia@zylker.com")
        .set("ZOHO_READ", "False")
        .add("ZOHO_EXPORT", "true");
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &form).await,
        "share_success.json",
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        granted(&user_share(&ws, CAMPAIGN_PIVOT, "mia@zylker.com").unwrap()),
        sorted(&["read", "export"])
    );
    assert_eq!(
        ws["shares"].as_array().unwrap().len(),
        6,
        "one record per pair"
    );
}

#[tokio::test]
async fn share_again_replaces_the_record_of_the_pair() {
    let server = TestServer::start().await;
    set_clock(&server, "2026-12-01T08:00:00+00:00").await;
    let ryan = token_of(&server, "ryan").await;
    // A Workspace Admin may SHARE (an admin of the workspace, §10.1).
    let form = share("Leads by Region", "liam@zylker.com")
        .add("ZOHO_CRITERIA", "\"Campaign Leads\".\"Region\"='North'");
    assert_v1(
        &post(&server, MI_PATH, &ryan, &form).await,
        "share_success.json",
    );
    let ws = workspace(&server, MI).await;
    let liam = user_share(&ws, LEADS_BY_REGION, "liam@zylker.com").unwrap();
    assert_eq!(granted(&liam), sorted(&["read"]));
    assert_eq!(liam["criteria"], "\"Campaign Leads\".\"Region\"='North'");
    assert_eq!(liam["shared_by"], "ryan@zylker.com");
    assert_eq!(liam["shared_time"], "2026-12-01T08:00:00+00:00");
    assert_eq!(liam["columns"], json!([]));
    // v2 sees the same record.
    let details = v2_get(
        &server,
        &mi("/share/shareddetails"),
        Some(json!({"viewIds": [LEADS_BY_REGION]})),
        ADMIN_TOKEN,
    )
    .await;
    let first = details.json()["data"]["sharedDetails"][0]["shareInfo"][0].clone();
    assert_eq!(first["sharedTo"], "liam@zylker.com");
    assert_eq!(first["sharedBy"], "ryan@zylker.com");
    assert_eq!(first["permissionString"], "Read Access");
    assert_eq!(first["criteria"], "\"Campaign Leads\".\"Region\"='North'");
}

#[tokio::test]
async fn share_views_and_emails_lists() {
    let server = TestServer::start().await;
    // Trimmed, empty entries dropped, duplicates collapsed; several views and emails.
    let form = share(
        " Campaign Pivot ,, Marketing Overview,Campaign Pivot",
        "mia@zylker.com, ETHAN@zylker.com,,mia@zylker.com",
    )
    .add("ZOHO_INVITE_MAIL", "true")
    .add("ZOHO_MAIL_SUBJECT", "Shared");
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &form).await,
        "share_success.json",
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        &users(&ws)[5..],
        ["mia@zylker.com", "ethan@zylker.com"],
        "the user's own spelling"
    );
    for view in [CAMPAIGN_PIVOT, MARKETING_OVERVIEW] {
        for email in ["mia@zylker.com", "ethan@zylker.com"] {
            assert!(user_share(&ws, view, email).is_some(), "{view} {email}");
        }
    }
    assert_eq!(ws["shares"].as_array().unwrap().len(), 9);
}

#[tokio::test]
async fn share_parameter_errors_in_json_and_xml() {
    let server = TestServer::start().await;
    let base = share("Campaign Pivot", "mia@zylker.com");
    let cases: Vec<(Form, &str)> = vec![
        (base.clone().without("ZOHO_VIEWS"), "share_views_missing"),
        (base.clone().without("ZOHO_EMAILS"), "share_emails_missing"),
        (base.clone().set("ZOHO_VIEWS", " , ,"), "share_views_empty"),
        (base.clone().set("ZOHO_EMAILS", ","), "share_emails_empty"),
        (
            base.clone().set("ZOHO_VIEWS", "Campaign pivot"),
            "share_view_unknown",
        ),
        (
            base.clone().set("ZOHO_VIEWS", "Campaign Pivot,Deals"),
            "share_view_unknown",
        ),
        (
            base.clone().set("ZOHO_EMAILS", "mia@zylker.com,mia"),
            "share_emails_malformed",
        ),
        (
            base.clone().without("ZOHO_READ"),
            "share_permission_missing",
        ),
        (base.clone().set("ZOHO_READ", "yes"), "share_flag_invalid"),
        (base.clone().add("ZOHO_SHARE", "1"), "share_flag_invalid"),
        (
            base.clone()
                .set("ZOHO_VIEWS", "Campaign Pivot,Marketing Overview")
                .add("ZOHO_CRITERIA", "x"),
            "share_criteria_multi_view",
        ),
        (
            base.clone().add("ZOHO_DOMAINNAME", "reports.zylker.com"),
            "share_domain",
        ),
        (
            base.clone()
                .set("ZOHO_EMAILS", "mia@zylker.com,nobody@zylker.com"),
            "share_not_org_user",
        ),
        (
            base.clone().set("ZOHO_EMAILS", "derek@zylker.com"),
            "share_inactive_user",
        ),
        (
            base.clone().set("ZOHO_EMAILS", "Patricia@zylker.com"),
            "share_with_yourself",
        ),
        (
            base.clone()
                .set("ZOHO_EMAILS", "ava@zylker.com")
                .add("ZOHO_SHARE", "true")
                .add("ZOHO_DELETEROW", "true"),
            "share_read_only_user",
        ),
        (
            base.clone()
                .set("ZOHO_VIEWS", "Lead Notes")
                .set("ZOHO_EMAILS", "liam@zylker.com"),
            "share_view_owner",
        ),
    ];
    for (form, golden) in cases {
        assert_v1(
            &post(&server, MI_PATH, ADMIN_TOKEN, &form).await,
            &format!("{golden}.json"),
        );
        assert_v1(
            &post(&server, MI_PATH, ADMIN_TOKEN, &form.xml()).await,
            &format!("{golden}.xml"),
        );
    }
    // The workspace owner counts as an owner of every view (7323), when someone else shares.
    let ryan = token_of(&server, "ryan").await;
    let form = base.clone().set("ZOHO_EMAILS", "patricia@zylker.com");
    assert_v1(
        &post(&server, MI_PATH, &ryan, &form).await,
        "share_workspace_owner.json",
    );
    assert_v1(
        &post(&server, MI_PATH, &ryan, &form.xml()).await,
        "share_workspace_owner.xml",
    );
    // Nothing was shared by any of these.
    let ws = workspace(&server, MI).await;
    assert_eq!(ws["shares"].as_array().unwrap().len(), 5);
    assert_eq!(users(&ws).len(), 5);
}

#[tokio::test]
async fn share_and_removeshare_need_their_scopes() {
    let server = TestServer::start().await;
    let patricia = "4150868000001174048";
    let read_only = mint(
        &server,
        patricia,
        &["ZohoAnalytics.share.read", "ZohoAnalytics.share.delete"],
    )
    .await;
    let reply = post(
        &server,
        MI_PATH,
        &read_only,
        &share("Campaign Pivot", "mia@zylker.com"),
    )
    .await;
    assert_eq!(reply.status, 401, "{}", reply.text());
    assert_eq!(reply.json()["response"]["error"]["code"], 8540);
    let create = mint(&server, patricia, &["ZohoAnalytics.share.create"]).await;
    assert_v1(
        &post(
            &server,
            MI_PATH,
            &create,
            &share("Campaign Pivot", "mia@zylker.com"),
        )
        .await,
        "share_success.json",
    );
    let reply = post(
        &server,
        MI_PATH,
        &create,
        &remove_share("Campaign Pivot", "mia@zylker.com"),
    )
    .await;
    assert_eq!(reply.status, 401, "{}", reply.text());
    assert_eq!(reply.json()["response"]["error"]["code"], 8540);
    let delete = mint(&server, patricia, &["ZohoAnalytics.share.delete"]).await;
    assert_v1(
        &post(
            &server,
            MI_PATH,
            &delete,
            &remove_share("Campaign Pivot", "mia@zylker.com"),
        )
        .await,
        "removeshare_success.json",
    );
    // `SHARE` and `REMOVESHARE` are exact upper case; other spellings stay 8516.
    let reply = post(
        &server,
        MI_PATH,
        ADMIN_TOKEN,
        &share("Campaign Pivot", "mia@zylker.com").set("ZOHO_ACTION", "Share"),
    )
    .await;
    assert_eq!(reply.json()["response"]["error"]["code"], 8516);
}

#[tokio::test]
async fn share_processing_order_of_section_10_4() {
    let server = TestServer::start().await;
    let liam = token_of(&server, "liam").await;
    let base = share("Campaign Pivot", "mia@zylker.com");
    // 10a (views) before 10b (permission): Liam with a bad view list gets the list's error.
    for (form, golden) in [
        (base.clone().without("ZOHO_VIEWS"), "share_views_missing"),
        (base.clone().set("ZOHO_VIEWS", ","), "share_views_empty"),
        (base.clone().set("ZOHO_VIEWS", "Nope"), "share_view_unknown"),
    ] {
        assert_v1(
            &post(&server, MI_PATH, &liam, &form).await,
            &format!("{golden}.json"),
        );
    }
    // 10b before 11: with a good view list, Liam is refused before the emails and flags.
    for form in [
        base.clone().without("ZOHO_EMAILS"),
        base.clone().set("ZOHO_EMAILS", "x"),
        base.clone().without("ZOHO_READ"),
    ] {
        assert_v1(
            &post(&server, MI_PATH, &liam, &form).await,
            "share_not_permitted.json",
        );
    }
    assert_v1(
        &post(&server, MI_PATH, &liam, &base.clone().xml()).await,
        "share_not_permitted.xml",
    );
    // 11 in table order: ZOHO_EMAILS, the flags, ZOHO_CRITERIA, then the mail and domain keys.
    let two = base
        .clone()
        .set("ZOHO_VIEWS", "Campaign Pivot,Marketing Overview");
    for (form, golden) in [
        (
            base.clone().without("ZOHO_EMAILS").without("ZOHO_READ"),
            "share_emails_missing",
        ),
        (
            base.clone().set("ZOHO_EMAILS", "x").without("ZOHO_READ"),
            "share_emails_malformed",
        ),
        (
            base.clone()
                .without("ZOHO_READ")
                .add("ZOHO_DOMAINNAME", "d"),
            "share_permission_missing",
        ),
        (
            two.clone()
                .add("ZOHO_CRITERIA", "x")
                .add("ZOHO_DOMAINNAME", "d"),
            "share_criteria_multi_view",
        ),
        // 11 before 12: a parameter error wins over a state rule.
        (
            base.clone()
                .set("ZOHO_EMAILS", "nobody@zylker.com")
                .add("ZOHO_DOMAINNAME", "d"),
            "share_domain",
        ),
        // 12: per email first (7535), then per view (7323).
        (
            base.clone()
                .set("ZOHO_VIEWS", "Lead Notes")
                .set("ZOHO_EMAILS", "liam@zylker.com,nobody@zylker.com"),
            "share_not_org_user",
        ),
    ] {
        assert_v1(
            &post(&server, MI_PATH, ADMIN_TOKEN, &form).await,
            &format!("{golden}.json"),
        );
    }
}

#[tokio::test]
async fn who_may_share_through_v1() {
    let server = TestServer::start().await;
    let noah = token_of(&server, "noah").await;
    let mason = token_of(&server, "mason").await;
    // Noah holds share on Marketing Overview only.
    assert_v1(
        &post(
            &server,
            MI_PATH,
            &noah,
            &share("Marketing Overview", "mia@zylker.com"),
        )
        .await,
        "share_success.json",
    );
    let reply = post(
        &server,
        MI_PATH,
        &noah,
        &share("Marketing Overview,Campaign Pivot", "mia@zylker.com"),
    )
    .await;
    assert_eq!(reply.status, 403, "{}", reply.text());
    assert_eq!(reply.json()["response"]["error"]["code"], 7301);
    assert_eq!(
        user_share(
            &workspace(&server, MI).await,
            MARKETING_OVERVIEW,
            "mia@zylker.com"
        )
        .unwrap()["shared_by"],
        "noah@zylker.com"
    );
    // He may remove the shares of that view, but not every share of a user.
    assert_v1(
        &post(
            &server,
            MI_PATH,
            &noah,
            &remove_share("Marketing Overview", "mia@zylker.com"),
        )
        .await,
        "removeshare_success.json",
    );
    let all = Form::action("REMOVESHARE")
        .add("ZOHO_EMAILS", "liam@zylker.com")
        .add("ZOHO_ALLVIEWS", "true");
    assert_v1(
        &post(&server, MI_PATH, &noah, &all).await,
        "removeshare_not_permitted_all_views.json",
    );
    assert_v1(
        &post(&server, MI_PATH, &noah, &all.clone().xml()).await,
        "removeshare_not_permitted_all_views.xml",
    );
    // An Org Admin may do all of it.
    assert_v1(
        &post(
            &server,
            MI_PATH,
            &mason,
            &share("Campaign Pivot", "mia@zylker.com"),
        )
        .await,
        "share_success.json",
    );
    assert_v1(
        &post(&server, MI_PATH, &mason, &all).await,
        "removeshare_success.json",
    );
}

// =============================================================================================
// §10.2 REMOVESHARE.

#[tokio::test]
async fn removeshare_targeted_and_every_view() {
    let server = TestServer::start().await;
    assert_v1(
        &post(
            &server,
            MI_PATH,
            ADMIN_TOKEN,
            &remove_share("Leads by Region", "sophia@zylker.com"),
        )
        .await,
        "removeshare_success.json",
    );
    assert_v1(
        &post(
            &server,
            MI_PATH,
            ADMIN_TOKEN,
            &remove_share("Marketing Overview", "noah@zylker.com").xml(),
        )
        .await,
        "removeshare_success.xml",
    );
    let ws = workspace(&server, MI).await;
    assert!(user_share(&ws, LEADS_BY_REGION, "sophia@zylker.com").is_none());
    assert!(user_share(&ws, MARKETING_OVERVIEW, "noah@zylker.com").is_none());
    assert!(
        users(&ws).contains(&"sophia@zylker.com".to_owned()),
        "users stay"
    );
    // ZOHO_ALLVIEWS=true: ZOHO_VIEWS is not even looked up; group shares are never touched; an
    // email without shares is skipped.
    let all = Form::action("REMOVESHARE")
        .add("ZOHO_EMAILS", "liam@zylker.com,mia@zylker.com")
        .add("ZOHO_ALLVIEWS", "TRUE")
        .add("ZOHO_VIEWS", "No Such View");
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &all).await,
        "removeshare_success.json",
    );
    let ws = workspace(&server, MI).await;
    assert!(user_share(&ws, LEADS_BY_REGION, "liam@zylker.com").is_none());
    assert_eq!(
        ws["shares"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["shared_with"]["type"] == "group")
            .count(),
        1
    );
    let liam = token_of(&server, "liam").await;
    let perms = v2_get(
        &server,
        &mi(&format!("/views/{LEADS_BY_REGION}/share/mypermissions")),
        None,
        &liam,
    )
    .await;
    assert_golden(
        &perms,
        "analytics/v2/examples/12_7_mypermissions_liam_after.json",
    );
    // ZOHO_ALLVIEWS=false with views is targeted.
    let form = remove_share("Campaign Leads", "ava@zylker.com").add("ZOHO_ALLVIEWS", "false");
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &form).await,
        "removeshare_success.json",
    );
    assert!(
        user_share(
            &workspace(&server, MI).await,
            CAMPAIGN_LEADS,
            "ava@zylker.com"
        )
        .is_none()
    );
}

#[tokio::test]
async fn removeshare_errors_in_json_and_xml() {
    let server = TestServer::start().await;
    let cases: Vec<(Form, &str)> = vec![
        (
            Form::action("REMOVESHARE").add("ZOHO_EMAILS", "liam@zylker.com"),
            "removeshare_views_missing",
        ),
        (
            Form::action("REMOVESHARE")
                .add("ZOHO_EMAILS", "liam@zylker.com")
                .add("ZOHO_ALLVIEWS", "false"),
            "removeshare_views_missing",
        ),
        // A bad ZOHO_ALLVIEWS is 8516 before the 7003 of a missing ZOHO_VIEWS (§10.4).
        (
            Form::action("REMOVESHARE")
                .add("ZOHO_EMAILS", "liam@zylker.com")
                .add("ZOHO_ALLVIEWS", "maybe"),
            "removeshare_allviews_invalid",
        ),
        (
            remove_share("Campaign Pivot,Leads by Region", "liam@zylker.com"),
            "removeshare_not_shared",
        ),
    ];
    for (form, golden) in cases {
        assert_v1(
            &post(&server, MI_PATH, ADMIN_TOKEN, &form).await,
            &format!("{golden}.json"),
        );
        assert_v1(
            &post(&server, MI_PATH, ADMIN_TOKEN, &form.xml()).await,
            &format!("{golden}.xml"),
        );
    }
    for (form, code) in [
        (
            Form::action("REMOVESHARE").add("ZOHO_VIEWS", "Campaign Pivot"),
            7003,
        ),
        (remove_share("Campaign Pivot", ","), 8504),
        (remove_share("Campaign Pivot", "liam"), 8509),
        (remove_share(",", "liam@zylker.com"), 8504),
        (remove_share("Nope", "liam@zylker.com"), 8027),
        (
            remove_share("Leads by Region", "liam@zylker.com").add("ZOHO_DOMAINNAME", "x"),
            8060,
        ),
    ] {
        let reply = post(&server, MI_PATH, ADMIN_TOKEN, &form).await;
        assert_eq!(reply.status, 400, "{form:?}: {}", reply.text());
        assert_eq!(reply.json()["response"]["error"]["code"], code, "{form:?}");
    }
    // Group shares are never removed by REMOVESHARE, and nothing above changed anything.
    assert_golden(
        &v2_get(&server, &mi("/share"), None, ADMIN_TOKEN).await,
        "analytics/v2/examples/12_3_share_info.json",
    );
}

// =============================================================================================
// §10.4: the v1 rows this file restates.

#[tokio::test]
async fn v1_permission_is_the_owner_an_account_admin_or_an_org_admin() {
    let server = TestServer::start().await;
    let mason = token_of(&server, "mason").await;
    // An Org Admin who is a Standard-profile user may act on Patricia's workspace.
    assert_v1(
        &post(&server, SALES, &mason, &share_info()).await,
        "analytics/share_info.json",
    );
    // A Workspace Admin who is not the owner may not read GETSHAREINFO.
    let ryan = token_of(&server, "ryan").await;
    assert_v1(
        &post(&server, MI_PATH, &ryan, &share_info()).await,
        "getshareinfo_not_permitted_ryan.json",
    );
    assert_v1(
        &post(&server, MI_PATH, &ryan, &share_info().xml()).await,
        "getshareinfo_not_permitted_ryan.xml",
    );
}

#[tokio::test]
async fn adddbowner_refuses_a_viewer_after_inactive_users() {
    let server = TestServer::start().await;
    let add = Form::action("ADDDBOWNER").add("ZOHO_EMAILS", "noah@zylker.com,ava@zylker.com");
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &add).await,
        "adddbowner_viewer.json",
    );
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &add.clone().xml()).await,
        "adddbowner_viewer.xml",
    );
    // 6028 (Derek) comes before 7390 in list order per email, as 7535 does.
    let add = Form::action("ADDDBOWNER").add("ZOHO_EMAILS", "derek@zylker.com,ava@zylker.com");
    assert_eq!(
        post(&server, MI_PATH, ADMIN_TOKEN, &add).await.json()["response"]["error"]["code"],
        6028
    );
    let add = Form::action("ADDDBOWNER").add("ZOHO_EMAILS", "ava@zylker.com,derek@zylker.com");
    assert_eq!(
        post(&server, MI_PATH, ADMIN_TOKEN, &add).await.json()["response"]["error"]["code"],
        7390
    );
    assert_eq!(
        workspace(&server, MI).await["admins"],
        json!(["ryan@zylker.com"])
    );
}

#[tokio::test]
async fn a_view_level_url_stays_7138_even_for_a_real_view() {
    let server = TestServer::start().await;
    let path = format!("{MI_PATH}/Campaign%20Leads");
    assert_v1(
        &post(&server, &path, ADMIN_TOKEN, &share_info()).await,
        "view_level_url.json",
    );
    assert_v1(
        &post(&server, &path, ADMIN_TOKEN, &share_info().xml()).await,
        "view_level_url.xml",
    );
}

#[tokio::test]
async fn adddbowner_adds_a_non_member_while_v2_admins_refuses_it() {
    let server = TestServer::start().await;
    let reply = v2_send(
        &server,
        "POST",
        &mi("/admins"),
        json!({"emailIds": ["mia@zylker.com"]}),
    )
    .await;
    assert_golden(&reply, "analytics/v2/errors/8114_not_in_workspace.json");
    let add = Form::action("ADDDBOWNER").add("ZOHO_EMAILS", "mia@zylker.com");
    let reply = post(&server, MI_PATH, ADMIN_TOKEN, &add).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let ws = workspace(&server, MI).await;
    assert_eq!(ws["admins"], json!(["ryan@zylker.com", "mia@zylker.com"]));
    assert_eq!(users(&ws).last().unwrap(), "mia@zylker.com");
}

// =============================================================================================
// v1 and v2 agree on every share made through either.

#[tokio::test]
async fn shares_made_through_v1_read_back_through_v2() {
    let server = TestServer::start().await;
    let form =
        share("Campaign Pivot,Marketing Overview", "mia@zylker.com").add("ZOHO_EXPORT", "true");
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &form).await,
        "share_success.json",
    );
    // Workspace shared details (v2 §7.2).
    let info = v2_get(&server, &mi("/share"), None, ADMIN_TOKEN)
        .await
        .json();
    let mia = info["data"]["userShareInfo"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(mia["emailId"], "mia@zylker.com");
    let views: Vec<&str> = mia["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["viewName"].as_str().unwrap())
        .collect();
    assert_eq!(
        views,
        ["Campaign Pivot", "Marketing Overview"],
        "the workspace's views order"
    );
    for view in mia["views"].as_array().unwrap() {
        assert_eq!(view["sharedBy"], "patricia@zylker.com");
        assert_eq!(view["permissions"]["read"], true);
        assert_eq!(view["permissions"]["export"], true);
        assert_eq!(view["permissions"]["vud"], false);
    }
    // Her own permissions (v2 §7.7) and the users list (v2 §8.1).
    let token = token_of(&server, "mia").await;
    let perms = v2_get(
        &server,
        &mi(&format!("/views/{CAMPAIGN_PIVOT}/share/mypermissions")),
        None,
        &token,
    )
    .await;
    assert_eq!(perms.status, 200, "{}", perms.text());
    assert_eq!(perms.json()["data"]["permissions"]["export"], true);
    let list = v2_get(&server, &mi("/users"), None, ADMIN_TOKEN)
        .await
        .json();
    assert_eq!(
        list["data"]["users"].as_array().unwrap().last().unwrap(),
        &json!({"emailId": "mia@zylker.com", "status": true, "role": "User"})
    );
    // v1 REMOVESHARE, and v2 no longer sees it.
    assert_v1(
        &post(
            &server,
            MI_PATH,
            ADMIN_TOKEN,
            &remove_share("Campaign Pivot", "mia@zylker.com"),
        )
        .await,
        "removeshare_success.json",
    );
    let perms = v2_get(
        &server,
        &mi(&format!("/views/{CAMPAIGN_PIVOT}/share/mypermissions")),
        None,
        &token,
    )
    .await;
    assert_eq!(perms.status, 403, "{}", perms.text());
    // v1 admins read back through v2 too.
    let add = Form::action("ADDDBOWNER").add("ZOHO_EMAILS", "liam@zylker.com");
    assert_eq!(post(&server, MI_PATH, ADMIN_TOKEN, &add).await.status, 200);
    let admins = v2_get(&server, &mi("/admins"), None, ADMIN_TOKEN)
        .await
        .json();
    assert_eq!(
        admins["data"]["workspaceAdmins"],
        json!([{"adminMembers": ["ryan@zylker.com", "liam@zylker.com"]}])
    );
}

#[tokio::test]
async fn shares_made_through_v2_read_back_through_v1() {
    let server = TestServer::start().await;
    // §12.4's share, then GETSHAREINFO.
    let reply = v2_send(
        &server,
        "POST",
        &mi("/share"),
        json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"], "permissions": {"read": "true", "export": "true"}}),
    )
    .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_v1(
        &post(&server, MI_PATH, ADMIN_TOKEN, &share_info()).await,
        "getshareinfo_after_v2_share.json",
    );
    // v1 SHARE replaces what v2 made; v2 then refuses a second POST (7321) of the pair.
    assert_v1(
        &post(
            &server,
            MI_PATH,
            ADMIN_TOKEN,
            &share("Campaign Pivot", "noah@zylker.com"),
        )
        .await,
        "share_success.json",
    );
    let ws = workspace(&server, MI).await;
    assert_eq!(
        granted(&user_share(&ws, CAMPAIGN_PIVOT, "noah@zylker.com").unwrap()),
        sorted(&["read"])
    );
    let again = v2_send(
        &server,
        "POST",
        &mi("/share"),
        json!({"viewIds": [CAMPAIGN_PIVOT], "emailIds": ["noah@zylker.com"], "permissions": {"read": true}}),
    )
    .await;
    assert_golden(&again, "analytics/v2/errors/7321_already_shared.json");
    // v2 group changes show in v1's groupshareinfo; v2 admins in dbowners.
    assert_eq!(
        v2_send(
            &server,
            "POST",
            &mi(&format!("/groups/{REGIONAL_LEADS}/members")),
            json!({"emailIds": ["noah@zylker.com"]})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        v2_send(&server, "POST", &mi("/share"), json!({"viewIds": [CAMPAIGN_PIVOT], "groupIds": [REGIONAL_LEADS], "permissions": {"read": true, "share": true}})).await.status,
        204
    );
    assert_eq!(
        v2_send(
            &server,
            "POST",
            &mi("/admins"),
            json!({"emailIds": ["sophia@zylker.com"]})
        )
        .await
        .status,
        204
    );
    let info = post(&server, MI_PATH, ADMIN_TOKEN, &share_info())
        .await
        .json();
    let group = &info["response"]["result"]["groupshareinfo"][0]["shareinfo"];
    assert_eq!(
        group["groupmembers"],
        json!(["liam@zylker.com", "sophia@zylker.com", "noah@zylker.com"])
    );
    let views: Vec<&str> = group["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["perminfo"]["viewname"].as_str().unwrap())
        .collect();
    assert_eq!(views, ["Leads by Region", "Campaign Pivot"]);
    assert_eq!(
        group["permissions"][1]["perminfo"]["permission"]["share"],
        true
    );
    assert_eq!(
        info["response"]["result"]["dbownershareinfo"]["dbowners"],
        json!(["ryan@zylker.com", "sophia@zylker.com"])
    );
    // v2 removes; v1 no longer reports it.
    assert_eq!(
        v2_send(&server, "DELETE", &mi("/share"), json!({"emailIds": ["noah@zylker.com"], "groupIds": [REGIONAL_LEADS], "removeAllViews": true})).await.status,
        204
    );
    let info = post(&server, MI_PATH, ADMIN_TOKEN, &share_info())
        .await
        .json();
    let noah = info["response"]["result"]["usershareinfo"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["shareinfo"]["email"] == "noah@zylker.com")
        .unwrap()
        .clone();
    assert_eq!(noah["shareinfo"]["permissions"], json!([]));
    assert_eq!(
        info["response"]["result"]["groupshareinfo"][0]["shareinfo"]["permissions"],
        json!([])
    );
    // A group without shares is still listed by v1 (§10.3), and a deleted one is gone.
    assert_eq!(
        v2_send(
            &server,
            "DELETE",
            &mi(&format!("/groups/{REGIONAL_LEADS}")),
            json!({})
        )
        .await
        .status,
        204
    );
    let info = post(&server, MI_PATH, ADMIN_TOKEN, &share_info())
        .await
        .json();
    assert_eq!(info["response"]["result"]["groupshareinfo"], json!([]));
}

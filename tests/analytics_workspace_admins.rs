//! Analytics v1 `/api/{owner_email}/{workspace_name}`: REMOVEDBOWNER, ADDDBOWNER and GETSHAREINFO
//! against the real server (spec analytics-workspace-admins.md).

mod support;

use serde_json::{Value, json};
use support::*;

const SALES: &str = "/api/patricia%40zylker.com/Sales%20Analytics";
const SUPPORT_DESK: &str = "/api/patricia%40zylker.com/Support%20Desk";
const AMELIAS: &str = "/api/amelia%40zylker.com/Amelia's%20Pipeline";
const R_AND_D: &str = "/api/patricia%40zylker.com/R%26D%20%22Q4%22%20%3CForecasts%3E%20Caf%C3%A9";
const ACME_FIXTURE: &str = include_str!("fixtures/analytics_admins.json");
const ACME_TEAM: &str = "/api/owen%40acme.example/Team";
const XML_CT: &str = "text/xml;charset=UTF-8";
const FORM_CT: &str = "application/x-www-form-urlencoded";

/// Request parameters in order; names may repeat.
#[derive(Clone, Debug)]
struct Form(Vec<(String, String)>);

impl Form {
    /// The four common parameters, answering in JSON both ways.
    fn action(action: &str) -> Form {
        Form::empty()
            .add("ZOHO_ACTION", action)
            .add("ZOHO_OUTPUT_FORMAT", "JSON")
            .add("ZOHO_ERROR_FORMAT", "JSON")
            .add("ZOHO_API_VERSION", "1.0")
    }

    fn empty() -> Form {
        Form(Vec::new())
    }

    fn add(mut self, name: &str, value: &str) -> Form {
        self.0.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces every value of `name` by one (appended when absent).
    fn set(self, name: &str, value: &str) -> Form {
        self.without(name).add(name, value)
    }

    fn without(mut self, name: &str) -> Form {
        self.0.retain(|(n, _)| n != name);
        self
    }

    fn encoded(&self) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.0 {
            serializer.append_pair(name, value);
        }
        serializer.finish()
    }
}

/// As the seed's curl sample: everything in an urlencoded POST body.
async fn post(server: &TestServer, path: &str, token: &str, form: &Form) -> Reply {
    send_form(server, "POST", path, Some(token), form).await
}

async fn send_form(
    server: &TestServer,
    method: &str,
    path: &str,
    token: Option<&str>,
    form: &Form,
) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = server
        .client
        .request(method, server.url(path))
        .header("Content-Type", FORM_CT)
        .body(form.encoded());
    if let Some(token) = token {
        request = request.header("Authorization", format!("Zoho-oauthtoken {token}"));
    }
    server.send(request).await
}

/// As Zoho's own v1 client: every parameter in the query string, which starts with `&`, and an
/// empty body.
async fn zoho_client(
    server: &TestServer,
    method: &str,
    path: &str,
    token: &str,
    form: &Form,
) -> Reply {
    let path = format!("{path}?&{}", form.encoded());
    server.call(method, &path, Some(token), None).await
}

/// `assert_golden`, plus the exact bytes of a JSON answer: compact, keys in the order of spec §5
/// and §6, every `/` written `\/`.
#[track_caller]
fn assert_answer(reply: &Reply, name: &str) {
    let name = format!("analytics/{name}");
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

/// The key order Zoho's envelopes use (spec §6: `uri`, `action`, then `result` or `error`;
/// `code`, `message`; §5: the five GETSHAREINFO keys in order).
const KEY_ORDER: [&str; 16] = [
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
    "permissions",
    "dbowners",
];

fn zoho_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| KEY_ORDER.iter().position(|o| o == k).expect("a known key"));
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

fn workspace<'s>(state: &'s Value, org: &str, name: &str) -> &'s Value {
    state["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == org)
        .and_then(|o| {
            o["analytics"]["workspaces"]
                .as_array()
                .unwrap()
                .iter()
                .find(|w| w["name"] == name)
        })
        .unwrap_or_else(|| panic!("workspace {name} of {org}"))
}

async fn members(server: &TestServer, org: &str, name: &str) -> (Value, Value) {
    let state = server.state().await;
    let ws = workspace(&state, org, name);
    (ws["admins"].clone(), ws["users"].clone())
}

async fn sandbox_unchanged(server: &TestServer) {
    assert_eq!(
        members(server, "zylker", "Sales Analytics").await,
        (json!(["amelia@zylker.com"]), json!(["amelia@zylker.com"]))
    );
    assert_eq!(
        members(server, "zylker", "Support Desk").await,
        (json!([]), json!(["emma@zylker.com", "lucas@zylker.com"]))
    );
}

fn remove(emails: &str) -> Form {
    Form::action("REMOVEDBOWNER").add("ZOHO_EMAILS", emails)
}

fn add(emails: &str) -> Form {
    Form::action("ADDDBOWNER").add("ZOHO_EMAILS", emails)
}

fn share_info() -> Form {
    Form::action("GETSHAREINFO")
}

// ---------------------------------------------------------------- successes (§5, §6)

#[tokio::test]
async fn removedbowner_worked_example_then_the_same_request_fails_with_8040() {
    let server = TestServer::start().await;
    let reply = post(&server, SALES, ADMIN_TOKEN, &remove("amelia@zylker.com")).await;
    assert_answer(&reply, "remove_admin.json");
    assert_eq!(
        members(&server, "zylker", "Sales Analytics").await,
        (json!([]), json!(["amelia@zylker.com"])),
        "the admin stays a user"
    );

    let again = post(&server, SALES, ADMIN_TOKEN, &remove("amelia@zylker.com")).await;
    assert_answer(&again, "not_workspace_admin.json");
    let xml = remove("amelia@zylker.com").set("ZOHO_ERROR_FORMAT", "XML");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &xml).await,
        "not_workspace_admin.xml",
    );
    let default_xml = remove("amelia@zylker.com").without("ZOHO_ERROR_FORMAT");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &default_xml).await,
        "not_workspace_admin.xml",
    );
}

#[tokio::test]
async fn removedbowner_answers_in_xml_when_the_output_format_is_xml() {
    let server = TestServer::start().await;
    let form = remove("amelia@zylker.com").set("ZOHO_OUTPUT_FORMAT", "XML");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &form).await,
        "remove_admin.xml",
    );
    assert_eq!(
        members(&server, "zylker", "Sales Analytics").await.0,
        json!([])
    );
}

#[tokio::test]
async fn removedbowner_matches_emails_ignoring_case_and_may_remove_every_admin() {
    let server = TestServer::with_fixture(ACME_FIXTURE).await;
    let form = remove("ryan@acme.EXAMPLE, LEE@acme.example").set("ZOHO_OUTPUT_FORMAT", "xml");
    let reply = post(&server, ACME_TEAM, "1000.acme.owner", &form).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.content_type(), Some(XML_CT));
    assert_eq!(
        members(&server, "acme", "Team").await.0,
        json!(["olivia@acme.example"])
    );
    let reply = post(
        &server,
        ACME_TEAM,
        "1000.acme.owner",
        &remove("olivia@acme.example"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let (admins, users) = members(&server, "acme", "Team").await;
    assert_eq!(admins, json!([]));
    assert_eq!(
        users,
        json!([
            "Ryan@Acme.example",
            "olivia@acme.example",
            "lee@acme.example"
        ])
    );
}

#[tokio::test]
async fn getshareinfo_worked_example_in_json_and_xml() {
    let server = TestServer::start().await;
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &share_info()).await,
        "share_info.json",
    );
    let xml = share_info().set("ZOHO_OUTPUT_FORMAT", "XML");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &xml).await,
        "share_info.xml",
    );
    assert_answer(
        &zoho_client(&server, "GET", SALES, ADMIN_TOKEN, &xml).await,
        "share_info.xml",
    );
}

#[tokio::test]
async fn getshareinfo_writes_empty_lists_as_empty_elements() {
    let server = TestServer::start().await;
    assert_answer(
        &post(&server, SUPPORT_DESK, ADMIN_TOKEN, &share_info()).await,
        "share_info_no_admins.json",
    );
    let xml = share_info().set("ZOHO_OUTPUT_FORMAT", "XML");
    assert_answer(
        &post(&server, SUPPORT_DESK, ADMIN_TOKEN, &xml).await,
        "share_info_no_admins.xml",
    );
}

#[tokio::test]
async fn getshareinfo_escapes_a_workspace_name_with_markup_and_non_ascii() {
    let server = TestServer::start().await;
    assert_answer(
        &post(&server, R_AND_D, ADMIN_TOKEN, &share_info()).await,
        "share_info_escaped_name.json",
    );
    let xml = share_info().set("ZOHO_OUTPUT_FORMAT", "XML");
    assert_answer(
        &post(&server, R_AND_D, ADMIN_TOKEN, &xml).await,
        "share_info_escaped_name.xml",
    );
}

#[tokio::test]
async fn client_escapes_in_the_path_stand_for_slash_and_backslash() {
    let server = TestServer::with_fixture(ACME_FIXTURE).await;
    // Zoho's client percent-encodes the name, then writes `/` as `(/)` and `%5C` as `(//)`.
    let path = "/api/owen%40acme.example/Q1(/)Q2%20(//)%20Plan";
    assert_answer(
        &post(&server, path, "1000.acme.owner", &share_info()).await,
        "share_info_client_escapes.json",
    );
    let xml = share_info().set("ZOHO_OUTPUT_FORMAT", "XML");
    assert_answer(
        &post(&server, path, "1000.acme.owner", &xml).await,
        "share_info_client_escapes.xml",
    );
    let encoded = "/api/owen%40acme.example/Q1%28%2F%29Q2%20%28%2F%2F%29%20Plan";
    assert_answer(
        &post(&server, encoded, "1000.acme.owner", &share_info()).await,
        "share_info_client_escapes.json",
    );
}

#[tokio::test]
async fn adddbowner_appends_in_list_order_with_the_users_spelling_skipping_admins_and_owner() {
    let server = TestServer::start().await;
    let form = add(" LUCAS@ZYLKER.COM, mia@zylker.com ,patricia@zylker.com,,lucas@zylker.com");
    assert_answer(
        &post(&server, SUPPORT_DESK, ADMIN_TOKEN, &form).await,
        "add_admin.json",
    );
    assert_eq!(
        members(&server, "zylker", "Support Desk").await,
        (
            json!(["lucas@zylker.com", "mia@zylker.com"]),
            json!(["emma@zylker.com", "lucas@zylker.com", "mia@zylker.com"])
        )
    );
    assert_answer(
        &post(&server, SUPPORT_DESK, ADMIN_TOKEN, &share_info()).await,
        "share_info_after_add.json",
    );

    let again = add("mia@zylker.com,Patricia@Zylker.com");
    let reply = post(&server, SUPPORT_DESK, ADMIN_TOKEN, &again).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        members(&server, "zylker", "Support Desk").await.0,
        json!(["lucas@zylker.com", "mia@zylker.com"])
    );
}

#[tokio::test]
async fn adddbowner_answers_in_xml_when_the_output_format_is_xml() {
    let server = TestServer::start().await;
    let form = add("noah@zylker.com").set("ZOHO_OUTPUT_FORMAT", "Xml");
    assert_answer(
        &post(&server, SUPPORT_DESK, ADMIN_TOKEN, &form).await,
        "add_admin.xml",
    );
    assert_eq!(
        members(&server, "zylker", "Support Desk").await.0,
        json!(["noah@zylker.com"])
    );
}

// ---------------------------------------------------------------- how parameters arrive (§2)

#[tokio::test]
async fn zoho_client_style_query_string_with_an_empty_body_serves_every_action() {
    let server = TestServer::start().await;
    let reply = zoho_client(
        &server,
        "POST",
        SALES,
        ADMIN_TOKEN,
        &share_info().add("ZOHO_VALID_JSON", "TRUE"),
    )
    .await;
    assert_answer(&reply, "share_info.json");
    let reply = zoho_client(
        &server,
        "POST",
        SALES,
        ADMIN_TOKEN,
        &remove("amelia@zylker.com"),
    )
    .await;
    assert_answer(&reply, "remove_admin.json");
    let reply = zoho_client(
        &server,
        "GET",
        SUPPORT_DESK,
        ADMIN_TOKEN,
        &add("mia@zylker.com"),
    )
    .await;
    assert_answer(&reply, "add_admin.json");
    assert_eq!(
        members(&server, "zylker", "Sales Analytics").await.0,
        json!([])
    );
    assert_eq!(
        members(&server, "zylker", "Support Desk").await.0,
        json!(["mia@zylker.com"])
    );
}

#[tokio::test]
async fn parameters_in_a_multipart_body_are_read() {
    let server = TestServer::start().await;
    let mut multipart = reqwest::multipart::Form::new();
    for (name, value) in remove("amelia@zylker.com").0 {
        multipart = multipart.text(name, value);
    }
    let request = server
        .client
        .post(server.url(SALES))
        .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
        .multipart(multipart);
    assert_answer(&server.send(request).await, "remove_admin.json");
    assert_eq!(
        members(&server, "zylker", "Sales Analytics").await.0,
        json!([])
    );
}

#[tokio::test]
async fn parameters_split_between_query_and_body_are_merged() {
    let server = TestServer::start().await;
    // A JSON content type does not stop the body from being read as a form.
    let request = server
        .client
        .post(server.url(SALES))
        .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
        .header("Content-Type", "application/json")
        .body(share_info().encoded());
    assert_answer(&server.send(request).await, "share_info.json");

    let path = format!("{SALES}?ZOHO_ACTION=REMOVEDBOWNER&ZOHO_OUTPUT_FORMAT=JSON");
    let body = Form::empty()
        .add("ZOHO_API_VERSION", "1.0")
        .add("ZOHO_ERROR_FORMAT", "JSON")
        .add("ZOHO_EMAILS", "amelia@zylker.com");
    assert_answer(
        &post(&server, &path, ADMIN_TOKEN, &body).await,
        "remove_admin.json",
    );
    assert_eq!(
        members(&server, "zylker", "Sales Analytics").await.0,
        json!([])
    );
}

// ---------------------------------------------------------------- path and method (§1, §4 steps 1-2)

#[tokio::test]
async fn methods_other_than_get_and_post_get_405_without_a_body() {
    let server = TestServer::start().await;
    for method in ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] {
        let reply = send_form(&server, method, SALES, None, &remove("amelia@zylker.com")).await;
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.headers.get("allow").unwrap(), "GET, POST", "{method}");
        assert!(reply.body.is_empty(), "{method}: {}", reply.text());
        assert_eq!(reply.content_type(), None, "{method}");
    }
    sandbox_unchanged(&server).await;
}

#[tokio::test]
async fn a_path_with_fewer_than_two_segments_answers_7102_before_method_and_token() {
    let server = TestServer::start().await;
    let path = "/api/patricia%40zylker.com";
    assert_answer(
        &send_form(&server, "DELETE", path, None, &share_info()).await,
        "empty_workspace_name.json",
    );
    let xml = share_info().without("ZOHO_ERROR_FORMAT");
    assert_answer(
        &send_form(&server, "POST", path, None, &xml).await,
        "empty_workspace_name.xml",
    );
    for path in [
        "/api",
        "/api/",
        "/api/patricia%40zylker.com/",
        "/api//Sales%20Analytics",
    ] {
        let reply = post(&server, path, ADMIN_TOKEN, &share_info()).await;
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(reply.json()["response"]["error"]["code"], 7102, "{path}");
    }
    let reply = post(&server, "/api/", ADMIN_TOKEN, &share_info()).await;
    assert_eq!(reply.json()["response"]["uri"], "/api/");
}

#[tokio::test]
async fn a_path_with_more_than_two_segments_answers_7138() {
    let server = TestServer::start().await;
    let path = format!("{SALES}/Pipeline");
    assert_answer(
        &send_form(&server, "PUT", &path, None, &share_info()).await,
        "view_not_found.json",
    );
    let xml = share_info().set("ZOHO_ERROR_FORMAT", "xml");
    assert_answer(
        &post(&server, &path, ADMIN_TOKEN, &xml).await,
        "view_not_found.xml",
    );
    for path in [
        format!("{SALES}/"),
        "/api/patricia%40zylker.com//Sales".to_owned(),
    ] {
        let reply = post(&server, &path, ADMIN_TOKEN, &share_info()).await;
        assert_eq!(reply.json()["response"]["error"]["code"], 7138, "{path}");
    }
}

// ---------------------------------------------------------------- token, parameters, scope (§4 steps 3-7)

#[tokio::test]
async fn unusable_or_invalid_tokens_answer_8535() {
    let server = TestServer::with_fixture(ACME_FIXTURE).await;
    let team = ACME_TEAM;
    let form = share_info();
    let expected = |reply: &Reply| {
        assert_eq!(reply.status, 401, "{}", reply.text());
        assert_eq!(reply.json()["response"]["error"]["code"], 8535);
    };
    expected(&send_form(&server, "POST", team, None, &form).await);
    for token in ["1000.unknown", "1000.acme.revoked", "1000.acme.derek"] {
        expected(&post(&server, team, token, &form).await);
    }
    let bearer = server
        .client
        .post(server.url(team))
        .header("Authorization", "Bearer 1000.acme.owner")
        .header("Content-Type", FORM_CT)
        .body(form.encoded());
    expected(&server.send(bearer).await);

    let sandbox = TestServer::start().await;
    assert_answer(
        &post(&sandbox, SALES, EXPIRED_TOKEN, &share_info()).await,
        "invalid_oauthtoken.json",
    );
    // The token comes before repeated parameters and the action.
    let messy = share_info()
        .set("ZOHO_ERROR_FORMAT", "XML")
        .add("ZOHO_API_VERSION", "1.0");
    assert_answer(
        &send_form(&sandbox, "GET", SALES, None, &messy).await,
        "invalid_oauthtoken.xml",
    );
}

#[tokio::test]
async fn a_repeated_parameter_answers_8506_in_the_first_error_format() {
    let server = TestServer::start().await;
    // Query and body together: the email list is sent twice.
    let path = format!("{SALES}?&ZOHO_EMAILS=amelia%40zylker.com");
    let reply = post(&server, &path, ADMIN_TOKEN, &remove("amelia@zylker.com")).await;
    assert_answer(&reply, "repeated_parameter.json");
    // The first ZOHO_ERROR_FORMAT decides, query before body.
    let path = format!("{SALES}?ZOHO_ERROR_FORMAT=XML");
    let reply = post(&server, &path, ADMIN_TOKEN, &remove("amelia@zylker.com")).await;
    assert_answer(&reply, "repeated_parameter.xml");
    // Before the action is even looked at; the action attribute is the first one sent.
    let form = Form::empty()
        .add("ZOHO_ERROR_FORMAT", "JSON")
        .add("ZOHO_ERROR_FORMAT", "JSON");
    let reply = post(&server, SALES, ADMIN_TOKEN, &form).await;
    assert_eq!(reply.json()["response"]["error"]["code"], 8506);
    let form = remove("amelia@zylker.com").add("ZOHO_ACTION", "GETSHAREINFO");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &form).await,
        "repeated_parameter.json",
    );
    // Names the mock does not read may repeat.
    let form = share_info()
        .add("ZOHO_VALID_JSON", "TRUE")
        .add("ZOHO_VALID_JSON", "TRUE");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &form).await,
        "share_info.json",
    );
    sandbox_unchanged(&server).await;
}

#[tokio::test]
async fn a_missing_action_answers_7003_and_an_unknown_one_8516() {
    let server = TestServer::start().await;
    let missing = share_info().without("ZOHO_ACTION");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &missing).await,
        "missing_action.json",
    );
    let xml = missing.clone().without("ZOHO_ERROR_FORMAT");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &xml).await,
        "missing_action.xml",
    );
    // The action comes before the scope.
    assert_answer(
        &post(&server, SALES, NOSHARE_TOKEN, &missing).await,
        "missing_action.json",
    );

    let lower = remove("amelia@zylker.com").set("ZOHO_ACTION", "removedbowner");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &lower).await,
        "invalid_action.json",
    );
    let lower_xml = lower.set("ZOHO_ERROR_FORMAT", "XML");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &lower_xml).await,
        "invalid_action.xml",
    );
    for action in ["getshareinfo", "DELETEDBOWNER", " GETSHAREINFO", ""] {
        let reply = post(
            &server,
            SALES,
            ADMIN_TOKEN,
            &share_info().set("ZOHO_ACTION", action),
        )
        .await;
        assert_eq!(
            reply.json()["response"]["error"]["code"],
            8516,
            "{action:?}"
        );
        assert_eq!(reply.json()["response"]["action"], action);
    }
    sandbox_unchanged(&server).await;
}

#[tokio::test]
async fn the_token_must_hold_the_scope_of_the_action() {
    let server = TestServer::with_fixture(ACME_FIXTURE).await;
    let team = ACME_TEAM;
    let status = |reply: &Reply| reply.status;
    assert_eq!(
        status(&post(&server, team, "1000.acme.read", &share_info()).await),
        200
    );
    for token in ["1000.acme.read", "1000.acme.create"] {
        let reply = post(&server, team, token, &remove("lee@acme.example")).await;
        assert_eq!(reply.json()["response"]["error"]["code"], 8540, "{token}");
    }
    for token in ["1000.acme.read", "1000.acme.delete"] {
        let reply = post(&server, team, token, &add("ada@acme.example")).await;
        assert_eq!(reply.json()["response"]["error"]["code"], 8540, "{token}");
    }
    assert_eq!(
        status(&post(&server, team, "1000.acme.delete", &share_info()).await),
        401
    );
    assert_eq!(
        status(
            &post(
                &server,
                team,
                "1000.acme.delete",
                &remove("lee@acme.example")
            )
            .await
        ),
        200
    );
    assert_eq!(
        status(&post(&server, team, "1000.acme.create", &add("lee@acme.example")).await),
        200
    );

    let sandbox = TestServer::start().await;
    assert_answer(
        &post(&sandbox, SALES, NOSHARE_TOKEN, &remove("amelia@zylker.com")).await,
        "invalid_oauthscope.json",
    );
    // The scope comes before the output format, the version and the path's names.
    let form = remove("amelia@zylker.com")
        .without("ZOHO_OUTPUT_FORMAT")
        .set("ZOHO_API_VERSION", "2.0")
        .set("ZOHO_ERROR_FORMAT", "XML");
    assert_answer(
        &post(&sandbox, SALES, NOSHARE_TOKEN, &form).await,
        "invalid_oauthscope.xml",
    );
    let reply = post(
        &sandbox,
        "/api/patricia/Nothing",
        NOSHARE_TOKEN,
        &form.set("ZOHO_ERROR_FORMAT", "JSON"),
    )
    .await;
    assert_eq!(reply.json()["response"]["error"]["code"], 8540);
    sandbox_unchanged(&sandbox).await;
}

#[tokio::test]
async fn the_output_format_then_the_api_version_are_checked() {
    let server = TestServer::start().await;
    let code = |reply: &Reply| reply.json()["response"]["error"]["code"].clone();
    let form = remove("amelia@zylker.com");
    let reply = post(
        &server,
        SALES,
        ADMIN_TOKEN,
        &form.clone().without("ZOHO_OUTPUT_FORMAT"),
    )
    .await;
    assert_answer(&reply, "missing_parameter.json");
    let reply = post(
        &server,
        SALES,
        ADMIN_TOKEN,
        &form.clone().set("ZOHO_OUTPUT_FORMAT", "CSV"),
    )
    .await;
    assert_answer(&reply, "invalid_value.json");
    let reply = post(
        &server,
        SALES,
        ADMIN_TOKEN,
        &form.clone().without("ZOHO_API_VERSION"),
    )
    .await;
    assert_answer(&reply, "missing_parameter.json");
    for version in ["2.0", "1", "1.00", ""] {
        let reply = post(
            &server,
            SALES,
            ADMIN_TOKEN,
            &form.clone().set("ZOHO_API_VERSION", version),
        )
        .await;
        assert_answer(&reply, "invalid_value.json");
    }
    // Output format first, then the version; both before the path's names.
    let both = form
        .clone()
        .without("ZOHO_OUTPUT_FORMAT")
        .set("ZOHO_API_VERSION", "9");
    assert_eq!(code(&post(&server, SALES, ADMIN_TOKEN, &both).await), 7003);
    let bad_version = form.clone().set("ZOHO_API_VERSION", "9");
    assert_eq!(
        code(&post(&server, "/api/patricia/Nothing", ADMIN_TOKEN, &bad_version).await),
        8516
    );
    // Errors follow ZOHO_ERROR_FORMAT, never ZOHO_OUTPUT_FORMAT.
    let reply = post(
        &server,
        SALES,
        ADMIN_TOKEN,
        &form
            .clone()
            .without("ZOHO_ERROR_FORMAT")
            .set("ZOHO_API_VERSION", "9"),
    )
    .await;
    assert_eq!(reply.content_type(), Some(XML_CT));
    // An unknown ZOHO_ERROR_FORMAT means XML and is no error.
    let reply = post(
        &server,
        SALES,
        ADMIN_TOKEN,
        &share_info().set("ZOHO_ERROR_FORMAT", "CSV"),
    )
    .await;
    assert_answer(&reply, "share_info.json");
    sandbox_unchanged(&server).await;
}

// ---------------------------------------------------------------- owner, workspace, permission (§4 steps 8-10)

#[tokio::test]
async fn a_malformed_owner_email_answers_8533_before_the_workspace_lookup() {
    let server = TestServer::start().await;
    let path = "/api/patricia/Sales%20Analytics";
    assert_answer(
        &post(&server, path, ADMIN_TOKEN, &share_info()).await,
        "improper_owner_email.json",
    );
    let xml = share_info().without("ZOHO_ERROR_FORMAT");
    assert_answer(
        &post(&server, path, ADMIN_TOKEN, &xml).await,
        "improper_owner_email.xml",
    );
    for owner in [
        "patricia%20boyle%40zylker.com",
        "%40zylker.com",
        "patricia%40zylker",
        "a%40b%40zylker.com",
        "%FF%40zylker.com",
    ] {
        let reply = post(
            &server,
            &format!("/api/{owner}/Sales%20Analytics"),
            ADMIN_TOKEN,
            &share_info(),
        )
        .await;
        assert_eq!(reply.json()["response"]["error"]["code"], 8533, "{owner}");
    }
}

#[tokio::test]
async fn an_unknown_workspace_answers_7103_and_the_owner_matches_ignoring_case() {
    let server = TestServer::start().await;
    let path = "/api/patricia%40zylker.com/sales%20analytics";
    assert_answer(
        &post(&server, path, ADMIN_TOKEN, &share_info()).await,
        "workspace_not_found.json",
    );
    assert_answer(
        &post(
            &server,
            path,
            ADMIN_TOKEN,
            &share_info().set("ZOHO_ERROR_FORMAT", "Xml"),
        )
        .await,
        "workspace_not_found.xml",
    );
    let escaped = "/api/patricia%40zylker.com/R%26D%20%22Q5%22%20%3CForecasts%3E%20Caf%C3%A9";
    let xml = share_info().without("ZOHO_ERROR_FORMAT");
    assert_answer(
        &post(&server, escaped, ADMIN_TOKEN, &xml).await,
        "workspace_not_found_escaped.xml",
    );
    for path in [
        "/api/amelia%40zylker.com/Sales%20Analytics",
        "/api/patricia%40zylker.com/Sales%20Analytics%20",
        "/api/patricia%40zylker.com/Sales%FF",
    ] {
        let reply = post(&server, path, ADMIN_TOKEN, &share_info()).await;
        assert_eq!(reply.json()["response"]["error"]["code"], 7103, "{path}");
    }
    // The owner's email is compared ignoring case; the uri shows it as sent.
    let reply = post(
        &server,
        "/api/PATRICIA%40Zylker.com/Sales%20Analytics",
        ADMIN_TOKEN,
        &share_info(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json()["response"]["uri"],
        "/api/PATRICIA@Zylker.com/Sales Analytics"
    );
}

#[tokio::test]
async fn only_the_owner_or_an_administrator_may_act_on_a_workspace() {
    let server = TestServer::start().await;
    // Amelia (Standard) on Patricia's workspace, even though she is one of its admins.
    let reply = post(&server, SALES, STANDARD_TOKEN, &remove("amelia@zylker.com")).await;
    assert_answer(&reply, "not_permitted.json");
    let xml = remove("amelia@zylker.com").set("ZOHO_ERROR_FORMAT", "XML");
    assert_answer(
        &post(&server, SALES, STANDARD_TOKEN, &xml).await,
        "not_permitted.xml",
    );
    // Permission comes before the action's own parameters.
    let no_emails = Form::action("REMOVEDBOWNER");
    assert_answer(
        &post(&server, SALES, STANDARD_TOKEN, &no_emails).await,
        "not_permitted.json",
    );
    sandbox_unchanged(&server).await;
    // Amelia owns her pipeline.
    let reply = post(&server, AMELIAS, STANDARD_TOKEN, &remove("ryan@zylker.com")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        members(&server, "zylker", "Amelia's Pipeline").await.0,
        json!([])
    );

    let acme = TestServer::with_fixture(ACME_FIXTURE).await;
    let xml = share_info().set("ZOHO_ERROR_FORMAT", "XML");
    assert_answer(
        &post(&acme, ACME_TEAM, "1000.acme.olivia", &xml).await,
        "not_permitted_escaped.xml",
    );
    // An Administrator who is not the owner may.
    let reply = post(
        &acme,
        ACME_TEAM,
        "1000.acme.admin",
        &add("ada@acme.example"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        members(&acme, "acme", "Team").await.0,
        json!([
            "Ryan@Acme.example",
            "olivia@acme.example",
            "lee@acme.example",
            "ada@acme.example"
        ])
    );
}

// ---------------------------------------------------------------- action parameters (§4 step 11)

#[tokio::test]
async fn action_parameters_are_checked_in_table_order() {
    let server = TestServer::start().await;
    let check = |form: Form, golden: &'static str| {
        let server = &server;
        async move { assert_answer(&post(server, SALES, ADMIN_TOKEN, &form).await, golden) }
    };
    check(
        Form::action("REMOVEDBOWNER").add("ZOHO_DOMAINNAME", "x"),
        "missing_parameter.json",
    )
    .await;
    check(remove(" , ,").add("ZOHO_DOMAINNAME", "x"), "no_emails.json").await;
    check(remove("").set("ZOHO_ERROR_FORMAT", "XML"), "no_emails.xml").await;
    let mut malformed = add("amelia@zylker.com,amelia@zylker").add("ZOHO_INVITE_MAIL", "yes");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &malformed).await,
        "malformed_emails.json",
    );
    malformed = malformed.set("ZOHO_ERROR_FORMAT", "XML");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &malformed).await,
        "malformed_emails.xml",
    );
    check(
        remove("amelia@zylker.com").add("ZOHO_INVITE_MAIL", "yes"),
        "invalid_value.json",
    )
    .await;
    check(
        remove("amelia@zylker.com")
            .add("ZOHO_INVITE_MAIL", "TRUE")
            .add("ZOHO_DOMAINNAME", "x"),
        "missing_parameter.json",
    )
    .await;
    check(
        remove("amelia@zylker.com")
            .add("ZOHO_INVITE_MAIL", "true")
            .add("ZOHO_MAIL_SUBJECT", ""),
        "missing_parameter.json",
    )
    .await;
    let with_subject = remove("amelia@zylker.com")
        .add("ZOHO_INVITE_MAIL", "true")
        .add("ZOHO_MAIL_SUBJECT", "Hi");
    check(
        with_subject
            .clone()
            .add("ZOHO_DOMAINNAME", "reports.zylker.com"),
        "domain_not_exist.json",
    )
    .await;
    check(
        with_subject
            .add("ZOHO_DOMAINNAME", "reports.zylker.com")
            .set("ZOHO_ERROR_FORMAT", "XML"),
        "domain_not_exist.xml",
    )
    .await;
    // GETSHAREINFO reads only the domain name.
    check(
        share_info()
            .add("ZOHO_INVITE_MAIL", "maybe")
            .add("ZOHO_EMAILS", ","),
        "share_info.json",
    )
    .await;
    let reply = post(
        &server,
        SALES,
        ADMIN_TOKEN,
        &share_info().add("ZOHO_DOMAINNAME", "reports.zylker.com"),
    )
    .await;
    assert_eq!(reply.json()["response"]["error"]["code"], 8060);
    sandbox_unchanged(&server).await;
    // An empty domain name is no domain name; mail parameters are accepted and no mail is sent.
    let form = remove("amelia@zylker.com")
        .add("ZOHO_DOMAINNAME", "")
        .add("ZOHO_INVITE_MAIL", "False")
        .add("ZOHO_MAIL_MESSAGE", "Bye");
    check(form, "remove_admin.json").await;
}

// ---------------------------------------------------------------- state rules (§5, §4 step 12)

#[tokio::test]
async fn removedbowner_refuses_the_whole_batch_naming_the_first_non_admin() {
    let server = TestServer::with_fixture(ACME_FIXTURE).await;
    let before = members(&server, "acme", "Team").await;
    let code_and_message = |reply: &Reply| {
        let error = &reply.json()["response"]["error"];
        (
            reply.status,
            error["code"].clone(),
            error["message"].clone(),
        )
    };
    let reply = post(
        &server,
        ACME_TEAM,
        "1000.acme.owner",
        &remove("ryan@acme.example,nobody@acme.example,ada@acme.example"),
    )
    .await;
    assert_eq!(
        code_and_message(&reply),
        (
            400,
            json!(8040),
            json!("nobody@acme.example is not a Workspace Admin.")
        )
    );
    // The owner is never an admin.
    let reply = post(
        &server,
        ACME_TEAM,
        "1000.acme.owner",
        &remove("lee@acme.example,Owen@acme.example"),
    )
    .await;
    assert_eq!(
        code_and_message(&reply),
        (
            400,
            json!(8040),
            json!("Owen@acme.example is not a Workspace Admin.")
        )
    );
    assert_eq!(
        members(&server, "acme", "Team").await,
        before,
        "nothing changed"
    );
}

#[tokio::test]
async fn adddbowner_refuses_unknown_and_inactive_users_in_list_order() {
    let server = TestServer::start().await;
    let reply = post(
        &server,
        SUPPORT_DESK,
        ADMIN_TOKEN,
        &add("mia@zylker.com,nobody@zylker.com,derek@zylker.com"),
    )
    .await;
    assert_answer(&reply, "not_org_user.json");
    let xml = add("mia@zylker.com,nobody@zylker.com").set("ZOHO_ERROR_FORMAT", "XML");
    assert_answer(
        &post(&server, SUPPORT_DESK, ADMIN_TOKEN, &xml).await,
        "not_org_user.xml",
    );
    let reply = post(
        &server,
        SUPPORT_DESK,
        ADMIN_TOKEN,
        &add("mia@zylker.com,Derek@zylker.com,nobody@zylker.com"),
    )
    .await;
    assert_answer(&reply, "inactive_user.json");
    let xml = add("derek@zylker.com").set("ZOHO_ERROR_FORMAT", "XML");
    assert_answer(
        &post(&server, SUPPORT_DESK, ADMIN_TOKEN, &xml).await,
        "inactive_user.xml",
    );
    // A user of another org is no user of this one.
    let reply = post(
        &server,
        SUPPORT_DESK,
        ADMIN_TOKEN,
        &add("owen@acme.example"),
    )
    .await;
    assert_eq!(reply.json()["response"]["error"]["code"], 7535);
    sandbox_unchanged(&server).await;
}

// ---------------------------------------------------------------- bad input

#[tokio::test]
async fn an_oversized_body_or_a_value_that_is_not_utf8_answers_8516() {
    let server = TestServer::start().await;
    let query = format!("{SALES}?&{}", remove("amelia@zylker.com").encoded());
    let huge = "ZOHO_MAIL_MESSAGE=".to_owned() + &"a".repeat(1024 * 1024);
    let request = server
        .client
        .post(server.url(&query))
        .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
        .header("Content-Type", FORM_CT)
        .body(huge);
    assert_answer(&server.send(request).await, "invalid_value.json");
    let garbled = format!(
        "{SALES}?{}&ZOHO_EMAILS=amelia%FF%40zylker.com",
        Form::action("REMOVEDBOWNER").encoded()
    );
    assert_answer(
        &server.call("POST", &garbled, Some(ADMIN_TOKEN), None).await,
        "invalid_value.json",
    );
    let garbled = format!(
        "{SALES}?{}&ZOHO_MAIL_SUBJECT=%C3",
        remove("amelia@zylker.com").encoded()
    );
    assert_answer(
        &server.call("POST", &garbled, Some(ADMIN_TOKEN), None).await,
        "invalid_value.json",
    );
    // A broken multipart body cannot be read either.
    let request = server
        .client
        .post(server.url(&query))
        .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
        .header("Content-Type", "multipart/form-data; boundary=XX")
        .body("garbage");
    assert_answer(&server.send(request).await, "invalid_value.json");
    // An action that is not UTF-8 is an invalid action, and the action attribute is empty.
    let reply = server
        .call(
            "POST",
            &format!("{SALES}?ZOHO_ACTION=%FF&ZOHO_ERROR_FORMAT=JSON"),
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(
        reply.json()["response"],
        json!({"uri": "/api/patricia@zylker.com/Sales Analytics", "action": "", "error": {"code": 8516, "message": "Invalid value passed in the mentioned parameter."}})
    );
    sandbox_unchanged(&server).await;
}

// ---------------------------------------------------------------- tenancy and state

#[tokio::test]
async fn the_workspace_is_looked_up_in_the_tokens_org_only() {
    let server = TestServer::start().await;
    let acme: Value = serde_json::from_str(ACME_FIXTURE).unwrap();
    let reply = server
        .admin("POST", "/__admin/orgs", Some(acme["orgs"][0].clone()))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    // Ada is an Administrator of acme with full access; zylker's workspace does not exist for her.
    for form in [share_info(), remove("amelia@zylker.com")] {
        let reply = post(&server, SALES, "1000.acme.admin", &form).await;
        assert_eq!(reply.status, 400, "{}", reply.text());
        assert_eq!(reply.json()["response"]["error"]["code"], 7103);
    }
    // And zylker's Administrator cannot reach acme's.
    let reply = post(&server, ACME_TEAM, ADMIN_TOKEN, &share_info()).await;
    assert_eq!(reply.json()["response"]["error"]["code"], 7103);
    sandbox_unchanged(&server).await;
}

#[tokio::test]
async fn a_copied_org_changes_its_own_workspaces_only() {
    let server = TestServer::start().await;
    let reply = server.admin("POST", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let copy = reply.json();
    let org = copy["id"].as_str().unwrap().to_owned();
    let patricia = "4150868000001174048";
    let token = server
        .mint_token(&org, patricia, &["ZohoAnalytics.share.all"])
        .await;
    assert_answer(
        &post(&server, SALES, &token, &remove("amelia@zylker.com")).await,
        "remove_admin.json",
    );
    assert_eq!(members(&server, &org, "Sales Analytics").await.0, json!([]));
    sandbox_unchanged(&server).await;
}

#[tokio::test]
async fn changes_show_in_the_exported_state_and_reset_undoes_them() {
    let server = TestServer::start().await;
    let reply = post(
        &server,
        SUPPORT_DESK,
        ADMIN_TOKEN,
        &add("lucas@zylker.com,mia@zylker.com"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let reply = post(&server, SALES, ADMIN_TOKEN, &remove("amelia@zylker.com")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let exported = server.state().await;
    assert_eq!(
        workspace(&exported, "zylker", "Support Desk")["admins"],
        json!(["lucas@zylker.com", "mia@zylker.com"])
    );
    assert_eq!(
        workspace(&exported, "zylker", "Sales Analytics")["admins"],
        json!([])
    );

    let reply = server.admin("POST", "/__admin/reset", None).await;
    assert_eq!(reply.status, 204);
    sandbox_unchanged(&server).await;
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &share_info()).await,
        "share_info.json",
    );

    // The exported state imports as it was.
    let reply = server.admin("PUT", "/__admin/state", Some(exported)).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_answer(
        &post(&server, SUPPORT_DESK, ADMIN_TOKEN, &share_info()).await,
        "share_info_after_add.json",
    );
}

#[tokio::test]
async fn concurrent_additions_are_all_kept() {
    let server = TestServer::start().await;
    let emails = [
        "liam@zylker.com",
        "sophia@zylker.com",
        "noah@zylker.com",
        "mia@zylker.com",
        "ethan@zylker.com",
        "chloe@zylker.com",
    ];
    let replies = futures_util::future::join_all(emails.iter().map(|email| {
        let server = &server;
        async move { post(server, SUPPORT_DESK, ADMIN_TOKEN, &add(email)).await }
    }))
    .await;
    assert!(replies.iter().all(|r| r.status == 200));
    let (admins, users) = members(&server, "zylker", "Support Desk").await;
    let mut admins: Vec<String> = serde_json::from_value(admins).unwrap();
    admins.sort();
    let mut expected: Vec<String> = emails.iter().map(|e| (*e).to_owned()).collect();
    expected.sort();
    assert_eq!(admins, expected);
    assert_eq!(users.as_array().unwrap().len(), 2 + emails.len());
}

// ---------------------------------------------------------------- faults (auth-and-errors.md §9)

#[tokio::test]
async fn faults_answer_in_the_analytics_envelope_and_error_format() {
    let server = TestServer::start().await;
    let fault = json!({"method": "*", "path": "/api/*/*", "status": 500, "times": 2});
    assert_eq!(
        server
            .admin("POST", "/__admin/faults", Some(fault))
            .await
            .status,
        201
    );
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &share_info()).await,
        "internal_error.json",
    );
    let xml = share_info().without("ZOHO_ERROR_FORMAT");
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &xml).await,
        "internal_error.xml",
    );

    let fault =
        json!({"method": "POST", "path": "/api/*/*", "status": 429, "code": 6045, "times": 1});
    assert_eq!(
        server
            .admin("POST", "/__admin/faults", Some(fault))
            .await
            .status,
        201
    );
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &xml).await,
        "rate_limit.xml",
    );
    assert_answer(
        &post(&server, SALES, ADMIN_TOKEN, &share_info()).await,
        "share_info.json",
    );
}

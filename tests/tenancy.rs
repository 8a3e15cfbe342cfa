//! Tenancy (DESIGN §2): the org comes from the token; an id that exists only in another org
//! behaves exactly like an id that does not exist; tests that each create their own org on one
//! server never see each other's state or journal entries.

mod support;

use serde_json::{Value, json};
use support::*;

const FOREIGN_RECORD: &str = "9000000000000000001";
const FOREIGN_RULE: &str = "9000000000000000002";

/// An org whose record, rule and workspace ids exist nowhere in the sandbox.
fn acme() -> Value {
    json!({
        "id": "acme",
        "users": [{"id": "1", "email": "boss@acme.io", "full_name": "Boss", "role": "9", "profile": "Administrator", "status": "active"},
                  {"id": "2", "email": "pat@acme.io", "full_name": "Pat", "role": "9", "profile": "Standard", "status": "active"}],
        "roles": [{"id": "9", "name": "R"}],
        "records": [{"module": "Leads", "id": FOREIGN_RECORD, "owner": "1"}],
        "shares": [{"module": "Leads", "record": FOREIGN_RECORD, "shared_with": {"type": "users", "id": "2"}}],
        "sharing_rules": [{"id": FOREIGN_RULE, "module": "Leads", "name": "acme rule", "type": "Criteria_Based",
                           "permission_type": "read", "superiors_allowed": false,
                           "criteria": {"comparator": "equal", "field": {"api_name": "City"}, "type": "value", "value": "X"},
                           "shared_to": {"type": "all_users"}}],
        "tokens": [{"access_token": "tok-acme", "user": "1", "scopes": ["ZohoCRM.share.ALL", "ZohoCRM.settings.ALL", "ZohoAnalytics.fullaccess.all"]}],
        "analytics": {"workspaces": [{"owner_email": "boss@acme.io", "name": "Acme Board", "admins": ["pat@acme.io"]}]}
    })
}

async fn with_acme() -> TestServer {
    let server = TestServer::start().await;
    let reply = server.admin("POST", "/__admin/orgs", Some(acme())).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    server
}

/// Status and body, to compare a foreign id's answer with an unknown id's.
async fn answer(
    server: &TestServer,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> (u16, String) {
    let reply = server.call(method, path, Some(token), body).await;
    (reply.status, reply.text())
}

#[tokio::test]
async fn another_orgs_record_is_an_unknown_record() {
    let server = with_acme().await;
    let body = r#"{"share":[{"type":"private","shared_with":{"type":"users","id":"4150868000001199001"}}]}"#;
    for (method, body) in [
        ("GET", None),
        ("POST", Some(body)),
        ("PUT", Some(body)),
        ("DELETE", None),
    ] {
        let foreign = answer(
            &server,
            method,
            &format!("/crm/v8/Leads/{FOREIGN_RECORD}/actions/share"),
            ADMIN_TOKEN,
            body,
        )
        .await;
        let unknown = answer(
            &server,
            method,
            "/crm/v8/Leads/9000000000000000099/actions/share",
            ADMIN_TOKEN,
            body,
        )
        .await;
        assert_eq!(foreign, unknown, "{method}");
        assert!(
            foreign.1.contains("ENTITY_ID_INVALID"),
            "{method}: {}",
            foreign.1
        );
    }
    // And the other way round: acme cannot reach a sandbox record.
    let sandbox_record = "/crm/v8/Contacts/4150868000001148230/actions/share";
    let (status, text) = answer(&server, "GET", sandbox_record, "tok-acme", None).await;
    assert_eq!(status, 400);
    assert!(text.contains("ENTITY_ID_INVALID"));
    // The foreign share is untouched.
    let acme_shares = server
        .get(
            &format!("/crm/v8/Leads/{FOREIGN_RECORD}/actions/share"),
            "tok-acme",
        )
        .await;
    assert_eq!(acme_shares.json()["share"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn another_orgs_rule_is_an_unknown_rule() {
    let server = with_acme().await;
    for (method, suffix) in [
        ("GET", ""),
        ("PUT", ""),
        ("DELETE", ""),
        ("PUT", "/actions/activate"),
        ("DELETE", "/actions/activate"),
    ] {
        let body =
            Some(r#"{"sharing_rules":[{"type":"Criteria_Based","superiors_allowed":false}]}"#);
        let foreign = answer(
            &server,
            method,
            &format!("/crm/v8/settings/data_sharing/rules/{FOREIGN_RULE}{suffix}?module=Leads"),
            ADMIN_TOKEN,
            body,
        )
        .await;
        let unknown = answer(
            &server,
            method,
            &format!(
                "/crm/v8/settings/data_sharing/rules/9000000000000000098{suffix}?module=Leads"
            ),
            ADMIN_TOKEN,
            body,
        )
        .await;
        assert_eq!(foreign, unknown, "{method} {suffix}");
        assert_eq!(foreign.0, 400);
    }
    let listed = server
        .get(
            "/crm/v8/settings/data_sharing/rules?module=Leads",
            ADMIN_TOKEN,
        )
        .await
        .json();
    assert!(!listed.to_string().contains(FOREIGN_RULE));
    let theirs = server
        .get("/crm/v8/settings/data_sharing/rules", "tok-acme")
        .await
        .json();
    assert_eq!(theirs["sharing_rules"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn another_orgs_workspace_is_an_unknown_workspace() {
    let server = with_acme().await;
    let call = |token: &'static str, owner: &'static str, name: &'static str| {
        server
            .client
            .post(server.url(&format!("/api/{owner}/{name}")))
            .header("Authorization", format!("Zoho-oauthtoken {token}"))
            .form(&[
                ("ZOHO_ACTION", "GETSHAREINFO"),
                ("ZOHO_OUTPUT_FORMAT", "JSON"),
                ("ZOHO_ERROR_FORMAT", "JSON"),
                ("ZOHO_API_VERSION", "1.0"),
            ])
    };
    let foreign = server
        .send(call(ADMIN_TOKEN, "boss@acme.io", "Acme Board"))
        .await;
    let unknown = server
        .send(call(ADMIN_TOKEN, "boss@acme.io", "No Such Board"))
        .await;
    assert_eq!(foreign.status, 400);
    assert_eq!(foreign.json()["response"]["error"]["code"], 7103);
    assert_eq!(
        foreign.json()["response"]["error"],
        unknown.json()["response"]["error"]
    );
    let own = server
        .send(call("tok-acme", "boss@acme.io", "Acme Board"))
        .await;
    assert_eq!(own.status, 200, "{}", own.text());
    let sandbox = server
        .send(call("tok-acme", "patricia@zylker.com", "Sales Analytics"))
        .await;
    assert_eq!(sandbox.json()["response"]["error"]["code"], 7103);
}

/// One test's life in its own org: share a lead, read it back, check its journal slice.
async fn isolated_session(server: &TestServer, user: &str) -> (String, Vec<Value>) {
    let org = server.admin("POST", "/__admin/orgs", None).await.json();
    let org_id = org["id"].as_str().unwrap().to_owned();
    let token = org["tokens"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = "/crm/v8/Leads/4150868000001148212/actions/share";
    for round in 0..10 {
        let body = format!(
            r#"{{"share":[{{"type":"private","permission":"read_only","shared_with":{{"type":"users","id":"{user}"}}}}]}}"#
        );
        let reply = server.call("PUT", path, Some(&token), Some(&body)).await;
        assert_eq!(reply.status, 200, "round {round}: {}", reply.text());
        let shares = server.get(path, &token).await.json();
        let targets: Vec<&str> = shares["share"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["shared_with"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(targets, [user], "only this session's share is visible");
    }
    let journal = server
        .admin("GET", &format!("/__admin/requests?org={org_id}"), None)
        .await
        .json();
    (org_id, journal["requests"].as_array().unwrap().clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sessions_in_their_own_orgs_never_see_each_other() {
    let server = TestServer::start().await;
    let (first, second) = tokio::join!(
        isolated_session(&server, "4150868000001199001"),
        isolated_session(&server, "4150868000001199002"),
    );
    assert_ne!(first.0, second.0);
    for (org_id, entries) in [&first, &second] {
        assert_eq!(entries.len(), 20, "{org_id}: its own 10 PUTs and 10 GETs");
        assert!(entries.iter().all(|e| e["org"] == org_id.as_str()));
    }
    let first_ids: Vec<&Value> = first.1.iter().map(|e| &e["id"]).collect();
    assert!(second.1.iter().all(|e| !first_ids.contains(&&e["id"])));
    // The sandbox org was never touched.
    let sandbox = server
        .get(
            "/crm/v8/Leads/4150868000001148212/actions/share",
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(sandbox.status, 204);
}

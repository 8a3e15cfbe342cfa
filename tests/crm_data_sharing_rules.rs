//! Black-box tests of `/crm/{v}/settings/data_sharing[/rules...]` (spec
//! crm-data-sharing-rules.md): every documented case against its golden body, the processing
//! order, state changes seen through the API and `/__admin/state`, and the computation timer.

mod support;

use serde_json::{Value, json};
use support::sandbox::*;
use support::*;
use zoho_sharing_mock::MockServer;

const RULES: &str = "/crm/v8/settings/data_sharing/rules";
const SETTINGS: &str = "/crm/v8/settings/data_sharing";
/// Sandbox rules: Leads (active), Leads (inactive), Contacts (criteria based), Deals.
const LEADS_RULE: &str = "2276164000002052006";
const LEADS_INACTIVE_RULE: &str = "2276164000002052011";
const CONTACTS_RULE: &str = "2276164000002052015";
const DEALS_RULE: &str = "2276164000002052019";
const SEED_FIXTURE: &str = include_str!("fixtures/data_sharing_rules_summary_seed.json");

fn golden(name: &str) -> String {
    format!("crm/data_sharing_rules/{name}.json")
}

fn rule_path(id: &str, module: &str) -> String {
    format!("{RULES}/{id}?module={module}")
}

fn activate_path(id: &str, module: &str) -> String {
    format!("{RULES}/{id}/actions/activate?module={module}")
}

fn criteria_rule(name: &str) -> Value {
    json!({"name": name, "type": "Criteria_Based", "superiors_allowed": false, "permission_type": "read",
           "shared_to": {"type": "all_users", "subordinates": false},
           "criteria": {"group_operator": "AND", "group": [{"comparator": "equal", "field": {"api_name": "City"}, "type": "value", "value": "Chennai"}]}})
}

fn owner_rule(name: &str) -> Value {
    json!({"name": name, "type": "Record_Owner_Based", "superiors_allowed": true, "permission_type": "read_write_delete",
           "shared_from": {"type": "roles", "resource": {"id": "4150868000000026006", "name": "ignored"}, "subordinates": true},
           "shared_to": {"type": "groups", "resource": {"id": "4150868000000232002"}}})
}

fn wrap(item: Value) -> String {
    json!({"sharing_rules": [item]}).to_string()
}

async fn admin_call(server: &TestServer, method: &str, path: &str, body: Option<&str>) -> Reply {
    server.call(method, path, Some(ADMIN_TOKEN), body).await
}

/// A token for the Standard-profile user that has every settings scope.
async fn standard_settings_token(server: &TestServer) -> String {
    server
        .mint_token(ORG, AMELIA, &["ZohoCRM.settings.ALL"])
        .await
}

async fn set_computation(server: &TestServer, module: &str, running: bool) {
    let reply = server
        .admin(
            "PUT",
            "/__admin/orgs/zylker/rule-computation",
            Some(json!({ module: running })),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
}

async fn create(server: &TestServer, module: &str, item: Value) -> String {
    let reply = admin_call(
        server,
        "POST",
        &format!("{RULES}?module={module}"),
        Some(&wrap(item)),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["sharing_rules"][0]["details"]["id"]
        .as_str()
        .expect("an id")
        .to_owned()
}

async fn get_rule(server: &TestServer, id: &str) -> Value {
    let reply = server.get(&format!("{RULES}/{id}"), ADMIN_TOKEN).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["sharing_rules"][0].clone()
}

/// What this family keeps of org `zylker`, as exported.
async fn rules_state(server: &TestServer) -> Value {
    let state = server.state().await;
    let org = &state["orgs"][0];
    assert_eq!(org["id"], "zylker");
    json!({"sharing_rules": org["sharing_rules"], "rule_computation": org["rule_computation"], "data_sharing": org["data_sharing"]})
}

async fn summary_entry(server: &TestServer, module: &str) -> Value {
    let reply = server
        .get(
            &format!("{RULES}/actions/summary?module={module}"),
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["sharing_rules_summary"][0].clone()
}

/// The reply with a generated id replaced by the golden's placeholder.
fn with_placeholder(reply: &Reply, id: &str) -> Reply {
    Reply {
        status: reply.status,
        headers: reply.headers.clone(),
        body: reply.text().replace(id, "NEW_RULE_ID").into_bytes(),
        method: reply.method.clone(),
        path: reply.path.clone(),
        faulted: reply.faulted,
    }
}

// ---- Seeds and worked examples (spec §10) ----

#[tokio::test]
async fn summary_reproduces_the_seed_sample() {
    let server = TestServer::with_fixture(SEED_FIXTURE).await;
    let reply = server
        .get(&format!("{RULES}/actions/summary"), "1000.seed.admin")
        .await;
    assert_golden(&reply, &golden("summary_seed"));
}

#[tokio::test]
async fn deactivate_reproduces_the_seed_sample_then_refuses_a_repeat() {
    let server = TestServer::start().await;
    let reply = admin_call(&server, "DELETE", &activate_path(LEADS_RULE, "Leads"), None).await;
    assert_golden(&reply, &golden("deactivate_success"));
    assert_eq!(get_rule(&server, LEADS_RULE).await["status"], "inactive");
    let reply = admin_call(&server, "DELETE", &activate_path(LEADS_RULE, "Leads"), None).await;
    assert_golden(&reply, &golden("id_already_deactivated"));
    let reply = admin_call(&server, "PUT", &activate_path(LEADS_RULE, "Leads"), None).await;
    assert_golden(&reply, &golden("activate_success"));
    assert_eq!(get_rule(&server, LEADS_RULE).await["status"], "active");
    let reply = admin_call(&server, "PUT", &activate_path(LEADS_RULE, "Leads"), None).await;
    assert_golden(&reply, &golden("id_already_active"));
}

#[tokio::test]
async fn summary_shows_the_running_leads_computation() {
    let server = TestServer::start().await;
    set_computation(&server, "Leads", true).await;
    let reply = server
        .get(&format!("{RULES}/actions/summary"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("summary_leads_computing"));
    let reply = server
        .get(
            &format!("{RULES}/actions/summary?module=Leads"),
            ADMIN_TOKEN,
        )
        .await;
    assert_golden(&reply, &golden("summary_leads_only"));
}

#[tokio::test]
async fn summary_of_an_org_without_rules_is_no_content_even_with_a_module() {
    let server = TestServer::start().await;
    for id in [LEADS_RULE, LEADS_INACTIVE_RULE] {
        assert_eq!(
            admin_call(&server, "DELETE", &rule_path(id, "Leads"), None)
                .await
                .status,
            200
        );
    }
    assert_eq!(
        admin_call(
            &server,
            "DELETE",
            &rule_path(CONTACTS_RULE, "Contacts"),
            None
        )
        .await
        .status,
        200
    );
    let reply = server
        .get(
            &format!("{RULES}/actions/summary?module=Deals"),
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(reply.status, 200, "one rule left");
    assert_eq!(
        admin_call(&server, "DELETE", &rule_path(DEALS_RULE, "Deals"), None)
            .await
            .status,
        200
    );
    for path in ["/actions/summary", "/actions/summary?module=Deals"] {
        let reply = server.get(&format!("{RULES}{path}"), ADMIN_TOKEN).await;
        assert_golden(&reply, &golden("summary_no_rules"));
    }
}

#[tokio::test]
async fn deactivate_without_module_or_with_another_module_is_refused() {
    let server = TestServer::start().await;
    let reply = admin_call(
        &server,
        "DELETE",
        &format!("{RULES}/{LEADS_RULE}/actions/activate"),
        None,
    )
    .await;
    assert_golden(&reply, &golden("required_param_missing"));
    let reply = admin_call(
        &server,
        "DELETE",
        &format!("{RULES}/{LEADS_RULE}/actions/activate?module="),
        None,
    )
    .await;
    assert_golden(&reply, &golden("required_param_missing"));
    let reply = admin_call(
        &server,
        "DELETE",
        &activate_path(LEADS_RULE, "Contacts"),
        None,
    )
    .await;
    assert_golden(&reply, &golden("rule_id_invalid"));
    assert_eq!(get_rule(&server, LEADS_RULE).await["status"], "active");
}

#[tokio::test]
async fn deactivate_during_computation_is_refused_and_the_rule_stays_active() {
    let server = TestServer::start().await;
    set_computation(&server, "Leads", true).await;
    let reply = admin_call(&server, "DELETE", &activate_path(LEADS_RULE, "Leads"), None).await;
    assert_golden(&reply, &golden("cannot_process"));
    assert_eq!(get_rule(&server, LEADS_RULE).await["status"], "active");
}

#[tokio::test]
async fn create_answers_201_with_a_new_id_and_the_rule_reads_back() {
    let server = TestServer::start().await;
    let reply = admin_call(
        &server,
        "POST",
        &format!("{RULES}?module=Leads"),
        Some(&wrap(criteria_rule("Chennai leads to all"))),
    )
    .await;
    let id = reply.json()["sharing_rules"][0]["details"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert_golden(&with_placeholder(&reply, &id), &golden("create_success"));
    assert_eq!(id.len(), 19);
    assert!(id.parse::<i64>().is_ok(), "fits a signed 64-bit integer");
    let rule = get_rule(&server, &id).await;
    assert_eq!(
        rule,
        json!({"criteria": {"group_operator": "AND", "group": [{"comparator": "equal", "field": {"api_name": "City"}, "type": "value", "value": "Chennai"}]},
               "id": id, "match_limit_exceeded": false,
               "module": {"api_name": "Leads", "id": "3602353000000000125", "name": "Leads"},
               "name": "Chennai leads to all", "permission_type": "read", "shared_from": null,
               "shared_to": {"subordinates": false, "type": "all_users"},
               "status": "active", "superiors_allowed": false, "type": "Criteria_Based"})
    );
    assert_eq!(summary_entry(&server, "Leads").await["rule_count"], 3);
}

// ---- Reading ----

#[tokio::test]
async fn get_rule_renders_the_rule_object() {
    let server = TestServer::start().await;
    let reply = server
        .get(&rule_path(LEADS_RULE, "Leads"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("get_rule"));
    let reply = server
        .get(&format!("{RULES}/{LEADS_RULE}"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("get_rule"));
    let reply = server
        .get(&rule_path(LEADS_RULE, "Deals"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("rule_id_invalid"));
    // Path segments are percent-decoded once; one that is not UTF-8 names no rule.
    let reply = server
        .get(&format!("{RULES}/%32276164000002052006"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("get_rule"));
    for unknown in [
        "1",
        "02276164000002052006",
        "%FF",
        "%2532276164000002052006",
    ] {
        let reply = server.get(&format!("{RULES}/{unknown}"), ADMIN_TOKEN).await;
        assert_golden(&reply, &golden("rule_id_invalid"));
    }
}

#[tokio::test]
async fn list_orders_by_registry_then_load_order_and_pages() {
    let server = TestServer::start().await;
    let reply = server.get(RULES, ADMIN_TOKEN).await;
    assert_golden(&reply, &golden("list_rules"));
    let reply = server
        .get(&format!("{RULES}?per_page=1&page=2"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("list_rules_page_2"));
    let reply = server
        .get(&format!("{RULES}?page=3&per_page=2"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("list_no_rules"));
    let reply = server
        .get(&format!("{RULES}?module=Accounts"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("list_no_rules"));
    let reply = server
        .get(&format!("{RULES}?module=contacts&"), ADMIN_TOKEN)
        .await;
    assert_eq!(reply.status, 200);
    let rules = reply.json()["sharing_rules"].clone();
    assert_eq!(rules.as_array().map(Vec::len), Some(1));
    assert_eq!(rules[0]["id"], CONTACTS_RULE);

    let tasks = create(&server, "Tasks", criteria_rule("t")).await;
    let leads = create(&server, "Leads", criteria_rule("l")).await;
    let ids: Vec<Value> = server.get(RULES, ADMIN_TOKEN).await.json()["sharing_rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(
        ids,
        [
            json!(LEADS_RULE),
            json!(LEADS_INACTIVE_RULE),
            json!(leads),
            json!(CONTACTS_RULE),
            json!(DEALS_RULE),
            json!(tasks)
        ]
    );
}

#[tokio::test]
async fn list_refuses_bad_paging_parameters() {
    let server = TestServer::start().await;
    for query in ["page=0", "page=-1", "page=1.0", "page=%2B1"] {
        let reply = server.get(&format!("{RULES}?{query}"), ADMIN_TOKEN).await;
        assert_golden(&reply, &golden("list_invalid_page"));
    }
    for query in ["per_page=0", "per_page=201", "per_page=x"] {
        let reply = server.get(&format!("{RULES}?{query}"), ADMIN_TOKEN).await;
        assert_golden(&reply, &golden("list_invalid_per_page"));
    }
    let reply = server
        .get(&format!("{RULES}?page=01&per_page=200"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("list_rules"));
}

// ---- Common errors and the processing order ----

#[tokio::test]
async fn wrong_methods_and_route_misses() {
    let server = TestServer::start().await;
    for method in ["POST", "GET", "PATCH", "HEAD"] {
        let reply = admin_call(&server, method, &activate_path(LEADS_RULE, "Leads"), None).await;
        if method == "HEAD" {
            assert_eq!(reply.status, 400);
        } else {
            assert_golden(&reply, &golden("invalid_request_method"));
        }
    }
    for (method, path) in [
        ("DELETE", RULES.to_owned()),
        ("PUT", format!("{RULES}/actions/summary")),
        ("GET", format!("{RULES}/actions/run")),
        ("DELETE", SETTINGS.to_owned()),
    ] {
        let reply = admin_call(&server, method, &path, None).await;
        assert_golden(&reply, &golden("invalid_request_method"));
    }
    for path in [
        format!("{RULES}/{LEADS_RULE}/actions/nope"),
        format!("{RULES}/"),
        "/crm/v9/settings/data_sharing/rules".to_owned(),
        format!("{SETTINGS}/other"),
    ] {
        let reply = admin_call(&server, "GET", &path, None).await;
        assert_golden(&reply, &golden("route_miss"));
    }
}

#[tokio::test]
async fn every_endpoint_checks_the_token_first() {
    let server = TestServer::start().await;
    let endpoints = [
        ("GET", SETTINGS.to_owned()),
        ("PUT", SETTINGS.to_owned()),
        ("GET", RULES.to_owned()),
        ("POST", RULES.to_owned()),
        ("PUT", RULES.to_owned()),
        ("GET", format!("{RULES}/1")),
        ("PUT", format!("{RULES}/1")),
        ("DELETE", format!("{RULES}/1")),
        ("PUT", format!("{RULES}/1/actions/activate")),
        ("DELETE", format!("{RULES}/1/actions/activate")),
        ("GET", format!("{RULES}/actions/summary?module=Nope")),
        ("POST", format!("{RULES}/actions/run")),
    ];
    for (method, path) in &endpoints {
        let reply = server.call(method, path, None, Some("{")).await;
        assert_golden(&reply, &golden("authentication_failure"));
        let reply = server
            .call(method, path, Some(EXPIRED_TOKEN), Some("{"))
            .await;
        assert_golden(&reply, &golden("invalid_token"));
    }
}

#[tokio::test]
async fn the_module_class_is_checked_before_the_scope() {
    let server = TestServer::start().await;
    // The noshare token can only read; the module answers come first anyway.
    let reply = server
        .call(
            "DELETE",
            &format!("{RULES}/{LEADS_RULE}/actions/activate"),
            Some(NOSHARE_TOKEN),
            None,
        )
        .await;
    assert_golden(&reply, &golden("required_param_missing"));
    for module in ["Meetings", "Documents", "projects", "Sales%20Orders"] {
        let reply = server
            .call(
                "DELETE",
                &activate_path(LEADS_RULE, module),
                Some(NOSHARE_TOKEN),
                None,
            )
            .await;
        assert_golden(&reply, &golden("invalid_module"));
        let reply = server
            .get(&format!("{RULES}?module={module}"), STANDARD_TOKEN)
            .await;
        assert_golden(&reply, &golden("invalid_module"));
    }
    let reply = server
        .call(
            "DELETE",
            &activate_path(LEADS_RULE, "Leads"),
            Some(NOSHARE_TOKEN),
            None,
        )
        .await;
    assert_golden(&reply, &golden("oauth_scope_mismatch"));
}

#[tokio::test]
async fn each_endpoint_needs_its_own_scope() {
    let server = TestServer::start().await;
    // STANDARD_TOKEN has no settings scope; NOSHARE_TOKEN has data_sharing.READ only.
    for path in [
        SETTINGS.to_owned(),
        RULES.to_owned(),
        format!("{RULES}/{LEADS_RULE}"),
        format!("{RULES}/actions/summary"),
    ] {
        let reply = server.get(&path, STANDARD_TOKEN).await;
        assert_golden(&reply, &golden("oauth_scope_mismatch"));
        assert_eq!(server.get(&path, NOSHARE_TOKEN).await.status, 200, "{path}");
    }
    let writes = [
        ("PUT", SETTINGS.to_owned()),
        ("POST", format!("{RULES}?module=Leads")),
        ("PUT", format!("{RULES}?module=Leads")),
        ("PUT", rule_path(LEADS_RULE, "Leads")),
        ("DELETE", rule_path(LEADS_RULE, "Leads")),
        ("PUT", activate_path(LEADS_RULE, "Leads")),
        ("POST", format!("{RULES}/actions/run?module=Leads")),
    ];
    for (method, path) in &writes {
        let reply = server
            .call(method, path, Some(NOSHARE_TOKEN), Some("{"))
            .await;
        assert_golden(&reply, &golden("oauth_scope_mismatch"));
    }
    // Operation-level scopes: DELETE needs .DELETE; deactivate needs .UPDATE.
    let reply = server
        .admin("POST", "/__admin/tokens", Some(json!({"org": "zylker", "user": "4150868000001174048", "scopes": ["ZohoCRM.settings.data_sharing.UPDATE"]})))
        .await;
    let update_only = reply.json()["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let reply = server
        .call(
            "DELETE",
            &rule_path(LEADS_RULE, "Leads"),
            Some(&update_only),
            None,
        )
        .await;
    assert_golden(&reply, &golden("oauth_scope_mismatch"));
    let reply = server
        .call(
            "DELETE",
            &activate_path(LEADS_RULE, "Leads"),
            Some(&update_only),
            None,
        )
        .await;
    assert_golden(&reply, &golden("deactivate_success"));
}

#[tokio::test]
async fn the_scope_is_checked_before_the_rule_id_and_the_rule_id_before_the_profile() {
    let server = TestServer::start().await;
    let reply = server
        .call(
            "DELETE",
            &activate_path("1", "Leads"),
            Some(NOSHARE_TOKEN),
            None,
        )
        .await;
    assert_golden(&reply, &golden("oauth_scope_mismatch"));
    let standard = standard_settings_token(&server).await;
    let reply = server
        .call(
            "DELETE",
            &activate_path("1", "Leads"),
            Some(&standard),
            None,
        )
        .await;
    assert_golden(&reply, &golden("rule_id_invalid"));
    let reply = server
        .call(
            "DELETE",
            &activate_path(LEADS_RULE, "Leads"),
            Some(&standard),
            None,
        )
        .await;
    assert_golden(&reply, &golden("no_permission"));
}

#[tokio::test]
async fn non_administrators_get_no_permission_on_every_endpoint() {
    let server = TestServer::start().await;
    let standard = standard_settings_token(&server).await;
    let before = rules_state(&server).await;
    let calls = [
        ("GET", SETTINGS.to_owned(), None),
        ("PUT", SETTINGS.to_owned(), Some("not json")),
        ("GET", format!("{RULES}?page=0"), None),
        ("POST", format!("{RULES}?module=Leads"), Some("[]")),
        (
            "PUT",
            format!("{RULES}?module=Leads"),
            Some(r#"{"sharing_rules":5}"#),
        ),
        ("GET", rule_path(LEADS_RULE, "Leads"), None),
        ("PUT", rule_path(LEADS_RULE, "Leads"), Some("")),
        ("DELETE", rule_path(LEADS_RULE, "Leads"), None),
        ("PUT", activate_path(LEADS_INACTIVE_RULE, "Leads"), None),
        ("DELETE", activate_path(LEADS_RULE, "Leads"), None),
        ("GET", format!("{RULES}/actions/summary"), None),
        ("POST", format!("{RULES}/actions/run?module=Leads"), None),
    ];
    for (method, path, body) in &calls {
        let reply = server.call(method, path, Some(&standard), *body).await;
        assert_golden(&reply, &golden("no_permission"));
    }
    assert_eq!(rules_state(&server).await, before);
}

#[tokio::test]
async fn an_injected_fault_answers_internal_error() {
    let server = TestServer::start().await;
    let reply = server
        .admin("POST", "/__admin/faults", Some(json!({"method": "GET", "path": "/crm/*/settings/data_sharing/rules/actions/summary", "status": 500, "times": 1})))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let reply = server
        .get(&format!("{RULES}/actions/summary"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("internal_error"));
    assert_eq!(
        server
            .get(&format!("{RULES}/actions/summary"), ADMIN_TOKEN)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn body_errors_come_before_the_running_computation() {
    let server = TestServer::start().await;
    set_computation(&server, "Leads", true).await;
    let reply = admin_call(
        &server,
        "PUT",
        &rule_path(LEADS_RULE, "Leads"),
        Some(&wrap(json!({"type": "Record_Owner_Based"}))),
    )
    .await;
    assert_golden(&reply, &golden("missing_superiors_allowed"));
    let reply = admin_call(
        &server,
        "PUT",
        &format!("{RULES}?module=Leads"),
        Some(&wrap(json!({"id": "1"}))),
    )
    .await;
    assert_golden(&reply, &golden("update_id_invalid"));
    // The computation is checked before "already inactive".
    let reply = admin_call(
        &server,
        "DELETE",
        &activate_path(LEADS_INACTIVE_RULE, "Leads"),
        None,
    )
    .await;
    assert_golden(&reply, &golden("cannot_process"));
    let reply = admin_call(&server, "PUT", &activate_path(LEADS_RULE, "Leads"), None).await;
    assert_golden(&reply, &golden("cannot_process"));
}

// ---- Create and update bodies (spec §8 in order) ----

#[tokio::test]
async fn create_and_update_refuse_bodies_that_are_not_one_rule() {
    let server = TestServer::start().await;
    let before = rules_state(&server).await;
    let targets = [
        ("POST", format!("{RULES}?module=Leads")),
        ("PUT", format!("{RULES}?module=Leads")),
        ("PUT", rule_path(LEADS_RULE, "Leads")),
    ];
    let huge = format!(
        r#"{{"sharing_rules":[],"pad":"{}"}}"#,
        "x".repeat(1_100_000)
    );
    for (method, path) in &targets {
        for body in ["[]", "\"x\"", "{", "null", "\u{0}", huge.as_str()] {
            let reply = admin_call(&server, method, path, Some(body)).await;
            assert_golden(&reply, &golden("body_not_object"));
        }
        for body in [
            "",
            "{}",
            r#"{"sharing_rules":null}"#,
            r#"{"sharing_rules":[]}"#,
        ] {
            let reply = admin_call(&server, method, path, Some(body)).await;
            assert_golden(&reply, &golden("sharing_rules_missing"));
        }
        for body in [r#"{"sharing_rules":{}}"#, r#"{"sharing_rules":"x"}"#] {
            let reply = admin_call(&server, method, path, Some(body)).await;
            assert_golden(&reply, &golden("sharing_rules_not_array"));
        }
        let two = json!({"sharing_rules": [criteria_rule("a"), criteria_rule("b")]}).to_string();
        let reply = admin_call(&server, method, path, Some(&two)).await;
        assert_golden(&reply, &golden("sharing_rules_too_many"));
        let reply = admin_call(&server, method, path, Some(r#"{"sharing_rules":[7]}"#)).await;
        assert_golden(&reply, &golden("item_not_object"));
    }
    let invalid_utf8 = server
        .send(
            server
                .client
                .post(server.url(&format!("{RULES}?module=Leads")))
                .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
                .body(vec![b'{', 0xff, b'}']),
        )
        .await;
    assert_golden(&invalid_utf8, &golden("body_not_object"));
    assert_eq!(rules_state(&server).await, before);
}

#[tokio::test]
async fn create_refuses_each_item_problem_with_its_path() {
    let server = TestServer::start().await;
    let before = rules_state(&server).await;
    let edit = |base: Value, key: &str, value: Option<Value>| {
        let mut item = base;
        let fields = item.as_object_mut().expect("an object");
        match value {
            Some(value) => fields.insert(key.to_owned(), value),
            None => fields.remove(key),
        };
        item
    };
    let cases = [
        (
            edit(criteria_rule("x"), "status", Some(json!("active"))),
            "status_not_allowed",
        ),
        (edit(criteria_rule("x"), "name", None), "missing_name"),
        (
            edit(criteria_rule("x"), "name", Some(Value::Null)),
            "missing_name",
        ),
        (edit(criteria_rule("x"), "type", None), "missing_type"),
        (
            edit(criteria_rule("x"), "superiors_allowed", None),
            "missing_superiors_allowed",
        ),
        (
            edit(criteria_rule("x"), "criteria", None),
            "missing_criteria",
        ),
        (
            edit(owner_rule("x"), "shared_from", None),
            "missing_shared_from",
        ),
        (
            edit(
                criteria_rule("x"),
                "permission_type",
                Some(json!("read_write")),
            ),
            "invalid_permission_type",
        ),
        (
            edit(criteria_rule("x"), "type", Some(json!("criteria_based"))),
            "invalid_type",
        ),
        (
            edit(
                criteria_rule("x"),
                "superiors_allowed",
                Some(json!("false")),
            ),
            "invalid_superiors_allowed",
        ),
        (
            edit(
                criteria_rule("x"),
                "shared_to",
                Some(json!({"type": "users", "resource": {"id": AMELIA}})),
            ),
            "invalid_shared_to_type",
        ),
        (
            edit(
                criteria_rule("x"),
                "criteria",
                Some(json!({"group_operator": "AND", "group": [{"field": {"api_name": "City"}}]})),
            ),
            "invalid_criteria_comparator",
        ),
        (
            edit(
                criteria_rule("x"),
                "criteria",
                Some(json!({"group_operator": "XOR", "group": []})),
            ),
            "invalid_criteria_group_operator",
        ),
        (
            edit(
                owner_rule("x"),
                "shared_to",
                Some(json!({"type": "groups", "resource": {"id": "4150868000000026005"}})),
            ),
            "resource_id_unknown",
        ),
        (
            edit(
                owner_rule("x"),
                "shared_from",
                Some(json!({"type": "roles", "resource": {"id": "4150868000000232001"}})),
            ),
            "resource_id_unknown_from",
        ),
        (
            edit(criteria_rule("x"), "name", Some(json!("LEADS TO SALES"))),
            "duplicate_name",
        ),
        (
            edit(criteria_rule("x"), "name", Some(json!(""))),
            "empty_name",
        ),
        (
            edit(
                owner_rule("x"),
                "shared_from",
                Some(json!({"type": "all_users"})),
            ),
            "shared_from_all_users",
        ),
        // Order: status before missing keys, missing keys before types, types before references.
        (
            edit(
                edit(criteria_rule(""), "status", Some(json!("active"))),
                "type",
                None,
            ),
            "status_not_allowed",
        ),
        (
            edit(
                edit(criteria_rule(""), "superiors_allowed", None),
                "permission_type",
                Some(json!(1)),
            ),
            "missing_superiors_allowed",
        ),
        (
            edit(
                edit(
                    owner_rule("Leads to Sales"),
                    "shared_to",
                    Some(json!({"type": "roles", "resource": {"id": "9"}})),
                ),
                "name",
                Some(json!("")),
            ),
            "empty_name",
        ),
        (
            edit(
                owner_rule("Leads to Sales"),
                "shared_to",
                Some(json!({"type": "roles", "resource": {"id": "9"}})),
            ),
            "resource_id_unknown",
        ),
    ];
    for (item, name) in cases {
        let reply = admin_call(
            &server,
            "POST",
            &format!("{RULES}?module=Leads"),
            Some(&wrap(item.clone())),
        )
        .await;
        assert_golden(&reply, &golden(name));
    }
    assert_eq!(
        rules_state(&server).await,
        before,
        "refused items change nothing"
    );
    // The same name is fine in another module, and the input resource name is ignored.
    let id = create(&server, "Contacts", owner_rule("Leads to Sales")).await;
    let rule = get_rule(&server, &id).await;
    assert_eq!(
        rule["shared_from"],
        json!({"resource": {"id": "4150868000000026006", "name": "Manager"}, "subordinates": true, "type": "roles"})
    );
    assert_eq!(
        rule["shared_to"],
        json!({"resource": {"id": "4150868000000232002", "name": "Support"}, "subordinates": false, "type": "groups"})
    );
}

#[tokio::test]
async fn create_ignores_id_module_and_criteria_it_does_not_need() {
    let server = TestServer::start().await;
    let mut item = owner_rule("Ignoring");
    item["id"] = json!(LEADS_RULE);
    item["module"] = json!({"api_name": "Deals"});
    item["match_limit_exceeded"] = json!(true);
    item["criteria"] = json!("not even an object");
    item["shared_to"] = json!({"type": "all_users", "resource": {"id": "1"}});
    let id = create(&server, "sales_orders", item).await;
    assert_ne!(id, LEADS_RULE);
    let rule = get_rule(&server, &id).await;
    assert_eq!(
        rule["module"],
        json!({"api_name": "Sales_Orders", "id": "3602353000000000171", "name": "Sales_Orders"})
    );
    assert_eq!(rule["criteria"], Value::Null);
    assert_eq!(rule["match_limit_exceeded"], false);
    assert_eq!(
        rule["shared_to"],
        json!({"subordinates": false, "type": "all_users"})
    );
    let second = create(&server, "Properties", criteria_rule("Custom module rule")).await;
    assert_ne!(second, id);
    assert_eq!(
        get_rule(&server, &second).await["module"],
        json!({"api_name": "Properties", "id": "4150868000000542001", "name": "Properties"})
    );
}

#[tokio::test]
async fn numeric_ids_are_accepted_and_answered_as_strings() {
    let server = TestServer::start().await;
    let body = r#"{"sharing_rules":[{"name":"n","type":"Record_Owner_Based","superiors_allowed":false,"permission_type":"read",
        "shared_from":{"type":"roles","resource":{"id":4150868000000026005}},"shared_to":{"type":"groups","resource":{"id":4150868000000232001}}}]}"#;
    let reply = admin_call(
        &server,
        "POST",
        &format!("{RULES}?module=Deals"),
        Some(body),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let id = reply.json()["sharing_rules"][0]["details"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert_eq!(
        get_rule(&server, &id).await["shared_from"]["resource"]["id"],
        "4150868000000026005"
    );
    let body = format!(
        r#"{{"sharing_rules":[{{"id":{id},"type":"Record_Owner_Based","superiors_allowed":true}}]}}"#
    );
    let reply = admin_call(
        &server,
        "PUT",
        &format!("{RULES}?module=Deals"),
        Some(&body),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["sharing_rules"][0]["details"]["id"], json!(id));
}

#[tokio::test]
async fn update_is_partial_and_keeps_unsent_keys() {
    let server = TestServer::start().await;
    let before = get_rule(&server, LEADS_RULE).await;
    let body = wrap(
        json!({"type": "Record_Owner_Based", "superiors_allowed": true, "permission_type": "read", "id": CONTACTS_RULE}),
    );
    let reply = admin_call(&server, "PUT", &rule_path(LEADS_RULE, "Leads"), Some(&body)).await;
    assert_golden(&reply, &golden("update_success"));
    let after = get_rule(&server, LEADS_RULE).await;
    let mut expected = before.clone();
    expected["superiors_allowed"] = json!(true);
    expected["permission_type"] = json!("read");
    assert_eq!(after, expected, "the path id wins; unsent keys are kept");
    assert_eq!(
        get_rule(&server, CONTACTS_RULE).await["superiors_allowed"],
        false
    );

    // Bulk path, renaming to its own name in another case is not a duplicate.
    let body = wrap(
        json!({"id": LEADS_RULE, "type": "Record_Owner_Based", "superiors_allowed": false, "name": "LEADS TO SALES",
                           "shared_to": {"type": "roles", "resource": {"id": "4150868000000026007"}, "subordinates": true}}),
    );
    let reply = admin_call(
        &server,
        "PUT",
        &format!("{RULES}?module=Leads"),
        Some(&body),
    )
    .await;
    assert_golden(&reply, &golden("update_success"));
    let after = get_rule(&server, LEADS_RULE).await;
    assert_eq!(after["name"], "LEADS TO SALES");
    assert_eq!(
        after["shared_to"],
        json!({"resource": {"id": "4150868000000026007", "name": "Sales Rep"}, "subordinates": true, "type": "roles"})
    );
    assert_eq!(after["shared_from"], before["shared_from"]);
    assert_eq!(after["status"], "active");
}

#[tokio::test]
async fn update_can_change_the_rule_type_when_the_new_type_is_complete() {
    let server = TestServer::start().await;
    let path = rule_path(LEADS_RULE, "Leads");
    let reply = admin_call(
        &server,
        "PUT",
        &path,
        Some(&wrap(
            json!({"type": "Criteria_Based", "superiors_allowed": false}),
        )),
    )
    .await;
    assert_golden(&reply, &golden("missing_criteria"));
    let criteria = json!({"comparator": "starts_with", "field": {"api_name": "Company", "id": "1"}, "type": "value", "value": "Z"});
    let reply = admin_call(
        &server,
        "PUT",
        &path,
        Some(&wrap(
            json!({"type": "Criteria_Based", "superiors_allowed": false, "criteria": criteria}),
        )),
    )
    .await;
    assert_golden(&reply, &golden("update_success"));
    let rule = get_rule(&server, LEADS_RULE).await;
    assert_eq!(
        (
            rule["type"].clone(),
            rule["criteria"].clone(),
            rule["shared_from"].clone()
        ),
        (json!("Criteria_Based"), criteria, Value::Null)
    );
    let reply = admin_call(
        &server,
        "PUT",
        &path,
        Some(&wrap(
            json!({"type": "Record_Owner_Based", "superiors_allowed": false}),
        )),
    )
    .await;
    assert_golden(&reply, &golden("missing_shared_from"));
    let reply = admin_call(
        &server,
        "PUT",
        &path,
        Some(&wrap(json!({"type": "Record_Owner_Based", "superiors_allowed": false, "shared_from": {"type": "groups", "resource": {"id": "4150868000000232003"}}}))),
    )
    .await;
    assert_golden(&reply, &golden("update_success"));
    let rule = get_rule(&server, LEADS_RULE).await;
    assert_eq!(rule["criteria"], Value::Null);
    assert_eq!(rule["shared_from"]["resource"]["name"], "Management");
}

#[tokio::test]
async fn update_refuses_bad_items_and_changes_nothing() {
    let server = TestServer::start().await;
    let before = rules_state(&server).await;
    let bulk = format!("{RULES}?module=Leads");
    let cases = [
        (
            bulk.as_str(),
            json!({"type": "Record_Owner_Based", "superiors_allowed": true}),
            "update_id_missing",
        ),
        (
            bulk.as_str(),
            json!({"id": CONTACTS_RULE, "type": "Criteria_Based", "superiors_allowed": true}),
            "update_id_invalid",
        ),
        (
            bulk.as_str(),
            json!({"id": "nope", "status": "active"}),
            "update_id_invalid",
        ),
        (bulk.as_str(), json!({"id": 1.5}), "update_id_invalid"),
        (
            bulk.as_str(),
            json!({"id": LEADS_RULE, "status": "inactive"}),
            "status_not_allowed",
        ),
        (
            bulk.as_str(),
            json!({"id": LEADS_RULE, "superiors_allowed": true}),
            "missing_type",
        ),
        (
            bulk.as_str(),
            json!({"id": LEADS_RULE, "type": "Record_Owner_Based"}),
            "missing_superiors_allowed",
        ),
        (
            bulk.as_str(),
            json!({"id": LEADS_RULE, "type": "Record_Owner_Based", "superiors_allowed": true, "name": "manager LEADS to sales reps"}),
            "duplicate_name",
        ),
        (
            bulk.as_str(),
            json!({"id": LEADS_RULE, "type": "Record_Owner_Based", "superiors_allowed": true, "name": ""}),
            "empty_name",
        ),
        (
            bulk.as_str(),
            json!({"id": LEADS_RULE, "type": "Record_Owner_Based", "superiors_allowed": 1}),
            "invalid_superiors_allowed",
        ),
    ];
    for (path, item, name) in cases {
        let reply = admin_call(&server, "PUT", path, Some(&wrap(item))).await;
        assert_golden(&reply, &golden(name));
    }
    let reply = admin_call(
        &server,
        "PUT",
        &rule_path("404", "Leads"),
        Some(&wrap(json!({}))),
    )
    .await;
    assert_golden(&reply, &golden("rule_id_invalid"));
    let reply = admin_call(
        &server,
        "PUT",
        &rule_path(LEADS_RULE, "Contacts"),
        Some(&wrap(json!({}))),
    )
    .await;
    assert_golden(&reply, &golden("rule_id_invalid"));
    assert_eq!(rules_state(&server).await, before);
}

// ---- Delete, rerun ----

#[tokio::test]
async fn delete_removes_the_rule() {
    let server = TestServer::start().await;
    let reply = admin_call(&server, "DELETE", &rule_path(DEALS_RULE, "Leads"), None).await;
    assert_golden(&reply, &golden("rule_id_invalid"));
    let reply = admin_call(&server, "DELETE", &format!("{RULES}/{DEALS_RULE}"), None).await;
    assert_golden(&reply, &golden("required_param_missing"));
    let reply = admin_call(
        &server,
        "DELETE",
        &rule_path(DEALS_RULE, "Deals"),
        Some("ignored body"),
    )
    .await;
    assert_golden(&reply, &golden("delete_success"));
    let reply = server
        .get(&format!("{RULES}/{DEALS_RULE}"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("rule_id_invalid"));
    assert_eq!(summary_entry(&server, "Deals").await["rule_count"], 0);
    let reply = admin_call(&server, "DELETE", &rule_path(DEALS_RULE, "Deals"), None).await;
    assert_golden(&reply, &golden("rule_id_invalid"));
}

#[tokio::test]
async fn rerun_is_scheduled_even_without_rules_and_refused_while_running() {
    let server = TestServer::start().await;
    let reply = admin_call(
        &server,
        "POST",
        &format!("{RULES}/actions/run?module=Vendors"),
        Some("[not json"),
    )
    .await;
    assert_golden(&reply, &golden("rerun_scheduled"));
    let reply = admin_call(&server, "POST", &format!("{RULES}/actions/run"), None).await;
    assert_golden(&reply, &golden("required_param_missing"));
    let reply = admin_call(
        &server,
        "POST",
        &format!("{RULES}/actions/run?module=Documents"),
        None,
    )
    .await;
    assert_golden(&reply, &golden("invalid_module"));
    set_computation(&server, "Vendors", true).await;
    let reply = admin_call(
        &server,
        "POST",
        &format!("{RULES}/actions/run?module=vendors"),
        None,
    )
    .await;
    assert_golden(&reply, &golden("cannot_process"));
}

#[tokio::test]
async fn a_running_computation_blocks_every_change_of_that_module_but_create() {
    let server = TestServer::start().await;
    set_computation(&server, "Leads", true).await;
    let before = rules_state(&server).await;
    let update = wrap(json!({"type": "Record_Owner_Based", "superiors_allowed": true}));
    let bulk_update =
        wrap(json!({"id": LEADS_RULE, "type": "Record_Owner_Based", "superiors_allowed": true}));
    let calls = [
        ("PUT", rule_path(LEADS_RULE, "Leads"), Some(update.as_str())),
        (
            "PUT",
            format!("{RULES}?module=Leads"),
            Some(bulk_update.as_str()),
        ),
        ("DELETE", rule_path(LEADS_RULE, "Leads"), None),
        ("PUT", activate_path(LEADS_INACTIVE_RULE, "Leads"), None),
        ("DELETE", activate_path(LEADS_RULE, "Leads"), None),
        ("POST", format!("{RULES}/actions/run?module=Leads"), None),
    ];
    for (method, path, body) in &calls {
        let reply = admin_call(&server, method, path, *body).await;
        assert_golden(&reply, &golden("cannot_process"));
    }
    assert_eq!(rules_state(&server).await, before);
    // Other modules, reads and create are not blocked.
    assert_eq!(
        admin_call(&server, "DELETE", &activate_path(DEALS_RULE, "Deals"), None)
            .await
            .status,
        200
    );
    assert_eq!(
        server
            .get(&rule_path(LEADS_RULE, "Leads"), ADMIN_TOKEN)
            .await
            .status,
        200
    );
    assert_eq!(
        server
            .get(&format!("{RULES}?module=Leads"), ADMIN_TOKEN)
            .await
            .status,
        200
    );
    create(&server, "Leads", criteria_rule("Created while running")).await;
    assert_eq!(
        summary_entry(&server, "Leads").await["rule_computation_status"],
        true
    );
}

// ---- The computation timer (--rule-computation-ms) ----

#[tokio::test]
async fn a_change_runs_the_computation_for_the_configured_time_on_the_mock_clock() {
    let server = TestServer::from_builder(MockServer::builder().rule_computation_ms(5_000)).await;
    server
        .set_clock(json!({"now": "2026-11-21T09:30:00+00:00"}))
        .await;
    assert_golden(
        &admin_call(&server, "DELETE", &activate_path(LEADS_RULE, "Leads"), None).await,
        &golden("deactivate_success"),
    );
    assert_eq!(
        summary_entry(&server, "Leads").await["rule_computation_status"],
        true
    );
    assert_eq!(
        summary_entry(&server, "Contacts").await["rule_computation_status"],
        false
    );
    let settings = server.get(SETTINGS, ADMIN_TOKEN).await.json();
    assert_eq!(
        settings["data_sharing"][0]["rule_computation_running"],
        true
    );
    assert_eq!(
        settings["data_sharing"][1]["rule_computation_running"],
        false
    );
    assert_eq!(
        rules_state(&server).await["rule_computation"]["Leads"],
        true,
        "export shows the current value"
    );

    server.set_clock(json!({"advance_s": 4})).await;
    let reply = admin_call(&server, "PUT", &activate_path(LEADS_RULE, "Leads"), None).await;
    assert_golden(&reply, &golden("cannot_process"));
    // Create is not blocked, and restarts the timer: 5 s from now.
    create(&server, "Leads", criteria_rule("Restarts the timer")).await;
    server.set_clock(json!({"advance_s": 4})).await;
    assert_eq!(
        summary_entry(&server, "Leads").await["rule_computation_status"],
        true
    );
    // The end is exclusive: at exactly 5 s the computation is over.
    server.set_clock(json!({"advance_s": 1})).await;
    assert_eq!(
        summary_entry(&server, "Leads").await["rule_computation_status"],
        false
    );
    assert_golden(
        &admin_call(&server, "PUT", &activate_path(LEADS_RULE, "Leads"), None).await,
        &golden("activate_success"),
    );
}

#[tokio::test]
async fn a_pinned_flag_wins_over_timers_and_an_admin_write_cancels_a_timer() {
    let server = TestServer::from_builder(MockServer::builder().rule_computation_ms(60_000)).await;
    server
        .set_clock(json!({"now": "2026-11-21T09:30:00+00:00"}))
        .await;
    set_computation(&server, "Leads", true).await;
    create(&server, "Leads", criteria_rule("While pinned")).await;
    server.set_clock(json!({"advance_s": 3600})).await;
    assert_eq!(
        summary_entry(&server, "Leads").await["rule_computation_status"],
        true,
        "the timer leaves a pinned true alone"
    );
    set_computation(&server, "Leads", false).await;
    assert_eq!(
        admin_call(&server, "DELETE", &activate_path(LEADS_RULE, "Leads"), None)
            .await
            .status,
        200
    );
    assert_eq!(
        summary_entry(&server, "Leads").await["rule_computation_status"],
        true,
        "a pinned false lets the timer run"
    );
    set_computation(&server, "Leads", false).await;
    assert_golden(
        &admin_call(&server, "PUT", &activate_path(LEADS_RULE, "Leads"), None).await,
        &golden("activate_success"),
    );
}

#[tokio::test]
async fn failed_requests_do_not_start_the_timer() {
    let server = TestServer::from_builder(MockServer::builder().rule_computation_ms(60_000)).await;
    server
        .set_clock(json!({"now": "2026-11-21T09:30:00+00:00"}))
        .await;
    assert_eq!(
        admin_call(&server, "PUT", &activate_path(LEADS_RULE, "Leads"), None)
            .await
            .status,
        400
    );
    assert_eq!(
        admin_call(
            &server,
            "POST",
            &format!("{RULES}?module=Leads"),
            Some("{}")
        )
        .await
        .status,
        400
    );
    assert_eq!(
        summary_entry(&server, "Leads").await["rule_computation_status"],
        false
    );
    assert_golden(
        &admin_call(
            &server,
            "POST",
            &format!("{RULES}/actions/run?module=Leads"),
            None,
        )
        .await,
        &golden("rerun_scheduled"),
    );
    assert_eq!(
        summary_entry(&server, "Leads").await["rule_computation_status"],
        true
    );
}

// ---- Data sharing settings (spec §7) ----

#[tokio::test]
async fn settings_list_every_module_with_its_share_type() {
    let server = TestServer::start().await;
    let reply = server.get(SETTINGS, ADMIN_TOKEN).await;
    assert_golden(&reply, &golden("settings_get"));
    let reply = server
        .get(&format!("{SETTINGS}?module=Leads"), NOSHARE_TOKEN)
        .await;
    assert_golden(&reply, &golden("settings_get"));
}

#[tokio::test]
async fn settings_update_applies_every_item() {
    let server = TestServer::start().await;
    let body = json!({"data_sharing": [
        {"module": {"api_name": "leads"}, "share_type": "public", "extra": 1},
        {"module": {"id": "3602353000000000129"}, "share_type": "public_read_write"},
        {"module": {"api_name": "Properties", "id": 4_150_868_000_000_542_001_u64}, "share_type": "public_read_only"},
    ]});
    let reply = admin_call(&server, "PUT", SETTINGS, Some(&body.to_string())).await;
    assert_golden(&reply, &golden("settings_put_success"));
    let settings = server.get(SETTINGS, ADMIN_TOKEN).await.json();
    let share_type = |api_name: &str| {
        settings["data_sharing"]
            .as_array()
            .and_then(|rows| {
                rows.iter()
                    .find(|row| row["module"]["api_name"] == api_name)
            })
            .map(|row| row["share_type"].clone())
    };
    assert_eq!(share_type("Leads"), Some(json!("public")));
    assert_eq!(share_type("Contacts"), Some(json!("public_read_write")));
    assert_eq!(share_type("Properties"), Some(json!("public_read_only")));
    assert_eq!(share_type("Campaigns"), Some(json!("public_read_only")));
    assert_eq!(share_type("Deals"), Some(json!("private")));
}

#[tokio::test]
async fn settings_update_refuses_bad_items_and_changes_nothing() {
    let server = TestServer::start().await;
    let before = rules_state(&server).await;
    for body in ["[]", "{", "5"] {
        assert_golden(
            &admin_call(&server, "PUT", SETTINGS, Some(body)).await,
            &golden("body_not_object"),
        );
    }
    for body in [
        "",
        "{}",
        r#"{"data_sharing":null}"#,
        r#"{"data_sharing":[]}"#,
    ] {
        assert_golden(
            &admin_call(&server, "PUT", SETTINGS, Some(body)).await,
            &golden("settings_missing"),
        );
    }
    assert_golden(
        &admin_call(&server, "PUT", SETTINGS, Some(r#"{"data_sharing":{}}"#)).await,
        &golden("settings_not_array"),
    );
    let body = json!({"data_sharing": [
        "x",
        {"share_type": "private"},
        {"module": {"api_name": "Documents"}, "share_type": "private"},
        {"module": {"api_name": "Leads", "id": "3602353000000000129"}, "share_type": "private"},
        {"module": {"api_name": "Leads"}},
        {"module": {"api_name": "Contacts"}, "share_type": "Public"},
        {"module": {"api_name": "Deals"}, "share_type": "public"},
        {"module": {"id": "3602353000000000131"}, "share_type": "private"},
    ]});
    let reply = admin_call(&server, "PUT", SETTINGS, Some(&body.to_string())).await;
    assert_golden(&reply, &golden("settings_item_errors"));
    assert_eq!(rules_state(&server).await, before);
}

// ---- State: export, import, reset, tenancy, versions ----

#[tokio::test]
async fn rules_and_settings_survive_export_and_import_and_reset_restores_the_fixture() {
    let server = TestServer::start().await;
    let created = create(&server, "Leads", owner_rule("Exported")).await;
    assert_eq!(
        admin_call(&server, "DELETE", &activate_path(DEALS_RULE, "Deals"), None)
            .await
            .status,
        200
    );
    let settings =
        json!({"data_sharing": [{"module": {"api_name": "Leads"}, "share_type": "public"}]})
            .to_string();
    assert_eq!(
        admin_call(&server, "PUT", SETTINGS, Some(&settings))
            .await
            .status,
        200
    );
    set_computation(&server, "Cases", true).await;
    let listing = server.get(RULES, ADMIN_TOKEN).await.json();
    let summary = server
        .get(&format!("{RULES}/actions/summary"), ADMIN_TOKEN)
        .await
        .json();
    let settings_view = server.get(SETTINGS, ADMIN_TOKEN).await.json();

    let state = server.state().await;
    let exported = state["orgs"][0]["sharing_rules"]
        .as_array()
        .expect("rules")
        .clone();
    let rule = exported
        .iter()
        .find(|r| r["id"] == json!(created))
        .expect("the new rule is exported");
    assert_eq!(rule["module"], "Leads");
    assert_eq!(rule["shared_from"]["resource"]["name"], "Manager");

    let copy = TestServer::start().await;
    let reply = copy.admin("PUT", "/__admin/state", Some(state)).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_eq!(copy.get(RULES, ADMIN_TOKEN).await.json(), listing);
    assert_eq!(
        copy.get(&format!("{RULES}/actions/summary"), ADMIN_TOKEN)
            .await
            .json(),
        summary
    );
    assert_eq!(copy.get(SETTINGS, ADMIN_TOKEN).await.json(), settings_view);
    let fresh = create(&copy, "Leads", criteria_rule("After import")).await;
    assert_ne!(fresh, created, "new ids stay unique after an import");

    assert_eq!(
        server.admin("POST", "/__admin/reset", None).await.status,
        204
    );
    assert_golden(
        &server.get(&format!("{RULES}/{created}"), ADMIN_TOKEN).await,
        &golden("rule_id_invalid"),
    );
    assert_golden(&server.get(RULES, ADMIN_TOKEN).await, &golden("list_rules"));
    assert_golden(
        &server.get(SETTINGS, ADMIN_TOKEN).await,
        &golden("settings_get"),
    );
}

#[tokio::test]
async fn another_orgs_rule_is_unknown() {
    let server = TestServer::start().await;
    let reply = server.admin("POST", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let org = reply.json();
    let token = org["tokens"]
        .as_array()
        .and_then(|tokens| {
            tokens.iter().find(|t| {
                t["user"] == "4150868000001174048"
                    && t["expires_at"].is_null()
                    && t["scopes"]
                        .as_array()
                        .is_some_and(|s| s.contains(&json!("ZohoCRM.settings.ALL")))
            })
        })
        .and_then(|t| t["access_token"].as_str())
        .expect("the copy's admin token")
        .to_owned();
    let reply = server
        .call(
            "POST",
            &format!("{RULES}?module=Leads"),
            Some(&token),
            Some(&wrap(criteria_rule("Other org"))),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let id = reply.json()["sharing_rules"][0]["details"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert_golden(
        &server.get(&format!("{RULES}/{id}"), ADMIN_TOKEN).await,
        &golden("rule_id_invalid"),
    );
    assert_golden(
        &admin_call(&server, "DELETE", &activate_path(&id, "Leads"), None).await,
        &golden("rule_id_invalid"),
    );
    assert_eq!(summary_entry(&server, "Leads").await["rule_count"], 2);
    assert_eq!(
        server.get(&format!("{RULES}/{id}"), &token).await.status,
        200
    );
}

#[tokio::test]
async fn every_version_serves_the_family() {
    let server = TestServer::start().await;
    for version in ["v2", "v2.1", "v3", "v7"] {
        let reply = server
            .get(
                &format!("/crm/{version}/settings/data_sharing/rules/{LEADS_RULE}?module=Leads"),
                ADMIN_TOKEN,
            )
            .await;
        assert_golden(&reply, &golden("get_rule"));
    }
}

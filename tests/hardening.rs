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

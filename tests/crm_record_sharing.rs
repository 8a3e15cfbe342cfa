//! Black-box tests of `GET/POST/PUT/DELETE /crm/{v}/{module}/{record_id}/actions/share`
//! (spec crm-record-sharing.md): every documented case answers its golden file under
//! `tests/golden/crm/record_sharing/`, and state changes are checked through GET and
//! `/__admin/state`.

mod support;

use serde_json::{Value, json};
use support::sandbox::*;
use support::*;

/// Owned by Patricia (Administrator), not shared in the sandbox.
const LEAD: &str = "4150868000001148212";
/// Owned by Amelia (Standard profile).
const AMELIA_LEAD: &str = "4150868000001148213";
/// Owned by Patricia, shared with Amelia.
const CONTACT: &str = "4150868000001148230";
/// Owned by Patricia, shared with the Sales Rep role.
const ACCOUNT: &str = "4150868000001148240";
/// Owned by Patricia, shared with Ryan and the Sales group.
const DEAL: &str = "4150868000001148250";
/// Owned by Patricia, public.
const CAMPAIGN: &str = "4150868000001148310";
/// A record of the custom module `Properties`.
const PROPERTY: &str = "4150868000001148360";
const TASK: &str = "4150868000001148370";
const UNKNOWN_RECORD: &str = "4150868000009999999";

const T0: &str = "2026-11-21T09:30:00+00:00";
const T1: &str = "2026-11-21T10:00:00+00:00";

const VERBS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];

fn golden(name: &str) -> String {
    format!("crm/record_sharing/{name}.json")
}

fn share_url(version: &str, module: &str, record: &str) -> String {
    format!("/crm/{version}/{module}/{record}/actions/share")
}

fn lead_url() -> String {
    share_url("v8", "Leads", LEAD)
}

/// The `n`-th Standard user of the sandbox (1 = Amelia ... 13 = Ava).
fn standard_user(n: usize) -> String {
    format!("41508680000011990{n:02}")
}

fn user_item(id: &str, permission: &str) -> Value {
    json!({"permission": permission, "shared_with": {"id": id, "type": "users"}, "type": "private"})
}

fn share_body(items: Vec<Value>) -> String {
    json!({ "share": items }).to_string()
}

/// A body whose POST and PUT fail, for checks that must come before the body.
const BAD_BODY: &str = "[not json";

/// The exported shares of one record of zylker.
async fn stored_shares(server: &TestServer, record: &str) -> Vec<Value> {
    let state = server.state().await;
    let zylker = state["orgs"]
        .as_array()
        .expect("orgs")
        .iter()
        .find(|org| org["id"] == "zylker")
        .expect("zylker");
    zylker["shares"]
        .as_array()
        .expect("shares")
        .iter()
        .filter(|share| share["record"] == record)
        .cloned()
        .collect()
}

/// `(target id or null, permission, share_related_records)` of each listed share, in order.
fn listed(reply: &Reply) -> Vec<(Value, String, bool)> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["share"]
        .as_array()
        .expect("a share array")
        .iter()
        .map(|s| {
            (
                s["shared_with"]["id"].clone(),
                s["permission"].as_str().expect("permission").to_owned(),
                s["share_related_records"].as_bool().expect("a flag"),
            )
        })
        .collect()
}

async fn call(
    server: &TestServer,
    method: &str,
    url: &str,
    token: &str,
    body: Option<&str>,
) -> Reply {
    server.call(method, url, Some(token), body).await
}

/// The body of example (a).
fn example_a_body() -> String {
    json!({
        "share": [
            {"permission": "read_only", "share_related_records": false, "shared_with": {"id": AMELIA, "type": "users"}, "type": "private"},
            {"permission": "read_write", "share_related_records": true, "shared_with": {"id": RYAN, "type": "users"}, "type": "private"}
        ],
        "notify_shared_members": false
    })
    .to_string()
}

// ---- §9 worked examples ----

#[tokio::test]
async fn post_sharing_with_two_users_lists_them_in_both_version_forms() {
    let server = TestServer::start().await;
    server.freeze_clock(T0).await;
    let reply = call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&example_a_body()),
    )
    .await;
    assert_golden(&reply, &golden("a_post_two_users"));
    assert_golden(
        &server.get(&lead_url(), ADMIN_TOKEN).await,
        &golden("a_get_after_post_v8"),
    );
    for version in ["v2", "v2.1"] {
        let reply = server
            .get(&share_url(version, "Leads", LEAD), ADMIN_TOKEN)
            .await;
        assert_golden(&reply, &golden("a_get_after_post_v2"));
    }
    for version in ["v3", "v4", "v5", "v6", "v7"] {
        let reply = server
            .get(&share_url(version, "Leads", LEAD), ADMIN_TOKEN)
            .await;
        assert_golden(&reply, &golden("a_get_after_post_v8"));
    }
}

#[tokio::test]
async fn put_share_omitting_user_revokes_it_and_restamps_the_changed_share() {
    let server = TestServer::start().await;
    server.freeze_clock(T0).await;
    call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&example_a_body()),
    )
    .await;
    server.freeze_clock(T1).await;
    let body = json!({
        "share": [{"permission": "read_only", "share_related_records": true, "shared_with": {"id": RYAN, "type": "users"}, "type": "private"}],
        "notify": false
    });
    let reply = call(
        &server,
        "PUT",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&body.to_string()),
    )
    .await;
    assert_golden(&reply, &golden("b_put_omitting_one_user"));
    assert_golden(
        &server.get(&lead_url(), ADMIN_TOKEN).await,
        &golden("b_get_after_put"),
    );
}

#[tokio::test]
async fn put_share_with_eleventh_user_returns_share_limit_exceeded_and_changes_nothing() {
    let server = TestServer::start().await;
    server.freeze_clock(T0).await;
    call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&example_a_body()),
    )
    .await;
    server.freeze_clock(T1).await;
    let body = json!({"share": [{"permission": "read_only", "share_related_records": true, "shared_with": {"id": RYAN, "type": "users"}, "type": "private"}]});
    call(
        &server,
        "PUT",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&body.to_string()),
    )
    .await;
    let before = stored_shares(&server, LEAD).await;
    let eleven = (1..=11)
        .map(|n| user_item(&standard_user(n), "read_only"))
        .collect();
    let reply = call(
        &server,
        "PUT",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&share_body(eleven)),
    )
    .await;
    assert_golden(&reply, &golden("c_put_eleven_users"));
    assert_golden(
        &server.get(&lead_url(), ADMIN_TOKEN).await,
        &golden("b_get_after_put"),
    );
    assert_eq!(stored_shares(&server, LEAD).await, before);
}

#[tokio::test]
async fn delete_revokes_every_share_then_nothing_is_left_to_revoke() {
    let server = TestServer::start().await;
    call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&example_a_body()),
    )
    .await;
    let reply = call(&server, "DELETE", &lead_url(), ADMIN_TOKEN, None).await;
    assert_golden(&reply, &golden("d_delete_success"));
    assert_golden(
        &server.get(&lead_url(), ADMIN_TOKEN).await,
        &golden("nothing_shared"),
    );
    assert!(stored_shares(&server, LEAD).await.is_empty());
    let reply = call(&server, "DELETE", &lead_url(), ADMIN_TOKEN, None).await;
    assert_golden(&reply, &golden("e_delete_nothing_shared"));
}

#[tokio::test]
async fn delete_revokes_a_public_share_and_ignores_any_body() {
    let server = TestServer::start().await;
    let url = share_url("v8", "Campaigns", CAMPAIGN);
    let reply = call(&server, "DELETE", &url, ADMIN_TOKEN, Some(BAD_BODY)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["share"]["details"]["id"], CAMPAIGN);
    assert!(stored_shares(&server, CAMPAIGN).await.is_empty());
}

#[tokio::test]
async fn unknown_record_id_is_entity_id_invalid_with_403_on_delete_only() {
    let server = TestServer::start().await;
    let body = example_a_body();
    for record in [UNKNOWN_RECORD, CONTACT, "04150868000001148212", "abc"] {
        let url = share_url("v8", "Leads", record);
        let reply = call(&server, "DELETE", &url, ADMIN_TOKEN, None).await;
        assert_golden(&reply, &golden("f_delete_unknown_record"));
        for method in ["GET", "POST", "PUT"] {
            let reply = call(&server, method, &url, ADMIN_TOKEN, Some(&body)).await;
            assert_golden(&reply, &golden("f_unknown_record"));
        }
    }
}

#[tokio::test]
async fn per_item_error_changes_nothing_and_its_text_depends_on_the_verb() {
    let server = TestServer::start().await;
    let mut body: Value = serde_json::from_str(&example_a_body()).expect("JSON");
    body["share"][1]["permission"] = json!("owner");
    let reply = call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&body.to_string()),
    )
    .await;
    assert_golden(&reply, &golden("g_post_invalid_permission"));
    let reply = call(
        &server,
        "PUT",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&body.to_string()),
    )
    .await;
    assert_golden(&reply, &golden("g_put_invalid_permission"));
    assert!(stored_shares(&server, LEAD).await.is_empty());
    assert_golden(
        &server.get(&lead_url(), ADMIN_TOKEN).await,
        &golden("nothing_shared"),
    );
}

// ---- scope and module class (README §2 step 4) ----

#[tokio::test]
async fn share_scope_is_checked_before_the_module_class() {
    let server = TestServer::start().await;
    let leads_only = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.leads.ALL"])
        .await;
    for method in VERBS {
        for module in [
            "Contacts",
            "Nope",
            "Documents",
            "Projects",
            "Tasks",
            "Meetings",
        ] {
            let url = share_url("v8", module, LEAD);
            let reply = call(&server, method, &url, &leads_only, Some(BAD_BODY)).await;
            assert_golden(&reply, &golden("scope_mismatch"));
        }
        let reply = call(&server, method, &lead_url(), NOSHARE_TOKEN, Some(BAD_BODY)).await;
        assert_golden(&reply, &golden("scope_mismatch"));
    }
}

#[tokio::test]
async fn each_verb_needs_its_own_operation() {
    let server = TestServer::start().await;
    call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&example_a_body()),
    )
    .await;
    let read = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.leads.READ"])
        .await;
    assert_eq!(server.get(&lead_url(), &read).await.status, 200);
    let create = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.CREATE"])
        .await;
    let update = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.leads.update"])
        .await;
    let delete = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.Leads.DELETE"])
        .await;
    let body = share_body(vec![user_item(AMELIA, "read_only")]);
    for (method, granted) in [("POST", &create), ("PUT", &update), ("DELETE", &delete)] {
        let reply = call(&server, method, &lead_url(), &read, Some(&body)).await;
        assert_golden(&reply, &golden("scope_mismatch"));
        for other in [&create, &update, &delete]
            .into_iter()
            .filter(|t| *t != granted)
        {
            let reply = call(&server, method, &lead_url(), other, Some(&body)).await;
            assert_golden(&reply, &golden("scope_mismatch"));
        }
        let reply = call(&server, method, &lead_url(), granted, Some(&body)).await;
        assert!(reply.status < 300, "{method}: {}", reply.text());
    }
}

#[tokio::test]
async fn tasks_events_and_calls_are_scope_mismatch_even_with_share_all() {
    let server = TestServer::start().await;
    for method in VERBS {
        for (module, record) in [("Tasks", TASK), ("events", UNKNOWN_RECORD), ("Calls", LEAD)] {
            let url = share_url("v8", module, record);
            let reply = call(&server, method, &url, ADMIN_TOKEN, Some(BAD_BODY)).await;
            assert_golden(&reply, &golden("scope_mismatch"));
        }
    }
}

#[tokio::test]
async fn documents_and_projects_are_not_supported_on_any_verb() {
    let server = TestServer::start().await;
    for method in VERBS {
        for module in ["Documents", "projects"] {
            let url = share_url("v8", module, UNKNOWN_RECORD);
            let reply = call(&server, method, &url, ADMIN_TOKEN, Some(BAD_BODY)).await;
            assert_golden(&reply, &golden("unsupported_module"));
        }
    }
}

#[tokio::test]
async fn unknown_module_message_is_lower_case_on_get_only() {
    let server = TestServer::start().await;
    for module in ["Nope", "Meetings", "Sales%20Orders", "%FF"] {
        let url = share_url("v8", module, LEAD);
        assert_golden(
            &server.get(&url, ADMIN_TOKEN).await,
            &golden("invalid_module_on_read"),
        );
        for method in ["POST", "PUT", "DELETE"] {
            let reply = call(&server, method, &url, ADMIN_TOKEN, Some(BAD_BODY)).await;
            assert_golden(&reply, &golden("invalid_module"));
        }
    }
    let leads_only = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.leads.ALL"])
        .await;
    let reply = server.get(&share_url("v8", "%FF", LEAD), &leads_only).await;
    assert_golden(&reply, &golden("scope_mismatch"));
}

#[tokio::test]
async fn module_names_are_case_insensitive_percent_decoded_and_answered_canonically() {
    let server = TestServer::start().await;
    let sales_orders = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.salesorders.ALL"])
        .await;
    let underscored = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.sales_orders.ALL"])
        .await;
    let order = "4150868000001148280";
    let body = share_body(vec![user_item(AMELIA, "read_only")]);
    let reply = call(
        &server,
        "POST",
        &share_url("v8", "sales_ORDERS", order),
        &sales_orders,
        Some(&body),
    )
    .await;
    assert_golden(&reply, &golden("post_success_one"));
    let reply = server
        .get(&share_url("v8", "%53ales_Orders", order), &sales_orders)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json()["share"][0]["shared_through"]["module"],
        json!({"id": "3602353000000000171", "name": "Sales_Orders"})
    );
    let reply = server
        .get(&share_url("v8", "Sales_Orders", order), &underscored)
        .await;
    assert_golden(&reply, &golden("scope_mismatch"));
}

#[tokio::test]
async fn custom_module_records_are_shareable_with_the_custom_scope_or_their_own_name() {
    let server = TestServer::start().await;
    server.freeze_clock(T0).await;
    let custom = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.custom.ALL"])
        .await;
    let own_name = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.properties.READ"])
        .await;
    let leads = server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.share.leads.ALL"])
        .await;
    let url = share_url("v8", "Properties", PROPERTY);
    let body = share_body(vec![
        json!({"shared_with": {"id": AMELIA, "type": "users"}, "type": "private"}),
    ]);
    assert_golden(
        &call(&server, "POST", &url, &custom, Some(&body)).await,
        &golden("post_success_one"),
    );
    assert_golden(
        &server.get(&url, &own_name).await,
        &golden("get_custom_module"),
    );
    assert_golden(
        &server
            .get(&share_url("v8", "properties", PROPERTY), &custom)
            .await,
        &golden("get_custom_module"),
    );
    assert_golden(&server.get(&url, &leads).await, &golden("scope_mismatch"));
    assert_golden(
        &call(&server, "PUT", &url, &own_name, Some(&body)).await,
        &golden("scope_mismatch"),
    );
}

// ---- record id and caller permission ----

#[tokio::test]
async fn record_of_another_org_is_entity_id_invalid_both_ways() {
    let server = TestServer::start().await;
    let acme = json!({
        "id": "acme",
        "name": "Acme",
        "users": [{"id": "5000000000000000001", "email": "al@acme.com", "full_name": "Al Acme",
                   "role": "5000000000000000100", "profile": "Administrator", "status": "active"}],
        "roles": [{"id": "5000000000000000100", "name": "CEO"}],
        "records": [{"module": "Leads", "id": "5000000000000000200", "owner": "5000000000000000001"}],
        "tokens": [{"access_token": "acme.admin", "user": "5000000000000000001", "scopes": ["ZohoCRM.share.ALL"]}]
    });
    let reply = server.admin("POST", "/__admin/orgs", Some(acme)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let acme_lead = share_url("v8", "Leads", "5000000000000000200");
    let body = share_body(vec![user_item(AMELIA, "read_only")]);
    for method in ["GET", "POST", "PUT"] {
        assert_golden(
            &call(&server, method, &acme_lead, ADMIN_TOKEN, Some(&body)).await,
            &golden("f_unknown_record"),
        );
        assert_golden(
            &call(&server, method, &lead_url(), "acme.admin", Some(&body)).await,
            &golden("f_unknown_record"),
        );
    }
    assert_golden(
        &call(&server, "DELETE", &acme_lead, ADMIN_TOKEN, None).await,
        &golden("f_delete_unknown_record"),
    );
    assert_golden(
        &call(&server, "DELETE", &lead_url(), "acme.admin", None).await,
        &golden("f_delete_unknown_record"),
    );
}

#[tokio::test]
async fn a_copied_org_shares_its_own_records_only() {
    let server = TestServer::start().await;
    let reply = server.admin("POST", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let copy = reply.json();
    let copy_admin = copy["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .find(|t| t["scopes"].as_array().is_some_and(|s| s.len() == 5) && t["expires_at"].is_null())
        .and_then(|t| t["access_token"].as_str())
        .expect("the copy's admin token")
        .to_owned();
    let reply = call(
        &server,
        "POST",
        &lead_url(),
        &copy_admin,
        Some(&example_a_body()),
    )
    .await;
    assert_golden(&reply, &golden("a_post_two_users"));
    assert_eq!(listed(&server.get(&lead_url(), &copy_admin).await).len(), 2);
    assert_golden(
        &server.get(&lead_url(), ADMIN_TOKEN).await,
        &golden("nothing_shared"),
    );
}

#[tokio::test]
async fn standard_user_may_act_only_on_records_they_own() {
    let server = TestServer::start().await;
    let body = share_body(vec![user_item(RYAN, "read_only")]);
    for (method, case) in [
        ("GET", "no_permission_get"),
        ("POST", "no_permission_post"),
        ("PUT", "no_permission_put"),
        ("DELETE", "no_permission_delete"),
    ] {
        let reply = call(
            &server,
            method,
            &share_url("v8", "Contacts", CONTACT),
            STANDARD_TOKEN,
            Some(BAD_BODY),
        )
        .await;
        assert_golden(&reply, &golden(case));
        let reply = call(&server, method, &lead_url(), STANDARD_TOKEN, Some(&body)).await;
        assert_golden(&reply, &golden(case));
    }
    let own = share_url("v8", "Leads", AMELIA_LEAD);
    assert_golden(
        &call(&server, "POST", &own, STANDARD_TOKEN, Some(&body)).await,
        &golden("post_success_one"),
    );
    assert_golden(
        &call(&server, "PUT", &own, STANDARD_TOKEN, Some(&body)).await,
        &golden("put_success_one"),
    );
    assert_eq!(listed(&server.get(&own, STANDARD_TOKEN).await).len(), 1);
    let reply = call(&server, "DELETE", &own, STANDARD_TOKEN, None).await;
    assert_eq!(
        (reply.status, reply.json()["share"]["details"]["id"].clone()),
        (200, json!(AMELIA_LEAD))
    );
}

// ---- body: top-level checks (§5) ----

#[tokio::test]
async fn top_level_body_errors_for_post_and_put() {
    let server = TestServer::start().await;
    let oversized = format!("{{\"share\":[],\"pad\":\"{}\"}}", "x".repeat(1024 * 1024));
    let cases: Vec<(String, &str)> = vec![
        ("[not json".into(), "body_not_json_object"),
        ("[]".into(), "body_not_json_object"),
        ("\"share\"".into(), "body_not_json_object"),
        ("null".into(), "body_not_json_object"),
        (oversized, "body_not_json_object"),
        (String::new(), "share_missing"),
        ("{}".into(), "share_missing"),
        ("{\"share\":null}".into(), "share_missing"),
        ("{\"share\":[]}".into(), "share_missing"),
        ("{\"share\":[], \"notify\":\"yes\"}".into(), "share_missing"),
        ("{\"share\":{}}".into(), "share_not_array"),
        ("{\"share\":\"x\"}".into(), "share_not_array"),
        (
            share_body_with("notify", json!("true")),
            "notify_not_boolean",
        ),
        (
            share_body_with("notify_shared_members", json!(1)),
            "notify_shared_members_not_boolean",
        ),
        (
            share_body_with("notify_on_completion", json!({})),
            "notify_on_completion_not_boolean",
        ),
    ];
    for method in ["POST", "PUT"] {
        for (body, case) in &cases {
            let reply = call(&server, method, &lead_url(), ADMIN_TOKEN, Some(body)).await;
            assert_golden(&reply, &golden(case));
        }
    }
    assert!(stored_shares(&server, LEAD).await.is_empty());
}

fn share_body_with(key: &str, value: Value) -> String {
    let mut body = json!({"share": [user_item(AMELIA, "read_only")], "notify": false});
    body[key] = value;
    body.to_string()
}

#[tokio::test]
async fn body_errors_come_after_record_and_permission_checks() {
    let server = TestServer::start().await;
    for method in ["POST", "PUT"] {
        let unknown = share_url("v8", "Leads", UNKNOWN_RECORD);
        assert_golden(
            &call(&server, method, &unknown, ADMIN_TOKEN, Some(BAD_BODY)).await,
            &golden("f_unknown_record"),
        );
        let case = if method == "POST" {
            "no_permission_post"
        } else {
            "no_permission_put"
        };
        assert_golden(
            &call(&server, method, &lead_url(), STANDARD_TOKEN, Some(BAD_BODY)).await,
            &golden(case),
        );
    }
}

#[tokio::test]
async fn bodies_are_json_whatever_the_content_type_and_unknown_keys_are_ignored() {
    let server = TestServer::start().await;
    let body = json!({"share": [user_item(AMELIA, "read_only")], "notify": true, "extra": [1, 2], "notify_on_completion": null});
    let request = server
        .client
        .post(server.url(&lead_url()))
        .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.to_string());
    assert_golden(&server.send(request).await, &golden("post_success_one"));
}

// ---- body: per-item checks (§5) ----

#[tokio::test]
async fn each_per_item_row_answers_its_error_on_post_and_put() {
    let server = TestServer::start().await;
    let owner = json!({"shared_with": {"id": PATRICIA, "type": "users"}, "type": "private"});
    let rows: Vec<(Value, &str, &str)> = vec![
        (json!("x"), "item_1_not_object", "item_1_not_object"),
        (json!([1]), "item_1_not_object", "item_1_not_object"),
        (
            json!({"type": "shared", "shared_with": {"id": AMELIA, "type": "users"}}),
            "item_2_invalid_type_post",
            "item_2_invalid_type_put",
        ),
        (
            json!({"type": 1, "user": {"id": AMELIA}}),
            "item_2_invalid_type_post",
            "item_2_invalid_type_put",
        ),
        (
            json!({"permission": "owner", "shared_with": {"id": AMELIA, "type": "users"}}),
            "item_3_missing_type",
            "item_3_missing_type",
        ),
        (
            json!({"permission": "owner", "type": "private", "shared_with": {"id": AMELIA, "type": "users"}}),
            "item_4_invalid_permission_post",
            "item_4_invalid_permission_put",
        ),
        (
            json!({"permission": true, "user": {"id": AMELIA}}),
            "item_4_invalid_permission_post",
            "item_4_invalid_permission_put",
        ),
        (
            json!({"share_related_records": "true", "type": "private", "shared_with": {"id": AMELIA, "type": "users"}}),
            "item_5_related_not_boolean",
            "item_5_related_not_boolean",
        ),
        (
            json!({"type": "public", "shared_with": {"id": AMELIA, "type": "users"}}),
            "item_6_public_with_shared_with",
            "item_6_public_with_shared_with",
        ),
        (
            json!({"type": "public", "shared_with": {}, "user": {"id": AMELIA}}),
            "item_6_public_with_shared_with",
            "item_6_public_with_shared_with",
        ),
        (
            json!({"type": "public", "user": {"id": AMELIA}}),
            "item_6_public_with_user",
            "item_6_public_with_user",
        ),
        (
            json!({"type": "private", "permission": "read_only"}),
            "item_7_missing_target",
            "item_7_missing_target",
        ),
        (
            json!({"permission": "read_only"}),
            "item_7_missing_target",
            "item_7_missing_target",
        ),
        (
            json!({"type": "private", "shared_with": "users"}),
            "item_target_not_object",
            "item_target_not_object",
        ),
        (
            json!({"type": "private", "shared_with": {"id": AMELIA}}),
            "item_8_missing_target_type",
            "item_8_missing_target_type",
        ),
        (
            json!({"type": "private", "shared_with": {"id": AMELIA, "type": null}}),
            "item_8_missing_target_type",
            "item_8_missing_target_type",
        ),
        (
            json!({"type": "private", "shared_with": {"type": "bogus"}}),
            "item_8_missing_shared_with_id",
            "item_8_missing_shared_with_id",
        ),
        (
            json!({"user": {"type": "users"}}),
            "item_8_missing_user_id",
            "item_8_missing_user_id",
        ),
        (
            json!({"type": "private", "shared_with": {"id": AMELIA, "type": "user"}}),
            "item_9_invalid_target_type",
            "item_9_invalid_target_type",
        ),
        (
            json!({"type": "private", "shared_with": {"id": AMELIA, "type": 3}}),
            "item_9_invalid_target_type",
            "item_9_invalid_target_type",
        ),
        (
            user_item("4150868000001199999", "read_only"),
            "item_10_cannot_share_to",
            "item_10_cannot_share_to",
        ),
        (
            user_item(DEREK_DISABLED, "read_only"),
            "item_10_cannot_share_to",
            "item_10_cannot_share_to",
        ),
        (
            user_item(SALES_GROUP, "read_only"),
            "item_10_cannot_share_to",
            "item_10_cannot_share_to",
        ),
        (
            user_item("41508680000011990x1", "read_only"),
            "item_10_cannot_share_to",
            "item_10_cannot_share_to",
        ),
        (
            user_item("", "read_only"),
            "item_10_cannot_share_to",
            "item_10_cannot_share_to",
        ),
        (
            json!({"type": "private", "shared_with": {"id": -5, "type": "users"}}),
            "item_10_cannot_share_to",
            "item_10_cannot_share_to",
        ),
        (
            json!({"type": "private", "shared_with": {"id": 1.5, "type": "groups"}}),
            "item_10_cannot_share_to",
            "item_10_cannot_share_to",
        ),
        (
            json!({"type": "private", "shared_with": {"id": "4150868000000239999", "type": "groups"}}),
            "item_10_cannot_share_to",
            "item_10_cannot_share_to",
        ),
        (
            json!({"type": "private", "shared_with": {"id": AMELIA, "type": "roles"}}),
            "item_10_cannot_share_to",
            "item_10_cannot_share_to",
        ),
        (
            json!({"user": {"id": "0004150868000001199001"}}),
            "item_10_cannot_share_to_user_form",
            "item_10_cannot_share_to_user_form",
        ),
    ];
    for (item, post_case, put_case) in rows {
        for (method, case) in [("POST", post_case), ("PUT", put_case)] {
            let reply = call(
                &server,
                method,
                &lead_url(),
                ADMIN_TOKEN,
                Some(&share_body(vec![item.clone()])),
            )
            .await;
            assert_golden(&reply, &golden(case));
        }
    }
    let reply = call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&share_body(vec![owner.clone()])),
    )
    .await;
    assert_golden(&reply, &golden("item_11_already_visible_post"));
    assert!(
        stored_shares(&server, LEAD).await.is_empty(),
        "no failing request changed anything"
    );
}

#[tokio::test]
async fn a_repeated_target_is_duplicate_data_whatever_its_form_or_id_type() {
    let server = TestServer::start().await;
    let amelia_as_integer: u64 = AMELIA.parse().expect("digits");
    let body = share_body(vec![
        user_item(AMELIA, "read_only"),
        json!({"user": {"id": amelia_as_integer}, "permission": "read_write"}),
    ]);
    for method in ["POST", "PUT"] {
        let reply = call(&server, method, &lead_url(), ADMIN_TOKEN, Some(&body)).await;
        assert_golden(&reply, &golden("item_12_duplicate"));
    }
    let owner_twice = share_body(vec![
        json!({"shared_with": {"id": PATRICIA, "type": "users"}, "type": "private"}),
        json!({"user": {"id": PATRICIA}}),
    ]);
    let reply = call(&server, "PUT", &lead_url(), ADMIN_TOKEN, Some(&owner_twice)).await;
    assert_golden(&reply, &golden("item_12_duplicate"));
    assert!(stored_shares(&server, LEAD).await.is_empty());
}

#[tokio::test]
async fn only_failing_items_are_listed_in_body_order() {
    let server = TestServer::start().await;
    let body = share_body(vec![
        user_item(AMELIA, "read_only"),
        json!({"permission": "none", "type": "private", "shared_with": {"id": "x", "type": "nope"}}),
        user_item(RYAN, "read_write"),
        json!({"shared_with": {"id": RYAN, "type": "users"}}),
        user_item(DEREK_DISABLED, "read_only"),
    ]);
    let reply = call(&server, "PUT", &lead_url(), ADMIN_TOKEN, Some(&body)).await;
    assert_golden(&reply, &golden("items_only_failing_listed_in_body_order"));
    assert!(stored_shares(&server, LEAD).await.is_empty());
}

#[tokio::test]
async fn public_item_with_others_is_ambiguous_after_item_errors_and_before_limits() {
    let server = TestServer::start().await;
    let public = json!({"type": "public", "permission": "read_only"});
    for method in ["POST", "PUT"] {
        let reply = call(
            &server,
            method,
            &lead_url(),
            ADMIN_TOKEN,
            Some(&share_body(vec![
                public.clone(),
                user_item(AMELIA, "read_only"),
            ])),
        )
        .await;
        assert_golden(&reply, &golden("ambiguity"));
        let reply = call(
            &server,
            method,
            &lead_url(),
            ADMIN_TOKEN,
            Some(&share_body(vec![public.clone(), public.clone()])),
        )
        .await;
        assert_golden(&reply, &golden("ambiguity"));
        let mut items = vec![public.clone()];
        items.push(json!({"type": "private", "permission": "read_only"}));
        let reply = call(
            &server,
            method,
            &lead_url(),
            ADMIN_TOKEN,
            Some(&share_body(items)),
        )
        .await;
        assert_eq!(
            reply.json()["share"][0]["details"]["json_path"],
            "$.share[1].shared_with",
            "item errors first"
        );
        let mut eleven: Vec<Value> = (1..=11)
            .map(|n| user_item(&standard_user(n), "read_only"))
            .collect();
        eleven.push(public.clone());
        let reply = call(
            &server,
            method,
            &lead_url(),
            ADMIN_TOKEN,
            Some(&share_body(eleven)),
        )
        .await;
        assert_golden(&reply, &golden("ambiguity"));
    }
    let owner_and_public = share_body(vec![public.clone(), json!({"user": {"id": PATRICIA}})]);
    assert_golden(
        &call(
            &server,
            "PUT",
            &lead_url(),
            ADMIN_TOKEN,
            Some(&owner_and_public),
        )
        .await,
        &golden("ambiguity"),
    );
    assert!(stored_shares(&server, LEAD).await.is_empty());
}

// ---- semantics (§4) ----

#[tokio::test]
async fn post_merges_into_the_existing_shares() {
    let server = TestServer::start().await;
    let url = share_url("v8", "Deals", DEAL);
    let body = share_body(vec![
        user_item(AMELIA, "read_write"),
        user_item(RYAN, "read_only"),
    ]);
    assert_golden(
        &call(&server, "POST", &url, ADMIN_TOKEN, Some(&body)).await,
        &golden("a_post_two_users"),
    );
    let mut shares = listed(&server.get(&url, ADMIN_TOKEN).await);
    shares.sort_by_key(|share| share.0.to_string());
    assert_eq!(
        shares,
        vec![
            (json!(SALES_GROUP), "read_write".to_owned(), true),
            (json!(AMELIA), "read_write".to_owned(), false),
            (json!(RYAN), "read_only".to_owned(), false),
        ]
    );
}

#[tokio::test]
async fn post_counts_the_limit_after_the_merge() {
    let server = TestServer::start().await;
    let nine = (1..=9)
        .map(|n| user_item(&standard_user(n), "read_only"))
        .collect();
    call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&share_body(nine)),
    )
    .await;
    let over = share_body(vec![
        user_item(&standard_user(10), "read_only"),
        user_item(&standard_user(11), "read_only"),
    ]);
    let before = stored_shares(&server, LEAD).await;
    assert_golden(
        &call(&server, "POST", &lead_url(), ADMIN_TOKEN, Some(&over)).await,
        &golden("post_limit_exceeded"),
    );
    assert_eq!(
        stored_shares(&server, LEAD).await,
        before,
        "a limit error changes nothing"
    );
    let existing_and_tenth = share_body(vec![
        user_item(&standard_user(1), "full_access"),
        user_item(&standard_user(10), "read_only"),
    ]);
    assert_golden(
        &call(
            &server,
            "POST",
            &lead_url(),
            ADMIN_TOKEN,
            Some(&existing_and_tenth),
        )
        .await,
        &golden("a_post_two_users"),
    );
    assert_eq!(stored_shares(&server, LEAD).await.len(), 10);
    let eleventh = share_body(vec![user_item(&standard_user(11), "read_only")]);
    assert_golden(
        &call(&server, "POST", &lead_url(), ADMIN_TOKEN, Some(&eleventh)).await,
        &golden("post_limit_exceeded"),
    );
    let groups_and_roles = share_body(vec![
        json!({"type": "private", "shared_with": {"id": SALES_GROUP, "type": "groups"}}),
        json!({"type": "private", "shared_with": {"id": SALES_REP_ROLE, "type": "roles"}}),
    ]);
    let reply = call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&groups_and_roles),
    )
    .await;
    assert_eq!(
        reply.status,
        201,
        "groups and roles have their own limits: {}",
        reply.text()
    );
}

#[tokio::test]
async fn put_group_and_role_limits_are_five_each() {
    let server = TestServer::start().await;
    let mut state = server.state().await;
    let zylker = &mut state["orgs"][0];
    for n in 0..6 {
        zylker["groups"].as_array_mut().expect("groups").push(json!({"id": format!("41508680000002339{n:02}"), "name": format!("Extra group {n}"), "members": []}));
        zylker["roles"].as_array_mut().expect("roles").push(
            json!({"id": format!("41508680000000269{n:02}"), "name": format!("Extra role {n}")}),
        );
    }
    assert_eq!(
        server
            .admin("PUT", "/__admin/state", Some(state))
            .await
            .status,
        204
    );
    let items = |kind: &str, prefix: &str, count: usize| -> Vec<Value> {
        (0..count)
            .map(|n| json!({"type": "private", "shared_with": {"id": format!("{prefix}{n:02}"), "type": kind}}))
            .collect()
    };
    for (kind, prefix) in [
        ("groups", "41508680000002339"),
        ("roles", "41508680000000269"),
    ] {
        let reply = call(
            &server,
            "PUT",
            &lead_url(),
            ADMIN_TOKEN,
            Some(&share_body(items(kind, prefix, 6))),
        )
        .await;
        assert_golden(&reply, &golden("c_put_eleven_users"));
        let reply = call(
            &server,
            "POST",
            &lead_url(),
            ADMIN_TOKEN,
            Some(&share_body(items(kind, prefix, 6))),
        )
        .await;
        assert_golden(&reply, &golden("post_limit_exceeded"));
    }
    let mut mixed = items("groups", "41508680000002339", 5);
    mixed.extend(items("roles", "41508680000000269", 5));
    mixed.extend((1..=10).map(|n| user_item(&standard_user(n), "read_only")));
    let reply = call(
        &server,
        "PUT",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&share_body(mixed)),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(stored_shares(&server, LEAD).await.len(), 20);
}

#[tokio::test]
async fn put_naming_the_record_owner_succeeds_without_storing_or_counting_it() {
    let server = TestServer::start().await;
    let mut items: Vec<Value> = (1..=10)
        .map(|n| user_item(&standard_user(n), "read_only"))
        .collect();
    items.insert(
        3,
        json!({"user": {"id": PATRICIA}, "permission": "read_only"}),
    );
    let reply = call(
        &server,
        "PUT",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&share_body(items)),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json()["share"].as_array().map(Vec::len),
        Some(11),
        "one success per item"
    );
    let stored = stored_shares(&server, LEAD).await;
    assert_eq!(stored.len(), 10);
    assert!(stored.iter().all(|s| s["shared_with"]["id"] != PATRICIA));
    let only_owner = share_body(vec![json!({"user": {"id": PATRICIA}})]);
    assert_golden(
        &call(&server, "PUT", &lead_url(), ADMIN_TOKEN, Some(&only_owner)).await,
        &golden("put_success_one"),
    );
    assert_golden(
        &server.get(&lead_url(), ADMIN_TOKEN).await,
        &golden("nothing_shared"),
    );
}

#[tokio::test]
async fn put_switches_between_public_and_private_both_ways() {
    let server = TestServer::start().await;
    let public = share_body(vec![
        json!({"type": "public", "permission": "read_write", "share_related_records": true}),
    ]);
    assert_golden(
        &call(
            &server,
            "PUT",
            &share_url("v8", "Deals", DEAL),
            ADMIN_TOKEN,
            Some(&public),
        )
        .await,
        &golden("put_success_one"),
    );
    assert_eq!(
        listed(
            &server
                .get(&share_url("v8", "Deals", DEAL), ADMIN_TOKEN)
                .await
        ),
        vec![(Value::Null, "read_write".to_owned(), true)]
    );
    let private = share_body(vec![
        user_item(AMELIA, "read_only"),
        user_item(RYAN, "read_only"),
    ]);
    let url = share_url("v8", "Campaigns", CAMPAIGN);
    assert_golden(
        &call(&server, "PUT", &url, ADMIN_TOKEN, Some(&private)).await,
        &golden("put_success_two"),
    );
    let stored = stored_shares(&server, CAMPAIGN).await;
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|s| s["type"] == "private"));
}

#[tokio::test]
async fn post_cannot_mix_public_and_private_shares_on_a_record() {
    let server = TestServer::start().await;
    let public = share_body(vec![json!({"type": "public"})]);
    let deal = share_url("v8", "Deals", DEAL);
    assert_golden(
        &call(&server, "POST", &deal, ADMIN_TOKEN, Some(&public)).await,
        &golden("ambiguity"),
    );
    let campaign = share_url("v8", "Campaigns", CAMPAIGN);
    let private = share_body(vec![user_item(AMELIA, "read_only")]);
    let before = stored_shares(&server, CAMPAIGN).await;
    assert_golden(
        &call(&server, "POST", &campaign, ADMIN_TOKEN, Some(&private)).await,
        &golden("ambiguity"),
    );
    assert_eq!(stored_shares(&server, CAMPAIGN).await, before);
    let public_again = share_body(vec![json!({"type": "public", "permission": "full_access"})]);
    assert_golden(
        &call(&server, "POST", &campaign, ADMIN_TOKEN, Some(&public_again)).await,
        &golden("post_success_one"),
    );
    assert_eq!(
        listed(&server.get(&campaign, ADMIN_TOKEN).await),
        vec![(Value::Null, "full_access".to_owned(), false)]
    );
}

#[tokio::test]
async fn an_unchanged_item_keeps_shared_time_and_shared_by_and_a_change_restamps() {
    let server = TestServer::start().await;
    let url = share_url("v8", "Leads", AMELIA_LEAD);
    server.freeze_clock(T0).await;
    let item = json!({"user": {"id": RYAN}, "permission": "read_only"});
    call(
        &server,
        "POST",
        &url,
        ADMIN_TOKEN,
        Some(&share_body(vec![item.clone()])),
    )
    .await;
    server.freeze_clock(T1).await;
    for method in ["POST", "PUT"] {
        assert!(
            call(
                &server,
                method,
                &url,
                STANDARD_TOKEN,
                Some(&share_body(vec![item.clone()]))
            )
            .await
            .status
                < 300
        );
        let share = &server.get(&url, STANDARD_TOKEN).await.json()["share"][0];
        assert_eq!(share["shared_time"], T0, "{method}");
        assert_eq!(share["shared_by"]["id"], PATRICIA, "{method}");
    }
    let changed =
        json!({"user": {"id": RYAN}, "permission": "read_only", "share_related_records": true});
    call(
        &server,
        "POST",
        &url,
        STANDARD_TOKEN,
        Some(&share_body(vec![changed])),
    )
    .await;
    let share = &server.get(&url, STANDARD_TOKEN).await.json()["share"][0];
    assert_eq!(share["shared_time"], T1);
    assert_eq!(
        share["shared_by"],
        json!({"id": AMELIA, "name": "Amelia Burrows", "zuid": "701199001"})
    );
}

#[tokio::test]
async fn both_item_forms_and_integer_ids_are_accepted_on_every_version() {
    let server = TestServer::start().await;
    for version in ["v2", "v2.1", "v3", "v8"] {
        let url = share_url(version, "Leads", LEAD);
        let ryan: u64 = RYAN.parse().expect("digits");
        let group: u64 = SALES_GROUP.parse().expect("digits");
        let body = share_body(vec![
            json!({"user": {"id": ryan}, "share_related_records": true, "permission": "read_write"}),
            json!({"shared_with": {"id": group, "type": "groups"}, "type": "private"}),
            json!({"user": {"id": AMELIA}, "type": "private"}),
        ]);
        let reply = call(&server, "PUT", &url, ADMIN_TOKEN, Some(&body)).await;
        assert_eq!(reply.status, 200, "{version}: {}", reply.text());
        let stored = stored_shares(&server, LEAD).await;
        assert_eq!(stored.len(), 3, "{version}");
        assert!(stored.iter().any(|s| s["shared_with"]
            == json!({"type": "groups", "id": SALES_GROUP})
            && s["permission"] == "full_access"));
        assert!(
            stored
                .iter()
                .any(|s| s["shared_with"] == json!({"type": "users", "id": RYAN})
                    && s["share_related_records"] == true)
        );
    }
}

// ---- GET (§7) ----

#[tokio::test]
async fn get_renders_user_group_role_and_public_shares_per_version() {
    let server = TestServer::start().await;
    assert_golden(
        &server
            .get(&share_url("v8", "Deals", DEAL), ADMIN_TOKEN)
            .await,
        &golden("get_deal_v8"),
    );
    assert_golden(
        &server
            .get(&share_url("v2", "Deals", DEAL), ADMIN_TOKEN)
            .await,
        &golden("get_deal_v2"),
    );
    assert_golden(
        &server
            .get(&share_url("v8", "Campaigns", CAMPAIGN), ADMIN_TOKEN)
            .await,
        &golden("get_public_v8"),
    );
    assert_golden(
        &server
            .get(&share_url("v2.1", "Campaigns", CAMPAIGN), ADMIN_TOKEN)
            .await,
        &golden("get_public_v2"),
    );
    assert_golden(
        &server
            .get(&share_url("v5", "accounts", ACCOUNT), ADMIN_TOKEN)
            .await,
        &golden("get_role_share_v8"),
    );
    let reply = server.get(&lead_url(), ADMIN_TOKEN).await;
    assert_golden(&reply, &golden("nothing_shared"));
    assert_eq!(reply.content_type(), None);
}

#[tokio::test]
async fn get_lists_newest_first_then_record_only_then_by_permission_then_request_position() {
    let server = TestServer::start().await;
    server.freeze_clock(T0).await;
    let first = share_body(vec![
        user_item(&standard_user(1), "read_only"),
        json!({"shared_with": {"id": standard_user(2), "type": "users"}, "type": "private", "share_related_records": true}),
        user_item(&standard_user(3), "read_write"),
        user_item(&standard_user(4), "full_access"),
        user_item(&standard_user(5), "read_write"),
    ]);
    call(&server, "POST", &lead_url(), ADMIN_TOKEN, Some(&first)).await;
    server.freeze_clock(T1).await;
    let later = share_body(vec![
        json!({"shared_with": {"id": SALES_GROUP, "type": "groups"}, "type": "private", "permission": "read_only", "share_related_records": true}),
    ]);
    call(&server, "POST", &lead_url(), ADMIN_TOKEN, Some(&later)).await;
    let order: Vec<Value> = listed(&server.get(&lead_url(), ADMIN_TOKEN).await)
        .into_iter()
        .map(|s| s.0)
        .collect();
    let expected: Vec<Value> = [
        SALES_GROUP.to_owned(),
        standard_user(4),
        standard_user(3),
        standard_user(5),
        standard_user(1),
        standard_user(2),
    ]
    .into_iter()
    .map(Value::from)
    .collect();
    assert_eq!(order, expected);
}

#[tokio::test]
async fn shared_to_lists_only_that_users_share() {
    let server = TestServer::start().await;
    let url = share_url("v8", "Deals", DEAL);
    assert_golden(
        &server
            .get(&format!("{url}?sharedTo={RYAN}"), ADMIN_TOKEN)
            .await,
        &golden("get_deal_shared_to_ryan"),
    );
    assert_golden(
        &server
            .get(&format!("{url}?sharedTo=&view=summary"), ADMIN_TOKEN)
            .await,
        &golden("get_deal_v8"),
    );
    for other in [AMELIA, SALES_GROUP, "1", "04150868000001199002"] {
        assert_golden(
            &server
                .get(&format!("{url}?sharedTo={other}"), ADMIN_TOKEN)
                .await,
            &golden("nothing_shared"),
        );
    }
    assert_golden(
        &server
            .get(&format!("{url}?sharedTo={RYAN}&sharedTo=x"), ADMIN_TOKEN)
            .await,
        &golden("get_deal_shared_to_ryan"),
    );
    for bad in ["abc", "-1", "12a", "%2B1"] {
        let reply = server
            .get(&format!("{url}?sharedTo={bad}"), ADMIN_TOKEN)
            .await;
        assert_golden(&reply, &golden("shared_to_pattern_not_matched"));
    }
    let reply = server
        .get(&format!("{url}?sharedTo=x&view=bad"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("shared_to_pattern_not_matched"));
}

#[tokio::test]
async fn view_manage_adds_shareable_users_and_always_answers_200() {
    let server = TestServer::start().await;
    let url = share_url("v8", "Deals", DEAL);
    assert_golden(
        &server.get(&format!("{url}?view=manage"), ADMIN_TOKEN).await,
        &golden("get_deal_manage"),
    );
    assert_golden(
        &server
            .get(&format!("{}?view=manage", lead_url()), ADMIN_TOKEN)
            .await,
        &golden("get_manage_nothing_shared"),
    );
    let reply = server
        .get(&format!("{url}?view=manage&sharedTo={AMELIA}"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("get_manage_nothing_shared"));
    for bad in ["Manage", "full", "summary,manage"] {
        assert_golden(
            &server.get(&format!("{url}?view={bad}"), ADMIN_TOKEN).await,
            &golden("view_pattern_not_matched"),
        );
    }
}

#[tokio::test]
async fn get_query_errors_come_after_record_and_permission_checks() {
    let server = TestServer::start().await;
    let reply = server
        .get(
            &format!("{}?view=bad", share_url("v8", "Leads", UNKNOWN_RECORD)),
            ADMIN_TOKEN,
        )
        .await;
    assert_golden(&reply, &golden("f_unknown_record"));
    let reply = server
        .get(&format!("{}?sharedTo=x", lead_url()), STANDARD_TOKEN)
        .await;
    assert_golden(&reply, &golden("no_permission_get"));
}

// ---- methods and authentication ----

#[tokio::test]
async fn wrong_methods_and_bad_credentials_get_the_common_errors() {
    let server = TestServer::start().await;
    for method in ["PATCH", "HEAD", "OPTIONS"] {
        let reply = call(&server, method, &lead_url(), ADMIN_TOKEN, None).await;
        if method == "HEAD" {
            assert_eq!(reply.status, 400);
        } else {
            assert_golden(&reply, &golden("invalid_request_method"));
        }
    }
    for method in VERBS {
        let reply = server
            .call(method, &lead_url(), None, Some(&example_a_body()))
            .await;
        assert_golden(&reply, &golden("authentication_failure"));
        let reply = call(
            &server,
            method,
            &lead_url(),
            EXPIRED_TOKEN,
            Some(&example_a_body()),
        )
        .await;
        assert_golden(&reply, "common/invalid_token.json");
    }
    assert!(stored_shares(&server, LEAD).await.is_empty());
}

// ---- shares are org state ----

#[tokio::test]
async fn shares_are_visible_in_admin_state_and_reset_restores_the_fixture() {
    let server = TestServer::start().await;
    server.freeze_clock(T0).await;
    call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&example_a_body()),
    )
    .await;
    call(
        &server,
        "DELETE",
        &share_url("v8", "Deals", DEAL),
        ADMIN_TOKEN,
        None,
    )
    .await;
    let stored = stored_shares(&server, LEAD).await;
    assert_eq!(
        stored,
        vec![
            json!({"module": "Leads", "record": LEAD, "shared_with": {"type": "users", "id": AMELIA}, "permission": "read_only",
                   "share_related_records": false, "type": "private", "shared_by": PATRICIA, "shared_time": T0}),
            json!({"module": "Leads", "record": LEAD, "shared_with": {"type": "users", "id": RYAN}, "permission": "read_write",
                   "share_related_records": true, "type": "private", "shared_by": PATRICIA, "shared_time": T0}),
        ]
    );
    assert!(stored_shares(&server, DEAL).await.is_empty());
    assert_eq!(
        server.admin("POST", "/__admin/reset", None).await.status,
        204
    );
    assert!(stored_shares(&server, LEAD).await.is_empty());
    assert_eq!(stored_shares(&server, DEAL).await.len(), 2);
    assert_golden(
        &server
            .get(&share_url("v8", "Deals", DEAL), ADMIN_TOKEN)
            .await,
        &golden("get_deal_v8"),
    );
}

#[tokio::test]
async fn export_then_import_carries_shares_with_their_times_and_order() {
    let server = TestServer::start().await;
    server.freeze_clock(T0).await;
    call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&example_a_body()),
    )
    .await;
    let public = share_body(vec![json!({"type": "public", "permission": "read_write"})]);
    call(
        &server,
        "PUT",
        &share_url("v8", "Deals", DEAL),
        ADMIN_TOKEN,
        Some(&public),
    )
    .await;
    let exported = server.state().await;
    let deal_before = server
        .get(&share_url("v8", "Deals", DEAL), ADMIN_TOKEN)
        .await
        .json();

    let other = TestServer::start().await;
    assert_eq!(
        other
            .admin("PUT", "/__admin/state", Some(exported.clone()))
            .await
            .status,
        204
    );
    assert_golden(
        &other.get(&lead_url(), ADMIN_TOKEN).await,
        &golden("a_get_after_post_v8"),
    );
    assert_eq!(
        other
            .get(&share_url("v8", "Deals", DEAL), ADMIN_TOKEN)
            .await
            .json(),
        deal_before
    );
    assert_eq!(
        other.state().await["orgs"][0]["shares"],
        exported["orgs"][0]["shares"]
    );
}

#[tokio::test]
async fn path_segments_are_percent_decoded_exactly_once() {
    let server = TestServer::start().await;
    let reply = server
        .get(&share_url("v8", "Le%2561ds", LEAD), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("invalid_module_on_read"));
    let reply = server
        .get(
            &share_url("v8", "Deals", "41508680000011482%35%30"),
            ADMIN_TOKEN,
        )
        .await;
    assert_golden(&reply, &golden("get_deal_v8"));
    let reply = server
        .get(
            &share_url("v8", "Leads", "4150868000001148212%FF"),
            ADMIN_TOKEN,
        )
        .await;
    assert_golden(&reply, &golden("f_unknown_record"));
    let reply = call(
        &server,
        "DELETE",
        &share_url("v8", "Leads", "%C3%28"),
        ADMIN_TOKEN,
        None,
    )
    .await;
    assert_golden(&reply, &golden("f_delete_unknown_record"));
}

#[tokio::test]
async fn fault_only_rows_answer_each_verbs_text_and_change_nothing() {
    let server = TestServer::start().await;
    for method in VERBS {
        let fault = json!({"method": method, "path": "/crm/*/Leads/*/actions/share", "status": 400,
                           "code": "AUTHORIZATION_FAILED", "times": 1});
        assert_eq!(
            server
                .admin("POST", "/__admin/faults", Some(fault))
                .await
                .status,
            201
        );
        let reply = call(
            &server,
            method,
            &lead_url(),
            ADMIN_TOKEN,
            Some(&example_a_body()),
        )
        .await;
        let case = format!("fault_authorization_failed_{}", method.to_lowercase());
        assert_golden(&reply, &golden(&case));
    }
    let fault = json!({"method": "POST", "path": "/crm/v8/*/*/actions/share", "status": 400, "code": "CANNOT_PROCESS"});
    assert_eq!(
        server
            .admin("POST", "/__admin/faults", Some(fault))
            .await
            .status,
        201
    );
    let reply = call(
        &server,
        "POST",
        &lead_url(),
        ADMIN_TOKEN,
        Some(&example_a_body()),
    )
    .await;
    assert_golden(&reply, &golden("fault_scheduler_running"));
    assert!(stored_shares(&server, LEAD).await.is_empty());
}

#[tokio::test]
async fn bodies_are_read_as_json_text_escapes_repeats_and_utf8_included() {
    let server = TestServer::start().await;
    let send = |body: Vec<u8>| {
        server
            .client
            .put(server.url(&lead_url()))
            .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
            .body(body)
    };
    let mut not_utf8 = br#"{"share":[{"user":{"id":"4150868000001199001"}}],"note":""#.to_vec();
    not_utf8.extend_from_slice(&[0xff, b'"', b'}']);
    assert_golden(
        &server.send(send(not_utf8)).await,
        &golden("body_not_json_object"),
    );
    let escaped = r#"{"share":[{"type":"priv\u0061te","permission":"read\u005fonly",
                   "shared_with":{"type":"us\u0065rs","id":"4150868000001199\u0030\u00301"}}]}"#;
    assert_golden(
        &server.send(send(escaped.into())).await,
        &golden("put_success_one"),
    );
    let repeated = r#"{"share":"x","share":[{"user":{"id":"4150868000001199002"},"permission":"owner","permission":"read_write"}],"notify":1,"notify":false}"#;
    assert_golden(
        &server.send(send(repeated.into())).await,
        &golden("put_success_one"),
    );
    let stored = stored_shares(&server, LEAD).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (&stored[0]["shared_with"]["id"], &stored[0]["permission"]),
        (&json!(RYAN), &json!("read_write"))
    );
    let trailing = format!("{} x", share_body(vec![user_item(AMELIA, "read_only")]));
    assert_golden(
        &server.send(send(trailing.into())).await,
        &golden("body_not_json_object"),
    );
}

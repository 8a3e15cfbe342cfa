//! Black-box tests of the settings discovery calls (roles, user groups, profiles, one user), the
//! data sharing rules search and filtered summary, and the accounts server's `/oauth/user/info`
//! (spec crm-settings-and-search.md); the `GET /crm/{v}/users` changes (spec auth-and-errors.md
//! §5); the CRM access keys of the fixture with their validation and export (DESIGN §3) and the
//! sandbox additions (DESIGN §4).

mod support;

use serde_json::{Value, json};
use support::*;

const ROLES: &str = "/crm/v8/settings/roles";
const GROUPS: &str = "/crm/v8/settings/user_groups";
const PROFILES: &str = "/crm/v8/settings/profiles";
const USERS: &str = "/crm/v8/users";
const SEARCH: &str = "/crm/v8/settings/data_sharing/rules/search";
const SUMMARY: &str = "/crm/v8/settings/data_sharing/rules/actions/summary";
const USER_INFO: &str = "/oauth/user/info";

// Sandbox ids (README sandbox tables, DESIGN §4).
const CEO: &str = "4150868000000026005";
const MANAGER: &str = "4150868000000026006";
const SALES_REP: &str = "4150868000000026007";
const SUPPORT_AGENT: &str = "4150868000000026008";
const SALES: &str = "4150868000000232001";
const SUPPORT: &str = "4150868000000232002";
const MANAGEMENT: &str = "4150868000000232003";
const ADMINISTRATOR_PROFILE: &str = "3602353000000026001";
const STANDARD_PROFILE: &str = "3602353000000026002";
const READ_ONLY_PROFILE: &str = "3602353000000026003";
const PATRICIA: &str = "4150868000001174048";
const AMELIA: &str = "4150868000001199001";
const RYAN: &str = "4150868000001199002";
const OLIVIA: &str = "4150868000001199003";
const SOPHIA: &str = "4150868000001199005";
const EMMA: &str = "4150868000001199007";
const LUCAS: &str = "4150868000001199008";
const DEREK: &str = "4150868000001199099";
const LEADS_RULE: &str = "2276164000002052006";
const LEADS_INACTIVE_RULE: &str = "2276164000002052011";
const CONTACTS_RULE: &str = "2276164000002052015";
const DEALS_RULE: &str = "2276164000002052019";
/// Amelia Burrows, Sales Rep, Standard profile (DESIGN §4 per-user tokens).
const AMELIA_TOKEN: &str = "1000.sandbox.amelia";

/// The 17 registry modules in registry order (README §3).
const REGISTRY: [&str; 17] = [
    "Leads",
    "Contacts",
    "Accounts",
    "Deals",
    "Tasks",
    "Events",
    "Calls",
    "Products",
    "Quotes",
    "Sales_Orders",
    "Purchase_Orders",
    "Invoices",
    "Campaigns",
    "Vendors",
    "Price_Books",
    "Cases",
    "Solutions",
];

fn golden(name: &str) -> String {
    format!("crm/settings_and_search/{name}.json")
}

/// A top-level CRM error (auth-and-errors.md §6).
fn error(code: &str, message: &str, details: Value) -> Value {
    json!({"code": code, "details": details, "message": message, "status": "error"})
}

/// A body error of the rules search (spec §7.5).
fn body_error(code: &str, api_name: &str, path: &str) -> Value {
    let message = if code == "MANDATORY_NOT_FOUND" {
        "required field not found"
    } else {
        "invalid data"
    };
    error(
        code,
        message,
        json!({"api_name": api_name, "json_path": path}),
    )
}

#[track_caller]
fn assert_json(reply: &Reply, status: u16, body: &Value) {
    assert_eq!(reply.status, status, "status; body {}", reply.text());
    assert_eq!(reply.content_type(), Some(JSON_CT), "Content-Type");
    assert_eq!(&reply.json(), body, "body");
}

#[track_caller]
fn assert_no_content(reply: &Reply) {
    assert_eq!(reply.status, 204, "status; body {}", reply.text());
    assert!(reply.body.is_empty(), "a 204 has no body: {}", reply.text());
    assert_eq!(reply.content_type(), None, "a 204 has no Content-Type");
}

/// A fresh access token of org `zylker` through the admin API.
async fn mint(server: &TestServer, user: &str, scopes: &[&str]) -> String {
    mint_in(server, "zylker", user, scopes).await
}

async fn mint_in(server: &TestServer, org: &str, user: &str, scopes: &[&str]) -> String {
    let reply = server
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

async fn add_fault(server: &TestServer, fault: Value) {
    let reply = server.admin("POST", "/__admin/faults", Some(fault)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
}

async fn put_state(server: &TestServer, doc: &Value) -> Reply {
    server
        .admin("PUT", "/__admin/state", Some(doc.clone()))
        .await
}

/// A POST with a raw JSON body and no Content-Type, as Zoho's SDKs send it.
async fn post(server: &TestServer, path: &str, token: &str, body: &Value) -> Reply {
    server
        .call("POST", path, Some(token), Some(&body.to_string()))
        .await
}

/// A query value: the JSON text, percent-encoded.
fn encoded(value: &Value) -> String {
    form_urlencoded::byte_serialize(value.to_string().as_bytes()).collect()
}

/// One search condition (spec §7.2).
fn cond(key: &str, comparator: &str, value: Value) -> Value {
    json!({"field": {"api_name": key}, "comparator": comparator, "value": value})
}

fn filters(items: Value) -> Value {
    json!({ "filters": items })
}

/// The ids of the rules a search answers, in answer order; empty for a 204.
async fn search_ids(server: &TestServer, path: &str, body: &Value) -> Vec<String> {
    let reply = post(server, path, ADMIN_TOKEN, body).await;
    if reply.status == 204 {
        assert_no_content(&reply);
        return Vec::new();
    }
    assert_eq!(reply.status, 200, "{body}: {}", reply.text());
    let json = reply.json();
    let ids: Vec<String> = json["sharing_rules"]
        .as_array()
        .expect("sharing_rules")
        .iter()
        .map(|rule| rule["id"].as_str().expect("a rule id").to_owned())
        .collect();
    assert_eq!(json["info"]["count"], ids.len(), "info.count");
    ids
}

/// A group object of the list (spec §4.1), without `sources_count`.
fn group_object(id: &str, name: &str, description: Value) -> Value {
    json!({"created_by": null, "created_time": null, "description": description, "id": id,
           "modified_by": null, "modified_time": null, "name": name})
}

fn source_item(kind: &str, id: &str, name: &str, subordinates: bool) -> Value {
    json!({"source": {"id": id, "name": name}, "subordinates": subordinates, "type": kind})
}

fn counts(roles: u64, active: u64, inactive: u64) -> Value {
    json!({"groups": 0, "roles": roles, "territories": 0,
           "users": {"active": active, "deleted": 0, "inactive": inactive}})
}

fn info(count: usize, more: bool, page: u64, per_page: u64) -> Value {
    json!({"count": count, "more_records": more, "page": page, "per_page": per_page})
}

/// A profile object of the list (spec §5.1).
fn profile_object(id: &str, name: &str, custom: bool, description: Value) -> Value {
    json!({"created_by": null, "created_time": null, "custom": custom, "description": description,
           "display_label": name, "id": id, "modified_by": null, "modified_time": null,
           "name": name, "type": "normal_profile"})
}

/// `permissions_details` (spec §5.3): four entries per module, in module order, with
/// `enabled(module, operation)` deciding each.
fn permission_entries(modules: &[&str], enabled: impl Fn(&str, &str) -> bool) -> Value {
    let mut entries = Vec::new();
    for (position, module) in modules.iter().enumerate() {
        for (index, operation) in ["View", "Create", "Edit", "Delete"].iter().enumerate() {
            entries.push(json!({
                "display_label": operation,
                "enabled": enabled(module, operation),
                "id": format!("36023530000001{:03}{:02}", position + 1, index + 1),
                "module": module,
                "name": format!("Crm_Implied_{operation}_{module}"),
            }));
        }
    }
    Value::Array(entries)
}

/// A role object (spec §3.1).
fn role_object(
    id: &str,
    name: &str,
    reporting_to: Value,
    share_with_peers: bool,
    description: Value,
) -> Value {
    json!({"created_by__s": null, "created_time__s": null, "description": description,
           "display_label": name, "forecast_manager": null, "id": id, "modified_by__s": null,
           "modified_time__s": null, "name": name, "reporting_to": reporting_to,
           "share_with_peers": share_with_peers})
}

// ---- A small second org, for fixture cases the sandbox cannot show ----

const ACME_BOSS_ROLE: &str = "5000000000000000001";
const ACME_CREW_ROLE: &str = "5000000000000000002";
const ACME_BO: &str = "5000000000000000101";
const ACME_CHER: &str = "5000000000000000102";
const ACME_MARY: &str = "5000000000000000103";
const ACME_DEE: &str = "5000000000000000104";
const ACME_GROUP: &str = "5000000000000000201";
const ACME_LEAD: &str = "5000000000000000501";
const ACME_BOSS_TOKEN: &str = "1000.acme.boss";
const ACME_CHER_TOKEN: &str = "1000.acme.cher";
const ACME_MARY_TOKEN: &str = "1000.acme.mary";
const ACME_DEE_TOKEN: &str = "1000.acme.dee";

/// Org `acme`: of the CRM access keys of DESIGN §3 only users' `reporting_to`, a role tree, a
/// role's description and peers (so the defaults show elsewhere), `members` on its group and a
/// record without fields.
fn acme() -> Value {
    let scopes = json!(["ZohoCRM.settings.ALL", "ZohoCRM.users.ALL"]);
    json!({
        "id": "acme",
        "name": "Acme",
        "roles": [
            {"id": ACME_BOSS_ROLE, "name": "Boss", "description": "Runs it", "share_with_peers": true},
            {"id": ACME_CREW_ROLE, "name": "Crew", "reporting_to": ACME_BOSS_ROLE}
        ],
        "users": [
            {"id": ACME_BO, "email": "bo@acme.io", "full_name": "Bo Boss", "role": ACME_BOSS_ROLE,
             "profile": "Administrator", "status": "active"},
            {"id": ACME_CHER, "email": "cher@acme.io", "full_name": "Cher", "role": ACME_CREW_ROLE,
             "profile": "Crew Member", "status": "active", "reporting_to": ACME_BO},
            {"id": ACME_MARY, "email": "mary@acme.io", "full_name": "Mary Ann Smith", "role": ACME_CREW_ROLE,
             "profile": "Crew Member", "status": "active", "reporting_to": ACME_CHER},
            {"id": ACME_DEE, "email": "dee@acme.io", "full_name": "Dee Gone", "role": ACME_CREW_ROLE,
             "profile": "Crew Member", "status": "disabled", "reporting_to": ACME_BO}
        ],
        "groups": [{"id": ACME_GROUP, "name": "Everyone", "members": [ACME_BO, ACME_CHER, ACME_DEE]}],
        "records": [{"module": "Leads", "id": ACME_LEAD, "owner": ACME_CHER}],
        "tokens": [
            {"access_token": ACME_BOSS_TOKEN, "user": ACME_BO, "scopes": scopes},
            {"access_token": ACME_CHER_TOKEN, "user": ACME_CHER, "scopes": scopes},
            {"access_token": ACME_MARY_TOKEN, "user": ACME_MARY, "scopes": scopes},
            {"access_token": ACME_DEE_TOKEN, "user": ACME_DEE, "scopes": scopes}
        ]
    })
}

fn doc(orgs: Value) -> String {
    json!({ "orgs": orgs }).to_string()
}

/// The sandbox with org `acme` added through the admin API.
async fn sandbox_and_acme(acme_org: Value) -> TestServer {
    let server = TestServer::start().await;
    let reply = server.admin("POST", "/__admin/orgs", Some(acme_org)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    server
}

// ================================================================ roles (spec §3)

#[tokio::test]
async fn roles_list_shows_the_role_tree() {
    let server = TestServer::start().await;
    assert_golden(&server.get(ROLES, ADMIN_TOKEN).await, &golden("roles_list"));
    // Every CRM version serves it; unknown parameters are ignored (README §3).
    for path in [
        "/crm/v2/settings/roles",
        "/crm/v2.1/settings/roles",
        "/crm/v7/settings/roles?page=0&per_page=x",
    ] {
        assert_golden(&server.get(path, ADMIN_TOKEN).await, &golden("roles_list"));
    }
}

#[tokio::test]
async fn one_role_is_a_one_element_list() {
    let server = TestServer::start().await;
    assert_golden(
        &server
            .get(&format!("{ROLES}/{SUPPORT_AGENT}"), ADMIN_TOKEN)
            .await,
        &golden("roles_one"),
    );
    let reply = server.get(&format!("{ROLES}/{CEO}"), ADMIN_TOKEN).await;
    assert_json(
        &reply,
        200,
        &json!({"roles": [role_object(CEO, "CEO", Value::Null, false, Value::Null)]}),
    );
}

#[tokio::test]
async fn roles_follow_the_fixture_description_peers_and_order() {
    let server = TestServer::with_fixture(&doc(json!([acme()]))).await;
    let boss = role_object(ACME_BOSS_ROLE, "Boss", Value::Null, true, json!("Runs it"));
    let crew = role_object(
        ACME_CREW_ROLE,
        "Crew",
        json!({"id": ACME_BOSS_ROLE, "name": "Boss"}),
        false,
        Value::Null,
    );
    assert_json(
        &server.get(ROLES, ACME_BOSS_TOKEN).await,
        200,
        &json!({"roles": [boss.clone(), crew]}),
    );
    assert_json(
        &server
            .get(&format!("{ROLES}/{ACME_BOSS_ROLE}"), ACME_BOSS_TOKEN)
            .await,
        200,
        &json!({ "roles": [boss] }),
    );
}

#[tokio::test]
async fn roles_need_the_roles_scope() {
    let server = TestServer::start().await;
    // noshare: users.READ and settings.data_sharing.READ only.
    for path in [ROLES.to_owned(), format!("{ROLES}/{CEO}")] {
        assert_golden(
            &server.get(&path, NOSHARE_TOKEN).await,
            &golden("roles_scope_mismatch"),
        );
    }
    for scopes in [
        ["ZohoCRM.settings.user_groups.READ"],
        ["ZohoCRM.settings.roles.CREATE"],
        ["ZohoCRM.users.ALL"],
    ] {
        let token = mint(&server, PATRICIA, &scopes).await;
        assert_golden(
            &server.get(ROLES, &token).await,
            &golden("roles_scope_mismatch"),
        );
    }
    for scopes in [
        ["ZohoCRM.settings.roles.READ"],
        ["ZohoCRM.settings.roles.ALL"],
        ["ZohoCRM.settings.READ"],
        ["zohocrm.SETTINGS.all"],
    ] {
        let token = mint(&server, PATRICIA, &scopes).await;
        assert_golden(&server.get(ROLES, &token).await, &golden("roles_list"));
    }
}

#[tokio::test]
async fn an_unknown_role_id_is_invalid_data() {
    let server = TestServer::start().await;
    for id in [
        "4150868000000026099",
        "04150868000000026005",
        "abc",
        "4150868000000232001", // a group's id, not a role's
    ] {
        assert_golden(
            &server.get(&format!("{ROLES}/{id}"), ADMIN_TOKEN).await,
            &golden("roles_unknown_id"),
        );
    }
    // A role of another org is unknown here (README §3 tenancy).
    let server = sandbox_and_acme(acme()).await;
    assert_golden(
        &server
            .get(&format!("{ROLES}/{ACME_CREW_ROLE}"), ADMIN_TOKEN)
            .await,
        &golden("roles_unknown_id"),
    );
    assert_golden(
        &server.get(&format!("{ROLES}/{CEO}"), ACME_BOSS_TOKEN).await,
        &golden("roles_unknown_id"),
    );
}

#[tokio::test]
async fn roles_are_for_administrators() {
    let server = TestServer::start().await;
    for token in [AMELIA_TOKEN, "1000.sandbox.olivia", "1000.sandbox.sophia"] {
        assert_golden(
            &server.get(ROLES, token).await,
            &golden("roles_no_permission"),
        );
        assert_golden(
            &server.get(&format!("{ROLES}/{CEO}"), token).await,
            &golden("roles_no_permission"),
        );
    }
    assert_golden(
        &server.get(ROLES, "1000.sandbox.patricia").await,
        &golden("roles_list"),
    );
}

#[tokio::test]
async fn roles_processing_order() {
    let server = TestServer::start().await;
    let unknown = format!("{ROLES}/4150868000000026099");
    // Authentication before everything after the route.
    assert_golden(
        &server.call("GET", &unknown, None, None).await,
        "common/authentication_failure.json",
    );
    assert_golden(
        &server.get(&unknown, EXPIRED_TOKEN).await,
        "common/invalid_token.json",
    );
    // Scope (step 5) before the path id (step 6).
    assert_golden(
        &server.get(&unknown, NOSHARE_TOKEN).await,
        &golden("roles_scope_mismatch"),
    );
    // Scope before the caller's permission: the Standard user without the roles scope.
    assert_golden(
        &server.get(ROLES, STANDARD_TOKEN).await,
        &golden("roles_scope_mismatch"),
    );
    // Path id (step 6) before the caller's permission (step 7): spec §10 (a).
    assert_golden(
        &server.get(&unknown, AMELIA_TOKEN).await,
        &golden("roles_unknown_id"),
    );
}

#[tokio::test]
async fn roles_authorization_failed_comes_from_a_fault() {
    let server = TestServer::start().await;
    add_fault(
        &server,
        json!({"method": "GET", "path": "/crm/*/settings/roles", "status": 400, "code": "AUTHORIZATION_FAILED"}),
    )
    .await;
    add_fault(
        &server,
        json!({"method": "GET", "path": "/crm/*/settings/roles/*", "status": 400, "code": "AUTHORIZATION_FAILED", "times": 1}),
    )
    .await;
    assert_golden(
        &server.get(ROLES, ADMIN_TOKEN).await,
        &golden("roles_authorization_failed"),
    );
    assert_golden(
        &server.get(&format!("{ROLES}/{CEO}"), ADMIN_TOKEN).await,
        &golden("roles_authorization_failed"),
    );
    // The fault was used up; the one role answers again.
    assert_golden(
        &server
            .get(&format!("{ROLES}/{SUPPORT_AGENT}"), ADMIN_TOKEN)
            .await,
        &golden("roles_one"),
    );
}

// ================================================================ user groups (spec §4)

#[tokio::test]
async fn groups_list_with_and_without_source_counts() {
    let server = TestServer::start().await;
    assert_golden(
        &server
            .get(&format!("{GROUPS}?include=sources_count"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_list_sources_count"),
    );
    assert_golden(
        &server.get(GROUPS, ADMIN_TOKEN).await,
        &golden("user_groups_list"),
    );
    assert_golden(
        &server
            .get("/crm/v2/settings/user_groups", ADMIN_TOKEN)
            .await,
        &golden("user_groups_list"),
    );
}

#[tokio::test]
async fn groups_by_name_match_the_whole_name_in_any_case() {
    let server = TestServer::start().await;
    for name in ["support", "Support", "SUPPORT"] {
        assert_golden(
            &server
                .get(&format!("{GROUPS}?name={name}"), ADMIN_TOKEN)
                .await,
            &golden("user_groups_by_name"),
        );
    }
    for name in ["Supp", "Support%20Desk", "upport"] {
        assert_golden(
            &server
                .get(&format!("{GROUPS}?name={name}"), ADMIN_TOKEN)
                .await,
            &golden("user_groups_none_on_page"),
        );
    }
    // An empty value counts as missing (README §3): every group.
    assert_golden(
        &server.get(&format!("{GROUPS}?name="), ADMIN_TOKEN).await,
        &golden("user_groups_list"),
    );
}

#[tokio::test]
async fn groups_filters_contains_and_starts_with() {
    let server = TestServer::start().await;
    let names = |reply: &Reply| -> Vec<String> {
        if reply.status == 204 {
            assert_no_content(reply);
            return Vec::new();
        }
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["user_groups"]
            .as_array()
            .expect("user_groups")
            .iter()
            .map(|g| g["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let name_cond =
        |c: &str, v: &str| json!({"field": {"api_name": "name"}, "comparator": c, "value": v});
    // spec §10 (b): the literal query string given there.
    assert_golden(
        &server
            .get(
                &format!(
                    "{GROUPS}?filters=%7B%22field%22%3A%7B%22api_name%22%3A%22name%22%7D%2C%22comparator%22%3A%22starts_with%22%2C%22value%22%3A%22Supp%22%7D"
                ),
                ADMIN_TOKEN,
            )
            .await,
        &golden("user_groups_filters_starts_with"),
    );
    // What Zoho's Python SDK 8.0 sends: its JSON has spaces, written `+` in the query.
    assert_golden(
        &server
            .get(
                &format!(
                    "{GROUPS}?filters=%7B%22comparator%22%3A+%22starts_with%22%2C+%22field%22%3A+%7B%22api_name%22%3A+%22name%22%7D%2C+%22value%22%3A+%22Supp%22%7D"
                ),
                ADMIN_TOKEN,
            )
            .await,
        &golden("user_groups_filters_starts_with"),
    );
    let cases = [
        (name_cond("starts_with", "supp"), vec!["Support"]),
        (name_cond("starts_with", "ales"), vec![]),
        (name_cond("contains", "AGE"), vec!["Management"]),
        (name_cond("contains", "s"), vec!["Sales", "Support"]),
        (
            json!({"group_operator": "or", "group": [name_cond("starts_with", "Sal"), name_cond("starts_with", "Man")]}),
            vec!["Sales", "Management"],
        ),
        (
            json!({"group_operator": "OR", "group": [name_cond("contains", "xyz"), name_cond("contains", "port")]}),
            vec!["Support"],
        ),
        (
            json!({"group_operator": "And", "group": [name_cond("contains", "a"), name_cond("starts_with", "M")]}),
            vec!["Management"],
        ),
        (
            json!({"group_operator": "and", "group": [name_cond("contains", "a"), name_cond("contains", "u")]}),
            vec![],
        ),
    ];
    for (filter, expected) in cases {
        let reply = server
            .get(
                &format!("{GROUPS}?filters={}", encoded(&filter)),
                ADMIN_TOKEN,
            )
            .await;
        assert_eq!(names(&reply), expected, "{filter}");
    }
    // name and filters together must both hold.
    let supp = encoded(&name_cond("starts_with", "Supp"));
    let reply = server
        .get(
            &format!("{GROUPS}?name=Support&filters={supp}"),
            ADMIN_TOKEN,
        )
        .await;
    assert_golden(&reply, &golden("user_groups_by_name"));
    let reply = server
        .get(&format!("{GROUPS}?name=Sales&filters={supp}"), ADMIN_TOKEN)
        .await;
    assert_golden(&reply, &golden("user_groups_none_on_page"));
    // With include, the filtered list carries the counts.
    let reply = server
        .get(
            &format!("{GROUPS}?filters={supp}&include=sources_count"),
            ADMIN_TOKEN,
        )
        .await;
    let mut support = group_object(SUPPORT, "Support", Value::Null);
    support["sources_count"] = counts(1, 0, 0);
    assert_json(
        &reply,
        200,
        &json!({"info": info(1, false, 1, 200), "user_groups": [support]}),
    );
}

#[tokio::test]
async fn groups_filters_errors() {
    let server = TestServer::start().await;
    let good = json!({"field": {"api_name": "name"}, "comparator": "contains", "value": "a"});
    let bad: Vec<String> = vec![
        "%7B".to_owned(), // "{": unparsable
        encoded(&json!([good])),
        encoded(&json!("Sales")),
        encoded(&json!({"field": {"api_name": "id"}, "comparator": "contains", "value": "a"})),
        encoded(&json!({"field": {"api_name": "name"}, "comparator": "equal", "value": "Sales"})),
        encoded(&json!({"field": {"api_name": "name"}, "comparator": "like", "value": "Sales"})),
        encoded(&json!({"field": {"api_name": "name"}, "comparator": "contains", "value": ""})),
        encoded(&json!({"field": {"api_name": "name"}, "comparator": "contains", "value": 5})),
        encoded(&json!({"field": {"api_name": "name"}, "comparator": "contains"})),
        encoded(&json!({"comparator": "contains", "value": "a"})),
        encoded(&json!({"group_operator": "and", "group": []})),
        encoded(&json!({"group_operator": "xor", "group": [good]})),
        encoded(
            &json!({"group_operator": "and", "group": [good, {"group_operator": "or", "group": [good]}]}),
        ),
        encoded(&json!({"group_operator": "and", "group": [good, 5]})),
    ];
    for filter in bad {
        assert_golden(
            &server
                .get(&format!("{GROUPS}?filters={filter}"), ADMIN_TOKEN)
                .await,
            &golden("user_groups_invalid_filters"),
        );
    }
}

#[tokio::test]
async fn groups_query_errors_and_paging() {
    let server = TestServer::start().await;
    for include in ["sources", "SOURCES_COUNT", "sources_count,x"] {
        assert_golden(
            &server
                .get(&format!("{GROUPS}?include={include}"), ADMIN_TOKEN)
                .await,
            &golden("user_groups_invalid_include"),
        );
    }
    for page in ["0", "-1", "%2B1", "1.0", "x"] {
        assert_golden(
            &server
                .get(&format!("{GROUPS}?page={page}"), ADMIN_TOKEN)
                .await,
            &golden("user_groups_invalid_page"),
        );
    }
    for per_page in ["0", "201", "2.0", "x"] {
        assert_golden(
            &server
                .get(&format!("{GROUPS}?per_page={per_page}"), ADMIN_TOKEN)
                .await,
            &golden("user_groups_invalid_per_page"),
        );
    }
    assert_golden(
        &server
            .get(&format!("{GROUPS}?per_page=2"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_page_1"),
    );
    assert_golden(
        &server
            .get(&format!("{GROUPS}?page=02&per_page=2"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_page_2"),
    );
    assert_golden(
        &server
            .get(&format!("{GROUPS}?page=3&per_page=2"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_none_on_page"),
    );
    assert_golden(
        &server
            .get(&format!("{GROUPS}?page=1&per_page=200"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_list"),
    );
    // Query checks in the order spec §2 step 8 lists them: include, filters, page, per_page.
    assert_golden(
        &server
            .get(&format!("{GROUPS}?page=0&include=x"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_invalid_include"),
    );
    assert_golden(
        &server
            .get(&format!("{GROUPS}?include=x&filters=%7B"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_invalid_include"),
    );
    assert_golden(
        &server
            .get(&format!("{GROUPS}?page=0&filters=%7B"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_invalid_filters"),
    );
    assert_golden(
        &server
            .get(&format!("{GROUPS}?per_page=0&page=0"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_invalid_page"),
    );
}

#[tokio::test]
async fn an_org_without_groups_answers_204() {
    let mut org = acme();
    org["groups"] = json!([]);
    let server = TestServer::with_fixture(&doc(json!([org]))).await;
    assert_golden(
        &server.get(GROUPS, ACME_BOSS_TOKEN).await,
        &golden("user_groups_none_on_page"),
    );
    assert_golden(
        &server
            .get(&format!("{GROUPS}?include=sources_count"), ACME_BOSS_TOKEN)
            .await,
        &golden("user_groups_none_on_page"),
    );
}

#[tokio::test]
async fn one_group_with_its_sources_and_counts() {
    let server = TestServer::start().await;
    assert_golden(
        &server
            .get(&format!("{GROUPS}/{MANAGEMENT}"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_one"),
    );
    let mut sales = group_object(SALES, "Sales", Value::Null);
    sales["sources"] = json!([
        source_item("users", AMELIA, "Amelia Burrows", false),
        source_item("users", RYAN, "Ryan Cole", false),
        source_item("users", "4150868000001199004", "Liam Foster", false),
        source_item("users", SOPHIA, "Sophia Hayes", false),
    ]);
    sales["sources_count"] = counts(0, 4, 0);
    assert_json(
        &server.get(&format!("{GROUPS}/{SALES}"), ADMIN_TOKEN).await,
        200,
        &json!({ "user_groups": [sales] }),
    );
    let mut support = group_object(SUPPORT, "Support", Value::Null);
    support["sources"] = json!([source_item("roles", SUPPORT_AGENT, "Support Agent", false)]);
    support["sources_count"] = counts(1, 0, 0);
    assert_json(
        &server
            .get(
                &format!("/crm/v2.1/settings/user_groups/{SUPPORT}"),
                ADMIN_TOKEN,
            )
            .await,
        200,
        &json!({ "user_groups": [support] }),
    );
}

#[tokio::test]
async fn group_sources_by_type() {
    let server = TestServer::start().await;
    let sources = format!("{GROUPS}/{MANAGEMENT}/sources");
    assert_golden(
        &server.get(&sources, ADMIN_TOKEN).await,
        &golden("user_groups_sources"),
    );
    assert_golden(
        &server
            .get(&format!("{sources}?type=roles"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_sources_roles"),
    );
    assert_golden(
        &server
            .get(&format!("{sources}?type=users"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_sources_users_active"),
    );
    for kind in ["territories", "groups"] {
        assert_golden(
            &server
                .get(&format!("{sources}?type={kind}"), ADMIN_TOKEN)
                .await,
            &golden("user_groups_sources_none"),
        );
    }
    // user_type keeps users sources of that status and leaves roles sources out.
    assert_golden(
        &server
            .get(&format!("{sources}?user_type=active"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_sources_users_active"),
    );
    for query in [
        "user_type=inactive",
        "user_type=deleted",
        "type=roles&user_type=active",
    ] {
        assert_golden(
            &server.get(&format!("{sources}?{query}"), ADMIN_TOKEN).await,
            &golden("user_groups_sources_none"),
        );
    }
    // A group made of one role source.
    let reply = server
        .get(&format!("{GROUPS}/{SUPPORT}/sources"), ADMIN_TOKEN)
        .await;
    assert_json(
        &reply,
        200,
        &json!({"info": info(1, false, 1, 200),
                "sources": [source_item("roles", SUPPORT_AGENT, "Support Agent", false)]}),
    );
}

#[tokio::test]
async fn group_sources_paging_and_query_errors() {
    let server = TestServer::start().await;
    let sources = format!("{GROUPS}/{SALES}/sources");
    let reply = server
        .get(&format!("{sources}?per_page=3"), ADMIN_TOKEN)
        .await;
    assert_json(
        &reply,
        200,
        &json!({"info": info(3, true, 1, 3), "sources": [
            source_item("users", AMELIA, "Amelia Burrows", false),
            source_item("users", RYAN, "Ryan Cole", false),
            source_item("users", "4150868000001199004", "Liam Foster", false)]}),
    );
    let reply = server
        .get(&format!("{sources}?per_page=3&page=2"), ADMIN_TOKEN)
        .await;
    assert_json(
        &reply,
        200,
        &json!({"info": info(1, false, 2, 3), "sources": [source_item("users", SOPHIA, "Sophia Hayes", false)]}),
    );
    assert_golden(
        &server
            .get(&format!("{sources}?per_page=3&page=3"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_sources_none"),
    );
    for kind in ["user", "Users", "all"] {
        assert_golden(
            &server
                .get(&format!("{sources}?type={kind}"), ADMIN_TOKEN)
                .await,
            &golden("user_groups_invalid_type"),
        );
    }
    for user_type in ["disabled", "Active"] {
        assert_golden(
            &server
                .get(&format!("{sources}?user_type={user_type}"), ADMIN_TOKEN)
                .await,
            &golden("user_groups_invalid_user_type"),
        );
    }
    assert_golden(
        &server.get(&format!("{sources}?page=0"), ADMIN_TOKEN).await,
        &golden("user_groups_invalid_page"),
    );
    assert_golden(
        &server
            .get(&format!("{sources}?per_page=201"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_invalid_per_page"),
    );
    // In the order spec §2 step 8 lists them: type, user_type, then page, per_page.
    assert_golden(
        &server
            .get(&format!("{sources}?user_type=x&type=x"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_invalid_type"),
    );
    assert_golden(
        &server
            .get(&format!("{sources}?page=0&user_type=x"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_invalid_user_type"),
    );
}

#[tokio::test]
async fn sources_count_of_a_group() {
    let server = TestServer::start().await;
    assert_golden(
        &server
            .get(
                &format!("{GROUPS}/{MANAGEMENT}/actions/sources_count"),
                ADMIN_TOKEN,
            )
            .await,
        &golden("user_groups_sources_count"),
    );
    assert_json(
        &server
            .get(
                &format!("{GROUPS}/{SALES}/actions/sources_count"),
                ADMIN_TOKEN,
            )
            .await,
        200,
        &json!({"sources_count": [counts(0, 4, 0)]}),
    );
}

/// Sources from the fixture: a disabled user, a role with its subordinates, a description, and
/// `members` read as users sources.
#[tokio::test]
async fn sources_follow_the_fixture() {
    let server = TestServer::start().await;
    let mut state = server.state().await;
    let zylker = &mut state["orgs"][0];
    zylker["groups"][0]["sources"]
        .as_array_mut()
        .expect("sources")
        .push(json!({"type": "users", "id": DEREK}));
    zylker["groups"][0]["description"] = json!("Field team");
    zylker["groups"][2]["sources"][1]["subordinates"] = json!(true);
    let reply = put_state(&server, &state).await;
    assert_eq!(reply.status, 204, "{}", reply.text());

    assert_json(
        &server
            .get(
                &format!("{GROUPS}/{SALES}/actions/sources_count"),
                ADMIN_TOKEN,
            )
            .await,
        200,
        &json!({"sources_count": [counts(0, 4, 1)]}),
    );
    let derek = source_item("users", DEREK, "Derek Walsh", false);
    assert_json(
        &server
            .get(
                &format!("{GROUPS}/{SALES}/sources?user_type=inactive"),
                ADMIN_TOKEN,
            )
            .await,
        200,
        &json!({"info": info(1, false, 1, 200), "sources": [derek]}),
    );
    let reply = server
        .get(
            &format!("{GROUPS}/{SALES}/sources?user_type=active"),
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(reply.json()["info"]["count"], 4, "{}", reply.text());
    let reply = server
        .get(
            &format!("{GROUPS}?include=sources_count&per_page=1"),
            ADMIN_TOKEN,
        )
        .await;
    let mut sales = group_object(SALES, "Sales", json!("Field team"));
    sales["sources_count"] = counts(0, 4, 1);
    assert_json(
        &reply,
        200,
        &json!({"info": info(1, true, 1, 1), "user_groups": [sales]}),
    );
    assert_json(
        &server
            .get(
                &format!("{GROUPS}/{MANAGEMENT}/sources?type=roles"),
                ADMIN_TOKEN,
            )
            .await,
        200,
        &json!({"info": info(1, false, 1, 200), "sources": [source_item("roles", MANAGER, "Manager", true)]}),
    );

    // `members` on input is one users source per id, in order.
    let server = TestServer::with_fixture(&doc(json!([acme()]))).await;
    let mut everyone = group_object(ACME_GROUP, "Everyone", Value::Null);
    everyone["sources"] = json!([
        source_item("users", ACME_BO, "Bo Boss", false),
        source_item("users", ACME_CHER, "Cher", false),
        source_item("users", ACME_DEE, "Dee Gone", false),
    ]);
    everyone["sources_count"] = counts(0, 2, 1);
    assert_json(
        &server
            .get(&format!("{GROUPS}/{ACME_GROUP}"), ACME_BOSS_TOKEN)
            .await,
        200,
        &json!({ "user_groups": [everyone] }),
    );
}

#[tokio::test]
async fn group_paths_need_the_user_groups_scope() {
    let server = TestServer::start().await;
    let paths = [
        GROUPS.to_owned(),
        format!("{GROUPS}/{SALES}"),
        format!("{GROUPS}/{SALES}/sources"),
        format!("{GROUPS}/{SALES}/actions/sources_count"),
    ];
    let roles_only = mint(&server, PATRICIA, &["ZohoCRM.settings.roles.READ"]).await;
    let groups_only = mint(&server, PATRICIA, &["ZohoCRM.settings.user_groups.READ"]).await;
    for path in &paths {
        for token in [NOSHARE_TOKEN, roles_only.as_str()] {
            assert_golden(
                &server.get(path, token).await,
                &golden("user_groups_scope_mismatch"),
            );
        }
        assert_eq!(server.get(path, &groups_only).await.status, 200, "{path}");
    }
}

#[tokio::test]
async fn an_unknown_group_id_is_invalid_data() {
    let server = sandbox_and_acme(acme()).await;
    for id in [
        "4150868000000232099",
        "04150868000000232001",
        "sales",
        CEO, // a role's id
        ACME_GROUP,
    ] {
        for tail in ["", "/sources", "/actions/sources_count"] {
            assert_golden(
                &server
                    .get(&format!("{GROUPS}/{id}{tail}"), ADMIN_TOKEN)
                    .await,
                &golden("user_groups_unknown_id"),
            );
        }
    }
}

#[tokio::test]
async fn groups_are_for_administrators() {
    let server = TestServer::start().await;
    for path in [
        GROUPS.to_owned(),
        format!("{GROUPS}/{SALES}"),
        format!("{GROUPS}/{SALES}/sources"),
        format!("{GROUPS}/{SALES}/actions/sources_count"),
    ] {
        for token in [AMELIA_TOKEN, "1000.sandbox.emma"] {
            assert_golden(
                &server.get(&path, token).await,
                &golden("user_groups_no_permission"),
            );
        }
    }
}

#[tokio::test]
async fn groups_processing_order() {
    let server = TestServer::start().await;
    let unknown = "4150868000000232099";
    // Scope before the path id.
    assert_golden(
        &server
            .get(&format!("{GROUPS}/{unknown}/sources"), NOSHARE_TOKEN)
            .await,
        &golden("user_groups_scope_mismatch"),
    );
    // Path id before the caller's permission.
    assert_golden(
        &server
            .get(&format!("{GROUPS}/{unknown}"), AMELIA_TOKEN)
            .await,
        &golden("user_groups_unknown_id"),
    );
    // Path id before the query.
    assert_golden(
        &server
            .get(&format!("{GROUPS}/{unknown}/sources?type=x"), ADMIN_TOKEN)
            .await,
        &golden("user_groups_unknown_id"),
    );
    // Permission before the query.
    assert_golden(
        &server
            .get(&format!("{GROUPS}?include=x&page=0"), AMELIA_TOKEN)
            .await,
        &golden("user_groups_no_permission"),
    );
    assert_golden(
        &server
            .get(&format!("{GROUPS}/{SALES}/sources?type=x"), AMELIA_TOKEN)
            .await,
        &golden("user_groups_no_permission"),
    );
}

// ================================================================ profiles (spec §5)

#[tokio::test]
async fn profiles_list_and_a_read_only_profile() {
    let server = TestServer::start().await;
    assert_golden(
        &server.get(PROFILES, ADMIN_TOKEN).await,
        &golden("profiles_list"),
    );
    assert_golden(
        &server
            .get(&format!("{PROFILES}/{READ_ONLY_PROFILE}"), ADMIN_TOKEN)
            .await,
        &golden("profiles_read_only"),
    );
    // include_lite_profile is accepted and changes nothing.
    for value in ["true", "false"] {
        assert_golden(
            &server
                .get(
                    &format!("{PROFILES}?include_lite_profile={value}"),
                    ADMIN_TOKEN,
                )
                .await,
            &golden("profiles_list"),
        );
    }
    for value in ["yes", "1", "truth"] {
        assert_golden(
            &server
                .get(
                    &format!("{PROFILES}?include_lite_profile={value}"),
                    ADMIN_TOKEN,
                )
                .await,
            &golden("profiles_invalid_include_lite_profile"),
        );
    }
}

#[tokio::test]
async fn administrator_and_standard_profiles_grant_everything() {
    let server = TestServer::start().await;
    let modules: Vec<&str> = REGISTRY.iter().copied().chain(["Properties"]).collect();
    for (id, name) in [
        (ADMINISTRATOR_PROFILE, "Administrator"),
        (STANDARD_PROFILE, "Standard"),
    ] {
        let mut profile = profile_object(id, name, false, Value::Null);
        profile["permissions_details"] = permission_entries(&modules, |_, _| true);
        assert_json(
            &server.get(&format!("{PROFILES}/{id}"), ADMIN_TOKEN).await,
            200,
            &json!({ "profiles": [profile] }),
        );
    }
}

#[tokio::test]
async fn derived_profiles_when_the_fixture_declares_none() {
    let server = TestServer::with_fixture(&doc(json!([acme()]))).await;
    let admin = profile_object("3602353000000026001", "Administrator", false, Value::Null);
    let crew = profile_object("3602353000000026002", "Crew Member", true, Value::Null);
    assert_json(
        &server.get(PROFILES, ACME_BOSS_TOKEN).await,
        200,
        &json!({"profiles": [admin, crew.clone()]}),
    );
    let mut detailed = crew;
    detailed["permissions_details"] = permission_entries(&REGISTRY, |_, _| true);
    assert_json(
        &server
            .get(&format!("{PROFILES}/3602353000000026002"), ACME_BOSS_TOKEN)
            .await,
        200,
        &json!({ "profiles": [detailed] }),
    );
}

#[tokio::test]
async fn declared_profiles_and_their_permissions() {
    let mut org = acme();
    org["custom_modules"] = json!([
        {"api_name": "Boats", "id": "5000000000000000401"},
        {"api_name": "Docks", "id": "5000000000000000402"}
    ]);
    org["profiles"] = json!([
        {"id": "5000000000000000301", "name": "Administrator"},
        {"id": "5000000000000000302", "name": "Crew Member", "description": "Hands on deck",
         "permissions": {"*": {"delete": false}, "Leads": {"create": false, "delete": true},
                         "Docks": {"view": false, "create": false, "edit": false, "delete": false}}},
        {"id": "5000000000000000303", "name": "Standard", "permissions": {}}
    ]);
    let server = TestServer::with_fixture(&doc(json!([org]))).await;
    let crew = profile_object(
        "5000000000000000302",
        "Crew Member",
        true,
        json!("Hands on deck"),
    );
    assert_json(
        &server.get(PROFILES, ACME_BOSS_TOKEN).await,
        200,
        &json!({"profiles": [
            profile_object("5000000000000000301", "Administrator", false, Value::Null),
            crew.clone(),
            profile_object("5000000000000000303", "Standard", false, Value::Null)]}),
    );
    // A module's entry wins over "*", which wins over the default (true); custom modules come
    // after the registry, in fixture order.
    let modules: Vec<&str> = REGISTRY.iter().copied().chain(["Boats", "Docks"]).collect();
    let mut detailed = crew;
    detailed["permissions_details"] =
        permission_entries(&modules, |module, operation| match (module, operation) {
            ("Docks", _) => false,
            ("Leads", "Create") => false,
            ("Leads", _) => true,
            (_, "Delete") => false,
            _ => true,
        });
    assert_json(
        &server
            .get(&format!("{PROFILES}/5000000000000000302"), ACME_BOSS_TOKEN)
            .await,
        200,
        &json!({ "profiles": [detailed] }),
    );
    // The derived ids name nothing once profiles are declared.
    assert_golden(
        &server
            .get(&format!("{PROFILES}/3602353000000026002"), ACME_BOSS_TOKEN)
            .await,
        &golden("profiles_unknown_id"),
    );
}

#[tokio::test]
async fn profile_errors() {
    let server = sandbox_and_acme(acme()).await;
    for path in [
        PROFILES.to_owned(),
        format!("{PROFILES}/{STANDARD_PROFILE}"),
    ] {
        assert_golden(
            &server.get(&path, NOSHARE_TOKEN).await,
            &golden("profiles_scope_mismatch"),
        );
        for token in [AMELIA_TOKEN, "1000.sandbox.sophia"] {
            assert_golden(
                &server.get(&path, token).await,
                &golden("profiles_no_permission"),
            );
        }
    }
    let token = mint(&server, PATRICIA, &["ZohoCRM.settings.profiles.READ"]).await;
    assert_golden(
        &server.get(PROFILES, &token).await,
        &golden("profiles_list"),
    );
    let token = mint(&server, PATRICIA, &["ZohoCRM.settings.roles.READ"]).await;
    assert_golden(
        &server.get(PROFILES, &token).await,
        &golden("profiles_scope_mismatch"),
    );
    for id in [
        "3602353000000026099",
        "03602353000000026001",
        "Administrator",
        CEO,
    ] {
        assert_golden(
            &server.get(&format!("{PROFILES}/{id}"), ADMIN_TOKEN).await,
            &golden("profiles_unknown_id"),
        );
    }
    // acme's derived Administrator profile has the sandbox's id, but acme's own answer is
    // acme's (tenancy): its list has two profiles.
    let reply = server.get(PROFILES, ACME_BOSS_TOKEN).await;
    assert_eq!(reply.json()["profiles"].as_array().map(Vec::len), Some(2));
    // Order: scope, path id, permission, query.
    assert_golden(
        &server
            .get(&format!("{PROFILES}/3602353000000026099"), NOSHARE_TOKEN)
            .await,
        &golden("profiles_scope_mismatch"),
    );
    assert_golden(
        &server
            .get(&format!("{PROFILES}/3602353000000026099"), AMELIA_TOKEN)
            .await,
        &golden("profiles_unknown_id"),
    );
    assert_golden(
        &server
            .get(&format!("{PROFILES}?include_lite_profile=x"), AMELIA_TOKEN)
            .await,
        &golden("profiles_no_permission"),
    );
}

// ================================================================ one user (spec §6)

#[tokio::test]
async fn one_user_and_whom_they_report_to() {
    let server = TestServer::start().await;
    assert_golden(
        &server.get(&format!("{USERS}/{RYAN}"), ADMIN_TOKEN).await,
        &golden("user_ryan"),
    );
    assert_golden(
        &server
            .get(&format!("{USERS}/{PATRICIA}"), ADMIN_TOKEN)
            .await,
        &golden("user_patricia"),
    );
    // Disabled users are found.
    assert_golden(
        &server.get(&format!("{USERS}/{DEREK}"), ADMIN_TOKEN).await,
        &golden("user_disabled"),
    );
    // No profile restriction: a Standard user with users.READ reads anyone; other versions.
    assert_golden(
        &server
            .get(&format!("/crm/v2/users/{RYAN}"), STANDARD_TOKEN)
            .await,
        &golden("user_ryan"),
    );
    assert_golden(
        &server
            .get(&format!("{USERS}/{RYAN}"), "1000.sandbox.sophia")
            .await,
        &golden("user_ryan"),
    );
    // If-Modified-Since is ignored.
    let reply = server
        .send(
            server
                .client
                .get(server.url(&format!("{USERS}/{RYAN}")))
                .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
                .header("If-Modified-Since", "2030-01-01T00:00:00+00:00"),
        )
        .await;
    assert_golden(&reply, &golden("user_ryan"));
}

#[tokio::test]
async fn the_read_only_user_shows_her_declared_profile() {
    let server = TestServer::start().await;
    let reply = server.get(&format!("{USERS}/{SOPHIA}"), ADMIN_TOKEN).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let user = &reply.json()["users"][0];
    assert_eq!(
        user["profile"],
        json!({"id": READ_ONLY_PROFILE, "name": "Read Only"})
    );
    assert_eq!(
        user["Reporting_To"],
        json!({"id": OLIVIA, "name": "Olivia Grant"})
    );
}

#[tokio::test]
async fn one_user_errors() {
    let server = sandbox_and_acme(acme()).await;
    for id in [
        "4150868000009999999",
        "04150868000001199002",
        "ryan",
        CEO,
        ACME_CHER,
    ] {
        assert_golden(
            &server.get(&format!("{USERS}/{id}"), ADMIN_TOKEN).await,
            &golden("user_unknown_id"),
        );
    }
    assert_golden(
        &server
            .get(&format!("{USERS}/{RYAN}"), ACME_BOSS_TOKEN)
            .await,
        &golden("user_unknown_id"),
    );
    let settings_only = mint(
        &server,
        PATRICIA,
        &["ZohoCRM.settings.ALL", "ZohoCRM.share.ALL"],
    )
    .await;
    assert_golden(
        &server.get(&format!("{USERS}/{RYAN}"), &settings_only).await,
        &golden("user_scope_mismatch"),
    );
    // Scope before the path id.
    assert_golden(
        &server
            .get(&format!("{USERS}/4150868000009999999"), &settings_only)
            .await,
        &golden("user_scope_mismatch"),
    );
    let users_all = mint(&server, AMELIA, &["ZohoCRM.users.ALL"]).await;
    assert_golden(
        &server.get(&format!("{USERS}/{RYAN}"), &users_all).await,
        &golden("user_ryan"),
    );
}

// ================================================================ GET /users (auth-and-errors.md §5)

#[tokio::test]
async fn users_list_items_carry_reporting_to_and_declared_profile_ids() {
    let server = TestServer::start().await;
    assert_golden(&server.get(USERS, ADMIN_TOKEN).await, &golden("users_list"));

    let mut org = acme();
    org["profiles"] = json!([
        {"id": "5000000000000000302", "name": "Crew Member"},
        {"id": "5000000000000000301", "name": "Administrator"}
    ]);
    let server = TestServer::with_fixture(&doc(json!([org]))).await;
    let reply = server
        .get(
            &format!("{USERS}?type=AllUsers&per_page=2"),
            ACME_BOSS_TOKEN,
        )
        .await;
    let user = |id: &str,
                email: &str,
                name: &str,
                role: (&str, &str),
                profile: (&str, &str),
                to: Value| {
        json!({"Reporting_To": to, "email": email, "full_name": name, "id": id,
               "profile": {"id": profile.0, "name": profile.1}, "role": {"id": role.0, "name": role.1},
               "status": "active", "zuid": format!("7{}", &id[id.len() - 8..])})
    };
    assert_json(
        &reply,
        200,
        &json!({"info": info(2, true, 1, 2), "users": [
            user(ACME_BO, "bo@acme.io", "Bo Boss", (ACME_BOSS_ROLE, "Boss"),
                 ("5000000000000000301", "Administrator"), Value::Null),
            user(ACME_CHER, "cher@acme.io", "Cher", (ACME_CREW_ROLE, "Crew"),
                 ("5000000000000000302", "Crew Member"), json!({"id": ACME_BO, "name": "Bo Boss"}))]}),
    );
    let reply = server
        .get(&format!("{USERS}?type=CurrentUser"), ACME_MARY_TOKEN)
        .await;
    assert_eq!(
        reply.json()["users"][0]["Reporting_To"],
        json!({"id": ACME_CHER, "name": "Cher"})
    );
}

// ================================================================ rules search and summary (spec §7)

/// spec §10 (e): group-shared rules that are active or named like "manager".
fn nested_search_body() -> Value {
    filters(json!([{"group_operator": "and", "group": [
        cond("shared_to.type", "equal", json!("groups")),
        {"group_operator": "or", "group": [
            cond("status", "equal", json!("active")),
            cond("name", "like", json!("manager"))]}]}]))
}

#[tokio::test]
async fn search_with_nested_groups() {
    let server = TestServer::start().await;
    let body = nested_search_body();
    assert_golden(
        &post(&server, SEARCH, ADMIN_TOKEN, &body).await,
        &golden("search_nested"),
    );
    assert_golden(
        &post(
            &server,
            &format!("{SEARCH}?module=Contacts"),
            ADMIN_TOKEN,
            &body,
        )
        .await,
        &golden("search_none_on_page"),
    );
    // The module parameter is matched case-insensitively; other versions route too.
    assert_eq!(
        search_ids(&server, &format!("{SEARCH}?module=deals"), &body).await,
        [DEALS_RULE]
    );
    assert_golden(
        &post(
            &server,
            "/crm/v2.1/settings/data_sharing/rules/search",
            ADMIN_TOKEN,
            &body,
        )
        .await,
        &golden("search_nested"),
    );
}

#[tokio::test]
async fn search_keys_and_comparators() {
    let server = TestServer::start().await;
    let all = vec![LEADS_RULE, LEADS_INACTIVE_RULE, CONTACTS_RULE, DEALS_RULE];
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            cond("superiors_allowed", "equal", json!(true)),
            vec![LEADS_INACTIVE_RULE],
        ),
        (
            cond("superiors_allowed", "equal", json!("TRUE")),
            vec![LEADS_INACTIVE_RULE],
        ),
        (
            cond("superiors_allowed", "equal", json!(false)),
            vec![LEADS_RULE, CONTACTS_RULE, DEALS_RULE],
        ),
        (
            cond("superiors_allowed", "equal", json!("false")),
            vec![LEADS_RULE, CONTACTS_RULE, DEALS_RULE],
        ),
        (
            cond("status", "equal", json!("active")),
            vec![LEADS_RULE, CONTACTS_RULE, DEALS_RULE],
        ),
        (
            cond("status", "equal", json!("inactive")),
            vec![LEADS_INACTIVE_RULE],
        ),
        (
            cond("shared_to.type", "equal", json!("groups")),
            vec![LEADS_RULE, DEALS_RULE],
        ),
        (
            cond("shared_to.type", "equal", json!("roles")),
            vec![LEADS_INACTIVE_RULE],
        ),
        (
            cond("shared_to.type", "equal", json!("all_users")),
            vec![CONTACTS_RULE],
        ),
        (
            cond("shared_from.type", "equal", json!("roles")),
            vec![LEADS_RULE, LEADS_INACTIVE_RULE],
        ),
        (
            cond("shared_from.type", "equal", json!("groups")),
            vec![DEALS_RULE],
        ),
        // A Criteria_Based rule has no shared_from; all_users never matches there.
        (
            cond("shared_from.type", "equal", json!("all_users")),
            vec![],
        ),
        (
            cond("permission_type", "equal", json!("read")),
            vec![LEADS_INACTIVE_RULE, CONTACTS_RULE, DEALS_RULE],
        ),
        (
            cond("permission_type", "equal", json!("read_write_delete")),
            vec![LEADS_RULE],
        ),
        (
            cond("shared_to.resource.id", "in", json!([SALES])),
            vec![LEADS_RULE],
        ),
        (
            cond("shared_to.resource.id", "in", json!([SALES, SUPPORT])),
            vec![LEADS_RULE, DEALS_RULE],
        ),
        // Ids as JSON integers, or one id alone.
        (
            cond(
                "shared_to.resource.id",
                "in",
                json!([4150868000000026007_u64]),
            ),
            vec![LEADS_INACTIVE_RULE],
        ),
        (
            cond("shared_to.resource.id", "in", json!(SUPPORT)),
            vec![DEALS_RULE],
        ),
        (
            cond(
                "shared_to.resource.id",
                "in",
                json!(4150868000000232002_u64),
            ),
            vec![DEALS_RULE],
        ),
        // Leading zeros make another id; a role's id does not find a group target.
        (
            cond(
                "shared_to.resource.id",
                "in",
                json!(["04150868000000232001"]),
            ),
            vec![],
        ),
        (cond("shared_to.resource.id", "in", json!([CEO])), vec![]),
        (
            cond("shared_from.resource.id", "in", json!([CEO])),
            vec![LEADS_RULE],
        ),
        (
            cond("shared_from.resource.id", "in", json!([MANAGER])),
            vec![LEADS_INACTIVE_RULE],
        ),
        (
            cond("shared_from.resource.id", "in", json!([SALES])),
            vec![DEALS_RULE],
        ),
        (
            cond("shared_from.resource.id", "in", json!([SUPPORT])),
            vec![],
        ),
        // like: no % means "contains", % is any run, every other character is itself.
        (
            cond("name", "like", json!("manager")),
            vec![LEADS_INACTIVE_RULE],
        ),
        // No %: the names that contain it, "Manager leads to Sales Reps" too (spec §7.2).
        (
            cond("name", "like", json!("LEADS TO SALES")),
            vec![LEADS_RULE, LEADS_INACTIVE_RULE],
        ),
        (cond("name", "like", json!("%sales")), vec![LEADS_RULE]),
        (cond("name", "like", json!("leads%")), vec![LEADS_RULE]),
        (
            cond("name", "like", json!("sales%support")),
            vec![DEALS_RULE],
        ),
        (cond("name", "like", json!("%to%")), all.clone()),
        (cond("name", "like", json!("%")), all.clone()),
        (cond("name", "like", json!("to")), all.clone()),
        (cond("name", "like", json!("s_to")), vec![]),
        (cond("name", "like", json!("leads.to")), vec![]),
    ];
    for (condition, expected) in cases {
        let body = filters(json!([condition]));
        assert_eq!(search_ids(&server, SEARCH, &body).await, expected, "{body}");
    }
}

#[tokio::test]
async fn search_combines_items_and_groups() {
    let server = TestServer::start().await;
    let active = cond("status", "equal", json!("active"));
    let to_groups = cond("shared_to.type", "equal", json!("groups"));
    let read = cond("permission_type", "equal", json!("read"));
    let cases: Vec<(Value, Vec<&str>)> = vec![
        // The items of filters are combined with AND.
        (json!([active, to_groups]), vec![LEADS_RULE, DEALS_RULE]),
        (json!([active, to_groups, read]), vec![DEALS_RULE]),
        // group_operator may be left out of a one-criterion group; it takes any case.
        (
            json!([{"group": [read]}]),
            vec![LEADS_INACTIVE_RULE, CONTACTS_RULE, DEALS_RULE],
        ),
        (
            json!([{"group_operator": "OR", "group": [to_groups, read]}]),
            vec![LEADS_RULE, LEADS_INACTIVE_RULE, CONTACTS_RULE, DEALS_RULE],
        ),
        (
            json!([{"group_operator": "And", "group": [to_groups, read]}]),
            vec![DEALS_RULE],
        ),
        // Groups nest to any depth.
        (
            json!([{"group_operator": "or", "group": [
                {"group_operator": "and", "group": [
                    {"group": [cond("status", "equal", json!("inactive"))]},
                    cond("superiors_allowed", "equal", json!(true))]},
                cond("name", "like", json!("chennai"))]}]),
            vec![LEADS_INACTIVE_RULE, CONTACTS_RULE],
        ),
        // Other keys are ignored: a condition's type and field.id, a group's field.
        (
            json!([{"field": {"api_name": "status", "id": "1"}, "comparator": "equal", "value": "inactive", "type": "value"}]),
            vec![LEADS_INACTIVE_RULE],
        ),
        (
            json!([{"group_operator": "and", "field": {"api_name": "bogus"}, "group": [read, to_groups]}]),
            vec![DEALS_RULE],
        ),
    ];
    for (items, expected) in cases {
        let body = filters(items);
        assert_eq!(search_ids(&server, SEARCH, &body).await, expected, "{body}");
    }
    // Other top-level keys are ignored.
    let body = json!({"filters": [cond("status", "equal", json!("inactive"))], "page": 7, "module": "Deals"});
    assert_eq!(
        search_ids(&server, SEARCH, &body).await,
        [LEADS_INACTIVE_RULE]
    );
}

#[tokio::test]
async fn search_is_paged_as_the_list() {
    let server = TestServer::start().await;
    let active = filters(json!([cond("status", "equal", json!("active"))]));
    assert_golden(
        &post(
            &server,
            &format!("{SEARCH}?per_page=1&page=2"),
            ADMIN_TOKEN,
            &active,
        )
        .await,
        &golden("search_page_2"),
    );
    let reply = post(
        &server,
        &format!("{SEARCH}?per_page=2"),
        ADMIN_TOKEN,
        &active,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["info"], info(2, true, 1, 2));
    let reply = post(
        &server,
        &format!("{SEARCH}?per_page=2&page=02"),
        ADMIN_TOKEN,
        &active,
    )
    .await;
    assert_eq!(reply.json()["info"], info(1, false, 2, 2));
    assert_eq!(reply.json()["sharing_rules"][0]["id"], DEALS_RULE);
    assert_golden(
        &post(
            &server,
            &format!("{SEARCH}?per_page=2&page=3"),
            ADMIN_TOKEN,
            &active,
        )
        .await,
        &golden("search_none_on_page"),
    );
    for page in ["0", "%2B1", "1.0", "-1", "x"] {
        assert_golden(
            &post(
                &server,
                &format!("{SEARCH}?page={page}"),
                ADMIN_TOKEN,
                &active,
            )
            .await,
            &golden("search_invalid_page"),
        );
    }
    for per_page in ["0", "201", "x"] {
        assert_golden(
            &post(
                &server,
                &format!("{SEARCH}?per_page={per_page}"),
                ADMIN_TOKEN,
                &active,
            )
            .await,
            &golden("search_invalid_per_page"),
        );
    }
    // page before per_page, and both before the body.
    assert_golden(
        &post(
            &server,
            &format!("{SEARCH}?per_page=0&page=0"),
            ADMIN_TOKEN,
            &active,
        )
        .await,
        &golden("search_invalid_page"),
    );
    assert_golden(
        &post(
            &server,
            &format!("{SEARCH}?per_page=0"),
            ADMIN_TOKEN,
            &json!([]),
        )
        .await,
        &golden("search_invalid_per_page"),
    );
}

#[tokio::test]
async fn search_body_errors_one_per_row() {
    let server = TestServer::start().await;
    let ok = cond("status", "equal", json!("active"));
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "search_filters_missing"),
        (json!({"filters": null}), "search_filters_missing"),
        (json!({"filters": []}), "search_filters_missing"),
        (json!({"filters": {"a": 1}}), "search_filters_not_array"),
        (json!({"filters": "status"}), "search_filters_not_array"),
        (json!({"filters": [1]}), "search_criterion_not_object"),
        (json!({"filters": [[ok]]}), "search_criterion_not_object"),
        (
            json!({"filters": [{"group": [ok, ok]}]}),
            "search_group_operator_missing",
        ),
        (
            json!({"filters": [{"group_operator": "xor", "group": [ok]}]}),
            "search_group_operator_invalid",
        ),
        (
            json!({"filters": [{"group_operator": 1, "group": [ok]}]}),
            "search_group_operator_invalid",
        ),
        (
            json!({"filters": [{"group_operator": "and", "group": []}]}),
            "search_group_invalid",
        ),
        (
            json!({"filters": [{"group_operator": "and", "group": {"a": ok}}]}),
            "search_group_invalid",
        ),
        (
            json!({"filters": [{"comparator": "equal", "value": "active"}]}),
            "search_field_missing",
        ),
        (
            json!({"filters": [{"field": "status", "comparator": "equal", "value": "active"}]}),
            "search_field_missing",
        ),
        (
            json!({"filters": [{"field": {"id": "1"}, "comparator": "equal", "value": "active"}]}),
            "search_api_name_missing",
        ),
        (
            json!({"filters": [cond("owner", "equal", json!("active"))]}),
            "search_api_name_invalid",
        ),
        (
            json!({"filters": [cond("shared_to", "equal", json!("active"))]}),
            "search_api_name_invalid",
        ),
        (
            json!({"filters": [{"field": {"api_name": "status"}, "value": "active"}]}),
            "search_comparator_missing",
        ),
        (
            json!({"filters": [cond("status", "in", json!(["active"]))]}),
            "search_comparator_invalid",
        ),
        (
            json!({"filters": [cond("name", "equal", json!("Leads to Sales"))]}),
            "search_comparator_invalid",
        ),
        (
            json!({"filters": [cond("shared_to.resource.id", "equal", json!(SALES))]}),
            "search_comparator_invalid",
        ),
        (
            json!({"filters": [{"field": {"api_name": "status"}, "comparator": "equal"}]}),
            "search_value_missing",
        ),
        (
            json!({"filters": [cond("status", "equal", json!("Active"))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("status", "equal", json!("deleted"))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("shared_to.type", "equal", json!("users"))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("permission_type", "equal", json!("full_access"))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("superiors_allowed", "equal", json!("yes"))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("superiors_allowed", "equal", json!(1))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("shared_to.resource.id", "in", json!([]))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("shared_to.resource.id", "in", json!(["abc"]))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("shared_from.resource.id", "in", json!([1.5]))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("name", "like", json!(""))]}),
            "search_value_invalid",
        ),
        (
            json!({"filters": [cond("name", "like", json!(5))]}),
            "search_value_invalid",
        ),
    ];
    for (body, name) in cases {
        let reply = post(
            &server,
            &format!("{SEARCH}?module=Leads"),
            ADMIN_TOKEN,
            &body,
        )
        .await;
        assert_golden(&reply, &golden(name));
        // The filtered summary checks its body the same way.
        let reply = post(&server, SUMMARY, ADMIN_TOKEN, &body).await;
        assert_golden(&reply, &golden(name));
    }
}

#[tokio::test]
async fn search_bodies_that_are_not_objects() {
    let server = TestServer::start().await;
    let deep = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
    for raw in [
        "[]",
        "\"filters\"",
        "{",
        "{\"filters\": [}",
        "null",
        "7",
        deep.as_str(),
    ] {
        for path in [SEARCH, SUMMARY] {
            let reply = server
                .call("POST", path, Some(ADMIN_TOKEN), Some(raw))
                .await;
            assert_golden(&reply, &golden("search_body_not_object"));
        }
    }
    // A body that is not UTF-8 is unparsable (README §3 encoding).
    let reply = server
        .send(
            server
                .client
                .post(server.url(SEARCH))
                .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
                .body(vec![b'{', 0xff, 0xfe, b'}']),
        )
        .await;
    assert_golden(&reply, &golden("search_body_not_object"));
    // An empty body reads as {}: the missing wrapper key.
    for path in [SEARCH, SUMMARY] {
        assert_golden(
            &server.call("POST", path, Some(ADMIN_TOKEN), None).await,
            &golden("search_filters_missing"),
        );
    }
    // A JSON body is parsed whatever the Content-Type says.
    let reply = server
        .send(
            server
                .client
                .post(server.url(SEARCH))
                .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(nested_search_body().to_string()),
        )
        .await;
    assert_golden(&reply, &golden("search_nested"));
}

#[tokio::test]
async fn search_body_errors_report_the_first_failure_depth_first() {
    let server = TestServer::start().await;
    let ok = cond("status", "equal", json!("active"));
    let cases: Vec<(Value, Value)> = vec![
        // The first criterion's failure wins over a later one.
        (
            json!({"filters": [cond("status", "in", json!(["active"])), 5]}),
            body_error("INVALID_DATA", "comparator", "$.filters[0].comparator"),
        ),
        // A condition: field, then comparator, then value.
        (
            json!({"filters": [{"field": {"api_name": "bogus"}}]}),
            body_error("INVALID_DATA", "api_name", "$.filters[0].field.api_name"),
        ),
        (
            json!({"filters": [{"field": {"api_name": "status"}, "comparator": "bogus"}]}),
            body_error("INVALID_DATA", "comparator", "$.filters[0].comparator"),
        ),
        (
            json!({"filters": [{"value": 5}]}),
            body_error("MANDATORY_NOT_FOUND", "field", "$.filters[0].field"),
        ),
        // A group: group_operator, then group and its members.
        (
            json!({"filters": [{"group_operator": "xor", "group": []}]}),
            body_error(
                "INVALID_DATA",
                "group_operator",
                "$.filters[0].group_operator",
            ),
        ),
        (
            json!({"filters": [{"group": [ok, 5]}]}),
            body_error(
                "MANDATORY_NOT_FOUND",
                "group_operator",
                "$.filters[0].group_operator",
            ),
        ),
        (
            json!({"filters": [ok, {"group_operator": "and", "group": [ok, {"field": {"api_name": "status"}, "comparator": "equal"}]}]}),
            body_error(
                "MANDATORY_NOT_FOUND",
                "value",
                "$.filters[1].group[1].value",
            ),
        ),
        (
            json!({"filters": [{"group_operator": "and", "group": [ok, {"group_operator": "or", "group": [ok, 7]}]}]}),
            error(
                "INVALID_DATA",
                "invalid data",
                json!({"api_name": "filters", "expected_data_type": "jsonobject", "json_path": "$.filters[0].group[1].group[1]"}),
            ),
        ),
        (
            json!({"filters": [{"group_operator": "and", "group": [ok, {"group_operator": "or", "group": "x"}]}]}),
            error(
                "INVALID_DATA",
                "invalid data",
                json!({"api_name": "group", "expected_data_type": "jsonarray", "json_path": "$.filters[0].group[1].group"}),
            ),
        ),
        (
            json!({"filters": [ok, ok, {"group": [{"group": [cond("name", "like", json!(""))]}]}]}),
            body_error(
                "INVALID_DATA",
                "value",
                "$.filters[2].group[0].group[0].value",
            ),
        ),
        (
            json!({"filters": [{"group_operator": "or", "group": [ok, {"comparator": "equal"}]}]}),
            body_error(
                "MANDATORY_NOT_FOUND",
                "field",
                "$.filters[0].group[1].field",
            ),
        ),
        (
            json!({"filters": [{"group_operator": "or", "group": [ok, {"field": {}, "comparator": "equal"}]}]}),
            body_error(
                "MANDATORY_NOT_FOUND",
                "api_name",
                "$.filters[0].group[1].field.api_name",
            ),
        ),
    ];
    for (body, expected) in cases {
        let reply = post(&server, SEARCH, ADMIN_TOKEN, &body).await;
        assert_json(&reply, 400, &expected);
    }
}

#[tokio::test]
async fn filtered_summary_counts_the_matching_rules() {
    let server = TestServer::start().await;
    let support = filters(json!([cond(
        "shared_to.resource.id",
        "in",
        json!([SUPPORT])
    )]));
    assert_golden(
        &post(&server, SUMMARY, ADMIN_TOKEN, &support).await,
        &golden("summary_filtered"),
    );
    let nobody = filters(json!([cond(
        "shared_to.resource.id",
        "in",
        json!(["4150868000000232099"])
    )]));
    assert_golden(
        &post(&server, SUMMARY, ADMIN_TOKEN, &nobody).await,
        &golden("summary_no_match"),
    );
    let read = filters(json!([cond("permission_type", "equal", json!("read"))]));
    assert_golden(
        &post(&server, SUMMARY, ADMIN_TOKEN, &read).await,
        &golden("summary_permission_read"),
    );
    // With module: at most that module's entry; page and per_page are not read.
    assert_golden(
        &post(
            &server,
            &format!("{SUMMARY}?module=Deals&page=0&per_page=x"),
            ADMIN_TOKEN,
            &support,
        )
        .await,
        &golden("summary_filtered"),
    );
    assert_golden(
        &post(
            &server,
            &format!("{SUMMARY}?module=Leads"),
            ADMIN_TOKEN,
            &support,
        )
        .await,
        &golden("summary_no_match"),
    );
    let both_leads = filters(json!([cond("name", "like", json!("leads"))]));
    assert_json(
        &post(
            &server,
            &format!("{SUMMARY}?module=LEADS"),
            ADMIN_TOKEN,
            &both_leads,
        )
        .await,
        200,
        &json!({"sharing_rules_summary": [{"module": {"api_name": "Leads", "id": "3602353000000000125"}, "rule_computation_status": false, "rule_count": 2}]}),
    );
    // GET on the same path is still the unfiltered summary.
    let reply = server.get(SUMMARY, ADMIN_TOKEN).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json()["sharing_rules_summary"]
            .as_array()
            .map(Vec::len),
        Some(18)
    );
}

#[tokio::test]
async fn a_running_computation_does_not_block_search_or_summary() {
    let server = TestServer::start().await;
    let reply = server
        .admin(
            "PUT",
            "/__admin/orgs/zylker/rule-computation",
            Some(json!({"Deals": true})),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    let support = filters(json!([cond(
        "shared_to.resource.id",
        "in",
        json!([SUPPORT])
    )]));
    assert_json(
        &post(&server, SUMMARY, ADMIN_TOKEN, &support).await,
        200,
        &json!({"sharing_rules_summary": [{"module": {"api_name": "Deals", "id": "3602353000000000131"}, "rule_computation_status": true, "rule_count": 1}]}),
    );
    assert_eq!(search_ids(&server, SEARCH, &support).await, [DEALS_RULE]);
}

#[tokio::test]
async fn search_and_summary_change_nothing() {
    let server = TestServer::start().await;
    let before = server.admin("GET", "/__admin/state", None).await.text();
    assert_eq!(
        post(&server, SEARCH, ADMIN_TOKEN, &nested_search_body())
            .await
            .status,
        200
    );
    assert_eq!(
        post(&server, SUMMARY, ADMIN_TOKEN, &nested_search_body())
            .await
            .status,
        200
    );
    assert_eq!(
        post(&server, SEARCH, ADMIN_TOKEN, &json!({})).await.status,
        400
    );
    assert_eq!(
        server.admin("GET", "/__admin/state", None).await.text(),
        before
    );
}

#[tokio::test]
async fn an_org_without_rules_answers_204() {
    let server = TestServer::with_fixture(&doc(json!([acme()]))).await;
    let body = filters(json!([cond("name", "like", json!("%"))]));
    // acme's tokens carry settings.ALL; Bo is the Administrator.
    assert_golden(
        &post(&server, SEARCH, ACME_BOSS_TOKEN, &body).await,
        &golden("search_none_on_page"),
    );
    assert_golden(
        &post(&server, SUMMARY, ACME_BOSS_TOKEN, &body).await,
        &golden("summary_no_match"),
    );
}

#[tokio::test]
async fn search_family_errors_and_their_order() {
    let server = TestServer::start().await;
    let body = nested_search_body();
    for path in [SEARCH, SUMMARY] {
        for module in ["Nope", "Documents", "Projects", "Meetings"] {
            assert_golden(
                &post(
                    &server,
                    &format!("{path}?module={module}"),
                    ADMIN_TOKEN,
                    &body,
                )
                .await,
                &golden("search_invalid_module"),
            );
        }
        // An empty module counts as missing: the parameter is optional here.
        assert_eq!(
            post(&server, &format!("{path}?module="), ADMIN_TOKEN, &body)
                .await
                .status,
            200
        );
        // Scope: the Standard token has no settings scope; data_sharing.UPDATE is not READ.
        let update_only = mint(&server, PATRICIA, &["ZohoCRM.settings.data_sharing.UPDATE"]).await;
        for token in [STANDARD_TOKEN, update_only.as_str()] {
            assert_golden(
                &post(&server, path, token, &body).await,
                &golden("search_scope_mismatch"),
            );
        }
        // noshare has settings.data_sharing.READ and is Patricia.
        assert_eq!(post(&server, path, NOSHARE_TOKEN, &body).await.status, 200);
        for token in [AMELIA_TOKEN, "1000.sandbox.olivia"] {
            assert_golden(
                &post(&server, path, token, &body).await,
                &golden("search_no_permission"),
            );
        }
        // Authentication first.
        assert_golden(
            &server
                .call("POST", &format!("{path}?module=Nope"), None, Some("[]"))
                .await,
            "common/authentication_failure.json",
        );
        assert_golden(
            &post(
                &server,
                &format!("{path}?module=Nope"),
                EXPIRED_TOKEN,
                &body,
            )
            .await,
            "common/invalid_token.json",
        );
        // The module class (step 4) before the scope (step 5) and the permission (step 7).
        assert_golden(
            &post(
                &server,
                &format!("{path}?module=Nope"),
                STANDARD_TOKEN,
                &body,
            )
            .await,
            &golden("search_invalid_module"),
        );
        assert_golden(
            &post(
                &server,
                &format!("{path}?module=Nope"),
                AMELIA_TOKEN,
                &json!([]),
            )
            .await,
            &golden("search_invalid_module"),
        );
        // Scope before permission: Amelia without a settings scope.
        assert_golden(
            &post(&server, path, STANDARD_TOKEN, &json!([])).await,
            &golden("search_scope_mismatch"),
        );
        // Permission before the query and the body.
        assert_golden(
            &post(&server, &format!("{path}?page=0"), AMELIA_TOKEN, &json!([])).await,
            &golden("search_no_permission"),
        );
    }
}

#[tokio::test]
async fn search_and_summary_routes() {
    let server = TestServer::start().await;
    for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        assert_golden(
            &server
                .call(method, SEARCH, Some(ADMIN_TOKEN), Some("{}"))
                .await,
            &golden("invalid_request_method"),
        );
    }
    for method in ["PUT", "DELETE", "PATCH"] {
        assert_golden(
            &server.call(method, SUMMARY, Some(ADMIN_TOKEN), None).await,
            &golden("invalid_request_method"),
        );
    }
    // The method is checked before authentication.
    assert_golden(
        &server.call("GET", SEARCH, None, None).await,
        &golden("invalid_request_method"),
    );
}

// ================================================================ /oauth/user/info (spec §8)

async fn user_info(server: &TestServer, authorization: Option<&str>) -> Reply {
    let mut request = server.client.get(server.url(USER_INFO));
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    server.send(request).await
}

#[tokio::test]
async fn user_info_names_the_token_owner() {
    let server = TestServer::start().await;
    for header in [
        "Zoho-oauthtoken 1000.sandbox.admin",
        "zoho-OAUTHTOKEN   1000.sandbox.admin  ",
        "Bearer 1000.sandbox.admin",
        "bearer 1000.sandbox.patricia",
        // The scope is not checked: noshare has no profile scope.
        "Bearer 1000.sandbox.noshare",
    ] {
        assert_golden(
            &user_info(&server, Some(header)).await,
            &golden("user_info_admin"),
        );
    }
    // Query and body are ignored.
    let reply = server
        .send(
            server
                .client
                .get(server.url(&format!("{USER_INFO}?user=4150868000001199002&x")))
                .header("Authorization", "Zoho-oauthtoken 1000.sandbox.admin")
                .body("{\"Email\": \"ryan@zylker.com\"}"),
        )
        .await;
    assert_golden(&reply, &golden("user_info_admin"));
    assert_json(
        &user_info(&server, Some("Bearer 1000.sandbox.ryan")).await,
        200,
        &json!({"Display_Name": "Ryan Cole", "Email": "ryan@zylker.com", "First_Name": "Ryan", "Last_Name": "Cole", "ZUID": 701199002_u64}),
    );
    assert_json(
        &user_info(&server, Some("Zoho-oauthtoken 1000.sandbox.standard")).await,
        200,
        &json!({"Display_Name": "Amelia Burrows", "Email": "amelia@zylker.com", "First_Name": "Amelia", "Last_Name": "Burrows", "ZUID": 701199001_u64}),
    );
}

#[tokio::test]
async fn user_info_splits_the_full_name_and_reads_the_org_from_the_token() {
    let server = sandbox_and_acme(acme()).await;
    assert_json(
        &user_info(&server, Some("Bearer 1000.acme.cher")).await,
        200,
        &json!({"Display_Name": "Cher", "Email": "cher@acme.io", "First_Name": "Cher", "Last_Name": "", "ZUID": 700000102_u64}),
    );
    assert_json(
        &user_info(&server, Some("Zoho-oauthtoken 1000.acme.mary")).await,
        200,
        &json!({"Display_Name": "Mary Ann Smith", "Email": "mary@acme.io", "First_Name": "Mary", "Last_Name": "Ann Smith", "ZUID": 700000103_u64}),
    );
    // A token minted in acme for Bo answers Bo, whatever the sandbox holds.
    let token = mint_in(&server, "acme", ACME_BO, &[]).await;
    assert_json(
        &user_info(&server, Some(&format!("Bearer {token}"))).await,
        200,
        &json!({"Display_Name": "Bo Boss", "Email": "bo@acme.io", "First_Name": "Bo", "Last_Name": "Boss", "ZUID": 700000101_u64}),
    );
}

#[tokio::test]
async fn user_info_refuses_unusable_headers_and_dead_tokens() {
    let server = sandbox_and_acme(acme()).await;
    // A revoked access token (auth-and-errors.md §4.2).
    let revoked = mint(&server, RYAN, &["ZohoCRM.users.READ"]).await;
    let reply = server
        .send(
            server
                .client
                .post(server.url(&format!("/oauth/v2/token/revoke?token={revoked}"))),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let revoked_header = format!("Bearer {revoked}");
    let cases = [
        None,
        Some("Bearer 1000.sandbox.expired"),
        Some("Zoho-oauthtoken 1000.sandbox.expired"),
        Some("Bearer 1000.sandbox.nobody"),
        Some("Bearer"),
        Some("Bearer "),
        Some("Zoho-oauthtoken"),
        Some("Basic 1000.sandbox.admin"),
        Some("Bearer1000.sandbox.admin"),
        Some("1000.sandbox.admin"),
        // A user who is not active (acme's Dee is disabled).
        Some("Bearer 1000.acme.dee"),
        Some(revoked_header.as_str()),
    ];
    for header in cases {
        assert_golden(
            &user_info(&server, header).await,
            &golden("user_info_invalid_token"),
        );
    }
}

#[tokio::test]
async fn user_info_is_get_only_and_other_user_paths_are_misses() {
    let server = TestServer::start().await;
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        // The method is checked before the token.
        for token in [Some(ADMIN_TOKEN), None] {
            let reply = server.call(method, USER_INFO, token, None).await;
            assert_golden(&reply, &golden("user_info_method_not_allowed"));
            assert_eq!(
                reply.headers.get("allow").and_then(|v| v.to_str().ok()),
                Some("GET"),
                "{method}: Allow"
            );
        }
    }
    for path in [
        "/oauth/user/info/x",
        "/oauth/user",
        "/oauth/user/",
        "/oauth/user/info/",
    ] {
        assert_golden(
            &server.call("GET", path, Some(ADMIN_TOKEN), None).await,
            &golden("invalid_url_pattern"),
        );
    }
}

#[tokio::test]
async fn user_info_faults_answer_in_the_oauth_envelope() {
    let server = TestServer::start().await;
    add_fault(
        &server,
        json!({"method": "GET", "path": "/oauth/user/info", "status": 503, "times": 1}),
    )
    .await;
    assert_golden(
        &user_info(&server, Some("Bearer 1000.sandbox.admin")).await,
        &golden("user_info_fault"),
    );
    add_fault(
        &server,
        json!({"method": "*", "path": "/oauth/user/info", "status": 500, "code": "temporarily_unavailable", "times": 1}),
    )
    .await;
    assert_json(
        &user_info(&server, None).await,
        500,
        &json!({"error": "temporarily_unavailable"}),
    );
    assert_golden(
        &user_info(&server, Some("Bearer 1000.sandbox.admin")).await,
        &golden("user_info_admin"),
    );
}

/// The legacy SDK's flow (spec §8): the authorization-code grant with every parameter in the
/// query string and a `null` body without Content-Type, then the user info of the new token.
#[tokio::test]
async fn a_grant_code_token_finds_its_email() {
    let server = TestServer::start().await;
    let reply = server
        .admin(
            "POST",
            "/__admin/grant-codes",
            Some(
                json!({"org": "zylker", "client_id": "1000.SANDBOXCLIENT", "user": OLIVIA,
                        "scopes": ["ZohoCRM.users.ALL", "AaaServer.profile.READ"]}),
            ),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let code = reply.json()["code"].as_str().expect("a code").to_owned();
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("client_id", "1000.SANDBOXCLIENT")
        .append_pair("client_secret", "sandbox-secret")
        .append_pair("redirect_uri", "http://localhost/callback")
        .append_pair("code", &code)
        .finish();
    let reply = server
        .send(
            server
                .client
                .post(server.url(&format!("/oauth/v2/token?{query}")))
                .body("null"),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let access = reply.json()["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("an access token: {}", reply.text()))
        .to_owned();
    assert_json(
        &user_info(&server, Some(&format!("Zoho-oauthtoken {access}"))).await,
        200,
        &json!({"Display_Name": "Olivia Grant", "Email": "olivia@zylker.com", "First_Name": "Olivia", "Last_Name": "Grant", "ZUID": 701199003_u64}),
    );
}

// ================================================================ routes (spec §1, §9)

#[tokio::test]
async fn new_routes_take_get_only() {
    let server = TestServer::start().await;
    let paths = [
        format!("{USERS}/{RYAN}"),
        ROLES.to_owned(),
        format!("{ROLES}/{CEO}"),
        GROUPS.to_owned(),
        format!("{GROUPS}/{SALES}"),
        format!("{GROUPS}/{SALES}/sources"),
        format!("{GROUPS}/{SALES}/actions/sources_count"),
        PROFILES.to_owned(),
        format!("{PROFILES}/{STANDARD_PROFILE}"),
    ];
    // Methods Zoho documents for none of these paths (its writes are provisional here).
    for path in &paths {
        for method in ["PATCH", "OPTIONS"] {
            for token in [Some(ADMIN_TOKEN), None] {
                assert_golden(
                    &server.call(method, path, token, None).await,
                    &golden("invalid_request_method"),
                );
            }
        }
        let reply = server.call("HEAD", path, Some(ADMIN_TOKEN), None).await;
        assert_eq!(reply.status, 400, "HEAD {path}");
    }
}

#[tokio::test]
async fn near_misses_of_the_new_routes() {
    let server = TestServer::start().await;
    for path in [
        "/crm/v8/settings/roles/",
        "/crm/v8/settings/roles/4150868000000026005/x",
        "/crm/v9/settings/roles",
        "/crm/V8/settings/profiles",
        "/crm/v8/settings/user_groups/4150868000000232001/sources/x",
        "/crm/v8/settings/user_groups/4150868000000232001/actions/nope",
        "/crm/v8/settings/user_groups/4150868000000232001/actions",
        "/crm/v8/settings/profiles/3602353000000026001/permissions",
        "/crm/v8/users/",
        "/crm/v8/users/4150868000001199002/x",
        "/crm/v8/settings/role",
    ] {
        for token in [Some(ADMIN_TOKEN), None] {
            assert_golden(
                &server.call("GET", path, token, None).await,
                "common/invalid_url_pattern.json",
            );
        }
    }
}

// ================================================================ the sandbox (DESIGN §4)

/// The seven per-user tokens: (token, user id, email, role, profile).
const PER_USER_TOKENS: [(&str, &str, &str, &str, &str); 7] = [
    (
        "patricia",
        PATRICIA,
        "patricia@zylker.com",
        CEO,
        "Administrator",
    ),
    ("amelia", AMELIA, "amelia@zylker.com", SALES_REP, "Standard"),
    ("ryan", RYAN, "ryan@zylker.com", SALES_REP, "Standard"),
    ("olivia", OLIVIA, "olivia@zylker.com", MANAGER, "Standard"),
    (
        "sophia",
        SOPHIA,
        "sophia@zylker.com",
        SALES_REP,
        "Read Only",
    ),
    ("emma", EMMA, "emma@zylker.com", SUPPORT_AGENT, "Standard"),
    (
        "lucas",
        LUCAS,
        "lucas@zylker.com",
        SUPPORT_AGENT,
        "Standard",
    ),
];

const PER_USER_SCOPES: [&str; 5] = [
    "ZohoCRM.modules.ALL",
    "ZohoCRM.share.ALL",
    "ZohoCRM.settings.ALL",
    "ZohoCRM.users.ALL",
    "ZohoCRM.org.ALL",
];

#[tokio::test]
async fn sandbox_exports_the_role_tree_groups_and_profiles() {
    let server = TestServer::start().await;
    let state = server.state().await;
    let org = &state["orgs"][0];
    assert_eq!(org["id"], "zylker");
    assert_eq!(org["hierarchy_preference"], "role");
    assert_eq!(
        org["roles"],
        json!([
            {"id": CEO, "name": "CEO", "reporting_to": null, "share_with_peers": false, "description": null},
            {"id": MANAGER, "name": "Manager", "reporting_to": CEO, "share_with_peers": false, "description": null},
            {"id": SALES_REP, "name": "Sales Rep", "reporting_to": MANAGER, "share_with_peers": false, "description": null},
            {"id": SUPPORT_AGENT, "name": "Support Agent", "reporting_to": MANAGER, "share_with_peers": true, "description": null}
        ])
    );
    assert_eq!(
        org["groups"],
        json!([
            {"id": SALES, "name": "Sales", "description": null,
             "sources": [{"type": "users", "id": AMELIA}, {"type": "users", "id": RYAN},
                         {"type": "users", "id": "4150868000001199004"}, {"type": "users", "id": SOPHIA}]},
            {"id": SUPPORT, "name": "Support", "description": null,
             "sources": [{"type": "roles", "id": SUPPORT_AGENT, "subordinates": false}]},
            {"id": MANAGEMENT, "name": "Management", "description": null,
             "sources": [{"type": "users", "id": PATRICIA}, {"type": "roles", "id": MANAGER, "subordinates": false}]}
        ])
    );
    assert_eq!(
        org["profiles"],
        json!([
            {"id": ADMINISTRATOR_PROFILE, "name": "Administrator", "description": null, "permissions": {}},
            {"id": STANDARD_PROFILE, "name": "Standard", "description": null, "permissions": {}},
            {"id": READ_ONLY_PROFILE, "name": "Read Only", "description": "View every module, change nothing",
             "permissions": {"*": {"view": true, "create": false, "edit": false, "delete": false}}}
        ])
    );
}

#[tokio::test]
async fn sandbox_users_gain_reporting_lines_and_sophia_is_read_only() {
    let server = TestServer::start().await;
    let state = server.state().await;
    let lines: Vec<(String, Value, String)> = state["orgs"][0]["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| {
            (
                u["id"].as_str().unwrap().to_owned(),
                u["reporting_to"].clone(),
                u["profile"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut expected = vec![
        (PATRICIA.to_owned(), Value::Null, "Administrator".to_owned()),
        (AMELIA.to_owned(), json!(OLIVIA), "Standard".to_owned()),
        (RYAN.to_owned(), json!(AMELIA), "Standard".to_owned()),
        (OLIVIA.to_owned(), json!(PATRICIA), "Standard".to_owned()),
    ];
    for n in 4..=13 {
        let id = format!("41508680000011990{n:02}");
        let profile = if id == SOPHIA {
            "Read Only"
        } else {
            "Standard"
        };
        expected.push((id, json!(OLIVIA), profile.to_owned()));
    }
    expected.push((DEREK.to_owned(), json!(OLIVIA), "Standard".to_owned()));
    assert_eq!(lines, expected);
}

#[tokio::test]
async fn sandbox_records_gain_fields_and_times() {
    let server = TestServer::start().await;
    let state = server.state().await;
    let records = state["orgs"][0]["records"]
        .as_array()
        .expect("records")
        .clone();
    let by_id = |id: &str| {
        records
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("record {id}"))
            .clone()
    };
    assert_eq!(
        by_id("4150868000001148212"),
        json!({"module": "Leads", "id": "4150868000001148212", "owner": PATRICIA,
               "fields": {"City": "Chennai", "Company": "Zylker Freight", "First_Name": "Kevin", "Last_Name": "Patel"},
               "created_time": "2026-11-01T09:00:00+00:00", "modified_time": "2026-11-01T09:00:00+00:00",
               "created_by": PATRICIA, "modified_by": PATRICIA})
    );
    let table = [
        (
            "Leads",
            "4150868000001148212",
            PATRICIA,
            json!({"City": "Chennai", "Company": "Zylker Freight", "First_Name": "Kevin", "Last_Name": "Patel"}),
        ),
        (
            "Leads",
            "4150868000001148213",
            AMELIA,
            json!({"City": "Austin", "Company": "Orbit Labs", "First_Name": "Nina", "Last_Name": "Ross"}),
        ),
        (
            "Contacts",
            "4150868000001148230",
            PATRICIA,
            json!({"First_Name": "Rahul", "Last_Name": "Iyer", "Mailing_City": "Bengaluru"}),
        ),
        (
            "Contacts",
            "4150868000001148347",
            PATRICIA,
            json!({"First_Name": "Priya", "Last_Name": "Raman", "Mailing_City": "Chennai"}),
        ),
        (
            "Accounts",
            "4150868000001148240",
            PATRICIA,
            json!({"Account_Name": "Zylker Freight"}),
        ),
        (
            "Deals",
            "4150868000001148250",
            PATRICIA,
            json!({"Amount": 48000, "Deal_Name": "Zylker Freight renewal", "Stage": "Negotiation/Review"}),
        ),
        (
            "Deals",
            "4150868000001148251",
            AMELIA,
            json!({"Amount": 12000, "Deal_Name": "Orbit Labs pilot", "Stage": "Qualification"}),
        ),
        (
            "Products",
            "4150868000001148260",
            PATRICIA,
            json!({"Product_Name": "Fleet Tracker"}),
        ),
        (
            "Quotes",
            "4150868000001148270",
            PATRICIA,
            json!({"Subject": "Fleet Tracker quote"}),
        ),
        (
            "Sales_Orders",
            "4150868000001148280",
            PATRICIA,
            json!({"Subject": "Fleet Tracker order"}),
        ),
        (
            "Purchase_Orders",
            "4150868000001148290",
            PATRICIA,
            json!({"Subject": "GPS units"}),
        ),
        (
            "Invoices",
            "4150868000001148300",
            PATRICIA,
            json!({"Subject": "Fleet Tracker invoice"}),
        ),
        (
            "Campaigns",
            "4150868000001148310",
            PATRICIA,
            json!({"Campaign_Name": "Spring webinar"}),
        ),
        (
            "Vendors",
            "4150868000001148320",
            PATRICIA,
            json!({"Vendor_Name": "Sensorix"}),
        ),
        (
            "Price_Books",
            "4150868000001148330",
            PATRICIA,
            json!({"Price_Book_Name": "Wholesale 2026"}),
        ),
        (
            "Cases",
            "4150868000001148340",
            PATRICIA,
            json!({"Status": "New", "Subject": "Billing question"}),
        ),
        (
            "Cases",
            "4150868000001148341",
            EMMA,
            json!({"Status": "Escalated", "Subject": "Tracker offline"}),
        ),
        (
            "Solutions",
            "4150868000001148350",
            PATRICIA,
            json!({"Solution_Title": "Reset the tracker"}),
        ),
        (
            "Properties",
            "4150868000001148360",
            PATRICIA,
            json!({"Name": "Harbour View"}),
        ),
        (
            "Tasks",
            "4150868000001148370",
            PATRICIA,
            json!({"Subject": "Call Kevin Patel"}),
        ),
    ];
    assert_eq!(records.len(), table.len(), "one new record, Emma's case");
    for (module, id, owner, fields) in table {
        let record = by_id(id);
        assert_eq!(record["module"], module, "{id}");
        assert_eq!(record["owner"], owner, "{id}");
        assert_eq!(record["fields"], fields, "{id}");
        for key in ["created_time", "modified_time"] {
            assert_eq!(record[key], "2026-11-01T09:00:00+00:00", "{id} {key}");
        }
        for key in ["created_by", "modified_by"] {
            assert_eq!(record[key], owner, "{id} {key}");
        }
    }
}

#[tokio::test]
async fn sandbox_has_a_token_per_user_after_the_four_credentials() {
    let server = TestServer::start().await;
    let state = server.state().await;
    let tokens = state["orgs"][0]["tokens"]
        .as_array()
        .expect("tokens")
        .clone();
    assert_eq!(
        tokens.len(),
        11,
        "the four credentials, then seven per-user tokens"
    );
    let firsts: Vec<&str> = tokens[..4]
        .iter()
        .map(|t| t["access_token"].as_str().unwrap())
        .collect();
    assert_eq!(
        firsts,
        [ADMIN_TOKEN, NOSHARE_TOKEN, STANDARD_TOKEN, EXPIRED_TOKEN]
    );
    for (token, (label, user, email, role, profile)) in tokens[4..].iter().zip(PER_USER_TOKENS) {
        let access = format!("1000.sandbox.{label}");
        assert_eq!(
            token,
            &json!({"access_token": access, "user": user, "scopes": PER_USER_SCOPES,
                    "expires_at": null, "revoked": false, "refresh_token": null, "label": label})
        );
        // The token works and acts as its user.
        let reply = user_info(&server, Some(&format!("Zoho-oauthtoken {access}"))).await;
        assert_eq!(reply.status, 200, "{access}: {}", reply.text());
        assert_eq!(reply.json()["Email"], email);
        let reply = server
            .get(&format!("{USERS}?type=CurrentUser"), &access)
            .await;
        let me = &reply.json()["users"][0];
        assert_eq!(me["id"], user, "{access}");
        assert_eq!(me["role"]["id"], role, "{access}");
        assert_eq!(me["profile"]["name"], profile, "{access}");
    }
}

#[tokio::test]
async fn an_org_copy_gets_fresh_per_user_tokens() {
    let server = TestServer::start().await;
    let reply = server.admin("POST", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let copy = reply.json();
    let tokens = copy["tokens"].as_array().expect("tokens").clone();
    assert_eq!(tokens.len(), 11);
    for (token, (label, user, email, _, _)) in tokens[4..].iter().zip(PER_USER_TOKENS) {
        let access = token["access_token"].as_str().unwrap();
        assert!(!access.starts_with("1000.sandbox."), "{access}");
        assert_eq!(token["user"], user);
        assert_eq!(token["label"], label);
        let reply = user_info(&server, Some(&format!("Bearer {access}"))).await;
        assert_eq!(reply.json()["Email"], email, "{}", reply.text());
    }
    // The copy's Ryan reads the copy's Ryan, with his reporting line.
    let ryan = tokens[6]["access_token"].as_str().unwrap();
    assert_golden(
        &server.get(&format!("{USERS}/{RYAN}"), ryan).await,
        &golden("user_ryan"),
    );
}

// ================================================================ fixture keys: export (DESIGN §3)

#[tokio::test]
async fn export_writes_every_access_key_with_its_default() {
    let server = TestServer::with_fixture(&doc(json!([acme()]))).await;
    let exported = server.admin("GET", "/__admin/state", None).await;
    assert_eq!(exported.status, 200);
    let state = exported.json();
    let org = &state["orgs"][0];
    assert_eq!(org["hierarchy_preference"], "role");
    assert_eq!(
        org["profiles"],
        json!([
            {"id": "3602353000000026001", "name": "Administrator", "description": null, "permissions": {}},
            {"id": "3602353000000026002", "name": "Crew Member", "description": null, "permissions": {}}
        ])
    );
    assert_eq!(
        org["roles"],
        json!([
            {"id": ACME_BOSS_ROLE, "name": "Boss", "reporting_to": null, "share_with_peers": true, "description": "Runs it"},
            {"id": ACME_CREW_ROLE, "name": "Crew", "reporting_to": ACME_BOSS_ROLE, "share_with_peers": false, "description": null}
        ])
    );
    let reporting: Vec<Value> = org["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["reporting_to"].clone())
        .collect();
    assert_eq!(
        reporting,
        [
            Value::Null,
            json!(ACME_BO),
            json!(ACME_CHER),
            json!(ACME_BO)
        ]
    );
    // members are written as sources, never as members.
    assert_eq!(
        org["groups"],
        json!([{"id": ACME_GROUP, "name": "Everyone", "description": null,
                "sources": [{"type": "users", "id": ACME_BO}, {"type": "users", "id": ACME_CHER},
                            {"type": "users", "id": ACME_DEE}]}])
    );
    assert_eq!(
        org["records"],
        json!([{"module": "Leads", "id": ACME_LEAD, "owner": ACME_CHER, "fields": {},
                "created_time": "2026-01-01T00:00:00+00:00", "modified_time": "2026-01-01T00:00:00+00:00",
                "created_by": ACME_CHER, "modified_by": ACME_CHER}])
    );
    // Export -> import -> export is lossless.
    let reply = put_state(&server, &state).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_eq!(
        server.admin("GET", "/__admin/state", None).await.text(),
        exported.text()
    );
}

#[tokio::test]
async fn export_keeps_declared_access_keys() {
    let mut org = acme();
    org["hierarchy_preference"] = json!("reporting");
    org["custom_modules"] = json!([{"api_name": "Boats", "id": "5000000000000000401"}]);
    org["profiles"] = json!([
        {"id": "5000000000000000301", "name": "Administrator", "description": "All of it", "permissions": {"*": {"view": true}}},
        {"id": "5000000000000000302", "name": "Crew Member", "description": null,
         "permissions": {"*": {"delete": false}, "Boats": {"view": false, "create": false, "edit": false, "delete": false}}}
    ]);
    org["groups"] = json!([{"id": ACME_GROUP, "name": "Everyone", "description": "All hands",
        "sources": [{"type": "roles", "id": ACME_BOSS_ROLE, "subordinates": true}, {"type": "users", "id": ACME_DEE}]}]);
    org["records"][0]["fields"] = json!({"Last_Name": "Hook", "Score": [1, {"a": null}]});
    org["records"][0]["created_time"] = json!("2026-03-04T05:06:07+00:00");
    org["records"][0]["modified_time"] = json!("2026-03-05T05:06:07+00:00");
    org["records"][0]["created_by"] = json!(ACME_BO);
    org["records"][0]["modified_by"] = json!(ACME_MARY);
    let server = TestServer::with_fixture(&doc(json!([org.clone()]))).await;
    let exported = server.admin("GET", "/__admin/state", None).await;
    let state = exported.json();
    let out = &state["orgs"][0];
    for key in [
        "hierarchy_preference",
        "profiles",
        "groups",
        "custom_modules",
    ] {
        assert_eq!(out[key], org[key], "{key}");
    }
    for key in [
        "fields",
        "created_time",
        "modified_time",
        "created_by",
        "modified_by",
    ] {
        assert_eq!(
            out["records"][0][key], org["records"][0][key],
            "record {key}"
        );
    }
    let reply = put_state(&server, &state).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_eq!(
        server.admin("GET", "/__admin/state", None).await.text(),
        exported.text()
    );
    // The Boats permissions show in the profile (custom modules after the registry).
    let reply = server
        .get(&format!("{PROFILES}/5000000000000000302"), ACME_BOSS_TOKEN)
        .await;
    let details = reply.json()["profiles"][0]["permissions_details"].clone();
    assert_eq!(
        details.as_array().map(Vec::len),
        Some(72),
        "{}",
        reply.text()
    );
    assert_eq!(
        details[68],
        json!({"display_label": "View", "enabled": false, "id": "3602353000000101801", "module": "Boats", "name": "Crm_Implied_View_Boats"})
    );
}

// ================================================================ fixture keys: validation (DESIGN §3)

/// A valid document whose indexes match the example messages of DESIGN §3's validation table.
fn validation_doc() -> Value {
    let user = |id: &str, role: &str, profile: &str, to: Value| {
        json!({"id": id, "email": format!("u{id}@val.io"), "full_name": format!("User {id}"),
               "role": role, "profile": profile, "status": "active", "reporting_to": to})
    };
    let record = |module: &str, id: &str| {
        json!({"module": module, "id": id, "owner": "101", "fields": {"Subject": "s"},
               "created_time": "2026-11-01T09:00:00+00:00", "created_by": "101"})
    };
    json!({"orgs": [{
        "id": "val",
        "name": "Validation",
        "hierarchy_preference": "role",
        "custom_modules": [{"api_name": "Boats", "id": "401"}],
        "profiles": [
            {"id": "3602353000000026001", "name": "Administrator"},
            {"id": "3602353000000026002", "name": "Standard", "permissions": {"Boats": {"delete": false}}},
            {"id": "3602353000000026003", "name": "Read Only",
             "permissions": {"*": {"view": true, "create": false, "edit": false, "delete": false}}}
        ],
        "roles": [
            {"id": CEO, "name": "CEO", "reporting_to": null},
            {"id": MANAGER, "name": "Manager", "reporting_to": CEO},
            {"id": SALES_REP, "name": "Sales Rep", "reporting_to": MANAGER},
            {"id": SUPPORT_AGENT, "name": "Support Agent", "reporting_to": MANAGER, "share_with_peers": true}
        ],
        "users": [
            user("101", CEO, "Administrator", Value::Null),
            user("102", MANAGER, "Standard", json!("101")),
            user("103", SALES_REP, "Standard", json!("102")),
            user("104", SALES_REP, "Standard", json!("102")),
            user("105", SUPPORT_AGENT, "Read Only", json!("102"))
        ],
        "groups": [
            {"id": "301", "name": "One", "sources": [{"type": "users", "id": "103"}]},
            {"id": "302", "name": "Two", "sources": [{"type": "roles", "id": SALES_REP, "subordinates": true}]}
        ],
        "records": [record("Leads", "201"), record("Contacts", "202"), record("Deals", "203"),
                    record("Cases", "204"), record("Boats", "205"), record("Leads", "206")],
        "tokens": [{"access_token": "1000.val.admin", "user": "101", "scopes": ["ZohoCRM.settings.ALL", "ZohoCRM.users.READ"]}]
    }]})
}

/// Sets `pointer` (a JSON pointer into the document) to `value`, adding an object key if needed.
fn set(target: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    match target
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{pointer}"))
    {
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().expect("an index")] = value,
        _ => panic!("{pointer}: not a container"),
    }
}

enum Expect {
    /// The message of DESIGN §3's table, byte for byte.
    Exact(&'static str),
    /// The table gives no example for this case: the JSON path (or one below it), then the text.
    Path(&'static str),
}

#[tokio::test]
async fn fixture_validation_names_the_json_path() {
    let base = validation_doc();
    let server = TestServer::with_fixture(&base.to_string()).await;
    let before = server.admin("GET", "/__admin/state", None).await.text();
    let o = "/orgs/0";
    let cases: Vec<(Vec<(String, Value)>, Expect)> = vec![
        (
            vec![(format!("{o}/hierarchy_preference"), json!("peers"))],
            Expect::Exact("$.orgs[0].hierarchy_preference: expected \"role\" or \"reporting\""),
        ),
        (
            vec![(format!("{o}/hierarchy_preference"), json!("Role"))],
            Expect::Path("$.orgs[0].hierarchy_preference"),
        ),
        // Roles' reporting_to: a loop, an unknown role, the role itself, a user's id.
        (
            vec![
                (format!("{o}/roles/2/reporting_to"), json!(SUPPORT_AGENT)),
                (format!("{o}/roles/3/reporting_to"), json!(SALES_REP)),
            ],
            Expect::Exact(
                "$.orgs[0].roles[2].reporting_to: reporting line loops back to \"4150868000000026007\"",
            ),
        ),
        (
            vec![(format!("{o}/roles/1/reporting_to"), json!("999"))],
            Expect::Path("$.orgs[0].roles[1].reporting_to"),
        ),
        (
            vec![(format!("{o}/roles/1/reporting_to"), json!(MANAGER))],
            Expect::Path("$.orgs[0].roles[1].reporting_to"),
        ),
        (
            vec![(format!("{o}/roles/1/reporting_to"), json!("101"))],
            Expect::Path("$.orgs[0].roles[1].reporting_to"),
        ),
        (
            vec![(format!("{o}/roles/1/share_with_peers"), json!("yes"))],
            Expect::Path("$.orgs[0].roles[1].share_with_peers"),
        ),
        // Users' reporting_to: unknown, the user itself, a loop, a role's id.
        (
            vec![(format!("{o}/users/3/reporting_to"), json!("41"))],
            Expect::Exact("$.orgs[0].users[3].reporting_to: unknown users id \"41\""),
        ),
        (
            vec![(format!("{o}/users/3/reporting_to"), json!("104"))],
            Expect::Path("$.orgs[0].users[3].reporting_to"),
        ),
        (
            vec![(format!("{o}/users/1/reporting_to"), json!("103"))],
            Expect::Path("$.orgs[0].users[1].reporting_to"),
        ),
        (
            vec![(format!("{o}/users/3/reporting_to"), json!(CEO))],
            Expect::Path("$.orgs[0].users[3].reporting_to"),
        ),
        // Groups' sources.
        (
            vec![(format!("{o}/groups/1/members"), json!(["103"]))],
            Expect::Path("$.orgs[0].groups[1]"),
        ),
        (
            vec![(format!("{o}/groups/1/sources/0/type"), json!("territories"))],
            Expect::Exact("$.orgs[0].groups[1].sources[0].type: expected \"users\" or \"roles\""),
        ),
        (
            vec![(
                format!("{o}/groups/1/sources/0"),
                json!({"type": "roles", "id": "999"}),
            )],
            Expect::Path("$.orgs[0].groups[1].sources[0].id"),
        ),
        (
            vec![(
                format!("{o}/groups/1/sources/0"),
                json!({"type": "users", "id": SALES_REP}),
            )],
            Expect::Path("$.orgs[0].groups[1].sources[0].id"),
        ),
        (
            vec![(
                format!("{o}/groups/1/sources/0"),
                json!({"type": "users", "id": "103", "subordinates": true}),
            )],
            Expect::Path("$.orgs[0].groups[1].sources[0].subordinates"),
        ),
        (
            vec![(
                format!("{o}/groups/1/sources"),
                json!([
                {"type": "roles", "id": SALES_REP, "subordinates": true},
                {"type": "roles", "id": SALES_REP, "subordinates": true}]),
            )],
            Expect::Path("$.orgs[0].groups[1].sources[1]"),
        ),
        // Profiles.
        (
            vec![
                (format!("{o}/profiles/2/name"), json!("Standard")),
                (format!("{o}/users/4/profile"), json!("Standard")),
            ],
            Expect::Exact("$.orgs[0].profiles[2].name: duplicate profile name \"Standard\""),
        ),
        (
            vec![(format!("{o}/profiles/2/id"), json!("3602353000000026002"))],
            Expect::Path("$.orgs[0].profiles[2].id"),
        ),
        (
            vec![(format!("{o}/profiles/2/id"), json!("RO-1"))],
            Expect::Path("$.orgs[0].profiles[2].id"),
        ),
        (
            vec![
                (format!("{o}/profiles/2/name"), json!("")),
                (format!("{o}/users/4/profile"), json!("Standard")),
            ],
            Expect::Path("$.orgs[0].profiles[2].name"),
        ),
        (
            vec![(
                format!("{o}/profiles/2/permissions"),
                json!({"Meetings": {"view": true}}),
            )],
            Expect::Exact("$.orgs[0].profiles[2].permissions.Meetings: unknown module"),
        ),
        (
            vec![(
                format!("{o}/profiles/2/permissions"),
                json!({"leads": {"view": true}}),
            )],
            Expect::Path("$.orgs[0].profiles[2].permissions.leads"),
        ),
        (
            vec![(
                format!("{o}/profiles/2/permissions"),
                json!({"Leads": {"view": "yes"}}),
            )],
            Expect::Path("$.orgs[0].profiles[2].permissions.Leads"),
        ),
        (
            vec![(
                format!("{o}/profiles/2/permissions"),
                json!({"Leads": {"view": false, "create": true, "edit": false, "delete": false}}),
            )],
            Expect::Exact("$.orgs[0].profiles[2].permissions.Leads: create without view"),
        ),
        (
            vec![(
                format!("{o}/profiles/2/permissions"),
                json!({"Leads": {"view": false, "create": false, "edit": true, "delete": false}}),
            )],
            Expect::Path("$.orgs[0].profiles[2].permissions.Leads"),
        ),
        (
            vec![(
                format!("{o}/profiles/2/permissions"),
                json!({"*": {"view": true}, "Boats": {"view": false}}),
            )],
            Expect::Path("$.orgs[0].profiles[2].permissions.Boats"),
        ),
        (
            vec![(
                format!("{o}/profiles/0/permissions"),
                json!({"Leads": {"delete": false}}),
            )],
            Expect::Exact(
                "$.orgs[0].profiles[0].permissions: the Administrator profile cannot be restricted",
            ),
        ),
        (
            vec![(
                format!("{o}/profiles/0/permissions"),
                json!({"*": {"view": false, "create": false, "edit": false, "delete": false}}),
            )],
            Expect::Exact(
                "$.orgs[0].profiles[0].permissions: the Administrator profile cannot be restricted",
            ),
        ),
        (
            vec![(format!("{o}/users/4/profile"), json!("Sales Manager"))],
            Expect::Exact("$.orgs[0].users[4].profile: unknown profile \"Sales Manager\""),
        ),
        // Records' fields and times.
        (
            vec![(format!("{o}/records/5/fields"), json!(["Subject"]))],
            Expect::Path("$.orgs[0].records[5].fields"),
        ),
        (
            vec![(format!("{o}/records/5/fields"), json!({"Owner": "101"}))],
            Expect::Exact("$.orgs[0].records[5].fields.Owner: system key, set \"owner\" instead"),
        ),
        (
            vec![(format!("{o}/records/5/fields"), json!({"": 1}))],
            Expect::Path("$.orgs[0].records[5].fields"),
        ),
        (
            vec![(
                format!("{o}/records/5/fields"),
                json!({"$se_module": "Leads"}),
            )],
            Expect::Path("$.orgs[0].records[5].fields"),
        ),
        (
            vec![(format!("{o}/records/5/fields"), json!({"id": "206"}))],
            Expect::Path("$.orgs[0].records[5].fields.id"),
        ),
        (
            vec![(
                format!("{o}/records/5/fields"),
                json!({"Created_Time": "2026-11-01T09:00:00+00:00"}),
            )],
            Expect::Path("$.orgs[0].records[5].fields.Created_Time"),
        ),
        (
            vec![(
                format!("{o}/records/5/fields"),
                json!({"Modified_Time": "2026-11-01T09:00:00+00:00"}),
            )],
            Expect::Path("$.orgs[0].records[5].fields.Modified_Time"),
        ),
        (
            vec![(
                format!("{o}/records/5/fields"),
                json!({"Created_By": "101"}),
            )],
            Expect::Path("$.orgs[0].records[5].fields.Created_By"),
        ),
        (
            vec![(
                format!("{o}/records/5/fields"),
                json!({"Modified_By": "101"}),
            )],
            Expect::Path("$.orgs[0].records[5].fields.Modified_By"),
        ),
        (
            vec![(format!("{o}/records/5/created_by"), json!("41"))],
            Expect::Exact("$.orgs[0].records[5].created_by: unknown users id \"41\""),
        ),
        (
            vec![(format!("{o}/records/5/modified_by"), json!("41"))],
            Expect::Path("$.orgs[0].records[5].modified_by"),
        ),
        (
            vec![(
                format!("{o}/records/5/created_time"),
                json!("2026-11-01T09:00:00"),
            )],
            Expect::Path("$.orgs[0].records[5].created_time"),
        ),
        (
            vec![(format!("{o}/records/5/modified_time"), json!("yesterday"))],
            Expect::Path("$.orgs[0].records[5].modified_time"),
        ),
    ];
    for (changes, expected) in cases {
        let mut bad = base.clone();
        for (pointer, value) in &changes {
            set(&mut bad, pointer, value.clone());
        }
        let reply = put_state(&server, &bad).await;
        assert_eq!(reply.status, 400, "{changes:?}: {}", reply.text());
        let message = reply.json()["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{changes:?}: {}", reply.text()))
            .to_owned();
        match expected {
            Expect::Exact(text) => assert_eq!(message, text, "{changes:?}"),
            // The path itself or a deeper one (`.view`, `[0]`), then the text.
            Expect::Path(path) => assert!(
                message
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with([':', '.', '['])),
                "{changes:?}: {message:?} should name {path}"
            ),
        }
    }
    assert_eq!(
        server.admin("GET", "/__admin/state", None).await.text(),
        before,
        "a refused document changes nothing"
    );
    // The valid base is served as loaded.
    let reply = server.get(&format!("{USERS}/105"), "1000.val.admin").await;
    assert_eq!(
        reply.json()["users"][0]["profile"],
        json!({"id": READ_ONLY_PROFILE, "name": "Read Only"})
    );
}

#[tokio::test]
async fn the_reporting_preference_loads_and_exports() {
    let mut org = acme();
    org["hierarchy_preference"] = json!("reporting");
    let server = TestServer::with_fixture(&doc(json!([org]))).await;
    assert_eq!(
        server.state().await["orgs"][0]["hierarchy_preference"],
        "reporting"
    );
    // Reporting lines read the same whichever preference the org has.
    let reply = server
        .get(&format!("{USERS}/{ACME_MARY}"), ACME_BOSS_TOKEN)
        .await;
    assert_eq!(
        reply.json()["users"][0]["Reporting_To"],
        json!({"id": ACME_CHER, "name": "Cher"})
    );
}

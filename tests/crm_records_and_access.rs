//! Black-box tests of the Records API and of effective record access (spec
//! crm-records-and-access.md): every row of its §13 error tables in the processing order of §2,
//! every worked example of §15, the record bodies, paging and sorting of §3-§8, hidden and
//! read-only records (§9), the SDKs' metadata calls (§10), `shared_through.name` (§11), the admin
//! explain endpoint (§12), the sandbox's "who sees what" table (DESIGN.md §4) through the explain
//! endpoint and the Records API, and the fixture keys, validation and export of DESIGN.md §3.
//!
//! Golden files are under `tests/golden/crm/records_and_access/`. Ids the mock generates are not
//! fixed by the spec, so goldens that show one use the spec's example id and the test maps the
//! generated id onto it (`assert_golden_as`).

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{Value, json};
use support::*;
use zoho_sharing_mock::MockServer;

// ---- the sandbox (DESIGN.md §4) ----

const ORG: &str = "zylker";

const PATRICIA: &str = "4150868000001174048";
const AMELIA: &str = "4150868000001199001";
const RYAN: &str = "4150868000001199002";
const OLIVIA: &str = "4150868000001199003";
const SOPHIA: &str = "4150868000001199005";
const EMMA: &str = "4150868000001199007";
const LUCAS: &str = "4150868000001199008";
const CHLOE: &str = "4150868000001199011";
const MASON: &str = "4150868000001199012";
const DEREK_DISABLED: &str = "4150868000001199099";

const PATRICIA_T: &str = "1000.sandbox.patricia";
const AMELIA_T: &str = "1000.sandbox.amelia";
const RYAN_T: &str = "1000.sandbox.ryan";
const OLIVIA_T: &str = "1000.sandbox.olivia";
const SOPHIA_T: &str = "1000.sandbox.sophia";
const EMMA_T: &str = "1000.sandbox.emma";
const LUCAS_T: &str = "1000.sandbox.lucas";

const MANAGER_ROLE: &str = "4150868000000026006";
const SALES_REP_ROLE: &str = "4150868000000026007";
const SUPPORT_AGENT_ROLE: &str = "4150868000000026008";
const SALES_GROUP: &str = "4150868000000232001";
const SUPPORT_GROUP: &str = "4150868000000232002";

const ADMINISTRATOR_PROFILE: &str = "3602353000000026001";
const STANDARD_PROFILE: &str = "3602353000000026002";
const READ_ONLY_PROFILE: &str = "3602353000000026003";

const LEADS_TO_SALES: &str = "2276164000002052006";
const MANAGER_LEADS_TO_SALES_REPS: &str = "2276164000002052011";
const CHENNAI_CONTACTS: &str = "2276164000002052015";
const SALES_DEALS_TO_SUPPORT: &str = "2276164000002052019";

/// Patricia's lead "Kevin Patel" (City Chennai).
const LEAD_212: &str = "4150868000001148212";
/// Amelia's lead "Nina Ross" (City Austin).
const LEAD_213: &str = "4150868000001148213";
/// Patricia's contact in Bengaluru, shared with Amelia read_only.
const CONTACT_230: &str = "4150868000001148230";
/// Patricia's contact in Chennai (the criteria rule matches it).
const CONTACT_347: &str = "4150868000001148347";
/// Patricia's account, shared with the Sales Rep role read_only.
const ACCOUNT_240: &str = "4150868000001148240";
/// Patricia's deal, shared with Ryan full_access and with the Sales group read_write.
const DEAL_250: &str = "4150868000001148250";
/// Amelia's deal (Stage Qualification).
const DEAL_251: &str = "4150868000001148251";
/// Patricia's campaign: org-wide public_read_only, and a public read_only share.
const CAMPAIGN_310: &str = "4150868000001148310";
/// Patricia's case.
const CASE_340: &str = "4150868000001148340";
/// Emma's case (the record DESIGN.md §4 adds).
const CASE_341: &str = "4150868000001148341";
const PROPERTY_360: &str = "4150868000001148360";
const TASK_370: &str = "4150868000001148370";
const UNKNOWN_RECORD: &str = "4150868000009999999";

const LEADS_ID: &str = "3602353000000000125";
const CAMPAIGNS_ID: &str = "3602353000000000133";

const ALL_SCOPES: [&str; 5] = [
    "ZohoCRM.modules.ALL",
    "ZohoCRM.share.ALL",
    "ZohoCRM.settings.ALL",
    "ZohoCRM.users.ALL",
    "ZohoCRM.org.ALL",
];

const T_EXAMPLES: &str = "2026-11-21T09:30:00+00:00";
const T_FIXTURE: &str = "2026-11-01T09:00:00+00:00";
/// The id the spec's examples show for the first inserted record.
const EXAMPLE_NEW_ID: &str = "4150868000001400001";

/// The registry (README §3) with the custom module `Properties` of the sandbox: API name, module
/// id, name field (§3.2).
const MODULES: [(&str, &str, &str); 18] = [
    ("Leads", "3602353000000000125", "Last_Name"),
    ("Contacts", "3602353000000000129", "Last_Name"),
    ("Accounts", "3602353000000000127", "Account_Name"),
    ("Deals", "3602353000000000131", "Deal_Name"),
    ("Tasks", "3602353000000000143", "Subject"),
    ("Events", "3602353000000000145", "Event_Title"),
    ("Calls", "3602353000000017015", "Subject"),
    ("Products", "3602353000000000163", "Product_Name"),
    ("Quotes", "3602353000000000169", "Subject"),
    ("Sales_Orders", "3602353000000000171", "Subject"),
    ("Purchase_Orders", "3602353000000000173", "Subject"),
    ("Invoices", "3602353000000000175", "Subject"),
    ("Campaigns", "3602353000000000133", "Campaign_Name"),
    ("Vendors", "3602353000000000165", "Vendor_Name"),
    ("Price_Books", "3602353000000000167", "Price_Book_Name"),
    ("Cases", "3602353000000000159", "Subject"),
    ("Solutions", "3602353000000000161", "Solution_Title"),
    ("Properties", "4150868000000542001", "Name"),
];

/// Every record of the sandbox: (module, id, owner, fields), DESIGN.md §4 "Records: fields and times".
fn sandbox_records() -> Vec<(&'static str, &'static str, &'static str, Value)> {
    vec![
        (
            "Leads",
            LEAD_212,
            PATRICIA,
            json!({"City": "Chennai", "Company": "Zylker Freight", "First_Name": "Kevin", "Last_Name": "Patel"}),
        ),
        (
            "Leads",
            LEAD_213,
            AMELIA,
            json!({"City": "Austin", "Company": "Orbit Labs", "First_Name": "Nina", "Last_Name": "Ross"}),
        ),
        (
            "Contacts",
            CONTACT_230,
            PATRICIA,
            json!({"First_Name": "Rahul", "Last_Name": "Iyer", "Mailing_City": "Bengaluru"}),
        ),
        (
            "Contacts",
            CONTACT_347,
            PATRICIA,
            json!({"First_Name": "Priya", "Last_Name": "Raman", "Mailing_City": "Chennai"}),
        ),
        (
            "Accounts",
            ACCOUNT_240,
            PATRICIA,
            json!({"Account_Name": "Zylker Freight"}),
        ),
        (
            "Deals",
            DEAL_250,
            PATRICIA,
            json!({"Amount": 48000, "Deal_Name": "Zylker Freight renewal", "Stage": "Negotiation/Review"}),
        ),
        (
            "Deals",
            DEAL_251,
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
            CAMPAIGN_310,
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
            CASE_340,
            PATRICIA,
            json!({"Status": "New", "Subject": "Billing question"}),
        ),
        (
            "Cases",
            CASE_341,
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
            PROPERTY_360,
            PATRICIA,
            json!({"Name": "Harbour View"}),
        ),
        (
            "Tasks",
            TASK_370,
            PATRICIA,
            json!({"Subject": "Call Kevin Patel"}),
        ),
    ]
}

// ---- helpers (kept here: tests/support is shared by every suite) ----

fn golden(name: &str) -> String {
    format!("crm/records_and_access/{name}.json")
}

fn golden_file(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(golden(name));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("golden file {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("golden file {} is not JSON: {e}", path.display()))
}

/// `assert_golden` for a reply that carries ids the mock generated: each `(generated,
/// placeholder)` pair is replaced in the reply before the comparison, so the golden can show
/// the spec's example id.
#[track_caller]
fn assert_golden_as(reply: &Reply, name: &str, ids: &[(&str, &str)]) {
    let golden = golden_file(name);
    assert!(
        golden.get("source").and_then(Value::as_str).is_some(),
        "{name}: golden needs a source"
    );
    assert_eq!(
        Some(u64::from(reply.status)),
        golden["status"].as_u64(),
        "{name}: status; body {}",
        reply.text()
    );
    if golden["body"].is_null() {
        assert!(reply.body.is_empty(), "{name}: expected no body");
        assert_eq!(
            reply.content_type(),
            None,
            "{name}: a 204 has no Content-Type"
        );
        return;
    }
    assert_eq!(reply.content_type(), Some(JSON_CT), "{name}: Content-Type");
    let mut text = reply.text();
    for (generated, placeholder) in ids {
        text = text.replace(generated, placeholder);
    }
    let body: Value = serde_json::from_str(&text).expect("a JSON body");
    assert_eq!(body, golden["body"], "{name}: body");
}

/// Ids the mock creates are 19-digit decimal strings that fit a signed 64-bit integer (README §3).
#[track_caller]
fn assert_generated_id(id: &str) {
    assert_eq!(id.len(), 19, "{id}: 19 digits");
    let value: u64 = id.parse().expect("digits");
    assert!(
        (1_000_000_000_000_000_000..=9_223_372_036_854_775_807).contains(&value),
        "{id} is in range"
    );
}

async fn freeze(server: &TestServer, at: &str) {
    let reply = server
        .admin("PUT", "/__admin/clock", Some(json!({ "now": at })))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

async fn advance(server: &TestServer, seconds: u64) {
    let reply = server
        .admin(
            "PUT",
            "/__admin/clock",
            Some(json!({ "advance_s": seconds })),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

async fn sandbox() -> TestServer {
    let server = TestServer::start().await;
    freeze(&server, T_EXAMPLES).await;
    server
}

async fn req(
    server: &TestServer,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Reply {
    let body = body.map(|b| b.to_string());
    server
        .call(method, path, Some(token), body.as_deref())
        .await
}

async fn raw(server: &TestServer, method: &str, path: &str, token: &str, body: &str) -> Reply {
    server.call(method, path, Some(token), Some(body)).await
}

/// A fresh access token of `user` in `org` with exactly `scopes`.
async fn mint(server: &TestServer, org: &str, user: &str, scopes: &[&str]) -> String {
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

/// The sandbox's per-user token of `user`, or a fresh one with the same scopes.
async fn token_of(server: &TestServer, user: &str) -> String {
    let known = [
        (PATRICIA, PATRICIA_T),
        (AMELIA, AMELIA_T),
        (RYAN, RYAN_T),
        (OLIVIA, OLIVIA_T),
        (SOPHIA, SOPHIA_T),
        (EMMA, EMMA_T),
        (LUCAS, LUCAS_T),
    ];
    match known.iter().find(|(id, _)| *id == user) {
        Some((_, token)) => (*token).to_owned(),
        None => mint(server, ORG, user, &ALL_SCOPES).await,
    }
}

async fn explain_in(
    server: &TestServer,
    org: &str,
    user: &str,
    record: &str,
    module: Option<&str>,
) -> Reply {
    let mut path = format!("/__admin/orgs/{org}/access?user={user}&record={record}");
    if let Some(module) = module {
        path.push_str(&format!("&module={module}"));
    }
    server.admin("GET", &path, None).await
}

async fn explain(server: &TestServer, user: &str, record: &str) -> Value {
    let reply = explain_in(server, ORG, user, record, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

fn rank(level: &str) -> u8 {
    match level {
        "none" => 0,
        "read" => 1,
        "read_write" => 2,
        "full" => 3,
        other => panic!("not a level: {other}"),
    }
}

fn sharing_permission(level: &str) -> Value {
    match level {
        "none" => Value::Null,
        "read" => json!("read_only"),
        "read_write" => json!("read_write"),
        "full" => json!("full_access"),
        other => panic!("not a level: {other}"),
    }
}

fn profile(id: &str, name: &str, view: bool, create: bool, edit: bool, delete: bool) -> Value {
    json!({"create": create, "delete": delete, "edit": edit, "id": id, "name": name, "view": view})
}

fn administrator() -> Value {
    profile(
        ADMINISTRATOR_PROFILE,
        "Administrator",
        true,
        true,
        true,
        true,
    )
}

fn standard() -> Value {
    profile(STANDARD_PROFILE, "Standard", true, true, true, true)
}

fn read_only() -> Value {
    profile(READ_ONLY_PROFILE, "Read Only", true, false, false, false)
}

/// The explain body of spec §12 for the given parts; `capped_by_profile`, `editable` and
/// `sharing_permission` follow from the levels.
#[allow(clippy::too_many_arguments)]
fn explained(
    user: &str,
    record: &str,
    module: &str,
    profile: Value,
    grants: Vec<Value>,
    uncapped: &str,
    level: &str,
    running: bool,
) -> Value {
    json!({
        "capped_by_profile": rank(level) < rank(uncapped),
        "editable": rank(level) >= 2,
        "grants": grants,
        "level": level,
        "module": module,
        "profile": profile,
        "record": record,
        "rule_computation_running": running,
        "sharing_permission": sharing_permission(level),
        "uncapped_level": uncapped,
        "user": user,
    })
}

fn g_owner(user: &str) -> Value {
    json!({"id": user, "level": "full", "via": "owner"})
}

fn g_hierarchy(owner: &str, preference: &str) -> Value {
    json!({"id": owner, "level": "full", "preference": preference, "via": "hierarchy"})
}

fn g_peer(role: &str) -> Value {
    json!({"id": role, "level": "full", "via": "peer"})
}

fn g_default(module_id: &str, share_type: &str) -> Value {
    let level = match share_type {
        "public_read_only" => "read",
        "public_read_write" => "read_write",
        "public" => "full",
        other => panic!("not an org-wide default: {other}"),
    };
    json!({"id": module_id, "level": level, "share_type": share_type, "via": "org_default"})
}

fn g_rule(rule: &str, level: &str, reached_as: &str) -> Value {
    json!({"as": reached_as, "id": rule, "level": level, "via": "rule"})
}

fn share_level(permission: &str) -> &'static str {
    match permission {
        "read_only" => "read",
        "read_write" => "read_write",
        "full_access" => "full",
        other => panic!("not a permission: {other}"),
    }
}

fn g_share(via: &str, id: &str, permission: &str) -> Value {
    json!({"id": id, "level": share_level(permission), "permission": permission, "via": via})
}

fn g_admin(profile_id: &str) -> Value {
    json!({"id": profile_id, "level": "full", "via": "admin_profile"})
}

/// The record object of a `{"data":[record]}` answer.
#[track_caller]
fn only_record(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    let data = body["data"].as_array().expect("data");
    assert_eq!(data.len(), 1, "{body}");
    data[0].clone()
}

/// The ids of a list answer, in order (`[]` for a 204).
#[track_caller]
fn listed_ids(reply: &Reply) -> Vec<String> {
    if reply.status == 204 {
        assert!(reply.body.is_empty());
        return Vec::new();
    }
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|r| r["id"].as_str().expect("a string id").to_owned())
        .collect()
}

/// The id of the `index`-th success item of an insert answer.
#[track_caller]
fn inserted_id(reply: &Reply, index: usize) -> String {
    let body = reply.json();
    let item = &body["data"][index];
    assert_eq!(item["code"], "SUCCESS", "{body}");
    let id = item["details"]["id"]
        .as_str()
        .expect("a string id")
        .to_owned();
    assert_generated_id(&id);
    id
}

fn error(code: &str, message: &str, details: Value) -> Value {
    json!({"code": code, "details": details, "message": message, "status": "error"})
}

#[track_caller]
fn assert_top_error(reply: &Reply, status: u16, code: &str, message: &str, details: Value) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.content_type(), Some(JSON_CT));
    assert_eq!(reply.json(), error(code, message, details));
}

#[track_caller]
fn assert_items(reply: &Reply, status: u16, items: Vec<Value>) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.content_type(), Some(JSON_CT));
    assert_eq!(reply.json(), json!({ "data": items }));
}

fn zylker(state: &Value) -> Value {
    org_of(state, ORG)
}

fn org_of(state: &Value, id: &str) -> Value {
    state["orgs"]
        .as_array()
        .expect("orgs")
        .iter()
        .find(|org| org["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("org {id} is in the state"))
}

fn stored_record(org: &Value, id: &str) -> Option<Value> {
    org["records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
}

fn user_name(id: &str) -> (&'static str, &'static str) {
    match id {
        PATRICIA => ("Patricia Boyle", "patricia@zylker.com"),
        AMELIA => ("Amelia Burrows", "amelia@zylker.com"),
        RYAN => ("Ryan Cole", "ryan@zylker.com"),
        OLIVIA => ("Olivia Grant", "olivia@zylker.com"),
        EMMA => ("Emma Keller", "emma@zylker.com"),
        other => panic!("no name for {other}"),
    }
}

fn user_ref(id: &str) -> Value {
    let (name, email) = user_name(id);
    json!({"email": email, "id": id, "name": name})
}

/// Example (a)'s body, byte for byte.
const EXAMPLE_A_BODY: &str = r#"{"data": [{"Company": "Blue Finch", "First_Name": "Omar", "Last_Name": "Haddad"}, {"Company": "No Name Ltd"}], "trigger": []}"#;

/// Inserts example (a)'s leads as Amelia and answers the new lead's id.
async fn insert_example_lead(server: &TestServer) -> String {
    let reply = raw(server, "POST", "/crm/v8/Leads", AMELIA_T, EXAMPLE_A_BODY).await;
    assert_eq!(reply.status, 207, "{}", reply.text());
    inserted_id(&reply, 0)
}

/// Replaces the sandbox state with itself, `change` applied to zylker.
async fn change_zylker(server: &TestServer, change: impl FnOnce(&mut Value)) {
    let mut state = server.state().await;
    let orgs = state["orgs"].as_array_mut().expect("orgs");
    let org = orgs
        .iter_mut()
        .find(|org| org["id"] == ORG)
        .expect("zylker");
    change(org);
    let reply = server.admin("PUT", "/__admin/state", Some(state)).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
}

// ---- §15 worked examples ----

#[tokio::test]
async fn example_a_insert_two_leads_one_without_its_name_field() {
    let server = sandbox().await;
    let reply = raw(&server, "POST", "/crm/v8/Leads", AMELIA_T, EXAMPLE_A_BODY).await;
    let id = inserted_id(&reply, 0);
    assert_golden_as(&reply, "ex_a_insert_two_leads", &[(&id, EXAMPLE_NEW_ID)]);

    // The failing item changed nothing; the other was applied (§2).
    let org = zylker(&server.state().await);
    let leads: Vec<_> = org["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["module"] == "Leads")
        .collect();
    assert_eq!(leads.len(), 3, "the two sandbox leads and the new one");
    let stored = stored_record(&org, &id).expect("the new lead is stored");
    assert_eq!(stored["owner"], AMELIA);
    assert_eq!(
        stored["fields"],
        json!({"Company": "Blue Finch", "First_Name": "Omar", "Last_Name": "Haddad"})
    );
    assert_eq!(stored["created_time"], T_EXAMPLES);
    assert_eq!(stored["created_by"], AMELIA);
}

#[tokio::test]
async fn example_b_who_sees_the_new_lead() {
    let server = sandbox().await;
    let id = insert_example_lead(&server).await;
    let path = format!("/crm/v8/Leads/{id}");
    let as_olivia = req(&server, "GET", &path, OLIVIA_T, None).await;
    assert_golden_as(
        &as_olivia,
        "ex_b_get_new_lead_as_olivia",
        &[(&id, EXAMPLE_NEW_ID)],
    );
    let as_ryan = req(&server, "GET", &path, RYAN_T, None).await;
    assert_golden(&as_ryan, &golden("ex_b_get_new_lead_as_ryan"));
    assert_eq!(
        explain(&server, OLIVIA, &id).await["grants"],
        json!([g_hierarchy(AMELIA, "role")])
    );

    // With the reporting preference nothing changes for Ryan; Olivia still sees it, because
    // Amelia reports to her.
    change_zylker(&server, |org| {
        org["hierarchy_preference"] = json!("reporting")
    })
    .await;
    let as_olivia = req(&server, "GET", &path, OLIVIA_T, None).await;
    assert_golden_as(
        &as_olivia,
        "ex_b_get_new_lead_as_olivia",
        &[(&id, EXAMPLE_NEW_ID)],
    );
    let as_ryan = req(&server, "GET", &path, RYAN_T, None).await;
    assert_golden(&as_ryan, &golden("ex_b_get_new_lead_as_ryan"));
    assert_eq!(
        explain(&server, OLIVIA, &id).await["grants"],
        json!([g_hierarchy(AMELIA, "reporting")])
    );
    // Two steps up the line: Amelia reports to Olivia, who reports to Patricia.
    assert_eq!(
        explain(&server, PATRICIA, &id).await["grants"],
        json!([
            g_hierarchy(AMELIA, "reporting"),
            g_admin(ADMINISTRATOR_PROFILE)
        ])
    );
    assert_eq!(explain(&server, RYAN, &id).await["grants"], json!([]));
}

#[tokio::test]
async fn example_c_a_list_that_a_criteria_rule_opens() {
    let server = sandbox().await;
    let reply = req(
        &server,
        "GET",
        "/crm/v8/Contacts?fields=Last_Name,Mailing_City",
        RYAN_T,
        None,
    )
    .await;
    assert_golden(&reply, &golden("ex_c_list_contacts_as_ryan"));
    for version in ["v3", "v4", "v5", "v6", "v7", "v8"] {
        let path = format!("/crm/{version}/Contacts");
        let reply = req(&server, "GET", &path, RYAN_T, None).await;
        assert_golden(&reply, &golden("ex_c_list_without_fields"));
    }
    for version in ["v2", "v2.1"] {
        let path = format!("/crm/{version}/Contacts");
        let reply = req(&server, "GET", &path, RYAN_T, None).await;
        assert_golden(&reply, &golden("ex_c_list_v2_whole_records"));
    }
}

#[tokio::test]
async fn example_d_read_but_not_write() {
    let server = sandbox().await;
    let path = format!("/crm/v8/Deals/{DEAL_251}");
    let reply = raw(
        &server,
        "PUT",
        &path,
        EMMA_T,
        r#"{"data": [{"Stage": "Closed Won"}]}"#,
    )
    .await;
    assert_golden(&reply, &golden("ex_d_put_read_level"));
    let reply = req(
        &server,
        "GET",
        &format!("{path}?fields=Stage"),
        EMMA_T,
        None,
    )
    .await;
    assert_golden(&reply, &golden("ex_d_get_stage_unchanged"));

    // Sophia's Read Only profile refuses any PUT, whatever the record or body.
    for (path, body) in [
        (
            format!("/crm/v8/Leads/{LEAD_212}"),
            json!({"data": [{"City": "Pune"}]}).to_string(),
        ),
        (
            format!("/crm/v8/Deals/{DEAL_251}"),
            r#"{"data": [{"Stage": "Closed Won"}]}"#.to_owned(),
        ),
        (
            "/crm/v8/Leads".to_owned(),
            json!({"data": [{"id": LEAD_212, "City": "Pune"}]}).to_string(),
        ),
        (format!("/crm/v8/Leads/{LEAD_213}"), "[not json".to_owned()),
    ] {
        let reply = raw(&server, "PUT", &path, SOPHIA_T, &body).await;
        assert_golden(&reply, &golden("ex_d_put_read_only_profile"));
    }
    let state = zylker(&server.state().await);
    assert_eq!(
        stored_record(&state, DEAL_251).expect("the deal")["fields"]["Stage"],
        "Qualification"
    );
    assert_eq!(
        stored_record(&state, LEAD_212).expect("the lead")["fields"]["City"],
        "Chennai"
    );
}

#[tokio::test]
async fn example_e_bulk_delete_one_allowed_one_hidden() {
    let server = sandbox().await;
    let path = format!("/crm/v8/Leads?ids={LEAD_212},{LEAD_213}");
    let reply = req(&server, "DELETE", &path, RYAN_T, None).await;
    assert_golden(&reply, &golden("ex_e_bulk_delete"));
    let org = zylker(&server.state().await);
    assert!(stored_record(&org, LEAD_212).is_none(), "deleted");
    assert!(stored_record(&org, LEAD_213).is_some(), "kept");
    let gone = req(
        &server,
        "GET",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        PATRICIA_T,
        None,
    )
    .await;
    assert_golden(&gone, &golden("get_hidden_or_absent"));
}

#[tokio::test]
async fn example_f_explain_three_levels() {
    let server = sandbox().await;
    // Back to the sandbox after a change (the example's `POST /__admin/reset`).
    req(
        &server,
        "DELETE",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        PATRICIA_T,
        None,
    )
    .await;
    assert_eq!(
        server.admin("POST", "/__admin/reset", None).await.status,
        204
    );
    freeze(&server, T_EXAMPLES).await;

    let path = format!("/__admin/orgs/zylker/access?user={SOPHIA}&record={LEAD_212}");
    assert_golden(
        &server.admin("GET", &path, None).await,
        &golden("ex_f_explain_sophia_lead"),
    );
    let path = format!("/__admin/orgs/zylker/access?user={RYAN}&record={DEAL_250}");
    assert_golden(
        &server.admin("GET", &path, None).await,
        &golden("ex_f_explain_ryan_deal"),
    );
    let path = format!("/__admin/orgs/zylker/access?user={LUCAS}&record={CASE_341}&module=Cases");
    assert_golden(
        &server.admin("GET", &path, None).await,
        &golden("ex_f_explain_lucas_case"),
    );
    let reply = explain_in(&server, ORG, LUCAS, CASE_341, Some("Leads")).await;
    assert_eq!(reply.status, 404, "{}", reply.text());
    assert!(reply.json()["error"].is_string());
}

#[tokio::test]
async fn example_g_a_rule_change_waits_for_its_computation() {
    let server = TestServer::from_builder(MockServer::builder().rule_computation_ms(60_000)).await;
    freeze(&server, "2026-11-21T09:00:00+00:00").await;
    let deactivate = format!(
        "/crm/v8/settings/data_sharing/rules/{LEADS_TO_SALES}/actions/activate?module=Leads"
    );
    let reply = req(&server, "DELETE", &deactivate, PATRICIA_T, None).await;
    assert_golden(&reply, &golden("ex_g_deactivate"));
    assert_eq!(leads_computation_status(&server).await, json!(true));

    let lead = format!("/crm/v8/Leads/{LEAD_212}?fields=Last_Name");
    let reply = req(&server, "GET", &lead, AMELIA_T, None).await;
    assert_golden(&reply, &golden("ex_g_get_during_computation"));
    let path = format!("/__admin/orgs/zylker/access?user={AMELIA}&record={LEAD_212}");
    assert_golden(
        &server.admin("GET", &path, None).await,
        &golden("ex_g_explain_during_computation"),
    );

    // Still running one second before the end (DESIGN.md §5: on while now < start + N ms).
    advance(&server, 59).await;
    let reply = req(&server, "GET", &lead, AMELIA_T, None).await;
    assert_golden(&reply, &golden("ex_g_get_during_computation"));

    advance(&server, 1).await;
    assert_eq!(leads_computation_status(&server).await, json!(false));
    let reply = req(&server, "GET", &lead, AMELIA_T, None).await;
    assert_golden(&reply, &golden("ex_g_get_after_computation"));
    assert_golden(
        &server.admin("GET", &path, None).await,
        &golden("ex_g_explain_after_computation"),
    );
}

async fn leads_computation_status(server: &TestServer) -> Value {
    let reply = req(
        server,
        "GET",
        "/crm/v8/settings/data_sharing/rules/actions/summary?module=Leads",
        PATRICIA_T,
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["sharing_rules_summary"][0]["rule_computation_status"].clone()
}

#[tokio::test]
async fn example_h_the_record_name_in_its_share_items() {
    let server = sandbox().await;
    let path = format!("/crm/v8/Contacts/{CONTACT_230}/actions/share");
    let reply = server.get(&path, ADMIN_TOKEN).await;
    assert_golden(&reply, &golden("ex_h_share_item_name"));
}

#[tokio::test]
async fn example_i_what_the_sdks_fetch_first() {
    let server = sandbox().await;
    let reply = req(
        &server,
        "GET",
        "/crm/v8/settings/fields?module=Leads",
        AMELIA_T,
        None,
    )
    .await;
    assert_golden(&reply, &golden("ex_i_fields_leads"));
    let reply = req(&server, "GET", "/crm/v8/settings/modules", AMELIA_T, None).await;
    assert_golden(&reply, &golden("ex_i_modules"));
}

// ---- §13 "Every record path", in the order of §2 ----

/// Every path form of the Records API for module `{M}`, with a body that would succeed.
fn path_forms(module: &str) -> Vec<(&'static str, String, Option<String>)> {
    vec![
        ("GET", format!("/crm/v8/{module}?fields=Last_Name"), None),
        ("GET", format!("/crm/v8/{module}/{LEAD_212}"), None),
        (
            "POST",
            format!("/crm/v8/{module}"),
            Some(json!({"data": [{"Last_Name": "New"}]}).to_string()),
        ),
        (
            "PUT",
            format!("/crm/v8/{module}"),
            Some(json!({"data": [{"id": LEAD_212, "City": "Pune"}]}).to_string()),
        ),
        (
            "PUT",
            format!("/crm/v8/{module}/{LEAD_212}"),
            Some(json!({"data": [{"City": "Pune"}]}).to_string()),
        ),
        ("DELETE", format!("/crm/v8/{module}?ids={LEAD_212}"), None),
        ("DELETE", format!("/crm/v8/{module}/{LEAD_212}"), None),
    ]
}

#[tokio::test]
async fn documents_and_projects_are_not_supported_on_any_record_path() {
    let server = sandbox().await;
    for module in ["Documents", "Projects", "documents"] {
        for (method, path, body) in path_forms(module) {
            let reply = server
                .call(method, &path, Some(PATRICIA_T), body.as_deref())
                .await;
            assert_golden(&reply, &golden("err_module_not_supported"));
        }
    }
}

#[tokio::test]
async fn unknown_modules_answer_invalid_module_on_any_record_path() {
    let server = sandbox().await;
    // Display names are not aliases, and `Settings` (capital S) is a module name (§14).
    for module in ["Foo", "Meetings", "Settings", "Org", "Users"] {
        for (method, path, body) in path_forms(module) {
            let reply = server
                .call(method, &path, Some(PATRICIA_T), body.as_deref())
                .await;
            assert_golden(&reply, &golden("err_unknown_module"));
        }
    }
}

#[tokio::test]
async fn the_module_class_is_checked_before_the_scope() {
    let server = sandbox().await;
    // 1000.sandbox.admin and noshare carry no ZohoCRM.modules scope (DESIGN.md §4).
    for token in [ADMIN_TOKEN, NOSHARE_TOKEN] {
        for (method, path, body) in path_forms("Foo") {
            let reply = server
                .call(method, &path, Some(token), body.as_deref())
                .await;
            assert_golden(&reply, &golden("err_unknown_module"));
        }
        for (method, path, body) in path_forms("Projects") {
            let reply = server
                .call(method, &path, Some(token), body.as_deref())
                .await;
            assert_golden(&reply, &golden("err_module_not_supported"));
        }
    }
}

#[tokio::test]
async fn a_token_without_the_modules_scope_is_refused_on_every_path() {
    let server = sandbox().await;
    for token in [ADMIN_TOKEN, NOSHARE_TOKEN, STANDARD_TOKEN] {
        for (method, path, body) in path_forms("Leads") {
            let reply = server
                .call(method, &path, Some(token), body.as_deref())
                .await;
            assert_golden(&reply, &golden("err_scope_missing"));
        }
    }
    let org = zylker(&server.state().await);
    assert_eq!(
        stored_record(&org, LEAD_212).expect("kept")["fields"]["City"],
        "Chennai",
        "nothing changed"
    );
}

#[tokio::test]
async fn record_scopes_follow_the_module_and_the_operation() {
    let server = sandbox().await;
    // (granted scope, method, path, allowed?)
    let new_lead = json!({"data": [{"Last_Name": "New"}]}).to_string();
    let lead_update = json!({"data": [{"City": "Pune"}]}).to_string();
    let bulk_update = json!({"data": [{"id": LEAD_212, "City": "Pune"}]}).to_string();
    let one_lead = format!("/crm/v8/Leads/{LEAD_212}");
    let cases: Vec<(&str, &str, String, Option<String>, bool)> = vec![
        (
            "ZohoCRM.modules.leads.READ",
            "GET",
            one_lead.clone(),
            None,
            true,
        ),
        (
            "ZohoCRM.modules.leads.READ",
            "POST",
            "/crm/v8/Leads".into(),
            Some(new_lead.clone()),
            false,
        ),
        (
            "zohocrm.MODULES.Leads.read",
            "GET",
            one_lead.clone(),
            None,
            true,
        ),
        (
            "ZohoCRM.modules.leads.ALL",
            "GET",
            format!("/crm/v8/Contacts/{CONTACT_230}"),
            None,
            false,
        ),
        (
            "ZohoCRM.modules.contacts.ALL",
            "GET",
            format!("/crm/v8/Contacts/{CONTACT_230}"),
            None,
            true,
        ),
        // WRITE covers CREATE and UPDATE, not READ or DELETE (§1).
        (
            "ZohoCRM.modules.leads.WRITE",
            "POST",
            "/crm/v8/Leads".into(),
            Some(new_lead.clone()),
            true,
        ),
        (
            "ZohoCRM.modules.leads.WRITE",
            "PUT",
            one_lead.clone(),
            Some(lead_update.clone()),
            true,
        ),
        (
            "ZohoCRM.modules.leads.WRITE",
            "PUT",
            "/crm/v8/Leads".into(),
            Some(bulk_update.clone()),
            true,
        ),
        (
            "ZohoCRM.modules.leads.WRITE",
            "GET",
            one_lead.clone(),
            None,
            false,
        ),
        (
            "ZohoCRM.modules.leads.WRITE",
            "DELETE",
            one_lead.clone(),
            None,
            false,
        ),
        (
            "ZohoCRM.modules.WRITE",
            "POST",
            "/crm/v8/Contacts".into(),
            Some(new_lead.clone()),
            true,
        ),
        (
            "ZohoCRM.modules.CREATE",
            "POST",
            "/crm/v8/Leads".into(),
            Some(new_lead.clone()),
            true,
        ),
        (
            "ZohoCRM.modules.CREATE",
            "PUT",
            one_lead.clone(),
            Some(lead_update.clone()),
            false,
        ),
        (
            "ZohoCRM.modules.UPDATE",
            "PUT",
            one_lead.clone(),
            Some(lead_update.clone()),
            true,
        ),
        (
            "ZohoCRM.modules.READ",
            "GET",
            "/crm/v8/Leads?fields=Last_Name".into(),
            None,
            true,
        ),
        (
            "ZohoCRM.modules.READ",
            "DELETE",
            format!("/crm/v8/Leads?ids={LEAD_213}"),
            None,
            false,
        ),
        (
            "ZohoCRM.modules.leads.DELETE",
            "DELETE",
            format!("/crm/v8/Leads?ids={LEAD_213}"),
            None,
            true,
        ),
        (
            "ZohoCRM.modules.ALL",
            "GET",
            format!("/crm/v8/Tasks/{TASK_370}"),
            None,
            true,
        ),
        (
            "ZohoCRM.modules.tasks.READ",
            "GET",
            format!("/crm/v8/Tasks/{TASK_370}"),
            None,
            true,
        ),
        // Custom modules: `custom`, or the lower-cased API name.
        (
            "ZohoCRM.modules.custom.ALL",
            "GET",
            format!("/crm/v8/Properties/{PROPERTY_360}"),
            None,
            true,
        ),
        (
            "ZohoCRM.modules.properties.READ",
            "GET",
            format!("/crm/v8/Properties/{PROPERTY_360}"),
            None,
            true,
        ),
        (
            "ZohoCRM.modules.leads.ALL",
            "GET",
            format!("/crm/v8/Properties/{PROPERTY_360}"),
            None,
            false,
        ),
        // The scope name drops the underscore (README §3 registry).
        (
            "ZohoCRM.modules.salesorders.ALL",
            "GET",
            "/crm/v8/Sales_Orders/4150868000001148280".into(),
            None,
            true,
        ),
        (
            "ZohoCRM.modules.sales_orders.ALL",
            "GET",
            "/crm/v8/Sales_Orders/4150868000001148280".into(),
            None,
            false,
        ),
        ("ZohoCRM.share.ALL", "GET", one_lead.clone(), None, false),
        (
            "ZohoCRM.settings.ALL",
            "GET",
            "/crm/v8/Leads?fields=Last_Name".into(),
            None,
            false,
        ),
    ];
    for (scope, method, path, body, allowed) in cases {
        let token = mint(&server, ORG, PATRICIA, &[scope]).await;
        let reply = server
            .call(method, &path, Some(&token), body.as_deref())
            .await;
        if allowed {
            assert!(
                (200..300).contains(&reply.status),
                "{scope} {method} {path}: {} {}",
                reply.status,
                reply.text()
            );
        } else {
            assert_golden(&reply, &golden("err_scope_missing"));
        }
    }
}

#[tokio::test]
async fn a_record_id_that_is_not_digits_is_invalid_on_single_record_paths() {
    let server = sandbox().await;
    for id in ["12x4", "abc", "-5", "1.0", "4150868000001148212a"] {
        for (method, body) in [
            ("GET", None),
            ("PUT", Some(json!({"data": [{"City": "Pune"}]}).to_string())),
            ("DELETE", None),
        ] {
            let path = format!("/crm/v8/Leads/{id}");
            let reply = server
                .call(method, &path, Some(PATRICIA_T), body.as_deref())
                .await;
            assert_golden(&reply, &golden("err_record_id_not_digits"));
        }
    }
}

#[tokio::test]
async fn every_version_serves_the_records_api() {
    let server = sandbox().await;
    for version in ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"] {
        let path = format!("/crm/{version}/Leads/{LEAD_212}?fields=Last_Name");
        let record = only_record(&req(&server, "GET", &path, PATRICIA_T, None).await);
        assert_eq!(record["Last_Name"], "Patel", "{version}");
    }
    for version in ["v1", "v9", "V8", "v2.2"] {
        let path = format!("/crm/{version}/Leads/{LEAD_212}");
        let reply = req(&server, "GET", &path, PATRICIA_T, None).await;
        assert_golden(&reply, "common/invalid_url_pattern.json");
    }
}

#[tokio::test]
async fn routes_methods_and_reserved_first_segments() {
    let server = sandbox().await;
    // The single-record path takes GET, PUT, DELETE; the module path GET, POST, PUT, DELETE.
    for (method, path) in [
        ("POST", format!("/crm/v8/Leads/{LEAD_212}")),
        ("PATCH", format!("/crm/v8/Leads/{LEAD_212}")),
        ("PATCH", "/crm/v8/Leads".to_owned()),
        ("HEAD", "/crm/v8/Leads".to_owned()),
        ("OPTIONS", format!("/crm/v8/Leads/{LEAD_212}")),
        ("POST", "/crm/v8/settings/fields?module=Leads".to_owned()),
        ("DELETE", "/crm/v8/settings/modules".to_owned()),
    ] {
        let reply = req(&server, method, &path, PATRICIA_T, None).await;
        if method == "HEAD" {
            assert_eq!(reply.status, 400, "{method} {path}");
        } else {
            assert_golden(&reply, "common/invalid_request_method.json");
        }
    }
    // `settings`, `org` and `users` are never module names (§14).
    for path in ["/crm/v8/settings", "/crm/v8/org/x", "/crm/v8/settings/x"] {
        let reply = req(&server, "GET", path, PATRICIA_T, None).await;
        assert_golden(&reply, "common/invalid_url_pattern.json");
    }
}

// ---- processing order (§2): the first failing check answers ----

#[tokio::test]
async fn order_route_method_and_authentication_come_first() {
    let server = sandbox().await;
    // A route miss beats a wrong method and a missing token.
    let reply = server.call("PATCH", "/crm/v9/Leads", None, None).await;
    assert_golden(&reply, "common/invalid_url_pattern.json");
    // A wrong method beats a missing token.
    let path = format!("/crm/v8/Leads/{LEAD_212}");
    let reply = server.call("POST", &path, None, Some("{}")).await;
    assert_golden(&reply, "common/invalid_request_method.json");
    // Authentication beats the module class and the scope.
    for path in ["/crm/v8/Foo", "/crm/v8/Documents/1", "/crm/v8/Leads/abc"] {
        let reply = server.call("GET", path, None, None).await;
        assert_golden(&reply, "common/authentication_failure.json");
        let reply = server.call("GET", path, Some(EXPIRED_TOKEN), None).await;
        assert_golden(&reply, "common/invalid_token.json");
    }
}

#[tokio::test]
async fn order_scope_before_record_id_before_profile() {
    let server = sandbox().await;
    // The scope (step 5) beats a malformed record id (step 6).
    let reply = req(&server, "GET", "/crm/v8/Leads/abc", ADMIN_TOKEN, None).await;
    assert_golden(&reply, &golden("err_scope_missing"));
    // The record id (step 6) beats the profile (step 7): Sophia may not edit or delete.
    let reply = raw(&server, "PUT", "/crm/v8/Leads/abc", SOPHIA_T, "[not json").await;
    assert_golden(&reply, &golden("err_record_id_not_digits"));
    let reply = req(&server, "DELETE", "/crm/v8/Leads/abc", SOPHIA_T, None).await;
    assert_golden(&reply, &golden("err_record_id_not_digits"));
}

#[tokio::test]
async fn order_profile_before_query_parameters_and_body() {
    let server = sandbox().await;
    // Sophia (Read Only): POST, PUT and DELETE are refused before their body or parameters.
    let reply = raw(&server, "POST", "/crm/v8/Leads", SOPHIA_T, "[not json").await;
    assert_golden(&reply, &golden("post_no_create_permission"));
    let reply = raw(
        &server,
        "PUT",
        "/crm/v8/Leads",
        SOPHIA_T,
        r#"{"data": "x"}"#,
    )
    .await;
    assert_golden(&reply, &golden("ex_d_put_read_only_profile"));
    let reply = req(&server, "DELETE", "/crm/v8/Leads", SOPHIA_T, None).await;
    assert_golden(&reply, &golden("delete_no_delete_permission"));
    let reply = req(&server, "DELETE", "/crm/v8/Leads?ids=x,y", SOPHIA_T, None).await;
    assert_golden(&reply, &golden("delete_no_delete_permission"));
}

#[tokio::test]
async fn order_fields_before_paging_parameters() {
    let server = sandbox().await;
    let reply = req(
        &server,
        "GET",
        "/crm/v8/Leads?page=0&sort_by=Name",
        PATRICIA_T,
        None,
    )
    .await;
    assert_golden(&reply, &golden("ex_c_list_without_fields"));
    let fields = (0..51)
        .map(|i| format!("F{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let path = format!("/crm/v8/Leads?fields={fields}&page=0&per_page=0");
    let reply = req(&server, "GET", &path, PATRICIA_T, None).await;
    assert_golden(&reply, &golden("get_fields_over_50"));
}

#[tokio::test]
async fn order_top_level_body_errors_before_item_errors() {
    let server = sandbox().await;
    // 101 items that would each fail: the top-level limit answers.
    let items: Vec<Value> = (0..101).map(|_| json!("not an object")).collect();
    let body = json!({ "data": items }).to_string();
    let reply = raw(&server, "POST", "/crm/v8/Leads", PATRICIA_T, &body).await;
    assert_golden(&reply, &golden("post_over_100_items"));
    let reply = raw(&server, "PUT", "/crm/v8/Leads", PATRICIA_T, &body).await;
    assert_golden(&reply, &golden("put_bulk_over_100_items"));
    // The single path takes one item: two failing items answer the top-level limit.
    let path = format!("/crm/v8/Leads/{LEAD_212}");
    let reply = raw(&server, "PUT", &path, PATRICIA_T, r#"{"data": [1, 2]}"#).await;
    assert_golden(&reply, &golden("put_single_over_1_item"));
}

#[tokio::test]
async fn order_of_the_item_checks_on_insert() {
    let server = sandbox().await;
    // `Owner` is checked before the name field.
    let body = json!({"data": [{"Owner": {"id": UNKNOWN_RECORD}}]}).to_string();
    let reply = raw(&server, "POST", "/crm/v8/Leads", PATRICIA_T, &body).await;
    assert_golden(&reply, &golden("post_item_bad_owner"));
}

#[tokio::test]
async fn order_of_the_item_checks_on_update() {
    let server = sandbox().await;
    // A hidden record answers as absent before its bad Owner and empty name are looked at.
    let body = json!({"data": [{"id": LEAD_213, "Owner": {"id": "1"}, "Last_Name": ""}]});
    let reply = req(&server, "PUT", "/crm/v8/Leads", RYAN_T, Some(body)).await;
    assert_items(
        &reply,
        400,
        vec![error(
            "INVALID_DATA",
            "the id given seems to be invalid",
            json!({"id": LEAD_213}),
        )],
    );
    // A read-only level answers NO_PERMISSION before the bad Owner.
    let body = json!({"data": [{"Owner": {"id": "1"}, "Last_Name": ""}]});
    let path = format!("/crm/v8/Contacts/{CONTACT_230}");
    let reply = req(&server, "PUT", &path, AMELIA_T, Some(body)).await;
    assert_items(
        &reply,
        400,
        vec![error(
            "NO_PERMISSION",
            "no permission to perform an action on this record",
            json!({"id": CONTACT_230}),
        )],
    );
    // With access, the Owner comes before the empty name field.
    let body = json!({"data": [{"Owner": {"id": "1"}, "Last_Name": ""}]});
    let path = format!("/crm/v8/Leads/{LEAD_212}");
    let reply = req(&server, "PUT", &path, AMELIA_T, Some(body)).await;
    assert_golden(&reply, &golden("put_item_bad_owner"));
    // A missing bulk id comes before everything else of the item.
    let body = json!({"data": [{"Owner": {"id": "1"}, "Last_Name": ""}]});
    let reply = req(&server, "PUT", "/crm/v8/Leads", AMELIA_T, Some(body)).await;
    assert_golden(&reply, &golden("put_bulk_id_missing"));
}

#[tokio::test]
async fn order_of_the_ids_checks_on_delete() {
    let server = sandbox().await;
    // An entry that is not digits is reported before the count.
    let mut ids: Vec<String> = (0..100)
        .map(|i| format!("{}", 4150868000001500000u64 + i))
        .collect();
    ids.push("x".into());
    let path = format!("/crm/v8/Leads?ids={}", ids.join(","));
    let reply = req(&server, "DELETE", &path, PATRICIA_T, None).await;
    assert_golden(&reply, &golden("delete_ids_unparsable"));
}

#[tokio::test]
async fn a_fault_applies_before_every_check() {
    let server = sandbox().await;
    let fault = json!({"method": "POST", "path": "/crm/*/Leads", "status": 400, "code": "AUTHORIZATION_FAILED"});
    assert_eq!(
        server
            .admin("POST", "/__admin/faults", Some(fault))
            .await
            .status,
        201
    );
    let reply = server
        .call("POST", "/crm/v8/Leads", None, Some("[not json"))
        .await;
    assert_golden(&reply, &golden("post_fault_authorization_failed"));
}

// ---- §13 POST (insert) ----

async fn lead_count(server: &TestServer) -> usize {
    zylker(&server.state().await)["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["module"] == "Leads")
        .count()
}

#[tokio::test]
async fn insert_without_the_create_permission_is_refused() {
    let server = sandbox().await;
    let body = json!({"data": [{"Last_Name": "New"}]}).to_string();
    for module in ["Leads", "Contacts", "Properties", "Tasks"] {
        let reply = raw(
            &server,
            "POST",
            &format!("/crm/v8/{module}"),
            SOPHIA_T,
            &body,
        )
        .await;
        assert_golden(&reply, &golden("post_no_create_permission"));
    }
    assert_eq!(lead_count(&server).await, 2);
}

#[tokio::test]
async fn insert_body_not_a_json_object() {
    let server = sandbox().await;
    for body in ["[not json", "[1]", "\"data\"", "42", "null", "\u{ff}"] {
        let reply = raw(&server, "POST", "/crm/v8/Leads", PATRICIA_T, body).await;
        assert_golden(&reply, &golden("post_body_not_object"));
    }
    assert_eq!(lead_count(&server).await, 2);
}

#[tokio::test]
async fn insert_data_missing_null_or_empty() {
    let server = sandbox().await;
    // An empty body is read as `{}` (auth-and-errors.md §7).
    for body in [
        "",
        "{}",
        r#"{"data": null}"#,
        r#"{"data": []}"#,
        r#"{"trigger": []}"#,
    ] {
        let reply = raw(&server, "POST", "/crm/v8/Leads", PATRICIA_T, body).await;
        assert_golden(&reply, &golden("post_data_missing"));
    }
}

#[tokio::test]
async fn insert_data_not_an_array() {
    let server = sandbox().await;
    for body in [
        r#"{"data": {}}"#,
        r#"{"data": "x"}"#,
        r#"{"data": 1}"#,
        r#"{"data": true}"#,
    ] {
        let reply = raw(&server, "POST", "/crm/v8/Leads", PATRICIA_T, body).await;
        assert_golden(&reply, &golden("post_data_not_array"));
    }
}

#[tokio::test]
async fn insert_of_more_than_100_items_is_refused_and_100_are_taken() {
    let server = sandbox().await;
    let items = |n: usize| -> String {
        let items: Vec<Value> = (0..n)
            .map(|i| json!({"Last_Name": format!("Lead {i}")}))
            .collect();
        json!({ "data": items }).to_string()
    };
    let reply = raw(&server, "POST", "/crm/v8/Leads", PATRICIA_T, &items(101)).await;
    assert_golden(&reply, &golden("post_over_100_items"));
    assert_eq!(lead_count(&server).await, 2);

    let reply = raw(&server, "POST", "/crm/v8/Leads", PATRICIA_T, &items(100)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let data = reply.json()["data"].as_array().expect("data").clone();
    assert_eq!(data.len(), 100);
    let ids: BTreeSet<String> = (0..100).map(|i| inserted_id(&reply, i)).collect();
    assert_eq!(ids.len(), 100, "fresh ids");
    assert!(!ids.contains(LEAD_212) && !ids.contains(LEAD_213));
    assert_eq!(lead_count(&server).await, 102);
}

#[tokio::test]
async fn insert_item_that_is_not_an_object() {
    let server = sandbox().await;
    let reply = raw(
        &server,
        "POST",
        "/crm/v8/Leads",
        PATRICIA_T,
        r#"{"data": [1]}"#,
    )
    .await;
    assert_golden(&reply, &golden("post_item_not_object"));
    // Mixed with a good item: 207, results in request order.
    let body = r#"{"data": [{"Last_Name": "Kept"}, "x", null]}"#;
    let reply = raw(&server, "POST", "/crm/v8/Leads", PATRICIA_T, body).await;
    assert_eq!(reply.status, 207, "{}", reply.text());
    let data = reply.json()["data"].clone();
    assert_eq!(data[0]["code"], "SUCCESS");
    for i in [1, 2] {
        assert_eq!(
            data[i],
            error(
                "INVALID_DATA",
                "invalid data",
                json!({"api_name": "data", "expected_data_type": "jsonobject", "json_path": format!("$.data[{i}]")})
            )
        );
    }
    assert_eq!(lead_count(&server).await, 3);
}

#[tokio::test]
async fn insert_item_whose_owner_is_not_an_active_user_of_the_org() {
    let server = sandbox().await;
    let other_org = server.admin("POST", "/__admin/orgs", Some(json!({"id": "acme",
        "users": [{"id": "4150868000007000001", "email": "a@acme.io", "full_name": "A", "role": "9", "profile": "Administrator", "status": "active"}],
        "roles": [{"id": "9", "name": "R"}]}))).await;
    assert_eq!(other_org.status, 201, "{}", other_org.text());
    for owner in [
        json!({"id": UNKNOWN_RECORD}),
        json!({"id": DEREK_DISABLED}),
        json!({"id": "4150868000007000001"}),
        json!({"id": "04150868000001199001"}),
        json!({"id": "abc"}),
        json!({"id": null}),
        json!({"name": "Amelia Burrows"}),
        json!({}),
        json!(AMELIA),
        json!(4150868000001199001u64),
        json!(null),
        json!([AMELIA]),
    ] {
        let body = json!({"data": [{"Last_Name": "New", "Owner": owner}]});
        let reply = req(&server, "POST", "/crm/v8/Leads", PATRICIA_T, Some(body)).await;
        assert_golden(&reply, &golden("post_item_bad_owner"));
    }
    assert_eq!(lead_count(&server).await, 2);
    // An integer id is read as its decimal string (README §3).
    let body = r#"{"data": [{"Last_Name": "New", "Owner": {"id": 4150868000001199001}}]}"#;
    let reply = raw(&server, "POST", "/crm/v8/Leads", PATRICIA_T, body).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let id = inserted_id(&reply, 0);
    let record = only_record(
        &req(
            &server,
            "GET",
            &format!("/crm/v8/Leads/{id}"),
            PATRICIA_T,
            None,
        )
        .await,
    );
    assert_eq!(record["Owner"], user_ref(AMELIA));
    assert_eq!(
        record["Created_By"],
        user_ref(PATRICIA),
        "the caller created it"
    );
}

#[tokio::test]
async fn insert_item_without_its_name_field() {
    let server = sandbox().await;
    for item in [
        json!({"Company": "X"}),
        json!({"Last_Name": null}),
        json!({"Last_Name": ""}),
        json!({"First_Name": "Only"}),
    ] {
        let body = json!({ "data": [item] });
        let reply = req(&server, "POST", "/crm/v8/Leads", PATRICIA_T, Some(body)).await;
        assert_golden(&reply, &golden("post_item_missing_name"));
    }
    assert_eq!(lead_count(&server).await, 2);
}

#[tokio::test]
async fn every_module_requires_its_own_name_field_on_insert() {
    let server = sandbox().await;
    for (module, _, name_field) in MODULES {
        // Another module's name field does not count.
        let decoy = if name_field == "Subject" {
            "Name"
        } else {
            "Subject"
        };
        let body = json!({"data": [{decoy: "decoy"}, {name_field: ""}, {name_field: null}, {name_field: "Named"}]});
        let reply = req(
            &server,
            "POST",
            &format!("/crm/v8/{module}"),
            PATRICIA_T,
            Some(body),
        )
        .await;
        assert_eq!(reply.status, 207, "{module}: {}", reply.text());
        let data = reply.json()["data"].clone();
        for i in 0..3 {
            assert_eq!(
                data[i],
                error(
                    "MANDATORY_NOT_FOUND",
                    "required field not found",
                    json!({"api_name": name_field, "json_path": format!("$.data[{i}].{name_field}")})
                ),
                "{module} item {i}"
            );
        }
        assert_eq!(data[3]["code"], "SUCCESS", "{module}");
        assert_eq!(data[3]["message"], "record added", "{module}");
    }
}

#[tokio::test]
async fn insert_name_field_that_is_not_a_string_is_invalid_at_its_path() {
    let server = sandbox().await;
    for value in [json!(5), json!(true), json!({"a": 1}), json!(["x"])] {
        let body = json!({"data": [{"Last_Name": value}]});
        let reply = req(&server, "POST", "/crm/v8/Leads", PATRICIA_T, Some(body)).await;
        assert_eq!(reply.status, 400, "{}", reply.text());
        let item = reply.json()["data"][0].clone();
        // §3.2 gives the code and the path; the rest of `details` is not fixed.
        assert_eq!(item["code"], "INVALID_DATA");
        assert_eq!(item["message"], "invalid data");
        assert_eq!(item["status"], "error");
        assert_eq!(item["details"]["api_name"], "Last_Name");
        assert_eq!(item["details"]["json_path"], "$.data[0].Last_Name");
    }
    assert_eq!(lead_count(&server).await, 2);
}

#[tokio::test]
async fn insert_success_stores_the_fields_as_given_and_the_system_keys_as_the_mocks() {
    let server = sandbox().await;
    let body = json!({"data": [{"Last_Name": "Haddad", "First_Name": "Omar"}]});
    let reply = req(&server, "POST", "/crm/v8/Leads", AMELIA_T, Some(body)).await;
    let id = inserted_id(&reply, 0);
    assert_golden_as(&reply, "post_success", &[(&id, EXAMPLE_NEW_ID)]);

    // Any JSON value is stored as given; system keys and `$` keys of the item are ignored.
    let body = json!({"data": [{
        "Last_Name": "Stored",
        "Nested": {"a": [1, {"b": null}], "c": "d"},
        "Number": 1.5,
        "Big": 4150868000001199001u64,
        "Flag": false,
        "Nothing": null,
        "List": ["x", 2],
        "Empty": "",
        "id": "4150868000001148212",
        "Created_Time": "1999-01-01T00:00:00+00:00",
        "Modified_Time": "1999-01-01T00:00:00+00:00",
        "Created_By": {"id": OLIVIA},
        "Modified_By": {"id": OLIVIA},
        "$editable": false,
        "$foo": "bar"
    }]});
    let reply = req(&server, "POST", "/crm/v8/Leads", AMELIA_T, Some(body)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let id = inserted_id(&reply, 0);
    assert_ne!(id, LEAD_212);
    let record = only_record(
        &req(
            &server,
            "GET",
            &format!("/crm/v8/Leads/{id}"),
            AMELIA_T,
            None,
        )
        .await,
    );
    assert_eq!(
        record,
        json!({
            "$editable": true,
            "$sharing_permission": "full_access",
            "Big": 4150868000001199001u64,
            "Created_By": user_ref(AMELIA),
            "Created_Time": T_EXAMPLES,
            "Empty": "",
            "Flag": false,
            "Last_Name": "Stored",
            "List": ["x", 2],
            "Modified_By": user_ref(AMELIA),
            "Modified_Time": T_EXAMPLES,
            "Nested": {"a": [1, {"b": null}], "c": "d"},
            "Nothing": null,
            "Number": 1.5,
            "Owner": user_ref(AMELIA),
            "id": id,
        })
    );
    let lead = only_record(
        &req(
            &server,
            "GET",
            &format!("/crm/v8/Leads/{LEAD_212}"),
            PATRICIA_T,
            None,
        )
        .await,
    );
    assert_eq!(lead["Last_Name"], "Patel", "the item's id named nothing");
}

#[tokio::test]
async fn insert_accepts_and_ignores_the_documented_top_level_keys() {
    let server = sandbox().await;
    let body = json!({
        "data": [{"Last_Name": "New"}],
        "trigger": ["workflow", "approval"],
        "wf_trigger": true,
        "lar_id": "123",
        "process": ["review_process"],
        "duplicate_check_fields": ["Email"],
        "apply_feature_execution": [{"name": "layout_rules"}],
        "skip_feature_execution": [{"name": "cadences"}],
        "apply_validation_rule": true,
        "anything": {"else": 1}
    });
    let reply = req(&server, "POST", "/crm/v8/Leads", PATRICIA_T, Some(body)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.json()["data"].as_array().expect("data").len(), 1);
}

#[tokio::test]
async fn insert_works_in_every_module_and_the_new_record_can_be_shared() {
    let server = sandbox().await;
    for (module, _, name_field) in MODULES {
        let body = json!({"data": [{name_field: format!("New {module}")}]});
        let reply = req(
            &server,
            "POST",
            &format!("/crm/v8/{module}"),
            PATRICIA_T,
            Some(body),
        )
        .await;
        assert_eq!(reply.status, 201, "{module}: {}", reply.text());
        let id = inserted_id(&reply, 0);
        let path = format!("/crm/v8/{module}/{id}?fields={name_field}");
        let record = only_record(&req(&server, "GET", &path, PATRICIA_T, None).await);
        assert_eq!(record[name_field], format!("New {module}"), "{module}");
    }
    // A record inserted here is shared through record sharing (§1 "One org").
    let id = insert_example_lead(&server).await;
    let share = json!({"share": [{"permission": "read_only", "shared_with": {"id": RYAN, "type": "users"}, "type": "private"}]});
    let reply = req(
        &server,
        "POST",
        &format!("/crm/v8/Leads/{id}/actions/share"),
        AMELIA_T,
        Some(share),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let record =
        only_record(&req(&server, "GET", &format!("/crm/v8/Leads/{id}"), RYAN_T, None).await);
    assert_eq!(record["$sharing_permission"], "read_only");
}

#[tokio::test]
async fn insert_fault_answers_the_insert_text() {
    let server = sandbox().await;
    let fault = json!({"method": "POST", "path": "/crm/v8/Leads", "status": 400, "code": "AUTHORIZATION_FAILED"});
    assert_eq!(
        server
            .admin("POST", "/__admin/faults", Some(fault))
            .await
            .status,
        201
    );
    let body = json!({"data": [{"Last_Name": "New"}]});
    let reply = req(&server, "POST", "/crm/v8/Leads", PATRICIA_T, Some(body)).await;
    assert_golden(&reply, &golden("post_fault_authorization_failed"));
    assert_eq!(lead_count(&server).await, 2);
}

// ---- §3 record bodies and §6 reading ----

#[tokio::test]
async fn a_record_body_holds_every_stored_field_and_the_system_keys() {
    let server = sandbox().await;
    let reply = req(
        &server,
        "GET",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        PATRICIA_T,
        None,
    )
    .await;
    assert_golden(&reply, &golden("get_sandbox_lead_whole"));
    // `fields` is optional on one record, on every version.
    for version in ["v2", "v3", "v8"] {
        let path = format!("/crm/{version}/Leads/{LEAD_212}");
        assert_golden(
            &req(&server, "GET", &path, PATRICIA_T, None).await,
            &golden("get_sandbox_lead_whole"),
        );
    }
}

#[tokio::test]
async fn every_sandbox_record_answers_its_fields_owner_and_times() {
    let server = sandbox().await;
    for (module, id, owner, fields) in sandbox_records() {
        let path = format!("/crm/v8/{module}/{id}");
        let record = only_record(&req(&server, "GET", &path, PATRICIA_T, None).await);
        let mut expected = fields.clone();
        let (name, email) = match owner {
            PATRICIA => ("Patricia Boyle", "patricia@zylker.com"),
            AMELIA => ("Amelia Burrows", "amelia@zylker.com"),
            EMMA => ("Emma Keller", "emma@zylker.com"),
            other => panic!("{other}"),
        };
        let who = json!({"email": email, "id": owner, "name": name});
        let map = expected.as_object_mut().expect("fields");
        map.insert("$editable".into(), json!(true));
        map.insert("$sharing_permission".into(), json!("full_access"));
        map.insert("Created_By".into(), who.clone());
        map.insert("Modified_By".into(), who.clone());
        map.insert("Owner".into(), who);
        map.insert("Created_Time".into(), json!(T_FIXTURE));
        map.insert("Modified_Time".into(), json!(T_FIXTURE));
        map.insert("id".into(), json!(id));
        assert_eq!(record, expected, "{module} {id}");
    }
}

#[tokio::test]
async fn fields_select_keys_trimmed_deduplicated_and_absent_ones_null() {
    let server = sandbox().await;
    let path = format!(
        "/crm/v8/Leads/{LEAD_212}?fields=%20Last_Name%20,Last_Name,,Owner,Created_Time,Missing,id"
    );
    let record = only_record(&req(&server, "GET", &path, AMELIA_T, None).await);
    assert_eq!(
        record,
        json!({
            "$editable": true,
            "$sharing_permission": "full_access",
            "Created_Time": T_FIXTURE,
            "Last_Name": "Patel",
            "Missing": null,
            "Owner": user_ref(PATRICIA),
            "id": LEAD_212,
        })
    );
    // The SDKs percent-encode the commas.
    let path = format!("/crm/v8/Leads?fields=Last_Name%2CCity&ids={LEAD_212}");
    let reply = req(&server, "GET", &path, AMELIA_T, None).await;
    assert_eq!(
        reply.json()["data"],
        json!([{"$editable": true, "$sharing_permission": "full_access", "City": "Chennai", "Last_Name": "Patel", "id": LEAD_212}])
    );
}

#[tokio::test]
async fn reading_without_the_view_permission_is_refused() {
    let server = TestServer::with_fixture(&caps_fixture()).await;
    for path in [
        "/crm/v8/Leads?fields=Last_Name".to_owned(),
        "/crm/v8/Leads".to_owned(),
        "/crm/v2/Leads".to_owned(),
        "/crm/v8/Leads/31".to_owned(),
        "/crm/v8/Leads/99999".to_owned(),
        "/crm/v8/Leads?fields=Last_Name&page=0".to_owned(),
    ] {
        let reply = req(&server, "GET", &path, "tok-caps-nl", None).await;
        assert_golden(&reply, &golden("get_no_view_permission"));
    }
    // Other modules are not affected.
    let record =
        only_record(&req(&server, "GET", "/crm/v8/Contacts/41", "tok-caps-nl", None).await);
    assert_eq!(record["$sharing_permission"], "full_access");
}

#[tokio::test]
async fn a_list_needs_fields_from_v3_and_at_most_50() {
    let server = sandbox().await;
    for path in [
        "/crm/v8/Leads",
        "/crm/v3/Leads?fields=",
        "/crm/v8/Leads?fields",
        "/crm/v7/Leads?page=1",
    ] {
        let reply = req(&server, "GET", path, PATRICIA_T, None).await;
        assert_golden(&reply, &golden("ex_c_list_without_fields"));
    }
    let names = |n: usize| {
        (0..n)
            .map(|i| format!("F{i}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    for path in [
        format!("/crm/v8/Leads?fields={}", names(51)),
        format!("/crm/v2/Leads?fields={}", names(51)),
        format!("/crm/v8/Leads/{LEAD_212}?fields={}", names(51)),
    ] {
        let reply = req(&server, "GET", &path, PATRICIA_T, None).await;
        assert_golden(&reply, &golden("get_fields_over_50"));
    }
    // Fifty distinct names (a repeat is dropped before counting) are fine.
    let path = format!("/crm/v8/Leads?fields={},F0", names(50));
    let reply = req(&server, "GET", &path, PATRICIA_T, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let path = format!("/crm/v8/Leads/{LEAD_212}?fields={}", names(50));
    assert_eq!(
        req(&server, "GET", &path, PATRICIA_T, None).await.status,
        200
    );
}

#[tokio::test]
async fn list_parameters_with_bad_values() {
    let server = sandbox().await;
    let cases = [
        ("page=0", "list_bad_page"),
        ("page=abc", "list_bad_page"),
        ("page=%2B1", "list_bad_page"),
        ("page=1.0", "list_bad_page"),
        ("page=-1", "list_bad_page"),
        ("per_page=0", "list_bad_per_page"),
        ("per_page=201", "list_bad_per_page"),
        ("per_page=x", "list_bad_per_page"),
        ("sort_by=Name", "list_bad_sort_by"),
        ("sort_by=Last_Name", "list_bad_sort_by"),
        ("sort_order=up", "list_bad_sort_order"),
        ("ids=1,x", "list_bad_ids"),
        ("ids=12.5", "list_bad_ids"),
    ];
    for (query, name) in cases {
        let path = format!("/crm/v8/Leads?fields=Last_Name&{query}");
        let reply = req(&server, "GET", &path, PATRICIA_T, None).await;
        assert_golden(&reply, &golden(name));
    }
    let many: Vec<String> = (0..101)
        .map(|i| format!("{}", 4150868000001500000u64 + i))
        .collect();
    let path = format!("/crm/v8/Leads?fields=Last_Name&ids={}", many.join(","));
    assert_golden(
        &req(&server, "GET", &path, PATRICIA_T, None).await,
        &golden("list_bad_ids"),
    );
    // One record ignores the list parameters.
    let path = format!("/crm/v8/Leads/{LEAD_212}?page=0&per_page=x&sort_by=Name&ids=x");
    assert_eq!(
        req(&server, "GET", &path, PATRICIA_T, None).await.status,
        200
    );
}

#[tokio::test]
async fn list_parameter_values_that_are_accepted() {
    let server = sandbox().await;
    for (query, page, per_page, sort_by, sort_order) in [
        ("page=01", 1, 200, "id", "desc"),
        ("per_page=200", 1, 200, "id", "desc"),
        ("sort_by=&sort_order=", 1, 200, "id", "desc"),
        (
            "sort_by=Created_Time&sort_order=asc",
            1,
            200,
            "Created_Time",
            "asc",
        ),
        ("sort_by=Modified_Time", 1, 200, "Modified_Time", "desc"),
        ("page=1&page=9", 1, 200, "id", "desc"),
        (
            "cvid=1&page_token=x&converted=true&territory_id=1&include_child=true&approved=true&uid=1&startDateTime=x&endDateTime=y&on_demand_properties=x",
            1,
            200,
            "id",
            "desc",
        ),
    ] {
        let path = format!("/crm/v8/Leads?fields=Last_Name&{query}");
        let reply = req(&server, "GET", &path, PATRICIA_T, None).await;
        assert_eq!(reply.status, 200, "{query}: {}", reply.text());
        assert_eq!(
            reply.json()["info"],
            json!({"count": 2, "more_records": false, "next_page_token": null, "page": page, "page_token_expiry": null,
                   "per_page": per_page, "previous_page_token": null, "sort_by": sort_by, "sort_order": sort_order}),
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_page_without_records_answers_204() {
    let server = sandbox().await;
    for (path, token) in [
        ("/crm/v8/Leads?fields=Last_Name&page=2", PATRICIA_T),
        ("/crm/v8/Calls?fields=Subject", PATRICIA_T),
        (
            "/crm/v8/Leads?fields=Last_Name&ids=4150868000009999999",
            PATRICIA_T,
        ),
        // Emma sees no contact other than the Chennai one, and no lead.
        ("/crm/v8/Leads?fields=Last_Name", EMMA_T),
    ] {
        let reply = req(&server, "GET", path, token, None).await;
        assert_golden(&reply, &golden("list_empty_page"));
    }
}

#[tokio::test]
async fn one_record_that_is_absent_or_hidden_answers_204() {
    let server = sandbox().await;
    for (path, token) in [
        (format!("/crm/v8/Leads/{UNKNOWN_RECORD}"), PATRICIA_T),
        // Another module's record.
        (format!("/crm/v8/Contacts/{LEAD_212}"), PATRICIA_T),
        (format!("/crm/v8/Leads/0{LEAD_212}"), PATRICIA_T),
        // Hidden: Ryan on Amelia's lead.
        (format!("/crm/v8/Leads/{LEAD_213}"), RYAN_T),
        (format!("/crm/v8/Leads/{LEAD_213}?fields=Last_Name"), RYAN_T),
    ] {
        let reply = req(&server, "GET", &path, token, None).await;
        assert_golden(&reply, &golden("get_hidden_or_absent"));
    }
}

/// Records with distinct times and ids of different lengths, so numeric and string order differ.
fn paging_fixture() -> String {
    json!({"orgs": [{
        "id": "pg",
        "users": [{"id": "1", "email": "admin@pg.io", "full_name": "Pat Admin", "role": "9", "profile": "Administrator", "status": "active"},
                  {"id": "2", "email": "rep@pg.io", "full_name": "Rob Rep", "role": "8", "profile": "Standard", "status": "active"}],
        "roles": [{"id": "9", "name": "Boss"}, {"id": "8", "name": "Rep"}],
        "tokens": [{"access_token": "tok-pg", "user": "1", "scopes": ["ZohoCRM.modules.ALL"], "expires_at": null},
                   {"access_token": "tok-pg-rep", "user": "2", "scopes": ["ZohoCRM.modules.ALL"], "expires_at": null}],
        "records": [
            {"module": "Leads", "id": "98", "owner": "1", "fields": {"Last_Name": "A"},
             "created_time": "2026-01-03T00:00:00+00:00", "modified_time": "2026-02-01T00:00:00+00:00"},
            {"module": "Leads", "id": "100", "owner": "1", "fields": {"Last_Name": "B"},
             "created_time": "2026-01-01T00:00:00+00:00", "modified_time": "2026-02-03T00:00:00+00:00"},
            {"module": "Leads", "id": "7", "owner": "2", "fields": {"Last_Name": "C"},
             "created_time": "2026-01-02T00:00:00+00:00", "modified_time": "2026-02-02T00:00:00+00:00"},
            {"module": "Leads", "id": "1000", "owner": "1", "fields": {"Last_Name": "D"},
             "created_time": "2026-01-04T00:00:00+05:30", "modified_time": "2026-01-31T23:00:00-05:00"},
            {"module": "Contacts", "id": "55", "owner": "1", "fields": {"Last_Name": "E"}}
        ]
    }]})
    .to_string()
}

#[tokio::test]
async fn lists_sort_by_id_and_times_and_page() {
    let server = TestServer::with_fixture(&paging_fixture()).await;
    let list = |query: &str| format!("/crm/v8/Leads?fields=Last_Name&{query}");
    let cases: [(&str, &[&str]); 8] = [
        ("", &["1000", "100", "98", "7"]),
        ("sort_order=asc", &["7", "98", "100", "1000"]),
        ("sort_by=id&sort_order=desc", &["1000", "100", "98", "7"]),
        // 1000 was created at 2026-01-03T18:30Z.
        ("sort_by=Created_Time", &["1000", "98", "7", "100"]),
        (
            "sort_by=Created_Time&sort_order=asc",
            &["100", "7", "98", "1000"],
        ),
        // 1000 was modified at 2026-02-01T04:00Z, after 98.
        ("sort_by=Modified_Time", &["100", "7", "1000", "98"]),
        ("ids=7,100,12345,55", &["100", "7"]),
        ("ids=7,0100", &["7"]),
    ];
    for (query, expected) in cases {
        let reply = req(&server, "GET", &list(query), "tok-pg", None).await;
        assert_eq!(listed_ids(&reply), expected.to_vec(), "{query}");
    }
    let reply = req(&server, "GET", &list("per_page=3"), "tok-pg", None).await;
    assert_eq!(listed_ids(&reply), ["1000", "100", "98"]);
    assert_eq!(
        reply.json()["info"],
        json!({"count": 3, "more_records": true, "next_page_token": null, "page": 1, "page_token_expiry": null,
               "per_page": 3, "previous_page_token": null, "sort_by": "id", "sort_order": "desc"})
    );
    let reply = req(&server, "GET", &list("per_page=3&page=2"), "tok-pg", None).await;
    assert_eq!(listed_ids(&reply), ["7"]);
    assert_eq!(reply.json()["info"]["count"], 1);
    assert_eq!(reply.json()["info"]["more_records"], false);
    assert_eq!(reply.json()["info"]["page"], 2);
    let reply = req(
        &server,
        "GET",
        &list("per_page=2&page=2&sort_order=asc"),
        "tok-pg",
        None,
    )
    .await;
    assert_eq!(listed_ids(&reply), ["100", "1000"]);
    assert_eq!(reply.json()["info"]["more_records"], false);
    assert_golden(
        &req(&server, "GET", &list("per_page=3&page=3"), "tok-pg", None).await,
        &golden("list_empty_page"),
    );
    // Paging counts only the records the caller can see: Rob sees his own lead alone.
    let reply = req(&server, "GET", &list("per_page=1"), "tok-pg-rep", None).await;
    assert_eq!(listed_ids(&reply), ["7"]);
    assert_eq!(reply.json()["info"]["more_records"], false);
    // Fixture times are answered in UTC.
    let record = only_record(&req(&server, "GET", "/crm/v8/Leads/1000", "tok-pg", None).await);
    assert_eq!(record["Created_Time"], "2026-01-03T18:30:00+00:00");
    assert_eq!(record["Modified_Time"], "2026-02-01T04:00:00+00:00");
}

#[tokio::test]
async fn a_list_holds_only_what_the_caller_can_see() {
    let server = sandbox().await;
    let cases: [(&str, &str, &[&str]); 8] = [
        (RYAN_T, "Leads", &[LEAD_212]),
        (AMELIA_T, "Leads", &[LEAD_213, LEAD_212]),
        (RYAN_T, "Contacts", &[CONTACT_347]),
        (AMELIA_T, "Contacts", &[CONTACT_347, CONTACT_230]),
        (EMMA_T, "Deals", &[DEAL_251]),
        (RYAN_T, "Deals", &[DEAL_250]),
        (LUCAS_T, "Cases", &[CASE_341]),
        (OLIVIA_T, "Cases", &[CASE_341]),
    ];
    for (token, module, expected) in cases {
        let path = format!("/crm/v8/{module}?fields=id");
        let reply = req(&server, "GET", &path, token, None).await;
        assert_eq!(listed_ids(&reply), expected.to_vec(), "{token} {module}");
    }
    let reply = req(
        &server,
        "GET",
        "/crm/v8/Cases?fields=Subject",
        PATRICIA_T,
        None,
    )
    .await;
    assert_eq!(listed_ids(&reply), [CASE_341, CASE_340]);
}

// ---- §7 and §13 PUT (update) ----

async fn stored_fields(server: &TestServer, id: &str) -> Value {
    let org = zylker(&server.state().await);
    stored_record(&org, id).expect("the record")["fields"].clone()
}

#[tokio::test]
async fn update_without_the_edit_permission_is_refused() {
    let server = sandbox().await;
    for (path, body) in [
        (
            "/crm/v8/Leads".to_owned(),
            json!({"data": [{"id": LEAD_212, "City": "Pune"}]}),
        ),
        (
            format!("/crm/v8/Campaigns/{CAMPAIGN_310}"),
            json!({"data": [{"Campaign_Name": "x"}]}),
        ),
    ] {
        let reply = req(&server, "PUT", &path, SOPHIA_T, Some(body)).await;
        assert_golden(&reply, &golden("ex_d_put_read_only_profile"));
    }
}

#[tokio::test]
async fn update_body_errors_answer_as_insert() {
    let server = sandbox().await;
    let single = format!("/crm/v8/Leads/{LEAD_212}");
    for path in ["/crm/v8/Leads", single.as_str()] {
        for body in ["[not json", "[1]", "7"] {
            assert_golden(
                &raw(&server, "PUT", path, PATRICIA_T, body).await,
                &golden("put_body_not_object"),
            );
        }
        for body in ["", "{}", r#"{"data": null}"#, r#"{"data": []}"#] {
            assert_golden(
                &raw(&server, "PUT", path, PATRICIA_T, body).await,
                &golden("put_data_missing"),
            );
        }
        for body in [r#"{"data": {}}"#, r#"{"data": "x"}"#] {
            assert_golden(
                &raw(&server, "PUT", path, PATRICIA_T, body).await,
                &golden("put_data_not_array"),
            );
        }
    }
}

#[tokio::test]
async fn update_item_limits_100_in_bulk_and_1_on_the_single_path() {
    let server = sandbox().await;
    let items: Vec<Value> = (0..101)
        .map(|_| json!({"id": LEAD_212, "City": "Pune"}))
        .collect();
    let reply = req(
        &server,
        "PUT",
        "/crm/v8/Leads",
        PATRICIA_T,
        Some(json!({ "data": items })),
    )
    .await;
    assert_golden(&reply, &golden("put_bulk_over_100_items"));
    let body = json!({"data": [{"City": "Pune"}, {"City": "Delhi"}]});
    let reply = req(
        &server,
        "PUT",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        PATRICIA_T,
        Some(body),
    )
    .await;
    assert_golden(&reply, &golden("put_single_over_1_item"));
    assert_eq!(stored_fields(&server, LEAD_212).await["City"], "Chennai");
    // Exactly 100 items are taken, each applied on top of the one before.
    let items: Vec<Value> = (0..100)
        .map(|i| json!({"id": LEAD_212, "Step": i}))
        .collect();
    let reply = req(
        &server,
        "PUT",
        "/crm/v8/Leads",
        PATRICIA_T,
        Some(json!({ "data": items })),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["data"].as_array().expect("data").len(), 100);
    assert_eq!(stored_fields(&server, LEAD_212).await["Step"], 99);
}

#[tokio::test]
async fn update_item_not_an_object() {
    let server = sandbox().await;
    let reply = raw(
        &server,
        "PUT",
        "/crm/v8/Leads",
        PATRICIA_T,
        r#"{"data": ["x"]}"#,
    )
    .await;
    assert_golden(&reply, &golden("put_item_not_object"));
    let reply = raw(
        &server,
        "PUT",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        PATRICIA_T,
        r#"{"data": [null]}"#,
    )
    .await;
    assert_golden(&reply, &golden("put_item_not_object"));
}

#[tokio::test]
async fn update_bulk_item_without_or_with_a_malformed_id() {
    let server = sandbox().await;
    let body = json!({"data": [{"City": "Pune"}]});
    assert_golden(
        &req(&server, "PUT", "/crm/v8/Leads", PATRICIA_T, Some(body)).await,
        &golden("put_bulk_id_missing"),
    );
    for id in [
        "abc",
        "-5",
        "1.5",
        "true",
        "{\"id\": 1}",
        "\"\"",
        "18446744073709551616",
        "\"12 3\"",
        "\"x1\"",
        "null",
    ] {
        let body = format!(r#"{{"data": [{{"id": {id}, "City": "Pune"}}]}}"#);
        let reply = raw(&server, "PUT", "/crm/v8/Leads", PATRICIA_T, &body).await;
        if id == "null" {
            // A null id is treated as missing or as malformed: both are item errors on `id`.
            assert_eq!(reply.status, 400, "{}", reply.text());
            assert_eq!(reply.json()["data"][0]["details"]["api_name"], "id");
            continue;
        }
        if id == "abc" {
            // Not JSON at all.
            assert_golden(&reply, &golden("put_body_not_object"));
            continue;
        }
        assert_golden(&reply, &golden("put_bulk_id_malformed"));
    }
    // An id on the single path is ignored: the path id wins.
    let body = json!({"data": [{"id": "abc", "City": "Pune"}]});
    let reply = req(
        &server,
        "PUT",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        PATRICIA_T,
        Some(body),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["data"][0]["details"]["id"], LEAD_212);
}

#[tokio::test]
async fn update_of_an_absent_or_hidden_record() {
    let server = sandbox().await;
    for (path, body, token) in [
        (
            format!("/crm/v8/Leads/{UNKNOWN_RECORD}"),
            json!({"data": [{"City": "Pune"}]}),
            PATRICIA_T,
        ),
        (
            "/crm/v8/Leads".to_owned(),
            json!({"data": [{"id": UNKNOWN_RECORD, "City": "Pune"}]}),
            PATRICIA_T,
        ),
        (
            "/crm/v8/Leads".to_owned(),
            json!({"data": [{"id": 4150868000009999999u64, "City": "Pune"}]}),
            PATRICIA_T,
        ),
        (
            "/crm/v8/Contacts".to_owned(),
            json!({"data": [{"id": UNKNOWN_RECORD}]}),
            PATRICIA_T,
        ),
    ] {
        let reply = req(&server, "PUT", &path, token, Some(body)).await;
        assert_golden(&reply, &golden("put_absent_record"));
    }
    // Hidden answers like absent: Ryan on Amelia's lead; a lead id under Contacts.
    let body = json!({"data": [{"City": "Pune"}]});
    let reply = req(
        &server,
        "PUT",
        &format!("/crm/v8/Leads/{LEAD_213}"),
        RYAN_T,
        Some(body.clone()),
    )
    .await;
    assert_items(
        &reply,
        400,
        vec![error(
            "INVALID_DATA",
            "the id given seems to be invalid",
            json!({"id": LEAD_213}),
        )],
    );
    let reply = req(
        &server,
        "PUT",
        &format!("/crm/v8/Contacts/{LEAD_212}"),
        PATRICIA_T,
        Some(body),
    )
    .await;
    assert_items(
        &reply,
        400,
        vec![error(
            "INVALID_DATA",
            "the id given seems to be invalid",
            json!({"id": LEAD_212}),
        )],
    );
    assert_eq!(stored_fields(&server, LEAD_213).await["City"], "Austin");
    assert_eq!(stored_fields(&server, LEAD_212).await["City"], "Chennai");
}

#[tokio::test]
async fn update_at_the_read_level_is_refused_per_item() {
    let server = sandbox().await;
    let body = json!({"data": [{"id": CONTACT_230, "Mailing_City": "Pune"}]});
    let reply = req(&server, "PUT", "/crm/v8/Contacts", AMELIA_T, Some(body)).await;
    assert_items(
        &reply,
        400,
        vec![error(
            "NO_PERMISSION",
            "no permission to perform an action on this record",
            json!({"id": CONTACT_230}),
        )],
    );
    assert_eq!(
        stored_fields(&server, CONTACT_230).await["Mailing_City"],
        "Bengaluru"
    );
}

#[tokio::test]
async fn update_item_whose_owner_is_not_an_active_user() {
    let server = sandbox().await;
    for owner in [
        json!({"id": DEREK_DISABLED}),
        json!({"id": UNKNOWN_RECORD}),
        json!("x"),
        json!({}),
    ] {
        let body = json!({"data": [{"Owner": owner}]});
        let reply = req(
            &server,
            "PUT",
            &format!("/crm/v8/Leads/{LEAD_212}"),
            AMELIA_T,
            Some(body),
        )
        .await;
        assert_golden(&reply, &golden("put_item_bad_owner"));
    }
    let org = zylker(&server.state().await);
    assert_eq!(
        stored_record(&org, LEAD_212).expect("lead")["owner"],
        PATRICIA
    );
}

#[tokio::test]
async fn update_may_not_empty_the_name_field() {
    let server = sandbox().await;
    for value in [json!(null), json!("")] {
        let body = json!({"data": [{"Last_Name": value}]});
        let reply = req(
            &server,
            "PUT",
            &format!("/crm/v8/Leads/{LEAD_212}"),
            PATRICIA_T,
            Some(body),
        )
        .await;
        assert_golden(&reply, &golden("put_name_field_emptied"));
    }
    let body = json!({"data": [{"id": ACCOUNT_240, "Account_Name": ""}]});
    let reply = req(&server, "PUT", "/crm/v8/Accounts", PATRICIA_T, Some(body)).await;
    assert_items(
        &reply,
        400,
        vec![error(
            "MANDATORY_NOT_FOUND",
            "required field not found",
            json!({"api_name": "Account_Name", "json_path": "$.data[0].Account_Name"}),
        )],
    );
    assert_eq!(stored_fields(&server, LEAD_212).await["Last_Name"], "Patel");
    // An update that leaves the name field out keeps it.
    let body = json!({"data": [{"City": "Pune"}]});
    let reply = req(
        &server,
        "PUT",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        PATRICIA_T,
        Some(body),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(stored_fields(&server, LEAD_212).await["Last_Name"], "Patel");
}

#[tokio::test]
async fn update_success_merges_fields_and_restamps_the_modification() {
    let server = sandbox().await;
    freeze(&server, "2026-11-21T10:00:00+00:00").await;
    // Amelia edits Patricia's lead through "Leads to Sales" (spec §7's success item).
    let body = json!({"data": [{"City": null, "Rating": "Hot", "Modified_Time": "1999-01-01T00:00:00+00:00", "$editable": false}]});
    let reply = req(
        &server,
        "PUT",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        AMELIA_T,
        Some(body),
    )
    .await;
    assert_golden(&reply, &golden("put_single_success"));
    let record = only_record(
        &req(
            &server,
            "GET",
            &format!("/crm/v8/Leads/{LEAD_212}"),
            AMELIA_T,
            None,
        )
        .await,
    );
    assert_eq!(
        record,
        json!({
            "$editable": true,
            "$sharing_permission": "full_access",
            "City": null,
            "Company": "Zylker Freight",
            "Created_By": user_ref(PATRICIA),
            "Created_Time": T_FIXTURE,
            "First_Name": "Kevin",
            "Last_Name": "Patel",
            "Modified_By": user_ref(AMELIA),
            "Modified_Time": "2026-11-21T10:00:00+00:00",
            "Owner": user_ref(PATRICIA),
            "Rating": "Hot",
            "id": LEAD_212,
        })
    );
    let org = zylker(&server.state().await);
    let stored = stored_record(&org, LEAD_212).expect("lead");
    assert_eq!(stored["modified_by"], AMELIA);
    assert_eq!(stored["modified_time"], "2026-11-21T10:00:00+00:00");
    assert_eq!(stored["created_by"], PATRICIA);
}

#[tokio::test]
async fn bulk_update_reports_each_item_in_order() {
    let server = sandbox().await;
    freeze(&server, "2026-11-21T10:00:00+00:00").await;
    // Ids as JSON integers, as the Python SDK sends them.
    let body = format!(
        r#"{{"data": [{{"id": {LEAD_212}, "City": "Pune"}}, {{"id": "{LEAD_213}", "City": "Delhi"}}, {{"id": {LEAD_212}, "City": "Goa"}}]}}"#
    );
    let reply = raw(&server, "PUT", "/crm/v8/Leads", AMELIA_T, &body).await;
    assert_golden(&reply, &golden("put_bulk_success"));
    assert_eq!(
        stored_fields(&server, LEAD_212).await["City"],
        "Goa",
        "the later item on top"
    );
    assert_eq!(stored_fields(&server, LEAD_213).await["City"], "Delhi");

    let body = json!({"data": [{"id": LEAD_212, "Rating": "Warm"}, {"id": CONTACT_230}, {"id": LEAD_213, "Last_Name": ""}, "x"]});
    let reply = req(&server, "PUT", "/crm/v8/Leads", AMELIA_T, Some(body)).await;
    assert_golden(&reply, &golden("put_bulk_mixed"));
    assert_eq!(stored_fields(&server, LEAD_212).await["Rating"], "Warm");
    assert_eq!(stored_fields(&server, LEAD_213).await["Last_Name"], "Ross");

    let body = json!({"data": [{"id": UNKNOWN_RECORD}, {"City": "x"}]});
    let reply = req(&server, "PUT", "/crm/v8/Leads", AMELIA_T, Some(body)).await;
    assert_eq!(reply.status, 400, "every item failed: {}", reply.text());
}

#[tokio::test]
async fn an_owner_change_recomputes_access_at_once() {
    let server = sandbox().await;
    // Amelia gives her lead to Ryan and loses it: same role, no sharing with peers.
    let body = json!({"data": [{"Owner": {"id": RYAN}}]});
    let reply = req(
        &server,
        "PUT",
        &format!("/crm/v8/Leads/{LEAD_213}"),
        AMELIA_T,
        Some(body),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_golden(
        &req(
            &server,
            "GET",
            &format!("/crm/v8/Leads/{LEAD_213}"),
            AMELIA_T,
            None,
        )
        .await,
        &golden("get_hidden_or_absent"),
    );
    let record = only_record(
        &req(
            &server,
            "GET",
            &format!("/crm/v8/Leads/{LEAD_213}"),
            RYAN_T,
            None,
        )
        .await,
    );
    assert_eq!(record["Owner"], user_ref(RYAN));
    assert_eq!(record["Created_By"], user_ref(AMELIA));
    assert_eq!(record["Modified_By"], user_ref(AMELIA));
    assert_eq!(record["$sharing_permission"], "full_access");
    let org = zylker(&server.state().await);
    assert_eq!(stored_record(&org, LEAD_213).expect("lead")["owner"], RYAN);
}

#[tokio::test]
async fn update_fault_answers_the_update_text() {
    let server = sandbox().await;
    let fault = json!({"method": "PUT", "path": "/crm/v8/Leads/*", "status": 400, "code": "AUTHORIZATION_FAILED"});
    assert_eq!(
        server
            .admin("POST", "/__admin/faults", Some(fault))
            .await
            .status,
        201
    );
    let body = json!({"data": [{"City": "Pune"}]});
    let reply = req(
        &server,
        "PUT",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        PATRICIA_T,
        Some(body),
    )
    .await;
    assert_golden(&reply, &golden("put_fault_authorization_failed"));
    assert_eq!(stored_fields(&server, LEAD_212).await["City"], "Chennai");
}

// ---- §8 and §13 DELETE ----

#[tokio::test]
async fn delete_without_the_delete_permission_is_refused() {
    let server = sandbox().await;
    for path in [
        format!("/crm/v8/Leads?ids={LEAD_212}"),
        format!("/crm/v8/Leads/{LEAD_212}"),
    ] {
        assert_golden(
            &req(&server, "DELETE", &path, SOPHIA_T, None).await,
            &golden("delete_no_delete_permission"),
        );
    }
    assert!(stored_record(&zylker(&server.state().await), LEAD_212).is_some());
}

#[tokio::test]
async fn bulk_delete_needs_ids() {
    let server = sandbox().await;
    for path in [
        "/crm/v8/Leads",
        "/crm/v8/Leads?ids=",
        "/crm/v8/Leads?ids",
        "/crm/v8/Leads?wf_trigger=true",
    ] {
        assert_golden(
            &req(&server, "DELETE", path, PATRICIA_T, None).await,
            &golden("delete_ids_missing"),
        );
    }
}

#[tokio::test]
async fn bulk_delete_with_an_entry_that_is_empty_or_not_digits() {
    let server = sandbox().await;
    for ids in [
        format!("{LEAD_212},x"),
        format!("{LEAD_212},,{LEAD_213}"),
        format!("{LEAD_212},"),
        ",".to_owned(),
        "-1".to_owned(),
        "1.5".to_owned(),
    ] {
        let path = format!("/crm/v8/Leads?ids={ids}");
        assert_golden(
            &req(&server, "DELETE", &path, PATRICIA_T, None).await,
            &golden("delete_ids_unparsable"),
        );
    }
    assert!(
        stored_record(&zylker(&server.state().await), LEAD_212).is_some(),
        "nothing deleted"
    );
}

#[tokio::test]
async fn bulk_delete_of_more_than_100_ids() {
    let server = sandbox().await;
    let mut ids: Vec<String> = (0..100)
        .map(|i| format!("{}", 4150868000001500000u64 + i))
        .collect();
    ids.push(LEAD_212.to_owned());
    let path = format!("/crm/v8/Leads?ids={}", ids.join(","));
    assert_golden(
        &req(&server, "DELETE", &path, PATRICIA_T, None).await,
        &golden("delete_ids_over_100"),
    );
    assert!(stored_record(&zylker(&server.state().await), LEAD_212).is_some());
    // Exactly 100 are taken.
    ids.remove(0);
    let path = format!("/crm/v8/Leads?ids={}", ids.join(","));
    let reply = req(&server, "DELETE", &path, PATRICIA_T, None).await;
    assert_eq!(reply.status, 207, "{}", reply.text());
    assert_eq!(reply.json()["data"].as_array().expect("data").len(), 100);
    assert!(stored_record(&zylker(&server.state().await), LEAD_212).is_none());
}

#[tokio::test]
async fn delete_of_an_absent_hidden_or_repeated_record() {
    let server = sandbox().await;
    // Spaces around ids are trimmed; a repeat is deleted once.
    let path =
        format!("/crm/v8/Leads?ids=%20{LEAD_212}%20,{UNKNOWN_RECORD},{LEAD_212},{CONTACT_230}");
    let reply = req(&server, "DELETE", &path, PATRICIA_T, None).await;
    assert_golden(&reply, &golden("delete_absent_hidden_repeated"));
    // Hidden answers as absent.
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Leads/{LEAD_213}"),
        RYAN_T,
        None,
    )
    .await;
    assert_items(
        &reply,
        400,
        vec![error(
            "INVALID_DATA",
            "record not deleted",
            json!({"id": LEAD_213}),
        )],
    );
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Leads/{UNKNOWN_RECORD}"),
        PATRICIA_T,
        None,
    )
    .await;
    assert_items(
        &reply,
        400,
        vec![error(
            "INVALID_DATA",
            "record not deleted",
            json!({"id": UNKNOWN_RECORD}),
        )],
    );
    assert!(stored_record(&zylker(&server.state().await), LEAD_213).is_some());
}

#[tokio::test]
async fn delete_below_full_is_refused_per_item() {
    let server = sandbox().await;
    // Amelia: read on the contact (her share), read_write on the deal (the Sales group share).
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Contacts?ids={CONTACT_230}"),
        AMELIA_T,
        None,
    )
    .await;
    assert_golden(&reply, &golden("delete_below_full"));
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Deals/{DEAL_250}"),
        AMELIA_T,
        None,
    )
    .await;
    assert_items(
        &reply,
        400,
        vec![error(
            "NO_PERMISSION",
            "no permission to perform an action on this record",
            json!({"id": DEAL_250}),
        )],
    );
    let org = zylker(&server.state().await);
    assert!(stored_record(&org, CONTACT_230).is_some() && stored_record(&org, DEAL_250).is_some());
}

#[tokio::test]
async fn delete_success_removes_the_record_and_its_shares() {
    let server = sandbox().await;
    // The single path ignores `ids`.
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Deals/{DEAL_250}?ids=x&wf_trigger=true"),
        PATRICIA_T,
        None,
    )
    .await;
    assert_golden(&reply, &golden("delete_single_success"));
    let org = zylker(&server.state().await);
    assert!(stored_record(&org, DEAL_250).is_none());
    assert!(
        org["shares"]
            .as_array()
            .expect("shares")
            .iter()
            .all(|s| s["record"] != DEAL_250),
        "its shares went with it"
    );
    let reply = server
        .get(
            &format!("/crm/v8/Deals/{DEAL_250}/actions/share"),
            ADMIN_TOKEN,
        )
        .await;
    assert_golden(&reply, "crm/record_sharing/f_unknown_record.json");
    assert_golden(
        &req(
            &server,
            "GET",
            &format!("/crm/v8/Deals/{DEAL_250}"),
            RYAN_T,
            None,
        )
        .await,
        &golden("get_hidden_or_absent"),
    );
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Deals/{DEAL_250}"),
        PATRICIA_T,
        None,
    )
    .await;
    assert_items(
        &reply,
        400,
        vec![error(
            "INVALID_DATA",
            "record not deleted",
            json!({"id": DEAL_250}),
        )],
    );
    // Bulk: every id deleted answers 200.
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Leads?ids={LEAD_212},{LEAD_213}&wf_trigger=false"),
        PATRICIA_T,
        None,
    )
    .await;
    assert_golden(&reply, &golden("delete_bulk_success"));
}

#[tokio::test]
async fn delete_fault_answers_the_delete_text() {
    let server = sandbox().await;
    let fault = json!({"method": "DELETE", "path": "/crm/v8/Leads", "status": 400, "code": "AUTHORIZATION_FAILED"});
    assert_eq!(
        server
            .admin("POST", "/__admin/faults", Some(fault))
            .await
            .status,
        201
    );
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Leads?ids={LEAD_212}"),
        PATRICIA_T,
        None,
    )
    .await;
    assert_golden(&reply, &golden("delete_fault_authorization_failed"));
    assert!(stored_record(&zylker(&server.state().await), LEAD_212).is_some());
}

// ---- §9 and DESIGN.md §4 "What the sandbox then answers": one level, every endpoint ----

/// Checks that the Records API enforces `level` for `token` on one record: GET one, the list
/// with `ids`, a harmless PUT and (when `delete` is set) a DELETE, each as §9 says. `edit` and
/// `delete_allowed` are the caller's profile permissions on the module.
#[allow(clippy::too_many_arguments)]
async fn assert_api_level(
    server: &TestServer,
    token: &str,
    module: &str,
    record: &str,
    level: &str,
    edit: bool,
    delete_allowed: bool,
    delete: bool,
) {
    let what = format!("{token} on {module} {record} ({level})");
    let one = format!("/crm/v8/{module}/{record}");
    let reply = req(server, "GET", &one, token, None).await;
    if level == "none" {
        assert_eq!(reply.status, 204, "{what}: GET {}", reply.text());
        assert!(reply.body.is_empty(), "{what}");
    } else {
        let body = only_record(&reply);
        assert_eq!(
            body["$sharing_permission"],
            sharing_permission(level),
            "{what}"
        );
        assert_eq!(body["$editable"], json!(rank(level) >= 2), "{what}");
        assert_eq!(body["id"], record, "{what}");
    }
    let list = format!("/crm/v8/{module}?fields=id&ids={record}");
    let listed = listed_ids(&req(server, "GET", &list, token, None).await);
    assert_eq!(
        listed.is_empty(),
        level == "none",
        "{what}: listed {listed:?}"
    );

    let body = json!({"data": [{"Access_Check": "x"}]});
    let reply = req(server, "PUT", &one, token, Some(body)).await;
    if !edit {
        assert_top_error(
            &reply,
            403,
            "NO_PERMISSION",
            "Permission denied to update",
            json!({}),
        );
    } else {
        match level {
            "none" => assert_items(
                &reply,
                400,
                vec![error(
                    "INVALID_DATA",
                    "the id given seems to be invalid",
                    json!({"id": record}),
                )],
            ),
            "read" => assert_items(
                &reply,
                400,
                vec![error(
                    "NO_PERMISSION",
                    "no permission to perform an action on this record",
                    json!({"id": record}),
                )],
            ),
            _ => {
                assert_eq!(reply.status, 200, "{what}: PUT {}", reply.text());
                assert_eq!(reply.json()["data"][0]["code"], "SUCCESS", "{what}");
            }
        }
    }
    if !delete {
        return;
    }
    let reply = req(server, "DELETE", &one, token, None).await;
    if !delete_allowed {
        assert_top_error(
            &reply,
            403,
            "NO_PERMISSION",
            "Permission denied to delete",
            json!({}),
        );
    } else {
        match level {
            "none" => assert_items(
                &reply,
                400,
                vec![error(
                    "INVALID_DATA",
                    "record not deleted",
                    json!({"id": record}),
                )],
            ),
            "read" | "read_write" => assert_items(
                &reply,
                400,
                vec![error(
                    "NO_PERMISSION",
                    "no permission to perform an action on this record",
                    json!({"id": record}),
                )],
            ),
            _ => {
                assert_eq!(reply.status, 200, "{what}: DELETE {}", reply.text());
                assert_eq!(
                    reply.json()["data"][0]["message"],
                    "record deleted",
                    "{what}"
                );
            }
        }
    }
}

/// One row of the quick-reference table: who, which record, the explain answer.
struct Row {
    user: &'static str,
    module: &'static str,
    record: &'static str,
    profile: Value,
    grants: Vec<Value>,
    uncapped: &'static str,
    level: &'static str,
}

fn quick_reference() -> Vec<Row> {
    let mut rows = vec![
        Row {
            user: AMELIA,
            module: "Leads",
            record: LEAD_212,
            profile: standard(),
            grants: vec![g_rule(LEADS_TO_SALES, "full", "grantee")],
            uncapped: "full",
            level: "full",
        },
        Row {
            user: SOPHIA,
            module: "Leads",
            record: LEAD_212,
            profile: read_only(),
            grants: vec![g_rule(LEADS_TO_SALES, "full", "grantee")],
            uncapped: "full",
            level: "read",
        },
        Row {
            user: RYAN,
            module: "Leads",
            record: LEAD_213,
            profile: standard(),
            grants: vec![],
            uncapped: "none",
            level: "none",
        },
        Row {
            user: OLIVIA,
            module: "Leads",
            record: LEAD_213,
            profile: standard(),
            grants: vec![g_hierarchy(AMELIA, "role")],
            uncapped: "full",
            level: "full",
        },
        Row {
            user: AMELIA,
            module: "Contacts",
            record: CONTACT_230,
            profile: standard(),
            grants: vec![g_share("share", AMELIA, "read_only")],
            uncapped: "read",
            level: "read",
        },
        Row {
            user: RYAN,
            module: "Contacts",
            record: CONTACT_230,
            profile: standard(),
            grants: vec![],
            uncapped: "none",
            level: "none",
        },
        Row {
            user: RYAN,
            module: "Deals",
            record: DEAL_250,
            profile: standard(),
            grants: vec![
                g_share("share", RYAN, "full_access"),
                g_share("group_share", SALES_GROUP, "read_write"),
            ],
            uncapped: "full",
            level: "full",
        },
        Row {
            user: EMMA,
            module: "Deals",
            record: DEAL_251,
            profile: standard(),
            grants: vec![g_rule(SALES_DEALS_TO_SUPPORT, "read", "grantee")],
            uncapped: "read",
            level: "read",
        },
        Row {
            user: LUCAS,
            module: "Cases",
            record: CASE_341,
            profile: standard(),
            grants: vec![g_peer(SUPPORT_AGENT_ROLE)],
            uncapped: "full",
            level: "full",
        },
        Row {
            user: OLIVIA,
            module: "Cases",
            record: CASE_341,
            profile: standard(),
            grants: vec![g_hierarchy(EMMA, "role")],
            uncapped: "full",
            level: "full",
        },
        Row {
            user: MASON,
            module: "Accounts",
            record: ACCOUNT_240,
            profile: standard(),
            grants: vec![g_share("role_share", SALES_REP_ROLE, "read_only")],
            uncapped: "read",
            level: "read",
        },
    ];
    // "anyone": every user but the Administrator.
    for user in [AMELIA, RYAN, OLIVIA, SOPHIA, EMMA, LUCAS, MASON] {
        let profile = if user == SOPHIA {
            read_only()
        } else {
            standard()
        };
        rows.push(Row {
            user,
            module: "Contacts",
            record: CONTACT_347,
            profile: profile.clone(),
            grants: vec![g_rule(CHENNAI_CONTACTS, "read", "grantee")],
            uncapped: "read",
            level: "read",
        });
        rows.push(Row {
            user,
            module: "Campaigns",
            record: CAMPAIGN_310,
            profile,
            grants: vec![
                g_default(CAMPAIGNS_ID, "public_read_only"),
                g_share("public", CAMPAIGN_310, "read_only"),
            ],
            uncapped: "read",
            level: "read",
        });
    }
    // Patricia, Administrator: full on every record.
    for (module, record, owner, _) in sandbox_records() {
        let mut grants = Vec::new();
        if owner == PATRICIA {
            grants.push(g_owner(PATRICIA));
        } else {
            grants.push(g_hierarchy(owner, "role"));
        }
        if record == CONTACT_347 {
            grants.push(g_rule(CHENNAI_CONTACTS, "read", "grantee"));
        }
        if record == CAMPAIGN_310 {
            grants.push(g_default(CAMPAIGNS_ID, "public_read_only"));
            grants.push(g_share("public", CAMPAIGN_310, "read_only"));
        }
        grants.push(g_admin(ADMINISTRATOR_PROFILE));
        rows.push(Row {
            user: PATRICIA,
            module,
            record,
            profile: administrator(),
            grants,
            uncapped: "full",
            level: "full",
        });
    }
    rows
}

#[tokio::test]
async fn the_sandbox_quick_reference_through_the_explain_endpoint() {
    let server = sandbox().await;
    for row in quick_reference() {
        let answer = explain(&server, row.user, row.record).await;
        let expected = explained(
            row.user,
            row.record,
            row.module,
            row.profile.clone(),
            row.grants.clone(),
            row.uncapped,
            row.level,
            false,
        );
        assert_eq!(
            answer, expected,
            "{} on {} {}",
            row.user, row.module, row.record
        );
        // `module` may be given, in any case.
        let reply = explain_in(
            &server,
            ORG,
            row.user,
            row.record,
            Some(&row.module.to_lowercase()),
        )
        .await;
        assert_eq!(reply.json(), expected, "{} with module", row.record);
    }
    // A disabled user is a user: Derek reads the Chennai contact like anyone.
    assert_eq!(
        explain(&server, DEREK_DISABLED, CONTACT_347).await,
        explained(
            DEREK_DISABLED,
            CONTACT_347,
            "Contacts",
            standard(),
            vec![g_rule(CHENNAI_CONTACTS, "read", "grantee")],
            "read",
            "read",
            false
        )
    );
}

#[tokio::test]
async fn the_sandbox_quick_reference_through_the_records_api() {
    let server = sandbox().await;
    for row in quick_reference() {
        let token = token_of(&server, row.user).await;
        let edit = row.profile["edit"].as_bool().expect("edit");
        let delete = row.profile["delete"].as_bool().expect("delete");
        assert_api_level(
            &server, &token, row.module, row.record, row.level, edit, delete, true,
        )
        .await;
        // Back to the sandbox for the next row (a full level deleted the record).
        assert_eq!(
            server.admin("POST", "/__admin/reset", None).await.status,
            204
        );
        freeze(&server, T_EXAMPLES).await;
    }
}

#[tokio::test]
async fn hidden_and_read_only_records_answer_as_section_9_says() {
    let server = sandbox().await;
    // (token, module, record, level): one row per level of §9's table, plus the read_write level.
    let rows = [
        (RYAN_T, "Leads", LEAD_213, "none"),
        (AMELIA_T, "Contacts", CONTACT_230, "read"),
        (AMELIA_T, "Deals", DEAL_250, "read_write"),
        (RYAN_T, "Deals", DEAL_250, "full"),
        (PATRICIA_T, "Leads", UNKNOWN_RECORD, "none"),
        // Another module's record is absent in this one.
        (PATRICIA_T, "Contacts", LEAD_212, "none"),
    ];
    for (token, module, record, level) in rows {
        assert_api_level(&server, token, module, record, level, true, true, true).await;
        assert_eq!(
            server.admin("POST", "/__admin/reset", None).await.status,
            204
        );
        freeze(&server, T_EXAMPLES).await;
    }
    assert_eq!(
        explain(&server, AMELIA, DEAL_250).await,
        explained(
            AMELIA,
            DEAL_250,
            "Deals",
            standard(),
            vec![g_share("group_share", SALES_GROUP, "read_write")],
            "read_write",
            "read_write",
            false
        )
    );
}

#[tokio::test]
async fn a_record_of_another_org_is_absent() {
    let server = sandbox().await;
    let id = insert_example_lead(&server).await;
    // A copy of the sandbox has the sandbox's records and fresh token strings, labelled alike.
    let reply = server.admin("POST", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let copy = reply.json()["id"].as_str().expect("an org id").to_owned();
    let tokens = server
        .admin(
            "GET",
            &format!("/__admin/orgs/{copy}/tokens?label=patricia"),
            None,
        )
        .await
        .json();
    let copy_patricia = tokens["tokens"][0]["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    assert_ne!(copy_patricia, PATRICIA_T);
    assert_api_level(
        &server,
        &copy_patricia,
        "Leads",
        &id,
        "none",
        true,
        true,
        true,
    )
    .await;
    // The copy's own records are its own: deleting one there leaves zylker's.
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Leads/{LEAD_212}"),
        &copy_patricia,
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(stored_record(&zylker(&server.state().await), LEAD_212).is_some());
    assert!(stored_record(&org_of(&server.state().await, &copy), LEAD_212).is_none());
    // The explain endpoint answers per org.
    assert_eq!(
        explain_in(&server, &copy, PATRICIA, &id, None).await.status,
        404
    );
}

// ---- §10 metadata the SDKs fetch first ----

fn owner_field(position: usize) -> Value {
    json!({"fields": [{"api_name": "Owner", "custom_field": false, "data_type": "ownerlookup", "display_label": "Owner",
                       "field_label": "Owner", "id": format!("36023530000{position:04}2589"), "json_type": "jsonobject",
                       "read_only": false, "system_mandatory": false}]})
}

#[tokio::test]
async fn field_metadata_for_every_module() {
    let server = sandbox().await;
    for (index, (module, _, _)) in MODULES.iter().enumerate() {
        for name in [
            module.to_string(),
            module.to_lowercase(),
            module.to_uppercase(),
        ] {
            let path = format!("/crm/v8/settings/fields?module={name}");
            let reply = req(&server, "GET", &path, AMELIA_T, None).await;
            assert_eq!(reply.status, 200, "{name}: {}", reply.text());
            assert_eq!(reply.content_type(), Some(JSON_CT));
            assert_eq!(reply.json(), owner_field(index + 1), "{name}");
        }
    }
    assert_eq!(
        owner_field(1)["fields"][0]["id"],
        "3602353000000012589",
        "the spec's Leads id"
    );
}

#[tokio::test]
async fn field_metadata_needs_a_valid_token_but_no_scope_or_profile() {
    let server = sandbox().await;
    for token in [NOSHARE_TOKEN, ADMIN_TOKEN, STANDARD_TOKEN, SOPHIA_T] {
        let reply = req(
            &server,
            "GET",
            "/crm/v8/settings/fields?module=Leads",
            token,
            None,
        )
        .await;
        assert_golden(&reply, &golden("ex_i_fields_leads"));
        assert_golden(
            &req(&server, "GET", "/crm/v8/settings/modules", token, None).await,
            &golden("ex_i_modules"),
        );
    }
    let no_scopes = mint(&server, ORG, RYAN, &[]).await;
    assert_golden(
        &req(
            &server,
            "GET",
            "/crm/v8/settings/fields?module=Leads",
            &no_scopes,
            None,
        )
        .await,
        &golden("ex_i_fields_leads"),
    );
    // Other versions, other parameters and If-Modified-Since change nothing.
    for path in [
        "/crm/v2/settings/fields?module=Leads",
        "/crm/v2.1/settings/fields?module=Leads&type=all",
        "/crm/v7/settings/fields?module=Leads&include=allowed_permissions_to_update&layout_id=1",
    ] {
        let request = server
            .client
            .get(server.url(path))
            .header("Authorization", format!("Zoho-oauthtoken {AMELIA_T}"))
            .header("If-Modified-Since", "Sat, 21 Nov 2026 09:30:00 GMT");
        assert_golden(&server.send(request).await, &golden("ex_i_fields_leads"));
    }
    for path in [
        "/crm/v8/settings/fields?module=Leads",
        "/crm/v8/settings/modules",
    ] {
        assert_golden(
            &server.call("GET", path, None, None).await,
            "common/authentication_failure.json",
        );
        assert_golden(
            &server.call("GET", path, Some(EXPIRED_TOKEN), None).await,
            "common/invalid_token.json",
        );
    }
}

#[tokio::test]
async fn field_metadata_errors() {
    let server = sandbox().await;
    for path in [
        "/crm/v8/settings/fields",
        "/crm/v8/settings/fields?module=",
        "/crm/v8/settings/fields?module",
        "/crm/v8/settings/fields?type=all",
    ] {
        assert_golden(
            &req(&server, "GET", path, AMELIA_T, None).await,
            &golden("fields_module_missing"),
        );
    }
    for module in ["Foo", "Documents", "Projects", "Meetings", "Sales%20Orders"] {
        let path = format!("/crm/v8/settings/fields?module={module}");
        assert_golden(
            &req(&server, "GET", &path, AMELIA_T, None).await,
            &golden("fields_module_unknown"),
        );
    }
}

#[tokio::test]
async fn module_metadata_is_empty_on_every_version() {
    let server = sandbox().await;
    for version in ["v2", "v2.1", "v3", "v8"] {
        let path = format!("/crm/{version}/settings/modules");
        assert_golden(
            &req(&server, "GET", &path, PATRICIA_T, None).await,
            &golden("ex_i_modules"),
        );
    }
}

// ---- §11 share items: shared_through.name ----

fn names_fixture() -> String {
    let records: Vec<(&str, &str, Value, Option<&str>)> = vec![
        (
            "Leads",
            "801",
            json!({"First_Name": "Ann", "Last_Name": "Lee"}),
            Some("Ann Lee"),
        ),
        ("Leads", "802", json!({"First_Name": "Ann"}), Some("Ann")),
        (
            "Leads",
            "803",
            json!({"First_Name": 7, "Last_Name": "Lee"}),
            Some("Lee"),
        ),
        (
            "Leads",
            "804",
            json!({"First_Name": "", "Last_Name": "Lee"}),
            Some("Lee"),
        ),
        ("Leads", "805", json!({}), None),
        (
            "Leads",
            "806",
            json!({"Last_Name": 5, "Company": "Acme"}),
            None,
        ),
        (
            "Leads",
            "807",
            json!({"First_Name": "Ann", "Last_Name": ""}),
            Some("Ann"),
        ),
        (
            "Leads",
            "808",
            json!({"First_Name": null, "Last_Name": null}),
            None,
        ),
        (
            "Contacts",
            "811",
            json!({"First_Name": "Raj", "Last_Name": "Rao", "Account_Name": "decoy"}),
            Some("Raj Rao"),
        ),
        (
            "Accounts",
            "812",
            json!({"Account_Name": "Acme", "Subject": "decoy", "Name": "decoy"}),
            Some("Acme"),
        ),
        (
            "Deals",
            "813",
            json!({"Deal_Name": "Big deal", "Subject": "decoy"}),
            Some("Big deal"),
        ),
        (
            "Products",
            "814",
            json!({"Product_Name": "Widget"}),
            Some("Widget"),
        ),
        ("Quotes", "815", json!({"Subject": "Q1"}), Some("Q1")),
        (
            "Sales_Orders",
            "816",
            json!({"Subject": "SO1"}),
            Some("SO1"),
        ),
        (
            "Purchase_Orders",
            "817",
            json!({"Subject": "PO1"}),
            Some("PO1"),
        ),
        ("Invoices", "818", json!({"Subject": "INV1"}), Some("INV1")),
        (
            "Campaigns",
            "819",
            json!({"Campaign_Name": "Launch", "Name": "decoy"}),
            Some("Launch"),
        ),
        (
            "Vendors",
            "820",
            json!({"Vendor_Name": "Parts Co"}),
            Some("Parts Co"),
        ),
        (
            "Price_Books",
            "821",
            json!({"Price_Book_Name": "Retail"}),
            Some("Retail"),
        ),
        (
            "Cases",
            "822",
            json!({"Subject": "Broken", "Name": "decoy"}),
            Some("Broken"),
        ),
        (
            "Solutions",
            "823",
            json!({"Solution_Title": "Fix it", "Subject": "decoy"}),
            Some("Fix it"),
        ),
        (
            "Widgets",
            "824",
            json!({"Name": "Gizmo", "Subject": "decoy"}),
            Some("Gizmo"),
        ),
        ("Accounts", "825", json!({"Account_Name": ""}), None),
        ("Accounts", "826", json!({"Account_Name": 12}), None),
    ];
    let fixture_records: Vec<Value> = records
        .iter()
        .map(|(module, id, fields, _)| json!({"module": module, "id": id, "owner": "1", "fields": fields}))
        .collect();
    let shares: Vec<Value> = records
        .iter()
        .map(|(module, id, _, _)| json!({"module": module, "record": id, "shared_with": {"type": "users", "id": "2"},
            "permission": "read_only", "share_related_records": false, "type": "private", "shared_by": "1",
            "shared_time": "2026-11-20T10:00:00+00:00"}))
        .collect();
    let expected: Vec<Value> = records
        .iter()
        .map(|(module, id, _, name)| json!({"module": module, "id": id, "name": name}))
        .collect();
    json!({"orgs": [{
        "id": "names",
        "users": [{"id": "1", "email": "admin@names.io", "full_name": "Nia Admin", "role": "9", "profile": "Administrator", "status": "active"},
                  {"id": "2", "email": "user@names.io", "full_name": "Ugo User", "role": "9", "profile": "Standard", "status": "active"}],
        "roles": [{"id": "9", "name": "Everyone"}],
        "custom_modules": [{"api_name": "Widgets", "id": "4150868000000999001"}],
        "tokens": [{"access_token": "tok-names", "user": "1", "scopes": ["ZohoCRM.share.ALL", "ZohoCRM.modules.ALL"], "expires_at": null}],
        "records": fixture_records,
        "shares": shares
    }], "expected": expected})
    .to_string()
}

#[tokio::test]
async fn share_items_carry_the_record_name_of_every_module() {
    let mut document: Value = serde_json::from_str(&names_fixture()).expect("JSON");
    let expected = document
        .as_object_mut()
        .expect("object")
        .remove("expected")
        .expect("expected");
    let server = TestServer::with_fixture(&document.to_string()).await;
    let module_ids: std::collections::HashMap<&str, &str> = MODULES
        .iter()
        .map(|(m, id, _)| (*m, *id))
        .chain([("Widgets", "4150868000000999001")])
        .collect();
    for case in expected.as_array().expect("cases") {
        let module = case["module"].as_str().expect("module");
        let id = case["id"].as_str().expect("id");
        let mut through = json!({"id": id, "module": {"id": module_ids[module], "name": module}});
        if let Some(name) = case["name"].as_str() {
            through["name"] = json!(name);
        }
        for version in ["v8", "v2"] {
            let path = format!("/crm/{version}/{module}/{id}/actions/share");
            let reply = server.get(&path, "tok-names").await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.text());
            let item = reply.json()["share"][0].clone();
            assert_eq!(item["shared_through"], through, "{path}");
            assert!(item["shared_through"].get("entity_name").is_none());
        }
    }
}

#[tokio::test]
async fn a_shared_record_renamed_through_the_records_api_shows_its_new_name() {
    let server = sandbox().await;
    let body = json!({"data": [{"First_Name": "Rahul K."}]});
    let reply = req(
        &server,
        "PUT",
        &format!("/crm/v8/Contacts/{CONTACT_230}"),
        PATRICIA_T,
        Some(body),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let reply = server
        .get(
            &format!("/crm/v8/Contacts/{CONTACT_230}/actions/share"),
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(
        reply.json()["share"][0]["shared_through"]["name"],
        "Rahul K. Iyer"
    );
}

// ---- §12 the explain endpoint's own answers ----

#[tokio::test]
async fn explain_needs_a_user_and_a_record() {
    let server = sandbox().await;
    for query in [
        format!("user={RYAN}"),
        format!("record={LEAD_212}"),
        format!("user=&record={LEAD_212}"),
        format!("user={RYAN}&record="),
        String::new(),
    ] {
        let reply = server
            .admin("GET", &format!("/__admin/orgs/zylker/access?{query}"), None)
            .await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text());
        assert!(reply.json()["error"].is_string(), "{query}");
    }
}

#[tokio::test]
async fn explain_answers_404_for_unknown_orgs_users_and_records() {
    let server = sandbox().await;
    let other = json!({"id": "acme",
        "users": [{"id": "4150868000007000001", "email": "a@acme.io", "full_name": "A", "role": "9", "profile": "Administrator", "status": "active"}],
        "roles": [{"id": "9", "name": "R"}],
        "records": [{"module": "Leads", "id": "4150868000007000002", "owner": "4150868000007000001"}]});
    assert_eq!(
        server
            .admin("POST", "/__admin/orgs", Some(other))
            .await
            .status,
        201
    );
    let cases = [
        ("nowhere", RYAN, LEAD_212, None),
        (ORG, UNKNOWN_RECORD, LEAD_212, None),
        (ORG, "4150868000007000001", LEAD_212, None),
        (ORG, "04150868000001199002", LEAD_212, None),
        (ORG, RYAN, UNKNOWN_RECORD, None),
        (ORG, RYAN, "4150868000007000002", None),
        (ORG, RYAN, LEAD_212, Some("Contacts")),
        (ORG, RYAN, LEAD_212, Some("Foo")),
    ];
    for (org, user, record, module) in cases {
        let reply = explain_in(&server, org, user, record, module).await;
        assert_eq!(
            reply.status,
            404,
            "{org} {user} {record} {module:?}: {}",
            reply.text()
        );
        assert!(reply.json()["error"].is_string());
    }
    // The other org answers for its own ids.
    let reply = explain_in(
        &server,
        "acme",
        "4150868000007000001",
        "4150868000007000002",
        Some("leads"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["level"], "full");
}

#[tokio::test]
async fn explain_takes_get_only() {
    let server = sandbox().await;
    let path = format!("/__admin/orgs/zylker/access?user={RYAN}&record={LEAD_212}");
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let reply = server.admin(method, &path, Some(json!({}))).await;
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(
            reply.headers.get("allow").and_then(|v| v.to_str().ok()),
            Some("GET"),
            "{method}"
        );
        assert!(reply.json()["error"].is_string());
    }
}

#[tokio::test]
async fn explain_follows_the_admin_token_and_is_never_journaled() {
    let server = TestServer::from_builder(MockServer::builder().admin_token("s3cret")).await;
    let path = format!("/__admin/orgs/zylker/access?user={RYAN}&record={LEAD_212}");
    let reply = server.admin("GET", &path, None).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json(), json!({"error": "admin token required"}));
    assert_eq!(
        reply
            .headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer")
    );
    let request = server.client.get(server.url(&path)).bearer_auth("s3cret");
    let reply = server.send(request).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["level"], "full");
    let request = server
        .client
        .get(server.url("/__admin/requests"))
        .bearer_auth("s3cret");
    let journal = server.send(request).await.json();
    assert_eq!(
        journal["requests"],
        json!([]),
        "admin requests are not journaled"
    );
}

// ---- §4.2 grants, changed through the API ----

#[tokio::test]
async fn org_wide_defaults_grant_every_user_their_level() {
    let server = sandbox().await;
    let set = |share_type: &str| json!({"data_sharing": [{"module": {"api_name": "Leads"}, "share_type": share_type}]});
    for (share_type, level) in [
        ("public_read_only", "read"),
        ("public_read_write", "read_write"),
        ("public", "full"),
        ("private", "none"),
    ] {
        let reply = req(
            &server,
            "PUT",
            "/crm/v8/settings/data_sharing",
            PATRICIA_T,
            Some(set(share_type)),
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let grants = if share_type == "private" {
            vec![]
        } else {
            vec![g_default(LEADS_ID, share_type)]
        };
        assert_eq!(
            explain(&server, RYAN, LEAD_213).await,
            explained(
                RYAN,
                LEAD_213,
                "Leads",
                standard(),
                grants,
                level,
                level,
                false
            ),
            "{share_type}"
        );
        assert_api_level(&server, RYAN_T, "Leads", LEAD_213, level, true, true, false).await;
    }
    // The maximum wins: Ryan's rule grant on Patricia's lead stays full under public_read_write.
    let reply = req(
        &server,
        "PUT",
        "/crm/v8/settings/data_sharing",
        PATRICIA_T,
        Some(set("public_read_write")),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        explain(&server, RYAN, LEAD_212).await["grants"],
        json!([
            g_default(LEADS_ID, "public_read_write"),
            g_rule(LEADS_TO_SALES, "full", "grantee")
        ])
    );
    // Org-wide `public` lets everyone delete.
    let reply = req(
        &server,
        "PUT",
        "/crm/v8/settings/data_sharing",
        PATRICIA_T,
        Some(set("public")),
    )
    .await;
    assert_eq!(reply.status, 200);
    let reply = req(
        &server,
        "DELETE",
        &format!("/crm/v8/Leads/{LEAD_213}"),
        EMMA_T,
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[tokio::test]
async fn shares_to_a_user_a_group_a_role_and_the_public() {
    let server = sandbox().await;
    let share_path = format!("/crm/v8/Leads/{LEAD_213}/actions/share");
    let share = |items: Value| json!({ "share": items });
    // A user share.
    let body = share(
        json!([{"permission": "read_only", "shared_with": {"id": RYAN, "type": "users"}, "type": "private"}]),
    );
    assert_eq!(
        req(&server, "POST", &share_path, AMELIA_T, Some(body))
            .await
            .status,
        201
    );
    assert_eq!(
        explain(&server, RYAN, LEAD_213).await["grants"],
        json!([g_share("share", RYAN, "read_only")])
    );
    assert_api_level(
        &server, RYAN_T, "Leads", LEAD_213, "read", true, true, false,
    )
    .await;
    // A group share: every member of Support, through its role source.
    let body = share(
        json!([{"permission": "read_write", "shared_with": {"id": SUPPORT_GROUP, "type": "groups"}, "type": "private"}]),
    );
    assert_eq!(
        req(&server, "PUT", &share_path, AMELIA_T, Some(body))
            .await
            .status,
        200
    );
    for user in [EMMA, LUCAS, CHLOE] {
        assert_eq!(
            explain(&server, user, LEAD_213).await["grants"],
            json!([g_share("group_share", SUPPORT_GROUP, "read_write")]),
            "{user}"
        );
    }
    assert_api_level(
        &server,
        EMMA_T,
        "Leads",
        LEAD_213,
        "read_write",
        true,
        true,
        true,
    )
    .await;
    assert_eq!(
        explain(&server, RYAN, LEAD_213).await["level"],
        "none",
        "the PUT replaced Ryan's share"
    );
    // A role share: that role only, not the roles above or below it.
    let body = share(
        json!([{"permission": "full_access", "shared_with": {"id": MANAGER_ROLE, "type": "roles"}, "type": "private"}]),
    );
    assert_eq!(
        req(
            &server,
            "PUT",
            &format!("/crm/v8/Leads/{LEAD_212}/actions/share"),
            PATRICIA_T,
            Some(body)
        )
        .await
        .status,
        200
    );
    assert_eq!(
        explain(&server, OLIVIA, LEAD_212).await["grants"],
        json!([g_share("role_share", MANAGER_ROLE, "full_access")])
    );
    assert_eq!(
        explain(&server, EMMA, LEAD_212).await["level"],
        "none",
        "Support Agent is below Manager"
    );
    assert_eq!(
        explain(&server, OLIVIA, ACCOUNT_240).await["level"],
        "none",
        "Manager is above Sales Rep"
    );
    // A public share: every user.
    let body = share(json!([{"permission": "read_write", "type": "public"}]));
    assert_eq!(
        req(
            &server,
            "PUT",
            &format!("/crm/v8/Leads/{LEAD_212}/actions/share"),
            PATRICIA_T,
            Some(body)
        )
        .await
        .status,
        200
    );
    for user in [EMMA, LUCAS, OLIVIA, MASON] {
        assert_eq!(
            explain(&server, user, LEAD_212).await["grants"],
            json!([g_share("public", LEAD_212, "read_write")]),
            "{user}"
        );
    }
    assert_api_level(
        &server,
        LUCAS_T,
        "Leads",
        LEAD_212,
        "read_write",
        true,
        true,
        false,
    )
    .await;
    // Revoking every share takes the access away again.
    assert_eq!(
        req(
            &server,
            "DELETE",
            &format!("/crm/v8/Leads/{LEAD_212}/actions/share"),
            PATRICIA_T,
            None
        )
        .await
        .status,
        200
    );
    assert_api_level(
        &server, LUCAS_T, "Leads", LEAD_212, "none", true, true, false,
    )
    .await;
}

#[tokio::test]
async fn deactivating_and_activating_a_rule_applies_at_once_by_default() {
    let server = sandbox().await;
    let path = format!(
        "/crm/v8/settings/data_sharing/rules/{LEADS_TO_SALES}/actions/activate?module=Leads"
    );
    assert_eq!(
        req(&server, "DELETE", &path, PATRICIA_T, None).await.status,
        200
    );
    assert_api_level(
        &server, AMELIA_T, "Leads", LEAD_212, "none", true, true, false,
    )
    .await;
    assert_eq!(
        explain(&server, AMELIA, LEAD_212).await["grants"],
        json!([])
    );
    assert_eq!(
        req(&server, "PUT", &path, PATRICIA_T, None).await.status,
        200
    );
    assert_api_level(
        &server, AMELIA_T, "Leads", LEAD_212, "full", true, true, false,
    )
    .await;
    // The inactive rule "Manager leads to Sales Reps" gives nothing until activated.
    let lead = json!({"data": [{"Last_Name": "Grant lead", "Owner": {"id": OLIVIA}}]});
    let id = inserted_id(
        &req(&server, "POST", "/crm/v8/Leads", PATRICIA_T, Some(lead)).await,
        0,
    );
    assert_eq!(explain(&server, RYAN, &id).await["grants"], json!([]));
    let activate = format!(
        "/crm/v8/settings/data_sharing/rules/{MANAGER_LEADS_TO_SALES_REPS}/actions/activate?module=Leads"
    );
    assert_eq!(
        req(&server, "PUT", &activate, PATRICIA_T, None)
            .await
            .status,
        200
    );
    assert_eq!(
        explain(&server, RYAN, &id).await["grants"],
        json!([g_rule(MANAGER_LEADS_TO_SALES_REPS, "read", "grantee")])
    );
    // Its superiors_allowed also reaches Patricia, above the Sales Reps (she is above Olivia too).
    assert_eq!(
        explain(&server, PATRICIA, &id).await["grants"],
        json!([
            g_hierarchy(OLIVIA, "role"),
            g_rule(MANAGER_LEADS_TO_SALES_REPS, "read", "superior"),
            g_admin(ADMINISTRATOR_PROFILE)
        ])
    );
}

#[tokio::test]
async fn a_created_criteria_rule_is_evaluated_on_the_records_as_they_are() {
    let server = sandbox().await;
    let rule = json!({"sharing_rules": [{"name": "Chennai leads to all", "type": "Criteria_Based", "superiors_allowed": false,
        "permission_type": "read", "shared_to": {"type": "all_users", "subordinates": false},
        "criteria": {"group_operator": "AND", "group": [{"comparator": "equal", "field": {"api_name": "City"}, "type": "value", "value": "Chennai"}]}}]});
    let reply = req(
        &server,
        "POST",
        "/crm/v8/settings/data_sharing/rules?module=Leads",
        PATRICIA_T,
        Some(rule),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let rule_id = reply.json()["sharing_rules"][0]["details"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(
        explain(&server, EMMA, LEAD_212).await["grants"],
        json!([g_rule(&rule_id, "read", "grantee")])
    );
    assert_eq!(explain(&server, EMMA, LEAD_213).await["grants"], json!([]));
    // Amelia moves her lead to Chennai: the rule now covers it.
    let body = json!({"data": [{"City": "chennai"}]});
    assert_eq!(
        req(
            &server,
            "PUT",
            &format!("/crm/v8/Leads/{LEAD_213}"),
            AMELIA_T,
            Some(body)
        )
        .await
        .status,
        200
    );
    assert_api_level(
        &server, EMMA_T, "Leads", LEAD_213, "read", true, true, false,
    )
    .await;
    // The sandbox's own criteria rule follows the contact's Mailing_City too.
    let body = json!({"data": [{"Mailing_City": "Chennai"}]});
    assert_eq!(
        req(
            &server,
            "PUT",
            &format!("/crm/v8/Contacts/{CONTACT_230}"),
            PATRICIA_T,
            Some(body)
        )
        .await
        .status,
        200
    );
    assert_api_level(
        &server,
        RYAN_T,
        "Contacts",
        CONTACT_230,
        "read",
        true,
        true,
        false,
    )
    .await;
    let body = json!({"data": [{"Mailing_City": "Bengaluru"}]});
    assert_eq!(
        req(
            &server,
            "PUT",
            &format!("/crm/v8/Contacts/{CONTACT_230}"),
            PATRICIA_T,
            Some(body)
        )
        .await
        .status,
        200
    );
    assert_api_level(
        &server,
        RYAN_T,
        "Contacts",
        CONTACT_230,
        "none",
        true,
        true,
        false,
    )
    .await;
}

#[tokio::test]
async fn group_membership_and_roles_follow_the_state() {
    let server = sandbox().await;
    assert_eq!(
        explain(&server, CHLOE, DEAL_251).await["level"],
        "read",
        "Chloe is a Support Agent"
    );
    // Chloe becomes a Sales Rep: she leaves Support (a role source) and the rule no longer reaches her.
    change_zylker(&server, |org| {
        for user in org["users"].as_array_mut().expect("users") {
            if user["id"] == CHLOE {
                user["role"] = json!(SALES_REP_ROLE);
            }
        }
    })
    .await;
    assert_eq!(explain(&server, CHLOE, DEAL_251).await["level"], "none");
    assert_eq!(
        explain(&server, CHLOE, ACCOUNT_240).await["grants"],
        json!([g_share("role_share", SALES_REP_ROLE, "read_only")])
    );
    // Chloe is no longer Emma's peer; Lucas still is.
    assert_eq!(
        explain(&server, LUCAS, CASE_341).await["grants"],
        json!([g_peer(SUPPORT_AGENT_ROLE)])
    );
    assert_eq!(explain(&server, CHLOE, CASE_341).await["level"], "none");
}

// ---- §4.6 rules while a computation is running ----

async fn set_flag(server: &TestServer, module: &str, on: bool) {
    let reply = server
        .admin(
            "PUT",
            "/__admin/orgs/zylker/rule-computation",
            Some(json!({ module: on })),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
}

fn sales_rep_leads_rule() -> Value {
    json!({"sharing_rules": [{"name": "Sales Rep leads to all", "type": "Record_Owner_Based", "superiors_allowed": false,
        "permission_type": "read", "shared_from": {"type": "roles", "resource": {"id": SALES_REP_ROLE}, "subordinates": false},
        "shared_to": {"type": "all_users", "subordinates": false}}]})
}

#[tokio::test]
async fn an_admin_set_flag_holds_the_rules_as_they_were() {
    let server = sandbox().await;
    set_flag(&server, "Leads", true).await;
    // Creating is allowed while the flag is on; the new rule counts once it is off.
    let reply = req(
        &server,
        "POST",
        "/crm/v8/settings/data_sharing/rules?module=Leads",
        PATRICIA_T,
        Some(sales_rep_leads_rule()),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let rule_id = reply.json()["sharing_rules"][0]["details"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_api_level(
        &server, RYAN_T, "Leads", LEAD_213, "none", true, true, false,
    )
    .await;
    assert_eq!(
        explain(&server, RYAN, LEAD_213).await,
        explained(
            RYAN,
            LEAD_213,
            "Leads",
            standard(),
            vec![],
            "none",
            "none",
            true
        )
    );
    // Other modules are not held: the Contacts rule changes at once.
    let deactivate = format!(
        "/crm/v8/settings/data_sharing/rules/{CHENNAI_CONTACTS}/actions/activate?module=Contacts"
    );
    assert_eq!(
        req(&server, "DELETE", &deactivate, PATRICIA_T, None)
            .await
            .status,
        200
    );
    assert_eq!(explain(&server, RYAN, CONTACT_347).await["level"], "none");

    set_flag(&server, "Leads", false).await;
    assert_api_level(
        &server, RYAN_T, "Leads", LEAD_213, "read", true, true, false,
    )
    .await;
    assert_eq!(
        explain(&server, RYAN, LEAD_213).await,
        explained(
            RYAN,
            LEAD_213,
            "Leads",
            standard(),
            vec![g_rule(&rule_id, "read", "grantee")],
            "read",
            "read",
            false
        )
    );
}

#[tokio::test]
async fn a_snapshot_holds_rule_definitions_not_results() {
    let server = sandbox().await;
    set_flag(&server, "Contacts", true).await;
    set_flag(&server, "Deals", true).await;
    // Criteria are evaluated on the record as it is now.
    let body = json!({"data": [{"Mailing_City": "Chennai"}]});
    assert_eq!(
        req(
            &server,
            "PUT",
            &format!("/crm/v8/Contacts/{CONTACT_230}"),
            PATRICIA_T,
            Some(body)
        )
        .await
        .status,
        200
    );
    let answer = explain(&server, RYAN, CONTACT_230).await;
    assert_eq!(
        answer["grants"],
        json!([g_rule(CHENNAI_CONTACTS, "read", "grantee")])
    );
    assert_eq!(answer["rule_computation_running"], true);
    // Org-wide defaults are current.
    let body = json!({"data_sharing": [{"module": {"api_name": "Deals"}, "share_type": "public_read_only"}]});
    assert_eq!(
        req(
            &server,
            "PUT",
            "/crm/v8/settings/data_sharing",
            PATRICIA_T,
            Some(body)
        )
        .await
        .status,
        200
    );
    assert_api_level(
        &server, LUCAS_T, "Deals", DEAL_250, "read", true, true, false,
    )
    .await;
    // Shares are current.
    let share = json!({"share": [{"permission": "read_write", "shared_with": {"id": LUCAS, "type": "users"}, "type": "private"}]});
    assert_eq!(
        req(
            &server,
            "POST",
            &format!("/crm/v8/Deals/{DEAL_250}/actions/share"),
            PATRICIA_T,
            Some(share)
        )
        .await
        .status,
        201
    );
    assert_eq!(
        explain(&server, LUCAS, DEAL_250).await["level"],
        "read_write"
    );
}

#[tokio::test]
async fn a_flag_loaded_with_the_state_snapshots_the_rules_as_loaded() {
    let server = sandbox().await;
    change_zylker(&server, |org| {
        org["rule_computation"] = json!({"Leads": true})
    })
    .await;
    assert_eq!(
        explain(&server, AMELIA, LEAD_212).await["rule_computation_running"],
        true
    );
    let reply = req(
        &server,
        "POST",
        "/crm/v8/settings/data_sharing/rules?module=Leads",
        PATRICIA_T,
        Some(sales_rep_leads_rule()),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(
        explain(&server, RYAN, LEAD_213).await["level"],
        "none",
        "created while running"
    );
    assert_eq!(explain(&server, AMELIA, LEAD_212).await["level"], "full");
    change_zylker(&server, |org| {
        org["rule_computation"] = json!({"Leads": false})
    })
    .await;
    assert_eq!(explain(&server, RYAN, LEAD_213).await["level"], "read");
}

#[tokio::test]
async fn a_create_during_a_timed_computation_restarts_it_and_keeps_the_snapshot() {
    let server = TestServer::from_builder(MockServer::builder().rule_computation_ms(60_000)).await;
    freeze(&server, "2026-11-21T09:00:00+00:00").await;
    let deactivate = format!(
        "/crm/v8/settings/data_sharing/rules/{LEADS_TO_SALES}/actions/activate?module=Leads"
    );
    assert_eq!(
        req(&server, "DELETE", &deactivate, PATRICIA_T, None)
            .await
            .status,
        200
    );
    advance(&server, 30).await;
    let reply = req(
        &server,
        "POST",
        "/crm/v8/settings/data_sharing/rules?module=Leads",
        PATRICIA_T,
        Some(sales_rep_leads_rule()),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    // 09:01:00: the first timer would have ended; the restarted one runs until 09:01:30.
    advance(&server, 30).await;
    assert_eq!(leads_computation_status(&server).await, json!(true));
    assert_api_level(
        &server, AMELIA_T, "Leads", LEAD_212, "full", true, true, false,
    )
    .await;
    assert_api_level(
        &server, RYAN_T, "Leads", LEAD_213, "none", true, true, false,
    )
    .await;
    advance(&server, 30).await;
    assert_eq!(leads_computation_status(&server).await, json!(false));
    assert_api_level(
        &server, AMELIA_T, "Leads", LEAD_212, "none", true, true, false,
    )
    .await;
    assert_api_level(
        &server, RYAN_T, "Leads", LEAD_213, "read", true, true, false,
    )
    .await;
}

// ---- §4.7 profile ceiling (inline fixture) ----

/// One user per profile, all in one role (no hierarchy, no peers); each owns a lead.
fn caps_fixture() -> String {
    let users = [
        ("21", "Ada", "Administrator"),
        ("22", "Nell", "NoLeads"),
        ("23", "Vic", "ViewOnly"),
        ("24", "Nadia", "NoDelete"),
        ("25", "Ned", "LeadsNoEdit"),
        ("26", "Cal", "NoCreate"),
        ("27", "Stan", "Standard"),
    ];
    let tokens = [
        "caps-admin",
        "caps-nl",
        "caps-vo",
        "caps-nd",
        "caps-ne",
        "caps-nc",
        "caps-st",
    ];
    json!({"orgs": [{
        "id": "caps",
        "profiles": [
            {"id": "1001", "name": "Administrator", "permissions": {}},
            {"id": "1002", "name": "Standard"},
            {"id": "1003", "name": "NoLeads", "permissions": {"Leads": {"view": false, "create": false, "edit": false, "delete": false}}},
            {"id": "1004", "name": "ViewOnly", "description": "reads", "permissions": {"*": {"view": true, "create": false, "edit": false, "delete": false}}},
            {"id": "1005", "name": "NoDelete", "permissions": {"*": {"delete": false}}},
            {"id": "1006", "name": "LeadsNoEdit", "permissions": {"Leads": {"edit": false}}},
            {"id": "1007", "name": "NoCreate", "permissions": {"*": {"create": false}, "Contacts": {"create": true}}}
        ],
        "users": users.iter().map(|(id, name, profile)| json!({"id": id, "email": format!("{}@caps.io", name.to_lowercase()),
            "full_name": name, "role": "9", "profile": profile, "status": "active"})).collect::<Vec<_>>(),
        "roles": [{"id": "9", "name": "Team"}],
        "tokens": users.iter().zip(tokens).map(|((id, _, _), token)| json!({"access_token": format!("tok-{token}"), "user": id,
            "scopes": ["ZohoCRM.modules.ALL", "ZohoCRM.share.ALL"], "expires_at": null})).collect::<Vec<_>>(),
        "records": [
            {"module": "Leads", "id": "31", "owner": "22", "fields": {"Last_Name": "Nell's"}},
            {"module": "Leads", "id": "32", "owner": "23", "fields": {"Last_Name": "Vic's"}},
            {"module": "Leads", "id": "33", "owner": "24", "fields": {"Last_Name": "Nadia's"}},
            {"module": "Leads", "id": "34", "owner": "25", "fields": {"Last_Name": "Ned's"}},
            {"module": "Leads", "id": "35", "owner": "26", "fields": {"Last_Name": "Cal's"}},
            {"module": "Leads", "id": "36", "owner": "27", "fields": {"Last_Name": "Stan's"}},
            {"module": "Leads", "id": "37", "owner": "21", "fields": {"Last_Name": "Ada's"}},
            {"module": "Contacts", "id": "41", "owner": "22", "fields": {"Last_Name": "Nell's contact"}},
            {"module": "Contacts", "id": "44", "owner": "25", "fields": {"Last_Name": "Ned's contact"}}
        ],
        "shares": [{"module": "Leads", "record": "36", "shared_with": {"type": "users", "id": "23"}, "permission": "full_access",
                    "share_related_records": false, "type": "private", "shared_by": "27", "shared_time": "2026-11-20T10:00:00+00:00"}]
    }]})
    .to_string()
}

fn caps_profile(id: &str, name: &str, view: bool, create: bool, edit: bool, delete: bool) -> Value {
    profile(id, name, view, create, edit, delete)
}

#[tokio::test]
async fn the_profile_caps_every_grant_the_owner_included() {
    let server = TestServer::with_fixture(&caps_fixture()).await;
    let explain_caps = |user: &'static str, record: &'static str| {
        let server = &server;
        async move {
            let reply = explain_in(server, "caps", user, record, None).await;
            assert_eq!(reply.status, 200, "{}", reply.text());
            reply.json()
        }
    };
    let cases = [
        // (user, record, module, profile on that module, grants, uncapped, level)
        (
            "22",
            "31",
            "Leads",
            caps_profile("1003", "NoLeads", false, false, false, false),
            vec![g_owner("22")],
            "full",
            "none",
        ),
        (
            "22",
            "41",
            "Contacts",
            caps_profile("1003", "NoLeads", true, true, true, true),
            vec![g_owner("22")],
            "full",
            "full",
        ),
        (
            "23",
            "32",
            "Leads",
            caps_profile("1004", "ViewOnly", true, false, false, false),
            vec![g_owner("23")],
            "full",
            "read",
        ),
        (
            "23",
            "36",
            "Leads",
            caps_profile("1004", "ViewOnly", true, false, false, false),
            vec![g_share("share", "23", "full_access")],
            "full",
            "read",
        ),
        (
            "24",
            "33",
            "Leads",
            caps_profile("1005", "NoDelete", true, true, true, false),
            vec![g_owner("24")],
            "full",
            "read_write",
        ),
        (
            "25",
            "34",
            "Leads",
            caps_profile("1006", "LeadsNoEdit", true, true, false, true),
            vec![g_owner("25")],
            "full",
            "read",
        ),
        (
            "25",
            "44",
            "Contacts",
            caps_profile("1006", "LeadsNoEdit", true, true, true, true),
            vec![g_owner("25")],
            "full",
            "full",
        ),
        (
            "26",
            "35",
            "Leads",
            caps_profile("1007", "NoCreate", true, false, true, true),
            vec![g_owner("26")],
            "full",
            "full",
        ),
        (
            "27",
            "36",
            "Leads",
            caps_profile("1002", "Standard", true, true, true, true),
            vec![g_owner("27")],
            "full",
            "full",
        ),
        (
            "27",
            "31",
            "Leads",
            caps_profile("1002", "Standard", true, true, true, true),
            vec![],
            "none",
            "none",
        ),
        (
            "21",
            "31",
            "Leads",
            caps_profile("1001", "Administrator", true, true, true, true),
            vec![g_admin("1001")],
            "full",
            "full",
        ),
        (
            "21",
            "37",
            "Leads",
            caps_profile("1001", "Administrator", true, true, true, true),
            vec![g_owner("21"), g_admin("1001")],
            "full",
            "full",
        ),
    ];
    for (user, record, module, profile, grants, uncapped, level) in cases {
        assert_eq!(
            explain_caps(user, record).await,
            explained(
                user, record, module, profile, grants, uncapped, level, false
            ),
            "{user} on {record}"
        );
    }
    // The profile of a module the entry does not name falls back to "*", then to true.
    let answer = explain_caps("26", "41").await;
    assert_eq!(
        answer["profile"],
        caps_profile("1007", "NoCreate", true, true, true, true),
        "Contacts overrides *"
    );
}

#[tokio::test]
async fn the_profile_decides_each_endpoint_module_wide_then_caps_each_record() {
    let server = TestServer::with_fixture(&caps_fixture()).await;
    let new_lead = json!({"data": [{"Last_Name": "New"}]});
    // NoLeads: nothing on Leads, everything on Contacts.
    assert_golden(
        &req(&server, "GET", "/crm/v8/Leads/31", "tok-caps-nl", None).await,
        &golden("get_no_view_permission"),
    );
    assert_golden(
        &req(
            &server,
            "POST",
            "/crm/v8/Leads",
            "tok-caps-nl",
            Some(new_lead.clone()),
        )
        .await,
        &golden("post_no_create_permission"),
    );
    assert_golden(
        &req(
            &server,
            "PUT",
            "/crm/v8/Leads/31",
            "tok-caps-nl",
            Some(json!({"data": [{"City": "x"}]})),
        )
        .await,
        &golden("ex_d_put_read_only_profile"),
    );
    assert_golden(
        &req(&server, "DELETE", "/crm/v8/Leads/31", "tok-caps-nl", None).await,
        &golden("delete_no_delete_permission"),
    );
    assert_api_level(
        &server,
        "tok-caps-nl",
        "Contacts",
        "41",
        "full",
        true,
        true,
        false,
    )
    .await;
    // ViewOnly: reads its own lead and the lead shared full_access, changes nothing.
    assert_api_level(
        &server,
        "tok-caps-vo",
        "Leads",
        "32",
        "read",
        false,
        false,
        true,
    )
    .await;
    assert_api_level(
        &server,
        "tok-caps-vo",
        "Leads",
        "36",
        "read",
        false,
        false,
        true,
    )
    .await;
    // NoDelete: read_write on its own lead; DELETE is refused module-wide.
    assert_api_level(
        &server,
        "tok-caps-nd",
        "Leads",
        "33",
        "read_write",
        true,
        false,
        true,
    )
    .await;
    // LeadsNoEdit: delete is allowed module-wide, but the level is read, so the item is refused.
    assert_api_level(
        &server,
        "tok-caps-ne",
        "Leads",
        "34",
        "read",
        false,
        true,
        true,
    )
    .await;
    assert_api_level(
        &server,
        "tok-caps-ne",
        "Contacts",
        "44",
        "full",
        true,
        true,
        false,
    )
    .await;
    // NoCreate: no insert in Leads, inserts in Contacts (its own entry), full on its lead.
    assert_golden(
        &req(
            &server,
            "POST",
            "/crm/v8/Leads",
            "tok-caps-nc",
            Some(new_lead.clone()),
        )
        .await,
        &golden("post_no_create_permission"),
    );
    assert_eq!(
        req(
            &server,
            "POST",
            "/crm/v8/Contacts",
            "tok-caps-nc",
            Some(new_lead)
        )
        .await
        .status,
        201
    );
    assert_api_level(
        &server,
        "tok-caps-nc",
        "Leads",
        "35",
        "full",
        true,
        true,
        true,
    )
    .await;
}

// ---- §4.3-§4.5 hierarchy, superiors, group sources (inline fixture) ----

/// Top > Mid > Low, and Other apart; Lou (Low) reports to Xena (Other). One record per rule.
fn hierarchy_fixture(preference: &str) -> String {
    let rob = |id: &str,
               module: &str,
               from: Value,
               to: Value,
               permission: &str,
               superiors: bool| {
        json!({"id": id, "module": module, "name": format!("rule {id}"), "type": "Record_Owner_Based", "permission_type": permission,
               "superiors_allowed": superiors, "shared_from": from, "shared_to": to})
    };
    let roles = |id: &str, subordinates: bool| json!({"type": "roles", "resource": {"id": id}, "subordinates": subordinates});
    let groups = |id: &str, subordinates: bool| json!({"type": "groups", "resource": {"id": id}, "subordinates": subordinates});
    let user = |id: &str, name: &str, role: &str, reporting_to: Value| {
        json!({"id": id, "email": format!("{}@tree.io", name.to_lowercase()), "full_name": name, "role": role,
               "profile": "Standard", "status": "active", "reporting_to": reporting_to})
    };
    json!({"orgs": [{
        "id": "tree",
        "hierarchy_preference": preference,
        "roles": [
            {"id": "1", "name": "Top", "reporting_to": null},
            {"id": "2", "name": "Mid", "reporting_to": "1"},
            {"id": "3", "name": "Low", "reporting_to": "2"},
            {"id": "4", "name": "Other", "reporting_to": null}
        ],
        "users": [
            user("11", "Tom", "1", json!(null)),
            user("12", "Mia", "2", json!(null)),
            user("13", "Lou", "3", json!("15")),
            user("14", "Oscar", "4", json!(null)),
            user("15", "Xena", "4", json!(null))
        ],
        "groups": [
            {"id": "300", "name": "Mid and below", "sources": [{"type": "roles", "id": "2", "subordinates": true}]},
            {"id": "301", "name": "Mid only", "sources": [{"type": "roles", "id": "2", "subordinates": false}]}
        ],
        "tokens": [
            {"access_token": format!("tok-{preference}-tom"), "user": "11", "scopes": ["ZohoCRM.modules.ALL"], "expires_at": null},
            {"access_token": format!("tok-{preference}-mia"), "user": "12", "scopes": ["ZohoCRM.modules.ALL"], "expires_at": null},
            {"access_token": format!("tok-{preference}-lou"), "user": "13", "scopes": ["ZohoCRM.modules.ALL"], "expires_at": null},
            {"access_token": format!("tok-{preference}-xena"), "user": "15", "scopes": ["ZohoCRM.modules.ALL"], "expires_at": null}
        ],
        "records": [
            {"module": "Leads", "id": "100", "owner": "14"},
            {"module": "Contacts", "id": "101", "owner": "14"},
            {"module": "Leads", "id": "102", "owner": "13"},
            {"module": "Deals", "id": "103", "owner": "14"},
            {"module": "Accounts", "id": "104", "owner": "13"},
            {"module": "Accounts", "id": "105", "owner": "14"},
            {"module": "Accounts", "id": "106", "owner": "12"},
            {"module": "Cases", "id": "107", "owner": "13"},
            {"module": "Solutions", "id": "108", "owner": "14"}
        ],
        "sharing_rules": [
            rob("200", "Leads", roles("4", false), roles("3", false), "read", true),
            rob("201", "Contacts", roles("4", false), roles("3", false), "read", false),
            rob("202", "Deals", roles("4", false), roles("2", true), "read_write_delete", true),
            rob("203", "Accounts", roles("1", true), json!({"type": "all_users", "subordinates": false}), "read", false),
            rob("204", "Accounts", roles("2", false), json!({"type": "all_users", "subordinates": false}), "read", false),
            rob("205", "Cases", groups("300", true), groups("301", false), "read", false),
            rob("206", "Solutions", roles("4", false), groups("301", true), "read", false)
        ]
    }]})
    .to_string()
}

/// (user, record, grants) under one preference; the level is the highest grant (no caps here).
async fn assert_tree(server: &TestServer, cases: Vec<(&str, &str, &str, Vec<Value>)>) {
    let standard = profile("3602353000000026001", "Standard", true, true, true, true);
    for (user, record, module, grants) in cases {
        let level = grants
            .iter()
            .map(|g| g["level"].as_str().expect("level").to_owned())
            .max_by_key(|l| rank(l))
            .unwrap_or_else(|| "none".to_owned());
        let reply = explain_in(server, "tree", user, record, None).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(
            reply.json(),
            explained(
                user,
                record,
                module,
                standard.clone(),
                grants,
                &level,
                &level,
                false
            ),
            "{user} on {record}"
        );
    }
}

#[tokio::test]
async fn hierarchy_superiors_and_group_sources_by_role() {
    let server = TestServer::with_fixture(&hierarchy_fixture("role")).await;
    assert_tree(
        &server,
        vec![
            // A rule to Low with superiors_allowed: Mid and Top as superiors; Xena is nothing.
            ("13", "100", "Leads", vec![g_rule("200", "read", "grantee")]),
            (
                "12",
                "100",
                "Leads",
                vec![g_rule("200", "read", "superior")],
            ),
            (
                "11",
                "100",
                "Leads",
                vec![g_rule("200", "read", "superior")],
            ),
            ("15", "100", "Leads", vec![]),
            // Without superiors_allowed only Low.
            (
                "13",
                "101",
                "Contacts",
                vec![g_rule("201", "read", "grantee")],
            ),
            ("12", "101", "Contacts", vec![]),
            ("11", "101", "Contacts", vec![]),
            // Superiors by role see Lou's lead; Xena, to whom Lou reports, does not.
            ("12", "102", "Leads", vec![g_hierarchy("13", "role")]),
            ("11", "102", "Leads", vec![g_hierarchy("13", "role")]),
            ("15", "102", "Leads", vec![]),
            ("14", "102", "Leads", vec![]),
            // Reached directly (Mid and, by subordinates, Low) is `grantee`; Top only as a superior.
            ("12", "103", "Deals", vec![g_rule("202", "full", "grantee")]),
            ("13", "103", "Deals", vec![g_rule("202", "full", "grantee")]),
            (
                "11",
                "103",
                "Deals",
                vec![g_rule("202", "full", "superior")],
            ),
            ("15", "103", "Deals", vec![]),
            // shared_from with and without subordinates.
            (
                "15",
                "104",
                "Accounts",
                vec![g_rule("203", "read", "grantee")],
            ),
            (
                "12",
                "104",
                "Accounts",
                vec![g_hierarchy("13", "role"), g_rule("203", "read", "grantee")],
            ),
            ("15", "105", "Accounts", vec![]),
            (
                "15",
                "106",
                "Accounts",
                vec![
                    g_rule("203", "read", "grantee"),
                    g_rule("204", "read", "grantee"),
                ],
            ),
            // Group sources: Lou is in "Mid and below"; "Mid only" is Mia.
            (
                "12",
                "107",
                "Cases",
                vec![g_hierarchy("13", "role"), g_rule("205", "read", "grantee")],
            ),
            ("11", "107", "Cases", vec![g_hierarchy("13", "role")]),
            ("15", "107", "Cases", vec![]),
            // `subordinates` has no effect on a group target.
            (
                "12",
                "108",
                "Solutions",
                vec![g_rule("206", "read", "grantee")],
            ),
            ("13", "108", "Solutions", vec![]),
            ("11", "108", "Solutions", vec![]),
        ],
    )
    .await;
    assert_api_level(
        &server,
        "tok-role-tom",
        "Leads",
        "100",
        "read",
        true,
        true,
        false,
    )
    .await;
    assert_api_level(
        &server,
        "tok-role-xena",
        "Leads",
        "100",
        "none",
        true,
        true,
        false,
    )
    .await;
    assert_api_level(
        &server,
        "tok-role-mia",
        "Leads",
        "102",
        "full",
        true,
        true,
        false,
    )
    .await;
}

#[tokio::test]
async fn hierarchy_superiors_and_group_sources_by_reporting_line() {
    let server = TestServer::with_fixture(&hierarchy_fixture("reporting")).await;
    assert_tree(
        &server,
        vec![
            // Lou's superior is now Xena, to whom Lou reports; the roles above Low are not.
            ("13", "100", "Leads", vec![g_rule("200", "read", "grantee")]),
            (
                "15",
                "100",
                "Leads",
                vec![g_rule("200", "read", "superior")],
            ),
            ("12", "100", "Leads", vec![]),
            ("11", "100", "Leads", vec![]),
            ("15", "102", "Leads", vec![g_hierarchy("13", "reporting")]),
            ("12", "102", "Leads", vec![]),
            ("11", "102", "Leads", vec![]),
            // Reach by role does not depend on the preference; superiors do.
            ("12", "103", "Deals", vec![g_rule("202", "full", "grantee")]),
            ("13", "103", "Deals", vec![g_rule("202", "full", "grantee")]),
            (
                "15",
                "103",
                "Deals",
                vec![g_rule("202", "full", "superior")],
            ),
            ("11", "103", "Deals", vec![]),
            // Group membership follows the role tree whatever the preference.
            ("12", "107", "Cases", vec![g_rule("205", "read", "grantee")]),
            ("15", "107", "Cases", vec![g_hierarchy("13", "reporting")]),
            ("11", "107", "Cases", vec![]),
            // shared_from by role tree too.
            (
                "15",
                "104",
                "Accounts",
                vec![
                    g_hierarchy("13", "reporting"),
                    g_rule("203", "read", "grantee"),
                ],
            ),
        ],
    )
    .await;
    assert_api_level(
        &server,
        "tok-reporting-xena",
        "Leads",
        "100",
        "read",
        true,
        true,
        false,
    )
    .await;
    assert_api_level(
        &server,
        "tok-reporting-tom",
        "Leads",
        "100",
        "none",
        true,
        true,
        false,
    )
    .await;
    assert_api_level(
        &server,
        "tok-reporting-xena",
        "Leads",
        "102",
        "full",
        true,
        true,
        false,
    )
    .await;
}

// ---- §4.5.1 criteria evaluation, every comparator (inline fixture) ----

/// One case: the record's fields, the condition (or group) to evaluate on it, whether it holds.
struct Criterion {
    fields: Value,
    condition: Value,
    holds: bool,
}

fn cond(comparator: &str, field: &str, value: Value) -> Value {
    json!({"comparator": comparator, "field": {"api_name": field}, "value": value})
}

fn criterion(fields: Value, condition: Value, holds: bool) -> Criterion {
    Criterion {
        fields,
        condition,
        holds,
    }
}

fn criteria_cases() -> Vec<Criterion> {
    let c = criterion;
    vec![
        // equal: strings ignoring case, numbers, numeric strings, booleans, lookups, empty.
        c(
            json!({"City": "Chennai"}),
            cond("equal", "City", json!("chennai")),
            true,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("equal", "City", json!("Chennai ")),
            false,
        ),
        c(json!({}), cond("equal", "City", json!("Chennai")), false),
        c(
            json!({"Amount": 100}),
            cond("equal", "Amount", json!(100.0)),
            true,
        ),
        c(
            json!({"Amount": 100}),
            cond("equal", "Amount", json!("100")),
            true,
        ),
        c(
            json!({"Amount": "100"}),
            cond("equal", "Amount", json!(100)),
            true,
        ),
        c(
            json!({"Amount": 100}),
            cond("equal", "Amount", json!(101)),
            false,
        ),
        c(
            json!({"Amount": "abc"}),
            cond("equal", "Amount", json!(5)),
            false,
        ),
        c(
            json!({"Flag": true}),
            cond("equal", "Flag", json!("TRUE")),
            true,
        ),
        c(
            json!({"Flag": "false"}),
            cond("equal", "Flag", json!(false)),
            true,
        ),
        c(
            json!({"Flag": true}),
            cond("equal", "Flag", json!(false)),
            false,
        ),
        c(
            json!({"Flag": true}),
            cond("equal", "Flag", json!(true)),
            true,
        ),
        c(
            json!({"Account": {"id": "777", "name": "X"}}),
            cond("equal", "Account", json!("777")),
            true,
        ),
        c(
            json!({"Account": {"id": "777"}}),
            cond("equal", "Account", json!({"id": "777", "name": "other"})),
            true,
        ),
        c(
            json!({"Account": {"id": "777"}}),
            cond("equal", "Account", json!("778")),
            false,
        ),
        c(
            json!({"Account": {"name": "777"}}),
            cond("equal", "Account", json!("777")),
            false,
        ),
        c(json!({}), cond("equal", "City", json!(null)), true),
        c(
            json!({"City": null}),
            cond("equal", "City", json!("")),
            true,
        ),
        c(
            json!({"City": ""}),
            cond("equal", "City", json!(null)),
            true,
        ),
        c(
            json!({"City": []}),
            cond("equal", "City", json!(null)),
            true,
        ),
        c(
            json!({"City": "x"}),
            cond("equal", "City", json!(null)),
            false,
        ),
        // not_equal
        c(
            json!({"City": "Chennai"}),
            cond("not_equal", "City", json!("Austin")),
            true,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("not_equal", "City", json!("CHENNAI")),
            false,
        ),
        c(json!({}), cond("not_equal", "City", json!("Austin")), true),
        c(
            json!({"City": "x"}),
            cond("not_equal", "City", json!("")),
            true,
        ),
        c(json!({}), cond("not_equal", "City", json!(null)), false),
        // in / not_in
        c(
            json!({"City": "Chennai"}),
            cond("in", "City", json!(["Austin", "CHENNAI"])),
            true,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("in", "City", json!("chennai")),
            true,
        ),
        c(
            json!({"City": "Pune"}),
            cond("in", "City", json!(["Austin", "Chennai"])),
            false,
        ),
        c(
            json!({"Amount": 5}),
            cond("in", "Amount", json!(["5", 6])),
            true,
        ),
        c(
            json!({"City": "Pune"}),
            cond("not_in", "City", json!(["Austin", "Chennai"])),
            true,
        ),
        c(
            json!({"City": "Austin"}),
            cond("not_in", "City", json!(["Austin", "Chennai"])),
            false,
        ),
        // contains, starts_with, ends_with, not_contains: strings only, ignoring case.
        c(
            json!({"City": "Chennai"}),
            cond("contains", "City", json!("ENN")),
            true,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("contains", "City", json!("xyz")),
            false,
        ),
        c(
            json!({"Amount": 12345}),
            cond("contains", "Amount", json!("234")),
            false,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("starts_with", "City", json!("che")),
            true,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("starts_with", "City", json!("nai")),
            false,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("ends_with", "City", json!("NAI")),
            true,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("ends_with", "City", json!("Che")),
            false,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("not_contains", "City", json!("xyz")),
            true,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("not_contains", "City", json!("enn")),
            false,
        ),
        c(json!({}), cond("not_contains", "City", json!("x")), true),
        c(
            json!({"Amount": 12345}),
            cond("not_contains", "Amount", json!("234")),
            true,
        ),
        // greater_than, greater_equal, less_than, less_equal: numbers, dates, date-times.
        c(
            json!({"Amount": 10}),
            cond("greater_than", "Amount", json!(9)),
            true,
        ),
        c(
            json!({"Amount": 10}),
            cond("greater_than", "Amount", json!(10)),
            false,
        ),
        c(
            json!({"Amount": 10}),
            cond("greater_equal", "Amount", json!(10)),
            true,
        ),
        c(
            json!({"Amount": "9.5"}),
            cond("less_than", "Amount", json!(10)),
            true,
        ),
        c(
            json!({"Amount": 10}),
            cond("less_equal", "Amount", json!("10")),
            true,
        ),
        c(
            json!({"Amount": 10}),
            cond("less_than", "Amount", json!(9)),
            false,
        ),
        c(
            json!({"Close_Date": "2026-11-21"}),
            cond("greater_than", "Close_Date", json!("2026-11-20")),
            true,
        ),
        c(
            json!({"Close_Date": "2026-11-21"}),
            cond("less_than", "Close_Date", json!("2026-11-20")),
            false,
        ),
        c(
            json!({"Stamp": "2026-11-21T10:00:00+05:30"}),
            cond("greater_than", "Stamp", json!("2026-11-21T05:00:00+00:00")),
            false,
        ),
        c(
            json!({"Stamp": "2026-11-21T10:00:00+05:30"}),
            cond("less_than", "Stamp", json!("2026-11-21T05:00:00+00:00")),
            true,
        ),
        c(
            json!({"Stamp": "2026-11-21T00:00:00+00:00"}),
            cond("greater_equal", "Stamp", json!("2026-11-21")),
            true,
        ),
        c(
            json!({"City": "abc"}),
            cond("greater_than", "City", json!("abb")),
            false,
        ),
        c(json!({}), cond("greater_than", "Amount", json!(5)), false),
        c(
            json!({"Amount": 10}),
            cond("greater_than", "Amount", json!("abc")),
            false,
        ),
        // between / not_between: inclusive, V must be [low, high].
        c(
            json!({"Amount": 10}),
            cond("between", "Amount", json!([5, 10])),
            true,
        ),
        c(
            json!({"Amount": 5}),
            cond("between", "Amount", json!([5, 10])),
            true,
        ),
        c(
            json!({"Amount": 11}),
            cond("between", "Amount", json!([5, 10])),
            false,
        ),
        c(
            json!({"Amount": 10}),
            cond("between", "Amount", json!(10)),
            false,
        ),
        c(
            json!({"Amount": 11}),
            cond("not_between", "Amount", json!([5, 10])),
            true,
        ),
        c(
            json!({"Amount": 7}),
            cond("not_between", "Amount", json!([5, 10])),
            false,
        ),
        c(
            json!({"Close_Date": "2026-06-15"}),
            cond("between", "Close_Date", json!(["2026-06-01", "2026-06-30"])),
            true,
        ),
        // Any other comparator never holds.
        c(
            json!({"City": "Chennai"}),
            cond("like", "City", json!("Chennai")),
            false,
        ),
        c(
            json!({"City": "Chennai"}),
            cond("is_empty", "City", json!(null)),
            false,
        ),
        // Multi-select: a positive comparator holds for one element, its negation for none.
        c(
            json!({"Colors": ["Red", "Blue"]}),
            cond("equal", "Colors", json!("blue")),
            true,
        ),
        c(
            json!({"Colors": ["Red", "Blue"]}),
            cond("not_equal", "Colors", json!("blue")),
            false,
        ),
        c(
            json!({"Colors": ["Red", "Blue"]}),
            cond("not_equal", "Colors", json!("green")),
            true,
        ),
        c(
            json!({"Colors": ["Red", "Blue"]}),
            cond("contains", "Colors", json!("lu")),
            true,
        ),
        c(
            json!({"Colors": ["Red", "Blue"]}),
            cond("in", "Colors", json!(["green", "RED"])),
            true,
        ),
        c(
            json!({"Colors": ["Red", "Blue"]}),
            cond("not_in", "Colors", json!(["green"])),
            true,
        ),
        c(
            json!({"Colors": ["Red", "Blue"]}),
            cond("not_in", "Colors", json!(["red"])),
            false,
        ),
        c(
            json!({"Colors": []}),
            cond("not_contains", "Colors", json!("x")),
            true,
        ),
        c(
            json!({"Scores": [1, 20]}),
            cond("greater_than", "Scores", json!(10)),
            true,
        ),
        c(
            json!({"Scores": [1, 2]}),
            cond("greater_than", "Scores", json!(10)),
            false,
        ),
        // The system keys: Owner and Created_By as user ids, the times as timestamps.
        c(json!({}), cond("equal", "Owner", json!("1")), true),
        c(json!({}), cond("equal", "Owner", json!("2")), false),
        c(json!({}), cond("in", "Created_By", json!(["1"])), true),
        c(json!({}), cond("equal", "Modified_By", json!("1")), true),
        c(
            json!({}),
            cond(
                "greater_than",
                "Created_Time",
                json!("2026-10-31T00:00:00+00:00"),
            ),
            true,
        ),
        c(
            json!({}),
            cond("less_than", "Modified_Time", json!("2026-11-01")),
            false,
        ),
        // Groups: AND, OR (any case), nested; `type` and `field.id` are ignored.
        c(
            json!({"City": "Chennai"}),
            json!({"group_operator": "OR", "group": [cond("equal", "City", json!("x")), cond("equal", "City", json!("Chennai"))]}),
            true,
        ),
        c(
            json!({"City": "Chennai", "Amount": 6}),
            json!({"group_operator": "AND", "group": [cond("equal", "City", json!("Chennai")), cond("equal", "Amount", json!(5))]}),
            false,
        ),
        c(
            json!({"City": "Chennai", "Amount": 6}),
            json!({"group_operator": "and", "group": [
            {"group_operator": "or", "group": [cond("equal", "City", json!("x")), cond("equal", "City", json!("Chennai"))]},
            cond("not_equal", "Amount", json!(5))]}),
            true,
        ),
        c(
            json!({"City": "Chennai"}),
            json!({"group_operator": "Or", "group": [cond("equal", "City", json!("x"))]}),
            false,
        ),
        c(
            json!({"City": "Chennai"}),
            json!({"comparator": "equal", "field": {"api_name": "City", "id": "3602353000000099999"}, "type": "value", "value": "Chennai"}),
            true,
        ),
    ]
}

/// Record `500{i}` holds case i's fields and a `Case` key; rule `900{i}` is "Case equal c{i} AND
/// the case", to all users, read. So rule i can match record i only, and does when case i holds.
fn criteria_fixture() -> String {
    let cases = criteria_cases();
    let records: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let mut fields = case.fields.clone();
            fields["Case"] = json!(format!("c{i}"));
            json!({"module": "Leads", "id": format!("500{i:03}"), "owner": "1", "fields": fields,
                   "created_time": "2026-11-01T09:00:00+00:00", "modified_time": "2026-11-01T09:00:00+00:00"})
        })
        .chain([
            json!({"module": "Contacts", "id": "600", "owner": "1", "fields": {"City": "Chennai"}}),
            json!({"module": "Contacts", "id": "601", "owner": "1", "fields": {"City": "Pune"}}),
            json!({"module": "Contacts", "id": "602", "owner": "1"}),
        ])
        .collect();
    let rules: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            json!({"id": format!("900{i:03}"), "module": "Leads", "name": format!("case {i}"), "type": "Criteria_Based",
                   "permission_type": "read", "superiors_allowed": false, "shared_to": {"type": "all_users", "subordinates": false},
                   "criteria": {"group_operator": "AND", "group": [cond("equal", "Case", json!(format!("c{i}"))), case.condition.clone()]}})
        })
        .chain([json!({"id": "990", "module": "Contacts", "name": "bare condition", "type": "Criteria_Based",
                       "permission_type": "read_write_delete", "superiors_allowed": false,
                       "shared_to": {"type": "all_users", "subordinates": false},
                       "criteria": cond("equal", "City", json!("Chennai"))}),
                json!({"id": "991", "module": "Contacts", "name": "by record id", "type": "Criteria_Based",
                       "permission_type": "read", "superiors_allowed": false,
                       "shared_to": {"type": "all_users", "subordinates": false},
                       "criteria": cond("equal", "id", json!("602"))})])
        .collect();
    json!({"orgs": [{
        "id": "crit",
        "users": [{"id": "1", "email": "admin@crit.io", "full_name": "Ada Admin", "role": "10", "profile": "Administrator", "status": "active"},
                  {"id": "2", "email": "viewer@crit.io", "full_name": "Vic Viewer", "role": "20", "profile": "Standard", "status": "active"}],
        "roles": [{"id": "10", "name": "Top One"}, {"id": "20", "name": "Top Two"}],
        "tokens": [{"access_token": "tok-crit-viewer", "user": "2", "scopes": ["ZohoCRM.modules.ALL"], "expires_at": null}],
        "records": records,
        "sharing_rules": rules
    }]})
    .to_string()
}

#[tokio::test]
async fn criteria_rules_evaluate_every_comparator_on_record_fields() {
    let server = TestServer::with_fixture(&criteria_fixture()).await;
    let mut failures = Vec::new();
    let mut expected_visible = Vec::new();
    for (i, case) in criteria_cases().iter().enumerate() {
        let record = format!("500{i:03}");
        let reply = explain_in(&server, "crit", "2", &record, None).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let grants = reply.json()["grants"].clone();
        let expected = if case.holds {
            json!([g_rule(&format!("900{i:03}"), "read", "grantee")])
        } else {
            json!([])
        };
        if grants != expected {
            failures.push(format!(
                "case {i}: {} on {} should be {}",
                case.condition, case.fields, case.holds
            ));
        }
        if case.holds {
            expected_visible.push(record);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The Records API lists exactly the records whose case holds.
    expected_visible.sort_by_key(|id| std::cmp::Reverse(id.parse::<u64>().expect("digits")));
    let reply = req(
        &server,
        "GET",
        "/crm/v8/Leads?fields=Case",
        "tok-crit-viewer",
        None,
    )
    .await;
    assert_eq!(listed_ids(&reply), expected_visible);
    // A bare condition (not a group) is a criterion too.
    let reply = explain_in(&server, "crit", "2", "600", None).await;
    assert_eq!(
        reply.json()["grants"],
        json!([g_rule("990", "full", "grantee")])
    );
    let reply = explain_in(&server, "crit", "2", "601", None).await;
    assert_eq!(reply.json()["grants"], json!([]));
    // `id` reads the record id.
    let reply = explain_in(&server, "crit", "2", "602", None).await;
    assert_eq!(
        reply.json()["grants"],
        json!([g_rule("991", "read", "grantee")])
    );
}

// ---- DESIGN.md §3: record keys in the fixture, their validation and export ----

#[tokio::test]
async fn the_sandbox_exports_its_records_with_fields_times_and_creators() {
    let server = TestServer::start().await;
    let org = zylker(&server.state().await);
    assert_eq!(org["hierarchy_preference"], "role");
    assert_eq!(
        org["profiles"],
        json!([
            {"id": ADMINISTRATOR_PROFILE, "name": "Administrator", "description": null, "permissions": {}},
            {"id": STANDARD_PROFILE, "name": "Standard", "description": null, "permissions": {}},
            {"id": READ_ONLY_PROFILE, "name": "Read Only", "description": "View every module, change nothing",
             "permissions": {"*": {"view": true, "create": false, "edit": false, "delete": false}}}
        ])
    );
    let expected: Vec<Value> = sandbox_records()
        .into_iter()
        .map(|(module, id, owner, fields)| {
            json!({"module": module, "id": id, "owner": owner, "fields": fields,
                   "created_time": T_FIXTURE, "modified_time": T_FIXTURE, "created_by": owner, "modified_by": owner})
        })
        .collect();
    let mut records = org["records"].as_array().expect("records").clone();
    let mut expected_sorted = expected.clone();
    records.sort_by_key(|r| r["id"].as_str().map(str::to_owned));
    expected_sorted.sort_by_key(|r| r["id"].as_str().map(str::to_owned));
    assert_eq!(records, expected_sorted);
    // The first record, as DESIGN.md §4 prints it.
    assert_eq!(
        stored_record(&org, LEAD_212),
        Some(
            json!({"module": "Leads", "id": "4150868000001148212", "owner": "4150868000001174048",
            "fields": {"City": "Chennai", "Company": "Zylker Freight", "First_Name": "Kevin", "Last_Name": "Patel"},
            "created_time": "2026-11-01T09:00:00+00:00", "modified_time": "2026-11-01T09:00:00+00:00",
            "created_by": "4150868000001174048", "modified_by": "4150868000001174048"})
        )
    );
}

#[tokio::test]
async fn the_sandbox_has_a_labelled_token_per_user_the_examples_need() {
    let server = TestServer::start().await;
    let scopes = json!([
        "ZohoCRM.modules.ALL",
        "ZohoCRM.share.ALL",
        "ZohoCRM.settings.ALL",
        "ZohoCRM.users.ALL",
        "ZohoCRM.org.ALL"
    ]);
    for (label, token, user) in [
        ("patricia", PATRICIA_T, PATRICIA),
        ("amelia", AMELIA_T, AMELIA),
        ("ryan", RYAN_T, RYAN),
        ("olivia", OLIVIA_T, OLIVIA),
        ("sophia", SOPHIA_T, SOPHIA),
        ("emma", EMMA_T, EMMA),
        ("lucas", LUCAS_T, LUCAS),
    ] {
        let reply = server
            .admin(
                "GET",
                &format!("/__admin/orgs/zylker/tokens?label={label}"),
                None,
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(
            reply.json()["tokens"],
            json!([{"access_token": token, "label": label, "user": user, "scopes": scopes, "expires_at": null, "revoked": false}]),
            "{label}"
        );
    }
}

#[tokio::test]
async fn records_default_their_times_and_creators_and_export_what_the_api_wrote() {
    let fixture = json!({"orgs": [{
        "id": "acme",
        "users": [{"id": "1", "email": "a@acme.io", "full_name": "Ann Admin", "role": "9", "profile": "Administrator", "status": "active"},
                  {"id": "2", "email": "b@acme.io", "full_name": "Bo Rep", "role": "9", "profile": "Standard", "status": "active"}],
        "roles": [{"id": "9", "name": "R"}],
        "tokens": [{"access_token": "tok-acme", "user": "2", "scopes": ["ZohoCRM.modules.ALL"], "expires_at": null}],
        "records": [
            {"module": "Leads", "id": "10", "owner": "1"},
            {"module": "Leads", "id": "11", "owner": "2", "fields": {"Last_Name": "Kept"}, "created_by": "1",
             "created_time": "2026-03-04T05:06:07+02:00"}
        ]
    }]});
    let server = TestServer::with_fixture(&fixture.to_string()).await;
    let org = org_of(&server.state().await, "acme");
    assert_eq!(
        stored_record(&org, "10"),
        Some(
            json!({"module": "Leads", "id": "10", "owner": "1", "fields": {},
            "created_time": "2026-01-01T00:00:00+00:00", "modified_time": "2026-01-01T00:00:00+00:00",
            "created_by": "1", "modified_by": "1"})
        )
    );
    let eleven = stored_record(&org, "11").expect("record 11");
    assert_eq!(eleven["created_by"], "1");
    assert_eq!(eleven["modified_by"], "2", "defaults to the owner");
    assert_eq!(eleven["modified_time"], "2026-01-01T00:00:00+00:00");
    // The record body shows the same.
    let record = only_record(&req(&server, "GET", "/crm/v8/Leads/11", "tok-acme", None).await);
    assert_eq!(
        record["Created_By"],
        json!({"email": "a@acme.io", "id": "1", "name": "Ann Admin"})
    );
    assert_eq!(record["Created_Time"], "2026-03-04T03:06:07+00:00");

    freeze(&server, T_EXAMPLES).await;
    let reply = req(
        &server,
        "POST",
        "/crm/v8/Leads",
        "tok-acme",
        Some(json!({"data": [{"Last_Name": "New", "Owner": {"id": "1"}}]})),
    )
    .await;
    let id = inserted_id(&reply, 0);
    let org = org_of(&server.state().await, "acme");
    assert_eq!(
        stored_record(&org, &id),
        Some(
            json!({"module": "Leads", "id": id, "owner": "1", "fields": {"Last_Name": "New"},
            "created_time": T_EXAMPLES, "modified_time": T_EXAMPLES, "created_by": "2", "modified_by": "2"})
        )
    );
    // Export -> import is lossless.
    let state = server.state().await;
    assert_eq!(
        server
            .admin("PUT", "/__admin/state", Some(state.clone()))
            .await
            .status,
        204
    );
    assert_eq!(server.state().await, state);
    let copy = TestServer::with_fixture(&state.to_string()).await;
    assert_eq!(copy.state().await, state);
}

/// `PUT /__admin/state` with the sandbox changed by `change` answers 400 with exactly the
/// expected message (DESIGN.md §3 gives an example message per rule), or, for the other cases of a
/// rule, a message that starts with the JSON path; and nothing changes.
async fn assert_refused(
    server: &TestServer,
    change: impl FnOnce(&mut Value),
    expected: Expected<'_>,
) {
    let before = server.state().await;
    let mut state = before.clone();
    change(&mut state["orgs"][0]);
    let reply = server.admin("PUT", "/__admin/state", Some(state)).await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    let message = reply.json()["error"].as_str().expect("an error").to_owned();
    match expected {
        Expected::Exactly(text) => assert_eq!(message, text),
        Expected::Path(path) => assert!(
            message.starts_with(path) && message.contains(": "),
            "{message:?} names {path}"
        ),
    }
    assert_eq!(server.state().await, before, "nothing changed");
}

enum Expected<'a> {
    Exactly(&'a str),
    Path(&'a str),
}

#[tokio::test]
async fn loading_refuses_bad_access_keys_naming_the_json_path() {
    use Expected::{Exactly, Path};
    let server = TestServer::start().await;
    assert_eq!(
        server.state().await["orgs"][0]["id"],
        ORG,
        "the sandbox org comes first"
    );
    // The unchanged export loads.
    let state = server.state().await;
    assert_eq!(
        server
            .admin("PUT", "/__admin/state", Some(state))
            .await
            .status,
        204
    );

    assert_refused(
        &server,
        |o| o["hierarchy_preference"] = json!("manager"),
        Exactly("$.orgs[0].hierarchy_preference: expected \"role\" or \"reporting\""),
    )
    .await;
    // Roles: a loop, an unknown role, the role itself.
    assert_refused(
        &server,
        |o| {
            o["roles"][2]["reporting_to"] = json!(SUPPORT_AGENT_ROLE);
            o["roles"][3]["reporting_to"] = json!(SALES_REP_ROLE);
        },
        Exactly(
            "$.orgs[0].roles[2].reporting_to: reporting line loops back to \"4150868000000026007\"",
        ),
    )
    .await;
    assert_refused(
        &server,
        |o| o["roles"][1]["reporting_to"] = json!("41"),
        Path("$.orgs[0].roles[1].reporting_to"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["roles"][1]["reporting_to"] = json!(MANAGER_ROLE),
        Path("$.orgs[0].roles[1].reporting_to"),
    )
    .await;
    // Users: unknown, themselves, a loop.
    assert_refused(
        &server,
        |o| o["users"][3]["reporting_to"] = json!("41"),
        Exactly("$.orgs[0].users[3].reporting_to: unknown users id \"41\""),
    )
    .await;
    assert_refused(
        &server,
        |o| o["users"][3]["reporting_to"] = json!(OLIVIA),
        Path("$.orgs[0].users[3].reporting_to"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["users"][0]["reporting_to"] = json!(AMELIA),
        Path("$.orgs[0].users[0].reporting_to"),
    )
    .await;
    // Groups.
    assert_refused(
        &server,
        |o| o["groups"][1]["sources"][0]["type"] = json!("groups"),
        Exactly("$.orgs[0].groups[1].sources[0].type: expected \"users\" or \"roles\""),
    )
    .await;
    assert_refused(
        &server,
        |o| o["groups"][1]["members"] = json!([EMMA]),
        Path("$.orgs[0].groups[1]"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["groups"][1]["sources"][0]["id"] = json!("41"),
        Path("$.orgs[0].groups[1].sources[0]"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["groups"][0]["sources"][0]["subordinates"] = json!(true),
        Path("$.orgs[0].groups[0].sources[0]"),
    )
    .await;
    assert_refused(
        &server,
        |o| {
            let first = o["groups"][0]["sources"][0].clone();
            o["groups"][0]["sources"]
                .as_array_mut()
                .expect("sources")
                .push(first);
        },
        Path("$.orgs[0].groups[0].sources[4]"),
    )
    .await;
    // Profiles.
    assert_refused(
        &server,
        |o| {
            o["profiles"][2]["name"] = json!("Standard");
            o["users"][5]["profile"] = json!("Standard");
        },
        Exactly("$.orgs[0].profiles[2].name: duplicate profile name \"Standard\""),
    )
    .await;
    assert_refused(
        &server,
        |o| o["profiles"][2]["id"] = json!(STANDARD_PROFILE),
        Path("$.orgs[0].profiles[2].id"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["profiles"][2]["id"] = json!("36x"),
        Path("$.orgs[0].profiles[2].id"),
    )
    .await;
    assert_refused(
        &server,
        |o| {
            o["profiles"][2]["name"] = json!("");
            o["users"][5]["profile"] = json!("Standard");
        },
        Path("$.orgs[0].profiles[2].name"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["profiles"][2]["permissions"]["Meetings"] = json!({"view": true}),
        Exactly("$.orgs[0].profiles[2].permissions.Meetings: unknown module"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["profiles"][2]["permissions"]["Leads"] = json!({"view": "yes"}),
        Path("$.orgs[0].profiles[2].permissions.Leads"),
    )
    .await;
    assert_refused(
        &server,
        |o| {
            o["profiles"][2]["permissions"]["Leads"] =
                json!({"view": false, "create": true, "edit": false, "delete": false})
        },
        Exactly("$.orgs[0].profiles[2].permissions.Leads: create without view"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["profiles"][0]["permissions"] = json!({"Leads": {"delete": false}}),
        Exactly(
            "$.orgs[0].profiles[0].permissions: the Administrator profile cannot be restricted",
        ),
    )
    .await;
    assert_refused(
        &server,
        |o| o["users"][4]["profile"] = json!("Sales Manager"),
        Exactly("$.orgs[0].users[4].profile: unknown profile \"Sales Manager\""),
    )
    .await;
    // Records.
    assert_refused(
        &server,
        |o| o["records"][5]["fields"]["Owner"] = json!({"id": PATRICIA}),
        Exactly("$.orgs[0].records[5].fields.Owner: system key, set \"owner\" instead"),
    )
    .await;
    for key in [
        "id",
        "Created_Time",
        "Modified_Time",
        "Created_By",
        "Modified_By",
        "$editable",
    ] {
        assert_refused(
            &server,
            |o| o["records"][5]["fields"][key] = json!("x"),
            Path(&format!("$.orgs[0].records[5].fields.{key}")),
        )
        .await;
    }
    assert_refused(
        &server,
        |o| o["records"][5]["fields"][""] = json!("x"),
        Path("$.orgs[0].records[5].fields"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["records"][5]["fields"] = json!(["x"]),
        Path("$.orgs[0].records[5].fields"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["records"][5]["created_by"] = json!("41"),
        Exactly("$.orgs[0].records[5].created_by: unknown users id \"41\""),
    )
    .await;
    assert_refused(
        &server,
        |o| o["records"][5]["modified_by"] = json!("41"),
        Path("$.orgs[0].records[5].modified_by"),
    )
    .await;
    assert_refused(
        &server,
        |o| o["records"][5]["created_time"] = json!("2026-11-01T09:00:00"),
        Path("$.orgs[0].records[5].created_time"),
    )
    .await;
}

//! A black-box property of effective record access (spec crm-records-and-access.md §4, §9,
//! §12): for every user and record, the explain endpoint's `level` is what the Records API
//! enforces, on GET one, the list with `ids`, PUT and DELETE, profile caps included. It runs
//! over the sandbox and over random small orgs (a seeded generator: a failure names its seed).

mod support;

use serde_json::{Value, json};
use support::*;

/// A seeded generator (fastrand's wyrand), so a failing seed reproduces.
struct Rng(fastrand::Rng);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0.usize(..n.max(1))
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.0.u64(..100) < percent
    }
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

const PROFILES: [(&str, &str); 5] = [
    ("Administrator", r#"{}"#),
    ("Standard", r#"{}"#),
    (
        "Read Only",
        r#"{"*": {"view": true, "create": false, "edit": false, "delete": false}}"#,
    ),
    ("No Delete", r#"{"*": {"delete": false}}"#),
    (
        "No Leads",
        r#"{"Leads": {"view": false, "create": false, "edit": false, "delete": false}}"#,
    ),
];

const CITIES: [&str; 3] = ["Chennai", "Pune", "Austin"];
const MODULES: [&str; 2] = ["Leads", "Contacts"];

fn role_id(i: usize) -> String {
    format!("{}", 1000 + i)
}
fn user_id(i: usize) -> String {
    format!("{}", 2000 + i)
}
fn group_id(i: usize) -> String {
    format!("{}", 3000 + i)
}
fn record_id(i: usize) -> String {
    format!("{}", 4000 + i)
}

/// A shared object of a rule: a role (maybe with subordinates), a group, or all users.
fn shared(rng: &mut Rng, roles: usize, groups: usize, all_users: bool) -> Value {
    match rng.below(if all_users { 3 } else { 2 }) {
        0 => {
            json!({"type": "roles", "resource": {"id": role_id(rng.below(roles))}, "subordinates": rng.chance(50)})
        }
        1 if groups > 0 => {
            json!({"type": "groups", "resource": {"id": group_id(rng.below(groups))}, "subordinates": rng.chance(50)})
        }
        1 => json!({"type": "roles", "resource": {"id": role_id(0)}, "subordinates": true}),
        _ => json!({"type": "all_users", "subordinates": false}),
    }
}

/// A random org document: a roles forest, users (one Administrator, some disabled) with
/// reporting lines, groups from sources, leads and contacts with fields, rules of both types,
/// shares, an org-wide default, maybe a pinned computation flag.
fn random_org(rng: &mut Rng) -> (Value, usize, usize) {
    let roles = 1 + rng.below(4);
    let users = 2 + rng.below(4);
    let groups = rng.below(3);
    let records = 2 + rng.below(5);
    let role_docs: Vec<Value> = (0..roles)
        .map(|i| {
            let parent = (i > 0 && rng.chance(70)).then(|| role_id(rng.below(i)));
            json!({"id": role_id(i), "name": format!("Role {i}"), "reporting_to": parent, "share_with_peers": rng.chance(30)})
        })
        .collect();
    let user_docs: Vec<Value> = (0..users)
        .map(|i| {
            let to = (i > 0 && rng.chance(60)).then(|| user_id(rng.below(i)));
            let profile = if i == 0 {
                "Administrator"
            } else {
                PROFILES[1 + rng.below(PROFILES.len() - 1)].0
            };
            let status = if i > 0 && rng.chance(15) { "disabled" } else { "active" };
            json!({"id": user_id(i), "email": format!("u{i}@rand.io"), "full_name": format!("User {i}"),
                   "role": role_id(rng.below(roles)), "profile": profile, "status": status, "reporting_to": to})
        })
        .collect();
    let group_docs: Vec<Value> = (0..groups)
        .map(|g| {
            let source = if rng.chance(50) {
                json!({"type": "users", "id": user_id(rng.below(users))})
            } else {
                json!({"type": "roles", "id": role_id(rng.below(roles)), "subordinates": rng.chance(50)})
            };
            json!({"id": group_id(g), "name": format!("Group {g}"), "sources": [source]})
        })
        .collect();
    let mut owners = Vec::new();
    let record_docs: Vec<Value> = (0..records)
        .map(|i| {
            let owner = rng.below(users);
            owners.push(owner);
            json!({"module": MODULES[rng.below(2)], "id": record_id(i), "owner": user_id(owner),
                   "fields": {"Last_Name": format!("R{i}"), "City": CITIES[rng.below(3)], "Amount": rng.below(20)}})
        })
        .collect();
    let rule_docs: Vec<Value> = (0..rng.below(4))
        .map(|i| {
            let module = MODULES[rng.below(2)];
            let to = shared(rng, roles, groups, true);
            let permission = if rng.chance(50) { "read" } else { "read_write_delete" };
            let status = if rng.chance(75) { "active" } else { "inactive" };
            let base = json!({"id": format!("{}", 5000 + i), "module": module, "name": format!("rule {i}"),
                              "permission_type": permission, "superiors_allowed": rng.chance(50),
                              "status": status, "shared_to": to});
            let mut rule = base;
            if rng.chance(50) {
                rule["type"] = json!("Record_Owner_Based");
                rule["shared_from"] = shared(rng, roles, groups, false);
            } else {
                rule["type"] = json!("Criteria_Based");
                rule["criteria"] = if rng.chance(50) {
                    json!({"group_operator": "AND", "group": [{"comparator": "equal", "field": {"api_name": "City"}, "value": CITIES[rng.below(3)]}]})
                } else {
                    json!({"comparator": "less_than", "field": {"api_name": "Amount"}, "value": rng.below(20)})
                };
            }
            rule
        })
        .collect();
    let mut share_docs = Vec::new();
    for (i, record) in record_docs.iter().enumerate() {
        let permission = ["read_only", "read_write", "full_access"][rng.below(3)];
        if rng.chance(10) {
            share_docs.push(json!({"module": record["module"], "record": record_id(i), "type": "public", "shared_with": null,
                                   "permission": permission, "share_related_records": false,
                                   "shared_by": user_id(owners[i]), "shared_time": "2026-11-20T10:00:00+00:00"}));
            continue;
        }
        let mut targets: Vec<(String, String)> = Vec::new();
        for _ in 0..rng.below(3) {
            let target = match rng.below(3) {
                0 if groups > 0 => ("groups".to_owned(), group_id(rng.below(groups))),
                1 => ("roles".to_owned(), role_id(rng.below(roles))),
                _ => ("users".to_owned(), user_id(rng.below(users))),
            };
            if targets.contains(&target) || (target.0 == "users" && target.1 == user_id(owners[i]))
            {
                continue;
            }
            targets.push(target.clone());
            let permission = ["read_only", "read_write", "full_access"][rng.below(3)];
            share_docs.push(json!({"module": record["module"], "record": record_id(i), "type": "private",
                                   "shared_with": {"type": target.0, "id": target.1}, "permission": permission,
                                   "share_related_records": false, "shared_by": user_id(owners[i]),
                                   "shared_time": "2026-11-20T10:00:00+00:00"}));
        }
    }
    let profiles: Vec<Value> = PROFILES
        .iter()
        .enumerate()
        .map(|(i, (name, permissions))| {
            json!({"id": format!("{}", 6000 + i), "name": name,
                   "permissions": serde_json::from_str::<Value>(permissions).expect("JSON")})
        })
        .collect();
    let tokens: Vec<Value> = (0..users)
        .map(|i| json!({"access_token": format!("tok-rand-{i}"), "user": user_id(i), "scopes": ["ZohoCRM.modules.ALL"], "expires_at": null}))
        .collect();
    let preference = if rng.chance(50) { "role" } else { "reporting" };
    let mut org = json!({
        "id": "rand",
        "hierarchy_preference": preference,
        "profiles": profiles,
        "roles": role_docs,
        "users": user_docs,
        "groups": group_docs,
        "tokens": tokens,
        "records": record_docs,
        "shares": share_docs,
        "sharing_rules": rule_docs,
    });
    if rng.chance(30) {
        let share_type = ["public_read_only", "public_read_write", "public"][rng.below(3)];
        org["data_sharing"] = json!({ "Leads": share_type });
    }
    if rng.chance(20) {
        org["rule_computation"] = json!({"Leads": true});
    }
    (json!({"orgs": [org]}), users, records)
}

/// What the explain endpoint says of a pair: (level, view, edit, delete, module).
async fn explained(server: &TestServer, org: &str, user: &str, record: &str) -> (String, Value) {
    let reply = server
        .admin(
            "GET",
            &format!("/__admin/orgs/{org}/access?user={user}&record={record}"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let answer = reply.json();
    (
        answer["level"].as_str().expect("a level").to_owned(),
        answer,
    )
}

/// GET one, the list with `ids` and a harmless PUT enforce `level` (§9); a profile without the
/// operation refuses it for the whole request.
async fn assert_read_and_update(server: &TestServer, token: &str, answer: &Value, what: &str) {
    let (level, module, record) = (
        answer["level"].as_str().expect("level"),
        answer["module"].as_str().expect("module"),
        answer["record"].as_str().expect("record"),
    );
    let profile = &answer["profile"];
    let one = format!("/crm/v8/{module}/{record}");
    let reply = server.call("GET", &one, Some(token), None).await;
    if profile["view"] == false {
        assert_eq!(reply.status, 403, "{what}: GET {}", reply.text());
    } else if level == "none" {
        assert_eq!(reply.status, 204, "{what}: GET {}", reply.text());
    } else {
        assert_eq!(reply.status, 200, "{what}: GET {}", reply.text());
        let body = &reply.json()["data"][0];
        assert_eq!(
            body["$sharing_permission"], answer["sharing_permission"],
            "{what}"
        );
        assert_eq!(body["$editable"], answer["editable"], "{what}");
        let list = format!("/crm/v8/{module}?fields=id&ids={record}");
        let listed = server.call("GET", &list, Some(token), None).await;
        assert_eq!(listed.status, 200, "{what}: list {}", listed.text());
        assert_eq!(
            listed.json()["data"][0]["$sharing_permission"],
            answer["sharing_permission"]
        );
    }
    let body = json!({"data": [{"Probe": "x"}]}).to_string();
    let reply = server.call("PUT", &one, Some(token), Some(&body)).await;
    let code = |reply: &Reply| reply.json()["data"][0]["code"].clone();
    match (profile["edit"] == true, level) {
        (false, _) => assert_eq!(reply.status, 403, "{what}: PUT {}", reply.text()),
        (true, "none") => {
            assert_eq!(reply.status, 400, "{what}: PUT");
            assert_eq!(
                reply.json()["data"][0]["message"],
                "the id given seems to be invalid"
            );
        }
        (true, "read") => {
            assert_eq!(reply.status, 400, "{what}: PUT");
            assert_eq!(code(&reply), "NO_PERMISSION", "{what}");
        }
        (true, _) => {
            assert_eq!(reply.status, 200, "{what}: PUT {}", reply.text());
            assert_eq!(code(&reply), "SUCCESS", "{what}");
        }
    }
}

/// DELETE enforces `level` (§9): only `full` deletes.
async fn assert_delete(server: &TestServer, token: &str, answer: &Value, what: &str) {
    let (level, module, record) = (
        answer["level"].as_str().expect("level"),
        answer["module"].as_str().expect("module"),
        answer["record"].as_str().expect("record"),
    );
    let reply = server
        .call(
            "DELETE",
            &format!("/crm/v8/{module}/{record}"),
            Some(token),
            None,
        )
        .await;
    let message = reply.json()["data"][0]["message"].clone();
    match (answer["profile"]["delete"] == true, rank(level)) {
        (false, _) => assert_eq!(reply.status, 403, "{what}: DELETE {}", reply.text()),
        (true, 0) => assert_eq!(message, "record not deleted", "{what}"),
        (true, 3) => {
            assert_eq!(reply.status, 200, "{what}: DELETE {}", reply.text());
            assert_eq!(message, "record deleted", "{what}");
        }
        (true, _) => assert_eq!(
            message, "no permission to perform an action on this record",
            "{what}"
        ),
    }
}

#[tokio::test]
async fn the_explained_level_is_what_the_records_api_enforces_on_random_orgs() {
    for seed in 1..=10u64 {
        let mut rng = Rng(fastrand::Rng::with_seed(
            seed.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        ));
        let (document, users, records) = random_org(&mut rng);
        let server = TestServer::with_fixture(&document.to_string()).await;
        let active: Vec<bool> = document["orgs"][0]["users"]
            .as_array()
            .expect("users")
            .iter()
            .map(|u| u["status"] == "active")
            .collect();
        for (user, &active) in active.iter().enumerate().take(users) {
            for record in 0..records {
                let (level, answer) =
                    explained(&server, "rand", &user_id(user), &record_id(record)).await;
                rank(&level);
                if active {
                    let what = format!("seed {seed}: user {user} on record {record} ({level})");
                    assert_read_and_update(&server, &format!("tok-rand-{user}"), &answer, &what)
                        .await;
                }
            }
        }
        // One delete per record, by a random active user, against the level explained just before.
        for record in 0..records {
            let user = rng.below(users);
            if !active[user] {
                continue;
            }
            let (level, answer) =
                explained(&server, "rand", &user_id(user), &record_id(record)).await;
            let what = format!("seed {seed}: user {user} deletes record {record} ({level})");
            assert_delete(&server, &format!("tok-rand-{user}"), &answer, &what).await;
        }
    }
}

#[tokio::test]
async fn the_explained_level_is_what_the_records_api_enforces_on_the_sandbox() {
    let server = TestServer::start().await;
    let state = server.state().await;
    let org = &state["orgs"][0];
    let users: Vec<String> = org["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter(|u| u["status"] == "active")
        .map(|u| u["id"].as_str().expect("an id").to_owned())
        .collect();
    let records: Vec<String> = org["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["id"].as_str().expect("an id").to_owned())
        .collect();
    let scopes = ["ZohoCRM.modules.ALL"];
    for user in &users {
        let token = server.mint_token("zylker", user, &scopes).await;
        for record in &records {
            let (level, answer) = explained(&server, "zylker", user, record).await;
            let what = format!("{user} on {record} ({level})");
            assert_read_and_update(&server, &token, &answer, &what).await;
        }
    }
}

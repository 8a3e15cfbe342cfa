//! Harness controls of DESIGN §5, second round: the org list and token labels, snapshots (save,
//! list, restore, delete; whole state and one org), journal verification (count and find with
//! a matcher, `limit=`, the journal switched off, token grants under their org), faults without
//! a method or with a query, admin body errors that name the missing field, and the health
//! check's quiet log line.

mod support;

use std::io::Read;
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use support::sandbox::{AMELIA, PATRICIA, RYAN};
use support::*;
use zoho_sharing_mock::MockServer;

const CLIENT: &str = "1000.SANDBOXCLIENT";
const SECRET: &str = "sandbox-secret";
const REFRESH: &str = "1000.sandbox.refresh";
const LEAD: &str = "4150868000001148212";
const LEAD_SHARE: &str = "/crm/v8/Leads/4150868000001148212/actions/share";
const RULES: &str = "/crm/v8/settings/data_sharing/rules";

fn share_with(user: &str) -> String {
    json!({"share": [{"type": "private", "permission": "read_only",
                      "shared_with": {"type": "users", "id": user}}]})
    .to_string()
}

fn owner_rule(name: &str) -> String {
    json!({"sharing_rules": [{"name": name, "type": "Record_Owner_Based", "superiors_allowed": true,
        "permission_type": "read_write_delete",
        "shared_from": {"type": "roles", "resource": {"id": "4150868000000026006"}, "subordinates": true},
        "shared_to": {"type": "groups", "resource": {"id": "4150868000000232002"}}}]})
    .to_string()
}

async fn org_doc(server: &TestServer, id: &str) -> Value {
    let reply = server
        .admin("GET", &format!("/__admin/orgs/{id}"), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

/// A fresh copy of the sandbox (`POST /__admin/orgs` with no body): its id and admin token.
async fn new_org(server: &TestServer) -> (String, String) {
    let reply = server.admin("POST", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let org = reply.json();
    let token = org["tokens"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    (org["id"].as_str().unwrap().to_owned(), token)
}

async fn refresh_grant(server: &TestServer, refresh: &str) -> Reply {
    server
        .send(server.client.post(server.url("/oauth/v2/token")).form(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("refresh_token", refresh),
        ]))
        .await
}

async fn tokens(server: &TestServer, path: &str) -> Value {
    let reply = server.admin("GET", path, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

async fn count(server: &TestServer, matcher: Value) -> u64 {
    let reply = server
        .admin("POST", "/__admin/requests/count", Some(matcher.clone()))
        .await;
    assert_eq!(reply.status, 200, "{matcher}: {}", reply.text());
    reply.json()["count"].as_u64().expect("a count")
}

async fn find(server: &TestServer, matcher: Value) -> Vec<Value> {
    let reply = server
        .admin("POST", "/__admin/requests/find", Some(matcher.clone()))
        .await;
    assert_eq!(reply.status, 200, "{matcher}: {}", reply.text());
    reply.json()["requests"].as_array().unwrap().clone()
}

// ---- GET /__admin/orgs and token labels ----

#[tokio::test]
async fn the_org_list_counts_users_records_and_tokens() {
    let server = TestServer::start().await;
    let state = server.state().await;
    let sandbox = &state["orgs"][0];
    let len = |key: &str| sandbox[key].as_array().unwrap().len();
    let sandbox_entry = json!({
        "id": "zylker", "name": "Zylker Corp",
        "crm_org_id": sandbox["crm_org_id"], "zgid": sandbox["zgid"],
        "users": len("users"), "records": len("records"), "tokens": len("tokens"),
    });
    let reply = server.admin("GET", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some(JSON_CT));
    assert_eq!(reply.json(), json!({"orgs": [sandbox_entry.clone()]}));

    // A token minted by the accounts server counts, and orgs are listed in state order.
    assert_eq!(refresh_grant(&server, REFRESH).await.status, 200);
    server
        .admin(
            "POST",
            "/__admin/orgs",
            Some(json!({"id": "empty", "name": "Empty"})),
        )
        .await;
    let orgs = server.admin("GET", "/__admin/orgs", None).await.json();
    let mut grown = sandbox_entry;
    grown["tokens"] = json!(len("tokens") + 1);
    let empty = org_doc(&server, "empty").await;
    assert_eq!(
        orgs,
        json!({"orgs": [grown, {"id": "empty", "name": "Empty", "crm_org_id": empty["crm_org_id"],
                                "zgid": empty["zgid"], "users": 0, "records": 0, "tokens": 0}]})
    );
}

#[tokio::test]
async fn tokens_carry_labels_from_the_fixture_the_admin_api_and_org_copies() {
    let fixture = json!({"orgs": [{
        "id": "labelled", "name": "Labelled",
        "users": [{"id": "1", "email": "a@x.io", "full_name": "A", "role": "9", "profile": "Administrator", "status": "active"}],
        "roles": [{"id": "9", "name": "R"}],
        "tokens": [{"access_token": "tok-admin", "label": "admin", "user": "1", "scopes": ["ZohoCRM.org.ALL"]},
                   {"access_token": "tok-plain", "user": "1", "scopes": [], "expires_at": "2030-01-01T00:00:00+00:00"}]
    }]});
    let server = TestServer::with_fixture(&fixture.to_string()).await;
    assert_eq!(
        tokens(&server, "/__admin/orgs/labelled/tokens").await,
        json!({"tokens": [
            {"access_token": "tok-admin", "label": "admin", "user": "1", "scopes": ["ZohoCRM.org.ALL"],
             "expires_at": null, "revoked": false},
            {"access_token": "tok-plain", "label": null, "user": "1", "scopes": [],
             "expires_at": "2030-01-01T00:00:00+00:00", "revoked": false}
        ]})
    );
    // Export writes the label (null when absent), so export -> import keeps it.
    let state = server.state().await;
    assert_eq!(stored_token(&state, "tok-admin")["label"], "admin");
    assert_eq!(stored_token(&state, "tok-plain")["label"], Value::Null);

    // POST /__admin/tokens takes a label.
    let minted = server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(json!({"org": "labelled", "user": "1", "scopes": ["ZohoCRM.org.READ"], "label": "reader"})),
        )
        .await;
    assert_eq!(minted.status, 201, "{}", minted.text());
    let reader = minted.json()["access_token"].as_str().unwrap().to_owned();
    let found = tokens(&server, "/__admin/orgs/labelled/tokens?label=reader").await;
    assert_eq!(found["tokens"].as_array().unwrap().len(), 1);
    assert_eq!(found["tokens"][0]["access_token"], reader.as_str());
    assert_eq!(found["tokens"][0]["label"], "reader");
    assert_eq!(
        tokens(&server, "/__admin/orgs/labelled/tokens?label=nobody").await,
        json!({"tokens": []})
    );
    assert_eq!(
        tokens(&server, "/__admin/orgs/labelled/tokens?label=").await["tokens"]
            .as_array()
            .unwrap()
            .len(),
        3,
        "an empty filter is no filter"
    );

    // A copy of the startup org keeps each label on its fresh token string.
    let copy = server.admin("POST", "/__admin/orgs", None).await.json();
    let copy_id = copy["id"].as_str().unwrap();
    let admin = tokens(
        &server,
        &format!("/__admin/orgs/{copy_id}/tokens?label=admin"),
    )
    .await;
    let admin_token = admin["tokens"][0]["access_token"].as_str().unwrap();
    assert_ne!(admin_token, "tok-admin", "a fresh string");
    assert_eq!(
        server.get("/crm/v8/org", admin_token).await.status,
        200,
        "the labelled token of the copy works"
    );

    let unknown = server.admin("GET", "/__admin/orgs/nope/tokens", None).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json(), json!({"error": "no org with id \"nope\""}));
}

// ---- snapshots ----

#[tokio::test]
async fn restoring_a_whole_state_snapshot_undoes_shares_rules_and_token_grants() {
    let server = TestServer::start().await;
    server.freeze_clock("2026-11-21T09:30:00+00:00").await;
    let saved = server
        .admin(
            "POST",
            "/__admin/snapshots",
            Some(json!({"name": "seeded"})),
        )
        .await;
    assert_eq!(saved.status, 201, "{}", saved.text());
    assert_eq!(saved.content_type(), Some(JSON_CT));
    assert_eq!(
        saved.json(),
        json!({"name": "seeded", "org": null, "created": "2026-11-21T09:30:00+00:00"})
    );
    let before = server.state().await;

    let shared = server
        .call(
            "PUT",
            LEAD_SHARE,
            Some(ADMIN_TOKEN),
            Some(&share_with(AMELIA)),
        )
        .await;
    assert_eq!(shared.status, 200, "{}", shared.text());
    let created = server
        .call(
            "POST",
            &format!("{RULES}?module=Leads"),
            Some(ADMIN_TOKEN),
            Some(&owner_rule("After the save")),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let granted = refresh_grant(&server, REFRESH).await;
    assert_eq!(granted.status, 200);
    let granted_token = granted.json()["access_token"].as_str().unwrap().to_owned();
    server.admin("POST", "/__admin/orgs", None).await;
    assert_ne!(server.state().await, before);

    let restored = server
        .admin("POST", "/__admin/snapshots/seeded/restore", None)
        .await;
    assert_eq!(restored.status, 204, "{}", restored.text());
    assert!(restored.body.is_empty());
    assert_eq!(server.state().await, before, "the state is the saved one");
    assert_golden(
        &server.get("/crm/v8/org", &granted_token).await,
        "common/invalid_token.json",
    );
    let shares = server.get(LEAD_SHARE, ADMIN_TOKEN).await;
    assert_eq!(
        shares.status,
        204,
        "the lead is unshared again: {}",
        shares.text()
    );

    // A snapshot can be restored again and again.
    server
        .call(
            "PUT",
            LEAD_SHARE,
            Some(ADMIN_TOKEN),
            Some(&share_with(RYAN)),
        )
        .await;
    server
        .admin("POST", "/__admin/snapshots/seeded/restore", None)
        .await;
    assert_eq!(server.state().await, before);
}

#[tokio::test]
async fn an_org_snapshot_restores_that_org_alone() {
    let server = TestServer::start().await;
    let (org, token) = new_org(&server).await;
    let saved = server
        .admin(
            "POST",
            "/__admin/snapshots",
            Some(json!({"name": "mine", "org": org})),
        )
        .await;
    assert_eq!(saved.status, 201, "{}", saved.text());
    assert_eq!(saved.json()["org"], org.as_str());
    let before = org_doc(&server, &org).await;
    let refresh = before["oauth_clients"][0]["refresh_tokens"][0]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();

    // Changes in the snapshot's org ...
    server
        .call("PUT", LEAD_SHARE, Some(&token), Some(&share_with(AMELIA)))
        .await;
    let rule = server
        .call(
            "POST",
            &format!("{RULES}?module=Leads"),
            Some(&token),
            Some(&owner_rule("Mine")),
        )
        .await;
    assert_eq!(rule.status, 201, "{}", rule.text());
    let granted = refresh_grant(&server, &refresh).await;
    let granted_token = granted.json()["access_token"].as_str().unwrap().to_owned();
    // ... and in another org.
    server
        .call(
            "PUT",
            LEAD_SHARE,
            Some(ADMIN_TOKEN),
            Some(&share_with(RYAN)),
        )
        .await;
    let zylker_after = org_doc(&server, "zylker").await;

    let restored = server
        .admin("POST", "/__admin/snapshots/mine/restore", None)
        .await;
    assert_eq!(restored.status, 204, "{}", restored.text());
    assert_eq!(org_doc(&server, &org).await, before);
    assert_eq!(
        org_doc(&server, "zylker").await,
        zylker_after,
        "the other org is untouched"
    );
    assert_eq!(
        server.get("/crm/v8/org", &granted_token).await.status,
        401,
        "a token granted after the save is gone"
    );
    assert_eq!(server.get("/crm/v8/org", &token).await.status, 200);

    // Deleting the org does not delete the snapshot; restoring recreates the org.
    assert_eq!(
        server
            .admin("DELETE", &format!("/__admin/orgs/{org}"), None)
            .await
            .status,
        204
    );
    assert_eq!(server.get("/crm/v8/org", &token).await.status, 401);
    server
        .admin("POST", "/__admin/snapshots/mine/restore", None)
        .await;
    assert_eq!(org_doc(&server, &org).await, before);
    assert_eq!(server.get("/crm/v8/org", &token).await.status, 200);
}

#[tokio::test]
async fn an_org_restore_beside_work_in_another_org_does_not_disturb_it() {
    let server = std::sync::Arc::new(TestServer::start().await);
    let (org, token) = new_org(&server).await;
    server
        .admin(
            "POST",
            "/__admin/snapshots",
            Some(json!({"name": "o", "org": org})),
        )
        .await;
    let before = org_doc(&server, &org).await;
    // Another test works in zylker: one share per Standard user on one lead, and a rule each
    // round, while this one changes and restores its own org.
    let users: Vec<String> = (1..=8)
        .map(|n| format!("41508680000011990{n:02}"))
        .collect();
    let worker = {
        let server = server.clone();
        let users = users.clone();
        tokio::spawn(async move {
            for (round, user) in users.iter().enumerate() {
                let body = json!({"share": [{"type": "private", "permission": "read_only",
                                             "shared_with": {"type": "users", "id": user}}]})
                .to_string();
                let reply = server
                    .call("POST", LEAD_SHARE, Some(ADMIN_TOKEN), Some(&body))
                    .await;
                assert_eq!(reply.status, 201, "{}", reply.text());
                let rule = server
                    .call(
                        "POST",
                        &format!("{RULES}?module=Leads"),
                        Some(ADMIN_TOKEN),
                        Some(&owner_rule(&format!("Worker {round}"))),
                    )
                    .await;
                assert_eq!(rule.status, 201, "{}", rule.text());
            }
        })
    };
    for _ in 0..8 {
        server
            .call("PUT", LEAD_SHARE, Some(&token), Some(&share_with(AMELIA)))
            .await;
        let restored = server
            .admin("POST", "/__admin/snapshots/o/restore", None)
            .await;
        assert_eq!(restored.status, 204);
    }
    worker.await.unwrap();
    assert_eq!(org_doc(&server, &org).await, before);
    let zylker = org_doc(&server, "zylker").await;
    let mut shared_with: Vec<&str> = zylker["shares"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["record"] == LEAD)
        .map(|s| s["shared_with"]["id"].as_str().unwrap())
        .collect();
    shared_with.sort_unstable();
    assert_eq!(shared_with, users, "every share of the other org is there");
    let worker_rules = zylker["sharing_rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"].as_str().unwrap().starts_with("Worker "))
        .count();
    assert_eq!(worker_rules, users.len());
}

#[tokio::test]
async fn snapshots_survive_reset_state_import_and_are_listed_replaced_and_deleted() {
    let server = TestServer::start().await;
    server.freeze_clock("2026-11-21T09:30:00+00:00").await;
    server
        .call(
            "PUT",
            LEAD_SHARE,
            Some(ADMIN_TOKEN),
            Some(&share_with(AMELIA)),
        )
        .await;
    let shared = server.state().await;
    for body in [
        json!({"name": "whole"}),
        json!({"name": "zylker-only", "org": "zylker"}),
    ] {
        assert_eq!(
            server
                .admin("POST", "/__admin/snapshots", Some(body))
                .await
                .status,
            201
        );
    }
    server.set_clock(json!({"advance_s": 60})).await;
    // An existing name is replaced (and listed last).
    let replaced = server
        .admin(
            "POST",
            "/__admin/snapshots",
            Some(json!({"name": "whole", "org": null})),
        )
        .await;
    assert_eq!(replaced.status, 201);
    assert_eq!(
        server.admin("GET", "/__admin/snapshots", None).await.json(),
        json!({"snapshots": [
            {"name": "zylker-only", "org": "zylker", "created": "2026-11-21T09:30:00+00:00"},
            {"name": "whole", "org": null, "created": "2026-11-21T09:31:00+00:00"}
        ]})
    );

    // Reset and a state import leave snapshots (and the clock, journal, faults) alone.
    server.admin("POST", "/__admin/reset", None).await;
    assert_ne!(server.state().await, shared);
    server
        .admin("POST", "/__admin/snapshots/whole/restore", None)
        .await;
    assert_eq!(server.state().await, shared);
    server
        .admin("PUT", "/__admin/state", Some(json!({"orgs": []})))
        .await;
    assert_eq!(
        server.admin("GET", "/__admin/snapshots", None).await.json()["snapshots"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    server
        .admin("POST", "/__admin/snapshots/zylker-only/restore", None)
        .await;
    assert_eq!(server.state().await, shared);

    // The journal and faults are not part of a snapshot.
    server.get("/crm/v8/org", ADMIN_TOKEN).await;
    server
        .add_fault(json!({"path": "/crm/*/users", "status": 500}))
        .await;
    server
        .admin("POST", "/__admin/snapshots/whole/restore", None)
        .await;
    assert_eq!(count(&server, json!({"path": "/crm/v8/org"})).await, 1);
    assert_eq!(
        server.admin("GET", "/__admin/faults", None).await.json()["faults"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    assert_eq!(
        server
            .admin("DELETE", "/__admin/snapshots/whole", None)
            .await
            .status,
        204
    );
    let names: Vec<Value> =
        server.admin("GET", "/__admin/snapshots", None).await.json()["snapshots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].clone())
            .collect();
    assert_eq!(names, [json!("zylker-only")]);
}

#[tokio::test]
async fn snapshot_errors() {
    let server = TestServer::start().await;
    for path in ["/__admin/snapshots/nope/restore", "/__admin/snapshots/nope"] {
        let method = if path.ends_with("restore") {
            "POST"
        } else {
            "DELETE"
        };
        let reply = server.admin(method, path, None).await;
        assert_eq!(reply.status, 404, "{method} {path}");
        assert_eq!(reply.json(), json!({"error": "no snapshot named \"nope\""}));
    }
    let unknown_org = server
        .admin(
            "POST",
            "/__admin/snapshots",
            Some(json!({"name": "x", "org": "nope"})),
        )
        .await;
    assert_eq!(unknown_org.status, 404);
    assert_eq!(
        unknown_org.json(),
        json!({"error": "no org with id \"nope\""})
    );
    for body in [
        json!({}),
        json!({"name": ""}),
        json!({"name": "a b"}),
        json!({"name": "x".repeat(65)}),
        json!({"name": "a/b"}),
        json!({"name": 7}),
        json!({"name": "ok", "org": 7}),
        json!({"name": "ok", "colour": "red"}),
        json!(["ok"]),
    ] {
        let reply = server
            .admin("POST", "/__admin/snapshots", Some(body.clone()))
            .await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text());
        assert!(reply.json()["error"].is_string());
    }
    let missing = server
        .admin("POST", "/__admin/snapshots", Some(json!({"org": "zylker"})))
        .await;
    assert!(
        missing.json()["error"]
            .as_str()
            .unwrap()
            .contains("missing field `name`"),
        "{}",
        missing.text()
    );
    assert_eq!(
        server.admin("GET", "/__admin/snapshots", None).await.json(),
        json!({"snapshots": []})
    );
    let wrong = server
        .admin("GET", "/__admin/snapshots/x/restore", None)
        .await;
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.headers["allow"], "POST");
}

#[tokio::test]
async fn an_org_restore_whose_token_strings_moved_to_another_org_is_refused() {
    let server = TestServer::start().await;
    let (org, token) = new_org(&server).await;
    server
        .admin(
            "POST",
            "/__admin/snapshots",
            Some(json!({"name": "mine", "org": org})),
        )
        .await;
    server
        .admin("DELETE", &format!("/__admin/orgs/{org}"), None)
        .await;
    // Another org now holds the snapshot's access-token string.
    let thief = json!({"id": "thief",
        "users": [{"id": "1", "email": "t@x.io", "full_name": "T", "role": "9", "profile": "Administrator", "status": "active"}],
        "roles": [{"id": "9", "name": "R"}],
        "tokens": [{"access_token": token, "user": "1", "scopes": []}]});
    assert_eq!(
        server
            .admin("POST", "/__admin/orgs", Some(thief))
            .await
            .status,
        201
    );
    let before = server.state().await;
    let refused = server
        .admin("POST", "/__admin/snapshots/mine/restore", None)
        .await;
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(
        refused.json()["error"]
            .as_str()
            .unwrap()
            .contains("another org")
    );
    assert_eq!(server.state().await, before, "nothing changed");
}

// ---- journal verification ----

#[tokio::test]
async fn count_and_find_match_method_path_org_status_query_and_body() {
    let server = TestServer::start().await;
    let (org, token) = new_org(&server).await;
    server
        .get("/crm/v8/users?type=AllUsers&page=1", ADMIN_TOKEN)
        .await;
    server
        .call(
            "PUT",
            LEAD_SHARE,
            Some(ADMIN_TOKEN),
            Some(&share_with(AMELIA)),
        )
        .await;
    server
        .call("PUT", LEAD_SHARE, Some(&token), Some(&share_with(RYAN)))
        .await;
    server
        .call(
            "PUT",
            "/crm/v8/Contacts/4150868000001148230/actions/share",
            Some(ADMIN_TOKEN),
            Some("[not json"),
        )
        .await;
    server
        .get("/crm/v8/Lead%20s?ids=1&ids=2", ADMIN_TOKEN)
        .await;

    assert_eq!(count(&server, json!({})).await, 5);
    assert_eq!(count(&server, json!({"method": "PUT"})).await, 3);
    assert_eq!(count(&server, json!({"method": "put"})).await, 0, "exact");
    let shares = json!({"method": "PUT", "path": "/crm/*/Leads/*/actions/share"});
    assert_eq!(count(&server, shares.clone()).await, 2);
    assert_eq!(
        count(&server, json!({"path": "/crm/*/*/*/actions/share"})).await,
        3
    );
    assert_eq!(
        count(&server, json!({"path": "/crm/v8"})).await,
        0,
        "a glob, not a prefix"
    );
    assert_eq!(
        count(&server, json!({"path": "/crm/v8/Lead s"})).await,
        1,
        "decoded"
    );
    let mut in_org = shares.clone();
    in_org["org"] = json!(org);
    assert_eq!(count(&server, in_org).await, 1);
    // The bad share body, and the list of an unknown module ("Lead s": 400 INVALID_MODULE,
    // crm-records-and-access.md §2 row 4).
    assert_eq!(count(&server, json!({"status": 400})).await, 2);
    assert_eq!(
        count(&server, json!({"query": {"type": "AllUsers"}})).await,
        1
    );
    assert_eq!(
        count(&server, json!({"query": {"ids": "2"}})).await,
        1,
        "any repeated value"
    );
    assert_eq!(count(&server, json!({"query": {"ids": "3"}})).await, 0);
    assert_eq!(count(&server, json!({"query": {}})).await, 5);
    let amelia = json!({"share": [{"shared_with": {"id": AMELIA}}]});
    assert_eq!(count(&server, json!({"body": amelia})).await, 1);
    assert_eq!(
        count(
            &server,
            json!({"body": {"share": [{"permission": "read_only"}]}})
        )
        .await,
        2
    );
    assert_eq!(count(&server, json!({"body": {"share": []}})).await, 2);
    assert_eq!(count(&server, json!({"body": {}})).await, 5);
    assert_eq!(
        count(&server, json!({"body": "[not json"})).await,
        1,
        "a text body equals"
    );
    assert_eq!(count(&server, json!({"body": null})).await, 2, "no body");
    assert_eq!(
        count(
            &server,
            json!({"body": {"share": [{"shared_with": {"id": PATRICIA}}]}})
        )
        .await,
        0
    );

    // find: the same entries as GET /__admin/requests renders them, oldest first.
    let found = find(&server, shares).await;
    let all = server.admin("GET", "/__admin/requests", None).await.json();
    assert_eq!(found, all["requests"].as_array().unwrap()[1..3].to_vec());
    assert_eq!(found[0]["org"], "zylker");
    assert_eq!(found[1]["org"], org.as_str());
    assert!(find(&server, json!({"status": 599})).await.is_empty());

    // An empty body is `{}`.
    let blank = server
        .send(server.client.post(server.url("/__admin/requests/count")))
        .await;
    assert_eq!(blank.json(), json!({"count": 5}));
}

#[tokio::test]
async fn matchers_of_the_wrong_shape_are_refused() {
    let server = TestServer::start().await;
    for body in [
        json!([]),
        json!("GET"),
        json!({"method": 1}),
        json!({"path": true}),
        json!({"org": []}),
        json!({"status": "200"}),
        json!({"status": 2.5}),
        json!({"query": "a=1"}),
        json!({"query": {"a": 1}}),
        json!({"colour": "red"}),
    ] {
        for what in ["count", "find"] {
            let reply = server
                .admin(
                    "POST",
                    &format!("/__admin/requests/{what}"),
                    Some(body.clone()),
                )
                .await;
            assert_eq!(reply.status, 400, "{what} {body}: {}", reply.text());
            assert!(reply.json()["error"].is_string());
        }
    }
}

#[tokio::test]
async fn limit_keeps_the_newest_matching_entries() {
    let server = TestServer::start().await;
    for page in 1..=4 {
        server
            .get(&format!("/crm/v8/users?page={page}"), ADMIN_TOKEN)
            .await;
    }
    server.get("/crm/v8/org", ADMIN_TOKEN).await;
    let queries = |reply: Reply| -> Vec<String> {
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["query"].as_str().unwrap().to_owned())
            .collect()
    };
    let newest = server
        .admin("GET", "/__admin/requests?path=/crm/v8/users&limit=2", None)
        .await;
    assert_eq!(queries(newest), ["page=3", "page=4"]);
    let all = server
        .admin("GET", "/__admin/requests?limit=99", None)
        .await;
    assert_eq!(queries(all).len(), 5);
    let none = server.admin("GET", "/__admin/requests?limit=0", None).await;
    assert!(queries(none).is_empty());
    for bad in ["-1", "two", "1.5"] {
        let reply = server
            .admin("GET", &format!("/__admin/requests?limit={bad}"), None)
            .await;
        assert_eq!(reply.status, 400, "limit={bad}");
    }
}

#[tokio::test]
async fn with_the_journal_off_every_read_answers_409() {
    let server = TestServer::from_builder(MockServer::builder().journal_size(0)).await;
    server.get("/crm/v8/org", ADMIN_TOKEN).await;
    assert_golden(
        &server.admin("GET", "/__admin/requests?limit=1", None).await,
        "admin/journal_off.json",
    );
    for what in ["count", "find"] {
        assert_golden(
            &server
                .admin(
                    "POST",
                    &format!("/__admin/requests/{what}"),
                    Some(json!({})),
                )
                .await,
            "admin/journal_off.json",
        );
    }
    let cleared = server.admin("DELETE", "/__admin/requests", None).await;
    assert_eq!(cleared.status, 204);
}

#[tokio::test]
async fn token_grants_and_revocations_are_journaled_under_their_org() {
    let server = TestServer::start().await;
    let (org, _) = new_org(&server).await;
    let copy = org_doc(&server, &org).await;
    let copy_refresh = copy["oauth_clients"][0]["refresh_tokens"][0]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(refresh_grant(&server, REFRESH).await.status, 200);
    assert_eq!(refresh_grant(&server, &copy_refresh).await.status, 200);
    let code = server
        .admin(
            "POST",
            "/__admin/grant-codes",
            Some(json!({"org": org, "client_id": CLIENT, "user": PATRICIA, "scopes": ["ZohoCRM.org.READ"]})),
        )
        .await
        .json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_code = server
        .send(server.client.post(server.url("/oauth/v2/token")).form(&[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("code", code.as_str()),
        ]))
        .await;
    assert_eq!(by_code.status, 200, "{}", by_code.text());
    let minted = by_code.json()["access_token"].as_str().unwrap().to_owned();
    let revoked = server
        .send(
            server
                .client
                .post(server.url(&format!("/oauth/v2/token/revoke?token={minted}"))),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    assert_golden(
        &refresh_grant(&server, "1000.nobody").await,
        "oauth/invalid_code.json",
    );

    let token_calls = find(&server, json!({"path": "/oauth/v2/token"})).await;
    let orgs: Vec<&Value> = token_calls.iter().map(|e| &e["org"]).collect();
    assert_eq!(
        orgs,
        [&json!("zylker"), &json!(org), &json!(org), &Value::Null],
        "refresh grant, refresh grant, code grant, unknown refresh token"
    );
    let revoke = find(&server, json!({"path": "/oauth/v2/token/revoke"})).await;
    assert_eq!(revoke[0]["org"], org.as_str());
    assert_eq!(
        count(&server, json!({"path": "/oauth/v2/token", "org": org})).await,
        2
    );
}

// ---- faults ----

#[tokio::test]
async fn a_fault_without_a_method_matches_any_and_methods_ignore_case() {
    let server = TestServer::start().await;
    server
        .add_fault(json!({"path": "/crm/*/org", "status": 503, "times": 2}))
        .await;
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 503);
    assert_eq!(
        server
            .call("POST", "/crm/v8/org", Some(ADMIN_TOKEN), None)
            .await
            .status,
        503
    );
    assert_eq!(server.get("/crm/v8/org", ADMIN_TOKEN).await.status, 200);
    assert_eq!(
        server.admin("GET", "/__admin/faults", None).await.json(),
        json!({"faults": []}),
        "used up"
    );

    server
        .add_fault(json!({"method": "put", "path": "/crm/*/Leads/*/actions/share", "status": 500, "times": 1}))
        .await;
    assert_eq!(
        server.get(LEAD_SHARE, ADMIN_TOKEN).await.status,
        204,
        "GET is not faulted"
    );
    let put = server
        .call(
            "PUT",
            LEAD_SHARE,
            Some(ADMIN_TOKEN),
            Some(&share_with(AMELIA)),
        )
        .await;
    assert_eq!(put.status, 500);
    assert_eq!(put.json()["code"], "INTERNAL_ERROR");
}

#[tokio::test]
async fn a_fault_path_with_a_query_is_refused() {
    let server = TestServer::start().await;
    for path in [
        "/crm/v8/users?type=AllUsers",
        "/crm/v8/users?",
        "/api/*/*?ZOHO_ACTION=X",
    ] {
        let reply = server
            .admin(
                "POST",
                "/__admin/faults",
                Some(json!({"method": "GET", "path": path, "status": 500})),
            )
            .await;
        assert_golden(&reply, "admin/fault_path_with_query.json");
    }
    assert_eq!(
        server.admin("GET", "/__admin/faults", None).await.json(),
        json!({"faults": []})
    );
}

// ---- admin bodies ----

#[tokio::test]
async fn admin_body_errors_name_the_missing_field() {
    let server = TestServer::start().await;
    let cases = [
        ("/__admin/tokens", json!({"org": "zylker"}), "user"),
        (
            "/__admin/tokens",
            json!({"org": "zylker", "user": PATRICIA}),
            "scopes",
        ),
        (
            "/__admin/tokens",
            json!({"user": PATRICIA, "scopes": []}),
            "org",
        ),
        (
            "/__admin/grant-codes",
            json!({"org": "zylker", "user": PATRICIA, "scopes": []}),
            "client_id",
        ),
        (
            "/__admin/grant-codes",
            json!({"org": "zylker", "client_id": CLIENT, "scopes": []}),
            "user",
        ),
        ("/__admin/snapshots", json!({}), "name"),
    ];
    for (path, body, field) in cases {
        let reply = server.admin("POST", path, Some(body.clone())).await;
        assert_eq!(reply.status, 400, "{path} {body}");
        let message = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(
            message.starts_with(&format!("$: missing field `{field}`")),
            "{path} {body}: {message}"
        );
    }
    let wrong_type = server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(json!({"org": "zylker", "user": true, "scopes": []})),
        )
        .await;
    let message = wrong_type.json()["error"].as_str().unwrap().to_owned();
    assert!(
        message.starts_with("$.user: invalid type: boolean `true`, expected an id"),
        "{message}"
    );
    let too_long = server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(
                json!({"org": "zylker", "user": PATRICIA, "scopes": [], "expires_in": 315_360_001}),
            ),
        )
        .await;
    assert_eq!(
        too_long.json(),
        json!({"error": "$.expires_in: at most 315360000 seconds (ten years)"})
    );
    let ten_years = server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(
                json!({"org": "zylker", "user": PATRICIA, "scopes": [], "expires_in": 315_360_000}),
            ),
        )
        .await;
    assert_eq!(ten_years.status, 201);
}

// ---- the health check's log line ----

#[test]
fn health_requests_log_at_debug_and_other_requests_at_info() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zoho-sharing-mock"))
        .args(["--port", "0"])
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let base = String::from_utf8(first)
        .unwrap()
        .strip_prefix("listening on ")
        .expect("the listening line")
        .to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        for path in ["/__admin/health", "/__admin/clock", "/__admin/health"] {
            let reply = client.get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(reply.status(), 200);
        }
    });
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("uri=/__admin/clock"))
            .count(),
        1,
        "{log}"
    );
    assert!(!log.contains("/__admin/health"), "{log}");
}

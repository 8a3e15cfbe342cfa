//! `--state-file` (DESIGN §6): an SQLite database that holds every acknowledged write. The
//! binary killed with `kill -9` at random moments under concurrent writers loses none; every
//! mutating call is in the file before its answer; a failed commit answers the family's
//! internal error and changes nothing; startup refuses, with exit 2 and one message naming the
//! file and the cause, a file it cannot use; timers are not persisted; and every `&mut self`
//! method of the state's parts marks what it changes.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use support::sandbox::{AMELIA, ORG, PATRICIA, RYAN};
use support::*;
use zoho_sharing_mock::MockServer;

const BIN: &str = env!("CARGO_BIN_EXE_zoho-sharing-mock");
const SHARE_LEAD: &str = "/crm/v8/Leads/4150868000001148212/actions/share";
const RULES: &str = "/crm/v8/settings/data_sharing/rules";
const SALES: &str = "/api/patricia%40zylker.com/Sales%20Analytics";
const TOKEN_URL: &str = "/oauth/v2/token";
const PATRICIA_TOKEN: &str = "1000.sandbox.patricia";
/// The sandbox's Marketing Insights workspace, its Campaign Pivot view and its org.
const V2_SHARE: &str = "/restapi/v2/workspaces/4150868000002100005/share";
const V2_VIEW: &str = "4150868000002200011";
const V2_ORG_ID: &str = "700017001";
const REFRESH_GRANT: &str = "grant_type=refresh_token&client_id=1000.SANDBOXCLIENT&client_secret=sandbox-secret&refresh_token=1000.sandbox.refresh";

// ---------------------------------------------------------------------------------------------
// The binary

struct Running {
    child: Child,
    base_url: String,
}

impl Running {
    /// `kill -9`, then reaps the process.
    fn kill_9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("RUST_LOG");
    for (key, _) in std::env::vars() {
        if key.starts_with("ZOHO_MOCK_") {
            command.env_remove(key);
        }
    }
    command
}

/// Starts the binary and reads its `listening on` line.
fn start(args: &[&str]) -> Running {
    let mut child = command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a first line");
    let base_url = first
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the mock did not start: first line {first:?}"))
        .to_owned();
    Running { child, base_url }
}

fn start_with_state(state: &Path) -> Running {
    start(&["--port", "0", "--state-file", state.to_str().unwrap()])
}

/// A fresh directory of the test's own.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "zoho-mock-durability-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn export(client: &reqwest::Client, base_url: &str) -> Value {
    let reply = client
        .get(format!("{base_url}/__admin/state"))
        .send()
        .await
        .expect("the export answers");
    assert_eq!(reply.status(), 200);
    reply.json().await.unwrap()
}

/// Runs the binary to its end, as the current user or, `unprivileged`, as `nobody` when the
/// tests run as root (root writes through file modes, so modes mean nothing to it).
fn run(args: &[&str], unprivileged: bool) -> Output {
    let mut command = command(args);
    if unprivileged && running_as_root() {
        use std::os::unix::process::CommandExt;
        command.uid(65534).gid(65534);
    }
    command.output().expect("the binary runs")
}

fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The binary refuses to start with `state`: exit 2, nothing on stdout (nothing served), and
/// one line on stderr naming the file and containing `cause`.
#[track_caller]
fn assert_refused(state: &Path, unprivileged: bool, cause: &str) {
    let out = run(
        &["--port", "0", "--state-file", state.to_str().unwrap()],
        unprivileged,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {stderr}", state.display());
    assert!(
        out.stdout.is_empty(),
        "nothing is served: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
    assert!(
        stderr.contains(&format!("cannot use state file {}:", state.display())),
        "{stderr}"
    );
    assert!(stderr.contains(cause), "{cause:?} in {stderr}");
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A state file written by the mock (the sandbox), closed.
fn sandbox_state_file(dir: &Path) -> PathBuf {
    let state = dir.join("state.db");
    let running = start_with_state(&state);
    let status = Command::new("kill")
        .args(["-TERM", &running.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut running = running;
    assert_eq!(running.child.wait().unwrap().code(), Some(0));
    state
}

// ---------------------------------------------------------------------------------------------
// Moved from cli.rs: state survives kill -9; reset goes to the fixture; a bad state exits 2.

#[tokio::test]
async fn state_file_survives_kill_9() {
    let dir = temp_dir("state");
    let state = dir.join("state.db");
    let running = start_with_state(&state);
    let client = client();
    let minted: Value = client
        .post(format!("{}/__admin/tokens", running.base_url))
        .json(&json!({"org": "zylker", "user": "4150868000001199001", "scopes": ["ZohoCRM.users.READ"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = minted["access_token"].as_str().unwrap().to_owned();
    let created = client
        .post(format!("{}/__admin/orgs", running.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    running.kill_9();

    let restarted = start_with_state(&state);
    let me: Value = client
        .get(format!(
            "{}/crm/v8/users?type=CurrentUser",
            restarted.base_url
        ))
        .header("Authorization", format!("Zoho-oauthtoken {token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["users"][0]["email"], "amelia@zylker.com");
    let org = client
        .get(format!("{}/__admin/orgs/org-1", restarted.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(org.status(), 200);
    // Reset goes back to the fixture (not the loaded state file) and commits that before its
    // answer: the file, read while the mock runs, holds one org.
    let reset = client
        .post(format!("{}/__admin/reset", restarted.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    let db = rusqlite::Connection::open(&state).unwrap();
    let orgs: i64 = db
        .query_row("SELECT count(DISTINCT org) FROM entities", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orgs, 1);
}

#[test]
fn a_corrupt_state_file_exits_2() {
    let dir = temp_dir("corrupt");
    let state = sandbox_state_file(&dir);
    let db = rusqlite::Connection::open(&state).unwrap();
    db.execute(
        "UPDATE entities SET doc = json_set(doc, '$.users', 7) WHERE kind = 'org'",
        [],
    )
    .unwrap();
    drop(db);
    let out = run(
        &["--port", "0", "--state-file", state.to_str().unwrap()],
        false,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("$.orgs[0].users"), "{stderr}");
    assert!(stderr.contains("state.db"), "{stderr}");

    // An entity row of the wrong shape is named by its section and key.
    let dir = temp_dir("corrupt-record");
    let state = sandbox_state_file(&dir);
    let db = rusqlite::Connection::open(&state).unwrap();
    db.execute(
        "UPDATE entities SET doc = '{\"module\": 5}' WHERE kind = 'record' AND key = '4150868000001148212'",
        [],
    )
    .unwrap();
    drop(db);
    let out = run(
        &["--port", "0", "--state-file", state.to_str().unwrap()],
        false,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(r#"invalid state file"#)
            && stderr.contains(r#"$.orgs[0].records[key "4150868000001148212"].module"#),
        "{stderr}"
    );

    // A row that reads but breaks a rule is refused by the fixture loader, with its path.
    let dir = temp_dir("corrupt-owner");
    let state = sandbox_state_file(&dir);
    let db = rusqlite::Connection::open(&state).unwrap();
    db.execute(
        "UPDATE entities SET doc = json_set(doc, '$.owner', '41') WHERE kind = 'record' AND key = '4150868000001148212'",
        [],
    )
    .unwrap();
    drop(db);
    let out = run(
        &["--port", "0", "--state-file", state.to_str().unwrap()],
        false,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("$.orgs[0].records[0].owner") && stderr.contains("\"41\""),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Startup refusals

#[test]
fn startup_refuses_a_file_it_cannot_use() {
    let dir = temp_dir("refusals");

    // A directory that does not exist.
    assert_refused(&dir.join("missing-dir/state.db"), false, "does not exist");

    // The JSON state file of older versions, and any other file that is not SQLite; neither
    // is touched.
    let json_file = dir.join("state.json");
    std::fs::write(&json_file, r#"{"orgs": []}"#).unwrap();
    assert_refused(
        &json_file,
        false,
        "not an SQLite database (it looks like JSON",
    );
    assert_eq!(std::fs::read(&json_file).unwrap(), br#"{"orgs": []}"#);
    let binary = dir.join("binary.db");
    let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&binary, &noise).unwrap();
    assert_refused(&binary, false, "it is not an SQLite database");
    assert_eq!(std::fs::read(&binary).unwrap(), noise);

    // SQLite databases of other programs: without the mock's application id, or with another.
    for (name, setup) in [
        ("other.db", "CREATE TABLE t (x)"),
        (
            "other-id.db",
            "PRAGMA application_id = 42; CREATE TABLE t (x)",
        ),
    ] {
        let other = dir.join(name);
        rusqlite::Connection::open(&other)
            .unwrap()
            .execute_batch(setup)
            .unwrap();
        let before = std::fs::read(&other).unwrap();
        assert_refused(&other, false, "an SQLite database of another program");
        assert_eq!(
            std::fs::read(&other).unwrap(),
            before,
            "{name} is untouched"
        );
    }

    // The mock's own file in a format this version does not know.
    let future = sandbox_state_file(&temp_dir("refusals-format"));
    rusqlite::Connection::open(&future)
        .unwrap()
        .execute("UPDATE meta SET value = '99' WHERE key = 'format'", [])
        .unwrap();
    assert_refused(&future, false, "its state format is 99");

    // Not writable by the mock's user (as `nobody` when the tests run as root): a new file in a
    // read-only directory, an existing file in one (SQLite needs its log beside the file), and
    // a read-only file.
    let locked = dir.join("locked");
    std::fs::create_dir(&locked).unwrap();
    let existing = locked.join("existing.db");
    std::fs::copy(sandbox_state_file(&temp_dir("refusals-copy")), &existing).unwrap();
    chmod(&existing, 0o666);
    chmod(&locked, 0o555);
    assert_refused(
        &locked.join("state.db"),
        true,
        "cannot create it: Permission denied",
    );
    assert_refused(&existing, true, "the directory");
    assert_refused(&existing, true, "must be writable");
    chmod(&locked, 0o755);
    let open_dir = dir.join("open");
    std::fs::create_dir(&open_dir).unwrap();
    chmod(&open_dir, 0o777);
    let read_only = open_dir.join("read-only.db");
    std::fs::copy(&existing, &read_only).unwrap();
    chmod(&read_only, 0o444);
    assert_refused(&read_only, true, "it is read-only");

    // A directory where the file should be.
    assert_refused(&dir, false, "it is a directory");
}

// ---------------------------------------------------------------------------------------------
// A new file starts from the fixture; an existing one wins over it.

#[tokio::test]
async fn a_new_file_gets_the_fixture_and_then_wins_over_it() {
    let dir = temp_dir("fixture");
    let fixture = dir.join("acme.json");
    std::fs::write(
        &fixture,
        json!({"orgs": [{"id": "acme", "name": "Acme",
            "users": [{"id": "1", "email": "a@acme.io", "full_name": "A", "role": "9", "profile": "Administrator", "status": "active"}],
            "roles": [{"id": "9", "name": "R"}],
            "tokens": [{"access_token": "tok", "user": "1", "scopes": []}]}]})
        .to_string(),
    )
    .unwrap();
    let state = dir.join("state.db");
    let args = [
        "--port",
        "0",
        "--fixtures",
        fixture.to_str().unwrap(),
        "--state-file",
        state.to_str().unwrap(),
    ];
    let client = client();
    let running = start(&args);
    let first = export(&client, &running.base_url).await;
    assert_eq!(first["orgs"][0]["id"], "acme");
    let created = client
        .post(format!("{}/__admin/orgs", running.base_url))
        .json(&json!({"id": "second"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let before = export(&client, &running.base_url).await;
    running.kill_9();

    // Same flags: the file's state, not the fixture.
    let running = start(&args);
    assert_eq!(export(&client, &running.base_url).await, before);
    running.kill_9();
    // Without the fixture flag: still the file's state.
    let running = start_with_state(&state);
    assert_eq!(export(&client, &running.base_url).await, before);
}

// ---------------------------------------------------------------------------------------------
// Every mutating call is in the file before its answer.

/// A second mock started on the same file while the first still runs reads exactly the first
/// one's state: what was answered is on disk, and nothing else.
async fn assert_file_holds(server: &TestServer, state: &Path, after: &str) {
    let expected = server.state().await;
    let reader = MockServer::builder()
        .state_file(state)
        .start()
        .await
        .unwrap_or_else(|e| panic!("after {after}: the file does not load: {e}"));
    let on_disk: Value = server
        .client
        .get(format!("{}/__admin/state", reader.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    reader.shutdown().await;
    assert_eq!(
        on_disk, expected,
        "after {after}: the file differs from memory"
    );
}

fn form_post(server: &TestServer, path: &str, form: &str) -> reqwest::RequestBuilder {
    server
        .client
        .post(server.url(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
}

fn rule_body(name: &str) -> String {
    json!({"sharing_rules": [{"name": name, "type": "Criteria_Based", "superiors_allowed": false,
        "permission_type": "read", "shared_to": {"type": "all_users", "subordinates": false},
        "criteria": {"group_operator": "AND", "group": [{"comparator": "equal",
            "field": {"api_name": "City"}, "type": "value", "value": "Chennai"}]}}]})
    .to_string()
}

fn share_body(user: &str, permission: &str) -> String {
    json!({"share": [{"type": "private", "permission": permission, "share_related_records": false,
        "shared_with": {"type": "users", "id": user}}]})
    .to_string()
}

#[tokio::test]
async fn every_mutating_call_is_in_the_file_before_its_answer() {
    let dir = temp_dir("round-trip");
    let state = dir.join("state.db");
    let server = TestServer::from_builder(MockServer::builder().state_file(&state)).await;
    assert_file_holds(&server, &state, "start").await;

    // CRM record sharing: POST, PUT, DELETE.
    let shared = server
        .call(
            "POST",
            SHARE_LEAD,
            Some(ADMIN_TOKEN),
            Some(&share_body(AMELIA, "read_only")),
        )
        .await;
    assert_eq!(shared.status, 201, "{}", shared.text());
    assert_file_holds(&server, &state, "POST share").await;
    let updated = server
        .call(
            "PUT",
            "/crm/v8/Contacts/4150868000001148230/actions/share",
            Some(ADMIN_TOKEN),
            Some(&share_body(RYAN, "read_write")),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text());
    assert_file_holds(&server, &state, "PUT share").await;
    let revoked = server
        .call(
            "DELETE",
            "/crm/v8/Deals/4150868000001148250/actions/share",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    assert_file_holds(&server, &state, "DELETE share").await;

    // CRM data sharing rules: create, update (both forms), deactivate, activate, rerun, delete.
    let created = server
        .call(
            "POST",
            &format!("{RULES}?module=Leads"),
            Some(ADMIN_TOKEN),
            Some(&rule_body("Durable rule")),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["sharing_rules"][0]["details"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_file_holds(&server, &state, "create rule").await;
    let renamed = json!({"sharing_rules": [{"id": id, "name": "Durable rule 2",
        "type": "Criteria_Based", "superiors_allowed": true}]})
    .to_string();
    let reply = server
        .call(
            "PUT",
            &format!("{RULES}?module=Leads"),
            Some(ADMIN_TOKEN),
            Some(&renamed),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_file_holds(&server, &state, "PUT rules").await;
    let renamed = json!({"sharing_rules": [{"name": "Durable rule 3",
        "type": "Criteria_Based", "superiors_allowed": false}]})
    .to_string();
    let reply = server
        .call(
            "PUT",
            &format!("{RULES}/{id}?module=Leads"),
            Some(ADMIN_TOKEN),
            Some(&renamed),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_file_holds(&server, &state, "PUT rules/{id}").await;
    for (method, action) in [("DELETE", "deactivate"), ("PUT", "activate")] {
        let reply = server
            .call(
                method,
                &format!("{RULES}/{id}/actions/activate?module=Leads"),
                Some(ADMIN_TOKEN),
                None,
            )
            .await;
        assert_eq!(reply.status, 200, "{action}: {}", reply.text());
        assert_file_holds(&server, &state, action).await;
    }
    let reply = server
        .call(
            "POST",
            &format!("{RULES}/actions/run?module=Leads"),
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_file_holds(&server, &state, "rerun").await;
    let reply = server
        .call(
            "DELETE",
            &format!("{RULES}/{id}?module=Leads"),
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_file_holds(&server, &state, "delete rule").await;

    // CRM data sharing settings.
    let settings = json!({"data_sharing": [{"module": {"api_name": "Leads"}, "share_type": "public_read_only"}]});
    let reply = server
        .call(
            "PUT",
            "/crm/v8/settings/data_sharing",
            Some(ADMIN_TOKEN),
            Some(&settings.to_string()),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_file_holds(&server, &state, "data sharing settings").await;

    // Analytics v1: add and remove a workspace admin.
    for action in ["ADDDBOWNER", "REMOVEDBOWNER"] {
        let form = format!(
            "ZOHO_ACTION={action}&ZOHO_OUTPUT_FORMAT=JSON&ZOHO_ERROR_FORMAT=JSON&ZOHO_API_VERSION=1.0&ZOHO_EMAILS=ryan%40zylker.com"
        );
        let reply = server
            .send(
                form_post(&server, SALES, &form)
                    .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}")),
            )
            .await;
        assert_eq!(reply.status, 200, "{action}: {}", reply.text());
        assert_file_holds(&server, &state, action).await;
    }

    // CRM Records API: insert, share the new record, update, delete (its share set goes with it).
    let inserted = server
        .call(
            "POST",
            "/crm/v8/Leads",
            Some(PATRICIA_TOKEN),
            Some(r#"{"data": [{"Last_Name": "Durable", "Company": "Disk Ltd"}]}"#),
        )
        .await;
    assert_eq!(inserted.status, 201, "{}", inserted.text());
    let lead = inserted.json()["data"][0]["details"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_file_holds(&server, &state, "record insert").await;
    let two = json!({"share": [
        {"type": "private", "permission": "read_only", "share_related_records": false,
            "shared_with": {"type": "users", "id": AMELIA}},
        {"type": "private", "permission": "read_write", "share_related_records": false,
            "shared_with": {"type": "users", "id": RYAN}}]});
    let reply = server
        .call(
            "POST",
            &format!("/crm/v8/Leads/{lead}/actions/share"),
            Some(ADMIN_TOKEN),
            Some(&two.to_string()),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_file_holds(&server, &state, "share of the new record").await;
    let reply = server
        .call(
            "PUT",
            &format!("/crm/v8/Leads/{lead}"),
            Some(PATRICIA_TOKEN),
            Some(r#"{"data": [{"City": "Chennai", "Owner": {"id": "4150868000001199001"}}]}"#),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    // The new owner's share went (a record is never shared with its owner); Ryan's stays.
    let shared_with: Vec<Value> = server.state().await["orgs"][0]["shares"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["record"] == lead.as_str())
        .map(|s| s["shared_with"]["id"].clone())
        .collect();
    assert_eq!(shared_with, [json!(RYAN)]);
    assert_file_holds(&server, &state, "record update").await;
    let reply = server
        .call(
            "DELETE",
            &format!("/crm/v8/Leads/{lead}"),
            Some(PATRICIA_TOKEN),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        !server.state().await.to_string().contains(&lead),
        "the deleted record and its shares are gone"
    );
    assert_file_holds(&server, &state, "record delete").await;

    // Analytics v2: share a view, then remove every share of a user.
    for (method, config) in [
        (
            "POST",
            json!({"viewIds": [V2_VIEW], "emailIds": ["noah@zylker.com"],
                "permissions": {"read": "true", "export": "true"}}),
        ),
        (
            "DELETE",
            json!({"emailIds": ["liam@zylker.com"], "removeAllViews": true}),
        ),
    ] {
        let config: String =
            form_urlencoded::byte_serialize(config.to_string().as_bytes()).collect();
        let reply = server
            .send(
                server
                    .client
                    .request(
                        method.parse().unwrap(),
                        server.url(&format!("{V2_SHARE}?CONFIG={config}")),
                    )
                    .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
                    .header("ZANALYTICS-ORGID", V2_ORG_ID)
                    .header("Content-Length", "0"),
            )
            .await;
        assert_eq!(reply.status, 204, "v2 {method} share: {}", reply.text());
        assert_file_holds(&server, &state, &format!("v2 {method} share")).await;
    }

    // Accounts server: refresh grant, code grant (a code from the admin API), revocation.
    let reply = server
        .send(form_post(&server, TOKEN_URL, REFRESH_GRANT))
        .await;
    let granted = reply.json()["access_token"].as_str().unwrap().to_owned();
    assert_file_holds(&server, &state, "refresh grant").await;
    let code = server
        .admin(
            "POST",
            "/__admin/grant-codes",
            Some(json!({"org": ORG, "client_id": "1000.SANDBOXCLIENT", "user": AMELIA, "scopes": ["ZohoCRM.users.READ"]})),
        )
        .await;
    assert_eq!(code.status, 201, "{}", code.text());
    assert_file_holds(&server, &state, "admin grant code").await;
    let code = code.json()["code"].as_str().unwrap().to_owned();
    let reply = server
        .send(form_post(
            &server,
            TOKEN_URL,
            &format!("grant_type=authorization_code&client_id=1000.SANDBOXCLIENT&client_secret=sandbox-secret&code={code}"),
        ))
        .await;
    let new_refresh = reply.json()["refresh_token"].as_str().unwrap().to_owned();
    assert_file_holds(&server, &state, "code grant").await;
    for token in [granted.as_str(), new_refresh.as_str()] {
        let reply = server
            .send(form_post(
                &server,
                "/oauth/v2/token/revoke",
                &format!("token={token}"),
            ))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_file_holds(&server, &state, "revoke").await;
    }

    // Admin API: tokens, rule computation, orgs (copy, body, delete), state import, reset.
    server
        .mint_token(ORG, PATRICIA, &["ZohoCRM.users.READ"])
        .await;
    assert_file_holds(&server, &state, "admin token").await;
    let reply = server
        .admin(
            "POST",
            "/__admin/tokens",
            Some(json!({"org": ORG, "user": AMELIA, "scopes": ["ZohoCRM.users.READ"], "label": "durable"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_file_holds(&server, &state, "admin token with a label").await;

    // Snapshots: an org snapshot and a whole-state one, each restored over a later change.
    for (name, body) in [
        ("zylker-saved", json!({"name": "zylker-saved", "org": ORG})),
        ("all-saved", json!({"name": "all-saved"})),
    ] {
        let reply = server.admin("POST", "/__admin/snapshots", Some(body)).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        let later = server.mint_token(ORG, RYAN, &["ZohoCRM.users.READ"]).await;
        assert_file_holds(&server, &state, "a token after the snapshot").await;
        let reply = server
            .admin("POST", &format!("/__admin/snapshots/{name}/restore"), None)
            .await;
        assert_eq!(reply.status, 204, "{}", reply.text());
        assert!(
            !server.state().await.to_string().contains(&later),
            "the restore took the later token away"
        );
        assert_file_holds(&server, &state, &format!("restore of {name}")).await;
    }
    let reply = server
        .admin(
            "PUT",
            "/__admin/orgs/zylker/rule-computation",
            Some(json!({"Leads": true, "Contacts": false})),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_file_holds(&server, &state, "rule computation").await;
    let reply = server.admin("POST", "/__admin/orgs", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_file_holds(&server, &state, "org copy").await;
    let reply = server
        .admin("POST", "/__admin/orgs", Some(json!({"id": "tiny"})))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_file_holds(&server, &state, "org from a body").await;
    let reply = server.admin("DELETE", "/__admin/orgs/org-1", None).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_file_holds(&server, &state, "org delete").await;
    let mut imported = server.state().await;
    imported["orgs"][0]["name"] = json!("Imported Corp");
    let reply = server.admin("PUT", "/__admin/state", Some(imported)).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_file_holds(&server, &state, "state import").await;
    let reply = server.admin("POST", "/__admin/reset", None).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_file_holds(&server, &state, "reset").await;
    server.mock.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// A failed commit

#[tokio::test]
async fn a_failed_commit_answers_the_internal_error_and_changes_nothing() {
    let dir = temp_dir("failed-commit");
    let state = dir.join("state.db");
    let fail = Arc::new(AtomicBool::new(false));
    let server = TestServer::from_builder(
        MockServer::builder()
            .state_file(&state)
            .fail_commits(fail.clone()),
    )
    .await;
    let ok = server
        .call(
            "PUT",
            SHARE_LEAD,
            Some(ADMIN_TOKEN),
            Some(&share_body(AMELIA, "read_only")),
        )
        .await;
    assert_eq!(ok.status, 200);
    let before = server.state().await;

    fail.store(true, Ordering::SeqCst);
    // Concurrent writers share the failed commit; none of them is acknowledged.
    let bodies: Vec<String> = (0..8)
        .map(|i| share_body(RYAN, ["read_write", "full_access"][i % 2]))
        .collect();
    let writes = bodies
        .iter()
        .map(|body| server.call("PUT", SHARE_LEAD, Some(ADMIN_TOKEN), Some(body)));
    for reply in join_all(writes).await {
        assert_golden(&reply, "durability/crm_not_committed.json");
    }
    let form = "ZOHO_ACTION=ADDDBOWNER&ZOHO_OUTPUT_FORMAT=JSON&ZOHO_ERROR_FORMAT=JSON&ZOHO_API_VERSION=1.0&ZOHO_EMAILS=ryan%40zylker.com";
    let reply = server
        .send(
            form_post(&server, SALES, form)
                .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}")),
        )
        .await;
    assert_golden(&reply, "durability/analytics_not_committed.json");
    let reply = server
        .send(form_post(&server, TOKEN_URL, REFRESH_GRANT))
        .await;
    assert_golden(&reply, "durability/oauth_not_committed.json");
    for (method, path, body) in [
        (
            "POST",
            "/__admin/tokens",
            Some(json!({"org": ORG, "user": AMELIA, "scopes": []})),
        ),
        ("POST", "/__admin/orgs", None),
        ("POST", "/__admin/reset", None),
    ] {
        let reply = server.admin(method, path, body).await;
        assert_eq!(reply.status, 500, "{path}: {}", reply.text());
        let message = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(
            message.starts_with("the change could not be committed to the state file")
                && message.contains("state.db"),
            "{message}"
        );
    }
    assert_eq!(server.state().await, before, "nothing changed in memory");
    assert_file_holds(&server, &state, "failed commits").await;

    // Once the disk takes commits again, writes are acknowledged and kept.
    fail.store(false, Ordering::SeqCst);
    let reply = server
        .call(
            "PUT",
            SHARE_LEAD,
            Some(ADMIN_TOKEN),
            Some(&share_body(RYAN, "full_access")),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_ne!(server.state().await, before);
    assert_file_holds(&server, &state, "a commit after the failures").await;
    server.mock.shutdown().await;
}

/// Awaits every future, polling them together (so the writes reach the mock at once).
async fn join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(done) => *output = Some(done),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

// ---------------------------------------------------------------------------------------------
// Timers

#[tokio::test]
async fn rule_computation_timers_are_not_persisted_pinned_flags_are() {
    let dir = temp_dir("timers");
    let state = dir.join("state.db");
    let server = TestServer::from_builder(
        MockServer::builder()
            .state_file(&state)
            .rule_computation_ms(3_600_000),
    )
    .await;
    let reply = server
        .call(
            "POST",
            &format!("{RULES}?module=Leads"),
            Some(ADMIN_TOKEN),
            Some(&rule_body("Timed rule")),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let reply = server
        .admin(
            "PUT",
            "/__admin/orgs/zylker/rule-computation",
            Some(json!({"Contacts": true})),
        )
        .await;
    assert_eq!(reply.status, 204);
    let running =
        |state: &Value, module: &str| state["orgs"][0]["rule_computation"][module].clone();
    let live = server.state().await;
    assert_eq!(running(&live, "Leads"), json!(true), "the timer runs");
    assert_eq!(running(&live, "Contacts"), json!(true));
    server.mock.shutdown().await;

    let restarted = TestServer::from_builder(MockServer::builder().state_file(&state)).await;
    let loaded = restarted.state().await;
    assert_eq!(
        running(&loaded, "Leads"),
        json!(false),
        "timers are not persisted"
    );
    assert_eq!(
        running(&loaded, "Contacts"),
        json!(true),
        "a pinned flag is"
    );
    let names: Vec<&str> = loaded["orgs"][0]["sharing_rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(names.contains(&"Timed rule"), "{names:?}");
    restarted.mock.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// The crash test

/// A seeded generator (fastrand's wyrand), reproducible from the seed the test prints.
struct Rng(fastrand::Rng);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0.u64(..n)
    }
}

/// Records shared by one writer each (Patricia's, without shares in the sandbox).
const CRASH_RECORDS: [(&str, &str); 4] = [
    ("Leads", "4150868000001148212"),
    ("Products", "4150868000001148260"),
    ("Quotes", "4150868000001148270"),
    ("Sales_Orders", "4150868000001148280"),
];
/// An inactive Leads rule of the sandbox, switched on and off by one writer.
const TOGGLED_RULE: &str = "2276164000002052011";
const PERMISSIONS: [&str; 3] = ["read_only", "read_write", "full_access"];

/// The share set a share writer's n-th write gives its record: 12 distinct sets in turn.
fn nth_share(n: u64) -> (&'static str, &'static str, bool) {
    let user = [AMELIA, RYAN][(n % 2) as usize];
    let permission = PERMISSIONS[((n / 2) % 3) as usize];
    (user, permission, (n / 6) % 2 == 1)
}

/// Which of the 12 sets the exported record holds (`None`: no share).
fn share_index(state: &Value, record: &str) -> Option<u64> {
    let shares: Vec<&Value> = state["orgs"][0]["shares"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["record"] == record)
        .collect();
    if shares.is_empty() {
        return None;
    }
    assert_eq!(shares.len(), 1, "record {record}: {shares:?}");
    let share = shares[0];
    (0..12).find(|n| {
        let (user, permission, related) = nth_share(*n);
        share["shared_with"]["id"] == user
            && share["permission"] == permission
            && share["share_related_records"] == related
    })
}

/// What one writer saw before the mock was killed: the writes answered 2xx, and the one it
/// had sent (or was sending) when the connection broke, which may or may not have landed.
#[derive(Debug, Default)]
struct Seen<T> {
    acked: Vec<T>,
    in_flight: Option<T>,
}

async fn share_writer(base: String, record: (&str, &str), from: u64) -> Seen<u64> {
    let client = client();
    let url = format!("{base}/crm/v8/{}/{}/actions/share", record.0, record.1);
    let mut seen = Seen::default();
    for n in from.. {
        let (user, permission, related) = nth_share(n);
        let body = json!({"share": [{"type": "private", "permission": permission,
            "share_related_records": related, "shared_with": {"type": "users", "id": user}}]});
        let sent = client
            .put(&url)
            .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
            .body(body.to_string())
            .send()
            .await;
        match sent {
            Ok(reply) if reply.status() == 200 => seen.acked.push(n),
            Ok(reply) => panic!("share write {n}: {}", reply.status()),
            Err(_) => {
                seen.in_flight = Some(n);
                break;
            }
        }
    }
    seen
}

async fn rule_creator(base: String, round: usize) -> Seen<String> {
    let client = client();
    let mut seen = Seen::default();
    for i in 0.. {
        let name = format!("crash {round}-{i}");
        let sent = client
            .post(format!("{base}{RULES}?module=Leads"))
            .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
            .body(rule_body(&name))
            .send()
            .await;
        match sent {
            Ok(reply) if reply.status() == 201 => seen.acked.push(name),
            Ok(reply) => panic!("rule {name}: {}", reply.status()),
            Err(_) => {
                seen.in_flight = Some(name);
                break;
            }
        }
    }
    seen
}

async fn rule_toggler(base: String, mut active: bool) -> Seen<bool> {
    let client = client();
    let mut seen = Seen::default();
    loop {
        let (method, action) = if active {
            (reqwest::Method::DELETE, "deactivate")
        } else {
            (reqwest::Method::PUT, "activate")
        };
        let sent = client
            .request(
                method,
                format!("{base}{RULES}/{TOGGLED_RULE}/actions/activate?module=Leads"),
            )
            .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
            .send()
            .await;
        match sent {
            Ok(reply) if reply.status() == 200 => {
                active = !active;
                seen.acked.push(active);
            }
            Ok(reply) => panic!("{action}: {}", reply.status()),
            Err(_) => {
                seen.in_flight = Some(!active);
                break;
            }
        }
    }
    seen
}

async fn token_granter(base: String) -> Seen<String> {
    let client = client();
    let mut seen = Seen::default();
    loop {
        let sent = client
            .post(format!("{base}{TOKEN_URL}"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(REFRESH_GRANT)
            .send()
            .await;
        let reply = match sent {
            Ok(reply) => reply,
            Err(_) => break,
        };
        assert_eq!(reply.status(), 200);
        match reply.json::<Value>().await {
            Ok(body) => seen
                .acked
                .push(body["access_token"].as_str().expect("a token").to_owned()),
            // The answer was cut off: the grant may or may not have landed.
            Err(_) => break,
        }
    }
    seen
}

/// What the file must hold, from what the writers saw.
struct Expected {
    /// Per crash record: the index of its last known set, and the next write number.
    shares: Vec<(Option<u64>, u64)>,
    rules: Vec<String>,
    toggled_active: bool,
    tokens: Vec<String>,
}

fn rule_of<'s>(state: &'s Value, id: &str) -> Option<&'s Value> {
    state["orgs"][0]["sharing_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_random_moments_loses_no_acknowledged_write() {
    let kills: usize = std::env::var("ZOHO_MOCK_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let seed: u64 = std::env::var("ZOHO_MOCK_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("crash test: {kills} kills, ZOHO_MOCK_CRASH_SEED={seed}");
    let mut rng = Rng(fastrand::Rng::with_seed(seed));
    let dir = temp_dir("crash");
    let state = dir.join("state.db");
    let state_arg = state.to_str().unwrap().to_owned();
    let client = client();

    // The first kill lands while the new file is being written with the sandbox.
    let mut starting = command(&["--port", "0", "--state-file", &state_arg])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(rng.below(30)));
    let _ = starting.kill();
    let _ = starting.wait();

    let mut running = start_with_state(&state);
    let initial = export(&client, &running.base_url).await;
    assert_eq!(
        initial["orgs"][0]["id"], ORG,
        "a file killed while written new starts from the fixture"
    );
    let mut expected = Expected {
        shares: CRASH_RECORDS
            .iter()
            .map(|(_, id)| (share_index(&initial, id), 0))
            .collect(),
        rules: Vec::new(),
        toggled_active: rule_of(&initial, TOGGLED_RULE).unwrap()["status"] == "active",
        tokens: Vec::new(),
    };
    let mut acknowledged = 0usize;
    for round in 0..kills {
        let base = running.base_url.clone();
        let shares: Vec<_> = CRASH_RECORDS
            .iter()
            .zip(&expected.shares)
            .map(|(record, (_, next))| tokio::spawn(share_writer(base.clone(), *record, *next)))
            .collect();
        let rules = tokio::spawn(rule_creator(base.clone(), round));
        let toggler = tokio::spawn(rule_toggler(base.clone(), expected.toggled_active));
        let tokens: Vec<_> = (0..2)
            .map(|_| tokio::spawn(token_granter(base.clone())))
            .collect();
        tokio::time::sleep(Duration::from_millis(20 + rng.below(130))).await;
        running.kill_9();

        let shares: Vec<Seen<u64>> = join_all(shares.into_iter())
            .await
            .into_iter()
            .map(|r| r.expect("a share writer"))
            .collect();
        let rules = rules.await.expect("the rule writer");
        let toggler = toggler.await.expect("the toggler");
        let tokens: Vec<Seen<String>> = join_all(tokens.into_iter())
            .await
            .into_iter()
            .map(|r| r.expect("a token writer"))
            .collect();

        // The file always loads, and holds every acknowledged write.
        running = start_with_state(&state);
        let on_disk = export(&client, &running.base_url).await;
        for (i, seen) in shares.iter().enumerate() {
            let (last, next) = expected.shares[i];
            let must = seen.acked.last().map(|n| n % 12).or(last);
            let may = seen.in_flight.map(|n| n % 12);
            let found = share_index(&on_disk, CRASH_RECORDS[i].1);
            assert!(
                found == must || (may.is_some() && found == may),
                "round {round}, record {}: found set {found:?}, acknowledged {must:?}, in flight {may:?} (seed {seed})",
                CRASH_RECORDS[i].1
            );
            acknowledged += seen.acked.len();
            let sent = seen.in_flight.or(seen.acked.last().copied());
            expected.shares[i] = (found, sent.map_or(next, |n| n + 1));
        }
        let names: Vec<&str> = on_disk["orgs"][0]["sharing_rules"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["name"].as_str())
            .collect();
        expected.rules.extend(rules.acked.iter().cloned());
        for name in &expected.rules {
            assert!(
                names.contains(&name.as_str()),
                "round {round}: acknowledged rule {name:?} is lost (seed {seed})"
            );
        }
        if let Some(name) = &rules.in_flight
            && names.contains(&name.as_str())
        {
            expected.rules.push(name.clone());
        }
        acknowledged += rules.acked.len();
        let status_active = rule_of(&on_disk, TOGGLED_RULE).unwrap()["status"] == "active";
        let must = toggler
            .acked
            .last()
            .copied()
            .unwrap_or(expected.toggled_active);
        assert!(
            status_active == must || toggler.in_flight == Some(status_active),
            "round {round}: the toggled rule is active={status_active}, acknowledged {must}, in flight {:?} (seed {seed})",
            toggler.in_flight
        );
        acknowledged += toggler.acked.len();
        expected.toggled_active = status_active;
        let stored: Vec<&str> = on_disk["orgs"][0]["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["access_token"].as_str())
            .collect();
        for seen in &tokens {
            acknowledged += seen.acked.len();
            expected.tokens.extend(seen.acked.iter().cloned());
        }
        for token in &expected.tokens {
            assert!(
                stored.contains(&token.as_str()),
                "round {round}: acknowledged token {token} is lost (seed {seed})"
            );
        }
    }
    assert!(
        acknowledged > kills * 10,
        "only {acknowledged} writes were acknowledged in {kills} rounds"
    );

    // Quiet now: memory and file are the same state.
    let before = export(&client, &running.base_url).await;
    running.kill_9();
    let running = start_with_state(&state);
    assert_eq!(export(&client, &running.base_url).await, before);
    println!("crash test: {acknowledged} acknowledged writes survived {kills} kills");
}

// ---------------------------------------------------------------------------------------------
// Change marks cannot be forgotten

/// The `&mut self` methods of the state's parts that need no mark of their own, and why.
const UNMARKED: &[(&str, &str)] = &[
    (
        "Records::load",
        "fixture loading (a loaded org is written whole)",
    ),
    (
        "Records::loaded",
        "fixture loading: orders the loaded records (a loaded org is written whole)",
    ),
    (
        "Records::user",
        "holds a user id for records to share, no state of its own (the record that names it \
         is marked)",
    ),
    (
        "RecordShares::write",
        "stores through RecordShares::store, which marks",
    ),
    (
        "RecordShares::load",
        "fixture loading (a loaded org is written whole)",
    ),
    (
        "SharingRules::load",
        "fixture loading (a loaded org is written whole)",
    ),
    (
        "SharingRules::rerun",
        "restarts a timer (not persisted); SharingRules::changed marks a pin the timer replaces",
    ),
    (
        "Org::renew_analytics_ids",
        "an org copy's (written whole); Workspaces::renew_ids marks",
    ),
    (
        "Org::with_new_id",
        "spends an id of the org's generator, which loading rebuilds from the ids in use; the \
         closure's changes mark themselves",
    ),
];

/// Types whose `&mut self` methods need no mark of their own, and why.
const UNMARKED_TYPES: &[(&str, &str)] = &[
    (
        "Workspace",
        "reached only through Workspaces::get_mut, which marks the workspace it hands out",
    ),
    (
        "Fields",
        "a record's field values, changed in the state only through Records::update, which \
         marks the record",
    ),
];

/// Each `pub fn` with `&mut self` in `source`, as `Type::name`, with its body.
fn mutators(source: &str) -> Vec<(String, String)> {
    let source = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or(source);
    let mut found = Vec::new();
    let mut current_type = String::new();
    let mut rest = source;
    while !rest.is_empty() {
        let impl_at = rest.find("\nimpl");
        let fn_at = rest.find("pub fn ");
        match (impl_at, fn_at) {
            (Some(i), Some(f)) if i < f => {
                // `impl Type {`, `impl<K> Trait for Type<K> {`: the type is the last word.
                let line = rest[i + 1..].lines().next().unwrap_or_default();
                if let Some(name) = line.trim_end_matches('{').split_whitespace().last() {
                    current_type = name.split('<').next().unwrap_or(name).to_owned();
                }
                rest = &rest[i + 1 + line.len()..];
            }
            (_, Some(f)) => {
                let after = &rest[f + "pub fn ".len()..];
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let Some(open) = after.find('{') else { break };
                let signature = &after[..open];
                let mut depth = 0usize;
                let mut end = open;
                for (i, c) in after[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + i;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                if signature.contains("&mut self") {
                    found.push((
                        format!("{current_type}::{name}"),
                        after[open..=end].to_owned(),
                    ));
                }
                rest = &after[end..];
            }
            _ => break,
        }
    }
    found
}

#[test]
fn every_state_mutator_marks_its_change() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![
        root.join("tenant/credentials.rs"),
        root.join("tenant/directory.rs"),
        root.join("tenant/profiles.rs"),
        root.join("tenant/mod.rs"),
        root.join("analytics/workspaces/model.rs"),
        root.join("store/org.rs"),
    ];
    for area in std::fs::read_dir(root.join("crm")).unwrap() {
        let model = area.unwrap().path().join("model.rs");
        if model.exists() {
            files.push(model);
        }
    }
    let mut checked = Vec::new();
    let mut unmarked = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for (name, body) in mutators(&source) {
            checked.push(name.clone());
            let exempt = UNMARKED.iter().any(|(n, _)| *n == name)
                || UNMARKED_TYPES
                    .iter()
                    .any(|(t, _)| name.split("::").next() == Some(*t));
            let is_accessor = name.ends_with("::dirty");
            if !exempt && !is_accessor && !body.contains(".mark(") {
                unmarked.push(format!("{name} ({})", file.display()));
            }
        }
    }
    assert!(
        unmarked.is_empty(),
        "these methods change the state without marking what they change for the state file \
         (call `self.dirty.mark(..)` with the changed entity's key, or list the method in \
         UNMARKED with the reason it needs none): {unmarked:?}"
    );
    for must in [
        "RecordShares::revoke",
        "SharingRules::create",
        "Credentials::revoke",
        "Workspaces::get_mut",
        "DataSharingSettings::update",
        "Workspace::add_admins",
        "Workspace::share",
        "Workspace::remove_shares",
        "Records::insert",
        "Records::update",
        "Records::delete",
        "RecordShares::remove_record",
        "Workspaces::renew_ids",
    ] {
        assert!(
            checked.iter().any(|c| c == must),
            "{must} was not found: {checked:?}"
        );
    }
    for (name, _) in UNMARKED {
        assert!(
            checked.iter().any(|c| c == name),
            "UNMARKED lists {name}, which no longer exists"
        );
    }
    for (kind, _) in UNMARKED_TYPES {
        assert!(
            checked.iter().any(|c| c.starts_with(&format!("{kind}::"))),
            "UNMARKED_TYPES lists {kind}, which has no `&mut self` method"
        );
    }
}

//! The binary (DESIGN §1): `--port 0` and the `listening on` line, env vars, exit code 2 on
//! bad flags and bad files, the `healthcheck` subcommand, graceful SIGTERM. `--state-file` is
//! tested in `durability.rs`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_zoho-sharing-mock");

struct Running {
    child: Child,
    base_url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str], envs: &[(&str, &str)]) -> Running {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (key, value) in envs {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a first line");
    let base_url = first
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_owned();
    Running { child, base_url }
}

fn run(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("RUST_LOG");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("the binary runs")
}

/// Like [`run`] for a start that must fail: a binary that starts serving instead is stopped
/// after a few seconds, so the test fails instead of hanging.
fn run_expecting_exit(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("the output")
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zoho-mock-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

async fn get(url: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(url)
        .send()
        .await
        .expect("an answer")
}

#[tokio::test]
async fn port_zero_prints_the_address_and_serves_the_sandbox() {
    let running = start(&["--port", "0"], &[]);
    assert!(running.base_url.starts_with("http://127.0.0.1:"));
    assert!(!running.base_url.ends_with(":0"));
    let health = get(&format!("{}/__admin/health", running.base_url)).await;
    assert_eq!(health.status(), 200);
    let org = reqwest::Client::new()
        .get(format!("{}/crm/v8/org", running.base_url))
        .header("Authorization", "Zoho-oauthtoken 1000.sandbox.admin")
        .send()
        .await
        .unwrap();
    assert_eq!(
        org.json::<serde_json::Value>().await.unwrap()["org"][0]["company_name"],
        "Zylker Corp"
    );
}

#[tokio::test]
async fn sigterm_stops_gracefully_with_exit_zero() {
    let mut running = start(&["--port", "0"], &[]);
    assert_eq!(
        get(&format!("{}/__admin/health", running.base_url))
            .await
            .status(),
        200
    );
    signal(&running.child, "TERM");
    let status = running.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// The per-request log line (DESIGN §1) on stderr, in `tracing-subscriber`'s text layout: one
/// line per request, in the order they were answered, none lost when the process stops (the
/// lines are written in batches: the last batch goes out during the graceful stop).
#[tokio::test]
async fn request_lines_reach_stderr_in_order_and_survive_sigterm() {
    let mut command = Command::new(BIN);
    command
        .args(["--port", "0"])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base_url = first
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let paths: Vec<String> = (0..50).map(|i| format!("/crm/v8/org?n={i}")).collect();
    for path in &paths {
        let answer = client
            .get(format!("{base_url}{path}"))
            .header("Authorization", "Zoho-oauthtoken 1000.sandbox.admin")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
    }
    signal(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("zoho_sharing_mock::request: request "))
        .collect();
    assert_eq!(lines.len(), paths.len(), "{stderr}");
    for (line, path) in lines.iter().zip(&paths) {
        // 2026-12-02T01:02:03.123456Z  INFO zoho_sharing_mock::request: request method=GET
        // uri=/crm/v8/org?n=0 version=HTTP/1.1 status=200 latency_us=123
        let (time, rest) = line.split_once(' ').unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{line}");
        assert_eq!(time.len(), "2026-12-02T01:02:03.123456Z".len(), "{line}");
        let expected = format!(
            " INFO zoho_sharing_mock::request: request method=GET uri={path} version=HTTP/1.1 status=200 latency_us="
        );
        let latency = rest
            .strip_prefix(&expected)
            .unwrap_or_else(|| panic!("{line}"));
        assert!(latency.parse::<u64>().is_ok(), "{line}");
    }
    assert!(
        stderr.trim_end().ends_with("shutting down"),
        "the shutdown line comes last: {stderr}"
    );
}

#[tokio::test]
async fn environment_variables_configure_it() {
    let dir = temp_path("env");
    let fixture = dir.join("f.json");
    std::fs::write(
        &fixture,
        json!({"orgs": [{"id": "acme", "name": "Acme",
            "users": [{"id": "1", "email": "a@acme.io", "full_name": "A", "role": "9", "profile": "Administrator", "status": "active"}],
            "roles": [{"id": "9", "name": "R"}],
            "tokens": [{"access_token": "tok", "user": "1", "scopes": []}]}]})
        .to_string(),
    )
    .unwrap();
    let running = start(
        &[],
        &[
            ("ZOHO_MOCK_PORT", "0"),
            ("ZOHO_MOCK_FIXTURES", fixture.to_str().unwrap()),
            ("ZOHO_MOCK_ADMIN_TOKEN", "adm"),
            ("ZOHO_MOCK_LOG_FORMAT", "json"),
        ],
    );
    let client = reqwest::Client::new();
    let guarded = client
        .get(format!("{}/__admin/state", running.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(guarded.status(), 401);
    let state: serde_json::Value = client
        .get(format!("{}/__admin/state", running.base_url))
        .bearer_auth("adm")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["orgs"][0]["name"], "Acme");
}

#[test]
fn an_invalid_fixture_exits_2_naming_the_json_path() {
    let dir = temp_path("badfixture");
    let fixture = dir.join("bad.json");
    std::fs::write(
        &fixture,
        r#"{"orgs":[{"id":"a","users":[{"id":"1","email":"a@b.io","full_name":"A","role":"404","profile":"P","status":"active"}]}]}"#,
    )
    .unwrap();
    let out = run(
        &["--port", "0", "--fixtures", fixture.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing served");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("$.orgs[0].users[0].role"), "{stderr}");
    assert!(stderr.contains("bad.json"), "{stderr}");
    assert_eq!(
        stderr.trim().lines().count(),
        1,
        "one clear message: {stderr}"
    );

    let out = run(
        &[
            "--port",
            "0",
            "--fixtures",
            dir.join("missing.json").to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));

    std::fs::write(&fixture, "{\"orgs\": [").unwrap();
    let out = run(
        &["--port", "0", "--fixtures", fixture.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        vec!["--port", "notaport"],
        vec!["--log-format", "xml"],
        vec!["--no-such-flag"],
        vec!["--journal-size", "-1"],
    ] {
        let out = run(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let out = run(&[], &[("ZOHO_MOCK_PORT", "99999")]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_port_in_use_exits_2() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let out = run(&["--port", &port], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

#[tokio::test]
async fn healthcheck_subcommand() {
    let running = start(&["--port", "0"], &[]);
    let out = run(&["healthcheck", &running.base_url], &[]);
    assert_eq!(out.status.code(), Some(0));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let out = run(&["healthcheck", &url], &[]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["healthcheck", "not a url"], &[]);
    assert_eq!(out.status.code(), Some(1));
}

/// A document that is not an object, or holds an array where the format has an object, is not
/// a state: serde would read a struct from an array of its fields in order, so `[]` and `[[]]`
/// would otherwise load as an empty state.
#[test]
fn a_fixture_or_state_file_that_is_not_a_state_document_exits_2() {
    let dir = temp_path("notadoc");
    for (text, path, expected) in [
        ("[]", "$", "not a state document: expected a JSON object"),
        ("[[]]", "$", "not a state document: expected a JSON object"),
        (
            "\"orgs\"",
            "$",
            "not a state document: expected a JSON object",
        ),
        ("null", "$", "not a state document: expected a JSON object"),
        (
            r#"{"orgs": [[]]}"#,
            "$.orgs[0]",
            "invalid type: sequence, expected struct OrgDoc",
        ),
        (
            r#"{"orgs": [{"id": "a", "roles": [["9", "Boss"]]}]}"#,
            "$.orgs[0].roles[0]",
            "invalid type: sequence, expected struct Role",
        ),
    ] {
        let file = dir.join("doc.json");
        std::fs::write(&file, text).unwrap();
        // (A state file is an SQLite database: tests/durability.rs holds its refusals.)
        let out = run_expecting_exit(&["--port", "0", "--fixtures", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(out.stdout.is_empty(), "{text}: nothing served");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("doc.json: {path}: {expected}")),
            "{text}: {stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    }
}

/// SIGTERM with a request in flight that never completes (its body stops halfway): the process
/// waits `--shutdown-timeout-ms` for it, then exits 0 anyway.
#[tokio::test]
async fn sigterm_waits_a_bounded_time_for_requests_in_flight() {
    use tokio::io::AsyncWriteExt;
    let mut running = start(
        &[
            "--port",
            "0",
            "--body-timeout-ms",
            "0",
            "--header-timeout-ms",
            "0",
            "--shutdown-timeout-ms",
            "300",
        ],
        &[],
    );
    let address = running.base_url.trim_start_matches("http://").to_owned();
    let mut stuck = tokio::net::TcpStream::connect(&address).await.unwrap();
    stuck
        .write_all(b"POST /crm/v8/org HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    signal(&running.child, "TERM");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let status = loop {
        if let Some(status) = running.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running 5 s after SIGTERM"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(status.code(), Some(0));
    drop(stuck);
}

//! The HTTPS listener (DESIGN §1 `--tls-*`, §5 `GET /__admin/certs/ca.pem`): a client that
//! trusts only the mock's CA reaches the same application over HTTPS, a client that trusts
//! nothing is refused, the generated certificate names `localhost`, `127.0.0.1` and every
//! `--tls-name`, a given certificate is served as given, and both listeners shut down
//! gracefully.

mod support;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::Certificate;
use serde_json::{Value, json};
use support::*;
use zoho_sharing_mock::MockServer;

const BIN: &str = env!("CARGO_BIN_EXE_zoho-sharing-mock");

/// A client that trusts `pem` alone (no built-in roots), resolving `names` to `address`.
fn trusting(pem: &str, names: &[&str], address: SocketAddr) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(Certificate::from_pem(pem.as_bytes()).expect("a PEM certificate"));
    for name in names {
        builder = builder.resolve(name, address);
    }
    builder.build().expect("a client")
}

fn https_address(url: &str) -> SocketAddr {
    url.strip_prefix("https://")
        .expect("an https URL")
        .parse()
        .expect("an address")
}

async fn org_name(client: &reqwest::Client, url: &str) -> Result<Value, reqwest::Error> {
    let reply = client
        .get(format!("{url}/crm/v8/org"))
        .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
        .send()
        .await?;
    assert_eq!(reply.status(), 200);
    Ok(reply.json::<Value>().await?["org"][0]["company_name"].clone())
}

#[tokio::test]
async fn a_client_trusting_only_the_ca_reaches_the_api_over_https() {
    let mock = MockServer::builder()
        .tls_port(0)
        .tls_name("example.test")
        .start()
        .await
        .unwrap();
    let https = mock.tls_base_url().expect("an HTTPS listener");
    assert!(https.starts_with("https://127.0.0.1:"), "{https}");
    assert_ne!(https, mock.base_url().replace("http://", "https://"));
    let address = https_address(&https);
    let ca = mock.ca_pem().expect("the CA certificate");
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");

    let client = trusting(&ca, &["localhost", "example.test", "other.test"], address);
    let port = address.port();
    for base in [
        https.clone(),
        format!("https://localhost:{port}"),
        format!("https://example.test:{port}"),
    ] {
        assert_eq!(
            org_name(&client, &base).await.unwrap(),
            "Zylker Corp",
            "{base}"
        );
    }
    // The certificate names what it was made for, and nothing else.
    let other = org_name(&client, &format!("https://other.test:{port}")).await;
    assert!(other.is_err(), "other.test is not in the certificate");

    // A client that trusts nothing is refused.
    let untrusting = reqwest::Client::builder()
        .no_proxy()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .build()
        .unwrap();
    let refused = untrusting
        .get(format!("{https}/__admin/health"))
        .send()
        .await;
    assert!(refused.is_err(), "an untrusted certificate is refused");

    // Plain HTTP on the HTTPS port gets no answer it could mistake for the API's.
    let plain = reqwest::Client::builder().no_proxy().build().unwrap();
    let confused = plain
        .get(format!("http://127.0.0.1:{port}/__admin/health"))
        .send()
        .await;
    assert!(confused.is_err() || confused.unwrap().status() != 200);

    // The same state behind both listeners: a share made over HTTPS is read over HTTP.
    let share = json!({"share": [{"type": "private", "permission": "read_only",
                                  "shared_with": {"type": "users", "id": "4150868000001199001"}}]});
    let lead = "/crm/v8/Leads/4150868000001148212/actions/share";
    let put = client
        .put(format!("{https}{lead}"))
        .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
        .body(share.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let read = plain
        .get(format!("{}{lead}", mock.base_url()))
        .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    let journal = plain
        .get(format!("{}/__admin/requests?method=PUT", mock.base_url()))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        journal["requests"][0]["org"], "zylker",
        "HTTPS requests are journaled"
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn the_ca_certificate_is_served_on_both_listeners() {
    let mock = MockServer::builder().tls_port(0).start().await.unwrap();
    let ca = mock.ca_pem().unwrap();
    let https = mock.tls_base_url().unwrap();
    let client = trusting(&ca, &[], https_address(&https));
    for base in [mock.base_url(), https] {
        let reply = client
            .get(format!("{base}/__admin/certs/ca.pem"))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200, "{base}");
        assert_eq!(
            reply.headers()["content-type"],
            "application/x-pem-file",
            "{base}"
        );
        assert_eq!(reply.text().await.unwrap(), ca, "{base}");
    }
}

#[tokio::test]
async fn without_an_https_listener_the_ca_path_is_404() {
    let server = TestServer::start().await;
    assert_eq!(server.mock.tls_base_url(), None);
    assert_eq!(server.mock.ca_pem(), None);
    let reply = server.admin("GET", "/__admin/certs/ca.pem", None).await;
    assert_golden(&reply, "admin/certs_without_tls.json");
}

#[tokio::test]
async fn the_accounts_server_names_the_https_origin_over_https() {
    let mock = MockServer::builder().tls_port(0).start().await.unwrap();
    let https = mock.tls_base_url().unwrap();
    let client = trusting(&mock.ca_pem().unwrap(), &[], https_address(&https));
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", "1000.SANDBOXCLIENT"),
        ("client_secret", "sandbox-secret"),
        ("refresh_token", "1000.sandbox.refresh"),
    ];
    for (base, api_domain) in [
        (https.clone(), https.clone()),
        (mock.base_url(), mock.base_url()),
    ] {
        let reply = client
            .post(format!("{base}/oauth/v2/token"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        let body = reply.json::<Value>().await.unwrap();
        assert_eq!(body["api_domain"], api_domain.as_str(), "{base}");
    }
}

#[tokio::test]
async fn both_listeners_finish_in_flight_requests_on_shutdown() {
    let mock = MockServer::builder().tls_port(0).start().await.unwrap();
    let https = mock.tls_base_url().unwrap();
    let http = mock.base_url();
    let client = trusting(&mock.ca_pem().unwrap(), &[], https_address(&https));
    let fault = client
        .post(format!("{http}/__admin/faults"))
        .json(&json!({"path": "/crm/*/org", "delay_ms": 400}))
        .send()
        .await
        .unwrap();
    assert_eq!(fault.status(), 201);
    let slow = |base: String| {
        let client = client.clone();
        tokio::spawn(async move { org_name(&client, &base).await })
    };
    let over_https = slow(https.clone());
    let over_http = slow(http.clone());
    tokio::time::sleep(Duration::from_millis(150)).await;
    tokio::time::timeout(Duration::from_secs(10), mock.shutdown())
        .await
        .expect("shutdown finishes");
    assert_eq!(over_https.await.unwrap().unwrap(), "Zylker Corp");
    assert_eq!(over_http.await.unwrap().unwrap(), "Zylker Corp");
    let after = client.get(format!("{https}/__admin/health")).send().await;
    assert!(after.is_err(), "no longer accepting");
}

// ---- the binary ----

struct Running {
    child: Child,
    lines: Vec<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("RUST_LOG");
    for (key, value) in envs {
        command.env(key, value);
    }
    command
}

/// Starts the binary and reads its first `lines` stdout lines.
fn start(args: &[&str], envs: &[(&str, &str)], lines: usize) -> Running {
    let mut child = command(args, envs)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut read = Vec::new();
    for _ in 0..lines {
        let mut line = String::new();
        stdout.read_line(&mut line).expect("a line");
        read.push(line.trim_end().to_owned());
    }
    Running { child, lines: read }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zoho-mock-tls-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn the_binary_prints_the_https_address_second_and_takes_names_from_the_environment() {
    let running = start(
        &["--port", "0"],
        &[
            ("ZOHO_MOCK_TLS_PORT", "0"),
            ("ZOHO_MOCK_TLS_NAMES", "a.example.test,b.example.test"),
        ],
        2,
    );
    let http = running.lines[0]
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    assert!(http.starts_with("http://127.0.0.1:"), "{:?}", running.lines);
    let https = running.lines[1]
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("second line {:?}", running.lines[1]))
        .to_owned();
    assert!(https.starts_with("https://127.0.0.1:"), "{https}");
    let address = https_address(&https);
    let ca = reqwest::get(format!("{http}/__admin/certs/ca.pem"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let client = trusting(&ca, &["a.example.test", "b.example.test"], address);
    for name in ["a.example.test", "b.example.test"] {
        let base = format!("https://{name}:{}", address.port());
        assert_eq!(org_name(&client, &base).await.unwrap(), "Zylker Corp");
    }
}

#[tokio::test]
async fn sigterm_stops_both_listeners_with_exit_zero() {
    let mut running = start(
        &[
            "--port",
            "0",
            "--tls-port",
            "0",
            "--tls-name",
            "example.test",
        ],
        &[],
        2,
    );
    let https = running.lines[1]
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let http = running.lines[0]
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let ca = reqwest::get(format!("{http}/__admin/certs/ca.pem"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let address = https_address(&https);
    let client = trusting(&ca, &["example.test"], address);
    // A kept-alive HTTPS connection does not hold the shutdown open.
    let base = format!("https://example.test:{}", address.port());
    assert_eq!(org_name(&client, &base).await.unwrap(), "Zylker Corp");
    let status = Command::new("kill")
        .args(["-TERM", &running.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = running.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(0));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_given_certificate_and_key_are_served_as_given() {
    let dir = temp_dir("given");
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();

    let running = start(
        &[
            "--port",
            "0",
            "--tls-port",
            "0",
            "--tls-cert",
            cert_path.to_str().unwrap(),
            "--tls-key",
            key_path.to_str().unwrap(),
        ],
        &[],
        2,
    );
    let http = running.lines[0]
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let https = running.lines[1]
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let served = reqwest::get(format!("{http}/__admin/certs/ca.pem"))
        .await
        .unwrap();
    assert_eq!(served.headers()["content-type"], "application/x-pem-file");
    assert_eq!(served.text().await.unwrap(), cert.pem(), "the given chain");
    let address = https_address(&https);
    let client = trusting(&cert.pem(), &["localhost"], address);
    let base = format!("https://localhost:{}", address.port());
    assert_eq!(org_name(&client, &base).await.unwrap(), "Zylker Corp");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_tls_settings_are_startup_failures() {
    let dir = temp_dir("bad");
    let garbage = dir.join("garbage.pem");
    std::fs::write(&garbage, "not a certificate\n").unwrap();
    let garbage = garbage.to_str().unwrap();
    let missing = dir.join("missing.pem");
    let missing = missing.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "--tls-port",
                "0",
                "--tls-cert",
                garbage,
                "--tls-key",
                garbage,
            ],
            "garbage.pem",
        ),
        (
            vec![
                "--tls-port",
                "0",
                "--tls-cert",
                missing,
                "--tls-key",
                garbage,
            ],
            "missing.pem",
        ),
        (vec!["--tls-port", "0", "--tls-cert", garbage], "--tls-key"),
        (vec!["--tls-name", "example.test"], "--tls-port"),
        (
            vec!["--tls-port", "0", "--tls-name", "bad name!"],
            "--tls-name",
        ),
        (
            vec![
                "--tls-port",
                "0",
                "--tls-name",
                "x.test",
                "--tls-cert",
                garbage,
                "--tls-key",
                garbage,
            ],
            "--tls-name",
        ),
    ];
    for (args, named) in cases {
        let mut all = vec!["--port", "0"];
        all.extend(&args);
        let mut child = command(&all, &[])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A case that wrongly starts would serve forever: give it ten seconds.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() {
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{args:?}: the mock started");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}: nothing served");
        assert!(stderr.contains(named), "{args:?}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

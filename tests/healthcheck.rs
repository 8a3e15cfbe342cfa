//! The `healthcheck` subcommand (DESIGN §1), black-box: exit 0 against a running mock; without a
//! URL it checks the address the server would bind (`--host`/`--port`, then
//! `ZOHO_MOCK_HOST`/`ZOHO_MOCK_PORT`, unspecified addresses on loopback); a failure is one line on
//! stderr naming the URL and the cause, exit 1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_zoho-sharing-mock");

/// The mock started as a user would, killed when the test ends.
struct Running {
    child: Child,
    port: u16,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(host: &str) -> Running {
    let mut child = Command::new(BIN)
        .args(["--host", host, "--port", "0"])
        .env_remove("RUST_LOG")
        .env_remove("ZOHO_MOCK_HOST")
        .env_remove("ZOHO_MOCK_PORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a first line");
    let address = first
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
    let port = address
        .rsplit_once(':')
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {first:?}"));
    Running { child, port }
}

/// `healthcheck` with `args`, the given environment and nothing inherited that could steer it.
fn healthcheck(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .arg("healthcheck")
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("ZOHO_MOCK_HOST")
        .env_remove("ZOHO_MOCK_PORT");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A loopback port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A one-shot HTTP server that answers every connection with `answer` (or, with `None`, accepts
/// and never answers), for the failures a real mock cannot be made to produce.
fn fake_server(answer: Option<&'static str>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            if let Some(answer) = answer {
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(answer.as_bytes());
            } else {
                held.push(stream);
            }
        }
    });
    address
}

fn assert_success(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    assert_eq!(stderr(out), "");
}

fn assert_failure(out: &Output, line: &str) {
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(out), format!("{line}\n"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

#[test]
fn a_running_mock_passes_by_url_and_by_its_port() {
    let mock = start("127.0.0.1");
    let port = mock.port.to_string();
    assert_success(&healthcheck(&[&format!("http://127.0.0.1:{port}")], &[]));
    assert_success(&healthcheck(&[&format!("http://127.0.0.1:{port}/")], &[]));
    assert_success(&healthcheck(&["--port", &port], &[]));
    assert_success(&healthcheck(&["--host", "127.0.0.1", "--port", &port], &[]));
}

#[test]
fn without_a_url_it_follows_the_environment() {
    let mock = start("127.0.0.1");
    let port = mock.port.to_string();
    assert_success(&healthcheck(&[], &[("ZOHO_MOCK_PORT", &port)]));
    assert_success(&healthcheck(
        &[],
        &[("ZOHO_MOCK_HOST", "127.0.0.1"), ("ZOHO_MOCK_PORT", &port)],
    ));
    // The flag wins over the variable, as it does for the server.
    let closed = closed_port().to_string();
    assert_success(&healthcheck(
        &["--port", &port],
        &[("ZOHO_MOCK_PORT", &closed)],
    ));
    // The variable is really what was checked: pointed at a closed port, it fails there.
    let out = healthcheck(&[], &[("ZOHO_MOCK_PORT", &closed)]);
    assert_failure(
        &out,
        &format!("healthcheck: http://127.0.0.1:{closed}/__admin/health: connection refused"),
    );
}

#[test]
fn a_server_bound_to_every_address_is_checked_on_loopback() {
    let mock = start("0.0.0.0");
    let port = mock.port.to_string();
    assert_success(&healthcheck(
        &[],
        &[("ZOHO_MOCK_HOST", "0.0.0.0"), ("ZOHO_MOCK_PORT", &port)],
    ));
    assert_success(&healthcheck(&["--host", "0.0.0.0", "--port", &port], &[]));
    // Linux would also connect to 0.0.0.0 itself, so the line is what shows the mapping.
    let closed = closed_port().to_string();
    let out = healthcheck(
        &[],
        &[("ZOHO_MOCK_HOST", "0.0.0.0"), ("ZOHO_MOCK_PORT", &closed)],
    );
    assert_failure(
        &out,
        &format!("healthcheck: http://127.0.0.1:{closed}/__admin/health: connection refused"),
    );
    // `::` maps to `::1`; whatever the machine's IPv6 support, the line names that URL.
    let out = healthcheck(
        &[],
        &[("ZOHO_MOCK_HOST", "::"), ("ZOHO_MOCK_PORT", &closed)],
    );
    assert_eq!(out.status.code(), Some(1));
    let line = stderr(&out);
    assert!(
        line.starts_with(&format!(
            "healthcheck: http://[::1]:{closed}/__admin/health: "
        )),
        "{line:?}"
    );
    assert_eq!(line.lines().count(), 1, "{line:?}");
}

#[test]
fn a_closed_port_is_connection_refused() {
    let closed = closed_port();
    let out = healthcheck(&[&format!("http://127.0.0.1:{closed}")], &[]);
    assert_failure(
        &out,
        &format!("healthcheck: http://127.0.0.1:{closed}/__admin/health: connection refused"),
    );
    let out = healthcheck(&["--port", &closed.to_string()], &[]);
    assert_failure(
        &out,
        &format!("healthcheck: http://127.0.0.1:{closed}/__admin/health: connection refused"),
    );
}

#[test]
fn an_unhealthy_answer_names_its_status() {
    let address = fake_server(Some(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
    ));
    let out = healthcheck(&[&format!("http://{address}")], &[]);
    assert_failure(
        &out,
        &format!("healthcheck: http://{address}/__admin/health: HTTP 503"),
    );
}

#[test]
fn a_silent_server_times_out_after_two_seconds() {
    let address = fake_server(None);
    let started = Instant::now();
    let out = healthcheck(&["--port", &address.port().to_string()], &[]);
    let elapsed = started.elapsed();
    assert_failure(
        &out,
        &format!("healthcheck: http://{address}/__admin/health: timed out after 2 s"),
    );
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[test]
fn a_base_url_that_is_not_http_is_refused() {
    for url in ["not a url", "127.0.0.1:8080", "ftp://127.0.0.1:8080"] {
        let out = healthcheck(&[url], &[]);
        assert_failure(&out, &format!("healthcheck: {url:?} is not an http:// URL"));
    }
}

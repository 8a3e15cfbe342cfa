//! The worked examples of the README's "Using it from tests", run for real so the README
//! cannot drift: the Rust `MockServer` example and the Python example (which also finds a
//! release build when there is no debug build).

use std::process::Command;

// ---- the README's Rust example, verbatim ----
use serde_json::{Value, json};
use zoho_sharing_mock::MockServer;

#[tokio::test]
async fn share_a_lead_with_two_users() {
    let mock = MockServer::start().await; // embedded sandbox, ephemeral port
    let client = reqwest::Client::new();
    let url = format!(
        "{}/crm/v8/Leads/4150868000001148212/actions/share",
        mock.base_url()
    );

    // Freeze the mock's clock so shared_time is exact.
    client
        .put(format!("{}/__admin/clock", mock.base_url()))
        .json(&json!({"now": "2026-11-21T09:30:00+00:00"}))
        .send()
        .await
        .unwrap();

    let answer = client
        .post(&url)
        .header("Authorization", "Zoho-oauthtoken 1000.sandbox.admin")
        .body(r#"{"share":[{"type":"private","permission":"read_only","shared_with":{"type":"users","id":"4150868000001199001"}},
                           {"type":"private","permission":"read_write","shared_with":{"type":"users","id":"4150868000001199002"}}]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);

    let shares: Value = client
        .get(&url)
        .header("Authorization", "Zoho-oauthtoken 1000.sandbox.admin")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        shares["share"][0]["shared_time"],
        "2026-11-21T09:30:00+00:00"
    );
    assert_eq!(shares["share"].as_array().unwrap().len(), 2);
} // dropping `mock` shuts the server down
// ---- end of the README's Rust example ----

/// The example finds the release build when there is no debug build: a copy of the example in
/// a tree whose only binary is `target/release/zoho-sharing-mock`, without `ZOHO_MOCK_BIN`.
#[cfg(unix)]
#[test]
fn python_example_finds_the_release_build_without_a_debug_build() {
    if std::env::var_os("ZOHO_MOCK_SKIP_PYTHON_EXAMPLE").is_some() {
        return;
    }
    let root = std::env::temp_dir().join(format!("zoho-mock-example-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("examples/python")).unwrap();
    std::fs::create_dir_all(root.join("target/release")).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/python/test_with_mock.py"
        ),
        root.join("examples/python/test_with_mock.py"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_zoho-sharing-mock"),
        root.join("target/release/zoho-sharing-mock"),
    )
    .unwrap();
    // From another directory: the example finds the binary from its own place.
    let output = Command::new("python3")
        .arg(root.join("examples/python/test_with_mock.py"))
        .current_dir(root.join("examples"))
        .env_remove("ZOHO_MOCK_BIN")
        .output()
        .expect("python3 runs the example");
    let _ = std::fs::remove_dir_all(&root);
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn python_example_passes() {
    if std::env::var_os("ZOHO_MOCK_SKIP_PYTHON_EXAMPLE").is_some() {
        return;
    }
    let output = Command::new("python3")
        .arg("examples/python/test_with_mock.py")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ZOHO_MOCK_BIN", env!("CARGO_BIN_EXE_zoho-sharing-mock"))
        .output()
        .expect(
            "python3 runs the README's Python example \
             (set ZOHO_MOCK_SKIP_PYTHON_EXAMPLE=1 on a machine without python3)",
        );
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

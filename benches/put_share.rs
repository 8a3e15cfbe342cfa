//! PUT share (two users, JSON body) over HTTP: the mock against a bare axum handler that parses
//! the same body with serde_json and returns a fixed JSON answer. Same clients, concurrency and
//! request count for every target; prints requests/s and the ratio (target: >= 0.85).
//!
//! `cargo bench --bench put_share` (release). Not a test: nothing here asserts a timing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::put;
use zoho_sharing_mock::MockServer;

/// The allocator the binary ships with (src/main.rs), for both the mock and the baseline.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PATH: &str = "/crm/v8/Leads/4150868000001148212/actions/share";
const TOKEN: &str = "Zoho-oauthtoken 1000.sandbox.admin";
const BODY: &str = r#"{"share":[{"type":"private","permission":"read_only","share_related_records":false,"shared_with":{"type":"users","id":"4150868000001199001"}},{"type":"private","permission":"read_write","share_related_records":true,"shared_with":{"type":"users","id":"4150868000001199002"}}],"notify":false}"#;
const ANSWER: &str = r#"{"share":[{"code":"SUCCESS","details":{},"message":"record will be shared successfully","status":"success"},{"code":"SUCCESS","details":{},"message":"record will be shared successfully","status":"success"}]}"#;

const CLIENTS: usize = 16;
const WARM_UP: usize = 2_000;
const REQUESTS: usize = 20_000;
const ROUNDS: usize = 5;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let mock = MockServer::start().await;
    let quiet = MockServer::builder()
        .journal_size(0)
        .start()
        .await
        .expect("the mock starts");
    let bare = start_bare().await;
    let targets = [
        ("bare axum handler", format!("{bare}{PATH}")),
        ("mock (journal on)", format!("{}{PATH}", mock.base_url())),
        (
            "mock (journal_size 0)",
            format!("{}{PATH}", quiet.base_url()),
        ),
    ];
    let clients: Vec<reqwest::Client> = (0..CLIENTS)
        .map(|_| {
            reqwest::Client::builder()
                .no_proxy()
                .pool_max_idle_per_host(1)
                .build()
                .expect("a client")
        })
        .collect();

    let mut rates = vec![Vec::new(); targets.len()];
    for (_, url) in &targets {
        drive(&clients, url, WARM_UP).await;
    }
    for _ in 0..ROUNDS {
        for (i, (_, url)) in targets.iter().enumerate() {
            let started = Instant::now();
            drive(&clients, url, REQUESTS).await;
            rates[i].push(per_second(REQUESTS, started.elapsed()));
        }
    }
    println!(
        "PUT share, {CLIENTS} keep-alive clients, {REQUESTS} requests x {ROUNDS} rounds (median):"
    );
    let medians: Vec<f64> = rates.iter_mut().map(|r| median(r)).collect();
    for ((name, _), rate) in targets.iter().zip(&medians) {
        println!(
            "  {name:<24} {rate:>10.0} req/s  ({:.2}x bare)",
            rate / medians[0]
        );
    }
}

/// A bare handler doing the same JSON work as the endpoint's cheapest part.
async fn start_bare() -> String {
    async fn handler(body: Bytes) -> impl IntoResponse {
        let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        std::hint::black_box(parsed);
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
            ANSWER,
        )
    }
    let app = Router::new().route(
        "/crm/{version}/{module}/{record_id}/actions/share",
        put(handler),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// Sends `total` PUTs spread over the clients, each client one request at a time.
async fn drive(clients: &[reqwest::Client], url: &str, total: usize) {
    let issued = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = clients
        .iter()
        .cloned()
        .map(|client| {
            let issued = issued.clone();
            let url = url.to_owned();
            tokio::spawn(async move {
                while issued.fetch_add(1, Ordering::Relaxed) < total {
                    let reply = client
                        .put(&url)
                        .header("Authorization", TOKEN)
                        .body(BODY)
                        .send()
                        .await
                        .expect("an answer");
                    assert_eq!(reply.status(), 200);
                    reply.bytes().await.expect("a body");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("the client finishes");
    }
}

fn per_second(requests: usize, elapsed: Duration) -> f64 {
    requests as f64 / elapsed.as_secs_f64()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

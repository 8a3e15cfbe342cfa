//! Many simultaneous POST and PUT share requests on one record, each from its own client: the
//! 10-user limit holds at every instant, and the final share set is exactly what the
//! acknowledged answers imply (no lost update, no phantom share).

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};
use support::*;
use tokio::sync::Barrier;

/// Owned by Patricia, not shared in the sandbox.
const URL: &str = "/crm/v8/Leads/4150868000001148212/actions/share";
const EXTRA_USERS: u64 = 160;

/// The id of the `n`-th user added to the sandbox for this test.
fn crowd(n: u64) -> String {
    (4_150_868_000_002_000_000 + n).to_string()
}

/// The sandbox plus `EXTRA_USERS` active Standard users.
async fn crowded_server() -> TestServer {
    let server = TestServer::start().await;
    let mut state = server.state().await;
    let users = state["orgs"][0]["users"].as_array_mut().expect("users");
    for n in 0..EXTRA_USERS {
        users.push(json!({
            "id": crowd(n), "email": format!("crowd{n}@zylker.com"), "full_name": format!("Crowd {n}"),
            "role": "4150868000000026007", "profile": "Standard", "status": "active"
        }));
    }
    let reply = server.admin("PUT", "/__admin/state", Some(state)).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    server
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Post,
    Put,
}

/// Sends every `(op, user)` at once, each from a fresh client, and returns the answers in the
/// same order.
async fn race(server: &TestServer, ops: Vec<(Op, String)>) -> Vec<(Op, String, u16, Value)> {
    let barrier = Arc::new(Barrier::new(ops.len()));
    let url = server.url(URL);
    let tasks: Vec<_> = ops
        .into_iter()
        .map(|(op, user)| {
            let barrier = barrier.clone();
            let url = url.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .no_proxy()
                    .build()
                    .expect("a client");
                let body = json!({"share": [{"type": "private", "permission": "read_only",
                                             "shared_with": {"type": "users", "id": user}}]});
                let request = match op {
                    Op::Post => client.post(&url),
                    Op::Put => client.put(&url),
                };
                let request = request
                    .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
                    .body(body.to_string());
                barrier.wait().await;
                let reply = Reply::from(request.send().await.expect("an answer")).await;
                (op, user, reply.status, reply.json())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("the task finishes"));
    }
    answers
}

/// The users the record is shared with now.
async fn shared_users(server: &TestServer) -> BTreeSet<String> {
    let reply = server.get(URL, ADMIN_TOKEN).await;
    if reply.status == 204 {
        return BTreeSet::new();
    }
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["share"]
        .as_array()
        .expect("shares")
        .iter()
        .map(|s| s["shared_with"]["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn limit_exceeded() -> Value {
    json!({"code": "LIMIT_EXCEEDED", "details": {}, "message": "The record sharing limit has been reached", "status": "error"})
}

/// Every answer is a documented success or, for POST, the documented limit error.
fn acknowledged(answers: &[(Op, String, u16, Value)], op: Op) -> BTreeSet<String> {
    let mut acked = BTreeSet::new();
    for (answer_op, user, status, body) in answers.iter().filter(|a| a.0 == op) {
        match (answer_op, status) {
            (Op::Post, 201) | (Op::Put, 200) => {
                assert_eq!(body["share"][0]["code"], "SUCCESS");
                acked.insert(user.clone());
            }
            (Op::Post, 403) => assert_eq!(body, &limit_exceeded()),
            other => panic!("unexpected answer {other:?}: {body}"),
        }
    }
    acked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_posts_fill_the_record_to_exactly_ten_users_without_losing_one() {
    let server = crowded_server().await;
    let ops = (0..64).map(|n| (Op::Post, crowd(n))).collect();
    let answers = race(&server, ops).await;
    let acked = acknowledged(&answers, Op::Post);
    assert_eq!(acked.len(), 10, "exactly ten POSTs fit under the limit");
    assert_eq!(
        shared_users(&server).await,
        acked,
        "every acknowledged POST is stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_posts_and_puts_keep_the_limit_and_every_acknowledged_change() {
    let server = crowded_server().await;
    // 48 POSTs of distinct users mixed with 16 PUTs, PUT k replacing everything with user x_k.
    let mut ops: Vec<(Op, String)> = (0..48).map(|n| (Op::Post, crowd(n))).collect();
    for k in 0..16 {
        ops.insert(k * 4, (Op::Put, crowd(100 + k as u64)));
    }
    let put_users: BTreeSet<String> = (100..116).map(crowd).collect();

    let watching = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let watcher = {
        let watching = watching.clone();
        let url = server.url(URL);
        tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("a client");
            let mut seen = 0;
            while watching.load(std::sync::atomic::Ordering::SeqCst) || seen == 0 {
                let reply = client
                    .get(&url)
                    .header("Authorization", format!("Zoho-oauthtoken {ADMIN_TOKEN}"))
                    .send()
                    .await
                    .expect("an answer");
                if reply.status() == 200 {
                    let body: Value = reply.json().await.expect("JSON");
                    let count = body["share"].as_array().map_or(0, Vec::len);
                    assert!(count <= 10, "never more than 10 users: {body}");
                }
                seen += 1;
            }
        })
    };
    let answers = race(&server, ops).await;
    watching.store(false, std::sync::atomic::Ordering::SeqCst);
    watcher.await.expect("the watcher saw the limit hold");

    let acked_posts = acknowledged(&answers, Op::Post);
    let acked_puts = acknowledged(&answers, Op::Put);
    assert_eq!(acked_puts, put_users, "every PUT succeeds");
    let after_race = shared_users(&server).await;
    assert!(after_race.len() <= 10);
    let last_put: Vec<&String> = after_race.intersection(&put_users).collect();
    assert_eq!(
        last_put.len(),
        1,
        "exactly the last PUT's user remains: {after_race:?}"
    );
    let rest: BTreeSet<String> = after_race
        .iter()
        .filter(|u| !put_users.contains(*u))
        .cloned()
        .collect();
    assert!(
        rest.is_subset(&acked_posts),
        "no share without an acknowledged POST: {rest:?}"
    );

    // Every PUT is acknowledged now, so these POSTs all come after the last one.
    let ops = (48..64).map(|n| (Op::Post, crowd(n))).collect();
    let answers = race(&server, ops).await;
    let late = acknowledged(&answers, Op::Post);
    assert_eq!(
        late.len(),
        10 - after_race.len(),
        "the late POSTs fill exactly the free places"
    );
    let expected: BTreeSet<String> = after_race.union(&late).cloned().collect();
    assert_eq!(
        shared_users(&server).await,
        expected,
        "no acknowledged change is lost"
    );
}

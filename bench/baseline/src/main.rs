//! The bare axum baseline of the out-of-process benchmark (`bench/run.py`): the least work a
//! server on the same stack can do for the mock's benchmarked calls. Each handler extracts what
//! the mock's handler extracts (path parameters, the `Authorization` value, the body parsed into
//! the shape the mock checks) and answers a fixed body, byte for byte the mock's answer to the
//! benchmark's request on the embedded sandbox, so both send the same bytes.
//!
//! Same runtime (`#[tokio::main]`, as many workers as the CPUs it may run on), same allocator
//! (mimalloc), same `axum::serve` and the same release profile as the mock's binary. No log line:
//! that is part of the mock's cost being measured.
//!
//! `bench-baseline [--host 127.0.0.1] [--port 8080]`; the first stdout line is
//! `listening on http://HOST:PORT`, as the mock's is. SIGINT/SIGTERM stop it with exit code 0, so
//! tools that report at exit (valgrind) see a normal exit.

use std::borrow::Cow;
use std::hint::black_box;
use std::io::Write;
use std::process::ExitCode;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The mock's answer to a one-user `PUT .../actions/share`.
const SHARED: &str = r#"{"share":[{"code":"SUCCESS","details":{},"message":"record will be shared successfully","status":"success"}]}"#;
/// The mock's answer to `GET /crm/v8/Contacts/4150868000001148230/actions/share` on the sandbox.
const SHARED_DETAILS: &str = r#"{"share":[{"permission":"read_only","share_related_records":false,"shared_by":{"id":"4150868000001174048","name":"Patricia Boyle","zuid":"701174048"},"shared_through":{"id":"4150868000001148230","module":{"id":"3602353000000000129","name":"Contacts"},"name":"Rahul Iyer"},"shared_time":"2026-11-20T10:00:00+00:00","shared_with":{"id":"4150868000001199001","name":"Amelia Burrows","type":"users","zuid":"701199001"},"type":"private"}]}"#;
/// The mock's answer to the rules summary on the sandbox.
const RULES_SUMMARY: &str = include_str!("rules_summary.json");
/// The mock's answer to v1 GETSHAREINFO on the sandbox's Sales Analytics.
const SHARE_INFO: &str = r#"{"response":{"uri":"\/api\/patricia@zylker.com\/Sales Analytics","action":"GETSHAREINFO","result":{"usershareinfo":[{"shareinfo":{"email":"amelia@zylker.com","permissions":[]}}],"groupshareinfo":[],"publicshareinfo":{},"privatelinkshareinfo":{},"dbownershareinfo":{"dbowners":["amelia@zylker.com"]}}}}"#;
const BAD_REQUEST: &str =
    r#"{"code":"INVALID_DATA","details":{},"message":"invalid data","status":"error"}"#;

/// The PUT body, in the shape the mock's share checks read: borrowed strings where the JSON
/// text allows, no `serde_json::Value` tree.
#[derive(Deserialize)]
struct ShareBody<'a> {
    #[serde(borrow)]
    share: Vec<ShareItem<'a>>,
    notify: Option<bool>,
    notify_shared_members: Option<bool>,
    notify_on_completion: Option<bool>,
}

#[derive(Deserialize)]
struct ShareItem<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    permission: Option<Cow<'a, str>>,
    share_related_records: Option<bool>,
    #[serde(borrow)]
    shared_with: Option<Target<'a>>,
    #[serde(borrow)]
    user: Option<Target<'a>>,
}

#[derive(Deserialize)]
struct Target<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
}

fn json(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body,
    )
        .into_response()
}

/// The token the mock would look up; the baseline only reads it.
fn token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Zoho-oauthtoken ")
}

async fn put_share(
    Path((version, module, record_id)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    black_box((token(&headers), &version, &module, &record_id));
    let Ok(text) = std::str::from_utf8(&body) else {
        return json(StatusCode::BAD_REQUEST, BAD_REQUEST);
    };
    match serde_json::from_str::<ShareBody<'_>>(text) {
        Ok(parsed) => {
            for item in &parsed.share {
                black_box((
                    &item.kind,
                    &item.permission,
                    item.share_related_records,
                    item.shared_with.as_ref().map(|t| (&t.kind, &t.id)),
                    item.user.as_ref().map(|t| (&t.kind, &t.id)),
                ));
            }
            black_box((
                parsed.notify,
                parsed.notify_shared_members,
                parsed.notify_on_completion,
            ));
            json(StatusCode::OK, SHARED)
        }
        Err(_) => json(StatusCode::BAD_REQUEST, BAD_REQUEST),
    }
}

async fn get_shared_details(
    Path((version, module, record_id)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    black_box((token(&headers), &version, &module, &record_id, &query));
    json(StatusCode::OK, SHARED_DETAILS)
}

async fn rules_summary(
    Path(version): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    black_box((token(&headers), &version, &query));
    json(StatusCode::OK, RULES_SUMMARY)
}

/// Analytics v1: the parameters are merged from the query string and the urlencoded body.
async fn analytics_v1(
    Path((owner_email, workspace)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    black_box((token(&headers), &owner_email, &workspace));
    let from_query = form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes());
    let params: Vec<(Cow<'_, str>, Cow<'_, str>)> =
        from_query.chain(form_urlencoded::parse(&body)).collect();
    let action = params
        .iter()
        .find(|(name, _)| name == "ZOHO_ACTION")
        .map(|(_, value)| value.as_ref());
    if action == Some("GETSHAREINFO") {
        black_box(&params);
        json(StatusCode::OK, SHARE_INFO)
    } else {
        json(StatusCode::BAD_REQUEST, BAD_REQUEST)
    }
}

fn app() -> Router {
    Router::new()
        .route(
            "/crm/{version}/{module}/{record_id}/actions/share",
            get(get_shared_details).put(put_share),
        )
        .route(
            "/crm/{version}/settings/data_sharing/rules/actions/summary",
            get(rules_summary),
        )
        .route("/api/{owner_email}/{workspace}", post(analytics_v1))
}

/// `--host H` and `--port P`, nothing else.
fn address() -> Result<String, String> {
    let (mut host, mut port) = ("127.0.0.1".to_owned(), "8080".to_owned());
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--host" => host = value,
            "--port" => port = value,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(format!("{host}:{port}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let address = match address() {
        Ok(address) => address,
        Err(err) => {
            eprintln!("bench-baseline: {err}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("bench-baseline: cannot bind {address}: {err}");
            return ExitCode::from(2);
        }
    };
    let local = match listener.local_addr() {
        Ok(local) => local,
        Err(err) => {
            eprintln!("bench-baseline: no local address: {err}");
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on http://{local}");
    let _ = stdout.flush();
    let served = axum::serve(listener, app())
        .with_graceful_shutdown(shutdown_signal())
        .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench-baseline: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

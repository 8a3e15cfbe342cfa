//! The `healthcheck` subcommand: the Docker image's HEALTHCHECK, so the image needs no curl.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// True when `base_url` answers `GET /__admin/health` with 200 within five seconds.
pub async fn check(base_url: &str) -> bool {
    let url = format!("{}/__admin/health", base_url.trim_end_matches('/'));
    let Ok(uri) = url.parse::<Uri>() else {
        eprintln!("healthcheck: {base_url:?} is not a URL");
        return false;
    };
    let client = Client::builder(TokioExecutor::new()).build_http::<Body>();
    let Ok(request) = Request::get(uri).body(Body::empty()) else {
        return false;
    };
    match tokio::time::timeout(Duration::from_secs(5), client.request(request)).await {
        Ok(Ok(response)) if response.status() == StatusCode::OK => true,
        Ok(Ok(response)) => {
            eprintln!("healthcheck: {url} answered {}", response.status());
            false
        }
        Ok(Err(err)) => {
            eprintln!("healthcheck: {url}: {err}");
            false
        }
        Err(_) => {
            eprintln!("healthcheck: {url} did not answer within 5 s");
            false
        }
    }
}

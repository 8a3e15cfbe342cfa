//! The `healthcheck` subcommand (DESIGN §1): the Docker image's HEALTHCHECK, so the image needs
//! no curl. Without a URL it checks the address the server itself would bind, so a container
//! started with another `ZOHO_MOCK_PORT` is still checked on the right port.

use std::time::Duration;

use axum::http::{Request, StatusCode, Uri, header};
use bytes::Bytes;
use http_body_util::Empty;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Docker's own HEALTHCHECK timeout is longer, so a slow answer is reported by us, with a cause,
/// rather than killed by Docker without one.
const TIMEOUT: Duration = Duration::from_secs(2);

/// The base URL that reaches a server bound to `host:port`: an unspecified address (`0.0.0.0`,
/// `::`) accepts connections on loopback, and an IPv6 literal needs brackets in a URL.
pub fn local_url(host: &str, port: u16) -> String {
    let host = match host.trim_start_matches('[').trim_end_matches(']') {
        "0.0.0.0" | "" => "127.0.0.1",
        "::" => "::1",
        other => other,
    };
    if host.contains(':') {
        format!("http://[{host}]:{port}")
    } else {
        format!("http://{host}:{port}")
    }
}

/// `Ok` when `base_url` answers `GET /__admin/health` with 200 within two seconds; otherwise the
/// one line to print, naming the URL and the cause.
pub async fn check(base_url: &str) -> Result<(), String> {
    let url = format!("{}/__admin/health", base_url.trim_end_matches('/'));
    let uri = match url.parse::<Uri>() {
        Ok(uri) if uri.scheme_str() == Some("http") && uri.host().is_some() => uri,
        _ => return Err(format!("healthcheck: {base_url:?} is not an http:// URL")),
    };
    match tokio::time::timeout(TIMEOUT, probe(&uri)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(cause)) => Err(format!("healthcheck: {url}: {cause}")),
        Err(_) => Err(format!(
            "healthcheck: {url}: timed out after {} s",
            TIMEOUT.as_secs()
        )),
    }
}

/// One request on one connection, each failure turned into the words an operator would search
/// for: `connection refused`, `HTTP 503`, or the transport's own message.
async fn probe(uri: &Uri) -> Result<(), String> {
    let host = uri
        .host()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(80);
    let stream = TcpStream::connect((host, port))
        .await
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
            _ => err.to_string(),
        })?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|err| err.to_string())?;
    tokio::spawn(connection);
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or(host);
    let request = Request::get(uri.path())
        .header(header::HOST, authority)
        .body(Empty::<Bytes>::new())
        .map_err(|err| err.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|err| err.to_string())?;
    match response.status() {
        StatusCode::OK => Ok(()),
        status => Err(format!("HTTP {}", status.as_u16())),
    }
}

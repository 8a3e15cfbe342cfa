//! Admin requests from web pages. The admin API has no credentials by default, and a page in
//! the developer's browser can reach `127.0.0.1`: by DNS rebinding (its own name resolving to
//! the mock, so its `Host` is that name) it could read the state, tokens included, and by a
//! cross-origin form or `fetch` it could change the mock. So every admin request but health
//! must name the mock in its `Host` (a loopback name or address, the bind address, a TLS name
//! or an `--admin-host` name), and a request that changes state is refused when its `Origin` is
//! another host's, or when its body type is other than JSON (HTML forms and simple `fetch` calls
//! send `text/plain`, form or multipart bodies, which need no CORS preflight; a JSON body does).
//! Every admin body is JSON, so a client names it (`curl -H 'Content-Type: application/json'`);
//! a request without a `Content-Type` (no body, or a client that sends none) is answered.

use std::net::IpAddr;

use axum::http::{HeaderMap, Method, StatusCode, Uri, header};

use crate::app_state::AppState;

use super::error::AdminError;

/// `host[:port]`, `[v6]:port`, `v6` or a name, lower-cased, without port, brackets or a final
/// dot.
pub fn bare_host(authority: &str) -> String {
    let authority = authority.trim();
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else if authority.matches(':').count() == 1 {
        authority.split(':').next().unwrap_or_default()
    } else {
        authority
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn is_allowed(app: &AppState, host: &str) -> bool {
    is_loopback(host) || app.settings.admin_hosts.iter().any(|name| name == host)
}

/// `Some(refusal)` for an admin request a web page may have sent (module doc); health is
/// always answered.
pub fn check(
    app: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Option<AdminError> {
    if uri.path() == "/__admin/health" {
        return None;
    }
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST).or_else(|| uri.authority().map(|a| a.as_str()));
    if let Some(host) = host
        && !is_allowed(app, &bare_host(host))
    {
        return Some(forbidden(format!(
            "the admin API answers only under a loopback name or address, the --host address, a --tls-name or an --admin-host name, and Host {host} is none of them"
        )));
    }
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let origin = headers.get(header::ORIGIN);
    if let Some(origin) = origin {
        let shown = String::from_utf8_lossy(origin.as_bytes());
        let host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, authority)| bare_host(authority));
        if !host.is_some_and(|host| is_allowed(app, &host)) {
            return Some(forbidden(format!(
                "admin requests that change state are refused from a web page of another origin (Origin {shown}); name its host with --admin-host to allow it"
            )));
        }
    }
    if let Some(content_type) = text(header::CONTENT_TYPE) {
        let media = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if media != "application/json" && !media.ends_with("+json") {
            return Some(forbidden(format!(
                "admin requests that change state take a JSON body: Content-Type {content_type} is refused, send application/json"
            )));
        }
    }
    None
}

fn forbidden(message: String) -> AdminError {
    AdminError {
        status: StatusCode::FORBIDDEN,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_port_brackets_case_and_final_dot() {
        assert_eq!(bare_host("LocalHost:8080"), "localhost");
        assert_eq!(bare_host("[::1]:8080"), "::1");
        assert_eq!(bare_host("::1"), "::1");
        assert_eq!(bare_host("127.0.0.1"), "127.0.0.1");
        assert_eq!(bare_host("mock.internal.:9"), "mock.internal");
        assert!(is_loopback("127.0.0.2"));
        assert!(is_loopback("app.localhost"));
        assert!(!is_loopback("evil.example"));
        assert!(!is_loopback("localhost.evil.example"));
    }
}

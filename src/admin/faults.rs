//! `POST`, `GET`, `DELETE /__admin/faults` and `DELETE /__admin/faults/{id}`.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::app_state::AppState;
use crate::family::Family;
use crate::faults::{Fault, FaultCode};
use crate::response;

use super::body::AdminBody;
use super::error::AdminError;
use super::path::AdminPath;

/// Faults match the path alone (DESIGN §5), so a `?` would make a fault that never applies.
const QUERY_IN_PATH: &str = "a fault path matches the path only; query strings are not matched";

const KEYS: [&str; 8] = [
    "method", "path", "org", "status", "code", "message", "delay_ms", "times",
];

pub async fn add_fault(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    let value: Value = body.parse()?;
    let fault = parse_fault(value)?;
    let id = app.faults.add(fault);
    Ok(response::json(StatusCode::CREATED, &json!({"id": id})))
}

fn parse_fault(value: Value) -> Result<Fault, AdminError> {
    let Value::Object(object) = value else {
        return Err(AdminError::bad_request("$: expected a JSON object"));
    };
    if let Some(key) = object.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(AdminError::bad_request(format!("$.{key}: unknown field")));
    }
    let bad = |key: &str, expected: &str| {
        AdminError::bad_request(format!("$.{key}: expected {expected}"))
    };
    let string = |key: &str| -> Result<Option<String>, AdminError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(bad(key, "a string")),
        }
    };
    let integer = |key: &str, min: u64, max: u64| -> Result<Option<u64>, AdminError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .filter(|n| (min..=max).contains(n))
                .map(Some)
                .ok_or_else(|| bad(key, &format!("an integer from {min} to {max}"))),
            Some(_) => Err(bad(key, "an integer")),
        }
    };
    // A method name in any case (stored upper-case, as requests carry it), or `*`; absent
    // means any method.
    let method = match string("method")? {
        None => "*".to_owned(),
        Some(given) => {
            let upper = given.to_ascii_uppercase();
            if upper != "*" && (upper.is_empty() || Method::from_bytes(upper.as_bytes()).is_err()) {
                return Err(bad("method", "a method name or \"*\""));
            }
            upper
        }
    };
    let path = string("path")?.ok_or_else(|| bad("path", "a path glob starting with /"))?;
    if path.contains('?') {
        return Err(AdminError::bad_request(QUERY_IN_PATH));
    }
    if !path.starts_with('/') {
        return Err(bad("path", "a path glob starting with /"));
    }
    let status = integer("status", 400, 599)?
        .map(|s| StatusCode::from_u16(u16::try_from(s).unwrap_or(500)))
        .transpose()
        .map_err(|_| bad("status", "an HTTP status from 400 to 599"))?;
    let analytics = matches!(Family::of(&path), Family::Analytics | Family::AnalyticsV2);
    let code = match object.get("code") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) if analytics => Some(FaultCode::Number(
            text.parse()
                .map_err(|_| bad("code", "an Analytics error number"))?,
        )),
        Some(Value::String(text)) if !text.is_empty() => Some(FaultCode::Text(text.clone())),
        Some(Value::Number(n)) => Some(FaultCode::Number(
            n.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| bad("code", "a code string or number"))?,
        )),
        Some(_) => return Err(bad("code", "a code string or number")),
    };
    Ok(Fault {
        id: 0,
        method,
        path,
        org: string("org")?,
        status,
        code,
        message: string("message")?,
        delay_ms: integer("delay_ms", 0, u64::MAX)?.unwrap_or(0),
        remaining: integer("times", 1, u64::MAX)?,
        as_added: object.clone().into_iter().collect::<Map<String, Value>>(),
    })
}

pub async fn list_faults(State(app): State<AppState>) -> Response {
    response::json(StatusCode::OK, &json!({"faults": app.faults.list()}))
}

pub async fn clear_faults(State(app): State<AppState>) -> Response {
    app.faults.clear();
    response::no_content()
}

pub async fn remove_fault(
    State(app): State<AppState>,
    AdminPath(id): AdminPath,
) -> Result<Response, AdminError> {
    match id.parse::<u64>() {
        Ok(n) if app.faults.remove(n) => Ok(response::no_content()),
        _ => Err(AdminError::not_found(format!("no fault with id {id:?}"))),
    }
}

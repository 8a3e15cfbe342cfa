//! `GET` and `DELETE /__admin/requests` (the request journal) and `POST /__admin/requests/count`
//! and `/find` (verifying it with a matcher).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app_state::AppState;
use crate::journal::{Filter, Matcher};
use crate::response;

use super::body::AdminBody;
use super::error::AdminError;

#[derive(Deserialize)]
pub struct RequestFilter {
    method: Option<String>,
    path: Option<String>,
    org: Option<String>,
    status: Option<String>,
    limit: Option<String>,
}

/// With `--journal-size 0` nothing is recorded; reads say so rather than answer an empty
/// journal that a test would take for "no request was made".
fn journal_on(app: &AppState) -> Result<(), AdminError> {
    if app.journal.is_enabled() {
        Ok(())
    } else {
        Err(AdminError::conflict(
            "the journal is off (--journal-size 0)",
        ))
    }
}

pub async fn list_requests(
    State(app): State<AppState>,
    query: Result<Query<RequestFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AdminError> {
    journal_on(&app)?;
    let Query(query) = query.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let non_empty = |v: Option<String>| v.filter(|s| !s.is_empty());
    let status = match non_empty(query.status) {
        Some(text) => Some(text.parse::<u16>().map_err(|_| {
            AdminError::bad_request(format!("status: {text:?} is not an HTTP status"))
        })?),
        None => None,
    };
    let limit = match non_empty(query.limit) {
        Some(text) => Some(text.parse::<usize>().map_err(|_| {
            AdminError::bad_request(format!("limit: {text:?} is not an integer >= 0"))
        })?),
        None => None,
    };
    let filter = Filter {
        method: non_empty(query.method),
        path: non_empty(query.path),
        org: non_empty(query.org),
        status,
        limit,
    };
    Ok(journal_answer(app.journal.entries(&filter)))
}

pub async fn clear_requests(State(app): State<AppState>) -> Response {
    app.journal.clear();
    response::no_content()
}

pub async fn count_requests(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    journal_on(&app)?;
    let matcher = matcher_of(&body)?;
    Ok(response::json(
        StatusCode::OK,
        &json!({"count": app.journal.count(&matcher)}),
    ))
}

pub async fn find_requests(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    journal_on(&app)?;
    let matcher = matcher_of(&body)?;
    Ok(journal_answer(app.journal.found(&matcher)))
}

/// `200 {"requests":[...]}`, streamed entry by entry (a full journal is many megabytes).
fn journal_answer(entries: Vec<(u64, crate::journal::Entry)>) -> Response {
    let mut answer = Response::new(crate::journal::stream_requests(entries));
    answer.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(response::JSON_CONTENT_TYPE),
    );
    answer
}

const MATCHER_KEYS: [&str; 6] = ["method", "path", "org", "status", "query", "body"];

/// The matcher of a count or find body; an empty body is `{}`, which matches every entry.
fn matcher_of(body: &AdminBody) -> Result<Matcher, AdminError> {
    if body.is_blank() {
        return Ok(Matcher::default());
    }
    parse_matcher(body.parse()?)
}

/// `{"method"?,"path"?,"org"?,"status"?,"query"?,"body"?}`. A `null` method, path, org,
/// status or query is the same as an absent one; a `null` body is a value like any other (it
/// matches a request without a body).
fn parse_matcher(value: Value) -> Result<Matcher, AdminError> {
    let Value::Object(object) = value else {
        return Err(AdminError::bad_request("$: expected a JSON object"));
    };
    if let Some(key) = object.keys().find(|k| !MATCHER_KEYS.contains(&k.as_str())) {
        return Err(AdminError::bad_request(format!(
            "$.{key}: unknown field, expected one of method, path, org, status, query, body"
        )));
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
    let status = match object.get("status") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .ok_or_else(|| bad("status", "an HTTP status (an integer)"))?,
        ),
        Some(_) => return Err(bad("status", "an HTTP status (an integer)")),
    };
    let query = match object.get("query") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(pairs)) => pairs
            .iter()
            .map(|(name, value)| match value {
                Value::String(text) => Ok((name.clone(), text.clone())),
                _ => Err(bad(&format!("query.{name}"), "a string")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad("query", "an object of parameter names to values")),
    };
    Ok(Matcher {
        method: string("method")?,
        path: string("path")?,
        org: string("org")?,
        status,
        query,
        body: object.get("body").cloned(),
    })
}

//! `GET` and `PUT /__admin/clock`: freeze the mock's clock at an instant, advance it, or
//! return it to real time.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::app_state::AppState;
use crate::clock::{OutOfRange, Timestamp};
use crate::response;

use super::body::AdminBody;
use super::error::AdminError;

pub async fn get_clock(State(app): State<AppState>) -> Response {
    clock_body(&app)
}

fn clock_body(app: &AppState) -> Response {
    response::json(
        StatusCode::OK,
        &json!({"now": app.clock.now().to_iso(), "frozen": app.clock.is_frozen()}),
    )
}

/// Exactly one of `{"now": "<ISO 8601 with offset>"}`, `{"advance_s": N}`, `{"now": null}`.
pub async fn set_clock(
    State(app): State<AppState>,
    body: AdminBody,
) -> Result<Response, AdminError> {
    let value: Value = body.parse()?;
    let usage = "expected exactly one of {\"now\": \"<ISO 8601 with offset>\"}, {\"advance_s\": N} or {\"now\": null}";
    let object = value
        .as_object()
        .filter(|o| o.len() == 1)
        .ok_or_else(|| AdminError::bad_request(usage))?;
    match object.iter().next() {
        Some((key, Value::Null)) if key == "now" => app.clock.reset_to_real_time(),
        Some((key, Value::String(text))) if key == "now" => {
            let at = Timestamp::parse_iso(text).ok_or_else(|| {
                // Parsed, but in a year RFC 3339 cannot write (UTC): out of range too.
                if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
                    out_of_range(text)
                } else {
                    AdminError::bad_request(format!(
                        "$.now: {text:?} is not ISO 8601 with an offset"
                    ))
                }
            })?;
            app.clock.freeze_at(at).map_err(|_| out_of_range(text))?;
        }
        Some((key, Value::Number(n))) if key == "advance_s" => {
            let seconds = n
                .as_u64()
                .ok_or_else(|| AdminError::bad_request("$.advance_s: expected an integer >= 0"))?;
            seconds
                .checked_mul(1000)
                .ok_or(OutOfRange)
                .and_then(|ms| app.clock.advance(ms))
                .map_err(|_| {
                    AdminError::bad_request(format!(
                        "$.advance_s: the clock would pass {}, the latest instant it can reach",
                        Timestamp::LATEST.to_iso()
                    ))
                })?;
        }
        _ => return Err(AdminError::bad_request(usage)),
    }
    Ok(clock_body(&app))
}

fn out_of_range(text: &str) -> AdminError {
    AdminError::bad_request(format!(
        "$.now: {text:?} is outside the range: the mock's clock stands between {} and {}",
        Timestamp::EPOCH.to_iso(),
        Timestamp::LATEST.to_iso()
    ))
}

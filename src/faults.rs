//! The fault registry: rules added through `/__admin/faults` that delay a matching request or
//! answer it with an error (spec auth-and-errors.md §9). Faults apply before any other check,
//! have their own lock, and the oldest matching fault wins. Each API family renders the answer
//! of a fault in its own envelope (`fault_response` in the family's error module).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{Method, StatusCode};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

/// A fault's `code`: CRM and OAuth codes are strings, Analytics codes numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultCode {
    Text(String),
    Number(u32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub id: u64,
    /// The fault as added, echoed by `GET /__admin/faults`.
    pub as_added: Map<String, Value>,
    /// Upper-case method, or `*` for any.
    pub method: String,
    /// Glob over the percent-decoded path; `*` matches exactly one segment.
    pub path: String,
    pub org: Option<String>,
    pub status: Option<StatusCode>,
    pub code: Option<FaultCode>,
    pub message: Option<String>,
    pub delay_ms: u64,
    /// `None` until removed.
    pub remaining: Option<u64>,
}

impl Fault {
    fn matches(&self, method: &Method, path: &str, org: Option<&str>) -> bool {
        (self.method == "*" || self.method == method.as_str())
            && glob_matches(&self.path, path)
            && self.org.as_deref().is_none_or(|wanted| org == Some(wanted))
    }

    pub fn to_json(&self) -> Value {
        let mut object = self.as_added.clone();
        object.insert("id".into(), Value::from(self.id));
        object.insert(
            "remaining".into(),
            self.remaining.map_or(Value::Null, Value::from),
        );
        Value::Object(object)
    }
}

/// `*` matches exactly one path segment; everything else matches literally.
pub fn glob_matches(pattern: &str, path: &str) -> bool {
    let mut pattern = pattern.split('/');
    let mut path = path.split('/');
    loop {
        match (pattern.next(), path.next()) {
            (None, None) => return true,
            (Some(p), Some(s)) if p == "*" || p == s => {}
            _ => return false,
        }
    }
}

/// The path without its query, percent-decoded, as fault globs see it.
pub fn decoded_path(path: &str) -> String {
    percent_decode_str(path).decode_utf8_lossy().into_owned()
}

#[derive(Debug, Default)]
struct Rules {
    next_id: u64,
    faults: Vec<Fault>,
}

#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Rules>,
    /// Mirrors `rules.faults.len()`, so the common case (no fault) costs no lock.
    count: AtomicUsize,
}

impl Faults {
    pub fn add(&self, mut fault: Fault) -> u64 {
        let mut rules = self.lock();
        rules.next_id += 1;
        fault.id = rules.next_id;
        rules.faults.push(fault);
        self.count.store(rules.faults.len(), Ordering::Release);
        rules.next_id
    }

    pub fn list(&self) -> Vec<Value> {
        self.lock().faults.iter().map(Fault::to_json).collect()
    }

    pub fn remove(&self, id: u64) -> bool {
        let mut rules = self.lock();
        let before = rules.faults.len();
        rules.faults.retain(|f| f.id != id);
        self.count.store(rules.faults.len(), Ordering::Release);
        rules.faults.len() != before
    }

    pub fn clear(&self) {
        self.lock().faults.clear();
        self.count.store(0, Ordering::Release);
    }

    pub fn is_empty(&self) -> bool {
        self.count.load(Ordering::Acquire) == 0
    }

    pub fn any_names_an_org(&self) -> bool {
        self.lock().faults.iter().any(|f| f.org.is_some())
    }

    /// The oldest fault matching the request, counted as used (and dropped when used up).
    pub fn take_match(&self, method: &Method, path: &str, org: Option<&str>) -> Option<Fault> {
        let mut rules = self.lock();
        let index = rules
            .faults
            .iter()
            .position(|f| f.matches(method, path, org))?;
        let fault = &mut rules.faults[index];
        if let Some(remaining) = fault.remaining.as_mut() {
            *remaining = remaining.saturating_sub(1);
        }
        let taken = fault.clone();
        if taken.remaining == Some(0) {
            rules.faults.remove(index);
            self.count.store(rules.faults.len(), Ordering::Release);
        }
        Some(taken)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Rules> {
        self.rules
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(method: &str, path: &str, times: Option<u64>) -> Fault {
        Fault {
            id: 0,
            as_added: Map::new(),
            method: method.into(),
            path: path.into(),
            org: None,
            status: Some(StatusCode::INTERNAL_SERVER_ERROR),
            code: None,
            message: None,
            delay_ms: 0,
            remaining: times,
        }
    }

    #[test]
    fn globs_match_one_segment() {
        assert!(glob_matches(
            "/crm/*/Leads/*/actions/share",
            "/crm/v8/Leads/1/actions/share"
        ));
        assert!(!glob_matches(
            "/crm/*/share",
            "/crm/v8/Leads/1/actions/share"
        ));
        assert!(!glob_matches("/crm/*", "/crm/v8/users"));
        assert!(glob_matches("/api/*/*", "/api/a@b.c/Sales Analytics"));
    }

    #[test]
    fn oldest_match_wins_and_times_run_out() {
        let faults = Faults::default();
        let first = faults.add(fault("*", "/crm/*/users", Some(2)));
        let second = faults.add(fault("GET", "/crm/*/users", None));
        let take = || {
            faults
                .take_match(&Method::GET, "/crm/v8/users", None)
                .map(|f| f.id)
        };
        assert_eq!(take(), Some(first));
        assert_eq!(take(), Some(first));
        assert_eq!(take(), Some(second));
        assert_eq!(take(), Some(second));
        assert!(
            faults
                .take_match(&Method::POST, "/crm/v8/users", None)
                .is_none()
        );
        assert!(faults.remove(second));
        assert!(faults.is_empty());
    }

    #[test]
    fn org_filter_needs_a_resolved_org() {
        let faults = Faults::default();
        let mut f = fault("*", "/crm/*/users", None);
        f.org = Some("a".into());
        faults.add(f);
        assert!(
            faults
                .take_match(&Method::GET, "/crm/v8/users", None)
                .is_none()
        );
        assert!(
            faults
                .take_match(&Method::GET, "/crm/v8/users", Some("b"))
                .is_none()
        );
        assert!(
            faults
                .take_match(&Method::GET, "/crm/v8/users", Some("a"))
                .is_some()
        );
    }
}

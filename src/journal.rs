//! The request journal: every non-admin request with its answer, newest last, bounded by
//! `--journal-size` (oldest dropped). It has its own small lock and stores raw bytes; bodies are
//! parsed only when the journal is read, so recording costs a push, not a parse.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use axum::http::{HeaderMap, Method, StatusCode, header::AUTHORIZATION};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::clock::Timestamp;
use crate::ids::OrgId;

#[derive(Clone, Debug)]
pub struct Entry {
    pub time: Timestamp,
    pub org: Option<OrgId>,
    pub method: Method,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub status: StatusCode,
    pub request_body: Bytes,
    pub response_body: Bytes,
}

#[derive(Debug)]
struct Recorded {
    id: u64,
    entry: Entry,
}

#[derive(Debug, Default)]
struct Ring {
    next_id: u64,
    entries: VecDeque<Recorded>,
}

#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    ring: Mutex<Ring>,
}

/// `GET /__admin/requests` filters; `path` is a prefix.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub method: Option<String>,
    pub path: Option<String>,
    pub org: Option<String>,
    pub status: Option<u16>,
}

impl Journal {
    pub fn new(capacity: usize) -> Self {
        Journal {
            capacity,
            ring: Mutex::new(Ring {
                next_id: 1,
                entries: VecDeque::new(),
            }),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.capacity > 0
    }

    pub fn record(&self, entry: Entry) {
        if self.capacity == 0 {
            return;
        }
        let mut ring = self.lock();
        let id = ring.next_id;
        ring.next_id += 1;
        if ring.entries.len() == self.capacity {
            ring.entries.pop_front();
        }
        ring.entries.push_back(Recorded { id, entry });
    }

    pub fn clear(&self) {
        self.lock().entries.clear();
    }

    /// Matching entries as `GET /__admin/requests` renders them, oldest first.
    pub fn list(&self, filter: &Filter) -> Vec<Value> {
        let matching: Vec<(u64, Entry)> = {
            let ring = self.lock();
            ring.entries
                .iter()
                .filter(|r| filter.matches(&r.entry))
                .map(|r| (r.id, r.entry.clone()))
                .collect()
        };
        // Rendering (body parsing) happens outside the lock.
        matching.into_iter().map(|(id, e)| render(id, &e)).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ring> {
        self.ring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Filter {
    fn matches(&self, entry: &Entry) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| entry.method.as_str().eq_ignore_ascii_case(m))
            && self
                .path
                .as_deref()
                .is_none_or(|p| entry.path.starts_with(p))
            && self
                .org
                .as_deref()
                .is_none_or(|o| entry.org.as_ref().is_some_and(|org| org.as_str() == o))
            && self.status.is_none_or(|s| entry.status.as_u16() == s)
    }
}

fn render(id: u64, entry: &Entry) -> Value {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &entry.headers {
        let text = if name == AUTHORIZATION {
            "REDACTED".to_owned()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|existing| {
                existing.push_str(", ");
                existing.push_str(&text);
            })
            .or_insert(text);
    }
    json!({
        "id": id,
        "time": entry.time.to_iso(),
        "org": entry.org,
        "method": entry.method.as_str(),
        "path": entry.path,
        "query": entry.query,
        "headers": headers,
        "status": entry.status.as_u16(),
        "request_body": body_value(&entry.request_body),
        "response_body": body_value(&entry.response_body),
    })
}

/// The parsed JSON value when the body is JSON, else the text (invalid UTF-8 replaced), `null`
/// when empty.
fn body_value(bytes: &Bytes) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, status: u16) -> Entry {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, "Zoho-oauthtoken secret".parse().unwrap());
        Entry {
            time: Timestamp(0),
            org: Some(OrgId("a".into())),
            method: Method::GET,
            path: path.into(),
            query: String::new(),
            headers,
            status: StatusCode::from_u16(status).unwrap(),
            request_body: Bytes::new(),
            response_body: Bytes::from_static(b"{\"x\":1}"),
        }
    }

    #[test]
    fn bounded_redacted_filtered() {
        let journal = Journal::new(2);
        journal.record(entry("/crm/a", 200));
        journal.record(entry("/crm/b", 400));
        journal.record(entry("/api/c", 200));
        let all = journal.list(&Filter::default());
        assert_eq!(all.len(), 2);
        assert_eq!(all[0]["id"], 2);
        assert_eq!(all[0]["headers"]["authorization"], "REDACTED");
        assert_eq!(all[0]["response_body"], json!({"x": 1}));
        assert_eq!(all[0]["request_body"], Value::Null);
        let crm = journal.list(&Filter {
            path: Some("/crm".into()),
            ..Filter::default()
        });
        assert_eq!(crm.len(), 1);
        let ok = journal.list(&Filter {
            status: Some(200),
            org: Some("a".into()),
            ..Filter::default()
        });
        assert_eq!(ok.len(), 1);
        assert_eq!(
            body_value(&Bytes::from_static(b"\xffhi")),
            json!("\u{fffd}hi")
        );
    }

    #[test]
    fn zero_capacity_records_nothing() {
        let journal = Journal::new(0);
        journal.record(entry("/crm/a", 200));
        assert!(journal.list(&Filter::default()).is_empty());
    }
}

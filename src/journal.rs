//! The request journal: every non-admin request with its answer, newest last, bounded by
//! `--journal-size` entries and `--journal-bytes` bytes (oldest dropped first); a body longer
//! than [`MAX_JOURNAL_BODY_BYTES`] is kept as its first part, flagged as truncated. It has its
//! own small lock. Each entry is one buffer
//! (org, request line, headers with `authorization` redacted, request body, response body), so
//! recording costs one allocation and dropping the oldest entry one free; bodies are parsed only
//! when the journal is read.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;
use std::sync::Mutex;

use axum::http::{HeaderMap, Method, StatusCode, Uri, header::AUTHORIZATION};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::clock::Timestamp;
use crate::faults::{decoded_path, glob_matches};
use crate::ids::IdMap;
use crate::org_numbers::{NumberRuns, org_number};

/// The request side of an entry, captured before the handler consumes the request. Values are
/// copied, never kept as the slices of the connection's read buffer they arrive as.
#[derive(Clone, Debug)]
pub struct Recording {
    time: Timestamp,
    method: Method,
    data: Vec<u8>,
    org: Option<Range<usize>>,
    target: Range<usize>,
    headers: Range<usize>,
    request_body: Range<usize>,
    request_body_truncated: bool,
}

/// Room reserved for the answer, which is appended to the same buffer.
const RESPONSE_ROOM: usize = 512;

/// The most of a request or response body an entry keeps (64 KiB): enough for any JSON a test
/// matches on, while a journal of 1 MiB uploads stays small. The rest is cut off and the entry
/// says so (`request_body_truncated`, `response_body_truncated`).
pub const MAX_JOURNAL_BODY_BYTES: usize = 64 * 1024;

/// The first [`MAX_JOURNAL_BODY_BYTES`] of `body`, and whether that is less than all of it.
fn capped(body: &[u8]) -> (&[u8], bool) {
    if body.len() > MAX_JOURNAL_BODY_BYTES {
        (&body[..MAX_JOURNAL_BODY_BYTES], true)
    } else {
        (body, false)
    }
}

impl Recording {
    pub fn start(
        time: Timestamp,
        org: Option<&str>,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        request_body: &[u8],
    ) -> Self {
        let target = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
        let (request_body, request_body_truncated) = capped(request_body);
        let headers_len: usize = headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 3)
            .sum();
        let mut data = Vec::with_capacity(
            org.map_or(0, str::len)
                + target.len()
                + headers_len
                + request_body.len()
                + RESPONSE_ROOM,
        );
        let org = org.map(|org| append(&mut data, org.as_bytes()));
        let target = append(&mut data, target.as_bytes());
        let start = data.len();
        for (name, value) in headers {
            data.extend_from_slice(name.as_str().as_bytes());
            data.extend_from_slice(b": ");
            if name == AUTHORIZATION {
                data.extend_from_slice(b"REDACTED");
            } else {
                // Header values are nearly always ASCII, which the word-at-a-time check
                // confirms for a fraction of what full UTF-8 validation costs.
                let value = value.as_bytes();
                if value.is_ascii() {
                    data.extend_from_slice(value);
                } else {
                    data.extend_from_slice(String::from_utf8_lossy(value).as_bytes());
                }
            }
            data.push(b'\n');
        }
        let headers = start..data.len();
        let request_body = append(&mut data, request_body);
        Recording {
            time,
            method: method.clone(),
            data,
            org,
            target,
            headers,
            request_body,
            request_body_truncated,
        }
    }

    pub fn finish(mut self, status: StatusCode, response_body: &[u8]) -> Entry {
        let (response_body, response_body_truncated) = capped(response_body);
        let response_body = append(&mut self.data, response_body);
        let Recording {
            time,
            method,
            data,
            org,
            target,
            headers,
            request_body,
            request_body_truncated,
        } = self;
        Entry {
            time,
            method,
            // Takes the buffer as it is: no copy.
            data: Bytes::from(data),
            org,
            target,
            headers,
            request_body,
            request_body_truncated,
            status,
            response_body,
            response_body_truncated,
        }
    }
}

fn append(data: &mut Vec<u8>, bytes: &[u8]) -> Range<usize> {
    let start = data.len();
    data.extend_from_slice(bytes);
    start..data.len()
}

/// A recorded request and its answer. The buffer is shared (`Bytes`), so a reader clones entries under
/// the lock for the cost of a reference count and renders them after.
#[derive(Clone, Debug)]
pub struct Entry {
    time: Timestamp,
    method: Method,
    data: Bytes,
    org: Option<Range<usize>>,
    target: Range<usize>,
    headers: Range<usize>,
    request_body: Range<usize>,
    request_body_truncated: bool,
    status: StatusCode,
    response_body: Range<usize>,
    response_body_truncated: bool,
}

impl Entry {
    /// Parts written from `&str` are UTF-8 by construction.
    fn text(&self, range: Range<usize>) -> &str {
        std::str::from_utf8(&self.data[range]).unwrap_or_default()
    }

    /// What the entry holds, as counted against `--journal-bytes`.
    fn bytes(&self) -> usize {
        self.data.len()
    }

    fn org(&self) -> Option<&str> {
        self.org.clone().map(|range| self.text(range))
    }

    fn path(&self) -> &str {
        let target = self.text(self.target.clone());
        target.split_once('?').map_or(target, |(path, _)| path)
    }

    fn query(&self) -> &str {
        let target = self.text(self.target.clone());
        target.split_once('?').map_or("", |(_, query)| query)
    }

    fn header_lines(&self) -> impl Iterator<Item = (&str, &str)> {
        self.text(self.headers.clone())
            .lines()
            .filter_map(|line| line.split_once(": "))
    }
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
    /// The sum of the entries' [`Entry::bytes`].
    bytes: usize,
    /// How many entries name each `org-<n>` org, and those numbers as runs: a minted org id
    /// skips them (`POST /__admin/orgs`) without a walk over the entries.
    org_counts: IdMap<u64, u32>,
    org_numbers: NumberRuns,
}

impl Ring {
    fn count_org(&mut self, entry: &Entry, added: bool) {
        let Some(n) = entry.org().and_then(org_number) else {
            return;
        };
        if added {
            let count = self.org_counts.entry(n).or_insert(0);
            *count += 1;
            if *count == 1 {
                self.org_numbers.insert(n);
            }
        } else if let Some(count) = self.org_counts.get_mut(&n) {
            *count -= 1;
            if *count == 0 {
                self.org_counts.remove(&n);
                self.org_numbers.remove(n);
            }
        }
    }
}

#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    max_bytes: usize,
    ring: Mutex<Ring>,
}

/// `GET /__admin/requests` filters; `path` is a prefix, `limit` keeps the newest that match.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub method: Option<String>,
    pub path: Option<String>,
    pub org: Option<String>,
    pub status: Option<u16>,
    pub limit: Option<usize>,
}

/// The matcher of `POST /__admin/requests/count` and `/find` (DESIGN §5): every given part
/// must hold. `method` and `org` are exact, `path` is a fault glob over the percent-decoded
/// path, `query` pairs compare decoded (a repeated parameter matches when any of its values
/// does), and the request body must contain `body` ([`json_contains`]).
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    pub method: Option<String>,
    pub path: Option<String>,
    pub org: Option<String>,
    pub status: Option<u16>,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl Journal {
    /// At most `capacity` entries holding at most `max_bytes` bytes between them (the newest
    /// entry is kept even when it alone is larger).
    pub fn new(capacity: usize, max_bytes: usize) -> Self {
        Journal {
            capacity,
            max_bytes,
            ring: Mutex::new(Ring {
                next_id: 1,
                ..Ring::default()
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
        let mut evicted = Vec::new();
        {
            let mut ring = self.lock();
            let id = ring.next_id;
            ring.next_id += 1;
            while !ring.entries.is_empty()
                && (ring.entries.len() >= self.capacity
                    || ring.bytes + entry.bytes() > self.max_bytes)
            {
                let Some(oldest) = ring.entries.pop_front() else {
                    break;
                };
                ring.bytes -= oldest.entry.bytes();
                ring.count_org(&oldest.entry, false);
                evicted.push(oldest);
            }
            ring.bytes += entry.bytes();
            ring.count_org(&entry, true);
            ring.entries.push_back(Recorded { id, entry });
        }
        // The evicted entries' buffers are freed outside the lock.
        drop(evicted);
    }

    /// Empties the journal, giving back the ring's own buffer too.
    pub fn clear(&self) {
        let cleared = {
            let mut ring = self.lock();
            ring.org_counts.clear();
            ring.org_numbers.clear();
            ring.bytes = 0;
            std::mem::take(&mut ring.entries)
        };
        drop(cleared);
    }

    /// The smallest n >= `from` such that no entry names the org `org-<n>`.
    pub fn first_unnamed_org_number(&self, from: u64) -> u64 {
        self.lock().org_numbers.first_free_from(from)
    }

    /// Matching entries as `GET /__admin/requests` renders them, oldest first; with a limit,
    /// the newest `limit` of them.
    pub fn entries(&self, filter: &Filter) -> Vec<(u64, Entry)> {
        let mut matching: Vec<(u64, Entry)> = {
            let ring = self.lock();
            ring.entries
                .iter()
                .filter(|r| filter.matches(&r.entry))
                .map(|r| (r.id, r.entry.clone()))
                .collect()
        };
        if let Some(limit) = filter.limit {
            let skip = matching.len().saturating_sub(limit);
            matching.drain(..skip);
        }
        matching
    }

    /// How many entries `matcher` matches.
    pub fn count(&self, matcher: &Matcher) -> usize {
        self.matching(matcher).len()
    }

    /// The entries `matcher` matches, rendered as `GET /__admin/requests` does, oldest first.
    pub fn found(&self, matcher: &Matcher) -> Vec<(u64, Entry)> {
        self.matching(matcher)
    }

    fn matching(&self, matcher: &Matcher) -> Vec<(u64, Entry)> {
        let candidates: Vec<(u64, Entry)> = {
            let ring = self.lock();
            ring.entries
                .iter()
                .filter(|r| matcher.matches_request_line(&r.entry))
                .map(|r| (r.id, r.entry.clone()))
                .collect()
        };
        // Bodies are parsed outside the lock, so recording never waits for a large journal.
        match &matcher.body {
            None => candidates,
            Some(wanted) => candidates
                .into_iter()
                .filter(|(_, entry)| {
                    json_contains(wanted, &body_value(&entry.data[entry.request_body.clone()]))
                })
                .collect(),
        }
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
                .is_none_or(|p| entry.path().starts_with(p))
            && self.org.as_deref().is_none_or(|o| entry.org() == Some(o))
            && self.status.is_none_or(|s| entry.status.as_u16() == s)
    }
}

impl Matcher {
    /// Everything but the body: method, path, org, status and query.
    fn matches_request_line(&self, entry: &Entry) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| entry.method.as_str() == m)
            && self
                .path
                .as_deref()
                .is_none_or(|glob| glob_matches(glob, &decoded_path(entry.path())))
            && self.org.as_deref().is_none_or(|o| entry.org() == Some(o))
            && self.status.is_none_or(|s| entry.status.as_u16() == s)
            && (self.query.is_empty() || {
                let pairs: Vec<(String, String)> = form_urlencoded::parse(entry.query().as_bytes())
                    .into_owned()
                    .collect();
                self.query
                    .iter()
                    .all(|wanted| pairs.iter().any(|pair| pair == wanted))
            })
    }
}

/// Whether `actual` contains `wanted`: an object when every given key is present and its
/// value contains the wanted one, an array when every given element is contained by some
/// element, a scalar when equal. An empty object or array contains anything.
pub fn json_contains(wanted: &Value, actual: &Value) -> bool {
    match (wanted, actual) {
        (Value::Object(w), _) if w.is_empty() => true,
        (Value::Array(w), _) if w.is_empty() => true,
        (Value::Object(w), Value::Object(a)) => w
            .iter()
            .all(|(key, value)| a.get(key).is_some_and(|got| json_contains(value, got))),
        (Value::Array(w), Value::Array(a)) => w
            .iter()
            .all(|value| a.iter().any(|got| json_contains(value, got))),
        _ => wanted == actual,
    }
}

/// Entries as `{"requests":[...]}`, rendered one at a time as the body is sent: the answer
/// never holds more than one parsed entry, however large the journal.
pub fn stream_requests(entries: Vec<(u64, Entry)>) -> axum::body::Body {
    let count = entries.len();
    let chunks = entries
        .into_iter()
        .enumerate()
        .map(move |(i, (id, entry))| {
            let mut chunk = Vec::with_capacity(entry.bytes() + 256);
            if i == 0 {
                chunk.extend_from_slice(b"{\"requests\":[");
            } else {
                chunk.push(b',');
            }
            // A `Value` of strings and parsed JSON always serialises.
            let _ = serde_json::to_writer(&mut chunk, &render(id, &entry));
            if i + 1 == count {
                chunk.extend_from_slice(b"]}");
            }
            Ok::<_, std::convert::Infallible>(Bytes::from(chunk))
        });
    if count == 0 {
        return axum::body::Body::from(&b"{\"requests\":[]}"[..]);
    }
    axum::body::Body::from_stream(futures_util::stream::iter(chunks))
}

fn render(id: u64, entry: &Entry) -> Value {
    let mut headers: BTreeMap<&str, String> = BTreeMap::new();
    for (name, value) in entry.header_lines() {
        headers
            .entry(name)
            .and_modify(|existing| {
                existing.push_str(", ");
                existing.push_str(value);
            })
            .or_insert_with(|| value.to_owned());
    }
    let data = &entry.data;
    json!({
        "id": id,
        "time": entry.time.to_iso(),
        "org": entry.org(),
        "method": entry.method.as_str(),
        "path": entry.path(),
        "query": entry.query(),
        "headers": headers,
        "status": entry.status.as_u16(),
        "request_body": body_value(&data[entry.request_body.clone()]),
        "request_body_truncated": entry.request_body_truncated,
        "response_body": body_value(&data[entry.response_body.clone()]),
        "response_body_truncated": entry.response_body_truncated,
    })
}

/// The parsed JSON value when the body is JSON, else the text (invalid UTF-8 replaced), `null`
/// when empty.
fn body_value(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Journal {
        fn list(&self, filter: &Filter) -> Vec<Value> {
            let entries = self.entries(filter);
            entries.iter().map(|(id, e)| render(*id, e)).collect()
        }

        fn find(&self, matcher: &Matcher) -> Vec<Value> {
            let entries = self.found(matcher);
            entries.iter().map(|(id, e)| render(*id, e)).collect()
        }
    }

    fn entry(target: &str, status: u16) -> Entry {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, "Zoho-oauthtoken secret".parse().unwrap());
        headers.append("x-many", "1".parse().unwrap());
        headers.append("x-many", "2".parse().unwrap());
        let uri: Uri = target.parse().unwrap();
        Recording::start(Timestamp(0), Some("a"), &Method::GET, &uri, &headers, b"")
            .finish(StatusCode::from_u16(status).unwrap(), b"{\"x\":1}")
    }

    #[test]
    fn bounded_redacted_filtered() {
        let journal = Journal::new(2, usize::MAX);
        journal.record(entry("/crm/a", 200));
        journal.record(entry("/crm/b?page=2", 400));
        journal.record(entry("/api/c", 200));
        let all = journal.list(&Filter::default());
        assert_eq!(all.len(), 2);
        assert_eq!(all[0]["id"], 2);
        assert_eq!(all[0]["path"], "/crm/b");
        assert_eq!(all[0]["query"], "page=2");
        assert_eq!(all[0]["org"], "a");
        assert_eq!(all[0]["headers"]["authorization"], "REDACTED");
        assert_eq!(all[0]["headers"]["x-many"], "1, 2");
        assert!(!all[0].to_string().contains("secret"));
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
        assert_eq!(body_value(b"\xffhi"), json!("\u{fffd}hi"));
    }

    #[test]
    fn limits_keep_the_newest() {
        let journal = Journal::new(10, usize::MAX);
        for target in ["/crm/a", "/crm/b", "/crm/c"] {
            journal.record(entry(target, 200));
        }
        let newest = journal.list(&Filter {
            limit: Some(2),
            ..Filter::default()
        });
        let paths: Vec<&Value> = newest.iter().map(|e| &e["path"]).collect();
        assert_eq!(paths, [&json!("/crm/b"), &json!("/crm/c")]);
        assert!(
            journal
                .list(&Filter {
                    limit: Some(0),
                    ..Filter::default()
                })
                .is_empty()
        );
    }

    #[test]
    fn matchers_match_query_pairs_and_globs() {
        let journal = Journal::new(10, usize::MAX);
        journal.record(entry("/crm/v8/Leads/1/actions/share?a=1&a=2&b=x%20y", 200));
        journal.record(entry("/crm/v8/Lead%20s/1?b=x+y", 204));
        let count = |m: Matcher| journal.count(&m);
        assert_eq!(count(Matcher::default()), 2);
        let query = |pairs: &[(&str, &str)]| Matcher {
            query: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..Matcher::default()
        };
        assert_eq!(
            count(query(&[("a", "2")])),
            1,
            "any value of a repeated name"
        );
        assert_eq!(count(query(&[("a", "3")])), 0);
        assert_eq!(count(query(&[("b", "x y")])), 2, "decoded, + as space");
        assert_eq!(count(query(&[("a", "1"), ("b", "x y")])), 1);
        let glob = |path: &str| Matcher {
            path: Some(path.into()),
            ..Matcher::default()
        };
        assert_eq!(count(glob("/crm/*/Leads/*/actions/share")), 1);
        assert_eq!(count(glob("/crm/*/Lead s/*")), 1, "over the decoded path");
        assert_eq!(count(glob("/crm/*")), 0, "a star is one segment");
        let method = |m: &str| Matcher {
            method: Some(m.into()),
            ..Matcher::default()
        };
        assert_eq!(count(method("GET")), 2);
        assert_eq!(count(method("get")), 0, "exact");
        let status = Matcher {
            status: Some(204),
            org: Some("a".into()),
            ..Matcher::default()
        };
        assert_eq!(journal.find(&status)[0]["status"], 204);
    }

    #[test]
    fn json_containment() {
        let actual = json!({"share": [{"id": "1", "type": "users"}, {"id": "2"}], "n": 1});
        assert!(json_contains(&json!({}), &actual));
        assert!(json_contains(&json!({}), &json!("text")));
        assert!(json_contains(&json!({"share": []}), &actual));
        assert!(json_contains(&json!({"share": [{"id": "2"}]}), &actual));
        assert!(json_contains(
            &json!({"share": [{"id": "2"}, {"type": "users"}]}),
            &actual
        ));
        assert!(!json_contains(&json!({"share": [{"id": "3"}]}), &actual));
        assert!(!json_contains(&json!({"missing": null}), &actual));
        assert!(json_contains(&json!({"n": 1}), &actual));
        assert!(!json_contains(&json!({"n": "1"}), &actual));
        assert!(!json_contains(&json!({"share": {"id": "1"}}), &actual));
        assert!(json_contains(&json!("text"), &json!("text")));
        assert!(!json_contains(&json!([1]), &json!(1)));
    }

    #[test]
    fn org_numbers_follow_the_entries() {
        let journal = Journal::new(2, usize::MAX);
        let named = |org: Option<&str>| {
            let uri: Uri = "/crm/a".parse().unwrap();
            Recording::start(
                Timestamp(0),
                org,
                &Method::GET,
                &uri,
                &HeaderMap::new(),
                b"",
            )
            .finish(StatusCode::OK, b"")
        };
        journal.record(named(Some("org-1")));
        journal.record(named(Some("org-2")));
        assert_eq!(journal.first_unnamed_org_number(1), 3);
        journal.record(named(Some("org-2")));
        assert_eq!(journal.first_unnamed_org_number(1), 1, "org-1 evicted");
        assert_eq!(journal.first_unnamed_org_number(2), 3);
        journal.record(named(Some("zylker")));
        assert_eq!(
            journal.first_unnamed_org_number(2),
            3,
            "one org-2 entry is left"
        );
        journal.record(named(None));
        assert_eq!(
            journal.first_unnamed_org_number(2),
            2,
            "both org-2 entries evicted"
        );
        journal.record(named(Some("org-5")));
        journal.clear();
        assert_eq!(journal.first_unnamed_org_number(5), 5);
    }

    #[test]
    fn zero_capacity_records_nothing() {
        let journal = Journal::new(0, usize::MAX);
        journal.record(entry("/crm/a", 200));
        assert!(journal.list(&Filter::default()).is_empty());
    }
}

//! The `CONFIG` parameter of the v2 API (spec analytics-v2-sharing.md §2, §4 step 6): one JSON
//! object, read from the query string (where the official Python client puts it for every
//! method) and from the body (urlencoded, or multipart when the `Content-Type` says so), counted
//! together. [`RawConfig`] holds what was sent and runs sub-steps (a) to (e); [`Config`] gives
//! the endpoints typed access to its keys for (f) to (i), each reader answering 8516 for a value
//! of the wrong JSON type.

use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use crate::analytics::email;
use crate::analytics::workspaces::fixture::column_list;
use crate::analytics::workspaces::model::{ColumnList, same_email};
use crate::analytics::workspaces::permissions::{Permission, PermissionSet};
use crate::body::BufferedBody;
use crate::form::{self, FormPair};

use super::error::V2Error;

const NAME: &str = "CONFIG";

/// A `CONFIG` value longer than this many characters is refused (8507).
const MAX_CONFIG_CHARS: usize = 100_000;

/// Every `CONFIG` the request sent, query string first.
#[derive(Clone, Debug, Default)]
pub struct RawConfig {
    /// Each occurrence; `None` where it does not decode to UTF-8.
    values: Vec<Option<String>>,
    /// The body is over 1 MiB.
    body_too_large: bool,
    /// A multipart body that cannot be read.
    body_unreadable: bool,
}

impl RawConfig {
    pub async fn read(query: Option<&str>, headers: &HeaderMap, body: &BufferedBody) -> Self {
        let mut pairs = form::parse_urlencoded(query.unwrap_or("").as_bytes());
        let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let mut body_unreadable = false;
        match form::parse_body(content_type, body.bytes.clone()).await {
            Ok(body_pairs) => pairs.extend(body_pairs),
            Err(_) => body_unreadable = true,
        }
        RawConfig {
            values: pairs
                .into_iter()
                .filter(|p| p.name.as_deref() == Some(NAME))
                .map(|FormPair { value, .. }| value)
                .collect(),
            body_too_large: body.too_large,
            body_unreadable,
        }
    }

    /// Sub-steps (a) to (e) where `CONFIG` is required: sent once (8506), not too long (8507),
    /// sent at all (8504), not empty (8077), a JSON object (8080).
    pub fn required(&self) -> Result<Config, V2Error> {
        match self.parse()? {
            Sent::Absent => Err(V2Error::ConfigMissing),
            Sent::Empty => Err(V2Error::ConfigEmpty),
            Sent::Object(config) => Ok(config),
        }
    }

    /// The same where it is optional: absent, blank or `{}` is no options.
    pub fn optional(&self) -> Result<Option<Config>, V2Error> {
        match self.parse()? {
            Sent::Absent | Sent::Empty => Ok(None),
            Sent::Object(config) => Ok(Some(config)),
        }
    }

    fn parse(&self) -> Result<Sent, V2Error> {
        if self.values.len() > 1 {
            return Err(V2Error::ConfigRepeated);
        }
        let value = self.values.first();
        let too_long = value
            .and_then(Option::as_ref)
            .is_some_and(|text| text.chars().count() > MAX_CONFIG_CHARS);
        if too_long || self.body_too_large {
            return Err(V2Error::ConfigTooLong);
        }
        if self.body_unreadable {
            return Err(V2Error::ConfigInvalid);
        }
        let Some(value) = value else {
            return Ok(Sent::Absent);
        };
        let text = value.as_deref().ok_or(V2Error::ConfigInvalid)?;
        if text.trim().is_empty() {
            return Ok(Sent::Empty);
        }
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) if map.is_empty() => Ok(Sent::Empty),
            Ok(Value::Object(map)) => Ok(Sent::Object(Config(map))),
            _ => Err(V2Error::ConfigInvalid),
        }
    }
}

/// What one `CONFIG` holds, once it is known to be readable.
enum Sent {
    Absent,
    /// Blank, or an object without keys.
    Empty,
    Object(Config),
}

/// A `CONFIG` object. Key names are case-sensitive; unknown keys are ignored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config(Map<String, Value>);

impl Config {
    pub fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// Sub-step (f): the key must be there (8079).
    pub fn require(&self, key: &str) -> Result<(), V2Error> {
        if self.has(key) {
            Ok(())
        } else {
            Err(V2Error::AttributeMissing)
        }
    }

    /// At least one of the keys must be there (8079).
    pub fn require_any(&self, keys: &[&str]) -> Result<(), V2Error> {
        if keys.iter().any(|k| self.has(k)) {
            Ok(())
        } else {
            Err(V2Error::AttributeMissing)
        }
    }

    /// An array of ids: JSON strings or integers that fit `u64` (read as their decimal string),
    /// duplicates collapsed. A string that is not decimal stays as sent: an unknown id.
    pub fn ids(&self, key: &str) -> Result<Option<Vec<String>>, V2Error> {
        self.array(key, |item| match item {
            Value::String(text) => Some(text.clone()),
            Value::Number(n) => n.as_u64().map(|n| n.to_string()),
            _ => None,
        })
        .map(|ids| ids.map(|ids| dedup(ids, |a, b| a == b)))
    }

    /// An array of emails: JSON strings, trimmed, duplicates equal ignoring case collapsed
    /// (the first kept).
    pub fn emails(&self, key: &str) -> Result<Option<Vec<String>>, V2Error> {
        self.array(key, |item| item.as_str().map(|s| s.trim().to_owned()))
            .map(|emails| emails.map(|emails| dedup(emails, same_email)))
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, V2Error> {
        self.value(key, |v| v.as_str().map(str::to_owned))
    }

    /// `true`, `false`, `"true"` or `"false"` (spec §2).
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, V2Error> {
        self.value(key, boolean)
    }

    /// A JSON integer.
    pub fn integer(&self, key: &str) -> Result<Option<i64>, V2Error> {
        self.value(key, Value::as_i64)
    }

    /// An array of JSON integers.
    pub fn integers(&self, key: &str) -> Result<Option<Vec<i64>>, V2Error> {
        self.array(key, Value::as_i64)
    }

    /// A JSON integer, or a string of decimal digits.
    pub fn decimal(&self, key: &str) -> Result<Option<String>, V2Error> {
        self.value(key, |v| match v {
            Value::Number(n) => n.as_u64().map(|n| n.to_string()),
            Value::String(s) if crate::ids::is_decimal(s) => Some(s.clone()),
            _ => None,
        })
    }

    /// An object of booleans keyed by the permission names of spec §7.1 (a missing key is
    /// `false`; unknown keys are ignored).
    pub fn permissions(&self, key: &str) -> Result<Option<PermissionSet>, V2Error> {
        let Some(value) = self.0.get(key) else {
            return Ok(None);
        };
        let object = value.as_object().ok_or(V2Error::WrongType)?;
        let mut set = PermissionSet::default();
        for (name, flag) in object {
            if let Some(permission) = Permission::from_key(name) {
                set = set.with(permission, boolean(flag).ok_or(V2Error::WrongType)?);
            }
        }
        Ok(Some(set))
    }

    /// An array of `{"tableName": string, "columnNames": [string]}`.
    pub fn columns(&self, key: &str) -> Result<Option<Vec<ColumnList>>, V2Error> {
        self.array(key, column_list)
    }

    /// An array of objects (the entries of bulk mode).
    pub fn objects(&self, key: &str) -> Result<Option<Vec<Config>>, V2Error> {
        self.array(key, |item| item.as_object().map(|o| Config(o.clone())))
    }

    fn value<T>(
        &self,
        key: &str,
        read: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<T>, V2Error> {
        self.0
            .get(key)
            .map(|v| read(v).ok_or(V2Error::WrongType))
            .transpose()
    }

    fn array<T>(
        &self,
        key: &str,
        read: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<Vec<T>>, V2Error> {
        self.value(key, |v| {
            v.as_array().map(|items| items.iter().map(&read).collect())
        })?
        .map(|items: Vec<Option<T>>| items.into_iter().collect::<Option<Vec<T>>>())
        .map(|items| items.ok_or(V2Error::WrongType))
        .transpose()
    }
}

fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn dedup(items: Vec<String>, same: impl Fn(&str, &str) -> bool) -> Vec<String> {
    let mut kept: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if !kept.iter().any(|k| same(k, &item)) {
            kept.push(item);
        }
    }
    kept
}

/// Sub-step (h): a required list that is there must not be empty (8078).
pub fn not_empty<T>(list: Option<&[T]>) -> Result<(), V2Error> {
    match list {
        Some([]) => Err(V2Error::EmptyAttribute),
        _ => Ok(()),
    }
}

/// Sub-step (i): at most `limit` entries (8080).
pub fn within<T>(list: Option<&[T]>, limit: usize) -> Result<(), V2Error> {
    match list {
        Some(items) if items.len() > limit => Err(V2Error::ConfigInvalid),
        _ => Ok(()),
    }
}

/// `emailIds`, `viewIds` and `groupIds` hold at most this many entries (spec §2).
pub const LIST_LIMIT: usize = 1000;

/// Bulk `users` holds at most this many entries (spec §2).
pub const BULK_LIMIT: usize = 20;

/// Sub-step (i) for the three id and email lists.
pub fn within_list_limit(lists: &[Option<&[String]>]) -> Result<(), V2Error> {
    lists.iter().try_for_each(|list| within(*list, LIST_LIMIT))
}

/// `domainName`: the mock models no white-label domain, so a non-empty value names an unknown
/// one (8060); an empty string counts as absent.
pub fn check_domain(domain: Option<&str>) -> Result<(), V2Error> {
    match domain {
        Some(d) if !d.is_empty() => Err(V2Error::DomainNotExist),
        _ => Ok(()),
    }
}

/// Step 9 on the share routes: the first entry that is not an email is named (8029).
pub fn check_share_emails(emails: &[String]) -> Result<(), V2Error> {
    match emails.iter().find(|e| !email::is_well_formed(e)) {
        Some(bad) => Err(V2Error::InvalidShareEmail { email: bad.clone() }),
        None => Ok(()),
    }
}

/// Step 9 on the admins, users and groups routes (8509).
pub fn check_emails(emails: &[String]) -> Result<(), V2Error> {
    if emails.iter().all(|e| email::is_well_formed(e)) {
        Ok(())
    } else {
        Err(V2Error::PatternNotMatched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn raw(query: &str) -> RawConfig {
        RawConfig::read(Some(query), &HeaderMap::new(), &BufferedBody::default()).await
    }

    fn code<T>(r: Result<T, V2Error>) -> u32 {
        r.err().map_or(0, |e| e.code())
    }

    #[tokio::test]
    async fn sub_steps_a_to_e() {
        assert_eq!(
            code(raw("CONFIG=%7B%7D&CONFIG=%7B%7D").await.required()),
            8506
        );
        assert_eq!(code(raw("").await.required()), 8504);
        assert_eq!(code(raw("CONFIG=+%09").await.required()), 8077);
        assert_eq!(code(raw("CONFIG=%7B+%7D").await.required()), 8077);
        assert_eq!(code(raw("CONFIG=%5B%5D").await.required()), 8080);
        assert_eq!(code(raw("CONFIG=%FF").await.required()), 8080);
        assert_eq!(raw("CONFIG=%7B%7D").await.optional(), Ok(None));
        assert_eq!(raw("other=1").await.optional(), Ok(None));
        let config = raw("CONFIG=%7B%22a%22%3A+%5B1%2C+%22x%22%2C+1%5D%7D")
            .await
            .required()
            .unwrap();
        assert_eq!(config.ids("a"), Ok(Some(vec!["1".into(), "x".into()])));
        assert_eq!(code(config.emails("a")), 8516);
        let long = format!("CONFIG=%22{}%22", "x".repeat(MAX_CONFIG_CHARS));
        assert_eq!(code(raw(&long).await.required()), 8507);
    }

    #[test]
    fn typed_readers() {
        let config = Config(
            serde_json::from_str::<Value>(
                r#"{"e":[" A@x.com ","a@X.com","b@x.com"],"b":"true","n":1.5,"p":{"read":"true","fly":5},"q":{"read":"yes"},"i":[-1,2]}"#,
            )
            .unwrap()
            .as_object()
            .unwrap()
            .clone(),
        );
        assert_eq!(
            config.emails("e"),
            Ok(Some(vec!["A@x.com".into(), "b@x.com".into()]))
        );
        assert_eq!(config.boolean("b"), Ok(Some(true)));
        assert_eq!(config.boolean("missing"), Ok(None));
        assert_eq!(code(config.integer("n")), 8516);
        assert_eq!(code(config.ids("n")), 8516);
        assert_eq!(
            config.permissions("p"),
            Ok(Some(PermissionSet::of(&[Permission::Read])))
        );
        assert_eq!(code(config.permissions("q")), 8516);
        assert_eq!(config.integers("i"), Ok(Some(vec![-1, 2])));
        assert_eq!(config.require_any(&["x", "e"]), Ok(()));
        assert_eq!(code(config.require("x")), 8079);
    }
}

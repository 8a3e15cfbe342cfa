//! Extractors for CRM handlers. Their rejections are `CrmError`s, so a bad version, path
//! segment, query or body always gets Zoho's envelope, never axum's plain-text rejection.

use std::ops::Range;

use axum::extract::{FromRequestParts, MatchedPath, RawPathParams};
use axum::http::request::Parts;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::body::BufferedBody;

use super::error::CrmError;

/// The versions every CRM endpoint accepts (spec README §3); anything else is a route miss.
pub const CRM_VERSIONS: [&str; 8] = ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"];

/// A supported `{version}` path segment. Handlers that answer the same on every version still
/// take it (as `_version`): extracting it is the check that turns any other version into a
/// route miss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrmVersion(pub &'static str);

impl CrmVersion {
    /// v2 and v2.1 write a user share as `"user"` rather than `"shared_with"` ([Kaizen #49]).
    pub fn uses_legacy_user_form(self) -> bool {
        matches!(self.0, "v2" | "v2.1")
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CrmVersion {
    type Rejection = CrmError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let miss = || CrmError::route_miss(parts.uri.path());
        let raw = version_segment(parts).ok_or_else(miss)?;
        let decoded;
        let version = if raw.contains('%') {
            decoded = percent_decode_str(raw)
                .decode_utf8()
                .ok()
                .ok_or_else(miss)?;
            &*decoded
        } else {
            raw
        };
        CRM_VERSIONS
            .iter()
            .find(|v| **v == version)
            .map(|v| CrmVersion(v))
            .ok_or_else(miss)
    }
}

/// The raw `{version}` segment. Every CRM route starts `/crm/{version}/`, so it is the path's
/// second segment, read without walking the route's template (which [`CrmPath`] does once).
fn version_segment(parts: &Parts) -> Option<&str> {
    let template = parts.extensions.get::<MatchedPath>()?.as_str();
    if template.starts_with(VERSIONED_PREFIX) {
        let rest = parts.uri.path().strip_prefix("/crm/")?;
        return rest.split('/').next();
    }
    raw_path_params(parts)?
        .find(|(name, _)| *name == "version")
        .map(|(_, segment)| segment)
}

const VERSIONED_PREFIX: &str = "/crm/{version}/";

/// The route's `{name}` segments as they stand in the URI (still percent-encoded), without
/// allocating; `None` when the path and the template do not have the same segments.
fn raw_path_params(parts: &Parts) -> Option<impl Iterator<Item = (&str, &str)>> {
    let template = parts.extensions.get::<MatchedPath>()?.as_str();
    let path = parts.uri.path();
    if template.bytes().filter(|b| *b == b'/').count()
        != path.bytes().filter(|b| *b == b'/').count()
    {
        return None;
    }
    Some(
        template
            .split('/')
            .zip(path.split('/'))
            .filter_map(|(pattern, segment)| {
                let name = pattern.strip_prefix('{')?.strip_suffix('}')?;
                Some((name, segment))
            }),
    )
}

/// The percent-decoded path parameters; a segment that does not decode to UTF-8 is `None`
/// and names nothing (an unknown module, record or rule).
#[derive(Debug)]
pub struct CrmPath(Params);

#[derive(Debug)]
enum Params {
    /// Every segment decoded: the router's own parameters, split and decoded once already.
    Router(RawPathParams),
    /// A segment that is not UTF-8 makes axum drop all of them: then each is read from the
    /// URI, names and values in one buffer.
    Uri {
        text: String,
        params: Vec<(Range<usize>, Option<Range<usize>>)>,
    },
}

impl CrmPath {
    pub fn get(&self, name: &str) -> Option<&str> {
        match &self.0 {
            Params::Router(params) => params.iter().find(|(n, _)| *n == name).map(|(_, v)| v),
            Params::Uri { text, params } => params
                .iter()
                .find(|(n, _)| text[n.clone()] == *name)
                .and_then(|(_, v)| v.clone())
                .map(|v| &text[v]),
        }
    }

    fn from_uri(parts: &Parts) -> Option<CrmPath> {
        let raw = raw_path_params(parts)?;
        let mut text = String::with_capacity(64);
        let mut params = Vec::with_capacity(4);
        for (name, segment) in raw {
            let name = push(&mut text, name);
            let value = percent_decode_str(segment)
                .decode_utf8()
                .ok()
                .map(|value| push(&mut text, &value));
            params.push((name, value));
        }
        Some(CrmPath(Params::Uri { text, params }))
    }
}

fn push(text: &mut String, part: &str) -> Range<usize> {
    let start = text.len();
    text.push_str(part);
    start..text.len()
}

impl<S: Send + Sync> FromRequestParts<S> for CrmPath {
    type Rejection = CrmError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Ok(params) = RawPathParams::from_request_parts(parts, state).await {
            return Ok(CrmPath(Params::Router(params)));
        }
        CrmPath::from_uri(parts).ok_or_else(|| CrmError::route_miss(parts.uri.path()))
    }
}

/// Query parameters: names case-sensitive, empty pairs ignored, the first of a repeated name
/// used, an empty value counted as missing (spec README §3).
#[derive(Clone, Debug, Default)]
pub struct CrmQuery(Vec<(String, String)>);

impl CrmQuery {
    pub fn parse(query: &str) -> Self {
        CrmQuery(
            form_urlencoded::parse(query.as_bytes())
                .filter(|(name, _)| !name.is_empty())
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// An integer parameter (`[0-9]+`): `None` when absent, `Err` when malformed.
    pub fn integer(&self, name: &'static str) -> Result<Option<u64>, CrmError> {
        match self.get(name) {
            None => Ok(None),
            Some(text) if text.bytes().all(|b| b.is_ascii_digit()) => text
                .parse::<u64>()
                .map(Some)
                .map_err(|_| CrmError::InvalidParam { param: name }),
            Some(_) => Err(CrmError::InvalidParam { param: name }),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CrmQuery {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(CrmQuery::parse(parts.uri.query().unwrap_or("")))
    }
}

/// Reads a CRM body as a JSON object whatever the `Content-Type` (Zoho's SDKs send none).
/// An empty body reads as `{}`; anything that is not a JSON object is `BodyNotJsonObject`.
pub fn json_object(body: &BufferedBody) -> Result<Map<String, Value>, CrmError> {
    if body.too_large {
        return Err(CrmError::BodyNotJsonObject);
    }
    if body.bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(&body.bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(CrmError::BodyNotJsonObject),
    }
}

/// The items under `wrapper` of a rules or settings body: missing, `null` or `[]` is
/// `MANDATORY_NOT_FOUND`; anything but an array is `INVALID_DATA` `jsonarray`.
pub fn body_items<'b>(
    body: &'b Map<String, Value>,
    wrapper: &'static str,
) -> Result<&'b [Value], CrmError> {
    match body.get(wrapper) {
        None | Some(Value::Null) => Err(CrmError::RequiredFieldNotFound { api_name: wrapper }),
        Some(Value::Array(items)) if items.is_empty() => {
            Err(CrmError::RequiredFieldNotFound { api_name: wrapper })
        }
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(CrmError::WrongType {
            api_name: wrapper,
            expected: "jsonarray",
            json_path: format!("$.{wrapper}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_rules() {
        let q = CrmQuery::parse("module=&module=Leads&page=01&per_page=+1&&x");
        assert_eq!(
            q.get("module"),
            None,
            "the first value counts, and it is empty"
        );
        assert_eq!(q.integer("page"), Ok(Some(1)));
        assert!(q.integer("per_page").is_err());
        assert_eq!(q.integer("absent"), Ok(None));
        assert_eq!(
            CrmQuery::parse("module=Leads&").get("module"),
            Some("Leads")
        );
    }

    #[test]
    fn bodies() {
        let body = |text: &str| BufferedBody {
            bytes: bytes::Bytes::copy_from_slice(text.as_bytes()),
            too_large: false,
            incomplete: None,
        };
        assert!(json_object(&body("")).unwrap().is_empty());
        assert!(json_object(&body("{\"a\":1}")).is_ok());
        assert_eq!(json_object(&body("[1]")), Err(CrmError::BodyNotJsonObject));
        assert_eq!(json_object(&body("{")), Err(CrmError::BodyNotJsonObject));
        let mut big = body("{}");
        big.too_large = true;
        assert_eq!(json_object(&big), Err(CrmError::BodyNotJsonObject));
    }
}

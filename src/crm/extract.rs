//! Extractors for CRM handlers. Their rejections are `CrmError`s, so a bad version, path
//! segment, query or body always gets Zoho's envelope, never axum's plain-text rejection.

use axum::extract::{FromRequestParts, MatchedPath};
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
        let raw = raw_path_params(parts)
            .and_then(|mut params| params.find(|(name, _)| *name == "version"))
            .ok_or_else(miss)?;
        let version = percent_decode_str(raw.1)
            .decode_utf8()
            .ok()
            .ok_or_else(miss)?;
        CRM_VERSIONS
            .iter()
            .find(|v| **v == version)
            .map(|v| CrmVersion(v))
            .ok_or_else(miss)
    }
}

/// The route's `{name}` segments, each percent-decoded once from the request URI, `None` when
/// it does not decode to UTF-8. Read from the URI rather than axum's path parameters, which
/// refuse the whole request when any segment is not UTF-8.
fn path_params(parts: &Parts) -> Option<Vec<(String, Option<String>)>> {
    let params = raw_path_params(parts)?.map(|(name, segment)| {
        let decoded = percent_decode_str(segment)
            .decode_utf8()
            .ok()
            .map(|v| v.into_owned());
        (name.to_owned(), decoded)
    });
    Some(params.collect())
}

/// The route's `{name}` segments as they stand in the URI (still percent-encoded), without
/// allocating: every CRM request reads its version and parameters through here.
fn raw_path_params(parts: &Parts) -> Option<impl Iterator<Item = (&str, &str)>> {
    let template = parts.extensions.get::<MatchedPath>()?.as_str();
    let path = parts.uri.path();
    if template.split('/').count() != path.split('/').count() {
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
#[derive(Clone, Debug, Default)]
pub struct CrmPath(Vec<(String, Option<String>)>);

impl CrmPath {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CrmPath {
    type Rejection = CrmError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        path_params(parts)
            .map(CrmPath)
            .ok_or_else(|| CrmError::route_miss(parts.uri.path()))
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

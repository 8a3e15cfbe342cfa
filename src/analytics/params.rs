//! Analytics v1 request parameters: merged from the query string (where Zoho's own clients put
//! every `ZOHO_*` parameter, starting the string with `&`) and the form body, in that order.

use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use percent_encoding::percent_decode_str;

use crate::body::BufferedBody;
use crate::form::{self, FormPair};

use super::render::{Envelope, Format};

#[derive(Clone, Debug, Default)]
pub struct Params {
    /// Query pairs first, then body pairs.
    pub pairs: Vec<FormPair>,
    /// The body could not be read: too large, or malformed multipart.
    pub unreadable_body: bool,
}

impl Params {
    pub async fn read(query: Option<&str>, headers: &HeaderMap, body: &BufferedBody) -> Params {
        let mut pairs = form::parse_urlencoded(query.unwrap_or("").as_bytes());
        let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let mut unreadable_body = body.too_large;
        if !body.too_large {
            match form::parse_body(content_type, body.bytes.clone()).await {
                Ok(body_pairs) => pairs.extend(body_pairs),
                Err(_) => unreadable_body = true,
            }
        }
        Params {
            pairs,
            unreadable_body,
        }
    }

    /// Every value sent under `name`, query string first (`None` where not UTF-8).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Option<&'a str>> + 'a {
        self.pairs
            .iter()
            .filter(move |p| p.name.as_deref() == Some(name))
            .map(|p| p.value.as_deref())
    }

    /// The first value sent under `name`.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|p| p.name.as_deref() == Some(name))
            .and_then(|p| p.value.as_deref())
    }

    /// `ZOHO_ERROR_FORMAT`'s first occurrence; anything but JSON (or nothing) means XML.
    pub fn error_format(&self) -> Format {
        self.first("ZOHO_ERROR_FORMAT")
            .and_then(Format::parse)
            .unwrap_or(Format::Xml)
    }

    /// The envelope's `action` attribute: `ZOHO_ACTION` as sent (first occurrence), or `""`.
    pub fn action_attribute(&self) -> String {
        self.first("ZOHO_ACTION").unwrap_or_default().to_owned()
    }
}

/// A path segment as the official clients escape it: percent-decoded, then `(/)` -> `/` and
/// `(//)` -> `\`. `None` when it does not decode to UTF-8.
pub fn decode_segment(raw: &str) -> Option<String> {
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    Some(decoded.replace("(//)", "\\").replace("(/)", "/"))
}

/// The segments after `/api/`, decoded (empty segments kept, so the shape can be judged).
pub fn path_segments(path: &str) -> Vec<Option<String>> {
    let rest = path.strip_prefix("/api").unwrap_or(path);
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Vec::new();
    }
    rest.split('/').map(decode_segment).collect()
}

/// The `uri` attribute: `/api/{owner}/{workspace}` decoded, or the decoded path as received.
pub fn response_uri(path: &str) -> String {
    let segments = path_segments(path);
    match segments.as_slice() {
        [Some(owner), Some(workspace)] => format!("/api/{owner}/{workspace}"),
        _ => percent_decode_str(path).decode_utf8_lossy().into_owned(),
    }
}

/// The envelope for a request, as far as it can be known before validation.
pub fn envelope(path: &str, params: &Params) -> Envelope {
    Envelope {
        uri: response_uri(path),
        action: params.action_attribute(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_uri() {
        assert_eq!(
            response_uri("/api/patricia%40zylker.com/Sales%20Analytics"),
            "/api/patricia@zylker.com/Sales Analytics"
        );
        assert_eq!(decode_segment("A(/)B(//)C").unwrap(), "A/B\\C");
        assert_eq!(path_segments("/api/"), Vec::<Option<String>>::new());
        assert_eq!(path_segments("/api/a/").len(), 2);
        assert_eq!(path_segments("/api/a%FF/b")[0], None);
    }
}

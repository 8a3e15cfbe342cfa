//! Analytics v1 envelopes: `{"response":{"uri","action","result"|"error"}}` in JSON (every `/`
//! written `\/`, as Zoho's samples do) or XML (one element per line, no indentation).

use std::borrow::Cow;
use std::io;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

use super::error::AnalyticsError;

pub const XML_CONTENT_TYPE: &str = "text/xml;charset=UTF-8";

/// The methods of `/api/{owner_email}/{workspace_name}`.
const ALLOWED_METHODS: &str = "GET, POST";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    Json,
    /// Zoho's default for errors when `ZOHO_ERROR_FORMAT` is absent.
    #[default]
    Xml,
}

impl Format {
    /// `JSON` or `XML`, any case.
    pub fn parse(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("json") {
            Some(Format::Json)
        } else if text.eq_ignore_ascii_case("xml") {
            Some(Format::Xml)
        } else {
            None
        }
    }
}

/// What every envelope starts with: the request's `uri` and `action` attributes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Envelope {
    pub uri: String,
    pub action: String,
}

/// A result body that can be written both ways: JSON via serde, XML via `write_xml`.
pub trait ResultBody: Serialize {
    fn write_xml(&self, xml: &mut XmlLines);
}

pub fn error(format: Format, envelope: &Envelope, err: &AnalyticsError) -> Response {
    let message = err.message();
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct ErrorBody<'a> {
                code: u32,
                message: &'a str,
            }
            let body = ErrorBody {
                code: err.code(),
                message: &message,
            };
            json_response(err.status(), envelope, "error", &body)
        }
        Format::Xml => {
            let mut xml = XmlLines::new();
            xml.open(
                "response",
                &[("uri", &envelope.uri), ("action", &envelope.action)],
            );
            xml.open("error", &[]);
            xml.leaf("code", &err.code().to_string());
            xml.leaf("message", &message);
            xml.close("error");
            xml.close("response");
            xml_response(err.status(), xml.finish())
        }
    }
}

pub fn result(format: Format, envelope: &Envelope, body: &impl ResultBody) -> Response {
    match format {
        Format::Json => json_response(StatusCode::OK, envelope, "result", body),
        Format::Xml => {
            let mut xml = XmlLines::new();
            xml.open(
                "response",
                &[("uri", &envelope.uri), ("action", &envelope.action)],
            );
            xml.open("result", &[]);
            body.write_xml(&mut xml);
            xml.close("result");
            xml.close("response");
            xml_response(StatusCode::OK, xml.finish())
        }
    }
}

/// 405 with no body (and so no `Content-Type`), naming the methods the URL takes.
pub fn method_not_allowed() -> Response {
    let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(ALLOWED_METHODS));
    response
}

fn json_response(
    status: StatusCode,
    envelope: &Envelope,
    key: &'static str,
    body: &impl Serialize,
) -> Response {
    #[derive(Serialize)]
    struct Outer<'a, T: Serialize> {
        response: Inner<'a, T>,
    }
    #[derive(Serialize)]
    struct Inner<'a, T: Serialize> {
        uri: &'a str,
        action: &'a str,
        #[serde(flatten)]
        body: Keyed<'a, T>,
    }
    struct Keyed<'a, T>(&'static str, &'a T);
    impl<T: Serialize> Serialize for Keyed<'_, T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(Some(1))?;
            map.serialize_entry(self.0, self.1)?;
            map.end()
        }
    }
    let value = Outer {
        response: Inner {
            uri: &envelope.uri,
            action: &envelope.action,
            body: Keyed(key, body),
        },
    };
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, SlashEscaping);
    if let Err(err) = value.serialize(&mut serializer) {
        return crate::response::unserialisable(&err);
    }
    crate::response::json_bytes(status, bytes)
}

fn xml_response(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(XML_CONTENT_TYPE),
    );
    response
}

/// Compact JSON that writes `/` as `\/` inside strings, as Zoho's Analytics samples do.
struct SlashEscaping;

impl Formatter for SlashEscaping {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find('/') {
            writer.write_all(&rest.as_bytes()[..at])?;
            writer.write_all(b"\\/")?;
            rest = &rest[at + 1..];
        }
        CompactFormatter.write_string_fragment(writer, rest)
    }
}

/// XML as Zoho's v1 samples lay it out: a declaration line, then one element per line with no
/// indentation, `\n` after every line; `&`, `<`, `>` and `"` escaped.
pub struct XmlLines {
    writer: Writer<Vec<u8>>,
}

impl XmlLines {
    pub fn new() -> Self {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n");
        XmlLines {
            writer: Writer::new(bytes),
        }
    }

    pub fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            start.push_attribute(Attribute {
                key: QName(key.as_bytes()),
                value: Cow::Owned(escape(value).into_owned().into_bytes()),
            });
        }
        self.event(Event::Start(start));
        self.newline();
    }

    pub fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
        self.newline();
    }

    /// `<name>text</name>` on one line; an empty text gives `<name></name>`.
    pub fn leaf(&mut self, name: &str, text: &str) {
        self.event(Event::Start(BytesStart::new(name)));
        if !text.is_empty() {
            self.event(Event::Text(BytesText::from_escaped(escape(text))));
        }
        self.event(Event::End(BytesEnd::new(name)));
        self.newline();
    }

    /// A JSON array as XML: the `name` element holding one entry per item, or `<name></name>`
    /// when there is none.
    pub fn list<T>(&mut self, name: &str, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
        if items.is_empty() {
            self.leaf(name, "");
            return;
        }
        self.open(name, &[]);
        for entry in items {
            item(self, entry);
        }
        self.close(name);
    }

    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }

    fn newline(&mut self) {
        self.event(Event::Text(BytesText::from_escaped("\n")));
    }

    fn event(&mut self, event: Event<'_>) {
        // Writing into a Vec cannot fail.
        let _ = self.writer.write_event(event);
    }
}

impl Default for XmlLines {
    fn default() -> Self {
        Self::new()
    }
}

/// `&`, `<`, `>` and `"` as entities. Tab, line feed and carriage return become character
/// references, so that they survive attribute-value normalisation; the other control characters,
/// which XML 1.0 cannot carry at all, become U+FFFD.
fn escape(text: &str) -> Cow<'_, str> {
    let needs_work = |c: char| matches!(c, '&' | '<' | '>' | '"') || c < ' ';
    if !text.contains(needs_work) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\t' => escaped.push_str("&#9;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            c if c < ' ' => escaped.push('\u{FFFD}'),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn body_of(response: Response) -> String {
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    fn envelope() -> Envelope {
        Envelope {
            uri: "/api/patricia@zylker.com/Sales Analytics".into(),
            action: "REMOVEDBOWNER".into(),
        }
    }

    #[tokio::test]
    async fn json_error_escapes_slashes() {
        let err = AnalyticsError::NotWorkspaceAdmin {
            email: "amelia@zylker.com".into(),
        };
        let response = error(Format::Json, &envelope(), &err);
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            body_of(response).await,
            r#"{"response":{"uri":"\/api\/patricia@zylker.com\/Sales Analytics","action":"REMOVEDBOWNER","error":{"code":8040,"message":"amelia@zylker.com is not a Workspace Admin."}}}"#
        );
    }

    #[tokio::test]
    async fn xml_error_layout_and_escaping() {
        let env = Envelope {
            uri: "/api/o@x.com/R&D <\"Q\"> 'é'".into(),
            action: "REMOVEDBOWNER".into(),
        };
        let response = error(Format::Xml, &env, &AnalyticsError::WorkspaceNotFound);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/xml;charset=UTF-8"
        );
        assert_eq!(
            body_of(response).await,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n\
             <response uri=\"/api/o@x.com/R&amp;D &lt;&quot;Q&quot;&gt; 'é'\" action=\"REMOVEDBOWNER\">\n\
             <error>\n<code>7103</code>\n\
             <message>Workspace not found! Please check whether the workspace exists.</message>\n\
             </error>\n</response>\n"
        );
    }
}

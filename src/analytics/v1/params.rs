//! Analytics v1 request parameters: merged from the query string (where Zoho's own clients put
//! every `ZOHO_*` parameter, starting the string with `&`) and the form body, query first. Also
//! the checks every action shares: a readable body, no repeated parameter, the output format and
//! the API version.

use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;

use crate::analytics::email::{self, EmailListError};
use crate::body::BufferedBody;
use crate::form::{self, FormPair};

use super::error::AnalyticsError;
use super::render::Format;

pub const ZOHO_ACTION: &str = "ZOHO_ACTION";
pub const ZOHO_OUTPUT_FORMAT: &str = "ZOHO_OUTPUT_FORMAT";
pub const ZOHO_ERROR_FORMAT: &str = "ZOHO_ERROR_FORMAT";
pub const ZOHO_API_VERSION: &str = "ZOHO_API_VERSION";
pub const ZOHO_EMAILS: &str = "ZOHO_EMAILS";
pub const ZOHO_INVITE_MAIL: &str = "ZOHO_INVITE_MAIL";
pub const ZOHO_MAIL_SUBJECT: &str = "ZOHO_MAIL_SUBJECT";
pub const ZOHO_MAIL_MESSAGE: &str = "ZOHO_MAIL_MESSAGE";
pub const ZOHO_DOMAINNAME: &str = "ZOHO_DOMAINNAME";
pub const ZOHO_VIEWS: &str = "ZOHO_VIEWS";
pub const ZOHO_ALLVIEWS: &str = "ZOHO_ALLVIEWS";
pub const ZOHO_CRITERIA: &str = "ZOHO_CRITERIA";

/// The fourteen permission flags of SHARE, in the order of spec analytics-v2-sharing.md §10.1,
/// each with the key of the share's permission set it sets.
pub const PERMISSION_FLAGS: [(&str, &str); 14] = [
    ("ZOHO_READ", "read"),
    ("ZOHO_EXPORT", "export"),
    ("ZOHO_VUD", "vud"),
    ("ZOHO_ADDROW", "addRow"),
    ("ZOHO_UPDATEROW", "updateRow"),
    ("ZOHO_DELETEROW", "deleteRow"),
    ("ZOHO_DELETEALLROWS", "deleteAllRows"),
    ("ZOHO_IMPORT_APPEND", "importAppend"),
    ("ZOHO_IMPORT_ADDORUPDATE", "importAddOrUpdate"),
    ("ZOHO_IMPORT_DELETEALLADD", "importDeleteAllAdd"),
    ("ZOHO_IMPORT_DELETEUPDATEADD", "importDeleteUpdateAdd"),
    ("ZOHO_SHARE", "share"),
    ("ZOHO_VUD_SELCOL", "vudSelectedColumns"),
    ("ZOHO_DRILLDOWN", "drillDown"),
];

/// The parameters the mock reads (spec §2); any other name is ignored, even when repeated.
const KNOWN: [&str; 12] = [
    ZOHO_ACTION,
    ZOHO_OUTPUT_FORMAT,
    ZOHO_ERROR_FORMAT,
    ZOHO_API_VERSION,
    ZOHO_EMAILS,
    ZOHO_INVITE_MAIL,
    ZOHO_MAIL_SUBJECT,
    ZOHO_MAIL_MESSAGE,
    ZOHO_DOMAINNAME,
    ZOHO_VIEWS,
    ZOHO_ALLVIEWS,
    ZOHO_CRITERIA,
];

const API_VERSION: &str = "1.0";

/// What was sent under a name (its first occurrence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param<'a> {
    Missing,
    /// Sent, but not valid UTF-8 once decoded: a bad value (8516).
    NotUtf8,
    Text(&'a str),
}

#[derive(Clone, Debug, Default)]
pub struct Params {
    /// Query pairs first, then body pairs.
    pairs: Vec<FormPair>,
    /// The body could not be read: over 1 MiB, or malformed multipart.
    unreadable_body: bool,
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

    pub fn get(&self, name: &str) -> Param<'_> {
        match self.pairs.iter().find(|p| p.name.as_deref() == Some(name)) {
            None => Param::Missing,
            Some(FormPair { value: None, .. }) => Param::NotUtf8,
            Some(FormPair {
                value: Some(value), ..
            }) => Param::Text(value),
        }
    }

    /// The first value sent under `name`, when it is UTF-8.
    pub fn first(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Param::Text(value) => Some(value),
            Param::Missing | Param::NotUtf8 => None,
        }
    }

    /// Step 4 of spec §4: the body must be readable (8516) and no parameter the mock reads may be
    /// sent twice, counting the query string and the body together (8506).
    pub fn check_readable_and_unrepeated(&self) -> Result<(), AnalyticsError> {
        if self.unreadable_body {
            return Err(AnalyticsError::InvalidValue);
        }
        let flags = PERMISSION_FLAGS.iter().map(|(flag, _)| flag);
        let repeated = KNOWN.iter().chain(flags).any(|name| {
            self.pairs
                .iter()
                .filter(|p| p.name.as_deref() == Some(*name))
                .nth(1)
                .is_some()
        });
        if repeated {
            return Err(AnalyticsError::ParameterRepeated);
        }
        Ok(())
    }

    /// `ZOHO_OUTPUT_FORMAT`: `XML` or `JSON` in any case.
    pub fn output_format(&self) -> Result<Format, AnalyticsError> {
        match self.get(ZOHO_OUTPUT_FORMAT) {
            Param::Missing => Err(AnalyticsError::MissingParameters),
            Param::Text(text) => Format::parse(text).ok_or(AnalyticsError::InvalidValue),
            Param::NotUtf8 => Err(AnalyticsError::InvalidValue),
        }
    }

    /// `ZOHO_API_VERSION`: exactly `1.0`.
    pub fn check_api_version(&self) -> Result<(), AnalyticsError> {
        match self.get(ZOHO_API_VERSION) {
            Param::Missing => Err(AnalyticsError::MissingParameters),
            Param::Text(API_VERSION) => Ok(()),
            Param::Text(_) | Param::NotUtf8 => Err(AnalyticsError::InvalidValue),
        }
    }

    /// `ZOHO_EMAILS`: required (7003), a comma-separated list with a non-empty entry (8504), every
    /// entry an email (8509); trimmed, without duplicates ignoring case.
    pub fn emails(&self) -> Result<Vec<String>, AnalyticsError> {
        match self.get(ZOHO_EMAILS) {
            Param::Missing => Err(AnalyticsError::MissingParameters),
            Param::NotUtf8 => Err(AnalyticsError::InvalidValue),
            Param::Text(list) => email::parse_list(list).map_err(|err| match err {
                EmailListError::NoEntry => AnalyticsError::ParameterNotProper {
                    name: ZOHO_EMAILS.to_owned(),
                },
                EmailListError::Malformed => AnalyticsError::ImproperEmails,
            }),
        }
    }

    /// A `true`/`false` parameter (any case); `None` when absent, 8516 for anything else.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, AnalyticsError> {
        match self.get(name) {
            Param::Missing => Ok(None),
            Param::Text(text) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Param::Text(text) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Param::Text(_) | Param::NotUtf8 => Err(AnalyticsError::InvalidValue),
        }
    }

    /// `ZOHO_INVITE_MAIL`, `ZOHO_MAIL_SUBJECT` (required when inviting) and `ZOHO_MAIL_MESSAGE`.
    /// No mail is ever sent, so they are only validated.
    pub fn check_mail(&self) -> Result<(), AnalyticsError> {
        let invite = self.flag(ZOHO_INVITE_MAIL)?.unwrap_or(false);
        match self.get(ZOHO_MAIL_SUBJECT) {
            // An empty subject is no subject.
            Param::Missing | Param::Text("") if invite => {
                return Err(AnalyticsError::MissingParameters);
            }
            Param::NotUtf8 => return Err(AnalyticsError::InvalidValue),
            Param::Missing | Param::Text(_) => {}
        }
        if self.get(ZOHO_MAIL_MESSAGE) == Param::NotUtf8 {
            return Err(AnalyticsError::InvalidValue);
        }
        Ok(())
    }

    /// The mock models no white-label domain, so any non-empty `ZOHO_DOMAINNAME` names an
    /// unknown one (8060).
    pub fn check_domain_name(&self) -> Result<(), AnalyticsError> {
        match self.get(ZOHO_DOMAINNAME) {
            Param::Missing | Param::Text("") => Ok(()),
            Param::Text(_) => Err(AnalyticsError::DomainNotExist),
            Param::NotUtf8 => Err(AnalyticsError::InvalidValue),
        }
    }

    /// Errors are written in `ZOHO_ERROR_FORMAT` (first occurrence); anything but JSON, or
    /// nothing, means XML. It is never an error itself.
    pub fn error_format(&self) -> Format {
        self.first(ZOHO_ERROR_FORMAT)
            .and_then(Format::parse)
            .unwrap_or(Format::Xml)
    }

    /// The envelope's `action` attribute: `ZOHO_ACTION` as sent (first occurrence), or `""`.
    pub fn action_attribute(&self) -> String {
        self.first(ZOHO_ACTION).unwrap_or_default().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn params(query: &str, body: &str) -> Params {
        let body = BufferedBody {
            bytes: body.to_owned().into(),
            too_large: false,
            incomplete: None,
        };
        Params::read(Some(query), &HeaderMap::new(), &body).await
    }

    #[tokio::test]
    async fn query_comes_before_body() {
        let p = params(
            "&ZOHO_ERROR_FORMAT=JSON&x=%FF",
            "ZOHO_ACTION=GETSHAREINFO&x=1",
        )
        .await;
        assert_eq!(p.get(ZOHO_ACTION), Param::Text("GETSHAREINFO"));
        assert_eq!(p.get("x"), Param::NotUtf8);
        assert_eq!(p.get(ZOHO_EMAILS), Param::Missing);
        assert_eq!(p.error_format(), Format::Json);
        assert_eq!(p.action_attribute(), "GETSHAREINFO");
        assert_eq!(p.check_readable_and_unrepeated(), Ok(()));
    }

    #[tokio::test]
    async fn repeated_known_names_only() {
        let p = params("ZOHO_ERROR_FORMAT=json", "ZOHO_ERROR_FORMAT=XML").await;
        assert_eq!(
            p.check_readable_and_unrepeated(),
            Err(AnalyticsError::ParameterRepeated)
        );
        assert_eq!(p.error_format(), Format::Json);
        let p = params("ZOHO_VALID_JSON=TRUE", "ZOHO_VALID_JSON=TRUE").await;
        assert_eq!(p.check_readable_and_unrepeated(), Ok(()));
    }

    #[tokio::test]
    async fn formats_and_version() {
        let p = params("ZOHO_OUTPUT_FORMAT=json&ZOHO_API_VERSION=1.0", "").await;
        assert_eq!(p.output_format(), Ok(Format::Json));
        assert_eq!(p.check_api_version(), Ok(()));
        let p = params("ZOHO_OUTPUT_FORMAT=CSV&ZOHO_API_VERSION=1", "").await;
        assert_eq!(p.output_format(), Err(AnalyticsError::InvalidValue));
        assert_eq!(p.check_api_version(), Err(AnalyticsError::InvalidValue));
        let p = params("", "").await;
        assert_eq!(p.output_format(), Err(AnalyticsError::MissingParameters));
        assert_eq!(
            p.check_api_version(),
            Err(AnalyticsError::MissingParameters)
        );
        assert_eq!(p.error_format(), Format::Xml);
        assert_eq!(p.action_attribute(), "");
    }
}

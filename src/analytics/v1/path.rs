//! The v1 URL `/api/{owner_email}/{workspace_name}`: its shape (7102, 7138), the decoding of its
//! segments, and the `uri` attribute every answer carries. A segment is percent-decoded, then the
//! official clients' escapes are undone: `(/)` is `/` and `(//)` is `\`.

use percent_encoding::percent_decode_str;

use super::error::AnalyticsError;

/// The two segments of a well-shaped URL, decoded; `None` where a segment is not UTF-8 (it then
/// names nothing: spec README §3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspacePath {
    pub owner_email: Option<String>,
    pub workspace_name: Option<String>,
}

impl WorkspacePath {
    /// Fewer than two non-empty segments is 7102; more than two segments (a view-level URL, or
    /// a trailing slash) is 7138.
    pub fn parse(path: &str) -> Result<WorkspacePath, AnalyticsError> {
        let segments = raw_segments(path);
        if segments.iter().filter(|s| !s.is_empty()).count() < 2 {
            return Err(AnalyticsError::EmptyWorkspaceName);
        }
        match segments.as_slice() {
            [owner, workspace] => Ok(WorkspacePath {
                owner_email: decode_segment(owner),
                workspace_name: decode_segment(workspace),
            }),
            _ => Err(AnalyticsError::ViewNotFound),
        }
    }
}

/// The raw segments after `/api/` (empty ones kept, so that the shape can be judged).
fn raw_segments(path: &str) -> Vec<&str> {
    let rest = path.strip_prefix("/api").unwrap_or(path);
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Vec::new();
    }
    split_segments(rest)
}

/// Splits on `/`, except the slashes of the escapes `(/)` and `(//)`: the official clients
/// send them unencoded (they percent-encode the name first and escape afterwards).
fn split_segments(raw: &str) -> Vec<&str> {
    let mut segments = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < raw.len() {
        let rest = &raw[at..];
        if rest.starts_with("(//)") {
            at += 4;
        } else if rest.starts_with("(/)") {
            at += 3;
        } else if rest.starts_with('/') {
            segments.push(&raw[start..at]);
            at += 1;
            start = at;
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    segments.push(&raw[start..]);
    segments
}

/// A segment as the official clients escape it; `None` when it does not decode to UTF-8.
pub fn decode_segment(raw: &str) -> Option<String> {
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    Some(unescape(&decoded))
}

fn unescape(segment: &str) -> String {
    segment.replace("(//)", "\\").replace("(/)", "/")
}

/// The `uri` attribute: the path with every segment decoded (bytes that are not UTF-8 become
/// U+FFFD), so `/api/patricia%40zylker.com/Sales%20Analytics` gives
/// `/api/patricia@zylker.com/Sales Analytics`, and a path of the wrong shape is echoed whole.
pub fn response_uri(path: &str) -> String {
    let Some(rest) = path.strip_prefix("/api/") else {
        return path.to_owned();
    };
    let decoded: Vec<String> = split_segments(rest)
        .into_iter()
        .map(|segment| unescape(&percent_decode_str(segment).decode_utf8_lossy()))
        .collect();
    format!("/api/{}", decoded.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(path: &str) -> Result<(), u32> {
        WorkspacePath::parse(path).map(|_| ()).map_err(|e| e.code())
    }

    #[test]
    fn shapes() {
        for path in [
            "/api",
            "/api/",
            "/api/o@x.com",
            "/api/o@x.com/",
            "/api//W",
            "/api//",
        ] {
            assert_eq!(shape(path), Err(7102), "{path}");
        }
        for path in [
            "/api/o@x.com/W/view",
            "/api/o@x.com/W/",
            "/api/o@x.com//W",
            "/api/a/b/c/d",
        ] {
            assert_eq!(shape(path), Err(7138), "{path}");
        }
        assert_eq!(shape("/api/o@x.com/W"), Ok(()));
        assert_eq!(
            shape("/api/o@x.com/A(/)B(//)C(/)"),
            Ok(()),
            "escapes are no separators"
        );
    }

    #[test]
    fn segments_are_decoded_and_unescaped() {
        let parsed = WorkspacePath::parse("/api/o%40x.com/A(/)B(//)C%20%28%2F%29").unwrap();
        assert_eq!(parsed.owner_email.as_deref(), Some("o@x.com"));
        assert_eq!(parsed.workspace_name.as_deref(), Some("A/B\\C /"));
        let parsed = WorkspacePath::parse("/api/o%FF/W%FE").unwrap();
        assert_eq!(parsed.owner_email, None);
        assert_eq!(parsed.workspace_name, None);
    }

    #[test]
    fn uri_attribute() {
        assert_eq!(
            response_uri("/api/patricia%40zylker.com/Sales%20Analytics"),
            "/api/patricia@zylker.com/Sales Analytics"
        );
        assert_eq!(response_uri("/api"), "/api");
        assert_eq!(response_uri("/api/"), "/api/");
        assert_eq!(response_uri("/api/a/b(/)c/d%2Fe"), "/api/a/b/c/d/e");
        assert_eq!(
            response_uri("/api/o%40x.com/Q1(/)Q2%20(//)%20Plan"),
            "/api/o@x.com/Q1/Q2 \\ Plan"
        );
        assert_eq!(response_uri("/api/a%FF/b"), "/api/a\u{FFFD}/b");
    }
}

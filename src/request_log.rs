//! The one log line per request (DESIGN §1): method, URI, HTTP version, status and latency, at
//! INFO, or at DEBUG for `/__admin/health`, which container healthchecks call every few seconds.
//!
//! By default the line is a `tracing` event (target `zoho_sharing_mock::request`, the five
//! values as fields), for whatever subscriber the embedding program installs. The binary's text
//! format instead hands [`write_text_lines_to`] a writer: the line is then formatted here, in
//! the layout of `tracing-subscriber`'s text format, and written in one call, while `RUST_LOG`
//! still decides whether it is written. Formatting one known line directly costs a tenth of
//! what the generic field visitor, its escaping and its date formatting cost, which mattered:
//! the generic line cost as much as the rest of a share update.

use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::Duration;

use axum::http::{Method, Uri, Version};
use chrono::{Datelike, Timelike, Utc};
use tracing::Level;

/// The request line's target (what `RUST_LOG` filters on).
pub const TARGET: &str = "zoho_sharing_mock::request";

/// Where preformatted text lines go, once the binary has set it.
type Sink = Box<dyn Fn(&[u8]) + Send + Sync>;

static TEXT_SINK: OnceLock<Sink> = OnceLock::new();

/// Writes every request log line as preformatted text (the layout of `tracing-subscriber`'s
/// text format) through `write`, one call per line with its newline, instead of emitting a
/// `tracing` event; `RUST_LOG` still filters the lines (target `zoho_sharing_mock::request`).
/// For a program whose own subscriber writes text to the same place. The first call wins.
pub fn write_text_lines_to(write: impl Fn(&[u8]) + Send + Sync + 'static) {
    let _ = TEXT_SINK.set(Box::new(write));
}

/// Whether a line at this level would be written: the same `RUST_LOG` decision a `tracing`
/// event of the target gets.
pub fn enabled(quiet: bool) -> bool {
    if quiet {
        tracing::enabled!(target: TARGET, Level::DEBUG)
    } else {
        tracing::enabled!(target: TARGET, Level::INFO)
    }
}

/// What one line says.
pub struct Line<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub version: Version,
    pub status: u16,
    pub latency: Duration,
    /// DEBUG rather than INFO.
    pub quiet: bool,
}

impl Line<'_> {
    pub fn write(&self) {
        let latency_us = u64::try_from(self.latency.as_micros()).unwrap_or(u64::MAX);
        let Some(sink) = TEXT_SINK.get() else {
            let (method, uri, version, status) = (self.method, self.uri, self.version, self.status);
            if self.quiet {
                tracing::debug!(target: TARGET, %method, %uri, ?version, status, latency_us, "request");
            } else {
                tracing::info!(target: TARGET, %method, %uri, ?version, status, latency_us, "request");
            }
            return;
        };
        let mut line = String::with_capacity(160 + self.uri.path().len());
        push_utc_now(&mut line);
        line.push_str(if self.quiet { " DEBUG " } else { "  INFO " });
        line.push_str(TARGET);
        line.push_str(": request method=");
        line.push_str(self.method.as_str());
        line.push_str(" uri=");
        // A `Uri` holds visible ASCII only (the parser refuses control bytes), so the line
        // needs no escaping.
        if self.uri.scheme().is_none() && self.uri.authority().is_none() {
            line.push_str(self.uri.path());
            if let Some(query) = self.uri.query() {
                line.push('?');
                line.push_str(query);
            }
        } else {
            let _ = write!(line, "{}", self.uri);
        }
        line.push_str(" version=");
        line.push_str(version_name(self.version));
        line.push_str(" status=");
        push_decimal(&mut line, u64::from(self.status), 1);
        line.push_str(" latency_us=");
        push_decimal(&mut line, latency_us, 1);
        line.push('\n');
        sink(line.as_bytes());
    }
}

fn version_name(version: Version) -> &'static str {
    match version {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_11 => "HTTP/1.1",
        Version::HTTP_2 => "HTTP/2.0",
        Version::HTTP_3 => "HTTP/3.0",
        _ => "HTTP/?",
    }
}

/// `2026-12-02T01:02:03.123456Z`, the wall clock in UTC (not the mock's clock, which tests
/// move), as `tracing-subscriber` writes it.
fn push_utc_now(line: &mut String) {
    let now = Utc::now();
    push_decimal(line, u64::try_from(now.year()).unwrap_or(0), 4);
    line.push('-');
    push_decimal(line, u64::from(now.month()), 2);
    line.push('-');
    push_decimal(line, u64::from(now.day()), 2);
    line.push('T');
    push_decimal(line, u64::from(now.hour()), 2);
    line.push(':');
    push_decimal(line, u64::from(now.minute()), 2);
    line.push(':');
    push_decimal(line, u64::from(now.second()), 2);
    line.push('.');
    // A leap second reads as 60 in `second` and over a million here; keep six digits.
    push_decimal(line, u64::from(now.nanosecond() / 1_000 % 1_000_000), 6);
    line.push('Z');
}

/// `n` in decimal, left-padded with zeros to `width` digits.
fn push_decimal(line: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    while n > 0 || digits.len() - at < width {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    // Only ASCII digits were written.
    line.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_times() {
        let mut line = String::new();
        push_decimal(&mut line, 0, 1);
        push_decimal(&mut line, 7, 2);
        push_decimal(&mut line, 1234, 2);
        push_decimal(&mut line, u64::MAX, 1);
        assert_eq!(line, format!("0071234{}", u64::MAX));
        let mut time = String::new();
        push_utc_now(&mut time);
        assert_eq!(time.len(), "2026-12-02T01:02:03.123456Z".len(), "{time}");
        assert!(
            chrono::DateTime::parse_from_rfc3339(&time).is_ok(),
            "{time}"
        );
    }
}

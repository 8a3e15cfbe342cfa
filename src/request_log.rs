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

use std::cell::Cell;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{Method, Uri, Version};
use chrono::{DateTime, Datelike, Timelike, Utc};
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
        let mut line = Vec::with_capacity(160 + self.uri.path().len());
        push_utc_now(&mut line);
        line.extend_from_slice(if self.quiet { b" DEBUG " } else { b"  INFO " });
        line.extend_from_slice(TARGET.as_bytes());
        line.extend_from_slice(b": request method=");
        line.extend_from_slice(self.method.as_str().as_bytes());
        line.extend_from_slice(b" uri=");
        // A `Uri` holds visible ASCII only (the parser refuses control bytes), so the line
        // needs no escaping.
        if self.uri.scheme().is_none() && self.uri.authority().is_none() {
            line.extend_from_slice(self.uri.path().as_bytes());
            if let Some(query) = self.uri.query() {
                line.push(b'?');
                line.extend_from_slice(query.as_bytes());
            }
        } else {
            let _ = write!(line, "{}", self.uri);
        }
        line.extend_from_slice(b" version=");
        line.extend_from_slice(version_name(self.version).as_bytes());
        line.extend_from_slice(b" status=");
        push_decimal(&mut line, u64::from(self.status), 1);
        line.extend_from_slice(b" latency_us=");
        push_decimal(&mut line, latency_us, 1);
        line.push(b'\n');
        sink(&line);
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

/// `YYYY-MM-DDTHH:MM:SS` of one second, the part of the time stamp that changes once a second.
type SecondText = [u8; 19];

thread_local! {
    /// The last second this thread wrote, formatted: a busy server writes thousands of lines a
    /// second, and the calendar arithmetic is then done once a second rather than per line.
    static LAST_SECOND: Cell<(u64, SecondText)> = const { Cell::new((u64::MAX, [0; 19])) };
}

/// `2026-12-02T01:02:03.123456Z`, the wall clock in UTC (not the mock's clock, which tests
/// move), as `tracing-subscriber` writes it.
fn push_utc_now(line: &mut Vec<u8>) {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let second = since_epoch.as_secs();
    let text = LAST_SECOND.with(|last| {
        let (cached, text) = last.get();
        if cached == second {
            return text;
        }
        let text = second_text(second);
        last.set((second, text));
        text
    });
    line.extend_from_slice(&text);
    line.push(b'.');
    push_decimal(line, u64::from(since_epoch.subsec_micros()), 6);
    line.push(b'Z');
}

fn second_text(second: u64) -> SecondText {
    let time = i64::try_from(second)
        .ok()
        .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
        .unwrap_or_default();
    let mut text = Vec::with_capacity(19);
    push_decimal(&mut text, u64::try_from(time.year()).unwrap_or(0), 4);
    text.push(b'-');
    push_decimal(&mut text, u64::from(time.month()), 2);
    text.push(b'-');
    push_decimal(&mut text, u64::from(time.day()), 2);
    text.push(b'T');
    push_decimal(&mut text, u64::from(time.hour()), 2);
    text.push(b':');
    push_decimal(&mut text, u64::from(time.minute()), 2);
    text.push(b':');
    push_decimal(&mut text, u64::from(time.second()), 2);
    let mut fixed = [b'0'; 19];
    let len = text.len().min(19);
    fixed[..len].copy_from_slice(&text[..len]);
    fixed
}

/// `n` in decimal, left-padded with zeros to `width` digits.
fn push_decimal(line: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    while n > 0 || digits.len() - at < width {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    line.extend_from_slice(&digits[at..]);
}

/// A log destination that gathers lines and writes them in batches from its own thread.
///
/// Under load the mock answers tens of thousands of requests a second, and one `write` to
/// stderr per log line cost the server more CPU than the rest of a share update. Here a line is
/// appended to a buffer in memory; a writer thread, woken when the buffer stops being empty,
/// waits a millisecond (`LINGER`) for more to gather and writes them all in one call. A line is therefore on
/// stderr about a millisecond after its request is answered, lines keep their order (every log
/// line of the process goes through the same buffer), and dropping the [`BatchedLogGuard`]
/// writes what is left before the process exits. The buffer is bounded (1 MiB, `MAX_PENDING`): when
/// stderr does not keep up, writers wait for it, as a direct `write` would.
#[derive(Clone)]
pub struct BatchedLog(Arc<Batch>);

struct Batch {
    pending: Mutex<Pending>,
    /// The buffer stopped being empty, or the log is closing.
    filled: Condvar,
    /// The writer thread took the buffer.
    drained: Condvar,
}

#[derive(Default)]
struct Pending {
    bytes: Vec<u8>,
    closed: bool,
}

/// How long the writer thread lets lines gather once the first one is in.
pub const LINGER: Duration = Duration::from_millis(1);

/// Lines held in memory at most (1 MiB) before a writer waits for the writer thread.
pub const MAX_PENDING: usize = 1024 * 1024;

/// Writes what is left and stops the writer thread when dropped.
pub struct BatchedLogGuard {
    log: BatchedLog,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BatchedLog {
    /// A batched log over `out`, and the guard that flushes and stops it.
    /// Fails only when the writer thread cannot be started.
    pub fn new(
        mut out: impl Write + Send + 'static,
    ) -> std::io::Result<(BatchedLog, BatchedLogGuard)> {
        let log = BatchedLog(Arc::new(Batch {
            pending: Mutex::new(Pending::default()),
            filled: Condvar::new(),
            drained: Condvar::new(),
        }));
        let batch = Arc::clone(&log.0);
        let thread = std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || batch.write_out(&mut out))?;
        let guard = BatchedLogGuard {
            log: log.clone(),
            thread: Some(thread),
        };
        Ok((log, guard))
    }

    /// Appends `bytes` (whole lines) to the batch.
    pub fn append(&self, bytes: &[u8]) {
        let batch = &self.0;
        let mut pending = batch.lock();
        while pending.bytes.len() >= MAX_PENDING && !pending.closed {
            pending = batch
                .drained
                .wait(pending)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let was_empty = pending.bytes.is_empty();
        pending.bytes.extend_from_slice(bytes);
        drop(pending);
        if was_empty {
            batch.filled.notify_one();
        }
    }
}

impl Batch {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // A panic while holding the lock leaves whole lines behind: still writable.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The writer thread: waits for lines, lets more gather, writes them in one call.
    fn write_out(&self, out: &mut impl Write) {
        let mut spare = Vec::new();
        loop {
            let mut pending = self.lock();
            while pending.bytes.is_empty() && !pending.closed {
                pending = self
                    .filled
                    .wait(pending)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if pending.bytes.is_empty() {
                return;
            }
            if !pending.closed {
                drop(pending);
                std::thread::sleep(LINGER);
                pending = self.lock();
            }
            std::mem::swap(&mut pending.bytes, &mut spare);
            let closed = pending.closed;
            drop(pending);
            self.drained.notify_all();
            // Nothing to do when stderr is gone; the lines are dropped as a direct write's
            // would be.
            let _ = out.write_all(&spare).and_then(|()| out.flush());
            spare.clear();
            if closed && self.lock().bytes.is_empty() {
                return;
            }
        }
    }
}

impl Write for BatchedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.append(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for BatchedLogGuard {
    fn drop(&mut self) {
        self.log.0.lock().closed = true;
        self.log.0.filled.notify_one();
        self.log.0.drained.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_times() {
        let mut line = Vec::new();
        push_decimal(&mut line, 0, 1);
        push_decimal(&mut line, 7, 2);
        push_decimal(&mut line, 1234, 2);
        push_decimal(&mut line, u64::MAX, 1);
        assert_eq!(line, format!("0071234{}", u64::MAX).into_bytes());
        assert_eq!(&second_text(0), b"1970-01-01T00:00:00");
        assert_eq!(&second_text(1_796_173_323), b"2026-12-02T01:02:03");
        let mut time = Vec::new();
        push_utc_now(&mut time);
        push_utc_now(&mut time);
        let time = String::from_utf8(time).unwrap();
        let (first, second) = time.split_at(time.len() / 2);
        assert!(first <= second, "{time}");
        let time = first;
        assert_eq!(time.len(), "2026-12-02T01:02:03.123456Z".len(), "{time}");
        assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
    }

    #[test]
    fn batched_lines_arrive_in_order_and_all_by_the_guard() {
        let written = Arc::new(Mutex::new(Vec::new()));
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let (log, guard) = BatchedLog::new(Shared(Arc::clone(&written))).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let log = log.clone();
                std::thread::spawn(move || {
                    for i in 0..2_000 {
                        log.append(format!("{t} {i}\n").as_bytes());
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        drop(guard);
        let text = String::from_utf8(written.lock().unwrap().clone()).unwrap();
        let mut next = [0; 4];
        for line in text.lines() {
            let (t, i) = line.split_once(' ').unwrap();
            let (t, i): (usize, usize) = (t.parse().unwrap(), i.parse().unwrap());
            assert_eq!(i, next[t], "thread {t}'s lines in order");
            next[t] += 1;
        }
        assert_eq!(
            next, [2_000; 4],
            "every line written before the guard returns"
        );
    }
}

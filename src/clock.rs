//! The mock's one clock. Every time the mock writes or compares (share times, token expiry,
//! rule-computation timers, journal times) comes from here, so a test can freeze and advance it.
//!
//! Every stored time must render as ISO 8601 and parse back, which RFC 3339's four-digit years
//! allow from 0000 to 9999 (UTC). So a `Timestamp` never leaves that range (arithmetic
//! saturates at its ends, parsing refuses what lies outside), and the clock itself stands
//! between 1970 and 9999 (DESIGN §5): an instant outside is refused, never wrapped.

use std::sync::Mutex;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Milliseconds since the Unix epoch, on the mock's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// 0000-01-01T00:00:00Z, the earliest instant a four-digit year writes.
    pub const EARLIEST: Timestamp = Timestamp(-62_167_219_200_000);
    /// 9999-12-31T23:59:59.999Z, the latest instant a four-digit year writes, and the latest the
    /// clock reaches.
    pub const LATEST: Timestamp = Timestamp(253_402_300_799_999);
    /// 1970-01-01T00:00:00Z: the clock never stands before it.
    pub const EPOCH: Timestamp = Timestamp(0);

    pub fn from_secs(secs: i64) -> Self {
        Timestamp(secs.saturating_mul(1000)).clamped()
    }

    /// Whole seconds, truncated towards the past (timestamps are rendered in whole seconds).
    pub fn secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    pub fn truncated_to_secs(self) -> Self {
        Timestamp::from_secs(self.secs())
    }

    /// `ms` later, or the latest renderable instant if that is sooner (a token minted for 3600 s
    /// at 9999-12-31T23:30:00 expires at the clock's last instant).
    pub fn plus_ms(self, ms: i64) -> Self {
        Timestamp(self.0.saturating_add(ms)).clamped()
    }

    /// `ms` later, if that instant is still renderable.
    pub fn checked_plus_ms(self, ms: i64) -> Option<Self> {
        let later = Timestamp(self.0.checked_add(ms)?);
        (later <= Timestamp::LATEST).then_some(later)
    }

    fn clamped(self) -> Self {
        Timestamp(self.0.clamp(Timestamp::EARLIEST.0, Timestamp::LATEST.0))
    }

    /// ISO 8601 in whole seconds with a `+00:00` offset, as Zoho renders times.
    pub fn to_iso(self) -> String {
        let mut buffer = [0u8; ISO_LEN];
        match self.write_iso(&mut buffer) {
            Some(text) => text.to_owned(),
            None => self.to_iso_by_chrono(),
        }
    }

    fn to_iso_by_chrono(self) -> String {
        // In range by construction; the fallback only keeps this total.
        DateTime::<Utc>::from_timestamp(self.clamped().secs(), 0)
            .unwrap_or_default()
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }

    /// [`Timestamp::to_iso`] written into `buffer` without chrono's formatter, for years 0 to
    /// 9999 (`None` outside them: chrono's form then). Every answer with a time and every state
    /// export renders times: this costs a tenth of the formatter.
    fn write_iso(self, buffer: &mut [u8; ISO_LEN]) -> Option<&str> {
        let secs = self.secs();
        let (days, in_day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        if !(0..=9999).contains(&year) {
            return None;
        }
        let mut at = 0;
        let mut put = |n: i64, width: usize, after: u8| {
            let mut n = n;
            for i in (0..width).rev() {
                buffer[at + i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
            at += width;
            if after != 0 {
                buffer[at] = after;
                at += 1;
            }
        };
        put(year, 4, b'-');
        put(month, 2, b'-');
        put(day, 2, b'T');
        put(in_day / 3600, 2, b':');
        put(in_day / 60 % 60, 2, b':');
        put(in_day % 60, 2, 0);
        buffer[at..].copy_from_slice(b"+00:00");
        std::str::from_utf8(buffer).ok()
    }

    /// Parses ISO 8601 / RFC 3339 with an offset (`Z` or `+hh:mm`); fractions of a second are
    /// kept. An instant whose UTC year is not 0000 to 9999 is `None`: it would not render back.
    pub fn parse_iso(text: &str) -> Option<Self> {
        Self::parse_checked(text).ok()
    }

    /// A date-time with an offset ([`Timestamp::parse_iso`]), or a date `YYYY-MM-DD` read as
    /// midnight UTC: the two forms rule criteria compare in time.
    pub fn parse_date_or_time(text: &str) -> Option<Self> {
        if let Some(at) = Timestamp::parse_iso(text) {
            return Some(at);
        }
        if text.len() != 10 {
            return None;
        }
        let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        Some(Timestamp(
            date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis(),
        ))
    }

    fn parse_checked(text: &str) -> Result<Self, ParseError> {
        let parsed = DateTime::parse_from_rfc3339(text).map_err(|_| ParseError::Syntax)?;
        let at = Timestamp(parsed.timestamp_millis());
        if (Timestamp::EARLIEST..=Timestamp::LATEST).contains(&at) {
            Ok(at)
        } else {
            Err(ParseError::Range)
        }
    }
}

enum ParseError {
    Syntax,
    Range,
}

/// `YYYY-MM-DDTHH:MM:SS+00:00`
const ISO_LEN: usize = 25;

/// The proleptic Gregorian (year, month, day) of a day count from 1970-01-01 (H. Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buffer = [0u8; ISO_LEN];
        match self.write_iso(&mut buffer) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_str(&self.to_iso_by_chrono()),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse_checked(&text).map_err(|error| {
            serde::de::Error::custom(match error {
                ParseError::Syntax => format!(
                    "invalid timestamp {text:?}: expected ISO 8601 with an offset, e.g. 2026-11-20T10:00:00+00:00"
                ),
                ParseError::Range => format!(
                    "timestamp {text:?} is outside the years 0000 to 9999 (UTC) that timestamps are written in"
                ),
            })
        })
    }
}

/// The clock was asked to stand outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z; it
/// did not move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange;

#[derive(Debug, Default)]
struct ClockState {
    /// `Some` while frozen: the instant the clock stands at.
    frozen_at: Option<i64>,
    /// Added to the real time while running (what `advance` leaves behind on a real clock).
    offset_ms: i64,
}

/// Real time by default; a test can freeze it at an instant, advance it, and return to real time.
#[derive(Debug, Default)]
pub struct Clock {
    state: Mutex<ClockState>,
}

impl Clock {
    /// A running clock that real time carries past the last instant stays there.
    pub fn now(&self) -> Timestamp {
        let state = self.lock();
        Timestamp(
            state
                .frozen_at
                .unwrap_or_else(|| real_now_ms().saturating_add(state.offset_ms)),
        )
        .within_clock_range()
    }

    pub fn is_frozen(&self) -> bool {
        self.lock().frozen_at.is_some()
    }

    /// Freezes the clock at `at`, an instant of the years 1970 to 9999.
    pub fn freeze_at(&self, at: Timestamp) -> Result<(), OutOfRange> {
        if !(Timestamp::EPOCH..=Timestamp::LATEST).contains(&at) {
            return Err(OutOfRange);
        }
        self.lock().frozen_at = Some(at.0);
        Ok(())
    }

    /// Moves a frozen clock forward, or shifts a running clock forward (it keeps running from
    /// there); refused, the clock unchanged, when it would pass the last instant.
    pub fn advance(&self, ms: u64) -> Result<(), OutOfRange> {
        let ms = i64::try_from(ms).map_err(|_| OutOfRange)?;
        let mut state = self.lock();
        let later = |at: i64| Timestamp(at).checked_plus_ms(ms).ok_or(OutOfRange);
        match state.frozen_at {
            Some(at) => state.frozen_at = Some(later(at)?.0),
            None => {
                let offset = state.offset_ms.checked_add(ms).ok_or(OutOfRange)?;
                later(real_now_ms().saturating_add(state.offset_ms))?;
                state.offset_ms = offset;
            }
        }
        Ok(())
    }

    pub fn reset_to_real_time(&self) {
        *self.lock() = ClockState::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockState> {
        // A poisoned clock still holds valid integers; keep serving.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn real_now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

impl Timestamp {
    fn within_clock_range(self) -> Self {
        Timestamp(self.0.clamp(Timestamp::EPOCH.0, Timestamp::LATEST.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written form against chrono's, over days from year 0 to 9999 and around the
    /// edges of that range.
    #[test]
    fn iso_agrees_with_chrono() {
        let mut secs: i64 = -62_167_219_200 - 86_400 * 2;
        let mut step: i64 = 1;
        while secs < 253_402_300_800 + 86_400 * 2 {
            let at = Timestamp::from_secs(secs).plus_ms(secs.rem_euclid(1000));
            assert_eq!(at.to_iso(), at.to_iso_by_chrono(), "{secs}");
            let json = serde_json::to_string(&at).unwrap();
            assert_eq!(json, format!("\"{}\"", at.to_iso_by_chrono()));
            secs += step;
            step = (step * 7 / 3 + 1) % 9_999_991;
        }
        assert_eq!(Timestamp(-1).to_iso(), "1969-12-31T23:59:59+00:00");
        assert_eq!(
            Timestamp(951_782_400_000).to_iso(),
            "2000-02-29T00:00:00+00:00"
        );
    }

    #[test]
    fn renders_whole_seconds_with_offset() {
        let t = Timestamp::parse_iso("2026-11-21T09:30:00.999+00:00").unwrap();
        assert_eq!(t.to_iso(), "2026-11-21T09:30:00+00:00");
        assert_eq!(t.0 % 1000, 999);
    }

    #[test]
    fn parses_other_offsets_into_utc() {
        let t = Timestamp::parse_iso("2026-11-21T15:00:00+05:30").unwrap();
        assert_eq!(t.to_iso(), "2026-11-21T09:30:00+00:00");
        assert!(Timestamp::parse_iso("2026-11-21 09:30:00").is_none());
    }

    #[test]
    fn dates_read_as_midnight_utc() {
        assert_eq!(
            Timestamp::parse_date_or_time("2026-11-21"),
            Timestamp::parse_iso("2026-11-21T00:00:00+00:00")
        );
        assert_eq!(
            Timestamp::parse_date_or_time("2026-11-21T05:30:00+05:30"),
            Timestamp::parse_iso("2026-11-21T00:00:00Z")
        );
        for bad in [
            "2026-11-31",
            "2026-1-21",
            "21-11-2026",
            "2026-11-21T09:00:00",
            "x",
        ] {
            assert_eq!(Timestamp::parse_date_or_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn frozen_clock_stands_still_until_advanced() {
        let clock = Clock::default();
        let at = Timestamp::parse_iso("2026-01-01T00:00:00Z").unwrap();
        clock.freeze_at(at).unwrap();
        assert_eq!(clock.now(), at);
        clock.advance(1500).unwrap();
        assert_eq!(clock.now(), at.plus_ms(1500));
        clock.reset_to_real_time();
        assert!(!clock.is_frozen());
        assert!(clock.now() > at);
    }

    #[test]
    fn advancing_a_running_clock_shifts_it() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(3_600_000).unwrap();
        assert!(clock.now().0 >= before.0 + 3_600_000);
    }

    #[test]
    fn the_clock_never_leaves_1970_to_9999() {
        let clock = Clock::default();
        assert_eq!(clock.freeze_at(Timestamp(-1)), Err(OutOfRange));
        assert_eq!(
            clock.freeze_at(Timestamp(Timestamp::LATEST.0 + 1)),
            Err(OutOfRange)
        );
        clock.freeze_at(Timestamp::LATEST).unwrap();
        assert_eq!(clock.advance(1), Err(OutOfRange));
        assert_eq!(clock.advance(u64::MAX), Err(OutOfRange));
        assert_eq!(clock.now(), Timestamp::LATEST);
        assert_eq!(clock.now().to_iso(), "9999-12-31T23:59:59+00:00");
        clock.reset_to_real_time();
        assert_eq!(clock.advance(i64::MAX as u64), Err(OutOfRange));
        // Right up to the last instant is allowed; real time then runs into it and stays.
        let left = Timestamp::LATEST.0 - clock.now().0;
        clock.advance(u64::try_from(left).unwrap()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(clock.now(), Timestamp::LATEST);
    }

    #[test]
    fn timestamps_stay_renderable() {
        assert_eq!(Timestamp::LATEST.plus_ms(3_600_000), Timestamp::LATEST);
        assert_eq!(Timestamp::LATEST.checked_plus_ms(1), None);
        assert_eq!(Timestamp(i64::MAX).to_iso(), "9999-12-31T23:59:59+00:00");
        assert_eq!(Timestamp::EARLIEST.to_iso(), "0000-01-01T00:00:00+00:00");
        for text in ["9999-12-31T23:59:59-00:01", "0000-01-01T00:00:00+00:01"] {
            assert!(Timestamp::parse_iso(text).is_none(), "{text}");
        }
        for text in ["9999-12-31T23:59:59.999+00:00", "0000-01-01T00:00:00Z"] {
            let at = Timestamp::parse_iso(text).unwrap();
            assert_eq!(
                Timestamp::parse_iso(&at.to_iso()),
                Some(at.truncated_to_secs())
            );
        }
    }
}

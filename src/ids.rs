//! Id newtypes and the generators for ids and credential strings.
//!
//! Zoho ids are decimal strings; clients may send them as JSON integers, and the mock always
//! answers with strings. Ids compare as exact strings (leading zeros name a different id).

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name(value.into())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name(value.into())
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_id_as(deserializer).map($name)
            }
        }
    };
}

/// The inline string of the ids a large state holds one or more of per record: every Zoho id
/// (19 digits) fits its 24 bytes without a heap allocation; a longer one is kept on the heap.
pub type IdText = compact_str::CompactString;

/// One value held by many (a record's module and users: a million records name a few
/// modules and users): 8 bytes where the value is 24, the value itself kept once by whoever
/// hands the copies out. Reads as the value (`Deref`), compares with it, and prints as it.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shared<T>(std::sync::Arc<T>);

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared(std::sync::Arc::new(value))
    }
}

impl<T: PartialEq> PartialEq<T> for Shared<T> {
    fn eq(&self, other: &T) -> bool {
        *self.0 == *other
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: std::borrow::Borrow<str>> std::borrow::Borrow<str> for Shared<T> {
    fn borrow(&self) -> &str {
        (*self.0).borrow()
    }
}

macro_rules! shared_text {
    ($($name:ty),*) => {
        $(
            impl PartialEq<str> for Shared<$name> {
                fn eq(&self, other: &str) -> bool {
                    self.0.as_str() == other
                }
            }

            impl PartialEq<&str> for Shared<$name> {
                fn eq(&self, other: &&str) -> bool {
                    self.0.as_str() == *other
                }
            }

            impl PartialEq<Shared<$name>> for &str {
                fn eq(&self, other: &Shared<$name>) -> bool {
                    *self == other.0.as_str()
                }
            }

            impl From<&str> for Shared<$name> {
                fn from(value: &str) -> Self {
                    Shared::from(<$name>::from(value))
                }
            }
        )*
    };
}

shared_text!(IdText, UserId);

impl PartialEq<Shared<UserId>> for UserId {
    fn eq(&self, other: &Shared<UserId>) -> bool {
        *self == *other.0
    }
}

id_newtype!(
    /// The mock's own org key (`zylker`, `org-2`); not a Zoho id.
    OrgId(String)
);
id_newtype!(UserId(IdText));
id_newtype!(RoleId(IdText));
id_newtype!(GroupId(IdText));
id_newtype!(RecordId(IdText));
id_newtype!(RuleId(String));
id_newtype!(ProfileId(String));

/// Accepts a JSON string, or a JSON integer that fits `u64` (read as its decimal string).
///
/// A visitor rather than an untagged enum: an untagged enum replaces every error with its own,
/// so a missing id field would be reported as a wrong type instead of as `missing field`.
pub fn deserialize_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserialize_id_as(deserializer)
}

/// [`deserialize_id`] into any string type: an id newtype's own, without going through a
/// `String` (a short id read into an [`IdText`] is never on the heap).
fn deserialize_id_as<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    struct IdVisitor<T>(std::marker::PhantomData<T>);

    impl<T> serde::de::Visitor<'_> for IdVisitor<T>
    where
        T: for<'a> From<&'a str> + From<String>,
    {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an id: a decimal string or a non-negative integer")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
            Ok(T::from(text))
        }

        fn visit_string<E: serde::de::Error>(self, text: String) -> Result<T, E> {
            Ok(T::from(text))
        }

        fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<T, E> {
            Ok(T::from(number.to_string()))
        }

        fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<T, E> {
            u64::try_from(number)
                .map(|n| T::from(n.to_string()))
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(number), &self))
        }
    }

    deserializer.deserialize_any(IdVisitor(std::marker::PhantomData))
}

/// An id read from a request body: a JSON string, or an integer that fits `u64`.
pub fn id_from_json(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => number.as_u64().map(|n| n.to_string()),
        _ => None,
    }
}

pub fn is_decimal(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// What the indexes by id (records, shares by record, users, roles, groups) hash with:
/// rustc's FxHash (the `rustc-hash` crate). Ids are short digit strings and the state is a test
/// double, so it need not resist crafted keys; it costs a few instructions where SipHash costs
/// about a hundred, on every record a list checks.
pub type IdHash = rustc_hash::FxBuildHasher;

/// A map keyed by id strings, hashed with [`IdHash`].
pub type IdMap<K, V> = HashMap<K, V, IdHash>;

/// Smallest and largest ids the mock generates: 19 digits that fit a signed 64-bit integer,
/// which Zoho's SDK 8.0 uses for rule ids.
pub const MIN_GENERATED_ID: u64 = 1_000_000_000_000_000_000;
pub const MAX_GENERATED_ID: u64 = i64::MAX as u64;

/// Hands out fresh 19-digit ids for one org: after the largest 19-digit id the org already
/// holds, so generated ids sort after fixture ids and never collide with them.
#[derive(Clone, Debug)]
pub struct IdGenerator {
    next: u64,
}

impl IdGenerator {
    #[cfg(test)]
    pub fn after<'a>(existing: impl IntoIterator<Item = &'a str>) -> Self {
        Self::after_newest(existing.into_iter().filter_map(generated_value).max())
    }

    /// After `newest`, the largest [`generated_value`] in use (`None`: none is).
    pub fn after_newest(newest: Option<u64>) -> Self {
        IdGenerator {
            next: newest.map_or(MIN_GENERATED_ID, |m| m.saturating_add(1)),
        }
    }

    /// A fresh id; `taken` is asked only in the rare case the sequence ran past `i64::MAX`.
    pub fn next_id(&mut self, taken: impl Fn(&str) -> bool) -> String {
        while self.next <= MAX_GENERATED_ID {
            let candidate = self.next.to_string();
            self.next += 1;
            if !taken(&candidate) {
                return candidate;
            }
        }
        loop {
            let candidate = (MIN_GENERATED_ID
                + u64::from_le_bytes(
                    uuid::Uuid::new_v4().as_bytes()[..8]
                        .try_into()
                        .unwrap_or([0; 8]),
                ) % (MAX_GENERATED_ID - MIN_GENERATED_ID))
                .to_string();
            if !taken(&candidate) {
                return candidate;
            }
        }
    }
}

/// The value of an id in the range the mock generates ids in, if it is one.
pub fn generated_value(id: &str) -> Option<u64> {
    id.parse::<u64>()
        .ok()
        .filter(|n| (MIN_GENERATED_ID..=MAX_GENERATED_ID).contains(n))
}

/// A token string shaped like Zoho's: `1000.` + 32 hex digits + `.` + 32 hex digits.
pub fn new_credential() -> String {
    format!(
        "1000.{}.{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accept_strings_and_integers() {
        let id: UserId = serde_json::from_str("\"0042\"").unwrap();
        assert_eq!(id.as_str(), "0042");
        let id: UserId = serde_json::from_str("111000000000200").unwrap();
        assert_eq!(id.as_str(), "111000000000200");
        assert!(serde_json::from_str::<UserId>("-1").is_err());
        assert!(serde_json::from_str::<UserId>("1.5").is_err());
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"111000000000200\"");
        let wrong = serde_json::from_str::<UserId>("true")
            .unwrap_err()
            .to_string();
        assert!(
            wrong.contains("expected an id: a decimal string or a non-negative integer"),
            "{wrong}"
        );
    }

    #[test]
    fn a_missing_id_field_is_named() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code, reason = "only the error matters")]
        struct Body {
            org: String,
            user: UserId,
        }
        let err = serde_json::from_str::<Body>("{\"org\": \"zylker\"}").unwrap_err();
        assert!(err.to_string().starts_with("missing field `user`"), "{err}");
    }

    #[test]
    fn generated_ids_are_19_digits_after_existing_ones() {
        let mut ids = IdGenerator::after(["4150868000001199013", "12", "9999999999999999999"]);
        let id = ids.next_id(|_| false);
        assert_eq!(id, "4150868000001199014");
        let mut fresh = IdGenerator::after([]);
        assert_eq!(fresh.next_id(|_| false), "1000000000000000000");
        let mut full = IdGenerator::after(["9223372036854775807"]);
        let id = full.next_id(|_| false);
        assert_eq!(id.len(), 19);
        assert!(id.parse::<u64>().unwrap() <= MAX_GENERATED_ID);
    }

    #[test]
    fn the_id_hasher_tells_ids_apart() {
        use std::hash::BuildHasher;
        let hash = |id: &str| IdHash::default().hash_one(id);
        assert_eq!(hash("4150868000001148212"), hash("4150868000001148212"));
        let hashes: std::collections::HashSet<u64> = (0..10_000u64)
            .map(|i| hash(&(4_150_868_000_001_148_212 + i).to_string()))
            .collect();
        assert_eq!(hashes.len(), 10_000, "no collisions among neighbouring ids");
        assert_ne!(hash("1"), hash("01"));
        assert_ne!(hash(""), hash("0"));
    }

    #[test]
    fn credentials_look_like_zoho_tokens() {
        let token = new_credential();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts[0], "1000");
        assert_eq!(parts[1].len(), 32);
        assert_eq!(parts[2].len(), 32);
        assert!(
            token[5..]
                .bytes()
                .all(|b| b == b'.' || b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }
}

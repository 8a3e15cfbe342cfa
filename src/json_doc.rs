//! JSON documents read with path errors: the fixture document, the state file and admin bodies
//! all refuse input with a message naming the JSON path of the first problem
//! (`$.orgs[0].users[2].role: unknown role id "7"`).
//!
//! serde's type errors name the struct they expected (`expected struct User`), so a document
//! type keeps the serde name it has always had (`#[serde(rename = "User")]` on `UserDoc`):
//! the messages are part of the contract.
//!
//! Every struct of a document is read from a JSON object only: serde's derived structs also
//! accept an array of their fields in order, so `[[]]` would read as a state with one empty org
//! and `["9", "Boss"]` as a role. [`ObjectsOnly`] refuses that at every depth.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

use crate::ids::{IdGenerator, IdHash, IdText, generated_value, is_decimal};

/// A problem in a JSON document, located by JSON path (`$.orgs[0].users[2].role`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixtureError {
    /// Where the problem is, `$` for the whole document.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for FixtureError {}

/// Parses JSON into `T`, reporting the JSON path of a type or syntax error. A document that
/// reads is parsed once, without path tracking (a large fixture loads much faster); only a
/// document with a problem is read again to locate it.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, FixtureError> {
    let mut fast = serde_json::Deserializer::from_slice(bytes);
    if let Ok(value) = T::deserialize(ObjectsOnly(&mut fast))
        && fast.end().is_ok()
    {
        return Ok(value);
    }
    parse_json_with_paths(bytes)
}

fn parse_json_with_paths<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, FixtureError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T =
        serde_path_to_error::deserialize(ObjectsOnly(&mut deserializer)).map_err(|err| {
            let path = err.path().to_string();
            FixtureError {
                path: if path == "." {
                    "$".to_owned()
                } else {
                    format!("$.{path}")
                },
                message: err.into_inner().to_string(),
            }
        })?;
    deserializer.end().map_err(|err| FixtureError {
        path: "$".into(),
        message: err.to_string(),
    })?;
    Ok(value)
}

/// A problem at `path`, as a fixture section reports it.
pub fn fail<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, FixtureError> {
    Err(FixtureError {
        path: path.into(),
        message: message.into(),
    })
}

/// Ids are decimal strings (DESIGN §3).
pub fn check_decimal(path: String, id: &str) -> Result<(), FixtureError> {
    if is_decimal(id) {
        Ok(())
    } else {
        fail(path, format!("id {id:?} is not a decimal string"))
    }
}

/// Every Zoho id of one org while its fixture loads: ids are unique in the org across users,
/// roles, groups, custom modules, records, rules and workspaces, and the ids the org will mint
/// come after them.
///
/// The records' ids (a million in a large fixture) are not copied here: the records' own index
/// holds them, which the section checks its ids against, and which [`SeenIds::and_held`] then
/// adds to what every later claim is checked against.
#[derive(Clone, Default)]
pub struct SeenIds<'h> {
    /// Hashed with [`IdHash`] (FxHash): several times faster than SipHash on the million ids of
    /// a large fixture or state file; inline strings, so claiming a Zoho id allocates nothing.
    ids: HashSet<IdText, IdHash>,
    /// Ids claimed elsewhere (the records').
    held: Option<&'h (dyn Fn(&str) -> bool + Sync)>,
    /// The largest claimed id in the generated range, kept as ids are claimed.
    newest: Option<u64>,
}

impl fmt::Debug for SeenIds<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeenIds")
            .field("ids", &self.ids)
            .field("newest", &self.newest)
            .finish_non_exhaustive()
    }
}

impl<'h> SeenIds<'h> {
    /// Claims `id` for a `what` (`"user"`, `"rule"`, ...) at `path`; a second claim fails.
    pub fn claim(&mut self, path: String, what: &str, id: &str) -> Result<(), FixtureError> {
        self.claim_with(|| path, what, id)
    }

    /// [`SeenIds::claim`] with the path built only for the message.
    pub fn claim_with(
        &mut self,
        path: impl FnOnce() -> String,
        what: &str,
        id: &str,
    ) -> Result<(), FixtureError> {
        if !self.held.is_some_and(|held| held(id)) && self.ids.insert(IdText::from(id)) {
            self.note(id);
            Ok(())
        } else {
            fail(path(), format!("duplicate {what} id {id:?}"))
        }
    }

    /// Whether `id` is claimed.
    pub fn holds(&self, id: &str) -> bool {
        self.ids.contains(id) || self.held.is_some_and(|held| held(id))
    }

    /// An id claimed outside this set (a record's, which the records' index holds): the ids
    /// the org mints come after it too.
    pub fn note(&mut self, id: &str) {
        self.newest = self.newest.max(generated_value(id));
    }

    /// These ids, and the ones `held` answers for (claimed elsewhere, as [`SeenIds::note`]
    /// saw them).
    pub fn and_held<'a>(self, held: &'a (dyn Fn(&str) -> bool + Sync)) -> SeenIds<'a> {
        SeenIds {
            ids: self.ids,
            held: Some(held),
            newest: self.newest,
        }
    }

    /// These ids without the ones claimed elsewhere: to keep (the org template does), and to
    /// attach the records that hold the others to again with [`SeenIds::and_held`].
    pub fn without_held(self) -> SeenIds<'static> {
        SeenIds {
            ids: self.ids,
            held: None,
            newest: self.newest,
        }
    }

    /// The org's id generator: after every id claimed.
    pub fn generator(&self) -> IdGenerator {
        IdGenerator::after_newest(self.newest)
    }

    /// A fresh id from `generator`, claimed at once (for the ids a fixture leaves out).
    pub fn mint(&mut self, generator: &mut IdGenerator) -> String {
        let id = generator.next_id(|candidate| self.holds(candidate));
        self.ids.insert(IdText::from(id.as_str()));
        self.newest = self.newest.max(generated_value(&id));
        id
    }
}

/// A deserializer that reads every struct from a map (a JSON object) and nothing else, at every
/// depth: each value, element, key and variant it hands out is wrapped again.
struct ObjectsOnly<D>(D);

/// A visitor, seed or access of the inner deserializer, wrapped so that what it reaches is
/// read through [`ObjectsOnly`] too.
struct Wrap<X>(X);

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method($($arg,)* Wrap(visitor))
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectsOnly<D> {
    type Error = D::Error;

    forward! {
        deserialize_any(), deserialize_bool(), deserialize_i8(), deserialize_i16(),
        deserialize_i32(), deserialize_i64(), deserialize_i128(), deserialize_u8(),
        deserialize_u16(), deserialize_u32(), deserialize_u64(), deserialize_u128(),
        deserialize_f32(), deserialize_f64(), deserialize_char(), deserialize_str(),
        deserialize_string(), deserialize_bytes(), deserialize_byte_buf(),
        deserialize_option(), deserialize_unit(), deserialize_seq(), deserialize_map(),
        deserialize_identifier(), deserialize_ignored_any(),
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    }

    /// A map, never a sequence: an array answers `invalid type: sequence, expected struct X`.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Wrap(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! visit {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.0.$method(value)
        })*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(formatter)
    }

    visit! {
        visit_bool(bool), visit_i8(i8), visit_i16(i16), visit_i32(i32), visit_i64(i64),
        visit_i128(i128), visit_u8(u8), visit_u16(u16), visit_u32(u32), visit_u64(u64),
        visit_u128(u128), visit_f32(f32), visit_f64(f64), visit_char(char),
        visit_str(&str), visit_borrowed_str(&'de str), visit_string(String),
        visit_bytes(&[u8]), visit_borrowed_bytes(&'de [u8]), visit_byte_buf(Vec<u8>),
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(ObjectsOnly(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(ObjectsOnly(deserializer))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrap(seq))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Wrap(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Wrap(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(ObjectsOnly(deserializer))
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Wrap(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Wrap(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Wrap(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Wrap<A> {
    type Error = A::Error;
    type Variant = Wrap<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Wrap<A::Variant>), A::Error> {
        let (value, variant) = self.0.variant_seed(Wrap(seed))?;
        Ok((value, Wrap(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Wrap(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap(visitor))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Role {
        id: String,
        #[serde(default)]
        name: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Doc {
        roles: Vec<Role>,
        #[serde(default)]
        boss: Option<Role>,
        #[serde(default)]
        extra: Option<serde_json::Value>,
    }

    #[test]
    fn structs_are_read_from_objects_only() {
        let doc: Doc = parse_json(
            br#"{"roles": [{"id": "9", "name": "Boss"}], "boss": {"id": "1"}, "extra": [[1], {"a": [2]}]}"#,
        )
        .unwrap();
        assert_eq!(doc.roles[0].name.as_deref(), Some("Boss"));
        assert_eq!(doc.boss.unwrap().id, "1");
        assert_eq!(doc.extra, Some(serde_json::json!([[1], {"a": [2]}])));
        let err = parse_json::<Doc>(br#"{"roles": [["9", "Boss"]]}"#).unwrap_err();
        assert_eq!(err.path, "$.roles[0]");
        assert!(
            err.message
                .starts_with("invalid type: sequence, expected struct Role"),
            "{err}"
        );
        let err = parse_json::<Doc>(br#"{"roles": [], "boss": ["1"]}"#).unwrap_err();
        assert_eq!(err.path, "$.boss");
        let err = parse_json::<Doc>(b"[[]]").unwrap_err();
        assert_eq!(err.path, "$");
        assert!(
            err.message
                .starts_with("invalid type: sequence, expected struct Doc")
        );
    }
}

//! The POST/PUT body as the JSON shapes the checks of spec crm-record-sharing.md §5 look at,
//! read in one serde pass without building a `serde_json::Value` tree: this is the hot path of
//! every share write. A repeated key keeps its last value, as a JSON object parse does.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A JSON value, kept only as far as a check needs it.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Str(Cow<'a, str>),
    /// An integer that fits `u64`.
    Unsigned(u64),
    /// Any other number.
    Number,
    Array,
    Object,
}

/// The body's top level: `share` and the three optional notification flags.
#[derive(Debug, Default, PartialEq)]
pub struct ShareBody<'a> {
    pub share: Option<ShareField<'a>>,
    pub notify: Option<Scalar<'a>>,
    pub notify_shared_members: Option<Scalar<'a>>,
    pub notify_on_completion: Option<Scalar<'a>>,
}

#[derive(Debug, PartialEq)]
pub enum ShareField<'a> {
    Items(Vec<Item<'a>>),
    /// `null`, or anything that is not an array.
    Other(Scalar<'a>),
}

#[derive(Debug, PartialEq)]
pub enum Item<'a> {
    Object(ItemFields<'a>),
    NotObject,
}

#[derive(Debug, Default, PartialEq)]
pub struct ItemFields<'a> {
    pub kind: Option<Scalar<'a>>,
    pub permission: Option<Scalar<'a>>,
    pub share_related_records: Option<Scalar<'a>>,
    pub shared_with: Option<Target<'a>>,
    pub user: Option<Target<'a>>,
}

/// `shared_with` or `user`.
#[derive(Debug, PartialEq)]
pub enum Target<'a> {
    Object {
        kind: Option<Scalar<'a>>,
        id: Option<Scalar<'a>>,
    },
    Other(Scalar<'a>),
}

impl Scalar<'_> {
    pub fn is_null(&self) -> bool {
        matches!(self, Scalar::Null)
    }
}

impl Target<'_> {
    pub fn is_null(&self) -> bool {
        matches!(self, Target::Other(Scalar::Null))
    }
}

/// Reads a body that is already known to be UTF-8 text.
pub fn parse(text: &str) -> serde_json::Result<ShareBody<'_>> {
    serde_json::from_str(text)
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Unsigned(v))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Number)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Number)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Object)
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// Reads a key and tells which of `names` it is (`None`: a key the checks ignore).
struct KeyOf(&'static [&'static str]);

impl<'de> de::DeserializeSeed<'de> for KeyOf {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyOf {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == v))
    }
}

/// Visits an object whose known keys are `names`; `field(i, map)` reads the value of `names[i]`.
fn read_object<'de, A: MapAccess<'de>>(
    mut map: A,
    names: &'static [&'static str],
    mut field: impl FnMut(usize, &mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key_seed(KeyOf(names))? {
        match key {
            Some(index) => field(index, &mut map)?,
            None => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(())
}

/// Turns any value other than an object into `Other(shape)`.
macro_rules! other_than_object {
    ($other:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            ScalarVisitor.visit_unit().map($other)
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            ScalarVisitor.visit_bool(v).map($other)
        }

        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            ScalarVisitor.visit_borrowed_str(v).map($other)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            ScalarVisitor.visit_str(v).map($other)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            ScalarVisitor.visit_u64(v).map($other)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            ScalarVisitor.visit_i64(v).map($other)
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            ScalarVisitor.visit_f64(v).map($other)
        }
    };
}

struct TargetVisitor;

impl<'de> Visitor<'de> for TargetVisitor {
    type Value = Target<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    other_than_object!(Target::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ScalarVisitor.visit_seq(seq).map(Target::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let (mut kind, mut id) = (None, None);
        read_object(map, &["type", "id"], |index, map| {
            let value = Some(map.next_value::<Scalar<'de>>()?);
            match index {
                0 => kind = value,
                _ => id = value,
            }
            Ok(())
        })?;
        Ok(Target::Object { kind, id })
    }
}

impl<'de> Deserialize<'de> for Target<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TargetVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    other_than_object!(|_| Item::NotObject);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ScalarVisitor.visit_seq(seq).map(|_| Item::NotObject)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        const NAMES: &[&str] = &[
            "type",
            "permission",
            "share_related_records",
            "shared_with",
            "user",
        ];
        let mut fields = ItemFields::default();
        read_object(map, NAMES, |index, map| {
            match index {
                0 => fields.kind = Some(map.next_value()?),
                1 => fields.permission = Some(map.next_value()?),
                2 => fields.share_related_records = Some(map.next_value()?),
                3 => fields.shared_with = Some(map.next_value()?),
                _ => fields.user = Some(map.next_value()?),
            }
            Ok(())
        })?;
        Ok(Item::Object(fields))
    }
}

impl<'de> Deserialize<'de> for Item<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ShareFieldVisitor;

impl<'de> Visitor<'de> for ShareFieldVisitor {
    type Value = ShareField<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    other_than_object!(ShareField::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(ShareField::Items(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        ScalarVisitor.visit_map(map).map(ShareField::Other)
    }
}

impl<'de> Deserialize<'de> for ShareField<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShareFieldVisitor)
    }
}

/// Only an object is a body; any other JSON value fails the parse.
struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = ShareBody<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        const NAMES: &[&str] = &[
            "share",
            "notify",
            "notify_shared_members",
            "notify_on_completion",
        ];
        let mut body = ShareBody::default();
        read_object(map, NAMES, |index, map| {
            match index {
                0 => body.share = Some(map.next_value()?),
                1 => body.notify = Some(map.next_value()?),
                2 => body.notify_shared_members = Some(map.next_value()?),
                _ => body.notify_on_completion = Some(map.next_value()?),
            }
            Ok(())
        })?;
        Ok(body)
    }
}

impl<'de> Deserialize<'de> for ShareBody<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BodyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_the_shapes_and_keeps_the_last_of_a_repeated_key() {
        let body = parse(
            r#"{"share":[{"type":"private","x":{"a":[1]},"user":{"id":12},"user":{"id":"7","type":3}},
                        5, [], {"shared_with":"u\u0073ers","permission":null}],
                "notify":true,"notify":1.5,"other":[{"share":1}]}"#,
        )
        .unwrap();
        let ShareField::Items(items) = body.share.unwrap() else {
            panic!("an array")
        };
        assert_eq!(items.len(), 4);
        let Item::Object(first) = &items[0] else {
            panic!("an object")
        };
        assert_eq!(first.kind, Some(Scalar::Str("private".into())));
        assert_eq!(
            first.user,
            Some(Target::Object {
                kind: Some(Scalar::Unsigned(3)),
                id: Some(Scalar::Str("7".into()))
            })
        );
        assert_eq!(items[1], Item::NotObject);
        assert_eq!(items[2], Item::NotObject);
        let Item::Object(last) = &items[3] else {
            panic!("an object")
        };
        assert_eq!(
            last.shared_with,
            Some(Target::Other(Scalar::Str("users".into())))
        );
        assert_eq!(last.permission, Some(Scalar::Null));
        assert_eq!(body.notify, Some(Scalar::Number));
    }

    #[test]
    fn anything_but_an_object_is_not_a_body() {
        for text in ["[]", "null", "\"x\"", "1", "{", "{}x", "{\"share\":[}"] {
            assert!(parse(text).is_err(), "{text}");
        }
        assert_eq!(
            parse(r#"{"share":{"a":1}}"#).unwrap().share,
            Some(ShareField::Other(Scalar::Object))
        );
        assert_eq!(
            parse(r#"{"share":null}"#).unwrap().share,
            Some(ShareField::Other(Scalar::Null))
        );
    }
}

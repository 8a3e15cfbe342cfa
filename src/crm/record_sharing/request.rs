//! What a share request asks for: the operation, the GET query, and the POST/PUT body read into
//! model items, each with the first shape check it fails (spec crm-record-sharing.md §5, checks
//! up to the id's shape; the checks that need the org are the model's).
//!
//! The body is read in one serde pass into the JSON shapes the checks look at, without
//! building a `serde_json::Value` tree: this is the hot path of every share write. A repeated
//! key keeps its last value, as a JSON object parse does (a derived struct would refuse it).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::body::BufferedBody;
use crate::crm::error::CrmError;
use crate::crm::extract::CrmQuery;
use crate::ids::is_decimal;

use super::model::{Permission, RequestedShare, ShareItem, ShareTarget, TargetKind};

/// The four operations of the endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// GET
    Read,
    /// POST
    Share,
    /// PUT
    Update,
    /// DELETE
    Revoke,
}

/// Which body key named an item's target: `shared_with`, or the legacy `user` (v2/v2.1 form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetForm {
    SharedWith,
    User,
}

impl TargetForm {
    pub fn key(self) -> &'static str {
        match self {
            TargetForm::SharedWith => "shared_with",
            TargetForm::User => "user",
        }
    }
}

/// A well-formed item and the key that named its target (for the JSON paths of its errors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedItem {
    pub share: ShareItem,
    pub form: TargetForm,
}

/// Why one item's shape is wrong, in the check order of spec crm-record-sharing.md §5; an item
/// reports only the first check it fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeFault {
    NotObject,
    InvalidType,
    MissingType,
    InvalidPermission,
    RelatedNotBoolean,
    PublicWithTarget(TargetForm),
    MissingTarget,
    /// `shared_with` or `user` is there but is not an object.
    TargetNotObject(TargetForm),
    MissingTargetType,
    MissingTargetId(TargetForm),
    InvalidTargetType,
    /// The id is neither a decimal string nor an unsigned integer: it names no one.
    CannotShareTo(TargetForm),
}

/// One item of the body: well-formed, or why not.
pub type BodyItem = Result<ParsedItem, ShapeFault>;

impl RequestedShare for BodyItem {
    fn share_item(&self) -> Option<&ShareItem> {
        self.as_ref().ok().map(|item| &item.share)
    }
}

/// A POST or PUT body: its top-level errors, or one entry per item of `share`. Any
/// `Content-Type`; an empty body reads as `{}`; JSON `null` counts as an absent key throughout.
pub fn share_body(body: &BufferedBody) -> Result<Vec<BodyItem>, CrmError> {
    if body.too_large {
        return Err(CrmError::BodyNotJsonObject);
    }
    let parsed = if body.bytes.iter().all(u8::is_ascii_whitespace) {
        ShareBody::default()
    } else {
        std::str::from_utf8(&body.bytes)
            .ok()
            .and_then(|text| parse(text).ok())
            .ok_or(CrmError::BodyNotJsonObject)?
    };
    let items = match parsed.share {
        Some(ShareField::Items(items)) => items,
        None | Some(ShareField::Other(Scalar::Null)) => Vec::new(),
        Some(ShareField::Other(_)) => {
            return Err(CrmError::WrongType {
                api_name: "share",
                expected: "jsonarray",
                json_path: "$.share".to_owned(),
            });
        }
    };
    if items.is_empty() {
        return Err(CrmError::MandatoryFieldsMissing { api_name: "share" });
    }
    let flags = [
        ("notify", &parsed.notify),
        ("notify_shared_members", &parsed.notify_shared_members),
        ("notify_on_completion", &parsed.notify_on_completion),
    ];
    for (key, value) in flags {
        if !matches!(value, None | Some(Scalar::Null | Scalar::Bool(_))) {
            return Err(CrmError::WrongType {
                api_name: key,
                expected: "boolean",
                json_path: format!("$.{key}"),
            });
        }
    }
    Ok(items.into_iter().map(share_item).collect())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visibility {
    Private,
    Public,
}

/// One item of `share`, checked in the order of §5 up to the id's shape.
fn share_item(item: Item<'_>) -> BodyItem {
    let Item::Object(item) = item else {
        return Err(ShapeFault::NotObject);
    };
    let shared_with = item.shared_with.filter(|t| !t.is_null());
    let has_shared_with = shared_with.is_some();
    let named = shared_with
        .map(|target| (TargetForm::SharedWith, target))
        .or_else(|| {
            let user = item.user.filter(|t| !t.is_null());
            user.map(|target| (TargetForm::User, target))
        });
    let visibility = match present(item.kind.as_ref()) {
        None if has_shared_with => return Err(ShapeFault::MissingType),
        None => Visibility::Private,
        Some(Scalar::Str(text)) if text == "private" => Visibility::Private,
        Some(Scalar::Str(text)) if text == "public" => Visibility::Public,
        Some(_) => return Err(ShapeFault::InvalidType),
    };
    let permission = match present(item.permission.as_ref()) {
        None => Permission::FullAccess,
        Some(Scalar::Str(text)) => Permission::parse(text).ok_or(ShapeFault::InvalidPermission)?,
        Some(_) => return Err(ShapeFault::InvalidPermission),
    };
    let share_related_records = match present(item.share_related_records.as_ref()) {
        None => false,
        Some(Scalar::Bool(flag)) => *flag,
        Some(_) => return Err(ShapeFault::RelatedNotBoolean),
    };
    let (target, form) = match (visibility, named) {
        (Visibility::Public, Some((form, _))) => return Err(ShapeFault::PublicWithTarget(form)),
        (Visibility::Public, None) => (None, TargetForm::SharedWith),
        (Visibility::Private, None) => return Err(ShapeFault::MissingTarget),
        (Visibility::Private, Some((form, target))) => (Some(named_target(form, target)?), form),
    };
    Ok(ParsedItem {
        share: ShareItem {
            target,
            permission,
            share_related_records,
        },
        form,
    })
}

fn named_target(form: TargetForm, target: Target<'_>) -> Result<ShareTarget, ShapeFault> {
    let Target::Object { kind, id } = target else {
        return Err(ShapeFault::TargetNotObject(form));
    };
    let kind = match form {
        TargetForm::SharedWith => {
            Some(present(kind.as_ref()).ok_or(ShapeFault::MissingTargetType)?)
        }
        TargetForm::User => None,
    };
    let id = present(id.as_ref()).ok_or(ShapeFault::MissingTargetId(form))?;
    let kind = match kind {
        None => TargetKind::Users,
        Some(Scalar::Str(text)) => TargetKind::parse(text).ok_or(ShapeFault::InvalidTargetType)?,
        Some(_) => return Err(ShapeFault::InvalidTargetType),
    };
    let id = match id {
        Scalar::Str(text) if is_decimal(text) => text.clone().into_owned(),
        Scalar::Unsigned(number) => number.to_string(),
        _ => return Err(ShapeFault::CannotShareTo(form)),
    };
    Ok(ShareTarget { kind, id })
}

/// A key's value unless it is absent or `null`.
fn present<'s, 'a>(value: Option<&'s Scalar<'a>>) -> Option<&'s Scalar<'a>> {
    value.filter(|v| !v.is_null())
}

/// GET's query: `sharedTo` (a user id) and `view` (`summary` or `manage`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub shared_to: Option<String>,
    pub manage: bool,
}

impl ListQuery {
    pub fn parse(query: &CrmQuery) -> Result<Self, CrmError> {
        let shared_to = match query.get("sharedTo") {
            Some(id) if !is_decimal(id) => {
                return Err(CrmError::PatternNotMatched { param: "sharedTo" });
            }
            other => other.map(str::to_owned),
        };
        let manage = match query.get("view") {
            None | Some("summary") => false,
            Some("manage") => true,
            Some(_) => return Err(CrmError::PatternNotMatched { param: "view" }),
        };
        Ok(ListQuery { shared_to, manage })
    }
}

/// A JSON value, kept only as far as a check needs it.
#[derive(Clone, Debug, PartialEq)]
enum Scalar<'a> {
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
struct ShareBody<'a> {
    share: Option<ShareField<'a>>,
    notify: Option<Scalar<'a>>,
    notify_shared_members: Option<Scalar<'a>>,
    notify_on_completion: Option<Scalar<'a>>,
}

#[derive(Debug, PartialEq)]
enum ShareField<'a> {
    Items(Vec<Item<'a>>),
    /// `null`, or anything that is not an array.
    Other(Scalar<'a>),
}

#[derive(Debug, PartialEq)]
enum Item<'a> {
    Object(ItemFields<'a>),
    NotObject,
}

#[derive(Debug, Default, PartialEq)]
struct ItemFields<'a> {
    kind: Option<Scalar<'a>>,
    permission: Option<Scalar<'a>>,
    share_related_records: Option<Scalar<'a>>,
    shared_with: Option<Target<'a>>,
    user: Option<Target<'a>>,
}

/// `shared_with` or `user`.
#[derive(Debug, PartialEq)]
enum Target<'a> {
    Object {
        kind: Option<Scalar<'a>>,
        id: Option<Scalar<'a>>,
    },
    Other(Scalar<'a>),
}

impl Scalar<'_> {
    fn is_null(&self) -> bool {
        matches!(self, Scalar::Null)
    }
}

impl Target<'_> {
    fn is_null(&self) -> bool {
        matches!(self, Target::Other(Scalar::Null))
    }
}

/// Reads a body that is already known to be UTF-8 text.
fn parse(text: &str) -> serde_json::Result<ShareBody<'_>> {
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

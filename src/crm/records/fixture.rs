//! The org document's `custom_modules` and `records` sections (DESIGN §3), the module-name
//! rule every other CRM section uses (a fixture names modules case-insensitively, the state
//! holds the registry's canonical API name), and the profiles' permission keys, which name the
//! org's modules.

use crate::crm::registry::{self, CrmModule, CustomModule, ModuleLookup};
use crate::ids::{UserId, is_decimal};
use crate::json_doc::{FixtureError, SeenIds, check_decimal, fail};
use crate::tenant::directory::Directory;
use crate::tenant::profiles::ProfileProblem;

use super::model::{Record, Records};

/// The section's document types: the fixture contract (DESIGN §3). They keep the names serde
/// has always printed in type errors (`expected struct Record`), which are part of the
/// whole-file error messages.
pub mod doc {
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value};

    use crate::clock::Timestamp;
    use crate::ids::{IdText, RecordId, UserId};

    /// What a record without times was created and last modified at.
    pub const DEFAULT_TIME: Timestamp = Timestamp(1_767_225_600_000);

    fn default_time() -> Timestamp {
        DEFAULT_TIME
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CustomModule {
        pub api_name: String,
        #[serde(deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Record {
        /// The name as the document gives it (any case).
        pub module: IdText,
        pub id: RecordId,
        pub owner: UserId,
        #[serde(default)]
        pub fields: Map<String, Value>,
        #[serde(default = "default_time")]
        pub created_time: Timestamp,
        #[serde(default = "default_time")]
        pub modified_time: Timestamp,
        /// The owner when absent.
        #[serde(default)]
        pub created_by: Option<UserId>,
        /// The owner when absent.
        #[serde(default)]
        pub modified_by: Option<UserId>,
    }

    pub use super::packed::RecordDocs;
}

/// The registry module a fixture names at `path`.
pub fn module_of<'r>(
    records: &'r Records,
    path: String,
    name: &str,
) -> Result<CrmModule<'r>, FixtureError> {
    known_module(records.module(name), path, name)
}

fn known_module<'r>(
    lookup: ModuleLookup<'r>,
    path: String,
    name: &str,
) -> Result<CrmModule<'r>, FixtureError> {
    match lookup {
        ModuleLookup::Known(module) => Ok(module),
        ModuleLookup::Unsupported | ModuleLookup::Unknown => {
            fail(path, format!("unknown module {name:?}"))
        }
    }
}

/// `custom_modules`, then `records`.
pub fn load(
    custom_modules: Vec<doc::CustomModule>,
    records: doc::RecordDocs,
    directory: &Directory,
    path: &str,
    seen: &mut SeenIds,
) -> Result<Records, FixtureError> {
    for (i, module) in custom_modules.iter().enumerate() {
        let p = format!("{path}.custom_modules[{i}]");
        if module.api_name.is_empty() || registry::is_standard_name(&module.api_name) {
            return fail(
                format!("{p}.api_name"),
                format!("{:?} cannot name a custom module", module.api_name),
            );
        }
        if custom_modules[..i]
            .iter()
            .any(|m| m.api_name.eq_ignore_ascii_case(&module.api_name))
        {
            return fail(
                format!("{p}.api_name"),
                format!("duplicate custom module {:?}", module.api_name),
            );
        }
        check_decimal(format!("{p}.id"), &module.id)?;
        seen.claim(format!("{p}.id"), "custom module", &module.id)?;
    }
    let custom_modules: Vec<CustomModule> = custom_modules
        .into_iter()
        .map(|m| CustomModule {
            api_name: m.api_name,
            id: m.id,
        })
        .collect();
    check_profiles(directory, &custom_modules, path)?;
    // A large fixture's records go straight into the index, never all in a list first; their
    // ids are checked against it (and against the org's other ids, which `seen` holds).
    let mut loaded = Records::with_capacity(custom_modules, records.len());
    for (i, record) in records.into_iter().enumerate() {
        // Paths are built only for a message: a million records load without them.
        let p = |key: &str| format!("{path}.records[{i}].{key}");
        let module = match loaded.module(&record.module) {
            ModuleLookup::Known(module) => module.api_name,
            other => known_module(other, p("module"), &record.module)?.api_name,
        };
        let module = loaded.module_name(module);
        let id = record.id.as_str();
        if !is_decimal(id) {
            check_decimal(p("id"), id)?;
        }
        if seen.holds(id) || loaded.holds_record_id(id) {
            return fail(p("id"), format!("duplicate record id {id:?}"));
        }
        seen.note(id);
        if directory.user(record.owner.as_str()).is_none() {
            return fail(p("owner"), format!("unknown user id {:?}", record.owner.0));
        }
        check_fields(&record.fields, &p)?;
        let by_user = |key: &str, given: Option<UserId>| match given {
            None => Ok(record.owner.clone()),
            Some(user) if directory.user(user.as_str()).is_some() => Ok(user),
            Some(user) => fail(p(key), format!("unknown users id {:?}", user.0)),
        };
        let created_by = by_user("created_by", record.created_by)?;
        let modified_by = by_user("modified_by", record.modified_by)?;
        let record = Record {
            module,
            id: record.id,
            owner: loaded.user(&record.owner),
            fields: record.fields.into(),
            created_time: record.created_time,
            modified_time: record.modified_time,
            created_by: loaded.user(&created_by),
            modified_by: loaded.user(&modified_by),
        };
        // Checked just above.
        let _ = loaded.load(record);
    }
    loaded.loaded();
    Ok(loaded)
}

/// The keys the record has as columns of its own (`owner`, `created_time`, ...) or that Zoho
/// writes itself, which `fields` may not give.
const SYSTEM_KEYS: [(&str, &str); 6] = [
    ("id", "id"),
    ("Owner", "owner"),
    ("Created_Time", "created_time"),
    ("Modified_Time", "modified_time"),
    ("Created_By", "created_by"),
    ("Modified_By", "modified_by"),
];

/// A record's `fields`: any values, under keys that are not empty, not Zoho's `$` keys and not
/// the record's system keys.
fn check_fields(
    fields: &serde_json::Map<String, serde_json::Value>,
    record_path: &impl Fn(&str) -> String,
) -> Result<(), FixtureError> {
    for key in fields.keys() {
        let at = || record_path(&format!("fields.{key}"));
        if key.is_empty() {
            return fail(record_path("fields"), "a field key must not be empty");
        }
        if key.starts_with('$') {
            return fail(at(), "keys starting with \"$\" are Zoho's, not fields");
        }
        if let Some((_, own)) = SYSTEM_KEYS.iter().find(|(system, _)| system == key) {
            return fail(at(), format!("system key, set {own:?} instead"));
        }
    }
    Ok(())
}

/// Every profile's permissions against the org's modules (registry, then custom modules):
/// keys, the unrestricted Administrator, nothing changed without being viewed
/// (`Profile::check_against`).
fn check_profiles(
    directory: &Directory,
    custom_modules: &[CustomModule],
    path: &str,
) -> Result<(), FixtureError> {
    let modules: Vec<&str> = registry::all_modules(custom_modules)
        .map(|m| m.api_name)
        .collect();
    for (i, profile) in directory.profiles().iter().enumerate() {
        let p = format!("{path}.profiles[{i}].permissions");
        match profile.check_against(modules.iter().copied()) {
            Ok(()) => {}
            Err(ProfileProblem::UnknownModule(key)) => {
                return fail(format!("{p}.{key}"), "unknown module");
            }
            Err(ProfileProblem::AdministratorRestricted) => {
                return fail(p, "the Administrator profile cannot be restricted");
            }
            Err(ProfileProblem::WithoutView { key, operation }) => {
                return fail(
                    format!("{p}.{key}"),
                    format!("{} without view", operation.key()),
                );
            }
        }
    }
    Ok(())
}

/// `custom_modules` and `records` as the org holds them.
pub fn export(records: &Records) -> (Vec<doc::CustomModule>, doc::RecordDocs) {
    let modules = export_custom_modules(records);
    let records = records.iter().map(export_record).collect();
    (modules, records)
}

/// `custom_modules` alone.
pub fn export_custom_modules(records: &Records) -> Vec<doc::CustomModule> {
    records
        .custom_modules()
        .iter()
        .map(|m| doc::CustomModule {
            api_name: m.api_name.clone(),
            id: m.id.clone(),
        })
        .collect()
}

/// One record as `records` lists it (the state file keeps each record in this form).
pub fn export_record(record: &Record) -> doc::Record {
    doc::Record {
        module: (*record.module).clone(),
        id: record.id.clone(),
        owner: (*record.owner).clone(),
        fields: record.fields.to_map(),
        created_time: record.created_time,
        modified_time: record.modified_time,
        created_by: Some((*record.created_by).clone()),
        modified_by: Some((*record.modified_by).clone()),
    }
}

/// The `records` section as a document holds it, packed: a document is parsed whole before it
/// loads, and the startup fixture is kept for reset, so a million records held as one struct
/// each (about 170 bytes) cost more than the org's model itself. Packed, a record of the
/// generated fixture (`{"module", "id", "owner"}`, a 19-digit id) takes 11 bytes: module and
/// user ids are numbers into the section's table of the distinct strings, a canonical decimal
/// id is its `u64`, absent times and users are a flag. Reading it back gives the very records
/// that were put in (the strings as given, absent stays absent). Cloning shares it (reset and
/// `POST /__admin/orgs` copy the startup document).
mod packed {
    use std::fmt;
    use std::sync::Arc;

    use compact_str::ToCompactString;
    use rustc_hash::FxHashMap;
    use serde::de::{SeqAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::{Map, Value};

    use super::doc::{DEFAULT_TIME, Record};
    use crate::clock::Timestamp;
    use crate::ids::{IdText, RecordId, UserId, is_decimal};

    /// The records of a document's `records` section, in document order.
    #[derive(Clone, Default)]
    pub struct RecordDocs(Arc<Packed>);

    #[derive(Default)]
    struct Packed {
        len: usize,
        /// Per record: a flag byte, the module, the id, the owner, then what the flags say is
        /// there (times, users).
        bytes: Vec<u8>,
        /// The module names and user ids, each once.
        names: Vec<IdText>,
        /// The records' non-empty `fields`, in record order.
        fields: Vec<Map<String, Value>>,
    }

    const FIELDS: u8 = 1;
    const CREATED_TIME: u8 = 2;
    const MODIFIED_TIME: u8 = 4;
    const CREATED_BY: u8 = 8;
    const MODIFIED_BY: u8 = 16;
    /// The id is not a canonical decimal `u64` (leading zeros, more digits, not decimal): its
    /// length and bytes follow instead of 8 bytes of number.
    const TEXT_ID: u8 = 32;

    /// The id as a number when writing the number gives the id back.
    fn canonical_number(id: &str) -> Option<u64> {
        if !is_decimal(id) || (id.len() > 1 && id.starts_with('0')) {
            return None;
        }
        id.parse().ok()
    }

    /// Packs records one at a time.
    #[derive(Default)]
    pub struct Builder {
        packed: Packed,
        index: FxHashMap<IdText, u32>,
    }

    impl Builder {
        fn with_capacity(records: usize) -> Self {
            let mut builder = Builder::default();
            builder.packed.bytes.reserve(records.saturating_mul(11));
            builder
        }

        fn name(&mut self, text: IdText) -> u32 {
            let Builder { packed, index } = self;
            *index.entry(text).or_insert_with_key(|text| {
                packed.names.push(text.clone());
                u32::try_from(packed.names.len() - 1).unwrap_or(u32::MAX)
            })
        }

        fn varint(&mut self, mut n: u32) {
            while n >= 0x80 {
                self.packed.bytes.push((n as u8) | 0x80);
                n >>= 7;
            }
            self.packed.bytes.push(n as u8);
        }

        pub fn push(&mut self, record: Record) {
            let number = canonical_number(record.id.as_str());
            let mut flags = 0;
            for (set, flag) in [
                (!record.fields.is_empty(), FIELDS),
                (record.created_time != DEFAULT_TIME, CREATED_TIME),
                (record.modified_time != DEFAULT_TIME, MODIFIED_TIME),
                (record.created_by.is_some(), CREATED_BY),
                (record.modified_by.is_some(), MODIFIED_BY),
                (number.is_none(), TEXT_ID),
            ] {
                if set {
                    flags |= flag;
                }
            }
            self.packed.bytes.push(flags);
            let module = self.name(record.module);
            self.varint(module);
            match number {
                Some(n) => self.packed.bytes.extend_from_slice(&n.to_le_bytes()),
                None => {
                    let id = record.id.as_str().as_bytes();
                    self.varint(u32::try_from(id.len()).unwrap_or(u32::MAX));
                    self.packed.bytes.extend_from_slice(id);
                }
            }
            let owner = self.name(record.owner.0);
            self.varint(owner);
            for (flag, time) in [
                (CREATED_TIME, record.created_time),
                (MODIFIED_TIME, record.modified_time),
            ] {
                if flags & flag != 0 {
                    self.packed.bytes.extend_from_slice(&time.0.to_le_bytes());
                }
            }
            for user in [record.created_by, record.modified_by]
                .into_iter()
                .flatten()
            {
                let user = self.name(user.0);
                self.varint(user);
            }
            if !record.fields.is_empty() {
                self.packed.fields.push(record.fields);
            }
            self.packed.len += 1;
        }

        pub fn finish(self) -> RecordDocs {
            RecordDocs(Arc::new(self.packed))
        }
    }

    impl RecordDocs {
        pub fn len(&self) -> usize {
            self.0.len
        }

        pub fn is_empty(&self) -> bool {
            self.0.len == 0
        }

        /// The records in document order.
        pub fn iter(&self) -> Iter {
            Iter {
                left: self.0.len,
                packed: self.0.clone(),
                at: 0,
                fields: 0,
            }
        }
    }

    impl IntoIterator for RecordDocs {
        type Item = Record;
        type IntoIter = Iter;

        /// The records, their `fields` moved out rather than copied when nothing else shares
        /// the section.
        fn into_iter(self) -> Iter {
            Iter {
                left: self.0.len,
                packed: self.0,
                at: 0,
                fields: 0,
            }
        }
    }

    impl FromIterator<Record> for RecordDocs {
        fn from_iter<I: IntoIterator<Item = Record>>(records: I) -> Self {
            let records = records.into_iter();
            let mut builder = Builder::with_capacity(records.size_hint().0);
            for record in records {
                builder.push(record);
            }
            builder.finish()
        }
    }

    /// Reads the records back one by one.
    pub struct Iter {
        packed: Arc<Packed>,
        /// Records not read yet.
        left: usize,
        at: usize,
        fields: usize,
    }

    impl Iter {
        fn byte(&mut self) -> u8 {
            let byte = self.packed.bytes.get(self.at).copied().unwrap_or_default();
            self.at += 1;
            byte
        }

        fn varint(&mut self) -> u32 {
            let mut n = 0u32;
            let mut shift = 0;
            loop {
                let byte = self.byte();
                n |= u32::from(byte & 0x7f) << shift;
                if byte & 0x80 == 0 {
                    return n;
                }
                shift += 7;
            }
        }

        fn eight(&mut self) -> [u8; 8] {
            let mut bytes = [0; 8];
            if let Some(slice) = self.packed.bytes.get(self.at..self.at + 8) {
                bytes.copy_from_slice(slice);
            }
            self.at += 8;
            bytes
        }

        fn name(&mut self) -> IdText {
            let index = self.varint() as usize;
            self.packed.names.get(index).cloned().unwrap_or_default()
        }

        fn time(&mut self, flags: u8, flag: u8) -> Timestamp {
            if flags & flag == 0 {
                return DEFAULT_TIME;
            }
            Timestamp(i64::from_le_bytes(self.eight()))
        }

        fn user(&mut self, flags: u8, flag: u8) -> Option<UserId> {
            (flags & flag != 0).then(|| UserId(self.name()))
        }
    }

    impl Iterator for Iter {
        type Item = Record;

        fn next(&mut self) -> Option<Record> {
            if self.left == 0 {
                return None;
            }
            self.left -= 1;
            let flags = self.byte();
            let module = self.name();
            let id = if flags & TEXT_ID == 0 {
                u64::from_le_bytes(self.eight()).to_compact_string()
            } else {
                let len = self.varint() as usize;
                let text = self
                    .packed
                    .bytes
                    .get(self.at..self.at + len)
                    .and_then(|bytes| std::str::from_utf8(bytes).ok())
                    .map(IdText::from)
                    .unwrap_or_default();
                self.at += len;
                text
            };
            let owner = UserId(self.name());
            let created_time = self.time(flags, CREATED_TIME);
            let modified_time = self.time(flags, MODIFIED_TIME);
            let created_by = self.user(flags, CREATED_BY);
            let modified_by = self.user(flags, MODIFIED_BY);
            let fields = if flags & FIELDS == 0 {
                Map::new()
            } else {
                let at = self.fields;
                self.fields += 1;
                match Arc::get_mut(&mut self.packed) {
                    Some(packed) => packed.fields.get_mut(at).map(std::mem::take),
                    None => self.packed.fields.get(at).cloned(),
                }
                .unwrap_or_default()
            };
            Some(Record {
                module,
                id: RecordId(id),
                owner,
                fields,
                created_time,
                modified_time,
                created_by,
                modified_by,
            })
        }

        fn size_hint(&self) -> (usize, Option<usize>) {
            (self.left, Some(self.left))
        }
    }

    impl ExactSizeIterator for Iter {}

    impl fmt::Debug for RecordDocs {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_list().entries(self.iter()).finish()
        }
    }

    impl PartialEq for RecordDocs {
        fn eq(&self, other: &Self) -> bool {
            self.len() == other.len() && self.iter().eq(other.iter())
        }
    }

    impl Serialize for RecordDocs {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.iter())
        }
    }

    impl<'de> Deserialize<'de> for RecordDocs {
        /// A sequence of records, as a `Vec` reads it (the same messages), packed as it is read.
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Records;

            impl<'de> Visitor<'de> for Records {
                type Value = RecordDocs;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a sequence")
                }

                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RecordDocs, A::Error> {
                    let mut builder =
                        Builder::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                    while let Some(record) = seq.next_element::<Record>()? {
                        builder.push(record);
                    }
                    Ok(builder.finish())
                }
            }

            deserializer.deserialize_seq(Records)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::doc::{Record, RecordDocs};

    #[test]
    fn packed_records_read_back_as_given() {
        let given = json!([
            {"module": "Leads", "id": "5000000000000000000", "owner": "41"},
            {"module": "leads", "id": "007", "owner": "41", "fields": {"b": 1.5, "a": [null]},
             "created_time": "2026-01-02T03:04:05+00:00", "created_by": "42"},
            {"module": "Deals", "id": "0", "owner": "42", "modified_by": "41",
             "modified_time": "2026-01-02T03:04:05.006+00:00"},
            {"module": "Deals", "id": "18446744073709551615", "owner": "43"},
            {"module": "Deals", "id": "18446744073709551616", "owner": "43", "fields": {}},
            {"module": "Custom_Things_With_A_Name_Longer_Than_24", "id": "x", "owner": "a-user-id-longer-than-24-bytes"}
        ]);
        let records: Vec<Record> = serde_json::from_value(given.clone()).expect("records");
        let packed: RecordDocs = serde_json::from_value(given).expect("packed records");
        assert_eq!(packed.len(), records.len());
        assert_eq!(packed.iter().collect::<Vec<_>>(), records);
        assert_eq!(
            serde_json::to_value(&packed).expect("json"),
            serde_json::to_value(&records).expect("json")
        );
        let repacked: RecordDocs = records.iter().cloned().collect();
        assert_eq!(repacked.into_iter().collect::<Vec<_>>(), records);
        assert_eq!(
            serde_json::from_value::<RecordDocs>(json!({}))
                .map_err(|e| e.to_string())
                .err(),
            serde_json::from_value::<Vec<Record>>(json!({}))
                .map_err(|e| e.to_string())
                .err(),
        );
    }
}

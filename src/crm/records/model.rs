//! The org's CRM records and custom modules: the module registry of the org (standard modules,
//! then its custom ones) and every record by id. Record ids are unique in the org across
//! modules, and a record's module is the registry's canonical API name.
//!
//! Every change is a `&mut self` method here ([`Records::insert`], [`Records::update`],
//! [`Records::delete`]), which keeps the two indexes in step: the records by id (in the order
//! export writes them) and, per module, the records in the numeric order of their ids, the
//! order a list walks (spec crm-records-and-access.md §6).

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use hashbrown::{HashTable, hash_table};
use serde_json::{Map, Value};

use crate::clock::Timestamp;
use crate::crm::registry::{self, CrmModule, CustomModule, ModuleLookup};
use crate::dirty::Dirty;
use crate::ids::{IdHash, IdText, RecordId, Shared, UserId};

/// A module's canonical API name as a record holds it: shared by the module's records (8
/// bytes a record), held once by [`Records`].
pub type ModuleName = Shared<IdText>;

/// A CRM record: its module and owner (what sharing needs), its field values by API name and
/// its system times and users (what the Records API and rule criteria read).
#[derive(Clone, Debug, PartialEq, Eq)]
/// 80 bytes: the module and users are shared with the org's other records ([`Shared`]).
pub struct Record {
    pub module: ModuleName,
    pub id: RecordId,
    pub owner: Shared<UserId>,
    /// Stored as given; never a system key (`id`, `Owner`, `Created_Time`, ...).
    pub fields: Fields,
    pub created_time: Timestamp,
    pub modified_time: Timestamp,
    pub created_by: Shared<UserId>,
    pub modified_by: Shared<UserId>,
}

impl Record {
    /// The record's name (spec crm-records-and-access.md §3.2): for Leads and Contacts
    /// `First_Name` and `Last_Name` joined by one space, leaving out a part that is absent, not
    /// a string or empty; for every other module its name field's value. `None` when nothing
    /// names it.
    pub fn name(&self, module: CrmModule<'_>) -> Option<String> {
        let text = |key: &str| {
            self.fields
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        if module.names_people() {
            let parts: Vec<&str> = [text("First_Name"), text("Last_Name")]
                .into_iter()
                .flatten()
                .collect();
            return (!parts.is_empty()).then(|| parts.join(" "));
        }
        text(module.name_field()).map(str::to_owned)
    }
}

/// A record's field values by API name, in key order. Records without any (most of a large
/// generated fixture) cost one pointer instead of an empty map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields(Option<Box<Map<String, Value>>>);

impl Fields {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.as_ref()?.get(key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().flat_map(|map| map.iter())
    }

    /// Sets `key` (replacing its value).
    pub fn insert(&mut self, key: String, value: Value) {
        self.0.get_or_insert_default().insert(key, value);
    }

    /// The values as a JSON object's map.
    pub fn to_map(&self) -> Map<String, Value> {
        self.0.as_deref().cloned().unwrap_or_default()
    }
}

impl From<Map<String, Value>> for Fields {
    fn from(map: Map<String, Value>) -> Self {
        Fields((!map.is_empty()).then(|| Box::new(map)))
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a String, &'a Value);
    type IntoIter = Box<dyn Iterator<Item = (&'a String, &'a Value)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Ids compared by their numeric value (as a list sorts them), without a size limit: fewer
/// significant digits is smaller, then digit by digit; two spellings of one value (`7`, `07`)
/// fall back to string order so the order stays total.
pub fn numeric_order(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    x.len()
        .cmp(&y.len())
        .then_with(|| x.cmp(y))
        .then_with(|| a.cmp(b))
}

/// Where a record is in [`Records`]: found once under the lock, used again after the borrow
/// that found it has ended, without copying the id. A slot stays valid until the state is
/// replaced: a deleted record leaves its slot empty rather than moving the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordSlot(usize);

/// What an update changes: the fields it sends (each replacing the stored value), a new owner,
/// and who changed it when.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordChange {
    pub fields: Map<String, Value>,
    pub owner: Option<UserId>,
    pub by: UserId,
    pub at: Timestamp,
}

/// The org's custom modules and records.
#[derive(Clone, Debug, Default)]
pub struct Records {
    custom_modules: Vec<CustomModule>,
    /// Every record, in fixture order, then insertion order, which export keeps. A deleted
    /// record stays in its slot (marked in `deleted`, its fields dropped) so that slots never
    /// move (deleting is O(1) and no index is rebuilt) and its id stays held.
    slots: Vec<Record>,
    /// One bit per slot: the record was deleted.
    deleted: Vec<u64>,
    /// The slots by id, hashed with [`IdHash`]: 4 bytes a bucket, the id being the record's
    /// own (a map by id would hold every id twice).
    by_id: HashTable<u32>,
    /// Per canonical module name, the slots of its records in [`numeric_order`] of their ids.
    /// Its keys are the module names every record shares.
    by_module: HashMap<ModuleName, Vec<u32>>,
    /// The user ids the records share (owners, creators, modifiers), each held once.
    users: HashSet<Shared<UserId>, IdHash>,
    /// Records inserted, changed or deleted, for the state file: every mutation of a record
    /// marks its id.
    dirty: Dirty<RecordId>,
}

/// What [`Records::load`] refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DuplicateId;

fn hash_id(id: &str) -> u64 {
    IdHash::default().hash_one(id)
}

impl Records {
    /// Records the caller has checked (see [`Records::load`]).
    #[cfg(test)]
    pub fn new(custom_modules: Vec<CustomModule>, records: Vec<Record>) -> Self {
        let mut loaded = Records::with_capacity(custom_modules, records.len());
        for record in records {
            loaded.load(record).expect("unique ids");
        }
        loaded.loaded();
        loaded
    }

    /// No records yet, room for `capacity`: [`Records::load`] adds the records the caller
    /// checks one by one (canonical modules of the registry, owners that are users of the org:
    /// `crm::records`' fixture section does), then [`Records::loaded`] orders them.
    pub fn with_capacity(custom_modules: Vec<CustomModule>, capacity: usize) -> Self {
        Records {
            custom_modules,
            slots: Vec::with_capacity(capacity),
            by_id: HashTable::with_capacity(capacity),
            ..Records::default()
        }
    }

    /// Adds a loaded record at the end (export order), unless its id is held already. Its
    /// module and users are shared with the records before it.
    pub fn load(&mut self, record: Record) -> Result<(), DuplicateId> {
        let slot = self.push(record)?;
        let module = self.slots[slot as usize].module.clone();
        self.by_module.entry(module).or_default().push(slot);
        Ok(())
    }

    /// After the last [`Records::load`]: each module's records in id order.
    pub fn loaded(&mut self) {
        let Records {
            slots, by_module, ..
        } = self;
        for module_slots in by_module.values_mut() {
            // A stable sort: fixtures list their records in id order more often than not,
            // which it then checks in one pass.
            module_slots.sort_by(|a, b| numeric_order(id_at(slots, *a), id_at(slots, *b)));
        }
    }

    /// The record in a new slot, sharing module and users; refused when the id is held.
    fn push(&mut self, mut record: Record) -> Result<u32, DuplicateId> {
        let hash = hash_id(record.id.as_str());
        let Records {
            slots,
            by_id,
            by_module,
            users,
            ..
        } = self;
        let slot = slot_index(slots.len());
        match by_id.entry(
            hash,
            |s| id_at(slots, *s) == record.id.as_str(),
            |s| hash_id(id_at(slots, *s)),
        ) {
            hash_table::Entry::Occupied(_) => return Err(DuplicateId),
            hash_table::Entry::Vacant(vacant) => {
                vacant.insert(slot);
            }
        }
        if let Some((module, _)) = by_module.get_key_value(record.module.as_str()) {
            record.module = module.clone();
        }
        for user in [
            &mut record.owner,
            &mut record.created_by,
            &mut record.modified_by,
        ] {
            *user = share(users, user);
        }
        slots.push(record);
        if self.deleted.len() * 64 < self.slots.len() {
            self.deleted.push(0);
        }
        Ok(slot)
    }

    /// A user id as the records share it.
    pub fn user(&mut self, user: &UserId) -> Shared<UserId> {
        if let Some(held) = self.users.get(user.as_str()) {
            return held.clone();
        }
        let shared = Shared::from(user.clone());
        self.users.insert(shared.clone());
        shared
    }

    /// A canonical module name as the records share it.
    pub fn module_name(&self, api_name: &str) -> ModuleName {
        match self.by_module.get_key_value(api_name) {
            Some((name, _)) => name.clone(),
            None => ModuleName::from(api_name),
        }
    }

    /// What changed, for the state file.
    pub fn dirty(&mut self) -> &mut Dirty<RecordId> {
        &mut self.dirty
    }

    /// What a module name names in this org (case-insensitive; no aliases).
    pub fn module(&self, name: &str) -> ModuleLookup<'_> {
        registry::lookup(&self.custom_modules, name)
    }

    /// Every module of the org in registry order: standard modules, then custom modules.
    pub fn modules(&self) -> impl Iterator<Item = CrmModule<'_>> {
        registry::all_modules(&self.custom_modules)
    }

    /// The module of this canonical name.
    pub fn module_named(&self, api_name: &str) -> Option<CrmModule<'_>> {
        self.modules().find(|m| m.api_name == api_name)
    }

    /// Position of a module in the registry (custom modules last), for listing orders.
    pub fn registry_position(&self, module: &str) -> usize {
        self.modules()
            .position(|m| m.api_name == module)
            .unwrap_or(usize::MAX)
    }

    pub fn custom_modules(&self) -> &[CustomModule] {
        &self.custom_modules
    }

    /// The slot of `id`, deleted records' included.
    fn slot_of(&self, id: &str) -> Option<usize> {
        self.by_id
            .find(hash_id(id), |s| id_at(&self.slots, *s) == id)
            .map(|s| *s as usize)
    }

    fn is_deleted(&self, slot: usize) -> bool {
        self.deleted
            .get(slot / 64)
            .is_some_and(|bits| bits & (1 << (slot % 64)) != 0)
    }

    pub fn get(&self, id: &str) -> Option<&Record> {
        self.at(RecordSlot(self.slot_of(id)?))
    }

    /// The record and where it is.
    pub fn find(&self, id: &str) -> Option<(RecordSlot, &Record)> {
        let slot = RecordSlot(self.slot_of(id)?);
        Some((slot, self.at(slot)?))
    }

    /// The record of `id` if it belongs to `module` (canonical name): a record of another
    /// module is no record of this one.
    pub fn in_module(&self, module: &str, id: &str) -> Option<&Record> {
        self.get(id).filter(|record| record.module == module)
    }

    pub fn at(&self, slot: RecordSlot) -> Option<&Record> {
        if self.is_deleted(slot.0) {
            return None;
        }
        self.slots.get(slot.0)
    }

    /// Every record, in export order.
    pub fn iter(&self) -> impl Iterator<Item = &Record> {
        self.slots
            .iter()
            .enumerate()
            .filter(|(slot, _)| !self.is_deleted(*slot))
            .map(|(_, record)| record)
    }

    /// A module's records in the numeric order of their ids (`descending`: largest first),
    /// without looking at any other module's: what a list walks.
    pub fn of_module(&self, module: &str, descending: bool) -> impl Iterator<Item = &Record> + '_ {
        let slots = self.by_module.get(module).map_or(&[][..], Vec::as_slice);
        let last = slots.len().saturating_sub(1);
        (0..slots.len()).filter_map(move |i| {
            let slot = if descending {
                slots[last - i]
            } else {
                slots[i]
            };
            self.at(RecordSlot(slot as usize))
        })
    }

    /// Whether a record holds this id (deleted ones included, so an id is never handed out
    /// twice while the state lives).
    pub fn holds_record_id(&self, id: &str) -> bool {
        self.slot_of(id).is_some()
    }

    /// Whether an id is held here, by a record (deleted ones included) or a custom module.
    pub fn holds_id(&self, id: &str) -> bool {
        self.holds_record_id(id) || self.custom_modules.iter().any(|m| m.id == id)
    }

    /// Every id held here: records (deleted ones included) and custom modules.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.slots
            .iter()
            .map(|record| record.id.as_str())
            .chain(self.custom_modules.iter().map(|m| m.id.as_str()))
    }

    /// Adds a record under a fresh id (the caller took it from the org's id space, and checked
    /// the module and owner).
    pub fn insert(&mut self, record: Record) {
        let id = record.id.clone();
        let Ok(slot) = self.push(record) else {
            return;
        };
        self.dirty.mark(|| id);
        let Records {
            slots, by_module, ..
        } = self;
        let module = slots[slot as usize].module.clone();
        let module_slots = by_module.entry(module).or_default();
        let id = id_at(slots, slot);
        // New ids come after every id of the org, so this is nearly always the end.
        let at =
            module_slots.partition_point(|s| numeric_order(id_at(slots, *s), id) == Ordering::Less);
        module_slots.insert(at, slot);
    }

    /// Applies an update to the record `id`: the sent fields replace the stored ones (absent
    /// ones stay), the owner changes when given, and the modification is stamped. `None` when
    /// there is no such record.
    pub fn update(&mut self, id: &str, change: RecordChange) -> Option<&Record> {
        let slot = self.slot_of(id).filter(|slot| !self.is_deleted(*slot))?;
        let owner = change.owner.map(|owner| self.user(&owner));
        let by = self.user(&change.by);
        let record = &mut self.slots[slot];
        self.dirty.mark(|| record.id.clone());
        for (key, value) in change.fields {
            record.fields.insert(key, value);
        }
        if let Some(owner) = owner {
            record.owner = owner;
        }
        record.modified_by = by;
        record.modified_time = change.at;
        Some(record)
    }

    /// Removes the record `id` and answers it; `None` when there is none. (Its shares are the
    /// record-sharing state's to drop.)
    pub fn delete(&mut self, id: &str) -> Option<Record> {
        let index = self.slot_of(id).filter(|slot| !self.is_deleted(*slot))?;
        if let Some(bits) = self.deleted.get_mut(index / 64) {
            *bits |= 1 << (index % 64);
        }
        let stored = &mut self.slots[index];
        let mut record = stored.clone();
        record.fields = std::mem::take(&mut stored.fields);
        self.dirty.mark(|| record.id.clone());
        let slots = &self.slots;
        if let Some(module_slots) = self.by_module.get_mut(record.module.as_str()) {
            let slot = slot_index(index);
            let at = module_slots
                .partition_point(|s| numeric_order(id_at(slots, *s), id) == Ordering::Less);
            // Ids are unique, so the slot is at `at` (or, for another spelling of the same
            // value, close by).
            if let Some(offset) = module_slots[at..].iter().position(|s| *s == slot) {
                module_slots.remove(at + offset);
            }
        }
        Some(record)
    }
}

/// `user` as `users` holds it (added when new).
fn share(users: &mut HashSet<Shared<UserId>, IdHash>, user: &Shared<UserId>) -> Shared<UserId> {
    if let Some(held) = users.get(user.as_str()) {
        return held.clone();
    }
    users.insert(user.clone());
    user.clone()
}

/// A slot as the indexes store it: 4 bytes a record.
fn slot_index(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The id at a slot (deleted records keep theirs).
fn id_at(slots: &[Record], slot: u32) -> &str {
    slots
        .get(slot as usize)
        .map_or("", |record| record.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(module: &str, id: &str) -> Record {
        Record {
            module: module.into(),
            id: RecordId::from(id),
            owner: UserId::from("1").into(),
            fields: Fields::default(),
            created_time: Timestamp(0),
            modified_time: Timestamp(0),
            created_by: UserId::from("1").into(),
            modified_by: UserId::from("1").into(),
        }
    }

    fn ids(records: &Records, module: &str, descending: bool) -> Vec<String> {
        records
            .of_module(module, descending)
            .map(|r| r.id.to_string())
            .collect()
    }

    #[test]
    fn a_record_takes_80_bytes() {
        // What a million-record fixture's memory is mostly made of (issue 14: <= 150 bytes a
        // record in all); a field added here costs a million times its size.
        assert_eq!(size_of::<Record>(), 80);
    }

    #[test]
    fn ids_sort_by_their_numeric_value() {
        assert_eq!(numeric_order("98", "100"), Ordering::Less);
        assert_eq!(numeric_order("1000", "999"), Ordering::Greater);
        assert_eq!(numeric_order("7", "7"), Ordering::Equal);
        assert_eq!(
            numeric_order("07", "7"),
            Ordering::Less,
            "total: string order"
        );
        assert_eq!(
            numeric_order("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less,
            "no size limit"
        );
    }

    #[test]
    fn a_module_walks_its_records_in_id_order_through_inserts_and_deletes() {
        let mut records = Records::new(
            Vec::new(),
            vec![
                record("Leads", "100"),
                record("Contacts", "55"),
                record("Leads", "7"),
                record("Leads", "1000"),
                record("Leads", "98"),
            ],
        );
        assert_eq!(ids(&records, "Leads", false), ["7", "98", "100", "1000"]);
        assert_eq!(ids(&records, "Leads", true), ["1000", "100", "98", "7"]);
        assert_eq!(ids(&records, "Contacts", true), ["55"]);
        assert_eq!(ids(&records, "Deals", true), Vec::<String>::new());
        records.insert(record("Leads", "99"));
        records.insert(record("Leads", "5000"));
        assert_eq!(
            ids(&records, "Leads", false),
            ["7", "98", "99", "100", "1000", "5000"]
        );
        let gone = records.delete("100").expect("a record");
        assert_eq!(gone.id.as_str(), "100");
        assert!(records.delete("100").is_none(), "once");
        assert!(records.get("100").is_none());
        assert!(
            records.holds_id("100"),
            "a deleted id is not handed out again"
        );
        assert_eq!(
            ids(&records, "Leads", false),
            ["7", "98", "99", "1000", "5000"]
        );
        // Export order: fixture order, then insertion order, deleted records left out.
        let order: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(order, ["55", "7", "1000", "98", "99", "5000"]);
        // Slots stay valid across a delete.
        let (slot, _) = records.find("5000").expect("a record");
        records.delete("7");
        assert_eq!(records.at(slot).map(|r| r.id.as_str()), Some("5000"));
    }

    #[test]
    fn an_update_merges_fields_and_stamps_the_change() {
        let mut records = Records::new(Vec::new(), vec![record("Leads", "1")]);
        let mut fields = Map::new();
        fields.insert("City".into(), json!("Pune"));
        let change = |fields: Map<String, Value>, owner: Option<&str>| RecordChange {
            fields,
            owner: owner.map(UserId::from),
            by: UserId::from("2"),
            at: Timestamp(5_000),
        };
        records.update("1", change(fields, None));
        let mut fields = Map::new();
        fields.insert("Rating".into(), json!(null));
        let updated = records
            .update("1", change(fields, Some("3")))
            .expect("a record");
        assert_eq!(
            Value::Object(updated.fields.to_map()),
            json!({"City": "Pune", "Rating": null})
        );
        assert_eq!(updated.owner.as_str(), "3");
        assert_eq!(updated.modified_by.as_str(), "2");
        assert_eq!(updated.modified_time, Timestamp(5_000));
        assert_eq!(updated.created_by.as_str(), "1");
        assert!(records.update("2", change(Map::new(), None)).is_none());
    }

    #[test]
    fn names_follow_the_module() {
        let module = |name: &str| {
            registry::all_modules(&[])
                .find(|m| m.api_name == name)
                .expect("a module")
        };
        let with = |module: &str, fields: Value| {
            let mut r = record(module, "1");
            r.fields = fields.as_object().cloned().unwrap_or_default().into();
            r
        };
        let lead = |fields: Value| with("Leads", fields).name(module("Leads"));
        assert_eq!(
            lead(json!({"First_Name": "Ann", "Last_Name": "Lee"})).as_deref(),
            Some("Ann Lee")
        );
        assert_eq!(lead(json!({"First_Name": "Ann"})).as_deref(), Some("Ann"));
        assert_eq!(
            lead(json!({"First_Name": 7, "Last_Name": "Lee"})).as_deref(),
            Some("Lee")
        );
        assert_eq!(lead(json!({"First_Name": "", "Last_Name": ""})), None);
        assert_eq!(lead(json!({"Company": "Acme"})), None);
        let deal = with("Deals", json!({"Deal_Name": "Big", "Subject": "decoy"}));
        assert_eq!(deal.name(module("Deals")).as_deref(), Some("Big"));
        let case = with("Cases", json!({"Name": "decoy"}));
        assert_eq!(case.name(module("Cases")), None);
    }
}

//! The org's CRM records and custom modules: the module registry of the org (standard modules,
//! then its custom ones) and every record by id. Record ids are unique in the org across
//! modules, and a record's module is the registry's canonical API name.
//!
//! Every change is a `&mut self` method here ([`Records::insert`], [`Records::update`],
//! [`Records::delete`]), which keeps the two indexes in step: the records by id (in the order
//! export writes them) and, per module, the records in the numeric order of their ids, the
//! order a list walks (spec crm-records-and-access.md §6).

use std::cmp::Ordering;
use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::clock::Timestamp;
use crate::crm::registry::{self, CrmModule, CustomModule, ModuleLookup};
use crate::dirty::Dirty;
use crate::ids::{IdHash, RecordId, UserId};

/// A CRM record: its module and owner (what sharing needs), its field values by API name and
/// its system times and users (what the Records API and rule criteria read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub module: String,
    pub id: RecordId,
    pub owner: UserId,
    /// Stored as given; never a system key (`id`, `Owner`, `Created_Time`, ...).
    pub fields: Map<String, Value>,
    pub created_time: Timestamp,
    pub modified_time: Timestamp,
    pub created_by: UserId,
    pub modified_by: UserId,
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
    /// In fixture order, then insertion order, which export keeps. A deleted record's entry
    /// stays, empty, so that slots never move (deleting is O(1) and no index is rebuilt).
    by_id: IndexMap<RecordId, Option<Record>, IdHash>,
    /// Per canonical module name, the slots of its records in [`numeric_order`] of their ids.
    by_module: HashMap<String, Vec<u32>>,
    /// Records inserted, changed or deleted, for the state file: every mutation of a record
    /// marks its id.
    dirty: Dirty<RecordId>,
}

impl Records {
    /// Records the caller has checked: canonical modules of the registry, unique ids, owners
    /// that are users of the org (`crm::records`' fixture section does).
    pub fn new(custom_modules: Vec<CustomModule>, records: Vec<Record>) -> Self {
        let mut by_id = IndexMap::with_capacity_and_hasher(records.len(), IdHash::default());
        let mut by_module: HashMap<String, Vec<u32>> = HashMap::new();
        for record in records {
            let slot = slot_index(by_id.len());
            by_module
                .entry(record.module.clone())
                .or_default()
                .push(slot);
            by_id.insert(record.id.clone(), Some(record));
        }
        let mut loaded = Records {
            custom_modules,
            by_id,
            by_module,
            dirty: Dirty::default(),
        };
        let Records {
            by_id, by_module, ..
        } = &mut loaded;
        for slots in by_module.values_mut() {
            // A stable sort: fixtures list their records in id order more often than not,
            // which it then checks in one pass.
            slots.sort_by(|a, b| numeric_order(id_at(by_id, *a), id_at(by_id, *b)));
        }
        loaded
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

    pub fn get(&self, id: &str) -> Option<&Record> {
        self.by_id.get(id).and_then(Option::as_ref)
    }

    /// The record and where it is.
    pub fn find(&self, id: &str) -> Option<(RecordSlot, &Record)> {
        self.by_id
            .get_full(id)
            .and_then(|(index, _, record)| Some((RecordSlot(index), record.as_ref()?)))
    }

    /// The record of `id` if it belongs to `module` (canonical name): a record of another
    /// module is no record of this one.
    pub fn in_module(&self, module: &str, id: &str) -> Option<&Record> {
        self.get(id).filter(|record| record.module == module)
    }

    pub fn at(&self, slot: RecordSlot) -> Option<&Record> {
        self.by_id
            .get_index(slot.0)
            .and_then(|(_, record)| record.as_ref())
    }

    /// Every record, in export order.
    pub fn iter(&self) -> impl Iterator<Item = &Record> {
        self.by_id.values().flatten()
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

    /// Whether an id is held here, by a record (deleted ones included, so an id is never
    /// handed out twice while the state lives) or a custom module.
    pub fn holds_id(&self, id: &str) -> bool {
        self.by_id.contains_key(id) || self.custom_modules.iter().any(|m| m.id == id)
    }

    /// Every id held here: records and custom modules.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id
            .keys()
            .map(RecordId::as_str)
            .chain(self.custom_modules.iter().map(|m| m.id.as_str()))
    }

    /// Adds a record under a fresh id (the caller took it from the org's id space, and checked
    /// the module and owner).
    pub fn insert(&mut self, record: Record) {
        let slot = slot_index(self.by_id.len());
        let module = record.module.clone();
        self.dirty.mark(|| record.id.clone());
        self.by_id.insert(record.id.clone(), Some(record));
        let Records {
            by_id, by_module, ..
        } = self;
        let slots = by_module.entry(module).or_default();
        let id = id_at(by_id, slot);
        // New ids come after every id of the org, so this is nearly always the end.
        let at = slots.partition_point(|s| numeric_order(id_at(by_id, *s), id) == Ordering::Less);
        slots.insert(at, slot);
    }

    /// Applies an update to the record `id`: the sent fields replace the stored ones (absent
    /// ones stay), the owner changes when given, and the modification is stamped. `None` when
    /// there is no such record.
    pub fn update(&mut self, id: &str, change: RecordChange) -> Option<&Record> {
        let (key, entry) = self.by_id.get_key_value_mut(id)?;
        let record = entry.as_mut()?;
        self.dirty.mark(|| key.clone());
        for (key, value) in change.fields {
            record.fields.insert(key, value);
        }
        if let Some(owner) = change.owner {
            record.owner = owner;
        }
        record.modified_by = change.by;
        record.modified_time = change.at;
        Some(record)
    }

    /// Removes the record `id` and answers it; `None` when there is none. (Its shares are the
    /// record-sharing state's to drop.)
    pub fn delete(&mut self, id: &str) -> Option<Record> {
        let (index, key, entry) = self.by_id.get_full_mut(id)?;
        let record = entry.take()?;
        self.dirty.mark(|| key.clone());
        let by_id = &self.by_id;
        if let Some(slots) = self.by_module.get_mut(&record.module) {
            let slot = slot_index(index);
            let at =
                slots.partition_point(|s| numeric_order(id_at(by_id, *s), id) == Ordering::Less);
            // Ids are unique, so the slot is at `at` (or, for another spelling of the same
            // value, close by).
            if let Some(offset) = slots[at..].iter().position(|s| *s == slot) {
                slots.remove(at + offset);
            }
        }
        Some(record)
    }
}

/// A slot as the module index stores it: 4 bytes a record.
fn slot_index(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The id at a slot (deleted entries keep their key).
fn id_at(by_id: &IndexMap<RecordId, Option<Record>, IdHash>, slot: u32) -> &str {
    by_id
        .get_index(slot as usize)
        .map_or("", |(id, _)| id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(module: &str, id: &str) -> Record {
        Record {
            module: module.into(),
            id: RecordId(id.into()),
            owner: UserId("1".into()),
            fields: Map::new(),
            created_time: Timestamp(0),
            modified_time: Timestamp(0),
            created_by: UserId("1".into()),
            modified_by: UserId("1".into()),
        }
    }

    fn ids(records: &Records, module: &str, descending: bool) -> Vec<String> {
        records
            .of_module(module, descending)
            .map(|r| r.id.0.clone())
            .collect()
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
            by: UserId("2".into()),
            at: Timestamp(5_000),
        };
        records.update("1", change(fields, None));
        let mut fields = Map::new();
        fields.insert("Rating".into(), json!(null));
        let updated = records
            .update("1", change(fields, Some("3")))
            .expect("a record");
        assert_eq!(
            Value::Object(updated.fields.clone()),
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
            r.fields = fields.as_object().cloned().unwrap_or_default();
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

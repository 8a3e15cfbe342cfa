//! The org's CRM records and custom modules: the module registry of the org (standard modules,
//! then its custom ones) and every record by id. Record ids are unique in the org across
//! modules, and a record's module is the registry's canonical API name.

use indexmap::IndexMap;

use crate::crm::registry::{self, CrmModule, CustomModule, ModuleLookup};
use crate::dirty::Dirty;
use crate::ids::{RecordId, UserId};

/// A CRM record: only what sharing needs (module, owner).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub module: String,
    pub id: RecordId,
    pub owner: UserId,
}

/// Where a record is in [`Records`]: found once under the lock, used again after the borrow
/// that found it has ended, without copying the id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordSlot(usize);

/// The org's custom modules and records.
#[derive(Clone, Debug, Default)]
pub struct Records {
    custom_modules: Vec<CustomModule>,
    /// In fixture order, which export keeps.
    by_id: IndexMap<RecordId, Record>,
    /// Records inserted, changed or deleted, for the state file: every mutation of a record
    /// marks its id (removals keep the order of the others: `shift_remove`).
    dirty: Dirty<RecordId>,
}

impl Records {
    /// Records the caller has checked: canonical modules of the registry, unique ids, owners
    /// that are users of the org (`crm::records`' fixture section does).
    pub fn new(custom_modules: Vec<CustomModule>, by_id: IndexMap<RecordId, Record>) -> Self {
        Records {
            custom_modules,
            by_id,
            dirty: Dirty::default(),
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
        self.by_id.get(id)
    }

    /// The record and where it is.
    pub fn find(&self, id: &str) -> Option<(RecordSlot, &Record)> {
        self.by_id
            .get_full(id)
            .map(|(index, _, record)| (RecordSlot(index), record))
    }

    pub fn at(&self, slot: RecordSlot) -> Option<&Record> {
        self.by_id.get_index(slot.0).map(|(_, record)| record)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Record> {
        self.by_id.values()
    }

    /// Every id held here: records and custom modules.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id
            .keys()
            .map(RecordId::as_str)
            .chain(self.custom_modules.iter().map(|m| m.id.as_str()))
    }
}

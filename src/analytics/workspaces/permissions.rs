//! The twenty permission keys a view share holds (spec analytics-v2-sharing.md §7.1) and a set
//! of them. Every answer writes its own subset of the keys in its own order (that is the wire's
//! business); the state keeps all twenty.

/// One permission of a view share, in the order of spec §7.1 (also the export order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    Read,
    Export,
    Vud,
    DrillDown,
    AddRow,
    UpdateRow,
    DeleteRow,
    DeleteAllRows,
    ImportAppend,
    ImportAddOrUpdate,
    ImportDeleteAllAdd,
    ImportDeleteUpdateAdd,
    Share,
    VudSelectedColumns,
    Discussion,
    Insight,
    DrillThrough,
    DrillActions,
    AccessAdminPresets,
    CreatePreset,
}

use Permission as P;

impl Permission {
    /// Every key, in the order of spec §7.1.
    pub const ALL: [Permission; 20] = [
        P::Read,
        P::Export,
        P::Vud,
        P::DrillDown,
        P::AddRow,
        P::UpdateRow,
        P::DeleteRow,
        P::DeleteAllRows,
        P::ImportAppend,
        P::ImportAddOrUpdate,
        P::ImportDeleteAllAdd,
        P::ImportDeleteUpdateAdd,
        P::Share,
        P::VudSelectedColumns,
        P::Discussion,
        P::Insight,
        P::DrillThrough,
        P::DrillActions,
        P::AccessAdminPresets,
        P::CreatePreset,
    ];

    /// The eight keys that write data: a Viewer never holds them (spec §1.4 step 4).
    pub const WRITE: [Permission; 8] = [
        P::AddRow,
        P::UpdateRow,
        P::DeleteRow,
        P::DeleteAllRows,
        P::ImportAppend,
        P::ImportAddOrUpdate,
        P::ImportDeleteAllAdd,
        P::ImportDeleteUpdateAdd,
    ];

    /// The key as Zoho spells it in requests, answers and the fixture.
    pub fn key(self) -> &'static str {
        match self {
            P::Read => "read",
            P::Export => "export",
            P::Vud => "vud",
            P::DrillDown => "drillDown",
            P::AddRow => "addRow",
            P::UpdateRow => "updateRow",
            P::DeleteRow => "deleteRow",
            P::DeleteAllRows => "deleteAllRows",
            P::ImportAppend => "importAppend",
            P::ImportAddOrUpdate => "importAddOrUpdate",
            P::ImportDeleteAllAdd => "importDeleteAllAdd",
            P::ImportDeleteUpdateAdd => "importDeleteUpdateAdd",
            P::Share => "share",
            P::VudSelectedColumns => "vudSelectedColumns",
            P::Discussion => "discussion",
            P::Insight => "insight",
            P::DrillThrough => "drillThrough",
            P::DrillActions => "drillActions",
            P::AccessAdminPresets => "accessAdminPresets",
            P::CreatePreset => "createPreset",
        }
    }

    /// The permission a key names (exact spelling).
    pub fn from_key(key: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.key() == key)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of permissions; a key that is not in it is `false`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PermissionSet {
    bits: u32,
}

impl PermissionSet {
    pub fn of(permissions: &[Permission]) -> Self {
        permissions
            .iter()
            .fold(PermissionSet::default(), |set, p| set.with(*p, true))
    }

    /// What an admin of the workspace and a view's owner hold: every key but `insight` (spec
    /// §1.4 step 1).
    pub fn admin() -> Self {
        PermissionSet::of(&Permission::ALL).with(Permission::Insight, false)
    }

    pub fn with(self, permission: Permission, on: bool) -> Self {
        let bits = if on {
            self.bits | permission.bit()
        } else {
            self.bits & !permission.bit()
        };
        PermissionSet { bits }
    }

    pub fn has(self, permission: Permission) -> bool {
        self.bits & permission.bit() != 0
    }

    /// Key by key, the logical OR.
    pub fn union(self, other: PermissionSet) -> Self {
        PermissionSet {
            bits: self.bits | other.bits,
        }
    }

    pub fn is_empty(self) -> bool {
        self.bits == 0
    }

    /// The set with every write key taken out: the Viewer ceiling (spec §1.4 step 4).
    pub fn without_writes(self) -> Self {
        Permission::WRITE
            .iter()
            .fold(self, |set, p| set.with(*p, false))
    }

    /// `share` together with a write key: what a Viewer may not be given (7545).
    pub fn shares_and_writes(self) -> bool {
        self.has(Permission::Share) && Permission::WRITE.iter().any(|p| self.has(*p))
    }
}

#[cfg(test)]
impl PermissionSet {
    /// The keys in the set, in the order of spec §7.1.
    pub fn granted(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| self.has(*p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_in_order() {
        for p in Permission::ALL {
            assert_eq!(Permission::from_key(p.key()), Some(p));
        }
        assert_eq!(Permission::from_key("Read"), None);
        assert_eq!(Permission::ALL[3].key(), "drillDown");
        assert_eq!(Permission::ALL[19].key(), "createPreset");
    }

    #[test]
    fn sets_union_and_cap() {
        let direct = PermissionSet::of(&[P::Read, P::Export]);
        let group = PermissionSet::of(&[P::Read, P::Vud, P::DrillDown, P::AddRow]);
        let both = direct.union(group);
        assert_eq!(
            both.granted().collect::<Vec<_>>(),
            [P::Read, P::Export, P::Vud, P::DrillDown, P::AddRow]
        );
        assert_eq!(
            both.without_writes().granted().collect::<Vec<_>>(),
            [P::Read, P::Export, P::Vud, P::DrillDown]
        );
        assert!(!PermissionSet::admin().has(P::Insight));
        assert_eq!(PermissionSet::admin().granted().count(), 19);
        assert!(PermissionSet::of(&[P::Share, P::ImportAppend]).shares_and_writes());
        assert!(!PermissionSet::of(&[P::Share, P::Export]).shares_and_writes());
        assert!(PermissionSet::default().is_empty());
    }
}

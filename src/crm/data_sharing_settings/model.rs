//! The org-wide data sharing settings: one `share_type` per registry module (absent means
//! `private`). It is the module's org-wide default in record access (spec
//! crm-records-and-access.md §4.2); the record-sharing endpoints do not read it. A change
//! applies all of its items or none.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::str_enum::str_enum;

use crate::crm::registry::CrmModule;
use crate::dirty::Dirty;

str_enum! {
    /// Org-wide default access of a module.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ShareType {
        #[default]
        Private = "private",
        PublicReadOnly = "public_read_only",
        PublicReadWrite = "public_read_write",
        Public = "public",
    }
}

impl ShareType {
    /// The allowed values as Zoho's `regex` detail lists them.
    pub const REGEX: &'static str = "private|public_read_only|public_read_write|public";
}

/// The share type of each module that has one set.
#[derive(Clone, Debug, Default)]
pub struct DataSharingSettings {
    /// By canonical module name.
    by_module: HashMap<String, ShareType>,
    /// Marked by every update (the state file keeps the settings in the org's own row).
    dirty: Dirty<()>,
}

impl DataSharingSettings {
    pub fn share_type(&self, module: &str) -> ShareType {
        self.by_module.get(module).copied().unwrap_or_default()
    }

    /// Sets every module's share type; the modules come from the org's registry, so only
    /// registry modules ever have one.
    pub fn update(&mut self, changes: &[(CrmModule<'_>, ShareType)]) {
        for (module, share_type) in changes {
            self.by_module
                .insert(module.api_name.to_owned(), *share_type);
        }
        self.dirty.mark(|| ());
    }

    /// Whether the settings changed, for the state file.
    pub fn dirty(&mut self) -> &mut Dirty<()> {
        &mut self.dirty
    }
}

#[cfg(test)]
mod tests {
    use super::ShareType;

    #[test]
    fn the_regex_detail_lists_every_share_type() {
        assert_eq!(ShareType::REGEX, ShareType::TEXTS.join("|"));
    }
}

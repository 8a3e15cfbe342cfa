//! The org-wide data sharing settings: one `share_type` per registry module (absent means
//! `private`). It is reported only; record sharing does not read it. A change applies all of
//! its items or none.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::crm::registry::CrmModule;

/// Org-wide default access of a module.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareType {
    #[default]
    Private,
    PublicReadOnly,
    PublicReadWrite,
    Public,
}

impl ShareType {
    /// The allowed values as Zoho's `regex` detail lists them.
    pub const REGEX: &'static str = "private|public_read_only|public_read_write|public";

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "private" => Some(ShareType::Private),
            "public_read_only" => Some(ShareType::PublicReadOnly),
            "public_read_write" => Some(ShareType::PublicReadWrite),
            "public" => Some(ShareType::Public),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ShareType::Private => "private",
            ShareType::PublicReadOnly => "public_read_only",
            ShareType::PublicReadWrite => "public_read_write",
            ShareType::Public => "public",
        }
    }
}

/// The share type of each module that has one set.
#[derive(Clone, Debug, Default)]
pub struct DataSharingSettings {
    /// By canonical module name.
    by_module: HashMap<String, ShareType>,
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
    }
}

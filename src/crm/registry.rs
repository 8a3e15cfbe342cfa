//! The CRM module registry (spec README §3): API names, ids, scope names, and which endpoints
//! each module supports. Custom modules come from the org (`crm::records`) and follow the
//! standard ones.

/// A custom module declared by an org's fixture (`custom_modules`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomModule {
    pub api_name: String,
    pub id: String,
}

/// How record sharing treats a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordSharing {
    Shareable,
    /// Tasks, Events, Calls: Zoho answers `OAUTH_SCOPE_MISMATCH` for these.
    ScopeMismatch,
}

#[derive(Debug)]
pub struct StandardModule {
    pub api_name: &'static str,
    pub id: &'static str,
    pub record_sharing: RecordSharing,
}

/// Registry order: the order of the summary sample in seed crm-data-sharing-rules-summary.txt.
pub static STANDARD_MODULES: [StandardModule; 17] = [
    std_module("Leads", "3602353000000000125"),
    std_module("Contacts", "3602353000000000129"),
    std_module("Accounts", "3602353000000000127"),
    std_module("Deals", "3602353000000000131"),
    activity_module("Tasks", "3602353000000000143"),
    activity_module("Events", "3602353000000000145"),
    activity_module("Calls", "3602353000000017015"),
    std_module("Products", "3602353000000000163"),
    std_module("Quotes", "3602353000000000169"),
    std_module("Sales_Orders", "3602353000000000171"),
    std_module("Purchase_Orders", "3602353000000000173"),
    std_module("Invoices", "3602353000000000175"),
    std_module("Campaigns", "3602353000000000133"),
    std_module("Vendors", "3602353000000000165"),
    std_module("Price_Books", "3602353000000000167"),
    std_module("Cases", "3602353000000000159"),
    std_module("Solutions", "3602353000000000161"),
];

const fn std_module(api_name: &'static str, id: &'static str) -> StandardModule {
    StandardModule {
        api_name,
        id,
        record_sharing: RecordSharing::Shareable,
    }
}

const fn activity_module(api_name: &'static str, id: &'static str) -> StandardModule {
    StandardModule {
        api_name,
        id,
        record_sharing: RecordSharing::ScopeMismatch,
    }
}

/// Modules Zoho names but does not support in these APIs.
pub const UNSUPPORTED_MODULES: [&str; 2] = ["Documents", "Projects"];

/// A module of the registry, standard or custom, with its canonical API name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrmModule<'a> {
    pub api_name: &'a str,
    pub id: &'a str,
    pub custom: bool,
    pub record_sharing: RecordSharing,
}

/// What a module name in a URL or query parameter names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleLookup<'a> {
    Known(CrmModule<'a>),
    /// `Documents`, `Projects`.
    Unsupported,
    Unknown,
}

impl<'a> CrmModule<'a> {
    /// The module's name field (spec crm-records-and-access.md §3.2): required on insert, never
    /// emptied by an update, and what names a record. A custom module's is `Name`.
    pub fn name_field(&self) -> &'static str {
        if self.custom {
            return "Name";
        }
        match self.api_name {
            "Leads" | "Contacts" => "Last_Name",
            "Accounts" => "Account_Name",
            "Deals" => "Deal_Name",
            "Events" => "Event_Title",
            "Products" => "Product_Name",
            "Campaigns" => "Campaign_Name",
            "Vendors" => "Vendor_Name",
            "Price_Books" => "Price_Book_Name",
            "Solutions" => "Solution_Title",
            // Tasks, Calls, Quotes, Sales_Orders, Purchase_Orders, Invoices, Cases.
            _ => "Subject",
        }
    }

    /// Whether a record's name joins `First_Name` and `Last_Name` (Leads and Contacts).
    pub fn names_people(&self) -> bool {
        !self.custom && matches!(self.api_name, "Leads" | "Contacts")
    }

    /// The module's 1-based position in the registry (standard modules, then the org's custom
    /// ones), from which some metadata ids are derived.
    pub fn position(&self, custom: &[CustomModule]) -> usize {
        all_modules(custom)
            .position(|m| m.api_name == self.api_name)
            .map_or(0, |at| at + 1)
    }

    /// The `{name}` of `ZohoCRM.share.{name}.{OP}`.
    pub fn share_scope_name(&self) -> String {
        if self.custom {
            "custom".to_owned()
        } else {
            scope_name_of(self.api_name)
        }
    }
}

/// The scope name the seeds use: the name lower-cased with underscores removed.
pub fn scope_name_of(name: &str) -> String {
    // Module names are ASCII: the byte path costs a tenth of the char one on every share call.
    if name.is_ascii() {
        return name
            .bytes()
            .filter(|b| *b != b'_')
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every module of an org in registry order: standard modules, then the org's custom modules.
pub fn all_modules(custom: &[CustomModule]) -> impl Iterator<Item = CrmModule<'_>> {
    STANDARD_MODULES
        .iter()
        .map(|m| CrmModule {
            api_name: m.api_name,
            id: m.id,
            custom: false,
            record_sharing: m.record_sharing,
        })
        .chain(custom.iter().map(|m| CrmModule {
            api_name: &m.api_name,
            id: &m.id,
            custom: true,
            record_sharing: RecordSharing::Shareable,
        }))
}

/// Resolves a module name case-insensitively (no aliases: `Meetings` and `Sales Orders` are unknown).
pub fn lookup<'a>(custom: &'a [CustomModule], name: &str) -> ModuleLookup<'a> {
    if let Some(module) = all_modules(custom).find(|m| m.api_name.eq_ignore_ascii_case(name)) {
        return ModuleLookup::Known(module);
    }
    if UNSUPPORTED_MODULES
        .iter()
        .any(|m| m.eq_ignore_ascii_case(name))
    {
        return ModuleLookup::Unsupported;
    }
    ModuleLookup::Unknown
}

pub fn is_standard_name(name: &str) -> bool {
    STANDARD_MODULES
        .iter()
        .any(|m| m.api_name.eq_ignore_ascii_case(name))
        || UNSUPPORTED_MODULES
            .iter()
            .any(|m| m.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_insensitive_and_canonical() {
        let custom = vec![CustomModule {
            api_name: "Properties".into(),
            id: "4150868000000542001".into(),
        }];
        match lookup(&custom, "sales_orders") {
            ModuleLookup::Known(m) => {
                assert_eq!(m.api_name, "Sales_Orders");
                assert_eq!(m.share_scope_name(), "salesorders");
            }
            other => panic!("{other:?}"),
        }
        match lookup(&custom, "PROPERTIES") {
            ModuleLookup::Known(m) => {
                assert!(m.custom);
                assert_eq!(m.share_scope_name(), "custom");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(lookup(&custom, "documents"), ModuleLookup::Unsupported);
        assert_eq!(lookup(&custom, "Meetings"), ModuleLookup::Unknown);
        assert_eq!(lookup(&custom, "Sales Orders"), ModuleLookup::Unknown);
    }

    #[test]
    fn registry_order_has_custom_modules_last() {
        let custom = vec![CustomModule {
            api_name: "Properties".into(),
            id: "1".into(),
        }];
        let names: Vec<&str> = all_modules(&custom).map(|m| m.api_name).collect();
        assert_eq!(names.len(), 18);
        assert_eq!(names[0], "Leads");
        assert_eq!(names[16], "Solutions");
        assert_eq!(names[17], "Properties");
    }
}

//! The org document's `custom_modules` and `records` sections (DESIGN §3), and the module-name
//! rule every other CRM section uses: a fixture names modules case-insensitively, the state
//! holds the registry's canonical API name.

use indexmap::IndexMap;

use crate::crm::registry::{self, CrmModule, CustomModule, ModuleLookup};
use crate::ids::{RecordId, is_decimal};
use crate::json_doc::{FixtureError, SeenIds, check_decimal, fail};
use crate::tenant::directory::Directory;

use super::model::{Record, Records};

/// The section's document types: the fixture contract (DESIGN §3). They keep the names serde
/// has always printed in type errors (`expected struct Record`), which are part of the
/// whole-file error messages.
pub mod doc {
    use serde::{Deserialize, Serialize};

    use crate::ids::{RecordId, UserId};

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CustomModule {
        pub api_name: String,
        #[serde(deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Record {
        pub module: String,
        pub id: RecordId,
        pub owner: UserId,
    }
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
    records: Vec<doc::Record>,
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
    let mut by_id: IndexMap<RecordId, Record> = IndexMap::with_capacity(records.len());
    seen.reserve(records.len());
    for (i, record) in records.into_iter().enumerate() {
        // Paths are built only for a message: a million records load without them.
        let p = |key: &str| format!("{path}.records[{i}].{key}");
        let module = match registry::lookup(&custom_modules, &record.module) {
            ModuleLookup::Known(module) => module.api_name.to_owned(),
            other => known_module(other, p("module"), &record.module)?
                .api_name
                .to_owned(),
        };
        if !is_decimal(record.id.as_str()) {
            check_decimal(p("id"), record.id.as_str())?;
        }
        seen.claim_with(|| p("id"), "record", record.id.as_str())?;
        if directory.user(record.owner.as_str()).is_none() {
            return fail(p("owner"), format!("unknown user id {:?}", record.owner.0));
        }
        by_id.insert(
            record.id.clone(),
            Record {
                module,
                id: record.id,
                owner: record.owner,
            },
        );
    }
    Ok(Records::new(custom_modules, by_id))
}

/// `custom_modules` and `records` as the org holds them.
pub fn export(records: &Records) -> (Vec<doc::CustomModule>, Vec<doc::Record>) {
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
        module: record.module.clone(),
        id: record.id.clone(),
        owner: record.owner.clone(),
    }
}

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
    use crate::ids::{RecordId, UserId};

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

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Record {
        pub module: String,
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
    check_profiles(directory, &custom_modules, path)?;
    let mut loaded: Vec<Record> = Vec::with_capacity(records.len());
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
        check_fields(&record.fields, &p)?;
        let by_user = |key: &str, given: Option<UserId>| match given {
            None => Ok(record.owner.clone()),
            Some(user) if directory.user(user.as_str()).is_some() => Ok(user),
            Some(user) => fail(p(key), format!("unknown users id {:?}", user.0)),
        };
        let created_by = by_user("created_by", record.created_by)?;
        let modified_by = by_user("modified_by", record.modified_by)?;
        loaded.push(Record {
            module,
            id: record.id,
            owner: record.owner,
            fields: record.fields,
            created_time: record.created_time,
            modified_time: record.modified_time,
            created_by,
            modified_by,
        });
    }
    Ok(Records::new(custom_modules, loaded))
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
        fields: record.fields.clone(),
        created_time: record.created_time,
        modified_time: record.modified_time,
        created_by: Some(record.created_by.clone()),
        modified_by: Some(record.modified_by.clone()),
    }
}

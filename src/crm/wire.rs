//! JSON shapes that several CRM sub-areas write.

use serde_json::{Value, json};

use super::registry::CrmModule;

/// One item that succeeded, as every CRM write answers it:
/// `{"code","details","message","status":"success"}` (`code` is `SUCCESS`, or `SCHEDULED` for a
/// rerun of the rule computation).
pub fn success_item(code: &str, details: Value, message: &str) -> Value {
    json!({"code": code, "details": details, "message": message, "status": "success"})
}

/// `{"api_name","id"}` of a registry module (summary and settings rows).
pub fn module_ref(module: CrmModule<'_>) -> Value {
    json!({"api_name": module.api_name, "id": module.id})
}

/// [`module_ref`] as a `Serialize` struct, for answers written without a `Value` tree.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct ModuleRef<'a> {
    pub api_name: &'a str,
    pub id: &'a str,
}

impl<'a> ModuleRef<'a> {
    pub fn of(module: CrmModule<'a>) -> Self {
        ModuleRef {
            api_name: module.api_name,
            id: module.id,
        }
    }
}

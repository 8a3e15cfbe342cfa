//! JSON shapes that several CRM sub-areas write.

use serde_json::{Value, json};

use super::registry::CrmModule;

/// `{"api_name","id"}` of a registry module (summary and settings rows).
pub fn module_ref(module: CrmModule<'_>) -> Value {
    json!({"api_name": module.api_name, "id": module.id})
}

//! A settings `PUT` body: every item of `data_sharing` checked in the order of spec §7's table
//! against the org's module registry. All items are read before anything changes, so the model
//! applies all of them or, when any is refused, none.

use serde_json::{Map, Value};

use crate::crm::error::{CrmError, IssueKind, ItemIssue};
use crate::crm::extract::body_items;
use crate::crm::records::model::Records;
use crate::crm::registry::{CrmModule, ModuleLookup};
use crate::ids::id_from_json;

use super::model::ShareType;

/// The wrapper key of settings bodies and answers.
pub const SETTINGS: &str = "data_sharing";

/// The items of a settings body (missing, `null`, `[]` or not an array: a whole-request error).
pub fn settings_items(body: &Map<String, Value>) -> Result<&[Value], CrmError> {
    body_items(body, SETTINGS)
}

/// Every item's change in body order, or every refused item in body order.
pub fn changes<'o>(
    records: &'o Records,
    items: &[Value],
) -> Result<Vec<(CrmModule<'o>, ShareType)>, Vec<ItemIssue>> {
    let mut named: Vec<&str> = Vec::new();
    let mut changes = Vec::new();
    let mut issues = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match check_setting(records, i, item, &mut named) {
            Ok(change) => changes.push(change),
            Err(issue) => issues.push(issue),
        }
    }
    if issues.is_empty() {
        Ok(changes)
    } else {
        Err(issues)
    }
}

/// One item, checked in the order of spec §7's table. `named` collects the modules of earlier
/// items, whatever became of them, so a later item naming one again is the duplicate.
fn check_setting<'o>(
    records: &'o Records,
    index: usize,
    item: &Value,
    named: &mut Vec<&'o str>,
) -> Result<(CrmModule<'o>, ShareType), ItemIssue> {
    let at = format!("$.{SETTINGS}[{index}]");
    let fields = item
        .as_object()
        .ok_or_else(|| ItemIssue::new(IssueKind::NotAnObject, SETTINGS, at.clone()))?;
    let module_path = format!("{at}.module");
    let module = fields
        .get("module")
        .filter(|v| !v.is_null())
        .ok_or_else(|| ItemIssue::new(IssueKind::Missing, "module", module_path.clone()))?;
    let module = resolve_module(records, module)
        .ok_or_else(|| ItemIssue::new(IssueKind::Invalid, "module", module_path.clone()))?;
    let duplicate = named.contains(&module.api_name);
    if !duplicate {
        named.push(module.api_name);
    }
    let share_type_path = format!("{at}.share_type");
    let share_type = fields
        .get("share_type")
        .filter(|v| !v.is_null())
        .ok_or_else(|| ItemIssue::new(IssueKind::Missing, "share_type", share_type_path.clone()))?;
    let share_type = share_type
        .as_str()
        .and_then(ShareType::parse)
        .ok_or_else(|| {
            ItemIssue::new(
                IssueKind::NotOneOf(ShareType::REGEX),
                "share_type",
                share_type_path,
            )
        })?;
    if duplicate {
        return Err(ItemIssue::new(IssueKind::Duplicate, "module", module_path));
    }
    Ok((module, share_type))
}

/// The registry module of `{"api_name"}` and/or `{"id"}`; both given must name one module.
fn resolve_module<'o>(records: &'o Records, module: &Value) -> Option<CrmModule<'o>> {
    let fields = module.as_object()?;
    let by_name = match fields.get("api_name").filter(|v| !v.is_null()) {
        None => None,
        Some(name) => match records.module(name.as_str()?) {
            ModuleLookup::Known(m) => Some(m),
            ModuleLookup::Unsupported | ModuleLookup::Unknown => return None,
        },
    };
    let by_id = match fields.get("id").filter(|v| !v.is_null()) {
        None => None,
        Some(id) => {
            let id = id_from_json(id)?;
            Some(records.modules().find(|m| m.id == id)?)
        }
    };
    match (by_name, by_id) {
        (Some(a), Some(b)) if a.api_name != b.api_name => None,
        (Some(module), _) | (None, Some(module)) => Some(module),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::clock::Timestamp;
    use crate::store::fixture::sandbox_org;
    use crate::store::org::Org;

    fn org() -> Org {
        sandbox_org(Timestamp(0))
    }

    /// A `PUT` as the handler runs it: every item read, then all applied or none.
    fn update_settings(org: &mut Org, items: &[Value]) -> Result<Vec<String>, Vec<ItemIssue>> {
        let crm = &mut org.crm;
        let changes = changes(&crm.records, items)?;
        crm.settings.update(&changes);
        Ok(changes
            .iter()
            .map(|(module, _)| module.api_name.to_owned())
            .collect())
    }

    #[test]
    fn all_items_apply_or_none() {
        let mut org = org();
        let items = [
            json!({"module": {"api_name": "leads"}, "share_type": "public"}),
            json!({"module": {"id": "3602353000000000129"}, "share_type": "public_read_write"}),
        ];
        assert_eq!(
            update_settings(&mut org, &items).unwrap(),
            ["Leads", "Contacts"]
        );
        assert_eq!(org.crm.settings.share_type("Leads"), ShareType::Public);
        let items = [
            json!({"module": {"api_name": "Deals"}, "share_type": "public"}),
            json!({"module": {"api_name": "Leads"}, "share_type": "nope"}),
        ];
        let issues = update_settings(&mut org, &items).unwrap_err();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].json_path, "$.data_sharing[1].share_type");
        assert_eq!(
            org.crm.settings.share_type("Deals"),
            ShareType::Private,
            "nothing applied"
        );
    }

    #[test]
    fn modules_by_name_or_id_must_agree_and_not_repeat() {
        let org = org();
        assert_eq!(
            resolve_module(
                &org.crm.records,
                &json!({"api_name": "Properties", "id": 4_150_868_000_000_542_001_u64})
            )
            .map(|m| m.api_name),
            Some("Properties")
        );
        assert_eq!(
            resolve_module(
                &org.crm.records,
                &json!({"api_name": "Leads", "id": "3602353000000000129"})
            )
            .map(|m| m.api_name),
            None
        );
        assert_eq!(
            resolve_module(&org.crm.records, &json!({"api_name": "Documents"})).map(|m| m.api_name),
            None
        );
        assert_eq!(
            resolve_module(&org.crm.records, &json!({})).map(|m| m.api_name),
            None
        );
        let mut named = Vec::new();
        let item = json!({"module": {"api_name": "Leads"}, "share_type": "private"});
        assert!(check_setting(&org.crm.records, 0, &item, &mut named).is_ok());
        let again = check_setting(&org.crm.records, 1, &item, &mut named).unwrap_err();
        assert_eq!(
            (again.kind, again.json_path.as_str()),
            (IssueKind::Duplicate, "$.data_sharing[1].module")
        );
    }
}

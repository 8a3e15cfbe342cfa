//! The org-wide data sharing settings: one `share_type` per registry module (absent means
//! `private`). It is reported only; record sharing does not read it. A `PUT` applies all of
//! its items or, when any item is refused, none of them.

use serde_json::Value;

use crate::clock::Timestamp;
use crate::crm::module_name::{CrmModule, ModuleLookup};
use crate::ids::id_from_json;
use crate::tenant::Org;

use super::model::{IssueKind, ItemIssue, ShareType};

/// One module's row of `GET /settings/data_sharing`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsRow<'o> {
    pub module: CrmModule<'o>,
    pub share_type: ShareType,
    pub computation_running: bool,
}

/// Every registry module of the org, in registry order.
pub fn settings_of(org: &Org, now: Timestamp) -> Vec<SettingsRow<'_>> {
    org.modules()
        .map(|module| SettingsRow {
            module,
            share_type: org.share_type(module.api_name),
            computation_running: org.rule_computation_running(module.api_name, now),
        })
        .collect()
}

/// Checks every item, then applies them all and returns the modules changed, in body order;
/// otherwise the refused items, in body order, and nothing changes.
pub fn update_settings(org: &mut Org, items: &[Value]) -> Result<Vec<String>, Vec<ItemIssue>> {
    let mut named: Vec<String> = Vec::new();
    let mut changes: Vec<(String, ShareType)> = Vec::new();
    let mut issues = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match check_setting(org, i, item, &mut named) {
            Ok(change) => changes.push(change),
            Err(issue) => issues.push(issue),
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    for (module, share_type) in &changes {
        org.data_sharing.insert(module.clone(), *share_type);
    }
    Ok(changes.into_iter().map(|(module, _)| module).collect())
}

/// One item, checked in the order of spec §7's table. `named` collects the modules of earlier
/// items, whatever became of them, so a later item naming one again is the duplicate.
fn check_setting(
    org: &Org,
    index: usize,
    item: &Value,
    named: &mut Vec<String>,
) -> Result<(String, ShareType), ItemIssue> {
    let at = format!("$.data_sharing[{index}]");
    let fields = item
        .as_object()
        .ok_or_else(|| ItemIssue::new(IssueKind::NotAnObject, "data_sharing", at.clone()))?;
    let module_path = format!("{at}.module");
    let module = fields
        .get("module")
        .filter(|v| !v.is_null())
        .ok_or_else(|| ItemIssue::new(IssueKind::Missing, "module", module_path.clone()))?;
    let module = resolve_module(org, module)
        .ok_or_else(|| ItemIssue::new(IssueKind::Invalid, "module", module_path.clone()))?;
    let duplicate = named.contains(&module);
    if !duplicate {
        named.push(module.clone());
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

/// The canonical API name of `{"api_name"}` and/or `{"id"}`; both given must name one module.
fn resolve_module(org: &Org, module: &Value) -> Option<String> {
    let fields = module.as_object()?;
    let by_name = match fields.get("api_name").filter(|v| !v.is_null()) {
        None => None,
        Some(name) => match org.module(name.as_str()?) {
            ModuleLookup::Known(m) => Some(m.api_name),
            ModuleLookup::Unsupported | ModuleLookup::Unknown => return None,
        },
    };
    let by_id = match fields.get("id").filter(|v| !v.is_null()) {
        None => None,
        Some(id) => {
            let id = id_from_json(id)?;
            Some(org.modules().find(|m| m.id == id)?.api_name)
        }
    };
    match (by_name, by_id) {
        (Some(a), Some(b)) if a != b => None,
        (Some(name), _) | (None, Some(name)) => Some(name.to_owned()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::fixture::parse_state;
    use crate::store::world::World;

    fn org() -> Org {
        let doc = parse_state(include_bytes!("../../../fixtures/sandbox.json")).unwrap();
        World::from_doc(doc, Timestamp(0))
            .unwrap()
            .orgs
            .shift_remove("zylker")
            .unwrap()
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
        assert_eq!(org.share_type("Leads"), ShareType::Public);
        let items = [
            json!({"module": {"api_name": "Deals"}, "share_type": "public"}),
            json!({"module": {"api_name": "Leads"}, "share_type": "nope"}),
        ];
        let issues = update_settings(&mut org, &items).unwrap_err();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].json_path, "$.data_sharing[1].share_type");
        assert_eq!(
            org.share_type("Deals"),
            ShareType::Private,
            "nothing applied"
        );
    }

    #[test]
    fn modules_by_name_or_id_must_agree_and_not_repeat() {
        let org = org();
        assert_eq!(
            resolve_module(
                &org,
                &json!({"api_name": "Properties", "id": 4_150_868_000_000_542_001_u64})
            )
            .as_deref(),
            Some("Properties")
        );
        assert_eq!(
            resolve_module(
                &org,
                &json!({"api_name": "Leads", "id": "3602353000000000129"})
            ),
            None
        );
        assert_eq!(
            resolve_module(&org, &json!({"api_name": "Documents"})),
            None
        );
        assert_eq!(resolve_module(&org, &json!({})), None);
        let mut named = Vec::new();
        let item = json!({"module": {"api_name": "Leads"}, "share_type": "private"});
        assert!(check_setting(&org, 0, &item, &mut named).is_ok());
        let again = check_setting(&org, 1, &item, &mut named).unwrap_err();
        assert_eq!(
            (again.kind, again.json_path.as_str()),
            (IssueKind::Duplicate, "$.data_sharing[1].module")
        );
    }
}

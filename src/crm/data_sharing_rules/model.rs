//! Data sharing rules, the per-module rule-computation flag and the org-wide data sharing
//! settings. A rule belongs to one registry module; names are unique (case-insensitive) per
//! module. Every operation here checks everything before it changes anything, so an `Err`
//! leaves the org as it was.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock::Timestamp;
use crate::crm::module_name::CrmModule;
use crate::ids::RuleId;
use crate::tenant::Org;

use super::draft;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleType {
    #[serde(rename = "Record_Owner_Based")]
    RecordOwnerBased,
    #[serde(rename = "Criteria_Based")]
    CriteriaBased,
}

impl RuleType {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "Record_Owner_Based" => Some(RuleType::RecordOwnerBased),
            "Criteria_Based" => Some(RuleType::CriteriaBased),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RuleType::RecordOwnerBased => "Record_Owner_Based",
            RuleType::CriteriaBased => "Criteria_Based",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RulePermission {
    ReadWriteDelete,
    Read,
}

impl RulePermission {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "read_write_delete" => Some(RulePermission::ReadWriteDelete),
            "read" => Some(RulePermission::Read),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RulePermission::ReadWriteDelete => "read_write_delete",
            RulePermission::Read => "read",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    Active,
    Inactive,
}

impl RuleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleStatus::Active => "active",
            RuleStatus::Inactive => "inactive",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedKind {
    Roles,
    Groups,
    AllUsers,
}

impl SharedKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "roles" => Some(SharedKind::Roles),
            "groups" => Some(SharedKind::Groups),
            "all_users" => Some(SharedKind::AllUsers),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SharedKind::Roles => "roles",
            SharedKind::Groups => "groups",
            SharedKind::AllUsers => "all_users",
        }
    }
}

/// The `shared_from` / `shared_to` object; `resource` is a role or group id (none for `all_users`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedSpec {
    pub kind: SharedKind,
    pub resource: Option<String>,
    pub subordinates: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: RuleId,
    /// Canonical module API name.
    pub module: String,
    pub name: String,
    pub rule_type: RuleType,
    pub permission_type: RulePermission,
    pub superiors_allowed: bool,
    pub status: RuleStatus,
    /// Stored as given (shape-checked only); `None` unless `Criteria_Based`.
    pub criteria: Option<serde_json::Value>,
    pub match_limit_exceeded: bool,
    /// `None` for `Criteria_Based` rules.
    pub shared_from: Option<SharedSpec>,
    pub shared_to: SharedSpec,
}

/// Everything a create or update body decides about a rule; the rest (id, module, status,
/// `match_limit_exceeded`) belongs to the mock.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSpec {
    pub name: String,
    pub rule_type: RuleType,
    pub permission_type: RulePermission,
    pub superiors_allowed: bool,
    pub criteria: Option<Value>,
    pub shared_from: Option<SharedSpec>,
    pub shared_to: SharedSpec,
}

impl Rule {
    fn new(id: RuleId, module: &str, spec: RuleSpec) -> Self {
        Rule {
            id,
            module: module.to_owned(),
            name: spec.name,
            rule_type: spec.rule_type,
            permission_type: spec.permission_type,
            superiors_allowed: spec.superiors_allowed,
            status: RuleStatus::Active,
            criteria: spec.criteria,
            match_limit_exceeded: false,
            shared_from: spec.shared_from,
            shared_to: spec.shared_to,
        }
    }

    fn apply(&mut self, spec: RuleSpec) {
        self.name = spec.name;
        self.rule_type = spec.rule_type;
        self.permission_type = spec.permission_type;
        self.superiors_allowed = spec.superiors_allowed;
        self.criteria = spec.criteria;
        self.shared_from = spec.shared_from;
        self.shared_to = spec.shared_to;
    }

    /// `active` -> `active` is refused, as is `inactive` -> `inactive`.
    pub fn set_status(&mut self, wanted: RuleStatus) -> Result<(), RuleError> {
        match (self.status, wanted) {
            (RuleStatus::Active, RuleStatus::Active) => Err(RuleError::AlreadyActive),
            (RuleStatus::Inactive, RuleStatus::Inactive) => Err(RuleError::AlreadyInactive),
            _ => {
                self.status = wanted;
                Ok(())
            }
        }
    }
}

/// A module's "rule computation running" flag (spec crm-data-sharing-rules.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComputationFlag {
    /// Written by a fixture, a state import or the admin endpoint; wins over timers.
    Pinned(bool),
    /// Set by a rule change for `--rule-computation-ms`; on while `now < until`.
    Timer { until: Timestamp },
}

impl ComputationFlag {
    pub fn is_running(self, now: Timestamp) -> bool {
        match self {
            ComputationFlag::Pinned(on) => on,
            ComputationFlag::Timer { until } => now < until,
        }
    }

    /// The flag after a successful rule change: a pinned `true` is left alone (only fixture or
    /// admin state clears it); anything else (re)starts the timer. `timer_ms == 0` changes nothing.
    pub fn after_change(current: Option<Self>, now: Timestamp, timer_ms: u64) -> Option<Self> {
        if timer_ms == 0 || current == Some(ComputationFlag::Pinned(true)) {
            return current;
        }
        let ms = i64::try_from(timer_ms).unwrap_or(i64::MAX);
        Some(ComputationFlag::Timer {
            until: now.plus_ms(ms),
        })
    }
}

/// Org-wide default access per module (`GET/PUT /settings/data_sharing`).
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

/// Why one body item was refused; the wire chooses code and message from the kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// A mandatory key is absent (or `null`).
    Missing,
    /// Wrong type, enum value or shape; or an id naming nothing.
    Invalid,
    /// The item itself is not a JSON object.
    NotAnObject,
    /// Bulk update: the item's `id` names no rule of the module.
    UnknownRuleId,
    /// `status` may not be sent.
    StatusNotAllowed,
    /// Already used by another rule of the module, or by an earlier item.
    Duplicate,
    /// Not one of the values of this `regex` (`a|b|c`).
    NotOneOf(&'static str),
}

/// One refused item: what is wrong, with the offending key and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemIssue {
    pub kind: IssueKind,
    pub api_name: String,
    pub json_path: String,
}

impl ItemIssue {
    pub fn new(kind: IssueKind, api_name: &str, json_path: impl Into<String>) -> Self {
        ItemIssue {
            kind,
            api_name: api_name.to_owned(),
            json_path: json_path.into(),
        }
    }
}

/// The outcomes of rule operations other than success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// The rule id names no rule of the org (or of the requested module).
    UnknownRule,
    /// The module's rule computation is running.
    ComputationRunning,
    AlreadyActive,
    AlreadyInactive,
    /// The body item failed a check.
    Invalid(ItemIssue),
}

impl From<ItemIssue> for RuleError {
    fn from(issue: ItemIssue) -> Self {
        RuleError::Invalid(issue)
    }
}

/// Position of a module in the registry (custom modules last), for listing order.
fn registry_position(org: &Org, module: &str) -> usize {
    org.modules()
        .position(|m| m.api_name == module)
        .unwrap_or(usize::MAX)
}

/// The org's rules (of one module when given) in listing order: registry module order, then
/// the order they were loaded or created.
pub fn rules_of<'o>(org: &'o Org, module: Option<&str>) -> Vec<&'o Rule> {
    let mut rules: Vec<&Rule> = org
        .sharing_rules
        .iter()
        .filter(|r| module.is_none_or(|m| r.module == m))
        .collect();
    rules.sort_by_key(|r| registry_position(org, &r.module));
    rules
}

/// The rule with this id, if it belongs to `module` (any module when `None`).
pub fn find_rule<'o>(org: &'o Org, id: &str, module: Option<&str>) -> Result<&'o Rule, RuleError> {
    org.sharing_rules
        .iter()
        .find(|r| r.id.as_str() == id && module.is_none_or(|m| r.module == m))
        .ok_or(RuleError::UnknownRule)
}

fn rule_index(org: &Org, id: &str) -> Result<usize, RuleError> {
    org.sharing_rules
        .iter()
        .position(|r| r.id.as_str() == id)
        .ok_or(RuleError::UnknownRule)
}

/// One row of the rules summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow<'o> {
    pub module: CrmModule<'o>,
    pub rule_count: usize,
    pub computation_running: bool,
}

/// Per-module counts in registry order (only `module` when given); `None` when the org has
/// no rule at all, which wins over the filter.
pub fn summary<'o>(
    org: &'o Org,
    module: Option<&str>,
    now: Timestamp,
) -> Option<Vec<SummaryRow<'o>>> {
    if org.sharing_rules.is_empty() {
        return None;
    }
    Some(
        org.modules()
            .filter(|m| module.is_none_or(|wanted| m.api_name == wanted))
            .map(|m| SummaryRow {
                module: m,
                rule_count: org
                    .sharing_rules
                    .iter()
                    .filter(|r| r.module == m.api_name)
                    .count(),
                computation_running: org.rule_computation_running(m.api_name, now),
            })
            .collect(),
    )
}

/// The clock reading and timer length every state-changing operation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeClock {
    pub now: Timestamp,
    pub timer_ms: u64,
}

fn ensure_not_computing(org: &Org, module: &str, clock: ChangeClock) -> Result<(), RuleError> {
    if org.rule_computation_running(module, clock.now) {
        return Err(RuleError::ComputationRunning);
    }
    Ok(())
}

/// Starts (or restarts) the module's computation timer after a successful change.
fn rule_changed(org: &mut Org, module: &str, clock: ChangeClock) {
    let current = org.rule_computation.get(module).copied();
    if let Some(flag) = ComputationFlag::after_change(current, clock.now, clock.timer_ms) {
        org.rule_computation.insert(module.to_owned(), flag);
    }
}

/// Creates the rule one body item describes; never blocked by a running computation.
pub fn create_rule(
    org: &mut Org,
    module: &str,
    item: &Value,
    clock: ChangeClock,
) -> Result<RuleId, RuleError> {
    let spec = draft::check_item(org, module, item, None)?;
    let id = RuleId(org.new_id());
    org.sharing_rules.push(Rule::new(id.clone(), module, spec));
    rule_changed(org, module, clock);
    Ok(id)
}

/// Which rule an update names: the path's (already checked), or the body item's `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateTarget<'a> {
    Path(&'a str),
    BodyId,
}

/// Partial update: keys present replace stored values; the merged rule must be complete.
pub fn update_rule(
    org: &mut Org,
    module: &str,
    target: UpdateTarget<'_>,
    item: &Value,
    clock: ChangeClock,
) -> Result<RuleId, RuleError> {
    let id = match target {
        UpdateTarget::Path(id) => find_rule(org, id, Some(module))?.id.clone(),
        UpdateTarget::BodyId => draft::item_rule_id(org, module, item)?,
    };
    let index = rule_index(org, id.as_str())?;
    let spec = draft::check_item(org, module, item, Some(&org.sharing_rules[index]))?;
    ensure_not_computing(org, module, clock)?;
    org.sharing_rules[index].apply(spec);
    rule_changed(org, module, clock);
    Ok(id)
}

pub fn delete_rule(
    org: &mut Org,
    module: &str,
    id: &str,
    clock: ChangeClock,
) -> Result<(), RuleError> {
    find_rule(org, id, Some(module))?;
    ensure_not_computing(org, module, clock)?;
    let index = rule_index(org, id)?;
    org.sharing_rules.remove(index);
    rule_changed(org, module, clock);
    Ok(())
}

/// Activates (`Active`) or deactivates (`Inactive`) a rule.
pub fn set_rule_status(
    org: &mut Org,
    module: &str,
    id: &str,
    wanted: RuleStatus,
    clock: ChangeClock,
) -> Result<(), RuleError> {
    find_rule(org, id, Some(module))?;
    ensure_not_computing(org, module, clock)?;
    let index = rule_index(org, id)?;
    org.sharing_rules[index].set_status(wanted)?;
    rule_changed(org, module, clock);
    Ok(())
}

/// Schedules a recomputation of the module's rules (even when it has none).
pub fn rerun_rules(org: &mut Org, module: &str, clock: ChangeClock) -> Result<(), RuleError> {
    ensure_not_computing(org, module, clock)?;
    rule_changed(org, module, clock);
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::fixture::parse_state;
    use crate::store::world::World;

    const T0: Timestamp = Timestamp(1_000_000);

    fn sandbox_org() -> Org {
        let doc = parse_state(include_bytes!("../../../fixtures/sandbox.json")).unwrap();
        let mut world = World::from_doc(doc, T0).unwrap();
        world.orgs.shift_remove("zylker").unwrap()
    }

    fn clock(now: Timestamp, timer_ms: u64) -> ChangeClock {
        ChangeClock { now, timer_ms }
    }

    const LEADS_ACTIVE: &str = "2276164000002052006";
    const LEADS_INACTIVE: &str = "2276164000002052011";

    fn new_rule_body() -> Value {
        json!({"name": "All to all", "type": "Criteria_Based", "superiors_allowed": false,
               "permission_type": "read", "shared_to": {"type": "all_users"},
               "criteria": {"comparator": "equal", "field": {"api_name": "City"}, "type": "value", "value": "X"}})
    }

    #[test]
    fn computation_flag_timer_is_on_strictly_before_its_end() {
        let until = Timestamp(10_000);
        let flag = ComputationFlag::Timer { until };
        assert!(flag.is_running(Timestamp(9_999)));
        assert!(!flag.is_running(until));
        assert!(ComputationFlag::Pinned(true).is_running(Timestamp(i64::MAX)));
        assert!(!ComputationFlag::Pinned(false).is_running(Timestamp(0)));
    }

    #[test]
    fn a_change_starts_the_timer_unless_pinned_on() {
        let timer = Some(ComputationFlag::Timer {
            until: T0.plus_ms(500),
        });
        assert_eq!(ComputationFlag::after_change(None, T0, 500), timer);
        assert_eq!(
            ComputationFlag::after_change(Some(ComputationFlag::Pinned(false)), T0, 500),
            timer
        );
        let pinned = Some(ComputationFlag::Pinned(true));
        assert_eq!(ComputationFlag::after_change(pinned, T0, 500), pinned);
        let old = Some(ComputationFlag::Timer { until: T0 });
        assert_eq!(
            ComputationFlag::after_change(old, T0.plus_ms(100), 500),
            Some(ComputationFlag::Timer {
                until: T0.plus_ms(600)
            })
        );
        assert_eq!(ComputationFlag::after_change(None, T0, 0), None);
        assert_eq!(
            ComputationFlag::after_change(Some(ComputationFlag::Pinned(false)), T0, 0),
            Some(ComputationFlag::Pinned(false))
        );
    }

    #[test]
    fn status_transitions_refuse_a_repeat() {
        let mut org = sandbox_org();
        let c = clock(T0, 0);
        assert_eq!(
            set_rule_status(&mut org, "Leads", LEADS_ACTIVE, RuleStatus::Active, c),
            Err(RuleError::AlreadyActive)
        );
        assert_eq!(
            set_rule_status(&mut org, "Leads", LEADS_INACTIVE, RuleStatus::Inactive, c),
            Err(RuleError::AlreadyInactive)
        );
        set_rule_status(&mut org, "Leads", LEADS_ACTIVE, RuleStatus::Inactive, c).unwrap();
        assert_eq!(
            find_rule(&org, LEADS_ACTIVE, None).unwrap().status,
            RuleStatus::Inactive
        );
        set_rule_status(&mut org, "Leads", LEADS_ACTIVE, RuleStatus::Active, c).unwrap();
        assert_eq!(
            find_rule(&org, LEADS_ACTIVE, None).unwrap().status,
            RuleStatus::Active
        );
    }

    #[test]
    fn a_rule_of_another_module_is_unknown() {
        let mut org = sandbox_org();
        assert_eq!(
            find_rule(&org, LEADS_ACTIVE, Some("Contacts")),
            Err(RuleError::UnknownRule)
        );
        assert_eq!(
            delete_rule(&mut org, "Contacts", LEADS_ACTIVE, clock(T0, 0)),
            Err(RuleError::UnknownRule)
        );
        assert!(find_rule(&org, LEADS_ACTIVE, Some("Leads")).is_ok());
    }

    #[test]
    fn a_running_computation_blocks_changes_but_not_create() {
        let mut org = sandbox_org();
        org.rule_computation
            .insert("Leads".into(), ComputationFlag::Pinned(true));
        let c = clock(T0, 1_000);
        let before = org.sharing_rules.clone();
        assert_eq!(
            set_rule_status(&mut org, "Leads", LEADS_ACTIVE, RuleStatus::Inactive, c),
            Err(RuleError::ComputationRunning)
        );
        assert_eq!(
            delete_rule(&mut org, "Leads", LEADS_ACTIVE, c),
            Err(RuleError::ComputationRunning)
        );
        assert_eq!(
            rerun_rules(&mut org, "Leads", c),
            Err(RuleError::ComputationRunning)
        );
        let update = json!({"type": "Record_Owner_Based", "superiors_allowed": true});
        assert_eq!(
            update_rule(
                &mut org,
                "Leads",
                UpdateTarget::Path(LEADS_ACTIVE),
                &update,
                c
            ),
            Err(RuleError::ComputationRunning)
        );
        assert_eq!(org.sharing_rules, before);
        create_rule(&mut org, "Leads", &new_rule_body(), c).unwrap();
        assert_eq!(
            org.rule_computation["Leads"],
            ComputationFlag::Pinned(true),
            "a pinned true stays"
        );
    }

    #[test]
    fn already_inactive_is_checked_after_the_computation() {
        let mut org = sandbox_org();
        org.rule_computation
            .insert("Leads".into(), ComputationFlag::Pinned(true));
        assert_eq!(
            set_rule_status(
                &mut org,
                "Leads",
                LEADS_INACTIVE,
                RuleStatus::Inactive,
                clock(T0, 0)
            ),
            Err(RuleError::ComputationRunning)
        );
    }

    #[test]
    fn the_timer_blocks_until_its_end_exclusive() {
        let mut org = sandbox_org();
        let c = clock(T0, 2_000);
        set_rule_status(&mut org, "Leads", LEADS_ACTIVE, RuleStatus::Inactive, c).unwrap();
        assert!(org.rule_computation_running("Leads", T0.plus_ms(1_999)));
        assert!(
            !org.rule_computation_running("Contacts", T0),
            "only the rule's module"
        );
        let during = clock(T0.plus_ms(1_999), 2_000);
        assert_eq!(
            set_rule_status(&mut org, "Leads", LEADS_ACTIVE, RuleStatus::Active, during),
            Err(RuleError::ComputationRunning)
        );
        let after = clock(T0.plus_ms(2_000), 2_000);
        set_rule_status(&mut org, "Leads", LEADS_ACTIVE, RuleStatus::Active, after).unwrap();
        assert_eq!(
            org.rule_computation["Leads"],
            ComputationFlag::Timer {
                until: T0.plus_ms(4_000)
            }
        );
    }

    #[test]
    fn create_then_update_keeps_unsent_keys() {
        let mut org = sandbox_org();
        let c = clock(T0, 0);
        let id = create_rule(&mut org, "Tasks", &new_rule_body(), c).unwrap();
        assert_eq!(id.as_str().len(), 19);
        let created = find_rule(&org, id.as_str(), Some("Tasks")).unwrap().clone();
        assert_eq!(created.status, RuleStatus::Active);
        assert_eq!(created.shared_from, None);
        let update = json!({"id": id.as_str(), "type": "Criteria_Based", "superiors_allowed": true, "name": "Renamed"});
        update_rule(&mut org, "Tasks", UpdateTarget::BodyId, &update, c).unwrap();
        let updated = find_rule(&org, id.as_str(), None).unwrap();
        assert_eq!(updated.name, "Renamed");
        assert!(updated.superiors_allowed);
        assert_eq!(updated.criteria, created.criteria);
        assert_eq!(updated.shared_to, created.shared_to);
    }

    #[test]
    fn rules_list_in_registry_order_then_creation_order() {
        let mut org = sandbox_org();
        let c = clock(T0, 0);
        let tasks = create_rule(&mut org, "Tasks", &new_rule_body(), c).unwrap();
        let leads = create_rule(&mut org, "Leads", &new_rule_body(), c).unwrap();
        let ids: Vec<&str> = rules_of(&org, None).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                LEADS_ACTIVE,
                LEADS_INACTIVE,
                leads.as_str(),
                "2276164000002052015",
                "2276164000002052019",
                tasks.as_str()
            ]
        );
    }

    #[test]
    fn summary_counts_every_module_and_is_none_without_rules() {
        let mut org = sandbox_org();
        let rows = summary(&org, None, T0).unwrap();
        assert_eq!(rows.len(), org.modules().count());
        assert_eq!(rows[0].rule_count, 2);
        assert_eq!(
            rows.iter().map(|r| r.rule_count).sum::<usize>(),
            org.sharing_rules.len()
        );
        let only = summary(&org, Some("Deals"), T0).unwrap();
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].rule_count, 1);
        org.sharing_rules.clear();
        assert_eq!(summary(&org, Some("Deals"), T0), None);
    }
}

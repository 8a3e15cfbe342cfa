//! Data sharing rules and the per-module rule-computation flag. A rule belongs to one registry
//! module; names are unique (case-insensitive) per module; a rule's role and group resources
//! exist in the directory. Every operation here checks everything before it changes anything,
//! so an `Err` leaves the rules as they were; after a successful change the module's
//! computation timer (re)starts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::str_enum::str_enum;
use serde_json::Value;

use crate::clock::Timestamp;
use crate::crm::records::model::Records;
use crate::crm::registry::CrmModule;
use crate::dirty::Dirty;
use crate::ids::RuleId;
use crate::tenant::directory::Directory;

str_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum RuleType {
        RecordOwnerBased = "Record_Owner_Based",
        CriteriaBased = "Criteria_Based",
    }
}

str_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum RulePermission {
        ReadWriteDelete = "read_write_delete",
        Read = "read",
    }
}

str_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum RuleStatus {
        Active = "active",
        Inactive = "inactive",
    }
}

str_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum SharedKind {
        Roles = "roles",
        Groups = "groups",
        AllUsers = "all_users",
    }
}

impl SharedKind {
    /// Records are shared from a role or a group, never from all users.
    pub fn may_share_from(self) -> bool {
        self != SharedKind::AllUsers
    }
}

/// The `shared_from` / `shared_to` object; `resource` is a role or group id (none for `all_users`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedSpec {
    pub kind: SharedKind,
    pub resource: Option<String>,
    pub subordinates: bool,
}

/// Which Shared object of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    From,
    To,
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
    pub criteria: Option<Value>,
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
    fn set_status(&mut self, wanted: RuleStatus) -> Result<(), RuleError> {
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

/// The outcomes of rule operations other than success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// The rule id names no rule of the org (or of the requested module).
    UnknownRule,
    /// The module's rule computation is running.
    ComputationRunning,
    AlreadyActive,
    AlreadyInactive,
    /// A Shared object's role or group is not one of the org.
    UnknownResource(Side),
    /// Another rule of the module has the name (ignoring case).
    DuplicateName,
}

/// Whether a Shared object's resource exists: a role for `roles`, a group for `groups`.
pub fn resource_exists(directory: &Directory, spec: &SharedSpec) -> bool {
    let Some(id) = &spec.resource else {
        return true;
    };
    match spec.kind {
        SharedKind::Roles => directory.role(id).is_some(),
        SharedKind::Groups => directory.group(id).is_some(),
        SharedKind::AllUsers => true,
    }
}

/// The clock reading and timer length every state-changing operation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeClock {
    pub now: Timestamp,
    pub timer_ms: u64,
}

/// One row of the rules summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow<'o> {
    pub module: CrmModule<'o>,
    pub rule_count: usize,
    pub computation_running: bool,
}

/// The org's data sharing rules and the modules' computation flags.
#[derive(Clone, Debug, Default)]
pub struct SharingRules {
    /// In the order they were loaded or created.
    rules: Vec<Rule>,
    /// By canonical module name; absent means not running.
    computation: HashMap<String, ComputationFlag>,
    /// Rules created, changed or deleted, and modules whose flag was pinned.
    dirty: Dirty<RuleChange>,
}

/// What [`SharingRules`] marks for the state file. Timers are not persisted (DESIGN §6), so
/// only a pinned flag is a change.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RuleChange {
    Rule(RuleId),
    Computation(String),
}

impl SharingRules {
    /// Every rule, in the order loaded or created.
    pub fn all(&self) -> &[Rule] {
        &self.rules
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// The rules (of one module when given) in listing order: registry module order, then the
    /// order they were loaded or created.
    pub fn listed<'s>(&'s self, records: &Records, module: Option<&str>) -> Vec<&'s Rule> {
        let mut rules: Vec<&Rule> = self
            .rules
            .iter()
            .filter(|r| module.is_none_or(|m| r.module == m))
            .collect();
        rules.sort_by_key(|r| records.registry_position(&r.module));
        rules
    }

    /// The rule with this id, if it belongs to `module` (any module when `None`).
    pub fn find(&self, id: &str, module: Option<&str>) -> Result<&Rule, RuleError> {
        self.rules
            .iter()
            .find(|r| r.id.as_str() == id && module.is_none_or(|m| r.module == m))
            .ok_or(RuleError::UnknownRule)
    }

    /// Whether another rule of `module` than `except` is named `name` (ignoring case).
    pub fn name_taken(&self, module: &str, name: &str, except: Option<&RuleId>) -> bool {
        self.rules.iter().any(|r| {
            r.module == module
                && except.is_none_or(|id| *id != r.id)
                && r.name.eq_ignore_ascii_case(name)
        })
    }

    /// A module's flag as stored.
    #[cfg(test)]
    pub fn computation(&self, module: &str) -> Option<ComputationFlag> {
        self.computation.get(module).copied()
    }

    pub fn computation_running(&self, module: &str, now: Timestamp) -> bool {
        self.computation
            .get(module)
            .is_some_and(|flag| flag.is_running(now))
    }

    /// Pins a module's flag on or off, cancelling its timer (fixtures, state import, admin).
    pub fn pin_computation(&mut self, module: &str, running: bool) {
        self.computation
            .insert(module.to_owned(), ComputationFlag::Pinned(running));
        self.dirty
            .mark(|| RuleChange::Computation(module.to_owned()));
    }

    /// A module's flag as pinned by a fixture, a state import or the admin endpoint; `None`
    /// when never pinned or when a timer replaced the pin.
    pub fn pinned_computation(&self, module: &str) -> Option<bool> {
        match self.computation.get(module) {
            Some(ComputationFlag::Pinned(running)) => Some(*running),
            _ => None,
        }
    }

    /// What changed, for the state file.
    pub fn dirty(&mut self) -> &mut Dirty<RuleChange> {
        &mut self.dirty
    }

    /// Per-module counts in registry order (only `module` when given); `None` when the org has
    /// no rule at all, which wins over the filter.
    pub fn summary<'o>(
        &self,
        records: &'o Records,
        module: Option<&str>,
        now: Timestamp,
    ) -> Option<Vec<SummaryRow<'o>>> {
        if self.rules.is_empty() {
            return None;
        }
        Some(
            records
                .modules()
                .filter(|m| module.is_none_or(|wanted| m.api_name == wanted))
                .map(|m| SummaryRow {
                    module: m,
                    rule_count: self.rules.iter().filter(|r| r.module == m.api_name).count(),
                    computation_running: self.computation_running(m.api_name, now),
                })
                .collect(),
        )
    }

    /// Adds a rule of a fixture, which the caller has held to the rules of this module with
    /// [`SharingRules::name_taken`], [`resource_exists`] and [`SharedKind::may_share_from`].
    pub fn load(&mut self, rule: Rule) {
        self.rules.push(rule);
    }

    /// The checks a rule body needs the org for, after its shape checks: the role and group
    /// references (`shared_from` before `shared_to`), then the name. `except` is the rule an
    /// update changes.
    pub fn check_in_org(
        &self,
        directory: &Directory,
        module: &str,
        spec: &RuleSpec,
        except: Option<&RuleId>,
    ) -> Result<(), RuleError> {
        for (side, shared) in [
            (Side::From, spec.shared_from.as_ref()),
            (Side::To, Some(&spec.shared_to)),
        ] {
            if shared.is_some_and(|shared| !resource_exists(directory, shared)) {
                return Err(RuleError::UnknownResource(side));
            }
        }
        if self.name_taken(module, &spec.name, except) {
            return Err(RuleError::DuplicateName);
        }
        Ok(())
    }

    /// Creates a rule under the fresh id `id`; never blocked by a running computation.
    pub fn create(
        &mut self,
        directory: &Directory,
        module: &str,
        id: RuleId,
        spec: RuleSpec,
        clock: ChangeClock,
    ) -> Result<RuleId, RuleError> {
        self.check_in_org(directory, module, &spec, None)?;
        self.rules.push(Rule::new(id.clone(), module, spec));
        self.dirty.mark(|| RuleChange::Rule(id.clone()));
        self.changed(module, clock);
        Ok(id)
    }

    /// Replaces rule `id`'s fields with `spec` (the stored rule merged with the body's keys).
    pub fn update(
        &mut self,
        directory: &Directory,
        module: &str,
        id: &RuleId,
        spec: RuleSpec,
        clock: ChangeClock,
    ) -> Result<(), RuleError> {
        let index = self.index_in(id.as_str(), module)?;
        self.check_in_org(directory, module, &spec, Some(id))?;
        self.ensure_not_computing(module, clock)?;
        self.rules[index].apply(spec);
        self.dirty.mark(|| RuleChange::Rule(id.clone()));
        self.changed(module, clock);
        Ok(())
    }

    pub fn delete(&mut self, module: &str, id: &str, clock: ChangeClock) -> Result<(), RuleError> {
        let index = self.index_in(id, module)?;
        self.ensure_not_computing(module, clock)?;
        let removed = self.rules.remove(index);
        self.dirty.mark(|| RuleChange::Rule(removed.id));
        self.changed(module, clock);
        Ok(())
    }

    /// Activates (`Active`) or deactivates (`Inactive`) a rule.
    pub fn set_status(
        &mut self,
        module: &str,
        id: &str,
        wanted: RuleStatus,
        clock: ChangeClock,
    ) -> Result<(), RuleError> {
        let index = self.index_in(id, module)?;
        self.ensure_not_computing(module, clock)?;
        self.rules[index].set_status(wanted)?;
        self.dirty.mark(|| RuleChange::Rule(RuleId::from(id)));
        self.changed(module, clock);
        Ok(())
    }

    /// Schedules a recomputation of the module's rules (even when it has none).
    pub fn rerun(&mut self, module: &str, clock: ChangeClock) -> Result<(), RuleError> {
        self.ensure_not_computing(module, clock)?;
        self.changed(module, clock);
        Ok(())
    }

    fn index_in(&self, id: &str, module: &str) -> Result<usize, RuleError> {
        self.rules
            .iter()
            .position(|r| r.id.as_str() == id && r.module == module)
            .ok_or(RuleError::UnknownRule)
    }

    fn ensure_not_computing(&self, module: &str, clock: ChangeClock) -> Result<(), RuleError> {
        if self.computation_running(module, clock.now) {
            return Err(RuleError::ComputationRunning);
        }
        Ok(())
    }

    /// Starts (or restarts) the module's computation timer after a successful change.
    fn changed(&mut self, module: &str, clock: ChangeClock) {
        let current = self.computation.get(module).copied();
        if let Some(flag) = ComputationFlag::after_change(current, clock.now, clock.timer_ms) {
            self.computation.insert(module.to_owned(), flag);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::crm::data_sharing_rules::request;
    use crate::store::org::Org;

    const T0: Timestamp = Timestamp(1_000_000);

    fn sandbox_org() -> Org {
        crate::store::fixture::sandbox_org(T0)
    }

    // The operations as a handler runs them: the item read over the stored rule, then the model.

    fn create_rule(
        org: &mut Org,
        module: &str,
        item: &Value,
        clock: ChangeClock,
    ) -> Result<RuleId, RuleError> {
        let spec = request::rule_item(item, None).expect("a well-formed item");
        org.with_new_id(|org, id| {
            let Org { tenant, crm, .. } = org;
            crm.rules
                .create(&tenant.directory, module, RuleId(id), spec, clock)
        })
    }

    enum UpdateTarget<'a> {
        Path(&'a str),
        BodyId,
    }

    fn update_rule(
        org: &mut Org,
        module: &str,
        target: UpdateTarget<'_>,
        item: &Value,
        clock: ChangeClock,
    ) -> Result<RuleId, RuleError> {
        let Org { tenant, crm, .. } = org;
        let id = match target {
            UpdateTarget::Path(id) => crm.rules.find(id, Some(module))?.id.clone(),
            UpdateTarget::BodyId => {
                request::item_rule_id(&crm.rules, module, item).expect("a rule of the module")
            }
        };
        let stored = crm.rules.find(id.as_str(), Some(module))?;
        let spec = request::rule_item(item, Some(stored)).expect("a well-formed item");
        crm.rules
            .update(&tenant.directory, module, &id, spec, clock)?;
        Ok(id)
    }

    fn set_rule_status(
        org: &mut Org,
        module: &str,
        id: &str,
        wanted: RuleStatus,
        clock: ChangeClock,
    ) -> Result<(), RuleError> {
        org.crm.rules.set_status(module, id, wanted, clock)
    }

    fn delete_rule(
        org: &mut Org,
        module: &str,
        id: &str,
        clock: ChangeClock,
    ) -> Result<(), RuleError> {
        org.crm.rules.delete(module, id, clock)
    }

    fn rerun_rules(org: &mut Org, module: &str, clock: ChangeClock) -> Result<(), RuleError> {
        org.crm.rules.rerun(module, clock)
    }

    fn summary<'o>(org: &'o Org, module: Option<&str>) -> Option<Vec<SummaryRow<'o>>> {
        org.crm.rules.summary(&org.crm.records, module, T0)
    }

    fn find_rule<'o>(org: &'o Org, id: &str, module: Option<&str>) -> Result<&'o Rule, RuleError> {
        org.crm.rules.find(id, module)
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
        org.crm.rules.pin_computation("Leads", true);
        let c = clock(T0, 1_000);
        let before = org.crm.rules.all().to_vec();
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
        assert_eq!(org.crm.rules.all(), before);
        create_rule(&mut org, "Leads", &new_rule_body(), c).unwrap();
        assert_eq!(
            org.crm.rules.computation("Leads"),
            Some(ComputationFlag::Pinned(true)),
            "a pinned true stays"
        );
    }

    #[test]
    fn already_inactive_is_checked_after_the_computation() {
        let mut org = sandbox_org();
        org.crm.rules.pin_computation("Leads", true);
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
        assert!(
            org.crm
                .rules
                .computation_running("Leads", T0.plus_ms(1_999))
        );
        assert!(
            !org.crm.rules.computation_running("Contacts", T0),
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
            org.crm.rules.computation("Leads"),
            Some(ComputationFlag::Timer {
                until: T0.plus_ms(4_000)
            })
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
        let ids: Vec<&str> = org
            .crm
            .rules
            .listed(&org.crm.records, None)
            .iter()
            .map(|r| r.id.as_str())
            .collect();
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
        let rows = summary(&org, None).unwrap();
        assert_eq!(rows.len(), org.crm.records.modules().count());
        assert_eq!(rows[0].rule_count, 2);
        assert_eq!(
            rows.iter().map(|r| r.rule_count).sum::<usize>(),
            org.crm.rules.all().len()
        );
        let only = summary(&org, Some("Deals")).unwrap();
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].rule_count, 1);
        org.crm.rules = SharingRules::default();
        assert_eq!(summary(&org, Some("Deals")), None);
    }
}

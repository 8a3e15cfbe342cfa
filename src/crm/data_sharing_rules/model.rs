//! Data sharing rules and the per-module rule-computation flag. A rule belongs to one registry
//! module; names are unique (case-insensitive) per module; a rule's role and group resources
//! exist in the directory. Every operation here checks everything before it changes anything,
//! so an `Err` leaves the rules as they were; after a successful change the module's
//! computation timer (re)starts.
//!
//! Two things here feed record access (spec crm-records-and-access.md §4.5-§4.6): a rule's
//! criteria, parsed once into [`Criteria`] and evaluated on a record's fields, and the
//! effective rule set of a module ([`SharingRules::effective`]): its rules as they are, or,
//! while its computation flag is on, as they were when the flag came on (a snapshot of rule
//! definitions, which is not part of the exported state, like the timers).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

use serde::{Deserialize, Serialize, Serializer};

use crate::str_enum::str_enum;
use serde_json::Value;

use crate::clock::Timestamp;
use crate::crm::records::model::{Record, Records};
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
    pub criteria: Option<Criteria>,
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
    pub criteria: Option<Criteria>,
    pub shared_from: Option<SharedSpec>,
    pub shared_to: SharedSpec,
}

impl Rule {
    pub fn is_active(&self) -> bool {
        self.status == RuleStatus::Active
    }

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

// ---- criteria (spec crm-records-and-access.md §4.5.1) ----

/// A `Criteria_Based` rule's criteria: the object as given, stored and answered as it came,
/// and the tree parsed from it once, which record access evaluates on a record's fields.
/// Stored criteria were shape-checked only, so parsing never fails: what names no decidable
/// condition is a criterion that never holds.
#[derive(Clone, Debug)]
pub struct Criteria {
    given: Value,
    tree: Criterion,
}

impl PartialEq for Criteria {
    fn eq(&self, other: &Self) -> bool {
        self.given == other.given
    }
}

impl Serialize for Criteria {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.given.serialize(serializer)
    }
}

impl Criteria {
    pub fn new(given: Value) -> Self {
        let tree = Criterion::parse(&given);
        Criteria { given, tree }
    }

    /// The criteria as stored.
    pub fn given(&self) -> &Value {
        &self.given
    }

    /// Whether the record, as it is now, meets the criteria.
    pub fn holds(&self, record: &Record) -> bool {
        self.tree.holds(record)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Criterion {
    /// A group with `AND` (any case): every member holds.
    All(Vec<Criterion>),
    /// A group with `OR`: one member holds.
    Any(Vec<Criterion>),
    Condition(Condition),
    /// An unknown comparator, or a shape the evaluation cannot decide.
    Never,
}

/// The positive comparators; each negation (`not_equal`, `not_in`, `not_contains`,
/// `not_between`) is its positive one, negated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comparator {
    Equal,
    In,
    Contains,
    StartsWith,
    EndsWith,
    GreaterThan,
    GreaterEqual,
    LessThan,
    LessEqual,
    Between,
}

#[derive(Clone, Debug, PartialEq)]
struct Condition {
    field: String,
    comparator: Comparator,
    negated: bool,
    /// V; an absent `value` is `null`.
    value: Value,
}

impl Comparator {
    /// A comparator's name (SDK enum `record.Criteria.comparator`) and whether it negates.
    fn parse(name: &str) -> Option<(Comparator, bool)> {
        use Comparator as C;
        Some(match name {
            "equal" => (C::Equal, false),
            "not_equal" => (C::Equal, true),
            "in" => (C::In, false),
            "not_in" => (C::In, true),
            "contains" => (C::Contains, false),
            "not_contains" => (C::Contains, true),
            "starts_with" => (C::StartsWith, false),
            "ends_with" => (C::EndsWith, false),
            "greater_than" => (C::GreaterThan, false),
            "greater_equal" => (C::GreaterEqual, false),
            "less_than" => (C::LessThan, false),
            "less_equal" => (C::LessEqual, false),
            "between" => (C::Between, false),
            "not_between" => (C::Between, true),
            _ => return None,
        })
    }

    /// Whether the positive comparator holds for one value F (`None`: absent) against V.
    fn holds(self, f: Option<&Value>, v: &Value) -> bool {
        use Comparator as C;
        let order = |wanted: fn(Ordering) -> bool| compare(f, v).is_some_and(wanted);
        match self {
            C::Equal => equals(f, v),
            C::In => match v {
                Value::Array(elements) => elements.iter().any(|e| equals(f, e)),
                other => equals(f, other),
            },
            C::Contains | C::StartsWith | C::EndsWith => {
                let (Some(Value::String(f)), Value::String(v)) = (f, v) else {
                    return false;
                };
                let (f, v) = (f.to_lowercase(), v.to_lowercase());
                match self {
                    C::Contains => f.contains(&v),
                    C::StartsWith => f.starts_with(&v),
                    _ => f.ends_with(&v),
                }
            }
            C::GreaterThan => order(Ordering::is_gt),
            C::GreaterEqual => order(Ordering::is_ge),
            C::LessThan => order(Ordering::is_lt),
            C::LessEqual => order(Ordering::is_le),
            C::Between => match v {
                Value::Array(bounds) if bounds.len() == 2 => {
                    compare(f, &bounds[0]).is_some_and(Ordering::is_ge)
                        && compare(f, &bounds[1]).is_some_and(Ordering::is_le)
                }
                _ => false,
            },
        }
    }
}

impl Criterion {
    fn parse(value: &Value) -> Criterion {
        let Some(keys) = value.as_object() else {
            return Criterion::Never;
        };
        if keys.contains_key("group") || keys.contains_key("group_operator") {
            let members: Vec<Criterion> = match keys.get("group").and_then(Value::as_array) {
                Some(group) if !group.is_empty() => group.iter().map(Criterion::parse).collect(),
                _ => return Criterion::Never,
            };
            return match keys.get("group_operator").and_then(Value::as_str) {
                Some(op) if op.eq_ignore_ascii_case("AND") => Criterion::All(members),
                Some(op) if op.eq_ignore_ascii_case("OR") => Criterion::Any(members),
                _ => Criterion::Never,
            };
        }
        let field = keys
            .get("field")
            .and_then(|f| f.get("api_name"))
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty());
        let comparator = keys
            .get("comparator")
            .and_then(Value::as_str)
            .and_then(Comparator::parse);
        match (field, comparator) {
            (Some(field), Some((comparator, negated))) => Criterion::Condition(Condition {
                field: field.to_owned(),
                comparator,
                negated,
                value: keys.get("value").cloned().unwrap_or(Value::Null),
            }),
            _ => Criterion::Never,
        }
    }

    fn holds(&self, record: &Record) -> bool {
        match self {
            Criterion::All(members) => members.iter().all(|m| m.holds(record)),
            Criterion::Any(members) => members.iter().any(|m| m.holds(record)),
            Criterion::Condition(condition) => condition.holds(record),
            Criterion::Never => false,
        }
    }
}

impl Condition {
    /// A multi-select F (a non-empty array) meets a positive comparator when one element
    /// does; a negation holds when the positive comparator holds for none.
    fn holds(&self, record: &Record) -> bool {
        let f = field_value(record, &self.field);
        let positive = match f.as_deref() {
            Some(Value::Array(elements)) if !elements.is_empty() => elements
                .iter()
                .any(|e| self.comparator.holds(Some(e), &self.value)),
            other => self.comparator.holds(other, &self.value),
        };
        positive != self.negated
    }
}

/// F: the stored field; for `id` the record id; for `Owner`, `Created_By`, `Modified_By` the
/// user id; for `Created_Time`, `Modified_Time` the timestamp. `None` when absent.
fn field_value<'r>(record: &'r Record, name: &str) -> Option<Cow<'r, Value>> {
    let text = |s: &str| Some(Cow::Owned(Value::String(s.to_owned())));
    match name {
        "id" => text(record.id.as_str()),
        "Owner" => text(record.owner.as_str()),
        "Created_By" => text(record.created_by.as_str()),
        "Modified_By" => text(record.modified_by.as_str()),
        "Created_Time" => text(&record.created_time.to_iso()),
        "Modified_Time" => text(&record.modified_time.to_iso()),
        _ => record.fields.get(name).map(Cow::Borrowed),
    }
}

/// Absent, `null`, `""` or `[]`.
fn is_empty(f: Option<&Value>) -> bool {
    match f {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    }
}

/// A number, or a string holding one (`12`, `-3.5`, `1e3`; not `inf`, not ` 12`).
fn numeric(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if is_number_text(s) => s.parse().ok(),
        _ => None,
    }
}

fn is_number_text(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty())
                && (digits(fraction) || fraction.is_empty())
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

/// An id as a decimal string: a string as it is, an integer written out.
fn decimal(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// F equals V (spec §4.5.1): V `null` or `""` stands for empty; strings ignoring case;
/// numbers, or a number and a numeric string, numerically; a boolean and the same boolean or
/// its string; a lookup (an object with an `id`) by its id, as decimal strings.
fn equals(f: Option<&Value>, v: &Value) -> bool {
    if v.is_null() || v.as_str() == Some("") {
        return is_empty(f);
    }
    let Some(f) = f else {
        return false;
    };
    match (f, v) {
        (Value::String(a), Value::String(b)) => a.to_lowercase() == b.to_lowercase(),
        (Value::Number(_), Value::Number(_) | Value::String(_))
        | (Value::String(_), Value::Number(_)) => {
            matches!((numeric(f), numeric(v)), (Some(a), Some(b)) if a == b)
        }
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Bool(a), Value::String(b)) | (Value::String(b), Value::Bool(a)) => {
            b.eq_ignore_ascii_case(if *a { "true" } else { "false" })
        }
        (Value::Object(lookup), _) => {
            let wanted = match v {
                Value::Object(other) => other.get("id").and_then(decimal),
                other => decimal(other),
            };
            match (lookup.get("id").and_then(decimal), wanted) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            }
        }
        _ => false,
    }
}

/// How F compares with V: both numbers (or numeric strings) numerically, or both dates or
/// date-times with offset in time; `None` otherwise.
fn compare(f: Option<&Value>, v: &Value) -> Option<Ordering> {
    let f = f?;
    if let (Some(a), Some(b)) = (numeric(f), numeric(v)) {
        return a.partial_cmp(&b);
    }
    let (Value::String(a), Value::String(b)) = (f, v) else {
        return None;
    };
    let (a, b) = (
        Timestamp::parse_date_or_time(a)?,
        Timestamp::parse_date_or_time(b)?,
    );
    Some(a.cmp(&b))
}

/// A rules search filter (spec crm-settings-and-search.md §7.2), already checked: a group
/// of criteria or one condition on a rule's keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleFilter {
    /// `and`: every member holds.
    All(Vec<RuleFilter>),
    /// `or`: one member holds.
    Any(Vec<RuleFilter>),
    Condition(RuleCondition),
}

/// One condition of a search; each key has its one comparator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleCondition {
    SuperiorsAllowed(bool),
    Status(RuleStatus),
    SharedToType(SharedKind),
    /// A `Criteria_Based` rule, which has no `shared_from`, never matches.
    SharedFromType(SharedKind),
    PermissionType(RulePermission),
    /// Ids compared as exact decimal strings; an `all_users` target never matches.
    SharedToResource(Vec<String>),
    SharedFromResource(Vec<String>),
    NameLike(NamePattern),
}

/// A `like` value: case-insensitive; `%` stands for any run of characters and every other
/// character for itself; a value without `%` matches the names that contain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamePattern {
    /// The value lower-cased, split at `%`.
    pieces: Vec<String>,
}

impl NamePattern {
    pub fn new(value: &str) -> Self {
        NamePattern {
            pieces: value.to_lowercase().split('%').map(str::to_owned).collect(),
        }
    }

    pub fn matches(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        let [first, middle @ .., last] = self.pieces.as_slice() else {
            // No `%`: the one piece anywhere in the name.
            return self
                .pieces
                .first()
                .is_some_and(|p| name.contains(p.as_str()));
        };
        let Some(mut rest) = name.strip_prefix(first.as_str()) else {
            return false;
        };
        for piece in middle {
            match rest.find(piece.as_str()) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
        rest.ends_with(last.as_str())
    }
}

impl RuleFilter {
    pub fn matches(&self, rule: &Rule) -> bool {
        match self {
            RuleFilter::All(members) => members.iter().all(|m| m.matches(rule)),
            RuleFilter::Any(members) => members.iter().any(|m| m.matches(rule)),
            RuleFilter::Condition(condition) => condition.matches(rule),
        }
    }
}

impl RuleCondition {
    pub fn matches(&self, rule: &Rule) -> bool {
        let resource_in = |spec: Option<&SharedSpec>, ids: &[String]| {
            spec.and_then(|s| s.resource.as_deref())
                .is_some_and(|id| ids.iter().any(|wanted| wanted == id))
        };
        match self {
            RuleCondition::SuperiorsAllowed(wanted) => rule.superiors_allowed == *wanted,
            RuleCondition::Status(wanted) => rule.status == *wanted,
            RuleCondition::SharedToType(wanted) => rule.shared_to.kind == *wanted,
            RuleCondition::SharedFromType(wanted) => {
                rule.shared_from.as_ref().is_some_and(|s| s.kind == *wanted)
            }
            RuleCondition::PermissionType(wanted) => rule.permission_type == *wanted,
            RuleCondition::SharedToResource(ids) => resource_in(Some(&rule.shared_to), ids),
            RuleCondition::SharedFromResource(ids) => resource_in(rule.shared_from.as_ref(), ids),
            RuleCondition::NameLike(pattern) => pattern.matches(&rule.name),
        }
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

/// A module's rules as record access uses them now (spec crm-records-and-access.md §4.6).
#[derive(Clone, Debug)]
pub struct EffectiveRules<'s> {
    /// The module's computation flag: `true` means `rules` is the snapshot.
    pub running: bool,
    /// The module's rules (active and inactive) in list order.
    pub rules: Vec<&'s Rule>,
}

/// The org's data sharing rules and the modules' computation flags.
#[derive(Clone, Debug, Default)]
pub struct SharingRules {
    /// In the order they were loaded or created.
    rules: Vec<Rule>,
    /// Per canonical module name, the positions of its rules in `rules`, in order.
    by_module: HashMap<String, Vec<usize>>,
    /// By canonical module name; absent means not running.
    computation: HashMap<String, ComputationFlag>,
    /// Per module, its rules as they were when its flag came on; read only while the flag is
    /// on, and never exported (spec crm-records-and-access.md §4.6).
    snapshots: HashMap<String, Vec<Rule>>,
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

    /// A module's current rules in list order, through the module index.
    fn of_module<'s>(&'s self, module: &str) -> impl Iterator<Item = &'s Rule> + 's {
        self.by_module
            .get(module)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&at| &self.rules[at])
    }

    /// The rules record access uses in `module` now: while the module's computation flag is
    /// on, the snapshot taken when it came on; otherwise the current rules (spec
    /// crm-records-and-access.md §4.6).
    pub fn effective(&self, module: &str, now: Timestamp) -> EffectiveRules<'_> {
        let running = self.computation_running(module, now);
        let rules = match self.snapshots.get(module) {
            Some(snapshot) if running => snapshot.iter().collect(),
            _ => self.of_module(module).collect(),
        };
        EffectiveRules { running, rules }
    }

    fn reindex(&mut self) {
        self.by_module.clear();
        for (at, rule) in self.rules.iter().enumerate() {
            self.by_module
                .entry(rule.module.clone())
                .or_default()
                .push(at);
        }
    }

    /// Adds a rule at the end of the list and of its module's index.
    fn push(&mut self, rule: Rule) {
        self.by_module
            .entry(rule.module.clone())
            .or_default()
            .push(self.rules.len());
        self.rules.push(rule);
    }

    /// The module's rules as they are, when a change is about to start its timer from a flag
    /// that is off: the snapshot of spec §4.6. A change while the flag is on keeps the
    /// snapshot the module has.
    fn snapshot_before_change(&self, module: &str, clock: ChangeClock) -> Option<Vec<Rule>> {
        (clock.timer_ms > 0 && !self.computation_running(module, clock.now))
            .then(|| self.of_module(module).cloned().collect())
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
    /// Pinning it on snapshots the module's rules as they are at that moment.
    pub fn pin_computation(&mut self, module: &str, running: bool) {
        self.computation
            .insert(module.to_owned(), ComputationFlag::Pinned(running));
        if running {
            let snapshot = self.of_module(module).cloned().collect();
            self.snapshots.insert(module.to_owned(), snapshot);
        } else {
            self.snapshots.remove(module);
        }
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

    /// The rules (of one module when given) that match every filter, in listing order
    /// (rules search).
    pub fn search<'s>(
        &'s self,
        records: &Records,
        module: Option<&str>,
        filters: &[RuleFilter],
    ) -> Vec<&'s Rule> {
        let mut rules = self.listed(records, module);
        rules.retain(|rule| filters.iter().all(|f| f.matches(rule)));
        rules
    }

    /// Per-module counts of the rules that match every filter, in registry order, only for
    /// modules with a match (only `module` when given): the filtered summary. Empty when
    /// nothing matches.
    pub fn filtered_summary<'o>(
        &self,
        records: &'o Records,
        module: Option<&str>,
        filters: &[RuleFilter],
        now: Timestamp,
    ) -> Vec<SummaryRow<'o>> {
        let matching = self.search(records, module, filters);
        records
            .modules()
            .map(|m| SummaryRow {
                module: m,
                rule_count: matching.iter().filter(|r| r.module == m.api_name).count(),
                computation_running: self.computation_running(m.api_name, now),
            })
            .filter(|row| row.rule_count > 0)
            .collect()
    }

    /// Adds a rule of a fixture, which the caller has held to the rules of this module with
    /// [`SharingRules::name_taken`], [`resource_exists`] and [`SharedKind::may_share_from`].
    pub fn load(&mut self, rule: Rule) {
        self.push(rule);
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
        let before = self.snapshot_before_change(module, clock);
        self.push(Rule::new(id.clone(), module, spec));
        self.dirty.mark(|| RuleChange::Rule(id.clone()));
        self.changed(module, clock, before);
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
        let before = self.snapshot_before_change(module, clock);
        self.rules[index].apply(spec);
        self.dirty.mark(|| RuleChange::Rule(id.clone()));
        self.changed(module, clock, before);
        Ok(())
    }

    pub fn delete(&mut self, module: &str, id: &str, clock: ChangeClock) -> Result<(), RuleError> {
        let index = self.index_in(id, module)?;
        self.ensure_not_computing(module, clock)?;
        let before = self.snapshot_before_change(module, clock);
        let removed = self.rules.remove(index);
        self.dirty.mark(|| RuleChange::Rule(removed.id));
        self.reindex();
        self.changed(module, clock, before);
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
        let before = self.snapshot_before_change(module, clock);
        self.rules[index].set_status(wanted)?;
        self.dirty.mark(|| RuleChange::Rule(RuleId::from(id)));
        self.changed(module, clock, before);
        Ok(())
    }

    /// Schedules a recomputation of the module's rules (even when it has none).
    pub fn rerun(&mut self, module: &str, clock: ChangeClock) -> Result<(), RuleError> {
        self.ensure_not_computing(module, clock)?;
        let before = self.snapshot_before_change(module, clock);
        self.changed(module, clock, before);
        Ok(())
    }

    fn index_in(&self, id: &str, module: &str) -> Result<usize, RuleError> {
        self.by_module
            .get(module)
            .and_then(|at| {
                at.iter()
                    .copied()
                    .find(|&i| self.rules[i].id.as_str() == id)
            })
            .ok_or(RuleError::UnknownRule)
    }

    fn ensure_not_computing(&self, module: &str, clock: ChangeClock) -> Result<(), RuleError> {
        if self.computation_running(module, clock.now) {
            return Err(RuleError::ComputationRunning);
        }
        Ok(())
    }

    /// Starts (or restarts) the module's computation timer after a successful change, with the
    /// snapshot taken before it when the flag was off.
    fn changed(&mut self, module: &str, clock: ChangeClock, before: Option<Vec<Rule>>) {
        let current = self.computation.get(module).copied();
        if let Some(flag) = ComputationFlag::after_change(current, clock.now, clock.timer_ms) {
            if matches!(current, Some(ComputationFlag::Pinned(_))) {
                // A timer replaces the pin; the state file keeps pins only.
                self.dirty
                    .mark(|| RuleChange::Computation(module.to_owned()));
            }
            self.computation.insert(module.to_owned(), flag);
        }
        if let Some(before) = before {
            self.snapshots.insert(module.to_owned(), before);
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

    fn lead(fields: Value) -> Record {
        Record {
            module: "Leads".into(),
            id: crate::ids::RecordId::from("42"),
            owner: crate::ids::UserId::from("7").into(),
            fields: fields.as_object().cloned().unwrap_or_default().into(),
            created_time: Timestamp::from_secs(1_795_000_000),
            modified_time: Timestamp::from_secs(1_795_000_000),
            created_by: crate::ids::UserId::from("7").into(),
            modified_by: crate::ids::UserId::from("8").into(),
        }
    }

    #[test]
    fn criteria_keep_what_was_given_and_decide_on_the_record_as_it_is() {
        let given = json!({"group_operator": "Or", "group": [
            {"comparator": "equal", "field": {"api_name": "City", "id": "1"}, "type": "value", "value": "chennai"},
            {"comparator": "between", "field": {"api_name": "Amount"}, "value": [5, "10"]}]});
        let criteria = Criteria::new(given.clone());
        assert_eq!(criteria.given(), &given, "stored as given");
        assert_eq!(serde_json::to_value(&criteria).unwrap(), given);
        assert!(criteria.holds(&lead(json!({"City": "Chennai"}))));
        assert!(criteria.holds(&lead(json!({"Amount": "7.5"}))));
        assert!(!criteria.holds(&lead(json!({"City": "Pune", "Amount": 11}))));
        // What the shape check let through but names no decidable condition never holds, and
        // a negation of it does not either.
        for never in [
            json!({"comparator": "like", "field": {"api_name": "City"}, "value": "x"}),
            json!({"comparator": "not_equal", "field": {}, "value": "x"}),
            json!({"group_operator": "XOR", "group": [{"comparator": "equal", "field": {"api_name": "City"}, "value": "x"}]}),
            json!({"group_operator": "AND", "group": []}),
            json!("equal"),
        ] {
            assert!(
                !Criteria::new(never.clone()).holds(&lead(json!({"City": "Pune"}))),
                "{never}"
            );
        }
        // System keys: the owner and creator as user ids, the times as timestamps, the id.
        let on = |field: &str, comparator: &str, value: Value| {
            Criteria::new(
                json!({"comparator": comparator, "field": {"api_name": field}, "value": value}),
            )
            .holds(&lead(json!({})))
        };
        assert!(on("Owner", "equal", json!("7")));
        assert!(on("Modified_By", "in", json!(["1", 8])));
        assert!(on("id", "equal", json!(42)));
        assert!(on("Created_Time", "greater_equal", json!("2026-11-18")));
        assert!(!on(
            "Created_Time",
            "less_than",
            json!("2026-11-18T00:00:00+00:00")
        ));
    }

    #[test]
    fn numeric_strings_are_numbers_and_nothing_else_is() {
        for text in ["12", "-3.5", "+4", "1e3", "2.", ".5", "7E-2"] {
            assert!(is_number_text(text), "{text}");
        }
        for text in [
            "", " 12", "12 ", "inf", "NaN", "1e", "-", ".", "0x10", "1,5",
        ] {
            assert!(!is_number_text(text), "{text:?}");
        }
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

    #[test]
    fn like_patterns() {
        let like = |pattern: &str, name: &str| NamePattern::new(pattern).matches(name);
        assert!(like("manager", "Manager leads to Sales Reps"));
        assert!(
            like("LEADS TO SALES", "Manager leads to Sales Reps"),
            "no % is contains"
        );
        assert!(like("leads%", "Leads to Sales"));
        assert!(
            !like("leads%", "Manager leads to Sales Reps"),
            "% anchors the ends"
        );
        assert!(like("%sales", "Leads to Sales"));
        assert!(like("sales%support", "Sales deals to Support"));
        assert!(like("%", "anything"));
        assert!(like("a%b%c", "aXbYc") && !like("a%b%c", "aXcYb"));
        assert!(!like("ab%ba", "aba"), "the pieces do not overlap");
        assert!(!like("s_to", "Leads to Sales"), "_ is itself");
    }

    fn search_ids(org: &Org, module: Option<&str>, body: Value) -> Vec<String> {
        let body = body.as_object().expect("an object").clone();
        let filters = request::search_filters(&body).expect("a well-formed body");
        org.crm
            .rules
            .search(&org.crm.records, module, &filters)
            .iter()
            .map(|r| r.id.0.clone())
            .collect()
    }

    #[test]
    fn search_items_hold_together_and_groups_nest() {
        let org = sandbox_org();
        let cond = |key: &str, comparator: &str, value: Value| json!({"field": {"api_name": key}, "comparator": comparator, "value": value});
        let nested = json!({"filters": [{"group_operator": "and", "group": [
            cond("shared_to.type", "equal", json!("groups")),
            {"group_operator": "OR", "group": [
                cond("status", "equal", json!("active")),
                cond("name", "like", json!("manager"))]}]}]});
        assert_eq!(
            search_ids(&org, None, nested.clone()),
            ["2276164000002052006", "2276164000002052019"]
        );
        assert_eq!(
            search_ids(&org, Some("Deals"), nested),
            ["2276164000002052019"]
        );
        // Two items: both must hold.
        let both = json!({"filters": [cond("status", "equal", json!("active")),
                                      cond("permission_type", "equal", json!("read"))]});
        assert_eq!(
            search_ids(&org, None, both),
            ["2276164000002052015", "2276164000002052019"]
        );
        // A criteria rule has no shared_from; an all_users target no resource.
        let from_roles = json!({"filters": [cond("shared_from.type", "equal", json!("roles"))]});
        assert_eq!(
            search_ids(&org, None, from_roles),
            ["2276164000002052006", "2276164000002052011"]
        );
        let to_ids = json!({"filters": [cond("shared_to.resource.id", "in",
            json!([4150868000000232001_u64, "4150868000000026007"]))]});
        assert_eq!(
            search_ids(&org, None, to_ids),
            ["2276164000002052006", "2276164000002052011"]
        );
    }

    #[test]
    fn the_filtered_summary_leaves_out_modules_without_a_match() {
        let org = sandbox_org();
        let body = json!({"filters": [{"field": {"api_name": "permission_type"}, "comparator": "equal", "value": "read"}]});
        let filters = request::search_filters(body.as_object().unwrap()).unwrap();
        let rows = org
            .crm
            .rules
            .filtered_summary(&org.crm.records, None, &filters, T0);
        let counts: Vec<(&str, usize)> = rows
            .iter()
            .map(|r| (r.module.api_name, r.rule_count))
            .collect();
        assert_eq!(counts, [("Leads", 1), ("Contacts", 1), ("Deals", 1)]);
        let none = org
            .crm
            .rules
            .filtered_summary(&org.crm.records, Some("Cases"), &filters, T0);
        assert!(none.is_empty());
    }
}

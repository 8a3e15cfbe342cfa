//! A user's level on a record (spec crm-records-and-access.md §4): the highest of the grants
//! that apply (Administrator profile, owner, role hierarchy or reporting line, peers, org-wide
//! default, data sharing rules, user / group / role shares, public share), then capped by the
//! user's profile on the module.
//!
//! [`Viewer::grants`] is the one access function: it lists every grant of one (user, record)
//! pair in the order the explain endpoint shows them. [`Viewer::level`] (what the Records API
//! enforces) and [`Viewer::explain`] (what `GET /__admin/orgs/{id}/access` answers) are both
//! built on it, so the two can never disagree.
//!
//! A [`Viewer`] is made once per request for one user and one module: it resolves what does
//! not depend on the record (the profile's ceiling, the org-wide default, which of the
//! module's effective rules reach the user and how), and remembers per record owner what
//! depends on the owner alone (owner, superior, peer, record-owner-based rule matches). A
//! record then costs a lookup of its owner's facts, its criteria rules and its shares: no
//! check walks the org's records or users.

use std::cell::RefCell;
use std::ops::ControlFlow;

use serde::Serialize;

use crate::clock::Timestamp;
use crate::crm::data_sharing_rules::model::{
    Rule, RulePermission, RuleType, SharedKind, SharedSpec, SharingRules,
};
use crate::crm::data_sharing_settings::model::{DataSharingSettings, ShareType};
use crate::crm::record_sharing::model::{Permission, Share, TargetKind};
use crate::crm::records::model::Record;
use crate::crm::registry::CrmModule;
use crate::str_enum::str_enum;
use crate::tenant::directory::{Directory, HierarchyPreference, User};
use crate::tenant::profiles::{Operation, Profile};

str_enum! {
    /// What a user may do with a record, lowest first (spec §4.1).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    pub enum Level {
        None = "none",
        Read = "read",
        ReadWrite = "read_write",
        Full = "full",
    }
}

impl Level {
    /// `$sharing_permission`; `None` for a record the user cannot see.
    pub fn sharing_permission(self) -> Option<&'static str> {
        match self {
            Level::None => None,
            Level::Read => Some("read_only"),
            Level::ReadWrite => Some("read_write"),
            Level::Full => Some("full_access"),
        }
    }

    /// `$editable`: the level allows an update.
    pub fn editable(self) -> bool {
        self >= Level::ReadWrite
    }

    pub fn of_share(permission: Permission) -> Level {
        match permission {
            Permission::ReadOnly => Level::Read,
            Permission::ReadWrite => Level::ReadWrite,
            Permission::FullAccess => Level::Full,
        }
    }

    fn of_rule(permission: RulePermission) -> Level {
        match permission {
            RulePermission::Read => Level::Read,
            RulePermission::ReadWriteDelete => Level::Full,
        }
    }

    /// The level an org-wide default gives everyone; `None` for `private`.
    fn of_share_type(share_type: ShareType) -> Option<Level> {
        match share_type {
            ShareType::Private => None,
            ShareType::PublicReadOnly => Some(Level::Read),
            ShareType::PublicReadWrite => Some(Level::ReadWrite),
            ShareType::Public => Some(Level::Full),
        }
    }
}

str_enum! {
    /// How a rule reaches the user: as one of its targets, or only as a superior of one
    /// (`superiors_allowed`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
    pub enum Reach {
        Grantee = "grantee",
        Superior = "superior",
    }
}

/// Why a grant applies, with the ids the explain endpoint shows (spec §12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via<'a> {
    /// The user owns the record.
    Owner {
        owner: &'a str,
    },
    /// The user is a superior of the owner, under this preference.
    Hierarchy {
        owner: &'a str,
        preference: HierarchyPreference,
    },
    /// The user has the owner's role, which shares with peers.
    Peer {
        role: &'a str,
    },
    /// The module's org-wide default.
    OrgDefault {
        module: &'a str,
        share_type: ShareType,
    },
    Rule {
        rule: &'a str,
        reach: Reach,
    },
    /// A share to the user.
    Share {
        user: &'a str,
        permission: Permission,
    },
    GroupShare {
        group: &'a str,
        permission: Permission,
    },
    /// A share to the user's own role (not the roles above or below it).
    RoleShare {
        role: &'a str,
        permission: Permission,
    },
    Public {
        record: &'a str,
        permission: Permission,
    },
    /// The user's profile is the Administrator's.
    AdminProfile {
        profile: &'a str,
    },
}

/// One grant: why, and the level it gives before the profile's cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant<'a> {
    pub via: Via<'a>,
    pub level: Level,
}

/// What a profile allows on one module (spec §4.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModulePermissions {
    pub view: bool,
    pub create: bool,
    pub edit: bool,
    pub delete: bool,
}

impl ModulePermissions {
    /// The profile's permissions on the module (a missing profile restricts nothing; the
    /// directory never lets a user name one that does not exist).
    pub fn of(profile: Option<&Profile>, module: &str) -> Self {
        let allows = |operation| profile.is_none_or(|p| p.allows(module, operation));
        ModulePermissions {
            view: allows(Operation::View),
            create: allows(Operation::Create),
            edit: allows(Operation::Edit),
            delete: allows(Operation::Delete),
        }
    }

    pub fn allows(self, operation: Operation) -> bool {
        match operation {
            Operation::View => self.view,
            Operation::Create => self.create,
            Operation::Edit => self.edit,
            Operation::Delete => self.delete,
        }
    }

    /// The ceiling: `none` without `view`, `read` without `edit`, `read_write` without
    /// `delete`. The owner is capped too.
    pub fn cap(self, level: Level) -> Level {
        let ceiling = if !self.view {
            Level::None
        } else if !self.edit {
            Level::Read
        } else if !self.delete {
            Level::ReadWrite
        } else {
            Level::Full
        };
        level.min(ceiling)
    }
}

/// What the org holds that record access reads; the model owns none of it.
#[derive(Clone, Copy, Debug)]
pub struct OrgAccess<'o> {
    pub directory: &'o Directory,
    pub rules: &'o SharingRules,
    pub settings: &'o DataSharingSettings,
    /// The rules' computation flags are read at this instant.
    pub now: Timestamp,
}

/// An effective rule of the module that reaches the viewer.
#[derive(Clone, Copy, Debug)]
struct Reaching<'o> {
    rule: &'o Rule,
    reach: Reach,
    level: Level,
}

/// What depends on a record's owner alone.
#[derive(Clone, Debug, Default)]
struct OwnerFacts {
    owner: bool,
    superior: bool,
    peer: bool,
    /// Per reaching rule: a record-owner-based rule covers this owner's records.
    covered: Vec<bool>,
}

/// One user looking at one module's records.
#[derive(Debug)]
pub struct Viewer<'o> {
    directory: &'o Directory,
    user: &'o User,
    module: CrmModule<'o>,
    profile: Option<&'o Profile>,
    permissions: ModulePermissions,
    share_type: ShareType,
    running: bool,
    /// The effective rules (spec §4.6) that are active and reach the user, in list order.
    reaching: Vec<Reaching<'o>>,
    /// Per owner (by position in the directory), filled when first needed.
    owners: RefCell<Vec<Option<OwnerFacts>>>,
}

/// Stops the emission when the sink has what it needs.
macro_rules! emit {
    ($sink:expr, $via:expr, $level:expr) => {
        if let ControlFlow::Break(()) = $sink(Grant {
            via: $via,
            level: $level,
        }) {
            return;
        }
    };
}

impl<'o> Viewer<'o> {
    pub fn new(org: OrgAccess<'o>, user: &'o User, module: CrmModule<'o>) -> Self {
        let directory = org.directory;
        let profile = directory.profile(&user.profile);
        let effective = org.rules.effective(module.api_name, org.now);
        let reaching = effective
            .rules
            .iter()
            .filter(|rule| rule.is_active())
            .filter_map(|rule| {
                reach(directory, rule, user).map(|reach| Reaching {
                    rule,
                    reach,
                    level: Level::of_rule(rule.permission_type),
                })
            })
            .collect();
        Viewer {
            directory,
            user,
            module,
            profile,
            permissions: ModulePermissions::of(profile, module.api_name),
            share_type: org.settings.share_type(module.api_name),
            running: effective.running,
            reaching,
            owners: RefCell::new(vec![None; directory.users().len()]),
        }
    }

    /// Every grant that applies to the record (of this viewer's module), in the order of
    /// spec §12: owner, hierarchy, peer, org-wide default, rules in list order, then the
    /// shares in stored order (user, group, role, public), and the Administrator profile
    /// last. `shares` is the record's share set. The sink may stop the walk.
    pub fn grants<'s>(
        &'s self,
        record: &'s Record,
        shares: &'s [Share],
        mut sink: impl FnMut(Grant<'s>) -> ControlFlow<()>,
    ) {
        let directory = self.directory;
        let user = self.user;
        let owner_at = directory.user_position(record.owner.as_str());
        if let Some(at) = owner_at {
            self.learn_owner(at);
        }
        let owners = self.owners.borrow();
        let facts = owner_at.and_then(|at| owners[at].as_ref());
        if let Some(facts) = facts {
            if facts.owner {
                emit!(
                    sink,
                    Via::Owner {
                        owner: user.id.as_str()
                    },
                    Level::Full
                );
            }
            if facts.superior {
                emit!(
                    sink,
                    Via::Hierarchy {
                        owner: record.owner.as_str(),
                        preference: directory.hierarchy_preference(),
                    },
                    Level::Full
                );
            }
            if facts.peer {
                emit!(
                    sink,
                    Via::Peer {
                        role: user.role.as_str()
                    },
                    Level::Full
                );
            }
        }
        if let Some(level) = Level::of_share_type(self.share_type) {
            emit!(
                sink,
                Via::OrgDefault {
                    module: self.module.id,
                    share_type: self.share_type,
                },
                level
            );
        }
        for (index, reaching) in self.reaching.iter().enumerate() {
            let covered = match reaching.rule.rule_type {
                RuleType::RecordOwnerBased => facts.is_some_and(|f| f.covered[index]),
                RuleType::CriteriaBased => reaching
                    .rule
                    .criteria
                    .as_ref()
                    .is_some_and(|criteria| criteria.holds(record)),
            };
            if covered {
                emit!(
                    sink,
                    Via::Rule {
                        rule: reaching.rule.id.as_str(),
                        reach: reaching.reach,
                    },
                    reaching.level
                );
            }
        }
        let private = |kind: TargetKind| {
            shares.iter().filter_map(move |share| {
                share
                    .target
                    .as_ref()
                    .filter(|t| t.kind == kind)
                    .map(|t| (t.id.as_str(), share.permission))
            })
        };
        for (target, permission) in private(TargetKind::Users) {
            if target == user.id.as_str() {
                emit!(
                    sink,
                    Via::Share {
                        user: target,
                        permission
                    },
                    Level::of_share(permission)
                );
            }
        }
        for (target, permission) in private(TargetKind::Groups) {
            let member = directory
                .group(target)
                .is_some_and(|group| directory.is_member(group, user));
            if member {
                emit!(
                    sink,
                    Via::GroupShare {
                        group: target,
                        permission
                    },
                    Level::of_share(permission)
                );
            }
        }
        for (target, permission) in private(TargetKind::Roles) {
            if target == user.role.as_str() {
                emit!(
                    sink,
                    Via::RoleShare {
                        role: target,
                        permission
                    },
                    Level::of_share(permission)
                );
            }
        }
        for share in shares.iter().filter(|s| s.is_public()) {
            emit!(
                sink,
                Via::Public {
                    record: record.id.as_str(),
                    permission: share.permission,
                },
                Level::of_share(share.permission)
            );
        }
        if user.is_administrator() {
            let profile = self.profile.map_or("", |p| p.id.as_str());
            emit!(sink, Via::AdminProfile { profile }, Level::Full);
        }
    }

    /// The highest grant before the profile's cap; `none` without grants.
    pub fn uncapped_level(&self, record: &Record, shares: &[Share]) -> Level {
        let mut highest = Level::None;
        self.grants(record, shares, |grant| {
            highest = highest.max(grant.level);
            if highest == Level::Full {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        highest
    }

    /// The level the Records API enforces: the highest grant, capped by the profile.
    pub fn level(&self, record: &Record, shares: &[Share]) -> Level {
        if !self.permissions.view {
            return Level::None;
        }
        self.permissions.cap(self.uncapped_level(record, shares))
    }

    /// Every grant and the levels before and after the cap (the explain endpoint).
    pub fn explain<'s>(&'s self, record: &'s Record, shares: &'s [Share]) -> Explanation<'s> {
        let mut grants = Vec::new();
        self.grants(record, shares, |grant| {
            grants.push(grant);
            ControlFlow::Continue(())
        });
        let uncapped = grants.iter().map(|g| g.level).max().unwrap_or(Level::None);
        Explanation {
            level: self.permissions.cap(uncapped),
            uncapped,
            grants,
            rule_computation_running: self.running,
            profile: self.profile,
            permissions: self.permissions,
        }
    }

    /// Fills the facts of the owner at this position, once.
    fn learn_owner(&self, at: usize) {
        if self.owners.borrow().get(at).is_some_and(Option::is_some) {
            return;
        }
        let Some(owner) = self.directory.users().get(at) else {
            return;
        };
        let directory = self.directory;
        let user = self.user;
        let other = owner.id != user.id;
        let facts = OwnerFacts {
            owner: !other,
            superior: other && directory.is_superior(user, owner),
            peer: other
                && owner.role == user.role
                && directory
                    .role(user.role.as_str())
                    .is_some_and(|role| role.share_with_peers),
            covered: self
                .reaching
                .iter()
                .map(|r| {
                    r.rule.rule_type == RuleType::RecordOwnerBased
                        && r.rule
                            .shared_from
                            .as_ref()
                            .is_some_and(|from| covers_owner(directory, from, owner))
                })
                .collect(),
        };
        if let Some(slot) = self.owners.borrow_mut().get_mut(at) {
            *slot = Some(facts);
        }
    }
}

/// One (user, record) pair explained (spec §12).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation<'s> {
    pub grants: Vec<Grant<'s>>,
    pub uncapped: Level,
    pub level: Level,
    pub rule_computation_running: bool,
    pub profile: Option<&'s Profile>,
    pub permissions: ModulePermissions,
}

impl Explanation<'_> {
    pub fn capped_by_profile(&self) -> bool {
        self.level < self.uncapped
    }
}

/// Whether a rule's `shared_to` names the user: the role (and, with `subordinates`, the roles
/// below it), a group the user is a member of (`subordinates` has no effect), or all users.
fn reached_directly(directory: &Directory, to: &SharedSpec, user: &User) -> bool {
    match to.kind {
        SharedKind::AllUsers => true,
        SharedKind::Roles | SharedKind::Groups => covers_owner(directory, to, user),
    }
}

/// Whether a Shared object of roles or groups takes in this user (as a record owner for
/// `shared_from`, as a target for `shared_to`); `all_users` is never a `shared_from`.
fn covers_owner(directory: &Directory, spec: &SharedSpec, user: &User) -> bool {
    let Some(resource) = spec.resource.as_deref() else {
        return false;
    };
    match spec.kind {
        SharedKind::Roles => {
            user.role.as_str() == resource
                || (spec.subordinates && directory.is_below(user.role.as_str(), resource))
        }
        SharedKind::Groups => directory
            .group(resource)
            .is_some_and(|group| directory.is_member(group, user)),
        SharedKind::AllUsers => false,
    }
}

/// How a rule reaches the user, if it does: directly, or with `superiors_allowed` as a
/// superior (the org's preference) of a user it reaches directly. Reaching directly wins.
fn reach(directory: &Directory, rule: &Rule, user: &User) -> Option<Reach> {
    if reached_directly(directory, &rule.shared_to, user) {
        return Some(Reach::Grantee);
    }
    let above_a_grantee = rule.superiors_allowed
        && directory.users().iter().any(|other| {
            other.id != user.id
                && reached_directly(directory, &rule.shared_to, other)
                && directory.is_superior(user, other)
        });
    above_a_grantee.then_some(Reach::Superior)
}

#[cfg(test)]
mod tests {
    //! The access model on small orgs built from data: a table with a row per grant kind and
    //! per cap (each with a row that must not grant), and properties over random orgs.

    use indexmap::IndexMap;
    use serde_json::{Value, json};

    use super::*;
    use crate::crm::data_sharing_rules::model::{ChangeClock, Criteria, RuleSpec, RuleStatus};
    use crate::crm::record_sharing::model::{RecordShares, ShareTarget};
    use crate::crm::records::model::{RecordChange, Records};
    use crate::crm::registry::all_modules;
    use crate::ids::{ProfileId, RecordId, RoleId, RuleId, UserId};
    use crate::tenant::directory::{AnalyticsRole, Group, GroupSource, Role, UserStatus};
    use crate::tenant::profiles::Grants;

    const T0: Timestamp = Timestamp(1_795_000_000_000);

    /// A share of a [`Desc`]: the record, the target (`None`: public) and the permission.
    type ShareDesc = (String, Option<(TargetKind, String)>, Permission);

    /// An org as data, so that a variant is a copy with one thing changed.
    #[derive(Clone, Debug)]
    struct Desc {
        preference: HierarchyPreference,
        /// (id, parent, share_with_peers)
        roles: Vec<(String, Option<String>, bool)>,
        /// (id, role, profile, reporting_to, active)
        users: Vec<(String, String, String, Option<String>, bool)>,
        profiles: Vec<Profile>,
        groups: Vec<(String, Vec<GroupSource>)>,
        /// (module, id, owner, fields)
        records: Vec<(String, String, String, Value)>,
        rules: Vec<Rule>,
        /// (record, target (None: public), permission)
        shares: Vec<ShareDesc>,
        defaults: Vec<(String, ShareType)>,
        /// Modules whose computation flag is pinned on once the rules are loaded.
        pinned: Vec<String>,
    }

    /// The real parts, built from a [`Desc`].
    struct Built {
        directory: Directory,
        records: Records,
        shares: RecordShares,
        rules: SharingRules,
        settings: DataSharingSettings,
    }

    fn module(name: &str) -> CrmModule<'static> {
        all_modules(&[])
            .find(|m| m.api_name == name)
            .expect("a registry module")
    }

    fn grants_of(view: bool, create: bool, edit: bool, delete: bool) -> Grants {
        Grants {
            view: Some(view),
            create: Some(create),
            edit: Some(edit),
            delete: Some(delete),
        }
    }

    fn profile(name: &str, permissions: &[(&str, Grants)]) -> Profile {
        Profile {
            id: ProfileId(format!("p-{name}")),
            name: name.into(),
            description: None,
            permissions: permissions
                .iter()
                .map(|(k, g)| ((*k).to_owned(), *g))
                .collect::<IndexMap<_, _>>(),
        }
    }

    fn profiles() -> Vec<Profile> {
        let only = |edit| Grants {
            edit: Some(edit),
            ..Grants::default()
        };
        vec![
            profile("Administrator", &[]),
            profile("Std", &[]),
            profile("RO", &[("*", grants_of(true, false, false, false))]),
            profile(
                "NoDel",
                &[(
                    "*",
                    Grants {
                        delete: Some(false),
                        ..Grants::default()
                    },
                )],
            ),
            profile("NoEditLeads", &[("Leads", only(false))]),
            profile(
                "NoViewLeads",
                &[("Leads", grants_of(false, false, false, false))],
            ),
            profile(
                "ROEditLeads",
                &[
                    ("*", grants_of(true, false, false, false)),
                    ("Leads", only(true)),
                ],
            ),
        ]
    }

    /// The base org of the table (notes: t11 access cases): T > M > L, P (peers), X; users t,
    /// m, l, p1, p2, x1, x2, a (Administrator), d (disabled); groups gM (M and below), gm (M),
    /// gU (x2); leads rX (x1), rL (l), rP (p1), rM (m), rD (d), contact rC (x1).
    fn base() -> Desc {
        let s = |v: &str| v.to_owned();
        let user = |id: &str, role: &str, profile: &str, to: Option<&str>, active: bool| {
            (s(id), s(role), s(profile), to.map(s), active)
        };
        Desc {
            preference: HierarchyPreference::Role,
            roles: vec![
                (s("T"), None, false),
                (s("M"), Some(s("T")), false),
                (s("L"), Some(s("M")), false),
                (s("P"), None, true),
                (s("X"), None, false),
            ],
            users: vec![
                user("t", "T", "Std", None, true),
                user("m", "M", "Std", Some("t"), true),
                user("l", "L", "Std", Some("x1"), true),
                user("p1", "P", "Std", None, true),
                user("p2", "P", "Std", None, true),
                user("x1", "X", "Std", None, true),
                user("x2", "X", "Std", None, true),
                user("a", "X", "Administrator", None, true),
                user("d", "L", "Std", Some("m"), false),
            ],
            profiles: profiles(),
            groups: vec![
                (
                    s("gM"),
                    vec![GroupSource::Role {
                        id: RoleId::from("M"),
                        subordinates: true,
                    }],
                ),
                (
                    s("gm"),
                    vec![GroupSource::Role {
                        id: RoleId::from("M"),
                        subordinates: false,
                    }],
                ),
                (s("gU"), vec![GroupSource::User(UserId::from("x2"))]),
            ],
            records: vec![
                (
                    s("Leads"),
                    s("rX"),
                    s("x1"),
                    json!({"City": "Chennai", "Amount": 10}),
                ),
                (s("Leads"), s("rL"), s("l"), json!({})),
                (s("Leads"), s("rP"), s("p1"), json!({})),
                (s("Leads"), s("rM"), s("m"), json!({})),
                (s("Leads"), s("rD"), s("d"), json!({})),
                (s("Contacts"), s("rC"), s("x1"), json!({})),
            ],
            rules: Vec::new(),
            shares: Vec::new(),
            defaults: Vec::new(),
            pinned: Vec::new(),
        }
    }

    fn build(desc: &Desc) -> Built {
        let roles = desc
            .roles
            .iter()
            .map(|(id, parent, peers)| Role {
                id: RoleId::from(id.clone()),
                name: id.clone(),
                reporting_to: parent.as_deref().map(RoleId::from),
                share_with_peers: *peers,
                description: None,
            })
            .collect();
        let users = desc
            .users
            .iter()
            .map(|(id, role, profile, to, active)| User {
                id: UserId::from(id.clone()),
                email: format!("{id}@x.io"),
                full_name: id.to_uppercase(),
                role: RoleId::from(role.clone()),
                profile: profile.clone(),
                status: if *active {
                    UserStatus::Active
                } else {
                    UserStatus::Disabled
                },
                analytics_role: AnalyticsRole::User,
                zuid: id.clone(),
                reporting_to: to.as_deref().map(UserId::from),
            })
            .collect();
        let groups = desc
            .groups
            .iter()
            .map(|(id, sources)| Group {
                id: id.as_str().into(),
                name: id.clone(),
                description: None,
                sources: sources.clone(),
            })
            .collect();
        let directory =
            Directory::new(desc.preference, desc.profiles.clone(), users, roles, groups);
        let records = Records::new(
            Vec::new(),
            desc.records
                .iter()
                .map(|(module, id, owner, fields)| Record {
                    module: module.as_str().into(),
                    id: RecordId::from(id.clone()),
                    owner: UserId::from(owner.clone()).into(),
                    fields: fields.as_object().cloned().unwrap_or_default().into(),
                    created_time: T0,
                    modified_time: T0,
                    created_by: UserId::from(owner.clone()).into(),
                    modified_by: UserId::from(owner.clone()).into(),
                })
                .collect(),
        );
        let mut shares = RecordShares::default();
        for (position, (record, target, permission)) in desc.shares.iter().enumerate() {
            let record = records.get(record).expect("a record of the org");
            let share = Share {
                target: target.as_ref().map(|(kind, id)| ShareTarget {
                    kind: *kind,
                    id: id.clone(),
                }),
                permission: *permission,
                share_related_records: false,
                shared_by: (*record.owner).clone(),
                shared_time: T0,
                position: u32::try_from(position).unwrap_or(u32::MAX),
            };
            shares.load(record, share).expect("a valid share set");
        }
        let mut rules = SharingRules::default();
        for rule in &desc.rules {
            rules.load(rule.clone());
        }
        for module in &desc.pinned {
            rules.pin_computation(module, true);
        }
        let mut settings = DataSharingSettings::default();
        let defaults: Vec<_> = desc
            .defaults
            .iter()
            .map(|(name, share_type)| (module(name), *share_type))
            .collect();
        settings.update(&defaults);
        Built {
            directory,
            records,
            shares,
            rules,
            settings,
        }
    }

    impl Built {
        fn viewer(&self, user: &str, module_name: &str, now: Timestamp) -> Viewer<'_> {
            let access = OrgAccess {
                directory: &self.directory,
                rules: &self.rules,
                settings: &self.settings,
                now,
            };
            let user = self.directory.user(user).expect("a user of the org");
            Viewer::new(access, user, module(module_name))
        }

        /// The level the Records API would enforce.
        fn level(&self, user: &str, record: &str, now: Timestamp) -> Level {
            let record = self.records.get(record).expect("a record");
            self.viewer(user, &record.module, now)
                .level(record, self.shares.of(record.id.as_str()))
        }

        /// (level, uncapped, grants as text, rule computation running)
        fn explain(
            &self,
            user: &str,
            record: &str,
            now: Timestamp,
        ) -> (Level, Level, Vec<String>, bool) {
            let record = self.records.get(record).expect("a record");
            let viewer = self.viewer(user, &record.module, now);
            let shares = self.shares.of(record.id.as_str());
            let explanation = viewer.explain(record, shares);
            assert_eq!(
                explanation.level,
                viewer.level(record, shares),
                "explain and level agree"
            );
            let grants = explanation.grants.iter().map(grant_text).collect();
            (
                explanation.level,
                explanation.uncapped,
                grants,
                explanation.rule_computation_running,
            )
        }
    }

    fn grant_text(grant: &Grant<'_>) -> String {
        let level = grant.level.as_str();
        match grant.via {
            Via::Owner { .. } => format!("owner {level}"),
            Via::Hierarchy { preference, .. } => {
                format!("hierarchy {level} {}", preference.as_str())
            }
            Via::Peer { role } => format!("peer {level} {role}"),
            Via::OrgDefault { share_type, .. } => {
                format!("org_default {level} {}", share_type.as_str())
            }
            Via::Rule { rule, reach } => format!("rule {level} {} {rule}", reach.as_str()),
            Via::Share { user, .. } => format!("share {level} {user}"),
            Via::GroupShare { group, .. } => format!("group_share {level} {group}"),
            Via::RoleShare { role, .. } => format!("role_share {level} {role}"),
            Via::Public { record, .. } => format!("public {level} {record}"),
            Via::AdminProfile { .. } => format!("admin_profile {level}"),
        }
    }

    fn shared(kind: SharedKind, resource: Option<&str>, subordinates: bool) -> SharedSpec {
        SharedSpec {
            kind,
            resource: resource.map(str::to_owned),
            subordinates,
        }
    }

    fn roles(id: &str, subordinates: bool) -> SharedSpec {
        shared(SharedKind::Roles, Some(id), subordinates)
    }

    fn groups(id: &str, subordinates: bool) -> SharedSpec {
        shared(SharedKind::Groups, Some(id), subordinates)
    }

    fn everyone() -> SharedSpec {
        shared(SharedKind::AllUsers, None, false)
    }

    fn rule(
        id: &str,
        module: &str,
        from: Option<SharedSpec>,
        criteria: Option<Value>,
        to: SharedSpec,
        permission: RulePermission,
        superiors: bool,
    ) -> Rule {
        Rule {
            id: RuleId(id.into()),
            module: module.into(),
            name: format!("rule {id}"),
            rule_type: if criteria.is_some() {
                RuleType::CriteriaBased
            } else {
                RuleType::RecordOwnerBased
            },
            permission_type: permission,
            superiors_allowed: superiors,
            status: RuleStatus::Active,
            criteria: criteria.map(Criteria::new),
            match_limit_exceeded: false,
            shared_from: from,
            shared_to: to,
        }
    }

    /// "ROB from roles X (subs false) to roles L (subs false)", the table's usual rule.
    fn x_to_l(permission: RulePermission, superiors: bool) -> Rule {
        rule(
            "R",
            "Leads",
            Some(roles("X", false)),
            None,
            roles("L", false),
            permission,
            superiors,
        )
    }

    fn x_to_all(id: &str, permission: RulePermission) -> Rule {
        rule(
            id,
            "Leads",
            Some(roles("X", false)),
            None,
            everyone(),
            permission,
            false,
        )
    }

    fn criteria_rule(id: &str, criteria: Value, permission: RulePermission) -> Rule {
        rule(
            id,
            "Leads",
            None,
            Some(criteria),
            everyone(),
            permission,
            false,
        )
    }

    fn city(value: &str) -> Value {
        json!({"comparator": "equal", "field": {"api_name": "City"}, "value": value})
    }

    fn set_profile(desc: &mut Desc, user: &str, profile: &str) {
        for u in &mut desc.users {
            if u.0 == user {
                u.2 = profile.to_owned();
            }
        }
    }

    fn set_reporting(desc: &mut Desc, user: &str, to: &str) {
        for u in &mut desc.users {
            if u.0 == user {
                u.3 = Some(to.to_owned());
            }
        }
    }

    fn share(
        desc: &mut Desc,
        record: &str,
        target: Option<(TargetKind, &str)>,
        permission: Permission,
    ) {
        desc.shares.push((
            record.to_owned(),
            target.map(|(kind, id)| (kind, id.to_owned())),
            permission,
        ));
    }

    struct Row {
        n: u32,
        setup: fn(&mut Desc),
        user: &'static str,
        record: &'static str,
        level: Level,
        uncapped: Level,
        grants: &'static [&'static str],
    }

    use HierarchyPreference::Reporting;
    use Level::{Full, None as Nothing, Read, ReadWrite};
    use Permission::{FullAccess, ReadOnly, ReadWrite as RW};
    use RulePermission::{Read as R, ReadWriteDelete as Rwd};
    use TargetKind::{Groups, Roles, Users};

    fn none(_: &mut Desc) {}

    fn row(
        n: u32,
        setup: fn(&mut Desc),
        user: &'static str,
        record: &'static str,
        level: Level,
        uncapped: Level,
        grants: &'static [&'static str],
    ) -> Row {
        Row {
            n,
            setup,
            user,
            record,
            level,
            uncapped,
            grants,
        }
    }

    fn table() -> Vec<Row> {
        vec![
            // Administrator profile.
            row(1, none, "a", "rX", Full, Full, &["admin_profile full"]),
            row(2, none, "a", "rL", Full, Full, &["admin_profile full"]),
            // Owner; peers without share_with_peers; hierarchy by role.
            row(3, none, "x1", "rX", Full, Full, &["owner full"]),
            row(4, none, "x2", "rX", Nothing, Nothing, &[]),
            row(5, none, "m", "rL", Full, Full, &["hierarchy full role"]),
            row(6, none, "t", "rL", Full, Full, &["hierarchy full role"]),
            row(7, none, "l", "rM", Nothing, Nothing, &[]),
            row(8, none, "l", "rD", Nothing, Nothing, &[]),
            row(9, none, "m", "rD", Full, Full, &["hierarchy full role"]),
            // Hierarchy by reporting lines.
            row(
                10,
                |d| d.preference = Reporting,
                "x1",
                "rL",
                Full,
                Full,
                &["hierarchy full reporting"],
            ),
            row(
                11,
                |d| d.preference = Reporting,
                "m",
                "rL",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                12,
                |d| {
                    d.preference = Reporting;
                    set_reporting(d, "x1", "d");
                },
                "m",
                "rL",
                Full,
                Full,
                &["hierarchy full reporting"],
            ),
            // Peers.
            row(13, none, "p2", "rP", Full, Full, &["peer full P"]),
            row(
                14,
                |d| d.preference = Reporting,
                "p2",
                "rP",
                Full,
                Full,
                &["peer full P"],
            ),
            row(
                15,
                |d| d.roles[3].2 = false,
                "p2",
                "rP",
                Nothing,
                Nothing,
                &[],
            ),
            // Org-wide defaults.
            row(
                16,
                |d| d.defaults.push(("Leads".into(), ShareType::PublicReadOnly)),
                "x2",
                "rX",
                Read,
                Read,
                &["org_default read public_read_only"],
            ),
            row(
                17,
                |d| {
                    d.defaults
                        .push(("Leads".into(), ShareType::PublicReadWrite))
                },
                "x2",
                "rX",
                ReadWrite,
                ReadWrite,
                &["org_default read_write public_read_write"],
            ),
            row(
                18,
                |d| d.defaults.push(("Leads".into(), ShareType::Public)),
                "x2",
                "rX",
                Full,
                Full,
                &["org_default full public"],
            ),
            row(
                19,
                |d| d.defaults.push(("Contacts".into(), ShareType::Public)),
                "x2",
                "rX",
                Nothing,
                Nothing,
                &[],
            ),
            // Record-owner-based rules: match, reach, superiors, status.
            row(
                20,
                |d| d.rules.push(x_to_l(R, false)),
                "l",
                "rX",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            row(
                21,
                |d| d.rules.push(x_to_l(Rwd, false)),
                "l",
                "rX",
                Full,
                Full,
                &["rule full grantee R"],
            ),
            row(
                22,
                |d| {
                    let mut r = x_to_l(R, false);
                    r.status = RuleStatus::Inactive;
                    d.rules.push(r);
                },
                "l",
                "rX",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                23,
                |d| d.rules.push(x_to_l(R, false)),
                "d",
                "rX",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            row(
                24,
                |d| d.rules.push(x_to_l(R, false)),
                "m",
                "rX",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                25,
                |d| d.rules.push(x_to_l(R, true)),
                "m",
                "rX",
                Read,
                Read,
                &["rule read superior R"],
            ),
            row(
                26,
                |d| d.rules.push(x_to_l(R, true)),
                "t",
                "rX",
                Read,
                Read,
                &["rule read superior R"],
            ),
            // m is on no reached user's line: l reports to x1, and d (also reached, role L)
            // reports to no one here.
            row(
                27,
                |d| {
                    d.rules.push(x_to_l(R, true));
                    d.preference = Reporting;
                    d.users[8].3 = None;
                },
                "m",
                "rX",
                Nothing,
                Nothing,
                &[],
            ),
            // The base org's d (disabled, role L) reports to m: a reached user's superior is
            // reached, disabled users included.
            row(
                270,
                |d| {
                    d.rules.push(x_to_l(R, true));
                    d.preference = Reporting;
                },
                "m",
                "rX",
                Read,
                Read,
                &["rule read superior R"],
            ),
            row(
                28,
                |d| {
                    d.rules.push(x_to_l(R, true));
                    d.preference = Reporting;
                    set_reporting(d, "l", "x2");
                },
                "x2",
                "rX",
                Read,
                Read,
                &["rule read superior R"],
            ),
            row(
                29,
                |d| {
                    d.rules.push(rule(
                        "R",
                        "Leads",
                        Some(roles("T", true)),
                        None,
                        everyone(),
                        R,
                        false,
                    ))
                },
                "x2",
                "rL",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            row(
                30,
                |d| {
                    d.rules.push(rule(
                        "R",
                        "Leads",
                        Some(roles("T", false)),
                        None,
                        everyone(),
                        R,
                        false,
                    ))
                },
                "x2",
                "rL",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                31,
                |d| {
                    d.rules.push(rule(
                        "R",
                        "Leads",
                        Some(groups("gM", true)),
                        None,
                        everyone(),
                        R,
                        false,
                    ))
                },
                "x2",
                "rL",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            row(
                32,
                |d| {
                    d.rules.push(rule(
                        "R",
                        "Leads",
                        Some(groups("gm", true)),
                        None,
                        everyone(),
                        R,
                        false,
                    ))
                },
                "x2",
                "rL",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                33,
                |d| {
                    d.rules.push(rule(
                        "R",
                        "Leads",
                        Some(roles("X", false)),
                        None,
                        roles("M", true),
                        R,
                        false,
                    ))
                },
                "l",
                "rX",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            row(
                34,
                |d| {
                    d.rules.push(rule(
                        "R",
                        "Leads",
                        Some(roles("X", false)),
                        None,
                        roles("M", true),
                        R,
                        true,
                    ))
                },
                "m",
                "rX",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            row(
                35,
                |d| {
                    d.rules.push(rule(
                        "R",
                        "Leads",
                        Some(roles("X", false)),
                        None,
                        roles("M", true),
                        R,
                        true,
                    ))
                },
                "t",
                "rX",
                Read,
                Read,
                &["rule read superior R"],
            ),
            row(
                36,
                |d| {
                    d.rules.push(rule(
                        "R",
                        "Leads",
                        Some(roles("X", false)),
                        None,
                        groups("gm", true),
                        R,
                        false,
                    ))
                },
                "l",
                "rX",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                37,
                |d| {
                    d.rules.push(rule(
                        "R",
                        "Leads",
                        Some(roles("X", false)),
                        None,
                        groups("gM", false),
                        R,
                        false,
                    ))
                },
                "d",
                "rX",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            // Criteria-based rules.
            row(
                38,
                |d| d.rules.push(criteria_rule("R", city("chennai"), R)),
                "x2",
                "rX",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            row(
                39,
                |d| {
                    d.rules.push(criteria_rule("R", json!({"comparator": "greater_than", "field": {"api_name": "Amount"}, "value": 10}), R))
                },
                "x2",
                "rX",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                40,
                |d| {
                    d.rules.push(criteria_rule(
                        "R",
                        json!({"group_operator": "or", "group": [city("x"),
                    {"comparator": "between", "field": {"api_name": "Amount"}, "value": [5, 10]}]}),
                        R,
                    ))
                },
                "x2",
                "rX",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            row(
                41,
                |d| {
                    d.rules.push(criteria_rule("R1", city("Chennai"), R));
                    d.rules.push(x_to_all("R2", Rwd));
                },
                "x2",
                "rX",
                Full,
                Full,
                &["rule read grantee R1", "rule full grantee R2"],
            ),
            // Shares: user, group, role, public.
            row(
                47,
                |d| share(d, "rX", Some((Users, "x2")), ReadOnly),
                "x2",
                "rX",
                Read,
                Read,
                &["share read x2"],
            ),
            row(
                48,
                |d| share(d, "rX", Some((Users, "x2")), RW),
                "x2",
                "rX",
                ReadWrite,
                ReadWrite,
                &["share read_write x2"],
            ),
            row(
                49,
                |d| share(d, "rX", Some((Users, "x2")), FullAccess),
                "x2",
                "rX",
                Full,
                Full,
                &["share full x2"],
            ),
            row(
                50,
                |d| share(d, "rX", Some((Groups, "gM")), RW),
                "l",
                "rX",
                ReadWrite,
                ReadWrite,
                &["group_share read_write gM"],
            ),
            row(
                51,
                |d| share(d, "rX", Some((Groups, "gm")), RW),
                "l",
                "rX",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                52,
                |d| share(d, "rX", Some((Roles, "L")), ReadOnly),
                "l",
                "rX",
                Read,
                Read,
                &["role_share read L"],
            ),
            row(
                53,
                |d| share(d, "rX", Some((Roles, "M")), ReadOnly),
                "l",
                "rX",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                54,
                |d| share(d, "rX", Some((Roles, "L")), ReadOnly),
                "m",
                "rX",
                Nothing,
                Nothing,
                &[],
            ),
            row(
                55,
                |d| share(d, "rX", None, RW),
                "t",
                "rX",
                ReadWrite,
                ReadWrite,
                &["public read_write rX"],
            ),
            row(
                56,
                |d| {
                    share(d, "rX", Some((Users, "x2")), ReadOnly);
                    d.defaults
                        .push(("Leads".into(), ShareType::PublicReadWrite));
                    d.rules.push(x_to_all("R", Rwd));
                },
                "x2",
                "rX",
                Full,
                Full,
                &[
                    "org_default read_write public_read_write",
                    "rule full grantee R",
                    "share read x2",
                ],
            ),
            // Profile caps, the owner's included.
            row(
                57,
                |d| {
                    share(d, "rX", Some((Users, "x2")), FullAccess);
                    set_profile(d, "x2", "RO");
                },
                "x2",
                "rX",
                Read,
                Full,
                &["share full x2"],
            ),
            row(
                58,
                |d| set_profile(d, "x1", "NoViewLeads"),
                "x1",
                "rX",
                Nothing,
                Full,
                &["owner full"],
            ),
            row(
                59,
                |d| set_profile(d, "x1", "NoViewLeads"),
                "x1",
                "rC",
                Full,
                Full,
                &["owner full"],
            ),
            row(
                60,
                |d| set_profile(d, "x1", "NoEditLeads"),
                "x1",
                "rX",
                Read,
                Full,
                &["owner full"],
            ),
            row(
                61,
                |d| set_profile(d, "x1", "NoDel"),
                "x1",
                "rX",
                ReadWrite,
                Full,
                &["owner full"],
            ),
            row(
                62,
                |d| set_profile(d, "x1", "RO"),
                "x1",
                "rX",
                Read,
                Full,
                &["owner full"],
            ),
            row(
                63,
                |d| {
                    d.rules.push(x_to_all("R", R));
                    set_profile(d, "x2", "RO");
                },
                "x2",
                "rX",
                Read,
                Read,
                &["rule read grantee R"],
            ),
            row(
                64,
                |d| {
                    share(d, "rX", Some((Users, "x2")), FullAccess);
                    set_profile(d, "x2", "ROEditLeads");
                },
                "x2",
                "rX",
                ReadWrite,
                Full,
                &["share full x2"],
            ),
            row(65, none, "a", "rC", Full, Full, &["admin_profile full"]),
            row(
                66,
                |d| d.records[0].2 = "a".into(),
                "a",
                "rX",
                Full,
                Full,
                &["owner full", "admin_profile full"],
            ),
            row(
                67,
                |d| {
                    d.defaults.push(("Leads".into(), ShareType::Public));
                    share(d, "rX", None, ReadOnly);
                },
                "a",
                "rX",
                Full,
                Full,
                &[
                    "org_default full public",
                    "public read rX",
                    "admin_profile full",
                ],
            ),
        ]
    }

    #[test]
    fn every_grant_and_every_cap_of_the_table() {
        for row in table() {
            let mut desc = base();
            (row.setup)(&mut desc);
            let built = build(&desc);
            let (level, uncapped, grants, running) = built.explain(row.user, row.record, T0);
            assert_eq!(
                (level, uncapped, grants.as_slice(), running),
                (
                    row.level,
                    row.uncapped,
                    row.grants
                        .iter()
                        .map(|g| g.to_string())
                        .collect::<Vec<_>>()
                        .as_slice(),
                    false
                ),
                "row {}: {} on {}",
                row.n,
                row.user,
                row.record
            );
        }
    }

    /// Rows 42-46: a running computation holds rule definitions, not results.
    #[test]
    fn a_running_computation_holds_the_rules_as_they_were() {
        let clock = |now, timer_ms| ChangeClock { now, timer_ms };
        // 42: deactivated while no computation runs, with a timer: the snapshot keeps it.
        let mut desc = base();
        desc.rules.push(x_to_all("R", R));
        let mut built = build(&desc);
        built
            .rules
            .set_status("Leads", "R", RuleStatus::Inactive, clock(T0, 60_000))
            .expect("deactivated");
        let during = T0.plus_ms(1);
        assert_eq!(
            built.explain("x2", "rX", during),
            (Read, Read, vec!["rule read grantee R".to_owned()], true)
        );
        assert_eq!(
            built.explain("x2", "rX", T0.plus_ms(60_000)),
            (Nothing, Nothing, vec![], false)
        );
        // 43: pinned with no rule; a rule created meanwhile counts once the flag is off.
        let mut desc = base();
        desc.pinned.push("Leads".into());
        let mut built = build(&desc);
        let spec = RuleSpec {
            name: "later".into(),
            rule_type: RuleType::RecordOwnerBased,
            permission_type: R,
            superiors_allowed: false,
            criteria: None,
            shared_from: Some(roles("X", false)),
            shared_to: everyone(),
        };
        built
            .rules
            .create(
                &built.directory,
                "Leads",
                RuleId::from("N"),
                spec,
                clock(T0, 0),
            )
            .expect("created while running");
        assert_eq!(built.level("x2", "rX", T0), Nothing);
        built.rules.pin_computation("Leads", false);
        assert_eq!(built.level("x2", "rX", T0), Read);
        // 44: the snapshot's criteria are evaluated on the record as it is now.
        let mut desc = base();
        desc.rules.push(criteria_rule("R", city("Pune"), R));
        desc.pinned.push("Leads".into());
        let mut built = build(&desc);
        assert_eq!(built.level("x2", "rX", T0), Nothing);
        let mut fields = serde_json::Map::new();
        fields.insert("City".into(), json!("Pune"));
        built.records.update(
            "rX",
            RecordChange {
                fields,
                owner: None,
                by: UserId::from("x1"),
                at: T0,
            },
        );
        assert_eq!(
            built.explain("x2", "rX", T0),
            (Read, Read, vec!["rule read grantee R".to_owned()], true)
        );
        // 45: org-wide defaults are always current.
        let mut desc = base();
        desc.pinned.push("Leads".into());
        let mut built = build(&desc);
        built
            .settings
            .update(&[(module("Leads"), ShareType::Public)]);
        assert_eq!(built.level("x2", "rX", T0), Full);
        // 46: the flag is per module.
        let mut desc = base();
        desc.rules.push(x_to_all("R", R));
        desc.pinned.push("Contacts".into());
        let mut built = build(&desc);
        built
            .rules
            .set_status("Leads", "R", RuleStatus::Inactive, clock(T0, 0))
            .expect("deactivated");
        assert_eq!(
            built.explain("x2", "rX", T0),
            (Nothing, Nothing, vec![], false)
        );
    }

    // ---- properties over random small orgs ----

    /// A seeded generator (fastrand's wyrand), so a failure names the seed that reproduces it.
    struct Rng(fastrand::Rng);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0.usize(..n.max(1))
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.0.u64(..100) < percent
        }

        fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
            &items[self.below(items.len())]
        }
    }

    const PROFILE_NAMES: [&str; 6] = ["Administrator", "Std", "Std", "RO", "NoDel", "NoEditLeads"];
    const CITIES: [&str; 3] = ["Chennai", "Pune", "Austin"];

    /// A random org: a roles forest, users with reporting lines (some disabled), groups from
    /// user and role sources, leads and contacts with fields, rules of both types (some
    /// inactive), shares that keep the share-set invariant, an org-wide default, a preference.
    fn random_org(rng: &mut Rng) -> Desc {
        let role_count = 1 + rng.below(5);
        let roles: Vec<(String, Option<String>, bool)> = (0..role_count)
            .map(|i| {
                let parent = (i > 0 && rng.chance(70)).then(|| format!("r{}", rng.below(i)));
                (format!("r{i}"), parent, rng.chance(30))
            })
            .collect();
        let user_count = 2 + rng.below(6);
        let users: Vec<_> = (0..user_count)
            .map(|i| {
                let to = (i > 0 && rng.chance(60)).then(|| format!("u{}", rng.below(i)));
                (
                    format!("u{i}"),
                    format!("r{}", rng.below(role_count)),
                    (*rng.pick(&PROFILE_NAMES)).to_owned(),
                    to,
                    rng.chance(85),
                )
            })
            .collect();
        let groups: Vec<_> = (0..rng.below(3))
            .map(|g| {
                let mut sources = Vec::new();
                for _ in 0..1 + rng.below(2) {
                    let source = if rng.chance(50) {
                        GroupSource::User(UserId::from(format!("u{}", rng.below(user_count))))
                    } else {
                        GroupSource::Role {
                            id: RoleId::from(format!("r{}", rng.below(role_count))),
                            subordinates: rng.chance(50),
                        }
                    };
                    if !sources.contains(&source) {
                        sources.push(source);
                    }
                }
                (format!("g{g}"), sources)
            })
            .collect();
        let records: Vec<_> = (0..1 + rng.below(6))
            .map(|i| {
                let module = if rng.chance(75) { "Leads" } else { "Contacts" };
                let fields = json!({"City": rng.pick(&CITIES), "Amount": rng.below(20)});
                (
                    module.to_owned(),
                    format!("{}", 100 + i),
                    format!("u{}", rng.below(user_count)),
                    fields,
                )
            })
            .collect();
        let mut desc = Desc {
            preference: if rng.chance(50) {
                HierarchyPreference::Role
            } else {
                Reporting
            },
            roles,
            users,
            profiles: profiles(),
            groups,
            records,
            rules: Vec::new(),
            shares: Vec::new(),
            defaults: Vec::new(),
            pinned: Vec::new(),
        };
        for i in 0..rng.below(4) {
            desc.rules.push(random_rule(rng, &desc, &format!("q{i}")));
        }
        let records = desc.records.clone();
        for (_, id, owner, _) in &records {
            if rng.chance(15) {
                share(&mut desc, id, None, *rng.pick(&[ReadOnly, RW, FullAccess]));
                continue;
            }
            for _ in 0..rng.below(3) {
                let target = random_target(rng, &desc);
                let taken = desc.shares.iter().any(|(r, t, _)| {
                    r == id
                        && t.as_ref()
                            .is_some_and(|(k, i)| (*k, i.as_str()) == (target.0, target.1.as_str()))
                });
                if taken || (target.0 == Users && &target.1 == owner) {
                    continue;
                }
                desc.shares.push((
                    id.clone(),
                    Some(target),
                    *rng.pick(&[ReadOnly, RW, FullAccess]),
                ));
            }
        }
        if rng.chance(30) {
            let share_type = *rng.pick(&[
                ShareType::PublicReadOnly,
                ShareType::PublicReadWrite,
                ShareType::Public,
            ]);
            desc.defaults.push(("Leads".into(), share_type));
        }
        desc
    }

    fn random_spec(rng: &mut Rng, desc: &Desc, all_users: bool) -> SharedSpec {
        match rng.below(if all_users { 3 } else { 2 }) {
            0 => roles(&rng.pick(&desc.roles).0.clone(), rng.chance(50)),
            1 if !desc.groups.is_empty() => {
                groups(&rng.pick(&desc.groups).0.clone(), rng.chance(50))
            }
            1 => roles(&rng.pick(&desc.roles).0.clone(), false),
            _ => everyone(),
        }
    }

    fn random_rule(rng: &mut Rng, desc: &Desc, id: &str) -> Rule {
        let module = if rng.chance(75) { "Leads" } else { "Contacts" };
        let to = random_spec(rng, desc, true);
        let permission = if rng.chance(50) { R } else { Rwd };
        let mut made = if rng.chance(50) {
            let from = random_spec(rng, desc, false);
            rule(id, module, Some(from), None, to, permission, rng.chance(50))
        } else {
            let criteria = if rng.chance(50) {
                city(CITIES[rng.below(CITIES.len())])
            } else {
                json!({"comparator": "greater_than", "field": {"api_name": "Amount"}, "value": rng.below(20)})
            };
            rule(
                id,
                module,
                None,
                Some(criteria),
                to,
                permission,
                rng.chance(50),
            )
        };
        if rng.chance(30) {
            made.status = RuleStatus::Inactive;
        }
        made
    }

    fn random_target(rng: &mut Rng, desc: &Desc) -> (TargetKind, String) {
        match rng.below(3) {
            0 if !desc.groups.is_empty() => (Groups, rng.pick(&desc.groups).0.clone()),
            1 => (Roles, rng.pick(&desc.roles).0.clone()),
            _ => (Users, rng.pick(&desc.users).0.clone()),
        }
    }

    /// Every (user, record) level of an org.
    fn levels(built: &Built, desc: &Desc) -> Vec<((String, String), Level)> {
        let mut all = Vec::new();
        for (user, ..) in &desc.users {
            for (_, record, ..) in &desc.records {
                all.push((
                    (user.clone(), record.clone()),
                    built.level(user, record, T0),
                ));
            }
        }
        all
    }

    /// `after` is nowhere below `before`, pair by pair (or nowhere above, with `lower`).
    fn assert_monotone(before: &Desc, after: &Desc, raising: bool, what: &str, seed: u64) {
        let (a, b) = (build(before), build(after));
        for ((pair, old), (_, new)) in levels(&a, before).iter().zip(levels(&b, after)) {
            let ok = if raising { new >= *old } else { new <= *old };
            assert!(
                ok,
                "seed {seed}: {what} moved {pair:?} from {old:?} to {new:?}"
            );
        }
    }

    const SEEDS: u64 = 300;

    #[test]
    fn adding_a_share_or_activating_a_rule_never_lowers_a_level() {
        for seed in 1..=SEEDS {
            let mut rng = Rng(fastrand::Rng::with_seed(
                seed.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            ));
            let desc = random_org(&mut rng);
            // A share to a new target of a record without a public share.
            let (_, record, owner, _) = rng.pick(&desc.records).clone();
            let public = desc
                .shares
                .iter()
                .any(|(r, t, _)| *r == record && t.is_none());
            let target = random_target(&mut rng, &desc);
            let taken = desc.shares.iter().any(|(r, t, _)| {
                *r == record
                    && t.as_ref()
                        .is_some_and(|(k, i)| *k == target.0 && *i == target.1)
            });
            if !(public || taken || target.0 == Users && target.1 == owner) {
                let mut shared = desc.clone();
                shared
                    .shares
                    .push((record, Some(target), *rng.pick(&[ReadOnly, RW, FullAccess])));
                assert_monotone(&desc, &shared, true, "a new share", seed);
            }
            // Activating an inactive rule; adding a new active one.
            if let Some(at) = desc.rules.iter().position(|r| !r.is_active()) {
                let mut active = desc.clone();
                active.rules[at].status = RuleStatus::Active;
                assert_monotone(&desc, &active, true, "activating a rule", seed);
            }
            let mut more = desc.clone();
            more.rules.push(random_rule(&mut rng, &desc, "extra"));
            more.rules.last_mut().expect("a rule").status = RuleStatus::Active;
            assert_monotone(&desc, &more, true, "a new rule", seed);
        }
    }

    #[test]
    fn revoking_a_share_or_deactivating_a_rule_never_raises_a_level() {
        for seed in 1..=SEEDS {
            let mut rng = Rng(fastrand::Rng::with_seed(
                seed.wrapping_mul(0xD1B5_4A32_D192_ED03),
            ));
            let desc = random_org(&mut rng);
            if !desc.shares.is_empty() {
                let mut revoked = desc.clone();
                revoked.shares.remove(rng.below(desc.shares.len()));
                assert_monotone(&desc, &revoked, false, "revoking a share", seed);
                let mut all_gone = desc.clone();
                let (record, ..) = rng.pick(&desc.shares).clone();
                all_gone.shares.retain(|(r, ..)| *r != record);
                assert_monotone(&desc, &all_gone, false, "revoking a record's shares", seed);
            }
            if let Some(at) = desc.rules.iter().position(Rule::is_active) {
                let mut inactive = desc.clone();
                inactive.rules[at].status = RuleStatus::Inactive;
                assert_monotone(&desc, &inactive, false, "deactivating a rule", seed);
            }
        }
    }

    #[test]
    fn an_administrator_always_gets_full_and_the_level_is_the_capped_maximum() {
        for seed in 1..=SEEDS {
            let mut rng = Rng(fastrand::Rng::with_seed(
                seed.wrapping_mul(0x94D0_49BB_1331_11EB),
            ));
            let desc = random_org(&mut rng);
            let built = build(&desc);
            for (user, _, profile, ..) in &desc.users {
                for (_, record, ..) in &desc.records {
                    let (level, uncapped, grants, _) = built.explain(user, record, T0);
                    if profile == "Administrator" {
                        assert_eq!(level, Full, "seed {seed}: {user} on {record}");
                        assert_eq!(
                            grants.last().map(String::as_str),
                            Some("admin_profile full")
                        );
                    }
                    let record = built.records.get(record).expect("a record");
                    let viewer = built.viewer(user, &record.module, T0);
                    let explanation = viewer.explain(record, built.shares.of(record.id.as_str()));
                    let highest = explanation
                        .grants
                        .iter()
                        .map(|g| g.level)
                        .max()
                        .unwrap_or(Nothing);
                    assert_eq!(uncapped, highest, "seed {seed}");
                    assert_eq!(level, explanation.permissions.cap(highest), "seed {seed}");
                    assert_eq!(explanation.capped_by_profile(), level < uncapped);
                }
            }
        }
    }
}

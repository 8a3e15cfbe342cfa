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

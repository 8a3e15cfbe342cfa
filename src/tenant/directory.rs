//! The org's directory: users, roles (a forest, the role tree), groups (whose members come
//! from their sources), profiles and the org's hierarchy preference, looked up by id, email and
//! name. The API never changes it; only a fixture (or a state import) does, after checking it
//! whole. Group membership and the roles below a role are computed when asked, so a user whose
//! role changes changes groups with it.

use serde::{Deserialize, Serialize};

use crate::ids::{GroupId, IdMap, RoleId, UserId};
use crate::str_enum::str_enum;

use super::profiles::{ADMINISTRATOR_PROFILE, Profile};

/// Whether a user may sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Signs in, may be shared with.
    Active,
    /// Tokens stop working; existing shares stay.
    Disabled,
}

str_enum! {
    /// A user's Zoho Analytics org role (fixture key `analytics_role`, DESIGN §3): it decides
    /// every Analytics permission, v1 and v2 alike; the CRM ignores it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum AnalyticsRole {
        AccountAdmin = "ACCOUNTADMIN",
        OrgAdmin = "ORGADMIN",
        User = "USER",
        Viewer = "VIEWER",
    }
}

impl AnalyticsRole {
    /// The role of a user whose fixture gives none: an `Administrator` profile is an Account
    /// Admin, every other profile a plain user (spec analytics-v2-sharing.md §1.3).
    pub fn default_for_profile(profile: &str) -> Self {
        if profile == ADMINISTRATOR_PROFILE {
            AnalyticsRole::AccountAdmin
        } else {
            AnalyticsRole::User
        }
    }
}

/// A user of the org.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub full_name: String,
    pub role: RoleId,
    /// A profile name; `Administrator` may do everything.
    pub profile: String,
    pub status: UserStatus,
    /// The Analytics org role.
    pub analytics_role: AnalyticsRole,
    /// `"7"` and the id's last 8 digits unless the fixture gives one (spec README §3).
    pub zuid: String,
    /// The user's manager (`Reporting_To`); the superior under the `reporting` preference.
    pub reporting_to: Option<UserId>,
}

impl User {
    pub fn is_active(&self) -> bool {
        self.status == UserStatus::Active
    }

    pub fn is_administrator(&self) -> bool {
        self.profile == ADMINISTRATOR_PROFILE
    }
}

/// `"7"` followed by the user id's last 8 digits: `4150868000001174048` -> `701174048`.
pub fn derive_zuid(user_id: &str) -> String {
    let tail = &user_id[user_id.len().saturating_sub(8)..];
    format!("7{tail}")
}

/// A role of the org.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    /// The parent role in the role tree; `None` for a top role.
    pub reporting_to: Option<RoleId>,
    /// Users of this role see each other's records.
    pub share_with_peers: bool,
    pub description: Option<String>,
}

/// Who a group's members are: a user, or the users of a role (and of every role below it
/// with `subordinates`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupSource {
    User(UserId),
    Role { id: RoleId, subordinates: bool },
}

/// A group of users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub description: Option<String>,
    /// In fixture order; no source twice.
    pub sources: Vec<GroupSource>,
}

str_enum! {
    /// Who counts as a user's superior: users in higher roles, or the users up the
    /// `reporting_to` line (DESIGN §3).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub enum HierarchyPreference {
        #[default]
        Role = "role",
        Reporting = "reporting",
    }
}

/// A group's sources counted as `GET /settings/user_groups/{id}/actions/sources_count` shows
/// them: `users` sources by their user's status, and `roles` sources.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SourceCounts {
    pub roles: usize,
    pub active_users: usize,
    /// Users sources whose user is disabled (Zoho's `inactive`).
    pub inactive_users: usize,
}

/// What is wrong with one link of a reporting line (a role's parent, a user's manager).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineProblem<'a> {
    /// The line names nothing of its kind in the org.
    Unknown,
    /// The line names the item itself.
    ItSelf,
    /// Following the line comes back to this id.
    LoopsBackTo(&'a str),
}

/// Whether the line up from `start` (whose next link is `parent`) is sound: `parent_of` gives
/// each known id's next link (`None` for an unknown id). Roles form a forest and reporting
/// lines end, so walking up never meets an id twice; the fixture and every unit test use this
/// one rule for both kinds of line. A line that runs into a loop it is not part of, or into a
/// link that names itself, is sound as far as `start` goes: the problem is reported at the
/// items that make it, so the message names the link to fix.
pub fn line_problem<'a>(
    start: &'a str,
    parent: Option<&'a str>,
    parent_of: impl Fn(&str) -> Option<Option<&'a str>>,
) -> Option<LineProblem<'a>> {
    let first = parent?;
    if first == start {
        return Some(LineProblem::ItSelf);
    }
    if parent_of(first).is_none() {
        return Some(LineProblem::Unknown);
    }
    let mut seen: Vec<&str> = vec![start];
    let mut current = first;
    loop {
        if current == start {
            return Some(LineProblem::LoopsBackTo(current));
        }
        if seen.contains(&current) {
            // A loop further up, which its own members report.
            return None;
        }
        seen.push(current);
        match parent_of(current) {
            Some(Some(next)) => current = next,
            // The top of the line, or an unknown link reported at its own item.
            Some(None) | None => return None,
        }
    }
}

/// Users, roles, groups and profiles, in fixture order (the order the API lists them in), with
/// an index by id of each, so that a lookup never walks the org: record access follows role
/// and reporting lines one lookup per step.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    hierarchy_preference: HierarchyPreference,
    profiles: Vec<Profile>,
    users: Vec<User>,
    roles: Vec<Role>,
    groups: Vec<Group>,
    /// Position in `users`, `roles`, `groups` by id; built once, as the directory never changes.
    user_at: IdMap<String, usize>,
    role_at: IdMap<String, usize>,
    group_at: IdMap<String, usize>,
}

/// Each id's position in `items` (the first one when an id repeats).
fn positions<T>(items: &[T], id: impl Fn(&T) -> &str) -> IdMap<String, usize> {
    let mut at = IdMap::with_capacity_and_hasher(items.len(), Default::default());
    for (index, item) in items.iter().enumerate() {
        at.entry(id(item).to_owned()).or_insert(index);
    }
    at
}

impl Directory {
    /// A directory the caller has checked whole: unique decimal ids and emails, every role,
    /// reporting line, group source and profile name resolved, no line looping
    /// (`tenant`'s fixture section does).
    pub fn new(
        hierarchy_preference: HierarchyPreference,
        profiles: Vec<Profile>,
        users: Vec<User>,
        roles: Vec<Role>,
        groups: Vec<Group>,
    ) -> Self {
        Directory {
            user_at: positions(&users, |u| u.id.as_str()),
            role_at: positions(&roles, |r| r.id.as_str()),
            group_at: positions(&groups, |g| g.id.as_str()),
            hierarchy_preference,
            profiles,
            users,
            roles,
            groups,
        }
    }

    pub fn hierarchy_preference(&self) -> HierarchyPreference {
        self.hierarchy_preference
    }

    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    /// The profile of this name (exact comparison).
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    pub fn profile_by_id(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id.as_str() == id)
    }

    pub fn users(&self) -> &[User] {
        &self.users
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.user_at.get(id).map(|&at| &self.users[at])
    }

    /// Where a user is in [`Directory::users`]: a key for per-user tables.
    pub fn user_position(&self, id: &str) -> Option<usize> {
        self.user_at.get(id).copied()
    }

    /// Emails compare ignoring ASCII case.
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.role_at.get(id).map(|&at| &self.roles[at])
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.group_at.get(id).map(|&at| &self.groups[at])
    }

    /// The id of the profile a user names (always declared or derived: the fixture checks it).
    pub fn profile_id(&self, profile: &str) -> Option<&str> {
        self.profile(profile).map(|p| p.id.as_str())
    }

    /// The user a user reports to.
    pub fn reporting_to(&self, user: &User) -> Option<&User> {
        user.reporting_to
            .as_ref()
            .and_then(|id| self.user(id.as_str()))
    }

    /// The parent of a role in the role tree.
    pub fn parent_role(&self, role: &Role) -> Option<&Role> {
        role.reporting_to
            .as_ref()
            .and_then(|id| self.role(id.as_str()))
    }

    /// A group's sources counted by kind (and `users` sources by their user's status).
    pub fn source_counts(&self, group: &Group) -> SourceCounts {
        let mut counts = SourceCounts::default();
        for source in &group.sources {
            match source {
                GroupSource::Role { .. } => counts.roles += 1,
                GroupSource::User(id) => match self.user(id.as_str()) {
                    Some(user) if user.is_active() => counts.active_users += 1,
                    Some(_) => counts.inactive_users += 1,
                    None => {}
                },
            }
        }
        counts
    }

    /// The first Administrator's email (`primary_email` of `GET /crm/{v}/org`).
    pub fn primary_email(&self) -> Option<&str> {
        self.users
            .iter()
            .find(|u| u.is_administrator())
            .map(|u| u.email.as_str())
    }

    /// Every id the directory holds.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.users
            .iter()
            .map(|u| u.id.as_str())
            .chain(self.roles.iter().map(|r| r.id.as_str()))
            .chain(self.groups.iter().map(|g| g.id.as_str()))
    }
}

/// The role tree, reporting lines and group membership, as the access model reads them
/// (spec crm-records-and-access.md §4.3-§4.4: superiors, groups of a rule or share). Each walks
/// one line up the tree (a lookup per step) or a group's sources; none walks the org's users.
impl Directory {
    /// Whether `role` lies strictly below `ancestor` in the role tree.
    pub fn is_below(&self, role: &str, ancestor: &str) -> bool {
        let mut current = self.role(role).and_then(|r| self.parent_role(r));
        // A loaded tree never loops; the bound keeps a broken one from hanging a request.
        for _ in 0..self.roles.len() {
            match current {
                Some(r) if r.id.as_str() == ancestor => return true,
                Some(r) => current = self.parent_role(r),
                None => return false,
            }
        }
        false
    }

    /// The roles strictly below a role, in fixture order.
    #[cfg(test)]
    pub fn roles_below(&self, role: &str) -> Vec<&Role> {
        self.roles
            .iter()
            .filter(|r| self.is_below(r.id.as_str(), role))
            .collect()
    }

    /// A group's members from its sources, in source order, each user once (disabled users
    /// included; callers that need active ones filter).
    #[cfg(test)]
    pub fn members(&self, group: &Group) -> Vec<&User> {
        let mut members: Vec<&User> = Vec::new();
        for source in &group.sources {
            for user in self.users.iter().filter(|u| self.source_has(source, u)) {
                if !members.iter().any(|m| m.id == user.id) {
                    members.push(user);
                }
            }
        }
        members
    }

    /// Whether one source brings in this user.
    fn source_has(&self, source: &GroupSource, user: &User) -> bool {
        match source {
            GroupSource::User(id) => user.id == *id,
            GroupSource::Role { id, subordinates } => {
                user.role == *id
                    || (*subordinates && self.is_below(user.role.as_str(), id.as_str()))
            }
        }
    }

    /// Whether a user is a member of a group: one of its sources brings the user in.
    pub fn is_member(&self, group: &Group, user: &User) -> bool {
        group
            .sources
            .iter()
            .any(|source| self.source_has(source, user))
    }

    /// Whether `superior` is above `user` under the org's hierarchy preference (spec
    /// crm-records-and-access.md §4.3): a role reached by following `reporting_to` up from the
    /// user's role (at least one step), or a user reached up the user's `reporting_to` line.
    /// Peers (the same role) are never superiors of each other; lines run through disabled users.
    pub fn is_superior(&self, superior: &User, user: &User) -> bool {
        match self.hierarchy_preference {
            HierarchyPreference::Role => self.is_below(user.role.as_str(), superior.role.as_str()),
            HierarchyPreference::Reporting => {
                let mut current = self.reporting_to(user);
                // A loaded line never loops; the bound keeps a broken one from hanging a request.
                for _ in 0..self.users.len() {
                    match current {
                        Some(manager) if manager.id == superior.id => return true,
                        Some(manager) => current = self.reporting_to(manager),
                        None => return false,
                    }
                }
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zuid_is_seven_and_last_eight_digits() {
        assert_eq!(derive_zuid("4150868000001174048"), "701174048");
        assert_eq!(derive_zuid("42"), "742");
    }

    /// `(id, parent)` pairs as a lookup for [`line_problem`].
    fn lines<'a>(
        pairs: &'a [(&'a str, Option<&'a str>)],
    ) -> impl Fn(&str) -> Option<Option<&'a str>> {
        move |id| pairs.iter().find(|(i, _)| *i == id).map(|(_, p)| *p)
    }

    #[test]
    fn reporting_lines_end_and_never_loop() {
        // CEO > Manager > Sales Rep, Support Agent.
        let tree = [
            ("ceo", None),
            ("mgr", Some("ceo")),
            ("rep", Some("mgr")),
            ("agent", Some("mgr")),
        ];
        for (id, parent) in tree {
            assert_eq!(line_problem(id, parent, lines(&tree)), None, "{id}");
        }
        let looped = [
            ("ceo", None),
            ("mgr", Some("ceo")),
            ("rep", Some("agent")),
            ("agent", Some("rep")),
        ];
        assert_eq!(
            line_problem("rep", Some("agent"), lines(&looped)),
            Some(LineProblem::LoopsBackTo("rep"))
        );
        // A line that runs into a loop it is not part of is left to the loop's members, which
        // report it where they name each other.
        let into = [("a", Some("b")), ("b", Some("c")), ("c", Some("b"))];
        assert_eq!(line_problem("a", Some("b"), lines(&into)), None);
        assert_eq!(
            line_problem("b", Some("c"), lines(&into)),
            Some(LineProblem::LoopsBackTo("b"))
        );
        // The same for a link further up that names itself.
        let selfish = [("a", Some("b")), ("b", Some("b"))];
        assert_eq!(line_problem("a", Some("b"), lines(&selfish)), None);
        assert_eq!(
            line_problem("b", Some("b"), lines(&selfish)),
            Some(LineProblem::ItSelf)
        );
        assert_eq!(
            line_problem("mgr", Some("mgr"), lines(&tree)),
            Some(LineProblem::ItSelf)
        );
        assert_eq!(
            line_problem("mgr", Some("nobody"), lines(&tree)),
            Some(LineProblem::Unknown)
        );
    }

    fn user(id: &str, role: &str, status: UserStatus) -> User {
        User {
            id: UserId(id.into()),
            email: format!("{id}@x.com"),
            full_name: id.to_uppercase(),
            role: RoleId(role.into()),
            profile: "Standard".into(),
            status,
            zuid: derive_zuid(id),
            reporting_to: None,
            analytics_role: AnalyticsRole::User,
        }
    }

    fn role(id: &str, parent: Option<&str>) -> Role {
        Role {
            id: RoleId(id.into()),
            name: id.into(),
            reporting_to: parent.map(RoleId::from),
            share_with_peers: false,
            description: None,
        }
    }

    fn directory(groups: Vec<Group>) -> Directory {
        Directory::new(
            HierarchyPreference::Role,
            Vec::new(),
            vec![
                user("1", "ceo", UserStatus::Active),
                user("2", "mgr", UserStatus::Active),
                user("3", "rep", UserStatus::Active),
                user("4", "rep", UserStatus::Disabled),
                user("5", "agent", UserStatus::Active),
            ],
            vec![
                role("ceo", None),
                role("mgr", Some("ceo")),
                role("rep", Some("mgr")),
                role("agent", Some("mgr")),
            ],
            groups,
        )
    }

    fn group(sources: Vec<GroupSource>) -> Group {
        Group {
            id: GroupId("9".into()),
            name: "G".into(),
            description: None,
            sources,
        }
    }

    fn ids(users: Vec<&User>) -> Vec<&str> {
        users.into_iter().map(|u| u.id.as_str()).collect()
    }

    #[test]
    fn the_role_tree_below_a_role() {
        let d = directory(Vec::new());
        assert!(d.is_below("rep", "ceo"));
        assert!(d.is_below("rep", "mgr"));
        assert!(!d.is_below("mgr", "rep"));
        assert!(!d.is_below("ceo", "ceo"), "strictly below");
        assert!(
            !d.is_below("agent", "rep"),
            "peers are not below each other"
        );
        let below: Vec<&str> = d.roles_below("mgr").iter().map(|r| r.id.as_str()).collect();
        assert_eq!(below, ["rep", "agent"]);
        assert!(d.roles_below("agent").is_empty());
    }

    #[test]
    fn group_members_come_from_the_sources() {
        let role = |id: &str, subordinates| GroupSource::Role {
            id: RoleId(id.into()),
            subordinates,
        };
        let d = directory(Vec::new());
        // A user, then a role's users (the disabled one too), each user once.
        let g = group(vec![
            GroupSource::User(UserId("3".into())),
            role("rep", false),
        ]);
        assert_eq!(ids(d.members(&g)), ["3", "4"]);
        // A role without and with its subordinates.
        assert_eq!(ids(d.members(&group(vec![role("mgr", false)]))), ["2"]);
        assert_eq!(
            ids(d.members(&group(vec![role("mgr", true)]))),
            ["2", "3", "4", "5"]
        );
        let user_5 = d.user("5").unwrap();
        let user_3 = d.user("3").unwrap();
        assert!(d.is_member(&group(vec![role("ceo", true)]), user_5));
        assert!(!d.is_member(&group(vec![role("agent", true)]), user_3));
        assert_eq!(
            d.source_counts(&group(vec![
                GroupSource::User(UserId("1".into())),
                GroupSource::User(UserId("4".into())),
                role("agent", false),
            ])),
            SourceCounts {
                roles: 1,
                active_users: 1,
                inactive_users: 1
            }
        );
        // A user whose role changes changes groups with it.
        let mut moved = directory(Vec::new());
        moved.users[4].role = RoleId("rep".into());
        assert_eq!(
            ids(moved.members(&group(vec![role("rep", false)]))),
            ["3", "4", "5"]
        );
    }
}

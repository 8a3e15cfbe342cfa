//! The org's directory: users, roles and groups, looked up by id and email. The API never
//! changes it; only a fixture (or a state import) does, after checking it whole.

use serde::{Deserialize, Serialize};

use crate::ids::{GroupId, RoleId, UserId};
use crate::str_enum::str_enum;

/// The profile that may do everything (DESIGN §2).
pub const ADMINISTRATOR_PROFILE: &str = "Administrator";

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
}

/// A group of users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub members: Vec<UserId>,
}

/// Users, roles and groups, in fixture order (the order `GET /crm/{v}/users` lists and
/// profile ids count in).
#[derive(Clone, Debug, Default)]
pub struct Directory {
    users: Vec<User>,
    roles: Vec<Role>,
    groups: Vec<Group>,
}

impl Directory {
    /// A directory the caller has checked whole: unique decimal ids and emails, every role,
    /// group member and profile name resolved (`tenant`'s fixture section does).
    pub fn new(users: Vec<User>, roles: Vec<Role>, groups: Vec<Group>) -> Self {
        Directory {
            users,
            roles,
            groups,
        }
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
        self.users.iter().find(|u| u.id.as_str() == id)
    }

    /// Emails compare ignoring ASCII case.
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id.as_str() == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id.as_str() == id)
    }

    /// Profiles are only named in fixtures; each distinct name gets an id by order of first
    /// appearance among the org's users (spec auth-and-errors.md §5).
    pub fn profile_id(&self, profile: &str) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for user in &self.users {
            if !seen.contains(&user.profile.as_str()) {
                seen.push(&user.profile);
            }
        }
        let index = seen
            .iter()
            .position(|p| *p == profile)
            .unwrap_or(seen.len())
            + 1;
        format!("3602353000000026{index:03}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zuid_is_seven_and_last_eight_digits() {
        assert_eq!(derive_zuid("4150868000001174048"), "701174048");
        assert_eq!(derive_zuid("42"), "742");
    }
}

//! Analytics workspaces: the one state every Analytics API (v1 and v2) reads and writes
//! (spec analytics-v2-sharing.md §1). A workspace has an owner, users (some of them admins, some
//! deactivated), folders, views, groups of its users and view shares to users and groups.
//!
//! Emails compare ignoring ASCII case everywhere and are stored as the org's user record spells
//! them. Every change is a method that checks the whole batch before it changes anything, so a
//! refused request leaves the workspace as it was. The invariants, which the fixture section
//! checks with JSON paths and the API keeps:
//! - the owner is never in `users` (nor in `admins`);
//! - `admins` and `inactive_users` are subsets of `users`; no Viewer is an admin;
//! - folder, view and group names are unique in the workspace ignoring case;
//! - group members are the owner or users;
//! - a share names a view of the workspace and a user of `users` (never the view's owner) or a
//!   group of the workspace, at most once per (view, target), and always grants `read`.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::dirty::Dirty;
use crate::str_enum::str_enum;
use crate::tenant::directory::{AnalyticsRole, Directory, User};

use super::permissions::{Permission, PermissionSet};

/// Emails are compared ignoring ASCII case (spec §1.2).
pub fn same_email(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Folder, view and group names are unique in a workspace ignoring case (DESIGN §3; 7282).
pub fn same_name(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

str_enum! {
    /// A view's type; the v2 `viewTypes` filter numbers them in this order (spec §5.4).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ViewType {
        #[default]
        Table = "Table",
        Report = "Report",
        AnalysisView = "AnalysisView",
        Pivot = "Pivot",
        SummaryView = "SummaryView",
        TableView = "TableView",
        QueryTable = "QueryTable",
        Dashboard = "Dashboard",
    }
}

impl ViewType {
    /// `0` Table ... `7` Dashboard (spec §5.4 `viewTypes`).
    pub fn from_code(code: i64) -> Option<ViewType> {
        let index = usize::try_from(code).ok()?;
        ViewType::TEXTS
            .get(index)
            .and_then(|text| ViewType::parse(text))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folder {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub id: String,
    pub name: String,
    pub kind: ViewType,
    /// The email of the view's owner (a user of the org).
    pub owner: String,
    pub description: String,
    /// A folder of the workspace; empty until the fixture's default folder is minted.
    pub folder: String,
    /// Another view of the workspace.
    pub parent: Option<String>,
    pub created_time: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Emails of the owner or of users, in the order they joined.
    pub members: Vec<String>,
}

impl Group {
    pub fn has_member(&self, email: &str) -> bool {
        self.members.iter().any(|m| same_email(m, email))
    }
}

/// Who a share is to: a user of the workspace (by email) or one of its groups (by id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareTarget {
    User(String),
    Group(String),
}

impl ShareTarget {
    fn is(&self, other: &ShareTarget) -> bool {
        match (self, other) {
            (ShareTarget::User(a), ShareTarget::User(b)) => same_email(a, b),
            (ShareTarget::Group(a), ShareTarget::Group(b)) => a == b,
            _ => false,
        }
    }
}

/// `{"tableName", "columnNames"}`: stored as given, never checked against a table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnList {
    pub table_name: String,
    pub column_names: Vec<String>,
}

/// What a share grants, apart from who made it and when.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShareContent {
    pub permissions: PermissionSet,
    /// Stored as given, not parsed.
    pub criteria: String,
    pub inherit_parent_filter_criteria: bool,
    pub columns: Vec<ColumnList>,
    pub vud_columns: Vec<ColumnList>,
    pub drill_columns: Vec<ColumnList>,
    pub include_all_cols_for_vud: bool,
}

/// One view shared with one target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub view: String,
    pub target: ShareTarget,
    pub content: ShareContent,
    /// The email of whoever made or last changed it.
    pub shared_by: String,
    pub shared_time: Timestamp,
}

/// The parts of a share an update names; `None` leaves that part as it is (spec §7.4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShareUpdate {
    /// Replaces the whole set.
    pub permissions: Option<PermissionSet>,
    pub criteria: Option<String>,
    pub inherit_parent_filter_criteria: Option<bool>,
    pub columns: Option<Vec<ColumnList>>,
    pub vud_columns: Option<Vec<ColumnList>>,
    pub drill_columns: Option<Vec<ColumnList>>,
    pub include_all_cols_for_vud: Option<bool>,
}

impl ShareUpdate {
    fn apply(&self, content: &mut ShareContent) {
        if let Some(permissions) = self.permissions {
            content.permissions = permissions;
        }
        if let Some(criteria) = &self.criteria {
            content.criteria.clone_from(criteria);
        }
        if let Some(flag) = self.inherit_parent_filter_criteria {
            content.inherit_parent_filter_criteria = flag;
        }
        if let Some(columns) = &self.columns {
            content.columns.clone_from(columns);
        }
        if let Some(columns) = &self.vud_columns {
            content.vud_columns.clone_from(columns);
        }
        if let Some(columns) = &self.drill_columns {
            content.drill_columns.clone_from(columns);
        }
        if let Some(flag) = self.include_all_cols_for_vud {
            content.include_all_cols_for_vud = flag;
        }
    }
}

/// What a second share of an existing (view, target) pair does: v2 refuses it (7321, 7322), v1
/// SHARE replaces the record (spec §1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnExisting {
    Refuse,
    Replace,
}

/// A batch of new shares: every view of `views` to every email and every group.
#[derive(Clone, Copy, Debug)]
pub struct ShareBatch<'a> {
    /// View ids of this workspace.
    pub views: &'a [String],
    /// Emails as sent (trimmed, without duplicates).
    pub emails: &'a [String],
    /// Group ids of this workspace.
    pub groups: &'a [String],
    pub content: &'a ShareContent,
    /// The caller's email.
    pub sharer: &'a str,
    pub now: Timestamp,
    pub on_existing: OnExisting,
}

/// A change to the shares of one view with some emails and groups (spec §7.4).
#[derive(Clone, Copy, Debug)]
pub struct ShareChange<'a> {
    pub view: &'a str,
    /// Emails as sent (trimmed, without duplicates).
    pub emails: &'a [String],
    /// Group ids of this workspace.
    pub groups: &'a [String],
    pub update: &'a ShareUpdate,
    /// The caller's email.
    pub sharer: &'a str,
    pub now: Timestamp,
}

/// Which shares of the targets a removal takes (spec §7.5, §10.2).
#[derive(Clone, Copy, Debug)]
pub enum Removal<'a> {
    /// Exactly these (view, target) pairs, each of which must exist.
    Views(&'a [String]),
    /// Every share of the targets in the workspace.
    AllViews,
}

/// A workspace role given through `…/users` (spec §8.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkspaceRole {
    User,
    WorkspaceAdmin,
}

/// Whether making an admin may also make a workspace user: v1 ADDDBOWNER does, v2
/// `POST …/admins` refuses a non-member (spec §10.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewAdmins {
    MayJoin,
    MembersOnly,
}

/// Why a change was refused, naming the first offending entry (an email as sent, trimmed) in
/// request order. Each API's `wire.rs` picks its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkspaceError {
    /// Removal of an email that is not an admin (the owner never is one).
    NotAdmin { email: String },
    /// An email that is no user of the org.
    NotOrgUser { email: String },
    /// A user who is not active.
    InactiveUser { email: String },
    /// A Viewer made a Workspace Admin.
    ViewerAsAdmin { email: String },
    /// An email that is neither the owner nor a user of the workspace.
    NotWorkspaceUser { email: String },
    /// The caller shares with itself.
    SelfShare,
    /// A Viewer given `share` together with a write key.
    ReadOnlyUser { email: String },
    /// A share to the view's owner or the workspace's owner.
    OwnerTarget { view_name: String, email: String },
    /// The pair exists (v2).
    AlreadyShared { view_name: String, email: String },
    AlreadySharedGroup {
        view_name: String,
        group_name: String,
    },
    /// The pair does not exist.
    NotShared { view_name: String, email: String },
    NotSharedGroup {
        view_name: String,
        group_name: String,
    },
    /// Another group of the workspace has the name.
    GroupNameTaken,
    /// A view or group id the request layer should have resolved; never expected.
    Unresolved,
}

use WorkspaceError as E;

/// Everything a workspace is made of, as a fixture section has checked it.
#[derive(Clone, Debug)]
pub struct WorkspaceParts {
    /// Empty until minted.
    pub id: String,
    pub owner_email: String,
    pub name: String,
    pub description: String,
    pub created_time: Timestamp,
    pub admins: Vec<String>,
    pub users: Vec<String>,
    pub inactive_users: Vec<String>,
    pub folders: Vec<Folder>,
    pub views: Vec<View>,
    pub groups: Vec<Group>,
    pub shares: Vec<Share>,
}

/// A workspace: named by its owner's email and its name (v1), or by its id (v2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    id: String,
    owner_email: String,
    name: String,
    description: String,
    created_time: Timestamp,
    /// In the order they were promoted; a subset of `users`.
    admins: Vec<String>,
    /// Every member but the owner, in the order they joined.
    users: Vec<String>,
    /// Users whose access is suspended.
    inactive_users: Vec<String>,
    folders: Vec<Folder>,
    views: Vec<View>,
    groups: Vec<Group>,
    /// In the order they were made.
    shares: Vec<Share>,
}

impl Workspace {
    /// A workspace from parts the fixture section has checked against the invariants above.
    pub fn from_parts(parts: WorkspaceParts) -> Self {
        Workspace {
            id: parts.id,
            owner_email: parts.owner_email,
            name: parts.name,
            description: parts.description,
            created_time: parts.created_time,
            admins: parts.admins,
            users: parts.users,
            inactive_users: parts.inactive_users,
            folders: parts.folders,
            views: parts.views,
            groups: parts.groups,
            shares: parts.shares,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn owner_email(&self) -> &str {
        &self.owner_email
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    pub fn created_time(&self) -> Timestamp {
        self.created_time
    }

    /// In the order they became admins.
    pub fn admins(&self) -> &[String] {
        &self.admins
    }

    /// In the order they joined.
    pub fn users(&self) -> &[String] {
        &self.users
    }

    pub fn inactive_users(&self) -> &[String] {
        &self.inactive_users
    }

    pub fn folders(&self) -> &[Folder] {
        &self.folders
    }

    pub fn views(&self) -> &[View] {
        &self.views
    }

    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// In the order they were made.
    pub fn shares(&self) -> &[Share] {
        &self.shares
    }

    pub fn is_admin(&self, email: &str) -> bool {
        self.admins.iter().any(|a| same_email(a, email))
    }

    pub fn is_owner(&self, email: &str) -> bool {
        same_email(&self.owner_email, email)
    }

    pub fn is_user(&self, email: &str) -> bool {
        self.users.iter().any(|u| same_email(u, email))
    }

    pub fn is_inactive(&self, email: &str) -> bool {
        self.inactive_users.iter().any(|u| same_email(u, email))
    }

    /// The owner or a user: who may be a group member.
    pub fn is_member(&self, email: &str) -> bool {
        self.is_owner(email) || self.is_user(email)
    }

    /// True when the workspace is the one `/api/{owner_email}/{name}` names.
    pub fn is_named(&self, owner_email: &str, name: &str) -> bool {
        self.is_owner(owner_email) && self.name == name
    }

    pub fn folder(&self, id: &str) -> Option<&Folder> {
        self.folders.iter().find(|f| f.id == id)
    }

    pub fn view(&self, id: &str) -> Option<&View> {
        self.views.iter().find(|v| v.id == id)
    }

    /// The view of that exact name (v1 `ZOHO_VIEWS`).
    pub fn view_named(&self, name: &str) -> Option<&View> {
        self.views.iter().find(|v| v.name == name)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Where a view is in the workspace's `views` order.
    fn view_position(&self, id: &str) -> usize {
        self.views
            .iter()
            .position(|v| v.id == id)
            .unwrap_or(usize::MAX)
    }

    fn share_index(&self, view: &str, target: &ShareTarget) -> Option<usize> {
        self.shares
            .iter()
            .position(|s| s.view == view && s.target.is(target))
    }

    /// The direct share of `view` with the user `email`.
    pub fn user_share(&self, view: &str, email: &str) -> Option<&Share> {
        self.share_index(view, &ShareTarget::User(email.to_owned()))
            .map(|i| &self.shares[i])
    }

    /// The share of `view` with the group `group`.
    pub fn group_share(&self, view: &str, group: &str) -> Option<&Share> {
        self.share_index(view, &ShareTarget::Group(group.to_owned()))
            .map(|i| &self.shares[i])
    }

    /// Every share to one target, in the workspace's `views` order.
    pub fn shares_to(&self, target: &ShareTarget) -> Vec<&Share> {
        let mut shares: Vec<&Share> = self.shares.iter().filter(|s| s.target.is(target)).collect();
        shares.sort_by_key(|s| self.view_position(&s.view));
        shares
    }

    /// The shares of one view: to users in `users` order, then to groups in `groups` order.
    pub fn shares_of_view(&self, view: &str) -> Vec<&Share> {
        let users = self
            .users
            .iter()
            .filter_map(|email| self.user_share(view, email));
        let groups = self
            .groups
            .iter()
            .filter_map(|group| self.group_share(view, &group.id));
        users.chain(groups).collect()
    }

    /// The groups that list `email` as a member, in `groups` order.
    pub fn groups_of<'a>(&'a self, email: &'a str) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups.iter().filter(move |g| g.has_member(email))
    }

    // ---- admins (v1 ADDDBOWNER / REMOVEDBOWNER, v2 …/admins) ----

    /// Removes every email from the admins (they stay users), or nothing when one of them is not
    /// an admin. Removing the last admin is allowed.
    pub fn remove_admins(&mut self, emails: &[String]) -> Result<(), WorkspaceError> {
        if let Some(email) = emails.iter().find(|e| !self.is_admin(e)) {
            return Err(E::NotAdmin {
                email: email.clone(),
            });
        }
        self.admins
            .retain(|admin| !emails.iter().any(|e| same_email(e, admin)));
        Ok(())
    }

    /// Makes every email an admin, spelled as the org's user record spells it. Per email in
    /// list order: a user of the org, active, not a Viewer, and (for `MembersOnly`) already the
    /// owner or a user. The owner and current admins are skipped; with `MayJoin` a new admin
    /// also becomes a user.
    pub fn add_admins(
        &mut self,
        emails: &[String],
        directory: &Directory,
        rule: NewAdmins,
    ) -> Result<(), WorkspaceError> {
        let mut additions: Vec<&str> = Vec::new();
        for email in emails {
            let user = active_user(directory, email)?;
            if user.analytics_role == AnalyticsRole::Viewer {
                return Err(E::ViewerAsAdmin {
                    email: email.clone(),
                });
            }
            if rule == NewAdmins::MembersOnly && !self.is_member(&user.email) {
                return Err(E::NotWorkspaceUser {
                    email: email.clone(),
                });
            }
            let skip = self.is_owner(&user.email)
                || self.is_admin(&user.email)
                || additions.iter().any(|a| same_email(a, &user.email));
            if !skip {
                additions.push(&user.email);
            }
        }
        for email in additions {
            if !self.is_user(email) {
                self.users.push(email.to_owned());
            }
            self.admins.push(email.to_owned());
        }
        Ok(())
    }

    // ---- workspace users (v2 …/users) ----

    /// Adds users with a role, entry by entry (the last role given to an email wins); an email
    /// already in `users` takes the new role and keeps its deactivation. Per email: a user of
    /// the org, active, and no Viewer given `WORKSPACEADMIN`. The owner is skipped.
    pub fn add_users(
        &mut self,
        entries: &[(String, WorkspaceRole)],
        directory: &Directory,
    ) -> Result<(), WorkspaceError> {
        let mut resolved: Vec<(String, WorkspaceRole)> = Vec::new();
        for (email, role) in entries {
            let user = active_user(directory, email)?;
            check_role(user, email, *role)?;
            if !self.is_owner(&user.email) {
                resolved.push((user.email.clone(), *role));
            }
        }
        for (email, role) in resolved {
            self.give_role(email, role);
        }
        Ok(())
    }

    /// Changes the role of users of the workspace (a `USER` demotes an admin, who stays a
    /// user). Per email: a user of the workspace, and no Viewer given `WORKSPACEADMIN`. The owner
    /// is skipped.
    pub fn set_roles(
        &mut self,
        entries: &[(String, WorkspaceRole)],
        directory: &Directory,
    ) -> Result<(), WorkspaceError> {
        let mut resolved: Vec<(String, WorkspaceRole)> = Vec::new();
        for (email, role) in entries {
            if self.is_owner(email) {
                continue;
            }
            let stored = self.stored_user(email).ok_or_else(|| E::NotWorkspaceUser {
                email: email.clone(),
            })?;
            if let Some(user) = directory.user_by_email(email) {
                check_role(user, email, *role)?;
            }
            resolved.push((stored.to_owned(), *role));
        }
        for (email, role) in resolved {
            self.give_role(email, role);
        }
        Ok(())
    }

    /// Removes users from the workspace: from `users`, `admins`, `inactive_users` and every
    /// group, with every direct share to them. Views they own stay theirs. Per email: a user of
    /// the workspace; the owner is skipped.
    pub fn remove_users(&mut self, emails: &[String]) -> Result<(), WorkspaceError> {
        let leaving = self.users_among(emails)?;
        let gone = |email: &str| leaving.iter().any(|l| same_email(l, email));
        self.users.retain(|u| !gone(u));
        self.admins.retain(|u| !gone(u));
        self.inactive_users.retain(|u| !gone(u));
        for group in &mut self.groups {
            group.members.retain(|m| !gone(m));
        }
        self.shares.retain(|s| match &s.target {
            ShareTarget::User(email) => !gone(email),
            ShareTarget::Group(_) => true,
        });
        Ok(())
    }

    /// Deactivates (`active` false) or reactivates users; both idempotent. Shares, groups and
    /// roles are kept. Per email: a user of the workspace; the owner is skipped.
    pub fn set_active(&mut self, emails: &[String], active: bool) -> Result<(), WorkspaceError> {
        let chosen = self.users_among(emails)?;
        for email in chosen {
            let inactive = self.is_inactive(&email);
            if active && inactive {
                self.inactive_users.retain(|u| !same_email(u, &email));
            } else if !active && !inactive {
                self.inactive_users.push(email);
            }
        }
        Ok(())
    }

    /// The stored spelling of each email that is a user, skipping the owner; the first email
    /// that is neither refuses the batch (8114).
    fn users_among(&self, emails: &[String]) -> Result<Vec<String>, WorkspaceError> {
        let mut found = Vec::new();
        for email in emails {
            if self.is_owner(email) {
                continue;
            }
            let stored = self.stored_user(email).ok_or_else(|| E::NotWorkspaceUser {
                email: email.clone(),
            })?;
            found.push(stored.to_owned());
        }
        Ok(found)
    }

    fn stored_user(&self, email: &str) -> Option<&str> {
        self.users
            .iter()
            .find(|u| same_email(u, email))
            .map(String::as_str)
    }

    /// `email` (as the user record spells it) joins when missing and takes `role`.
    fn give_role(&mut self, email: String, role: WorkspaceRole) {
        if !self.is_user(&email) {
            self.users.push(email.clone());
        }
        match role {
            WorkspaceRole::WorkspaceAdmin if !self.is_admin(&email) => self.admins.push(email),
            WorkspaceRole::WorkspaceAdmin => {}
            WorkspaceRole::User => self.admins.retain(|a| !same_email(a, &email)),
        }
    }

    // ---- view shares (v2 …/share, v1 SHARE / REMOVESHARE) ----

    /// Shares every view of the batch with every email and group (spec §7.3, §10.1). Per email
    /// in list order: a user of the org, active, not the sharer, and no Viewer given `share`
    /// with a write key. Then per view, per email: not the view's or the workspace's owner, and
    /// (when refusing) not shared yet; then per group, not shared yet. Emails that are not users
    /// of the workspace join it, in list order.
    pub fn share(
        &mut self,
        batch: ShareBatch<'_>,
        directory: &Directory,
    ) -> Result<(), WorkspaceError> {
        let mut targets: Vec<&User> = Vec::with_capacity(batch.emails.len());
        for email in batch.emails {
            let user = active_user(directory, email)?;
            if same_email(&user.email, batch.sharer) {
                return Err(E::SelfShare);
            }
            if user.analytics_role == AnalyticsRole::Viewer
                && batch.content.permissions.shares_and_writes()
            {
                return Err(E::ReadOnlyUser {
                    email: email.clone(),
                });
            }
            targets.push(user);
        }
        let refuse = batch.on_existing == OnExisting::Refuse;
        for view_id in batch.views {
            let view = self.view(view_id).ok_or(E::Unresolved)?;
            for (email, user) in batch.emails.iter().zip(&targets) {
                if same_email(&view.owner, &user.email) || self.is_owner(&user.email) {
                    return Err(E::OwnerTarget {
                        view_name: view.name.clone(),
                        email: email.clone(),
                    });
                }
                if refuse && self.user_share(view_id, &user.email).is_some() {
                    return Err(E::AlreadyShared {
                        view_name: view.name.clone(),
                        email: email.clone(),
                    });
                }
            }
            for group_id in batch.groups {
                let group = self.group(group_id).ok_or(E::Unresolved)?;
                if refuse && self.group_share(view_id, group_id).is_some() {
                    return Err(E::AlreadySharedGroup {
                        view_name: view.name.clone(),
                        group_name: group.name.clone(),
                    });
                }
            }
        }
        for user in &targets {
            if !self.is_user(&user.email) {
                self.users.push(user.email.clone());
            }
        }
        let user_targets = targets.iter().map(|u| ShareTarget::User(u.email.clone()));
        let group_targets = batch.groups.iter().map(|g| ShareTarget::Group(g.clone()));
        let all_targets: Vec<ShareTarget> = user_targets.chain(group_targets).collect();
        for view_id in batch.views {
            for target in &all_targets {
                let share = Share {
                    view: view_id.clone(),
                    target: target.clone(),
                    content: batch.content.clone(),
                    shared_by: batch.sharer.to_owned(),
                    shared_time: batch.now,
                };
                match self.share_index(view_id, target) {
                    Some(index) => self.shares[index] = share,
                    None => self.shares.push(share),
                }
            }
        }
        Ok(())
    }

    /// Changes the shares of one view with each email and group (spec §7.4): each pair must
    /// exist (8032, then 8150), and no Viewer may end up with `share` and a write key. The
    /// changed shares are now the sharer's, made `now`.
    pub fn update_shares(
        &mut self,
        change: ShareChange<'_>,
        directory: &Directory,
    ) -> Result<(), WorkspaceError> {
        let ShareChange {
            view: view_id,
            emails,
            groups,
            update,
            sharer,
            now,
        } = change;
        let view = self.view(view_id).ok_or(E::Unresolved)?;
        let mut indexes = Vec::new();
        for email in emails {
            let index = self
                .share_index(view_id, &ShareTarget::User(email.clone()))
                .ok_or_else(|| E::NotShared {
                    view_name: view.name.clone(),
                    email: email.clone(),
                })?;
            indexes.push(index);
        }
        for group_id in groups {
            let group = self.group(group_id).ok_or(E::Unresolved)?;
            let index = self
                .share_index(view_id, &ShareTarget::Group(group_id.clone()))
                .ok_or_else(|| E::NotSharedGroup {
                    view_name: view.name.clone(),
                    group_name: group.name.clone(),
                })?;
            indexes.push(index);
        }
        for (email, index) in emails.iter().zip(&indexes) {
            let viewer = directory
                .user_by_email(email)
                .is_some_and(|u| u.analytics_role == AnalyticsRole::Viewer);
            let mut content = self.shares[*index].content.clone();
            update.apply(&mut content);
            if viewer && content.permissions.shares_and_writes() {
                return Err(E::ReadOnlyUser {
                    email: email.clone(),
                });
            }
        }
        for index in indexes {
            let share = &mut self.shares[index];
            update.apply(&mut share.content);
            share.shared_by = sharer.to_owned();
            share.shared_time = now;
        }
        Ok(())
    }

    /// Removes shares of the emails and groups (spec §7.5, §10.2): the named pairs, each of
    /// which must exist (view by view in list order, emails before groups), or every share of
    /// the targets (a target without any is skipped). Users and groups stay.
    pub fn remove_shares(
        &mut self,
        removal: Removal<'_>,
        emails: &[String],
        groups: &[String],
    ) -> Result<(), WorkspaceError> {
        let targets: Vec<ShareTarget> = emails
            .iter()
            .map(|e| ShareTarget::User(e.clone()))
            .chain(groups.iter().map(|g| ShareTarget::Group(g.clone())))
            .collect();
        match removal {
            Removal::AllViews => {
                self.shares
                    .retain(|s| !targets.iter().any(|t| s.target.is(t)));
            }
            Removal::Views(views) => {
                let mut doomed = Vec::new();
                for view_id in views {
                    let view = self.view(view_id).ok_or(E::Unresolved)?;
                    for target in &targets {
                        let index =
                            self.share_index(view_id, target)
                                .ok_or_else(|| match target {
                                    ShareTarget::User(email) => E::NotShared {
                                        view_name: view.name.clone(),
                                        email: email.clone(),
                                    },
                                    ShareTarget::Group(id) => E::NotSharedGroup {
                                        view_name: view.name.clone(),
                                        group_name: self
                                            .group(id)
                                            .map(|g| g.name.clone())
                                            .unwrap_or_default(),
                                    },
                                })?;
                        doomed.push(index);
                    }
                }
                let mut index = 0;
                self.shares.retain(|_| {
                    let keep = !doomed.contains(&index);
                    index += 1;
                    keep
                });
            }
        }
        Ok(())
    }

    // ---- groups (v2 …/groups) ----

    /// Adds a group named `name` (unique ignoring case: 7282) whose members are the emails
    /// (each the owner or a user of the workspace), without duplicates.
    pub fn create_group(
        &mut self,
        id: String,
        name: &str,
        description: &str,
        emails: &[String],
        directory: &Directory,
    ) -> Result<(), WorkspaceError> {
        if self.groups.iter().any(|g| same_name(&g.name, name)) {
            return Err(E::GroupNameTaken);
        }
        let mut members: Vec<String> = Vec::new();
        for email in self.new_members(emails, directory)? {
            if !members.iter().any(|m| same_email(m, &email)) {
                members.push(email);
            }
        }
        self.groups.push(Group {
            id,
            name: name.to_owned(),
            description: description.to_owned(),
            members,
        });
        Ok(())
    }

    /// Renames a group (another group's name, ignoring case, is 7282) and sets its description.
    pub fn rename_group(
        &mut self,
        id: &str,
        name: &str,
        description: &str,
    ) -> Result<(), WorkspaceError> {
        if self
            .groups
            .iter()
            .any(|g| g.id != id && same_name(&g.name, name))
        {
            return Err(E::GroupNameTaken);
        }
        let group = self.groups.iter_mut().find(|g| g.id == id);
        let group = group.ok_or(E::Unresolved)?;
        group.name = name.to_owned();
        group.description = description.to_owned();
        Ok(())
    }

    /// Removes a group and every share to it; its members keep their direct shares.
    pub fn delete_group(&mut self, id: &str) -> Result<(), WorkspaceError> {
        let before = self.groups.len();
        self.groups.retain(|g| g.id != id);
        if self.groups.len() == before {
            return Err(E::Unresolved);
        }
        self.shares
            .retain(|s| !matches!(&s.target, ShareTarget::Group(g) if g == id));
        Ok(())
    }

    /// Appends the emails to a group's members (current members are skipped).
    pub fn add_members(
        &mut self,
        id: &str,
        emails: &[String],
        directory: &Directory,
    ) -> Result<(), WorkspaceError> {
        let new = self.new_members(emails, directory)?;
        let group = self.groups.iter_mut().find(|g| g.id == id);
        let group = group.ok_or(E::Unresolved)?;
        for email in new {
            if !group.has_member(&email) {
                group.members.push(email);
            }
        }
        Ok(())
    }

    /// Takes the emails out of a group's members; non-members are skipped.
    pub fn remove_members(&mut self, id: &str, emails: &[String]) -> Result<(), WorkspaceError> {
        let group = self.groups.iter_mut().find(|g| g.id == id);
        let group = group.ok_or(E::Unresolved)?;
        group
            .members
            .retain(|m| !emails.iter().any(|e| same_email(e, m)));
        Ok(())
    }

    /// Per email in list order: a user of the org (7535), and the owner or a user of the
    /// workspace (8114); spelled as the user record spells it.
    fn new_members(
        &self,
        emails: &[String],
        directory: &Directory,
    ) -> Result<Vec<String>, WorkspaceError> {
        let mut members = Vec::new();
        for email in emails {
            let user = directory
                .user_by_email(email)
                .ok_or_else(|| E::NotOrgUser {
                    email: email.clone(),
                })?;
            if !self.is_member(&user.email) {
                return Err(E::NotWorkspaceUser {
                    email: email.clone(),
                });
            }
            members.push(user.email.clone());
        }
        Ok(members)
    }

    // ---- ids ----

    /// Every id the workspace holds (one still to be minted is empty).
    fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str())
            .chain(self.folders.iter().map(|f| f.id.as_str()))
            .chain(self.views.iter().map(|v| v.id.as_str()))
            .chain(self.groups.iter().map(|g| g.id.as_str()))
    }

    /// The default folder when there is none, then ids for the folders, views and groups
    /// without one, in that order; views without a folder go to the first one.
    fn mint_parts(&mut self, mint: &mut impl FnMut() -> String) {
        if self.folders.is_empty() {
            self.folders.push(Folder {
                id: String::new(),
                name: "Default".to_owned(),
            });
        }
        for folder in self.folders.iter_mut().filter(|f| f.id.is_empty()) {
            folder.id = mint();
        }
        for view in self.views.iter_mut().filter(|v| v.id.is_empty()) {
            view.id = mint();
        }
        for group in self.groups.iter_mut().filter(|g| g.id.is_empty()) {
            group.id = mint();
        }
        let first = self.folders[0].id.clone();
        for view in self.views.iter_mut().filter(|v| v.folder.is_empty()) {
            view.folder.clone_from(&first);
        }
    }

    /// Fresh folder, view and group ids, with every reference following (an org copy).
    fn renew_parts(&mut self, mint: &mut impl FnMut() -> String) {
        let mut renamed: Vec<(String, String)> = Vec::new();
        let mut renew = |id: &mut String| {
            let new = mint();
            renamed.push((std::mem::replace(id, new.clone()), new));
        };
        self.folders.iter_mut().for_each(|f| renew(&mut f.id));
        self.views.iter_mut().for_each(|v| renew(&mut v.id));
        self.groups.iter_mut().for_each(|g| renew(&mut g.id));
        let follow = |id: &mut String| {
            if let Some((_, new)) = renamed.iter().find(|(old, _)| old == id) {
                id.clone_from(new);
            }
        };
        for view in &mut self.views {
            follow(&mut view.folder);
            if let Some(parent) = view.parent.as_mut() {
                follow(parent);
            }
        }
        for share in &mut self.shares {
            follow(&mut share.view);
            if let ShareTarget::Group(id) = &mut share.target {
                follow(id);
            }
        }
    }
}

/// The org's user of that email, who must be active (7535, 6028).
fn active_user<'d>(directory: &'d Directory, email: &str) -> Result<&'d User, WorkspaceError> {
    let user = directory
        .user_by_email(email)
        .ok_or_else(|| E::NotOrgUser {
            email: email.to_owned(),
        })?;
    if !user.is_active() {
        return Err(E::InactiveUser {
            email: email.to_owned(),
        });
    }
    Ok(user)
}

/// A Viewer is never a Workspace Admin (7390).
fn check_role(user: &User, email: &str, role: WorkspaceRole) -> Result<(), WorkspaceError> {
    if role == WorkspaceRole::WorkspaceAdmin && user.analytics_role == AnalyticsRole::Viewer {
        return Err(E::ViewerAsAdmin {
            email: email.to_owned(),
        });
    }
    Ok(())
}

/// Every share grants `read` (spec §7.1): a set given without it gets it.
pub fn with_read(permissions: PermissionSet) -> PermissionSet {
    permissions.with(Permission::Read, true)
}

/// Where a workspace is in [`Workspaces`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkspaceSlot(usize);

/// The org's workspaces, in fixture order.
#[derive(Clone, Debug, Default)]
pub struct Workspaces {
    list: Vec<Workspace>,
    /// Ids of the workspaces added or handed out for change, for the state file.
    dirty: Dirty<String>,
}

/// Two workspaces of one owner with one name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DuplicateWorkspace;

impl Workspaces {
    /// Adds a workspace (a fixture's); no two of one owner may share a name.
    pub fn add(&mut self, workspace: Workspace) -> Result<(), DuplicateWorkspace> {
        if self.find(&workspace.owner_email, &workspace.name).is_some() {
            return Err(DuplicateWorkspace);
        }
        self.dirty.mark(|| workspace.id.clone());
        self.list.push(workspace);
        Ok(())
    }

    /// Ids for everything a fixture left without one: the workspaces, in list order; then, for
    /// each workspace in list order, its default folder, its views and its groups (DESIGN §3).
    pub fn mint_missing_ids(&mut self, mut mint: impl FnMut() -> String) {
        for workspace in self.list.iter_mut().filter(|w| w.id.is_empty()) {
            workspace.id = mint();
        }
        for workspace in &mut self.list {
            workspace.mint_parts(&mut mint);
            self.dirty.mark(|| workspace.id.clone());
        }
    }

    /// Fresh ids for every workspace, folder, view and group, in the order of
    /// [`Workspaces::mint_missing_ids`], with every reference following (DESIGN §5: an org copy).
    pub fn renew_ids(&mut self, mut mint: impl FnMut() -> String) {
        for workspace in &mut self.list {
            workspace.id = mint();
        }
        for workspace in &mut self.list {
            workspace.renew_parts(&mut mint);
            self.dirty.mark(|| workspace.id.clone());
        }
    }

    pub fn all(&self) -> &[Workspace] {
        &self.list
    }

    /// Every workspace, folder, view and group id (one still to be minted is empty).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.list.iter().flat_map(Workspace::ids)
    }

    /// The workspace `/api/{owner_email}/{name}` names.
    pub fn find(&self, owner_email: &str, name: &str) -> Option<(WorkspaceSlot, &Workspace)> {
        self.list
            .iter()
            .enumerate()
            .find(|(_, w)| w.is_named(owner_email, name))
            .map(|(index, w)| (WorkspaceSlot(index), w))
    }

    /// The workspace of that id (v2 paths).
    pub fn by_id(&self, id: &str) -> Option<(WorkspaceSlot, &Workspace)> {
        self.list
            .iter()
            .enumerate()
            .find(|(_, w)| w.id == id)
            .map(|(index, w)| (WorkspaceSlot(index), w))
    }

    /// The workspace that holds a view, with the view.
    pub fn view_anywhere(&self, view: &str) -> Option<(&Workspace, &View)> {
        self.list.iter().find_map(|w| w.view(view).map(|v| (w, v)))
    }

    pub fn get(&self, slot: WorkspaceSlot) -> Option<&Workspace> {
        self.list.get(slot.0)
    }

    /// The workspace, to change; it is marked changed for the state file (every change of a
    /// workspace goes through here).
    pub fn get_mut(&mut self, slot: WorkspaceSlot) -> Option<&mut Workspace> {
        let workspace = self.list.get_mut(slot.0)?;
        self.dirty.mark(|| workspace.id.clone());
        Some(workspace)
    }

    /// What changed, for the state file.
    pub fn dirty(&mut self) -> &mut Dirty<String> {
        &mut self.dirty
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::directory::UserStatus;

    fn user(email: &str, status: UserStatus, role: AnalyticsRole) -> User {
        User {
            id: "4150868000001199001".into(),
            email: email.into(),
            full_name: email.into(),
            role: "4150868000000026005".into(),
            profile: "Standard".into(),
            status,
            analytics_role: role,
            zuid: String::new(),
            reporting_to: None,
        }
    }

    fn directory() -> Directory {
        use AnalyticsRole::{User as Plain, Viewer};
        use UserStatus::{Active, Disabled};
        let users = vec![
            user("Owner@x.com", Active, Plain),
            user("Amelia@x.com", Active, Plain),
            user("ryan@x.com", Active, Plain),
            user("olivia@x.com", Active, Plain),
            user("derek@x.com", Disabled, Plain),
            user("vic@x.com", Active, Viewer),
        ];
        Directory::new(
            Default::default(),
            Vec::new(),
            users,
            Vec::new(),
            Vec::new(),
        )
    }

    fn emails(list: &[&str]) -> Vec<String> {
        list.iter().map(|e| (*e).to_owned()).collect()
    }

    fn view(id: &str, name: &str, owner: &str) -> View {
        View {
            id: id.into(),
            name: name.into(),
            kind: ViewType::Table,
            owner: owner.into(),
            description: String::new(),
            folder: "110".into(),
            parent: None,
            created_time: Timestamp(0),
        }
    }

    /// Owner `owner@x.com`; admins Amelia and Ryan (users too), Vic a Viewer user; views T (the
    /// owner's) and R (Ryan's); group G of Amelia.
    fn workspace() -> Workspace {
        Workspace::from_parts(WorkspaceParts {
            id: "100".into(),
            owner_email: "owner@x.com".into(),
            name: "Sales".into(),
            description: String::new(),
            created_time: Timestamp(0),
            admins: emails(&["Amelia@x.com", "ryan@x.com"]),
            users: emails(&["Amelia@x.com", "ryan@x.com", "vic@x.com"]),
            inactive_users: Vec::new(),
            folders: vec![Folder {
                id: "110".into(),
                name: "Default".into(),
            }],
            views: vec![
                view("200", "T", "owner@x.com"),
                view("201", "R", "ryan@x.com"),
            ],
            groups: vec![Group {
                id: "300".into(),
                name: "G".into(),
                description: String::new(),
                members: emails(&["Amelia@x.com"]),
            }],
            shares: Vec::new(),
        })
    }

    fn content(permissions: &[Permission]) -> ShareContent {
        ShareContent {
            permissions: PermissionSet::of(permissions),
            ..ShareContent::default()
        }
    }

    fn batch<'a>(
        views: &'a [String],
        emails: &'a [String],
        groups: &'a [String],
        content: &'a ShareContent,
        on_existing: OnExisting,
    ) -> ShareBatch<'a> {
        ShareBatch {
            views,
            emails,
            groups,
            content,
            sharer: "Amelia@x.com",
            now: Timestamp(5_000),
            on_existing,
        }
    }

    #[test]
    fn lookup_compares_owner_without_case_and_name_exactly() {
        let ws = workspace();
        assert!(ws.is_named("OWNER@X.COM", "Sales"));
        assert!(!ws.is_named("owner@x.com", "sales"));
        assert!(!ws.is_named("amelia@x.com", "Sales"));
        assert!(same_name("Regional Leads", "regional LEADS"));
        assert!(!same_name("Regional Leads", "Regional Lead"));
    }

    #[test]
    fn remove_admins_keeps_them_as_users_or_refuses_the_whole_batch() {
        let mut ws = workspace();
        let err = ws
            .remove_admins(&emails(&["ryan@x.com", "olivia@x.com"]))
            .unwrap_err();
        assert_eq!(
            err,
            WorkspaceError::NotAdmin {
                email: "olivia@x.com".into()
            }
        );
        assert_eq!(ws, workspace(), "nothing changed");
        ws.remove_admins(&emails(&["AMELIA@x.com", "ryan@x.com"]))
            .unwrap();
        assert!(ws.admins().is_empty(), "the last admin may go");
        assert_eq!(ws.users().len(), 3);
    }

    #[test]
    fn add_admins_v1_adds_users_v2_needs_members_viewers_never() {
        let dir = directory();
        let mut ws = workspace();
        let err = ws
            .add_admins(&emails(&["olivia@x.com"]), &dir, NewAdmins::MembersOnly)
            .unwrap_err();
        assert_eq!(
            err,
            WorkspaceError::NotWorkspaceUser {
                email: "olivia@x.com".into()
            }
        );
        for (list, want) in [
            (["olivia@x.com", "derek@x.com", "nobody@x.com"], "derek"),
            (["olivia@x.com", "nobody@x.com", "derek@x.com"], "nobody"),
            (["OLIVIA@x.com", "vic@x.com", "derek@x.com"], "vic"),
        ] {
            let err = ws
                .add_admins(&emails(&list), &dir, NewAdmins::MayJoin)
                .unwrap_err();
            let named = match err {
                WorkspaceError::InactiveUser { email }
                | WorkspaceError::NotOrgUser { email }
                | WorkspaceError::ViewerAsAdmin { email } => email,
                other => panic!("{other:?}"),
            };
            assert!(named.starts_with(want), "{named}");
            assert_eq!(ws, workspace(), "nothing changed");
        }
        ws.add_admins(
            &emails(&["OLIVIA@X.COM", "amelia@x.com", "owner@x.com"]),
            &dir,
            NewAdmins::MayJoin,
        )
        .unwrap();
        assert_eq!(
            ws.admins(),
            emails(&["Amelia@x.com", "ryan@x.com", "olivia@x.com"])
        );
        assert_eq!(ws.users().last().map(String::as_str), Some("olivia@x.com"));
    }

    #[test]
    fn share_refuses_or_replaces_an_existing_pair() {
        let dir = directory();
        let mut ws = workspace();
        let views = emails(&["200"]);
        let to = emails(&["OLIVIA@x.com"]);
        let read = content(&[Permission::Read]);
        ws.share(batch(&views, &to, &[], &read, OnExisting::Refuse), &dir)
            .unwrap();
        assert_eq!(ws.users().last().map(String::as_str), Some("olivia@x.com"));
        let share = ws.user_share("200", "olivia@x.com").unwrap();
        assert_eq!(
            (share.shared_by.as_str(), share.shared_time),
            ("Amelia@x.com", Timestamp(5_000))
        );
        let export = content(&[Permission::Read, Permission::Export]);
        let again = ws
            .share(batch(&views, &to, &[], &export, OnExisting::Refuse), &dir)
            .unwrap_err();
        assert_eq!(
            again,
            WorkspaceError::AlreadyShared {
                view_name: "T".into(),
                email: "OLIVIA@x.com".into()
            }
        );
        ws.share(batch(&views, &to, &[], &export, OnExisting::Replace), &dir)
            .unwrap();
        assert_eq!(ws.shares().len(), 1, "replaced, not added");
        assert!(ws.shares()[0].content.permissions.has(Permission::Export));
    }

    #[test]
    fn share_rules_in_order() {
        let dir = directory();
        let mut ws = workspace();
        let read = content(&[Permission::Read]);
        let cases: [(&[&str], &[&str], WorkspaceError); 5] = [
            (
                &["200"],
                &["nobody@x.com"],
                WorkspaceError::NotOrgUser {
                    email: "nobody@x.com".into(),
                },
            ),
            (
                &["200"],
                &["derek@x.com"],
                WorkspaceError::InactiveUser {
                    email: "derek@x.com".into(),
                },
            ),
            (&["200"], &["amelia@x.com"], WorkspaceError::SelfShare),
            (
                &["201"],
                &["ryan@x.com"],
                WorkspaceError::OwnerTarget {
                    view_name: "R".into(),
                    email: "ryan@x.com".into(),
                },
            ),
            (
                &["200"],
                &["owner@x.com"],
                WorkspaceError::OwnerTarget {
                    view_name: "T".into(),
                    email: "owner@x.com".into(),
                },
            ),
        ];
        for (views, to, want) in cases {
            let (views, to) = (emails(views), emails(to));
            let err = ws
                .share(batch(&views, &to, &[], &read, OnExisting::Refuse), &dir)
                .unwrap_err();
            assert_eq!(err, want);
        }
        let writer = content(&[Permission::Read, Permission::Share, Permission::AddRow]);
        let (views, vic) = (emails(&["200"]), emails(&["vic@x.com"]));
        assert_eq!(
            ws.share(batch(&views, &vic, &[], &writer, OnExisting::Refuse), &dir),
            Err(WorkspaceError::ReadOnlyUser {
                email: "vic@x.com".into()
            })
        );
        assert_eq!(ws, workspace(), "nothing changed");
    }

    #[test]
    fn update_and_remove_shares() {
        let dir = directory();
        let mut ws = workspace();
        let (views, to, groups) = (emails(&["200"]), emails(&["vic@x.com"]), emails(&["300"]));
        let read = content(&[Permission::Read, Permission::Share]);
        ws.share(batch(&views, &to, &groups, &read, OnExisting::Refuse), &dir)
            .unwrap();
        let writes = ShareUpdate {
            permissions: Some(PermissionSet::of(&[
                Permission::Read,
                Permission::ImportAppend,
            ])),
            criteria: Some("x".into()),
            ..ShareUpdate::default()
        };
        let change = |update| ShareChange {
            view: "200",
            emails: &to,
            groups: &[],
            update,
            sharer: "ryan@x.com",
            now: Timestamp(9_000),
        };
        ws.update_shares(change(&writes), &dir).unwrap();
        let share = ws.user_share("200", "vic@x.com").unwrap();
        assert_eq!(share.content.criteria, "x");
        assert!(
            !share.content.permissions.has(Permission::Share),
            "replaced whole"
        );
        assert_eq!(share.shared_by, "ryan@x.com");
        let share_again = ShareUpdate {
            permissions: Some(PermissionSet::of(&[
                Permission::Read,
                Permission::Share,
                Permission::ImportAppend,
            ])),
            ..ShareUpdate::default()
        };
        assert_eq!(
            ws.update_shares(change(&share_again), &dir),
            Err(WorkspaceError::ReadOnlyUser {
                email: "vic@x.com".into()
            }),
            "a Viewer's resulting set may not hold share and a write key"
        );
        assert_eq!(
            ws.remove_shares(Removal::Views(&emails(&["201"])), &to, &[]),
            Err(WorkspaceError::NotShared {
                view_name: "R".into(),
                email: "vic@x.com".into()
            })
        );
        ws.remove_shares(Removal::AllViews, &[], &groups).unwrap();
        assert_eq!(
            ws.shares().len(),
            1,
            "the group's share went, the user's stayed"
        );
        ws.remove_shares(Removal::Views(&views), &to, &[]).unwrap();
        assert!(ws.shares().is_empty());
        assert!(ws.is_user("vic@x.com"), "users stay");
    }

    #[test]
    fn users_roles_status_and_the_cascade_of_removal() {
        let dir = directory();
        let mut ws = workspace();
        use WorkspaceRole::{User as Plain, WorkspaceAdmin};
        assert_eq!(
            ws.add_users(&[("vic@x.com".into(), WorkspaceAdmin)], &dir),
            Err(WorkspaceError::ViewerAsAdmin {
                email: "vic@x.com".into()
            })
        );
        ws.add_users(
            &[
                ("Olivia@x.com".into(), WorkspaceAdmin),
                ("olivia@x.com".into(), Plain),
                ("owner@x.com".into(), WorkspaceAdmin),
            ],
            &dir,
        )
        .unwrap();
        assert!(
            ws.is_user("olivia@x.com") && !ws.is_admin("olivia@x.com"),
            "last role wins"
        );
        assert!(!ws.is_user("owner@x.com"), "the owner is skipped");
        ws.set_roles(&[("ryan@x.com".into(), Plain)], &dir).unwrap();
        assert!(!ws.is_admin("ryan@x.com") && ws.is_user("ryan@x.com"));
        ws.set_active(&emails(&["amelia@x.com", "owner@x.com"]), false)
            .unwrap();
        ws.set_active(&emails(&["amelia@x.com"]), false).unwrap();
        assert_eq!(ws.inactive_users(), emails(&["Amelia@x.com"]));
        let views = emails(&["200"]);
        let read = content(&[Permission::Read]);
        let amelia = emails(&["amelia@x.com"]);
        let mut by_ryan = batch(&views, &amelia, &[], &read, OnExisting::Refuse);
        by_ryan.sharer = "ryan@x.com";
        ws.share(by_ryan, &dir).unwrap();
        ws.remove_users(&emails(&["AMELIA@x.com", "owner@x.com"]))
            .unwrap();
        assert!(!ws.is_user("amelia@x.com") && !ws.is_admin("amelia@x.com"));
        assert!(ws.inactive_users().is_empty() && ws.shares().is_empty());
        assert!(ws.groups()[0].members.is_empty());
        assert_eq!(
            ws.remove_users(&emails(&["amelia@x.com"])),
            Err(WorkspaceError::NotWorkspaceUser {
                email: "amelia@x.com".into()
            })
        );
    }

    #[test]
    fn groups_names_members_and_deletion() {
        let dir = directory();
        let mut ws = workspace();
        assert_eq!(
            ws.create_group("301".into(), "g", "", &emails(&["ryan@x.com"]), &dir),
            Err(WorkspaceError::GroupNameTaken)
        );
        assert_eq!(
            ws.create_group("301".into(), "H", "", &emails(&["olivia@x.com"]), &dir),
            Err(WorkspaceError::NotWorkspaceUser {
                email: "olivia@x.com".into()
            })
        );
        ws.create_group(
            "301".into(),
            "H",
            "d",
            &emails(&["OWNER@x.com", "ryan@x.com", "RYAN@x.com"]),
            &dir,
        )
        .unwrap();
        assert_eq!(
            ws.group("301").unwrap().members,
            emails(&["Owner@x.com", "ryan@x.com"])
        );
        assert_eq!(
            ws.rename_group("301", "G", ""),
            Err(WorkspaceError::GroupNameTaken)
        );
        ws.rename_group("301", "h", "").unwrap();
        let (views, groups) = (emails(&["200"]), emails(&["301"]));
        let read = content(&[Permission::Read]);
        ws.share(batch(&views, &[], &groups, &read, OnExisting::Refuse), &dir)
            .unwrap();
        ws.delete_group("301").unwrap();
        assert!(ws.shares().is_empty(), "its shares went with it");
    }

    #[test]
    fn ids_are_minted_in_order_and_renewed_with_references_following() {
        let mut parts = WorkspaceParts {
            id: String::new(),
            owner_email: "owner@x.com".into(),
            name: "W".into(),
            description: String::new(),
            created_time: Timestamp(0),
            admins: Vec::new(),
            users: Vec::new(),
            inactive_users: Vec::new(),
            folders: Vec::new(),
            views: vec![view("", "A", "owner@x.com"), view("", "B", "owner@x.com")],
            groups: Vec::new(),
            shares: Vec::new(),
        };
        for v in &mut parts.views {
            v.folder.clear();
        }
        let mut workspaces = Workspaces::default();
        workspaces.add(Workspace::from_parts(parts)).unwrap();
        let mut next = 0;
        workspaces.mint_missing_ids(|| {
            next += 1;
            next.to_string()
        });
        let ws = &workspaces.all()[0];
        assert_eq!(ws.id(), "1");
        assert_eq!(ws.folders()[0].id, "2");
        assert_eq!(ws.folders()[0].name, "Default");
        assert_eq!(
            (ws.views()[0].id.as_str(), ws.views()[1].id.as_str()),
            ("3", "4")
        );
        assert!(ws.views().iter().all(|v| v.folder == "2"));

        let mut copy = Workspaces::default();
        let mut ws = workspace();
        ws.views[1].parent = Some("200".into());
        let dir = directory();
        let read = content(&[Permission::Read]);
        let (views, groups) = (emails(&["201"]), emails(&["300"]));
        ws.share(batch(&views, &[], &groups, &read, OnExisting::Refuse), &dir)
            .unwrap();
        copy.add(ws).unwrap();
        let mut next = 1000;
        copy.renew_ids(|| {
            next += 1;
            next.to_string()
        });
        let ws = &copy.all()[0];
        assert_eq!(
            copy.ids().collect::<Vec<_>>(),
            ["1001", "1002", "1003", "1004", "1005"]
        );
        assert_eq!(ws.views()[0].folder, "1002");
        assert_eq!(ws.views()[1].parent.as_deref(), Some("1003"));
        assert_eq!(ws.shares()[0].view, "1004");
        assert_eq!(ws.shares()[0].target, ShareTarget::Group("1005".into()));
    }
}

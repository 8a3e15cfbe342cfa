//! Analytics workspaces: an owner, the workspace admins and the users it is shared with, and the
//! rules for changing the admins. Emails compare case-insensitively; the owner is never one of
//! the admins; every change is all-or-nothing.

use crate::dirty::Dirty;
use crate::tenant::directory::Directory;

/// A workspace: named by its owner's email and its name, shared with `users`, administered by
/// `admins` as well as by its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    /// 19-digit id (for the later v2 API); empty until minted.
    id: String,
    owner_email: String,
    name: String,
    admins: Vec<String>,
    users: Vec<String>,
}

/// A workspace whose owner is one of its admins, which never holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnerIsAdmin;

/// Why a batch of admin changes was refused, naming the first offending email in list order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminChangeError {
    /// Removal of an email that is not a current admin (the owner never is one).
    NotAdmin { email: String },
    /// Addition of an email that is no user of the org.
    NotOrgUser { email: String },
    /// Addition of a user who is not active.
    InactiveUser { email: String },
}

impl Workspace {
    /// A workspace as a fixture gives it (`id` empty: minted later); the owner must not be one
    /// of the admins. Emails are as given (the caller has checked them against the directory).
    pub fn new(
        id: String,
        owner_email: String,
        name: String,
        admins: Vec<String>,
        users: Vec<String>,
    ) -> Result<Self, OwnerIsAdmin> {
        let workspace = Workspace {
            id,
            owner_email,
            name,
            admins,
            users,
        };
        if workspace.is_admin(&workspace.owner_email) {
            return Err(OwnerIsAdmin);
        }
        Ok(workspace)
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

    /// In the order they became admins.
    pub fn admins(&self) -> &[String] {
        &self.admins
    }

    /// In the order the workspace was shared with them.
    pub fn users(&self) -> &[String] {
        &self.users
    }

    pub fn is_admin(&self, email: &str) -> bool {
        self.admins.iter().any(|a| a.eq_ignore_ascii_case(email))
    }

    pub fn is_owner(&self, email: &str) -> bool {
        self.owner_email.eq_ignore_ascii_case(email)
    }

    pub fn is_user(&self, email: &str) -> bool {
        self.users.iter().any(|u| u.eq_ignore_ascii_case(email))
    }

    /// True when the workspace is the one `/api/{owner_email}/{name}` names.
    pub fn is_named(&self, owner_email: &str, name: &str) -> bool {
        self.is_owner(owner_email) && self.name == name
    }

    /// Removes every email from the admins (they stay users), or nothing when one of them is not
    /// an admin. Removing the last admin is allowed.
    pub fn remove_admins(&mut self, emails: &[String]) -> Result<(), AdminChangeError> {
        if let Some(email) = emails.iter().find(|e| !self.is_admin(e)) {
            return Err(AdminChangeError::NotAdmin {
                email: email.clone(),
            });
        }
        self.admins
            .retain(|admin| !emails.iter().any(|e| e.eq_ignore_ascii_case(admin)));
        Ok(())
    }

    /// Makes every email an admin, spelled as the org's user record spells it, and a user of the
    /// workspace when it is not one yet. Every email must be an active user of `directory`
    /// (checked in list order); current admins and the owner are skipped.
    pub fn add_admins(
        &mut self,
        emails: &[String],
        directory: &Directory,
    ) -> Result<(), AdminChangeError> {
        let mut additions: Vec<&str> = Vec::new();
        for email in emails {
            let user =
                directory
                    .user_by_email(email)
                    .ok_or_else(|| AdminChangeError::NotOrgUser {
                        email: email.clone(),
                    })?;
            if !user.is_active() {
                return Err(AdminChangeError::InactiveUser {
                    email: email.clone(),
                });
            }
            let skip = self.is_owner(&user.email)
                || self.is_admin(&user.email)
                || additions
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&user.email));
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

    /// Gives every workspace without an id one from `mint`, in list order.
    pub fn mint_missing_ids(&mut self, mut mint: impl FnMut() -> String) {
        for workspace in &mut self.list {
            if workspace.id.is_empty() {
                workspace.id = mint();
            }
        }
    }

    pub fn all(&self) -> &[Workspace] {
        &self.list
    }

    /// Every workspace id (one still to be minted is empty).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|w| w.id.as_str())
    }

    /// The workspace `/api/{owner_email}/{name}` names.
    pub fn find(&self, owner_email: &str, name: &str) -> Option<(WorkspaceSlot, &Workspace)> {
        self.list
            .iter()
            .enumerate()
            .find(|(_, w)| w.is_named(owner_email, name))
            .map(|(index, w)| (WorkspaceSlot(index), w))
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
    use crate::tenant::directory::{User, UserStatus};

    fn user(email: &str, status: UserStatus) -> User {
        User {
            id: "4150868000001199001".into(),
            email: email.into(),
            full_name: email.into(),
            role: "4150868000000026005".into(),
            profile: "Standard".into(),
            status,
            zuid: String::new(),
        }
    }

    fn directory() -> Directory {
        let users = vec![
            user("Owner@x.com", UserStatus::Active),
            user("Amelia@x.com", UserStatus::Active),
            user("ryan@x.com", UserStatus::Active),
            user("olivia@x.com", UserStatus::Active),
            user("derek@x.com", UserStatus::Disabled),
        ];
        Directory::new(users, Vec::new(), Vec::new())
    }

    fn workspace_with_users(users: &[&str]) -> Workspace {
        Workspace::new(
            "4150868000002100001".into(),
            "owner@x.com".into(),
            "Sales".into(),
            emails(&["Amelia@x.com", "ryan@x.com"]),
            emails(users),
        )
        .unwrap()
    }

    fn workspace() -> Workspace {
        workspace_with_users(&["Amelia@x.com"])
    }

    fn emails(list: &[&str]) -> Vec<String> {
        list.iter().map(|e| (*e).to_owned()).collect()
    }

    #[test]
    fn lookup_compares_owner_without_case_and_name_exactly() {
        let ws = workspace();
        assert!(ws.is_named("OWNER@X.COM", "Sales"));
        assert!(!ws.is_named("owner@x.com", "sales"));
        assert!(!ws.is_named("amelia@x.com", "Sales"));
    }

    #[test]
    fn remove_takes_admins_out_and_keeps_them_as_users() {
        let mut ws = workspace();
        ws.remove_admins(&emails(&["AMELIA@x.com"])).unwrap();
        assert_eq!(ws.admins, emails(&["ryan@x.com"]));
        assert_eq!(ws.users, emails(&["Amelia@x.com"]));
        ws.remove_admins(&emails(&["ryan@x.com"])).unwrap();
        assert!(ws.admins.is_empty(), "the last admin may go");
    }

    #[test]
    fn remove_refuses_the_whole_batch_naming_the_first_non_admin() {
        let mut ws = workspace();
        let err = ws
            .remove_admins(&emails(&["ryan@x.com", "olivia@x.com", "nobody@x.com"]))
            .unwrap_err();
        assert_eq!(
            err,
            AdminChangeError::NotAdmin {
                email: "olivia@x.com".into()
            }
        );
        assert_eq!(ws, workspace(), "nothing changed");
        let err = ws.remove_admins(&emails(&["Owner@X.com"])).unwrap_err();
        assert_eq!(
            err,
            AdminChangeError::NotAdmin {
                email: "Owner@X.com".into()
            }
        );
    }

    #[test]
    fn add_appends_in_list_order_with_the_directory_spelling() {
        let mut ws = workspace();
        ws.add_admins(
            &emails(&["OLIVIA@X.COM", "amelia@x.com", "owner@x.com", "ryan@x.com"]),
            &directory(),
        )
        .unwrap();
        assert_eq!(
            ws.admins,
            emails(&["Amelia@x.com", "ryan@x.com", "olivia@x.com"])
        );
        assert_eq!(ws.users, emails(&["Amelia@x.com", "olivia@x.com"]));
        assert!(!ws.is_admin("owner@x.com"), "the owner is never an admin");
    }

    #[test]
    fn add_appends_to_users_only_when_missing() {
        let mut ws = workspace_with_users(&["Amelia@x.com", "OLIVIA@x.com"]);
        ws.add_admins(&emails(&["olivia@x.com"]), &directory())
            .unwrap();
        assert_eq!(ws.users, emails(&["Amelia@x.com", "OLIVIA@x.com"]));
        assert_eq!(ws.admins.last().map(String::as_str), Some("olivia@x.com"));
    }

    #[test]
    fn add_refuses_the_whole_batch_at_the_first_bad_email() {
        let mut ws = workspace();
        let err = ws
            .add_admins(
                &emails(&["olivia@x.com", "derek@x.com", "nobody@x.com"]),
                &directory(),
            )
            .unwrap_err();
        assert_eq!(
            err,
            AdminChangeError::InactiveUser {
                email: "derek@x.com".into()
            }
        );
        let err = ws
            .add_admins(
                &emails(&["olivia@x.com", "nobody@x.com", "derek@x.com"]),
                &directory(),
            )
            .unwrap_err();
        assert_eq!(
            err,
            AdminChangeError::NotOrgUser {
                email: "nobody@x.com".into()
            }
        );
        assert_eq!(ws, workspace(), "nothing changed");
    }
}

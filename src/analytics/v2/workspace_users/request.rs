//! The `CONFIG` of the users routes (spec §8.2 to §8.5), read in the sub-steps of §4 step 6.
//! `POST …/users` and `PUT …/users/role` take one entry (`emailIds`, `role`, `domainName`) or,
//! in bulk mode, 1 to 20 of them under `users` (the top-level keys are then ignored).

use crate::analytics::v2::config::{
    BULK_LIMIT, Config, LIST_LIMIT, check_domain, check_emails, not_empty, within,
};
use crate::analytics::v2::error::V2Error;
use crate::analytics::workspaces::model::WorkspaceRole;

/// The role names as sent: exact case, no custom roles (spec §1.2).
const USER: &str = "USER";
const WORKSPACE_ADMIN: &str = "WORKSPACEADMIN";

/// One entry: emails with a role.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    emails: Vec<String>,
    /// As sent; absent is `USER`.
    role: Option<String>,
    domain: Option<String>,
}

/// `POST …/users` or `PUT …/users/role`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsersRequest {
    entries: Vec<Entry>,
}

/// `DELETE …/users`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoveRequest {
    pub emails: Vec<String>,
}

/// `PUT …/users/status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusRequest {
    emails: Vec<String>,
    operation: String,
    domain: Option<String>,
}

/// `POST …/users`: `role` may be left out.
pub fn add(config: &Config) -> Result<UsersRequest, V2Error> {
    users(config, false)
}

/// `PUT …/users/role`: `role` is required in every entry.
pub fn role(config: &Config) -> Result<UsersRequest, V2Error> {
    users(config, true)
}

fn users(config: &Config, role_required: bool) -> Result<UsersRequest, V2Error> {
    let require = |entry: &Config| -> Result<(), V2Error> {
        entry.require("emailIds")?;
        if role_required {
            entry.require("role")?;
        }
        Ok(())
    };
    let read = |entry: &Config| -> Result<Entry, V2Error> {
        Ok(Entry {
            emails: entry.emails("emailIds")?.unwrap_or_default(),
            role: entry.string("role")?,
            domain: entry.string("domainName")?,
        })
    };
    let entries = if config.has("users") {
        let bulk = config.objects("users")?.unwrap_or_default();
        bulk.iter().try_for_each(require)?;
        let entries = bulk.iter().map(read).collect::<Result<Vec<_>, _>>()?;
        not_empty(Some(&entries))?;
        for entry in &entries {
            not_empty(Some(&entry.emails))?;
        }
        within(Some(&entries), BULK_LIMIT)?;
        entries
    } else {
        require(config)?;
        let entry = read(config)?;
        not_empty(Some(&entry.emails))?;
        vec![entry]
    };
    for entry in &entries {
        within(Some(&entry.emails), LIST_LIMIT)?;
    }
    Ok(UsersRequest { entries })
}

pub fn remove(config: &Config) -> Result<RemoveRequest, V2Error> {
    config.require("emailIds")?;
    let emails = config.emails("emailIds")?.unwrap_or_default();
    not_empty(Some(&emails))?;
    within(Some(&emails), LIST_LIMIT)?;
    Ok(RemoveRequest { emails })
}

pub fn status(config: &Config) -> Result<StatusRequest, V2Error> {
    config.require("emailIds")?;
    config.require("operation")?;
    let emails = config.emails("emailIds")?.unwrap_or_default();
    let operation = config.string("operation")?.unwrap_or_default();
    let domain = config.string("domainName")?;
    not_empty(Some(&emails))?;
    if operation.trim().is_empty() {
        return Err(V2Error::EmptyAttribute);
    }
    within(Some(&emails), LIST_LIMIT)?;
    Ok(StatusRequest {
        emails,
        operation,
        domain,
    })
}

impl UsersRequest {
    /// Whether the request, as sent, gives the `WORKSPACEADMIN` role to someone, or `USER` to
    /// one of `is_admin` (step 8: only Account Admins, Org Admins and the owner may).
    pub fn touches_admins(&self, is_admin: impl Fn(&str) -> bool) -> bool {
        self.entries
            .iter()
            .any(|entry| match entry.role.as_deref() {
                Some(WORKSPACE_ADMIN) => true,
                None | Some(USER) => entry.emails.iter().any(|e| is_admin(e)),
                Some(_) => false,
            })
    }

    /// Step 9, entry by entry: emails (8509), role (7550), `domainName` (8060). The emails with
    /// their roles, in request order.
    pub fn entries(&self) -> Result<Vec<(String, WorkspaceRole)>, V2Error> {
        let mut out = Vec::new();
        for entry in &self.entries {
            check_emails(&entry.emails)?;
            let role = match entry.role.as_deref() {
                None | Some(USER) => WorkspaceRole::User,
                Some(WORKSPACE_ADMIN) => WorkspaceRole::WorkspaceAdmin,
                Some(other) => {
                    return Err(V2Error::RoleNotPresent {
                        role: other.to_owned(),
                    });
                }
            };
            check_domain(entry.domain.as_deref())?;
            out.extend(entry.emails.iter().map(|e| (e.clone(), role)));
        }
        Ok(out)
    }
}

impl RemoveRequest {
    /// Step 9: emails (8509).
    pub fn check_values(&self) -> Result<(), V2Error> {
        check_emails(&self.emails)
    }
}

impl StatusRequest {
    /// Step 9: emails (8509), `operation` (8119), `domainName` (8060); the emails and whether
    /// they are to be active.
    pub fn values(&self) -> Result<(&[String], bool), V2Error> {
        check_emails(&self.emails)?;
        let active = match self.operation.as_str() {
            "activate" => true,
            "deactivate" => false,
            _ => return Err(V2Error::InvalidAttributeValue),
        };
        check_domain(self.domain.as_deref())?;
        Ok((&self.emails, active))
    }
}

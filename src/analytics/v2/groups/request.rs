//! The `CONFIG` of the groups routes (spec §9.2, §9.4, §9.6, §9.7), read in the sub-steps of
//! §4 step 6; the value rules of step 9 run once the caller may act.

use crate::analytics::v2::config::{
    Config, LIST_LIMIT, check_domain, check_emails, not_empty, within,
};
use crate::analytics::v2::error::V2Error;

/// `POST …/groups`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateRequest {
    /// Trimmed.
    pub name: String,
    pub description: String,
    emails: Vec<String>,
    domain: Option<String>,
}

/// `PUT …/groups/{g}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameRequest {
    /// Trimmed.
    pub name: String,
    /// Absent resets the description to `""` (spec §9.4).
    pub description: String,
}

/// `POST` and `DELETE …/groups/{g}/members`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembersRequest {
    emails: Vec<String>,
    domain: Option<String>,
}

/// A required name: there (8079), a string (8516), not blank once trimmed (8078).
fn name(config: &Config) -> Result<String, V2Error> {
    let name = config.string("groupName")?.unwrap_or_default();
    Ok(name.trim().to_owned())
}

pub fn create(config: &Config) -> Result<CreateRequest, V2Error> {
    config.require("groupName")?;
    config.require("emailIds")?;
    let name = name(config)?;
    let emails = config.emails("emailIds")?.unwrap_or_default();
    let description = config.string("groupDesc")?.unwrap_or_default();
    config.boolean("inviteMail")?;
    config.string("mailSubject")?;
    config.string("mailMessage")?;
    let domain = config.string("domainName")?;
    if name.is_empty() {
        return Err(V2Error::EmptyAttribute);
    }
    not_empty(Some(&emails))?;
    within(Some(&emails), LIST_LIMIT)?;
    Ok(CreateRequest {
        name,
        description,
        emails,
        domain,
    })
}

pub fn rename(config: &Config) -> Result<RenameRequest, V2Error> {
    config.require("groupName")?;
    let name = name(config)?;
    let description = config.string("groupDesc")?.unwrap_or_default();
    if name.is_empty() {
        return Err(V2Error::EmptyAttribute);
    }
    Ok(RenameRequest { name, description })
}

/// `POST …/members` (`inviteMail`) and `DELETE …/members` (`notifyMail`).
pub fn members(config: &Config, mail_flag: &str) -> Result<MembersRequest, V2Error> {
    config.require("emailIds")?;
    let emails = config.emails("emailIds")?.unwrap_or_default();
    config.boolean(mail_flag)?;
    let domain = config.string("domainName")?;
    not_empty(Some(&emails))?;
    within(Some(&emails), LIST_LIMIT)?;
    Ok(MembersRequest { emails, domain })
}

impl CreateRequest {
    /// Step 9: emails (8509), `domainName` (8060).
    pub fn emails(&self) -> Result<&[String], V2Error> {
        check_emails(&self.emails)?;
        check_domain(self.domain.as_deref())?;
        Ok(&self.emails)
    }
}

impl MembersRequest {
    /// Step 9: emails (8509), `domainName` (8060).
    pub fn emails(&self) -> Result<&[String], V2Error> {
        check_emails(&self.emails)?;
        check_domain(self.domain.as_deref())?;
        Ok(&self.emails)
    }
}

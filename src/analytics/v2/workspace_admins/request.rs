//! The `CONFIG` of `POST` and `DELETE …/admins` (spec §6): `emailIds` (required, non-empty),
//! `domainName`, and `inviteMail` (POST) or `notifyMail` (DELETE).

use crate::analytics::v2::config::{
    Config, LIST_LIMIT, check_domain, check_emails, not_empty, within,
};
use crate::analytics::v2::error::V2Error;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminsRequest {
    emails: Vec<String>,
    domain: Option<String>,
}

/// `POST …/admins`.
pub fn add(config: &Config) -> Result<AdminsRequest, V2Error> {
    read(config, "inviteMail")
}

/// `DELETE …/admins`.
pub fn remove(config: &Config) -> Result<AdminsRequest, V2Error> {
    read(config, "notifyMail")
}

/// Step 6 (f) to (i) over `emailIds`, `domainName` and the mail flag.
fn read(config: &Config, mail_flag: &str) -> Result<AdminsRequest, V2Error> {
    config.require("emailIds")?;
    let emails = config.emails("emailIds")?;
    let domain = config.string("domainName")?;
    config.boolean(mail_flag)?;
    not_empty(emails.as_deref())?;
    within(emails.as_deref(), LIST_LIMIT)?;
    Ok(AdminsRequest {
        emails: emails.unwrap_or_default(),
        domain,
    })
}

impl AdminsRequest {
    /// Step 9: the emails (8509), then `domainName` (8060); the emails to change.
    pub fn emails(&self) -> Result<&[String], V2Error> {
        check_emails(&self.emails)?;
        check_domain(self.domain.as_deref())?;
        Ok(&self.emails)
    }
}

//! Checks of the spec's processing order that several CRM endpoints share, with their CRM
//! errors: a scope, and the Administrator profile.

use crate::auth::CallerRef;

use super::error::CrmError;

/// The caller's token grants `scope` (or a scope covering it).
pub fn scope(caller: &CallerRef<'_>, scope: &str) -> Result<(), CrmError> {
    if caller.allows(&[scope]) {
        Ok(())
    } else {
        Err(CrmError::OAuthScopeMismatch)
    }
}

/// The caller has the Administrator profile (the rules family's refusal otherwise).
pub fn administrator(caller: &CallerRef<'_>) -> Result<(), CrmError> {
    administrator_or(caller, CrmError::NoPermission)
}

/// The caller has the Administrator profile; `refusal` is the endpoint's answer otherwise.
pub fn administrator_or(caller: &CallerRef<'_>, refusal: CrmError) -> Result<(), CrmError> {
    if caller.user.is_administrator() {
        Ok(())
    } else {
        Err(refusal)
    }
}

//! The `type` filter of `GET /crm/{v}/users`.

use crate::crm::error::CrmError;
use crate::crm::extract::CrmQuery;
use crate::tenant::directory::User;

/// Which users a list holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserFilter {
    /// `AllUsers`, or no `type`.
    All,
    ActiveUsers,
    /// The caller alone.
    CurrentUser,
    AdminUsers,
}

impl UserFilter {
    pub fn parse(query: &CrmQuery) -> Result<Self, CrmError> {
        match query.get("type") {
            None | Some("AllUsers") => Ok(UserFilter::All),
            Some("ActiveUsers") => Ok(UserFilter::ActiveUsers),
            Some("CurrentUser") => Ok(UserFilter::CurrentUser),
            Some("AdminUsers") => Ok(UserFilter::AdminUsers),
            Some(_) => Err(CrmError::InvalidParam { param: "type" }),
        }
    }

    pub fn admits(self, user: &User, caller: &User) -> bool {
        match self {
            UserFilter::All => true,
            UserFilter::ActiveUsers => user.is_active(),
            UserFilter::CurrentUser => user.id == caller.id,
            UserFilter::AdminUsers => user.is_administrator(),
        }
    }
}

//! Analytics workspaces: an owner, the workspace admins and the users it is shared with.
//! Emails compare case-insensitively; the owner is never listed among the admins.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    /// 19-digit id, derived when absent (for the later v2 API).
    #[serde(default, deserialize_with = "crate::ids::deserialize_id")]
    pub id: String,
    pub owner_email: String,
    pub name: String,
    #[serde(default)]
    pub admins: Vec<String>,
    #[serde(default)]
    pub users: Vec<String>,
}

impl Workspace {
    pub fn is_admin(&self, email: &str) -> bool {
        self.admins.iter().any(|a| a.eq_ignore_ascii_case(email))
    }

    pub fn is_owner(&self, email: &str) -> bool {
        self.owner_email.eq_ignore_ascii_case(email)
    }
}

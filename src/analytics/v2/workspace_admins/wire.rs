//! `GET …/admins`: `{"workspaceAdmins":[{"adminMembers":[...]}]}`, one entry holding the
//! admins in stored order (spec §6).

use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Admins<'a> {
    pub workspace_admins: [AdminMembers<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminMembers<'a> {
    pub admin_members: &'a [String],
}

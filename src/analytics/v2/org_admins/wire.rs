//! `GET /restapi/v2/orgadmins`: `{"orgAdmins":[...]}`.

use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgAdmins<'a> {
    pub org_admins: Vec<&'a str>,
}

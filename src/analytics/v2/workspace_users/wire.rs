//! `GET …/users` (spec §8.1): `{"users":[{"emailId","status","role"}]}`.

use serde::Serialize;

#[derive(Serialize)]
pub struct Users {
    pub users: Vec<UserRow>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    pub email_id: String,
    pub status: bool,
    pub role: &'static str,
}

//! The org document's `analytics` section (DESIGN §3): the workspaces, each named by its
//! owner's email and its name, with the emails of its admins and users. Emails must be those of
//! the org's users (ignoring case); absent ids are minted after every other id of the org is
//! known.

use crate::json_doc::{FixtureError, SeenIds, check_decimal, fail};
use crate::tenant::directory::Directory;

use super::model::{Workspace, Workspaces};

/// The section's document types: the fixture contract (DESIGN §3). They keep the names serde
/// has always printed in type errors (`expected struct Workspace`), which are part of the
/// whole-file error messages.
pub mod doc {
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Debug, Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AnalyticsDoc {
        #[serde(default)]
        pub workspaces: Vec<Workspace>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Workspace {
        /// 19-digit id, minted when absent (for the later v2 API).
        #[serde(default, deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
        pub owner_email: String,
        pub name: String,
        #[serde(default)]
        pub admins: Vec<String>,
        #[serde(default)]
        pub users: Vec<String>,
    }
}

/// `analytics.workspaces`, in document order. Workspaces without an id keep an empty one until
/// the caller mints it (`Workspaces::mint_missing_ids`).
pub fn load(
    doc: doc::AnalyticsDoc,
    directory: &Directory,
    path: &str,
    seen: &mut SeenIds,
) -> Result<Workspaces, FixtureError> {
    let email_known = |email: &str| directory.user_by_email(email).is_some();
    let mut workspaces = Workspaces::default();
    for (i, ws) in doc.workspaces.into_iter().enumerate() {
        let p = format!("{path}.analytics.workspaces[{i}]");
        if !ws.id.is_empty() {
            check_decimal(format!("{p}.id"), &ws.id)?;
            seen.claim(format!("{p}.id"), "workspace", &ws.id)?;
        }
        if ws.name.is_empty() {
            return fail(format!("{p}.name"), "name must not be empty");
        }
        if !email_known(&ws.owner_email) {
            return fail(
                format!("{p}.owner_email"),
                format!("{:?} is not the email of a user of the org", ws.owner_email),
            );
        }
        let duplicate = || {
            fail(
                format!("{p}.name"),
                format!("duplicate workspace {:?} of {}", ws.name, ws.owner_email),
            )
        };
        if workspaces.find(&ws.owner_email, &ws.name).is_some() {
            return duplicate();
        }
        for (key, list) in [("admins", &ws.admins), ("users", &ws.users)] {
            for (e, email) in list.iter().enumerate() {
                if !email_known(email) {
                    return fail(
                        format!("{p}.{key}[{e}]"),
                        format!("{email:?} is not the email of a user of the org"),
                    );
                }
                if list[..e].iter().any(|o| o.eq_ignore_ascii_case(email)) {
                    return fail(
                        format!("{p}.{key}[{e}]"),
                        format!("duplicate email {email:?}"),
                    );
                }
            }
        }
        let Ok(workspace) = Workspace::new(
            ws.id.clone(),
            ws.owner_email.clone(),
            ws.name.clone(),
            ws.admins.clone(),
            ws.users.clone(),
        ) else {
            return fail(
                format!("{p}.admins"),
                "the workspace owner is never one of its admins",
            );
        };
        if workspaces.add(workspace).is_err() {
            return duplicate();
        }
    }
    Ok(workspaces)
}

pub fn export(workspaces: &Workspaces) -> doc::AnalyticsDoc {
    doc::AnalyticsDoc {
        workspaces: workspaces.all().iter().map(export_workspace).collect(),
    }
}

/// One workspace as `analytics.workspaces` lists it (the state file keeps each workspace in
/// this form).
pub fn export_workspace(workspace: &Workspace) -> doc::Workspace {
    doc::Workspace {
        id: workspace.id().to_owned(),
        owner_email: workspace.owner_email().to_owned(),
        name: workspace.name().to_owned(),
        admins: workspace.admins().to_vec(),
        users: workspace.users().to_vec(),
    }
}

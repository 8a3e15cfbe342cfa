//! The org document's `analytics` section (DESIGN §3): the workspaces, each named by its
//! owner's email and its name, with its admins, users, deactivated users, folders, views,
//! groups and view shares. Emails must be those of the org's users (ignoring case). The whole
//! section is checked in document order and refused at the JSON path of its first problem;
//! admins missing from `users` are appended to it; absent ids are minted after every other id
//! of the org is known (`Workspaces::mint_missing_ids`). Export writes every key.

use serde_json::Value;

use crate::clock::Timestamp;
use crate::json_doc::{FixtureError, SeenIds, check_decimal, fail};
use crate::tenant::directory::{AnalyticsRole, Directory};

use super::model::{
    ColumnList, Folder, Group, Share, ShareContent, ShareTarget, View, Workspace, WorkspaceParts,
    Workspaces, same_email, same_name,
};
use super::permissions::{Permission, PermissionSet};

/// The section's document types: the fixture contract (DESIGN §3). They keep the names serde
/// has always printed in type errors (`expected struct Workspace`), which are part of the
/// whole-file error messages.
pub mod doc {
    use indexmap::IndexMap;
    use serde::{Deserialize, Deserializer, Serialize};
    use serde_json::Value;

    use crate::analytics::workspaces::model::ViewType;
    use crate::clock::Timestamp;

    #[derive(Clone, Debug, Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AnalyticsDoc {
        #[serde(default)]
        pub workspaces: Vec<Workspace>,
    }

    /// Keys in export order (DESIGN §3).
    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Workspace {
        /// 19-digit id, minted when absent.
        #[serde(default, deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
        pub owner_email: String,
        pub name: String,
        #[serde(default)]
        pub description: String,
        /// `2026-01-01T00:00:00+00:00` when absent.
        #[serde(default)]
        pub created_time: Option<Timestamp>,
        #[serde(default)]
        pub admins: Vec<String>,
        #[serde(default)]
        pub users: Vec<String>,
        #[serde(default)]
        pub inactive_users: Vec<String>,
        /// Absent or `[]`: one `Default` folder, minted.
        #[serde(default)]
        pub folders: Vec<Folder>,
        #[serde(default)]
        pub views: Vec<View>,
        #[serde(default)]
        pub groups: Vec<Group>,
        #[serde(default)]
        pub shares: Vec<Share>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Folder {
        #[serde(default, deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
        pub name: String,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct View {
        #[serde(default, deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
        pub name: String,
        #[serde(default, rename = "type")]
        pub kind: ViewType,
        /// The workspace's owner when absent.
        #[serde(default)]
        pub owner: Option<String>,
        #[serde(default)]
        pub description: String,
        /// The workspace's first folder when absent.
        #[serde(default, deserialize_with = "optional_id")]
        pub folder: Option<String>,
        #[serde(default, deserialize_with = "optional_id")]
        pub parent: Option<String>,
        /// The workspace's `created_time` when absent.
        #[serde(default)]
        pub created_time: Option<Timestamp>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Group {
        #[serde(default, deserialize_with = "crate::ids::deserialize_id")]
        pub id: String,
        pub name: String,
        #[serde(default)]
        pub description: String,
        #[serde(default)]
        pub members: Vec<String>,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Share {
        #[serde(deserialize_with = "crate::ids::deserialize_id")]
        pub view: String,
        pub shared_with: SharedWith,
        /// Keys among the twenty of spec §7.1; a missing key is `false`.
        pub permissions: IndexMap<String, bool>,
        #[serde(default)]
        pub criteria: String,
        #[serde(default)]
        pub inherit_parent_filter_criteria: bool,
        /// `[{"tableName", "columnNames"}]`, checked by hand so that a bad entry is named.
        #[serde(default)]
        pub columns: Vec<Value>,
        #[serde(default)]
        pub vud_columns: Vec<Value>,
        #[serde(default)]
        pub drill_columns: Vec<Value>,
        #[serde(default)]
        pub include_all_cols_for_vud: bool,
        /// The workspace's owner when absent.
        #[serde(default)]
        pub shared_by: Option<String>,
        /// The workspace's `created_time` when absent.
        #[serde(default)]
        pub shared_time: Option<Timestamp>,
    }

    /// `{"type": "user", "email"}` or `{"type": "group", "id"}`.
    #[derive(Clone, Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SharedWith {
        #[serde(rename = "type")]
        pub kind: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "optional_id"
        )]
        pub id: Option<String>,
    }

    fn optional_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(deserialize_with = "crate::ids::deserialize_id")] String);
        Ok(Option::<Wrapped>::deserialize(d)?.map(|w| w.0))
    }
}

/// A workspace's `created_time` when the fixture gives none (DESIGN §3).
const DEFAULT_CREATED_TIME: Timestamp = Timestamp(1_767_225_600_000);

/// `analytics.workspaces`, in document order. Ids left out stay empty until the caller mints
/// them (`Workspaces::mint_missing_ids`).
pub fn load(
    doc: doc::AnalyticsDoc,
    directory: &Directory,
    path: &str,
    seen: &mut SeenIds,
) -> Result<Workspaces, FixtureError> {
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
        let duplicate = || {
            fail(
                format!("{p}.name"),
                format!("duplicate workspace {:?} of {}", ws.name, ws.owner_email),
            )
        };
        check_org_email(directory, &format!("{p}.owner_email"), &ws.owner_email)?;
        if workspaces.find(&ws.owner_email, &ws.name).is_some() {
            return duplicate();
        }
        let workspace = load_workspace(ws.clone(), directory, &p, seen)?;
        if workspaces.add(workspace).is_err() {
            return duplicate();
        }
    }
    Ok(workspaces)
}

fn load_workspace(
    ws: doc::Workspace,
    directory: &Directory,
    p: &str,
    seen: &mut SeenIds,
) -> Result<Workspace, FixtureError> {
    for (key, list) in [("admins", &ws.admins), ("users", &ws.users)] {
        check_email_list(directory, &format!("{p}.{key}"), list)?;
    }
    if let Some(u) = ws.users.iter().position(|u| same_email(u, &ws.owner_email)) {
        return fail(
            format!("{p}.users[{u}]"),
            "the workspace owner is never one of its users",
        );
    }
    if ws.admins.iter().any(|a| same_email(a, &ws.owner_email)) {
        return fail(
            format!("{p}.admins"),
            "the workspace owner is never one of its admins",
        );
    }
    for (a, admin) in ws.admins.iter().enumerate() {
        let viewer = directory
            .user_by_email(admin)
            .is_some_and(|u| u.analytics_role == AnalyticsRole::Viewer);
        if viewer {
            return fail(
                format!("{p}.admins[{a}]"),
                format!("{admin:?} is a Viewer and cannot be a Workspace Admin"),
            );
        }
    }
    // Normalisation: a Workspace Admin is always a workspace user.
    let mut users = ws.users.clone();
    for admin in &ws.admins {
        if !users.iter().any(|u| same_email(u, admin)) {
            users.push(admin.clone());
        }
    }
    let is_user = |email: &str| users.iter().any(|u| same_email(u, email));
    for (n, email) in ws.inactive_users.iter().enumerate() {
        let at = format!("{p}.inactive_users[{n}]");
        if !is_user(email) {
            return fail(at, format!("{email:?} is not in the workspace's users"));
        }
        if ws.inactive_users[..n].iter().any(|o| same_email(o, email)) {
            return fail(at, format!("duplicate email {email:?}"));
        }
    }
    let created_time = ws.created_time.unwrap_or(DEFAULT_CREATED_TIME);

    let mut folders: Vec<Folder> = Vec::new();
    for (f, folder) in ws.folders.into_iter().enumerate() {
        let at = format!("{p}.folders[{f}]");
        claim(seen, &format!("{at}.id"), "folder", &folder.id)?;
        check_name(
            &format!("{at}.name"),
            &folder.name,
            folders.iter().map(|f| &f.name),
        )?;
        folders.push(Folder {
            id: folder.id,
            name: folder.name,
        });
    }

    let mut views: Vec<View> = Vec::new();
    for (v, view) in ws.views.iter().enumerate() {
        let at = format!("{p}.views[{v}]");
        claim(seen, &format!("{at}.id"), "view", &view.id)?;
        check_name(
            &format!("{at}.name"),
            &view.name,
            views.iter().map(|v| &v.name),
        )?;
        let owner = match &view.owner {
            Some(owner) => {
                check_org_email(directory, &format!("{at}.owner"), owner)?;
                owner.clone()
            }
            None => ws.owner_email.clone(),
        };
        if let Some(folder) = &view.folder
            && !folders.iter().any(|f| f.id == *folder)
        {
            return fail(
                format!("{at}.folder"),
                format!("{folder:?} is not a folder of this workspace"),
            );
        }
        if let Some(parent) = &view.parent {
            if *parent == view.id {
                return fail(format!("{at}.parent"), "a view is never its own parent");
            }
            if parent.is_empty() || !ws.views.iter().any(|o| o.id == *parent) {
                return fail(
                    format!("{at}.parent"),
                    format!("{parent:?} is not a view of this workspace"),
                );
            }
        }
        views.push(View {
            id: view.id.clone(),
            name: view.name.clone(),
            kind: view.kind,
            owner,
            description: view.description.clone(),
            folder: view.folder.clone().unwrap_or_default(),
            parent: view.parent.clone(),
            created_time: view.created_time.unwrap_or(created_time),
        });
    }

    let mut groups: Vec<Group> = Vec::new();
    for (g, group) in ws.groups.into_iter().enumerate() {
        let at = format!("{p}.groups[{g}]");
        claim(seen, &format!("{at}.id"), "group", &group.id)?;
        check_name(
            &format!("{at}.name"),
            &group.name,
            groups.iter().map(|g| &g.name),
        )?;
        for (m, member) in group.members.iter().enumerate() {
            let at = format!("{at}.members[{m}]");
            if !(same_email(member, &ws.owner_email) || is_user(member)) {
                return fail(
                    at,
                    format!("{member:?} is neither the workspace's owner nor one of its users"),
                );
            }
            if group.members[..m].iter().any(|o| same_email(o, member)) {
                return fail(at, format!("duplicate email {member:?}"));
            }
        }
        groups.push(Group {
            id: group.id,
            name: group.name,
            description: group.description,
            members: group.members,
        });
    }

    let mut shares: Vec<Share> = Vec::new();
    for (s, share) in ws.shares.into_iter().enumerate() {
        let at = format!("{p}.shares[{s}]");
        let Some(view) = views
            .iter()
            .find(|v| !share.view.is_empty() && v.id == share.view)
        else {
            return fail(
                format!("{at}.view"),
                format!("{:?} is not a view of this workspace", share.view),
            );
        };
        let target = share_target(&share.shared_with, &at, view, &users, &groups)?;
        let permissions = permission_set(&share.permissions, &format!("{at}.permissions"))?;
        let columns = column_lists(&share.columns, &format!("{at}.columns"))?;
        let vud_columns = column_lists(&share.vud_columns, &format!("{at}.vud_columns"))?;
        let drill_columns = column_lists(&share.drill_columns, &format!("{at}.drill_columns"))?;
        let shared_by = match share.shared_by {
            Some(email) => {
                check_org_email(directory, &format!("{at}.shared_by"), &email)?;
                email
            }
            None => ws.owner_email.clone(),
        };
        let twice = shares
            .iter()
            .any(|o| o.view == share.view && same_target(&o.target, &target));
        if twice {
            return fail(
                format!("{at}.shared_with"),
                "the view is already shared with this target",
            );
        }
        shares.push(Share {
            view: share.view,
            target,
            content: ShareContent {
                permissions,
                criteria: share.criteria,
                inherit_parent_filter_criteria: share.inherit_parent_filter_criteria,
                columns,
                vud_columns,
                drill_columns,
                include_all_cols_for_vud: share.include_all_cols_for_vud,
            },
            shared_by,
            shared_time: share.shared_time.unwrap_or(created_time),
        });
    }

    Ok(Workspace::from_parts(WorkspaceParts {
        id: ws.id,
        owner_email: ws.owner_email,
        name: ws.name,
        description: ws.description,
        created_time,
        admins: ws.admins,
        users,
        inactive_users: ws.inactive_users,
        folders,
        views,
        groups,
        shares,
    }))
}

/// An id the document gives (an empty one is minted later): decimal, unique in the org.
fn claim(seen: &mut SeenIds, at: &str, what: &str, id: &str) -> Result<(), FixtureError> {
    if id.is_empty() {
        return Ok(());
    }
    check_decimal(at.to_owned(), id)?;
    seen.claim(at.to_owned(), what, id)
}

/// Not blank, and unique among the names before it ignoring case.
fn check_name<'a>(
    at: &str,
    name: &str,
    before: impl Iterator<Item = &'a String>,
) -> Result<(), FixtureError> {
    if name.trim().is_empty() {
        return fail(at, "name must not be blank");
    }
    let mut before = before;
    if before.any(|other| same_name(other, name)) {
        return fail(at, format!("duplicate name {name:?} (names ignore case)"));
    }
    Ok(())
}

fn check_org_email(directory: &Directory, at: &str, email: &str) -> Result<(), FixtureError> {
    if directory.user_by_email(email).is_none() {
        return fail(
            at,
            format!("{email:?} is not the email of a user of the org"),
        );
    }
    Ok(())
}

fn check_email_list(directory: &Directory, at: &str, list: &[String]) -> Result<(), FixtureError> {
    for (e, email) in list.iter().enumerate() {
        check_org_email(directory, &format!("{at}[{e}]"), email)?;
        if list[..e].iter().any(|o| same_email(o, email)) {
            return fail(format!("{at}[{e}]"), format!("duplicate email {email:?}"));
        }
    }
    Ok(())
}

fn share_target(
    with: &doc::SharedWith,
    at: &str,
    view: &View,
    users: &[String],
    groups: &[Group],
) -> Result<ShareTarget, FixtureError> {
    match with.kind.as_str() {
        "user" => {
            let email = with.email.as_deref().unwrap_or_default();
            let at = format!("{at}.shared_with.email");
            if !users.iter().any(|u| same_email(u, email)) {
                return fail(at, format!("{email:?} is not one of the workspace's users"));
            }
            if same_email(&view.owner, email) {
                return fail(at, format!("{email:?} owns the view"));
            }
            Ok(ShareTarget::User(email.to_owned()))
        }
        "group" => {
            let id = with.id.as_deref().unwrap_or_default();
            if !groups.iter().any(|g| !id.is_empty() && g.id == id) {
                return fail(
                    format!("{at}.shared_with.id"),
                    format!("{id:?} is not a group of this workspace"),
                );
            }
            Ok(ShareTarget::Group(id.to_owned()))
        }
        other => fail(
            format!("{at}.shared_with.type"),
            format!("unknown target type {other:?}: expected \"user\" or \"group\""),
        ),
    }
}

fn same_target(a: &ShareTarget, b: &ShareTarget) -> bool {
    match (a, b) {
        (ShareTarget::User(a), ShareTarget::User(b)) => same_email(a, b),
        (ShareTarget::Group(a), ShareTarget::Group(b)) => a == b,
        _ => false,
    }
}

/// Keys among the twenty of spec §7.1, and `read` true.
fn permission_set(
    given: &indexmap::IndexMap<String, bool>,
    at: &str,
) -> Result<PermissionSet, FixtureError> {
    let mut set = PermissionSet::default();
    for (key, on) in given {
        let Some(permission) = Permission::from_key(key) else {
            return fail(format!("{at}.{key}"), format!("unknown permission {key:?}"));
        };
        set = set.with(permission, *on);
    }
    if !set.has(Permission::Read) {
        return fail(format!("{at}.read"), "read must be true in every share");
    }
    Ok(set)
}

/// `[{"tableName": string, "columnNames": [string]}]`, nothing else.
fn column_lists(given: &[Value], at: &str) -> Result<Vec<ColumnList>, FixtureError> {
    given
        .iter()
        .enumerate()
        .map(|(c, entry)| {
            column_list(entry).ok_or_else(|| FixtureError {
                path: format!("{at}[{c}]"),
                message: "expected {\"tableName\": string, \"columnNames\": [string]}".to_owned(),
            })
        })
        .collect()
}

/// The one shape of a column list entry, in fixtures and requests alike.
pub fn column_list(entry: &Value) -> Option<ColumnList> {
    let object = entry.as_object()?;
    if object.len() != 2 {
        return None;
    }
    let table_name = object.get("tableName")?.as_str()?.to_owned();
    let column_names = object
        .get("columnNames")?
        .as_array()?
        .iter()
        .map(|c| c.as_str().map(str::to_owned))
        .collect::<Option<Vec<String>>>()?;
    Some(ColumnList {
        table_name,
        column_names,
    })
}

pub fn export(workspaces: &Workspaces) -> doc::AnalyticsDoc {
    doc::AnalyticsDoc {
        workspaces: workspaces.all().iter().map(export_workspace).collect(),
    }
}

/// One workspace as `analytics.workspaces` lists it (the state file keeps each workspace in
/// this form).
pub fn export_workspace(w: &Workspace) -> doc::Workspace {
    doc::Workspace {
        id: w.id().to_owned(),
        owner_email: w.owner_email().to_owned(),
        name: w.name().to_owned(),
        description: w.description().to_owned(),
        created_time: Some(w.created_time()),
        admins: w.admins().to_vec(),
        users: w.users().to_vec(),
        inactive_users: w.inactive_users().to_vec(),
        folders: w
            .folders()
            .iter()
            .map(|f| doc::Folder {
                id: f.id.clone(),
                name: f.name.clone(),
            })
            .collect(),
        views: w
            .views()
            .iter()
            .map(|v| doc::View {
                id: v.id.clone(),
                name: v.name.clone(),
                kind: v.kind,
                owner: Some(v.owner.clone()),
                description: v.description.clone(),
                folder: Some(v.folder.clone()),
                parent: v.parent.clone(),
                created_time: Some(v.created_time),
            })
            .collect(),
        groups: w
            .groups()
            .iter()
            .map(|g| doc::Group {
                id: g.id.clone(),
                name: g.name.clone(),
                description: g.description.clone(),
                members: g.members.clone(),
            })
            .collect(),
        shares: w.shares().iter().map(export_share).collect(),
    }
}

fn export_share(s: &Share) -> doc::Share {
    let shared_with = match &s.target {
        ShareTarget::User(email) => doc::SharedWith {
            kind: "user".to_owned(),
            email: Some(email.clone()),
            id: None,
        },
        ShareTarget::Group(id) => doc::SharedWith {
            kind: "group".to_owned(),
            email: None,
            id: Some(id.clone()),
        },
    };
    let columns = |lists: &[ColumnList]| -> Vec<Value> {
        lists
            .iter()
            .map(|c| serde_json::json!({"tableName": c.table_name, "columnNames": c.column_names}))
            .collect()
    };
    let content = &s.content;
    doc::Share {
        view: s.view.clone(),
        shared_with,
        permissions: Permission::ALL
            .into_iter()
            .map(|p| (p.key().to_owned(), content.permissions.has(p)))
            .collect(),
        criteria: content.criteria.clone(),
        inherit_parent_filter_criteria: content.inherit_parent_filter_criteria,
        columns: columns(&content.columns),
        vud_columns: columns(&content.vud_columns),
        drill_columns: columns(&content.drill_columns),
        include_all_cols_for_vud: content.include_all_cols_for_vud,
        shared_by: Some(s.shared_by.clone()),
        shared_time: Some(s.shared_time),
    }
}

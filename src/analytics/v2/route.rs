//! The route table of the v2 API (spec analytics-v2-sharing.md §3) on one screen: every path
//! shape, the methods it takes and, per method, the endpoint with its scope, whether it needs
//! `ZANALYTICS-ORGID`, how it reads `CONFIG` and whether it changes state. Zoho's OpenAPI files
//! give some routes a root `/workspaces/...` path (the aliases); they are routes of their own
//! here, with the same endpoints. One trailing `/` is ignored; any other empty segment is a
//! route miss.

use axum::http::Method;
use percent_encoding::percent_decode_str;

/// The documented operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Orgs,
    Workspaces,
    OwnedWorkspaces,
    SharedWorkspaces,
    WorkspaceDetails,
    Views,
    GetAdmins,
    AddAdmins,
    RemoveAdmins,
    ShareInfo,
    Share,
    UpdateShare,
    RemoveShare,
    SharedDetails,
    MyPermissions,
    GetUsers,
    AddUsers,
    RemoveUsers,
    UserStatus,
    UserRole,
    OrgAdmins,
    GetGroups,
    CreateGroup,
    GetGroup,
    RenameGroup,
    DeleteGroup,
    AddMembers,
    RemoveMembers,
}

/// How an endpoint reads `CONFIG` (spec §4 step 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigUse {
    /// Ignored, even when sent (or repeated).
    Ignored,
    /// Absent, blank or `{}` means no options.
    Optional,
    Required,
}

impl Endpoint {
    /// The scope of spec §3.
    pub fn scope(self) -> &'static str {
        use Endpoint as E;
        match self {
            E::Orgs
            | E::Workspaces
            | E::OwnedWorkspaces
            | E::SharedWorkspaces
            | E::WorkspaceDetails
            | E::Views => "ZohoAnalytics.metadata.read",
            E::GetAdmins
            | E::ShareInfo
            | E::SharedDetails
            | E::MyPermissions
            | E::OrgAdmins
            | E::GetGroups
            | E::GetGroup => "ZohoAnalytics.share.read",
            E::AddAdmins | E::Share | E::CreateGroup | E::AddMembers => {
                "ZohoAnalytics.share.create"
            }
            E::UpdateShare | E::RenameGroup => "ZohoAnalytics.share.update",
            E::RemoveAdmins | E::RemoveShare | E::DeleteGroup | E::RemoveMembers => {
                "ZohoAnalytics.share.delete"
            }
            E::GetUsers => "ZohoAnalytics.usermanagement.read",
            E::AddUsers => "ZohoAnalytics.usermanagement.create",
            E::RemoveUsers => "ZohoAnalytics.usermanagement.delete",
            E::UserStatus | E::UserRole => "ZohoAnalytics.usermanagement.update",
        }
    }

    /// Every route but the discovery ones needs `ZANALYTICS-ORGID` (the official client sends
    /// none on `get_orgs`, `get_workspaces`, ... and `get_workspace_details`).
    pub fn needs_org_header(self) -> bool {
        !matches!(
            self,
            Endpoint::Orgs
                | Endpoint::Workspaces
                | Endpoint::OwnedWorkspaces
                | Endpoint::SharedWorkspaces
                | Endpoint::WorkspaceDetails
        )
    }

    pub fn config(self) -> ConfigUse {
        use Endpoint as E;
        match self {
            E::Views => ConfigUse::Optional,
            E::AddAdmins
            | E::RemoveAdmins
            | E::Share
            | E::UpdateShare
            | E::RemoveShare
            | E::SharedDetails
            | E::AddUsers
            | E::RemoveUsers
            | E::UserStatus
            | E::UserRole
            | E::CreateGroup
            | E::RenameGroup
            | E::AddMembers
            | E::RemoveMembers => ConfigUse::Required,
            _ => ConfigUse::Ignored,
        }
    }

    pub fn changes_state(self) -> bool {
        use Endpoint as E;
        matches!(
            self,
            E::AddAdmins
                | E::RemoveAdmins
                | E::Share
                | E::UpdateShare
                | E::RemoveShare
                | E::AddUsers
                | E::RemoveUsers
                | E::UserStatus
                | E::UserRole
                | E::CreateGroup
                | E::RenameGroup
                | E::DeleteGroup
                | E::AddMembers
                | E::RemoveMembers
        )
    }
}

/// A segment of a path shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seg {
    Lit(&'static str),
    Workspace,
    View,
    Group,
}

use Seg::{Group as G, Lit as L, View as V, Workspace as W};

/// One path shape and, per method, its endpoint.
pub struct Shape {
    segments: &'static [Seg],
    methods: &'static [(Method, Endpoint)],
}

use Endpoint as E;

const GET: Method = Method::GET;
const POST: Method = Method::POST;
const PUT: Method = Method::PUT;
const DELETE: Method = Method::DELETE;

/// The routes under `/restapi/v2/`, literal segments before ids of the same length.
static V2: [Shape; 20] = [
    Shape {
        segments: &[L("orgs")],
        methods: &[(GET, E::Orgs)],
    },
    Shape {
        segments: &[L("orgadmins")],
        methods: &[(GET, E::OrgAdmins)],
    },
    Shape {
        segments: &[L("workspaces")],
        methods: &[(GET, E::Workspaces)],
    },
    Shape {
        segments: &[L("workspaces"), L("owned")],
        methods: &[(GET, E::OwnedWorkspaces)],
    },
    Shape {
        segments: &[L("workspaces"), L("shared")],
        methods: &[(GET, E::SharedWorkspaces)],
    },
    Shape {
        segments: &[L("workspaces"), W],
        methods: &[(GET, E::WorkspaceDetails)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("views")],
        methods: &[(GET, E::Views)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("admins")],
        methods: &[
            (GET, E::GetAdmins),
            (POST, E::AddAdmins),
            (DELETE, E::RemoveAdmins),
        ],
    },
    Shape {
        segments: &[L("workspaces"), W, L("share")],
        methods: &[
            (GET, E::ShareInfo),
            (POST, E::Share),
            (DELETE, E::RemoveShare),
        ],
    },
    // The OpenAPI file's path for share and remove share (spec §3, aliases). Its PUT, whose
    // path holds no view id, is not served.
    Shape {
        segments: &[L("workspaces"), W, L("views"), L("share")],
        methods: &[(POST, E::Share), (DELETE, E::RemoveShare)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("views"), V, L("share")],
        methods: &[(PUT, E::UpdateShare)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("share"), L("shareddetails")],
        methods: &[(GET, E::SharedDetails)],
    },
    Shape {
        segments: &[
            L("workspaces"),
            W,
            L("views"),
            V,
            L("share"),
            L("mypermissions"),
        ],
        methods: &[(GET, E::MyPermissions)],
    },
    Shape {
        segments: &[
            L("workspaces"),
            W,
            L("views"),
            V,
            L("share"),
            L("userpermissions"),
        ],
        methods: &[(GET, E::MyPermissions)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("users")],
        methods: &[
            (GET, E::GetUsers),
            (POST, E::AddUsers),
            (DELETE, E::RemoveUsers),
        ],
    },
    Shape {
        segments: &[L("workspaces"), W, L("users"), L("status")],
        methods: &[(PUT, E::UserStatus)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("users"), L("role")],
        methods: &[(PUT, E::UserRole)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("groups")],
        methods: &[(GET, E::GetGroups), (POST, E::CreateGroup)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("groups"), G],
        methods: &[
            (GET, E::GetGroup),
            (PUT, E::RenameGroup),
            (DELETE, E::DeleteGroup),
        ],
    },
    Shape {
        segments: &[L("workspaces"), W, L("groups"), G, L("members")],
        methods: &[(POST, E::AddMembers), (DELETE, E::RemoveMembers)],
    },
];

/// The OpenAPI files' root paths (spec §3, aliases): the same endpoints without `/restapi/v2`.
/// `family.rs` recognises the same shapes (checked by a test below).
static ALIASES: [Shape; 5] = [
    Shape {
        segments: &[L("workspaces"), W, L("share"), L("shareddetails")],
        methods: &[(GET, E::SharedDetails)],
    },
    Shape {
        segments: &[
            L("workspaces"),
            W,
            L("views"),
            V,
            L("share"),
            L("mypermissions"),
        ],
        methods: &[(GET, E::MyPermissions)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("groups")],
        methods: &[(GET, E::GetGroups), (POST, E::CreateGroup)],
    },
    Shape {
        segments: &[L("workspaces"), W, L("groups"), G],
        methods: &[
            (GET, E::GetGroup),
            (PUT, E::RenameGroup),
            (DELETE, E::DeleteGroup),
        ],
    },
    Shape {
        segments: &[L("workspaces"), W, L("groups"), G, L("members")],
        methods: &[(POST, E::AddMembers), (DELETE, E::RemoveMembers)],
    },
];

const PREFIX: &str = "/restapi/v2";

/// A path that matched a shape, with its ids decoded.
pub struct Matched {
    shape: &'static Shape,
    pub workspace: Option<String>,
    pub view: Option<String>,
    pub group: Option<String>,
}

impl Matched {
    /// The endpoint of `method` on this path, if it takes that method (HEAD and OPTIONS never).
    pub fn endpoint(&self, method: &Method) -> Option<Endpoint> {
        self.shape
            .methods
            .iter()
            .find(|(m, _)| m == method)
            .map(|(_, endpoint)| *endpoint)
    }

    /// The `Allow` header of a 405.
    pub fn allow(&self) -> String {
        self.shape
            .methods
            .iter()
            .map(|(m, _)| m.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The route a request path names, if any (spec §4 step 1).
pub fn find(path: &str) -> Option<Matched> {
    let (table, tail): (&'static [Shape], &str) = match path.strip_prefix(PREFIX) {
        Some(rest) => (&V2, rest.strip_prefix('/')?),
        None => (&ALIASES, path.strip_prefix('/')?),
    };
    let tail = tail.strip_suffix('/').unwrap_or(tail);
    let segments: Vec<&str> = tail.split('/').collect();
    table
        .iter()
        .find(|shape| fits(shape.segments, &segments))
        .map(|shape| {
            let id = |kind: Seg| {
                shape
                    .segments
                    .iter()
                    .position(|s| *s == kind)
                    .map(|at| decode(segments[at]))
            };
            Matched {
                shape,
                workspace: id(W),
                view: id(V),
                group: id(G),
            }
        })
}

/// Literal segments match exactly; id segments match any non-empty segment.
fn fits(shape: &[Seg], segments: &[&str]) -> bool {
    shape.len() == segments.len()
        && shape.iter().zip(segments).all(|(seg, text)| match seg {
            Seg::Lit(lit) => lit == text,
            Seg::Workspace | Seg::View | Seg::Group => !text.is_empty(),
        })
}

/// Percent-decoded; bytes that are not UTF-8 become U+FFFD, which names no object.
fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// The axum paths that reach the v2 front door: the prefix and everything under it, and each
/// alias with and without its trailing `/`.
pub fn axum_paths() -> Vec<String> {
    let mut paths = vec![
        PREFIX.to_owned(),
        format!("{PREFIX}/"),
        format!("{PREFIX}/{{*rest}}"),
    ];
    for shape in &ALIASES {
        let mut path = String::new();
        for (i, seg) in shape.segments.iter().enumerate() {
            match seg {
                Seg::Lit(lit) => path.push_str(&format!("/{lit}")),
                _ => path.push_str(&format!("/{{id{i}}}")),
            }
        }
        paths.push(format!("{path}/"));
        paths.push(path);
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::Family;

    fn endpoint(method: Method, path: &str) -> Option<Endpoint> {
        find(path)?.endpoint(&method)
    }

    #[test]
    fn literals_win_and_ids_are_decoded() {
        assert_eq!(
            endpoint(GET, "/restapi/v2/workspaces/owned"),
            Some(E::OwnedWorkspaces)
        );
        assert_eq!(
            endpoint(GET, "/restapi/v2/workspaces/owned/"),
            Some(E::OwnedWorkspaces)
        );
        let matched = find("/restapi/v2/workspaces/4%31/views/7/share").unwrap();
        assert_eq!(matched.workspace.as_deref(), Some("41"));
        assert_eq!(matched.view.as_deref(), Some("7"));
        assert_eq!(matched.endpoint(&PUT), Some(E::UpdateShare));
        assert_eq!(matched.endpoint(&POST), None);
        assert_eq!(matched.allow(), "PUT");
        assert_eq!(
            endpoint(POST, "/restapi/v2/workspaces/1/views/share"),
            Some(E::Share)
        );
    }

    #[test]
    fn misses() {
        for path in [
            "/restapi/v2",
            "/restapi/v2/",
            "/restapi/v2//orgs",
            "/restapi/v2/orgs//",
            "/restapi/v2/users",
            "/restapi/v2/workspaces/1/admins//",
            "/restapi/v2/workspaces//admins",
            "/restapi/v2x/orgs",
            "/workspaces/1/share",
            "/workspaces/1/views/2/share/userpermissions",
        ] {
            assert!(find(path).is_none(), "{path}");
        }
        assert_eq!(
            endpoint(GET, "/workspaces/1/views/2/share/mypermissions/"),
            Some(E::MyPermissions)
        );
    }

    /// The family decision and this table agree on which root paths are aliases.
    #[test]
    fn aliases_are_the_v2_family() {
        for path in axum_paths() {
            let concrete = path
                .replace("{*rest}", "x")
                .replace("{id1}", "1")
                .replace("{id3}", "3");
            assert_eq!(Family::of(&concrete), Family::AnalyticsV2, "{concrete}");
        }
        for path in [
            "/workspaces/1/share",
            "/workspaces/1",
            "/workspaces/1/groups/2/x",
        ] {
            assert_eq!(Family::of(path), Family::Crm, "{path}");
            assert!(find(path).is_none(), "{path}");
        }
    }
}

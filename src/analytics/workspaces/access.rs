//! Who may do what in a workspace (spec analytics-v2-sharing.md §1.3-§1.4): the caller's
//! Analytics org role, the workspace's owner, admins and deactivated users, the view's owner,
//! and the shares direct and through groups, under the Viewer ceiling. Every Analytics path, v1
//! and v2, asks these functions; none decides a permission of its own.

use crate::tenant::directory::{AnalyticsRole, User};

use super::model::{View, Workspace, same_email};
use super::permissions::PermissionSet;

/// The caller of an Analytics request: its email and its org role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caller<'a> {
    pub email: &'a str,
    pub role: AnalyticsRole,
}

impl<'a> Caller<'a> {
    pub fn of(user: &'a User) -> Self {
        Caller {
            email: &user.email,
            role: user.analytics_role,
        }
    }

    pub fn is_account_admin(self) -> bool {
        self.role == AnalyticsRole::AccountAdmin
    }

    pub fn is_org_admin(self) -> bool {
        self.role == AnalyticsRole::OrgAdmin
    }
}

/// The owner, or a user who is not deactivated.
pub fn is_active_member(workspace: &Workspace, email: &str) -> bool {
    workspace.is_owner(email) || (workspace.is_user(email) && !workspace.is_inactive(email))
}

/// The owner, or an admin who is not deactivated.
pub fn is_workspace_admin(workspace: &Workspace, email: &str) -> bool {
    workspace.is_owner(email) || (workspace.is_admin(email) && !workspace.is_inactive(email))
}

/// "Admin of W": an Account Admin, an Org Admin or a Workspace Admin.
pub fn is_admin_of(workspace: &Workspace, caller: Caller<'_>) -> bool {
    caller.is_account_admin()
        || caller.is_org_admin()
        || is_workspace_admin(workspace, caller.email)
}

/// "Has access to W": an admin of it, or an active member.
pub fn has_access(workspace: &Workspace, caller: Caller<'_>) -> bool {
    is_admin_of(workspace, caller) || is_active_member(workspace, caller.email)
}

/// Who may read and change the workspace's admins, in v1 and v2 alike: an Account Admin, an
/// Org Admin or the owner (spec §3, §10.4). A Workspace Admin who is not the owner may not.
pub fn manages_admins(workspace: &Workspace, caller: Caller<'_>) -> bool {
    caller.is_account_admin() || caller.is_org_admin() || workspace.is_owner(caller.email)
}

/// The view's owner, as long as it is an active member of the workspace.
pub fn is_view_owner(workspace: &Workspace, view: &View, caller: Caller<'_>) -> bool {
    same_email(&view.owner, caller.email) && is_active_member(workspace, caller.email)
}

/// The caller's effective permissions on a view of the workspace (spec §1.4):
/// 1. an admin of the workspace or the view's owner holds every key but `insight`;
/// 2. otherwise a caller who is not an active member holds none;
/// 3. otherwise the union of its direct share and the shares to every group listing it;
/// 4. a Viewer never holds a write key, whatever 1 to 3 gave.
///
/// Shares keep what they were given; only this effective set is capped.
pub fn effective_permissions(
    workspace: &Workspace,
    view: &View,
    caller: Caller<'_>,
) -> PermissionSet {
    let granted = if is_admin_of(workspace, caller) || is_view_owner(workspace, view, caller) {
        PermissionSet::admin()
    } else if !is_active_member(workspace, caller.email) {
        PermissionSet::default()
    } else {
        let direct = workspace.user_share(&view.id, caller.email);
        let through_groups = workspace
            .groups_of(caller.email)
            .filter_map(|group| workspace.group_share(&view.id, &group.id));
        direct
            .into_iter()
            .chain(through_groups)
            .fold(PermissionSet::default(), |set, share| {
                set.union(share.content.permissions)
            })
    };
    if caller.role == AnalyticsRole::Viewer {
        granted.without_writes()
    } else {
        granted
    }
}

/// Who shared the view with the caller, as `GET …/views` writes it (spec §5.4): nobody for an
/// admin and for the view's owner; else the sharer of the caller's direct share, else that of
/// the first share to one of its groups, in `groups` order.
pub fn shared_by<'w>(workspace: &'w Workspace, view: &View, caller: Caller<'_>) -> &'w str {
    if is_admin_of(workspace, caller) || is_view_owner(workspace, view, caller) {
        return "";
    }
    let direct = workspace.user_share(&view.id, caller.email);
    let through_groups = workspace
        .groups_of(caller.email)
        .filter_map(|group| workspace.group_share(&view.id, &group.id));
    direct
        .into_iter()
        .chain(through_groups)
        .next()
        .map_or("", |share| share.shared_by.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::workspaces::permissions::Permission as P;
    use crate::clock::Timestamp;
    use crate::store::fixture::sandbox_org;

    const MI: &str = "4150868000002100005";
    const CAMPAIGN_LEADS: &str = "4150868000002200009";
    const LEADS_BY_REGION: &str = "4150868000002200010";
    const CAMPAIGN_PIVOT: &str = "4150868000002200011";
    const MARKETING_OVERVIEW: &str = "4150868000002200012";
    const LEAD_NOTES: &str = "4150868000002200013";

    fn keys(set: PermissionSet) -> Vec<&'static str> {
        set.granted().map(P::key).collect()
    }

    /// The caller `name@zylker.com`'s effective permissions on `view` of Marketing Insights.
    fn on(name: &str, view: &str) -> Vec<&'static str> {
        let org = sandbox_org(Timestamp(0));
        let email = format!("{name}@zylker.com");
        let user = org.tenant.directory.user_by_email(&email).unwrap();
        let (_, ws) = org.analytics.by_id(MI).unwrap();
        keys(effective_permissions(
            ws,
            ws.view(view).unwrap(),
            Caller::of(user),
        ))
    }

    #[test]
    fn direct_and_group_shares_are_joined() {
        // Liam: read+export directly, read+vud+drillDown through Regional Leads.
        assert_eq!(
            on("liam", LEADS_BY_REGION),
            ["read", "export", "vud", "drillDown"]
        );
        // Sophia: read directly, the group's keys besides.
        assert_eq!(on("sophia", LEADS_BY_REGION), ["read", "vud", "drillDown"]);
        assert_eq!(on("noah", MARKETING_OVERVIEW), ["read", "share"]);
        assert!(on("liam", CAMPAIGN_PIVOT).is_empty(), "no share, no key");
    }

    #[test]
    fn the_viewer_ceiling_caps_the_effective_set_only() {
        // Ava's share holds addRow; she is a Viewer.
        assert_eq!(on("ava", CAMPAIGN_LEADS), ["read", "export"]);
        let org = sandbox_org(Timestamp(0));
        let (_, ws) = org.analytics.by_id(MI).unwrap();
        let stored = ws
            .user_share(CAMPAIGN_LEADS, "ava@zylker.com")
            .unwrap()
            .content
            .permissions;
        assert!(stored.has(P::AddRow), "the share keeps what it was given");
        // A Viewer who owns the view is capped too.
        let mut viewer = org
            .tenant
            .directory
            .user_by_email("liam@zylker.com")
            .unwrap()
            .clone();
        viewer.analytics_role = AnalyticsRole::Viewer;
        let set = effective_permissions(ws, ws.view(LEAD_NOTES).unwrap(), Caller::of(&viewer));
        assert!(set.has(P::Share) && !set.has(P::AddRow) && !set.has(P::Insight));
    }

    #[test]
    fn admins_and_view_owners_hold_everything_but_insight() {
        let every_but_insight: Vec<&str> = P::ALL
            .into_iter()
            .filter(|p| *p != P::Insight)
            .map(P::key)
            .collect();
        for (name, view) in [
            ("patricia", CAMPAIGN_PIVOT), // Account Admin and owner
            ("mason", CAMPAIGN_PIVOT),    // Org Admin, no member
            ("ryan", CAMPAIGN_PIVOT),     // Workspace Admin
            ("liam", LEAD_NOTES),         // the view's owner
        ] {
            assert_eq!(on(name, view), every_but_insight, "{name}");
        }
    }

    #[test]
    fn role_rules() {
        let org = sandbox_org(Timestamp(0));
        let dir = &org.tenant.directory;
        let caller =
            |name: &str| Caller::of(dir.user_by_email(&format!("{name}@zylker.com")).unwrap());
        let (_, ws) = org.analytics.by_id(MI).unwrap();
        assert!(caller("patricia").is_account_admin());
        assert!(caller("mason").is_org_admin());
        assert!(
            is_admin_of(ws, caller("mason")),
            "Org Admins administer every workspace"
        );
        assert!(is_admin_of(ws, caller("ryan")));
        assert!(
            !manages_admins(ws, caller("ryan")),
            "a Workspace Admin is not the owner"
        );
        assert!(manages_admins(ws, caller("patricia")));
        assert!(has_access(ws, caller("ava")));
        assert!(!has_access(ws, caller("mia")), "no member, no admin");
        // Amelia, a plain user, owns her pipeline: a Workspace Admin of it.
        let (_, pipeline) = org.analytics.by_id("4150868000002100003").unwrap();
        assert!(is_admin_of(pipeline, caller("amelia")));
        assert!(manages_admins(pipeline, caller("amelia")));
        assert_eq!(
            shared_by(ws, ws.view(LEADS_BY_REGION).unwrap(), caller("sophia")),
            "patricia@zylker.com"
        );
        assert_eq!(
            shared_by(ws, ws.view(LEAD_NOTES).unwrap(), caller("liam")),
            ""
        );
    }

    #[test]
    fn a_deactivated_user_loses_every_alternative() {
        let mut org = sandbox_org(Timestamp(0));
        let (slot, _) = org.analytics.by_id(MI).unwrap();
        let ws = org.analytics.get_mut(slot).unwrap();
        ws.set_active(&["ryan@zylker.com".into(), "liam@zylker.com".into()], false)
            .unwrap();
        let dir = &org.tenant.directory;
        let ws = org.analytics.get(slot).unwrap();
        for (name, view) in [
            ("ryan", CAMPAIGN_PIVOT),
            ("liam", LEAD_NOTES),
            ("liam", LEADS_BY_REGION),
        ] {
            let user = dir.user_by_email(&format!("{name}@zylker.com")).unwrap();
            let set = effective_permissions(ws, ws.view(view).unwrap(), Caller::of(user));
            assert!(set.is_empty(), "{name} on {view}");
            assert!(!has_access(ws, Caller::of(user)));
        }
    }
}

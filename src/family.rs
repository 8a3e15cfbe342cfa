//! Which API family a path belongs to. The one place that decides it: route misses, injected
//! faults, the admin guard and the admin fault parser all ask here (spec auth-and-errors.md §8,
//! §9).

/// An API family: its own envelope, its own error table, its own routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// `/crm/...`, and every path no other family claims.
    Crm,
    /// `/api` and `/api/...`: Analytics v1.
    Analytics,
    /// `/restapi/v2` and `/restapi/v2/...`, and the root `/workspaces/...` aliases of Zoho's
    /// OpenAPI files: Analytics v2 (spec analytics-v2-sharing.md §3).
    AnalyticsV2,
    /// `/oauth/...`: the accounts server.
    OAuth,
    /// `/__admin` and `/__admin/...`.
    Admin,
}

impl Family {
    /// The family of a request path (without its query).
    pub fn of(path: &str) -> Family {
        if path == "/__admin" || path.starts_with("/__admin/") {
            Family::Admin
        } else if path == "/api" || path.starts_with("/api/") {
            Family::Analytics
        } else if path == "/restapi/v2" || path.starts_with("/restapi/v2/") || is_v2_alias(path) {
            Family::AnalyticsV2
        } else if path.starts_with("/oauth/") {
            Family::OAuth
        } else {
            Family::Crm
        }
    }
}

/// The root paths that Zoho's Analytics OpenAPI files give some v2 routes (spec
/// analytics-v2-sharing.md §3, aliases), one trailing `/` ignored; `_` is any non-empty segment
/// (a fault's `*` included). Any other `/workspaces/...` path is an unknown CRM path.
fn is_v2_alias(path: &str) -> bool {
    const SHAPES: [&[&str]; 5] = [
        &["workspaces", "_", "share", "shareddetails"],
        &["workspaces", "_", "views", "_", "share", "mypermissions"],
        &["workspaces", "_", "groups"],
        &["workspaces", "_", "groups", "_"],
        &["workspaces", "_", "groups", "_", "members"],
    ];
    // Every shape starts with `workspaces`: the other paths (every CRM call) stop here.
    if !path.starts_with("/workspaces/") {
        return false;
    }
    let tail = &path[1..];
    let tail = tail.strip_suffix('/').unwrap_or(tail);
    let segments: Vec<&str> = tail.split('/').collect();
    SHAPES.iter().any(|shape| {
        shape.len() == segments.len()
            && shape.iter().zip(&segments).all(|(want, got)| {
                if *want == "_" {
                    !got.is_empty()
                } else {
                    want == got
                }
            })
    })
}

#[cfg(test)]
mod tests {
    use super::Family;

    #[test]
    fn prefixes_are_whole_segments() {
        assert_eq!(Family::of("/__admin"), Family::Admin);
        assert_eq!(Family::of("/__admin/state"), Family::Admin);
        assert_eq!(Family::of("/__adminx"), Family::Crm);
        assert_eq!(Family::of("/api"), Family::Analytics);
        assert_eq!(Family::of("/api/a@b.c/W"), Family::Analytics);
        assert_eq!(Family::of("/apix"), Family::Crm);
        assert_eq!(Family::of("/oauth/v2/token"), Family::OAuth);
        assert_eq!(Family::of("/oauth"), Family::Crm);
        assert_eq!(Family::of("/crm/v8/users"), Family::Crm);
        assert_eq!(Family::of("/"), Family::Crm);
        assert_eq!(Family::of("/restapi/v2"), Family::AnalyticsV2);
        assert_eq!(Family::of("/restapi/v2/orgs"), Family::AnalyticsV2);
        assert_eq!(Family::of("/restapi/v2x"), Family::Crm);
        assert_eq!(Family::of("/restapi/v3/orgs"), Family::Crm);
        assert_eq!(Family::of("/workspaces/*/groups"), Family::AnalyticsV2);
        assert_eq!(
            Family::of("/workspaces/1/groups/2/members/"),
            Family::AnalyticsV2
        );
        assert_eq!(Family::of("/workspaces/1/share"), Family::Crm);
        assert_eq!(Family::of("/workspaces//groups"), Family::Crm);
    }
}

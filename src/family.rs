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
        } else if path.starts_with("/oauth/") {
            Family::OAuth
        } else {
            Family::Crm
        }
    }
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
    }
}

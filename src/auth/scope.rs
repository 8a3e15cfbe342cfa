//! Zoho's scope grammar: `Service.name[.subname].OPERATION` (spec auth-and-errors.md §3).
//!
//! A granted scope G covers a required scope R when, compared case-insensitively after trimming:
//! G has at least three segments and R's service; G's middle segments are a prefix of R's; and
//! G's operation is `ALL` or R's operation. `ZohoAnalytics.fullaccess.all` covers every
//! `ZohoAnalytics.*` scope.

pub fn covers(granted: &str, required: &str) -> bool {
    // Service, middle segments (one or more) and operation, split without allocating: every
    // API request checks its scopes here.
    let Some((granted_service, granted_middle, granted_op)) = parts(granted) else {
        return false;
    };
    let Some((required_service, required_middle, required_op)) = parts(required) else {
        return false;
    };
    let same = |a: &str, b: &str| same_word(a.as_bytes(), b.as_bytes());
    if !same(granted_service, required_service) {
        return false;
    }
    if !granted_middle.contains('.')
        && same(granted_service, "ZohoAnalytics")
        && same(granted_middle, "fullaccess")
        && same(granted_op, "all")
    {
        return true;
    }
    segments_prefix(granted_middle, required_middle)
        && (same(granted_op, "ALL") || same(granted_op, required_op))
}

/// Whether the dot-separated segments of `granted` are a prefix of those of `required`
/// (case-insensitively): `required` starts with `granted` and goes on, if at all, with a dot.
/// Compared as bytes, without splitting: every API request checks its scopes here.
fn segments_prefix(granted: &str, required: &str) -> bool {
    let (granted, required) = (granted.as_bytes(), required.as_bytes());
    required.len() >= granted.len()
        && same_word(&required[..granted.len()], granted)
        && required.get(granted.len()).is_none_or(|&next| next == b'.')
}

/// Case-insensitive equality, trying the exact comparison first: scopes nearly always come in
/// the case they are documented in, and a byte-by-byte case fold costs several times more.
fn same_word(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && (a == b || a.eq_ignore_ascii_case(b))
}

/// `service.middle.op` of a trimmed scope with three segments or more.
fn parts(scope: &str) -> Option<(&str, &str, &str)> {
    // Scopes are ASCII words: the Unicode-aware trim runs only when an end is not one.
    let bytes = scope.as_bytes();
    let scope = if bytes.first().is_some_and(u8::is_ascii_graphic)
        && bytes.last().is_some_and(u8::is_ascii_graphic)
    {
        scope
    } else {
        scope.trim()
    };
    let bytes = scope.as_bytes();
    let first = bytes.iter().position(|&b| b == b'.')?;
    let last = bytes.iter().rposition(|&b| b == b'.')?;
    if last == first {
        return None;
    }
    // Both are ASCII dots, so every slice below is on a character boundary.
    Some((&scope[..first], &scope[first + 1..last], &scope[last + 1..]))
}

/// True when any granted scope covers any of the acceptable required scopes.
pub fn allows<S: AsRef<str>>(granted: &[S], acceptable: &[&str]) -> bool {
    granted
        .iter()
        .any(|g| acceptable.iter().any(|r| covers(g.as_ref(), r)))
}

#[cfg(test)]
mod tests {
    use super::covers;

    /// Every row of the matching table in spec auth-and-errors.md §3.
    #[test]
    fn matching_table() {
        let rows: &[(&str, &str, bool)] = &[
            (
                "ZohoCRM.share.leads.DELETE",
                "ZohoCRM.share.leads.DELETE",
                true,
            ),
            (
                "ZohoCRM.share.Leads.ALL",
                "ZohoCRM.share.leads.DELETE",
                true,
            ),
            ("ZohoCRM.share.ALL", "ZohoCRM.share.deals.UPDATE", true),
            ("ZohoCRM.share.READ", "ZohoCRM.share.deals.READ", true),
            (
                "ZohoCRM.share.leads.READ",
                "ZohoCRM.share.leads.UPDATE",
                false,
            ),
            (
                "ZohoCRM.share.contacts.ALL",
                "ZohoCRM.share.leads.READ",
                false,
            ),
            ("ZohoCRM.modules.ALL", "ZohoCRM.share.leads.READ", false),
            (
                "ZohoCRM.settings.ALL",
                "ZohoCRM.settings.data_sharing.UPDATE",
                true,
            ),
            (
                "ZohoCRM.settings.data_sharing.READ",
                "ZohoCRM.settings.data_sharing.UPDATE",
                false,
            ),
            ("ZohoCRM.users.ALL", "ZohoCRM.users.READ", true),
            (
                "ZohoCRM.share.custom.ALL",
                "ZohoCRM.share.custom.UPDATE",
                true,
            ),
            (
                "ZohoAnalytics.share.all",
                "ZohoAnalytics.share.delete",
                true,
            ),
            (
                "ZohoAnalytics.fullaccess.all",
                "ZohoAnalytics.share.create",
                true,
            ),
            (
                "ZohoAnalytics.share.read",
                "ZohoAnalytics.share.delete",
                false,
            ),
        ];
        for (granted, required, expected) in rows {
            assert_eq!(
                covers(granted, required),
                *expected,
                "{granted} covers {required}"
            );
        }
    }

    #[test]
    fn edge_cases() {
        assert!(covers("  zohocrm.SHARE.all ", "ZohoCRM.share.leads.READ"));
        assert!(!covers("ZohoCRM.ALL", "ZohoCRM.share.leads.READ"));
        assert!(!covers(
            "ZohoAnalytics.share.all",
            "ZohoCRM.share.leads.READ"
        ));
        assert!(!covers(
            "ZohoAnalytics.fullaccess.all",
            "ZohoCRM.share.leads.READ"
        ));
        assert!(!covers(
            "ZohoCRM.share.leads.deals.ALL",
            "ZohoCRM.share.leads.READ"
        ));
        assert!(!covers("", "ZohoCRM.share.leads.READ"));
        assert!(!covers("ZohoCRM.sha.ALL", "ZohoCRM.share.leads.READ"));
        assert!(covers(
            "ZohoCRM.share.leads.ALL",
            "ZohoCRM.share.leads.READ"
        ));
        assert!(!covers(
            "ZohoCRM.share.lead.ALL",
            "ZohoCRM.share.leads.READ"
        ));
        assert!(!covers(
            "ZohoCRM.share.leads.x.ALL",
            "ZohoCRM.share.leads.READ"
        ));
        assert!(!covers("ZohoCRM.READ", "ZohoCRM.share.leads.READ"));
        assert!(!covers("ZohoCRM.share.ALL", "ZohoCRM.READ"));
    }
}

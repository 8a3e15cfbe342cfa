//! The email rule of the Analytics requests, v1 and v2 alike (spec analytics-workspace-admins.md
//! §2: the owner email of a v1 URL, `ZOHO_EMAILS` entries, v2 `emailIds` entries): exactly one
//! `@`, something before it, a dotted domain, no whitespace. v1 lists are comma-separated,
//! trimmed, and entries equal ignoring case count once.

/// A `ZOHO_EMAILS` value that cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailListError {
    /// No non-empty entry (8504).
    NoEntry,
    /// An entry is not an email (8509).
    Malformed,
}

pub fn is_well_formed(email: &str) -> bool {
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty() && domain.contains('.') && !email.chars().any(char::is_whitespace)
}

/// The entries of a comma-separated list, in list order, without duplicates.
pub fn parse_list(value: &str) -> Result<Vec<String>, EmailListError> {
    let mut emails: Vec<String> = Vec::new();
    for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        if !emails.iter().any(|seen| seen.eq_ignore_ascii_case(entry)) {
            emails.push(entry.to_owned());
        }
    }
    if emails.is_empty() {
        return Err(EmailListError::NoEntry);
    }
    if !emails.iter().all(|e| is_well_formed(e)) {
        return Err(EmailListError::Malformed);
    }
    Ok(emails)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_emails() {
        for good in [
            "a@b.c",
            "amelia@zylker.com",
            "first.last+tag@sub.zylker.co.uk",
        ] {
            assert!(is_well_formed(good), "{good}");
        }
        for bad in [
            "", "a", "@b.c", "a@b", "a@@b.c", "a@b@c.d", "a b@c.d", "a@b.c\t", "a@",
        ] {
            assert!(!is_well_formed(bad), "{bad:?}");
        }
    }

    #[test]
    fn lists_are_trimmed_deduplicated_and_ordered() {
        assert_eq!(
            parse_list(" b@x.com ,,a@x.com, B@X.COM ,"),
            Ok(vec!["b@x.com".to_owned(), "a@x.com".to_owned()])
        );
        assert_eq!(parse_list(""), Err(EmailListError::NoEntry));
        assert_eq!(parse_list(" , ,"), Err(EmailListError::NoEntry));
        assert_eq!(parse_list("a@x.com,nope"), Err(EmailListError::Malformed));
    }
}

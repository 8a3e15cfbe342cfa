//! `page` / `per_page` query parameters and the `info` object of CRM list answers.

use serde::Serialize;

use super::error::CrmError;
use super::extract::CrmQuery;

pub const MAX_PER_PAGE: u64 = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Info {
    pub count: usize,
    pub more_records: bool,
    pub page: u64,
    pub per_page: u64,
}

impl Paging {
    /// `page` integer >= 1 (default 1), `per_page` integer 1 to 200 (default 200).
    pub fn from_query(query: &CrmQuery) -> Result<Self, CrmError> {
        let page = query.integer("page")?.unwrap_or(1);
        if page < 1 {
            return Err(CrmError::InvalidParam { param: "page" });
        }
        let per_page = query.integer("per_page")?.unwrap_or(MAX_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(CrmError::InvalidParam { param: "per_page" });
        }
        Ok(Paging { page, per_page })
    }

    /// This page of `items` and its `info`.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> (&'a [T], Info) {
        let per_page = usize::try_from(self.per_page).unwrap_or(usize::MAX);
        let start = usize::try_from(self.page - 1)
            .ok()
            .and_then(|p| p.checked_mul(per_page))
            .unwrap_or(usize::MAX)
            .min(items.len());
        let end = start.saturating_add(per_page).min(items.len());
        let page = &items[start..end];
        let info = Info {
            count: page.len(),
            more_records: end < items.len(),
            page: self.page,
            per_page: self.per_page,
        };
        (page, info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging() {
        let items: Vec<u32> = (0..5).collect();
        let p = Paging {
            page: 2,
            per_page: 2,
        };
        let (page, info) = p.slice(&items);
        assert_eq!(page, &[2, 3]);
        assert!(info.more_records);
        let (page, info) = Paging {
            page: 3,
            per_page: 2,
        }
        .slice(&items);
        assert_eq!(page, &[4]);
        assert!(!info.more_records);
        let (page, _) = Paging {
            page: u64::MAX,
            per_page: 200,
        }
        .slice(&items);
        assert!(page.is_empty());
        let q = CrmQuery::parse("page=0");
        assert_eq!(
            Paging::from_query(&q),
            Err(CrmError::InvalidParam { param: "page" })
        );
        let q = CrmQuery::parse("per_page=201");
        assert_eq!(
            Paging::from_query(&q),
            Err(CrmError::InvalidParam { param: "per_page" })
        );
    }
}

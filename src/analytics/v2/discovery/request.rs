//! The optional `CONFIG` of `GET …/views` (spec §5.4): its keys' types (step 6), then their
//! values (step 9, once the caller may list the views).

use crate::analytics::v2::config::Config;
use crate::analytics::v2::error::V2Error;
use crate::analytics::workspaces::model::ViewType;

/// The options as sent, their JSON types checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewQuery {
    view_types: Option<Vec<i64>>,
    keyword: Option<String>,
    criteria_zuid: Option<String>,
    sorted_column: Option<i64>,
    sorted_order: Option<i64>,
    start_index: Option<i64>,
    no_of_result: Option<i64>,
}

/// What to sort by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Lower-cased name, then exact name, then id.
    #[default]
    Name,
    /// Created time (also "last modified": the mock never modifies a view), then id.
    Time,
}

/// The options, their values checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewOptions {
    pub types: Option<Vec<ViewType>>,
    pub keyword: Option<String>,
    pub criteria_zuid: Option<String>,
    pub sort_by: SortBy,
    pub descending: bool,
    pub start_index: usize,
    pub no_of_result: Option<usize>,
}

/// Step 6 (g): each key of the wrong JSON type is 8516.
pub fn views(config: &Config) -> Result<ViewQuery, V2Error> {
    Ok(ViewQuery {
        view_types: config.integers("viewTypes")?,
        keyword: config.string("keyword")?,
        criteria_zuid: config.decimal("criteriaZuid")?,
        sorted_column: config.integer("sortedColumn")?,
        sorted_order: config.integer("sortedOrder")?,
        start_index: config.integer("startIndex")?,
        no_of_result: config.integer("noOfResult")?,
    })
}

impl ViewQuery {
    /// Step 9: an unknown view type, more than 8 of them, a sort column or order out of range,
    /// or a negative index or count is 8119.
    pub fn options(&self) -> Result<ViewOptions, V2Error> {
        let bad = || V2Error::InvalidAttributeValue;
        let types = match &self.view_types {
            Some(codes) if codes.len() > ViewType::TEXTS.len() => return Err(bad()),
            Some(codes) => Some(
                codes
                    .iter()
                    .map(|code| ViewType::from_code(*code).ok_or_else(bad))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let sort_by = match self.sorted_column {
            None | Some(0) => SortBy::Name,
            Some(1 | 2) => SortBy::Time,
            Some(_) => return Err(bad()),
        };
        let descending = match self.sorted_order {
            None | Some(0) => false,
            Some(1) => true,
            Some(_) => return Err(bad()),
        };
        let count = |value: Option<i64>| -> Result<Option<usize>, V2Error> {
            value
                .map(|n| usize::try_from(n).map_err(|_| bad()))
                .transpose()
        };
        Ok(ViewOptions {
            types,
            keyword: self.keyword.clone(),
            criteria_zuid: self.criteria_zuid.clone(),
            sort_by,
            descending,
            start_index: count(self.start_index)?.unwrap_or(0),
            no_of_result: count(self.no_of_result)?,
        })
    }
}

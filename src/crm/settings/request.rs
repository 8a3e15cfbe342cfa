//! The query parameters of the discovery calls, each list's checks in the order of spec
//! crm-settings-and-search.md §2 step 8: `include`, `name`, `filters`, then `page`, `per_page`
//! (groups); `type`, `user_type`, then paging (sources); `include_lite_profile` (profiles).

use serde_json::{Map, Value};

use crate::crm::error::CrmError;
use crate::crm::extract::CrmQuery;
use crate::crm::paging::Paging;
use crate::tenant::directory::{Directory, Group, GroupSource};

/// `GET /settings/user_groups`: which groups, on which page, with or without their counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupsQuery {
    /// `include=sources_count`.
    pub with_counts: bool,
    /// The whole name, lower-cased.
    name: Option<String>,
    filter: Option<NameFilter>,
    pub paging: Paging,
}

impl GroupsQuery {
    pub fn parse(query: &CrmQuery) -> Result<Self, CrmError> {
        let with_counts = match query.get("include") {
            None => false,
            Some("sources_count") => true,
            Some(_) => return Err(CrmError::InvalidParam { param: "include" }),
        };
        let name = query.get("name").map(str::to_lowercase);
        let filter = query.get("filters").map(NameFilter::parse).transpose()?;
        let paging = Paging::from_query(query)?;
        Ok(GroupsQuery {
            with_counts,
            name,
            filter,
            paging,
        })
    }

    /// `name` and `filters` must both hold (each when given).
    pub fn admits(&self, group: &Group) -> bool {
        let lower = group.name.to_lowercase();
        self.name.as_ref().is_none_or(|name| *name == lower)
            && self.filter.as_ref().is_none_or(|f| f.matches(&lower))
    }
}

/// One `filters` condition on the group name, compared case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq)]
enum NameCondition {
    Contains(String),
    StartsWith(String),
}

impl NameCondition {
    fn matches(&self, lower_name: &str) -> bool {
        match self {
            NameCondition::Contains(value) => lower_name.contains(value.as_str()),
            NameCondition::StartsWith(value) => lower_name.starts_with(value.as_str()),
        }
    }

    /// `{"field":{"api_name":"name"},"comparator":"contains"|"starts_with","value":"..."}`.
    fn parse(object: &Map<String, Value>) -> Option<Self> {
        if object.contains_key("group") {
            return None;
        }
        let api_name = object.get("field")?.as_object()?.get("api_name")?;
        if api_name != "name" {
            return None;
        }
        let value = object.get("value")?.as_str().filter(|v| !v.is_empty())?;
        let value = value.to_lowercase();
        match object.get("comparator")?.as_str()? {
            "contains" => Some(NameCondition::Contains(value)),
            "starts_with" => Some(NameCondition::StartsWith(value)),
            _ => None,
        }
    }
}

/// The `filters` parameter: one condition, or one level of `and`/`or` group.
#[derive(Clone, Debug, PartialEq, Eq)]
enum NameFilter {
    One(NameCondition),
    All(Vec<NameCondition>),
    Any(Vec<NameCondition>),
}

impl NameFilter {
    /// The URL-decoded JSON criterion; anything but the shapes of spec §4.2 is the `filters`
    /// error.
    fn parse(text: &str) -> Result<Self, CrmError> {
        let refused = || CrmError::InvalidParam { param: "filters" };
        let value: Value = serde_json::from_str(text).map_err(|_| refused())?;
        let object = value.as_object().ok_or_else(refused)?;
        if !object.contains_key("group") {
            return NameCondition::parse(object)
                .map(NameFilter::One)
                .ok_or_else(refused);
        }
        let members = object
            .get("group")
            .and_then(Value::as_array)
            .filter(|g| !g.is_empty())
            .ok_or_else(refused)?;
        let conditions = members
            .iter()
            .map(|m| m.as_object().and_then(NameCondition::parse))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(refused)?;
        let operator = object
            .get("group_operator")
            .and_then(Value::as_str)
            .ok_or_else(refused)?;
        if operator.eq_ignore_ascii_case("and") {
            Ok(NameFilter::All(conditions))
        } else if operator.eq_ignore_ascii_case("or") {
            Ok(NameFilter::Any(conditions))
        } else {
            Err(refused())
        }
    }

    fn matches(&self, lower_name: &str) -> bool {
        match self {
            NameFilter::One(condition) => condition.matches(lower_name),
            NameFilter::All(conditions) => conditions.iter().all(|c| c.matches(lower_name)),
            NameFilter::Any(conditions) => conditions.iter().any(|c| c.matches(lower_name)),
        }
    }
}

/// `type` of `GET /settings/user_groups/{id}/sources`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SourceType {
    Users,
    Roles,
    /// Group and territory sources are not modelled: these match nothing.
    Unmodelled,
}

/// `user_type`: the status of a users source's user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UserType {
    Active,
    /// Zoho's `inactive` is the mock's `disabled`.
    Inactive,
    /// The mock keeps no deleted users: matches nothing.
    Deleted,
}

/// `GET /settings/user_groups/{id}/sources`: which sources, on which page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourcesQuery {
    kind: Option<SourceType>,
    user_type: Option<UserType>,
    pub paging: Paging,
}

impl SourcesQuery {
    pub fn parse(query: &CrmQuery) -> Result<Self, CrmError> {
        let kind = match query.get("type") {
            None => None,
            Some("users") => Some(SourceType::Users),
            Some("roles") => Some(SourceType::Roles),
            Some("groups" | "territories") => Some(SourceType::Unmodelled),
            Some(_) => return Err(CrmError::InvalidParam { param: "type" }),
        };
        let user_type = match query.get("user_type") {
            None => None,
            Some("active") => Some(UserType::Active),
            Some("inactive") => Some(UserType::Inactive),
            Some("deleted") => Some(UserType::Deleted),
            Some(_) => return Err(CrmError::InvalidParam { param: "user_type" }),
        };
        let paging = Paging::from_query(query)?;
        Ok(SourcesQuery {
            kind,
            user_type,
            paging,
        })
    }

    /// `type` keeps sources of that kind; `user_type` keeps users sources whose user has that
    /// status and leaves roles sources out.
    pub fn admits(&self, directory: &Directory, source: &GroupSource) -> bool {
        let kind_fits = matches!(
            (self.kind, source),
            (None, _)
                | (Some(SourceType::Users), GroupSource::User(_))
                | (Some(SourceType::Roles), GroupSource::Role { .. })
        );
        let status_fits = match (self.user_type, source) {
            (None, _) => true,
            (Some(wanted), GroupSource::User(id)) => {
                directory
                    .user(id.as_str())
                    .is_some_and(|user| match wanted {
                        UserType::Active => user.is_active(),
                        UserType::Inactive => !user.is_active(),
                        UserType::Deleted => false,
                    })
            }
            (Some(_), GroupSource::Role { .. }) => false,
        };
        kind_fits && status_fits
    }
}

/// `include_lite_profile` of `GET /settings/profiles`: `true` or `false`, in any case (Zoho's
/// Python SDK sends `True`); lite profiles are not modelled, so it changes nothing.
pub fn check_profiles_query(query: &CrmQuery) -> Result<(), CrmError> {
    match query.get("include_lite_profile") {
        None => Ok(()),
        Some(v) if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") => Ok(()),
        Some(_) => Err(CrmError::InvalidParam {
            param: "include_lite_profile",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(text: &str) -> Result<NameFilter, CrmError> {
        NameFilter::parse(text)
    }

    #[test]
    fn name_filters() {
        let f =
            filter(r#"{"field":{"api_name":"name"},"comparator":"starts_with","value":"Supp"}"#)
                .unwrap();
        assert!(f.matches("support") && !f.matches("sales"));
        let f = filter(
            r#"{"group_operator":"OR","group":[{"field":{"api_name":"name"},"comparator":"contains","value":"ALE"},
                {"field":{"api_name":"name"},"comparator":"contains","value":"port"}]}"#,
        )
        .unwrap();
        assert!(f.matches("sales") && f.matches("support") && !f.matches("management"));
        for bad in [
            "{",
            "[]",
            r#"{"field":{"api_name":"name"},"comparator":"equal","value":"a"}"#,
            r#"{"field":{"api_name":"name"},"comparator":"contains","value":""}"#,
            r#"{"group_operator":"and","group":[]}"#,
            r#"{"group":[{"field":{"api_name":"name"},"comparator":"contains","value":"a"}]}"#,
            r#"{"group_operator":"and","group":[{"group_operator":"or","group":[]}]}"#,
        ] {
            assert_eq!(
                filter(bad),
                Err(CrmError::InvalidParam { param: "filters" }),
                "{bad}"
            );
        }
    }

    #[test]
    fn lite_profiles_take_any_case() {
        for ok in ["true", "False", "TRUE"] {
            let query = CrmQuery::parse(&format!("include_lite_profile={ok}"));
            assert!(check_profiles_query(&query).is_ok(), "{ok}");
        }
        let query = CrmQuery::parse("include_lite_profile=1");
        assert!(check_profiles_query(&query).is_err());
    }
}

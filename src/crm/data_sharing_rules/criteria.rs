//! The shape of a rule's `criteria`: a condition `{"comparator","field":{"api_name"},...}` or a
//! group `{"group_operator":"AND"|"OR","group":[criteria, ...]}`. Only the shape is checked;
//! fields are not matched against a layout, and the value is stored as sent.

use serde_json::{Map, Value};

use super::model::{IssueKind, ItemIssue};

/// The first shape problem, named by its key and JSON path.
pub fn check(value: &Value, api_name: &str, json_path: &str) -> Result<(), ItemIssue> {
    let invalid = |name: &str, path: String| ItemIssue::new(IssueKind::Invalid, name, path);
    let fields = value
        .as_object()
        .ok_or_else(|| invalid(api_name, json_path.to_owned()))?;
    if fields.contains_key("group") || fields.contains_key("group_operator") {
        let operator_ok = fields
            .get("group_operator")
            .and_then(Value::as_str)
            .is_some_and(|op| op.eq_ignore_ascii_case("AND") || op.eq_ignore_ascii_case("OR"));
        if !operator_ok {
            return Err(invalid(
                "group_operator",
                format!("{json_path}.group_operator"),
            ));
        }
        let group = fields
            .get("group")
            .and_then(Value::as_array)
            .filter(|group| !group.is_empty())
            .ok_or_else(|| invalid("group", format!("{json_path}.group")))?;
        for (i, member) in group.iter().enumerate() {
            check(member, "group", &format!("{json_path}.group[{i}]"))?;
        }
        return Ok(());
    }
    check_condition(fields, json_path)
}

fn check_condition(fields: &Map<String, Value>, json_path: &str) -> Result<(), ItemIssue> {
    let non_empty =
        |value: Option<&Value>| value.and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    if !non_empty(fields.get("comparator")) {
        return Err(ItemIssue::new(
            IssueKind::Invalid,
            "comparator",
            format!("{json_path}.comparator"),
        ));
    }
    let field = fields
        .get("field")
        .and_then(Value::as_object)
        .ok_or_else(|| ItemIssue::new(IssueKind::Invalid, "field", format!("{json_path}.field")))?;
    if !non_empty(field.get("api_name")) {
        return Err(ItemIssue::new(
            IssueKind::Invalid,
            "api_name",
            format!("{json_path}.field.api_name"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn path_of_problem(value: Value) -> Option<String> {
        check(&value, "criteria", "$.c")
            .err()
            .map(|issue| issue.json_path)
    }

    #[test]
    fn conditions_and_groups() {
        let condition = json!({"comparator": "equal", "field": {"api_name": "City", "id": "1"}, "type": "value", "value": "X"});
        assert_eq!(path_of_problem(condition.clone()), None);
        assert_eq!(
            path_of_problem(
                json!({"group_operator": "and", "group": [condition.clone(), {"group_operator": "OR", "group": [condition.clone()]}]})
            ),
            None
        );
        assert_eq!(path_of_problem(json!("x")).as_deref(), Some("$.c"));
        assert_eq!(
            path_of_problem(json!({})).as_deref(),
            Some("$.c.comparator")
        );
        assert_eq!(
            path_of_problem(json!({"comparator": "equal", "field": {"api_name": ""}})).as_deref(),
            Some("$.c.field.api_name")
        );
        assert_eq!(
            path_of_problem(json!({"comparator": "equal"})).as_deref(),
            Some("$.c.field")
        );
        assert_eq!(
            path_of_problem(json!({"group_operator": "XOR", "group": [condition.clone()]}))
                .as_deref(),
            Some("$.c.group_operator")
        );
        assert_eq!(
            path_of_problem(json!({"group_operator": "AND", "group": []})).as_deref(),
            Some("$.c.group")
        );
        assert_eq!(
            path_of_problem(json!({"group": [condition]})).as_deref(),
            Some("$.c.group_operator")
        );
        assert_eq!(
            path_of_problem(json!({"group_operator": "AND", "group": [{"comparator": ""}]}))
                .as_deref(),
            Some("$.c.group[0].comparator")
        );
    }
}

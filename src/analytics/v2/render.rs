//! The answers every v2 area shares (spec analytics-v2-sharing.md §2): the success envelope
//! `{"status":"success","summary","data"}` (compact, `/` not escaped), 204 without a body, the
//! bodiless 404 of a route miss and 405 with `Allow`, times as epoch milliseconds, and the three
//! orders in which answers write a permission set (§7.1: `P18`, `P19`, `P15`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::analytics::workspaces::permissions::{Permission, PermissionSet};
use crate::clock::Timestamp;
use crate::response;

#[derive(Serialize)]
struct Success<'a, T: Serialize> {
    status: &'static str,
    summary: &'a str,
    data: &'a T,
}

/// 200 with `data`.
pub fn success(summary: &str, data: &impl Serialize) -> Response {
    response::json(
        StatusCode::OK,
        &Success {
            status: "success",
            summary,
            data,
        },
    )
}

/// 204: no body, no `Content-Type` (the official client returns `None` without reading it).
pub fn no_content() -> Response {
    response::no_content()
}

/// A path under `/restapi/v2/` that no route matches: 404, no body.
pub fn route_miss() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// A method the route does not take: 405, no body, `Allow` naming the route's methods.
pub fn method_not_allowed(allow: &str) -> Response {
    let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
    if let Ok(value) = HeaderValue::from_str(allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// Times are epoch milliseconds as decimal strings (`"1772439300000"`).
pub fn epoch_ms(time: Timestamp) -> String {
    time.0.to_string()
}

use Permission as P;

/// `GET …/share`: eighteen keys [Analytics OpenAPI].
pub const P18: [Permission; 18] = [
    P::Read,
    P::Export,
    P::Vud,
    P::AddRow,
    P::UpdateRow,
    P::DeleteRow,
    P::DeleteAllRows,
    P::ImportAppend,
    P::ImportAddOrUpdate,
    P::ImportDeleteAllAdd,
    P::ImportDeleteUpdateAdd,
    P::DrillDown,
    P::Share,
    P::Discussion,
    P::Insight,
    P::DrillThrough,
    P::AccessAdminPresets,
    P::CreatePreset,
];

/// `GET …/share/shareddetails`: nineteen keys, and the order of `permissionString`
/// [Analytics v2 docs].
pub const P19: [Permission; 19] = [
    P::Read,
    P::Export,
    P::Vud,
    P::AddRow,
    P::UpdateRow,
    P::DeleteRow,
    P::DeleteAllRows,
    P::ImportAppend,
    P::ImportAddOrUpdate,
    P::ImportDeleteAllAdd,
    P::ImportDeleteUpdateAdd,
    P::Share,
    P::DrillDown,
    P::Discussion,
    P::Insight,
    P::AccessAdminPresets,
    P::CreatePreset,
    P::DrillThrough,
    P::DrillActions,
];

/// `GET …/mypermissions`: the first fifteen keys of `P18`.
pub const P15: [Permission; 15] = [
    P::Read,
    P::Export,
    P::Vud,
    P::AddRow,
    P::UpdateRow,
    P::DeleteRow,
    P::DeleteAllRows,
    P::ImportAppend,
    P::ImportAddOrUpdate,
    P::ImportDeleteAllAdd,
    P::ImportDeleteUpdateAdd,
    P::DrillDown,
    P::Share,
    P::Discussion,
    P::Insight,
];

/// A permission set written as an object of booleans with exactly these keys, in this order.
#[derive(Clone, Copy, Debug)]
pub struct Keyed {
    pub set: PermissionSet,
    pub keys: &'static [Permission],
}

impl Serialize for Keyed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.keys.len()))?;
        for permission in self.keys {
            map.serialize_entry(permission.key(), &self.set.has(*permission))?;
        }
        map.end()
    }
}

/// The phrase of each key in `permissionString` (spec §7.1).
fn phrase(permission: Permission) -> &'static str {
    match permission {
        P::Read => "Read Access",
        P::Export => "Export Data",
        P::Vud => "View Underlying Data",
        P::AddRow => "Add Row",
        P::UpdateRow => "Modify Row",
        P::DeleteRow => "Delete Row",
        P::DeleteAllRows => "Delete All Rows",
        P::ImportAppend => "Only Append Rows",
        P::ImportAddOrUpdate => "Add or Update Rows",
        P::ImportDeleteAllAdd => "Delete All Rows and Add",
        P::ImportDeleteUpdateAdd => "Delete, Update and Add Rows",
        P::Share => "Share Views / Child Reports",
        P::DrillDown => "Drill Down",
        P::Discussion => "Discussion",
        P::Insight => "Zia Insights",
        P::AccessAdminPresets => "Access Admin Presets",
        P::CreatePreset => "Create Presets",
        P::DrillThrough => "Drill Through",
        P::DrillActions => "Drill Actions",
        P::VudSelectedColumns => "",
    }
}

/// The phrases of the keys that are true, in `P19` order, joined by `, `.
pub fn permission_string(set: PermissionSet) -> String {
    P19.iter()
        .filter(|p| set.has(**p))
        .map(|p| phrase(*p))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_and_phrases() {
        let set = PermissionSet::of(&[P::Read, P::Vud, P::DrillDown]);
        assert_eq!(
            permission_string(set),
            "Read Access, View Underlying Data, Drill Down"
        );
        let json = serde_json::to_string(&Keyed { set, keys: &P15 }).unwrap();
        assert!(json.starts_with(r#"{"read":true,"export":false,"vud":true,"addRow":false"#));
        assert!(
            json.ends_with(r#""drillDown":true,"share":false,"discussion":false,"insight":false}"#)
        );
        assert_eq!(P15, P18[..15]);
        assert_eq!(epoch_ms(Timestamp(1_772_439_300_000)), "1772439300000");
    }
}

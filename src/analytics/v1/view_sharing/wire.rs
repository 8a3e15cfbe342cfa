//! The result bodies of SHARE and REMOVESHARE, as JSON and as XML.

use serde::Serialize;

use crate::analytics::v1::render::{ResultBody, XmlLines};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharingResult {
    message: &'static str,
}

impl SharingResult {
    /// [mock's choice] (no client reads it)
    pub fn shared() -> Self {
        SharingResult {
            message: "Views shared successfully",
        }
    }

    pub fn removed() -> Self {
        SharingResult {
            message: "Share removed successfully",
        }
    }
}

impl ResultBody for SharingResult {
    fn write_xml(&self, xml: &mut XmlLines) {
        xml.leaf("message", self.message);
    }
}

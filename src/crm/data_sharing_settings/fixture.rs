//! The org document's `data_sharing` section (DESIGN §3): module -> `share_type`, default
//! `private`. Export writes every registry module.

use indexmap::IndexMap;

use crate::crm::records::fixture::module_of;
use crate::crm::records::model::Records;
use crate::json_doc::FixtureError;

use super::model::{DataSharingSettings, ShareType};

pub fn load(
    data_sharing: IndexMap<String, ShareType>,
    records: &Records,
    path: &str,
) -> Result<DataSharingSettings, FixtureError> {
    let mut settings = DataSharingSettings::default();
    for (name, share_type) in &data_sharing {
        let module = module_of(records, format!("{path}.data_sharing.{name}"), name)?;
        settings.update(&[(module, *share_type)]);
    }
    Ok(settings)
}

pub fn export(settings: &DataSharingSettings, records: &Records) -> IndexMap<String, ShareType> {
    records
        .modules()
        .map(|m| (m.api_name.to_owned(), settings.share_type(m.api_name)))
        .collect()
}

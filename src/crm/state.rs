//! What one org holds for the CRM: records and custom modules, record shares, data sharing
//! rules (with their computation flags) and data sharing settings. Each part keeps its own
//! invariants behind private fields; the fields here are public so that a handler can borrow
//! one part mutably while it reads another (`crm.shares.write(&crm.records, ..)`).

use crate::crm::data_sharing_rules::model::SharingRules;
use crate::crm::data_sharing_settings::model::DataSharingSettings;
use crate::crm::record_sharing::model::RecordShares;
use crate::crm::records::model::Records;

/// The CRM part of an org.
#[derive(Clone, Debug, Default)]
pub struct CrmState {
    pub records: Records,
    pub shares: RecordShares,
    pub rules: SharingRules,
    pub settings: DataSharingSettings,
}

impl CrmState {
    /// Every Zoho id the CRM part holds (records, custom modules, rules).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.records.ids().chain(self.rules.ids())
    }
}

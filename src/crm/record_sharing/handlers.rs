//! PLACEHOLDER until the record sharing family lands.

use crate::crm::error::CrmError;

pub async fn get_shared_details() -> CrmError {
    CrmError::InternalError
}
pub async fn share_record() -> CrmError {
    CrmError::InternalError
}
pub async fn update_share_permissions() -> CrmError {
    CrmError::InternalError
}
pub async fn revoke_shared_records() -> CrmError {
    CrmError::InternalError
}

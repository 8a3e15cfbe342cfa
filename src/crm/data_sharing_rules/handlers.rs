//! PLACEHOLDER until the data sharing rules family lands.

use crate::crm::error::CrmError;

pub async fn get_data_sharing_settings() -> CrmError {
    CrmError::InternalError
}

pub async fn update_data_sharing_settings() -> CrmError {
    CrmError::InternalError
}

pub async fn get_rules() -> CrmError {
    CrmError::InternalError
}

pub async fn create_rule() -> CrmError {
    CrmError::InternalError
}

pub async fn update_rules() -> CrmError {
    CrmError::InternalError
}

pub async fn get_rule() -> CrmError {
    CrmError::InternalError
}

pub async fn update_rule() -> CrmError {
    CrmError::InternalError
}

pub async fn delete_rule() -> CrmError {
    CrmError::InternalError
}

pub async fn activate_rule() -> CrmError {
    CrmError::InternalError
}

pub async fn deactivate_rule() -> CrmError {
    CrmError::InternalError
}

pub async fn get_rules_summary() -> CrmError {
    CrmError::InternalError
}

pub async fn rerun_rules() -> CrmError {
    CrmError::InternalError
}

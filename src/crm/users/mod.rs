//! `GET /crm/{v}/users`, `GET /crm/{v}/users/{user_id}` and `GET /crm/{v}/org`: Zoho's SDKs
//! call the list and the org right after every token grant (to learn the user's email and key
//! their token store). They read the tenant's directory; this family has no state of its own.

pub mod handlers;
pub mod request;
pub mod wire;

//! Effective record access (spec crm-records-and-access.md §4): the one model every record
//! endpoint and the admin explain endpoint ask what a user may do with a record. It owns no
//! state; it reads the directory, the rules, the org-wide defaults and a record's shares.

pub mod model;

//! The parameters of the workspace-admin actions, checked in the row order of the spec's
//! parameter table (step 11 of spec §4).

use crate::analytics::v1::action::Action;
use crate::analytics::v1::email::{self, EmailListError};
use crate::analytics::v1::error::AnalyticsError;
use crate::analytics::v1::params::{
    Param, Params, ZOHO_DOMAINNAME, ZOHO_EMAILS, ZOHO_INVITE_MAIL, ZOHO_MAIL_MESSAGE,
    ZOHO_MAIL_SUBJECT,
};

/// An action with its validated parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionArgs {
    RemoveAdmins { emails: Vec<String> },
    AddAdmins { emails: Vec<String> },
    GetShareInfo,
}

impl ActionArgs {
    /// Step 11 of spec §4. No mail is ever sent, so the mail parameters are only validated.
    pub fn read(action: Action, params: &Params) -> Result<ActionArgs, AnalyticsError> {
        let args = match action {
            Action::RemoveAdmins => ActionArgs::RemoveAdmins {
                emails: admin_change_emails(params)?,
            },
            Action::AddAdmins => ActionArgs::AddAdmins {
                emails: admin_change_emails(params)?,
            },
            Action::GetShareInfo => ActionArgs::GetShareInfo,
        };
        check_domain_name(params)?;
        Ok(args)
    }
}

/// `ZOHO_EMAILS`, then `ZOHO_INVITE_MAIL`, `ZOHO_MAIL_SUBJECT` and `ZOHO_MAIL_MESSAGE`.
fn admin_change_emails(params: &Params) -> Result<Vec<String>, AnalyticsError> {
    let emails = match params.get(ZOHO_EMAILS) {
        Param::Missing => return Err(AnalyticsError::MissingParameters),
        Param::NotUtf8 => return Err(AnalyticsError::InvalidValue),
        Param::Text(list) => email::parse_list(list).map_err(|err| match err {
            EmailListError::NoEntry => AnalyticsError::ParameterNotProper {
                name: ZOHO_EMAILS.to_owned(),
            },
            EmailListError::Malformed => AnalyticsError::ImproperEmails,
        })?,
    };
    let invite = match params.get(ZOHO_INVITE_MAIL) {
        Param::Missing => false,
        Param::Text(text) if text.eq_ignore_ascii_case("true") => true,
        Param::Text(text) if text.eq_ignore_ascii_case("false") => false,
        Param::Text(_) | Param::NotUtf8 => return Err(AnalyticsError::InvalidValue),
    };
    match params.get(ZOHO_MAIL_SUBJECT) {
        // An empty subject is no subject.
        Param::Missing | Param::Text("") if invite => {
            return Err(AnalyticsError::MissingParameters);
        }
        Param::NotUtf8 => return Err(AnalyticsError::InvalidValue),
        Param::Missing | Param::Text(_) => {}
    }
    if params.get(ZOHO_MAIL_MESSAGE) == Param::NotUtf8 {
        return Err(AnalyticsError::InvalidValue);
    }
    Ok(emails)
}

/// The mock models no white-label domain, so any non-empty `ZOHO_DOMAINNAME` names an unknown one.
fn check_domain_name(params: &Params) -> Result<(), AnalyticsError> {
    match params.get(ZOHO_DOMAINNAME) {
        Param::Missing | Param::Text("") => Ok(()),
        Param::Text(_) => Err(AnalyticsError::DomainNotExist),
        Param::NotUtf8 => Err(AnalyticsError::InvalidValue),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::BufferedBody;
    use axum::http::HeaderMap;

    async fn params(query: &str) -> Params {
        Params::read(Some(query), &HeaderMap::new(), &BufferedBody::default()).await
    }

    async fn args(action: Action, query: &str) -> Result<ActionArgs, u32> {
        ActionArgs::read(action, &params(query).await).map_err(|e| e.code())
    }

    #[tokio::test]
    async fn admin_change_parameters_in_table_order() {
        let remove = Action::RemoveAdmins;
        assert_eq!(
            args(remove, "ZOHO_EMAILS=a@x.com,b@x.com").await,
            Ok(ActionArgs::RemoveAdmins {
                emails: vec!["a@x.com".into(), "b@x.com".into()]
            })
        );
        assert_eq!(args(remove, "ZOHO_DOMAINNAME=x").await, Err(7003));
        assert_eq!(
            args(remove, "ZOHO_EMAILS=,&ZOHO_DOMAINNAME=x").await,
            Err(8504)
        );
        assert_eq!(
            args(remove, "ZOHO_EMAILS=a@x&ZOHO_INVITE_MAIL=yes").await,
            Err(8509)
        );
        assert_eq!(args(remove, "ZOHO_EMAILS=%FF").await, Err(8516));
        assert_eq!(
            args(remove, "ZOHO_EMAILS=a@x.com&ZOHO_INVITE_MAIL=yes").await,
            Err(8516)
        );
        assert_eq!(
            args(
                remove,
                "ZOHO_EMAILS=a@x.com&ZOHO_INVITE_MAIL=TRUE&ZOHO_DOMAINNAME=x"
            )
            .await,
            Err(7003)
        );
        assert_eq!(
            args(
                remove,
                "ZOHO_EMAILS=a@x.com&ZOHO_INVITE_MAIL=true&ZOHO_MAIL_SUBJECT="
            )
            .await,
            Err(7003)
        );
        assert_eq!(
            args(
                remove,
                "ZOHO_EMAILS=a@x.com&ZOHO_INVITE_MAIL=true&ZOHO_MAIL_SUBJECT=Hi&ZOHO_DOMAINNAME=x"
            )
            .await,
            Err(8060)
        );
        assert_eq!(
            args(remove, "ZOHO_EMAILS=a@x.com&ZOHO_MAIL_MESSAGE=%FE").await,
            Err(8516)
        );
        assert!(
            args(
                remove,
                "ZOHO_EMAILS=a@x.com&ZOHO_INVITE_MAIL=False&ZOHO_DOMAINNAME="
            )
            .await
            .is_ok()
        );
    }

    #[tokio::test]
    async fn share_info_reads_only_the_domain_name() {
        assert_eq!(
            args(Action::GetShareInfo, "ZOHO_INVITE_MAIL=maybe").await,
            Ok(ActionArgs::GetShareInfo)
        );
        assert_eq!(
            args(Action::GetShareInfo, "ZOHO_DOMAINNAME=zylker.example").await,
            Err(8060)
        );
    }
}

//! The parameters of the workspace-admin actions, checked in the row order of the spec's
//! parameter table (step 11 of spec §4).

use crate::analytics::v1::action::AdminAction;
use crate::analytics::v1::error::AnalyticsError;
use crate::analytics::v1::params::Params;

/// An action with its validated parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionArgs {
    RemoveAdmins { emails: Vec<String> },
    AddAdmins { emails: Vec<String> },
    GetShareInfo,
}

impl ActionArgs {
    /// Step 11 of spec §4: `ZOHO_EMAILS`, the mail parameters, then `ZOHO_DOMAINNAME`. No mail
    /// is ever sent, so the mail parameters are only validated.
    pub fn read(action: AdminAction, params: &Params) -> Result<ActionArgs, AnalyticsError> {
        let args = match action {
            AdminAction::RemoveAdmins => ActionArgs::RemoveAdmins {
                emails: admin_change_emails(params)?,
            },
            AdminAction::AddAdmins => ActionArgs::AddAdmins {
                emails: admin_change_emails(params)?,
            },
            AdminAction::GetShareInfo => ActionArgs::GetShareInfo,
        };
        params.check_domain_name()?;
        Ok(args)
    }
}

/// `ZOHO_EMAILS`, then `ZOHO_INVITE_MAIL`, `ZOHO_MAIL_SUBJECT` and `ZOHO_MAIL_MESSAGE`.
fn admin_change_emails(params: &Params) -> Result<Vec<String>, AnalyticsError> {
    let emails = params.emails()?;
    params.check_mail()?;
    Ok(emails)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::BufferedBody;
    use axum::http::HeaderMap;

    async fn params(query: &str) -> Params {
        Params::read(Some(query), &HeaderMap::new(), &BufferedBody::default()).await
    }

    async fn args(action: AdminAction, query: &str) -> Result<ActionArgs, u32> {
        ActionArgs::read(action, &params(query).await).map_err(|e| e.code())
    }

    #[tokio::test]
    async fn admin_change_parameters_in_table_order() {
        let remove = AdminAction::RemoveAdmins;
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
            args(AdminAction::GetShareInfo, "ZOHO_INVITE_MAIL=maybe").await,
            Ok(ActionArgs::GetShareInfo)
        );
        assert_eq!(
            args(AdminAction::GetShareInfo, "ZOHO_DOMAINNAME=zylker.example").await,
            Err(8060)
        );
    }
}

//! The parameters of SHARE and REMOVESHARE, in the order of spec analytics-v2-sharing.md
//! §10.4: first the views (step 10a, before the caller's permission, which depends on them),
//! then the other parameters in table order (step 11).

use crate::analytics::v1::action::SharingAction;
use crate::analytics::v1::error::AnalyticsError;
use crate::analytics::v1::params::{
    PERMISSION_FLAGS, Param, Params, ZOHO_ALLVIEWS, ZOHO_CRITERIA, ZOHO_VIEWS,
};
use crate::analytics::workspaces::model::{ShareContent, Workspace, with_read};
use crate::analytics::workspaces::permissions::{Permission, PermissionSet};

/// The views an action names (step 10a).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Views {
    /// View ids, in `ZOHO_VIEWS` order, without duplicates.
    Named(Vec<String>),
    /// `ZOHO_ALLVIEWS=true` (REMOVESHARE): every share of the emails.
    All,
}

/// An action with its validated parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SharingArgs {
    Share {
        views: Vec<String>,
        emails: Vec<String>,
        content: ShareContent,
    },
    RemoveShare {
        views: Views,
        emails: Vec<String>,
    },
}

/// Step 10a. SHARE: `ZOHO_VIEWS` (7003, 8504, 8027). REMOVESHARE: `ZOHO_ALLVIEWS` first (a bad
/// value is 8516 before anything else), and `ZOHO_VIEWS` only when it is not `true`.
pub fn read_views(
    action: SharingAction,
    params: &Params,
    workspace: &Workspace,
) -> Result<Views, AnalyticsError> {
    if action == SharingAction::RemoveShare && params.flag(ZOHO_ALLVIEWS)? == Some(true) {
        return Ok(Views::All);
    }
    let list = match params.get(ZOHO_VIEWS) {
        Param::Missing => return Err(AnalyticsError::MissingParameters),
        Param::NotUtf8 => return Err(AnalyticsError::InvalidValue),
        Param::Text(list) => list,
    };
    let mut names: Vec<&str> = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return Err(AnalyticsError::ParameterNotProper {
            name: ZOHO_VIEWS.to_owned(),
        });
    }
    names
        .into_iter()
        .map(|name| {
            workspace
                .view_named(name)
                .map(|view| view.id.clone())
                .ok_or(AnalyticsError::ViewNameNotFound)
        })
        .collect::<Result<Vec<String>, _>>()
        .map(Views::Named)
}

/// Step 11, once the caller may act on the views.
pub fn read_args(
    action: SharingAction,
    params: &Params,
    views: Views,
) -> Result<SharingArgs, AnalyticsError> {
    match action {
        SharingAction::Share => {
            let views = match views {
                Views::Named(views) => views,
                Views::All => Vec::new(),
            };
            let emails = params.emails()?;
            let permissions = permission_flags(params)?;
            let criteria = match params.get(ZOHO_CRITERIA) {
                Param::Missing => String::new(),
                Param::NotUtf8 => return Err(AnalyticsError::InvalidValue),
                Param::Text(text) => text.to_owned(),
            };
            // An empty criteria is no criteria.
            if !criteria.is_empty() && views.len() > 1 {
                return Err(AnalyticsError::CriteriaMultiView);
            }
            params.check_mail()?;
            params.check_domain_name()?;
            Ok(SharingArgs::Share {
                views,
                emails,
                content: ShareContent {
                    // Every share grants read, whatever ZOHO_READ says (spec §10.1).
                    permissions: with_read(permissions),
                    criteria,
                    ..ShareContent::default()
                },
            })
        }
        SharingAction::RemoveShare => {
            let emails = params.emails()?;
            params.check_domain_name()?;
            Ok(SharingArgs::RemoveShare { views, emails })
        }
    }
}

/// The fourteen flags: at least one present (8026), each `true` or `false` in any case (8516).
fn permission_flags(params: &Params) -> Result<PermissionSet, AnalyticsError> {
    let mut set = PermissionSet::default();
    let mut any = false;
    for (flag, key) in PERMISSION_FLAGS {
        if let Some(on) = params.flag(flag)? {
            any = true;
            if let Some(permission) = Permission::from_key(key) {
                set = set.with(permission, on);
            }
        }
    }
    if !any {
        return Err(AnalyticsError::PermissionMissing);
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::BufferedBody;
    use crate::clock::Timestamp;
    use crate::store::fixture::sandbox_org;
    use axum::http::HeaderMap;

    async fn params(query: &str) -> Params {
        Params::read(Some(query), &HeaderMap::new(), &BufferedBody::default()).await
    }

    const MI: &str = "4150868000002100005";

    #[tokio::test]
    async fn views_are_names_of_the_workspace() {
        let org = sandbox_org(Timestamp(0));
        let (_, ws) = org.analytics.by_id(MI).unwrap();
        let views = |q: &'static str, action| async move {
            read_views(action, &params(q).await, ws).map_err(|e| e.code())
        };
        assert_eq!(
            views(
                "ZOHO_VIEWS=Campaign%20Pivot,,%20Lead%20Notes%20,Campaign%20Pivot",
                SharingAction::Share
            )
            .await,
            Ok(Views::Named(vec![
                "4150868000002200011".into(),
                "4150868000002200013".into()
            ]))
        );
        assert_eq!(views("", SharingAction::Share).await, Err(7003));
        assert_eq!(
            views("ZOHO_VIEWS=,%20,", SharingAction::Share).await,
            Err(8504)
        );
        assert_eq!(
            views("ZOHO_VIEWS=campaign%20pivot", SharingAction::Share).await,
            Err(8027)
        );
        assert_eq!(
            views(
                "ZOHO_ALLVIEWS=TRUE&ZOHO_VIEWS=Nope",
                SharingAction::RemoveShare
            )
            .await,
            Ok(Views::All)
        );
        assert_eq!(
            views("ZOHO_ALLVIEWS=maybe", SharingAction::RemoveShare).await,
            Err(8516)
        );
        assert_eq!(
            views("ZOHO_ALLVIEWS=false", SharingAction::RemoveShare).await,
            Err(7003)
        );
    }

    #[tokio::test]
    async fn share_flags_and_criteria() {
        let two = Views::Named(vec!["1".into(), "2".into()]);
        let args = |q: &'static str, views: Views| async move {
            read_args(SharingAction::Share, &params(q).await, views).map_err(|e| e.code())
        };
        let Ok(SharingArgs::Share { content, .. }) = args(
            "ZOHO_EMAILS=a@x.com&ZOHO_READ=false&ZOHO_EXPORT=TRUE",
            Views::Named(vec!["1".into()]),
        )
        .await
        else {
            panic!("a share");
        };
        assert_eq!(
            content.permissions,
            PermissionSet::of(&[Permission::Read, Permission::Export])
        );
        assert_eq!(args("ZOHO_EMAILS=a@x.com", two.clone()).await, Err(8026));
        assert_eq!(
            args("ZOHO_EMAILS=a@x.com&ZOHO_SHARE=1", two.clone()).await,
            Err(8516)
        );
        assert_eq!(
            args(
                "ZOHO_EMAILS=a@x.com&ZOHO_READ=true&ZOHO_CRITERIA=x",
                two.clone()
            )
            .await,
            Err(7541)
        );
        assert!(
            args("ZOHO_EMAILS=a@x.com&ZOHO_READ=true&ZOHO_CRITERIA=", two)
                .await
                .is_ok()
        );
    }
}

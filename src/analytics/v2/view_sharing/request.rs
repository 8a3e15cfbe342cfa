//! The `CONFIG` of the share routes (spec §7.3 to §7.6), read in the sub-steps of §4 step 6:
//! required keys (f), JSON types (g), the mode rules of remove share, empty lists (h), list
//! limits (i). The value rules of step 9 run later, once the caller may act.

use crate::analytics::v2::config::{
    Config, check_domain, check_share_emails, not_empty, within_list_limit,
};
use crate::analytics::v2::error::V2Error;
use crate::analytics::workspaces::model::{ColumnList, ShareContent, ShareUpdate};
use crate::analytics::workspaces::permissions::{Permission, PermissionSet};

/// Who a request targets: `emailIds` and/or `groupIds`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Targets {
    pub emails: Vec<String>,
    pub groups: Vec<String>,
}

/// The parts of a share a request may give (spec §7.3, §7.4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Parts {
    permissions: Option<PermissionSet>,
    criteria: Option<String>,
    columns: Option<Vec<ColumnList>>,
    vud_columns: Option<Vec<ColumnList>>,
    drill_columns: Option<Vec<ColumnList>>,
    inherit_parent_filter_criteria: Option<bool>,
    include_all_cols_for_vud: Option<bool>,
    domain: Option<String>,
}

/// `POST …/share`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareRequest {
    pub views: Vec<String>,
    pub targets: Targets,
    parts: Parts,
}

/// `PUT …/views/{view}/share`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateRequest {
    pub targets: Targets,
    parts: Parts,
}

/// `DELETE …/share`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoveRequest {
    /// Empty with `all`.
    pub views: Vec<String>,
    /// `removeAllViews`: every share of the targets.
    pub all: bool,
    pub targets: Targets,
    domain: Option<String>,
}

/// `GET …/share/shareddetails`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailsRequest {
    pub views: Vec<String>,
}

/// `emailIds` and `groupIds`: (f) one of the keys must be there.
fn require_targets(config: &Config) -> Result<(), V2Error> {
    config.require_any(&["emailIds", "groupIds"])
}

/// `emailIds` and `groupIds` as sent, their types checked.
struct SentTargets {
    emails: Option<Vec<String>>,
    groups: Option<Vec<String>>,
}

/// `emailIds` and `groupIds`: (g) their types.
fn targets(config: &Config) -> Result<SentTargets, V2Error> {
    Ok(SentTargets {
        emails: config.emails("emailIds")?,
        groups: config.ids("groupIds")?,
    })
}

impl SentTargets {
    /// (h): the two lists together hold an entry.
    fn some_target(&self) -> Result<(), V2Error> {
        let count =
            self.emails.as_ref().map_or(0, Vec::len) + self.groups.as_ref().map_or(0, Vec::len);
        if count == 0 {
            return Err(V2Error::EmptyAttribute);
        }
        Ok(())
    }

    /// (i): at most 1000 of each.
    fn within_limit(&self) -> Result<(), V2Error> {
        within_list_limit(&[self.emails.as_deref(), self.groups.as_deref()])
    }

    fn into_targets(self) -> Targets {
        Targets {
            emails: self.emails.unwrap_or_default(),
            groups: self.groups.unwrap_or_default(),
        }
    }
}

/// (g) over the share's parts, in table order.
fn parts(config: &Config) -> Result<Parts, V2Error> {
    Ok(Parts {
        permissions: config.permissions("permissions")?,
        criteria: config.string("criteria")?,
        columns: config.columns("columns")?,
        vud_columns: config.columns("vudColumns")?,
        drill_columns: config.columns("drillColumns")?,
        inherit_parent_filter_criteria: config.boolean("inheritParentFilterCriteria")?,
        include_all_cols_for_vud: config.boolean("includeAllColsForVUD")?,
        domain: None,
    })
}

pub fn share(config: &Config) -> Result<ShareRequest, V2Error> {
    config.require("viewIds")?;
    require_targets(config)?;
    let views = config.ids("viewIds")?;
    let targets = targets(config)?;
    let mut parts = parts(config)?;
    for flag in ["inviteMail", "inviteMailCCMe", "validateSystemTags"] {
        config.boolean(flag)?;
    }
    config.string("mailSubject")?;
    config.string("mailMessage")?;
    parts.domain = config.string("domainName")?;
    not_empty(views.as_deref())?;
    targets.some_target()?;
    within_list_limit(&[views.as_deref()])?;
    targets.within_limit()?;
    Ok(ShareRequest {
        views: views.unwrap_or_default(),
        targets: targets.into_targets(),
        parts,
    })
}

pub fn update(config: &Config) -> Result<UpdateRequest, V2Error> {
    require_targets(config)?;
    let targets = targets(config)?;
    let mut parts = parts(config)?;
    parts.domain = config.string("domainName")?;
    targets.some_target()?;
    targets.within_limit()?;
    Ok(UpdateRequest {
        targets: targets.into_targets(),
        parts,
    })
}

pub fn remove(config: &Config) -> Result<RemoveRequest, V2Error> {
    require_targets(config)?;
    let targets = targets(config)?;
    let views = config.ids("viewIds")?.unwrap_or_default();
    let all = config.boolean("removeAllViews")?.unwrap_or(false);
    let domain = config.string("domainName")?;
    // The mode rules (spec §7.5) come between (g) and (h).
    match (views.is_empty(), all) {
        (false, true) => return Err(V2Error::RemoveShareBoth),
        (true, false) => return Err(V2Error::RemoveShareParams),
        _ => {}
    }
    targets.some_target()?;
    within_list_limit(&[Some(&views)])?;
    targets.within_limit()?;
    Ok(RemoveRequest {
        views,
        all,
        targets: targets.into_targets(),
        domain,
    })
}

pub fn shared_details(config: &Config) -> Result<DetailsRequest, V2Error> {
    config.require("viewIds")?;
    let views = config.ids("viewIds")?;
    not_empty(views.as_deref())?;
    within_list_limit(&[views.as_deref()])?;
    Ok(DetailsRequest {
        views: views.unwrap_or_default(),
    })
}

/// `permissions`: at least one key true (8026), `read` among them (8074).
fn check_permissions(permissions: PermissionSet) -> Result<PermissionSet, V2Error> {
    if permissions.is_empty() {
        return Err(V2Error::PermissionsMissing);
    }
    if !permissions.has(Permission::Read) {
        return Err(V2Error::ReadNotTrue);
    }
    Ok(permissions)
}

impl ShareRequest {
    /// Step 9 in the order of spec §7.3: emails (8029), permissions (8026, 8074), criteria and
    /// column lists with more than one view (7541, 7543), `domainName` (8060). An empty
    /// criteria or column list counts as none.
    pub fn content(&self) -> Result<ShareContent, V2Error> {
        check_share_emails(&self.targets.emails)?;
        let permissions = check_permissions(self.parts.permissions.unwrap_or_default())?;
        let many = self.views.len() > 1;
        let criteria = self.parts.criteria.clone().unwrap_or_default();
        if many && !criteria.is_empty() {
            return Err(V2Error::CriteriaMultiView);
        }
        let lists = [
            &self.parts.columns,
            &self.parts.vud_columns,
            &self.parts.drill_columns,
        ];
        if many
            && lists
                .iter()
                .any(|l| l.as_ref().is_some_and(|l| !l.is_empty()))
        {
            return Err(V2Error::ColumnsMultiView);
        }
        check_domain(self.parts.domain.as_deref())?;
        Ok(ShareContent {
            permissions,
            criteria,
            inherit_parent_filter_criteria: self
                .parts
                .inherit_parent_filter_criteria
                .unwrap_or(false),
            columns: self.parts.columns.clone().unwrap_or_default(),
            vud_columns: self.parts.vud_columns.clone().unwrap_or_default(),
            drill_columns: self.parts.drill_columns.clone().unwrap_or_default(),
            include_all_cols_for_vud: self.parts.include_all_cols_for_vud.unwrap_or(false),
        })
    }
}

impl UpdateRequest {
    /// Step 9 in the order of spec §7.4: emails (8029), a present `permissions` (8026, 8074),
    /// `domainName` (8060). What is present replaces that part of each share.
    pub fn update(&self) -> Result<ShareUpdate, V2Error> {
        check_share_emails(&self.targets.emails)?;
        let permissions = self.parts.permissions.map(check_permissions).transpose()?;
        check_domain(self.parts.domain.as_deref())?;
        Ok(ShareUpdate {
            permissions,
            criteria: self.parts.criteria.clone(),
            inherit_parent_filter_criteria: self.parts.inherit_parent_filter_criteria,
            columns: self.parts.columns.clone(),
            vud_columns: self.parts.vud_columns.clone(),
            drill_columns: self.parts.drill_columns.clone(),
            include_all_cols_for_vud: self.parts.include_all_cols_for_vud,
        })
    }
}

impl RemoveRequest {
    /// Step 9: emails (8029), `domainName` (8060).
    pub fn check_values(&self) -> Result<(), V2Error> {
        check_share_emails(&self.targets.emails)?;
        check_domain(self.domain.as_deref())
    }
}

//! Profiles: what their users may do with each module's records (DESIGN §2, §3 `profiles`).
//! Permissions are keyed by module API name, kept here as strings: the tenant knows no module
//! registry, so the checks that need the org's modules take them as an argument
//! ([`Profile::check_against`], called by the CRM's fixture section).

use indexmap::IndexMap;

use crate::ids::ProfileId;

/// The profile that may do everything (DESIGN §2).
pub const ADMINISTRATOR_PROFILE: &str = "Administrator";

/// The key of a profile's permissions that covers every module without an entry of its own.
pub const EVERY_MODULE: &str = "*";

/// The built-in profiles: every other one is `custom` (spec crm-settings-and-search.md §5.1).
const BUILT_IN: [&str; 2] = [ADMINISTRATOR_PROFILE, "Standard"];

/// What a profile may do with a module's records, in the order Zoho lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    View,
    Create,
    Edit,
    Delete,
}

impl Operation {
    pub const ALL: [Operation; 4] = [
        Operation::View,
        Operation::Create,
        Operation::Edit,
        Operation::Delete,
    ];

    /// The key in a fixture's permissions object.
    pub fn key(self) -> &'static str {
        match self {
            Operation::View => "view",
            Operation::Create => "create",
            Operation::Edit => "edit",
            Operation::Delete => "delete",
        }
    }

    /// The name Zoho shows (`display_label` of `permissions_details`).
    pub fn label(self) -> &'static str {
        match self {
            Operation::View => "View",
            Operation::Create => "Create",
            Operation::Edit => "Edit",
            Operation::Delete => "Delete",
        }
    }
}

/// One permissions entry as the fixture gives it: each operation optional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Grants {
    pub view: Option<bool>,
    pub create: Option<bool>,
    pub edit: Option<bool>,
    pub delete: Option<bool>,
}

impl Grants {
    pub fn get(self, operation: Operation) -> Option<bool> {
        match operation {
            Operation::View => self.view,
            Operation::Create => self.create,
            Operation::Edit => self.edit,
            Operation::Delete => self.delete,
        }
    }
}

/// A profile of the org.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub id: ProfileId,
    /// Unique among the org's profiles; users name their profile by it.
    pub name: String,
    pub description: Option<String>,
    /// By module API name or [`EVERY_MODULE`], in fixture order (export keeps it).
    pub permissions: IndexMap<String, Grants>,
}

/// Why a profile's permissions do not fit the org's modules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileProblem {
    /// A permissions key that is neither `*` nor a module of the org.
    UnknownModule(String),
    /// The Administrator profile has a permission that resolves to `false`.
    AdministratorRestricted,
    /// A module may be changed but not viewed; `key` is the module's own permissions entry
    /// when it has one, else `*`.
    WithoutView { key: String, operation: Operation },
}

impl Profile {
    /// The module's entry for the operation if it has one, else the `*` entry's, else `true`:
    /// `{}` grants everything (DESIGN §3).
    pub fn allows(&self, module: &str, operation: Operation) -> bool {
        self.permissions
            .get(module)
            .and_then(|grants| grants.get(operation))
            .or_else(|| {
                self.permissions
                    .get(EVERY_MODULE)
                    .and_then(|grants| grants.get(operation))
            })
            .unwrap_or(true)
    }

    /// `false` for the built-in Administrator and Standard profiles.
    pub fn is_custom(&self) -> bool {
        !BUILT_IN.contains(&self.name.as_str())
    }

    pub fn is_administrator(&self) -> bool {
        self.name == ADMINISTRATOR_PROFILE
    }

    /// The rules that need the org's modules (every module, in registry order), in this
    /// order: every key names `*` or a module (exact spelling); the Administrator profile is
    /// never restricted; no module may be created, edited or deleted without being viewed.
    pub fn check_against<'m>(
        &self,
        modules: impl Iterator<Item = &'m str> + Clone,
    ) -> Result<(), ProfileProblem> {
        if let Some(key) = self
            .permissions
            .keys()
            .find(|key| *key != EVERY_MODULE && !modules.clone().any(|m| m == key.as_str()))
        {
            return Err(ProfileProblem::UnknownModule(key.clone()));
        }
        if self.is_administrator()
            && modules
                .clone()
                .any(|m| Operation::ALL.iter().any(|op| !self.allows(m, *op)))
        {
            return Err(ProfileProblem::AdministratorRestricted);
        }
        for module in modules {
            if self.allows(module, Operation::View) {
                continue;
            }
            if let Some(operation) = Operation::ALL[1..]
                .iter()
                .copied()
                .find(|op| self.allows(module, *op))
            {
                let key = if self.permissions.contains_key(module) {
                    module
                } else {
                    EVERY_MODULE
                };
                return Err(ProfileProblem::WithoutView {
                    key: key.to_owned(),
                    operation,
                });
            }
        }
        Ok(())
    }
}

/// The profiles of an org whose fixture declares none: one per distinct profile name among
/// its users (`names`, in user order), in order of first appearance, with ids
/// `"3602353000000026"` + a 3-digit index (the ids `GET /crm/{v}/users` has always shown), no
/// description and no restriction.
pub fn derive_profiles<'a>(names: impl Iterator<Item = &'a str>) -> Vec<Profile> {
    let mut profiles: Vec<Profile> = Vec::new();
    for name in names {
        if profiles.iter().any(|p| p.name == name) {
            continue;
        }
        let index = profiles.len() + 1;
        profiles.push(Profile {
            id: ProfileId(format!("3602353000000026{index:03}")),
            name: name.to_owned(),
            description: None,
            permissions: IndexMap::new(),
        });
    }
    profiles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, permissions: &[(&str, Grants)]) -> Profile {
        Profile {
            id: ProfileId("1".into()),
            name: name.into(),
            description: None,
            permissions: permissions
                .iter()
                .map(|(k, g)| ((*k).to_owned(), *g))
                .collect(),
        }
    }

    const MODULES: [&str; 3] = ["Leads", "Contacts", "Boats"];

    fn read_only() -> Grants {
        Grants {
            view: Some(true),
            create: Some(false),
            edit: Some(false),
            delete: Some(false),
        }
    }

    #[test]
    fn a_module_entry_wins_over_every_module_which_wins_over_true() {
        let p = profile(
            "Crew",
            &[
                (
                    "*",
                    Grants {
                        delete: Some(false),
                        ..Grants::default()
                    },
                ),
                (
                    "Leads",
                    Grants {
                        create: Some(false),
                        delete: Some(true),
                        ..Grants::default()
                    },
                ),
            ],
        );
        assert!(p.allows("Leads", Operation::View));
        assert!(!p.allows("Leads", Operation::Create));
        assert!(p.allows("Leads", Operation::Delete));
        assert!(!p.allows("Contacts", Operation::Delete));
        assert!(p.allows("Contacts", Operation::Create));
        let open = profile("Open", &[]);
        assert!(Operation::ALL.iter().all(|op| open.allows("Boats", *op)));
        let ro = profile("Read Only", &[("*", read_only())]);
        assert!(ro.allows("Boats", Operation::View));
        assert!(!ro.allows("Boats", Operation::Edit));
        assert!(ro.check_against(MODULES.into_iter()).is_ok());
    }

    #[test]
    fn derived_profiles_follow_the_users() {
        let derived =
            derive_profiles(["Administrator", "Crew", "Administrator", "Standard"].into_iter());
        let named: Vec<(&str, &str)> = derived
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("3602353000000026001", "Administrator"),
                ("3602353000000026002", "Crew"),
                ("3602353000000026003", "Standard")
            ]
        );
        assert!(derived.iter().all(|p| p.permissions.is_empty()));
        assert!(!derived[0].is_custom() && derived[1].is_custom() && !derived[2].is_custom());
    }

    #[test]
    fn keys_name_modules_of_the_org_exactly() {
        let p = profile("Crew", &[("leads", Grants::default())]);
        assert_eq!(
            p.check_against(MODULES.into_iter()),
            Err(ProfileProblem::UnknownModule("leads".into()))
        );
        let p = profile("Crew", &[("Boats", read_only()), ("*", read_only())]);
        assert!(p.check_against(MODULES.into_iter()).is_ok());
    }

    #[test]
    fn the_administrator_is_never_restricted() {
        let p = profile(
            "Administrator",
            &[(
                "Leads",
                Grants {
                    delete: Some(false),
                    ..Grants::default()
                },
            )],
        );
        assert_eq!(
            p.check_against(MODULES.into_iter()),
            Err(ProfileProblem::AdministratorRestricted)
        );
        let explicit = profile(
            "Administrator",
            &[(
                "*",
                Grants {
                    view: Some(true),
                    ..Grants::default()
                },
            )],
        );
        assert!(explicit.check_against(MODULES.into_iter()).is_ok());
    }

    #[test]
    fn changing_needs_viewing() {
        let p = profile(
            "Crew",
            &[(
                "Leads",
                Grants {
                    view: Some(false),
                    edit: Some(true),
                    create: Some(false),
                    delete: Some(false),
                },
            )],
        );
        assert_eq!(
            p.check_against(MODULES.into_iter()),
            Err(ProfileProblem::WithoutView {
                key: "Leads".into(),
                operation: Operation::Edit
            })
        );
        // Boats' own entry hides it; create falls back to true.
        let p = profile(
            "Crew",
            &[
                (
                    "*",
                    Grants {
                        view: Some(true),
                        ..Grants::default()
                    },
                ),
                (
                    "Boats",
                    Grants {
                        view: Some(false),
                        ..Grants::default()
                    },
                ),
            ],
        );
        assert_eq!(
            p.check_against(MODULES.into_iter()),
            Err(ProfileProblem::WithoutView {
                key: "Boats".into(),
                operation: Operation::Create
            })
        );
        // `*` hides every module; the first module is reported under `*`.
        let p = profile(
            "Crew",
            &[(
                "*",
                Grants {
                    view: Some(false),
                    ..Grants::default()
                },
            )],
        );
        assert_eq!(
            p.check_against(MODULES.into_iter()),
            Err(ProfileProblem::WithoutView {
                key: "*".into(),
                operation: Operation::Create
            })
        );
        let hidden = Grants {
            view: Some(false),
            create: Some(false),
            edit: Some(false),
            delete: Some(false),
        };
        assert!(
            profile("Crew", &[("Boats", hidden)])
                .check_against(MODULES.into_iter())
                .is_ok()
        );
    }
}

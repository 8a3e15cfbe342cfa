//! JSON documents read with path errors: the fixture document, the state file and admin bodies
//! all refuse input with a message naming the JSON path of the first problem
//! (`$.orgs[0].users[2].role: unknown role id "7"`).
//!
//! serde's type errors name the struct they expected (`expected struct User`), so a document
//! type keeps the serde name it has always had (`#[serde(rename = "User")]` on `UserDoc`):
//! the messages are part of the contract.

use std::collections::HashSet;
use std::fmt;

use crate::ids::{IdGenerator, IdHash, generated_value, is_decimal};

/// A problem in a JSON document, located by JSON path (`$.orgs[0].users[2].role`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixtureError {
    /// Where the problem is, `$` for the whole document.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for FixtureError {}

/// Parses JSON into `T`, reporting the JSON path of a type or syntax error. A document that
/// reads is parsed once, without path tracking (a large fixture loads much faster); only a
/// document with a problem is read again to locate it.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, FixtureError> {
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    parse_json_with_paths(bytes)
}

fn parse_json_with_paths<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, FixtureError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        FixtureError {
            path: if path == "." {
                "$".to_owned()
            } else {
                format!("$.{path}")
            },
            message: err.into_inner().to_string(),
        }
    })?;
    deserializer.end().map_err(|err| FixtureError {
        path: "$".into(),
        message: err.to_string(),
    })?;
    Ok(value)
}

/// A problem at `path`, as a fixture section reports it.
pub fn fail<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, FixtureError> {
    Err(FixtureError {
        path: path.into(),
        message: message.into(),
    })
}

/// Ids are decimal strings (DESIGN §3).
pub fn check_decimal(path: String, id: &str) -> Result<(), FixtureError> {
    if is_decimal(id) {
        Ok(())
    } else {
        fail(path, format!("id {id:?} is not a decimal string"))
    }
}

/// Every Zoho id of one org while its fixture loads: ids are unique in the org across users,
/// roles, groups, custom modules, records, rules and workspaces, and the ids the org will mint
/// come after them.
#[derive(Debug, Default)]
pub struct SeenIds {
    /// Hashed with [`IdHash`] (FxHash): several times faster than SipHash on the million ids of
    /// a large fixture or state file.
    ids: HashSet<String, IdHash>,
    /// The largest claimed id in the generated range, kept as ids are claimed.
    newest: Option<u64>,
}

impl SeenIds {
    /// Claims `id` for a `what` (`"user"`, `"rule"`, ...) at `path`; a second claim fails.
    pub fn claim(&mut self, path: String, what: &str, id: &str) -> Result<(), FixtureError> {
        self.claim_with(|| path, what, id)
    }

    /// [`SeenIds::claim`] with the path built only for the message.
    pub fn claim_with(
        &mut self,
        path: impl FnOnce() -> String,
        what: &str,
        id: &str,
    ) -> Result<(), FixtureError> {
        if self.ids.insert(id.to_owned()) {
            self.newest = self.newest.max(generated_value(id));
            Ok(())
        } else {
            fail(path(), format!("duplicate {what} id {id:?}"))
        }
    }

    /// Room for `more` ids (a large section is about to be claimed).
    pub fn reserve(&mut self, more: usize) {
        self.ids.reserve(more);
    }

    /// The org's id generator: after every id claimed.
    pub fn generator(&self) -> IdGenerator {
        IdGenerator::after_newest(self.newest)
    }

    /// A fresh id from `generator`, claimed at once (for the ids a fixture leaves out).
    pub fn mint(&mut self, generator: &mut IdGenerator) -> String {
        let id = generator.next_id(|candidate| self.ids.contains(candidate));
        self.ids.insert(id.clone());
        self.newest = self.newest.max(generated_value(&id));
        id
    }
}

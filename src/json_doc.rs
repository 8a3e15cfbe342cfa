//! JSON documents read with path errors: the fixture document, the state file and admin bodies
//! all refuse input with a message naming the JSON path of the first problem
//! (`$.orgs[0].users[2].role: unknown role id "7"`).

use std::fmt;

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

/// Parses JSON into `T`, reporting the JSON path of a type or syntax error.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, FixtureError> {
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

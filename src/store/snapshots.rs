//! Saved states (`/__admin/snapshots`, DESIGN §5): the whole `World` or one `Org`, cloned
//! under the state's read lock and kept here, beside the state rather than in it, so reset,
//! `PUT /__admin/state`, org deletion and the state file never touch them. A snapshot costs a
//! clone of what it holds; restoring clones it again, so one snapshot can be restored any
//! number of times.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use indexmap::IndexMap;

use crate::clock::Timestamp;
use crate::ids::OrgId;

use super::org::Org;
use super::world::World;

/// What a snapshot holds.
#[derive(Clone, Debug)]
pub enum Saved {
    /// The whole state.
    State(World),
    /// One org, with its credentials (boxed: an `Org` is several times a `World`'s size).
    Org(Box<Org>),
}

#[derive(Clone, Debug)]
pub struct Snapshot {
    pub name: String,
    pub created: Timestamp,
    pub saved: Saved,
}

impl Snapshot {
    /// The org of an org snapshot; `None` for a whole-state one.
    pub fn org(&self) -> Option<&OrgId> {
        match &self.saved {
            Saved::State(_) => None,
            Saved::Org(org) => Some(org.id()),
        }
    }
}

/// Snapshot names: 1 to 64 of `A-Z a-z 0-9 . _ -`, so a name is a path segment as it is.
pub fn is_valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The saved snapshots by name, in the order they were saved (a replaced name moves to the
/// end). Shared as `Arc`s, so a restore clones the state outside this lock.
#[derive(Debug, Default)]
pub struct Snapshots {
    saved: Mutex<IndexMap<String, Arc<Snapshot>>>,
}

impl Snapshots {
    /// Keeps `snapshot` under its name, replacing one of the same name.
    pub fn save(&self, snapshot: Snapshot) {
        let replaced = {
            let mut saved = self.lock();
            let replaced = saved.shift_remove(&snapshot.name);
            saved.insert(snapshot.name.clone(), Arc::new(snapshot));
            replaced
        };
        // A replaced state is freed outside the lock.
        drop(replaced);
    }

    pub fn get(&self, name: &str) -> Option<Arc<Snapshot>> {
        self.lock().get(name).cloned()
    }

    pub fn list(&self) -> Vec<Arc<Snapshot>> {
        self.lock().values().cloned().collect()
    }

    /// Forgets a snapshot; false when there is none of that name.
    pub fn remove(&self, name: &str) -> bool {
        let removed = self.lock().shift_remove(name);
        removed.is_some()
    }

    fn lock(&self) -> MutexGuard<'_, IndexMap<String, Arc<Snapshot>>> {
        self.saved.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_path_safe() {
        assert!(is_valid_name("seeded"));
        assert!(is_valid_name("a.B_c-9"));
        assert!(is_valid_name(&"x".repeat(64)));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name(&"x".repeat(65)));
        assert!(!is_valid_name("a/b"));
        assert!(!is_valid_name("a b"));
        assert!(!is_valid_name("é"));
    }

    #[test]
    fn a_saved_name_is_replaced_and_moves_last() {
        let snapshots = Snapshots::default();
        let whole = |name: &str, at: i64| Snapshot {
            name: name.into(),
            created: Timestamp(at),
            saved: Saved::State(World::default()),
        };
        snapshots.save(whole("a", 1));
        snapshots.save(whole("b", 2));
        snapshots.save(whole("a", 3));
        let names: Vec<(String, i64)> = snapshots
            .list()
            .iter()
            .map(|s| (s.name.clone(), s.created.0))
            .collect();
        assert_eq!(names, [("b".to_owned(), 2), ("a".to_owned(), 3)]);
        assert!(snapshots.remove("a"));
        assert!(!snapshots.remove("a"));
        assert!(snapshots.get("b").is_some_and(|s| s.org().is_none()));
    }
}

//! `Dirty<K>`: the keys a part of the state changed since the store last collected them. Each
//! part of the state holds one and marks, in its own `&mut self` methods, the key of every
//! entity it stores, changes or removes; with `--state-file` the store collects the marks after
//! each successful write and commits exactly those entities (ARCHITECTURE.md, "Durability").
//!
//! Marking is off until the store turns it on, so without a state file a mark is one branch:
//! no key is built and nothing is allocated.

/// Marked keys, in marking order (a key may appear more than once).
#[derive(Clone, Debug)]
pub struct Dirty<K> {
    tracking: bool,
    keys: Vec<K>,
}

impl<K> Default for Dirty<K> {
    fn default() -> Self {
        Dirty {
            tracking: false,
            keys: Vec::new(),
        }
    }
}

impl<K> Dirty<K> {
    /// Marks the key `key()` builds, if marks are being kept.
    #[inline]
    pub fn mark(&mut self, key: impl FnOnce() -> K) {
        if self.tracking {
            self.keys.push(key());
        }
    }

    /// From now on, marks are kept (a state file is in use).
    pub fn track(&mut self) {
        self.tracking = true;
    }

    /// The marks so far; none are left.
    pub fn take(&mut self) -> Vec<K> {
        std::mem::take(&mut self.keys)
    }

    /// Forgets the marks (a refused write changed nothing; a rewritten org is written whole).
    pub fn clear(&mut self) {
        self.keys.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Dirty;

    #[test]
    fn marks_only_while_tracking() {
        let mut dirty: Dirty<String> = Dirty::default();
        dirty.mark(|| unreachable!("no key is built while marks are off"));
        assert!(dirty.is_empty());
        dirty.track();
        dirty.mark(|| "a".to_owned());
        dirty.mark(|| "a".to_owned());
        assert_eq!(dirty.take(), ["a", "a"]);
        assert!(dirty.is_empty());
        dirty.mark(|| "b".to_owned());
        dirty.clear();
        assert!(dirty.is_empty());
    }
}

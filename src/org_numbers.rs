//! The numbers `n` of the `org-<n>` ids in use, as runs of consecutive numbers, so that the
//! smallest free one is found in logarithmic time however many orgs exist
//! (`POST /__admin/orgs` mints `org-<n>` for the smallest n >= 1 not in use).

use std::collections::BTreeMap;

/// The number of an id of the form `org-<n>` (n >= 1, decimal, no leading zero): the only ids
/// that can collide with a minted one. `org-01` is not `org-1`.
pub fn org_number(id: &str) -> Option<u64> {
    let digits = id.strip_prefix("org-")?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A set of numbers kept as maximal runs `start -> end` (both included).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NumberRuns {
    runs: BTreeMap<u64, u64>,
}

impl NumberRuns {
    pub fn contains(&self, n: u64) -> bool {
        self.run_of(n).is_some()
    }

    /// The run holding `n`.
    fn run_of(&self, n: u64) -> Option<(u64, u64)> {
        let (&start, &end) = self.runs.range(..=n).next_back()?;
        (n <= end).then_some((start, end))
    }

    pub fn insert(&mut self, n: u64) {
        if self.contains(n) {
            return;
        }
        let before = n
            .checked_sub(1)
            .and_then(|m| self.run_of(m))
            .map(|(start, _)| start);
        let after = n.checked_add(1).and_then(|m| self.runs.get(&m).copied());
        let start = before.unwrap_or(n);
        let end = match after {
            Some(end) => {
                self.runs.remove(&(n + 1));
                end
            }
            None => n,
        };
        self.runs.insert(start, end);
    }

    pub fn remove(&mut self, n: u64) {
        let Some((start, end)) = self.run_of(n) else {
            return;
        };
        self.runs.remove(&start);
        if start < n {
            self.runs.insert(start, n - 1);
        }
        if n < end {
            self.runs.insert(n + 1, end);
        }
    }

    /// The smallest number >= `from` that is not in the set.
    pub fn first_free_from(&self, from: u64) -> u64 {
        match self.run_of(from) {
            // Runs are maximal, so the number after one is free.
            Some((_, end)) => end.saturating_add(1),
            None => from,
        }
    }

    pub fn clear(&mut self) {
        self.runs.clear();
    }
}

/// The smallest n >= 1 that no set of `sets` holds: each step jumps over a whole run of one
/// of them, and stops when a number is free in all.
pub fn first_free(sets: &[&dyn Fn(u64) -> u64]) -> u64 {
    let mut candidate = 1;
    loop {
        let before = candidate;
        for first_free_from in sets {
            candidate = first_free_from(candidate);
        }
        if candidate == before {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_numbers_only() {
        assert_eq!(org_number("org-1"), Some(1));
        assert_eq!(org_number("org-12345"), Some(12345));
        for id in [
            "org-0", "org-01", "org-", "org-1a", "org--1", "zylker", "Org-1",
        ] {
            assert_eq!(org_number(id), None, "{id}");
        }
    }

    #[test]
    fn runs_merge_split_and_find_the_first_gap() {
        let mut set = NumberRuns::default();
        assert_eq!(set.first_free_from(1), 1);
        for n in [1, 2, 3, 5, 4, 7] {
            set.insert(n);
        }
        assert_eq!(set.runs.len(), 2, "1-5 and 7: {set:?}");
        assert_eq!(set.first_free_from(1), 6);
        assert_eq!(set.first_free_from(7), 8);
        set.remove(3);
        assert_eq!(set.first_free_from(1), 3);
        assert_eq!(set.first_free_from(4), 6);
        assert!(!set.contains(3) && set.contains(2) && set.contains(4));
        set.insert(3);
        set.insert(6);
        assert_eq!(set.runs.len(), 1, "{set:?}");
        assert_eq!(set.first_free_from(1), 8);
        set.remove(1);
        set.remove(7);
        assert_eq!(set.first_free_from(1), 1);
        assert_eq!(set.first_free_from(2), 7);
        set.remove(42);
        set.clear();
        assert_eq!(set.first_free_from(5), 5);
    }

    /// The run set against a plain scan over random inserts and removes.
    #[test]
    fn agrees_with_a_scan() {
        let mut set = NumberRuns::default();
        let mut plain = std::collections::BTreeSet::new();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = 1 + seed % 64;
            if seed & (1 << 40) == 0 {
                set.insert(n);
                plain.insert(n);
            } else {
                set.remove(n);
                plain.remove(&n);
            }
            let from = 1 + (seed >> 20) % 70;
            let scanned = (from..).find(|m| !plain.contains(m)).unwrap();
            assert_eq!(set.first_free_from(from), scanned);
        }
    }

    #[test]
    fn first_free_over_several_sets() {
        let mut world = NumberRuns::default();
        let mut journal = NumberRuns::default();
        for n in [1, 2, 5, 6] {
            world.insert(n);
        }
        for n in [3, 4, 7] {
            journal.insert(n);
        }
        let free = first_free(&[&|c| world.first_free_from(c), &|c| {
            journal.first_free_from(c)
        }]);
        assert_eq!(free, 8);
        journal.remove(4);
        let free = first_free(&[&|c| world.first_free_from(c), &|c| {
            journal.first_free_from(c)
        }]);
        assert_eq!(free, 4);
    }
}

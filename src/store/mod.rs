//! `Store`: the one lock around the whole state, reached only through closures, so no guard
//! can be held across an `.await` and every invariant that spans entities (the share limits,
//! revoke-on-omit, rule names, credential uniqueness) is one critical section.
//!
//! With `--state-file`, a successful `write` persists the state before the lock is released,
//! so the file holds every acknowledged mutation, in order.

pub mod fixture;
pub mod org;
pub mod persist;
pub mod snapshots;
pub mod world;

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::clock::Clock;

use persist::Persister;
use world::World;

#[derive(Debug)]
pub struct Store {
    world: RwLock<World>,
    clock: Arc<Clock>,
    persister: Option<Persister>,
}

impl Store {
    pub fn new(world: World, clock: Arc<Clock>, persister: Option<Persister>) -> Self {
        Store {
            world: RwLock::new(world),
            clock,
            persister,
        }
    }

    pub fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&self.read_guard())
    }

    /// Runs `f` under the write lock. `f` must leave the state unchanged when it returns `Err`
    /// (every request is all-or-nothing); on `Ok` the state is persisted when a state file is set.
    pub fn write<R, E>(&self, f: impl FnOnce(&mut World) -> Result<R, E>) -> Result<R, E> {
        let mut world = self.write_guard();
        let result = f(&mut world);
        if result.is_ok() {
            self.persist(&world);
        }
        result
    }

    /// Replaces the whole state (reset, state import).
    pub fn replace(&self, new_world: World) {
        let mut world = self.write_guard();
        *world = new_world;
        self.persist(&world);
    }

    pub fn persist_now(&self) {
        self.persist(&self.read_guard());
    }

    fn persist(&self, world: &World) {
        let Some(persister) = &self.persister else {
            return;
        };
        let doc = world.to_doc(self.clock.now());
        let result = serde_json::to_vec(&doc)
            .map_err(std::io::Error::other)
            .and_then(|bytes| persister.write(&bytes));
        if let Err(err) = result {
            tracing::error!(path = %persister.path().display(), error = %err, "could not write the state file");
        }
    }

    // A panic inside a closure poisons the lock; the state it left is still the last one every
    // request saw complete (closures validate before they mutate), so keep serving it.
    fn read_guard(&self) -> RwLockReadGuard<'_, World> {
        self.world
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write_guard(&self) -> RwLockWriteGuard<'_, World> {
        self.world
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

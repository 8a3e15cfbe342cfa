//! `Store`: the one lock around the whole state, reached only through closures, so no guard
//! can be held across an `.await` and every invariant that spans entities (the share limits,
//! revoke-on-omit, rule names, credential uniqueness) is one critical section.
//!
//! With `--state-file`, a successful `write` collects the rows it changed (`rows.rs`) before
//! the lock is released and queues them for the committer (`durable.rs`); the request's answer
//! waits for that commit (`Store::acknowledged`, in the harness), so the file holds every
//! acknowledged mutation, in lock order. Without a state file nothing of that runs.

pub mod copy;
pub mod durable;
pub mod fixture;
pub mod org;
pub mod rows;
pub mod snapshots;
pub mod sqlite;
pub mod world;

use std::future::Future;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::clock::Clock;

use durable::{CommitFailed, Durable};
use sqlite::StateFile;
use world::World;

#[derive(Debug)]
pub struct Store {
    world: Arc<RwLock<World>>,
    durable: Option<Arc<Durable>>,
}

impl Store {
    /// State in memory only.
    pub fn new(world: World) -> Self {
        Store {
            world: Arc::new(RwLock::new(world)),
            durable: None,
        }
    }

    /// State backed by `file`, which holds `world` already (loaded from it, or written to it).
    pub fn durable(
        mut world: World,
        file: StateFile,
        clock: Arc<Clock>,
        fail_commits: Option<Arc<AtomicBool>>,
    ) -> Self {
        rows::track(&mut world);
        let world = Arc::new(RwLock::new(world));
        let durable = Durable::start(file, world.clone(), clock, fail_commits);
        Store {
            world,
            durable: Some(durable),
        }
    }

    pub fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&self.read_guard())
    }

    /// Runs `f` under the write lock. `f` must leave the state unchanged when it returns `Err`
    /// (every request is all-or-nothing); on `Ok`, with a state file, the rows it changed are
    /// queued for commit and the request's answer waits for it.
    pub fn write<R, E>(&self, f: impl FnOnce(&mut World) -> Result<R, E>) -> Result<R, E> {
        let mut world = self.write_guard();
        let result = f(&mut world);
        let Some(durable) = &self.durable else {
            return result;
        };
        let seq = if result.is_ok() {
            durable.submit(rows::collect(&mut world))
        } else {
            rows::discard(&mut world);
            0
        };
        drop(world);
        durable.acknowledge(seq);
        result
    }

    /// Replaces the whole state (reset, state import); with a state file, the file too.
    pub fn replace(&self, new_world: World) {
        let mut world = self.write_guard();
        *world = new_world;
        let Some(durable) = &self.durable else {
            return;
        };
        rows::track(&mut world);
        let seq = durable.submit(rows::whole_world(&world));
        drop(world);
        durable.acknowledge(seq);
    }

    /// Runs one request's handling; with a state file, then waits until every write it made is
    /// committed. `Err`: a commit failed, the writes are undone (the state is what the file
    /// holds) and the request must answer its family's internal error.
    pub async fn acknowledged<F: Future>(
        &self,
        handling: F,
    ) -> (F::Output, Result<(), CommitFailed>) {
        match &self.durable {
            Some(durable) => durable.acknowledged(handling).await,
            None => (handling.await, Ok(())),
        }
    }

    pub fn is_durable(&self) -> bool {
        self.durable.is_some()
    }

    /// Commits what is queued and closes the state file (shutdown).
    pub fn close(&self) {
        if let Some(durable) = &self.durable {
            durable.close();
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

impl Drop for Store {
    fn drop(&mut self) {
        self.close();
    }
}

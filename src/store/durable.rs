//! Group commit. A write, still under the state lock, hands the rows it changed to the
//! committer as one batch numbered in lock order (`seq`); the committer thread, which owns the
//! SQLite connection, commits whatever is queued in one transaction and then tells the waiting
//! writers. A writer waits for its batch (and so for every earlier one) without holding the
//! state lock, and the harness answers only after that (`acknowledged`): every 2xx is on disk.
//!
//! Batches are applied in `seq` order, so a later write of a row always wins over an earlier
//! one. A commit that fails fails its batch and every batch numbered before the committer takes
//! the state lock again: those were computed from state the file does not hold. Under that
//! lock the committer reloads the state from the file, so the memory again equals the file
//! before any of their writers answers (each answers its family's internal error).

use std::cell::Cell;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;

use tokio::sync::Notify;

use crate::clock::Clock;

use super::rows::{self, Op};
use super::sqlite::StateFile;
use super::world::World;

tokio::task_local! {
    /// The newest batch the request being answered must see committed (0: none).
    static PENDING: Cell<u64>;
}

/// A commit that did not happen: the write is not acknowledged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitFailed {
    /// The state file.
    pub path: PathBuf,
    /// What SQLite (or the reload after it) said.
    pub cause: String,
}

#[derive(Debug)]
struct Batch {
    seq: u64,
    ops: Vec<Op>,
}

#[derive(Debug, Default)]
struct Queue {
    /// The last `seq` handed out.
    issued: u64,
    batches: Vec<Batch>,
    closing: bool,
}

#[derive(Debug, Default)]
struct Status {
    /// Every batch up to here is committed or failed.
    resolved: u64,
    /// Failed batches: inclusive ranges, with the cause.
    failed: Vec<(u64, u64, String)>,
}

impl Status {
    fn outcome(&self, seq: u64, path: &Path) -> Option<Result<(), CommitFailed>> {
        if seq > self.resolved {
            return None;
        }
        Some(
            match self
                .failed
                .iter()
                .find(|(first, last, _)| (*first..=*last).contains(&seq))
            {
                Some((_, _, cause)) => Err(CommitFailed {
                    path: path.to_owned(),
                    cause: cause.clone(),
                }),
                None => Ok(()),
            },
        )
    }
}

/// The durable half of the store: the queue, the outcome of every batch, the committer.
#[derive(Debug)]
pub struct Durable {
    path: PathBuf,
    queue: Mutex<Queue>,
    queued: Condvar,
    status: Mutex<Status>,
    resolved: Condvar,
    notify: Notify,
    committer: Mutex<Option<JoinHandle<()>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Durable {
    /// Starts the committer over `file`; `world` is the state it reloads after a failed commit.
    pub fn start(
        file: StateFile,
        world: Arc<RwLock<World>>,
        clock: Arc<Clock>,
        fail_commits: Option<Arc<AtomicBool>>,
    ) -> Arc<Durable> {
        let durable = Arc::new(Durable {
            path: file.path().to_owned(),
            queue: Mutex::new(Queue::default()),
            queued: Condvar::new(),
            status: Mutex::new(Status::default()),
            resolved: Condvar::new(),
            notify: Notify::new(),
            committer: Mutex::new(None),
        });
        let committer = Committer {
            durable: durable.clone(),
            file,
            world,
            clock,
            fail_commits,
        };
        let handle = std::thread::Builder::new()
            .name("state-file".into())
            .spawn(move || committer.run());
        match handle {
            Ok(handle) => *lock(&durable.committer) = Some(handle),
            // Without its thread nothing commits: every write fails, none is acknowledged.
            Err(err) => {
                tracing::error!(error = %err, "could not start the state file's committer");
                let mut status = lock(&durable.status);
                status.resolved = u64::MAX;
                status.failed.push((1, u64::MAX, err.to_string()));
            }
        }
        durable
    }

    /// Queues the rows of one write (called under the state lock, so `seq` follows lock order)
    /// and returns the batch the write must see committed: its own, or for a write that changed
    /// no row the last one queued, whose state its answer may reflect.
    pub fn submit(&self, ops: Vec<Op>) -> u64 {
        let mut queue = lock(&self.queue);
        if ops.is_empty() {
            return queue.issued;
        }
        queue.issued += 1;
        let seq = queue.issued;
        queue.batches.push(Batch { seq, ops });
        drop(queue);
        self.queued.notify_one();
        seq
    }

    /// Ties a queued batch to the answer being built: the harness waits for it
    /// ([`Durable::acknowledged`]); outside a request the caller waits here.
    pub fn acknowledge(&self, seq: u64) {
        if seq == 0 {
            return;
        }
        let in_request = PENDING.try_with(|pending| pending.set(pending.get().max(seq)));
        if in_request.is_err() {
            if let Err(failed) = self.wait_blocking(seq) {
                tracing::error!(path = %failed.path.display(), error = %failed.cause, "a change outside a request was not committed");
            }
        }
    }

    /// Runs one request's handling, then waits for every batch its writes queued.
    pub async fn acknowledged<F: Future>(
        &self,
        handling: F,
    ) -> (F::Output, Result<(), CommitFailed>) {
        let (output, seq) = PENDING
            .scope(Cell::new(0), async {
                let output = handling.await;
                (output, PENDING.with(Cell::get))
            })
            .await;
        if seq == 0 {
            return (output, Ok(()));
        }
        (output, self.wait(seq).await)
    }

    async fn wait(&self, seq: u64) -> Result<(), CommitFailed> {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(outcome) = lock(&self.status).outcome(seq, &self.path) {
                return outcome;
            }
            notified.await;
        }
    }

    fn wait_blocking(&self, seq: u64) -> Result<(), CommitFailed> {
        let mut status = lock(&self.status);
        loop {
            if let Some(outcome) = status.outcome(seq, &self.path) {
                return outcome;
            }
            status = self
                .resolved
                .wait(status)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    fn resolve(&self, upto: u64, failure: Option<(u64, String)>) {
        let mut status = lock(&self.status);
        if let Some((first, cause)) = failure {
            status.failed.push((first, upto, cause));
        }
        status.resolved = status.resolved.max(upto);
        drop(status);
        self.resolved.notify_all();
        self.notify.notify_waiters();
    }

    /// Commits what is queued, then stops the committer (which closes the file).
    pub fn close(&self) {
        lock(&self.queue).closing = true;
        self.queued.notify_one();
        let handle = lock(&self.committer).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

struct Committer {
    durable: Arc<Durable>,
    file: StateFile,
    world: Arc<RwLock<World>>,
    clock: Arc<Clock>,
    fail_commits: Option<Arc<AtomicBool>>,
}

impl Committer {
    fn run(mut self) {
        // After a reload failed, memory may differ from the file: nothing is committed (each
        // batch fails) until a reload succeeds.
        let mut diverged: Option<String> = None;
        loop {
            let batches = {
                let mut queue = lock(&self.durable.queue);
                while queue.batches.is_empty() && !queue.closing {
                    queue = self
                        .durable
                        .queued
                        .wait(queue)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                if queue.batches.is_empty() {
                    return;
                }
                std::mem::take(&mut queue.batches)
            };
            let (first, last) = (batches[0].seq, batches[batches.len() - 1].seq);
            let outcome = match &diverged {
                Some(cause) => Err(format!(
                    "the state could not be reloaded from the file after a failed commit: {cause}"
                )),
                None => {
                    let fail = self
                        .fail_commits
                        .as_ref()
                        .is_some_and(|f| f.load(Ordering::SeqCst));
                    self.file
                        .commit(batches.iter().flat_map(|b| b.ops.iter()), fail)
                }
            };
            match outcome {
                Ok(()) => {
                    tracing::debug!(batches = batches.len(), first, last, "committed");
                    self.durable.resolve(last, None);
                }
                Err(cause) => diverged = self.recover(first, cause),
            }
        }
    }

    /// After a failed commit: under the state lock, every batch queued so far fails and the
    /// state is reloaded from the file. Returns the cause when the reload failed.
    fn recover(&mut self, first: u64, cause: String) -> Option<String> {
        tracing::error!(
            path = %self.file.path().display(),
            error = %cause,
            "could not commit to the state file: the changes are not acknowledged and the state goes back to what the file holds"
        );
        let mut world = self
            .world
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let issued = {
            let mut queue = lock(&self.durable.queue);
            queue.batches.clear();
            queue.issued
        };
        let reloaded = self.file.load_world(self.clock.now());
        let diverged = match reloaded {
            Ok(mut loaded) => {
                rows::track(&mut loaded);
                *world = loaded;
                None
            }
            Err(err) => {
                tracing::error!(
                    path = %self.file.path().display(),
                    error = %err,
                    "could not reload the state from the state file: writes fail until it loads again"
                );
                Some(err)
            }
        };
        self.durable.resolve(issued, Some((first, cause)));
        drop(world);
        diverged
    }
}

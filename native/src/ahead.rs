//! Lists a whole tree ahead of the walk, on threads of its own, in the order the walk needs it.
//!
//! A full scan walks depth first and needs each folder's listing in that order. On a cold cache
//! every listing waits on the disk, so several must be in flight at once; Python threads could
//! not do that without fighting over the interpreter lock. Here plain threads list folders
//! (the same `list` and fingerprint as `list_folder`), always the pending one first in walk
//! order, and queue each listing's subfolders. What is held or under way is bounded (`window`
//! entries), so memory stays bounded however big the tree is. The walk takes each listing by
//! path; a folder not started yet is listed by the caller itself, so the walk never waits
//! behind work it does not need yet, nor for a window full of later folders.

use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use pyo3::prelude::*;

use crate::listing::{list_listed, Listed};

/// A folder waiting to be listed; the order is its place in a depth-first walk (the index of
/// each folder on the way down among its parent's subfolders, which are sorted as Python sorts).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Pending {
    order: Vec<u32>,
    path: PathBuf,
}

enum Slot {
    Queued(Vec<u32>),
    Running,
    Done(Result<Listed, i32>, usize), // and its weight in the window
}

#[derive(Default)]
struct State {
    queue: BinaryHeap<Reverse<Pending>>,
    slots: HashMap<PathBuf, Slot>,
    // What the window bounds: one per listing running or done and not taken, plus the entries
    // of those done (a folder of 10,000 files weighs as much as 10,000 empty ones).
    busy: usize,
    stop: bool,
}

impl State {
    /// Queues a folder, unless it is known already (protected folders may overlap).
    fn enqueue(&mut self, order: Vec<u32>, path: PathBuf) {
        if let Entry::Vacant(slot) = self.slots.entry(path.clone()) {
            slot.insert(Slot::Queued(order.clone()));
            self.queue.push(Reverse(Pending { order, path }));
        }
    }
}

struct Shared {
    state: Mutex<State>,
    work: Condvar,  // a worker may go on: a folder queued, a slot freed, or stop
    ready: Condvar, // a listing is done
    key: [u8; 32],
    window: usize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues the subfolders of a folder just listed, each after its parent in walk order.
    fn queue_below(&self, state: &mut State, order: &[u32], path: &Path, listed: &Listed) {
        for (i, name) in listed.dir_names().enumerate() {
            let mut place = order.to_vec();
            place.push(i as u32);
            state.enqueue(place, path.join(OsStr::from_bytes(name)));
        }
    }

    fn next_job(&self) -> Option<Pending> {
        let mut state = self.lock();
        loop {
            if state.stop {
                return None;
            }
            if state.busy < self.window {
                if let Some(Reverse(job)) = state.queue.pop() {
                    // Taken and listed by the walk itself meanwhile: its slot is gone.
                    if matches!(state.slots.get(&job.path), Some(Slot::Queued(_))) {
                        state.slots.insert(job.path.clone(), Slot::Running);
                        state.busy += 1;
                        return Some(job);
                    }
                    continue;
                }
            }
            state = self.work.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn run(&self) {
        while let Some(job) = self.next_job() {
            let outcome = list_listed(&job.path, &self.key);
            let mut state = self.lock();
            let mut weight = 1;
            if let Ok(listed) = &outcome {
                self.queue_below(&mut state, &job.order, &job.path, listed);
                weight += listed.len();
            }
            state.busy += weight - 1;
            state.slots.insert(job.path, Slot::Done(outcome, weight));
            drop(state);
            self.ready.notify_all();
            self.work.notify_all();
        }
    }

    /// The listing of `path`: taken when done, awaited when under way, else made right here.
    fn take(&self, path: PathBuf) -> Result<Listed, i32> {
        let mut state = self.lock();
        loop {
            match state.slots.remove(&path) {
                Some(Slot::Done(outcome, weight)) => {
                    state.busy -= weight;
                    drop(state);
                    self.work.notify_all();
                    return outcome;
                }
                Some(Slot::Running) => {
                    state.slots.insert(path.clone(), Slot::Running);
                    state = self.ready.wait(state).unwrap_or_else(|p| p.into_inner());
                }
                Some(Slot::Queued(order)) => {
                    drop(state);
                    return self.list_here(&path, &order);
                }
                None => {
                    drop(state);
                    return self.list_here(&path, &[]);
                }
            }
        }
    }

    /// Lists a folder the walk needs now on the walk's own thread, and queues its subfolders
    /// (a folder not known to this lister goes before everything queued).
    fn list_here(&self, path: &Path, order: &[u32]) -> Result<Listed, i32> {
        let outcome = list_listed(path, &self.key);
        if let Ok(listed) = &outcome {
            let mut state = self.lock();
            self.queue_below(&mut state, order, path, listed);
            drop(state);
            self.work.notify_all();
        }
        outcome
    }
}

/// Folders of a tree listed ahead of a depth-first walk, by a few threads (see the module's
/// documentation). Create it with `list_ahead`; `take` each folder in walk order; `close` it.
#[pyclass(module = "keepsake_native")]
pub struct ListAhead {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

#[pymethods]
impl ListAhead {
    /// The folder's `Listed`, or its errno if it cannot be listed.
    fn take(&self, py: Python, path: PathBuf) -> PyResult<PyObject> {
        let shared = Arc::clone(&self.shared);
        match py.allow_threads(move || shared.take(path)) {
            Ok(listed) => Ok(Py::new(py, listed)?.to_object(py)),
            Err(e) => Ok(e.to_object(py)),
        }
    }

    /// Stops the threads and drops what they listed; the walk is over (or was cut short).
    fn close(&mut self, py: Python) {
        let shared = Arc::clone(&self.shared);
        let threads: Vec<JoinHandle<()>> = self.threads.drain(..).collect();
        py.allow_threads(move || {
            let mut state = shared.lock();
            state.stop = true;
            state.queue.clear();
            state.slots.clear();
            drop(state);
            shared.work.notify_all();
            shared.ready.notify_all();
            for thread in threads {
                let _ = thread.join();
            }
        });
    }
}

impl Drop for ListAhead {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.stop = true;
        drop(state);
        self.shared.work.notify_all();
    }
}

/// Starts listing the trees under `roots` (walked in this order) on `threads` threads, holding
/// listings of about `window` entries at most ahead of the walk (each listing weighs one more
/// than its entries; one is always allowed); fingerprints with `key` (32 bytes).
#[pyfunction]
pub fn list_ahead(
    roots: Vec<PathBuf>,
    key: &[u8],
    threads: usize,
    window: usize,
) -> PyResult<ListAhead> {
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| pyo3::exceptions::PyValueError::new_err("the key must be 32 bytes"))?;
    let mut state = State::default();
    for (i, root) in roots.into_iter().enumerate() {
        state.enqueue(vec![i as u32], root);
    }
    let shared = Arc::new(Shared {
        state: Mutex::new(state),
        work: Condvar::new(),
        ready: Condvar::new(),
        key,
        window: window.max(1),
    });
    let mut handles = Vec::new();
    for n in 0..threads.max(1) {
        let worker = Arc::clone(&shared);
        let handle = std::thread::Builder::new()
            .name(format!("keepsake-ahead-{n}"))
            .spawn(move || worker.run())
            .map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))?;
        handles.push(handle);
    }
    Ok(ListAhead {
        shared,
        threads: handles,
    })
}

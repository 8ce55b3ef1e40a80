//! Loading and analysing the file off the UI thread. One worker thread serves reload
//! requests latest-first: a burst of requests costs one load, and only the newest
//! generation's result is used by `update`. The screen keeps the last analysis until the
//! new one arrives; at most one more is alive meanwhile.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::analysis::analyze;
use crate::ir::load_file_with;
use crate::limits::Limits;

use super::clock::WallTime;
use super::model::{FileProblem, Snapshot};
use super::msg::Msg;
use super::panic_message;

/// Loads and analyses `path` now, stamping the snapshot with `at`.
pub fn load_snapshot(path: &Path, at: WallTime) -> Result<Snapshot, crate::ir::LoadError> {
    load_snapshot_with(path, at, &Limits::default())
}

/// [`load_snapshot`] within `limits` (the file size limit).
pub fn load_snapshot_with(path: &Path, at: WallTime, limits: &Limits) -> Result<Snapshot, crate::ir::LoadError> {
    let ir = load_file_with(path, limits)?;
    let analysis = analyze(&ir);
    Ok(Snapshot::new(ir, analysis, at))
}

/// What the UI asks of the reload worker.
enum Request {
    /// Load and analyse the file again, tagged with this generation.
    Reload(u64),
    /// Drop this snapshot here, not on the UI thread (a million-op analysis takes a
    /// noticeable fraction of a second to free).
    Retire(Snapshot),
}

/// How often the worker looks whether its last result has reached the screen while it
/// waits to build the next one.
const DELIVERY_POLL: Duration = Duration::from_millis(5);

/// The reload worker.
///
/// It holds memory to one analysis beyond the one on screen: it builds the next snapshot
/// only after the last one it sent has been put on screen or thrown away (its delivery
/// token is dropped by [`super::app::update`]), and the runtime hands the snapshot that
/// left the screen back to it to free.
pub struct Reloader {
    requests: Sender<Request>,
}

impl Reloader {
    /// Starts the worker for `path`; results go to `tx` as [`Msg::Analysed`].
    pub fn spawn(path: PathBuf, tx: Sender<Msg>) -> std::io::Result<Reloader> {
        Reloader::spawn_with(path, tx, Limits::default())
    }

    /// [`Reloader::spawn`] loading within `limits`.
    pub fn spawn_with(path: PathBuf, tx: Sender<Msg>, limits: Limits) -> std::io::Result<Reloader> {
        let (requests, rx) = mpsc::channel::<Request>();
        std::thread::Builder::new().name("irtop-reload".into()).spawn(move || {
            let mut in_flight: Option<Weak<()>> = None;
            while let Ok(first) = rx.recv() {
                // Latest wins: a burst of requests costs one load.
                let mut wanted = None;
                for request in std::iter::once(first).chain(rx.try_iter()) {
                    match request {
                        Request::Reload(generation) => wanted = Some(generation),
                        Request::Retire(old) => drop(old),
                    }
                }
                let Some(mut generation) = wanted else { continue };
                // Wait until the last result is on screen (or thrown away), freeing what
                // the UI hands back meanwhile.
                while in_flight.as_ref().is_some_and(|w| w.strong_count() > 0) {
                    match rx.recv_timeout(DELIVERY_POLL) {
                        Ok(Request::Reload(newer)) => generation = newer,
                        Ok(Request::Retire(old)) => drop(old),
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                // What the UI handed back as it took the last result is freed before the
                // next analysis is built.
                for request in rx.try_iter() {
                    match request {
                        Request::Reload(newer) => generation = newer,
                        Request::Retire(old) => drop(old),
                    }
                }
                let outcome = std::panic::catch_unwind(|| load_snapshot_with(&path, WallTime::now(), &limits))
                    .map_err(|p| FileProblem::Crashed(panic_message(&p)))
                    .and_then(|r| r.map_err(|e| FileProblem::from_load_error(&e)))
                    .map(|mut snapshot| {
                        let token = Arc::new(());
                        in_flight = Some(Arc::downgrade(&token));
                        snapshot.delivery = Some(token);
                        snapshot
                    });
                if tx.send(Msg::Analysed { generation, outcome }).is_err() {
                    return;
                }
            }
        })?;
        Ok(Reloader { requests })
    }

    /// Asks for a reload tagged `generation`.
    pub fn request(&self, generation: u64) {
        let _ = self.requests.send(Request::Reload(generation));
    }

    /// Hands over a snapshot to free on the worker's thread (one that left the screen, or a
    /// result that came too late to be shown).
    pub fn retire(&self, snapshot: Snapshot) {
        let _ = self.requests.send(Request::Retire(snapshot));
    }
}

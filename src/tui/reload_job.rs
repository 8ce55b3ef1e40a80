//! Loading and analysing the file off the UI thread. One worker thread serves reload
//! requests latest-first: a burst of requests costs one load, and only the newest
//! generation's result is used by `update`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};

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

/// The reload worker.
pub struct Reloader {
    requests: Sender<u64>,
}

impl Reloader {
    /// Starts the worker for `path`; results go to `tx` as [`Msg::Analysed`].
    pub fn spawn(path: PathBuf, tx: Sender<Msg>) -> std::io::Result<Reloader> {
        Reloader::spawn_with(path, tx, Limits::default())
    }

    /// [`Reloader::spawn`] loading within `limits`.
    pub fn spawn_with(path: PathBuf, tx: Sender<Msg>, limits: Limits) -> std::io::Result<Reloader> {
        let (requests, rx) = mpsc::channel::<u64>();
        std::thread::Builder::new().name("irtop-reload".into()).spawn(move || {
            while let Ok(mut generation) = rx.recv() {
                // Latest wins: skip requests that a newer one already supersedes.
                while let Ok(newer) = rx.try_recv() {
                    generation = newer;
                }
                let outcome = std::panic::catch_unwind(|| load_snapshot_with(&path, WallTime::now(), &limits))
                    .map_err(|p| FileProblem::Crashed(panic_message(&p)))
                    .and_then(|r| r.map_err(|e| FileProblem::from_load_error(&e)));
                if tx.send(Msg::Analysed { generation, outcome }).is_err() {
                    return;
                }
            }
        })?;
        Ok(Reloader { requests })
    }

    /// Asks for a reload tagged `generation`.
    pub fn request(&self, generation: u64) {
        let _ = self.requests.send(generation);
    }
}

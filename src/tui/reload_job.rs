//! Loading and analysing the file off the UI thread, as a latest-wins [`LatestJob`]: a
//! burst of requests costs one load, and only the newest generation's result is used by
//! `update`. The screen keeps the last analysis until the new one arrives; at most one more
//! is alive meanwhile.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Weak};

use crate::analysis::{SequentialPlanBuild, analyze_with};
use crate::ir::load_file_hashed;
use crate::limits::Limits;

use super::clock::WallTime;
use super::job::{LatestJob, Work};
use super::model::{FileProblem, Snapshot};
use super::msg::Msg;
use super::panic_message;

/// Loads and analyses `path` now within `limits` (the file size limit), stamping the
/// snapshot with `at` and the hash of the file's bytes.
pub fn load_snapshot_with(path: &Path, at: WallTime, limits: &Limits) -> Result<Snapshot, crate::ir::LoadError> {
    let (ir, content) = load_file_hashed(path, limits)?;
    let analysis = analyze_with(&ir, SequentialPlanBuild::OnFirstUse);
    Ok(Snapshot { content: Some(content), ..Snapshot::new(ir, analysis, at) })
}

/// Loading and analysing the file as a [`LatestJob`] (its requests carry nothing: each
/// loads the file as it is on disk then).
///
/// It holds memory to one analysis beyond the one on screen: each snapshot it sends carries
/// its delivery token, so it builds the next one only after the last one has been put on
/// screen or thrown away (the token is dropped by [`super::app::update`]), and the runtime
/// hands the snapshot that left the screen back to it with [`LatestJob::free`].
struct Reload {
    path: PathBuf,
    limits: Limits,
    tx: Sender<Msg>,
}

impl Work for Reload {
    type Request = ();

    fn run(&mut self, generation: u64, _: (), _: &AtomicBool) -> Option<Weak<()>> {
        // A load is not cancelled midway: a newer request runs as soon as it ends.
        let mut token = None;
        let outcome = std::panic::catch_unwind(|| load_snapshot_with(&self.path, WallTime::now(), &self.limits))
            .map_err(|p| FileProblem::Crashed(panic_message(&p)))
            .and_then(|r| r.map_err(|e| FileProblem::of_loading(&self.path, &e)))
            .map(|mut snapshot| {
                let delivery = Arc::new(());
                token = Some(Arc::downgrade(&delivery));
                snapshot.delivery = Some(delivery);
                snapshot
            });
        let _ = self.tx.send(Msg::Analysed { generation, outcome });
        token
    }
}

/// Starts the reload worker for `path`, loading within `limits`: `start(generation, ())`
/// reloads, and the result goes to `tx` as [`Msg::Analysed`].
pub fn spawn(path: PathBuf, tx: Sender<Msg>, limits: Limits) -> std::io::Result<LatestJob<()>> {
    LatestJob::spawn("irtop-reload", Reload { path, limits, tx })
}

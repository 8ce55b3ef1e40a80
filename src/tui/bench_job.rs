//! Benchmarks on a background thread: the runner the binary plugs in, what it is asked to
//! run, and the job that starts, cancels and reports it (latest wins).
//!
//! The TUI does not measure anything itself; it calls a [`BenchFn`] and shows the
//! [`BenchReport`] it returns.

use std::cell::Cell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use crate::analysis::Analysis;
use crate::exec::report::BenchReport;
use crate::ir::Ir;

use super::msg::Msg;
use super::panic_message;

/// The scheduling modes a run can be limited to; `all` runs every mode (seq always runs as
/// the baseline).
pub const MODES: &[&str] = &["all", "levels", "dataflow", "data", "levels+data", "dataflow+data"];

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct BenchRequest {
    /// The IR file.
    pub path: PathBuf,
    /// The IR as analysed (the last good one when the file on disk is broken).
    pub ir: Arc<Ir>,
    /// Its analysis.
    pub analysis: Arc<Analysis>,
    /// Worker threads.
    pub threads: usize,
    /// `all`, or one of [`MODES`].
    pub mode: String,
}

/// Runs a benchmark: `(request, cancel, progress)`. It should return soon after `cancel`
/// becomes true, call `progress` with 0..=1 as it goes, and return the report or a
/// one-line reason it could not run.
pub type BenchFn = Arc<dyn Fn(&BenchRequest, &AtomicBool, &dyn Fn(f32)) -> Result<BenchReport, String> + Send + Sync>;

/// Starts benchmarks on their own threads and cancels the one in flight when a new one
/// starts or the user presses Esc. Progress and results arrive as [`Msg`]s tagged with the
/// run's generation.
pub struct BenchJobs {
    runner: BenchFn,
    tx: Sender<Msg>,
    current: Mutex<Option<(u64, Arc<AtomicBool>)>>,
}

impl BenchJobs {
    /// Jobs that run `runner` and report on `tx`.
    pub fn new(runner: BenchFn, tx: Sender<Msg>) -> BenchJobs {
        BenchJobs { runner, tx, current: Mutex::new(None) }
    }

    /// Cancels any run in flight and starts `request` as `generation`.
    pub fn start(&self, generation: u64, request: BenchRequest) {
        let cancel = Arc::new(AtomicBool::new(false));
        if let Some((_, old)) =
            self.current.lock().unwrap_or_else(|p| p.into_inner()).replace((generation, cancel.clone()))
        {
            old.store(true, Ordering::Relaxed);
        }
        let runner = self.runner.clone();
        let tx = self.tx.clone();
        let spawned = std::thread::Builder::new().name("irtop-bench".into()).spawn(move || {
            let last = Cell::new(-1.0f32);
            let progress = |f: f32| {
                let f = f.clamp(0.0, 1.0);
                // At most one message per percent, so a chatty runner cannot flood the UI.
                if f - last.get() >= 0.01 || (f >= 1.0 && last.get() < 1.0) {
                    last.set(f);
                    let _ = tx.send(Msg::BenchProgress { generation, fraction: f });
                }
            };
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runner(&request, &cancel, &progress)))
                    .unwrap_or_else(|p| Err(format!("the benchmark panicked: {}", panic_message(&p))));
            let _ = tx.send(Msg::BenchFinished { generation, outcome: outcome.map(Box::new) });
        });
        if let Err(e) = spawned {
            let _ =
                self.tx.send(Msg::BenchFinished { generation, outcome: Err(format!("cannot start a thread: {e}")) });
        }
    }

    /// Asks run `generation` to stop (its result, if any, is then ignored).
    pub fn cancel(&self, generation: u64) {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((g, flag)) = current.as_ref()
            && *g == generation
        {
            flag.store(true, Ordering::Relaxed);
            *current = None;
        }
    }
}

impl Drop for BenchJobs {
    fn drop(&mut self) {
        if let Some((_, flag)) = self.current.lock().unwrap_or_else(|p| p.into_inner()).take() {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

/// The runner the binary plugs in: irtop's executor on the graph `graph` describes (built
/// once, on the first benchmark), three timed repetitions per mode after a warm-up. A run
/// over `limits.max_work` is refused before it starts, with the estimate.
pub fn executor_runner(graph: crate::exec::graph_spec::GraphArgs, limits: crate::limits::Limits) -> BenchFn {
    use crate::exec::bench::{BenchOptions, run_bench};
    use crate::exec::{Mode, Program, Scheduler};
    let built: Arc<std::sync::OnceLock<Result<crate::exec::Graph, String>>> = Arc::new(std::sync::OnceLock::new());
    Arc::new(move |request: &BenchRequest, cancel: &AtomicBool, progress: &dyn Fn(f32)| {
        let g = built
            .get_or_init(|| graph.build_with(&limits).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)?;
        let program = Program::compile(&request.ir, &request.analysis).map_err(|e| e.to_string())?;
        limits.check_work(&program, g.node_count(), g.edge_count()).map_err(|e| e.to_string())?;
        let modes = match request.mode.as_str() {
            "all" => Mode::ALL.to_vec(),
            one => vec![one.parse::<Mode>()?],
        };
        let options = BenchOptions { threads: request.threads, reps: 3, modes, probe: true };
        run_bench(
            &program,
            g,
            request.analysis.estimated_speedup,
            &options,
            &|mode, _| Box::new(Scheduler(mode)),
            cancel,
            progress,
        )
        .map_err(|e| e.to_string())
    })
}

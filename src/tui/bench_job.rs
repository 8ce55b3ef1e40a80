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
use crate::exec::Mode;
use crate::ir::Ir;
use crate::pipeline::Stage;
use crate::report::bench_report::BenchReport;

use super::msg::Msg;
use super::panic_message;

/// Which modes a benchmark runs besides seq (always the baseline): all, or one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeChoice {
    /// Every parallel mode.
    All,
    /// Just this one.
    Only(Mode),
}

/// The choices `m` cycles through, in order.
pub const MODE_CHOICES: [ModeChoice; 7] = [
    ModeChoice::All,
    ModeChoice::Only(Mode::ALL[1]),
    ModeChoice::Only(Mode::ALL[2]),
    ModeChoice::Only(Mode::ALL[3]),
    ModeChoice::Only(Mode::ALL[4]),
    ModeChoice::Only(Mode::ALL[5]),
    ModeChoice::Only(Mode::AUTO),
];

impl ModeChoice {
    /// `all`, or the mode's name.
    pub fn name(self) -> &'static str {
        match self {
            ModeChoice::All => "all",
            ModeChoice::Only(m) => m.name(),
        }
    }

    /// The modes to run besides seq.
    pub fn modes(self) -> Vec<Mode> {
        match self {
            ModeChoice::All => Mode::ALL.to_vec(),
            ModeChoice::Only(m) => vec![m],
        }
    }
}

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
    /// The modes to run.
    pub mode: ModeChoice,
}

/// Runs a benchmark: `(request, cancel, progress)`. It should return soon after `cancel`
/// becomes true, call `progress` with each stage as it goes, and return the report or a
/// one-line reason it could not run.
pub type BenchFn =
    Arc<dyn Fn(&BenchRequest, &AtomicBool, &dyn Fn(&Stage)) -> Result<BenchReport, String> + Send + Sync>;

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
            let last = Cell::new((-1.0f32, std::time::Instant::now()));
            let progress = |stage: &Stage| {
                let f = match stage {
                    Stage::Bench(p) => p.fraction.clamp(0.0, 1.0),
                    _ => 0.0,
                };
                // At most one message per percent or per tenth of a second, so a chatty
                // runner cannot flood the UI.
                let (before, at) = last.get();
                if (f - before).abs() >= 0.01 || at.elapsed().as_millis() >= 100 || !matches!(stage, Stage::Bench(_)) {
                    last.set((f, std::time::Instant::now()));
                    let _ = tx.send(Msg::BenchProgress { generation, fraction: f, label: stage.to_string() });
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

/// The runner the binary plugs in: the pipeline's benchmark on the graph `graph` describes
/// (each size built once, on first use), within `budget` (a synthetic graph too big for it
/// is scaled down) and `limits` (a run over `limits.max_work` is refused before it starts).
pub fn executor_runner(
    graph: crate::exec::graph_spec::GraphSpec,
    limits: crate::limits::Limits,
    budget: std::time::Duration,
) -> BenchFn {
    use crate::exec::bench::Rounds;
    use crate::pipeline::{BenchSettings, Context, GraphSource, Input, execute};
    let graphs = Arc::new(GraphSource::new(graph));
    Arc::new(move |request: &BenchRequest, cancel: &AtomicBool, progress: &dyn Fn(&Stage)| {
        let settings = BenchSettings {
            threads: request.threads,
            modes: request.mode.modes(),
            rounds: Rounds::Adaptive,
            budget,
            fuse: true,
        };
        let cx = Context { graphs: &graphs, limits: &limits, cancel, stage: progress };
        execute(Input::Analysed(&request.ir, &request.analysis), &settings, &cx).map_err(|e| e.to_string())
    })
}

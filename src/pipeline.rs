//! The steps every command that runs an IR takes, in one place: load, analyse and compile
//! the file; build the graph; check the limits; benchmark; predict from the measurement.
//! `irtop run`, `irtop bench`, the terminal UI's benchmark and the accuracy run all go
//! through here, so they build graphs, count threads and treat budgets the same way.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::analysis::{Analysis, analyze};
use crate::exec::bench::{BenchError, BenchOptions, Hooks, Progress, Rounds, run_bench};
use crate::exec::graph_spec::{GraphArgs, GraphError};
use crate::exec::{ExecError, Graph, Mode, Program, Scheduler, Team};
use crate::ir::{Ir, LoadError, load_file_with};
use crate::limits::{LimitError, Limits};
use crate::predict::probe::Probe;
use crate::report::bench_report::BenchReport;

/// Threads when none are asked for: every core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// An IR ready to run.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The IR.
    pub ir: Ir,
    /// Its analysis.
    pub analysis: Analysis,
    /// The program the executor runs.
    pub program: Program,
}

/// Why a step of the pipeline failed.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The file is not a valid IR.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The graph cannot be built.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// A limit refuses the run.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The IR cannot run, or a run failed or was cancelled.
    #[error("{0}")]
    Exec(#[from] ExecError),
    /// The benchmark does not fit its budget, even on the smallest graph tried.
    #[error("{0}")]
    Budget(String),
}

impl Compiled {
    /// Analyses and compiles `ir`.
    pub fn new(ir: Ir) -> Result<Compiled, ExecError> {
        let analysis = analyze(&ir);
        let program = Program::compile(&ir, &analysis)?;
        Ok(Compiled { ir, analysis, program })
    }

    /// Loads `file` (within `limits`), analyses and compiles it.
    pub fn load(file: &Path, limits: &Limits) -> Result<Compiled, PipelineError> {
        Ok(Compiled::new(load_file_with(file, limits)?)?)
    }
}

/// The graphs a benchmark may run on: the one the flags describe and, for synthetic ones,
/// smaller ones when a benchmark would not fit its budget; each built once.
#[derive(Debug)]
pub struct GraphSource {
    args: GraphArgs,
    built: Mutex<HashMap<u32, Arc<Graph>>>,
}

/// The smallest synthetic graph a benchmark is scaled down to.
pub const MIN_SCALED_NODES: usize = 1 << 10;

impl GraphSource {
    /// Graphs from the flags `args`.
    pub fn new(args: GraphArgs) -> GraphSource {
        GraphSource { args, built: Mutex::new(HashMap::new()) }
    }

    /// The flags of the graph `down` times halved (the flags' own graph at 0); `None` for an
    /// edge-list file or below [`MIN_SCALED_NODES`].
    pub fn flags(&self, down: u32) -> Option<GraphArgs> {
        if down == 0 {
            return Some(self.args.clone());
        }
        self.args.scaled_down(down).filter(|a| a.nodes().is_some_and(|n| n >= MIN_SCALED_NODES))
    }

    /// The graph `down` times halved, built on first use within `limits` (the graph and
    /// memory limits; the terminal UI's refuses a FIFO as `--graph`).
    pub fn graph(&self, down: u32, limits: &Limits) -> Result<Arc<Graph>, GraphError> {
        if let Some(g) = self.built.lock().unwrap_or_else(|e| e.into_inner()).get(&down) {
            return Ok(Arc::clone(g));
        }
        let args = self.flags(down).ok_or_else(|| GraphError::Flags("no smaller graph".into()))?;
        let g = Arc::new(args.build_with(limits)?);
        self.built.lock().unwrap_or_else(|e| e.into_inner()).insert(down, Arc::clone(&g));
        Ok(g)
    }
}

/// What a benchmark should do.
#[derive(Debug, Clone)]
pub struct BenchSettings {
    /// Threads of the parallel modes.
    pub threads: usize,
    /// Modes besides seq (empty: all).
    pub modes: Vec<Mode>,
    /// How many rounds.
    pub rounds: Rounds,
    /// The time the benchmark may take.
    pub budget: Duration,
    /// Fuse element-wise chains (off: each op its own pass, to see what fusion buys).
    pub fuse: bool,
}

/// Where the pipeline is, for a progress line.
#[derive(Debug, Clone)]
pub enum Stage {
    /// Building (or loading) the graph.
    Graph(String),
    /// Benchmarking.
    Bench(Progress),
    /// The benchmark did not fit; trying a smaller graph.
    ScaledDown(String),
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Graph(what) => write!(f, "building the graph {what}"),
            Stage::Bench(p) => write!(f, "{p}"),
            Stage::ScaledDown(why) => f.write_str(why),
        }
    }
}

/// Rounds during which the probe samples the machine (more cost time and add little).
const PROBE_ROUNDS: usize = 9;

/// Benchmarks `program` (whose groggy estimate is `groggy`) on `graphs` as `settings` say,
/// within `limits`; when a synthetic graph makes it longer than its budget, on the largest
/// halved graph that fits (the report says so). Predictions use the calibration cache (or
/// the default costs).
pub fn bench(
    program: &Program,
    groggy: f64,
    graphs: &GraphSource,
    settings: &BenchSettings,
    limits: &Limits,
    cancel: &AtomicBool,
    stage: &dyn Fn(&Stage),
) -> Result<BenchReport, PipelineError> {
    let threads = settings.threads.max(1);
    let team = Arc::new(Team::new(threads).map_err(|why| ExecError::Threads { threads, why })?);
    let modes = if settings.modes.is_empty() { Mode::ALL.to_vec() } else { settings.modes.clone() };
    let options =
        BenchOptions { threads, modes, rounds: settings.rounds, budget: settings.budget, fuse: settings.fuse };
    let mut down = 0u32;
    let mut scaled: Option<String> = None;
    loop {
        let asked = graphs.args.describe();
        stage(&Stage::Graph(graphs.flags(down).map_or_else(|| asked.clone(), |a| a.describe())));
        let g = graphs.graph(down, limits)?;
        limits.check_work(program, g.node_count(), g.edge_count())?;
        let mut probe = Probe::new(program, &g, threads);
        let outcome = run_bench(
            program,
            &g,
            &options,
            &|mode| Box::new(Scheduler::with_team(mode, Arc::clone(&team))),
            Hooks {
                cancel,
                progress: &|p| stage(&Stage::Bench(*p)),
                between_rounds: &mut |round| {
                    if round <= PROBE_ROUNDS
                        && let Some(p) = probe.as_mut()
                    {
                        p.sample();
                    }
                },
            },
        );
        match outcome {
            Ok(mut measured) => {
                measured.scaled = scaled;
                let (model, source) = crate::predict::calibrate::active();
                let fit = probe.as_ref().and_then(Probe::fit);
                let predicted =
                    crate::predict::predict(&measured, program, settings.fuse, groggy, model, &source.label(), fit);
                return Ok(BenchReport { measured, predicted });
            }
            Err(BenchError::OverBudget { needed_s, budget_s, .. }) if graphs.flags(down + 1).is_some() => {
                // Work halves with each halving of the graph: skip to where it fits.
                let steps = (needed_s / budget_s).log2().ceil().max(1.0) as u32;
                let next = (1..=steps).rev().map(|k| down + k).find(|&d| graphs.flags(d).is_some()).unwrap_or(down + 1);
                let to = graphs.flags(next).map(|a| a.describe()).unwrap_or_default();
                let why = format!(
                    "scaled down from {asked} to {to}: on {asked} the benchmark would take about {}, over the \
                     budget of {}; pass --budget {:.0} to run on {asked}",
                    crate::units::duration(needed_s),
                    crate::units::duration(budget_s),
                    needed_s.ceil() + 1.0
                );
                stage(&Stage::ScaledDown(why.clone()));
                scaled = Some(why);
                down = next;
            }
            Err(BenchError::OverBudget { .. }) if down > 0 => {
                return Err(PipelineError::Budget(format!(
                    "even on {} the benchmark does not fit the budget of {}; pass a larger --budget",
                    graphs.flags(down).map(|a| a.describe()).unwrap_or_default(),
                    crate::units::duration(settings.budget.as_secs_f64())
                )));
            }
            Err(BenchError::OverBudget { what, needed_s, budget_s, rounds, modes }) => {
                return Err(PipelineError::Budget(format!(
                    "{what}; the warm-up and {rounds} timed rounds of {modes} modes would take about {}, over the \
                     budget of {}. Pass --budget {:.0}, fewer --reps, or a smaller graph",
                    crate::units::duration(needed_s),
                    crate::units::duration(budget_s),
                    needed_s.ceil() + 1.0
                )));
            }
            Err(BenchError::Exec(e)) => return Err(e.into()),
        }
    }
}

//! The steps every command that runs an IR takes, in one place ([`execute`]): load, analyse
//! and compile the file; build the graph; check the limits; run once or benchmark (and
//! predict from the measurement). `irtop run`, `irtop bench`, the terminal UI's benchmark
//! and the accuracy run all go through it, so they build graphs, count threads and treat
//! budgets the same way.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::analysis::{Analysis, analyze};
use crate::exec::bench::{BenchError, BenchOptions, Hooks, Progress, Rounds, run_bench};
use crate::exec::graph_spec::{GraphError, GraphSpec};
use crate::exec::{ExecError, Executor, Graph, Mode, Program, Retain, RunOptions, Scheduler, Team, Value};
use crate::ir::{Ir, LoadError, VarId, load_file_with};
use crate::limits::{LimitError, Limits};
use crate::predict::probe::Probe;
use crate::report::bench_report::BenchReport;

/// Threads when none are asked for: every core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Where the pipeline's IR comes from.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A file: loaded within the limits, then analysed and compiled.
    File(&'a Path),
    /// An IR already loaded and analysed (the terminal UI's last good version): compiled only.
    Analysed(&'a Ir, &'a Analysis),
}

/// An IR ready to run: the IR, its analysis and the program the executor runs.
#[derive(Debug, Clone, Copy)]
pub struct Compiled<'a> {
    /// The IR.
    pub ir: &'a Ir,
    /// Its analysis.
    pub analysis: &'a Analysis,
    /// The program the executor runs.
    pub program: &'a Program,
}

/// What every step after compiling shares: the graphs, the limits, the cancel flag and
/// where to report progress.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The graph asked for (and, for a benchmark, its smaller versions).
    pub graphs: &'a GraphSource,
    /// The limits every step checks.
    pub limits: &'a Limits,
    /// Set to stop the run or the benchmark soon.
    pub cancel: &'a AtomicBool,
    /// Called with each stage, for a progress line.
    pub stage: &'a dyn Fn(&Stage),
}

/// The pipeline's last steps on a compiled IR: build the graph, check the limits, run or
/// benchmark. [`RunSettings`] and [`BenchSettings`] are the two.
pub trait Task {
    /// What the task gives back.
    type Output;

    /// Performs the task on `compiled` within `cx`.
    fn perform(&self, compiled: Compiled<'_>, cx: &Context<'_>) -> Result<Self::Output, PipelineError>;
}

/// Runs the whole pipeline: loads and analyses `input` (when it is a file), compiles it,
/// then builds the graph, checks the limits and runs or benchmarks it as `task` says.
pub fn execute<T: Task>(input: Input<'_>, task: &T, cx: &Context<'_>) -> Result<T::Output, PipelineError> {
    let loaded;
    let (ir, analysis) = match input {
        Input::File(path) => {
            let ir = load_file_with(path, cx.limits)?;
            let analysis = analyze(&ir);
            loaded = (ir, analysis);
            (&loaded.0, &loaded.1)
        }
        Input::Analysed(ir, analysis) => (ir, analysis),
    };
    let program = Program::compile(ir, analysis)?;
    task.perform(Compiled { ir, analysis, program: &program }, cx)
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
    /// A variable asked for by name is not in the IR.
    #[error("no variable `{0}` in the IR")]
    UnknownVar(String),
}

/// The graphs a benchmark may run on: the one the flags describe and, for synthetic ones,
/// smaller ones when a benchmark would not fit its budget; each built once.
#[derive(Debug)]
pub struct GraphSource {
    spec: GraphSpec,
    built: Mutex<HashMap<u32, Arc<Graph>>>,
}

/// The smallest synthetic graph a benchmark is scaled down to.
pub const MIN_SCALED_NODES: usize = 1 << 10;

impl GraphSource {
    /// Graphs from `spec`.
    pub fn new(spec: GraphSpec) -> GraphSource {
        GraphSource { spec, built: Mutex::new(HashMap::new()) }
    }

    /// The graph `down` times halved (the one asked for at 0); `None` for an edge-list file
    /// or below [`MIN_SCALED_NODES`].
    pub fn flags(&self, down: u32) -> Option<GraphSpec> {
        if down == 0 {
            return Some(self.spec.clone());
        }
        self.spec.scaled_down(down).filter(|a| a.nodes().is_some_and(|n| n >= MIN_SCALED_NODES))
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

/// What one run should do.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// The scheduling mode.
    pub mode: Mode,
    /// Threads of a parallel mode (seq runs on one).
    pub threads: usize,
    /// The variables to keep, by name (empty: all).
    pub vars: Vec<String>,
    /// Fuse element-wise chains.
    pub fuse: bool,
}

/// What one run gave: the values asked for, by variable name, on a graph of `nodes` nodes.
#[derive(Debug, Clone)]
pub struct Ran {
    /// Nodes of the graph it ran on.
    pub nodes: usize,
    /// The variables with a value at the end of the run, in the order asked for (else in
    /// the IR's order).
    pub values: Vec<(String, Arc<Value>)>,
}

impl Task for RunSettings {
    type Output = Ran;

    /// Resolves the variables asked for, builds the graph, checks the work limit and runs
    /// once (`auto` on the plan the cost model predicts fastest: no run has measured this
    /// IR's ops yet).
    fn perform(&self, compiled: Compiled<'_>, cx: &Context<'_>) -> Result<Ran, PipelineError> {
        let Compiled { ir, program, .. } = compiled;
        let threads = if self.mode == Mode::SEQ { 1 } else { self.threads };
        let wanted: Vec<VarId> = self
            .vars
            .iter()
            .map(|name| ir.vars.get(name).ok_or_else(|| PipelineError::UnknownVar(name.clone())))
            .collect::<Result<_, _>>()?;
        let retain = if wanted.is_empty() { Retain::All } else { Retain::Vars(wanted.clone()) };
        (cx.stage)(&Stage::Graph(cx.graphs.spec.describe()));
        let g = cx.graphs.graph(0, cx.limits)?;
        cx.limits.check_work(program, g.node_count(), g.edge_count())?;
        (cx.stage)(&Stage::Running(self.mode));
        let scheduler = if self.mode == Mode::AUTO {
            let (model, _) = crate::predict::calibrate::active();
            let plan = auto_plan(program, &g, self.fuse, threads, model, &[]);
            let team = Team::new(threads).map_err(|why| ExecError::Threads { threads, why })?;
            Scheduler::planned(Arc::new(plan.plan), Arc::new(team))
        } else {
            Scheduler::new(self.mode, threads)?
        };
        let options = RunOptions { fuse: self.fuse, cancel: Some(cx.cancel), ..RunOptions::keeping(retain) };
        let outcome = scheduler.run(program, &g, &options)?;
        let ids: Vec<VarId> = if wanted.is_empty() { (0..ir.vars.len() as u32).map(VarId).collect() } else { wanted };
        let values =
            ids.iter().filter_map(|&v| Some((ir.var(v).to_owned(), outcome.values[v.index()].clone()?))).collect();
        Ok(Ran { nodes: g.node_count(), values })
    }
}

impl Task for BenchSettings {
    type Output = BenchReport;

    /// Benchmarks the program, scaling a synthetic graph down to fit the budget.
    fn perform(&self, compiled: Compiled<'_>, cx: &Context<'_>) -> Result<BenchReport, PipelineError> {
        bench(compiled.program, compiled.analysis.estimated_speedup, self, cx)
    }
}

/// Where the pipeline is, for a progress line.
#[derive(Debug, Clone)]
pub enum Stage {
    /// Building (or loading) the graph.
    Graph(String),
    /// Timing one seq run: does the benchmark fit its budget on this graph?
    Sizing,
    /// Benchmarking.
    Bench(Progress),
    /// The benchmark did not fit; trying a smaller graph.
    ScaledDown(String),
    /// Simulating the predictions, which take about this many seconds at most.
    Predicting(f64),
    /// Running the IR once in this mode (`irtop run`).
    Running(Mode),
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Graph(what) => write!(f, "building the graph {what}"),
            Stage::Sizing => f.write_str("timing one seq run"),
            Stage::Bench(p) => write!(f, "{p}"),
            Stage::ScaledDown(why) => f.write_str(why),
            Stage::Predicting(s) => write!(f, "predicting (up to {})", crate::units::duration(*s)),
            Stage::Running(mode) => write!(f, "running in {mode}"),
        }
    }
}

/// What one seq run said about the benchmark's size.
enum Sizing {
    /// It fits: the run's spans.
    Fits(Vec<crate::exec::span::OpSpan>),
    /// One run takes this long (`exact`), or longer than this (stopped at its deadline).
    TooLong { seconds: f64, exact: bool },
    /// The run failed.
    Failed(ExecError),
}

/// Warm traced runs after the sizing run, for auto's op times: the first run of a program
/// faults in every fresh map and can take many times as long as the runs measured after it.
const WARM_SIZING_RUNS: usize = 3;

/// Times traced seq runs of `program` on `g` against `share` of the budget. The first run
/// faults in every fresh map and can take several times as long as the runs after it, so
/// it may take twice the share, and when it takes more than the share a second, warm run
/// decides. When a run fits, up to [`WARM_SIZING_RUNS`] warm runs within the share give the
/// op times (the first run's only when none fit).
fn size_up(program: &Program, g: &Graph, fuse: bool, cancel: &AtomicBool, share: Duration) -> Sizing {
    let seq = match Scheduler::new(Mode::SEQ, 1) {
        Ok(s) => s,
        Err(e) => return Sizing::Failed(e),
    };
    let options = crate::exec::RunOptions {
        trace: true,
        cancel: Some(cancel),
        fuse,
        ..crate::exec::RunOptions::keeping(crate::exec::Retain::Sinks)
    };
    let timed = |limit: Duration| {
        let started = std::time::Instant::now();
        let outcome =
            seq.run(program, g, &crate::exec::RunOptions { deadline: Some(started + limit), ..options.clone() });
        (outcome, started.elapsed().as_secs_f64())
    };
    let (mut outcome, mut took) = timed(share * 2);
    if outcome.is_ok() && took > share.as_secs_f64() {
        if let Ok(o) = outcome {
            o.values.into_iter().for_each(crate::exec::env::recycle);
        }
        (outcome, took) = timed(share);
    }
    let started = std::time::Instant::now();
    match outcome {
        Ok(o) => {
            let spans = o.spans;
            o.values.into_iter().for_each(crate::exec::env::recycle);
            if took > share.as_secs_f64() {
                return Sizing::TooLong { seconds: took, exact: true };
            }
            let mut warm = Vec::new();
            for _ in 0..WARM_SIZING_RUNS {
                if started.elapsed().as_secs_f64() + took > share.as_secs_f64() {
                    break;
                }
                match seq.run(program, g, &options) {
                    Ok(o) => {
                        warm.extend(o.spans);
                        o.values.into_iter().for_each(crate::exec::env::recycle);
                    }
                    Err(_) => break,
                }
            }
            Sizing::Fits(if warm.is_empty() { spans } else { warm })
        }
        Err(ExecError::Cancelled) if !cancel.load(std::sync::atomic::Ordering::Relaxed) => {
            Sizing::TooLong { seconds: took, exact: false }
        }
        Err(e) => Sizing::Failed(e),
    }
}

/// `auto`'s plan for `program` on `g` from one seq run's `spans` (its op times) and `model`.
pub fn auto_plan(
    program: &Program,
    g: &Graph,
    fuse: bool,
    threads: usize,
    model: &crate::predict::cost_model::CostModel,
    spans: &[crate::exec::span::OpSpan],
) -> crate::predict::auto::AutoPlan {
    let keep = crate::exec::executor::keep_mask(program, &crate::exec::Retain::Sinks);
    let fused;
    let plan_program = if fuse {
        fused = program.fused(&keep);
        &*fused
    } else {
        program
    };
    let (n, e) = (g.node_count(), g.edge_count());
    let table = if spans.is_empty() {
        crate::predict::static_table(plan_program, model, n, e)
    } else {
        crate::predict::calibrated_table(plan_program, spans, model, n, e)
    };
    crate::predict::auto::choose(plan_program, &table, threads, &crate::predict::overheads(model))
}

/// How many times the graph `graphs` asks for must be halved before one seq run fits a
/// benchmark of `runs` runs in `budget` seconds, by the static cost model: sizing then starts
/// there instead of building graphs that cannot fit. The model can be off by a few times,
/// so only graphs it puts at 8 times over the budget are skipped.
fn first_scale_down(
    program: &Program,
    graphs: &GraphSource,
    model: &crate::predict::cost_model::CostModel,
    runs: f64,
    budget: f64,
) -> u32 {
    const MARGIN: f64 = 8.0;
    let (Some(nodes), Some(edges)) = (graphs.spec.nodes(), graphs.spec.edges()) else { return 0 };
    let over = crate::predict::upfront::seq_seconds(program, model, nodes, edges) * runs / budget.max(1e-9) / MARGIN;
    if over.is_nan() || over <= 1.0 {
        return 0;
    }
    let wanted = over.log2().ceil() as u32;
    (0..=wanted).rev().find(|&d| graphs.flags(d).is_some()).unwrap_or(0)
}

/// Rounds during which the probe samples the machine (more cost time and add little).
const PROBE_ROUNDS: usize = 9;

/// Benchmarks `program` (whose groggy estimate is `groggy`) on `cx.graphs` as `settings`
/// say, within `cx.limits`; when a synthetic graph makes it longer than its budget, on the largest
/// halved graph that fits (the report says so). Predictions use the calibration cache (or
/// the default costs).
fn bench(
    program: &Program,
    groggy: f64,
    settings: &BenchSettings,
    cx: &Context<'_>,
) -> Result<BenchReport, PipelineError> {
    let Context { graphs, limits, cancel, stage } = *cx;
    let threads = settings.threads.max(1);
    let team = Arc::new(Team::new(threads).map_err(|why| ExecError::Threads { threads, why })?);
    let modes = if settings.modes.is_empty() { Mode::ALL.to_vec() } else { settings.modes.clone() };
    let options = BenchOptions {
        threads,
        modes: modes.clone(),
        rounds: settings.rounds,
        budget: settings.budget,
        fuse: settings.fuse,
    };
    let (model, source) = crate::predict::calibrate::active();
    let rounds = match settings.rounds {
        Rounds::Fixed(n) => n,
        Rounds::Adaptive => crate::exec::bench::MIN_ROUNDS,
    };
    // A warm-up, the timed rounds, and this sizing run, each of every mode.
    let runs = ((rounds + 2) * (modes.len() + 1)) as f64;
    let budget = settings.budget.as_secs_f64();
    // The whole command keeps to the budget: the predictions made after the rounds, and
    // the graphs built and sized before them, are paid from it.
    let started = std::time::Instant::now();
    let predicting =
        crate::predict::upfront::predicting_seconds(program, settings.fuse, model, threads, modes.len() + 1);
    graphs.spec.check_flags()?;
    let mut down = first_scale_down(program, graphs, model, runs, budget);
    loop {
        let asked = graphs.spec.describe();
        stage(&Stage::Graph(graphs.flags(down).map_or_else(|| asked.clone(), |a| a.describe())));
        let g = graphs.graph(down, limits)?;
        limits.check_work(program, g.node_count(), g.edge_count())?;
        // One traced seq run: whether the benchmark fits the budget on this graph (a run of
        // each mode takes about as long, or less), and each op's time for auto's plan.
        stage(&Stage::Sizing);
        let left = (budget - predicting - started.elapsed().as_secs_f64()).max(0.0);
        let share = Duration::from_secs_f64(left / runs);
        let sized = size_up(program, &g, settings.fuse, cancel, share);
        let next = match sized {
            Sizing::Fits(_) => None,
            Sizing::TooLong { seconds, exact } => {
                // Work halves with each halving of the graph: skip to where it fits, or,
                // knowing only that the run was too long, go four times smaller.
                let steps = if exact { (seconds * runs / budget).log2().ceil().max(1.0) as u32 } else { 2 };
                let next = (1..=steps).rev().map(|k| down + k).find(|&d| graphs.flags(d).is_some());
                if next.is_none() {
                    let on = graphs.flags(down).map(|a| a.describe()).unwrap_or(asked);
                    return Err(PipelineError::Budget(format!(
                        "on {on} one seq run takes {} {}: the warm-up and {} of {} modes would not fit \
                         the budget of {}. Pass a larger --budget, fewer --reps, or a smaller graph",
                        if exact { "about" } else { "more than" },
                        crate::units::duration(seconds),
                        crate::units::count(rounds, "round"),
                        modes.len() + 1,
                        crate::units::duration(budget),
                    )));
                }
                next
            }
            Sizing::Failed(e) => return Err(e.into()),
        };
        if let Some(next) = next {
            stage(&Stage::ScaledDown(format!(
                "{asked} does not fit the budget of {}; trying {}",
                crate::units::duration(budget),
                graphs.flags(next).map(|a| a.describe()).unwrap_or_default()
            )));
            down = next;
            continue;
        }
        let Sizing::Fits(spans) = sized else { unreachable!("sized runs that do not fit continue above") };
        let mut probe = Probe::new(program, &g, threads, model);
        // auto plans with contention measured now on this graph when it can (one probe
        // sample, which also counts among the probe's): calibrate's, from an hour ago on
        // another graph, can be far off on a shared machine.
        let auto = modes.contains(&Mode::AUTO).then(|| {
            let measured = probe.as_mut().and_then(|p| {
                p.sample();
                p.fit()
            });
            let planning = measured.map_or(*model, |fit| fit.apply(model));
            auto_plan(program, &g, settings.fuse, threads, &planning, &spans)
        });
        let left = (budget - predicting - started.elapsed().as_secs_f64()).max(0.0);
        let outcome = run_bench(
            program,
            &g,
            &BenchOptions { budget: Duration::from_secs_f64(left), ..options.clone() },
            &|mode| match (&auto, mode == Mode::AUTO) {
                (Some(a), true) => Box::new(Scheduler::planned(Arc::new(a.plan.clone()), Arc::clone(&team))),
                _ => Box::new(Scheduler::with_team(mode, Arc::clone(&team))),
            },
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
                if down > 0 {
                    // The graph asked for is about 2^down times the work.
                    let estimate = measured.elapsed_s * f64::from(1u32 << down.min(30));
                    measured.scaled = Some(format!(
                        "scaled down from {asked} to {}: on {asked} the benchmark would take about {}, over the \
                         budget of {}; pass --budget {:.0} to run on it",
                        g.source,
                        crate::units::duration(estimate),
                        crate::units::duration(settings.budget.as_secs_f64()),
                        estimate.ceil()
                    ));
                }
                stage(&Stage::Predicting(predicting));
                let fit = probe.as_ref().and_then(Probe::fit);
                let predicted = crate::predict::predict(
                    &measured,
                    program,
                    settings.fuse,
                    groggy,
                    crate::predict::Basis { model, source: &source.label(), probe: fit },
                    auto.as_ref(),
                );
                return Ok(BenchReport { measured, predicted });
            }
            Err(BenchError::OverBudget { needed_s, budget_s, exact, .. }) if graphs.flags(down + 1).is_some() => {
                // Work halves with each halving of the graph: skip to where it fits, or,
                // knowing only that a run was too long, go four times smaller.
                let steps = if exact { (needed_s / budget_s).log2().ceil().max(1.0) as u32 } else { 2 };
                let next = (1..=steps).rev().map(|k| down + k).find(|&d| graphs.flags(d).is_some()).unwrap_or(down + 1);
                stage(&Stage::ScaledDown(format!(
                    "{asked} does not fit the budget of {}; trying {}",
                    crate::units::duration(budget_s),
                    graphs.flags(next).map(|a| a.describe()).unwrap_or_default()
                )));
                down = next;
            }
            Err(e @ BenchError::OverBudget { .. }) => {
                let on = graphs.flags(down).map(|a| a.describe()).unwrap_or_default();
                return Err(PipelineError::Budget(format!(
                    "on {on}: {e}. Pass a larger --budget, fewer --reps, or a smaller graph"
                )));
            }
            Err(BenchError::Exec(e)) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::predict::cost_model::CostModel;
    use crate::predict::upfront::seq_seconds;

    fn program(json: &str) -> Program {
        let ir = crate::ir::load_bytes(json.as_bytes(), Path::new("t.json")).expect("loads");
        Program::compile(&ir, &analyze(&ir)).expect("compiles")
    }

    fn rmat(scale: u32) -> GraphSource {
        GraphSource::new(GraphSpec { rmat: Some(scale), edge_factor: 16, ..GraphSpec::default() })
    }

    /// What the static model says a benchmark of `runs` runs takes on `graphs` halved `down` times.
    fn estimate(p: &Program, graphs: &GraphSource, down: u32, runs: f64) -> f64 {
        let flags = graphs.flags(down).expect("a graph");
        seq_seconds(p, &CostModel::default(), flags.nodes().unwrap(), flags.edges().unwrap()) * runs
    }

    #[test]
    fn sizing_starts_below_graphs_the_model_puts_far_over_the_budget() {
        let p = program(include_str!("../samples/large_layered_10k.json"));
        let graphs = rmat(18);
        let (runs, budget) = (56.0, 10.0);
        let down = first_scale_down(&p, &graphs, &CostModel::default(), runs, budget);
        assert!(down > 0, "10k ops on R-MAT 18 are far over 10 s");
        // The graph skipped to is within the margin, and the one before it was not.
        assert!(estimate(&p, &graphs, down, runs) <= 8.0 * budget || graphs.flags(down + 1).is_none());
        assert!(estimate(&p, &graphs, down - 1, runs) > 8.0 * budget);
    }

    #[test]
    fn sizing_starts_on_the_graph_asked_for_when_the_model_puts_it_near_the_budget() {
        let p = program(include_str!("../samples/pagerank_loop.json"));
        let graphs = rmat(18);
        let budget = 10.0;
        assert!(estimate(&p, &graphs, 0, 56.0) < 8.0 * budget, "the model's estimate moved: adjust the sample");
        assert_eq!(first_scale_down(&p, &graphs, &CostModel::default(), 56.0, budget), 0);
    }

    #[test]
    fn an_edge_list_is_never_skipped() {
        let p = program(include_str!("../samples/large_layered_10k.json"));
        let graphs =
            GraphSource::new(GraphSpec { graph: Some(std::path::PathBuf::from("g.txt")), ..GraphSpec::default() });
        assert_eq!(first_scale_down(&p, &graphs, &CostModel::default(), 56.0, 0.001), 0);
    }
}

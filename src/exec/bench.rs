//! Benchmarks: a warm-up, then repetitions of seq and each parallel mode (interleaved),
//! each mode on its own pool; medians, speedups over seq, and how far each mode's results
//! are from seq's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::env::Retain;
use super::error::ExecError;
use super::executor::{Executor, Mode, RunOptions, RunOutcome};
use super::graph::Graph;
use super::program::Program;
use super::report::{BenchReport, GraphInfo, ModeResult, OpSpan, Predicted};
use super::stats::{Summary, paired_speedup};

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Worker threads of the parallel modes (seq always runs on one).
    pub threads: usize,
    /// Timed repetitions per mode, after one warm-up run.
    pub reps: usize,
    /// Modes to run; seq is always run first as the baseline.
    pub modes: Vec<Mode>,
    /// Measure the machine's contention between repetitions
    /// ([`crate::predict::probe`]) for the calibrated prediction.
    pub probe: bool,
}

/// Runs the benchmark. `executor(mode, threads)` gives the executor of a mode (the real
/// [`super::Scheduler`] or a mock); `progress` gets the fraction done after each run;
/// setting `cancel` stops the run in flight before its next op with [`ExecError::Cancelled`].
pub fn run_bench(
    program: &Program,
    graph: &Graph,
    groggy_estimate: f64,
    options: &BenchOptions,
    executor: &dyn Fn(Mode, usize) -> Box<dyn Executor + Send>,
    cancel: &AtomicBool,
    progress: &dyn Fn(f32),
) -> Result<BenchReport, ExecError> {
    let mut modes: Vec<Mode> = vec![Mode::SEQ];
    modes.extend(options.modes.iter().copied().filter(|&m| m != Mode::SEQ));
    let runs_total = (modes.len() * (options.reps + 1)) as f32;
    let mut runs_done = 0.0f32;
    let mut runners = Vec::with_capacity(modes.len());
    for &mode in &modes {
        let threads = if mode == Mode::SEQ { 1 } else { options.threads.max(1) };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| ExecError::Threads { threads, why: e.to_string() })?;
        runners.push((mode, threads, pool, executor(mode, threads)));
    }
    // Repetitions go round the modes (seq, levels, ..., seq, levels, ...) rather than all of
    // one mode then the next: a shared machine's load drifts over seconds, and interleaving
    // spreads that drift over every mode instead of charging it to whichever ran then.
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(options.reps); modes.len()];
    let mut spans: Vec<Vec<OpSpan>> = vec![Vec::new(); modes.len()];
    let mut diffs: Vec<f64> = vec![0.0; modes.len()];
    // seq's first results, which every later run (seq's own included) is compared with.
    let mut reference: Option<RunOutcome> = None;
    let mut seq_spans = Vec::new();
    let parallel_pool = runners.iter().find(|r| r.1 > 1).map(|r| &r.2);
    let mut probe = None;
    for rep in 0..=options.reps {
        for (i, (mode, _, pool, exec)) in runners.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Err(ExecError::Cancelled);
            }
            // seq is traced on every timed repetition (its op times feed the calibrated
            // prediction); the other modes on the last, for their timelines.
            let is_seq = *mode == Mode::SEQ;
            let trace = rep == options.reps || (is_seq && rep > 0);
            let opts = RunOptions { retain: Retain::Sinks, trace, cancel: Some(cancel) };
            let mut outcome = pool.install(|| exec.run(program, graph, &opts))?;
            if rep > 0 {
                times[i].push(outcome.elapsed);
                if is_seq {
                    seq_spans.extend_from_slice(&outcome.spans);
                }
            }
            if rep == options.reps {
                spans[i] = std::mem::take(&mut outcome.spans);
            }
            // Results are compared with seq's at once and handed back to the buffer pool,
            // so the next run reuses their memory instead of faulting in new pages (on a
            // virtual machine that can cost more than the run) and at most one run's
            // results are held besides seq's.
            match &reference {
                None => reference = Some(outcome),
                Some(seq) => {
                    diffs[i] = diffs[i].max(max_diff(seq, &outcome));
                    outcome.values.into_iter().for_each(super::env::recycle);
                }
            }
            runs_done += 1.0;
            progress(runs_done / runs_total);
        }
        // The probe's inputs are built after the warm-up round, outside the timed runs.
        if rep == 0
            && options.probe
            && let Some(pool) = parallel_pool
        {
            probe = crate::predict::probe::Probe::new(program, graph, pool.current_num_threads());
        }
        if let (Some(probe), Some(pool)) = (&mut probe, parallel_pool)
            && rep > 0
        {
            probe.sample(pool);
        }
    }
    if let Some(seq) = reference {
        seq.values.into_iter().for_each(super::env::recycle);
    }
    let mut results = Vec::new();
    let mut timelines = Vec::new();
    let mut seq_times: Option<Vec<f64>> = None;
    for (i, (mode, threads, _, _)) in runners.iter().enumerate() {
        let summary = Summary::of(&times[i]);
        let times_s: Vec<f64> = times[i].iter().map(Duration::as_secs_f64).collect();
        let speedup = seq_times.as_ref().map_or(1.0, |seq| paired_speedup(seq, &times_s));
        timelines.push((mode.name().to_owned(), std::mem::take(&mut spans[i])));
        results.push(ModeResult {
            mode: mode.name().to_owned(),
            threads: *threads,
            median_s: summary.median_s,
            min_s: summary.min_s,
            max_s: summary.max_s,
            times_s: times_s.clone(),
            speedup,
            max_abs_diff: diffs[i],
            predicted: None,
        });
        if seq_times.is_none() {
            seq_times = Some(times_s);
        }
    }
    super::buffers::clear();
    let mut report = BenchReport {
        graph: GraphInfo { nodes: graph.node_count(), edges: graph.edge_count(), source: graph.source.clone() },
        threads: options.threads.max(1),
        modes: results,
        predicted: Predicted { groggy: groggy_estimate },
        curve: Vec::new(),
        costs: String::new(),
        timelines,
        seq_spans,
        probe: probe.and_then(|p| p.fit()),
        note: None,
    };
    let (model, source) = crate::predict::calibrate::active();
    crate::predict::annotate(&mut report, program, model, &source.label());
    Ok(report)
}

/// [`run_bench`] with irtop's own schedulers, no cancellation and no progress reports: what
/// the command line runs.
pub fn run_bench_to_end(
    program: &Program,
    graph: &Graph,
    groggy_estimate: f64,
    options: &BenchOptions,
) -> Result<BenchReport, ExecError> {
    run_bench(
        program,
        graph,
        groggy_estimate,
        options,
        &|mode, _| Box::new(super::Scheduler(mode)),
        &AtomicBool::new(false),
        &|_| {},
    )
}

/// Largest difference between two runs' surviving values (0 when both lack values, as
/// in the mock).
fn max_diff(a: &RunOutcome, b: &RunOutcome) -> f64 {
    a.values
        .iter()
        .zip(&b.values)
        .map(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => x.max_abs_diff(y),
            (None, None) => 0.0,
            _ => f64::INFINITY,
        })
        .fold(0.0, f64::max)
}

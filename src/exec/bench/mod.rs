//! Benchmarks: a warm-up round, then rounds of seq and each parallel mode back to back,
//! until every speedup's interval is narrow or the time budget is spent (like hyperfine:
//! a few rounds at least, more while the numbers are unsure). Medians, speedups with their
//! intervals, and how far each mode's results are from seq's.
//!
//! This module measures only. Predictions are made from a [`Measurement`] by
//! [`crate::predict`], which the caller runs; the probe of the machine between rounds is
//! the caller's too, through [`Hooks::between_rounds`].

pub mod measurement;
pub mod mock;
pub(crate) mod stats;

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::env::Retain;
use super::error::ExecError;
use super::executor::{Executor, Mode, RunOptions, RunOutcome};
use super::graph::Graph;
use super::program::Program;
use measurement::{GraphInfo, Measurement, ModeRuns, Stopped};
use stats::speedup;

/// Fewest timed rounds of an adaptive benchmark.
pub const MIN_ROUNDS: usize = 5;
/// Most timed rounds of an adaptive benchmark.
pub const MAX_ROUNDS: usize = 1000;
/// An adaptive benchmark stops once every speedup's 95% interval is within this share of
/// the speedup either side.
pub(crate) const TARGET_HALF_WIDTH: f64 = 0.025;
/// seq's op times of this many rounds feed calibrated predictions (their medians); more
/// would only cost memory.
pub(crate) const CALIBRATION_ROUNDS: usize = 9;

/// How many rounds to time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounds {
    /// Exactly this many (`--reps`).
    Fixed(usize),
    /// [`MIN_ROUNDS`] at least, then more until the intervals are narrow or the budget is
    /// spent.
    Adaptive,
}

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Threads of the parallel modes (seq always runs on one).
    pub threads: usize,
    /// Modes besides seq, which always runs first as the baseline.
    pub modes: Vec<Mode>,
    /// How many rounds.
    pub rounds: Rounds,
    /// The time the whole benchmark may take, warm-up included.
    pub budget: Duration,
    /// Fuse element-wise chains ([`crate::exec::fuse`]); off to see what fusion buys.
    pub fuse: bool,
}

/// Where a benchmark is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// The warm-up round, running `mode`.
    WarmUp(Mode),
    /// Timed round `round` of about `planned`, running `mode`.
    Round {
        /// 1-based.
        round: usize,
        /// Rounds that fit in the budget (fewer run when the intervals narrow early).
        planned: usize,
        /// The mode running.
        mode: Mode,
    },
}

/// Progress of a benchmark, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Where it is.
    pub phase: Phase,
    /// Share of the planned runs done, 0 to 1.
    pub fraction: f32,
    /// Time left if every planned round runs (none until the warm-up round has run).
    pub eta: Option<Duration>,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.phase {
            Phase::WarmUp(mode) => write!(f, "warm-up, {mode}")?,
            Phase::Round { round, planned, mode } => write!(f, "round {round} of ~{planned}, {mode}")?,
        }
        if let Some(eta) = self.eta {
            write!(f, " · ETA {}", crate::units::duration(eta.as_secs_f64()))?;
        }
        Ok(())
    }
}

/// What a benchmark's caller takes part in.
pub struct Hooks<'h> {
    /// Set it to stop the benchmark before the next op.
    pub cancel: &'h AtomicBool,
    /// Called before each run.
    pub progress: &'h dyn Fn(&Progress),
    /// Called after each timed round with its number (the probe's samples go here).
    pub between_rounds: &'h mut dyn FnMut(usize),
}

/// Why a benchmark did not finish.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BenchError {
    /// A run failed or was cancelled.
    #[error(transparent)]
    Exec(#[from] ExecError),
    /// The runs are too long for the budget.
    #[error(
        "{what}; the warm-up and {timed} of {modes} modes would take {about} {needed}, over the \
         budget of {budget}",
        timed = crate::units::count(*rounds, "timed round"),
        about = if *exact { "about" } else { "more than" },
        needed = crate::units::duration(*needed_s),
        budget = crate::units::duration(*budget_s)
    )]
    OverBudget {
        /// What was seen (`one warm-up run of seq took over 1.7 s`).
        what: String,
        /// The fewest timed rounds.
        rounds: usize,
        /// Modes per round.
        modes: usize,
        /// The budget, in seconds.
        budget_s: f64,
        /// The least the benchmark would take, in seconds, as far as is known.
        needed_s: f64,
        /// `needed_s` is an estimate from a whole round (else a lower bound: a run was
        /// stopped at its deadline).
        exact: bool,
    },
}

/// Empties the buffer pool when a benchmark ends, however it ends, so its memory goes back.
struct ReleaseBuffers;

impl Drop for ReleaseBuffers {
    fn drop(&mut self) {
        super::buffers::clear();
    }
}

/// Runs the benchmark. `executor(mode)` gives each mode's executor (the real
/// [`super::Scheduler`] or a mock).
pub fn run_bench(
    program: &Program,
    graph: &Graph,
    options: &BenchOptions,
    executor: &dyn Fn(Mode) -> Box<dyn Executor + Send>,
    hooks: Hooks,
) -> Result<Measurement, BenchError> {
    let _release = ReleaseBuffers;
    let started = Instant::now();
    let mut modes: Vec<Mode> = vec![Mode::SEQ];
    modes.extend(options.modes.iter().copied().filter(|m| !m.is_seq()));
    let runners: Vec<(Mode, usize, Box<dyn Executor + Send>)> =
        modes.iter().map(|&m| (m, if m.is_seq() { 1 } else { options.threads.max(1) }, executor(m))).collect();
    let (min_rounds, max_rounds) = match options.rounds {
        Rounds::Fixed(n) => (n.max(1), n.max(1)),
        Rounds::Adaptive => (MIN_ROUNDS, MAX_ROUNDS),
    };
    let budget = options.budget.as_secs_f64();
    let over = |what: String, needed_s: f64, exact: bool| BenchError::OverBudget {
        what,
        rounds: min_rounds,
        modes: modes.len(),
        budget_s: budget,
        needed_s,
        exact,
    };
    let run = |exec: &dyn Executor, trace: bool, deadline: Option<Instant>| -> Result<RunOutcome, ExecError> {
        let opts = RunOptions {
            trace,
            cancel: Some(hooks.cancel),
            deadline,
            fuse: options.fuse,
            ..RunOptions::keeping(Retain::Sinks)
        };
        exec.run(program, graph, &opts)
    };

    // The warm-up round. With the timed rounds it must fit the budget, so a run still going
    // when its share is spent stops there: seq's share is its part of a round (the other
    // modes are rarely slower), the round's the budget over the rounds.
    let warm_deadline = started + options.budget.div_f64((min_rounds + 1) as f64);
    let seq_deadline = started + options.budget.div_f64(((min_rounds + 1) * modes.len()) as f64);
    let mut reference: Option<RunOutcome> = None;
    let mut diffs = vec![0.0f64; runners.len()];
    let mut last_s = vec![0.0f64; runners.len()];
    // When the pool's workers last finished a run: how long they then sat idle.
    let mut pool_free_since: Option<Instant> = None;
    for (i, (mode, _, exec)) in runners.iter().enumerate() {
        (hooks.progress)(&Progress { phase: Phase::WarmUp(*mode), fraction: 0.0, eta: None });
        let deadline = if mode.is_seq() { seq_deadline } else { warm_deadline };
        let outcome = match run(exec.as_ref(), false, Some(deadline)) {
            Err(ExecError::Cancelled) if !hooks.cancel.load(Ordering::Relaxed) => {
                let spent = started.elapsed().as_secs_f64();
                let (what, needed) = if mode.is_seq() {
                    let what = format!("one seq run took more than {}", crate::units::duration(spent));
                    (what, spent * ((min_rounds + 1) * modes.len()) as f64)
                } else {
                    let what = format!("the warm-up round took more than {}", crate::units::duration(spent));
                    (what, spent * (min_rounds + 1) as f64)
                };
                return Err(over(what, needed, false));
            }
            other => other?,
        };
        last_s[i] = outcome.elapsed.as_secs_f64();
        if !mode.is_seq() {
            pool_free_since = Some(Instant::now());
        }
        keep_or_compare(&mut reference, outcome, &mut diffs[i]);
    }
    let round_s: f64 = last_s.iter().sum();
    let spent = started.elapsed().as_secs_f64();
    let affordable = ((budget - spent) / round_s.max(1e-9)).floor().max(0.0) as usize;
    if affordable < min_rounds {
        return Err(over(
            format!("one round of every mode took {}", crate::units::duration(round_s)),
            spent + round_s * min_rounds as f64,
            true,
        ));
    }
    let planned = affordable.min(max_rounds);

    // Timed rounds.
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); runners.len()];
    let mut timelines = vec![Vec::new(); runners.len()];
    let mut seq_spans = Vec::new();
    let mut idle: Vec<Vec<f64>> = vec![Vec::new(); runners.len()];
    let mut stopped = if matches!(options.rounds, Rounds::Fixed(_)) { Stopped::Fixed } else { Stopped::MaxRounds };
    let mut next_check = min_rounds;
    let total_runs = ((planned + 1) * runners.len()) as f32;
    for round in 1..=planned {
        for (i, (mode, _, exec)) in runners.iter().enumerate() {
            let done = (round * runners.len() + i) as f32;
            let round_now: f64 = last_s.iter().sum();
            let left = last_s[i..].iter().sum::<f64>() + round_now * (planned - round) as f64;
            let phase = Phase::Round { round, planned, mode: *mode };
            (hooks.progress)(&Progress {
                phase,
                fraction: done / total_runs,
                eta: Some(Duration::from_secs_f64(left)),
            });
            // seq is traced every round (its op times feed calibrated predictions), the
            // others for their timelines; the last trace of each is kept.
            if let Some(since) = pool_free_since.filter(|_| !mode.is_seq()) {
                idle[i].push(since.elapsed().as_secs_f64());
            }
            let mut outcome = run(exec.as_ref(), true, None)?;
            if !mode.is_seq() {
                pool_free_since = Some(Instant::now());
            }
            let elapsed = outcome.elapsed.as_secs_f64();
            times[i].push(elapsed);
            last_s[i] = elapsed;
            if mode.is_seq() && round <= CALIBRATION_ROUNDS {
                seq_spans.extend_from_slice(&outcome.spans);
            }
            timelines[i] = std::mem::take(&mut outcome.spans);
            keep_or_compare(&mut reference, outcome, &mut diffs[i]);
        }
        (hooks.between_rounds)(round);
        if round == planned {
            stopped = match options.rounds {
                Rounds::Fixed(_) => Stopped::Fixed,
                Rounds::Adaptive if planned == max_rounds => Stopped::MaxRounds,
                Rounds::Adaptive => Stopped::Budget,
            };
            break;
        }
        if matches!(options.rounds, Rounds::Adaptive) && round >= next_check {
            next_check = (round as f64 * 1.4).ceil() as usize;
            let narrow = times[1..].iter().all(|t| speedup(&times[0], t).relative_half_width() <= TARGET_HALF_WIDTH);
            if narrow {
                stopped = Stopped::Converged;
                break;
            }
        }
        if matches!(options.rounds, Rounds::Adaptive) && started.elapsed().as_secs_f64() + round_s > budget {
            stopped = Stopped::Budget;
            break;
        }
    }
    if let Some(seq) = reference {
        seq.values.into_iter().for_each(super::env::recycle);
    }
    let runs = runners
        .iter()
        .zip(times)
        .zip(diffs)
        .map(|(((mode, threads, _), times_s), max_abs_diff)| ModeRuns {
            mode: *mode,
            threads: *threads,
            times_s,
            max_abs_diff,
        })
        .collect();
    let info = GraphInfo { nodes: graph.node_count(), edges: graph.edge_count(), source: graph.source.clone() };
    let mut measurement = Measurement::from_rounds(info, options.threads.max(1), runs, stopped);
    measurement.budget_s = budget;
    measurement.elapsed_s = started.elapsed().as_secs_f64();
    measurement.pool_idle_s = modes
        .iter()
        .zip(idle)
        .filter(|(_, gaps)| !gaps.is_empty())
        .map(|(&mode, gaps)| (mode, stats::median(gaps)))
        .collect();
    measurement.timelines = modes.into_iter().zip(timelines).collect();
    measurement.seq_spans = seq_spans;
    Ok(measurement)
}

/// Keeps seq's first results as the reference; compares any later run's with them and
/// hands its values back to the buffer pool, so the next run reuses their memory instead
/// of faulting in new pages (on a virtual machine that can cost more than the run).
fn keep_or_compare(reference: &mut Option<RunOutcome>, outcome: RunOutcome, diff: &mut f64) {
    match reference {
        None => *reference = Some(outcome),
        Some(seq) => {
            *diff = diff.max(max_diff(seq, &outcome));
            outcome.values.into_iter().for_each(super::env::recycle);
        }
    }
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

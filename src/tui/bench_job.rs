//! Benchmarks on a background thread: the runner the binary plugs in, what it is asked to
//! run, and the latest-wins [`LatestJob`] that starts, cancels and reports it.
//!
//! The TUI does not measure anything itself; it calls a [`BenchFn`] and shows the
//! [`BenchReport`] it returns.

use std::cell::Cell;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Weak};

use crate::analysis::Analysis;
use crate::exec::Mode;
use crate::ir::Ir;
use crate::pipeline::Stage;
use crate::report::bench_report::BenchReport;

use super::job::{LatestJob, Work};
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

impl ModeChoice {
    /// Every choice, in the order `m` cycles through them: all, then each parallel mode
    /// (`auto` last).
    pub const ALL: [ModeChoice; 7] = [
        ModeChoice::All,
        ModeChoice::Only(Mode::ALL[1]),
        ModeChoice::Only(Mode::ALL[2]),
        ModeChoice::Only(Mode::ALL[3]),
        ModeChoice::Only(Mode::ALL[4]),
        ModeChoice::Only(Mode::ALL[5]),
        ModeChoice::Only(Mode::AUTO),
    ];

    /// `all`, or the mode's name.
    pub fn name(self) -> &'static str {
        match self {
            ModeChoice::All => "all",
            ModeChoice::Only(m) => m.name(),
        }
    }

    /// The choice after this one (`m`), wrapping round.
    pub fn next(self) -> ModeChoice {
        self.step(1)
    }

    /// The choice before this one (`M`), wrapping round.
    pub fn prev(self) -> ModeChoice {
        self.step(ModeChoice::ALL.len() - 1)
    }

    fn step(self, by: usize) -> ModeChoice {
        // A choice outside the list (a mode `m` never offers) cycles as if it were `all`.
        let at = ModeChoice::ALL.iter().position(|&c| c == self).unwrap_or(0);
        ModeChoice::ALL[(at + by) % ModeChoice::ALL.len()]
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

/// Benchmarks as a [`LatestJob`]: a new run asks the one in flight to stop (the runner's
/// cancel flag), and progress and results arrive as [`Msg`]s tagged with the run's
/// generation.
struct Bench {
    runner: BenchFn,
    tx: Sender<Msg>,
}

impl Work for Bench {
    type Request = BenchRequest;

    fn run(&mut self, generation: u64, request: BenchRequest, cancel: &AtomicBool) -> Option<Weak<()>> {
        let tx = &self.tx;
        let last = Cell::new((-1.0f32, std::time::Instant::now()));
        let progress = |stage: &Stage| {
            let f = match stage {
                Stage::Bench(p) => p.fraction.clamp(0.0, 1.0),
                _ => 0.0,
            };
            // At most one message per percent or per tenth of a second, so a chatty runner
            // cannot flood the UI.
            let (before, at) = last.get();
            if (f - before).abs() >= 0.01 || at.elapsed().as_millis() >= 100 || !matches!(stage, Stage::Bench(_)) {
                last.set((f, std::time::Instant::now()));
                let _ = tx.send(Msg::BenchProgress { generation, fraction: f, label: stage.to_string() });
            }
        };
        let runner = &self.runner;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runner(&request, cancel, &progress)))
            .unwrap_or_else(|p| Err(format!("the benchmark panicked: {}", panic_message(&p))));
        let _ = tx.send(Msg::BenchFinished { generation, outcome: outcome.map(Box::new) });
        None
    }
}

/// Starts the benchmark worker: `start(generation, request)` runs `runner` on it (stopping
/// the run in flight), `cancel(generation)` stops it (Esc); progress and results go to `tx`.
pub fn spawn(runner: BenchFn, tx: Sender<Msg>) -> std::io::Result<LatestJob<BenchRequest>> {
    LatestJob::spawn("irtop-bench", Bench { runner, tx })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m_visits_every_choice_once_and_comes_back_and_shift_m_goes_back() {
        let mut seen = vec![ModeChoice::All];
        let mut choice = ModeChoice::All.next();
        while choice != ModeChoice::All {
            assert!(!seen.contains(&choice), "{choice:?} came twice");
            seen.push(choice);
            choice = choice.next();
        }
        assert_eq!(seen, ModeChoice::ALL);
        for c in ModeChoice::ALL {
            assert_eq!(c.next().prev(), c);
        }
        assert_eq!(ModeChoice::All.prev(), ModeChoice::Only(Mode::AUTO));
    }
}

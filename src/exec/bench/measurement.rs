//! What a benchmark measured, as plain serde structs: times, speedups with their
//! intervals, how many rounds ran and why they stopped. Nothing here is predicted.

use serde::Serialize;

use crate::exec::Mode;
use crate::exec::span::OpSpan;

/// The graph a benchmark ran on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphInfo {
    /// Number of nodes.
    pub nodes: usize,
    /// Number of directed edges.
    pub edges: usize,
    /// Where it came from (`rmat:18:16:seed=1`, a file path ...).
    pub source: String,
}

/// Why a benchmark stopped taking rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stopped {
    /// Every speedup's interval was narrow enough.
    Converged,
    /// The time budget was spent.
    Budget,
    /// The most rounds allowed ran.
    MaxRounds,
    /// The number of rounds asked for ran (`--reps`).
    Fixed,
}

impl Stopped {
    /// How the reason reads in a sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Stopped::Converged => "every interval within ±2.5%",
            Stopped::Budget => "the time budget was spent",
            Stopped::MaxRounds => "the most rounds allowed",
            Stopped::Fixed => "as asked",
        }
    }
}

/// One mode's rounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeMeasurement {
    /// The mode.
    pub mode: Mode,
    /// Threads it ran on.
    pub threads: usize,
    /// Median wall time of one run, in seconds.
    pub median_s: f64,
    /// Fastest run.
    pub min_s: f64,
    /// Slowest run.
    pub max_s: f64,
    /// Every timed run, in seconds, in the order they ran.
    pub times_s: Vec<f64>,
    /// seq's median time over this mode's: what the medians beside it say.
    pub speedup: f64,
    /// The speedup's 95% interval (paired bootstrap over rounds).
    pub speedup_interval: [f64; 2],
    /// The speedup is above the thread count: the machine's speed changed during the
    /// benchmark, and the number is not a result.
    pub noise: bool,
    /// Largest absolute difference between this mode's results and seq's.
    pub max_abs_diff: f64,
}

/// A whole benchmark's measurements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    /// The graph.
    pub graph: GraphInfo,
    /// Threads of the parallel modes.
    pub threads: usize,
    /// Timed rounds (each runs every mode once), after one warm-up round.
    pub rounds: usize,
    /// Why no more rounds ran.
    pub stopped: Stopped,
    /// The time budget, in seconds.
    pub budget_s: f64,
    /// How long measuring took, warm-up included.
    pub elapsed_s: f64,
    /// seq first, then each parallel mode.
    pub modes: Vec<ModeMeasurement>,
    /// Why the graph is smaller than the one asked for, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scaled: Option<String>,
    /// Per-op spans of the last round of each mode.
    #[serde(skip)]
    pub timelines: Vec<(Mode, Vec<OpSpan>)>,
    /// The spans of every timed seq run: what calibrated predictions take each op's time
    /// from (a median over runs, so one disturbed run does not skew it).
    #[serde(skip)]
    pub seq_spans: Vec<OpSpan>,
    /// Each mode's median time, in seconds, from the end of the last run that used the
    /// thread pool to the start of its own (how long the pool's workers sat idle: workers
    /// still awake join a run sooner).
    #[serde(skip)]
    pub pool_idle_s: Vec<(Mode, f64)>,
}

/// One mode's timed runs, as [`Measurement::from_rounds`] takes them.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeRuns {
    /// The mode.
    pub mode: Mode,
    /// Threads it ran on.
    pub threads: usize,
    /// Each round's time, in seconds.
    pub times_s: Vec<f64>,
    /// Largest absolute difference of its results from seq's.
    pub max_abs_diff: f64,
}

impl Measurement {
    /// The measurement of rounds that ran `runs` (seq first) on `graph`: medians, and each
    /// mode's speedup over seq with its interval and noise flag.
    pub(crate) fn from_rounds(graph: GraphInfo, threads: usize, runs: Vec<ModeRuns>, stopped: Stopped) -> Measurement {
        let seq = runs.first().map(|r| r.times_s.clone()).unwrap_or_default();
        let rounds = seq.len();
        let modes = runs
            .into_iter()
            .map(|r| {
                let summary = super::stats::Summary::of_seconds(&r.times_s);
                let s = super::stats::speedup(&seq, &r.times_s);
                ModeMeasurement {
                    mode: r.mode,
                    threads: r.threads,
                    median_s: summary.median_s,
                    min_s: summary.min_s,
                    max_s: summary.max_s,
                    speedup: s.point,
                    speedup_interval: [s.low, s.high],
                    noise: !r.mode.is_seq() && s.point > r.threads as f64,
                    max_abs_diff: r.max_abs_diff,
                    times_s: r.times_s,
                }
            })
            .collect();
        Measurement {
            graph,
            threads,
            rounds,
            stopped,
            budget_s: 0.0,
            elapsed_s: 0.0,
            modes,
            scaled: None,
            timelines: Vec::new(),
            seq_spans: Vec::new(),
            pool_idle_s: Vec::new(),
        }
    }

    /// How long the pool sat idle before `mode`'s runs (median), when measured.
    pub(crate) fn pool_idle(&self, mode: Mode) -> Option<f64> {
        self.pool_idle_s.iter().find(|(m, _)| *m == mode).map(|(_, s)| *s)
    }

    /// The parallel mode with the highest speedup, if any ran (noise does not count).
    pub(crate) fn best_parallel(&self) -> Option<&ModeMeasurement> {
        self.modes.iter().filter(|m| !m.mode.is_seq() && !m.noise).max_by(|a, b| a.speedup.total_cmp(&b.speedup))
    }

    /// The timeline of `mode`'s last run.
    pub fn timeline(&self, mode: Mode) -> Option<&[OpSpan]> {
        self.timelines.iter().find(|(m, _)| *m == mode).map(|(_, t)| t.as_slice())
    }

    /// `mode`'s measurements.
    pub fn mode(&self, mode: Mode) -> Option<&ModeMeasurement> {
        self.modes.iter().find(|m| m.mode == mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(times: &[f64]) -> Measurement {
        let graph = GraphInfo { nodes: 1, edges: 0, source: "test".into() };
        let runs = vec![
            ModeRuns { mode: Mode::SEQ, threads: 1, times_s: vec![10.0; times.len()], max_abs_diff: 0.0 },
            ModeRuns { mode: "data".parse().expect("mode"), threads: 2, times_s: times.to_vec(), max_abs_diff: 0.0 },
        ];
        Measurement::from_rounds(graph, 2, runs, Stopped::Fixed)
    }

    #[test]
    fn a_speedup_above_the_thread_count_is_noise_and_not_the_best_mode() {
        let m = measure(&[3.0, 3.5, 2.9]);
        assert!(m.modes[1].noise && m.modes[1].speedup > 2.0, "{:?}", m.modes[1]);
        assert!(m.best_parallel().is_none(), "noise is not a result");
        let m = measure(&[6.0, 6.5, 5.9]);
        assert!(!m.modes[1].noise);
        assert_eq!(m.best_parallel().map(|b| b.mode.name()), Some("data"));
    }

    #[test]
    fn the_speedup_agrees_with_the_medians() {
        let m = measure(&[4.0, 5.0, 20.0]);
        assert_eq!(m.modes[1].speedup, m.modes[0].median_s / m.modes[1].median_s);
        let [lo, hi] = m.modes[1].speedup_interval;
        assert!(lo <= m.modes[1].speedup && m.modes[1].speedup <= hi);
    }
}

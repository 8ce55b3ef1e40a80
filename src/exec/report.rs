//! What a benchmark measured, as plain serde structs: the `irtop bench --json` document and
//! what the TUI's benchmark pane draws.

use serde::Serialize;

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

/// One scheduling mode's repetitions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeResult {
    /// `seq`, `levels`, `dataflow`, `data`, `levels+data`, `dataflow+data`.
    pub mode: String,
    /// Worker threads used.
    pub threads: usize,
    /// Median wall time of one run, in seconds.
    pub median_s: f64,
    /// Fastest run.
    pub min_s: f64,
    /// Slowest run.
    pub max_s: f64,
    /// Every timed repetition, in seconds, in the order they ran.
    pub times_s: Vec<f64>,
    /// The median over repetitions of seq's time divided by this mode's in the same
    /// repetition (the runs of one repetition are seconds apart, so a machine whose speed
    /// drifts moves both sides of each ratio together).
    pub speedup: f64,
    /// Largest absolute difference between this mode's results and seq's.
    pub max_abs_diff: f64,
    /// Predicted speedups of this mode at this thread count (absent until predicted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicted: Option<ModePredicted>,
}

/// One mode's predicted speedups over seq, at the mode's thread count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModePredicted {
    /// groggy's estimate (one number for every parallel mode; its heuristic).
    pub groggy: f64,
    /// irtop's cost model on the graph's size, simulated on the plan.
    #[serde(rename = "static")]
    pub static_model: f64,
    /// The same simulation with seq's measured per-op times (absent without seq's timeline).
    pub calibrated: Option<f64>,
}

/// Predicted speedups shown beside the measured ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Predicted {
    /// groggy's `estimated_speedup` (its heuristic, on irtop's levels).
    pub groggy: f64,
}

/// One op's execution on one worker, for timelines and traces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpSpan {
    /// The node's file id (a loop body step: `node_11/3`).
    pub node: String,
    /// The op name.
    pub op: String,
    /// Level of the top-level node it belongs to.
    pub level: u32,
    /// Worker thread index (0-based, dense).
    pub worker: usize,
    /// Start, seconds since the run began.
    pub start_s: f64,
    /// End, seconds since the run began.
    pub end_s: f64,
}

/// A whole benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    /// The graph.
    pub graph: GraphInfo,
    /// Size of the thread pool.
    pub threads: usize,
    /// seq first, then each parallel mode.
    pub modes: Vec<ModeResult>,
    /// Predictions.
    pub predicted: Predicted,
    /// Predicted speedup of each parallel mode for 1..64 threads.
    pub curve: Vec<crate::predict::curve::CurvePoint>,
    /// Where the cost model's constants come from: `calibrated 11:02` or `default costs`.
    pub costs: String,
    /// Contention and serial parts measured between the repetitions, which the calibrated
    /// prediction uses (absent on one thread or when not probed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<crate::predict::probe::ProbeFit>,
    /// Why the predictions should not be trusted on this run, when there is a reason (ops
    /// too short).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Per-op spans of the last repetition of each mode, by mode name.
    #[serde(skip)]
    pub timelines: Vec<(String, Vec<OpSpan>)>,
    /// The spans of every timed seq repetition: what the calibrated prediction takes each
    /// op's time from (a median over repetitions, so one disturbed run does not skew it).
    #[serde(skip)]
    pub seq_spans: Vec<OpSpan>,
}

impl BenchReport {
    /// The best parallel mode (highest speedup), if any ran.
    pub fn best_parallel(&self) -> Option<&ModeResult> {
        self.modes.iter().filter(|m| m.mode != "seq").max_by(|a, b| a.speedup.total_cmp(&b.speedup))
    }

    /// The timeline of `mode`'s last run.
    pub fn timeline(&self, mode: &str) -> Option<&[OpSpan]> {
        self.timelines.iter().find(|(m, _)| m == mode).map(|(_, t)| t.as_slice())
    }
}

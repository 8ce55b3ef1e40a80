//! One op's execution on one thread: what timelines, traces and calibrated predictions read.

use serde::Serialize;

/// One op's execution on one worker (an op split over threads has a span per thread).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpSpan {
    /// The node's file id (a loop body step: `node_11/3`; fused ops: `a+b`).
    pub node: String,
    /// The op name.
    pub op: String,
    /// Level of the top-level node it belongs to.
    pub level: u32,
    /// Worker index (0 is the thread that started the run).
    pub worker: usize,
    /// Start, seconds since the run began.
    pub start_s: f64,
    /// End, seconds since the run began.
    pub end_s: f64,
}

//! Running an IR for real: the graph, values, kernels, schedulers and timing.

pub mod graph;
pub mod report;

pub use graph::Graph;

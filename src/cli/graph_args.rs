//! The graph flags of `irtop run`, `irtop bench` and the terminal UI, and the plain
//! [`GraphSpec`] and graph limit they give the engine.

use std::path::PathBuf;

use crate::exec::graph_spec::{DEFAULT_EDGE_FACTOR, DEFAULT_SEED, GraphSpec};
use crate::limits::Limits;

/// Graph flags shared by `irtop run`, `irtop bench` and the TUI.
#[derive(Debug, Clone, PartialEq, clap::Args)]
pub struct GraphArgs {
    /// Edge list to run on: `u v` or `u v w` per line, `#` comments, `# nodes N` header.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["rmat", "uniform"])]
    pub graph: Option<PathBuf>,
    /// Generate a Graph500-style R-MAT graph with 2^SCALE nodes.
    #[arg(long, value_name = "SCALE", conflicts_with = "uniform")]
    pub rmat: Option<u32>,
    /// Edges per node for --rmat (and for --uniform when --edges is not given).
    #[arg(long, value_name = "K", default_value_t = DEFAULT_EDGE_FACTOR)]
    pub edge_factor: u32,
    /// Generate a uniform random graph with this many nodes.
    #[arg(long, value_name = "NODES")]
    pub uniform: Option<usize>,
    /// Edges of the --uniform graph (default: NODES x edge factor).
    #[arg(long, value_name = "M")]
    pub edges: Option<usize>,
    /// Seed of the synthetic graph.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Refuse a graph that needs more than this many GB to build (default: the memory
    /// available).
    #[arg(long, value_name = "GB", help_heading = super::args::LIMITS)]
    pub(crate) max_graph_gb: Option<f64>,
}

impl GraphArgs {
    /// The graph the flags describe.
    pub fn spec(&self) -> GraphSpec {
        GraphSpec {
            graph: self.graph.clone(),
            rmat: self.rmat,
            edge_factor: self.edge_factor,
            uniform: self.uniform,
            edges: self.edges,
            seed: self.seed,
        }
    }

    /// The limits the graph flags set (`--max-graph-gb`); the rest are the defaults.
    pub fn limits(&self) -> Limits {
        Limits { max_graph_bytes: self.max_graph_gb.map(|gb| (gb.max(0.0) * 1e9) as u64), ..Limits::default() }
    }
}

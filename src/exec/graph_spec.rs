//! Which graph to run on, as the command line and the TUI give it: an edge-list file, a
//! synthetic R-MAT or uniform graph, or the built-in default (R-MAT scale 18, edge factor 16).

use std::path::PathBuf;

use super::edge_list::{EdgeListError, load_edge_list};
use super::graph::Graph;
use super::synthetic::{rmat, uniform};

/// Graph flags shared by `irtop run`, `irtop bench` and the TUI.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct GraphArgs {
    /// Edge list to run on: `u v` or `u v w` per line, `#` comments, `# nodes N` header.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["rmat", "uniform"])]
    pub graph: Option<PathBuf>,
    /// Generate a Graph500-style R-MAT graph with 2^SCALE nodes.
    #[arg(long, value_name = "SCALE", conflicts_with = "uniform")]
    pub rmat: Option<u32>,
    /// Edges per node for --rmat (and for --uniform when --edges is not given).
    #[arg(long, value_name = "K", default_value_t = 16)]
    pub edge_factor: u32,
    /// Generate a uniform random graph with this many nodes.
    #[arg(long, value_name = "NODES")]
    pub uniform: Option<usize>,
    /// Edges of the --uniform graph (default: NODES x edge factor).
    #[arg(long, value_name = "M")]
    pub edges: Option<usize>,
    /// Seed of the synthetic graph.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Scale of the built-in default R-MAT graph: big enough that a benchmark takes about a
/// second on two cores.
pub const DEFAULT_RMAT_SCALE: u32 = 18;

impl GraphArgs {
    /// Builds (or loads) the graph the flags describe.
    pub fn build(&self) -> Result<Graph, EdgeListError> {
        if let Some(path) = &self.graph {
            return load_edge_list(path);
        }
        if let Some(n) = self.uniform {
            return Ok(uniform(n, self.edges.unwrap_or(n * self.edge_factor as usize), self.seed));
        }
        Ok(rmat(self.rmat.unwrap_or(DEFAULT_RMAT_SCALE), self.edge_factor, self.seed))
    }

    /// Nodes and edges the flags would produce, when known without building (for limits).
    pub fn describe(&self) -> String {
        match (&self.graph, self.rmat, self.uniform) {
            (Some(p), ..) => p.display().to_string(),
            (None, _, Some(n)) => {
                format!("uniform:{n}:{}:seed={}", self.edges.unwrap_or(n * self.edge_factor as usize), self.seed)
            }
            (None, scale, None) => {
                format!("rmat:{}:{}:seed={}", scale.unwrap_or(DEFAULT_RMAT_SCALE), self.edge_factor, self.seed)
            }
        }
    }
}

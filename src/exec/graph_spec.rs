//! Which graph to run on, as the command line and the TUI give it: an edge-list file, a
//! synthetic R-MAT or uniform graph, or the built-in default (R-MAT scale 18, edge factor 16).

use std::path::PathBuf;

use super::edge_list::{EdgeListError, load_edge_list_with};
use super::graph::Graph;
use super::synthetic::{try_rmat, try_uniform};
use crate::limits::{LimitError, Limits, graph_bytes};

/// The graph to run on: an edge-list file, a synthetic R-MAT or uniform graph, or (none
/// given) the default R-MAT graph. Plain data: the command line's `GraphArgs` fill it in.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphSpec {
    /// An edge list: `u v` or `u v w` per line, `#` comments, `# nodes N` header.
    pub graph: Option<PathBuf>,
    /// A Graph500-style R-MAT graph with 2^SCALE nodes (default [`DEFAULT_RMAT_SCALE`]).
    pub rmat: Option<u32>,
    /// Edges per node for R-MAT (and for a uniform graph when `edges` is not given).
    pub edge_factor: u32,
    /// A uniform random graph with this many nodes.
    pub uniform: Option<usize>,
    /// Edges of the uniform graph (default: nodes x edge factor).
    pub edges: Option<usize>,
    /// Seed of the synthetic graph.
    pub seed: u64,
}

/// Edges per node of a synthetic graph when none is given.
pub(crate) const DEFAULT_EDGE_FACTOR: u32 = 16;

/// Seed of a synthetic graph when none is given.
pub(crate) const DEFAULT_SEED: u64 = 1;

impl Default for GraphSpec {
    /// The built-in default: R-MAT scale [`DEFAULT_RMAT_SCALE`], edge factor 16, seed 1.
    fn default() -> GraphSpec {
        GraphSpec {
            graph: None,
            rmat: None,
            edge_factor: DEFAULT_EDGE_FACTOR,
            uniform: None,
            edges: None,
            seed: DEFAULT_SEED,
        }
    }
}

/// Why the graph the flags describe cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// The edge-list file is not a valid edge list (or is over the graph limit).
    #[error(transparent)]
    EdgeList(#[from] EdgeListError),
    /// The synthetic graph would need more memory than the graph limit.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The flags describe no graph irtop can hold (`--rmat 40`); the message names the flag.
    #[error("{0}")]
    Flags(String),
}

/// Scale of the built-in default R-MAT graph: big enough that a benchmark takes about a
/// second on two cores.
pub(crate) const DEFAULT_RMAT_SCALE: u32 = 18;

impl GraphSpec {
    /// Builds (or loads) the graph the flags describe, after checking that it can be held:
    /// ids fit in a `u32` and it needs no more memory than the graph limit of `limits`
    /// (which should include `--max-graph-gb`). The arrays are reserved
    /// fallibly, so memory the allocator cannot give is an error, not an abort.
    pub(crate) fn build_with(&self, limits: &Limits) -> Result<Graph, GraphError> {
        if let Some(path) = &self.graph {
            return Ok(load_edge_list_with(path, limits)?);
        }
        self.check_flags()?;
        if let Some(n) = self.uniform {
            let edges = self.edges.unwrap_or(n.saturating_mul(self.edge_factor as usize));
            limits.check_graph(&self.describe(), n as u64, edges as u64, false)?;
            let built = try_uniform(n, edges, self.seed);
            return built.map_err(|_| out_of_memory(&self.describe(), n as u64, edges as u64, limits));
        }
        let scale = self.rmat.unwrap_or(DEFAULT_RMAT_SCALE);
        let edges = u64::from(self.edge_factor) << scale;
        limits.check_graph(&self.describe(), 1 << scale, edges, false)?;
        try_rmat(scale, self.edge_factor, self.seed)
            .map_err(|_| out_of_memory(&self.describe(), 1 << scale, edges, limits))
    }

    /// Whether the synthetic graph the flags describe can exist at all (ids fit in a `u32`,
    /// edges have nodes to join), before any memory is asked for.
    pub(crate) fn check_flags(&self) -> Result<(), GraphError> {
        if self.graph.is_some() {
            return Ok(());
        }
        let max = u64::from(u32::MAX);
        if let Some(n) = self.uniform {
            let edges = self.edges.unwrap_or(n.saturating_mul(self.edge_factor as usize));
            if n as u64 > max {
                return Err(GraphError::Flags(format!("--uniform {n}: a graph holds at most {max} nodes")));
            }
            if edges as u64 > max {
                return Err(GraphError::Flags(format!(
                    "--uniform {n}: {edges} edges is more than a graph holds ({max}); pass a smaller --edges or --edge-factor"
                )));
            }
            if n == 0 && edges > 0 {
                return Err(GraphError::Flags(format!(
                    "--uniform 0: {edges} edges need at least one node; pass more nodes or --edges 0"
                )));
            }
            return Ok(());
        }
        let scale = self.rmat.unwrap_or(DEFAULT_RMAT_SCALE);
        if scale > 31 {
            return Err(GraphError::Flags(format!(
                "--rmat {scale}: the scale is at most 31 (2^31 nodes; node ids are 32-bit)"
            )));
        }
        let edges = u64::from(self.edge_factor) << scale;
        if edges > max {
            return Err(GraphError::Flags(format!(
                "--rmat {scale} --edge-factor {}: {edges} edges is more than a graph holds ({max})",
                self.edge_factor
            )));
        }
        Ok(())
    }

    /// The flags of a graph `by` times halved: R-MAT `by` scales down, a uniform graph with
    /// `2^by` times fewer nodes and edges; `None` for an edge-list file.
    pub(crate) fn scaled_down(&self, by: u32) -> Option<GraphSpec> {
        if self.graph.is_some() {
            return None;
        }
        let mut smaller = self.clone();
        if let Some(n) = self.uniform {
            smaller.uniform = Some(n >> by.min(63));
            smaller.edges = Some(self.edges.unwrap_or(n.saturating_mul(self.edge_factor as usize)) >> by.min(63));
        } else {
            smaller.rmat = Some(self.rmat.unwrap_or(DEFAULT_RMAT_SCALE).checked_sub(by)?);
        }
        Some(smaller)
    }

    /// Nodes of the synthetic graph the flags describe (`None` for an edge-list file).
    pub fn nodes(&self) -> Option<usize> {
        match (&self.graph, self.uniform) {
            (Some(_), _) => None,
            (None, Some(n)) => Some(n),
            (None, None) => 1usize.checked_shl(self.rmat.unwrap_or(DEFAULT_RMAT_SCALE)),
        }
    }

    /// Edges of the synthetic graph the flags describe (`None` for an edge-list file).
    pub fn edges(&self) -> Option<usize> {
        let nodes = self.nodes()?;
        Some(match self.uniform {
            Some(_) => self.edges.unwrap_or(nodes.saturating_mul(self.edge_factor as usize)),
            None => nodes.saturating_mul(self.edge_factor as usize),
        })
    }

    /// Nodes and edges the flags would produce, when known without building (for limits).
    pub fn describe(&self) -> String {
        match (&self.graph, self.rmat, self.uniform) {
            (Some(p), ..) => p.display().to_string(),
            (None, _, Some(n)) => {
                format!(
                    "uniform:{n}:{}:seed={}",
                    self.edges.unwrap_or(n.saturating_mul(self.edge_factor as usize)),
                    self.seed
                )
            }
            (None, scale, None) => {
                format!("rmat:{}:{}:seed={}", scale.unwrap_or(DEFAULT_RMAT_SCALE), self.edge_factor, self.seed)
            }
        }
    }
}

/// The error for a graph whose memory the allocator refused although the graph limit let it
/// through (other processes took the memory meanwhile, or the estimate was short).
pub(crate) fn out_of_memory(what: &str, nodes: u64, edges: u64, limits: &Limits) -> GraphError {
    let (limit, limit_from) = limits.graph_limit();
    GraphError::Limit(LimitError::TooMuchMemory {
        what: format!("{what}: building a graph of {nodes} nodes and {edges} edges"),
        need: graph_bytes(nodes, edges, false),
        limit,
        limit_from: format!("what the allocator could give (the limit: {limit_from})"),
        not_done: "build it",
        advice: "Free some memory, or pass a smaller graph".to_owned(),
    })
}

//! How much work one run of a compiled program does, in element operations: what the
//! work limit (`--max-work`, [`crate::limits::Limits::check_work`]) compares against.
//!
//! Each kernel is counted by its op's cost class ([`crate::ir::op::Op::info`]), the class
//! that also gives the analysis its static weights.

use super::kernel::Kernel;
use super::program::{Program, Step, StepKind};
use crate::limits::{WorkEstimate, Workload};

/// How much slower than a neighbour sum a list op is, per element: `map_nodes`,
/// `collect_neighbor_values` and `mode_list` build and count lists (measured: groggy's label
/// propagation runs at 1/17 of PageRank's element rate).
const LIST_OP_FACTOR: f64 = 16.0;

impl Workload for Program {
    /// Estimates the element operations of one run on a graph of `nodes` nodes and `edges`
    /// edges: a scalar op is 1, a pass over the nodes is `nodes`, a pass over the edges
    /// `nodes + edges` (16 times that for a list op), and a loop `iterations x (1 + its
    /// body's work)` (the 1: an iteration of an empty body still costs something). Computed
    /// in `f64`, so an absurd count is a huge number rather than an overflow.
    ///
    /// # Complexity
    /// O(steps), loop bodies included.
    fn estimate_work(&self, nodes: usize, edges: usize) -> WorkEstimate {
        let (v, e) = (nodes as f64, edges as f64);
        let mut heaviest_loop: Option<(String, u64, usize, f64)> = None;
        let mut total = 0.0;
        for step in &self.steps {
            let w = step_work(step, v, e);
            if let StepKind::Loop(lp) = &step.kind
                && heaviest_loop.as_ref().is_none_or(|h| w > h.3)
            {
                heaviest_loop = Some((step.id.clone(), lp.iterations, lp.body.steps.len(), w));
            }
            total += w;
        }
        WorkEstimate { total, heaviest_loop }
    }
}

fn scope_work(program: &Program, v: f64, e: f64) -> f64 {
    program.steps.iter().map(|s| step_work(s, v, e)).sum()
}

fn step_work(step: &Step, v: f64, e: f64) -> f64 {
    match &step.kind {
        StepKind::Loop(lp) => lp.iterations as f64 * (1.0 + scope_work(&lp.body, v, e)),
        StepKind::Kernel(Kernel::MapNodes(..) | Kernel::CollectNeighbors(_) | Kernel::ModeList(_)) => {
            LIST_OP_FACTOR * (v + e)
        }
        StepKind::Kernel(k) => k.op().info().cost.elements(v, e),
        StepKind::Fused(f) => f.members.iter().map(|m| step_work(m, v, e)).sum(),
    }
}

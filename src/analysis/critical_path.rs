//! The longest path through the dependency graph, weighted by node span or by one per
//! node, and the work and span of the whole program.
//!
//! # Complexity
//! O(V + E), one pass in program order.

use super::dependencies::DependencyGraph;
use crate::ir::NodeId;

/// A longest chain of dependent nodes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CriticalPath {
    /// The chain, first node first.
    pub nodes: Vec<NodeId>,
    /// Sum of the weights along the chain.
    pub cost: f64,
}

impl CriticalPath {
    /// The heaviest path where node `i` weighs `weight[i]`; ties go to the earliest node.
    pub fn heaviest(deps: &DependencyGraph, weight: &[f64]) -> CriticalPath {
        let n = weight.len();
        let mut dist = vec![0.0f64; n];
        let mut via: Vec<Option<NodeId>> = vec![None; n];
        let mut best: Option<usize> = None;
        for i in 0..n {
            let mut here = 0.0;
            for d in deps.incoming(NodeId(i as u32)) {
                let p = d.from;
                debug_assert!(p.index() < i, "dependencies point forward in program order");
                let better = match via[i] {
                    None => true,
                    Some(q) => dist[p.index()] > here || (dist[p.index()] == here && p < q),
                };
                if better {
                    here = dist[p.index()];
                    via[i] = Some(p);
                }
            }
            dist[i] = here + weight[i];
            if best.is_none_or(|b| dist[i] > dist[b]) {
                best = Some(i);
            }
        }
        let Some(mut at) = best else { return CriticalPath::default() };
        let cost = dist[at];
        let mut nodes = vec![NodeId(at as u32)];
        while let Some(p) = via[at] {
            nodes.push(p);
            at = p.index();
        }
        nodes.reverse();
        CriticalPath { nodes, cost }
    }

    /// Number of ops on the path.
    pub fn ops(&self) -> usize {
        self.nodes.len()
    }
}

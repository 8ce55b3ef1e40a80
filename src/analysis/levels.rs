//! Execution levels: a node's level is one more than the highest level it depends on.
//!
//! # Complexity
//! O(V + E): edges point forward in program order, so one pass in that order suffices.

use super::dependencies::DependencyGraph;
use crate::ir::NodeId;

/// Which nodes may run together: level `k` holds the nodes whose longest chain of
/// dependencies has `k` edges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelPlan {
    /// Level of each node, by node index.
    pub level_of: Vec<u32>,
    /// Nodes of each level, in program order.
    pub levels: Vec<Vec<NodeId>>,
}

impl LevelPlan {
    /// Assigns levels to the `node_count` nodes of `deps`.
    pub fn compute(node_count: usize, deps: &DependencyGraph) -> LevelPlan {
        let mut level_of = vec![0u32; node_count];
        let mut sizes: Vec<usize> = Vec::new();
        for i in 0..node_count {
            let level = deps.incoming(NodeId(i as u32)).iter().map(|d| level_of[d.from.index()] + 1).max().unwrap_or(0);
            level_of[i] = level;
            if sizes.len() <= level as usize {
                sizes.resize(level as usize + 1, 0);
            }
            sizes[level as usize] += 1;
        }
        let mut levels: Vec<Vec<NodeId>> = sizes.into_iter().map(Vec::with_capacity).collect();
        for (i, &level) in level_of.iter().enumerate() {
            levels[level as usize].push(NodeId(i as u32));
        }
        LevelPlan { level_of, levels }
    }

    /// The level of `node`.
    pub fn level(&self, node: NodeId) -> u32 {
        self.level_of[node.index()]
    }

    /// Number of levels (the longest chain, counted in nodes).
    pub fn len(&self) -> usize {
        self.levels.len()
    }

    /// True for an empty IR.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }
}

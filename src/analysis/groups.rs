//! Parallel groups, one per level, with the fields of groggy's `ParallelGroup`.

use super::dependencies::DependencyGraph;
use super::effects::EffectTable;
use super::groggy;
use super::levels::LevelPlan;
use crate::ir::{Ir, NodeId, VarId};

/// The ops of one level, which may run concurrently.
#[derive(Debug, Clone, PartialEq)]
pub struct ParallelGroup {
    /// The group's nodes, in program order.
    pub nodes: Vec<NodeId>,
    /// Variables the group's nodes read, each once.
    pub shared_inputs: Vec<VarId>,
    /// Variables the group's nodes write, each once.
    pub outputs: Vec<VarId>,
    /// Groups that feed this one through at least one dependency, sorted. (groggy lists
    /// every earlier group.)
    pub depends_on: Vec<usize>,
    /// groggy's parallelism factor for the group.
    pub parallelism_factor: f64,
}

/// Builds one group per level.
///
/// # Complexity
/// O(V + E + operands log operands).
pub fn parallel_groups(
    ir: &Ir,
    effects: &EffectTable,
    deps: &DependencyGraph,
    levels: &LevelPlan,
) -> Vec<ParallelGroup> {
    levels
        .levels
        .iter()
        .map(|nodes| {
            let mut reads: Vec<VarId> = Vec::new();
            let mut writes: Vec<VarId> = Vec::new();
            let mut depends_on: Vec<usize> = Vec::new();
            for &n in nodes {
                let fx = effects.of(n);
                reads.extend(fx.reads);
                writes.extend(fx.writes);
                depends_on.extend(deps.incoming(n).iter().map(|d| levels.level(d.from) as usize));
            }
            for list in [&mut reads, &mut writes] {
                list.sort_unstable();
                list.dedup();
            }
            depends_on.sort_unstable();
            depends_on.dedup();
            ParallelGroup {
                nodes: nodes.clone(),
                shared_inputs: reads,
                outputs: writes,
                depends_on,
                parallelism_factor: groggy::group_factor(nodes.iter().map(|&n| &ir.node(n).op)),
            }
        })
        .collect()
}

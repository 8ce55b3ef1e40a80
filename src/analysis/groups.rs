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
/// The nodes are visited in program order, each adding its reads, writes, the levels it
/// depends on and its op to its level's group, so that every table is read front to back
/// (level by level, a million-op IR's nodes are visited all over memory).
///
/// # Complexity
/// O(V + E + operands log operands).
pub fn parallel_groups(
    ir: &Ir,
    effects: &EffectTable,
    deps: &DependencyGraph,
    levels: &LevelPlan,
) -> Vec<ParallelGroup> {
    let count = levels.levels.len();
    let mut reads: Vec<Vec<VarId>> = vec![Vec::new(); count];
    let mut writes: Vec<Vec<VarId>> = vec![Vec::new(); count];
    let mut depends_on: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut factors = vec![groggy::FactorCounts::default(); count];
    for (i, node) in ir.nodes.iter().enumerate() {
        let n = NodeId(i as u32);
        let k = levels.level(n) as usize;
        let fx = effects.of(n);
        reads[k].extend(fx.reads);
        writes[k].extend(fx.writes);
        depends_on[k].extend(deps.incoming(n).iter().map(|d| levels.level(d.from) as usize));
        factors[k].add(&node.op);
    }
    let parts = reads.into_iter().zip(writes).zip(depends_on).zip(factors);
    levels
        .levels
        .iter()
        .zip(parts)
        .map(|(nodes, (((mut reads, mut writes), mut depends_on), factor))| {
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
                parallelism_factor: factor.factor(),
            }
        })
        .collect()
}

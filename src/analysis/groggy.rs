//! groggy 0.5.2's `ParallelAnalyzer` heuristics, reproduced exactly: its op classes, its
//! group parallelism factor, its overall speedup estimate and its 1.2x threshold.
//!
//! These are kept because users compare with groggy, not because they are right: the
//! factor counts ops, not work, and the estimate weighs a constant like a loop. irtop's
//! own findings sit beside them, labelled as irtop's.

use crate::ir::op::{BinOp, Op, UnOp};

/// Ops `is_data_parallel_op` answers true for.
pub(crate) const DATA_PARALLEL_OPS: &[&str] = &[
    "add",
    "sub",
    "mul",
    "div",
    "neg",
    "abs",
    "pow",
    "sqrt",
    "exp",
    "log",
    "compare",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "where",
    "select",
    "map",
    "transform",
    "element_wise",
    "and",
    "or",
    "xor",
    "not",
];

/// Ops `is_thread_safe_op` answers false for (everything else is "thread-safe" to groggy).
pub(crate) const THREAD_UNSAFE_OPS: &[&str] = &["store", "attach", "save", "print", "debug"];

/// The shorter element-wise list the group factor uses (not the one above).
pub(crate) const FACTOR_ELEMENTWISE_OPS: &[&str] =
    &["add", "sub", "mul", "div", "neg", "abs", "compare", "where", "map", "element_wise"];

/// Ops that earn the group factor's x1.5 bonus (`reduce`, not the builder's `reduce_scalar`).
pub(crate) const FACTOR_HEAVY_OPS: &[&str] = &["neighbor_agg", "reduce", "degree", "connected_components"];

/// Groups with an estimate above this run in parallel (`use_parallel`).
pub(crate) const USE_PARALLEL_THRESHOLD: f64 = 1.2;

/// groggy's `is_data_parallel_op`.
pub fn is_data_parallel_op(op: &str) -> bool {
    DATA_PARALLEL_OPS.contains(&op)
}

/// groggy's `is_thread_safe_op`.
pub fn is_thread_safe_op(op: &str) -> bool {
    !THREAD_UNSAFE_OPS.contains(&op)
}

/// groggy's `_estimate_group_parallelism` over the ops of one group:
/// `1 + (min(n, 8) - 1) * (0.5 + 0.5 * elementwise/n)`, x1.5 when a heavy op is present,
/// and 1.0 for a group of one.
pub(crate) fn group_factor<'a>(ops: impl IntoIterator<Item = &'a Op>) -> f64 {
    let mut counts = FactorCounts::default();
    for op in ops {
        counts.add(op);
    }
    counts.factor()
}

/// What [`group_factor`] counts of a group's ops, gathered one op at a time (in any order).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FactorCounts {
    n: usize,
    elementwise: usize,
    heavy: bool,
}

impl FactorCounts {
    /// Counts `op`.
    pub(crate) fn add(&mut self, op: &Op) {
        let (is_elementwise, is_heavy) = factor_classes(op);
        self.n += 1;
        self.elementwise += usize::from(is_elementwise);
        self.heavy |= is_heavy;
    }

    /// The group's factor.
    pub(crate) fn factor(self) -> f64 {
        let FactorCounts { n, elementwise, heavy } = self;
        if n <= 1 {
            return 1.0;
        }
        let base = n.min(8) as f64;
        let ratio = elementwise as f64 / n as f64;
        let factor = 1.0 + (base - 1.0) * (0.5 + 0.5 * ratio);
        if heavy { factor * 1.5 } else { factor }
    }
}

/// Whether `op`'s name is in [`FACTOR_ELEMENTWISE_OPS`] and in [`FACTOR_HEAVY_OPS`]; the
/// ops irtop knows are matched, not their names compared (a million-op IR has both lists
/// checked for every op, twice).
fn factor_classes(op: &Op) -> (bool, bool) {
    match op {
        Op::Binary(BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
        | Op::Unary(UnOp::Neg | UnOp::Abs)
        | Op::Compare
        | Op::Where
        | Op::Map
        | Op::ElementWise => (true, false),
        Op::NeighborAgg | Op::Reduce | Op::Degree => (false, true),
        Op::Block(name) | Op::Unknown(name) => {
            (FACTOR_ELEMENTWISE_OPS.contains(&&**name), FACTOR_HEAVY_OPS.contains(&&**name))
        }
        // Every other op has a name in neither list (checked by a test over every name).
        _ => (false, false),
    }
}

/// groggy's `_estimate_speedup`: group factors averaged with weights equal to group sizes
/// (1.0 with no ops). Takes `(group size, factor)` in level order.
pub fn estimated_speedup(groups: impl IntoIterator<Item = (usize, f64)> + Clone) -> f64 {
    let total: usize = groups.clone().into_iter().map(|(n, _)| n).sum();
    if total == 0 {
        return 1.0;
    }
    groups.into_iter().fold(0.0, |acc, (n, f)| acc + (n as f64 / total as f64) * f)
}

/// groggy's decision: parallel only when the estimate beats 1.2x.
pub fn use_parallel(estimated_speedup: f64) -> bool {
    estimated_speedup > USE_PARALLEL_THRESHOLD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_are_classed_as_their_names_are() {
        let names = crate::ir::op::NAMES.iter().copied().chain(["connected_components", "block_x", "frob"]);
        for name in names {
            let classes = (FACTOR_ELEMENTWISE_OPS.contains(&name), FACTOR_HEAVY_OPS.contains(&name));
            assert_eq!(factor_classes(&Op::parse(name)), classes, "{name}");
        }
    }
}

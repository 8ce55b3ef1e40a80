//! The sequential fallback plan (groggy's `BatchExecutionPlan`): an execution order,
//! live ranges, variable slots by linear scan, and the constants.
//!
//! Unlike groggy's, a loop keeps every variable its body reads alive until it runs, and
//! an op never writes into the slot of one of its own inputs (safe for neighbourhood
//! ops, which read other nodes' values while writing). A loop's temporaries that no later
//! op reads belong to the body's own plan, not to the outer slots.
//!
//! # Complexity
//! O(V + operands + vars log slots): live ranges are sorted by counting, slots come from heaps.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde_json::Value;

use super::effects::EffectTable;
use crate::ir::{Body, Ir, NodeId, VarId};

/// When a variable must hold its value: from the op that first writes it (0 for an
/// external input) to the last op that reads or writes it, as positions in the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveRange {
    /// The variable.
    pub var: VarId,
    /// First position at which it holds a value.
    pub start: usize,
    /// Last position at which it is used.
    pub end: usize,
}

/// How to run the IR on one thread with as few live values as possible.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SequentialPlan {
    /// Nodes in the order they run (program order, which is topological).
    pub order: Vec<NodeId>,
    /// Every variable's live range, sorted by start then variable.
    pub live_ranges: Vec<LiveRange>,
    /// Slot of each variable, by variable index (`None` for a variable no node uses).
    pub(crate) slot_of: Vec<Option<u32>>,
    /// Number of slots: the most values alive at once.
    pub max_live_variables: usize,
    /// Constant nodes' values by output variable, in program order.
    pub constants: Vec<(VarId, Value)>,
}

impl SequentialPlan {
    /// Plans `ir` given each node's effects.
    pub fn build(ir: &Ir, effects: &EffectTable) -> SequentialPlan {
        let order: Vec<NodeId> = ir.node_ids().collect();
        let nvars = ir.vars.len();
        let mut start: Vec<Option<usize>> = vec![None; nvars];
        let mut end = vec![0usize; nvars];
        let mut last_read: Vec<Option<usize>> = vec![None; nvars];
        for (pos, &node) in order.iter().enumerate() {
            for &v in effects.of(node).reads {
                last_read[v.index()] = Some(pos);
            }
        }
        for (pos, &node) in order.iter().enumerate() {
            let fx = effects.of(node);
            for &v in fx.reads {
                start[v.index()].get_or_insert(0);
                end[v.index()] = pos;
            }
            let carried = if ir.node(node).body.is_some() { carried_out(ir, node) } else { Vec::new() };
            for &v in fx.writes {
                // A loop's temporaries that nothing reads later live in the body's own plan.
                let dead_temporary = !carried.contains(&v) && last_read[v.index()].is_none_or(|r| r <= pos);
                if ir.node(node).body.is_some() && dead_temporary {
                    continue;
                }
                start[v.index()].get_or_insert(pos);
                end[v.index()] = pos;
            }
        }
        let live_ranges = ranges_by_start(&start, &end, order.len());

        // Linear scan: each range takes the lowest free slot, once every range that ended
        // before it starts has given its slot back. The ranges holding a slot are listed by
        // their end (linked lists in two arrays), since ends are positions in the order.
        let mut slot_of: Vec<Option<u32>> = vec![None; nvars];
        let mut ending_at = vec![NO_RANGE; order.len()];
        let mut next_ending = vec![NO_RANGE; live_ranges.len()];
        let mut freed_before = 0;
        let mut free: BinaryHeap<Reverse<u32>> = BinaryHeap::new();
        let mut slots = 0u32;
        for (i, r) in live_ranges.iter().enumerate() {
            while freed_before < r.start {
                let mut at = ending_at[freed_before];
                while at != NO_RANGE {
                    free.extend(slot_of[live_ranges[at as usize].var.index()].map(Reverse));
                    at = next_ending[at as usize];
                }
                freed_before += 1;
            }
            let slot = free.pop().map(|Reverse(s)| s).unwrap_or_else(|| {
                slots += 1;
                slots - 1
            });
            slot_of[r.var.index()] = Some(slot);
            next_ending[i] = ending_at[r.end];
            ending_at[r.end] = i as u32;
        }

        let constants = ir
            .nodes
            .iter()
            .filter(|n| n.op == crate::ir::op::Op::Constant)
            .filter_map(|n| Some((n.output?, n.metadata.field("value").unwrap_or(Value::Null))))
            .collect();
        SequentialPlan { order, live_ranges, slot_of, max_live_variables: slots as usize, constants }
    }

    /// The slot of `var` (`None` for a variable no op uses, or a loop temporary).
    pub fn slot(&self, var: VarId) -> Option<u32> {
        self.slot_of[var.index()]
    }
}

/// End of a list of ranges.
const NO_RANGE: u32 = u32::MAX;

/// Every used variable's live range, sorted by start then variable: a counting sort, since
/// starts are positions in the order.
fn ranges_by_start(start: &[Option<usize>], end: &[usize], positions: usize) -> Vec<LiveRange> {
    let mut first = vec![0usize; positions + 1];
    for &s in start.iter().flatten() {
        first[s + 1] += 1;
    }
    for p in 0..positions {
        first[p + 1] += first[p];
    }
    let used = first[positions];
    let mut ranges = vec![LiveRange { var: VarId(0), start: 0, end: 0 }; used];
    for (v, s) in start.iter().enumerate() {
        if let Some(s) = *s {
            ranges[first[s]] = LiveRange { var: VarId(v as u32), start: s, end: end[v] };
            first[s] += 1;
        }
    }
    ranges
}

/// Variables a loop or block hands to the program after it: its loop variables, its
/// target and its declared output.
fn carried_out(ir: &Ir, node: NodeId) -> Vec<VarId> {
    let n = ir.node(node);
    let mut vars: Vec<VarId> = n.output.into_iter().collect();
    match n.body.as_deref() {
        Some(Body::Loop(l)) => vars.extend(l.loop_vars.iter().map(|lv| lv.logical)),
        Some(Body::Block(b)) => vars.extend(b.target),
        None => {}
    }
    vars
}

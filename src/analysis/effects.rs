//! What each node reads and writes, with loops and blocks summarised from their bodies.
//!
//! A loop reads its body's free variables (read before the body writes them) and its
//! loop_vars' initial values, and writes everything its body writes plus the loop_vars.
//! The table is flat (two arrays of variables with offsets), so a million nodes cost two
//! allocations, not two million.
//!
//! # Complexity
//! O(total operands), bodies included.

use crate::ir::{Body, Ir, Node, NodeId, VarId};

/// The variables one node reads and writes, in the node's own IR's variable table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeEffects<'a> {
    /// Variables read, each once, in operand order.
    pub reads: &'a [VarId],
    /// Variables written, each once.
    pub writes: &'a [VarId],
    /// The node (or something in its body) writes outside the IR.
    pub side_effect: bool,
}

/// Effects of every node of one IR.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EffectTable {
    reads: Vec<VarId>,
    writes: Vec<VarId>,
    read_start: Vec<u32>,
    write_start: Vec<u32>,
    side_effect: Vec<bool>,
}

impl EffectTable {
    /// Computes the effects of every node of `ir`.
    pub fn build(ir: &Ir) -> EffectTable {
        let n = ir.nodes.len();
        let mut t = EffectTable {
            reads: Vec::with_capacity(2 * n),
            writes: Vec::with_capacity(n),
            read_start: Vec::with_capacity(n + 1),
            write_start: Vec::with_capacity(n + 1),
            side_effect: Vec::with_capacity(n),
        };
        for node in &ir.nodes {
            t.read_start.push(t.reads.len() as u32);
            t.write_start.push(t.writes.len() as u32);
            let (r0, w0) = (t.reads.len(), t.writes.len());
            let side = push_effects(ir, node, &mut t.reads, r0, &mut t.writes, w0);
            t.side_effect.push(side);
        }
        t.read_start.push(t.reads.len() as u32);
        t.write_start.push(t.writes.len() as u32);
        t
    }

    /// The effects of node `n`.
    pub fn of(&self, n: NodeId) -> NodeEffects<'_> {
        let i = n.index();
        NodeEffects {
            reads: &self.reads[self.read_start[i] as usize..self.read_start[i + 1] as usize],
            writes: &self.writes[self.write_start[i] as usize..self.write_start[i + 1] as usize],
            side_effect: self.side_effect[i],
        }
    }

    /// All nodes' reads and writes together.
    pub(crate) fn operand_count(&self) -> usize {
        self.reads.len() + self.writes.len()
    }

    /// Number of nodes in the table.
    pub fn len(&self) -> usize {
        self.side_effect.len()
    }

    /// True for an IR without nodes.
    pub fn is_empty(&self) -> bool {
        self.side_effect.is_empty()
    }

    /// Effects of all nodes, in program order.
    pub fn iter(&self) -> impl Iterator<Item = NodeEffects<'_>> + '_ {
        (0..self.len()).map(|i| self.of(NodeId(i as u32)))
    }
}

/// Removes repeats from `list[from..]`, keeping each variable's first occurrence in order.
///
/// # Complexity
/// O(k) for a segment of k variables (a scan for short segments, a hash set for long ones:
/// a node with a million inputs costs a million steps, not a trillion).
fn dedup_from(list: &mut Vec<VarId>, from: usize) {
    let mut seen: Option<std::collections::HashSet<VarId>> =
        (list.len() - from > 16).then(|| std::collections::HashSet::with_capacity(list.len() - from));
    let mut kept = from;
    for i in from..list.len() {
        let v = list[i];
        let new = match seen.as_mut() {
            Some(set) => set.insert(v),
            None => !list[from..kept].contains(&v),
        };
        if new {
            list[kept] = v;
            kept += 1;
        }
    }
    list.truncate(kept);
}

/// Appends one node's reads and writes (starting at `r0` and `w0`); returns whether it
/// has side effects.
fn push_effects(ir: &Ir, node: &Node, reads: &mut Vec<VarId>, r0: usize, writes: &mut Vec<VarId>, w0: usize) -> bool {
    let mut side_effect = node.op.info().side_effect;
    for v in node.inputs.iter().chain(node.implicit_reads.iter().map(|r| &r.var)) {
        reads.push(*v);
    }
    if let Some(body) = node.body.as_deref() {
        let inner = body.ir();
        let summary = summarise_body(inner);
        let outer = |v: VarId| ir.vars.get(inner.var(v)).expect("the loader adopts every body variable");
        let (logical_list, initials): (Vec<VarId>, Vec<VarId>) = match body {
            Body::Loop(l) => l.loop_vars.iter().map(|lv| (lv.logical, lv.initial)).unzip(),
            Body::Block(_) => (Vec::new(), Vec::new()),
        };
        let logicals: std::collections::HashSet<VarId> = logical_list.iter().copied().collect();
        for v in summary.free.into_iter().map(outer) {
            if !logicals.contains(&v) {
                reads.push(v);
            }
        }
        for v in initials {
            reads.push(v);
        }
        for v in logical_list {
            writes.push(v);
        }
        for v in summary.writes.into_iter().map(outer) {
            writes.push(v);
        }
        if let Body::Block(b) = body
            && let Some(t) = b.target
        {
            writes.push(t);
        }
        side_effect |= summary.side_effect;
    }
    if let Some(out) = node.output {
        writes.push(out);
    }
    dedup_from(reads, r0);
    dedup_from(writes, w0);
    side_effect
}

/// A body seen from outside: what it needs, what it leaves behind.
struct BodySummary {
    free: Vec<VarId>,
    writes: Vec<VarId>,
    side_effect: bool,
}

fn summarise_body(body: &Ir) -> BodySummary {
    let table = EffectTable::build(body);
    let mut written = vec![false; body.vars.len()];
    let mut summary = BodySummary { free: Vec::new(), writes: Vec::new(), side_effect: false };
    for fx in table.iter() {
        for &v in fx.reads {
            if !written[v.index()] {
                summary.free.push(v);
            }
        }
        for &v in fx.writes {
            written[v.index()] = true;
            summary.writes.push(v);
        }
        summary.side_effect |= fx.side_effect;
    }
    dedup_from(&mut summary.free, 0);
    dedup_from(&mut summary.writes, 0);
    summary
}

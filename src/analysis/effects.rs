//! What each node reads and writes, with loops and blocks summarised from their bodies.
//!
//! A loop reads its body's free variables (read before the body writes them) and its
//! loop_vars' initial values, and writes everything its body writes plus the loop_vars.
//!
//! # Complexity
//! O(total operands), bodies included.

use crate::ir::op::op_info;
use crate::ir::{Body, Ir, Node, VarId};

/// The variables one node reads and writes, in the node's own IR's variable table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeEffects {
    /// Variables read, each once, in operand order.
    pub reads: Vec<VarId>,
    /// Variables written, each once.
    pub writes: Vec<VarId>,
    /// The node (or something in its body) writes outside the IR.
    pub side_effect: bool,
}

/// Effects of every node of `ir`, by node index.
pub fn node_effects(ir: &Ir) -> Vec<NodeEffects> {
    ir.nodes.iter().map(|n| effects_of(ir, n)).collect()
}

fn push_unique(list: &mut Vec<VarId>, v: VarId) {
    if !list.contains(&v) {
        list.push(v);
    }
}

/// Effects of one node of `ir`.
pub fn effects_of(ir: &Ir, node: &Node) -> NodeEffects {
    let mut fx = NodeEffects { side_effect: op_info(&node.op).side_effect, ..NodeEffects::default() };
    for v in node.inputs.iter().chain(node.implicit_reads.iter().map(|r| &r.var)) {
        push_unique(&mut fx.reads, *v);
    }
    if let Some(body) = &node.body {
        let inner = body.ir();
        let summary = summarise_body(inner);
        let outer = |v: VarId| ir.vars.get(inner.var(v)).expect("the loader adopts every body variable");
        let (logicals, initials): (Vec<VarId>, Vec<VarId>) = match body {
            Body::Loop(l) => l.loop_vars.iter().map(|lv| (lv.logical, lv.initial)).unzip(),
            Body::Block(_) => (Vec::new(), Vec::new()),
        };
        for v in summary.free.into_iter().map(outer) {
            if !logicals.contains(&v) {
                push_unique(&mut fx.reads, v);
            }
        }
        for v in initials {
            push_unique(&mut fx.reads, v);
        }
        for v in logicals {
            push_unique(&mut fx.writes, v);
        }
        for v in summary.writes.into_iter().map(outer) {
            push_unique(&mut fx.writes, v);
        }
        if let Body::Block(b) = body
            && let Some(t) = b.target
        {
            push_unique(&mut fx.writes, t);
        }
        fx.side_effect |= summary.side_effect;
    }
    if let Some(out) = node.output {
        push_unique(&mut fx.writes, out);
    }
    fx
}

/// A body seen from outside: what it needs, what it leaves behind.
struct BodySummary {
    free: Vec<VarId>,
    writes: Vec<VarId>,
    side_effect: bool,
}

fn summarise_body(body: &Ir) -> BodySummary {
    let mut written = vec![false; body.vars.len()];
    let mut summary = BodySummary { free: Vec::new(), writes: Vec::new(), side_effect: false };
    for node in &body.nodes {
        let fx = effects_of(body, node);
        for v in fx.reads {
            if !written[v.index()] {
                push_unique(&mut summary.free, v);
            }
        }
        for v in fx.writes {
            written[v.index()] = true;
            push_unique(&mut summary.writes, v);
        }
        summary.side_effect |= fx.side_effect;
    }
    summary
}

//! Static per-node cost: a weight per cost class, and for loops and blocks the cost of
//! their body (work: all of it, span: its critical path) times their iterations.

use serde::Serialize;

use crate::ir::Node;
use crate::ir::op::CostClass;

/// What one node costs under the static model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NodeCost {
    /// The op's cost class.
    pub(crate) class: CostClass,
    /// Total work, in scalar-op units (loops: iterations x body work).
    pub work: f64,
    /// Time on unlimited threads (loops: iterations x body span).
    pub span: f64,
}

impl NodeCost {
    /// The cost of `node`; `body` is the (work, span) of its body when it has one.
    pub fn of(node: &Node, body: Option<(f64, f64)>) -> NodeCost {
        let class = node.op.info().cost;
        match (&node.body, body) {
            (Some(b), Some((work, span))) => {
                let n = b.iterations() as f64;
                NodeCost { class: CostClass::Nested, work: n * work, span: n * span }
            }
            _ => NodeCost { class, work: class.weight(), span: class.weight() },
        }
    }
}

//! What irtop knows about each op name: its cost class, whether it has side effects,
//! whether it can be split over nodes, and whether it must run alone.
//!
//! This is irtop's own classification. groggy's op sets, reproduced exactly, are in
//! `analysis::groggy`.

use serde::Serialize;
use serde_json::Value;

use super::model::Node;

/// How an op's work grows with the graph: the static cost model until calibration exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostClass {
    /// Constant work: a constant, a node count, scalar arithmetic.
    Scalar,
    /// One pass over the nodes: element-wise maps, reductions, broadcasts.
    Nodes,
    /// One pass over the edges: degree, neighbour aggregation, `map_nodes`.
    Edges,
    /// A loop or block: the cost of its body (times its iterations).
    Nested,
    /// An op irtop does not know; costed like [`CostClass::Nodes`].
    Unknown,
}

impl CostClass {
    /// Static weight of one op of this class, in units of "one scalar op".
    ///
    /// Edge passes cost 10x a node pass and a node pass 10x a scalar: a typical groggy
    /// graph has about ten edges per node, and a scalar op is a rounding error.
    pub fn weight(self) -> f64 {
        match self {
            CostClass::Scalar => 1.0,
            CostClass::Nodes | CostClass::Unknown => 10.0,
            CostClass::Edges => 100.0,
            CostClass::Nested => 0.0,
        }
    }

    /// Short label for reports.
    pub fn label(self) -> &'static str {
        match self {
            CostClass::Scalar => "scalar",
            CostClass::Nodes => "nodes",
            CostClass::Edges => "edges",
            CostClass::Nested => "nested",
            CostClass::Unknown => "unknown",
        }
    }
}

/// irtop's facts about one op name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpInfo {
    /// How its work grows.
    pub cost: CostClass,
    /// Writes outside the IR (attributes, files, the terminal): keeps program order.
    pub side_effect: bool,
    /// Each node's result depends only on that node's operands, so the op splits over nodes.
    pub data_parallel: bool,
    /// irtop recognises the name.
    pub known: bool,
}

const fn info(cost: CostClass, data_parallel: bool) -> OpInfo {
    OpInfo { cost, side_effect: false, data_parallel, known: true }
}

/// Ops that write outside the IR and so keep their program order.
pub const SIDE_EFFECT_OPS: &[&str] = &["attach", "attach_as", "save", "store", "print", "debug"];

/// irtop's classification of an op name (`mul`, `neighbor_agg` ...).
pub fn op_info(op: &str) -> OpInfo {
    use CostClass::*;
    if SIDE_EFFECT_OPS.contains(&op) {
        return OpInfo { cost: Nodes, side_effect: true, data_parallel: false, known: true };
    }
    if op.starts_with("block_") {
        return info(Nested, false);
    }
    match op {
        "constant" | "init_scalar" | "graph_node_count" | "graph_edge_count" => info(Scalar, false),
        "init_nodes" | "init_nodes_unique" | "init_nodes_with_index" => info(Nodes, true),
        "add" | "sub" | "mul" | "div" | "pow" | "neg" | "abs" | "sqrt" | "exp" | "log" | "min" | "max" | "clip"
        | "recip" | "compare" | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "where" | "select" | "map" | "transform"
        | "element_wise" | "and" | "or" | "xor" | "not" | "broadcast_scalar" | "fused_axpy" | "fused_madd"
        | "alias" | "load_attr" | "load" => info(Nodes, true),
        "reduce_scalar" | "reduce" | "sum" | "mean" | "normalize_sum" | "normalize" => info(Nodes, false),
        // Copies values into an existing map; with `ordered` it is one sequential sweep.
        "update_in_place" => info(Nodes, false),
        "degree" | "neighbor_agg" | "fused_neighbor_mul_agg" | "map_nodes" | "collect_neighbor_values" => {
            info(Edges, false)
        }
        "mode_list" => info(Edges, false),
        "iter_loop" | "loop" => info(Nested, false),
        _ => OpInfo { cost: Unknown, side_effect: false, data_parallel: false, known: false },
    }
}

/// True when the op's semantics are one ordered sweep in which later nodes see values
/// written earlier in the same sweep: an asynchronous `map_nodes`, an ordered
/// `update_in_place` onto its own source. Such an op must run on one thread, and
/// overwrites a variable it also reads.
pub fn is_sequential_sweep(node: &Node) -> bool {
    let flag = |key: &str| node.metadata.get(key).and_then(Value::as_bool).unwrap_or(false);
    match node.op.as_str() {
        "map_nodes" => flag("async_update"),
        "update_in_place" => node.output.is_some() && node.inputs.first() == node.output.as_ref(),
        _ => false,
    }
}

/// True when two copies of the op may run at the same time as other ops without a race:
/// no side effect, and no in-place overwrite of a value it reads (groggy says yes to
/// `map_nodes` and `update_in_place`; an asynchronous sweep is not).
pub fn is_thread_safe(node: &Node) -> bool {
    let info = op_info(&node.op);
    let in_place = node.op == "update_in_place" || is_sequential_sweep(node);
    !info.side_effect && !in_place
}

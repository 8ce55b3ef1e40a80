//! The ops of the IR, typed once when a file is loaded: [`Op`], the table between op names
//! and ops ([`Op::parse`], [`Op::name`]), and irtop's facts about each op ([`Op::info`]).
//!
//! Every layer matches [`Op`] (or the kernel compiled from it) without a catch-all, so a new
//! op is a compile error wherever it needs a decision. CONTRIBUTING.md says how to add one.
//!
//! This is irtop's own classification. groggy's op sets, reproduced exactly, are in
//! `analysis::groggy`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::model::{Domain, Node};

/// Element-wise binary arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// a + b
    Add,
    /// a - b
    Sub,
    /// a * b
    Mul,
    /// a / b (fails on a divisor with abs <= EPS)
    Div,
    /// a ^ b
    Pow,
    /// min(a, b)
    Min,
    /// max(a, b)
    Max,
}

/// Element-wise unary functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// -x
    Neg,
    /// |x|
    Abs,
    /// sqrt(x)
    Sqrt,
    /// e^x
    Exp,
    /// ln(x)
    Log,
}

/// `compare`'s operators, and the ops named after them (`eq`, `lt` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// |l - r| < EPS
    Eq,
    /// |l - r| >= EPS
    Ne,
    /// l < r
    Lt,
    /// l <= r
    Le,
    /// l > r
    Gt,
    /// l >= r
    Ge,
}

impl CmpOp {
    /// The operator `compare`'s `metadata.op` names (`lt`): the name of its own op.
    pub fn parse(name: &str) -> Option<CmpOp> {
        match Op::parse(name) {
            Op::Cmp(op) => Some(op),
            _ => None,
        }
    }
}

/// One op of the IR, as groggy's `op_type` names it. Parameters that the name carries are
/// typed here; those in `metadata` are read when the op is compiled
/// ([`crate::exec::kernel::Kernel::compile`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Op {
    /// `constant`: a scalar from `metadata.value`.
    Constant,
    /// `init_scalar`: the same.
    InitScalar,
    /// `graph_node_count`: N.
    GraphNodeCount,
    /// `graph_edge_count`: M.
    GraphEdgeCount,
    /// `init_nodes`: a map filled with `metadata.default`.
    InitNodes,
    /// `init_nodes_unique`: a map of node indices.
    InitNodesUnique,
    /// `init_nodes_with_index`: the same.
    InitNodesWithIndex,
    /// `add`, `sub`, `mul`, `div`, `pow`, `min`, `max`.
    Binary(BinOp),
    /// `neg`, `abs`, `sqrt`, `exp`, `log`.
    Unary(UnOp),
    /// `clip` to `metadata.min`..`metadata.max`.
    Clip,
    /// `recip` with `metadata.epsilon`.
    Recip,
    /// `compare` with the operator in `metadata.op`.
    Compare,
    /// `eq`, `ne`, `lt`, `le`, `gt`, `ge`: a comparison named by its operator.
    Cmp(CmpOp),
    /// `where`: mask ? if_true : if_false (the mask may be in `metadata.mask`).
    Where,
    /// `select`: the same.
    Select,
    /// `map` (element-wise; no kernel).
    Map,
    /// `transform` (element-wise; no kernel).
    Transform,
    /// `element_wise` (no kernel).
    ElementWise,
    /// `and` (no kernel).
    And,
    /// `or` (no kernel).
    Or,
    /// `xor` (no kernel).
    Xor,
    /// `not` (no kernel).
    Not,
    /// `broadcast_scalar`: a map of the reference's size filled with the scalar.
    BroadcastScalar,
    /// `fused_axpy`: a x + b y (operands may be in `metadata.fused_inputs`).
    FusedAxpy,
    /// `fused_madd`: a b + c (the same).
    FusedMadd,
    /// `alias`: a copy of the source.
    Alias,
    /// `load_attr`: a node attribute.
    LoadAttr,
    /// `load`: the same.
    Load,
    /// `reduce_scalar`: a scalar over all nodes.
    ReduceScalar,
    /// `reduce`: the same.
    Reduce,
    /// `sum` (a reduction; no kernel).
    Sum,
    /// `mean` (a reduction; no kernel).
    Mean,
    /// `normalize_sum`: x / sum(x).
    NormalizeSum,
    /// `normalize` by `metadata.method`.
    Normalize,
    /// `update_in_place`: copies values into an existing map; with `ordered`, one sweep.
    UpdateInPlace,
    /// `degree`: out-degree.
    Degree,
    /// `neighbor_agg`: aggregate over in-neighbours.
    NeighborAgg,
    /// `fused_neighbor_mul_agg`: sum over in-neighbours of values * scalars.
    FusedNeighborMulAgg,
    /// `map_nodes`: `AGG(NAME[neighbors(node)])` (its variables may be in `metadata.map_inputs`).
    MapNodes,
    /// `collect_neighbor_values`: lists of out-neighbour values.
    CollectNeighborValues,
    /// `mode_list`: the most frequent value of each list.
    ModeList,
    /// `iter_loop`: a loop.
    IterLoop,
    /// `loop`: the same.
    Loop,
    /// `attach`: names an output of the run.
    Attach,
    /// `attach_as`: the same.
    AttachAs,
    /// `save`: the same.
    Save,
    /// `store`: the same.
    Store,
    /// `print` (a side effect; no kernel).
    Print,
    /// `debug` (a side effect; no kernel).
    Debug,
    /// `block_<mode>`: an execution block; the whole name, as written.
    Block(Box<str>),
    /// A name irtop does not know, kept as written so the op is still analysed.
    Unknown(Box<str>),
}

/// The table between op names and [`Op`]s: [`Op::name`] matches on every op (so a new op
/// without a name does not compile) and [`Op::parse`] on every name.
macro_rules! op_table {
    ($($name:literal => $($op:tt)::+ $(($($arg:tt)::+))?,)*) => {
        impl Op {
            /// The op named `name`: a known name, `block_<mode>`, or [`Op::Unknown`].
            pub fn parse(name: &str) -> Op {
                match name {
                    $($name => $($op)::+ $(($($arg)::+))?,)*
                    _ if name.starts_with("block_") => Op::Block(name.into()),
                    _ => Op::Unknown(name.into()),
                }
            }

            /// The name as groggy writes it (`mul`, `neighbor_agg`, `block_message_pass`).
            pub fn name(&self) -> &str {
                match self {
                    $($($op)::+ $(($($arg)::+))? => $name,)*
                    Op::Block(name) | Op::Unknown(name) => name,
                }
            }
        }

        #[cfg(test)]
        /// Every name in the table.
        pub(crate) const NAMES: &[&str] = &[$($name),*];
    };
}

op_table! {
    "constant" => Op::Constant,
    "init_scalar" => Op::InitScalar,
    "graph_node_count" => Op::GraphNodeCount,
    "graph_edge_count" => Op::GraphEdgeCount,
    "init_nodes" => Op::InitNodes,
    "init_nodes_unique" => Op::InitNodesUnique,
    "init_nodes_with_index" => Op::InitNodesWithIndex,
    "add" => Op::Binary(BinOp::Add),
    "sub" => Op::Binary(BinOp::Sub),
    "mul" => Op::Binary(BinOp::Mul),
    "div" => Op::Binary(BinOp::Div),
    "pow" => Op::Binary(BinOp::Pow),
    "min" => Op::Binary(BinOp::Min),
    "max" => Op::Binary(BinOp::Max),
    "neg" => Op::Unary(UnOp::Neg),
    "abs" => Op::Unary(UnOp::Abs),
    "sqrt" => Op::Unary(UnOp::Sqrt),
    "exp" => Op::Unary(UnOp::Exp),
    "log" => Op::Unary(UnOp::Log),
    "clip" => Op::Clip,
    "recip" => Op::Recip,
    "compare" => Op::Compare,
    "eq" => Op::Cmp(CmpOp::Eq),
    "ne" => Op::Cmp(CmpOp::Ne),
    "lt" => Op::Cmp(CmpOp::Lt),
    "le" => Op::Cmp(CmpOp::Le),
    "gt" => Op::Cmp(CmpOp::Gt),
    "ge" => Op::Cmp(CmpOp::Ge),
    "where" => Op::Where,
    "select" => Op::Select,
    "map" => Op::Map,
    "transform" => Op::Transform,
    "element_wise" => Op::ElementWise,
    "and" => Op::And,
    "or" => Op::Or,
    "xor" => Op::Xor,
    "not" => Op::Not,
    "broadcast_scalar" => Op::BroadcastScalar,
    "fused_axpy" => Op::FusedAxpy,
    "fused_madd" => Op::FusedMadd,
    "alias" => Op::Alias,
    "load_attr" => Op::LoadAttr,
    "load" => Op::Load,
    "reduce_scalar" => Op::ReduceScalar,
    "reduce" => Op::Reduce,
    "sum" => Op::Sum,
    "mean" => Op::Mean,
    "normalize_sum" => Op::NormalizeSum,
    "normalize" => Op::Normalize,
    "update_in_place" => Op::UpdateInPlace,
    "degree" => Op::Degree,
    "neighbor_agg" => Op::NeighborAgg,
    "fused_neighbor_mul_agg" => Op::FusedNeighborMulAgg,
    "map_nodes" => Op::MapNodes,
    "collect_neighbor_values" => Op::CollectNeighborValues,
    "mode_list" => Op::ModeList,
    "iter_loop" => Op::IterLoop,
    "loop" => Op::Loop,
    "attach" => Op::Attach,
    "attach_as" => Op::AttachAs,
    "save" => Op::Save,
    "store" => Op::Store,
    "print" => Op::Print,
    "debug" => Op::Debug,
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An op is written as its name, as in the IR file.
impl Serialize for Op {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

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

    /// Element operations of one op of this class on a graph of `nodes` nodes and `edges`
    /// edges, for the work limit: a scalar op is 1, a pass over the nodes `nodes`, a pass
    /// over the edges `nodes + edges`. A loop's work is its body's, counted by the caller.
    pub(crate) fn elements(self, nodes: f64, edges: f64) -> f64 {
        match self {
            CostClass::Scalar => 1.0,
            CostClass::Edges => nodes + edges,
            CostClass::Nodes | CostClass::Unknown | CostClass::Nested => nodes.max(1.0),
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

/// irtop's facts about one op.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpInfo {
    /// How its work grows.
    pub cost: CostClass,
    /// Writes outside the IR (attributes, files, the terminal): keeps program order.
    pub side_effect: bool,
    /// irtop recognises the name.
    pub known: bool,
}

const fn info(cost: CostClass) -> OpInfo {
    OpInfo { cost, side_effect: false, known: true }
}

impl Op {
    /// irtop's classification of the op.
    pub(crate) fn info(&self) -> OpInfo {
        use CostClass::*;
        match self {
            Op::Attach | Op::AttachAs | Op::Save | Op::Store | Op::Print | Op::Debug => {
                OpInfo { cost: Nodes, side_effect: true, known: true }
            }
            Op::Constant | Op::InitScalar | Op::GraphNodeCount | Op::GraphEdgeCount => info(Scalar),
            Op::InitNodes | Op::InitNodesUnique | Op::InitNodesWithIndex => info(Nodes),
            Op::Binary(_)
            | Op::Unary(_)
            | Op::Clip
            | Op::Recip
            | Op::Compare
            | Op::Cmp(_)
            | Op::Where
            | Op::Select
            | Op::Map
            | Op::Transform
            | Op::ElementWise
            | Op::And
            | Op::Or
            | Op::Xor
            | Op::Not
            | Op::BroadcastScalar
            | Op::FusedAxpy
            | Op::FusedMadd
            | Op::Alias
            | Op::LoadAttr
            | Op::Load => info(Nodes),
            Op::ReduceScalar | Op::Reduce | Op::Sum | Op::Mean | Op::NormalizeSum | Op::Normalize => info(Nodes),
            // Copies values into an existing map; with `ordered` it is one sequential sweep.
            Op::UpdateInPlace => info(Nodes),
            Op::Degree
            | Op::NeighborAgg
            | Op::FusedNeighborMulAgg
            | Op::MapNodes
            | Op::CollectNeighborValues
            | Op::ModeList => info(Edges),
            Op::IterLoop | Op::Loop | Op::Block(_) => info(Nested),
            Op::Unknown(_) => OpInfo { cost: Unknown, side_effect: false, known: false },
        }
    }

    /// The domain of a node that names none (the seed's minimal form).
    pub(crate) fn default_domain(&self) -> Domain {
        match self {
            Op::IterLoop | Op::Loop => Domain::Control,
            Op::Degree | Op::NeighborAgg | Op::GraphNodeCount | Op::GraphEdgeCount | Op::FusedNeighborMulAgg => {
                Domain::Graph
            }
            Op::Attach | Op::AttachAs | Op::Save | Op::Store | Op::LoadAttr | Op::Load => Domain::Attr,
            Op::Block(_) => Domain::Execution,
            Op::Constant
            | Op::InitScalar
            | Op::InitNodes
            | Op::InitNodesUnique
            | Op::InitNodesWithIndex
            | Op::Binary(_)
            | Op::Unary(_)
            | Op::Clip
            | Op::Recip
            | Op::Compare
            | Op::Cmp(_)
            | Op::Where
            | Op::Select
            | Op::Map
            | Op::Transform
            | Op::ElementWise
            | Op::And
            | Op::Or
            | Op::Xor
            | Op::Not
            | Op::BroadcastScalar
            | Op::FusedAxpy
            | Op::FusedMadd
            | Op::Alias
            | Op::ReduceScalar
            | Op::Reduce
            | Op::Sum
            | Op::Mean
            | Op::NormalizeSum
            | Op::Normalize
            | Op::UpdateInPlace
            | Op::MapNodes
            | Op::CollectNeighborValues
            | Op::ModeList
            | Op::Print
            | Op::Debug
            | Op::Unknown(_) => Domain::Core,
        }
    }

    /// The operand keys of groggy's loop-body step format (`{"type": "core.where", "mask",
    /// "if_true", "if_false"}`), in the order they become the node's `inputs`.
    pub(crate) fn step_operand_keys(&self) -> &'static [&'static str] {
        match self {
            Op::Where => &["mask", "if_true", "if_false"],
            Op::FusedAxpy => &["a", "x", "b", "y"],
            Op::FusedMadd => &["a", "b", "c"],
            Op::FusedNeighborMulAgg => &["values", "scalars"],
            Op::BroadcastScalar => &["scalar", "reference"],
            Op::Compare => &["a", "b"],
            Op::Constant
            | Op::InitScalar
            | Op::GraphNodeCount
            | Op::GraphEdgeCount
            | Op::InitNodes
            | Op::InitNodesUnique
            | Op::InitNodesWithIndex
            | Op::Binary(_)
            | Op::Unary(_)
            | Op::Clip
            | Op::Recip
            | Op::Cmp(_)
            | Op::Select
            | Op::Map
            | Op::Transform
            | Op::ElementWise
            | Op::And
            | Op::Or
            | Op::Xor
            | Op::Not
            | Op::Alias
            | Op::LoadAttr
            | Op::Load
            | Op::ReduceScalar
            | Op::Reduce
            | Op::Sum
            | Op::Mean
            | Op::NormalizeSum
            | Op::Normalize
            | Op::UpdateInPlace
            | Op::Degree
            | Op::NeighborAgg
            | Op::MapNodes
            | Op::CollectNeighborValues
            | Op::ModeList
            | Op::IterLoop
            | Op::Loop
            | Op::Attach
            | Op::AttachAs
            | Op::Save
            | Op::Store
            | Op::Print
            | Op::Debug
            | Op::Block(_)
            | Op::Unknown(_) => &["a", "b", "source", "input", "values", "x"],
        }
    }

    /// The mode of an execution block (`message_pass` for `block_message_pass`).
    pub(crate) fn block_mode(&self) -> Option<&str> {
        match self {
            Op::Block(name) => name.strip_prefix("block_"),
            _ => None,
        }
    }

    /// True for ops whose node carries a body: loops and execution blocks.
    pub(crate) fn is_nested(&self) -> bool {
        self.info().cost == CostClass::Nested
    }
}

/// A variable an op reads that its metadata names rather than its `inputs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HiddenRead<'m> {
    /// The variable's name.
    pub(crate) name: &'m str,
    /// The key that names it: `metadata.mask`, `metadata.fused_inputs` or `metadata.map_inputs`.
    pub(crate) source: &'static str,
}

/// One operand of an op, in its kernel's argument order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operand<'m> {
    /// The node's `inputs[i]`.
    Input(usize),
    /// A variable its metadata names.
    Named(&'m str),
}

/// What an op reads through its metadata, resolved in one place so that the analysis (which
/// orders a node after every variable it reads) and the compiled kernel (which reads its
/// operands) cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HiddenReads<'m> {
    /// Every variable the metadata names for the op to read, in the order found; it may
    /// repeat an input.
    pub(crate) reads: Vec<HiddenRead<'m>>,
    /// The kernel's operands when the metadata supplies some of them, else `None` (the
    /// node's inputs as written). Each [`Operand::Named`] is one of `reads`.
    pub(crate) operands: Option<Vec<Operand<'m>>>,
}

impl Op {
    /// The reads hidden in a node's metadata, as groggy's executor makes them: a rebuilt
    /// `where` (or `select`) takes its mask from `metadata.mask` when its inputs are only the
    /// two branches; a fused op reads `metadata.fused_inputs` instead of `inputs`;
    /// `map_nodes` reads the variables of `metadata.map_inputs`. `inputs` is how many
    /// inputs the node lists.
    pub(crate) fn hidden_reads<'m>(&self, inputs: usize, metadata: &'m Map<String, Value>) -> HiddenReads<'m> {
        let object = |key: &str| match metadata.get(key) {
            Some(Value::Object(map)) => Some(map),
            _ => None,
        };
        let names =
            |map: Option<&'m Map<String, Value>>| map.into_iter().flat_map(|m| m.values().filter_map(Value::as_str));
        let mask = match self {
            Op::Where | Op::Select => metadata.get("mask").and_then(Value::as_str),
            _ => None,
        };
        let fused_inputs = object("fused_inputs");
        let map_inputs = if *self == Op::MapNodes { object("map_inputs") } else { None };

        let mut reads: Vec<HiddenRead<'m>> = Vec::new();
        reads.extend(mask.map(|name| HiddenRead { name, source: "metadata.mask" }));
        reads.extend(names(fused_inputs).map(|name| HiddenRead { name, source: "metadata.fused_inputs" }));
        reads.extend(names(map_inputs).map(|name| HiddenRead { name, source: "metadata.map_inputs" }));

        let fused = |keys: &[&str]| -> Option<Vec<Operand<'m>>> {
            let f = fused_inputs?;
            keys.iter().map(|k| f.get(*k).and_then(Value::as_str).map(Operand::Named)).collect()
        };
        let operands = match self {
            Op::Where | Op::Select if inputs == 2 => {
                mask.map(|m| vec![Operand::Named(m), Operand::Input(0), Operand::Input(1)])
            }
            Op::FusedAxpy => fused(&["a", "x", "b", "y"]),
            Op::FusedMadd => fused(&["a", "b", "c"]),
            Op::MapNodes => names(map_inputs).next().map(|first| vec![Operand::Named(first)]),
            _ => None,
        };
        HiddenReads { reads, operands }
    }
}

/// True when the op's semantics are one ordered sweep in which later nodes see values
/// written earlier in the same sweep: an asynchronous `map_nodes`, an ordered
/// `update_in_place` onto its own source. Such an op must run on one thread, and
/// overwrites a variable it also reads.
pub fn is_sequential_sweep(node: &Node) -> bool {
    let flag = |key: &str| node.metadata.get(key).and_then(Value::as_bool).unwrap_or(false);
    match node.op {
        Op::MapNodes => flag("async_update"),
        Op::UpdateInPlace => node.output.is_some() && node.inputs.first() == node.output.as_ref(),
        _ => false,
    }
}

/// True when two copies of the op may run at the same time as other ops without a race:
/// no side effect, and no in-place overwrite of a value it reads (groggy says yes to
/// `map_nodes` and `update_in_place`; an asynchronous sweep is not).
pub fn is_thread_safe(node: &Node) -> bool {
    let info = node.op.info();
    let in_place = node.op == Op::UpdateInPlace || is_sequential_sweep(node);
    !info.side_effect && !in_place
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_to_an_op_with_that_name() {
        for &name in NAMES {
            let op = Op::parse(name);
            assert!(!matches!(op, Op::Unknown(_) | Op::Block(_)), "{name}");
            assert_eq!(op.name(), name);
        }
    }

    #[test]
    fn blocks_and_unknown_names_keep_their_name() {
        let block = Op::parse("block_message_pass");
        assert_eq!((block.name(), block.block_mode()), ("block_message_pass", Some("message_pass")));
        assert!(block.is_nested());
        let unknown = Op::parse("frobnicate");
        assert_eq!(unknown, Op::Unknown("frobnicate".into()));
        assert!(!unknown.info().known);
    }
}

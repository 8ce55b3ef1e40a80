//! Each op the executor can run, with its parameters read from metadata once, before
//! the run starts; and the dispatch from a kernel and its input values to its result.
//! The semantics are groggy 0.5.2's (tests/fixtures/groggy/SEMANTICS.md).

use serde_json::Value as Json;

use super::graph::Graph;
use super::kernels::{elementwise as ew, neighbor, reduce};
use super::value::{Scalar, Value};
use crate::ir::Node;

/// Whether a kernel may split its work over the rayon pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Par {
    /// One thread.
    Seq,
    /// Chunks of nodes on the current rayon pool.
    Data,
}

/// Element-wise binary arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// `compare`'s operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Reductions over nodes or neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agg {
    /// Sum.
    Sum,
    /// Mean.
    Mean,
    /// Minimum.
    Min,
    /// Maximum.
    Max,
    /// Most frequent value.
    Mode,
}

/// `normalize`'s methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Norm {
    /// x / sum
    Sum,
    /// x / max
    Max,
    /// (x - min) / (max - min)
    MinMax,
}

/// `mode_list`'s tie breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieBreak {
    /// The lowest of the tied values.
    Lowest,
    /// The highest.
    Highest,
    /// The first in the list.
    Keep,
}

/// A runnable op with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Kernel {
    /// A scalar from metadata (`constant`, `init_scalar`).
    Constant(Scalar),
    /// A map filled with one value.
    InitNodes(Scalar),
    /// A map of node indices.
    InitIndex,
    /// N.
    NodeCount,
    /// M.
    EdgeCount,
    /// Out-degree.
    Degree,
    /// Element-wise arithmetic.
    Binary(BinOp),
    /// Element-wise functions.
    Unary(UnOp),
    /// 1 / (sign(x) max(|x|, eps)).
    Recip(f64),
    /// Clamp to [lo, hi].
    Clip(f64, f64),
    /// 1.0 / 0.0 comparisons.
    Compare(CmpOp),
    /// mask ? if_true : if_false.
    Where,
    /// A scalar over all nodes.
    Reduce(Agg),
    /// A map of the reference's size filled with the scalar.
    Broadcast,
    /// x / sum(x), x / max(x) or min-max scaling.
    Normalize(Norm),
    /// A copy of the source (written to the target variable).
    Copy,
    /// Aggregate over in-neighbours, optionally weighted by edge weights.
    NeighborAgg(Agg, bool),
    /// A deterministic synthetic attribute.
    LoadAttr(String),
    /// Names an output of the run.
    Attach(String),
    /// a x + b y.
    FusedAxpy,
    /// a b + c.
    FusedMadd,
    /// Sum over in-neighbours of values * scalars.
    FusedNeighborMulAgg,
    /// `AGG(NAME[neighbors(node)])` over distinct out-neighbours; asynchronous when the
    /// flag is set (in place, in node order).
    MapNodes(Agg, bool),
    /// Lists of out-neighbour values, own value first when the flag is set.
    CollectNeighbors(bool),
    /// Most frequent value of each list.
    ModeList(TieBreak),
}

fn meta_f64(node: &Node, key: &str) -> Option<f64> {
    node.metadata.get(key).and_then(Json::as_f64)
}

fn meta_str<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.metadata.get(key).and_then(Json::as_str)
}

fn scalar_of(v: Option<&Json>, default: f64) -> Scalar {
    match v {
        Some(j) if j.is_i64() || j.is_u64() => Scalar { value: j.as_f64().unwrap_or(default), int: true },
        Some(Json::Bool(b)) => Scalar { value: f64::from(u8::from(*b)), int: true },
        Some(j) => Scalar { value: j.as_f64().unwrap_or(default), int: false },
        None => Scalar { value: default, int: false },
    }
}

fn agg(name: &str) -> Option<Agg> {
    Some(match name {
        "sum" => Agg::Sum,
        "mean" | "avg" => Agg::Mean,
        "min" => Agg::Min,
        "max" => Agg::Max,
        "mode" => Agg::Mode,
        _ => return None,
    })
}

impl Kernel {
    /// The kernel for `node`, or why irtop cannot run it.
    pub fn compile(node: &Node) -> Result<Kernel, String> {
        use Kernel as K;
        let op = node.op.as_str();
        Ok(match op {
            "constant" | "init_scalar" => K::Constant(scalar_of(node.metadata.get("value"), 0.0)),
            "init_nodes" => K::InitNodes(scalar_of(node.metadata.get("default"), 0.0)),
            "init_nodes_unique" | "init_nodes_with_index" => K::InitIndex,
            "graph_node_count" => K::NodeCount,
            "graph_edge_count" => K::EdgeCount,
            "degree" => K::Degree,
            "add" => K::Binary(BinOp::Add),
            "sub" => K::Binary(BinOp::Sub),
            "mul" => K::Binary(BinOp::Mul),
            "div" => K::Binary(BinOp::Div),
            "pow" => K::Binary(BinOp::Pow),
            "min" => K::Binary(BinOp::Min),
            "max" => K::Binary(BinOp::Max),
            "neg" => K::Unary(UnOp::Neg),
            "abs" => K::Unary(UnOp::Abs),
            "sqrt" => K::Unary(UnOp::Sqrt),
            "exp" => K::Unary(UnOp::Exp),
            "log" => K::Unary(UnOp::Log),
            "recip" => K::Recip(meta_f64(node, "epsilon").unwrap_or(1e-10)),
            "clip" => K::Clip(
                meta_f64(node, "min").unwrap_or(f64::NEG_INFINITY),
                meta_f64(node, "max").unwrap_or(f64::INFINITY),
            ),
            "compare" => K::Compare(match meta_str(node, "op").unwrap_or("eq") {
                "eq" => CmpOp::Eq,
                "ne" => CmpOp::Ne,
                "lt" => CmpOp::Lt,
                "le" => CmpOp::Le,
                "gt" => CmpOp::Gt,
                "ge" => CmpOp::Ge,
                other => return Err(format!("compare op `{other}` is not one of eq, ne, lt, le, gt, ge")),
            }),
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
                return Kernel::compile(&Node {
                    op: "compare".into(),
                    metadata: [("op".to_owned(), Json::from(op))].into_iter().collect(),
                    ..node.clone()
                });
            }
            "where" | "select" => K::Where,
            "reduce_scalar" | "reduce" => match agg(meta_str(node, "op").unwrap_or("sum")) {
                Some(Agg::Mode) | None => {
                    return Err(format!(
                        "reduce op `{}` is not sum, mean, min or max",
                        meta_str(node, "op").unwrap_or("")
                    ));
                }
                Some(a) => K::Reduce(a),
            },
            "broadcast_scalar" => K::Broadcast,
            "normalize_sum" => K::Normalize(Norm::Sum),
            "normalize" => K::Normalize(match meta_str(node, "method").unwrap_or("sum") {
                "sum" => Norm::Sum,
                "max" => Norm::Max,
                "minmax" => Norm::MinMax,
                other => return Err(format!("normalize method `{other}` is not sum, max or minmax")),
            }),
            "update_in_place" | "alias" => K::Copy,
            "neighbor_agg" => {
                let a = agg(meta_str(node, "agg").unwrap_or("sum"))
                    .ok_or_else(|| format!("neighbor_agg agg `{}` is unknown", meta_str(node, "agg").unwrap_or("")))?;
                let weighted = node.metadata.get("weights").is_some_and(|w| !w.is_null() && w != &Json::Bool(false));
                K::NeighborAgg(a, weighted)
            }
            "load_attr" | "load" => K::LoadAttr(meta_str(node, "name").unwrap_or("attr").to_owned()),
            "attach" | "attach_as" | "save" | "store" => K::Attach(meta_str(node, "name").unwrap_or("").to_owned()),
            "fused_axpy" => K::FusedAxpy,
            "fused_madd" => K::FusedMadd,
            "fused_neighbor_mul_agg" => K::FusedNeighborMulAgg,
            "map_nodes" => {
                let f = meta_str(node, "fn").unwrap_or("");
                let a = map_fn_agg(f).ok_or_else(|| {
                    format!("map_nodes fn `{f}` is not AGG(NAME[neighbors(node)]) with AGG sum, mean or mode")
                })?;
                let async_update = node.metadata.get("async_update").and_then(Json::as_bool).unwrap_or(false);
                K::MapNodes(a, async_update)
            }
            "collect_neighbor_values" => {
                K::CollectNeighbors(node.metadata.get("include_self").and_then(Json::as_bool).unwrap_or(true))
            }
            "mode_list" => K::ModeList(match meta_str(node, "tie_break").unwrap_or("lowest") {
                "lowest" => TieBreak::Lowest,
                "highest" => TieBreak::Highest,
                "keep" => TieBreak::Keep,
                other => return Err(format!("mode_list tie_break `{other}` is not lowest, highest or keep")),
            }),
            _ => return Err("no kernel for this op".into()),
        })
    }

    /// Runs the kernel on its input values. `Ok(None)` for ops without a result (attach).
    pub fn apply(&self, inputs: &[&Value], graph: &Graph, par: Par) -> Result<Option<Value>, String> {
        use Kernel as K;
        let n = graph.node_count();
        let arg = |i: usize| -> Result<&Value, String> {
            inputs.get(i).copied().ok_or_else(|| format!("expects at least {} inputs, got {}", i + 1, inputs.len()))
        };
        let v = match self {
            K::Constant(s) => Value::Scalar(*s),
            K::InitNodes(s) => ew::fill(n, *s, par),
            K::InitIndex => ew::index_map(n, par),
            K::NodeCount => Value::Scalar(Scalar { value: n as f64, int: true }),
            K::EdgeCount => Value::Scalar(Scalar { value: graph.edge_count() as f64, int: true }),
            K::Degree => neighbor::degree(graph, par),
            K::Binary(op) => ew::binary(*op, arg(0)?, arg(1)?, par)?,
            K::Unary(op) => ew::unary(*op, arg(0)?, par)?,
            K::Recip(eps) => ew::recip(arg(0)?, *eps, par)?,
            K::Clip(lo, hi) => ew::clip(arg(0)?, *lo, *hi, par)?,
            K::Compare(op) => ew::compare(*op, arg(0)?, arg(1)?, par)?,
            K::Where => ew::select(arg(0)?, arg(1)?, arg(2)?, par)?,
            K::Reduce(a) => reduce::reduce(*a, arg(0)?, par)?,
            K::Broadcast => ew::broadcast(arg(0)?, arg(1)?, par)?,
            K::Normalize(m) => reduce::normalize(*m, arg(0)?, par)?,
            K::Copy => arg(0)?.clone(),
            K::NeighborAgg(a, weighted) => neighbor::neighbor_agg(*a, *weighted, arg(0)?, graph, par)?,
            K::LoadAttr(name) => ew::synthetic_attr(name, n, par),
            K::Attach(_) => return Ok(None),
            K::FusedAxpy => ew::axpy(arg(0)?, arg(1)?, arg(2)?, arg(3)?, par)?,
            K::FusedMadd => ew::madd(arg(0)?, arg(1)?, arg(2)?, par)?,
            K::FusedNeighborMulAgg => neighbor::neighbor_mul_sum(arg(0)?, arg(1)?, graph, par)?,
            K::MapNodes(a, asynchronous) => neighbor::map_nodes(*a, *asynchronous, arg(0)?, graph, par)?,
            K::CollectNeighbors(include_self) => neighbor::collect(*include_self, arg(0)?, graph, par)?,
            K::ModeList(tie) => neighbor::mode_list(*tie, arg(0)?, par)?,
        };
        Ok(Some(v))
    }

    /// True when one run of the kernel must visit nodes in order on one thread
    /// (an asynchronous `map_nodes`).
    pub fn is_sequential(&self) -> bool {
        matches!(self, Kernel::MapNodes(_, true))
    }
}

/// `AGG(NAME[neighbors(node)])` -> AGG; `NAME[neighbors(node)]` alone is not a number
/// per node and is not supported as a map_nodes result.
fn map_fn_agg(f: &str) -> Option<Agg> {
    let f: String = f.chars().filter(|c| !c.is_whitespace()).collect();
    let (name, rest) = f.split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    if !inner.ends_with("[neighbors(node)]") {
        return None;
    }
    match agg(name)? {
        Agg::Min | Agg::Max => None,
        a => Some(a),
    }
}

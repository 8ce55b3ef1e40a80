//! Each op the executor can run, with its parameters read from metadata once, before
//! the run starts; and the dispatch from a kernel and its input values to its result.
//! The semantics are groggy 0.5.2's (tests/fixtures/groggy/SEMANTICS.md).

use serde_json::Value as Json;

use std::sync::Arc;

use super::graph::Graph;
use super::kernels::eval::{Instr, Loc, NodeOp, NodeProgram, Src};
use super::kernels::reduce::NormalizePass;
use super::kernels::work::{KernelError, NodePass, Work};
use super::kernels::{elementwise as ew, neighbor};
use super::value::{Scalar, Value};
use crate::ir::Node;
use crate::ir::op::Op;
pub use crate::ir::op::{BinOp, CmpOp, UnOp};

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
        Ok(match &node.op {
            Op::Constant | Op::InitScalar => K::Constant(scalar_of(node.metadata.get("value"), 0.0)),
            Op::InitNodes => K::InitNodes(scalar_of(node.metadata.get("default"), 0.0)),
            Op::InitNodesUnique | Op::InitNodesWithIndex => K::InitIndex,
            Op::GraphNodeCount => K::NodeCount,
            Op::GraphEdgeCount => K::EdgeCount,
            Op::Degree => K::Degree,
            Op::Binary(op) => K::Binary(*op),
            Op::Unary(op) => K::Unary(*op),
            Op::Recip => K::Recip(meta_f64(node, "epsilon").unwrap_or(1e-10)),
            Op::Clip => K::Clip(
                meta_f64(node, "min").unwrap_or(f64::NEG_INFINITY),
                meta_f64(node, "max").unwrap_or(f64::INFINITY),
            ),
            Op::Compare => {
                let name = meta_str(node, "op");
                match name.map_or(Some(CmpOp::Eq), CmpOp::parse) {
                    Some(op) => K::Compare(op),
                    None => {
                        let other = name.unwrap_or_default();
                        return Err(format!("compare op `{other}` is not one of eq, ne, lt, le, gt, ge"));
                    }
                }
            }
            Op::Cmp(op) => K::Compare(*op),
            Op::Where | Op::Select => K::Where,
            Op::ReduceScalar | Op::Reduce => match agg(meta_str(node, "op").unwrap_or("sum")) {
                Some(Agg::Mode) | None => {
                    return Err(format!(
                        "reduce op `{}` is not sum, mean, min or max",
                        meta_str(node, "op").unwrap_or("")
                    ));
                }
                Some(a) => K::Reduce(a),
            },
            Op::BroadcastScalar => K::Broadcast,
            Op::NormalizeSum => K::Normalize(Norm::Sum),
            Op::Normalize => K::Normalize(match meta_str(node, "method").unwrap_or("sum") {
                "sum" => Norm::Sum,
                "max" => Norm::Max,
                "minmax" => Norm::MinMax,
                other => return Err(format!("normalize method `{other}` is not sum, max or minmax")),
            }),
            Op::UpdateInPlace | Op::Alias => K::Copy,
            Op::NeighborAgg => {
                let a = agg(meta_str(node, "agg").unwrap_or("sum"))
                    .ok_or_else(|| format!("{} agg `{}` is unknown", node.op, meta_str(node, "agg").unwrap_or("")))?;
                let weighted = node.metadata.get("weights").is_some_and(|w| !w.is_null() && w != &Json::Bool(false));
                K::NeighborAgg(a, weighted)
            }
            Op::LoadAttr | Op::Load => K::LoadAttr(meta_str(node, "name").unwrap_or("attr").to_owned()),
            Op::Attach | Op::AttachAs | Op::Save | Op::Store => {
                K::Attach(meta_str(node, "name").unwrap_or("").to_owned())
            }
            Op::FusedAxpy => K::FusedAxpy,
            Op::FusedMadd => K::FusedMadd,
            Op::FusedNeighborMulAgg => K::FusedNeighborMulAgg,
            Op::MapNodes => {
                let f = meta_str(node, "fn").unwrap_or("");
                let a = map_fn_agg(f).ok_or_else(|| {
                    format!("{} fn `{f}` is not AGG(NAME[neighbors(node)]) with AGG sum, mean or mode", node.op)
                })?;
                let async_update = node.metadata.get("async_update").and_then(Json::as_bool).unwrap_or(false);
                K::MapNodes(a, async_update)
            }
            Op::CollectNeighborValues => {
                K::CollectNeighbors(node.metadata.get("include_self").and_then(Json::as_bool).unwrap_or(true))
            }
            Op::ModeList => K::ModeList(match meta_str(node, "tie_break").unwrap_or("lowest") {
                "lowest" => TieBreak::Lowest,
                "highest" => TieBreak::Highest,
                "keep" => TieBreak::Keep,
                other => return Err(format!("{} tie_break `{other}` is not lowest, highest or keep", node.op)),
            }),
            Op::Map
            | Op::Transform
            | Op::ElementWise
            | Op::And
            | Op::Or
            | Op::Xor
            | Op::Not
            | Op::Sum
            | Op::Mean
            | Op::Print
            | Op::Debug
            | Op::IterLoop
            | Op::Loop
            | Op::Block(_)
            | Op::Unknown(_) => return Err("no kernel for this op".into()),
        })
    }

    /// The per-node program of an element-wise, gather or reduction op (`None` for the
    /// others: scalar ops, copies, lists, normalisations and in-place sweeps).
    pub fn node_program(&self) -> Option<NodeProgram> {
        use Kernel as K;
        Some(match self {
            K::InitNodes(s) => NodeProgram {
                instrs: vec![Instr {
                    op: NodeOp::Fill,
                    args: vec![Src::Imm { value: s.value, int: s.int }],
                    dst: Loc::Out(0),
                    member: 0,
                }],
                ..NodeProgram::single(NodeOp::Fill, 0)
            },
            K::InitIndex => NodeProgram::single(NodeOp::Index, 0),
            K::Degree => NodeProgram::single(NodeOp::Degree, 0),
            K::LoadAttr(name) => NodeProgram::single(NodeOp::Attr(ew::attr_seed(name)), 0),
            K::Binary(op) => NodeProgram::single(NodeOp::Bin(*op), 2),
            K::Unary(op) => NodeProgram::single(NodeOp::Un(*op), 1),
            K::Recip(eps) => NodeProgram::single(NodeOp::Recip(*eps), 1),
            K::Clip(lo, hi) => NodeProgram::single(NodeOp::Clip(*lo, *hi), 1),
            K::Compare(op) => NodeProgram::single(NodeOp::Cmp(*op), 2),
            K::Where => NodeProgram::single(NodeOp::Select, 3),
            K::Broadcast => NodeProgram::single(NodeOp::Fill, 2),
            K::FusedAxpy => NodeProgram::single(NodeOp::Axpy, 4),
            K::FusedMadd => NodeProgram::single(NodeOp::Madd, 3),
            K::NeighborAgg(agg, weighted) => NodeProgram::single(NodeOp::Gather(*agg, *weighted), 1),
            K::FusedNeighborMulAgg => NodeProgram::single(NodeOp::GatherMul, 2),
            K::MapNodes(agg, false) => NodeProgram::single(NodeOp::MapNodes(*agg), 1),
            K::Reduce(agg) => NodeProgram::reduce(*agg),
            K::Constant(_)
            | K::NodeCount
            | K::EdgeCount
            | K::Normalize(_)
            | K::Copy
            | K::Attach(_)
            | K::MapNodes(_, true)
            | K::CollectNeighbors(_)
            | K::ModeList(_) => return None,
        })
    }

    /// Binds the kernel to its input values on `graph`: its result at once, or the passes
    /// over node chunks that compute it. Errors name what is wrong with an input.
    pub(crate) fn bind<'a>(&self, inputs: Vec<Arc<Value>>, graph: &'a Graph) -> Result<Work<'a>, KernelError> {
        use Kernel as K;
        let arg = |i: usize| -> Result<Arc<Value>, KernelError> {
            inputs
                .get(i)
                .cloned()
                .ok_or_else(|| format!("expects at least {} inputs, got {}", i + 1, inputs.len()).into())
        };
        let done = |v: Value| Ok(Work::Done(vec![Some(v)]));
        let chunks = |pass: Result<Box<dyn NodePass + 'a>, String>| pass.map(Work::Chunks).map_err(KernelError::from);
        match self {
            K::Constant(s) => done(Value::Scalar(*s)),
            K::NodeCount => done(Value::Scalar(Scalar { value: graph.node_count() as f64, int: true })),
            K::EdgeCount => done(Value::Scalar(Scalar { value: graph.edge_count() as f64, int: true })),
            K::Copy => done((*arg(0)?).clone()),
            K::Attach(_) => Ok(Work::Done(Vec::new())),
            K::Normalize(m) => chunks(NormalizePass::new(*m, arg(0)?).map(|p| Box::new(p) as _)),
            K::MapNodes(agg, true) => {
                chunks(neighbor::AsyncMapPass::new(*agg, arg(0)?, graph).map(|p| Box::new(p) as _))
            }
            K::CollectNeighbors(own) => {
                chunks(neighbor::CollectPass::new(*own, arg(0)?, graph).map(|p| Box::new(p) as _))
            }
            K::ModeList(tie) => chunks(neighbor::ModeListPass::new(*tie, arg(0)?).map(|p| Box::new(p) as _)),
            _ => {
                let program = Arc::new(self.node_program().expect("every other kernel has a node program"));
                let arity =
                    program.instrs.iter().flat_map(|i| &i.args).chain(program.reductions.iter().map(|r| &r.src));
                if let Some(k) =
                    arity.filter_map(|s| if let Src::In(k) = s { Some(usize::from(*k)) } else { None }).max()
                {
                    arg(k)?;
                }
                program.bind(inputs, graph)
            }
        }
    }

    /// Runs the kernel on one thread to the end: its first result (`None` for ops without
    /// one, such as attach). For tests, calibration and probes.
    pub fn apply(&self, inputs: &[Arc<Value>], graph: &Graph) -> Result<Option<Value>, String> {
        let work = self.bind(inputs.to_vec(), graph).map_err(|e| e.message)?;
        Ok(work.run_to_end().map_err(|e| e.message)?.into_iter().next().flatten())
    }

    /// The IR op the kernel computes (one of them, where several names share a kernel),
    /// whose class ([`crate::ir::op::Op::info`]) the work limit counts.
    pub fn op(&self) -> Op {
        use Kernel as K;
        match self {
            K::Constant(_) => Op::Constant,
            K::InitNodes(_) => Op::InitNodes,
            K::InitIndex => Op::InitNodesWithIndex,
            K::NodeCount => Op::GraphNodeCount,
            K::EdgeCount => Op::GraphEdgeCount,
            K::Degree => Op::Degree,
            K::Binary(op) => Op::Binary(*op),
            K::Unary(op) => Op::Unary(*op),
            K::Recip(_) => Op::Recip,
            K::Clip(..) => Op::Clip,
            K::Compare(op) => Op::Cmp(*op),
            K::Where => Op::Where,
            K::Reduce(_) => Op::Reduce,
            K::Broadcast => Op::BroadcastScalar,
            K::Normalize(_) => Op::Normalize,
            K::Copy => Op::Alias,
            K::NeighborAgg(..) => Op::NeighborAgg,
            K::LoadAttr(_) => Op::LoadAttr,
            K::Attach(_) => Op::Attach,
            K::FusedAxpy => Op::FusedAxpy,
            K::FusedMadd => Op::FusedMadd,
            K::FusedNeighborMulAgg => Op::FusedNeighborMulAgg,
            K::MapNodes(..) => Op::MapNodes,
            K::CollectNeighbors(_) => Op::CollectNeighborValues,
            K::ModeList(_) => Op::ModeList,
        }
    }

    /// True when one run of the kernel must visit nodes in order on one thread
    /// (an asynchronous `map_nodes`).
    pub(crate) fn is_sequential(&self) -> bool {
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

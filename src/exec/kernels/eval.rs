//! The per-node program: a straight line of element-wise, gather and reduction
//! instructions evaluated over blocks of [`BLOCK`] nodes, with intermediate values in small
//! registers that stay in the core's cache. A single op is a program of one instruction; a
//! fused chain ([`crate::exec::fuse`]) is a program of several, which reads each input map
//! once and writes only the values used outside it. Both run the same per-node functions
//! ([`super::elementwise`], [`super::neighbor`]) in the same order per node, so fusion
//! never changes a bit; reductions fold each [`CHUNK`](super::CHUNK) in node order, as an
//! unfused reduction does.
//!
//! # Complexity
//! O(V x instructions) element operations, plus the gathers' O(E); O(registers x BLOCK)
//! scratch per thread.

use std::cell::RefCell;
use std::sync::{Arc, Mutex};

use super::elementwise::{self as ew, Operand};
use super::neighbor;
use super::reduce::Partial;
use super::work::{ChunkedMap, FirstFailure, KernelError, NodePass, PerChunk, Work, chunk_count, chunk_range};
use crate::exec::graph::Graph;
use crate::exec::kernel::{Agg, BinOp, CmpOp, UnOp};
use crate::exec::value::{NodeMap, Scalar, Value};
use crate::ir::op::Op;

/// Nodes per block: registers of this many values stay in the first-level cache.
pub(crate) const BLOCK: usize = 512;

/// Where an instruction reads an operand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Src {
    /// A scratch register written by an earlier instruction.
    Reg(u16),
    /// An output map written by an earlier instruction.
    Out(u16),
    /// Input `k` of the step: a map (read per node) or a scalar (the same for every node).
    In(u16),
    /// Scalar input `k` as a map holding it everywhere (an inlined `broadcast_scalar`).
    Bcast(u16),
    /// A fill inlined from its producer (`init_nodes`): a map holding this value everywhere.
    Imm {
        /// The value.
        value: f64,
        /// groggy would hold it as an Int.
        int: bool,
    },
}

/// Where an instruction writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loc {
    /// A scratch register, alive for one block.
    Reg(u16),
    /// An output map of the step.
    Out(u16),
}

impl From<Loc> for Src {
    fn from(l: Loc) -> Src {
        match l {
            Loc::Reg(r) => Src::Reg(r),
            Loc::Out(k) => Src::Out(k),
        }
    }
}

/// What one instruction computes per node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeOp {
    /// `a op b`.
    Bin(BinOp),
    /// `f(x)`.
    Un(UnOp),
    /// groggy's reciprocal with its epsilon.
    Recip(f64),
    /// Clamp to `[lo, hi]`.
    Clip(f64, f64),
    /// 1.0 where the comparison holds.
    Cmp(CmpOp),
    /// `mask ? if_true : if_false`.
    Select,
    /// `a x + b y`.
    Axpy,
    /// `a b + c`.
    Madd,
    /// A map holding the scalar `args[0]` everywhere; `args[1]`, when present, is the
    /// reference whose size it takes (`broadcast_scalar`).
    Fill,
    /// The node's index.
    Index,
    /// The synthetic attribute of this seed.
    Attr(u64),
    /// Out-degree.
    Degree,
    /// `neighbor_agg` over in-neighbours of the input map `args[0]` (weighted or not).
    Gather(Agg, bool),
    /// Sum over in-neighbours u of `args[0][u] * args[1][u]`.
    GatherMul,
    /// Synchronous `map_nodes` over distinct out-neighbours of `args[0]`.
    MapNodes(Agg),
}

impl NodeOp {
    /// The IR op this instruction computes, to name it in messages.
    fn op(&self) -> Op {
        match self {
            NodeOp::Bin(op) => Op::Binary(*op),
            NodeOp::Un(op) => Op::Unary(*op),
            NodeOp::Recip(_) => Op::Recip,
            NodeOp::Clip(..) => Op::Clip,
            NodeOp::Cmp(_) => Op::Compare,
            NodeOp::Select => Op::Where,
            NodeOp::Axpy => Op::FusedAxpy,
            NodeOp::Madd => Op::FusedMadd,
            NodeOp::Fill => Op::BroadcastScalar,
            NodeOp::Index => Op::InitNodesWithIndex,
            NodeOp::Attr(_) => Op::LoadAttr,
            NodeOp::Degree => Op::Degree,
            NodeOp::Gather(..) => Op::NeighborAgg,
            NodeOp::GatherMul => Op::FusedNeighborMulAgg,
            NodeOp::MapNodes(_) => Op::MapNodes,
        }
    }

    /// The op's name in messages (the IR's op names).
    pub fn name(&self) -> String {
        self.op().to_string()
    }
}

/// One instruction.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Instr {
    /// What it computes.
    pub op: NodeOp,
    /// Its operands, in the op's order.
    pub args: Vec<Src>,
    /// Where the result goes.
    pub(crate) dst: Loc,
    /// Which member of a fused group it comes from (0 for a single op).
    pub member: u16,
}

/// A reduction of one per-node value to a scalar.
#[derive(Debug, Clone, PartialEq)]
pub struct Reduction {
    /// Sum, mean, min or max.
    pub agg: Agg,
    /// The value reduced.
    pub src: Src,
    /// Which member it comes from.
    pub member: u16,
}

/// One result of the program, in the order of the step's outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Output map `k`.
    Map(u16),
    /// The scalar of reduction `k`.
    Reduce(u16),
}

/// A per-node program.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeProgram {
    /// Instructions in order.
    pub(crate) instrs: Vec<Instr>,
    /// Reductions, taken after the instructions of each block.
    pub reductions: Vec<Reduction>,
    /// The step's results.
    pub outputs: Vec<Output>,
    /// Scratch registers.
    pub(crate) regs: u16,
    /// Output maps.
    pub outs: u16,
}

/// A bound input.
#[derive(Clone, Copy)]
enum Bound<'v> {
    Map(&'v [f64], bool),
    Scalar(f64, bool),
    Lists(usize),
}

impl NodeProgram {
    /// A program of one instruction reading inputs `0..arity` and writing output map 0.
    pub fn single(op: NodeOp, arity: usize) -> NodeProgram {
        let args = (0..arity as u16).map(Src::In).collect();
        NodeProgram {
            instrs: vec![Instr { op, args, dst: Loc::Out(0), member: 0 }],
            reductions: Vec::new(),
            outputs: vec![Output::Map(0)],
            regs: 0,
            outs: 1,
        }
    }

    /// A program reducing input 0 to a scalar.
    pub fn reduce(agg: Agg) -> NodeProgram {
        NodeProgram {
            instrs: Vec::new(),
            reductions: vec![Reduction { agg, src: Src::In(0), member: 0 }],
            outputs: vec![Output::Reduce(0)],
            regs: 0,
            outs: 0,
        }
    }

    /// Binds the program to its input values on `graph`: the values at once when every
    /// operand of a single element-wise op is a scalar, else a pass over node chunks. Errors
    /// are the ones an unfused op gives, with the failing member.
    pub(crate) fn bind<'a>(
        self: &Arc<Self>,
        inputs: Vec<Arc<Value>>,
        graph: &'a Graph,
    ) -> Result<Work<'a>, KernelError> {
        let bound: Vec<Bound> = inputs
            .iter()
            .map(|v| match &**v {
                Value::Map(m) => Bound::Map(&m.values, m.int),
                Value::Scalar(s) => Bound::Scalar(s.value, s.int),
                Value::Lists(l) => Bound::Lists(l.lists.len()),
            })
            .collect();
        if let Some(values) = self.scalar_only(&bound)? {
            return Ok(Work::Done(values));
        }
        let mut checker = Checker { bound: &bound, graph, n: None, loc_int: Vec::new(), prog: self };
        checker.check()?;
        let n = checker.n.unwrap_or(graph.node_count());
        let loc_int = checker.loc_int;
        let chunks = chunk_count(n);
        let mut pass = EvalPass {
            program: Arc::clone(self),
            graph,
            n,
            outs: (0..self.outs).map(|_| ChunkedMap::new(n)).collect(),
            out_int: (0..self.outs).map(|k| loc_int.get(&Loc::Out(k)).copied().unwrap_or(false)).collect(),
            partials: Mutex::new(self.reductions.iter().map(|_| PerChunk::new(chunks)).collect()),
            failure: FirstFailure::default(),
            inputs,
            reg_const: vec![None; usize::from(self.regs)],
            out_const: vec![None; usize::from(self.outs)],
        };
        pass.fold_constants()?;
        Ok(Work::Chunks(Box::new(pass)))
    }

    /// A single element-wise op whose operands are all scalars is a scalar op (`neg` of
    /// a number), or an error (`add` of two numbers needs a map); a reduction of a scalar
    /// is that scalar. `None` when the program runs over nodes.
    fn scalar_only(&self, bound: &[Bound]) -> Result<Option<Vec<Option<Value>>>, KernelError> {
        let all_scalar = |args: &[Src]| {
            args.iter().all(|a| matches!(a, Src::In(k) if matches!(bound[*k as usize], Bound::Scalar(..))))
        };
        if let ([], [r], [_]) = (&self.instrs[..], &self.reductions[..], &self.outputs[..])
            && let Src::In(k) = r.src
        {
            return match bound[k as usize] {
                Bound::Scalar(v, int) => Ok(Some(vec![Some(Value::Scalar(Scalar { value: v, int }))])),
                Bound::Lists(_) => Err("cannot reduce a map of lists".into()),
                Bound::Map(..) => Ok(None),
            };
        }
        let [ins] = &self.instrs[..] else { return Ok(None) };
        if self.outputs.len() != 1 || !all_scalar(&ins.args) {
            return Ok(None);
        }
        let x = |i: usize| match ins.args[i] {
            Src::In(k) => match bound[k as usize] {
                Bound::Scalar(v, int) => (v, int),
                _ => (0.0, false),
            },
            _ => (0.0, false),
        };
        let scalar = |value: f64, int: bool| Ok(Some(vec![Some(Value::Scalar(Scalar { value, int }))]));
        match &ins.op {
            NodeOp::Un(op) => {
                let (v, int) = x(0);
                scalar(ew::unary_fn(*op)(v), int && ew::unary_keeps_int(*op))
            }
            NodeOp::Recip(eps) => scalar(ew::recip_of(x(0).0, *eps), false),
            NodeOp::Clip(lo, hi) => scalar(ew::clip_of(x(0).0, *lo, *hi), false),
            NodeOp::Bin(_) | NodeOp::Axpy | NodeOp::Madd => {
                Err(format!("{} requires at least one map operand", ins.op.name()).into())
            }
            _ => Ok(None),
        }
    }
}

/// Checks operand kinds and sizes in instruction order, as the unfused ops would, and
/// works out which locations hold Ints.
struct Checker<'c, 'v> {
    bound: &'c [Bound<'v>],
    graph: &'c Graph,
    n: Option<usize>,
    loc_int: Vec<(Loc, bool)>,
    prog: &'c NodeProgram,
}

trait LocInt {
    fn get(&self, loc: &Loc) -> Option<&bool>;
}

impl LocInt for Vec<(Loc, bool)> {
    fn get(&self, loc: &Loc) -> Option<&bool> {
        self.iter().rev().find(|(l, _)| l == loc).map(|(_, b)| b)
    }
}

impl Checker<'_, '_> {
    fn fail(member: u16, message: String) -> KernelError {
        KernelError { member: Some(usize::from(member)), message }
    }

    /// The Int flag of an operand.
    fn int(&self, s: Src) -> bool {
        match s {
            Src::Reg(r) => self.loc_int.get(&Loc::Reg(r)).copied().unwrap_or(false),
            Src::Out(k) => self.loc_int.get(&Loc::Out(k)).copied().unwrap_or(false),
            Src::In(k) => match self.bound[k as usize] {
                Bound::Map(_, int) | Bound::Scalar(_, int) => int,
                Bound::Lists(_) => false,
            },
            Src::Bcast(k) => matches!(self.bound[k as usize], Bound::Scalar(_, true)),
            Src::Imm { int, .. } => int,
        }
    }

    /// The length of a map operand (`None` for a scalar); lists are refused with `role`.
    fn len_of(&self, s: Src, role: &str, member: u16) -> Result<Option<usize>, KernelError> {
        match s {
            Src::In(k) => match self.bound[k as usize] {
                Bound::Map(m, _) => Ok(Some(m.len())),
                Bound::Scalar(..) => Ok(None),
                Bound::Lists(_) => {
                    Err(Self::fail(member, format!("{role} is a map of lists; expected a number or a node map")))
                }
            },
            Src::Bcast(k) if !matches!(self.bound[k as usize], Bound::Scalar(..)) => {
                Err(Self::fail(member, format!("{role}: an inlined broadcast of a value that is not a scalar")))
            }
            // Registers, outputs and inlined fills span the program's nodes.
            _ => Ok(Some(self.n.unwrap_or(self.graph.node_count()))),
        }
    }

    /// The common node count of map operands, as the unfused op checks it.
    fn same_len(&mut self, lens: &[Option<usize>], what: &str, member: u16) -> Result<usize, KernelError> {
        let mut n = None;
        for l in lens.iter().flatten() {
            match n {
                None => n = Some(*l),
                Some(k) if k != *l => return Err(Self::fail(member, format!("{what}: maps of {k} and {l} nodes"))),
                _ => {}
            }
        }
        let n = n.ok_or_else(|| Self::fail(member, format!("{what} requires at least one map operand")))?;
        self.settle(n, what, member)
    }

    /// Fixes the program's node count (every map in one program has the same).
    fn settle(&mut self, n: usize, what: &str, member: u16) -> Result<usize, KernelError> {
        match self.n {
            Some(k) if k != n => Err(Self::fail(member, format!("{what}: maps of {k} and {n} nodes"))),
            _ => {
                self.n = Some(n);
                Ok(n)
            }
        }
    }

    fn must_be_map(&self, s: Src, what: &str, member: u16) -> Result<(), KernelError> {
        if let Src::In(k) = s {
            let kind = match self.bound[k as usize] {
                Bound::Map(..) => return Ok(()),
                Bound::Scalar(..) => "a scalar",
                Bound::Lists(_) => "a map of lists",
            };
            return Err(Self::fail(member, format!("{what}, got {kind}")));
        }
        Ok(())
    }

    fn check(&mut self) -> Result<(), KernelError> {
        let prog = self.prog;
        for ins in &prog.instrs {
            let m = ins.member;
            let a = &ins.args;
            let int = match &ins.op {
                NodeOp::Bin(op) => {
                    let name = ins.op.name();
                    let l = [self.len_of(a[0], "left operand", m)?, self.len_of(a[1], "right operand", m)?];
                    self.same_len(&l, &name, m)?;
                    self.int(a[0]) && self.int(a[1]) && ew::binary_keeps_int(*op)
                }
                NodeOp::Un(op) => {
                    let l = self
                        .len_of(a[0], "the operand", m)
                        .map_err(|_| Self::fail(m, "expected a number or a node map, got a map of lists".to_owned()))?;
                    self.same_len(&[l], &ins.op.name(), m)?;
                    self.int(a[0]) && ew::unary_keeps_int(*op)
                }
                NodeOp::Recip(_) | NodeOp::Clip(..) => {
                    let l = self
                        .len_of(a[0], "the operand", m)
                        .map_err(|_| Self::fail(m, "expected a number or a node map, got a map of lists".to_owned()))?;
                    self.same_len(&[l], &ins.op.name(), m)?;
                    false
                }
                NodeOp::Cmp(_) => {
                    self.must_be_map(a[0], "compare's left operand must be a node map", m)?;
                    let l = [
                        self.len_of(a[0], "compare's left operand", m)?,
                        self.len_of(a[1], "compare's right operand", m)?,
                    ];
                    self.same_len(&l, Op::Compare.name(), m)?;
                    false
                }
                NodeOp::Select => {
                    self.must_be_map(a[0], "where's mask must be a node map", m)?;
                    let l = [
                        self.len_of(a[0], "where's mask", m)?,
                        self.len_of(a[1], "if_true", m)?,
                        self.len_of(a[2], "if_false", m)?,
                    ];
                    self.same_len(&l, Op::Where.name(), m)?;
                    self.int(a[1]) && self.int(a[2])
                }
                NodeOp::Axpy | NodeOp::Madd => {
                    let roles = if ins.op == NodeOp::Axpy { ["a", "x", "b", "y"] } else { ["a", "b", "c", ""] };
                    let l: Vec<Option<usize>> =
                        a.iter().zip(roles).map(|(s, r)| self.len_of(*s, r, m)).collect::<Result<_, _>>()?;
                    self.same_len(&l, &ins.op.name(), m)?;
                    false
                }
                NodeOp::Fill => {
                    if let Src::In(k) = a[0]
                        && !matches!(self.bound[k as usize], Bound::Scalar(..))
                    {
                        let kind = if matches!(self.bound[k as usize], Bound::Map(..)) {
                            "a node map"
                        } else {
                            "a map of lists"
                        };
                        return Err(Self::fail(
                            m,
                            format!("broadcast_scalar's first input must be a scalar, got {kind}"),
                        ));
                    }
                    if let Some(&r) = a.get(1) {
                        let n = match r {
                            Src::In(k) => match self.bound[k as usize] {
                                Bound::Map(v, _) => v.len(),
                                Bound::Lists(len) => len,
                                Bound::Scalar(..) => {
                                    return Err(Self::fail(
                                        m,
                                        "broadcast_scalar's reference must be a node map".into(),
                                    ));
                                }
                            },
                            _ => self.n.unwrap_or(self.graph.node_count()),
                        };
                        self.settle(n, Op::BroadcastScalar.name(), m)?;
                    } else {
                        self.settle(self.graph.node_count(), Op::InitNodes.name(), m)?;
                    }
                    self.int(a[0])
                }
                NodeOp::Index | NodeOp::Attr(_) | NodeOp::Degree => {
                    self.settle(self.graph.node_count(), &ins.op.name(), m)?;
                    !matches!(ins.op, NodeOp::Attr(_))
                }
                NodeOp::Gather(agg, _) | NodeOp::MapNodes(agg) => {
                    let what = ins.op.name();
                    self.must_be_map(a[0], &format!("{what} needs a node map"), m)?;
                    let len = self.len_of(a[0], &what, m)?.unwrap_or(0);
                    neighbor::check_len(len, self.graph).map_err(|e| Self::fail(m, e))?;
                    self.settle(len, &what, m)?;
                    match ins.op {
                        NodeOp::MapNodes(_) => self.int(a[0]) && neighbor::map_keeps_int(*agg),
                        _ => self.int(a[0]) && neighbor::in_agg_keeps_int(*agg),
                    }
                }
                NodeOp::GatherMul => {
                    self.must_be_map(a[0], "fused_neighbor_mul_agg needs a node map", m)?;
                    let len = self.len_of(a[0], Op::FusedNeighborMulAgg.name(), m)?.unwrap_or(0);
                    neighbor::check_len(len, self.graph).map_err(|e| Self::fail(m, e))?;
                    if let Src::In(k) = a[1]
                        && let Bound::Lists(_) = self.bound[k as usize]
                    {
                        return Err(Self::fail(m, "fused_neighbor_mul_agg's scalars must be numbers".into()));
                    }
                    self.settle(len, Op::FusedNeighborMulAgg.name(), m)?;
                    false
                }
            };
            self.loc_int.push((ins.dst, int));
        }
        for r in &prog.reductions {
            if let Src::In(k) = r.src {
                match self.bound[k as usize] {
                    Bound::Lists(_) => return Err(Self::fail(r.member, "cannot reduce a map of lists".into())),
                    Bound::Map(v, _) => {
                        self.settle(v.len(), Op::ReduceScalar.name(), r.member)?;
                    }
                    Bound::Scalar(..) => {}
                }
            }
            if r.agg == Agg::Mode {
                return Err(Self::fail(r.member, "reduce_scalar has no mode".into()));
            }
        }
        Ok(())
    }
}

/// A bound program running over node chunks.
struct EvalPass<'a> {
    program: Arc<NodeProgram>,
    inputs: Vec<Arc<Value>>,
    graph: &'a Graph,
    n: usize,
    outs: Vec<ChunkedMap>,
    out_int: Vec<bool>,
    partials: Mutex<Vec<PerChunk<Partial>>>,
    failure: FirstFailure,
    /// Registers and outputs that hold one value at every node (every operand of the
    /// instruction writing them is such a value), computed once at bind time.
    reg_const: Vec<Option<f64>>,
    out_const: Vec<Option<f64>>,
}

thread_local! {
    /// Each thread's scratch registers.
    static SCRATCH: RefCell<Vec<Vec<f64>>> = const { RefCell::new(Vec::new()) };
}

impl EvalPass<'_> {
    /// The value of `s` when it is the same at every node.
    fn constant(&self, s: Src) -> Option<f64> {
        match s {
            Src::Reg(r) => self.reg_const[r as usize],
            Src::Out(k) => self.out_const[k as usize],
            Src::In(k) | Src::Bcast(k) => match self.input(k) {
                Operand::Const(c) => Some(c),
                Operand::Slice(_) => None,
            },
            Src::Imm { value, .. } => Some(value),
        }
    }

    /// Computes once, by the same per-node function, every instruction whose operands are
    /// the same at every node; a zero divisor fails as the unfused op would, at node 0.
    fn fold_constants(&mut self) -> Result<(), KernelError> {
        let program = Arc::clone(&self.program);
        for ins in &program.instrs {
            let foldable = !matches!(
                ins.op,
                NodeOp::Index
                    | NodeOp::Attr(_)
                    | NodeOp::Degree
                    | NodeOp::Gather(..)
                    | NodeOp::GatherMul
                    | NodeOp::MapNodes(_)
            );
            let Some(args) = ins.args.iter().map(|a| self.constant(*a)).collect::<Option<Vec<f64>>>() else { continue };
            if !foldable {
                continue;
            }
            let mut one = [0.0];
            let opnd = |s: Src| Operand::Const(args[ins.args.iter().position(|a| *a == s).unwrap_or(0)]);
            if let Err((_, message)) = self.exec(ins, &mut one, 0, &opnd) {
                if self.n > 0 {
                    return Err(KernelError { member: Some(usize::from(ins.member)), message });
                }
                continue;
            }
            match ins.dst {
                Loc::Reg(r) => self.reg_const[r as usize] = Some(one[0]),
                Loc::Out(k) => self.out_const[k as usize] = Some(one[0]),
            }
        }
        Ok(())
    }

    /// The whole input map or scalar `k`.
    fn input(&self, k: u16) -> Operand<'_> {
        match &*self.inputs[k as usize] {
            Value::Map(m) => Operand::Slice(&m.values),
            Value::Scalar(s) => Operand::Const(s.value),
            Value::Lists(_) => Operand::Const(f64::NAN),
        }
    }

    /// Evaluates one block of `len` nodes starting at node `first`; `outs` are the
    /// chunk's output slices and `off` the block's offset in them. A failing instruction
    /// is recorded (the earliest per member and node wins) and ends the block.
    fn block(
        &self,
        first: usize,
        off: usize,
        len: usize,
        regs: &mut [Vec<f64>],
        outs: &mut [&mut [f64]],
        partial: &mut [Partial],
    ) {
        for ins in &self.program.instrs {
            match ins.dst {
                Loc::Reg(r) if self.reg_const[r as usize].is_some() => continue,
                Loc::Out(k) => {
                    if let Some(c) = self.out_const[k as usize] {
                        outs[k as usize][off..off + len].fill(c);
                        continue;
                    }
                }
                Loc::Reg(_) => {}
            }
            let mut reg = Vec::new();
            let mut out: &mut [f64] = &mut [];
            match ins.dst {
                Loc::Reg(r) => reg = std::mem::take(&mut regs[r as usize]),
                Loc::Out(k) => out = std::mem::take(&mut outs[k as usize]),
            }
            let target = match ins.dst {
                Loc::Reg(_) => &mut reg[..len],
                Loc::Out(_) => &mut out[off..off + len],
            };
            let opnd = |s: Src| -> Operand<'_> {
                if let Some(c) = self.constant(s) {
                    return Operand::Const(c);
                }
                match s {
                    Src::Reg(r) => Operand::Slice(&regs[r as usize][..len]),
                    Src::Out(k) => Operand::Slice(&outs[k as usize][off..off + len]),
                    Src::In(k) => match self.input(k) {
                        Operand::Slice(m) => Operand::Slice(&m[first..first + len]),
                        c => c,
                    },
                    Src::Bcast(k) => self.input(k),
                    Src::Imm { value, .. } => Operand::Const(value),
                }
            };
            let result = self.exec(ins, target, first, &opnd);
            match ins.dst {
                Loc::Reg(r) => regs[r as usize] = reg,
                Loc::Out(k) => outs[k as usize] = out,
            }
            if let Err((node, message)) = result {
                let member = usize::from(ins.member);
                self.failure.record((member, node), KernelError { member: Some(member), message });
                return;
            }
        }
        for (p, r) in partial.iter_mut().zip(&self.program.reductions) {
            if let Some(c) = self.constant(r.src) {
                *p = p.add_repeated(c, len);
                continue;
            }
            *p = match r.src {
                Src::Reg(k) => p.add_all(&regs[k as usize][..len]),
                Src::Out(k) => p.add_all(&outs[k as usize][off..off + len]),
                Src::In(k) => match self.input(k) {
                    Operand::Slice(m) => p.add_all(&m[first..first + len]),
                    Operand::Const(c) => p.add_repeated(c, len),
                },
                Src::Bcast(k) => match self.input(k) {
                    Operand::Const(c) => p.add_repeated(c, len),
                    Operand::Slice(_) => *p,
                },
                Src::Imm { value, .. } => p.add_repeated(value, len),
            };
        }
    }

    /// Runs one instruction over a block into `out`.
    fn exec<'s>(
        &'s self,
        ins: &Instr,
        out: &mut [f64],
        first: usize,
        opnd: &dyn Fn(Src) -> Operand<'s>,
    ) -> Result<(), (usize, String)> {
        let a = &ins.args;
        let g = self.graph;
        let whole = |k: usize| match a[k] {
            Src::In(i) => self.input(i),
            other => opnd(other),
        };
        match &ins.op {
            NodeOp::Bin(op) => {
                let (x, y) = (opnd(a[0]), opnd(a[1]));
                if *op == BinOp::Div
                    && let Some((i, d)) = ew::first_zero_divisor(y, out.len())
                {
                    let at = first + i;
                    return Err((at, format!("division by {d} at node {at}")));
                }
                ew::binary(*op, out, x, y);
            }
            NodeOp::Un(op) => ew::unary(*op, out, opnd(a[0])),
            NodeOp::Recip(eps) => ew::recip(out, opnd(a[0]), *eps),
            NodeOp::Clip(lo, hi) => ew::clip(out, opnd(a[0]), *lo, *hi),
            NodeOp::Cmp(op) => ew::compare(*op, out, opnd(a[0]), opnd(a[1])),
            NodeOp::Select => ew::select(out, opnd(a[0]), opnd(a[1]), opnd(a[2])),
            NodeOp::Axpy => ew::axpy(out, opnd(a[0]), opnd(a[1]), opnd(a[2]), opnd(a[3])),
            NodeOp::Madd => ew::madd(out, opnd(a[0]), opnd(a[1]), opnd(a[2])),
            NodeOp::Fill => out.fill(opnd(a[0]).at(0)),
            NodeOp::Index => ew::index(out, first),
            NodeOp::Attr(seed) => ew::attr(out, *seed, first),
            NodeOp::Degree => out.iter_mut().enumerate().for_each(|(i, o)| *o = neighbor::degree_at(g, first + i)),
            NodeOp::Gather(agg, weighted) => {
                let Operand::Slice(x) = whole(0) else { return Ok(()) };
                let int = self.input_int(a[0]);
                match (agg, weighted) {
                    (Agg::Sum, false) => {
                        out.iter_mut().enumerate().for_each(|(i, o)| *o = neighbor::in_sum_at(x, g, first + i));
                    }
                    _ => out
                        .iter_mut()
                        .enumerate()
                        .for_each(|(i, o)| *o = neighbor::in_agg_at(*agg, *weighted, x, int, g, first + i)),
                }
            }
            NodeOp::GatherMul => {
                let Operand::Slice(x) = whole(0) else { return Ok(()) };
                match whole(1) {
                    Operand::Slice(s) => out
                        .iter_mut()
                        .enumerate()
                        .for_each(|(i, o)| *o = neighbor::in_mul_sum_at(x, |u| s[u], g, first + i)),
                    Operand::Const(c) => out
                        .iter_mut()
                        .enumerate()
                        .for_each(|(i, o)| *o = neighbor::in_mul_sum_at(x, |_| c, g, first + i)),
                }
            }
            NodeOp::MapNodes(agg) => {
                let Operand::Slice(x) = whole(0) else { return Ok(()) };
                let int = self.input_int(a[0]);
                let mut scratch = Vec::new();
                out.iter_mut()
                    .enumerate()
                    .for_each(|(i, o)| *o = neighbor::map_at(*agg, x, int, g, first + i, &mut scratch));
            }
        }
        Ok(())
    }

    /// True when a gather's source map holds Ints.
    fn input_int(&self, s: Src) -> bool {
        matches!(s, Src::In(k) if matches!(&*self.inputs[k as usize], Value::Map(m) if m.int))
    }
}

impl NodePass for EvalPass<'_> {
    fn chunks(&self) -> usize {
        chunk_count(self.n)
    }

    fn run(&self, _pass: usize, chunk: usize) -> Result<(), KernelError> {
        let r = chunk_range(self.n, chunk);
        // SAFETY: the scheduler hands each chunk to one caller, once.
        let mut outs: Vec<&mut [f64]> = self.outs.iter().map(|o| unsafe { o.chunk_mut(chunk) }).collect();
        let mut partial = vec![Partial::EMPTY; self.program.reductions.len()];
        SCRATCH.with(|s| {
            let mut regs = s.borrow_mut();
            let need = usize::from(self.program.regs);
            if regs.len() < need {
                regs.resize_with(need, || vec![0.0; BLOCK]);
            }
            let mut first = r.start;
            while first < r.end {
                let len = BLOCK.min(r.end - first);
                self.block(first, first - r.start, len, &mut regs, &mut outs, &mut partial);
                first += len;
            }
        });
        let partials = self.partials.lock().unwrap_or_else(|e| e.into_inner());
        for (slot, p) in partials.iter().zip(partial) {
            slot.set(chunk, p);
        }
        // Failures are reported by `finish`, the earliest of all chunks: the one a
        // sequential run stops at, whichever thread ran which chunk.
        Ok(())
    }

    fn finish(&self) -> Result<Vec<Option<Value>>, KernelError> {
        if let Some(e) = self.failure.get() {
            return Err(e);
        }
        let mut partials = self.partials.lock().unwrap_or_else(|e| e.into_inner());
        let sums: Vec<Partial> =
            partials.iter_mut().map(|p| Partial::combine(p.take_all().into_iter().flatten())).collect();
        let mut maps: Vec<Option<Vec<f64>>> = self.outs.iter().map(|o| Some(o.take())).collect();
        self.program
            .outputs
            .iter()
            .map(|o| match *o {
                Output::Map(k) => {
                    let values = maps[k as usize].take().unwrap_or_default();
                    Ok(Some(Value::Map(NodeMap { values, int: self.out_int[k as usize] })))
                }
                Output::Reduce(k) => {
                    let r = &self.program.reductions[k as usize];
                    let v = sums[k as usize]
                        .result(r.agg, self.n)
                        .map_err(|m| KernelError { member: Some(usize::from(r.member)), message: m })?;
                    Ok(Some(Value::float(v)))
                }
            })
            .collect()
    }
}

//! Seeded generators of large IRs in groggy's file format, to measure irtop at scale.
//!
//! The IRs are type-aware, so they run as well as analyse: the generator tracks, for every
//! variable, whether it holds a scalar or a node map and a bound on its values, and gives
//! each op only operands its kernel accepts (`neighbor_agg` a map, `compare` and `where` a
//! map first, arithmetic at least one map, `div` a divisor at least 1). An op that finds no
//! valid operands among the variables it may read becomes a simpler op that does. `div` is
//! the one that often cannot: after a `sub` nothing bounds a value, so about 3% of the ops
//! are divisions (17% before the generator tracked types), the rest of its share going to
//! `add`, `mul` and `sub`.
//!
//! # Complexity
//! O(ops) time and output size: each op draws at most [`TRIES`] candidates per operand.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::ir::op::{BinOp, CmpOp, Op};
use crate::limits::{LimitError, Limits, MAX_GEN_OPS};

/// The shape of a generated IR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Each op reads one or two recent variables; some ops update in place.
    Random,
    /// `ops / width` layers; each op reads one or two outputs of the previous layer.
    Layered,
}

impl Shape {
    /// Every shape, in the order `--shape` lists them.
    pub const ALL: [Shape; 2] = [Shape::Random, Shape::Layered];

    /// The shape's name, as `--shape` takes it and generated IRs are named.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Random => "random",
            Shape::Layered => "layered",
        }
    }
}

/// How many recent variables an op of the random shape may read.
const RECENT: usize = 64;

/// Candidates drawn for an operand that must satisfy a condition before the op gives up
/// and falls back to a simpler one.
pub(crate) const TRIES: usize = 8;

#[derive(Serialize)]
struct GenNode {
    id: String,
    domain: &'static str,
    op_type: Op,
    inputs: Vec<String>,
    output: Option<String>,
    metadata: Map<String, Value>,
}

#[derive(Serialize)]
struct GenIr {
    name: String,
    nodes: Vec<GenNode>,
}

/// Whether a variable holds one number or one number per node (the generator makes no
/// lists: it emits no `collect_neighbor_values`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Map,
}

/// What is known of a variable's values, on a graph with at least one node. Every bound
/// allows NaN and +inf: NaN is data, and `div` accepts a NaN divisor. Ordered from weakest
/// to strongest; each bound implies the weaker ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Bound {
    /// Any number.
    Any,
    /// At least 0 (-0.0 included: an empty neighbour sum).
    NonNegative,
    /// At least 1: a divisor `div` never refuses (it refuses |divisor| <= EPS).
    AtLeastOne,
}

impl Bound {
    /// The bound of the constant `value`.
    fn of(value: f64) -> Bound {
        if value >= 1.0 {
            Bound::AtLeastOne
        } else if value >= 0.0 {
            Bound::NonNegative
        } else {
            Bound::Any
        }
    }

    /// The bound of `a + b`: non-negative terms keep the stronger bound.
    fn add(a: Bound, b: Bound) -> Bound {
        if a.min(b) >= Bound::NonNegative { a.max(b) } else { Bound::Any }
    }
}

/// The type of a generated variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct VarType {
    kind: Kind,
    bound: Bound,
}

impl VarType {
    fn map(bound: Bound) -> VarType {
        VarType { kind: Kind::Map, bound }
    }

    fn is_map(self) -> bool {
        self.kind == Kind::Map
    }
}

/// The ops the generator emits.
#[derive(Debug, Clone, Copy, PartialEq)]
enum GenOp {
    Constant(f64),
    InitNodes,
    NeighborAgg,
    Degree,
    ReduceScalar,
    Compare,
    Where,
    UpdateInPlace,
    Add,
    Mul,
    Sub,
    Div,
}

impl GenOp {
    /// The ops of the random mix, by a roll in 0..100 (`has_source`: some variable exists
    /// to read).
    fn from_roll(roll: u32, has_source: bool, shape: Shape, rng: &mut StdRng) -> GenOp {
        if !has_source || roll < 4 {
            if roll.is_multiple_of(2) { GenOp::Constant(f64::from(roll) / 10.0) } else { GenOp::InitNodes }
        } else if roll < 14 {
            GenOp::NeighborAgg
        } else if roll < 17 {
            GenOp::Degree
        } else if roll < 22 {
            GenOp::ReduceScalar
        } else if roll < 27 {
            GenOp::Compare
        } else if roll < 30 {
            GenOp::Where
        } else if roll < 32 && matches!(shape, Shape::Random) {
            GenOp::UpdateInPlace
        } else {
            [GenOp::Add, GenOp::Mul, GenOp::Sub, GenOp::Div][rng.random_range(0..4)]
        }
    }

    /// The op to try when this one finds no valid operands: `div` becomes one of the other
    /// arithmetic ops (so they stay evenly mixed), the rest `degree`, which reads anything.
    fn fallback(self, rng: &mut StdRng) -> GenOp {
        match self {
            GenOp::Div => [GenOp::Add, GenOp::Mul, GenOp::Sub][rng.random_range(0..3)],
            _ => GenOp::Degree,
        }
    }

    fn domain(self) -> &'static str {
        match self {
            GenOp::NeighborAgg | GenOp::Degree => "graph",
            _ => "core",
        }
    }

    /// The IR op it writes.
    fn op_type(self) -> Op {
        match self {
            GenOp::Constant(_) => Op::Constant,
            GenOp::InitNodes => Op::InitNodes,
            GenOp::NeighborAgg => Op::NeighborAgg,
            GenOp::Degree => Op::Degree,
            GenOp::ReduceScalar => Op::ReduceScalar,
            GenOp::Compare => Op::Compare,
            GenOp::Where => Op::Where,
            GenOp::UpdateInPlace => Op::UpdateInPlace,
            GenOp::Add => Op::Binary(BinOp::Add),
            GenOp::Mul => Op::Binary(BinOp::Mul),
            GenOp::Sub => Op::Binary(BinOp::Sub),
            GenOp::Div => Op::Binary(BinOp::Div),
        }
    }

    fn metadata(self) -> Map<String, Value> {
        let mut m = Map::new();
        match self {
            GenOp::Constant(value) => {
                m.insert("value".into(), Value::from(value));
            }
            GenOp::InitNodes => {
                m.insert("default".into(), Value::from(1.0));
            }
            GenOp::NeighborAgg => {
                m.insert("agg".into(), Value::from("sum"));
            }
            GenOp::ReduceScalar => {
                m.insert("op".into(), Value::from("sum"));
            }
            GenOp::Compare => {
                m.insert("op".into(), Value::from(Op::Cmp(CmpOp::Gt).name()));
            }
            _ => {}
        }
        m
    }
}

/// The variables an op may read: the [`RECENT`] latest defined ones (random shape) or the
/// previous layer (layered shape). Variables are named by the index of the op that defines
/// them (`v{i}`).
struct Candidates<'a> {
    shape: Shape,
    /// Ops whose own variable exists, in order (random shape).
    defined: &'a [usize],
    /// The previous layer (layered shape).
    layer: std::ops::Range<usize>,
}

impl Candidates<'_> {
    fn is_empty(&self) -> bool {
        match self.shape {
            Shape::Random => self.defined.is_empty(),
            Shape::Layered => self.layer.is_empty(),
        }
    }

    /// Any candidate.
    fn draw(&self, rng: &mut StdRng) -> usize {
        match self.shape {
            Shape::Random => self.defined[self.defined.len() - 1 - rng.random_range(0..self.defined.len().min(RECENT))],
            Shape::Layered => rng.random_range(self.layer.clone()),
        }
    }

    /// A candidate whose type satisfies `want`, drawing at most [`TRIES`] times.
    fn find(&self, rng: &mut StdRng, types: &[VarType], want: impl Fn(VarType) -> bool) -> Option<usize> {
        (0..TRIES).map(|_| self.draw(rng)).find(|&v| want(types[v]))
    }

    /// A map when `need_map`, else any candidate.
    fn find_map_if(&self, rng: &mut StdRng, types: &[VarType], need_map: bool) -> Option<usize> {
        if need_map { self.find(rng, types, VarType::is_map) } else { Some(self.draw(rng)) }
    }
}

/// One generated op: what it reads (and, for an in-place update, the variable it writes)
/// and the type of what it writes.
struct Planned {
    op: GenOp,
    inputs: Vec<usize>,
    target: Option<usize>,
    writes: VarType,
}

/// Operands for `op` that its kernel accepts, and the type of its result; `None` when the
/// candidates offer none.
fn plan(op: GenOp, from: &Candidates, types: &[VarType], rng: &mut StdRng) -> Option<Planned> {
    let ty = |v: usize| types[v];
    let planned = |inputs: Vec<usize>, writes: VarType| Some(Planned { op, inputs, target: None, writes });
    match op {
        GenOp::Constant(value) => planned(vec![], VarType { kind: Kind::Scalar, bound: Bound::of(value) }),
        GenOp::InitNodes => planned(vec![], VarType::map(Bound::AtLeastOne)),
        GenOp::NeighborAgg => {
            let x = from.find(rng, types, VarType::is_map)?;
            planned(vec![x], VarType::map(ty(x).bound.min(Bound::NonNegative)))
        }
        // The input only decides which nodes get an entry: any variable will do.
        GenOp::Degree => planned(vec![from.draw(rng)], VarType::map(Bound::NonNegative)),
        GenOp::ReduceScalar => {
            let x = from.draw(rng);
            planned(vec![x], VarType { kind: Kind::Scalar, bound: ty(x).bound })
        }
        GenOp::Compare => {
            let left = from.find(rng, types, VarType::is_map)?;
            planned(vec![left, from.draw(rng)], VarType::map(Bound::NonNegative))
        }
        GenOp::Where => {
            let mask = from.find(rng, types, VarType::is_map)?;
            let (t, f) = (from.draw(rng), from.draw(rng));
            planned(vec![mask, t, f], VarType::map(ty(t).bound.min(ty(f).bound)))
        }
        GenOp::UpdateInPlace => {
            let source = from.draw(rng);
            let target = from.find(rng, types, |t| t.kind == ty(source).kind)?;
            Some(Planned { op, inputs: vec![source], target: Some(target), writes: ty(source) })
        }
        GenOp::Add | GenOp::Mul | GenOp::Sub => {
            let a = from.draw(rng);
            let b = from.find_map_if(rng, types, !ty(a).is_map())?;
            let bound = match op {
                GenOp::Add => Bound::add(ty(a).bound, ty(b).bound),
                GenOp::Mul => ty(a).bound.min(ty(b).bound),
                _ => Bound::Any,
            };
            planned(vec![a, b], VarType::map(bound))
        }
        GenOp::Div => {
            let divisor = from.find(rng, types, |t| t.bound == Bound::AtLeastOne)?;
            let dividend = from.find_map_if(rng, types, !ty(divisor).is_map())?;
            planned(vec![dividend, divisor], VarType::map(ty(dividend).bound.min(Bound::NonNegative)))
        }
    }
}

/// Peak bytes of memory `irtop gen` takes per op: the nodes as JSON values and the text
/// (`irtop gen --ops 200000` peaks at 144 MB resident, 720 bytes an op; the rest is slack
/// for the allocator and growing vectors).
pub(crate) const GEN_BYTES_PER_OP: u64 = 1024;

/// Refuses `--ops` above [`MAX_GEN_OPS`], or more ops than the memory left can hold
/// ([`GEN_BYTES_PER_OP`] each), before anything is generated.
pub(crate) fn check_ops(ops: usize, limits: &Limits) -> Result<(), LimitError> {
    if ops > MAX_GEN_OPS {
        return Err(LimitError::Flag(format!(
            "--ops {ops}: at most {MAX_GEN_OPS} ops (a {:.1} GB file; irtop reads {} MiB by default); pass a smaller --ops",
            MAX_GEN_OPS as f64 * 120.0 / 1e9,
            crate::limits::DEFAULT_MAX_FILE_MB
        )));
    }
    let need = (ops as u64).saturating_mul(GEN_BYTES_PER_OP);
    limits.check_memory(
        &format!("generating {}", crate::units::count(ops, "op")),
        need,
        "start",
        "Pass a smaller --ops",
    )
}

/// Generates an IR of `ops` nodes as groggy JSON. The same arguments give the same bytes.
/// Every op gets operands its kernel accepts, so the IR runs (`irtop run`) in every mode
/// on any graph.
pub fn generate(shape: Shape, ops: usize, width: usize, seed: u64) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut nodes = Vec::with_capacity(ops);
    let var = |i: usize| format!("v{i}");
    let width = width.max(1);
    // Indices whose own variable exists (an in-place update writes another one).
    let mut defined: Vec<usize> = Vec::with_capacity(ops);
    // The type of `v{i}` by index; an in-place update keeps a placeholder at its own index.
    let mut types: Vec<VarType> = Vec::with_capacity(ops);
    for i in 0..ops {
        let layer_start = (i / width) * width;
        let from = Candidates { shape, defined: &defined, layer: layer_start.saturating_sub(width)..layer_start };
        let roll: u32 = rng.random_range(0..100);
        let mut op = GenOp::from_roll(roll, !from.is_empty(), shape, &mut rng);
        let planned = loop {
            match plan(op, &from, &types, &mut rng) {
                Some(p) => break p,
                None => op = op.fallback(&mut rng),
            }
        };
        let inputs: Vec<String> = planned.inputs.iter().map(|&v| var(v)).collect();
        let mut metadata = planned.op.metadata();
        let output = match planned.target {
            Some(target) => {
                let name = var(target);
                metadata.insert("target".into(), Value::String(name.clone()));
                types[target] = planned.writes;
                types.push(planned.writes);
                name
            }
            None => {
                defined.push(i);
                types.push(planned.writes);
                var(i)
            }
        };
        nodes.push(GenNode {
            id: format!("node_{i}"),
            domain: planned.op.domain(),
            op_type: planned.op.op_type(),
            inputs,
            output: Some(output),
            metadata,
        });
    }
    let name = format!("{}_{ops}", shape.name());
    serde_json::to_vec(&GenIr { name, nodes }).expect("generated IR serialises")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::analysis::analyze;
    use crate::exec::synthetic::{rmat, uniform};
    use crate::exec::{Executor, Graph, Mode, Program, Retain, RunOptions, Scheduler};
    use crate::ir::load_bytes;

    /// Runs a generated IR in `seq` on `graph`; the error names the failing node.
    fn run_generated(shape: Shape, ops: usize, width: usize, seed: u64, graph: &Graph) -> Result<(), String> {
        let ir = load_bytes(&generate(shape, ops, width, seed), Path::new("generated.json")).expect("loads");
        let analysis = analyze(&ir);
        let program = Program::compile(&ir, &analysis).map_err(|e| e.to_string())?;
        let seq = Scheduler::new(Mode::SEQ, 1).map_err(|e| e.to_string())?;
        seq.run(&program, graph, &RunOptions::keeping(Retain::All)).map(|_| ()).map_err(|e| e.to_string())
    }

    #[test]
    fn generated_irs_run() {
        let graph = rmat(8, 8, 1);
        for seed in 0..6 {
            for (shape, width) in [(Shape::Random, 100), (Shape::Layered, 50), (Shape::Layered, 3), (Shape::Layered, 1)]
            {
                let run = run_generated(shape, 2_000, width, seed, &graph);
                assert!(run.is_ok(), "{shape:?} width {width} seed {seed}: {}", run.unwrap_err());
            }
        }
    }

    #[test]
    fn the_same_arguments_give_the_same_bytes() {
        for shape in [Shape::Random, Shape::Layered] {
            assert_eq!(generate(shape, 500, 20, 9), generate(shape, 500, 20, 9));
            assert_ne!(generate(shape, 500, 20, 9), generate(shape, 500, 20, 10));
        }
    }

    #[test]
    fn the_mix_keeps_every_op() {
        let text = String::from_utf8(generate(Shape::Random, 5_000, 100, 1)).unwrap();
        for op in [
            GenOp::Constant(0.0),
            GenOp::InitNodes,
            GenOp::NeighborAgg,
            GenOp::Degree,
            GenOp::ReduceScalar,
            GenOp::Compare,
            GenOp::Where,
            GenOp::UpdateInPlace,
            GenOp::Add,
            GenOp::Mul,
            GenOp::Sub,
            GenOp::Div,
        ] {
            let op = format!("\"op_type\":\"{}\"", op.op_type());
            assert!(text.contains(&op), "no {op} in 5000 ops");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any seed, shape and width, on any graph (an empty one too): the IR runs.
        #[test]
        fn any_generated_ir_runs(ops in 1usize..300, width in 1usize..20, seed in any::<u64>(), layered in any::<bool>(), nodes in 0usize..60, degree in 0usize..5, graph_seed in 0u64..50) {
            let shape = if layered { Shape::Layered } else { Shape::Random };
            let graph = uniform(nodes, nodes * degree, graph_seed);
            let run = run_generated(shape, ops, width, seed, &graph);
            prop_assert!(run.is_ok(), "{:?}", run);
        }
    }
}

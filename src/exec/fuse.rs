//! Fusion: chains of element-wise ops become one per-node program that reads each input map
//! once and writes only the values something else needs, the way a hand-written loop
//! would (groggy's PageRank body is 15 ops, two passes over the nodes once fused).
//!
//! Rules, applied to each program and loop body in program order:
//! - A value read by exactly one later op, and not needed after its scope (not kept by the
//!   run, not read outside the loop body, not carried to the next iteration), is computed
//!   in a register inside its reader's program instead of a map. Its producer must be
//!   element-wise or a gather (`neighbor_agg`, `map_nodes`), and its reader element-wise or
//!   a reduction reading it node by node. A gather reads its source at other nodes, so the
//!   source is always a whole map made before.
//! - A fill (`init_nodes`) or a broadcast of a scalar assigned once is read as that number
//!   in every program that reads it, and dropped when nothing else reads it.
//! - A group runs where its last member stood; a member may move there only if no step in
//!   between depends on it.
//!
//! Each per-node function is the unfused op's own ([`crate::exec::kernels::eval`]), applied
//! in the same order per node, so a fused run gives the unfused run's bits.
//!
//! # Complexity
//! O(steps x operands) per program, plus a hash map of definitions.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::kernel::Kernel;
use super::kernels::eval::{Instr, Loc, NodeProgram, Output, Reduction, Src};
use super::program::{FusedStep, LoopProgram, Program, Step, StepKind};
use crate::ir::VarId;

/// What a variable holds, as far as the program's ops tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unknown,
    Scalar,
    Map,
    Lists,
}

impl Kind {
    fn join(self, other: Kind) -> Kind {
        if self == other { self } else { Kind::Unknown }
    }
}

/// How a read of an inlined producer is computed instead.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Inline {
    /// `init_nodes` of this value.
    Fill(f64, bool),
    /// `broadcast_scalar` of this scalar variable.
    Broadcast(VarId),
}

/// Facts about the whole program.
struct Facts<'k> {
    keep: &'k [bool],
    /// Steps (kernels and loop seeds) reading each variable, everywhere.
    reads: Vec<u32>,
    /// Variables written once, by a fill, or by a broadcast of a scalar written once over a
    /// reference that is a map (so that the broadcast itself cannot fail).
    inline: HashMap<VarId, Inline>,
}

/// The variables a leaf step reads and writes (a loop's seeds count as its reads and writes).
fn leaf_effects<'p>(p: &'p Program, f: &mut impl FnMut(&'p Step, &[VarId], &[VarId])) {
    for s in &p.steps {
        match &s.kind {
            StepKind::Loop(lp) => {
                let (initials, logicals): (Vec<VarId>, Vec<VarId>) = lp.init.iter().copied().unzip();
                f(s, &initials, &logicals);
                leaf_effects(&lp.body, f);
            }
            _ => f(s, &s.reads, &s.outputs),
        }
    }
}

impl<'k> Facts<'k> {
    fn of(program: &Program, keep: &'k [bool]) -> Facts<'k> {
        let n = program.var_count;
        let (mut writes, mut reads) = (vec![0u32; n], vec![0u32; n]);
        let mut candidates: Vec<(VarId, &Kernel, &[VarId])> = Vec::new();
        leaf_effects(program, &mut |s, r, w| {
            for v in r {
                reads[v.index()] += 1;
            }
            for v in w {
                writes[v.index()] += 1;
            }
            if let (StepKind::Kernel(k @ (Kernel::InitNodes(_) | Kernel::Broadcast)), [out]) = (&s.kind, &s.outputs[..])
            {
                candidates.push((*out, k, &s.inputs));
            }
        });
        // A broadcast whose operands are not (a scalar, a map) in every walk fails at run
        // time, and must stay to say so.
        let mut failing: HashSet<VarId> = HashSet::new();
        walk_kinds(program, &vec![Kind::Unknown; n], &mut |s, ks| {
            if let (StepKind::Kernel(Kernel::Broadcast), [out]) = (&s.kind, &s.outputs[..])
                && !(ks.first() == Some(&Kind::Scalar) && matches!(ks.get(1), Some(Kind::Map | Kind::Lists)))
            {
                failing.insert(*out);
            }
        });
        let inline = candidates
            .into_iter()
            .filter(|(v, ..)| writes[v.index()] == 1)
            .filter_map(|(v, k, inputs)| match (k, inputs) {
                (Kernel::InitNodes(s), _) => Some((v, Inline::Fill(s.value, s.int))),
                (Kernel::Broadcast, [sv, _]) if writes[sv.index()] == 1 && !failing.contains(&v) => {
                    Some((v, Inline::Broadcast(*sv)))
                }
                _ => None,
            })
            .collect();
        Facts { keep, reads, inline }
    }
}

/// Fuses `program` for a run that keeps the variables in `keep` to the end.
pub fn fuse(program: &Program, keep: &[bool]) -> Program {
    let facts = Facts::of(program, keep);
    let entry = vec![Kind::Unknown; program.var_count];
    let defined = vec![false; program.var_count];
    let fused = fuse_region(program, &facts, &entry, &defined, false);
    // Drop fills and broadcasts that nothing reads any more: every read was inlined.
    let left = reads_within(&fused);
    let dead: HashSet<VarId> =
        facts.inline.keys().filter(|v| !facts.keep[v.index()] && !left.contains_key(v)).copied().collect();
    if dead.is_empty() { fused } else { drop_steps(&fused, &dead) }
}

/// `p` without the kernels writing only variables of `dead` (loop bodies too).
fn drop_steps(p: &Program, dead: &HashSet<VarId>) -> Program {
    let steps: Vec<Step> = p
        .steps
        .iter()
        .filter(|s| {
            !(matches!(s.kind, StepKind::Kernel(_))
                && !s.outputs.is_empty()
                && s.outputs.iter().all(|v| dead.contains(v)))
        })
        .map(|s| match &s.kind {
            StepKind::Loop(lp) => {
                let body = drop_steps(&lp.body, dead);
                loop_step(s, LoopProgram { iterations: lp.iterations, init: lp.init.clone(), body })
            }
            _ => s.clone(),
        })
        .collect();
    Program::assemble(steps, p.var_count, p.var_names.clone())
}

/// Kinds while walking one program.
struct KindWalk {
    /// Each step's operand kinds.
    operands: Vec<Vec<Kind>>,
    /// Every variable's kind before each loop step (`None` for other steps).
    before_loop: Vec<Option<Vec<Kind>>>,
    /// Every variable's kind at the end.
    exit: Vec<Kind>,
}

/// Walks `p` from the `entry` kinds, calling `visit` with each step (loop bodies' too,
/// once per walk of the body) and its operands' kinds.
fn walk_kinds(p: &Program, entry: &[Kind], visit: &mut dyn FnMut(&Step, &[Kind])) -> KindWalk {
    let mut cur = entry.to_vec();
    let mut operands = Vec::with_capacity(p.steps.len());
    let mut before_loop = Vec::with_capacity(p.steps.len());
    for s in &p.steps {
        let ins: Vec<Kind> = s.inputs.iter().map(|v| cur[v.index()]).collect();
        visit(s, &ins);
        before_loop.push(matches!(s.kind, StepKind::Loop(_)).then(|| cur.clone()));
        match &s.kind {
            StepKind::Loop(lp) => {
                let exit = loop_exit_kinds(lp, &cur, visit);
                for v in &s.outputs {
                    cur[v.index()] = exit[v.index()];
                }
            }
            StepKind::Kernel(k) => {
                if let Some(&out) = s.outputs.first() {
                    cur[out.index()] = kernel_kind(k, &ins);
                }
            }
            StepKind::Fused(f) => {
                for (v, o) in s.outputs.iter().zip(&f.program.outputs) {
                    cur[v.index()] = if matches!(o, Output::Reduce(_)) { Kind::Scalar } else { Kind::Map };
                }
            }
        }
        operands.push(ins);
    }
    KindWalk { operands, before_loop, exit: cur }
}

/// The kinds after a loop: the body walked from the seeds' kinds, joined with a second
/// walk that starts from what the first left (a loop variable's kind may change).
fn loop_exit_kinds(lp: &LoopProgram, before: &[Kind], visit: &mut dyn FnMut(&Step, &[Kind])) -> Vec<Kind> {
    let entry = body_entry(lp, before);
    let once = walk_kinds(&lp.body, &entry, visit).exit;
    let joined: Vec<Kind> = entry.iter().zip(&once).map(|(a, b)| a.join(*b)).collect();
    let twice = walk_kinds(&lp.body, &joined, visit).exit;
    joined.iter().zip(&twice).map(|(a, b)| a.join(*b)).collect()
}

/// The kinds a loop body starts from: the loop variables take their seeds' kinds.
fn body_entry(lp: &LoopProgram, before: &[Kind]) -> Vec<Kind> {
    let mut entry = before.to_vec();
    for &(initial, logical) in &lp.init {
        entry[logical.index()] = before[initial.index()];
    }
    entry
}

/// What a kernel's result holds, from its operands' kinds.
fn kernel_kind(k: &Kernel, ins: &[Kind]) -> Kind {
    use Kernel as K;
    let any_map = ins.contains(&Kind::Map);
    let numbers = ins.iter().all(|k| matches!(k, Kind::Map | Kind::Scalar));
    match k {
        K::Constant(_) | K::NodeCount | K::EdgeCount | K::Reduce(_) => Kind::Scalar,
        K::Binary(_) | K::FusedAxpy | K::FusedMadd => {
            if numbers && any_map {
                Kind::Map
            } else {
                Kind::Unknown
            }
        }
        K::Unary(_) | K::Recip(_) | K::Clip(..) | K::Copy => match ins.first() {
            Some(Kind::Map) => Kind::Map,
            Some(Kind::Scalar) => Kind::Scalar,
            _ => Kind::Unknown,
        },
        K::CollectNeighbors(_) => Kind::Lists,
        K::Attach(_) => Kind::Unknown,
        K::InitNodes(_)
        | K::InitIndex
        | K::Degree
        | K::Compare(_)
        | K::Where
        | K::Broadcast
        | K::Normalize(_)
        | K::NeighborAgg(..)
        | K::LoadAttr(_)
        | K::FusedNeighborMulAgg
        | K::MapNodes(..)
        | K::ModeList(_) => Kind::Map,
    }
}

/// How a step may take part in a fused program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Computes each node from the same node's operands.
    Elementwise,
    /// Reads its source at other nodes.
    Gather,
    /// Reduces one per-node value to a scalar.
    Reduce,
}

/// The role of a kernel step given its operands' kinds, or `None` when it cannot fuse.
fn role(k: &Kernel, ins: &[Kind]) -> Option<Role> {
    use Kernel as K;
    let num = |k: &Kind| matches!(k, Kind::Map | Kind::Scalar);
    let map = |i: usize| ins.get(i) == Some(&Kind::Map);
    let (ok, role) = match k {
        K::Binary(_) | K::FusedAxpy | K::FusedMadd => {
            (ins.iter().all(num) && ins.contains(&Kind::Map), Role::Elementwise)
        }
        K::Unary(_) | K::Recip(_) | K::Clip(..) => (map(0), Role::Elementwise),
        K::Compare(_) => (map(0) && ins.get(1).is_some_and(num), Role::Elementwise),
        K::Where => (map(0) && ins[1..].iter().all(num), Role::Elementwise),
        K::Broadcast => (
            ins.first() == Some(&Kind::Scalar) && matches!(ins.get(1), Some(Kind::Map | Kind::Lists)),
            Role::Elementwise,
        ),
        K::InitNodes(_) | K::InitIndex | K::LoadAttr(_) | K::Degree => (true, Role::Elementwise),
        K::NeighborAgg(..) | K::MapNodes(_, false) => (map(0), Role::Gather),
        K::FusedNeighborMulAgg => (map(0) && ins.get(1).is_some_and(num), Role::Gather),
        K::Reduce(_) => (map(0), Role::Reduce),
        K::Constant(_)
        | K::NodeCount
        | K::EdgeCount
        | K::Normalize(_)
        | K::Copy
        | K::Attach(_)
        | K::MapNodes(_, true)
        | K::CollectNeighbors(_)
        | K::ModeList(_) => return None,
    };
    ok.then_some(role)
}

/// True when operand `position` of `k` is read node by node (not at other nodes, and not
/// just for its size).
fn reads_per_node(k: &Kernel, position: usize) -> bool {
    match k {
        Kernel::NeighborAgg(..) | Kernel::MapNodes(..) | Kernel::FusedNeighborMulAgg => false,
        Kernel::Broadcast => position != 1,
        Kernel::Constant(_)
        | Kernel::InitNodes(_)
        | Kernel::InitIndex
        | Kernel::NodeCount
        | Kernel::EdgeCount
        | Kernel::Degree
        | Kernel::Binary(_)
        | Kernel::Unary(_)
        | Kernel::Recip(_)
        | Kernel::Clip(..)
        | Kernel::Compare(_)
        | Kernel::Where
        | Kernel::Reduce(_)
        | Kernel::Normalize(_)
        | Kernel::Copy
        | Kernel::LoadAttr(_)
        | Kernel::Attach(_)
        | Kernel::FusedAxpy
        | Kernel::FusedMadd
        | Kernel::CollectNeighbors(_)
        | Kernel::ModeList(_) => true,
    }
}

/// Variables read in `p` (its loops' bodies and seeds included), per variable.
fn reads_within(p: &Program) -> HashMap<VarId, u32> {
    let mut m = HashMap::new();
    leaf_effects(p, &mut |_, r, _| {
        for v in r {
            *m.entry(*v).or_insert(0) += 1;
        }
    });
    m
}

/// Variables `p` reads before writing them (its free variables), in first-read order.
fn free_reads(p: &Program) -> Vec<VarId> {
    let mut written = HashSet::new();
    let mut free = Vec::new();
    let mut seen = HashSet::new();
    for s in &p.steps {
        for v in &s.reads {
            if !written.contains(v) && seen.insert(*v) {
                free.push(*v);
            }
        }
        written.extend(s.outputs.iter().copied());
    }
    free
}

/// Fuses one program (the top level, or a loop body when `in_loop`). `entry` are the
/// kinds and `defined` which variables have a value when it starts.
fn fuse_region(p: &Program, facts: &Facts, entry: &[Kind], defined: &[bool], in_loop: bool) -> Program {
    let kinds = walk_kinds(p, entry, &mut |_, _| {});
    let n = p.steps.len();
    // Where each operand's value comes from in this program, and who reads each value.
    let mut last_writer: HashMap<VarId, usize> = HashMap::new();
    let mut def: Vec<Vec<Option<usize>>> = Vec::with_capacity(n);
    let mut readers: HashMap<(usize, VarId), Vec<usize>> = HashMap::new();
    let mut defined_now = defined.to_vec();
    let mut defined_before_loop: Vec<Option<Vec<bool>>> = Vec::with_capacity(n);
    let mut inline_at: Vec<Vec<Option<Inline>>> = Vec::with_capacity(n);
    for (i, s) in p.steps.iter().enumerate() {
        def.push(s.inputs.iter().map(|v| last_writer.get(v).copied()).collect());
        // Only where the producer has run: a read before it sees no value.
        inline_at
            .push(s.inputs.iter().map(|v| facts.inline.get(v).copied().filter(|_| defined_now[v.index()])).collect());
        for v in &s.reads {
            if let Some(&w) = last_writer.get(v) {
                let r = readers.entry((w, *v)).or_default();
                if r.last() != Some(&i) {
                    r.push(i);
                }
            }
        }
        defined_before_loop.push(matches!(s.kind, StepKind::Loop(_)).then(|| defined_now.clone()));
        for v in &s.outputs {
            last_writer.insert(*v, i);
            defined_now[v.index()] = true;
        }
    }
    // Values that outlive this program: kept, read outside it, or carried to the next
    // iteration of its loop.
    let inside = reads_within(p);
    let carried: HashSet<VarId> = if in_loop {
        free_reads(p).into_iter().filter(|v| last_writer.contains_key(v)).collect()
    } else {
        HashSet::new()
    };
    let escapes = |j: usize, v: VarId| -> bool {
        last_writer.get(&v) == Some(&j)
            && (facts.keep[v.index()]
                || facts.reads[v.index()] > inside.get(&v).copied().unwrap_or(0)
                || carried.contains(&v))
    };
    let roles: Vec<Option<Role>> = p
        .steps
        .iter()
        .zip(&kinds.operands)
        .map(|(s, ks)| match &s.kind {
            // An op that writes nothing (an IR node without an output) is not fused.
            StepKind::Kernel(_) if s.outputs.is_empty() => None,
            StepKind::Kernel(k) => role(k, ks),
            _ => None,
        })
        .collect();
    // Step `i` can take `v` from `j` in its own program: `j` computes it node by node and
    // `i` is its only reader.
    let chained = |j: usize, v: VarId, i: usize| -> bool {
        matches!(roles[j], Some(Role::Elementwise | Role::Gather))
            && p.steps[j].outputs == [v]
            && readers.get(&(j, v)).is_some_and(|r| r == &[i])
    };

    // Grouping, in program order.
    let mut group_of: Vec<Option<usize>> = vec![None; n];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        let (Some(_), StepKind::Kernel(k)) = (roles[i], &p.steps[i].kind) else { continue };
        let s = &p.steps[i];
        let mut merge: Vec<usize> = Vec::new();
        for (pos, v) in s.inputs.iter().enumerate() {
            if let Some(j) = def[i][pos]
                && reads_per_node(k, pos)
                && chained(j, *v, i)
                && let Some(g) = group_of[j]
                && !merge.contains(&g)
            {
                merge.push(g);
            }
        }
        let members: Vec<usize> = merge.iter().flat_map(|&g| groups[g].iter().copied()).collect();
        // Every operand from a member must be read node by node, and no step left in
        // between may depend on a member that moves past it.
        let valid = s.inputs.iter().enumerate().all(|(pos, v)| match def[i][pos] {
            Some(j) if members.contains(&j) => reads_per_node(k, pos) && chained(j, *v, i),
            _ => true,
        }) && members.iter().all(|&m| p.dependants[m].iter().all(|&t| t >= i || members.contains(&t)));
        let target = if valid && !merge.is_empty() {
            let g = merge[0];
            for &other in &merge[1..] {
                let moved = std::mem::take(&mut groups[other]);
                for &m in &moved {
                    group_of[m] = Some(g);
                }
                groups[g].extend(moved);
            }
            g
        } else {
            groups.push(Vec::new());
            groups.len() - 1
        };
        groups[target].push(i);
        groups[target].sort_unstable();
        group_of[i] = Some(target);
    }

    // The new steps: a group where its last member stood, other steps as they were (loop
    // bodies fused in turn).
    let materialise = |j: usize, v: VarId, members: &[usize]| -> bool {
        escapes(j, v) || readers.get(&(j, v)).is_some_and(|r| r.iter().any(|t| !members.contains(t)))
    };
    let mut steps = Vec::with_capacity(n);
    for i in 0..n {
        let s = &p.steps[i];
        match (group_of[i], &s.kind) {
            (Some(g), _) => {
                let members = &groups[g];
                if members.last() != Some(&i) {
                    continue;
                }
                let has_inline = members.iter().any(|&m| inline_at[m].iter().any(Option::is_some));
                if members.len() == 1 && !has_inline {
                    steps.push(s.clone());
                } else {
                    steps.push(fused_step(p, members, &def, &inline_at, &materialise));
                }
            }
            (None, StepKind::Loop(lp)) => {
                let before = kinds.before_loop[i].as_deref().unwrap_or(entry);
                let mut body_defined = defined_before_loop[i].clone().unwrap_or_else(|| defined.to_vec());
                for &(_, logical) in &lp.init {
                    body_defined[logical.index()] = true;
                }
                let body = fuse_region(&lp.body, facts, &body_entry(lp, before), &body_defined, true);
                steps.push(loop_step(s, LoopProgram { iterations: lp.iterations, init: lp.init.clone(), body }));
            }
            _ => steps.push(s.clone()),
        }
    }
    Program::assemble(steps, p.var_count, p.var_names.clone())
}

/// A loop step around a new body: its reads and writes follow the body (fusion removes
/// values the body no longer writes and inlining changes what it reads).
fn loop_step(s: &Step, lp: LoopProgram) -> Step {
    let logicals: HashSet<VarId> = lp.init.iter().map(|&(_, l)| l).collect();
    let body_writes: HashSet<VarId> = lp.body.steps.iter().flat_map(|b| b.outputs.iter().copied()).collect();
    let mut reads: Vec<VarId> = lp.init.iter().map(|&(i, _)| i).collect();
    for v in free_reads(&lp.body) {
        if !logicals.contains(&v) && !reads.contains(&v) {
            reads.push(v);
        }
    }
    let before: HashSet<VarId> = match &s.kind {
        StepKind::Loop(old) => old.body.steps.iter().flat_map(|b| b.outputs.iter().copied()).collect(),
        _ => HashSet::new(),
    };
    // Kept: loop variables, what the body still writes, and what the loop itself writes
    // (an execution block's target).
    let outputs: Vec<VarId> = s
        .outputs
        .iter()
        .copied()
        .filter(|v| logicals.contains(v) || body_writes.contains(v) || !before.contains(v))
        .collect();
    Step { kind: StepKind::Loop(Box::new(lp)), inputs: reads.clone(), reads, outputs, ..s.clone() }
}

/// One fused step from `members` (step indices of `p`, in program order).
fn fused_step(
    p: &Program,
    members: &[usize],
    def: &[Vec<Option<usize>>],
    inline_at: &[Vec<Option<Inline>>],
    materialise: &dyn Fn(usize, VarId, &[usize]) -> bool,
) -> Step {
    let mut program = NodeProgram::default();
    let mut inputs: Vec<VarId> = Vec::new();
    let input_of = |v: VarId, inputs: &mut Vec<VarId>| -> u16 {
        match inputs.iter().position(|&x| x == v) {
            Some(k) => k as u16,
            None => {
                inputs.push(v);
                (inputs.len() - 1) as u16
            }
        }
    };
    // Where each member's result lives.
    let mut loc: HashMap<usize, Loc> = HashMap::new();
    let mut outputs: Vec<VarId> = Vec::new();
    for (mi, &m) in members.iter().enumerate() {
        let s = &p.steps[m];
        let StepKind::Kernel(k) = &s.kind else { unreachable!("only kernels are grouped") };
        let args: Vec<Src> = s
            .inputs
            .iter()
            .enumerate()
            .map(|(pos, &v)| {
                if let Some(j) = def[m][pos]
                    && let Some(&l) = loc.get(&j)
                {
                    return Src::from(l);
                }
                match inline_at[m][pos] {
                    Some(Inline::Fill(value, int)) if reads_per_node(k, pos) => Src::Imm { value, int },
                    Some(Inline::Broadcast(sv)) if reads_per_node(k, pos) => Src::Bcast(input_of(sv, &mut inputs)),
                    _ => Src::In(input_of(v, &mut inputs)),
                }
            })
            .collect();
        let single = k.node_program().expect("fusable kernels have node programs");
        let member = mi as u16;
        if let Kernel::Reduce(agg) = k {
            let src = args.first().copied().unwrap_or(Src::In(0));
            program.reductions.push(Reduction { agg: *agg, src, member });
            program.outputs.push(Output::Reduce((program.reductions.len() - 1) as u16));
            outputs.extend(s.outputs.iter().copied());
            continue;
        }
        let template = &single.instrs[0];
        // The single op's operands, in its order, replaced by where they come from now.
        let args: Vec<Src> = template
            .args
            .iter()
            .map(|a| match *a {
                Src::In(pos) => args[usize::from(pos)],
                other => other,
            })
            .collect();
        let out = s.outputs[0];
        let dst = if materialise(m, out, members) {
            program.outs += 1;
            program.outputs.push(Output::Map(program.outs - 1));
            outputs.push(out);
            Loc::Out(program.outs - 1)
        } else {
            program.regs += 1;
            Loc::Reg(program.regs - 1)
        };
        loc.insert(m, dst);
        program.instrs.push(Instr { op: template.op.clone(), args, dst, member });
    }
    let first = &p.steps[members[0]];
    let id = members.iter().map(|&m| p.steps[m].id.as_str()).collect::<Vec<_>>().join("+");
    let ops = members.iter().map(|&m| p.steps[m].op.as_str()).collect::<Vec<_>>().join("+");
    Step {
        id,
        op: format!("fused({ops})"),
        level: first.level,
        kind: StepKind::Fused(Box::new(FusedStep {
            program: Arc::new(program),
            members: members.iter().map(|&m| p.steps[m].clone()).collect(),
        })),
        inputs: inputs.clone(),
        reads: inputs,
        outputs,
        side_effect: false,
        work: members.iter().map(|&m| p.steps[m].work).sum(),
        deps: Vec::new(),
    }
}

/// Every op a fused program stands for, by node id: `(fused step id, member ids)`.
pub fn members_of(p: &Program) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    p.visit_steps(&mut |s| {
        if let StepKind::Fused(f) = &s.kind {
            out.push((s.id.clone(), f.members.iter().map(|m| m.id.clone()).collect()));
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::ir::load_bytes;
    use std::path::Path;

    fn compile(json: &str) -> Program {
        let ir = load_bytes(json.as_bytes(), Path::new("t.json")).expect("loads");
        Program::compile(&ir, &analyze(&ir)).expect("compiles")
    }

    fn keep_sinks(p: &Program) -> Vec<bool> {
        let mut keep = vec![false; p.var_count];
        for v in &p.sinks {
            keep[v.index()] = true;
        }
        keep
    }

    #[test]
    fn a_chain_becomes_one_program_that_writes_only_its_result() {
        let p = compile(
            r#"{"nodes": [
            {"id": "x", "op_type": "load_attr", "output": "x", "metadata": {"name": "w"}},
            {"id": "c", "op_type": "constant", "output": "c", "metadata": {"value": 2.0}},
            {"id": "m", "op_type": "mul", "inputs": ["x", "c"], "output": "m"},
            {"id": "a", "op_type": "add", "inputs": ["m", "c"], "output": "a"}
        ]}"#,
        );
        let f = fuse(&p, &keep_sinks(&p));
        let fused: Vec<&Step> = f.steps.iter().filter(|s| matches!(s.kind, StepKind::Fused(_))).collect();
        assert_eq!(fused.len(), 1, "{:?}", f.steps.iter().map(|s| &s.id).collect::<Vec<_>>());
        assert_eq!(fused[0].id, "x+m+a");
        assert_eq!(fused[0].outputs.len(), 1, "only the sink is written");
    }

    #[test]
    fn a_value_read_twice_is_written_and_starts_no_register() {
        let p = compile(
            r#"{"nodes": [
            {"id": "x", "op_type": "load_attr", "output": "x", "metadata": {"name": "w"}},
            {"id": "y", "op_type": "neg", "inputs": ["x"], "output": "y"},
            {"id": "z", "op_type": "abs", "inputs": ["x"], "output": "z"}
        ]}"#,
        );
        let f = fuse(&p, &keep_sinks(&p));
        assert!(f.steps.iter().all(|s| !matches!(s.kind, StepKind::Fused(_))), "x has two readers");
    }

    #[test]
    fn keeping_every_variable_keeps_every_map() {
        let p = compile(
            r#"{"nodes": [
            {"id": "x", "op_type": "load_attr", "output": "x", "metadata": {"name": "w"}},
            {"id": "y", "op_type": "neg", "inputs": ["x"], "output": "y"},
            {"id": "z", "op_type": "abs", "inputs": ["y"], "output": "z"}
        ]}"#,
        );
        let f = fuse(&p, &vec![true; p.var_count]);
        let s = f.steps.iter().find(|s| matches!(s.kind, StepKind::Fused(_))).expect("fused");
        assert_eq!(s.outputs.len(), 3);
    }

    #[test]
    fn fills_are_inlined_and_dropped() {
        let p = compile(
            r#"{"nodes": [
            {"id": "f", "op_type": "init_nodes", "output": "f", "metadata": {"default": 1.0}},
            {"id": "c", "op_type": "constant", "output": "c", "metadata": {"value": 2.0}},
            {"id": "a", "op_type": "mul", "inputs": ["f", "c"], "output": "a"},
            {"id": "b", "op_type": "add", "inputs": ["f", "c"], "output": "b"}
        ]}"#,
        );
        let f = fuse(&p, &keep_sinks(&p));
        assert!(
            f.steps.iter().all(|s| s.id != "f"),
            "the fill is dropped: {:?}",
            f.steps.iter().map(|s| &s.id).collect::<Vec<_>>()
        );
        assert_eq!(f.steps.iter().filter(|s| matches!(s.kind, StepKind::Fused(_))).count(), 2);
    }

    #[test]
    fn a_member_does_not_move_past_a_step_that_needs_it() {
        // `w` overwrites x's input `x0` after `y` read it: y cannot move down to z.
        let p = compile(
            r#"{"nodes": [
            {"id": "x0", "op_type": "load_attr", "output": "x0", "metadata": {"name": "w"}},
            {"id": "y", "op_type": "neg", "inputs": ["x0"], "output": "y"},
            {"id": "w", "op_type": "load_attr", "output": "x0", "metadata": {"name": "v"}},
            {"id": "z", "op_type": "abs", "inputs": ["y"], "output": "z"},
            {"id": "q", "op_type": "add", "inputs": ["z", "x0"], "output": "q"}
        ]}"#,
        );
        let f = fuse(&p, &keep_sinks(&p));
        let ids: Vec<&str> = f.steps.iter().map(|s| s.id.as_str()).collect();
        let y = ids.iter().position(|i| i.split('+').any(|m| m == "y")).expect("y");
        let w = ids.iter().position(|i| i.split('+').any(|m| m == "w")).expect("w");
        assert!(y < w, "{ids:?}");
    }
}

//! An IR compiled for execution: each node's kernel, its operands in kernel order, what it
//! reads and writes; loops with their bodies in the same variable space; and, derived from
//! the steps alone ([`Program::assemble`]), dependencies, levels and variable lifetimes.
//! Compiling fails before anything runs when an op has no kernel, naming the node and op.

use std::sync::Arc;

use super::error::ExecError;
use super::kernel::Kernel;
use super::kernels::eval::NodeProgram;
use crate::analysis::Analysis;
use crate::analysis::dependencies::program_order_predecessors;
use crate::analysis::effects::NodeEffects;
use crate::ir::op::Operand;
use crate::ir::{Body, Ir, Node, VarId};

/// One executable step.
#[derive(Debug, Clone)]
pub struct Step {
    /// The node's file id (`node_11/3` inside a loop; `a+b` for ops fused into one).
    pub id: String,
    /// The op name (`mul`; `fused(mul+where)` for a fused group).
    pub op: String,
    /// Level in its own program.
    pub level: u32,
    /// What it does.
    pub kind: StepKind,
    /// A kernel's operands in its argument order; a fused group's inputs; a loop's reads.
    pub inputs: Vec<VarId>,
    /// Every variable it reads (operands and reads hidden in metadata), each once.
    pub reads: Vec<VarId>,
    /// The variables it writes, each once.
    pub outputs: Vec<VarId>,
    /// It (or something in its body) writes outside the IR, so it keeps program order.
    pub side_effect: bool,
    /// The analysis's static work: the order a level hands its steps out in.
    pub work: f64,
    /// Indices of the steps it depends on (earlier in program order).
    pub deps: Vec<usize>,
}

impl Step {
    /// Its effects, for the dependency rule.
    fn effects(&self) -> NodeEffects<'_> {
        NodeEffects { reads: &self.reads, writes: &self.outputs, side_effect: self.side_effect }
    }

    /// The variables it writes that count as results of a run (see [`Program::sinks`]).
    fn result_writes(&self) -> Vec<VarId> {
        match &self.kind {
            // A loop's temporaries are not results: only its loop variables and the outer
            // variables it updates in place (and whatever a later step reads) outlive it.
            StepKind::Loop(lp) => lp
                .init
                .iter()
                .map(|&(_, logical)| logical)
                .chain(self.outputs.iter().filter(|v| self.reads.contains(v)).copied())
                .collect(),
            _ => self.outputs.clone(),
        }
    }
}

/// A kernel, several element-wise ops fused into one pass, or a loop.
#[derive(Debug, Clone)]
pub enum StepKind {
    /// One kernel call.
    Kernel(Kernel),
    /// Ops run as one per-node program ([`crate::exec::fuse`]).
    Fused(Box<FusedStep>),
    /// A loop (or an execution block, which runs once).
    Loop(Box<LoopProgram>),
}

/// Ops fused into one per-node program.
#[derive(Debug, Clone)]
pub struct FusedStep {
    /// The program; its inputs are the step's `inputs`, its results the step's `outputs`.
    pub program: Arc<NodeProgram>,
    /// The ops it replaces, in program order: their ids and ops name a failure, and they
    /// run one by one when an input is not what the fusion expected.
    pub members: Vec<Step>,
}

/// A compiled loop.
#[derive(Debug, Clone)]
pub struct LoopProgram {
    /// Times the body runs.
    pub iterations: u64,
    /// `(initial, logical)`: copied once before the first iteration.
    pub init: Vec<(VarId, VarId)>,
    /// The body.
    pub body: Program,
}

/// A compiled IR (or loop body).
#[derive(Debug, Clone)]
pub struct Program {
    /// Steps in program order.
    pub steps: Vec<Step>,
    /// Step indices of each level, heaviest first by static work (program order among
    /// equals): the order the levels schedule hands them out in, so that a long op does
    /// not start last and leave the other workers idle at the barrier.
    pub levels: Vec<Vec<usize>>,
    /// Variables no later step reads after their last write: the program's results.
    pub sinks: Vec<VarId>,
    /// Number of variables in the variable space.
    pub var_count: usize,
    /// Variables each step reads or writes (loops: their free variables and results).
    pub touches: Vec<Vec<VarId>>,
    /// Steps that must finish before each step may start, reversed: its dependants.
    pub(crate) dependants: Vec<Vec<usize>>,
    /// Names of the variables, by id (shared by a program and its loop bodies).
    pub(crate) var_names: Arc<[String]>,
    /// Its fused versions made so far, by the variables the run keeps.
    plans: PlanCache,
}

/// Fused versions of a program, so repeated runs (a benchmark's repetitions) fuse once.
#[derive(Default)]
struct PlanCache(std::sync::Mutex<Vec<(Vec<bool>, Arc<Program>)>>);

impl Clone for PlanCache {
    fn clone(&self) -> PlanCache {
        PlanCache::default()
    }
}

impl std::fmt::Debug for PlanCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlanCache")
    }
}

/// Fused plans kept per program (a run keeps sinks, everything, or a few variables).
const PLANS_KEPT: usize = 4;

impl Program {
    /// Each step's level: the index into [`Program::levels`] of the level holding it.
    pub(crate) fn level_of_steps(&self) -> Vec<usize> {
        let mut level_of = vec![0; self.steps.len()];
        for (l, level) in self.levels.iter().enumerate() {
            for &i in level {
                level_of[i] = l;
            }
        }
        level_of
    }

    /// The program fused for a run that keeps `keep` ([`crate::exec::fuse`]), made once.
    pub fn fused(&self, keep: &[bool]) -> Arc<Program> {
        let mut plans = self.plans.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, p)) = plans.iter().find(|(k, _)| k == keep) {
            return Arc::clone(p);
        }
        let p = Arc::new(super::fuse::fuse(self, keep));
        if plans.len() >= PLANS_KEPT {
            plans.remove(0);
        }
        plans.push((keep.to_vec(), Arc::clone(&p)));
        p
    }

    /// Calls `f` on every step in program order, a loop's own step before its body's.
    pub(crate) fn visit_steps(&self, f: &mut impl FnMut(&Step)) {
        for s in &self.steps {
            f(s);
            if let StepKind::Loop(lp) = &s.kind {
                lp.body.visit_steps(f);
            }
        }
    }

    /// The name of variable `v`.
    pub fn var_name(&self, v: VarId) -> &str {
        &self.var_names[v.index()]
    }

    /// Compiles `ir` with its analysis `a`.
    pub fn compile(ir: &Ir, a: &Analysis) -> Result<Program, ExecError> {
        let map: Vec<VarId> = (0..ir.vars.len() as u32).map(VarId).collect();
        let names: Arc<[String]> = (0..ir.vars.len() as u32).map(|v| ir.var(VarId(v)).to_owned()).collect();
        compile_scope(ir, a, &map, &names)
    }

    /// A program of one kernel call reading variables `0..inputs` and writing variable
    /// `inputs`: what calibration and probes time.
    pub fn single(kernel: Kernel, inputs: usize) -> Program {
        let vars: Vec<VarId> = (0..inputs as u32).map(VarId).collect();
        let names: Arc<[String]> = (0..=inputs).map(|i| format!("v{i}")).collect();
        let step = Step {
            id: "kernel".into(),
            op: format!("{kernel:?}"),
            level: 0,
            kind: StepKind::Kernel(kernel),
            inputs: vars.clone(),
            reads: vars,
            outputs: vec![VarId(inputs as u32)],
            side_effect: false,
            work: 1.0,
            deps: Vec::new(),
        };
        Program::assemble(vec![step], inputs + 1, names)
    }

    /// A program of `steps` (in program order; their `deps` and `level` are recomputed):
    /// dependencies by the analysis's rule, levels as longest paths, the order each level
    /// hands out its steps, variable lifetimes and results.
    ///
    /// # Complexity
    /// O(steps + total operands), plus sorting each level.
    pub fn assemble(steps: Vec<Step>, var_count: usize, var_names: Arc<[String]>) -> Program {
        let preds = program_order_predecessors(steps.iter().map(Step::effects), steps.len(), var_count);
        Program::assemble_with(steps, preds, var_count, var_names)
    }

    /// [`Program::assemble`] with each step's dependencies already known (the analysis's,
    /// when compiling an IR).
    fn assemble_with(
        mut steps: Vec<Step>,
        preds: Vec<Vec<usize>>,
        var_count: usize,
        var_names: Arc<[String]>,
    ) -> Program {
        let mut level_of = vec![0u32; steps.len()];
        for (i, deps) in preds.iter().enumerate() {
            level_of[i] = deps.iter().map(|&d| level_of[d] + 1).max().unwrap_or(0);
        }
        let depth = level_of.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
        let mut levels: Vec<Vec<usize>> = vec![Vec::new(); depth];
        for (i, &l) in level_of.iter().enumerate() {
            levels[l as usize].push(i);
        }
        for level in &mut levels {
            level.sort_by(|&x, &y| steps[y].work.total_cmp(&steps[x].work));
        }
        let mut dependants = vec![Vec::new(); steps.len()];
        for (i, deps) in preds.iter().enumerate() {
            for &d in deps {
                dependants[d].push(i);
            }
        }
        for ((step, deps), level) in steps.iter_mut().zip(preds).zip(&level_of) {
            step.deps = deps;
            step.level = *level;
        }
        let mut last_read: Vec<Option<usize>> = vec![None; var_count];
        let mut last_write: Vec<Option<usize>> = vec![None; var_count];
        let mut touches = Vec::with_capacity(steps.len());
        for (i, step) in steps.iter().enumerate() {
            let mut touched: Vec<VarId> = step.reads.iter().chain(&step.outputs).copied().collect();
            touched.sort_unstable();
            touched.dedup();
            touches.push(touched);
            for v in &step.reads {
                last_read[v.index()] = Some(i);
            }
            for v in step.result_writes() {
                last_write[v.index()] = Some(i);
            }
        }
        let sinks = (0..var_count)
            .filter(|&v| last_write[v].is_some() && last_read[v].is_none_or(|r| r < last_write[v].unwrap_or(0)))
            .map(|v| VarId(v as u32))
            .collect();
        Program { steps, levels, sinks, var_count, touches, dependants, var_names, plans: PlanCache::default() }
    }
}

fn unsupported(node: &Node, why: String) -> ExecError {
    ExecError::Unsupported { node: node.id.clone(), op: node.op.to_string(), why }
}

/// Compiles one scope; `map` takes the scope's variable ids to the top-level space.
fn compile_scope(ir: &Ir, a: &Analysis, map: &[VarId], names: &Arc<[String]>) -> Result<Program, ExecError> {
    let mut steps = Vec::with_capacity(ir.nodes.len());
    for n in ir.node_ids() {
        let node = ir.node(n);
        let fx = a.effects.of(n);
        let outer = |vs: &[VarId]| -> Vec<VarId> { vs.iter().map(|v| map[v.index()]).collect() };
        let (kind, inputs) = match node.body.as_deref() {
            Some(body) => {
                let inner = body.ir();
                let inner_map: Vec<VarId> = (0..inner.vars.len() as u32)
                    .map(|v| {
                        let name = inner.var(VarId(v));
                        ir.vars.get(name).map(|o| map[o.index()]).expect("the loader adopts body variables")
                    })
                    .collect();
                let body_analysis = a.body(n).expect("bodies are analysed");
                let body_program = compile_scope(inner, body_analysis, &inner_map, names)?;
                let init = match body {
                    Body::Loop(l) => {
                        l.loop_vars.iter().map(|lv| (map[lv.initial.index()], map[lv.logical.index()])).collect()
                    }
                    Body::Block(_) => Vec::new(),
                };
                let lp = LoopProgram { iterations: body.iterations(), init, body: body_program };
                (StepKind::Loop(Box::new(lp)), outer(fx.reads))
            }
            None => {
                let kernel = Kernel::compile(node).map_err(|why| unsupported(node, why))?;
                let inputs = operands(ir, node, &kernel).map_err(|why| unsupported(node, why))?;
                (StepKind::Kernel(kernel), outer(&inputs))
            }
        };
        steps.push(Step {
            id: node.id.clone(),
            op: node.op.to_string(),
            level: 0,
            kind,
            inputs,
            reads: outer(fx.reads),
            outputs: outer(fx.writes),
            side_effect: fx.side_effect,
            work: a.costs[n.index()].work,
            deps: Vec::new(),
        });
    }
    let preds =
        ir.node_ids().map(|n| a.deps.predecessors(n).into_iter().map(crate::ir::NodeId::index).collect()).collect();
    Ok(Program::assemble_with(steps, preds, names.len(), names.clone()))
}

/// The variables a kernel reads, in the kernel's argument order: those the metadata names
/// ([`crate::ir::op::Op::hidden_reads`], as the analysis counts them), else the node's inputs.
fn operands(ir: &Ir, node: &Node, kernel: &Kernel) -> Result<Vec<VarId>, String> {
    let named = node.op.hidden_reads(node.inputs.len(), &node.metadata).operands;
    let resolved = named.and_then(|operands| {
        operands
            .iter()
            .map(|operand| match *operand {
                Operand::Input(i) => node.inputs.get(i).copied(),
                Operand::Named(name) => ir.vars.get(name),
            })
            .collect::<Option<Vec<VarId>>>()
    });
    if let Some(operands) = resolved {
        return Ok(operands);
    }
    let need = |n: usize| -> Result<Vec<VarId>, String> {
        if node.inputs.len() >= n {
            Ok(node.inputs.clone())
        } else {
            Err(format!("needs {n} inputs, has {}", node.inputs.len()))
        }
    };
    Ok(match kernel {
        Kernel::Where if node.inputs.len() == 2 => return Err("where has two inputs and no metadata.mask".into()),
        Kernel::Where | Kernel::FusedMadd => need(3)?,
        Kernel::FusedAxpy => need(4)?,
        Kernel::MapNodes(..) => match node.inputs.first() {
            Some(v) => vec![*v],
            None => return Err("map_nodes names no input variable".into()),
        },
        Kernel::Binary(_) | Kernel::Compare(_) | Kernel::Broadcast | Kernel::FusedNeighborMulAgg => need(2)?,
        Kernel::Unary(_)
        | Kernel::Recip(_)
        | Kernel::Clip(..)
        | Kernel::Reduce(_)
        | Kernel::Normalize(_)
        | Kernel::Copy
        | Kernel::NeighborAgg(..)
        | Kernel::CollectNeighbors(_)
        | Kernel::ModeList(_) => need(1)?,
        Kernel::Attach(_) => node.inputs.clone(),
        Kernel::Constant(_)
        | Kernel::InitNodes(_)
        | Kernel::InitIndex
        | Kernel::NodeCount
        | Kernel::EdgeCount
        | Kernel::Degree
        | Kernel::LoadAttr(_) => Vec::new(),
    })
}

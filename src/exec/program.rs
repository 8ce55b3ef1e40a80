//! An IR compiled for execution: each node's kernel, its operands in kernel order, its
//! level and dependencies, loops with their bodies in the same variable space. Compiling
//! fails before anything runs when an op has no kernel, naming the node and op.

use super::error::ExecError;
use super::kernel::Kernel;
use crate::analysis::Analysis;
use crate::ir::{Body, Ir, Node, NodeId, VarId};
use serde_json::Value as Json;

/// One executable step.
#[derive(Debug, Clone)]
pub struct Step {
    /// The node's file id (`node_11/3` inside a loop).
    pub id: String,
    /// The op name.
    pub op: String,
    /// Level in its own program.
    pub level: u32,
    /// What it does.
    pub kind: StepKind,
    /// Operands, in the kernel's order, in the top-level variable space.
    pub inputs: Vec<VarId>,
    /// The variable it writes.
    pub output: Option<VarId>,
    /// Indices of the steps it depends on (earlier in program order).
    pub deps: Vec<usize>,
}

/// A kernel or a loop.
#[derive(Debug, Clone)]
pub enum StepKind {
    /// One kernel call.
    Kernel(Kernel),
    /// A loop (or an execution block, which runs once).
    Loop(Box<LoopProgram>),
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
    /// Step indices of each level, heaviest first by the analysis's static work (program
    /// order among equals): the order the levels schedule hands them out in, so that a
    /// long op does not start last and leave the other workers idle at the barrier.
    pub levels: Vec<Vec<usize>>,
    /// For each variable: the last step index (top level) that reads or writes it.
    pub last_use: Vec<Option<usize>>,
    /// Variables no later step reads after their last write: the program's results.
    pub sinks: Vec<VarId>,
    /// Number of variables in the variable space.
    pub var_count: usize,
    /// Variables each step reads or writes (loops: their free variables and results).
    pub touches: Vec<Vec<VarId>>,
    /// Steps that must finish before each step may start, reversed: its dependants.
    pub dependants: Vec<Vec<usize>>,
    /// Names of the variables, by id (shared by a program and its loop bodies).
    pub var_names: std::sync::Arc<[String]>,
}

impl Program {
    /// Calls `f` on every step in program order, a loop's own step before its body's.
    pub fn visit_steps(&self, f: &mut impl FnMut(&Step)) {
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
        let names: std::sync::Arc<[String]> = (0..ir.vars.len() as u32).map(|v| ir.var(VarId(v)).to_owned()).collect();
        compile_scope(ir, a, &map, &names)
    }
}

fn unsupported(node: &Node, why: String) -> ExecError {
    ExecError::Unsupported { node: node.id.clone(), op: node.op.clone(), why }
}

/// Compiles one scope; `map` takes the scope's variable ids to the top-level space.
fn compile_scope(ir: &Ir, a: &Analysis, map: &[VarId], names: &std::sync::Arc<[String]>) -> Result<Program, ExecError> {
    let var_count = names.len();
    let mut steps = Vec::with_capacity(ir.nodes.len());
    for n in ir.node_ids() {
        let node = ir.node(n);
        let deps = a.deps.predecessors(n).into_iter().map(NodeId::index).collect();
        let level = a.levels.level(n);
        let step = match &node.body {
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
                let fx = a.effects.of(n);
                Step {
                    id: node.id.clone(),
                    op: node.op.clone(),
                    level,
                    kind: StepKind::Loop(Box::new(LoopProgram {
                        iterations: body.iterations(),
                        init,
                        body: body_program,
                    })),
                    inputs: fx.reads.iter().map(|v| map[v.index()]).collect(),
                    output: None,
                    deps,
                }
            }
            None => {
                let kernel = Kernel::compile(node).map_err(|why| unsupported(node, why))?;
                let inputs = operands(ir, node, &kernel).map_err(|why| unsupported(node, why))?;
                Step {
                    id: node.id.clone(),
                    op: node.op.clone(),
                    level,
                    kind: StepKind::Kernel(kernel),
                    inputs: inputs.iter().map(|v| map[v.index()]).collect(),
                    output: node.output.map(|v| map[v.index()]),
                    deps,
                }
            }
        };
        steps.push(step);
    }
    let levels = a
        .levels
        .levels
        .iter()
        .map(|l| {
            let mut level: Vec<usize> = l.iter().map(|n| n.index()).collect();
            level.sort_by(|&x, &y| a.costs[y].work.total_cmp(&a.costs[x].work));
            level
        })
        .collect();
    let mut last_use: Vec<Option<usize>> = vec![None; var_count];
    let mut last_read: Vec<Option<usize>> = vec![None; var_count];
    let mut last_write: Vec<Option<usize>> = vec![None; var_count];
    let mut touches = Vec::with_capacity(steps.len());
    for (i, n) in ir.node_ids().enumerate() {
        let fx = a.effects.of(n);
        let mut touched: Vec<VarId> = fx.reads.iter().chain(fx.writes).map(|v| map[v.index()]).collect();
        touched.sort_unstable();
        touched.dedup();
        touches.push(touched);
        for v in fx.reads {
            last_use[map[v.index()].index()] = Some(i);
            last_read[map[v.index()].index()] = Some(i);
        }
        // A loop's temporaries are not results: only its loop variables and the outer
        // variables it updates in place (and whatever a later step reads) outlive it.
        let carried: Vec<VarId> = match &steps[i].kind {
            StepKind::Loop(lp) => lp
                .init
                .iter()
                .map(|&(_, logical)| logical)
                .chain(fx.writes.iter().filter(|v| fx.reads.contains(v)).map(|v| map[v.index()]))
                .collect(),
            StepKind::Kernel(_) => Vec::new(),
        };
        for v in fx.writes {
            let v = map[v.index()];
            last_use[v.index()] = Some(i);
            if matches!(steps[i].kind, StepKind::Kernel(_)) || carried.contains(&v) {
                last_write[v.index()] = Some(i);
            }
        }
    }
    let sinks = (0..var_count)
        .filter(|&v| last_write[v].is_some() && last_read[v].is_none_or(|r| r < last_write[v].unwrap_or(0)))
        .map(|v| VarId(v as u32))
        .collect();
    let mut dependants = vec![Vec::new(); steps.len()];
    for (i, step) in steps.iter().enumerate() {
        for &d in &step.deps {
            dependants[d].push(i);
        }
    }
    Ok(Program { steps, levels, last_use, sinks, var_count, touches, dependants, var_names: names.clone() })
}

/// The variables a kernel reads, in the kernel's argument order.
fn operands(ir: &Ir, node: &Node, kernel: &Kernel) -> Result<Vec<VarId>, String> {
    let named =
        |key: &str| -> Option<VarId> { node.metadata.get(key).and_then(Json::as_str).and_then(|s| ir.vars.get(s)) };
    let fused = |keys: &[&str]| -> Option<Vec<VarId>> {
        let Json::Object(f) = node.metadata.get("fused_inputs")? else { return None };
        keys.iter().map(|k| f.get(*k).and_then(Json::as_str).and_then(|s| ir.vars.get(s))).collect()
    };
    let need = |n: usize| -> Result<Vec<VarId>, String> {
        if node.inputs.len() >= n {
            Ok(node.inputs.clone())
        } else {
            Err(format!("needs {n} inputs, has {}", node.inputs.len()))
        }
    };
    Ok(match kernel {
        Kernel::Where if node.inputs.len() == 2 => match named("mask") {
            Some(mask) => vec![mask, node.inputs[0], node.inputs[1]],
            None => return Err("where has two inputs and no metadata.mask".into()),
        },
        Kernel::Where => need(3)?,
        Kernel::FusedAxpy => match fused(&["a", "x", "b", "y"]) {
            Some(v) => v,
            None => need(4)?,
        },
        Kernel::FusedMadd => match fused(&["a", "b", "c"]) {
            Some(v) => v,
            None => need(3)?,
        },
        Kernel::MapNodes(..) => {
            let first = match node.metadata.get("map_inputs") {
                Some(Json::Object(m)) => m.values().find_map(Json::as_str).and_then(|s| ir.vars.get(s)),
                _ => None,
            };
            match first.or_else(|| node.inputs.first().copied()) {
                Some(v) => vec![v],
                None => return Err("map_nodes names no input variable".into()),
            }
        }
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

//! Predictions that hold: a cost model per op class ([`cost_model`]), its constants
//! calibrated on this machine ([`calibrate`]), makespans simulated from the real plan in
//! each mode on P threads ([`simulate`]), and the speedup curve ([`curve`]).
//!
//! Two predictions per mode: *static* (costs from the model and the graph's size) and
//! *calibrated* (costs from the measured per-op times of a sequential run). Where they
//! differ, the cost model is wrong about some op; where the calibrated one is off, the
//! simulator (overheads, contention, scheduling) is.

pub mod accuracy;
pub mod calibrate;
pub mod commands;
pub mod cost_model;
pub mod curve;
pub mod probe;
pub mod simulate;

use std::collections::{HashMap, HashSet};

use crate::exec::Mode;
use crate::exec::bench::measurement::Measurement;
use crate::exec::bench::stats::median;
use crate::exec::kernel::Kernel;
use crate::exec::program::{Program, StepKind};
use crate::exec::span::OpSpan;
use crate::ir::VarId;
use cost_model::{CostModel, OpClass};
use probe::ProbeFit;
use serde::Serialize;
use simulate::{Dag, Overheads, speedup};

/// Which variables hold scalars, from the kernels that write them (constants, counts and
/// reductions; a copy of a scalar). Loop bodies share the variable space.
///
/// # Complexity
/// O(steps), loop bodies included, twice (a loop may copy a scalar written later in its body).
pub fn scalar_vars(program: &Program) -> Vec<bool> {
    let mut scalar = vec![false; program.var_count];
    let mut mark = |s: &crate::exec::program::Step| match &s.kind {
        StepKind::Kernel(k) => {
            if let Some(&out) = s.outputs.first() {
                scalar[out.index()] = match k {
                    Kernel::Constant(_) | Kernel::NodeCount | Kernel::EdgeCount | Kernel::Reduce(_) => true,
                    Kernel::Copy => s.inputs.first().is_some_and(|v| scalar[v.index()]),
                    _ => false,
                };
            }
        }
        StepKind::Fused(f) => {
            for (v, o) in s.outputs.iter().zip(&f.program.outputs) {
                scalar[v.index()] = matches!(o, crate::exec::kernels::eval::Output::Reduce(_));
            }
        }
        StepKind::Loop(lp) => {
            for &(initial, logical) in &lp.init {
                scalar[logical.index()] = scalar[initial.index()];
            }
        }
    };
    program.visit_steps(&mut mark);
    program.visit_steps(&mut mark);
    scalar
}

/// The static cost table: each kernel costed by `model` on a graph of `nodes` nodes and
/// `edges` edges.
pub fn static_dag(program: &Program, model: &CostModel, nodes: usize, edges: usize) -> Dag {
    let scalar = scalar_vars(program);
    let maps = |inputs: &[VarId]| inputs.iter().filter(|v| !scalar[v.index()]).count();
    Dag::from_program(program, &mut |s| match &s.kind {
        StepKind::Kernel(k) => model.kernel_cost(k, maps(&s.inputs), nodes, edges),
        StepKind::Fused(f) => fused_cost(f.members.iter().filter_map(|m| match &m.kind {
            StepKind::Kernel(k) => Some(model.kernel_cost(k, maps(&m.inputs), nodes, edges)),
            _ => None,
        })),
        StepKind::Loop(_) => unreachable!("from_program costs kernels only"),
    })
}

/// The cost of ops fused into one pass: their times added, the parallel behaviour of the
/// most contended (a fused pass streams what its members streamed, minus the maps it no
/// longer writes and reads).
fn fused_cost(members: impl Iterator<Item = cost_model::KernelCost>) -> cost_model::KernelCost {
    let mut total: Option<cost_model::KernelCost> = None;
    for c in members {
        total = Some(match total {
            None => c,
            Some(t) => cost_model::KernelCost {
                seconds: t.seconds + c.seconds,
                serial: t.serial.min(c.serial),
                splittable: t.splittable || c.splittable,
                chunks: t.chunks.max(c.chunks),
                contention: t.contention.max(c.contention),
                split_contention: t.split_contention.max(c.split_contention),
            },
        });
    }
    total.unwrap_or_else(|| cost_model::KernelCost::fixed(0.0))
}

/// The kernel whose parallel behaviour stands for a step's (a fused step's heaviest member).
fn representative(s: &crate::exec::program::Step) -> Option<&Kernel> {
    match &s.kind {
        StepKind::Kernel(k) => Some(k),
        StepKind::Fused(f) => f
            .members
            .iter()
            .filter_map(|m| match &m.kind {
                StepKind::Kernel(k) => Some(k),
                _ => None,
            })
            .max_by_key(|k| OpClass::of(k) as u8),
        StepKind::Loop(_) => None,
    }
}

/// The calibrated cost table: each kernel's single-thread time is its median measured time
/// in `spans` (sequential runs'; matched by node id, `node_11/3` for a loop body's step,
/// over every iteration and run); the model gives how it behaves in parallel, and the
/// static cost stands in for a step without spans.
pub fn calibrated_dag(program: &Program, spans: &[OpSpan], model: &CostModel, nodes: usize, edges: usize) -> Dag {
    let mut measured: HashMap<&str, Vec<f64>> = HashMap::new();
    for s in spans {
        measured.entry(s.node.as_str()).or_default().push((s.end_s - s.start_s).max(0.0));
    }
    let measured: HashMap<&str, f64> = measured.into_iter().map(|(id, d)| (id, median(d))).collect();
    let scalar = scalar_vars(program);
    let maps = |inputs: &[VarId]| inputs.iter().filter(|v| !scalar[v.index()]).count();
    Dag::from_program(program, &mut |s| match (representative(s), measured.get(s.id.as_str())) {
        (Some(k), Some(&seconds)) => model.with_seconds(k, seconds, maps(&s.inputs), nodes),
        (Some(k), None) => match &s.kind {
            StepKind::Fused(_) => fused_cost(std::iter::once(model.kernel_cost(k, maps(&s.inputs), nodes, edges))),
            _ => model.kernel_cost(k, maps(&s.inputs), nodes, edges),
        },
        (None, _) => unreachable!("from_program costs kernels only"),
    })
}

/// Ids of the steps (loop bodies included) whose kernels touch the graph: every class but
/// scalar ops.
pub fn graph_op_ids(program: &Program) -> HashSet<String> {
    let mut out = HashSet::new();
    program.visit_steps(&mut |s| {
        if let Some(k) = representative(s)
            && OpClass::of(k) != OpClass::Scalar
        {
            out.insert(s.id.clone());
        }
    });
    out
}

/// The median duration of the spans of `ops` (0 when there are none).
pub fn typical_op_seconds(spans: &[OpSpan], ops: &HashSet<String>) -> f64 {
    median(spans.iter().filter(|s| ops.contains(&s.node)).map(|s| s.end_s - s.start_s).collect())
}

/// Below this typical op time (seq's median over the ops that touch the graph) a parallel
/// run is mostly workers waking up, which the model does not price.
pub const SHORT_OP_S: f64 = 5e-4;

/// One mode's predicted speedups over seq, at the mode's thread count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModePredicted {
    /// groggy's estimate (one number for every parallel mode; its heuristic).
    pub groggy: f64,
    /// irtop's cost model on the graph's size, simulated on the plan.
    #[serde(rename = "static")]
    pub static_model: f64,
    /// The same simulation with seq's measured per-op times (absent without seq's timeline).
    pub calibrated: Option<f64>,
}

/// Everything predicted for one benchmark, made from its measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Predictions {
    /// groggy's `estimated_speedup` (its heuristic, on irtop's levels).
    pub groggy: f64,
    /// Each measured mode's predictions, in the measurement's order.
    #[serde(skip)]
    pub modes: Vec<(Mode, ModePredicted)>,
    /// Predicted speedup of each parallel mode for 1..64 threads.
    pub curve: Vec<curve::CurvePoint>,
    /// Where the cost model's constants come from: `calibrated 11:02` or `default costs`.
    pub costs: String,
    /// Contention and serial parts measured between the rounds, which the calibrated
    /// prediction uses (absent on one thread or when not probed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeFit>,
    /// Why the predictions should not be trusted on this run, when there is a reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Predictions {
    /// `mode`'s predictions.
    pub fn mode(&self, mode: Mode) -> Option<&ModePredicted> {
        self.modes.iter().find(|(m, _)| *m == mode).map(|(_, p)| p)
    }
}

/// The predictions for a benchmark of `program` (`fused` as the benchmark ran it) that
/// measured `measured`, with `model`
/// (labelled `source`) and what the probe measured between rounds: each mode's static and
/// calibrated (from seq's spans) speedup at its thread count, groggy's estimate beside
/// them, and the speedup curve (calibrated costs when there are, else static).
pub fn predict(
    measured: &Measurement,
    program: &Program,
    fused: bool,
    groggy: f64,
    model: &CostModel,
    source: &str,
    probe: Option<ProbeFit>,
) -> Predictions {
    // The plan the benchmark ran: fused for a run that keeps its results, unless it was not.
    let plan = fused.then(|| program.fused(&crate::exec::executor::keep_mask(program, &crate::exec::Retain::Sinks)));
    let program = plan.as_deref().unwrap_or(program);
    let (nodes, edges) = (measured.graph.nodes, measured.graph.edges);
    let ov = Overheads::of(model);
    let stat = static_dag(program, model, nodes, edges);
    let seq_spans =
        if measured.seq_spans.is_empty() { measured.timeline(Mode::SEQ) } else { Some(&measured.seq_spans[..]) };
    // The calibrated prediction takes the parallel behaviour measured during the benchmark
    // when there is one, the model's otherwise.
    let measured_model = probe.map_or(*model, |p| p.apply(model));
    let calibrated =
        seq_spans.filter(|s| !s.is_empty()).map(|spans| calibrated_dag(program, spans, &measured_model, nodes, edges));
    let typical = seq_spans.map_or(0.0, |spans| typical_op_seconds(spans, &graph_op_ids(program)));
    let modes = measured
        .modes
        .iter()
        .map(|m| {
            let seq = m.mode.is_seq();
            let at = |dag: &Dag| if seq { 1.0 } else { speedup(dag, m.mode, m.threads, &ov) };
            let p = ModePredicted {
                groggy: if seq { 1.0 } else { groggy },
                static_model: at(&stat),
                calibrated: calibrated.as_ref().map(at),
            };
            (m.mode, p)
        })
        .collect();
    let note = (typical > 0.0 && typical < SHORT_OP_S && measured.threads > 1).then(|| {
        format!(
            "ops take {:.0} µs, too short to predict (wake-ups are not modelled): use a larger graph",
            typical * 1e6
        )
    });
    let costs = match probe {
        Some(p) => format!("{source} + probe ({} samples)", p.samples),
        None => source.to_owned(),
    };
    Predictions { groggy, modes, curve: curve::curve(calibrated.as_ref().unwrap_or(&stat), &ov), costs, probe, note }
}

//! Predictions that hold: a cost model per op class ([`cost_model`]), its constants
//! calibrated on this machine ([`calibrate`]), makespans of the engine's own schedules on a
//! virtual clock in each mode on P threads ([`simulate`]), the speedup curve ([`curve`]),
//! and `auto`'s plan ([`auto`]).
//!
//! Two predictions per mode: *static* (costs from the model and the graph's size) and
//! *calibrated* (costs from the measured per-op times of a sequential run). Where they
//! differ, the cost model is wrong about some op; where the calibrated one is off, the
//! simulator (overheads, contention, scheduling) is.

pub(crate) mod accuracy;
pub mod auto;
pub mod calibrate;
pub mod cost_model;
pub mod curve;
pub(crate) mod probe;
pub mod simulate;
pub(crate) mod upfront;

use std::collections::HashMap;

use serde::Serialize;

use crate::exec::Mode;
use crate::exec::bench::measurement::Measurement;
use crate::exec::bench::stats::median;
use crate::exec::cache_footprint::CacheFootprint;
use crate::exec::kernel::Kernel;
use crate::exec::kernels::CHUNK;
use crate::exec::program::{Program, Step, StepKind};
use crate::exec::simulated_run::{Overheads, StepCost};
use crate::exec::span::OpSpan;
use crate::ir::VarId;
use cost_model::{CostModel, OpClass};
use probe::ProbeFit;
use simulate::{CostTable, speedup};

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
                    Kernel::InitNodes(_)
                    | Kernel::InitIndex
                    | Kernel::Degree
                    | Kernel::Binary(_)
                    | Kernel::Unary(_)
                    | Kernel::Recip(_)
                    | Kernel::Clip(..)
                    | Kernel::Compare(_)
                    | Kernel::Where
                    | Kernel::Broadcast
                    | Kernel::Normalize(_)
                    | Kernel::NeighborAgg(..)
                    | Kernel::LoadAttr(_)
                    | Kernel::Attach(_)
                    | Kernel::FusedAxpy
                    | Kernel::FusedMadd
                    | Kernel::FusedNeighborMulAgg
                    | Kernel::MapNodes(..)
                    | Kernel::CollectNeighbors(_)
                    | Kernel::ModeList(_) => false,
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

/// The cost of a kernel step as the virtual clock takes it.
fn clock_cost(k: cost_model::KernelCost) -> StepCost {
    StepCost {
        seconds: k.seconds,
        chunks: if k.splittable { k.chunks } else { 1 },
        contention: k.contention,
        split_contention: k.split_contention,
    }
}

/// The cost of ops fused into one pass: their times added, the parallel behaviour of the
/// most contended (a fused pass streams what its members streamed, minus the maps it no
/// longer writes and reads).
fn fused_cost(members: impl Iterator<Item = StepCost>) -> StepCost {
    members
        .reduce(|t, c| StepCost {
            seconds: t.seconds + c.seconds,
            chunks: t.chunks.max(c.chunks),
            contention: t.contention.max(c.contention),
            split_contention: t.split_contention.max(c.split_contention),
        })
        .unwrap_or(StepCost::fixed(0.0))
}

/// The kernel whose parallel behaviour stands for a step's (a fused step's heaviest member).
fn representative(s: &Step) -> Option<&Kernel> {
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

/// The static cost table: each kernel costed by `model` on a graph of `nodes` nodes and
/// `edges` edges, and cache misses priced by [`footprint`].
pub fn static_table(program: &Program, model: &CostModel, nodes: usize, edges: usize) -> CostTable {
    static_costs(program, model, nodes, edges).with_cache(program, footprint(program, model, nodes))
}

/// What the order of steps costs on a graph of `nodes` nodes: `model`'s last-level cache,
/// 8 bytes per node per map, and a map read from memory instead of the cache at the
/// difference between the model's streaming rates.
pub fn footprint(program: &Program, model: &CostModel, nodes: usize) -> CacheFootprint {
    let n = nodes as f64;
    CacheFootprint {
        cache_bytes: model.cache_bytes,
        map_bytes: 8.0 * n,
        miss_s: (model.stream_ns - model.stream_cached_ns).max(0.0) * n * 1e-9,
        is_map: scalar_vars(program).into_iter().map(|scalar| !scalar).collect(),
        seq_misses: Vec::new(),
    }
}

/// [`static_table`] without the cache.
pub(crate) fn static_costs(program: &Program, model: &CostModel, nodes: usize, edges: usize) -> CostTable {
    let scalar = scalar_vars(program);
    let maps = |inputs: &[VarId]| inputs.iter().filter(|v| !scalar[v.index()]).count();
    CostTable::of(program, &mut |s| match &s.kind {
        StepKind::Kernel(k) => clock_cost(model.kernel_cost(k, maps(&s.inputs), nodes, edges)),
        StepKind::Fused(f) => fused_cost(f.members.iter().filter_map(|m| match &m.kind {
            StepKind::Kernel(k) => Some(clock_cost(model.kernel_cost(k, maps(&m.inputs), nodes, edges))),
            _ => None,
        })),
        StepKind::Loop(_) => StepCost::fixed(0.0),
    })
}

/// The calibrated cost table: each step's single-thread time is its median measured time
/// in `spans` (sequential runs'; matched by step id, `node_11/3` or `a+b` in a loop body,
/// over every iteration and run); the model gives how it behaves in parallel, and the
/// static cost stands in for a step without spans.
pub fn calibrated_table(
    program: &Program,
    spans: &[OpSpan],
    model: &CostModel,
    nodes: usize,
    edges: usize,
) -> CostTable {
    let mut measured: HashMap<&str, Vec<f64>> = HashMap::new();
    for s in spans {
        measured.entry(s.node.as_str()).or_default().push((s.end_s - s.start_s).max(0.0));
    }
    let measured: HashMap<&str, f64> = measured.into_iter().map(|(id, d)| (id, median(d))).collect();
    let stat = static_costs(program, model, nodes, edges);
    let scalar = scalar_vars(program);
    let maps = |inputs: &[VarId]| inputs.iter().filter(|v| !scalar[v.index()]).count();
    let mut table = CostTable::of(program, &mut |s| match (representative(s), measured.get(s.id.as_str())) {
        (Some(k), Some(&seconds)) => {
            let c = clock_cost(model.with_seconds(k, seconds, maps(&s.inputs), nodes));
            if matches!(s.kind, StepKind::Fused(_)) {
                StepCost { chunks: nodes.div_ceil(CHUNK).max(1), ..c }
            } else {
                c
            }
        }
        _ => StepCost { seconds: f64::NAN, ..StepCost::fixed(0.0) },
    });
    // Steps without spans take the static cost.
    for (r, row) in table.regions.iter_mut().enumerate() {
        for (i, c) in row.iter_mut().enumerate() {
            if c.seconds.is_nan() {
                *c = stat.cost(r, i);
            }
        }
    }
    table.with_cache(program, footprint(program, model, nodes))
}

/// Whether running a mode in parallel is worth it, from its predicted band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Even the band's low end is at least [`PAYS_AT`] times seq.
    Pays,
    /// The band straddles seq's time.
    Marginal,
    /// Even the band's high end is slower than seq.
    Loses,
}

/// The speedup from which parallel running clearly pays.
pub const PAYS_AT: f64 = 1.1;

impl Verdict {
    /// The verdict of a band.
    pub fn of(band: [f64; 2]) -> Verdict {
        if band[0] >= PAYS_AT {
            Verdict::Pays
        } else if band[1] < 1.0 {
            Verdict::Loses
        } else {
            Verdict::Marginal
        }
    }

    /// How it reads.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pays => "pays",
            Verdict::Marginal => "marginal",
            Verdict::Loses => "loses",
        }
    }
}

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
    /// Where the speedup lies when contention and the overheads of waking threads are at
    /// the low and the high end of what was measured around the point, widened by how far
    /// seq's own rounds spread (the machine's run-to-run noise).
    pub band: [f64; 2],
    /// What the band says.
    pub verdict: Verdict,
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
    /// Contention measured between the rounds, which the calibrated prediction uses
    /// (absent on one thread or when not probed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeFit>,
    /// What `auto` chose and why, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto: Option<auto::Choices>,
}

impl Predictions {
    /// `mode`'s predictions.
    pub fn mode(&self, mode: Mode) -> Option<&ModePredicted> {
        self.modes.iter().find(|(m, _)| *m == mode).map(|(_, p)| p)
    }
}

/// The machine's overheads in `model`, as the virtual clock takes them, for a run that finds
/// the pool's workers asleep (a run on its own).
pub fn overheads(model: &CostModel) -> Overheads {
    overheads_after_idle(model, None)
}

/// The same for a run that starts `idle` seconds after the pool's workers last ran: within
/// the model's warm window they are still awake and join at the warm costs.
pub(crate) fn overheads_after_idle(model: &CostModel, idle: Option<f64>) -> Overheads {
    let warm = idle.is_some_and(|s| s * 1e9 <= model.warm_window_ns);
    let (recruit_ns, recruit_call_ns) = if warm {
        (model.warm_recruit_ns, model.warm_recruit_call_ns)
    } else {
        (model.recruit_ns, model.recruit_call_ns)
    };
    Overheads {
        recruit_s: recruit_ns * 1e-9,
        wake_s: model.wake_ns * 1e-9,
        split_s: model.split_ns * 1e-9,
        spin_s: crate::exec::engine::SPIN.as_secs_f64(),
        recruit_call_s: recruit_call_ns * 1e-9,
        wake_call_s: model.wake_call_ns * 1e-9,
    }
}

/// `ov` with every overhead but the spin times `k`.
fn scaled(ov: Overheads, k: f64) -> Overheads {
    Overheads {
        recruit_s: ov.recruit_s * k,
        wake_s: ov.wake_s * k,
        split_s: ov.split_s * k,
        recruit_call_s: ov.recruit_call_s * k,
        wake_call_s: ov.wake_call_s * k,
        ..ov
    }
}

/// A band's ends: the model with contention at the optimistic and the pessimistic end, and
/// how much the overheads are scaled there (halved and doubled).
fn band_models(model: &CostModel, probe: Option<ProbeFit>) -> [(CostModel, f64); 2] {
    let (low, high) = match probe {
        Some(p) => (p.at(model, probe::Quartile::Low), p.at(model, probe::Quartile::High)),
        None => (
            model.scaled_contention(1.0 - model.contention_spread),
            model.scaled_contention(1.0 + model.contention_spread),
        ),
    };
    [(low, 0.5), (high, 2.0)]
}

/// How far the machine moves one run from the next, relative: half the interquartile
/// range of seq's rounds over their median (at most a quarter). No prediction of a speedup
/// can be closer than that to what a run measures, so the band is that much wider.
fn seq_noise(measured: &Measurement) -> f64 {
    let Some(seq) = measured.modes.iter().find(|m| m.mode.is_seq()) else { return 0.0 };
    let mut t = seq.times_s.clone();
    if t.len() < 4 || seq.median_s <= 0.0 {
        return 0.0;
    }
    t.sort_by(f64::total_cmp);
    let q = |p: f64| t[((t.len() - 1) as f64 * p).round() as usize];
    ((q(0.75) - q(0.25)) / (2.0 * seq.median_s)).clamp(0.0, 0.25)
}

/// What the predictions are made with: the cost model, where it came from and the
/// contention the probe measured between rounds.
#[derive(Debug, Clone, Copy)]
pub struct Basis<'a> {
    /// The machine's constants.
    pub model: &'a CostModel,
    /// Where they come from, as the report labels it: `calibrated 11:02`, `default costs`.
    pub source: &'a str,
    /// Contention measured during the benchmark, if it was probed.
    pub probe: Option<ProbeFit>,
}

/// The predictions for a benchmark of `program` (`fused` as the benchmark ran it) that
/// measured `measured`, made with `basis`, and the plan `auto` ran: each mode's static and
/// calibrated (from seq's spans) speedup at its thread count with its band, groggy's
/// estimate beside them, and the speedup curve (calibrated costs when there are, else static).
pub fn predict(
    measured: &Measurement,
    program: &Program,
    fused: bool,
    groggy: f64,
    basis: Basis<'_>,
    auto: Option<&auto::AutoPlan>,
) -> Predictions {
    let Basis { model, source, probe } = basis;
    // The plan the benchmark ran: fused for a run that keeps its results, unless it was not.
    let plan = fused.then(|| program.fused(&crate::exec::executor::keep_mask(program, &crate::exec::Retain::Sinks)));
    let program = plan.as_deref().unwrap_or(program);
    let (nodes, edges) = (measured.graph.nodes, measured.graph.edges);
    let seq_spans =
        if measured.seq_spans.is_empty() { measured.timeline(Mode::SEQ) } else { Some(&measured.seq_spans[..]) };
    // The calibrated prediction takes the contention measured during the benchmark when
    // there is one, the model's otherwise.
    let measured_model = probe.map_or(*model, |p| p.apply(model));
    let stat = static_table(program, model, nodes, edges);
    let calibrated = seq_spans
        .filter(|s| !s.is_empty())
        .map(|spans| calibrated_table(program, spans, &measured_model, nodes, edges));
    let auto_plan = auto.map(|a| &a.plan);
    let ends = band_models(&measured_model, probe);
    let machine_noise = seq_noise(measured);
    // The op times at each end of the band (the same for every mode).
    let band_tables = ends.iter().map(|(model, k)| {
        let table = match seq_spans.filter(|s| !s.is_empty()) {
            Some(spans) => calibrated_table(program, spans, model, nodes, edges),
            None => static_table(program, model, nodes, edges),
        };
        (table, *k)
    });
    let band_tables: Vec<(CostTable, f64)> = band_tables.collect();
    let modes = measured
        .modes
        .iter()
        .map(|m| {
            let plan = if m.mode == Mode::AUTO { auto_plan } else { None };
            // Whether the pool's workers were still awake when this mode's runs began.
            let ov = overheads_after_idle(model, measured.pool_idle(m.mode));
            let at = |table: &CostTable, ov: &Overheads| {
                if m.mode.is_seq() { 1.0 } else { speedup(program, table, m.mode, m.threads, ov, plan) }
            };
            let point_table = calibrated.as_ref().unwrap_or(&stat);
            let point = at(point_table, &ov);
            let static_model = if calibrated.is_some() { at(&stat, &ov) } else { point };
            let end = |(table, k): &(CostTable, f64)| at(table, &scaled(ov, *k));
            let (hi, lo) = (end(&band_tables[0]), end(&band_tables[1]));
            let band = [lo.min(hi).min(point) * (1.0 - machine_noise), hi.max(lo).max(point) * (1.0 + machine_noise)];
            let p = ModePredicted {
                groggy: if m.mode.is_seq() { 1.0 } else { groggy },
                static_model,
                calibrated: calibrated.as_ref().map(|_| point),
                band,
                verdict: if m.mode.is_seq() { Verdict::Marginal } else { Verdict::of(band) },
            };
            (m.mode, p)
        })
        .collect();
    let costs = match probe {
        Some(p) => format!("{source} + probe ({})", crate::units::count(p.samples, "sample")),
        None => source.to_owned(),
    };
    Predictions {
        groggy,
        modes,
        curve: curve::curve(program, calibrated.as_ref().unwrap_or(&stat), &overheads(model)),
        costs,
        probe,
        auto: auto.map(|a| a.choices.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::bench::measurement::{GraphInfo, ModeRuns, Stopped};

    #[test]
    fn a_pool_still_awake_recruits_at_the_warm_costs() {
        let model = CostModel::default();
        let window_s = model.warm_window_ns * 1e-9;
        let warm = overheads_after_idle(&model, Some(window_s / 2.0));
        let cold = overheads_after_idle(&model, Some(window_s * 2.0));
        assert_eq!(warm.recruit_s, model.warm_recruit_ns * 1e-9);
        assert_eq!(warm.recruit_call_s, model.warm_recruit_call_ns * 1e-9);
        assert_eq!(cold.recruit_s, model.recruit_ns * 1e-9);
        assert_eq!(cold.recruit_call_s, model.recruit_call_ns * 1e-9);
        // Unmeasured idle time: a run on its own, which finds the workers asleep.
        assert_eq!(overheads_after_idle(&model, None), cold);
        assert_eq!(overheads(&model), cold);
    }

    /// The predictions for seq and `data` measured at 8 and 9 µs on a 2^14-node
    /// graph, with the pool idle for `idle_s` before `data`'s runs.
    fn predicted_data(idle_s: f64) -> f64 {
        let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/chain.json"));
        let ir = crate::ir::load_file(path).expect("the sample loads");
        let program = Program::compile(&ir, &crate::analysis::analyze(&ir)).expect("compiles");
        let data: Mode = "data".parse().expect("a mode");
        let runs = vec![
            ModeRuns { mode: Mode::SEQ, threads: 1, times_s: vec![8e-6; 5], max_abs_diff: 0.0 },
            ModeRuns { mode: data, threads: 2, times_s: vec![9e-6; 5], max_abs_diff: 0.0 },
        ];
        let graph = GraphInfo { nodes: 1 << 14, edges: 1 << 18, source: "test".into() };
        let mut measured = Measurement::from_rounds(graph, 2, runs, Stopped::Converged);
        measured.pool_idle_s = vec![(data, idle_s)];
        let model = CostModel::default();
        let basis = Basis { model: &model, source: "test", probe: None };
        let p = predict(&measured, &program, true, 1.0, basis, None);
        p.mode(data).expect("data is predicted").static_model
    }

    #[test]
    fn a_microsecond_run_right_after_another_is_predicted_faster_than_one_after_a_pause() {
        let model = CostModel::default();
        let warm = predicted_data(model.warm_window_ns * 1e-9 / 2.0);
        let cold = predicted_data(1e-3);
        // The cold recruitment alone is several times the whole run.
        assert!(warm > cold * 1.2, "warm {warm} vs cold {cold}");
    }
}

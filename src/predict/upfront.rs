//! What a benchmark will cost, known before anything runs: how long the predictions after
//! it take to simulate (they depend on the program, not on the graph), and how long one seq
//! run takes on a graph that is not built yet. The pipeline takes both out of the budget.

use std::time::Instant;

use super::cost_model::CostModel;
use super::curve::{CURVE_MAX_THREADS, CURVE_THREADS};
use super::simulate::makespan;
use super::{overheads, static_costs, static_table};
use crate::exec::{Mode, Program};

/// Simulations per benchmarked mode: the point, the static prediction and the band's ends.
const SIMULATIONS_PER_MODE: usize = 4;

/// One seq simulation per cost table, which finds seq's own cache misses: the static and the
/// calibrated table and the band's two.
const TABLE_SIMULATIONS: usize = 4;

/// Seconds the predictions of a benchmark of `modes` modes (seq included) on `threads`
/// threads will take on this machine. Two simulations are timed, on `threads` members and
/// on the curve's largest count; a simulation's time grows with its members, so each curve
/// point is priced on the line through those two.
///
/// # Complexity
/// Two simulations of `program`.
pub(crate) fn predicting_seconds(
    program: &Program,
    fuse: bool,
    model: &CostModel,
    threads: usize,
    modes: usize,
) -> f64 {
    let fused;
    let program = if fuse {
        fused = program.fused(&crate::exec::executor::keep_mask(program, &crate::exec::Retain::Sinks));
        &*fused
    } else {
        program
    };
    let table = static_table(program, model, 1 << 16, 1 << 20);
    let ov = overheads(model);
    let mode = Mode { schedule: crate::exec::executor::Schedule::Dataflow, data: true };
    let timed = |members: usize| {
        let started = Instant::now();
        makespan(program, &table, mode, members, &ov, None);
        started.elapsed().as_secs_f64()
    };
    let low_p = threads.clamp(1, CURVE_MAX_THREADS);
    let (low, high) = (timed(low_p), timed(CURVE_MAX_THREADS));
    let at = |p: usize| {
        let slope = (high - low).max(0.0) / (CURVE_MAX_THREADS - low_p).max(1) as f64;
        low.max(low + slope * (p as f64 - low_p as f64))
    };
    let parallel_fixed = Mode::FIXED.iter().filter(|m| !m.is_seq()).count() as f64;
    let curve: f64 = CURVE_THREADS.iter().map(|&p| at(p) * parallel_fixed).sum();
    curve + low * (SIMULATIONS_PER_MODE * modes + TABLE_SIMULATIONS) as f64
}

/// Seconds one seq run of `program` takes on a graph of `nodes` and `edges`, by the static
/// cost model: a guess good to a few times, for skipping graphs far too large to size.
pub(crate) fn seq_seconds(program: &Program, model: &CostModel, nodes: usize, edges: usize) -> f64 {
    // The work is seq's time, which the cache does not change: no simulation is needed.
    static_costs(program, model, nodes, edges).work(program)
}

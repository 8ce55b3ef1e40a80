//! Makespans and speedups of a (fused) program in each mode on P threads: the engine's own
//! schedules on the virtual clock ([`crate::exec::simulated_run`]), with a cost per step
//! from the cost model (static) or from seq's measured op times (calibrated) and the
//! machine's overheads (recruiting and waking threads, spinning).

use crate::exec::Mode;
use crate::exec::cache_footprint::CacheFootprint;
use crate::exec::plan::{RunPlan, regions};
use crate::exec::program::{Program, Step, StepKind};
use crate::exec::simulated_run::{Overheads, StepCost, simulate};

/// What every step of a program costs: a row per region ([`regions`]), a cost per step
/// (a loop's own step costs nothing: its body's steps are priced), and what a map pushed
/// out of the cache costs the step that reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct CostTable {
    /// Per region, per step.
    pub regions: Vec<Vec<StepCost>>,
    /// The cache's size and the price of a miss; none: the order of steps costs nothing.
    pub cache: Option<CacheFootprint>,
}

impl CostTable {
    /// The table of `program` with `cost` for each kernel or fused step.
    pub fn of(program: &Program, cost: &mut dyn FnMut(&Step) -> StepCost) -> CostTable {
        CostTable {
            cache: None,
            regions: regions(program)
                .into_iter()
                .map(|r| {
                    r.steps
                        .iter()
                        .map(|s| match s.kind {
                            StepKind::Loop(_) => StepCost::fixed(0.0),
                            _ => cost(s),
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// The cost of step `step` of region `region`.
    pub fn cost(&self, region: usize, step: usize) -> StepCost {
        self.regions.get(region).and_then(|r| r.get(step)).copied().unwrap_or(StepCost::fixed(0.0))
    }

    /// The same table with `f` applied to every cost.
    pub fn map(&self, f: impl Fn(StepCost) -> StepCost) -> CostTable {
        CostTable {
            regions: self.regions.iter().map(|r| r.iter().map(|&c| f(c)).collect()).collect(),
            cache: self.cache.clone(),
        }
    }

    /// The same table pricing cache misses with `cache` (its `seq_misses` are filled here):
    /// each step's cost stays its cost in seq's order, and a mode whose order pushes a
    /// step's input maps out of the cache pays for each extra miss.
    pub fn with_cache(mut self, program: &Program, mut cache: CacheFootprint) -> CostTable {
        cache.seq_misses = Vec::new();
        let seq = RunPlan::uniform(program, Mode::SEQ);
        let run = simulate(program, &seq, 1, &|r, i, _| self.cost(r, i), &Overheads::NONE, Some(&cache), false);
        cache.seq_misses = run.misses;
        self.cache = Some(cache);
        self
    }

    /// Total work: the time of a sequential run (loops: iterations x their body's work).
    pub fn work(&self, program: &Program) -> f64 {
        self.fold(program, 0, &mut 1, &|steps| steps.iter().sum())
    }

    /// Span: the longest chain of dependent steps (loops: iterations x their body's span),
    /// the time on unlimited threads without splitting or overheads.
    ///
    /// # Complexity
    /// O(steps + dependencies), loop bodies included.
    pub fn span(&self, program: &Program) -> f64 {
        self.fold_span(program, 0, &mut 1)
    }

    /// Sum of step times of region `r` (numbering regions below it from `next`), loops
    /// counted as iterations x their body's total.
    fn fold(&self, p: &Program, r: usize, next: &mut usize, combine: &dyn Fn(&[f64]) -> f64) -> f64 {
        let times: Vec<f64> = p
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| match &s.kind {
                StepKind::Loop(lp) => {
                    let child = *next;
                    *next += 1;
                    lp.iterations as f64 * self.fold(&lp.body, child, next, combine)
                }
                _ => self.cost(r, i).seconds,
            })
            .collect();
        combine(&times)
    }

    fn fold_span(&self, p: &Program, r: usize, next: &mut usize) -> f64 {
        let mut finish = vec![0.0f64; p.steps.len()];
        for (i, s) in p.steps.iter().enumerate() {
            let own = match &s.kind {
                StepKind::Loop(lp) => {
                    let child = *next;
                    *next += 1;
                    lp.iterations as f64 * self.fold_span(&lp.body, child, next)
                }
                _ => self.cost(r, i).seconds,
            };
            finish[i] = s.deps.iter().map(|&d| finish[d]).fold(0.0, f64::max) + own;
        }
        finish.into_iter().fold(0.0, f64::max)
    }
}

/// The simulated makespan of `program` in `mode` on `threads` threads, following `plan`
/// (`auto`'s) or the mode's uniform plan.
pub fn makespan(
    program: &Program,
    table: &CostTable,
    mode: Mode,
    threads: usize,
    ov: &Overheads,
    plan: Option<&RunPlan>,
) -> f64 {
    let members = if mode.is_seq() { 1 } else { threads.max(1) };
    let uniform;
    let plan = match plan {
        Some(p) if p.fits(program) => p,
        _ => {
            uniform = RunPlan::uniform(program, mode);
            &uniform
        }
    };
    simulate(program, plan, members, &|r, i, _| table.cost(r, i), ov, table.cache.as_ref(), false).makespan_s
}

/// Predicted speedup of `mode` on `threads` threads over seq (the table's work).
pub fn speedup(
    program: &Program,
    table: &CostTable,
    mode: Mode,
    threads: usize,
    ov: &Overheads,
    plan: Option<&RunPlan>,
) -> f64 {
    let t = makespan(program, table, mode, threads, ov, plan);
    if t > 0.0 { table.work(program) / t } else { 1.0 }
}

/// Brent's bounds on the time of a greedy schedule without splitting on `threads`
/// threads: `(max(W/P, S), W/P + S)`.
pub fn brent_bounds(program: &Program, table: &CostTable, threads: usize) -> (f64, f64) {
    let (w, s, p) = (table.work(program), table.span(program), threads.max(1) as f64);
    ((w / p).max(s), w / p + s)
}

/// What the virtual clock adds to one kernel call of `seconds` split over two members,
/// beyond half its work. The offering member is delayed by its recruit call and the recruit
/// starts after its recruitment; each works until the chunks run out, so the two delays are
/// shared, and each then pays the split's own cost. A recruit that arrives after the
/// offering member would have finished alone does not help.
pub fn split_overhead_s(seconds: f64, ov: &Overheads) -> f64 {
    if ov.recruit_s < ov.recruit_call_s + seconds {
        (ov.recruit_s + ov.recruit_call_s) / 2.0 + ov.split_s
    } else {
        ov.recruit_call_s + seconds / 2.0
    }
}

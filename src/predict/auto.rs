//! `auto`: the plan the model predicts is fastest. A step is split over the threads when it
//! takes at least its grain, the time from which splitting saves more than the split's
//! coordination and waking a thread cost (contention shrinks the saving, so a
//! bandwidth-bound step needs more time); each region (the program, each loop body) takes
//! the schedule and split rule (by the grain, by the grain with the helper awake, never,
//! always) whose simulated run is shortest.
//! If one of the fixed modes still predicts shorter, `auto` is that mode. What was chosen
//! and why is kept for the report and the TUI.
//!
//! # Complexity
//! (12 x regions + 6) simulations of the program on the virtual clock.

use serde::Serialize;

use super::simulate::{CostTable, makespan};
use crate::exec::plan::{RegionPlan, RunPlan, regions};
use crate::exec::program::{Program, StepKind};
use crate::exec::simulated_run::{Overheads, StepCost};
use crate::exec::{Mode, Schedule};
use crate::units::duration;

/// A plan for `auto` and why.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoPlan {
    /// What the executor follows.
    pub plan: RunPlan,
    /// What was chosen and why.
    pub choices: Choices,
}

/// What `auto` chose and why, for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choices {
    /// Threads it was planned for.
    pub threads: usize,
    /// The grain of a step that contends with nothing: shorter steps run whole.
    pub grain_s: f64,
    /// Its predicted time for a run.
    pub predicted_s: f64,
    /// The fixed mode it equals, when one predicted best.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_as: Option<Mode>,
    /// One line per region, then examples of its split decisions.
    pub lines: Vec<String>,
}

/// How a schedule reads in a sentence.
fn schedule_name(s: Schedule) -> &'static str {
    match s {
        Schedule::Sequential => "ops in program order",
        Schedule::Levels => "each level's ops at once",
        Schedule::Dataflow | Schedule::Auto => "each op as soon as its inputs are ready",
    }
}

/// The share of a step's time that splitting it over `threads` saves (0 when it cannot).
fn saving(cost: &StepCost, threads: usize) -> f64 {
    let p = threads.max(1) as f64;
    if threads < 2 { 0.0 } else { (1.0 - (1.0 + cost.split_contention * (p - 1.0)) / p).max(0.0) }
}

/// The grain of a step on `threads` threads: splitting saves `t (1 - (1 + c (P - 1)) / P)`
/// and costs the split's coordination and, when the helper has parked, its wake-up (and
/// the call that wakes it); shorter steps than this run whole (infinite when splitting
/// saves nothing).
pub fn grain_s(cost: &StepCost, threads: usize, ov: &Overheads) -> f64 {
    let saved = saving(cost, threads);
    if saved <= 0.0 { f64::INFINITY } else { (ov.wake_s + ov.wake_call_s + ov.split_s) / saved }
}

/// The same with the helper still spinning: only the split's coordination to pay for.
fn hot_grain_s(cost: &StepCost, threads: usize, ov: &Overheads) -> f64 {
    let saved = saving(cost, threads);
    if saved <= 0.0 { f64::INFINITY } else { ov.split_s / saved }
}

/// Whether a step of this cost splits.
type SplitRule<'a> = dyn Fn(&StepCost) -> bool + 'a;

/// Which steps of a region split, by a rule on their cost.
fn splits(table: &CostTable, r: usize, len: usize, rule: &SplitRule<'_>) -> Vec<bool> {
    (0..len)
        .map(|i| {
            let c = table.cost(r, i);
            c.chunks > 1 && rule(&c)
        })
        .collect()
}

/// The plan for `program` (as fused for the run) with costs `table` on `threads` threads.
pub fn choose(program: &Program, table: &CostTable, threads: usize, ov: &Overheads) -> AutoPlan {
    let rs = regions(program);
    let rules: [(&str, &SplitRule<'_>); 4] = [
        ("above its grain", &|c| c.seconds >= grain_s(c, threads, ov)),
        ("above its grain with the helper awake", &|c| c.seconds >= hot_grain_s(c, threads, ov)),
        ("never split", &|_| false),
        ("every op split", &|c| saving(c, threads) > 0.0),
    ];
    let mut plan = RunPlan {
        regions: rs
            .iter()
            .enumerate()
            .map(|(r, p)| RegionPlan {
                schedule: Schedule::Sequential,
                split: splits(table, r, p.steps.len(), rules[0].1),
            })
            .collect(),
    };
    let time = |plan: &RunPlan| makespan(program, table, Mode::AUTO, threads, ov, Some(plan));
    // Region by region, the schedule and split rule with the shortest simulated run.
    let mut lines = Vec::new();
    for (r, region) in rs.iter().enumerate() {
        let mut tried = Vec::new();
        for (k, (_, rule)) in rules.iter().enumerate() {
            plan.regions[r].split = splits(table, r, region.steps.len(), *rule);
            for s in [Schedule::Sequential, Schedule::Dataflow, Schedule::Levels] {
                plan.regions[r].schedule = s;
                tried.push((s, k, time(&plan)));
            }
        }
        let (best, rule, best_t) =
            tried.iter().copied().min_by(|a, b| a.2.total_cmp(&b.2)).unwrap_or((Schedule::Sequential, 0, 0.0));
        plan.regions[r].schedule = best;
        plan.regions[r].split = splits(table, r, region.steps.len(), rules[rule].1);
        let others: Vec<String> = [Schedule::Sequential, Schedule::Dataflow, Schedule::Levels]
            .iter()
            .filter(|s| **s != best)
            .filter_map(|s| tried.iter().filter(|t| t.0 == *s).map(|t| t.2).min_by(f64::total_cmp).map(|t| (s, t)))
            .map(|(s, t)| format!("{} {}", short(*s), duration(t)))
            .collect();
        lines.push(format!(
            "{}: {}, {} ({} a run; {})",
            region_name(program, r),
            schedule_name(best),
            rules[rule].0,
            duration(best_t),
            others.join(", ")
        ));
        lines.extend(split_examples(region, r, table, &plan.regions[r].split, threads, ov));
    }
    let mut predicted = time(&plan);
    let mut same_as = None;
    for mode in Mode::FIXED.iter().filter(|m| !m.is_seq()) {
        let t = makespan(program, table, *mode, threads, ov, None);
        if t < predicted {
            (predicted, same_as) = (t, Some(*mode));
        }
    }
    if let Some(mode) = same_as {
        plan = RunPlan::uniform(program, mode);
        lines.insert(0, format!("runs as {mode}: its simulated run is the shortest ({})", duration(predicted)));
    }
    let grain = grain_s(&StepCost::fixed(1.0), threads, ov);
    AutoPlan { plan, choices: Choices { threads, grain_s: grain, predicted_s: predicted, same_as, lines } }
}

fn short(s: Schedule) -> &'static str {
    match s {
        Schedule::Sequential => "in order",
        Schedule::Levels => "levels",
        Schedule::Dataflow | Schedule::Auto => "dataflow",
    }
}

/// `the program`, or `loop node_11 (20 iterations)`.
fn region_name(program: &Program, r: usize) -> String {
    if r == 0 {
        return "the program".into();
    }
    let mut k = 0;
    let mut found = None;
    program.visit_steps(&mut |s| {
        if let StepKind::Loop(lp) = &s.kind {
            k += 1;
            if k == r && found.is_none() {
                found = Some(format!("loop {} ({} iterations)", s.id, lp.iterations));
            }
        }
    });
    found.unwrap_or_else(|| format!("region {r}"))
}

/// The longest step split and the longest kept whole, with their times against the grain.
fn split_examples(
    p: &Program,
    r: usize,
    table: &CostTable,
    split: &[bool],
    threads: usize,
    ov: &Overheads,
) -> Vec<String> {
    let longest = |want: bool| {
        (0..p.steps.len())
            .filter(|&i| split[i] == want && table.cost(r, i).chunks > 1)
            .max_by(|&a, &b| table.cost(r, a).seconds.total_cmp(&table.cost(r, b).seconds))
    };
    let mut out = Vec::new();
    if let Some(i) = longest(true) {
        let c = table.cost(r, i);
        let g = grain_s(&c, threads, ov);
        let why = if c.seconds >= g {
            format!("above its {} grain", duration(g))
        } else {
            format!(
                "under its {} grain, but the helper is awake and the split costs {}",
                duration(g),
                duration(ov.split_s)
            )
        };
        out.push(format!("  {} runs split: {}, {why}", p.steps[i].id, duration(c.seconds)));
    }
    if let Some(i) = longest(false) {
        let c = table.cost(r, i);
        let g = grain_s(&c, threads, ov);
        let why = if g.is_finite() {
            format!("under its {} grain", duration(g))
        } else {
            "splitting saves nothing (memory-bound)".into()
        };
        out.push(format!("  {} runs whole: {}, {why}", p.steps[i].id, duration(c.seconds)));
    }
    out
}

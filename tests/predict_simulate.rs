//! The virtual clock behind the predictions, on hand-built programs with known makespans:
//! the engine's schedules, split steps, contention, loops and the overheads of recruiting and
//! waking threads, the cache misses an order of steps adds; Brent's bounds on random programs; the band around each prediction; and
//! the curve, monotone in P and the same for the same inputs.

use std::sync::Arc;

use irtop::exec::Mode;
use irtop::exec::cache_footprint::CacheFootprint;
use irtop::exec::kernel::Kernel;
use irtop::exec::program::{LoopProgram, Program, Step, StepKind};
use irtop::exec::simulated_run::{Overheads, StepCost};
use irtop::exec::value::Scalar;
use irtop::ir::VarId;
use irtop::predict::auto::{choose, grain_s};
use irtop::predict::curve::curve;
use irtop::predict::simulate::{CostTable, brent_bounds, makespan, speedup, split_overhead_s};
use proptest::prelude::*;

const NONE: Overheads = Overheads::NONE;

fn m(name: &str) -> Mode {
    name.parse().expect("a mode")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// A step `i` writing `v{i}` and reading its dependencies' outputs (so they become its
/// dependencies), costing `seconds` of static work (a level hands out heaviest first).
fn step(i: usize, deps: &[usize], seconds: f64) -> Step {
    let reads: Vec<VarId> = deps.iter().map(|&d| VarId(d as u32)).collect();
    Step {
        id: format!("s{i}"),
        op: "op".into(),
        level: 0,
        kind: StepKind::Kernel(Kernel::Constant(Scalar { value: 0.0, int: false })),
        inputs: reads.clone(),
        reads,
        outputs: vec![VarId(i as u32)],
        side_effect: false,
        work: seconds,
        deps: Vec::new(),
    }
}

/// A program of steps `(deps, seconds)`, and its cost table with `cost` for each.
fn program(spec: &[(&[usize], f64)], cost: impl Fn(f64) -> StepCost) -> (Program, CostTable) {
    let steps: Vec<Step> = spec.iter().enumerate().map(|(i, (deps, s))| step(i, deps, *s)).collect();
    let names: Arc<[String]> = (0..64).map(|i| format!("v{i}")).collect();
    let p = Program::assemble(steps, 64, names);
    let t = CostTable::of(&p, &mut |s| cost(s.work));
    (p, t)
}

fn fixed(spec: &[(&[usize], f64)]) -> (Program, CostTable) {
    program(spec, StepCost::fixed)
}

#[test]
fn independent_steps_are_handed_out_heaviest_first() {
    // Two workers: {3, 2} and {3, 2}: 5; seq: 10.
    let (p, t) = fixed(&[(&[], 3.0), (&[], 2.0), (&[], 3.0), (&[], 2.0)]);
    assert!(close(makespan(&p, &t, Mode::SEQ, 2, &NONE, None), 10.0));
    assert!(close(makespan(&p, &t, m("levels"), 2, &NONE, None), 5.0));
    assert!(close(makespan(&p, &t, m("dataflow"), 2, &NONE, None), 5.0));
    assert!(close(makespan(&p, &t, m("levels"), 4, &NONE, None), 3.0));
    assert!(close(speedup(&p, &t, m("levels"), 2, &NONE, None), 2.0));
}

#[test]
fn a_chain_gains_nothing_and_a_diamond_its_width() {
    let (chain, t) = fixed(&[(&[], 1.0), (&[0], 2.0), (&[1], 3.0)]);
    for mode in ["levels", "dataflow"] {
        assert!(close(makespan(&chain, &t, m(mode), 8, &NONE, None), 6.0), "{mode}");
    }
    // a(1) -> b(2), c(1) -> d(1).
    let (diamond, t) = fixed(&[(&[], 1.0), (&[0], 2.0), (&[0], 1.0), (&[1, 2], 1.0)]);
    assert!(close(makespan(&diamond, &t, m("levels"), 2, &NONE, None), 4.0));
    assert!(close(makespan(&diamond, &t, m("dataflow"), 2, &NONE, None), 4.0));
    assert!(close(makespan(&diamond, &t, Mode::SEQ, 2, &NONE, None), 5.0));
}

#[test]
fn dataflow_does_not_wait_for_barriers() {
    // 0(4) -> 2(1); 1(1) -> 3(4): levels {4,1} then {1,4} = 8; dataflow 5.
    let (p, t) = fixed(&[(&[], 4.0), (&[], 1.0), (&[0], 1.0), (&[1], 4.0)]);
    assert!(close(makespan(&p, &t, m("levels"), 2, &NONE, None), 8.0));
    assert!(close(makespan(&p, &t, m("dataflow"), 2, &NONE, None), 5.0));
}

#[test]
fn a_split_step_is_shared_by_the_threads_while_chunks_are_left() {
    let split = |chunks: usize| move |s: f64| StepCost { chunks, ..StepCost::fixed(s) };
    let (p, t) = program(&[(&[], 1.0)], split(100));
    assert!(close(makespan(&p, &t, m("data"), 4, &NONE, None), 0.25));
    // No more threads help than there are chunks.
    let (p, t) = program(&[(&[], 1.0)], split(2));
    assert!(close(makespan(&p, &t, m("data"), 8, &NONE, None), 0.5));
    // A step that cannot split stays on one thread, and levels never split.
    let (p, t) = fixed(&[(&[], 1.0)]);
    assert!(close(makespan(&p, &t, m("data"), 8, &NONE, None), 1.0));
    let (p, t) = program(&[(&[], 1.0)], split(100));
    assert!(close(makespan(&p, &t, m("levels"), 8, &NONE, None), 1.0));
}

#[test]
fn busy_threads_slow_each_other_down() {
    // Two 1 s steps that gain nothing from a second thread (contention 1): 2 s together.
    let (p, t) = program(&[(&[], 1.0), (&[], 1.0)], |s| StepCost { contention: 1.0, ..StepCost::fixed(s) });
    assert!(close(makespan(&p, &t, m("levels"), 2, &NONE, None), 2.0));
    // Split, each half runs at 1 / 1.2 of full speed: 0.5 x 1.2 = 0.6 s.
    let (p, t) =
        program(&[(&[], 1.0)], |s| StepCost { chunks: 100, contention: 1.0, split_contention: 0.2, seconds: s });
    assert!(close(makespan(&p, &t, m("data"), 2, &NONE, None), 0.6));
}

#[test]
fn loops_run_their_body_in_the_same_mode() {
    let body = Program::assemble(
        vec![step(1, &[], 1.0), step(2, &[], 1.0)],
        64,
        (0..64).map(|i| format!("v{i}")).collect::<Arc<[String]>>(),
    );
    let lp = Step {
        kind: StepKind::Loop(Box::new(LoopProgram { iterations: 3, init: Vec::new(), body })),
        outputs: vec![VarId(1), VarId(2)],
        reads: vec![VarId(0)],
        inputs: vec![VarId(0)],
        ..step(3, &[0], 0.0)
    };
    let p = Program::assemble(vec![step(0, &[], 1.0), lp], 64, (0..64).map(|i| format!("v{i}")).collect());
    let t = CostTable::of(&p, &mut |s| StepCost::fixed(s.work));
    assert!(close(makespan(&p, &t, Mode::SEQ, 2, &NONE, None), 7.0));
    assert!(close(makespan(&p, &t, m("levels"), 2, &NONE, None), 4.0));
    assert!(close(makespan(&p, &t, m("dataflow"), 2, &NONE, None), 4.0));
    assert!(close(t.span(&p), 4.0));
    assert!(close(t.work(&p), 7.0));
}

#[test]
fn threads_arrive_late_when_recruited_and_when_woken() {
    let ov =
        Overheads { recruit_s: 0.5, wake_s: 0.3, spin_s: 0.1, split_s: 0.0, recruit_call_s: 0.0, wake_call_s: 0.0 };
    // Two 1 s steps: the second thread is recruited at once and starts half a second late.
    let (p, t) = fixed(&[(&[], 1.0), (&[], 1.0)]);
    assert!(close(makespan(&p, &t, m("levels"), 2, &ov, None), 1.5));
    assert!(close(makespan(&p, &t, Mode::SEQ, 2, &ov, None), 2.0));
    // a(1) -> {b(1), c(1)} -> d(1) -> {e(1), f(1)}: the helper, recruited at 1, runs c from
    // 1.5 to 2.5; then idle for 1.5 s, it parks and is woken at 3.5 for f, which ends at 4.8.
    let (p, t) = fixed(&[(&[], 1.0), (&[0], 1.0), (&[0], 1.0), (&[1, 2], 1.0), (&[3], 1.0), (&[3], 1.0)]);
    assert!(
        close(makespan(&p, &t, m("dataflow"), 2, &ov, None), 4.8),
        "{}",
        makespan(&p, &t, m("dataflow"), 2, &ov, None)
    );
}

/// Recruiting or waking a thread costs the thread that offers the work the call that does
/// it: two independent 1 s steps, the helper recruited in 0.1 s by a call of 0.25 s, end at
/// 1.25 s (the offering thread starts its own step late) instead of 1.1 s; waking it after
/// it parked costs the wake call.
#[test]
fn offering_work_costs_the_offering_thread_its_calls() {
    let free =
        Overheads { recruit_s: 0.1, wake_s: 0.1, spin_s: 0.05, split_s: 0.0, recruit_call_s: 0.0, wake_call_s: 0.0 };
    let paid = Overheads { recruit_call_s: 0.25, wake_call_s: 0.2, ..free };
    let (p, t) = fixed(&[(&[], 1.0), (&[], 1.0)]);
    assert!(close(makespan(&p, &t, m("dataflow"), 2, &free, None), 1.1));
    assert!(close(makespan(&p, &t, m("dataflow"), 2, &paid, None), 1.25));
    // a(1) -> {b(1), c(1)}: a runs alone; at 1.0 c is offered and the helper recruited,
    // and the call delays b to 1.25 (the helper runs c from 1.1 to 2.1).
    let (p, t) = fixed(&[(&[], 1.0), (&[0], 1.0), (&[0], 1.0)]);
    assert!(close(makespan(&p, &t, m("dataflow"), 2, &free, None), 2.1));
    assert!(close(makespan(&p, &t, m("dataflow"), 2, &paid, None), 2.25));
    // {a(1), x(0.05)}, a -> {b(1), c(1)}: the helper is recruited for x (a starts at 0.25),
    // runs it and parks at 0.2; when a ends at 1.25 the call that wakes it for c delays b
    // to 1.45, which ends last at 2.45 (without the calls, c ends last at 2.1).
    let (p, t) = fixed(&[(&[], 1.0), (&[], 0.05), (&[0], 1.0), (&[0], 1.0)]);
    assert!(close(makespan(&p, &t, m("dataflow"), 2, &free, None), 2.1));
    assert!(close(makespan(&p, &t, m("dataflow"), 2, &paid, None), 2.45));
    // Seq offers nothing and pays nothing.
    assert!(close(makespan(&p, &t, Mode::SEQ, 2, &paid, None), 3.05));
}

/// `auto` splits a step above its grain and is never predicted slower than the best fixed
/// mode; when a fixed mode is predicted fastest (here `data`, which recruits the helper one
/// short step earlier), it says so and follows that mode.
#[test]
fn auto_splits_long_steps_and_is_never_worse_than_a_fixed_mode() {
    let ov =
        Overheads { recruit_s: 1e-5, wake_s: 2e-5, spin_s: 1e-4, split_s: 0.0, recruit_call_s: 0.0, wake_call_s: 0.0 };
    let split = |s: f64| StepCost { chunks: 64, ..StepCost::fixed(s) };
    let (p, t) = program(&[(&[], 5e-6), (&[0], 1e-3), (&[1], 3e-6)], split);
    let a = choose(&p, &t, 2, &ov);
    assert!(a.plan.regions[0].split[1], "{:?}", a.choices.lines);
    let best_fixed = Mode::FIXED.iter().map(|&m| makespan(&p, &t, m, 2, &ov, None)).fold(f64::INFINITY, f64::min);
    assert!(a.choices.predicted_s <= best_fixed * (1.0 + 1e-9));
    assert!(a.choices.lines.iter().any(|l| l.contains("s1 runs split")), "{:?}", a.choices.lines);
    if let Some(mode) = a.choices.same_as {
        assert!(a.choices.lines[0].starts_with(&format!("runs as {mode}")), "{:?}", a.choices.lines);
    }
}

/// The grain is the wake-up and the split's cost over the share splitting saves: 40 us for a step that contends
/// with nothing on 2 threads; a step that gains nothing from a split (fully bandwidth-bound)
/// or a single thread has no grain.
#[test]
fn the_grain_is_the_wake_up_and_the_split_over_the_saving() {
    let ov = Overheads {
        recruit_s: 1e-5,
        wake_s: 1.5e-5,
        spin_s: 1e-4,
        split_s: 5e-6,
        recruit_call_s: 0.0,
        wake_call_s: 0.0,
    };
    let whole = StepCost { chunks: 64, ..StepCost::fixed(1e-3) };
    assert!(close(grain_s(&whole, 2, &ov), 4e-5));
    assert!(close(grain_s(&whole, 4, &ov), 2e-5 / 0.75));
    assert!(close(grain_s(&StepCost { split_contention: 0.5, ..whole }, 2, &ov), 8e-5));
    assert_eq!(grain_s(&StepCost { split_contention: 1.0, ..whole }, 2, &ov), f64::INFINITY);
    assert_eq!(grain_s(&whole, 1, &ov), f64::INFINITY);
}

/// A split step costs each member that shares it the split's coordination: two 1 s chunks'
/// worth of work shared from the start by 2 members with a split cost of 0.1 s ends at
/// 0.5 + 0.1 s; with the helper arriving only after the work is done, nothing is added.
#[test]
fn sharing_a_step_costs_the_split() {
    let ov = Overheads {
        recruit_s: 0.0,
        wake_s: 0.0,
        spin_s: f64::INFINITY,
        split_s: 0.1,
        recruit_call_s: 0.0,
        wake_call_s: 0.0,
    };
    let split = |s: f64| StepCost { chunks: 64, ..StepCost::fixed(s) };
    let (p, t) = program(&[(&[], 1.0)], split);
    assert!(close(makespan(&p, &t, m("data"), 2, &ov, None), 0.6), "{}", makespan(&p, &t, m("data"), 2, &ov, None));
    let late = Overheads { recruit_s: 2.0, ..ov };
    assert!(close(makespan(&p, &t, m("data"), 2, &late, None), 1.0));
    assert!(close(makespan(&p, &t, Mode::SEQ, 2, &ov, None), 1.0));
}

/// A cache of `maps` maps of one byte each, where a map read from memory costs `miss_s`.
fn cache_of(maps: f64, miss_s: f64) -> CacheFootprint {
    CacheFootprint { cache_bytes: maps, map_bytes: 1.0, miss_s, is_map: vec![true; 64], seq_misses: Vec::new() }
}

/// Eight producers `p_i` (writing `v_i`) and eight consumers `c_i` (reading `v_i`), each
/// taking 1 s: `interleaved` puts each consumer right after its producer in program order;
/// otherwise the producers come first, as a levels run orders them.
fn eight_wide(interleaved: bool) -> Vec<(Vec<usize>, f64)> {
    if interleaved {
        (0..16).map(|i| (if i % 2 == 1 { vec![i - 1] } else { vec![] }, 1.0)).collect()
    } else {
        (0..16).map(|i| (if i >= 8 { vec![i - 8] } else { vec![] }, 1.0)).collect()
    }
}

fn fixed_owned(spec: &[(Vec<usize>, f64)]) -> (Program, CostTable) {
    let spec: Vec<(&[usize], f64)> = spec.iter().map(|(d, s)| (d.as_slice(), *s)).collect();
    fixed(&spec)
}

#[test]
fn a_level_that_pushes_its_maps_out_of_the_cache_pays_for_each_miss() {
    // Seq reads each map just after it is written: no misses, 16 s. A level of 8 wide ops
    // writes 8 maps before the first is read, and the cache holds 4: every consumer starts
    // with its input in memory and takes 1.5 s.
    let (p, t) = fixed_owned(&eight_wide(true));
    let t = t.with_cache(&p, cache_of(4.0, 0.5));
    assert!(close(makespan(&p, &t, Mode::SEQ, 1, &NONE, None), 16.0));
    assert!(
        close(makespan(&p, &t, m("levels"), 1, &NONE, None), 20.0),
        "{}",
        makespan(&p, &t, m("levels"), 1, &NONE, None)
    );
    // Two threads: the producers in 4 s, the consumers (1.5 s each, two at a time) in 6 s.
    assert!(close(makespan(&p, &t, m("levels"), 2, &NONE, None), 10.0));
    assert!(close(speedup(&p, &t, m("levels"), 2, &NONE, None), 1.6));
    // Predicted slower than seq's order on one thread, and than the same level that fits.
    assert!(speedup(&p, &t, m("levels"), 1, &NONE, None) < 1.0);
    let (fits, ft) = fixed_owned(&eight_wide(true));
    let ft = ft.with_cache(&fits, cache_of(64.0, 0.5));
    assert!(close(makespan(&fits, &ft, m("levels"), 2, &NONE, None), 8.0));
}

#[test]
fn misses_seq_already_has_are_in_its_times_and_not_charged_again() {
    // Program order is the level order: seq misses every consumer's input too, and its
    // measured times pay for that, so the levels run is charged nothing more.
    let (p, t) = fixed_owned(&eight_wide(false));
    let t = t.with_cache(&p, cache_of(4.0, 0.5));
    assert_eq!(t.cache.as_ref().map(|c| c.seq_misses[0].iter().sum::<f64>()), Some(8.0));
    assert!(close(makespan(&p, &t, m("levels"), 1, &NONE, None), 16.0));
    assert!(close(makespan(&p, &t, m("levels"), 2, &NONE, None), 8.0));
}

#[test]
fn a_split_step_touches_its_maps_once() {
    // A chain split over two threads: each step reads the map the one before wrote, so
    // nothing is missed however small the cache, and the split run costs what it costs
    // without a cache.
    let split = |s: f64| StepCost { chunks: 64, ..StepCost::fixed(s) };
    let (p, t) = program(&[(&[], 1.0), (&[0], 1.0), (&[1], 1.0)], split);
    let cached = t.clone().with_cache(&p, cache_of(2.0, 0.5));
    for threads in [1, 2, 4] {
        let (with, without) =
            (makespan(&p, &cached, m("data"), threads, &NONE, None), makespan(&p, &t, m("data"), threads, &NONE, None));
        assert!(close(with, without), "{threads} threads: {with} against {without}");
    }
}

/// A random program: each step depends on up to 3 earlier ones; costs, chunks, contention.
fn arb_program() -> impl Strategy<Value = (Vec<(Vec<usize>, f64)>, f64, usize)> {
    (
        prop::collection::vec((prop::collection::vec(any::<prop::sample::Index>(), 0..3), 1e-4..1e-2f64), 1..30),
        0.0..1.5f64,
        prop::sample::select(vec![1usize, 4, 64]),
    )
        .prop_map(|(spec, c, chunks)| {
            let steps = spec
                .into_iter()
                .enumerate()
                .map(|(i, (deps, s))| {
                    let mut deps: Vec<usize> = if i == 0 { vec![] } else { deps.iter().map(|d| d.index(i)).collect() };
                    deps.sort_unstable();
                    deps.dedup();
                    (deps, s)
                })
                .collect();
            (steps, c, chunks)
        })
}

fn build(spec: &[(Vec<usize>, f64)], c: f64, chunks: usize) -> (Program, CostTable) {
    let spec: Vec<(&[usize], f64)> = spec.iter().map(|(d, s)| (d.as_slice(), *s)).collect();
    program(&spec, |s| StepCost { seconds: s, chunks, contention: c, split_contention: c })
}

proptest! {
    #[test]
    fn predictions_respect_brent((spec, c, chunks) in arb_program(), p in 1usize..17) {
        let (prog, t) = build(&spec, c, chunks);
        let ov = Overheads { recruit_s: 3e-5, wake_s: 2e-5, spin_s: 1e-4, split_s: 0.0, recruit_call_s: 0.0, wake_call_s: 0.0 };
        let (w, s) = (t.work(&prog), t.span(&prog));
        for mode in ["levels", "dataflow"] {
            let sp = speedup(&prog, &t, m(mode), p, &ov, None);
            prop_assert!(sp <= (p as f64).min(w / s) * (1.0 + 1e-9), "{mode}: {sp} > min({p}, {})", w / s);
            let (lower, _) = brent_bounds(&prog, &t, p);
            prop_assert!(makespan(&prog, &t, m(mode), p, &ov, None) >= lower * (1.0 - 1e-9));
        }
    }

    #[test]
    fn greedy_schedules_meet_brents_upper_bound((spec, _c, _chunks) in arb_program(), p in 1usize..17) {
        // Without contention or overheads, dataflow is a greedy schedule: within W/P + S.
        let (prog, t) = build(&spec, 0.0, 1);
        let (_, upper) = brent_bounds(&prog, &t, p);
        prop_assert!(makespan(&prog, &t, m("dataflow"), p, &NONE, None) <= upper * (1.0 + 1e-9));
    }

    #[test]
    fn the_curve_is_monotone_in_p_and_the_same_for_the_same_inputs((spec, c, chunks) in arb_program()) {
        let (prog, t) = build(&spec, c, chunks);
        let ov = Overheads { recruit_s: 3e-5, wake_s: 2e-5, spin_s: 1e-4, split_s: 0.0, recruit_call_s: 0.0, wake_call_s: 0.0 };
        let points = curve(&prog, &t, &ov);
        for pair in points.windows(2) {
            for (mode, s) in &pair[0].speedup {
                prop_assert!(pair[1].speedup[mode] >= *s);
            }
        }
        prop_assert_eq!(points, curve(&prog, &t, &ov));
    }

    #[test]
    fn the_cache_never_changes_seq_and_a_cache_that_holds_everything_changes_nothing(
        (spec, c, chunks) in arb_program(),
        maps in 1.0..8.0f64,
        p in 1usize..9,
    ) {
        let (prog, t) = build(&spec, c, chunks);
        let small = t.clone().with_cache(&prog, cache_of(maps, 1e-3));
        prop_assert!((makespan(&prog, &small, Mode::SEQ, 1, &NONE, None) - t.work(&prog)).abs() <= 1e-9 * t.work(&prog));
        let big = t.clone().with_cache(&prog, cache_of(1e9, 1e-3));
        for mode in ["levels", "dataflow", "levels+data", "dataflow+data"] {
            let (with, without) = (makespan(&prog, &big, m(mode), p, &NONE, None), makespan(&prog, &t, m(mode), p, &NONE, None));
            prop_assert!((with - without).abs() <= 1e-9 * without, "{mode}: {with} against {without}");
        }
    }

    #[test]
    fn a_split_step_gets_no_slower_with_more_threads(seconds in 1e-3..1.0f64, c in 0.0..0.99f64) {
        let (prog, t) = program(&[(&[], seconds)], |s| StepCost { seconds: s, chunks: 1 << 20, contention: 0.0, split_contention: c });
        let times: Vec<f64> = (1..=64).map(|p| makespan(&prog, &t, m("data"), p, &NONE, None)).collect();
        for w in times.windows(2) {
            prop_assert!(w[1] <= w[0] * (1.0 + 1e-12));
        }
    }
}

proptest! {
    /// The probe takes this much out of each split call it times, so the clock must add
    /// exactly that to one split call (within a chunk's worth of work).
    #[test]
    fn one_split_call_costs_half_its_work_plus_the_overhead_the_probe_takes_out(
        seconds in 1e-6f64..1e-3,
        recruit_s in 0.0f64..5e-5,
        recruit_call_s in 0.0f64..1e-5,
        split_s in 0.0f64..1e-5,
    ) {
        let chunks = 1000;
        let (p, t) = program(&[(&[], seconds)], |s| StepCost { chunks, ..StepCost::fixed(s) });
        let ov = Overheads { recruit_s, wake_s: 0.0, spin_s: 1e-4, split_s, recruit_call_s, wake_call_s: 0.0 };
        let clock = makespan(&p, &t, m("data"), 2, &ov, None);
        let expected = seconds / 2.0 + split_overhead_s(seconds, &ov);
        let chunk = seconds / chunks as f64;
        prop_assert!((clock - expected).abs() <= 2.0 * chunk + 1e-12, "clock {clock} vs {expected}");
    }
}

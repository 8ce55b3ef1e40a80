//! The simulator on hand-built cost tables with known makespans, Brent's bounds on random
//! DAGs, and monotonicity in P.

use irtop::exec::Mode;
use irtop::predict::cost_model::{CostModel, KernelCost};
use irtop::predict::curve::curve;
use irtop::predict::simulate::{Dag, Overheads, Task, TaskCost, brent_bounds, makespan, speedup};
use proptest::prelude::*;

const NONE: Overheads = Overheads::NONE;

fn m(name: &str) -> Mode {
    name.parse().expect("a mode")
}

fn task(seconds: f64, deps: &[usize]) -> Task {
    Task { reads: Vec::new(), deps: deps.to_vec(), cost: TaskCost::Kernel(KernelCost::fixed(seconds)) }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn independent_tasks_are_scheduled_longest_first() {
    // LPT on 2 workers: {3, 2} and {3, 2}: 5; seq: 10.
    let dag = Dag::new(vec![task(3.0, &[]), task(2.0, &[]), task(3.0, &[]), task(2.0, &[])]);
    assert!(close(makespan(&dag, Mode::SEQ, 2, &NONE), 10.0));
    assert!(close(makespan(&dag, m("levels"), 2, &NONE), 5.0));
    assert!(close(makespan(&dag, m("dataflow"), 2, &NONE), 5.0));
    assert!(close(makespan(&dag, m("levels"), 4, &NONE), 3.0));
    assert!(close(speedup(&dag, m("levels"), 2, &NONE), 2.0));
}

#[test]
fn a_chain_gains_nothing_and_a_diamond_its_width() {
    let chain = Dag::new(vec![task(1.0, &[]), task(2.0, &[0]), task(3.0, &[1])]);
    for mode in ["levels", "dataflow"] {
        assert!(close(makespan(&chain, m(mode), 8, &NONE), 6.0), "{mode}");
    }
    // a(1) -> b(2), c(1) -> d(1): levels 1 + 2 + 1; dataflow the same.
    let diamond = Dag::new(vec![task(1.0, &[]), task(2.0, &[0]), task(1.0, &[0]), task(1.0, &[1, 2])]);
    assert!(close(makespan(&diamond, m("levels"), 2, &NONE), 4.0));
    assert!(close(makespan(&diamond, m("dataflow"), 2, &NONE), 4.0));
    assert!(close(makespan(&diamond, Mode::SEQ, 2, &NONE), 5.0));
}

#[test]
fn dataflow_does_not_wait_for_barriers() {
    // 0(4) -> 2(1); 1(1) -> 3(4): levels {4,1} then {1,4} = 8; dataflow 5.
    let dag = Dag::new(vec![task(4.0, &[]), task(1.0, &[]), task(1.0, &[0]), task(4.0, &[1])]);
    assert!(close(makespan(&dag, m("levels"), 2, &NONE), 8.0));
    assert!(close(makespan(&dag, m("dataflow"), 2, &NONE), 5.0));
}

#[test]
fn data_parallel_kernels_follow_amdahl() {
    let k =
        KernelCost { seconds: 1.0, serial: 0.2, splittable: true, chunks: 100, contention: 0.0, split_contention: 0.0 };
    let dag = Dag::new(vec![Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(k) }]);
    assert!(close(makespan(&dag, m("data"), 4, &NONE), 0.2 + 0.8 / 4.0));
    // No more threads help than there are chunks.
    let two_chunks = KernelCost { chunks: 2, ..k };
    let dag = Dag::new(vec![Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(two_chunks) }]);
    assert!(close(makespan(&dag, m("data"), 8, &NONE), 0.2 + 0.8 / 2.0));
    // A sequential kernel stays on one thread.
    let sweep = KernelCost { splittable: false, ..k };
    let dag = Dag::new(vec![Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(sweep) }]);
    assert!(close(makespan(&dag, m("data"), 8, &NONE), 1.0));
}

#[test]
fn contention_slows_concurrent_tasks() {
    let k = KernelCost { contention: 1.0, ..KernelCost::fixed(1.0) };
    let t = || Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(k) };
    let dag = Dag::new(vec![t(), t()]);
    // Both run at half speed: no gain.
    assert!(close(makespan(&dag, m("levels"), 2, &NONE), 2.0));
}

#[test]
fn concurrent_tasks_reading_the_same_map_slow_each_other_down_less() {
    // Two 1 s tasks with contention 1 (no gain from a second thread on separate data).
    // Reading the same map, they have 3 distinct streams of 4 (one read, two writes):
    // each runs at 1 / (1 + 3/4) and both finish at 1.75 s instead of 2.
    let k = KernelCost { contention: 1.0, ..KernelCost::fixed(1.0) };
    let reading = |v: usize| Task { reads: vec![v], deps: vec![], cost: TaskCost::Kernel(k) };
    let shared = Dag::new(vec![reading(7), reading(7)]);
    assert!(close(makespan(&shared, m("levels"), 2, &NONE), 1.75));
    let separate = Dag::new(vec![reading(7), reading(8)]);
    assert!(close(makespan(&separate, m("levels"), 2, &NONE), 2.0));
}

#[test]
fn a_split_kernel_uses_its_split_contention() {
    // Copies at once would get nothing from a second thread (contention 1); split, each
    // half runs at 1 / 1.2 of full speed: 0.5 x 1.2 = 0.6 s.
    let k =
        KernelCost { seconds: 1.0, serial: 0.0, splittable: true, chunks: 100, contention: 1.0, split_contention: 0.2 };
    let dag = Dag::new(vec![Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(k) }]);
    assert!(close(makespan(&dag, m("data"), 2, &NONE), 0.6));
    let two = Dag::new(vec![
        Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(k) },
        Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(k) },
    ]);
    assert!(close(makespan(&two, m("levels"), 2, &NONE), 2.0));
}

#[test]
fn loops_run_their_body_in_the_same_mode() {
    let body = Dag::new(vec![task(1.0, &[]), task(1.0, &[])]);
    let dag = Dag::new(vec![
        task(1.0, &[]),
        Task { reads: Vec::new(), deps: vec![0], cost: TaskCost::Loop { iterations: 3, body: Box::new(body) } },
    ]);
    assert!(close(makespan(&dag, Mode::SEQ, 2, &NONE), 7.0));
    assert!(close(makespan(&dag, m("levels"), 2, &NONE), 4.0));
    assert!(close(makespan(&dag, m("dataflow"), 2, &NONE), 4.0));
    assert!(close(dag.span(), 4.0));
}

#[test]
fn overheads_are_paid() {
    let ov = Overheads { spawn_s: 0.1, barrier_s: 0.5, chunk_s: 0.0 };
    let dag = Dag::new(vec![task(1.0, &[]), task(1.0, &[])]);
    // Each task pays a spawn, the level a barrier.
    assert!(close(makespan(&dag, m("levels"), 2, &ov), 1.6));
    assert!(close(makespan(&dag, Mode::SEQ, 2, &ov), 2.0));
}

/// A random DAG: each task depends on up to 3 earlier ones; costs, contention and a loop.
fn arb_dag() -> impl Strategy<Value = Dag> {
    prop::collection::vec(
        (1e-4..1e-2f64, 0.0..1.5f64, prop::collection::vec(any::<prop::sample::Index>(), 0..3), 0..10u8),
        1..30,
    )
    .prop_map(|spec| {
        let tasks = spec
            .into_iter()
            .enumerate()
            .map(|(i, (seconds, contention, deps, kind))| {
                let mut deps: Vec<usize> = if i == 0 { vec![] } else { deps.iter().map(|d| d.index(i)).collect() };
                deps.sort_unstable();
                deps.dedup();
                let k = KernelCost {
                    seconds,
                    serial: 0.1,
                    splittable: true,
                    chunks: 64,
                    contention,
                    split_contention: contention,
                };
                let cost = if kind == 0 {
                    let body = Dag::new(vec![
                        Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(k) },
                        Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(k) },
                        Task { reads: Vec::new(), deps: vec![0], cost: TaskCost::Kernel(k) },
                    ]);
                    TaskCost::Loop { iterations: 3, body: Box::new(body) }
                } else {
                    TaskCost::Kernel(k)
                };
                // Each task reads its dependencies' outputs: tasks with a common dependency
                // share a stream.
                Task { reads: deps.clone(), deps, cost }
            })
            .collect();
        Dag::new(tasks)
    })
}

proptest! {
    #[test]
    fn predictions_respect_brent(dag in arb_dag(), p in 1usize..17) {
        let ov = Overheads::of(&CostModel::default());
        let (w, s) = (dag.work(), dag.span());
        for mode in ["levels", "dataflow"] {
            let sp = speedup(&dag, m(mode), p, &ov);
            prop_assert!(sp <= (p as f64).min(w / s) * (1.0 + 1e-9), "{mode}: {sp} > min({p}, {})", w / s);
            let (lower, _) = brent_bounds(&dag, p);
            prop_assert!(makespan(&dag, m(mode), p, &ov) >= lower * (1.0 - 1e-9));
        }
    }

    #[test]
    fn greedy_schedules_meet_brents_upper_bound(dag in arb_dag(), p in 1usize..17) {
        // Without contention or overheads, list scheduling is within W/P + S.
        let no_contention = Dag::new(dag.tasks.iter().map(|t| match &t.cost {
            TaskCost::Kernel(k) => Task { reads: Vec::new(), deps: t.deps.clone(), cost: TaskCost::Kernel(KernelCost { contention: 0.0, ..*k }) },
            TaskCost::Loop { .. } => Task { reads: Vec::new(), deps: t.deps.clone(), cost: TaskCost::Kernel(KernelCost::fixed(t_work(t))) },
        }).collect());
        let (_, upper) = brent_bounds(&no_contention, p);
        prop_assert!(makespan(&no_contention, m("dataflow"), p, &NONE) <= upper * (1.0 + 1e-9));
    }

    #[test]
    fn the_curve_is_monotone_in_p(dag in arb_dag()) {
        let points = curve(&dag, &Overheads::of(&CostModel::default()));
        for pair in points.windows(2) {
            for (mode, s) in &pair[0].speedup {
                prop_assert!(pair[1].speedup[mode] >= *s);
            }
        }
    }

    #[test]
    fn data_parallel_time_falls_with_p_below_full_contention(seconds in 1e-3..1.0f64, serial in 0.0..1.0f64, c in 0.0..0.99f64) {
        let k = KernelCost { seconds, serial, splittable: true, chunks: 1 << 20, contention: 0.0, split_contention: c };
        let dag = Dag::new(vec![Task { reads: Vec::new(), deps: vec![], cost: TaskCost::Kernel(k) }]);
        let times: Vec<f64> = (1..=64).map(|p| makespan(&dag, m("data"), p, &NONE)).collect();
        for w in times.windows(2) {
            prop_assert!(w[1] <= w[0] * (1.0 + 1e-12));
        }
    }
}

fn t_work(t: &Task) -> f64 {
    Dag::new(vec![Task { reads: Vec::new(), deps: vec![], cost: t.cost.clone() }]).work()
}

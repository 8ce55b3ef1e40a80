//! Every mode computes what seq computes; PageRank from groggy's IR is a real PageRank;
//! benchmark statistics on the deterministic mock executor.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use irtop::analysis::analyze;
use irtop::exec::bench::measurement::Stopped;
use irtop::exec::bench::mock::MockExecutor;
use irtop::exec::bench::{BenchError, BenchOptions, Hooks, Rounds, run_bench};
use irtop::exec::synthetic::{rmat, uniform};
use irtop::exec::{Executor, Graph, Mode, Program, Retain, RunOptions, Scheduler, Value};
use irtop::generate::{Shape, generate};
use irtop::ir::load_bytes;
use proptest::prelude::*;

/// `mode` on `threads` threads.
fn on(mode: Mode, threads: usize) -> Scheduler {
    Scheduler::new(mode, threads).expect("threads start")
}

fn run(program: &Program, graph: &Graph, mode: Mode, threads: usize) -> Result<Vec<Option<Value>>, String> {
    let out = on(mode, threads).run(program, graph, &RunOptions::keeping(Retain::All)).map_err(|e| e.to_string())?;
    Ok(out.values.into_iter().map(|v| v.map(|a| (*a).clone())).collect())
}

/// Bit-for-bit equality, NaN equal to NaN.
fn same_bits(a: &Value, b: &Value) -> bool {
    let bits = |v: &Value| -> Vec<u64> {
        match v {
            Value::Scalar(s) => vec![s.value.to_bits()],
            Value::Map(m) => m.values.iter().map(|x| x.to_bits()).collect(),
            Value::Lists(l) => l.lists.iter().flatten().map(|x| x.to_bits()).collect(),
        }
    };
    bits(a) == bits(b)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random IRs on random graphs: every mode gives seq's values bit for bit (reductions
    /// use a fixed chunking), or fails like seq.
    #[test]
    fn every_mode_equals_seq(ops in 1usize..80, ir_seed in 0u64..1000, nodes in 0usize..300, degree in 0usize..6, graph_seed in 0u64..100, layered in any::<bool>()) {
        let shape = if layered { Shape::Layered } else { Shape::Random };
        let ir = load_bytes(&generate(shape, ops, 8, ir_seed), Path::new("random.json")).expect("generated IR loads");
        let a = analyze(&ir);
        let program = Program::compile(&ir, &a).expect("generated ops all have kernels");
        let graph = uniform(nodes, nodes * degree, graph_seed);
        let seq = run(&program, &graph, Mode::SEQ, 1);
        for mode in Mode::ALL {
            let got = run(&program, &graph, mode, 2);
            match (&seq, &got) {
                (Ok(s), Ok(g)) => {
                    for (v, (x, y)) in s.iter().zip(g).enumerate() {
                        match (x, y) {
                            (Some(x), Some(y)) => prop_assert!(same_bits(x, y), "{mode}: {} differs", ir.var(irtop::ir::VarId(v as u32))),
                            (None, None) => {}
                            _ => prop_assert!(false, "{mode}: {} defined in one run only", ir.var(irtop::ir::VarId(v as u32))),
                        }
                    }
                }
                (Err(_), Err(_)) => {}
                _ => prop_assert!(false, "{mode}: seq {:?} vs {:?}", seq.as_ref().err(), got.as_ref().err()),
            }
        }
    }
}

/// PageRank by plain power iteration, written independently of irtop's kernels: pull over
/// in-edges, sinks' rank spread evenly, 20 iterations, damping 0.85.
fn power_iteration(g: &Graph, iterations: usize) -> Vec<f64> {
    let n = g.node_count();
    let mut r = vec![1.0 / n as f64; n];
    for _ in 0..iterations {
        let sink: f64 = (0..n).filter(|&v| g.out_neighbors(v).is_empty()).map(|v| r[v]).sum();
        let next: Vec<f64> = (0..n)
            .map(|v| {
                let pulled: f64 =
                    g.in_neighbors(v).iter().map(|&u| r[u as usize] / g.out_neighbors(u as usize).len() as f64).sum();
                0.85 * pulled + 0.15 / n as f64 + 0.85 * sink / n as f64
            })
            .collect();
        r = next;
    }
    r
}

#[test]
fn pagerank_ir_is_pagerank() {
    let ir = irtop::ir::load_file(&common::fixture("pagerank_loop.ir.json")).expect("fixture");
    let a = analyze(&ir);
    let program = Program::compile(&ir, &a).expect("compiles");
    let graph = rmat(10, 8, 3);
    let expected = power_iteration(&graph, 20);
    let ranks = ir.vars.get("ranks").expect("ranks");
    for mode in Mode::ALL {
        let values = run(&program, &graph, mode, 2).expect("runs");
        let Some(Value::Map(m)) = &values[ranks.index()] else { panic!("ranks is a node map") };
        let sum: f64 = m.values.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "{mode}: sum {sum}");
        let worst = m.values.iter().zip(&expected).map(|(a, b)| ((a - b) / b).abs()).fold(0.0, f64::max);
        assert!(worst < 1e-9, "{mode}: largest relative difference {worst}");
    }
}

/// The last reader of `x` in file order (`f`, level 1) runs before an earlier reader (`e`,
/// level 2): the levels schedule must keep `x` until its deepest reader has run.
#[test]
fn a_value_lives_until_its_deepest_reader_not_its_last_in_file_order() {
    let ir = load_bytes(
        br#"{"nodes": [
          {"id": "a", "op_type": "init_nodes", "output": "x", "metadata": {"default": 2.0}},
          {"id": "b", "op_type": "degree", "output": "d"},
          {"id": "c", "op_type": "add", "inputs": ["d", "x"], "output": "y"},
          {"id": "e", "op_type": "add", "inputs": ["y", "x"], "output": "z"},
          {"id": "f", "op_type": "mul", "inputs": ["x", "d"], "output": "w"}
        ]}"#,
        Path::new("deep_reader.json"),
    )
    .expect("loads");
    let a = analyze(&ir);
    let program = Program::compile(&ir, &a).expect("compiles");
    let graph = rmat(6, 4, 1);
    let opts = RunOptions::keeping(Retain::Sinks);
    for mode in Mode::ALL {
        let out = on(mode, 2).run(&program, &graph, &opts);
        let out = out.unwrap_or_else(|e| panic!("{mode}: {e}"));
        assert!(out.values[ir.vars.get("z").expect("z").index()].is_some(), "{mode}: z computed");
    }
}

/// A cancelled run stops before its next op, in every mode, even inside a loop of ten
/// million iterations (a benchmark on a big graph must not make Esc wait for a whole run).
#[test]
fn a_cancelled_run_stops_within_an_op() {
    let ir = load_bytes(
        br#"{"nodes": [
          {"id": "init", "op_type": "init_nodes", "output": "x", "metadata": {"default": 1.0}},
          {"id": "loop", "op_type": "iter_loop", "iterations": 10000000,
           "body": [{"type": "core.add", "output": "y", "a": "x", "b": "x"}, {"type": "alias", "source": "y", "target": "x"}],
           "loop_vars": [["x", "x"]]}]}"#,
        Path::new("endless.json"),
    )
    .expect("loads");
    let a = analyze(&ir);
    let program = Program::compile(&ir, &a).expect("compiles");
    let graph = rmat(4, 2, 1);
    for mode in Mode::ALL {
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let opts = RunOptions { cancel: Some(&cancel), ..RunOptions::keeping(Retain::Sinks) };
        let outcome = std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(std::time::Duration::from_millis(50));
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            });
            on(mode, 2).run(&program, &graph, &opts)
        });
        // Ten million iterations take tens of seconds: a run that returns Cancelled stopped
        // early, however loaded the machine (no clock is read).
        assert!(matches!(outcome, Err(irtop::exec::ExecError::Cancelled)), "{mode}: {outcome:?}");
    }
}

/// Kernels write into recycled buffers that hold an earlier op's values: every kernel must
/// overwrite all of it. Seeds the pool with garbage of the graph's exact size (a size no
/// other test uses) and checks every mode still gives the values of a run without it.
#[test]
fn recycled_buffers_never_leak_into_results() {
    let n = irtop::exec::buffers::MIN_POOLED_LEN + 3627;
    let graph = uniform(n, 6 * n, 11);
    for sample in ["pagerank_loop", "label_propagation", "lpa_sweep_in_place", "mixed"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("samples/{sample}.json"));
        let ir = irtop::ir::load_file(&path).expect("sample loads");
        let a = analyze(&ir);
        let program = Program::compile(&ir, &a).expect("compiles");
        let fresh = run(&program, &graph, Mode::SEQ, 1).expect("runs");
        for mode in Mode::ALL {
            for _ in 0..8 {
                irtop::exec::buffers::give(vec![12345.0; n]);
            }
            let got = run(&program, &graph, mode, 2).expect("runs");
            for (v, (x, y)) in fresh.iter().zip(&got).enumerate() {
                if let (Some(x), Some(y)) = (x, y) {
                    assert!(same_bits(x, y), "{sample} {mode}: {} differs", ir.var(irtop::ir::VarId(v as u32)));
                }
            }
        }
    }
}

/// The levels schedule hands a level's ops out heaviest first (a gather over the edges
/// before element-wise passes listed ahead of it), so a long op does not start last.
#[test]
fn a_level_starts_its_heaviest_op_first() {
    let ir = load_bytes(
        br#"{"nodes": [
          {"id": "x", "op_type": "init_nodes", "output": "x", "metadata": {"default": 1.0}},
          {"id": "a", "op_type": "mul", "inputs": ["x", "x"], "output": "a"},
          {"id": "b", "op_type": "add", "inputs": ["x", "x"], "output": "b"},
          {"id": "c", "op_type": "neighbor_agg", "inputs": ["x"], "output": "c", "metadata": {"agg": "sum"}}
        ]}"#,
        Path::new("heavy_last.json"),
    )
    .expect("loads");
    let a = analyze(&ir);
    let program = Program::compile(&ir, &a).expect("compiles");
    let level: Vec<&str> = program.levels[1].iter().map(|&i| program.steps[i].id.as_str()).collect();
    assert_eq!(level, ["c", "a", "b"]);
    let g = rmat(14, 16, 1);
    let opts = RunOptions { trace: true, fuse: false, ..RunOptions::keeping(Retain::Sinks) };
    let outcome = on("levels".parse().expect("mode"), 2).run(&program, &g, &opts).expect("runs");
    let start = |id: &str| outcome.spans.iter().find(|s| s.node == id).map(|s| s.start_s).expect("a span");
    assert!(start("c") <= start("a") && start("c") <= start("b"), "{:?}", outcome.spans);
}

#[test]
fn ops_on_an_empty_graph() {
    let ir = load_bytes(
        br#"{"nodes": [
          {"id": "d", "op_type": "degree", "output": "deg"},
          {"id": "s", "op_type": "reduce_scalar", "inputs": ["deg"], "output": "total", "metadata": {"op": "sum"}},
          {"id": "a", "op_type": "neighbor_agg", "inputs": ["deg"], "output": "agg", "metadata": {"agg": "max"}}
        ]}"#,
        Path::new("empty.json"),
    )
    .expect("loads");
    let a = analyze(&ir);
    let program = Program::compile(&ir, &a).expect("compiles");
    let values = run(&program, &uniform(0, 0, 1), Mode::SEQ, 1).expect("runs");
    assert_eq!(
        values[ir.vars.get("deg").expect("deg").index()],
        Some(Value::Map(irtop::exec::value::NodeMap { values: vec![], int: true }))
    );
    assert_eq!(values[ir.vars.get("total").expect("total").index()], Some(Value::float(0.0)));
}

#[test]
fn values_are_freed_after_their_last_use() {
    let (ir, a) = common::analysed("pagerank_loop");
    let program = Program::compile(&ir, &a).expect("compiles");
    let graph = rmat(12, 8, 1);
    let out = on(Mode::SEQ, 1).run(&program, &graph, &RunOptions::keeping(Retain::Sinks)).expect("runs");
    let alive = out.values.iter().filter(|v| v.is_some()).count();
    assert!(alive < ir.vars.len() / 2, "{alive} of {} variables still alive", ir.vars.len());
    assert!(out.values[ir.vars.get("ranks").expect("ranks").index()].is_some(), "the result survives");
    let map_bytes = 8 * graph.node_count();
    assert!(out.peak_bytes <= (a.sequential(&ir).max_live_variables + 16) * map_bytes, "peak {} bytes", out.peak_bytes);
}

fn one_ms(_: &irtop::exec::program::Step) -> f64 {
    0.001
}

/// A benchmark of `program` on the mock executor (every op `cost` seconds of virtual time).
fn mock_bench(
    program: &Program,
    rounds: Rounds,
    budget_s: f64,
    cost: fn(&irtop::exec::program::Step) -> f64,
    cancel: bool,
) -> Result<irtop::exec::bench::measurement::Measurement, BenchError> {
    let options = BenchOptions {
        threads: 2,
        modes: Mode::ALL.to_vec(),
        rounds,
        budget: std::time::Duration::from_secs_f64(budget_s),
        // The schedules on the IR's own ops (fusion is tested in tests/fusion.rs).
        fuse: false,
    };
    let cancel = AtomicBool::new(cancel);
    run_bench(
        program,
        &uniform(10, 10, 1),
        &options,
        &|mode| Box::new(MockExecutor { mode, threads: if mode.is_seq() { 1 } else { 2 }, cost }),
        Hooks { cancel: &cancel, progress: &|_| {}, between_rounds: &mut |_| {} },
    )
}

#[test]
fn bench_statistics_on_the_mock_executor() {
    let (ir, a) = common::analysed("seed_full_plan");
    let program = Program::compile(&ir, &a).expect("compiles");
    let m = mock_bench(&program, Rounds::Fixed(3), 60.0, one_ms, false).expect("mock bench");
    let by = |name: &str| m.mode(name.parse().expect("mode")).expect("mode");
    // 9 ops of 1 ms: seq 9 ms; levels of 4, 3, 1, 1 ops on 2 workers: 2 + 2 + 1 + 1 ms.
    assert!((by("seq").median_s - 0.009).abs() < 1e-12);
    assert!((by("levels").median_s - 0.006).abs() < 1e-12);
    assert!((by("levels").speedup - 1.5).abs() < 1e-9);
    assert!((by("data").speedup - 2.0).abs() < 1e-9);
    assert_eq!((m.rounds, m.stopped), (3, Stopped::Fixed));
    assert_eq!(m.modes.len(), 7);
    assert!(m.timeline("levels".parse().unwrap()).is_some_and(|t| t.len() == 9 && t.iter().all(|s| s.worker < 2)));
    let json = serde_json::to_value(&m).expect("serialises");
    for key in ["graph", "threads", "modes", "rounds", "stopped", "budget_s"] {
        assert!(json.get(key).is_some(), "{key}");
    }
    for key in ["mode", "threads", "median_s", "min_s", "max_s", "speedup", "speedup_interval", "noise", "max_abs_diff"]
    {
        assert!(json["modes"][0].get(key).is_some(), "{key}");
    }
}

/// Steady timings need no more than the fewest rounds: the intervals are narrow at once.
#[test]
fn an_adaptive_bench_stops_when_the_intervals_are_narrow() {
    let (ir, a) = common::analysed("seed_full_plan");
    let program = Program::compile(&ir, &a).expect("compiles");
    let m = mock_bench(&program, Rounds::Adaptive, 60.0, one_ms, false).expect("mock bench");
    assert_eq!((m.rounds, m.stopped), (irtop::exec::bench::MIN_ROUNDS, Stopped::Converged));
    for mode in &m.modes {
        assert_eq!(mode.speedup_interval, [mode.speedup, mode.speedup], "{}", mode.mode);
    }
}

fn one_second(_: &irtop::exec::program::Step) -> f64 {
    1.0
}

/// Runs too long for the budget are refused after the warm-up round, saying how long they
/// would take (the pipeline then scales a synthetic graph down).
#[test]
fn a_bench_longer_than_its_budget_is_refused_after_the_warm_up() {
    let (ir, a) = common::analysed("seed_full_plan");
    let program = Program::compile(&ir, &a).expect("compiles");
    let err = mock_bench(&program, Rounds::Adaptive, 20.0, one_second, false).unwrap_err();
    let BenchError::OverBudget { needed_s, budget_s, rounds, modes, .. } = &err else { panic!("{err}") };
    assert_eq!((*budget_s, *rounds, *modes), (20.0, irtop::exec::bench::MIN_ROUNDS, 7));
    assert!(*needed_s > 20.0, "{err}");
    assert!(err.to_string().contains("one round of every mode took"), "{err}");
}

#[test]
fn cancelling_stops_the_bench() {
    let (ir, a) = common::analysed("seed_diamond");
    let program = Program::compile(&ir, &a).expect("compiles");
    let err = mock_bench(&program, Rounds::Fixed(3), 60.0, one_ms, true).unwrap_err();
    assert_eq!(err, BenchError::Exec(irtop::exec::ExecError::Cancelled));
}

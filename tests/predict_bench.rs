//! The bench report carries the predictions: each mode's groggy/static/calibrated speedup,
//! the curve, and where the costs come from; calibrated predictions from a mock run's
//! per-op times reproduce the mock's own makespans.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use irtop::analysis::analyze;
use irtop::exec::bench::mock::MockExecutor;
use irtop::exec::bench::{BenchOptions, Hooks, Rounds, run_bench};
use irtop::exec::synthetic::uniform;
use irtop::exec::{Graph, Mode, Program};
use irtop::predict::calibrate::{CALIBRATION_VERSION, Calibration, CostSource};
use irtop::predict::cost_model::CostModel;
use irtop::predict::{Basis, predict, static_table};
use irtop::report::bench_report::BenchReport;

fn one_ms(_: &irtop::exec::program::Step) -> f64 {
    0.001
}

/// A benchmark of `program` on the mock executor (every op 1 ms) in `modes`, one round,
/// predicted with `model`.
fn mock_bench(program: &Program, graph: &Graph, groggy: f64, modes: Vec<Mode>, model: &CostModel) -> BenchReport {
    let options = BenchOptions {
        threads: 2,
        modes,
        rounds: Rounds::Fixed(1),
        budget: std::time::Duration::from_secs(60),
        fuse: true,
    };
    let measured = run_bench(
        program,
        graph,
        &options,
        &|mode| Box::new(MockExecutor { mode, threads: if mode.is_seq() { 1 } else { 2 }, cost: one_ms }),
        Hooks { cancel: &AtomicBool::new(false), progress: &|_| {}, between_rounds: &mut |_| {} },
    )
    .expect("mock bench");
    let predicted = predict(&measured, program, true, groggy, Basis { model, source: "test", probe: None }, None);
    BenchReport { measured, predicted }
}

fn program(sample: &str) -> (Program, f64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(sample);
    let ir = irtop::ir::load_file(&path).expect("loads");
    let a = analyze(&ir);
    (Program::compile(&ir, &a).expect("compiles"), a.estimated_speedup)
}

#[test]
fn bench_json_has_the_prediction_fields() {
    let (program, groggy) = program("eight_wide.json");
    let report = mock_bench(&program, &uniform(1000, 4000, 1), groggy, Mode::ALL.to_vec(), &CostModel::default());
    let json = serde_json::to_value(&report).expect("serialises");
    for mode in json["modes"].as_array().expect("modes") {
        for key in ["groggy", "static", "calibrated"] {
            assert!(mode["predicted"][key].is_number(), "{}: predicted.{key}", mode["mode"]);
        }
    }
    assert_eq!(json["predicted"]["groggy"].as_f64(), Some(groggy));
    let curve = json["curve"].as_array().expect("curve");
    assert_eq!(curve.first().and_then(|p| p["P"].as_u64()), Some(1));
    assert_eq!(curve.last().and_then(|p| p["P"].as_u64()), Some(64));
    assert!(curve[0]["speedup"]["dataflow"].is_number());
    assert!(json["costs"].is_string());
}

#[test]
fn calibrated_predictions_reproduce_the_mock() {
    // The mock runs every op in 1 ms with the same schedules and no overheads; with
    // overheads and contention zeroed, the calibrated simulation must match it.
    let (program, groggy) = program("eight_wide.json");
    let exact = CostModel {
        recruit_ns: 0.0,
        wake_ns: 0.0,
        recruit_call_ns: 0.0,
        wake_call_ns: 0.0,
        // The benchmark loop measures how long the (mock's) pool sat idle, which depends on
        // the machine's speed: the warm costs are zeroed too, so either costs nothing.
        warm_recruit_ns: 0.0,
        warm_recruit_call_ns: 0.0,
        contention_stream: 0.0,
        contention_stream_cached: 0.0,
        contention_gather: 0.0,
        ..CostModel::default()
    };
    let modes = vec![Mode::SEQ, "levels".parse().expect("mode")];
    let report = mock_bench(&program, &uniform(10, 10, 1), groggy, modes, &exact);
    let (levels, p) = report.rows().nth(1).expect("levels");
    let calibrated = p.and_then(|p| p.calibrated).expect("calibrated");
    assert!((calibrated - levels.speedup).abs() < 1e-9, "{calibrated} vs {}", levels.speedup);
    assert_eq!(report.predicted.costs, "test");
}

#[test]
fn static_costs_grow_with_the_graph() {
    let (program, _) = program("pagerank_loop.json");
    let model = CostModel::default();
    let small = static_table(&program, &model, 1 << 10, 1 << 14).work(&program);
    let big = static_table(&program, &model, 1 << 20, 1 << 24).work(&program);
    assert!(big > 500.0 * small, "{small} -> {big}");
}

#[test]
fn calibration_files_round_trip_and_label_their_time() {
    let c = Calibration {
        version: CALIBRATION_VERSION,
        created_unix: 11 * 3600 + 2 * 60,
        threads: 2,
        graph: "rmat:18:16:seed=7".into(),
        model: CostModel::default(),
    };
    let text = serde_json::to_string(&c).expect("serialises");
    let back: Calibration = serde_json::from_str(&text).expect("parses");
    assert_eq!(back, c);
    assert_eq!(CostSource::Calibrated(c.created_unix).label(), "calibrated 11:02");
    assert_eq!(CostSource::Default.label(), "default costs");
}

//! Fusing element-wise chains into one pass never changes a result: on random IRs, the
//! samples and groggy's fixtures, every mode gives the unfused run's bits (or fails with
//! the unfused run's error, naming the same node), whether a run keeps its sinks or every
//! variable. And fusion does what it is for: groggy's PageRank body runs in three passes
//! over the nodes, not ten.

use std::path::{Path, PathBuf};

use irtop::analysis::analyze;
use irtop::exec::program::StepKind;
use irtop::exec::synthetic::uniform;
use irtop::exec::{Executor, Graph, Mode, Program, Retain, RunOptions, Scheduler, Value};
use irtop::generate::{Shape, generate};
use irtop::ir::{load_bytes, load_file};
use proptest::prelude::*;

/// Values as bits (NaN equal to NaN), `None` where a variable has no value.
fn bits(values: &[Option<std::sync::Arc<Value>>]) -> Vec<Option<Vec<u64>>> {
    values
        .iter()
        .map(|v| {
            v.as_ref().map(|v| match &**v {
                Value::Scalar(s) => vec![s.value.to_bits(), u64::from(s.int)],
                Value::Map(m) => m.values.iter().map(|x| x.to_bits()).chain([u64::from(m.int)]).collect(),
                Value::Lists(l) => l.lists.iter().flatten().map(|x| x.to_bits()).chain([u64::from(l.int)]).collect(),
            })
        })
        .collect()
}

type Outcome = Result<Vec<Option<Vec<u64>>>, String>;

fn run(program: &Program, graph: &Graph, mode: Mode, retain: &Retain, fuse: bool) -> Outcome {
    let s = Scheduler::new(mode, 2).map_err(|e| e.to_string())?;
    let options = RunOptions { fuse, ..RunOptions::keeping(retain.clone()) };
    s.run(program, graph, &options).map(|o| bits(&o.values)).map_err(|e| e.to_string())
}

/// The unfused `seq` run against every mode fused, keeping sinks and keeping everything.
fn check(program: &Program, graph: &Graph, what: &str) -> Result<(), TestCaseError> {
    for retain in [Retain::Sinks, Retain::All] {
        let reference = run(program, graph, Mode::SEQ, &retain, false);
        for mode in Mode::ALL {
            let fused = run(program, graph, mode, &retain, true);
            prop_assert_eq!(&fused, &reference, "{}: {} keeping {:?}", what, mode, retain);
        }
    }
    Ok(())
}

fn compile(ir: &irtop::ir::Ir) -> Program {
    Program::compile(ir, &analyze(ir)).expect("compiles")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Random IRs (chains when narrow, wide levels when wide) on random graphs.
    #[test]
    fn fused_runs_give_the_unfused_bits(ops in 1usize..60, width in 1usize..10, ir_seed in 0u64..1000, nodes in 0usize..9000, degree in 0usize..4, graph_seed in 0u64..100, layered in any::<bool>()) {
        let shape = if layered { Shape::Layered } else { Shape::Random };
        let ir = load_bytes(&generate(shape, ops, width, ir_seed), Path::new("random.json")).expect("generated IR loads");
        let program = compile(&ir);
        check(&program, &uniform(nodes, nodes * degree, graph_seed), "random IR")?;
    }
}

fn files(dir: &str, suffix: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

#[test]
fn every_sample_and_groggy_ir_gives_the_unfused_bits() {
    // Over a chunk, so that split kernels and reductions have several chunks.
    let graph = uniform(9000, 40_000, 3);
    let mut checked = 0;
    for path in files("samples", ".json").into_iter().chain(files("tests/fixtures/groggy", ".ir.json")) {
        if path.ends_with("large_layered_10k.json") {
            continue;
        }
        let ir = load_file(&path).expect("loads");
        let Ok(program) = Program::compile(&ir, &analyze(&ir)) else { continue };
        check(&program, &graph, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        checked += 1;
    }
    assert!(checked >= 30, "{checked} IRs checked");
}

#[test]
fn a_failure_inside_a_fused_chain_names_the_op_that_failed() {
    // `q` divides by a map that is zero at node 5000 (and only there): the chain
    // `x -> y -> q -> z` is fused, and the error is the unfused one.
    let ir = load_bytes(
        br#"{"nodes": [
          {"id": "idx", "op_type": "init_nodes_with_index", "output": "i"},
          {"id": "c", "op_type": "constant", "output": "c", "metadata": {"value": 5000.0}},
          {"id": "d", "op_type": "sub", "inputs": ["i", "c"], "output": "d"},
          {"id": "x", "op_type": "load_attr", "output": "x", "metadata": {"name": "w"}},
          {"id": "y", "op_type": "neg", "inputs": ["x"], "output": "y"},
          {"id": "q", "op_type": "div", "inputs": ["y", "d"], "output": "q"},
          {"id": "z", "op_type": "abs", "inputs": ["q"], "output": "z"}
        ]}"#,
        Path::new("zero.json"),
    )
    .expect("loads");
    let program = compile(&ir);
    let graph = uniform(9000, 0, 1);
    let unfused = run(&program, &graph, Mode::SEQ, &Retain::Sinks, false).expect_err("fails");
    assert!(unfused.contains("node q (div)") && unfused.contains("at node 5000"), "{unfused}");
    for mode in Mode::ALL {
        let fused = run(&program, &graph, mode, &Retain::Sinks, true).expect_err("fails");
        assert_eq!(fused, unfused, "{mode}");
    }
}

/// Kernel calls that pass over the nodes (fused or not), per iteration of the first loop.
fn passes_per_iteration(p: &Program) -> usize {
    p.steps
        .iter()
        .find_map(|s| match &s.kind {
            StepKind::Loop(lp) => Some(
                lp.body
                    .steps
                    .iter()
                    .filter(|b| match &b.kind {
                        StepKind::Fused(_) => true,
                        StepKind::Kernel(k) => k.node_program().is_some(),
                        StepKind::Loop(_) => true,
                    })
                    .count(),
            ),
            _ => None,
        })
        .expect("a loop")
}

#[test]
fn pagerank_runs_in_three_passes_per_iteration() {
    let ir = load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/pagerank_loop.json")).expect("loads");
    let program = compile(&ir);
    let keep: Vec<bool> = (0..program.var_count).map(|v| program.sinks.iter().any(|s| s.index() == v)).collect();
    assert_eq!(passes_per_iteration(&program), 10, "unfused: ten passes per iteration");
    let fused = program.fused(&keep);
    // mul+where (the contributions), where+reduce (the sinks' rank), and the gather with
    // the element-wise tail that makes the new ranks.
    assert_eq!(passes_per_iteration(&fused), 3, "{:?}", irtop::exec::fuse::members_of(&fused));
}

#[test]
fn eight_wide_inlines_its_fill() {
    let ir = load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/eight_wide.json")).expect("loads");
    let program = compile(&ir);
    let keep: Vec<bool> = (0..program.var_count).map(|v| program.sinks.iter().any(|s| s.index() == v)).collect();
    let fused = program.fused(&keep);
    assert!(fused.steps.iter().all(|s| s.id != "node_0"), "the fill is read as a number, and dropped");
    let chains = fused.steps.iter().filter(|s| matches!(s.kind, StepKind::Fused(_))).count();
    assert_eq!(chains, 8, "one pass per chain: {:?}", irtop::exec::fuse::members_of(&fused));
}

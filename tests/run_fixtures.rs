//! `irtop run` reproduces every value groggy 0.5.2 computed on the tiny graph
//! (tests/fixtures/groggy/run/, relative 1e-6: groggy stores f32), in every mode.

mod common;

use std::path::{Path, PathBuf};

use irtop::analysis::analyze;
use irtop::exec::edge_list::load_edge_list;
use irtop::exec::{Executor, Mode, Program, Retain, RunOptions, Scheduler, Value};
use irtop::ir::load_file;

fn run_dir() -> PathBuf {
    common::fixture("run")
}

fn close(got: f64, want: Option<f64>) -> bool {
    match want {
        None => got.is_nan(),
        Some(w) => (got - w).abs() <= 1e-6 * w.abs().max(1e-12) || (got - w).abs() < 1e-9,
    }
}

fn check_case(name: &str, case: &serde_json::Value, mode: Mode, threads: usize) -> Result<(), String> {
    let ir = load_file(&run_dir().join(case["ir"].as_str().expect("ir path"))).map_err(|e| e.to_string())?;
    let a = analyze(&ir);
    let program = Program::compile(&ir, &a).map_err(|e| e.to_string())?;
    let graph = load_edge_list(&run_dir().join("graphs/tiny.edges")).map_err(|e| e.to_string())?;
    let scheduler = Scheduler::new(mode, threads).map_err(|e| e.to_string())?;
    let outcome = scheduler.run(&program, &graph, &RunOptions::keeping(Retain::All)).map_err(|e| e.to_string())?;
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run_dir().join(format!("values/{name}.tiny.values.json")))
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    for (attr, var) in case["outputs"].as_object().expect("outputs") {
        let var = var.as_str().expect("var name");
        let v = ir.vars.get(var).ok_or(format!("{name}: no variable {var}"))?;
        let Some(value) = outcome.values[v.index()].as_deref() else {
            return Err(format!("{name} ({mode}): {var} has no value"));
        };
        let Value::Map(m) = value else { return Err(format!("{name}: {var} is not a node map")) };
        let want: Vec<Option<f64>> =
            expected[attr].as_array().expect("values").iter().map(serde_json::Value::as_f64).collect();
        if m.values.len() != want.len() || !m.values.iter().zip(&want).all(|(&g, &w)| close(g, w)) {
            return Err(format!("{name} ({mode}): {attr} = {var}: got {:?}, groggy {:?}", m.values, want));
        }
    }
    Ok(())
}

fn cases() -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read_to_string(run_dir().join("cases.json")).expect("cases.json");
    serde_json::from_str::<serde_json::Value>(&text).expect("json").as_object().expect("object").clone()
}

#[test]
fn every_groggy_value_set_is_reproduced_in_every_mode() {
    let cases = cases();
    assert_eq!(cases.len(), 28);
    let mut failures = Vec::new();
    for mode in Mode::ALL {
        for (name, case) in &cases {
            if let Err(e) = check_case(name, case, mode, 2) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_cli_writes_the_same_values() {
    let dir = run_dir();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(["run", "--var", "ranks", "--graph"])
        .arg(dir.join("graphs/tiny.edges"))
        .arg(dir.join("ir/pagerank_loop.ir.json"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(doc["node_id"], serde_json::json!([0, 1, 2, 3]));
    let ranks: Vec<f64> = doc["ranks"].as_array().expect("ranks").iter().map(|x| x.as_f64().expect("number")).collect();
    let sum: f64 = ranks.iter().sum();
    assert!((sum - 1.0).abs() < 1e-9, "PageRank sums to 1, got {sum}");
    assert!(close(ranks[3], Some(0.5678147077560425)));
}

#[test]
fn an_op_without_a_kernel_fails_before_the_run_naming_node_and_op() {
    let dir = std::env::temp_dir().join(format!("irtop-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let ir = dir.join("bad.json");
    std::fs::write(
        &ir,
        r#"{"nodes": [{"id": "n0", "op_type": "init_nodes", "output": "x", "metadata": {"default": 1.0}},
        {"id": "n1", "op_type": "frobnicate", "inputs": ["x"], "output": "y"}]}"#,
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(["run", "--uniform", "10"])
        .arg(&ir)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("node n1") && err.contains("frobnicate"), "{err}");
    assert!(out.stdout.is_empty());
    // Analysis is unaffected.
    let report = std::process::Command::new(env!("CARGO_BIN_EXE_irtop")).arg("report").arg(&ir).output().expect("runs");
    assert!(report.status.success());
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}

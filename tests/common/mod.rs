//! Helpers shared by the integration tests: fixture paths and loading.

#![allow(dead_code)]

use std::path::PathBuf;

use irtop::analysis::{Analysis, analyze};
use irtop::ir::{Ir, load_file};

/// Path of a file under `tests/fixtures/groggy/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/groggy").join(name)
}

/// Loads and analyses `tests/fixtures/groggy/<case>.ir.json`.
pub fn analysed(case: &str) -> (Ir, Analysis) {
    let ir = load_file(&fixture(&format!("{case}.ir.json"))).unwrap_or_else(|e| panic!("{case}: {e}"));
    let a = analyze(&ir);
    (ir, a)
}

/// groggy's recorded plan for `case`.
pub fn groggy_plan(case: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(fixture(&format!("{case}.groggy-plan.json"))).expect("plan fixture");
    serde_json::from_str(&text).expect("plan fixture is JSON")
}

/// irtop's levels as sorted lists of node ids (groggy's order inside a level is a set's).
pub fn levels_as_sets(ir: &Ir, a: &Analysis) -> Vec<Vec<String>> {
    a.levels
        .levels
        .iter()
        .map(|l| {
            let mut ids: Vec<String> = l.iter().map(|&n| ir.node(n).id.clone()).collect();
            ids.sort();
            ids
        })
        .collect()
}

/// A JSON list of lists of strings, each inner list sorted.
pub fn json_levels(v: &serde_json::Value) -> Vec<Vec<String>> {
    v.as_array()
        .expect("levels array")
        .iter()
        .map(|l| {
            let mut ids: Vec<String> =
                l.as_array().expect("level array").iter().map(|s| s.as_str().expect("id").to_owned()).collect();
            ids.sort();
            ids
        })
        .collect()
}

/// The ids of `a`'s critical path.
pub fn path_ids(ir: &Ir, nodes: &[irtop::ir::NodeId]) -> Vec<String> {
    nodes.iter().map(|&n| ir.node(n).id.clone()).collect()
}

//! `irtop dot` on the 10,000-op sample: each level becomes one box with its op counts by
//! domain, the critical path stays op by op, and a DOT comment and a stderr note say what
//! was collapsed; `--full` draws every op. Graphviz lays the collapsed graph out (skipped
//! when graphviz is not installed; `.ci/run` installs it).

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const SAMPLE: &str = "samples/large_layered_10k.json";

fn irtop(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_irtop")).args(args).output().expect("irtop runs");
    assert!(out.status.success(), "irtop {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// The ids of the boxes and ops the DOT declares, with their attribute lists.
fn declarations(dot: &str) -> Vec<(String, String)> {
    dot.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l.strip_prefix('"')?;
            let (id, attrs) = rest.split_once("\" [")?;
            (!id.contains("\" -> \"")).then(|| (id.to_owned(), attrs.to_owned()))
        })
        .collect()
}

/// The counts in a box's label: `level 3\n45 other ops\ncore 30, graph 15`.
fn box_ops(attrs: &str) -> usize {
    let label = attrs.split("label=\"").nth(1).and_then(|l| l.split('"').next()).expect("a label");
    let by_domain = label.split("\\n").nth(2).expect("the counts by domain");
    by_domain.split(", ").map(|c| c.rsplit(' ').next().and_then(|n| n.parse::<usize>().ok()).expect("a count")).sum()
}

#[test]
fn the_10k_sample_is_drawn_as_level_boxes_and_the_critical_path() {
    let out = irtop(&["dot", SAMPLE]);
    let dot = String::from_utf8(out.stdout).expect("UTF-8");
    let note = String::from_utf8_lossy(&out.stderr);
    let plan: Value =
        serde_json::from_slice(&irtop(&["plan", SAMPLE, "--fields", "levels,critical_path"]).stdout).expect("JSON");
    let levels = plan["levels"].as_array().expect("levels").len();
    let critical: BTreeSet<&str> =
        plan["critical_path"]["nodes"].as_array().expect("nodes").iter().filter_map(Value::as_str).collect();

    assert!(dot.contains(&format!("// irtop: 10000 ops in {levels} levels")), "no comment about the collapse");
    assert!(note.contains("each level is drawn as one box") && note.contains("--full"), "stderr: {note}");

    let declared = declarations(&dot);
    let (boxes, ops): (Vec<_>, Vec<_>) = declared.iter().partition(|(_, attrs)| attrs.contains("shape=box3d"));
    let drawn: BTreeSet<&str> = ops.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(drawn, critical, "exactly the critical path is drawn op by op");
    assert!(boxes.len() <= levels, "{} boxes for {levels} levels", boxes.len());
    let in_boxes: usize = boxes.iter().map(|(_, attrs)| box_ops(attrs)).sum();
    assert_eq!(in_boxes + critical.len(), 10_000, "every op is counted in a box or drawn");
    assert!(dot.lines().filter(|l| l.contains(" -> ")).count() < 2_000, "few edges to lay out");
}

#[test]
fn full_draws_every_op_and_says_nothing() {
    let out = irtop(&["dot", SAMPLE, "--full"]);
    let dot = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(!dot.contains("// irtop:") && !String::from_utf8_lossy(&out.stderr).contains("one box"));
    let declared = declarations(&dot);
    assert_eq!(declared.len(), 10_000);
    assert!(declared.iter().all(|(_, attrs)| !attrs.contains("box3d")));
}

#[test]
fn graphviz_lays_out_the_collapsed_10k_sample() {
    if !Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success()) {
        eprintln!("graphviz is not installed: skipped");
        return;
    }
    let dot = irtop(&["dot", SAMPLE]).stdout;
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dot runs");
    child.stdin.take().expect("stdin").write_all(&dot).expect("write to dot");
    let out = child.wait_with_output().expect("dot finishes");
    assert!(out.status.success(), "dot -Tsvg failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"), "no SVG");
}

//! Text from the IR file (the name, node ids, ops, variables) reaches the terminal only with
//! its control characters escaped: an id holding `ESC [2J` must not clear the user's screen,
//! and `irtop dot` must not write a NUL. Checked on every text output of the real binary:
//! the report, DOT, the warnings and the errors on stderr, and CSV headers.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn irtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irtop")).args(args).output().expect("cannot run the irtop binary")
}

fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irtop-escaping-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// True when `bytes` hold a control character other than a newline or a tab.
fn has_control(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes).chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// An IR whose name, ids, op and variables hold escape sequences, a NUL and a BEL, with an
/// unknown op (a warning naming the node) and an external input (another).
fn hostile_ir() -> Value {
    json!({"name": "clear\u{1b}[2J\u{0}", "nodes": [
        {"id": "a\u{1b}[2J", "domain": "core", "op_type": "init_nodes", "inputs": [], "output": "x\u{1b}]0;title\u{7}",
         "metadata": {"default": 1.0}},
        {"id": "b\u{0}", "domain": "core", "op_type": "add", "inputs": ["x\u{1b}]0;title\u{7}", "ext\u{1b}[31m"],
         "output": "y\u{9b}2J", "metadata": {}},
        {"id": "c\u{1b}c", "domain": "core", "op_type": "frob\u{1b}[5m", "inputs": ["y\u{9b}2J"], "output": "z",
         "metadata": {}}
    ]})
}

#[test]
fn reports_dot_and_messages_escape_control_characters() {
    let dir = temp_dir("hostile");
    let file = dir.join("hostile.json");
    std::fs::write(&file, serde_json::to_vec(&hostile_ir()).unwrap()).unwrap();
    let file = file.to_str().unwrap();
    for sub in ["report", "dot", "plan"] {
        let out = irtop(&[sub, file]);
        assert!(out.status.success(), "{sub}: {:?}", out.status);
        assert!(
            !has_control(&out.stdout),
            "{sub} wrote a control character:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            !has_control(&out.stderr),
            "{sub} warned with a control character:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let report = String::from_utf8(irtop(&["report", file]).stdout).unwrap();
    assert!(report.contains("=== Parallel Execution Analysis: clear\\u{1b}[2J\\0 ==="), "{report}");
    assert!(report.contains("init_nodes (a\\u{1b}[2J)"), "{report}");
    let dot = String::from_utf8(irtop(&["dot", file]).stdout).unwrap();
    assert!(dot.contains("\"b\\\\0\""), "{dot}");
    // A run error names the node and the variable, escaped.
    let out = irtop(&["run", file, "--uniform", "3"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!has_control(&out.stderr), "{err}");
    assert!(err.contains("c\\u{1b}c"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn csv_headers_escape_control_characters() {
    let dir = temp_dir("csv");
    let file = dir.join("csv.json");
    let ir = json!({"name": "t", "nodes": [
        {"id": "a", "domain": "core", "op_type": "init_nodes", "inputs": [], "output": "x\u{1b}[2J",
         "metadata": {"default": 1.0}}]});
    std::fs::write(&file, serde_json::to_vec(&ir).unwrap()).unwrap();
    let csv = dir.join("r.csv");
    let out = irtop(&["run", file.to_str().unwrap(), "--uniform", "1", "--out", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "node_id,x\\u{1b}[2J\n0,1.0\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_empty_ir_has_no_negative_zero_work() {
    let dir = temp_dir("empty");
    let file = dir.join("empty.json");
    std::fs::write(&file, r#"{"name": "empty", "nodes": []}"#).unwrap();
    let report = String::from_utf8(irtop(&["report", file.to_str().unwrap()]).stdout).unwrap();
    assert!(report.contains("Work: 0  Span: 0"), "{report}");
    assert!(!report.contains("-0"), "{report}");
    let plan: Value = serde_json::from_slice(&irtop(&["plan", file.to_str().unwrap()]).stdout).unwrap();
    assert!(plan["work"].as_f64().is_some_and(|w| w == 0.0 && w.is_sign_positive()), "{}", plan["work"]);
    let _ = std::fs::remove_dir_all(&dir);
}

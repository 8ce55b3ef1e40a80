//! `--format` through the binary: every command that writes data takes it, writes what the
//! older spelling (`irtop plan`, `irtop dot`, `--json`, an `--out` name ending in `.csv`)
//! writes, and refuses a format it cannot write with a message naming the flag and the
//! formats it can.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `irtop` with `args` from the crate root (so that `samples/...` resolves).
fn irtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cannot run the irtop binary")
}

/// Stdout of a run that must succeed.
fn ok(args: &[&str]) -> String {
    let out = irtop(args);
    assert!(out.status.success(), "irtop {args:?}: {:?}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Stderr of a run that must be refused as bad input (exit 2) before writing anything.
fn refused(args: &[&str]) -> String {
    let out = irtop(args);
    assert_eq!(out.status.code(), Some(2), "irtop {args:?}: {:?}", out.status);
    assert!(out.stdout.is_empty(), "irtop {args:?} wrote: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("irtop-format-test-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cannot create the temp dir");
        TempDir(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().expect("UTF-8 temp path").to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const PAGERANK: &str = "samples/pagerank_loop.json";

#[test]
fn report_writes_the_plan_and_dot_as_plan_and_dot_do() {
    assert_eq!(ok(&["report", PAGERANK, "--format", "text"]), ok(&["report", PAGERANK]));
    assert_eq!(ok(&["report", PAGERANK, "--format", "json"]), ok(&["plan", PAGERANK]));
    assert_eq!(
        ok(&["report", PAGERANK, "--format", "json", "--fields", "all", "--pretty"]),
        ok(&["plan", PAGERANK, "--fields", "all", "--pretty"])
    );
    assert_eq!(ok(&["report", PAGERANK, "--format", "dot"]), ok(&["dot", PAGERANK]));
    assert_eq!(ok(&["report", PAGERANK, "--format", "dot", "--full"]), ok(&["dot", PAGERANK, "--full"]));
    let plan: Value = serde_json::from_str(&ok(&["report", PAGERANK, "--format", "json"])).expect("JSON");
    assert_eq!(plan["name"], "pagerank_loop");
}

#[test]
fn report_refuses_a_format_or_an_option_it_cannot_write() {
    let err = refused(&["report", PAGERANK, "--format", "csv"]);
    assert!(err.contains("--format") && err.contains("text, json, dot"), "{err}");
    let err = refused(&["report", PAGERANK, "--pretty"]);
    assert!(err.contains("--pretty applies to --format json"), "{err}");
    let err = refused(&["report", PAGERANK, "--format", "dot", "--fields", "all"]);
    assert!(err.contains("--fields applies to --format json"), "{err}");
    let err = refused(&["report", PAGERANK, "--format", "json", "--full"]);
    assert!(err.contains("--full applies to --format dot"), "{err}");
}

#[test]
fn run_writes_csv_by_format_or_by_the_out_name() {
    let dir = TempDir::new("run");
    let run = ["run", "samples/diamond.json", "--uniform", "16"];
    let json = ok(&run);
    assert_eq!(ok(&[&run[..], &["--format", "json"]].concat()), json);
    let csv = ok(&[&run[..], &["--format", "csv"]].concat());
    assert!(csv.starts_with("node_id,"), "{csv}");
    assert_eq!(csv.lines().count(), 17, "a header and a row per node: {csv}");
    // The older spelling: an --out name ending in .csv.
    let by_name = dir.path("values.csv");
    ok(&[&run[..], &["--out", &by_name]].concat());
    assert_eq!(std::fs::read_to_string(&by_name).expect("written"), csv);
    // --format wins over the name.
    let json_named_csv = dir.path("values-json.csv");
    ok(&[&run[..], &["--out", &json_named_csv, "--format", "json"]].concat());
    assert_eq!(std::fs::read_to_string(&json_named_csv).expect("written"), json);
    // A scalar has no CSV column; the advice is the flag that writes JSON whatever the name.
    let err = refused(&["run", PAGERANK, "--uniform", "8", "--format", "csv", "--var", "n_0"]);
    assert!(err.contains("--var n_0: a scalar") && err.contains("write JSON (--format json)"), "{err}");
    let err = refused(&[&run[..], &["--format", "dot"]].concat());
    assert!(err.contains("--format") && err.contains("json, csv"), "{err}");
    assert!(!Path::new(&dir.path("never.json")).exists());
}

#[test]
fn bench_writes_json_and_traces_by_format_and_keeps_json() {
    let bench = ["bench", "samples/chain.json", "--uniform", "64", "--reps", "1", "--mode", "levels"];
    let keys = |text: &str| -> Vec<String> {
        let v: Value = serde_json::from_str(text).expect("JSON");
        v.as_object().expect("an object").keys().cloned().collect()
    };
    let new = ok(&[&bench[..], &["--format", "json"]].concat());
    let old = ok(&[&bench[..], &["--json"]].concat());
    assert_eq!(keys(&new), keys(&old));
    assert!(keys(&new).contains(&"modes".to_owned()), "{new}");
    let trace: Value = serde_json::from_str(&ok(&[&bench[..], &["--format", "trace"]].concat())).expect("JSON");
    let events = trace["traceEvents"].as_array().expect("trace events");
    assert!(events.iter().any(|e| e["args"]["name"] == "levels"), "{trace}");
    let text = ok(&[&bench[..], &["--format", "text"]].concat());
    assert!(text.lines().any(|l| l.starts_with("levels ")), "{text}");
    let err = refused(&[&bench[..], &["--format", "csv"]].concat());
    assert!(err.contains("--format") && err.contains("text, json, trace"), "{err}");
    let err = refused(&[&bench[..], &["--format", "text", "--json"]].concat());
    assert!(err.contains("--json") && err.contains("--format"), "{err}");
}

#[test]
fn bench_all_writes_text_or_json_and_refuses_a_trace() {
    let dir = TempDir::new("all");
    std::fs::copy("samples/diamond.json", dir.0.join("diamond.json")).expect("copy the sample");
    let all = ["bench", "--all", &dir.path(""), "--scales", "6", "--reps", "1"];
    let new: Value = serde_json::from_str(&ok(&[&all[..], &["--format", "json"]].concat())).expect("JSON");
    let old: Value = serde_json::from_str(&ok(&[&all[..], &["--json"]].concat())).expect("JSON");
    for rows in [&new, &old] {
        let rows = rows.as_array().expect("one result per file and scale");
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0]["scale"], 6);
    }
    let err = refused(&[&all[..], &["--format", "trace"]].concat());
    assert!(err.contains("--format trace: `irtop bench --all` writes text or json"), "{err}");
}

#[test]
fn gen_and_calibrate_write_json_only() {
    let generate = ["gen", "--ops", "20", "--seed", "3"];
    assert_eq!(ok(&[&generate[..], &["--format", "json"]].concat()), ok(&generate));
    let err = refused(&[&generate[..], &["--format", "text"]].concat());
    assert!(err.contains("--format") && err.contains("[possible values: json]"), "{err}");
    let err = refused(&["calibrate", "--format", "csv"]);
    assert!(err.contains("--format") && err.contains("[possible values: json]"), "{err}");
}

#[test]
fn every_help_names_format() {
    for command in [&[][..], &["report"], &["plan"], &["dot"], &["run"], &["bench"], &["calibrate"], &["gen"]] {
        let help = ok(&[command, &["--help"]].concat());
        assert!(help.contains("--format"), "irtop {command:?} --help does not name --format:\n{help}");
    }
}

//! Inputs refused before work starts, through the real binary: a file over `--max-file-mb`
//! (and a pipe that goes on), a loop that would run for ages (`--max-work`), a graph that
//! would not fit (`--max-graph-gb`, a stray huge id in an edge list, impossible synthetic
//! flags). Each exits 2 and says the number and the flag. And ops that fail while running:
//! `irtop run` exits 2 naming the node, and in the TUI a failed benchmark leaves the UI
//! working. NaN is data, not an error (groggy's policy): it propagates and is written as null.
//! The limit flags work before the subcommand as well as after it.

mod tui_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use irtop::analysis::analyze;
use irtop::exec::graph_spec::GraphSpec;
use irtop::ir::load_bytes;
use irtop::limits::Limits;
use irtop::tui::bench_job::{BenchRequest, executor_runner};
use irtop::tui::{Msg, update};
use serde_json::{Value, json};

fn irtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irtop")).args(args).output().expect("cannot run the irtop binary")
}

/// Runs irtop, expects exit code 2, and returns stderr.
fn refused(args: &[&str]) -> String {
    let out = irtop(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "irtop {args:?}: stderr:\n{err}");
    assert!(out.stdout.is_empty(), "irtop {args:?} wrote to stdout");
    err
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("irtop-limits-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write");
        path.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn ir(nodes: Vec<Value>) -> String {
    serde_json::to_string_pretty(&json!({"name": "t", "nodes": nodes})).unwrap()
}

fn node(id: &str, op: &str, inputs: Value, output: &str, metadata: Value) -> Value {
    json!({"id": id, "domain": "core", "op_type": op, "inputs": inputs, "output": output, "metadata": metadata})
}

/// A loop of `iterations` over a two-step body on `x`.
fn looping(iterations: &str) -> String {
    format!(
        r#"{{"name": "l", "nodes": [
  {{"id": "n0", "op_type": "init_nodes", "output": "x", "metadata": {{"default": 1.0}}}},
  {{"id": "loop", "op_type": "iter_loop", "iterations": {iterations},
    "body": [{{"type": "core.add", "output": "y", "a": "x", "b": "x"}}, {{"type": "alias", "source": "y", "target": "x"}}],
    "loop_vars": [["x", "x"]]}}]}}"#
    )
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let dir = TempDir::new("size");
    let big = dir.file("big.json", format!("{{\"name\": \"{}\", \"nodes\": []}}", "x".repeat(3 << 20)));
    let err = refused(&["report", &big, "--max-file-mb", "2"]);
    assert!(
        err.contains("big.json: the file is 3.0 MiB, over the limit of 2.0 MiB for an IR file")
            && err.contains("Pass --max-file-mb 4 to read it anyway"),
        "{err}"
    );
    // Raised, it loads.
    let out = irtop(&["report", &big, "--max-file-mb", "4"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A pipe that goes on is cut off at the limit (a device is refused: tests/memory_limits.rs).
    let mut child = Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(["plan", "/dev/stdin", "--max-file-mb", "1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("cannot run irtop");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        // irtop stops reading at the limit; the rest of the write fails with a broken pipe.
        let _ = stdin.write_all(&vec![b' '; 3 << 20]);
    });
    let out = child.wait_with_output().expect("output");
    writer.join().expect("writer");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("/dev/stdin: the file is more than 1.0 MiB, over the limit of 1.0 MiB"), "{err}");
}

#[test]
fn a_loop_that_would_run_for_ages_is_refused_before_it_starts() {
    let dir = TempDir::new("work");
    let forever = dir.file("forever.json", looping("18446744073709551615"));
    let err = refused(&["run", &forever, "--uniform", "10"]);
    assert!(
        err.contains(
            "the run would do about 3.87e20 element operations (loop loop: 18446744073709551615 iterations x 2 steps"
        ) && err.contains("over the limit of 1e12")
            && err.contains("Pass --max-work 3.9e20 to run it anyway"),
        "{err}"
    );
    let err = refused(&["bench", &forever, "--uniform", "10", "--reps", "1"]);
    assert!(err.contains("--max-work"), "{err}");
    // A loop of a million iterations on a big graph is refused by a lower limit, and runs
    // when the limit is raised to the number the message gives.
    let short = dir.file("short.json", looping("1000"));
    let err = refused(&["run", &short, "--uniform", "1000", "--max-work", "1e5"]);
    assert!(err.contains("about 2e6 element operations") && err.contains("Pass --max-work 2.1e6"), "{err}");
    let out = irtop(&["run", &short, "--uniform", "1000", "--max-work", "2.1e6", "--var", "x"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_graph_that_would_not_fit_is_not_built() {
    let dir = TempDir::new("graph");
    let diamond = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/diamond.json");
    // One stray id without a header would make a 4-billion-node graph.
    let stray = dir.file("stray.edges", "0 1\n1 2\n2 4294967294\n");
    let err = refused(&["run", diamond, "--graph", &stray, "--max-graph-gb", "16"]);
    assert!(
        err.contains("stray.edges:3: node id 4294967294 (without a `# nodes` header the node count is the largest id + 1): \
                      a graph of 4294967295 nodes and 3 edges needs about 103.1 GB to build, more than --max-graph-gb (16.0 GB)")
            && err.contains("Pass --max-graph-gb 104 if it fits"),
        "{err}"
    );
    // The default limit is the memory available; no test machine has 103 GB free.
    let err = refused(&["run", diamond, "--graph", &stray]);
    assert!(err.contains("more than the memory available"), "{err}");
    // A header that declares a huge graph, the same.
    let header = dir.file("header.edges", "# nodes 4294967295\n0 1\n");
    let err = refused(&["run", diamond, "--graph", &header, "--max-graph-gb", "1"]);
    assert!(err.contains("header.edges:1: the `# nodes` header: a graph of 4294967295 nodes"), "{err}");
    // Synthetic graphs are checked from their flags.
    let err = refused(&["run", diamond, "--rmat", "20", "--max-graph-gb", "0.1"]);
    assert!(
        err.contains(
            "rmat:20:16:seed=1: a graph of 1048576 nodes and 16777216 edges needs about 0.428 GB to build, \
                      more than --max-graph-gb (0.100 GB)"
        ),
        "{err}"
    );
    let err = refused(&["bench", diamond, "--rmat", "40"]);
    assert!(err.contains("--rmat 40: the scale is at most 31"), "{err}");
    let err = refused(&["run", diamond, "--rmat", "31"]);
    assert!(err.contains("--rmat 31 --edge-factor 16: 34359738368 edges is more than a graph holds"), "{err}");
    let err = refused(&["run", diamond, "--uniform", "0", "--edges", "5"]);
    assert!(err.contains("--uniform 0: 5 edges need at least one node"), "{err}");
    let err = refused(&["run", diamond, "--uniform", "5000000000"]);
    assert!(err.contains("--uniform 5000000000: a graph holds at most 4294967295 nodes"), "{err}");
}

#[test]
fn failing_ops_fail_the_run_naming_the_node() {
    let dir = TempDir::new("fail");
    let div = dir.file(
        "div.json",
        ir(vec![
            node("ones", "init_nodes", json!([]), "x", json!({"default": 1.0})),
            node("zeros", "init_nodes", json!([]), "z", json!({"default": 0.0})),
            node("ratio", "div", json!(["x", "z"]), "r", json!({})),
        ]),
    );
    let err = refused(&["run", &div, "--uniform", "10"]);
    assert_eq!(err, "irtop: error: node ratio (div): division by 0 at node 0\n");
    let norm = dir.file(
        "norm.json",
        ir(vec![
            node("zeros", "init_nodes", json!([]), "z", json!({"default": 0.0})),
            node("share", "normalize_sum", json!(["z"]), "s", json!({})),
        ]),
    );
    for mode in ["seq", "levels", "dataflow+data"] {
        let err = refused(&["run", &norm, "--uniform", "10", "--mode", mode]);
        assert_eq!(err, "irtop: error: node share (normalize_sum): cannot normalize: the sum is 0\n", "{mode}");
    }
    // An op irtop has no kernel for fails before the run, naming the node.
    let unknown = dir.file("unknown.json", ir(vec![node("mystery", "frobnicate", json!([]), "f", json!({}))]));
    let err = refused(&["run", &unknown, "--uniform", "10"]);
    assert!(err.contains("node mystery: irtop cannot run op `frobnicate`: no kernel for this op"), "{err}");
}

#[test]
fn nan_is_data_written_as_null() {
    let dir = TempDir::new("nan");
    let nan = dir.file(
        "nan.json",
        ir(vec![
            node("neg", "init_nodes", json!([]), "m", json!({"default": -1.0})),
            node("root", "sqrt", json!(["m"]), "r", json!({})),
            node("twice", "add", json!(["r", "r"]), "t", json!({})),
        ]),
    );
    let out = irtop(&["run", &nan, "--uniform", "3", "--var", "t"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["t"], json!([null, null, null]));
}

/// The TUI's benchmark runner, on a small graph, with the given work limit.
fn run_bench(text: &str, max_work: f64) -> Result<irtop::report::bench_report::BenchReport, String> {
    let ir = load_bytes(text.as_bytes(), Path::new("t.json")).expect("loads");
    let analysis = analyze(&ir);
    let graph = GraphSpec { uniform: Some(50), seed: 1, edge_factor: 4, ..GraphSpec::default() };
    let runner = executor_runner(graph, Limits { max_work, ..Limits::default() }, std::time::Duration::from_secs(3600));
    let request = BenchRequest {
        path: PathBuf::from("t.json"),
        ir: Arc::new(ir),
        analysis: Arc::new(analysis),
        threads: 2,
        mode: irtop::tui::bench_job::ModeChoice::All,
    };
    runner(&request, &AtomicBool::new(false), &|_| {})
}

#[test]
fn a_failing_or_refused_benchmark_leaves_the_tui_working() {
    let div = ir(vec![
        node("ones", "init_nodes", json!([]), "x", json!({"default": 1.0})),
        node("zeros", "init_nodes", json!([]), "z", json!({"default": 0.0})),
        node("ratio", "div", json!(["x", "z"]), "r", json!({})),
    ]);
    let failed = run_bench(&div, 1e12).unwrap_err();
    assert_eq!(failed, "node ratio (div): division by 0 at node 0");
    let refused = run_bench(&looping("18446744073709551615"), 1e12).unwrap_err();
    assert!(refused.contains("--max-work"), "{refused}");
    assert!(run_bench(&looping("3"), 1e12).is_ok());

    let mut app = tui_support::app("diamond", 120, 40);
    for why in [failed, refused] {
        update(&mut app, tui_support::ch('b'));
        let generation = app.model.bench.running.as_ref().expect("a run started").generation;
        update(&mut app, Msg::BenchFinished { generation, outcome: Err(why.clone()) });
        assert!(app.model.bench.running.is_none());
        let screen = tui_support::screen(&app);
        assert!(screen.contains("benchmark failed"), "{screen}");
        // Still working: keys move, the next benchmark starts.
        update(&mut app, tui_support::ch('j'));
        update(&mut app, tui_support::ch('2'));
        assert!(!tui_support::screen(&app).is_empty());
    }
}

#[test]
fn limit_flags_work_before_the_subcommand_too() {
    let dir = TempDir::new("before");
    let big = dir.file("big.json", format!("{{\"name\": \"{}\", \"nodes\": []}}", "x".repeat(3 << 20)));
    let short = dir.file("short.json", looping("1000"));
    let diamond = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/diamond.json");
    // The same refusal, the flag before or after the subcommand.
    for (before, after) in [
        (vec!["--max-file-mb", "2", "report", &big], vec!["report", &big, "--max-file-mb", "2"]),
        (vec!["--max-file-mb", "2", "plan", &big], vec!["plan", &big, "--max-file-mb", "2"]),
        (
            vec!["--max-work", "1e5", "run", &short, "--uniform", "1000"],
            vec!["run", &short, "--uniform", "1000", "--max-work", "1e5"],
        ),
        (
            vec!["--max-work", "1e5", "bench", &short, "--uniform", "1000", "--reps", "1"],
            vec!["bench", &short, "--uniform", "1000", "--reps", "1", "--max-work", "1e5"],
        ),
        (
            vec!["--max-graph-gb", "0.1", "run", diamond, "--rmat", "20"],
            vec!["run", diamond, "--rmat", "20", "--max-graph-gb", "0.1"],
        ),
        (
            vec!["--max-graph-gb", "0.1", "bench", diamond, "--rmat", "20", "--reps", "1"],
            vec!["bench", diamond, "--rmat", "20", "--reps", "1", "--max-graph-gb", "0.1"],
        ),
    ] {
        let err = refused(&before);
        assert!(err.contains("Pass --max-"), "irtop {before:?}: {err}");
        assert_eq!(err, refused(&after), "irtop {before:?}");
    }
    // Raised before the subcommand, the limit lets the work through.
    for args in [
        vec!["--max-file-mb", "4", "report", &big],
        vec!["--max-work", "2.1e6", "run", &short, "--uniform", "1000", "--var", "x"],
        vec!["--max-graph-gb", "0.5", "--max-work", "1e12", "run", diamond, "--rmat", "10"],
    ] {
        let out = irtop(&args);
        assert!(out.status.success(), "irtop {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // The terminal UI's file and graph flags before a subcommand are refused, not ignored.
    let err = refused(&["--rmat", "12", "run", diamond]);
    assert!(err.contains("--rmat before `run`: put the graph flags after the subcommand"), "{err}");
    let err = refused(&[diamond, "report", diamond]);
    assert!(err.contains("a file before `report`"), "{err}");
}

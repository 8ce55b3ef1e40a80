//! End-to-end tests of the `irtop` binary: run it as a user would and check what a user
//! would look at (exit code, stdout, stderr).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Runs `irtop` with `args` from the crate root (so that `samples/...` resolves).
fn irtop(args: &[&str]) -> Output {
    irtop_in(Path::new(MANIFEST_DIR), args)
}

/// Runs `irtop` with `args` from `dir`.
fn irtop_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irtop")).args(args).current_dir(dir).output().expect("cannot run the irtop binary")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is not UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts a successful run with nothing on stderr and returns stdout.
fn success(args: &[&str]) -> String {
    let out = irtop(args);
    assert!(out.status.success(), "irtop {args:?} failed with {:?}\nstderr:\n{}", out.status, stderr(&out));
    assert_eq!(stderr(&out), "", "irtop {args:?} wrote to stderr");
    stdout(&out)
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("irtop-cli-test-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cannot create the temp dir");
        TempDir(dir)
    }

    /// Writes `contents` to `name` in this directory and returns its path.
    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("cannot write a temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loads `path` with `report`, `plan` and `dot`; each must exit with code 2 (bad input, not
/// a crash or a signal), print nothing on stdout, and give the same message on stderr, which
/// must name the file. Returns that message with the path replaced by `<file>`, so that
/// assertions cannot match words in the temp path by accident.
fn load_error(path: &Path) -> String {
    let path_str = path.to_str().expect("temp path is not UTF-8");
    let mut first: Option<String> = None;
    for sub in ["report", "plan", "dot"] {
        let out = irtop(&[sub, path_str]);
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "irtop {sub} {path_str}: expected exit code 2, got {:?}\nstderr:\n{err}",
            out.status
        );
        assert!(
            out.stdout.is_empty(),
            "irtop {sub} {path_str}: printed on stdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(err.starts_with("irtop: error: "), "irtop {sub}: unexpected stderr:\n{err}");
        assert!(err.contains(path_str), "irtop {sub}: stderr does not name the file {path_str}:\n{err}");
        match &first {
            None => first = Some(err),
            Some(f) => assert_eq!(&err, f, "irtop {sub} reports the error differently from irtop report"),
        }
    }
    first.unwrap().replace(path_str, "<file>")
}

fn key<'a>(v: &'a Value, k: &str) -> &'a Value {
    v.get(k).unwrap_or_else(|| panic!("no key {k:?} in {v}"))
}

fn array<'a>(v: &'a Value, k: &str) -> &'a Vec<Value> {
    key(v, k).as_array().unwrap_or_else(|| panic!("{k:?} is not a list in {v}"))
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    array(v, k)
        .iter()
        .map(|s| s.as_str().unwrap_or_else(|| panic!("{k:?} holds a non-string {s}")).to_owned())
        .collect()
}

fn has_keys(v: &Value, what: &str, keys: &[&str]) {
    for k in keys {
        assert!(v.get(*k).is_some(), "{what} has no key {k:?}: {v}");
    }
}

// ---------------------------------------------------------------------------------------
// Successful runs
// ---------------------------------------------------------------------------------------

#[test]
fn report_diamond_lists_levels_critical_path_and_work_span() {
    let out = success(&["report", "samples/diamond.json"]);
    assert!(out.contains("Execution levels: 3"), "{out}");
    assert!(out.contains("Level 0: 3 operations"), "{out}");
    assert!(out.contains("Level 1: 2 operations"), "{out}");
    assert!(out.contains("Level 2: 1 operation,"), "{out}");
    assert!(!out.contains("Level 3:"), "{out}");
    assert!(out.contains("Critical path"), "{out}");
    assert!(out.contains("Work/span"), "{out}");
    assert!(out.contains("Total nodes: 6"), "{out}");
}

#[test]
fn plan_pagerank_is_json_with_groggy_and_irtop_fields() {
    let text = success(&["plan", "samples/pagerank_loop.json", "--fields", "all"]);
    let plan: Value = serde_json::from_str(&text).expect("irtop plan did not print JSON");

    has_keys(
        &plan,
        "the plan",
        &[
            "groups",
            "sequential_plan",
            "estimated_speedup",
            "use_parallel",
            "levels",
            "critical_path",
            "work",
            "span",
            "edges",
            "diagnostics",
        ],
    );

    let groups = array(&plan, "groups");
    assert!(!groups.is_empty(), "no groups");
    for g in groups {
        has_keys(g, "a group", &["node_ids", "shared_inputs", "outputs", "depends_on", "parallelism_factor"]);
    }

    let seq = key(&plan, "sequential_plan");
    has_keys(
        seq,
        "sequential_plan",
        &["operations", "variable_slots", "constant_values", "max_live_variables", "execution_order"],
    );
    assert_eq!(array(seq, "execution_order").len(), 12, "pagerank_loop has 12 top-level nodes");
    assert_eq!(array(seq, "operations").len(), 12);

    assert!(key(&plan, "estimated_speedup").is_f64(), "estimated_speedup is not a number");
    assert!(key(&plan, "use_parallel").is_boolean(), "use_parallel is not a bool");
    let work = key(&plan, "work").as_f64().expect("work is not a number");
    let span = key(&plan, "span").as_f64().expect("span is not a number");
    assert!(0.0 < span && span <= work, "span {span} must be in (0, work {work}]");

    let levels = array(&plan, "levels");
    assert_eq!(levels.len(), 5, "levels: {levels:?}");
    let last: Vec<&str> = levels[4].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(last.contains(&"node_11"), "the loop node_11 is not in the last level: {last:?}");
    let placed: usize = levels.iter().map(|l| l.as_array().unwrap().len()).sum();
    assert_eq!(placed, 12, "every node is in exactly one level");

    let cp = key(&plan, "critical_path");
    has_keys(cp, "critical_path", &["nodes", "ops", "cost"]);
    let cp_nodes = strings(cp, "nodes");
    assert_eq!(cp_nodes.last().map(String::as_str), Some("node_11"), "critical path: {cp_nodes:?}");
    assert_eq!(key(cp, "ops").as_u64(), Some(cp_nodes.len() as u64));
    assert_eq!(key(cp, "cost").as_f64(), Some(span), "the critical path's cost is the span");

    let edges = array(&plan, "edges");
    for e in edges {
        has_keys(e, "an edge", &["from", "to", "kind", "var"]);
    }
    let wanted = serde_json::json!({"from": "node_5", "to": "node_11", "kind": "read-after-write", "var": "recip_5"});
    assert!(
        edges.iter().any(|e| ["from", "to", "kind", "var"].iter().all(|k| e.get(*k) == wanted.get(*k))),
        "no edge {wanted} in {edges:?}"
    );

    let diagnostics = array(&plan, "diagnostics");
    assert!(!diagnostics.is_empty(), "pagerank_loop has notes about groggy's analyzer");
    for d in diagnostics {
        has_keys(d, "a diagnostic", &["severity", "code", "message", "node"]);
    }
}

#[test]
fn dot_diamond_has_one_rank_per_level_and_a_bold_critical_path() {
    let dot = success(&["dot", "samples/diamond.json"]);
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(dot.trim_end().ends_with('}'), "{dot}");
    assert_eq!(dot.matches("rank=same").count(), 3, "one rank=same per level:\n{dot}");

    let plan: Value = serde_json::from_str(&success(&["plan", "samples/diamond.json"])).unwrap();
    let critical = strings(key(&plan, "critical_path"), "nodes");
    assert_eq!(critical, ["node_0", "node_2", "node_5"]);
    for node in ["node_0", "node_1", "node_2", "node_3", "node_4", "node_5"] {
        let decl = format!("\"{node}\" [");
        let line = dot
            .lines()
            .find(|l| l.trim_start().starts_with(&decl))
            .unwrap_or_else(|| panic!("no declaration of {node}:\n{dot}"));
        assert_eq!(
            line.contains("penwidth=3"),
            critical.iter().any(|c| c == node),
            "{node} is critical iff it is drawn with penwidth=3: {line}"
        );
    }
}

#[test]
fn file_without_subcommand_prints_the_report() {
    let plain = success(&["samples/diamond.json"]);
    let report = success(&["report", "samples/diamond.json"]);
    assert_eq!(plain, report);
}

#[test]
fn no_arguments_reports_the_built_in_sample() {
    // Run from an unrelated directory: the sample must not be looked up relative to the cwd.
    let tmp = TempDir::new("no_arguments");
    let out = irtop_in(&tmp.0, &[]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let text = stdout(&out);
    assert!(text.contains("pagerank_loop"), "{text}");
    assert!(text.contains("Execution levels: 5"), "{text}");
    assert_eq!(text, success(&["report", "samples/pagerank_loop.json"]));
}

#[test]
fn gen_is_reproducible_and_loads() {
    let first = irtop(&["gen", "--ops", "200", "--seed", "3"]);
    let second = irtop(&["gen", "--ops", "200", "--seed", "3"]);
    assert!(first.status.success(), "stderr:\n{}", stderr(&first));
    assert!(second.status.success(), "stderr:\n{}", stderr(&second));
    assert!(!first.stdout.is_empty());
    assert!(first.stdout == second.stdout, "the same seed gave different IRs");

    let tmp = TempDir::new("gen");
    let path = tmp.file("generated.json", &first.stdout);
    let report = success(&["report", path.to_str().unwrap()]);
    assert!(report.contains("Total nodes: 200"), "{report}");
}

#[test]
fn generated_irs_run_in_every_mode() {
    let tmp = TempDir::new("gen_run");
    for (shape, width, seed) in
        [("random", "100", "1"), ("random", "100", "2"), ("layered", "20", "3"), ("layered", "1", "4")]
    {
        let ir = irtop(&["gen", "--ops", "1000", "--shape", shape, "--width", width, "--seed", seed]);
        assert!(ir.status.success(), "stderr:\n{}", stderr(&ir));
        let path = tmp.file(&format!("{shape}_{seed}.json"), &ir.stdout);
        let path = path.to_str().unwrap();
        let seq = success(&["run", path, "--rmat", "8", "--var", "v999"]);
        for mode in ["levels", "dataflow", "data", "levels+data", "dataflow+data"] {
            let out = success(&["run", path, "--rmat", "8", "--mode", mode, "--threads", "2"]);
            let all: Value = serde_json::from_str(&out).unwrap();
            let last: Value = serde_json::from_str(&seq).unwrap();
            assert_eq!(all["v999"], last["v999"], "{shape} seed {seed}: {mode} differs from seq");
        }
    }
}

#[test]
fn the_large_sample_runs() {
    let out = success(&["run", "samples/large_layered_10k.json", "--rmat", "6", "--var", "v9999"]);
    let values: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(array(&values, "v9999").len(), 64);
}

/// The levels schedule releases a value after the deepest level that reads it, not after
/// the level of its last reader in program order (node_128 reads `v82` at level 1 and is
/// its last reader in program order; node_107 reads it at level 2).
#[test]
fn the_large_sample_benchmarks_in_every_mode() {
    let out = success(&[
        "bench",
        "samples/large_layered_10k.json",
        "--rmat",
        "6",
        "--reps",
        "1",
        "--budget",
        "3600",
        "--json",
    ]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert!(report.to_string().contains("levels+data"), "{report}");
}

/// The bench table shows, beside each mode's measured speedup, groggy's estimate and
/// irtop's static and calibrated predictions, and the JSON gives each repetition's time
/// and what the probe measured between repetitions.
#[test]
fn the_bench_table_shows_every_prediction() {
    let out = success(&[
        "bench",
        "samples/diamond.json",
        "--rmat",
        "12",
        "--reps",
        "2",
        "--threads",
        "2",
        "--budget",
        "3600",
    ]);
    let header = out.lines().nth(1).unwrap_or_default();
    for column in ["speedup", "groggy", "static", "calibrated"] {
        assert!(header.split_whitespace().any(|w| w == column), "no {column} column: {out}");
    }
    let levels = out.lines().find(|l| l.starts_with("levels ")).unwrap_or_else(|| panic!("no levels row: {out}"));
    // speedup, groggy, static, calibrated: four speedups, each a number with an x (and a `?`
    // after a measured one too noisy to trust, as on a loaded machine).
    let speedups = levels
        .split_whitespace()
        .map(|w| w.trim_end_matches('?'))
        .filter(|w| w.ends_with('x') && w[..w.len() - 1].parse::<f64>().is_ok());
    assert_eq!(speedups.count(), 4, "{levels}");
    // One probe sample before auto plans, then one after each of the 2 rounds.
    assert!(out.contains("+ probe (3 samples)"), "{out}");
    // Each parallel mode's predicted band and its verdict stand beside the measurement.
    let band =
        levels.split_whitespace().find(|w| w.contains('-') && w.ends_with('x')).unwrap_or_else(|| panic!("{levels}"));
    let ends: Vec<f64> = band.trim_end_matches('x').split('-').map(|v| v.parse().expect("a number")).collect();
    assert!(ends[0] <= ends[1], "{levels}");
    assert!(["pays", "marginal", "loses"].iter().any(|v| levels.split_whitespace().any(|w| w == *v)), "{levels}");
    assert!(out.lines().any(|l| l.starts_with("auto ")), "no auto row: {out}");
    assert!(out.contains("auto on 2 threads chose:"), "{out}");

    let json = success(&[
        "bench",
        "samples/diamond.json",
        "--rmat",
        "12",
        "--reps",
        "2",
        "--threads",
        "2",
        "--budget",
        "3600",
        "--json",
    ]);
    let report: Value = serde_json::from_str(&json).unwrap();
    for mode in report["modes"].as_array().expect("modes") {
        assert_eq!(mode["times_s"].as_array().map(Vec::len), Some(2), "{mode}");
    }
    // One sample before auto plans, one after each round.
    assert_eq!(report["probe"]["samples"].as_u64(), Some(3), "{report}");
    assert!(report["probe"]["stream"]["contention"].is_number(), "{report}");
    for mode in report["modes"].as_array().expect("modes") {
        let p = &mode["predicted"];
        let [lo, hi] = [p["band"][0].as_f64().expect("band"), p["band"][1].as_f64().expect("band")];
        let point = p["calibrated"].as_f64().or(p["static"].as_f64()).expect("a point");
        assert!(lo <= point + 1e-12 && point <= hi + 1e-12, "{mode}");
        assert!(p["groggy"].is_number() && p["verdict"].is_string(), "{mode}");
    }
    assert!(report["auto"]["lines"].as_array().is_some_and(|l| !l.is_empty()), "{report}");
}

/// On a graph where each op is long enough to share, `auto` says which op it splits or keeps whole, and why.
#[test]
fn auto_says_which_ops_it_splits() {
    let out = success(&[
        "bench",
        "samples/chain.json",
        "--rmat",
        "18",
        "--edge-factor",
        "1",
        "--reps",
        "1",
        "--threads",
        "2",
        "--budget",
        "3600",
    ]);
    assert!(out.contains("predictions: "), "{out}");
    // Whether an op splits depends on this machine's calibration; either way auto names the
    // op and sets its time against its grain.
    let why = out
        .lines()
        .find(|l| l.contains(" runs split: ") || l.contains(" runs whole: "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(why.contains(" grain") || why.contains("saves nothing"), "{why}");
}

#[test]
fn program_order_decides_a_read_before_a_later_write() {
    // a reads y, which b writes later; b reads x, which a writes. Not a cycle: in program
    // order a sees y as an external input, and irtop reports that as an error diagnostic.
    let tmp = TempDir::new("read_before_write");
    let path = tmp.file(
        "ir.json",
        r#"{"nodes": [{"id":"a","op_type":"add","inputs":["y"],"output":"x"},{"id":"b","op_type":"mul","inputs":["x"],"output":"y"}]}"#,
    );
    let out = success(&["report", path.to_str().unwrap()]);
    assert!(out.contains("Execution levels: 2"), "{out}");
    let diagnostics = out.split("\nDiagnostics").nth(1).unwrap_or_else(|| panic!("no Diagnostics section:\n{out}"));
    let section = diagnostics.split("\n\n").next().unwrap();
    let line = section
        .lines()
        .find(|l| l.contains("[read-before-write]"))
        .unwrap_or_else(|| panic!("no read-before-write diagnostic:\n{section}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"error"), "{line}");
    assert!(words.contains(&"a:"), "does not name node a: {line}");
    assert!(words.contains(&"b"), "does not name node b: {line}");
}

/// groggy's rebuilt `where` names its mask in `metadata.mask` and lists only the two
/// branches as inputs; a `select` written the same way reads the mask too. The report counts
/// the mask as a dependency of both, and both runs give the same values.
#[test]
fn select_with_its_mask_in_metadata_reads_it_like_where() {
    let tmp = TempDir::new("select_mask");
    let ir = |op: &str| {
        format!(
            r#"{{"nodes": [
            {{"id": "i", "op_type": "init_nodes_unique", "output": "index"}},
            {{"id": "h", "op_type": "constant", "output": "half", "metadata": {{"value": 1.5}}}},
            {{"id": "m", "op_type": "gt", "inputs": ["index", "half"], "output": "above"}},
            {{"id": "f", "op_type": "constant", "output": "otherwise", "metadata": {{"value": -1.0}}}},
            {{"id": "s", "op_type": "{op}", "inputs": ["index", "otherwise"], "output": "chosen",
              "metadata": {{"mask": "above"}}}}]}}"#
        )
    };
    let mut runs = Vec::new();
    for op in ["where", "select"] {
        let path = tmp.file(&format!("{op}.json"), ir(op));
        let path = path.to_str().expect("temp path is not UTF-8");
        let report = success(&["report", path]);
        assert!(report.contains(&format!("- {op} (s) [deps: 3]")), "the mask is not counted as a read:\n{report}");
        let out = success(&["run", path, "--uniform", "4", "--var", "chosen"]);
        let doc: Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("irtop run {op}: not JSON ({e}):\n{out}"));
        runs.push(key(&doc, "chosen").clone());
    }
    assert_eq!(runs[0], runs[1], "where and select differ");
    // A node takes if_true (its index) where the mask (index > 1.5) is non-zero, else if_false.
    let chosen: Vec<f64> = runs[1].as_array().expect("a list").iter().map(|v| v.as_f64().expect("a number")).collect();
    assert_eq!(chosen, [-1.0, -1.0, 2.0, 3.0]);
}

// ---------------------------------------------------------------------------------------
// Bad input: exit code 2, nothing on stdout, a message that says where and what
// ---------------------------------------------------------------------------------------

#[test]
fn malformed_json_names_file_line_and_column() {
    let tmp = TempDir::new("malformed");
    // Line 3 lacks a comma between `[]` and `"stats"` (column 14).
    let path = tmp.file("ir.json", "{\n \"name\": \"x\",\n \"nodes\": [] \"stats\": {}\n}\n");
    let err = load_error(&path);
    assert!(err.contains("<file>:3:14: "), "{err}");
}

#[test]
fn truncated_json_says_it_ends_early() {
    let tmp = TempDir::new("truncated");
    let path = tmp.file("ir.json", r#"{"name": "x", "nodes": [{"id": "a""#);
    let err = load_error(&path);
    assert!(err.contains("ends early"), "{err}");
    assert!(err.contains("<file>:1:"), "{err}");
}

#[test]
fn empty_file_says_empty() {
    let tmp = TempDir::new("empty");
    for (name, contents) in [("zero.json", ""), ("blank.json", "\n  \n\t\n")] {
        let err = load_error(&tmp.file(name, contents));
        assert!(err.contains("empty"), "{name}: {err}");
    }
}

#[test]
fn wrong_type_of_inputs_names_node_and_position() {
    let tmp = TempDir::new("inputs_type");
    let path = tmp.file(
        "ir.json",
        "{\n \"nodes\": [\n  {\"id\": \"n1\", \"op_type\": \"add\", \"inputs\": 5, \"output\": \"x\"}\n ]\n}\n",
    );
    let err = load_error(&path);
    assert!(err.contains("node n1"), "{err}");
    // The `5` is on line 3, column 44.
    assert!(err.contains("<file>:3:44: "), "{err}");
}

#[test]
fn duplicate_node_ids_are_named() {
    let tmp = TempDir::new("dup_ids");
    let path = tmp.file(
        "ir.json",
        r#"{"nodes": [{"id": "d1", "op_type": "add", "inputs": [], "output": "x"},
                    {"id": "d1", "op_type": "add", "inputs": [], "output": "y"}]}"#,
    );
    let err = load_error(&path);
    assert!(err.contains("node d1"), "{err}");
    assert!(err.contains("duplicate"), "{err}");
}

#[test]
fn negative_loop_iterations_are_named() {
    let tmp = TempDir::new("neg_iterations");
    let path = tmp.file(
        "ir.json",
        r#"{"nodes": [{"id": "L1", "op_type": "iter_loop", "inputs": [], "output": "x", "iterations": -3}]}"#,
    );
    let err = load_error(&path);
    assert!(err.contains("node L1"), "{err}");
    assert!(err.contains("-3"), "{err}");
}

#[test]
fn document_without_nodes_says_nodes() {
    let tmp = TempDir::new("no_nodes_key");
    let path = tmp.file("ir.json", r#"{"name": "x", "stats": {}}"#);
    let err = load_error(&path);
    assert!(err.contains("`nodes`"), "{err}");
}

/// 1 MB of nesting in several places.
fn deep_files(tmp: &TempDir) -> Vec<(&'static str, PathBuf)> {
    const N: usize = 1_000_000;
    let open = "[".repeat(N);
    let close = "]".repeat(N);
    vec![
        ("nodes, unclosed", tmp.file("nodes_open.json", format!("{{\"nodes\": {open}"))),
        ("nodes, closed", tmp.file("nodes_closed.json", format!("{{\"nodes\": {open}{close}}}"))),
        ("whole file, unclosed", tmp.file("whole_open.json", &open)),
        ("whole file, closed", tmp.file("whole_closed.json", format!("{open}{close}"))),
        (
            "metadata",
            tmp.file(
                "metadata.json",
                format!(r#"{{"nodes": [{{"id": "x", "op_type": "add", "metadata": {{"k": {open}{close}}}}}]}}"#),
            ),
        ),
    ]
}

#[test]
fn deep_nesting_is_an_input_error_not_a_crash() {
    let tmp = TempDir::new("deep_no_crash");
    for (what, path) in deep_files(&tmp) {
        // load_error checks exit code 2 (a stack overflow would be a signal) and the path.
        let err = load_error(&path);
        assert!(err.len() < 2000, "{what}: the message should not echo the input: {} bytes", err.len());
    }
}

#[test]
fn deep_nesting_in_metadata_says_nested() {
    let tmp = TempDir::new("deep_metadata");
    let (_, path) = deep_files(&tmp).pop().unwrap();
    let err = load_error(&path);
    assert!(err.contains("nested") || err.contains("recursion"), "{err}");
    assert!(err.contains("node x"), "{err}");
}

#[test]
fn deep_nesting_in_nodes_or_whole_file_says_nested() {
    let tmp = TempDir::new("deep_nodes");
    for (what, path) in deep_files(&tmp) {
        let err = load_error(&path);
        assert!(err.contains("nested") || err.contains("recursion"), "{what}: {err}");
    }
}

#[test]
fn non_utf8_file_names_line_and_column() {
    let tmp = TempDir::new("latin1");
    // "café" saved as Latin-1: the 0xE9 byte is at line 1, column 14.
    let path = tmp.file("ir.json", b"{\"name\": \"caf\xe9\", \"nodes\": []}");
    let err = load_error(&path);
    assert!(err.contains("<file>:1:14: "), "{err}");
}

#[test]
fn missing_file_is_named() {
    let tmp = TempDir::new("missing");
    let path = tmp.0.join("no-such-ir.json");
    let err = load_error(&path);
    assert!(err.contains("<file>: "), "{err}");
}

#[test]
fn bare_list_of_nodes_says_what_an_ir_file_is() {
    let tmp = TempDir::new("bare_list");
    let path = tmp.file(
        "ir.json",
        r#"[{"id":"a","op_type":"add","inputs":["y"],"output":"x"},{"id":"b","op_type":"mul","inputs":["x"],"output":"y"}]"#,
    );
    let err = load_error(&path);
    assert!(err.contains("object"), "{err}");
    assert!(err.contains("`nodes`"), "{err}");
}

/// `--var` with a name the IR does not have is refused before the graph is built, naming
/// the flag, the name and the file.
#[test]
fn run_refuses_an_unknown_variable_by_name() {
    let out = irtop(&["run", "samples/diamond.json", "--uniform", "4", "--var", "nope"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("--var nope: no variable of that name in samples/diamond.json"), "{}", stderr(&out));
}

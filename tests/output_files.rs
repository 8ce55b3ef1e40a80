//! What `irtop run --out` and `irtop bench --trace` write, through the real binary: the
//! previous file survives a write that fails half-way (a full disk, here a file-size
//! rlimit), an output naming an input is refused, a file that cannot be written is a user
//! error naming the path, and the results say what they hold: no variable overwrites the id
//! column, a scalar asked for in CSV is refused, CSV headers are quoted, infinities are not
//! "no value".

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

fn irtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irtop")).args(args).output().expect("cannot run the irtop binary")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs irtop, expects exit code 2 and nothing on stdout; returns stderr.
fn refused(args: &[&str]) -> String {
    let out = irtop(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "irtop {args:?}: {:?}\nstderr:\n{err}", out.status);
    assert!(out.stdout.is_empty(), "irtop {args:?} wrote to stdout");
    err
}

fn ok(args: &[&str]) -> Output {
    let out = irtop(args);
    assert!(out.status.success(), "irtop {args:?}: {:?}\nstderr:\n{}", out.status, stderr(&out));
    out
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("irtop-output-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write");
        path.display().to_string()
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }

    /// The names in the directory, sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sample(name: &str) -> String {
    Path::new(MANIFEST).join("samples").join(name).display().to_string()
}

fn node(id: &str, op: &str, inputs: Value, output: &str, metadata: Value) -> Value {
    json!({"id": id, "domain": "core", "op_type": op, "inputs": inputs, "output": output, "metadata": metadata})
}

fn ir(nodes: Vec<Value>) -> String {
    serde_json::to_string_pretty(&json!({"name": "t", "nodes": nodes})).unwrap()
}

#[test]
fn a_write_that_fails_half_way_leaves_the_previous_results_whole() {
    let dir = TempDir::new("fsize");
    let results = dir.file("results.json", "{\"previous\": \"good results\"}\n");
    // A file-size limit of 20 blocks (10 or 20 kB) and results of about 100 kB: the write
    // fails part-way, as on a full disk.
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 20 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_irtop"))
        .args(["run", &sample("pagerank_loop.json"), "--uniform", "5000", "--var", "ranks", "--out", &results])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{:?}\nstderr:\n{err}", out.status);
    assert!(err.contains(&format!("{results}: cannot write the file given to --out: ")), "{err}");
    assert_eq!(std::fs::read_to_string(&results).unwrap(), "{\"previous\": \"good results\"}\n");
    assert_eq!(dir.names(), ["results.json"], "a temporary file was left behind");
    // Without the limit the results replace the file.
    ok(&["run", &sample("pagerank_loop.json"), "--uniform", "5000", "--var", "ranks", "--out", &results]);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(doc["ranks"].as_array().map(Vec::len), Some(5000));
}

#[test]
fn the_results_replace_the_file_instead_of_rewriting_it() {
    let dir = TempDir::new("inode");
    let results = dir.file("results.json", "old");
    // A reader holding the old file (here a second name for it) keeps the old content.
    std::fs::hard_link(&results, dir.path("reader-view")).unwrap();
    ok(&["run", &sample("chain.json"), "--uniform", "4", "--out", &results]);
    assert_eq!(std::fs::read_to_string(dir.path("reader-view")).unwrap(), "old");
    assert!(std::fs::read_to_string(&results).unwrap().contains("\"node_id\""));
}

#[test]
fn an_output_that_names_an_input_is_refused_and_the_input_kept() {
    let dir = TempDir::new("onto-input");
    let text = std::fs::read_to_string(sample("chain.json")).unwrap();
    let ir = dir.file("chain.json", &text);
    let err = refused(&["run", &ir, "--uniform", "4", "--out", &ir]);
    assert!(
        err.contains(&format!("--out {ir}: that is the IR file being run; writing there would replace it")),
        "{err}"
    );
    // Another spelling of the same file, and a link to it.
    let dotted = format!("{}/./chain.json", dir.0.display());
    std::os::unix::fs::symlink(&ir, dir.path("link.json")).unwrap();
    for out in [dotted, dir.path("link.json")] {
        let err = refused(&["run", &ir, "--uniform", "4", "--out", &out]);
        assert!(err.contains("that is the IR file being run"), "{err}");
    }
    // The edge list the graph is read from.
    let edges = dir.file("g.edges", "0 1\n1 2\n");
    let err = refused(&["run", &ir, "--graph", &edges, "--out", &edges]);
    assert!(err.contains("that is the edge list the graph is read from"), "{err}");
    assert_eq!(std::fs::read_to_string(&edges).unwrap(), "0 1\n1 2\n");
    // --trace the same way.
    let err = refused(&["bench", &ir, "--uniform", "4", "--reps", "1", "--trace", &ir]);
    assert!(err.contains(&format!("--trace {ir}: that is the IR file being run")), "{err}");
    assert_eq!(std::fs::read_to_string(&ir).unwrap(), text);
}

#[test]
fn a_trace_replaces_the_file_whole() {
    let dir = TempDir::new("trace");
    let trace = dir.file("trace.json", "old");
    std::fs::hard_link(&trace, dir.path("reader-view")).unwrap();
    ok(&["bench", &sample("chain.json"), "--uniform", "64", "--reps", "1", "--mode", "levels", "--trace", &trace]);
    assert_eq!(std::fs::read_to_string(dir.path("reader-view")).unwrap(), "old");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&trace).unwrap()).unwrap();
    assert!(doc["traceEvents"].as_array().is_some_and(|events| !events.is_empty()), "{doc}");
}

#[test]
fn an_output_file_that_cannot_be_written_is_a_user_error_naming_it() {
    let err = refused(&["run", &sample("chain.json"), "--uniform", "4", "--out", "/missing/dir/x.json"]);
    assert!(
        err.contains("/missing/dir/x.json: cannot write the file given to --out: No such file or directory"),
        "{err}"
    );
    let err = refused(&["bench", &sample("chain.json"), "--uniform", "4", "--reps", "1", "--trace", "/missing/t.json"]);
    assert!(err.contains("/missing/t.json: cannot write the file given to --trace"), "{err}");
}

/// An IR whose variables are named `node_id` and `scalars`, and a scalar `total`.
fn clashing_ir() -> String {
    ir(vec![
        node("n0", "init_nodes", json!([]), "node_id", json!({"default": 1.0})),
        node("n1", "add", json!(["node_id", "node_id"]), "scalars", json!({})),
        node("n2", "reduce_scalar", json!(["scalars"]), "total", json!({"op": "sum"})),
    ])
}

#[test]
fn no_variable_overwrites_the_id_column_or_the_scalars() {
    let dir = TempDir::new("clash");
    let file = dir.file("clash.json", clashing_ir());
    let err = refused(&["run", &file, "--uniform", "3"]);
    assert!(
        err.contains("variable `node_id` has the name of the `node_id` key irtop writes")
            && err.contains("Choose the variables to write with --var"),
        "{err}"
    );
    let err = refused(&["run", &file, "--uniform", "3", "--var", "scalars"]);
    assert!(err.contains("variable `scalars` has the name of the `scalars` key irtop writes"), "{err}");
    let err = refused(&["run", &file, "--uniform", "3", "--out", &dir.path("r.csv")]);
    assert!(err.contains("variable `node_id` has the name of the `node_id` column irtop writes"), "{err}");
    // A scalar of that name is fine: scalars live in their own object.
    let out = ok(&["run", &file, "--uniform", "3", "--var", "total"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["node_id"], json!([0, 1, 2]));
    assert_eq!(doc["scalars"]["total"], json!(6.0));
}

#[test]
fn csv_refuses_a_scalar_asked_for_and_quotes_its_headers() {
    let dir = TempDir::new("csv");
    let file = dir.file(
        "csv.json",
        ir(vec![
            node("n0", "init_nodes", json!([]), "x", json!({"default": 1.5})),
            node("n1", "add", json!(["x", "x"]), "a,b", json!({})),
            node("n2", "mul", json!(["x", "x"]), "say \"hi\"", json!({})),
            node("n3", "reduce_scalar", json!(["x"]), "total", json!({"op": "sum"})),
        ]),
    );
    let csv = dir.path("r.csv");
    let err = refused(&["run", &file, "--uniform", "2", "--var", "total", "--out", &csv]);
    assert!(err.contains("--var total: a scalar, which has no column in CSV"), "{err}");
    assert!(!Path::new(&csv).exists());
    let out = ok(&["run", &file, "--uniform", "2", "--out", &csv]);
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "node_id,x,\"a,b\",\"say \"\"hi\"\"\"\n0,1.5,3.0,2.25\n1,1.5,3.0,2.25\n"
    );
    // What CSV cannot hold is named on stderr rather than dropped silently.
    assert!(stderr(&out).contains("has no column for total"), "{}", stderr(&out));
}

#[test]
fn infinities_are_written_apart_from_no_value() {
    let dir = TempDir::new("inf");
    let file = dir.file(
        "inf.json",
        ir(vec![
            node("n0", "init_nodes", json!([]), "big", json!({"default": 1e308})),
            node("n1", "init_nodes", json!([]), "small", json!({"default": -1e308})),
            node("n2", "mul", json!(["big", "big"]), "pos", json!({})),
            node("n3", "mul", json!(["small", "big"]), "neg", json!({})),
        ]),
    );
    let out = ok(&["run", &file, "--uniform", "2", "--var", "pos", "--var", "neg"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["pos"], json!(["inf", "inf"]));
    assert_eq!(doc["neg"], json!(["-inf", "-inf"]));
    let csv = dir.path("r.csv");
    ok(&["run", &file, "--uniform", "1", "--var", "pos", "--var", "neg", "--out", &csv]);
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "node_id,pos,neg\n0,inf,-inf\n");
}

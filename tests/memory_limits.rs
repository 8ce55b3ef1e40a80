//! Inputs and flags that would exhaust memory, through the real binary, many under an
//! address-space rlimit (`ulimit -v`) as on a shared machine: each is refused before the
//! allocation with exit 2 and a message naming the limit and the flag to change, never an
//! abort (exit 134). Flags get upper bounds (`--threads`, `--reps`, `--ops`) and limit
//! values must be positive numbers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

fn irtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irtop")).args(args).output().expect("cannot run the irtop binary")
}

/// irtop under `ulimit -v kib`.
fn irtop_under(kib: u64, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_irtop"))
        .args(args)
        .output()
        .expect("cannot run sh")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Expects exit code 2 (not an abort) and nothing on stdout; returns stderr.
fn refused(out: Output, what: &str) -> String {
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{what}: {:?}\nstderr:\n{err}", out.status);
    assert!(out.stdout.is_empty(), "{what} wrote to stdout");
    err
}

fn sample(name: &str) -> String {
    Path::new(MANIFEST).join("samples").join(name).display().to_string()
}

fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irtop-memory-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A 23.5 MB IR (`irtop gen --ops 200000`), generated once per test run.
fn big_ir() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = temp_dir("big-ir").join("g200k.json");
        let out = irtop(&["gen", "--ops", "200000"]);
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::write(&path, &out.stdout).unwrap();
        path
    })
}

#[test]
fn an_ir_too_big_for_the_address_space_left_is_refused_before_it_is_read() {
    let big = big_ir().to_str().unwrap();
    // Loading it takes 300-400 MB of address space (the process maps 150 MB as it starts):
    // under 256 MB it used to abort.
    let err = refused(irtop_under(256_000, &["report", big]), "report under 256 MB");
    assert!(
        err.contains("g200k.json: the file is 22.4 MiB; loading and analysing it needs about 0.282 GB, more than the")
            && err.contains("that RLIMIT_AS leaves (ulimit -v 0.262 GB,")
            && err.contains("irtop did not read it. Pass --max-memory-gb 1 if it fits"),
        "{err}"
    );
    // Under 500 MB the report fits, the plan (twice the memory) does not.
    let out = irtop_under(500_000, &["report", big]);
    assert!(out.status.success(), "{:?}: {}", out.status, stderr(&out));
    let err = refused(irtop_under(500_000, &["plan", big]), "plan under 500 MB");
    assert!(
        err.contains("writing its plan needs about 0.612 GB, more than the")
            && err.contains(
                "irtop did not read it. `irtop report` needs half as much. Pass --max-memory-gb 1 if it fits"
            ),
        "{err}"
    );
    // --max-memory-gb sets the limit by hand.
    let err = refused(irtop(&["report", big, "--max-memory-gb", "0.1"]), "--max-memory-gb 0.1");
    assert!(err.contains("more than --max-memory-gb (0.100 GB); irtop did not read it"), "{err}");
}

#[test]
fn a_graph_too_big_for_the_address_space_left_is_refused_naming_the_flag() {
    let err = refused(
        irtop_under(2_000_000, &["run", &sample("chain.json"), "--rmat", "24", "--var", "add_4"]),
        "--rmat 24 under 2 GB",
    );
    assert!(
        err.contains("rmat:24:16:seed=1: a graph of 16777216 nodes and 268435456 edges needs about 6.8 GB to build")
            && err.contains("that RLIMIT_AS leaves (ulimit -v 2.0 GB,")
            && err.contains("Pass --max-graph-gb 7 if it fits"),
        "{err}"
    );
}

#[test]
fn an_allocation_the_os_refuses_after_an_override_is_an_error_not_an_abort() {
    // --max-graph-gb 7 overrides the check; the address space still cannot hold the graph, so
    // the first big array fails to reserve. That used to abort (exit 134); now it is exit 2.
    let out = irtop_under(
        2_000_000,
        &["run", &sample("chain.json"), "--rmat", "24", "--max-graph-gb", "7", "--var", "add_4"],
    );
    let err = refused(out, "--rmat 24 --max-graph-gb 7 under 2 GB");
    assert!(
        err.contains("rmat:24:16:seed=1: building a graph of 16777216 nodes and 268435456 edges needs about 6.8 GB")
            && err.contains("more than what the allocator could give (the limit: --max-graph-gb (7.0 GB))"),
        "{err}"
    );
}

#[test]
fn an_edge_list_is_limited_like_an_ir_file() {
    let dir = temp_dir("edges");
    // A 2 GB sparse file: refused by its size before a byte is read.
    let sparse = dir.join("sparse.edges");
    std::fs::File::create(&sparse).unwrap().set_len(2 << 30).unwrap();
    let sparse = sparse.to_str().unwrap();
    let err = refused(irtop_under(1_000_000, &["run", &sample("chain.json"), "--graph", sparse]), "a 2 GB edge list");
    assert!(
        err.contains(&format!(
            "{sparse}: the file is 2048.0 MiB, over the limit of 256.0 MiB for an edge list; irtop did not read it. \
             Pass --max-file-mb 2048 to read it anyway"
        )),
        "{err}"
    );
    // A device never ends: refused without reading.
    let err = refused(irtop_under(1_000_000, &["run", &sample("chain.json"), "--graph", "/dev/zero"]), "/dev/zero");
    assert!(
        err.contains("/dev/zero: a character device, not a regular file; irtop reads input from a file or a pipe"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_device_is_refused_without_a_flag_that_cannot_help() {
    let err = refused(irtop(&["report", "/dev/zero"]), "report /dev/zero");
    assert!(err.contains("/dev/zero: a character device, not a regular file"), "{err}");
    assert!(!err.contains("--max-file-mb"), "raising the limit cannot help a device that never ends: {err}");
}

#[test]
fn repetitions_threads_and_ops_have_upper_bounds() {
    let chain = sample("chain.json");
    let err = refused(
        irtop_under(2_000_000, &["bench", &chain, "--uniform", "10", "--reps", "1000000000"]),
        "--reps 1000000000",
    );
    assert!(err.contains("--reps 1000000000: at most 1000 rounds"), "{err}");
    let err = refused(irtop(&["bench", &chain, "--uniform", "10", "--threads", "512"]), "--threads 512");
    assert!(err.contains("--threads 512: at most 256 worker threads; pass a smaller --threads"), "{err}");
    assert!(!err.contains("node  ()"), "{err}");
    let err = refused(irtop(&["run", &chain, "--uniform", "10", "--threads", "100000", "--mode", "levels"]), "run");
    assert!(err.contains("--threads 100000: at most 256 worker threads"), "{err}");
    let err = refused(irtop_under(2_000_000, &["gen", "--ops", "1000000000000"]), "gen --ops 1e12");
    assert!(err.contains("--ops 1000000000000: at most 10000000 ops"), "{err}");
    let err = refused(irtop(&["gen", "--ops", "18446744073709551615"]), "gen --ops u64::MAX");
    assert!(err.contains("--ops 18446744073709551615: at most 10000000 ops"), "{err}");
    // Within the bound but over the memory: 9 million ops need about 9 GB.
    let err = refused(irtop_under(2_000_000, &["gen", "--ops", "9000000"]), "gen --ops 9e6 under 2 GB");
    assert!(err.contains("generating 9000000 ops needs about 9.2 GB") && err.contains("Pass a smaller --ops"), "{err}");
}

#[test]
fn calibrate_on_more_threads_than_the_memory_allows_is_refused_before_it_starts() {
    let err = refused(irtop_under(4_000_000, &["calibrate", "--threads", "32"]), "calibrate --threads 32 under 4 GB");
    assert!(
        err.contains("calibrating on 32 threads (a few copies of a 64 MB map per thread) needs about 9.1 GB")
            && err.contains("Pass a smaller --threads"),
        "{err}"
    );
    let err = refused(irtop(&["calibrate", "--threads", "512"]), "calibrate --threads 512");
    assert!(err.contains("--threads 512: at most 256 worker threads"), "{err}");
}

#[test]
fn zero_threads_is_one_rule_everywhere() {
    let chain = sample("chain.json");
    let cases: [&[&str]; 4] = [
        &["run", &chain, "--uniform", "10", "--threads", "0"],
        &["run", &chain, "--uniform", "10", "--threads", "0", "--mode", "levels"],
        &["bench", &chain, "--uniform", "10", "--reps", "1", "--threads", "0"],
        &["calibrate", "--threads", "0"],
    ];
    for args in cases {
        let err = refused(irtop(args), &format!("{args:?}"));
        assert!(
            err.contains("--threads 0: give at least 1 worker thread (leave --threads out for one per core"),
            "{err}"
        );
    }
}

#[test]
fn limit_flags_must_be_positive_numbers() {
    let chain = sample("chain.json");
    for (flag, value) in
        [("--max-graph-gb", "nan"), ("--max-graph-gb", "-1"), ("--max-work", "nan"), ("--max-work", "0")]
    {
        let arg = format!("{flag}={value}");
        let err = refused(irtop(&["run", &chain, "--uniform", "10", &arg]), &arg);
        assert!(err.contains(&format!("{flag} ")) && err.contains("expected a number of"), "{err}");
        assert!(err.contains("above 0, such as"), "{err}");
    }
    let err = refused(irtop(&["report", &chain, "--max-memory-gb=-2"]), "--max-memory-gb -2");
    assert!(err.contains("--max-memory-gb -2: expected a number of GB above 0, such as 8"), "{err}");
}

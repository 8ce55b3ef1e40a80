//! Progress on stderr for the long commands, through the real binary: drawn on a terminal (a
//! pseudo-terminal from util-linux's `script`, whose log keeps every byte drawn, also what
//! the line later erased), absent when stderr is a pipe, so logs and scripts get results
//! only.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
const BIN: &str = env!("CARGO_BIN_EXE_irtop");

/// Only a hang takes this long; nothing here is timed.
const HANG: Duration = Duration::from_secs(300);

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("irtop-progress-test-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cannot create the temp dir");
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `script` running the shell command `line` on a pseudo-terminal (160 columns), logging to
/// `log`, with the calibration cache in `cache`.
fn script(line: &str, log: &Path, cache: &Path) -> Command {
    let mut cmd = Command::new("script");
    cmd.args(["-q", "-e", "-f", "-c", &format!("stty cols 160 rows 50; {line}")])
        .arg(log)
        .current_dir(MANIFEST_DIR)
        .env("SHELL", "/bin/sh")
        .env("TERM", "xterm-256color")
        .env("XDG_CACHE_HOME", cache)
        .env_remove("NO_COLOR");
    cmd
}

/// What `irtop ARGS` draws on a terminal (its stdout and stderr both the terminal).
fn on_terminal(args: &str, dir: &TempDir) -> String {
    let log = dir.path("typescript");
    let out = script(&format!("{BIN} {args}"), &log, &dir.path("cache"))
        .output()
        .expect("cannot run `script` (util-linux): this test needs a pseudo-terminal");
    assert!(out.status.success(), "script -c 'irtop {args}': {}", text(&out.stderr));
    text(&std::fs::read(&log).expect("script writes its log"))
}

/// `irtop args` with stdout and stderr piped.
fn piped(args: &[&str], dir: &TempDir) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(MANIFEST_DIR)
        .env("XDG_CACHE_HOME", dir.path("cache"))
        .output()
        .expect("cannot run the irtop binary")
}

#[test]
fn run_shows_the_graph_being_built_on_a_terminal_only() {
    let dir = TempDir::new("run");
    let drawn = on_terminal("run samples/pagerank_loop.json --rmat 12 --var ranks --mode levels --format csv", &dir);
    assert!(drawn.contains("building the graph rmat:12:16:seed=1"), "{drawn}");
    assert!(drawn.contains("running in levels"), "{drawn}");
    assert!(drawn.contains("node_id,ranks"), "the values still come: {drawn}");
    let out = piped(&["run", "samples/pagerank_loop.json", "--rmat", "12", "--var", "ranks"], &dir);
    assert!(out.status.success());
    assert_eq!(text(&out.stderr), "", "no progress into a pipe");
}

#[test]
fn bench_shows_its_rounds_on_a_terminal_only() {
    let dir = TempDir::new("bench");
    let args = "bench samples/eight_wide.json --uniform 4000 --reps 2 --mode levels";
    let drawn = on_terminal(args, &dir);
    // The first step of each kind is drawn however fast it goes by.
    for stage in ["building the graph uniform:4000", "timing one seq run", "warm-up, seq", "round 1 of ~2, seq"] {
        assert!(drawn.contains(stage), "no `{stage}` on the terminal:\n{drawn}");
    }
    assert!(drawn.contains("% "), "a bar with its percentage: {drawn}");
    let out = piped(&args.split(' ').collect::<Vec<_>>(), &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "no progress into a pipe");
}

#[test]
fn bench_all_counts_its_benchmarks_on_a_terminal_only() {
    let dir = TempDir::new("all");
    let irs = dir.path("irs");
    std::fs::create_dir_all(&irs).expect("a directory of IRs");
    std::fs::copy(Path::new(MANIFEST_DIR).join("samples/diamond.json"), irs.join("diamond.json")).expect("copy");
    let args = format!("bench --all {} --scales 6,7 --reps 1", irs.display());
    let drawn = on_terminal(&args, &dir);
    assert!(drawn.contains("[1/2] diamond.json on R-MAT 6: "), "{drawn}");
    assert!(drawn.contains("[2/2] diamond.json on R-MAT 7: "), "{drawn}");
    assert!(drawn.contains("| diamond.json | rmat:7:16:seed=1 |"), "the table still comes: {drawn}");
    let out = piped(&args.split(' ').collect::<Vec<_>>(), &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "no progress into a pipe");
}

#[test]
fn calibrate_names_its_phase_on_a_terminal() {
    // The first phase is drawn before any measuring; the test stops calibrate once it is
    // on the screen instead of waiting for the whole calibration.
    let dir = TempDir::new("calibrate");
    let (log, pid) = (dir.path("typescript"), dir.path("pid"));
    let line = format!("{BIN} calibrate --threads 1 & echo $! > {}; wait", pid.display());
    let mut child = script(&line, &log, &dir.path("cache"))
        .stdout(Stdio::null())
        .spawn()
        .expect("cannot run `script` (util-linux): this test needs a pseudo-terminal");
    let start = Instant::now();
    let want = "calibrating on 1 thread: building the calibration graph";
    loop {
        let drawn = std::fs::read(&log).map(|b| text(&b)).unwrap_or_default();
        if drawn.contains(want) {
            break;
        }
        assert!(start.elapsed() < HANG, "no `{want}` on the terminal:\n{drawn}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = std::fs::read_to_string(&pid).expect("the shell wrote irtop's pid");
    let _ = Command::new("kill").arg(pid.trim()).status();
    let _ = child.wait();
    // Into a pipe: no progress; the error comes alone (a limit refuses it before it starts).
    let out = piped(&["calibrate", "--max-memory-gb", "0.001"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("irtop: error: calibrating on ") && err.lines().count() == 1, "{err}");
}

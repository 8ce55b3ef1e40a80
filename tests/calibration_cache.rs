//! The calibration cache: a damaged or hand-edited cache (constants such as 1e308 or -1)
//! is ignored and the benchmark says so and why; a FIFO in its place does not stall
//! `irtop bench`; saving replaces the file whole, so a reader never sees it empty.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use irtop::cli::calibrate::print_and_save;
use irtop::predict::calibrate::{CALIBRATION_VERSION, Calibration, save};
use irtop::predict::cost_model::CostModel;
use irtop::report::format::Format;
use serde_json::Value;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// Longest a benchmark of a 3-op IR on 64 nodes may take before the test calls it a hang.
const HANG: Duration = Duration::from_secs(120);

fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irtop-calcache-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("irtop")).expect("temp dir");
    dir
}

fn calibration() -> Calibration {
    Calibration {
        version: CALIBRATION_VERSION,
        created_unix: 11 * 3600,
        threads: 2,
        graph: "rmat:18:16:seed=7".into(),
        model: CostModel::default(),
    }
}

/// `irtop bench` of the chain sample with `XDG_CACHE_HOME=cache_home`, killed after [`HANG`].
fn bench_with_cache(cache_home: &Path) -> Output {
    let chain = Path::new(MANIFEST).join("samples/chain.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(["bench", chain.to_str().unwrap(), "--uniform", "64", "--reps", "1", "--mode", "levels"])
        .env("XDG_CACHE_HOME", cache_home)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run irtop");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > HANG {
            let _ = child.kill();
            panic!("irtop bench did not finish within {HANG:?}: it hangs on the calibration cache");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

/// The `predictions:` line of a bench table.
fn predictions(out: &Output) -> String {
    assert!(out.status.success(), "{:?}: {}", out.status, String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find(|l| l.starts_with("predictions:"))
        .unwrap_or_else(|| panic!("no predictions line:\n{text}"))
        .to_owned()
}

#[test]
fn constants_out_of_range_are_refused_and_the_benchmark_says_why() {
    for (field, value, shown) in
        [("stream_ns", "1e308", "1e+308"), ("serial_gather", "-1", "-1.0"), ("cache_bytes", "0", "0.0")]
    {
        let dir = temp_dir(&format!("bad-{field}"));
        let mut doc: Value = serde_json::to_value(calibration()).unwrap();
        doc["model"][field] = serde_json::from_str(value).unwrap();
        std::fs::write(dir.join("irtop/calibration.json"), serde_json::to_vec(&doc).unwrap()).unwrap();
        let line = predictions(&bench_with_cache(&dir));
        assert!(
            line.contains("default costs (calibration cache ignored: ")
                && line.contains(&format!("calibration.json: `{field}` is {shown}, expected "))
                && line.contains("run `irtop calibrate` again"),
            "{line}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    // A valid cache is used.
    let dir = temp_dir("good");
    std::fs::write(dir.join("irtop/calibration.json"), serde_json::to_vec(&calibration()).unwrap()).unwrap();
    assert!(predictions(&bench_with_cache(&dir)).contains("calibrated 11:00"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_fifo_as_the_cache_does_not_stall_the_benchmark() {
    let dir = temp_dir("fifo");
    let fifo = std::ffi::CString::new(dir.join("irtop/calibration.json").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path and nothing else.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let line = predictions(&bench_with_cache(&dir));
    assert!(line.contains("calibration cache ignored: ") && line.contains("is not a regular file"), "{line}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn saving_replaces_the_cache_whole() {
    let dir = temp_dir("save");
    // SAFETY: the only test of this binary that touches the environment; the others give
    // their child processes their own XDG_CACHE_HOME.
    unsafe { std::env::set_var("XDG_CACHE_HOME", &dir) };
    let path = dir.join("irtop/calibration.json");
    let old = serde_json::to_vec(&Calibration { created_unix: 1, ..calibration() }).unwrap();
    std::fs::write(&path, &old).unwrap();
    // A reader that opened the old cache (here a second name for it) keeps reading it
    // whole while the new one is written.
    std::fs::hard_link(&path, dir.join("reader-view")).unwrap();
    assert_eq!(save(&calibration()).unwrap(), path);
    assert_eq!(std::fs::read(dir.join("reader-view")).unwrap(), old);
    let back: Calibration = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(back, calibration());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unwritable_cache_still_prints_the_constants_and_names_the_path() {
    let dir = temp_dir("unwritable");
    // A cache directory under a regular file cannot be created (even by root).
    std::fs::write(dir.join("file"), "").unwrap();
    let path = dir.join("file/irtop/calibration.json");
    let mut out = Vec::new();
    let err = print_and_save(&calibration(), Format::Json, Some(&path), &mut out).unwrap_err().to_string();
    let printed: Value = serde_json::from_slice(&out).expect("the constants are printed as JSON");
    assert_eq!(printed["stream_ns"], serde_json::json!(CostModel::default().stream_ns));
    assert!(
        err.contains(&format!("cannot save the calibration to {}: ", path.display()))
            && err.contains("the constants above are not cached"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

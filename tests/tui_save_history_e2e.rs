//! The real binary in tmux, as a person uses it: `a` turns auto-bench on, two saves are each
//! benchmarked (two history points, each naming its save, and the diff line's measured
//! time), and `w` writes the session's history, which the test reads back. Skipped when tmux
//! is absent.

use std::path::Path;

mod tmux_support;
use tmux_support::{TempDir, Tmux, chain, exited, save_by_rename, tmux_installed};

/// Runs irtop on `file` with a small graph (the adaptive benchmark stops within its budget
/// however noisy the machine; the waits only bound a hang), and keeps the pane open after.
fn command_line(file: &Path) -> String {
    format!(
        "'{}' --rmat 8 --budget 20 '{}'; echo irtop-exit=$?; stty -a | tr ' ;' '\\n\\n' | grep -x icanon; sleep 60",
        env!("CARGO_BIN_EXE_irtop"),
        file.display()
    )
}

#[test]
fn auto_bench_measures_each_save_and_w_writes_the_history() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let dir = TempDir::new("auto-bench");
    let file = dir.0.join("chain.json");
    std::fs::write(&file, chain("c", 3)).unwrap();
    let tmux = Tmux::new("auto-bench");
    tmux.start(&command_line(&file));
    tmux.wait_for("the header", |s| s.contains("│ 3 levels │"));
    // One parallel mode besides seq keeps each run short.
    tmux.keys("m");
    tmux.keys("a");
    tmux.wait_for("the auto-bench marker", |s| s.contains("AUTO-BENCH on save") && s.contains("mode levels"));

    save_by_rename(&file, &chain("c", 5));
    let screen =
        tmux.wait_for("the first save's benchmark", |s| s.contains("levels 3 → 5") && s.contains("1 run: last"));
    let history = screen.lines().find(|l| l.contains("1 run: last")).unwrap();
    assert!(history.contains("thr, save "), "the point names its save: {history}");

    save_by_rename(&file, &chain("c", 4));
    let screen =
        tmux.wait_for("the second save's benchmark", |s| s.contains("levels 5 → 4") && s.contains("2 runs: last"));
    let diff = screen.lines().find(|l| l.contains("Δ save")).unwrap();
    assert!(diff.contains("│ measured levels "), "both saves ran, so the diff line has the measured time: {diff}");

    tmux.keys("w");
    let screen = tmux.wait_for("where the history went", |s| s.contains("wrote chain.irtop-history.json"));
    let written = dir.0.join("chain.irtop-history.json");
    assert!(screen.contains("wrote chain.irtop-history.json (3 versions, 2 benchmarks) in"), "{screen}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written).expect("the history file")).expect("JSON");
    let versions = doc["versions"].as_array().expect("versions");
    let levels: Vec<_> = versions.iter().map(|v| v["levels"].as_u64().unwrap()).collect();
    assert_eq!(levels, [3, 5, 4]);
    let runs: Vec<_> = versions.iter().map(|v| v["benchmarks"].as_array().unwrap().len()).collect();
    assert_eq!(runs, [0, 1, 1], "one point per save, none for the start");
    for v in &versions[1..] {
        let run = &v["benchmarks"][0];
        assert_eq!(run["started_by"], "save (auto-bench)");
        assert_eq!(run["modes_asked"], "levels");
        assert!(
            run["modes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["mode"] == "levels" && m["median_s"].as_f64() > Some(0.0))
        );
    }
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(&dir.0).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");

    tmux.keys("q");
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop-exit=0"), "{screen}");
}

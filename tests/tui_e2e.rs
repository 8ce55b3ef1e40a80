//! The real binary in a real terminal (tmux): start on a sample, rewrite the file as an
//! editor would, and watch the screen follow; break the file and see the banner while the
//! last analysis stays; quit and find the terminal restored. Skipped when tmux is absent.

use std::path::Path;

mod tmux_support;
use tmux_support::{TempDir, Tmux, exited, save_by_rename, tmux_installed};

/// Runs irtop on `file`, then reports its exit code and whether the terminal is back in
/// canonical (cooked) mode, and waits so the screen can be read.
fn command_line(file: &Path) -> String {
    format!(
        "'{}' '{}'; echo irtop-exit=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon; sleep 600",
        env!("CARGO_BIN_EXE_irtop"),
        file.display()
    )
}

#[test]
fn live_reload_stale_banner_and_quit() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let dir = TempDir::new("reload");
    let file = dir.0.join("diamond.json");
    let sample = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/diamond.json")).unwrap();
    std::fs::write(&file, &sample).unwrap();
    let tmux = Tmux::new("reload");
    tmux.start(&command_line(&file));
    tmux.wait_for("the header to show 3 levels", |s| s.contains("│ 3 levels │") && s.contains("diamond.json"));

    // Add an op after node_5: a fourth level.
    let mut ir: serde_json::Value = serde_json::from_str(&sample).unwrap();
    ir["nodes"].as_array_mut().unwrap().push(serde_json::json!({
        "id": "node_6", "domain": "core", "op_type": "mul",
        "inputs": ["add_5", "const_1"], "output": "mul_6", "metadata": {}
    }));
    save_by_rename(&file, &serde_json::to_string_pretty(&ir).unwrap());
    tmux.wait_for("the header to show 4 levels", |s| s.contains("│ 4 levels │") && s.contains("node_6"));

    // Break the file (written in place this time): the banner gives line:column, the
    // 4-level analysis stays, marked stale.
    std::fs::write(&file, "{\n \"name\": \"x\",\n \"nodes\": [\n  {\"id\": 1,,}\n").unwrap();
    let screen = tmux.wait_for("the error banner", |s| s.contains("diamond.json:4:12"));
    assert!(screen.contains("STALE"), "{screen}");
    assert!(screen.contains("│ 4 levels │"), "{screen}");

    // The fix clears it.
    save_by_rename(&file, &serde_json::to_string_pretty(&ir).unwrap());
    tmux.wait_for("the banner to clear", |s| !s.contains("STALE") && s.contains("│ 4 levels │"));

    tmux.keys("q");
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop-exit=0"), "{screen}");
    assert!(screen.lines().any(|l| l.trim() == "icanon"), "the terminal is still in raw mode:\n{screen}");
    assert!(!screen.contains("Critical path"), "the alternate screen was not left:\n{screen}");
}

#[test]
fn pressing_b_shows_a_measured_speedup() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let dir = TempDir::new("bench");
    let file = dir.0.join("pagerank.json");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/pagerank_loop.json"), &file).unwrap();
    let tmux = Tmux::new("bench");
    // The adaptive benchmark stops within its budget however noisy the machine; the wait
    // below only bounds a hang.
    tmux.start(&format!("'{}' --rmat 10 --budget 20 '{}'; sleep 600", env!("CARGO_BIN_EXE_irtop"), file.display()));
    tmux.wait_for("the header", |s| s.contains("pagerank.json") && s.contains("│ 5 levels │"));
    tmux.keys("b");
    let screen = tmux.wait_for("a measured speedup for every mode", |s| {
        s.contains("last run on rmat:10:16:seed=1") && s.contains("dataflow+data")
    });
    let seq = screen.lines().find(|l| l.contains("│seq ")).unwrap_or_else(|| panic!("no seq row:\n{screen}"));
    let row = seq.split('│').nth(1).unwrap_or_default();
    assert_eq!(row.matches("1.00x").count(), 2, "seq's predicted and measured speedups: {row}");
    assert!(screen.contains("groggy est.") && screen.contains(" model "), "{screen}");
    tmux.keys("q");
}

#[test]
fn a_file_in_a_missing_directory_is_a_plain_error_before_the_terminal_changes() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    // (A missing file in a directory that exists is waited for: see tui_fit_e2e.rs.)
    let dir = TempDir::new("missing");
    let tmux = Tmux::new("missing");
    tmux.start(&command_line(&dir.0.join("no-such-dir").join("nope.json")));
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop: error: ") && screen.contains("nope.json: cannot read the file"), "{screen}");
    assert!(screen.contains("irtop-exit=2"), "{screen}");
    assert!(screen.lines().any(|l| l.trim() == "icanon"), "{screen}");
}

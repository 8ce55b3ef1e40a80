//! The real binary in tmux, as a person uses it: `/` search on the 10k-op sample, each
//! save's diff line with a pinned baseline, and `f` to freeze reloads. Skipped when tmux is
//! absent.

use std::path::Path;

mod tmux_support;
use tmux_support::{TempDir, Tmux, chain, exited, save_by_rename, tmux_installed};

/// Runs irtop on `file` and keeps the pane open after it exits.
fn command_line(file: &Path) -> String {
    format!(
        "'{}' '{}'; echo irtop-exit=$?; stty -a | tr ' ;' '\\n\\n' | grep -x icanon; sleep 60",
        env!("CARGO_BIN_EXE_irtop"),
        file.display()
    )
}

fn quit(tmux: &Tmux) {
    tmux.keys("q");
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop-exit=0"), "{screen}");
}

#[test]
fn slash_search_selects_node_11_in_the_10k_op_sample() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let file = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/large_layered_10k.json"));
    let tmux = Tmux::new("search");
    tmux.start(&command_line(file));
    tmux.wait_for("the header", |s| s.contains("10000 ops") && s.contains("200 levels"));
    // `e` in `node` must not open the editor: while typing, keys are the query.
    tmux.keys("/node_11");
    tmux.wait_for("the query and its match count", |s| s.contains("/node_11█") && s.contains("match 1 of 111"));
    tmux.keys("Enter");
    tmux.wait_for("the search to settle", |s| s.contains("n/N next/prev"));
    // Enter on the selected op opens its details: node_11 is the one selected.
    tmux.keys("Enter");
    tmux.wait_for("node_11's details", |s| s.contains(" node_11 · init_nodes ") && s.contains("Esc/Enter close"));
    tmux.keys("Escape");
    tmux.keys("n");
    tmux.wait_for("the second match", |s| s.contains("match 2 of 111"));
    tmux.keys("Escape");
    tmux.wait_for("the search to clear", |s| !s.contains("match 2 of 111") && !s.contains("/node_11"));
    quit(&tmux);
}

#[test]
fn a_save_shows_its_diff_and_the_pinned_baseline() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let dir = TempDir::new("save-diff");
    let file = dir.0.join("chain.json");
    std::fs::write(&file, chain("c", 3)).unwrap();
    let tmux = Tmux::new("save-diff");
    tmux.start(&command_line(&file));
    tmux.wait_for("the header", |s| s.contains("│ 3 levels │"));
    tmux.keys("p");
    tmux.wait_for("the pinned baseline", |s| s.contains("⚑ pinned"));
    save_by_rename(&file, &chain("c", 5));
    let screen = tmux.wait_for("the diff line", |s| s.contains("Δ save") && s.contains("levels 3 → 5"));
    assert!(screen.contains("2 ops added, 0 removed, 0 changed"), "{screen}");
    save_by_rename(&file, &chain("c", 4));
    let screen = tmux.wait_for("the second diff", |s| s.contains("levels 5 → 4"));
    let pinned = screen.lines().find(|l| l.contains("⚑ vs pinned")).unwrap_or_else(|| panic!("{screen}"));
    assert!(pinned.contains("levels 3 → 4"), "{pinned}");
    quit(&tmux);
}

#[test]
fn f_freezes_reloads_until_pressed_again() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let dir = TempDir::new("freeze");
    let file = dir.0.join("chain.json");
    std::fs::write(&file, chain("c", 3)).unwrap();
    let tmux = Tmux::new("freeze");
    tmux.start(&command_line(&file));
    tmux.wait_for("the header", |s| s.contains("│ 3 levels │"));
    tmux.keys("f");
    tmux.wait_for("the FROZEN marker", |s| s.contains("FROZEN"));
    save_by_rename(&file, &chain("c", 6));
    let screen = tmux.wait_for("the held change", |s| s.contains("FROZEN, changed on disk"));
    assert!(screen.contains("│ 3 levels │"), "the frozen screen changed:\n{screen}");
    tmux.keys("f");
    tmux.wait_for("the latest version", |s| s.contains("│ 6 levels │") && !s.contains("FROZEN"));
    quit(&tmux);
}

#[test]
fn at_80x24_lists_end_in_an_ellipsis_and_the_help_ends_at_its_last_line() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let file = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/pagerank_loop.json"));
    let tmux = Tmux::new("small");
    tmux.start(&command_line(file));
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    tmux.wait_for("the 80x24 layout", |s| s.contains(" 1 Levels │ 2 Critical path"));
    tmux.keys("3");
    let screen = tmux.wait_for("the groups table", |s| s.contains("shared inputs"));
    assert!(screen.contains("5: n_0, nodes_2, …"), "a cut list ends in …:\n{screen}");
    assert!(!screen.contains("deg┃") && !screen.contains("comp "), "a name cut mid-word:\n{screen}");
    tmux.keys("?");
    tmux.wait_for("the help", |s| s.contains("Esc close"));
    // Space pages down as PageDown does, in one byte: an escape sequence split by a loaded
    // machine reads as Esc (which closes the help) and three more keys.
    for _ in 0..10 {
        tmux.keys("Space");
    }
    let screen = tmux.wait_for("the help's last line", |s| s.contains("STALE: the file does not load"));
    let lines: Vec<&str> = screen.lines().collect();
    let last = lines.iter().position(|l| l.contains("STALE: the file does not load")).unwrap();
    assert!(lines[last + 1].contains("? or Esc closes"), "the help scrolled past its end:\n{screen}");
    tmux.keys("Escape");
    // Esc and q sent together read as Alt-q, which closes the help instead of quitting.
    tmux.wait_for("the help to close", |s| !s.contains("Esc close"));
    quit(&tmux);
}

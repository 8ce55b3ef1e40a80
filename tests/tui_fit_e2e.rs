//! The real binary in tmux, as a person sees it (issue 16, nothing lost at 80x24): `z`
//! expands the focused pane and `z` puts it back; after `b` at 80x24 the benchmark's summary
//! is whole or ends in `…`, the history stays, and `c` draws the curve; at 60x16 `j` reaches
//! every mode row; at 160x48 a small IR leaves the benchmark room for its whole report, and
//! under `NO_COLOR` the speedup curve's legend shows each mode's marker. Skipped when tmux is
//! absent. The waits only bound a hang.

use std::path::Path;

mod tmux_support;
use tmux_support::{TempDir, Tmux, chain, exited, save_by_rename, tmux_installed};

/// Runs irtop with `args` and keeps the pane open after it exits.
fn command_line(args: &str) -> String {
    format!(
        "'{}' {args}; echo irtop-exit=$?; stty -a | tr ' ;' '\\n\\n' | grep -x icanon; sleep 60",
        env!("CARGO_BIN_EXE_irtop")
    )
}

fn pagerank() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/pagerank_loop.json"))
}

fn quit(tmux: &Tmux) {
    tmux.keys("q");
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop-exit=0"), "{screen}");
}

#[test]
fn z_expands_the_focused_pane_and_z_puts_it_back() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let tmux = Tmux::new("zoom");
    tmux.start(&command_line(&format!("'{}'", pagerank().display())));
    tmux.wait_for("every pane", |s| s.contains("2 Critical path") && s.contains("3 Groups") && s.contains("z expand"));
    tmux.keys("3");
    tmux.keys("z");
    let zoomed = tmux.wait_for("the groups alone", |s| s.contains("z/Esc back") && !s.contains("2 Critical path"));
    assert!(zoomed.contains("3 Groups") && !zoomed.contains("1 Levels"), "{zoomed}");
    tmux.keys("z");
    tmux.wait_for("every pane again", |s| s.contains("2 Critical path") && s.contains("z expand"));
    quit(&tmux);
}

#[test]
fn after_b_at_80x24_nothing_is_lost_and_60x16_scrolls_to_every_mode() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let tmux = Tmux::new("fit");
    // The adaptive benchmark stops within its budget however noisy the machine.
    tmux.start_sized(&command_line(&format!("--rmat 10 --budget 20 '{}'", pagerank().display())), 80, 24);
    tmux.wait_for("the header", |s| s.contains("pagerank_loop.json"));
    tmux.keys("4");
    tmux.keys("b");
    let screen = tmux.wait_for("the finished benchmark", |s| s.contains("rmat:10:16:seed=1") && s.contains("history"));
    let summary = screen.lines().find(|l| l.contains("rmat:10:16:seed=1")).unwrap();
    let text = summary.trim_end().trim_end_matches(['┃', '│']).trim_end();
    assert!(
        text.ends_with('…') || [")", "%", "spent", "limit", "asked"].iter().any(|end| text.ends_with(end)),
        "the summary is whole or ends in …: {summary}"
    );
    assert!(summary.contains("rounds"), "{summary}");

    // `c`: the curve, drawn, and the history still on screen.
    tmux.keys("c");
    let curve = tmux.wait_for("the speedup curve", |s| s.contains("speedup curve") && s.contains("threads, log2"));
    assert!(curve.contains("history"), "the history line stays:\n{curve}");
    tmux.keys("c");

    // 60x16: too short for the table; j reaches its last row.
    tmux.resize(60, 16);
    tmux.wait_for("the scroll hint", |s| s.contains("j/k scroll"));
    let mut seen = String::new();
    for _ in 0..30 {
        tmux.keys("j");
        let s = tmux.wait_for("a screen", |s| s.contains("4 Benchmark"));
        seen.push_str(&s);
        if s.contains("auto  ") {
            break;
        }
    }
    tmux.wait_for("the last mode row, auto", |s| s.contains("auto  "));
    for mode in ["levels", "dataflow", "data", "levels+data", "dataflow+data"] {
        assert!(seen.contains(&format!("┃{mode:<15}")), "{mode} never shown:\n{seen}");
    }
    quit(&tmux);
}

#[test]
fn at_160x48_a_small_ir_leaves_the_whole_benchmark_on_screen_with_markers_under_no_color() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let diamond = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/diamond.json");
    let tmux = Tmux::new("space");
    tmux.start(&format!("env NO_COLOR=1 {}", command_line(&format!("--rmat 10 --budget 5 '{diamond}'"))));
    tmux.wait_for("the header", |s| s.contains("diamond.json"));
    tmux.keys("4");
    tmux.keys("b");
    let screen = tmux.wait_for("the finished benchmark", |s| s.contains("rmat:10:16:seed=1") && s.contains("history"));
    assert!(!screen.contains("j/k scroll") && !screen.contains("rows 1-"), "no scrolling needed:\n{screen}");
    for mode in ["seq", "levels", "dataflow", "data", "levels+data", "dataflow+data", "auto"] {
        assert!(screen.contains(&format!("┃{mode:<15}")), "the {mode} row is on screen:\n{screen}");
    }
    assert!(screen.contains("timeline") && screen.contains("speedup curve"), "{screen}");
    for entry in ["○ levels", "□ dataflow", "△ data", "◇ levels+data", "▽ dataflow+data"] {
        assert!(screen.contains(entry), "the legend shows `{entry}`:\n{screen}");
    }
    quit(&tmux);
}

#[test]
fn a_file_not_created_yet_is_waited_for_and_shown_when_saved() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let dir = TempDir::new("not-yet");
    let file = dir.0.join("later.json");
    let tmux = Tmux::new("not-yet");
    tmux.start(&command_line(&format!("--rmat 10 '{}'", file.display())));
    let screen = tmux.wait_for("the waiting banner", |s| s.contains("later.json does not exist yet"));
    assert!(screen.contains("0 ops"), "{screen}");
    // Before any run, the benchmark pane names the graph `b` will use.
    tmux.keys("4");
    tmux.wait_for("the graph of the next run", |s| s.contains("b runs one on rmat:10:16:seed=1 (1024 nodes"));
    save_by_rename(&file, &chain("c", 3));
    tmux.wait_for("the saved file", |s| s.contains("│ 3 levels │") && !s.contains("does not exist yet"));
    quit(&tmux);
}

#[test]
fn a_missing_graph_file_is_reported_at_startup() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let dir = TempDir::new("no-graph");
    let tmux = Tmux::new("no-graph");
    let missing = dir.0.join("edges.txt");
    tmux.start(&command_line(&format!("--graph '{}' '{}'", missing.display(), pagerank().display())));
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop: error: --graph") && screen.contains("edges.txt"), "{screen}");
    assert!(screen.contains("irtop-exit=2"), "{screen}");
}

#[test]
fn times_are_in_the_local_time_zone() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let tmux = Tmux::new("zone");
    // A POSIX TZ string: a zone named XYZ, three hours east of UTC.
    tmux.start(&format!("env TZ=XYZ-3 '{}' '{}'; sleep 60", env!("CARGO_BIN_EXE_irtop"), pagerank().display()));
    let screen = tmux.wait_for("the header", |s| s.contains("reloaded "));
    assert!(screen.contains(" XYZ │"), "the reload time names the local zone:\n{screen}");
    tmux.keys("q");
}

//! What each save changed, measured: the diff line's measured time and irtop's prediction
//! once a benchmark ran on both versions, auto-bench on save (`a`), and the session history
//! written on request (`w`). State transitions without a terminal, and what the screen shows
//! at 80x24 and 160x48.

mod tui_support;

use std::path::Path;

use irtop::analysis::analyze;
use irtop::ir::load_bytes;
use irtop::report::bench_report::BenchReport;
use irtop::tui::bench_job::ModeChoice;
use irtop::tui::clock::WallTime;
use irtop::tui::model::Snapshot;
use irtop::tui::{App, Effect, Msg, update};
use tui_support::{AT, DIAMOND_EDITED, DIAMOND_SMALL, THREADS, app, bench_report, ch, screen};

/// `json` loaded at `seconds` after the tests' fixed time.
fn snapshot(json: &str, seconds: u64) -> Snapshot {
    let ir = load_bytes(json.as_bytes(), Path::new("test.json")).expect("the test IR loads");
    let a = analyze(&ir);
    Snapshot::new(ir, a, WallTime(AT.0 + seconds))
}

/// A save of `json`, loaded `seconds` after the start; returns what `update` asks for next.
fn save(app: &mut App, json: &str, seconds: u64) -> Option<Effect> {
    let Some(Effect::Reload { generation }) = update(app, Msg::FileChanged) else { panic!("no reload") };
    update(app, Msg::Analysed { generation, outcome: Ok(snapshot(json, seconds)) })
}

/// `bench_report()` with every time scaled by `time` and irtop's predictions by `predicted`.
fn report(time: f64, predicted: f64) -> BenchReport {
    let mut r = bench_report();
    for m in &mut r.measured.modes {
        m.median_s *= time;
    }
    for (_, p) in r.predicted.modes.iter_mut().filter(|(m, _)| !m.is_seq()) {
        p.static_model *= predicted;
        p.calibrated = p.calibrated.map(|c| c * predicted);
    }
    r
}

/// Finishes the running benchmark with `r`.
fn finish(app: &mut App, r: BenchReport) {
    let generation = app.model.bench.running.as_ref().expect("a benchmark runs").generation;
    update(app, Msg::BenchFinished { generation, outcome: Ok(Box::new(r)) });
}

fn line_with<'a>(screen: &'a str, what: &str) -> &'a str {
    screen.lines().find(|l| l.contains(what)).unwrap_or_else(|| panic!("no line with {what:?}:\n{screen}"))
}

#[test]
fn a_toggles_auto_bench_and_the_header_and_pane_say_so() {
    let mut app = app("diamond", 160, 48);
    assert!(!app.model.bench.auto_on_save, "off by default");
    assert!(!screen(&app).contains("AUTO-BENCH"));
    assert_eq!(update(&mut app, ch('a')), None, "turning it on runs nothing yet");
    assert!(app.model.bench.auto_on_save);
    let s = screen(&app);
    assert!(s.contains("AUTO-BENCH on save"), "the header: {s}");
    assert!(s.contains("auto-bench on save"), "the benchmark pane's title: {s}");
    assert!(app.view.status.as_deref().unwrap_or_default().starts_with("auto-bench on"));
    update(&mut app, ch('a'));
    assert!(!app.model.bench.auto_on_save);
    assert!(!screen(&app).contains("AUTO-BENCH"));
}

#[test]
fn with_auto_bench_each_save_starts_a_benchmark_of_the_new_version() {
    let mut app = app("diamond", 160, 48);
    assert_eq!(save(&mut app, DIAMOND_EDITED, 10), None, "off: a save measures nothing");
    update(&mut app, ch('a'));
    let effect = save(&mut app, DIAMOND_SMALL, 20);
    assert_eq!(effect, Some(Effect::StartBench { generation: 1, threads: THREADS, mode: ModeChoice::All }));
    let run = app.model.bench.running.clone().expect("running");
    assert!(run.on_save);
    assert_eq!(run.version, app.model.version);
    finish(&mut app, report(1.0, 1.0));
    let record = app.model.bench.history.last().expect("a history point");
    assert_eq!((record.version, record.saved_at, record.on_save), (2, WallTime(AT.0 + 20), true));
    // A reload that fails brings no new version: nothing to measure.
    let Some(Effect::Reload { generation }) = update(&mut app, Msg::FileChanged) else { panic!("no reload") };
    let broken = irtop::tui::model::FileProblem::Deleted;
    assert_eq!(update(&mut app, Msg::Analysed { generation, outcome: Err(broken) }), None);
}

#[test]
fn a_save_during_a_run_restarts_it_on_the_new_version() {
    let mut app = app("diamond", 160, 48);
    update(&mut app, ch('a'));
    let Some(Effect::StartBench { generation: first, .. }) = save(&mut app, DIAMOND_EDITED, 10) else { panic!() };
    let Some(Effect::StartBench { generation: second, .. }) = save(&mut app, DIAMOND_SMALL, 20) else { panic!() };
    assert!(second > first);
    // The first run's late result is not a point of either save.
    update(&mut app, Msg::BenchFinished { generation: first, outcome: Ok(Box::new(report(1.0, 1.0))) });
    assert!(app.model.bench.history.is_empty());
    finish(&mut app, report(1.0, 1.0));
    assert_eq!(app.model.bench.history.len(), 1);
    assert_eq!(app.model.bench.history[0].version, 2, "measured on the second save");
}

#[test]
fn frozen_means_no_auto_bench_until_unfrozen() {
    let mut app = app("diamond", 160, 48);
    update(&mut app, ch('f'));
    update(&mut app, ch('a'));
    assert!(app.view.status.as_deref().unwrap_or_default().contains("frozen"), "{:?}", app.view.status);
    assert_eq!(update(&mut app, Msg::FileChanged), None, "held: no reload, no benchmark");
    assert!(app.model.bench.running.is_none());
    // Unfreezing loads the latest version, and that save is measured.
    let Some(Effect::Reload { generation }) = update(&mut app, ch('f')) else { panic!("no reload") };
    let effect = update(&mut app, Msg::Analysed { generation, outcome: Ok(snapshot(DIAMOND_EDITED, 30)) });
    assert!(matches!(effect, Some(Effect::StartBench { .. })), "{effect:?}");
}

#[test]
fn the_diff_line_shows_the_measured_time_and_irtops_prediction_once_both_versions_ran() {
    let mut app = app("diamond", 200, 48);
    update(&mut app, ch('b'));
    finish(&mut app, report(1.0, 1.0));
    save(&mut app, DIAMOND_EDITED, 10);
    // The new version has not run yet: only the static numbers.
    let s = screen(&app);
    assert!(!line_with(&s, "Δ save").contains("measured"), "{s}");
    update(&mut app, ch('b'));
    assert!(line_with(&screen(&app), "Δ save").contains("measuring…"));
    // dataflow, the best mode of the new run: 6.90 ms before, 5.52 ms after.
    finish(&mut app, report(0.8, 0.9));
    let s = screen(&app);
    let line = line_with(&s, "Δ save");
    assert!(line.contains("│ measured dataflow 6.90 ms → 5.52 ms (-20%) │"), "{line}");
    assert!(line.contains("irtop's pred. dataflow 1.70x → 1.53x"), "{line}");
    assert!(line.contains("levels 3 → 4"), "{line}");

    // A pinned baseline is compared with measured times too, and threads that differ are said.
    update(&mut app, ch('p'));
    save(&mut app, DIAMOND_SMALL, 20);
    update(&mut app, ch('+'));
    update(&mut app, ch('b'));
    let mut on_5 = report(0.5, 1.0);
    on_5.measured.threads = 5;
    for m in &mut on_5.measured.modes {
        m.threads = 5;
    }
    finish(&mut app, on_5);
    let s = screen(&app);
    let pinned = line_with(&s, "⚑ vs pinned");
    assert!(pinned.contains("measured dataflow 5.52 ms (2 thr) → 3.45 ms (5 thr) (-38%)"), "{pinned}");
}

#[test]
fn the_history_labels_each_point_with_its_save() {
    let mut app = app("diamond", 160, 48);
    update(&mut app, ch('a'));
    save(&mut app, DIAMOND_EDITED, 10);
    finish(&mut app, report(1.0, 1.0));
    save(&mut app, DIAMOND_SMALL, 20);
    let mut better = report(0.5, 1.0);
    better.measured.modes[2].speedup = 3.0;
    finish(&mut app, better);
    assert_eq!(app.model.bench.history.len(), 2, "one point per save");
    let s = screen(&app);
    let history = line_with(&s, "history ");
    assert!(history.contains("2 runs: last 3.00x (dataflow, 2 thr, save 12:35:16 UTC)"), "{history}");
    // The first save's run is not the best any more, so only the last is named twice.
    assert!(history.contains("best 3.00x"), "{history}");
}

#[test]
fn w_writes_the_session_history_and_the_footer_says_where() {
    let mut app = app("diamond", 160, 48);
    update(&mut app, ch('a'));
    save(&mut app, DIAMOND_EDITED, 10);
    finish(&mut app, report(1.0, 1.0));
    save(&mut app, DIAMOND_SMALL, 20);
    finish(&mut app, report(0.8, 0.9));
    let Some(Effect::WriteHistory { path, text }) = update(&mut app, ch('w')) else { panic!("no write") };
    assert_eq!(path, tui_support::sample("diamond").with_file_name("diamond.irtop-history.json"));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let versions = doc["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 3, "the start and two saves");
    assert_eq!(versions[1]["levels"], 4);
    assert_eq!(versions[1]["change"]["added"], 1);
    assert_eq!(versions[0]["benchmarks"].as_array().map(Vec::len), Some(0));
    let run = &versions[2]["benchmarks"][0];
    assert_eq!(run["started_by"], "save (auto-bench)");
    assert_eq!(run["save_at_local"], "12:35:16 UTC");
    let dataflow = run["modes"].as_array().unwrap().iter().find(|m| m["mode"] == "dataflow").unwrap();
    assert!((dataflow["median_s"].as_f64().unwrap() - 0.00552).abs() < 1e-12, "{dataflow}");

    // The runtime's answer: where it went, or why not.
    update(&mut app, Msg::HistoryWritten(Ok("/tmp/x/diamond.irtop-history.json".into())));
    let footer = screen(&app).lines().last().unwrap().to_owned();
    assert!(footer.contains("wrote diamond.irtop-history.json (3 versions, 2 benchmarks) in /tmp/x"), "{footer}");
    let why = "cannot write the session history: the directory is not writable (/ro/d.irtop-history.json)";
    update(&mut app, Msg::HistoryWritten(Err(why.into())));
    assert!(screen(&app).lines().last().unwrap().contains("cannot write the session history: the directory is not"));
}

#[test]
fn w_before_any_save_writes_the_version_on_screen() {
    let mut app = app("diamond", 80, 24);
    let Some(Effect::WriteHistory { text, .. }) = update(&mut app, ch('w')) else { panic!("no write") };
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(doc["versions"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["versions"][0]["ops"], 6);
    assert!(doc["versions"][0]["change"].is_null());
}

#[test]
fn measured_save_diff_screens() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app("diamond", w, h);
        update(&mut app, ch('a'));
        save(&mut app, DIAMOND_EDITED, 10);
        finish(&mut app, report(1.0, 1.0));
        save(&mut app, DIAMOND_SMALL, 20);
        finish(&mut app, report(0.8, 0.9));
        let s = screen(&app);
        // The measured time comes first, in fewer words at 80 columns so that it fits whole;
        // what does not fit ends in `…`.
        let line = line_with(&s, "Δ ");
        assert!(line.contains("│ measured dataflow 6.90 ms → 5.52 ms (-20%) │"), "{line}");
        assert!(line.trim_end_matches('"').ends_with('…'), "{line}");
        insta::assert_snapshot!(format!("measured_save_diff_{w}x{h}"), s);
    }
}

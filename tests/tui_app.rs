//! The TUI's behaviour as state transitions, without a terminal: sequences of messages
//! (keys, file changes, reload and benchmark results, resizes) and the state and effects
//! they must produce.

mod tui_support;

use irtop::tui::bench_job::ModeChoice;
use irtop::tui::model::FileProblem;
use irtop::tui::view::{BenchChart, GroupKey, Overlay, Pane};
use irtop::tui::{Effect, Msg, update};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use tui_support::{THREADS, app, bench_report, ch, key, parse, screen, with_levelled_curve};

/// diamond.json with one more op after node_5: a fourth level.
const DIAMOND_PLUS: &str = r#"{"name": "test", "nodes": [
  {"id": "node_0", "domain": "core", "op_type": "init_nodes", "inputs": [], "output": "nodes_0", "metadata": {"default": 1.0}},
  {"id": "node_1", "domain": "core", "op_type": "constant", "inputs": [], "output": "const_1", "metadata": {"value": 2.0}},
  {"id": "node_2", "domain": "core", "op_type": "mul", "inputs": ["nodes_0", "const_1"], "output": "mul_2", "metadata": {}},
  {"id": "node_3", "domain": "core", "op_type": "constant", "inputs": [], "output": "const_3", "metadata": {"value": 3.0}},
  {"id": "node_4", "domain": "core", "op_type": "add", "inputs": ["nodes_0", "const_3"], "output": "add_4", "metadata": {}},
  {"id": "node_5", "domain": "core", "op_type": "add", "inputs": ["mul_2", "add_4"], "output": "add_5", "metadata": {}},
  {"id": "node_6", "domain": "core", "op_type": "mul", "inputs": ["add_5", "const_1"], "output": "mul_6", "metadata": {}}
]}"#;

/// The same IR with a new first op, so every op moves down a row in its level.
const DIAMOND_SHIFTED: &str = r#"{"name": "test", "nodes": [
  {"id": "node_9", "domain": "core", "op_type": "constant", "inputs": [], "output": "const_9", "metadata": {"value": 1.0}},
  {"id": "node_0", "domain": "core", "op_type": "init_nodes", "inputs": [], "output": "nodes_0", "metadata": {"default": 1.0}},
  {"id": "node_1", "domain": "core", "op_type": "constant", "inputs": [], "output": "const_1", "metadata": {"value": 2.0}},
  {"id": "node_2", "domain": "core", "op_type": "mul", "inputs": ["nodes_0", "const_1"], "output": "mul_2", "metadata": {}},
  {"id": "node_3", "domain": "core", "op_type": "constant", "inputs": [], "output": "const_3", "metadata": {"value": 3.0}},
  {"id": "node_4", "domain": "core", "op_type": "add", "inputs": ["nodes_0", "const_3"], "output": "add_4", "metadata": {}},
  {"id": "node_5", "domain": "core", "op_type": "add", "inputs": ["mul_2", "add_4"], "output": "add_5", "metadata": {}}
]}"#;

fn levels(app: &irtop::tui::App) -> usize {
    app.model.snapshot.analysis.levels.len()
}

/// Sends `FileChanged`, checks the reload effect, and answers it with `outcome`.
fn reload(app: &mut irtop::tui::App, outcome: Result<irtop::tui::model::Snapshot, FileProblem>) {
    let Some(Effect::Reload { generation }) = update(app, Msg::FileChanged) else { panic!("no reload effect") };
    assert!(app.is_animating(), "a pending reload shows a spinner");
    assert_eq!(update(app, Msg::Analysed { generation, outcome }), None);
}

#[test]
fn reload_invalid_save_fix_bench_resize() {
    let mut app = app("diamond", 160, 48);
    assert_eq!(levels(&app), 3);
    // Select node_4 (level 1, second op).
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Right));
    assert_eq!(app.selected_op(), Some("node_4"));

    // A save that adds a level.
    reload(&mut app, parse(DIAMOND_PLUS));
    assert_eq!(levels(&app), 4);
    assert_eq!(app.model.problem, None);
    assert_eq!(app.selected_op(), Some("node_4"), "the selection follows the op across reloads");
    assert!(!app.is_animating());

    // An invalid save: the error is kept, the 4-level analysis stays, marked stale.
    let bad = parse("{\n \"name\": \"x\",\n \"nodes\": [\n  {\"id\": 1,,}\n");
    let Err(problem) = bad.clone() else { panic!("the broken file loads") };
    assert!(matches!(&problem, FileProblem::Invalid { location, .. } if location == "4:12"), "{problem:?}");
    reload(&mut app, bad);
    assert_eq!(app.model.problem, Some(problem));
    assert!(app.model.is_stale());
    assert_eq!(levels(&app), 4);
    assert!(screen(&app).contains("diamond.json:4:12"), "the banner names line:column");
    assert_eq!(app.selected_op(), Some("node_4"));

    // The fix clears the error.
    reload(&mut app, parse(DIAMOND_PLUS));
    assert_eq!(app.model.problem, None);
    assert!(!screen(&app).contains("STALE"));

    // A benchmark: start, progress, result, history.
    assert_eq!(
        update(&mut app, ch('b')),
        Some(Effect::StartBench { generation: 1, threads: THREADS, mode: ModeChoice::All })
    );
    assert!(app.is_animating());
    update(
        &mut app,
        Msg::BenchProgress { generation: 1, fraction: 0.5, label: "round 2 of ~5, levels · ETA 1.20 s".into() },
    );
    assert_eq!(app.model.bench.running.as_ref().map(|r| r.progress), Some(0.5));
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(bench_report())) });
    assert!(app.model.bench.running.is_none());
    assert_eq!(app.model.bench.last, Some(bench_report()));
    assert_eq!(app.model.bench.history.len(), 1);
    assert_eq!(app.model.bench.history[0].best_mode.name(), "dataflow");
    assert!(!app.is_animating());

    // A resize keeps the place.
    update(&mut app, Msg::Resize(80, 24));
    assert_eq!(app.view.size, (80, 24));
    assert_eq!(app.selected_op(), Some("node_4"));
    assert_eq!(levels(&app), 4);
}

#[test]
fn selection_follows_the_op_when_rows_shift() {
    let mut app = app("diamond", 160, 48);
    update(&mut app, key(KeyCode::Right));
    update(&mut app, key(KeyCode::Right));
    assert_eq!(app.selected_op(), Some("node_3"));
    reload(&mut app, parse(DIAMOND_SHIFTED));
    assert_eq!(app.selected_op(), Some("node_3"));
}

#[test]
fn a_removed_op_falls_back_to_its_row() {
    let mut app = app("diamond", 160, 48);
    reload(&mut app, parse(DIAMOND_PLUS));
    update(&mut app, key(KeyCode::End));
    assert_eq!(app.selected_op(), Some("node_6"));
    let diamond = std::fs::read_to_string(tui_support::sample("diamond")).unwrap();
    reload(&mut app, parse(&diamond));
    assert_eq!(app.selected_op(), Some("node_5"), "the last row of the shorter IR");
}

#[test]
fn older_reload_results_are_ignored() {
    let mut app = app("diamond", 160, 48);
    assert_eq!(update(&mut app, Msg::FileChanged), Some(Effect::Reload { generation: 1 }));
    assert_eq!(update(&mut app, ch('r')), Some(Effect::Reload { generation: 2 }));
    update(&mut app, Msg::Analysed { generation: 1, outcome: parse(DIAMOND_PLUS) });
    assert_eq!(levels(&app), 3, "generation 1 was superseded");
    assert!(app.model.reload.pending);
    update(&mut app, Msg::Analysed { generation: 2, outcome: parse(DIAMOND_PLUS) });
    assert_eq!(levels(&app), 4);
    assert!(!app.model.reload.pending);
}

#[test]
fn a_deleted_file_says_so_and_resumes() {
    let mut app = app("diamond", 80, 24);
    reload(&mut app, Err(FileProblem::Deleted));
    assert_eq!(app.model.problem, Some(FileProblem::Deleted));
    assert!(screen(&app).contains("diamond.json was deleted"));
    assert_eq!(levels(&app), 3);
    reload(&mut app, parse(DIAMOND_PLUS));
    assert_eq!(app.model.problem, None);
    assert_eq!(levels(&app), 4);
}

#[test]
fn node_errors_name_the_node() {
    let dup = r#"{"nodes": [{"id": "a", "op_type": "constant", "output": "x"}, {"id": "a", "op_type": "constant", "output": "y"}]}"#;
    let Err(problem) = parse(dup) else { panic!("duplicate ids load") };
    assert!(problem.describe("f.json").starts_with("f.json: node a: "), "{}", problem.describe("f.json"));
}

#[test]
fn esc_cancels_a_benchmark_and_its_late_result_is_ignored() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('b'));
    assert_eq!(update(&mut app, key(KeyCode::Esc)), Some(Effect::CancelBench { generation: 1 }));
    assert!(app.model.bench.running.is_none());
    assert!(!app.is_animating());
    assert_eq!(app.view.status.as_deref(), Some("benchmark cancelled"));
    update(&mut app, Msg::BenchProgress { generation: 1, fraction: 0.9, label: String::new() });
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(bench_report())) });
    assert!(app.model.bench.last.is_none());
    assert!(app.model.bench.history.is_empty());
    assert_eq!(update(&mut app, key(KeyCode::Esc)), None, "nothing left to cancel");
}

#[test]
fn a_second_b_restarts_the_benchmark_latest_wins() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('b'));
    let Some(Effect::StartBench { generation: 2, .. }) = update(&mut app, ch('b')) else { panic!("no restart") };
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(bench_report())) });
    assert!(app.model.bench.history.is_empty(), "the superseded run is ignored");
    update(&mut app, Msg::BenchFinished { generation: 2, outcome: Ok(Box::new(bench_report())) });
    update(&mut app, ch('b'));
    update(&mut app, Msg::BenchFinished { generation: 3, outcome: Ok(Box::new(bench_report())) });
    assert_eq!(app.model.bench.history.len(), 2, "the history grows with every finished run");
}

#[test]
fn a_failed_benchmark_is_reported() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('b'));
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Err("the executor is not built yet".into()) });
    assert_eq!(app.model.bench.error.as_deref(), Some("the executor is not built yet"));
    assert!(screen(&app).contains("last run failed: the executor is not built yet"));
}

#[test]
fn threads_and_mode_keys() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('+'));
    update(&mut app, ch('+'));
    assert_eq!(app.model.bench.threads, THREADS + 2);
    for _ in 0..10 {
        update(&mut app, ch('-'));
    }
    assert_eq!(app.model.bench.threads, 1);
    update(&mut app, ch('m'));
    assert_eq!(app.model.bench.mode, ModeChoice::ALL[1]);
    update(&mut app, ch('M'));
    update(&mut app, ch('M'));
    assert_eq!(app.model.bench.mode, ModeChoice::Only(irtop::exec::Mode::AUTO));
    let Some(Effect::StartBench { threads: 1, mode, .. }) = update(&mut app, ch('b')) else { panic!() };
    assert_eq!(mode, ModeChoice::Only(irtop::exec::Mode::AUTO));
}

#[test]
fn focus_overlays_and_quit() {
    let mut app = app("pagerank_loop", 160, 48);
    let order: Vec<Pane> = (0..5)
        .map(|_| {
            update(&mut app, key(KeyCode::Tab));
            app.view.focus
        })
        .collect();
    assert_eq!(order, [Pane::CriticalPath, Pane::Groups, Pane::Bench, Pane::Diagnostics, Pane::Levels]);
    update(&mut app, key(KeyCode::BackTab));
    assert_eq!(app.view.focus, Pane::Diagnostics);

    update(&mut app, ch('1'));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.view.overlay, Some(Overlay::Details("node_0".into())));
    assert!(screen(&app).contains("depends on (0)"));
    assert_eq!(update(&mut app, ch('q')), None, "q closes the window first");
    assert_eq!(app.view.overlay, None);
    update(&mut app, ch('?'));
    assert_eq!(app.view.overlay, Some(Overlay::Help));
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.view.overlay, None);
    assert_eq!(update(&mut app, ch('e')), Some(Effect::OpenEditor));
    assert_eq!(update(&mut app, Msg::EditorClosed(Ok(()))), Some(Effect::Reload { generation: 1 }));
    assert_eq!(update(&mut app, ch('q')), Some(Effect::Quit));
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    update(&mut app, ch('?'));
    assert_eq!(update(&mut app, ctrl_c), Some(Effect::Quit), "Ctrl-C quits even from a window");
}

#[test]
fn space_opens_a_loop_body_and_closes_it_from_inside() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, key(KeyCode::End));
    assert_eq!(app.selected_op(), Some("node_11"));
    let before = app.level_rows().len();
    update(&mut app, ch(' '));
    let body_levels = app.model.snapshot.analysis.body(irtop::ir::NodeId(11)).unwrap().levels.len();
    assert_eq!(app.level_rows().len(), before + body_levels);
    update(&mut app, key(KeyCode::Down));
    assert_eq!(app.selected_op(), Some("node_11/0"));
    update(&mut app, key(KeyCode::Enter));
    assert!(screen(&app).contains("in the body of node_11 (×20)"));
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, ch(' '));
    assert_eq!(app.level_rows().len(), before);
    assert_eq!(app.selected_op(), Some("node_11"), "closing a body selects its loop");
}

#[test]
fn groups_sort_and_enter_jumps_to_the_level() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('3'));
    update(&mut app, ch('s'));
    assert_eq!(app.view.groups.sort.key, GroupKey::Ops);
    assert!(app.view.groups.sort.descending);
    let order = app.sorted_groups();
    let sizes: Vec<usize> = order.iter().map(|&g| app.model.snapshot.analysis.groups[g].nodes.len()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    update(&mut app, ch('S'));
    assert!(!app.view.groups.sort.descending);
    update(&mut app, key(KeyCode::End));
    let last = *app.sorted_groups().last().unwrap();
    assert_eq!(app.view.groups.selected, last);
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.view.focus, Pane::Levels);
    let level =
        app.model.snapshot.ir.find(app.selected_op().unwrap()).map(|n| app.model.snapshot.analysis.levels.level(n));
    assert_eq!(level, Some(last as u32));
}

#[test]
fn mouse_wheel_scrolls_the_pane_under_the_pointer() {
    let mut app = app("pagerank_loop", 160, 48);
    let wheel = |kind, column, row| Msg::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE });
    // The levels pane is on the left, below the header.
    update(&mut app, wheel(MouseEventKind::ScrollDown, 10, 10));
    update(&mut app, wheel(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(app.view.levels.selection.row, 2);
    update(&mut app, wheel(MouseEventKind::ScrollUp, 10, 10));
    assert_eq!(app.view.levels.selection.row, 1);
    assert_eq!(app.view.focus, Pane::Levels, "the wheel does not move focus");
    // The critical-path pane is at the top right.
    update(&mut app, wheel(MouseEventKind::ScrollDown, 120, 5));
    assert_eq!(app.view.path.selection.row, 1);
    update(&mut app, wheel(MouseEventKind::Down(ratatui::crossterm::event::MouseButton::Left), 120, 5));
    assert_eq!(app.view.focus, Pane::CriticalPath);
}

#[test]
fn page_keys_move_a_screenful_in_a_large_ir() {
    let mut app = app("large_layered_10k", 160, 48);
    update(&mut app, key(KeyCode::PageDown));
    let page = app.view.levels.selection.row;
    assert!(page > 10, "{page}");
    update(&mut app, key(KeyCode::PageDown));
    assert_eq!(app.view.levels.selection.row, 2 * page);
    let offset = app.view.levels.selection.offset;
    assert!(offset > 0 && offset <= app.view.levels.selection.row);
    update(&mut app, key(KeyCode::End));
    assert_eq!(app.view.levels.selection.row, levels(&app) - 1);
    update(&mut app, key(KeyCode::Home));
    assert_eq!((app.view.levels.selection.row, app.view.levels.selection.offset), (0, 0));
}

#[test]
fn ticks_advance_the_spinner_only_as_messages() {
    let mut app = app("diamond", 160, 48);
    assert!(!app.is_animating(), "idle: the runtime sleeps until the next event");
    update(&mut app, Msg::FileChanged);
    let frame = app.view.spinner;
    update(&mut app, Msg::Tick);
    assert_eq!(app.view.spinner, frame + 1);
}

#[test]
fn a_finished_benchmark_is_announced_when_its_pane_is_hidden() {
    let mut app = app("pagerank_loop", 80, 24);
    update(&mut app, ch('b'));
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(bench_report())) });
    assert_eq!(
        app.view.status.as_deref(),
        Some("benchmark finished: best 1.74x (dataflow); press 4 for the benchmark pane")
    );
    update(&mut app, ch('4'));
    assert_eq!(app.view.status, None, "any key clears the message");
    assert!(screen(&app).contains("timeline levels: 12 ops on 2 threads"));
}

#[test]
fn c_switches_between_the_timeline_and_the_speedup_curve() {
    let mut app = app("pagerank_loop", 80, 24);
    update(&mut app, ch('b'));
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(with_levelled_curve(bench_report()))) });
    assert_eq!(app.view.bench_chart, BenchChart::Timeline, "the timeline stays the default");

    // The benchmark pane is hidden: c says what it changed.
    assert_eq!(update(&mut app, ch('c')), None);
    assert_eq!(app.view.bench_chart, BenchChart::Curve);
    assert_eq!(app.view.status.as_deref(), Some("the benchmark pane (4) shows the speedup curve now"));
    update(&mut app, ch('c'));
    assert_eq!(app.view.bench_chart, BenchChart::Timeline);

    // On the pane, only one fits: c swaps them, the screen shows it.
    update(&mut app, ch('4'));
    let before = screen(&app);
    let hinted = |screen: &str| screen.lines().any(|l| l.contains("timeline levels") && l.contains("c curve"));
    assert!(hinted(&before), "the timeline's title names the key: {before}");
    assert!(!before.contains("speedup curve"), "{before}");
    update(&mut app, ch('c'));
    assert_eq!(app.view.status, None);
    let after = screen(&app);
    assert!(after.contains("speedup curve") && after.contains("c timeline"), "{after}");
    assert!(!after.contains("timeline levels"), "{after}");
    assert!(after.contains("threads, log2 scale") && after.contains("64"), "{after}");

    // A wide screen shows both; c says so, and the choice waits for a narrower one.
    update(&mut app, Msg::Resize(200, 60));
    let wide = screen(&app);
    assert!(wide.contains("timeline levels") && wide.contains("speedup curve"), "{wide}");
    assert!(!hinted(&wide) && !wide.contains("c timeline"), "no hints: {wide}");
    update(&mut app, ch('c'));
    assert_eq!(app.view.bench_chart, BenchChart::Timeline);
    assert_eq!(app.view.status.as_deref(), Some("the timeline and the speedup curve are both on screen"));

    // Windows take the key first.
    update(&mut app, ch('?'));
    update(&mut app, ch('c'));
    assert_eq!(app.view.bench_chart, BenchChart::Timeline);
}

#[test]
fn the_benchmark_pane_draws_its_curve_at_every_size() {
    use irtop::tui::panes::bench::BenchPane;
    use irtop::tui::panes::curve::SpeedupCurve;
    use ratatui::widgets::Widget;
    let mut app = app("pagerank_loop", 80, 24);
    update(&mut app, ch('b'));
    let mut report = with_levelled_curve(bench_report());
    // A run on more threads than the curve has, and a mode the curve does not know.
    report.measured.modes[2].threads = 128;
    report.predicted.curve[3].speedup.insert("mystery".into(), f64::NAN);
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(report)) });
    update(&mut app, ch('4'));
    for chart in [BenchChart::Timeline, BenchChart::Curve] {
        app.view.bench_chart = chart;
        for (w, h) in [(60, 15), (80, 24), (100, 40), (119, 33), (120, 34), (130, 40), (151, 40), (160, 48), (250, 80)]
        {
            update(&mut app, Msg::Resize(w, h));
            screen(&app);
        }
    }
    let report = app.model.bench.last.clone().unwrap();
    let theme = app.view.theme.clone();
    for w in 0..48u16 {
        for h in 0..16u16 {
            let area = ratatui::layout::Rect::new(0, 0, w, h);
            let mut buf = ratatui::buffer::Buffer::empty(area);
            (&SpeedupCurve { report: &report, theme: &theme, hint: Some("c timeline") }).render(area, &mut buf);
            (&BenchPane::new(&app)).render(area, &mut buf);
        }
    }
}

#[test]
fn every_sample_and_fixture_survives_every_key_at_every_size() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["samples", "tests/fixtures/groggy"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".json") && !name.starts_with("large") && irtop::ir::load_file(&path).is_ok() {
                files.push(path);
            }
        }
    }
    let empty = parse(r#"{"nodes": []}"#).unwrap();
    let keys: Vec<Msg> = "jjlllhG gk".chars().map(ch).collect();
    for (i, path) in files.iter().map(Some).chain([None]).enumerate() {
        let snapshot = match path {
            Some(p) => tui_support::snapshot_of(p),
            None => empty.clone(),
        };
        let mut app = irtop::tui::App::new("x.json".into(), snapshot, THREADS, irtop::tui::Theme::colored());
        let sizes: &[(u16, u16)] =
            if i % 4 == 0 { &[(20, 5), (60, 15), (119, 33), (120, 34)] } else { &[(80, 24), (200, 60)] };
        for &(w, h) in sizes {
            update(&mut app, Msg::Resize(w, h));
            for pane in Pane::ALL {
                update(&mut app, ch(char::from_digit(pane.number() as u32, 10).unwrap()));
                for k in &keys {
                    update(&mut app, clone_key(k));
                }
                for code in [KeyCode::PageDown, KeyCode::End, KeyCode::Enter] {
                    update(&mut app, key(code));
                }
                screen(&app);
                update(&mut app, key(KeyCode::Esc));
                if i % 3 == 0 {
                    update(&mut app, ch('?'));
                    screen(&app);
                    update(&mut app, key(KeyCode::Esc));
                }
            }
        }
    }
}

fn clone_key(msg: &Msg) -> Msg {
    match msg {
        Msg::Key(k) => Msg::Key(*k),
        _ => unreachable!(),
    }
}

/// A benchmark run to the end with `b` on the app's current snapshot.
fn bench_now(app: &mut irtop::tui::App) {
    let Some(Effect::StartBench { generation, .. }) = update(app, ch('b')) else { panic!("b starts no benchmark") };
    update(app, Msg::BenchFinished { generation, outcome: Ok(Box::new(bench_report())) });
}

#[test]
fn a_benchmark_of_an_earlier_version_of_the_file_is_marked_as_such() {
    let mut app = app("diamond", 160, 48);
    update(&mut app, ch('4'));
    bench_now(&mut app);
    let fresh = screen(&app);
    assert!(fresh.contains("last run on rmat:13:10:seed=1"), "{fresh}");
    assert!(!fresh.contains("earlier version"), "{fresh}");
    // The file changes: the results on screen are the previous IR's.
    reload(&mut app, parse(DIAMOND_PLUS));
    let stale = screen(&app);
    assert!(stale.contains("STALE: measured on an earlier version of diamond.json; b reruns"), "{stale}");
    // A run started before the change and finished after it belongs to the earlier version.
    let Some(Effect::StartBench { generation, .. }) = update(&mut app, ch('b')) else { panic!() };
    reload(&mut app, parse(DIAMOND_SHIFTED));
    update(&mut app, Msg::BenchFinished { generation, outcome: Ok(Box::new(bench_report())) });
    assert!(screen(&app).contains("STALE: measured on an earlier version"), "{}", screen(&app));
    // A run on the current version clears the marker.
    bench_now(&mut app);
    assert!(!screen(&app).contains("earlier version"), "{}", screen(&app));
}

#[test]
fn the_does_not_load_status_clears_when_the_file_is_fixed() {
    let mut app = app("diamond", 160, 48);
    reload(&mut app, parse("{\"nodes\": [}"));
    assert!(app.model.problem.is_some());
    update(&mut app, ch('b'));
    assert!(screen(&app).contains("the file on disk does not load"), "{}", screen(&app));
    reload(&mut app, parse(DIAMOND_PLUS));
    let fixed = screen(&app);
    assert!(!fixed.contains("does not load"), "{fixed}");
}

#[test]
fn plus_past_the_cores_says_the_threads_take_turns_and_stops_at_the_limit_saying_so() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('+'));
    assert_eq!(app.model.bench.threads, THREADS + 1);
    let shown = screen(&app);
    assert!(shown.contains(&format!("{} threads on {THREADS} cores: they take turns", THREADS + 1)), "{shown}");
    // Back within the cores, nothing to say.
    update(&mut app, ch('-'));
    update(&mut app, ch('-'));
    update(&mut app, ch('+'));
    assert_eq!(app.view.status, None);
    for _ in 0..300 {
        update(&mut app, ch('+'));
    }
    assert_eq!(app.model.bench.threads, 256, "the --threads limit");
    assert!(screen(&app).contains("at most 256 threads (as --threads)"), "{}", screen(&app));
}

/// Loads `path` as the reload worker does (with the hash of its bytes).
fn load(path: &std::path::Path) -> Result<irtop::tui::model::Snapshot, FileProblem> {
    let at = irtop::tui::clock::WallTime(0);
    irtop::tui::reload_job::load_snapshot_with(path, at, &irtop::limits::Limits::default())
        .map_err(|e| FileProblem::from_load_error(&e))
}

#[test]
fn a_file_written_back_unchanged_is_not_a_new_version_nor_benchmarked_again() {
    let dir = std::env::temp_dir().join(format!("irtop-rewritten-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("diamond.json");
    std::fs::copy(tui_support::sample("diamond"), &file).unwrap();
    let mut app = irtop::tui::App::new(file.clone(), load(&file).unwrap(), THREADS, irtop::tui::Theme::colored());
    update(&mut app, Msg::Resize(160, 48));
    update(&mut app, ch('a'));
    assert!(app.model.bench.auto_on_save);

    // The editor is left without writing (or the file is touched): the same bytes.
    let Some(Effect::Reload { generation }) = update(&mut app, Msg::EditorClosed(Ok(()))) else { panic!("no reload") };
    assert_eq!(update(&mut app, Msg::Analysed { generation, outcome: load(&file) }), None, "no benchmark");
    assert_eq!(app.model.version, 0);
    assert!(app.model.saves.last.is_none(), "no diff line for a file that did not change");
    assert!(!app.is_animating());

    // A real save is a new version, and auto-bench measures it.
    std::fs::write(&file, DIAMOND_PLUS).unwrap();
    let Some(Effect::Reload { generation }) = update(&mut app, Msg::FileChanged) else { panic!("no reload") };
    let effect = update(&mut app, Msg::Analysed { generation, outcome: load(&file) });
    assert!(matches!(effect, Some(Effect::StartBench { .. })), "{effect:?}");
    assert_eq!((app.model.version, levels(&app)), (1, 4));

    // Written again with the same bytes: still version 1, and no second run is started.
    let Some(Effect::Reload { generation }) = update(&mut app, Msg::FileChanged) else { panic!("no reload") };
    assert_eq!(update(&mut app, Msg::Analysed { generation, outcome: load(&file) }), None);
    assert_eq!(app.model.version, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_link_whose_target_is_gone_says_so_rather_than_deleted() {
    let dir = std::env::temp_dir().join(format!("irtop-dangling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (target, link) = (dir.join("real.json"), dir.join("ir.json"));
    std::fs::copy(tui_support::sample("diamond"), &target).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let mut app = irtop::tui::App::new(link.clone(), load(&link).unwrap(), THREADS, irtop::tui::Theme::colored());
    update(&mut app, Msg::Resize(160, 48));

    std::fs::remove_file(&target).unwrap();
    let at = irtop::tui::clock::WallTime(0);
    let e = irtop::tui::reload_job::load_snapshot_with(&link, at, &irtop::limits::Limits::default()).unwrap_err();
    let problem = FileProblem::of_loading(&link, &e);
    assert_eq!(problem, FileProblem::DanglingLink(target.display().to_string()));
    reload(&mut app, Err(problem));
    let shown = screen(&app);
    assert!(shown.contains("ir.json is a symbolic link to"), "{shown}");
    assert!(shown.contains("which does not exist; waiting for it to come back"), "{shown}");
    // A file simply gone is still "deleted".
    std::fs::remove_file(&link).unwrap();
    let e = irtop::tui::reload_job::load_snapshot_with(&link, at, &irtop::limits::Limits::default()).unwrap_err();
    assert_eq!(FileProblem::of_loading(&link, &e), FileProblem::Deleted);
    std::fs::remove_dir_all(&dir).unwrap();
}

//! What the TUI looks like, pane by pane and whole, on the samples: snapshots of a
//! `TestBackend` reviewed by a person. Deterministic: fixed clock, injected thread count,
//! file names without directories.

mod tui_support;

use irtop::predict::curve::CurvePoint;
use irtop::report::bench_report::BenchReport;
use irtop::tui::model::FileProblem;
use irtop::tui::panes::bench::BenchPane;
use irtop::tui::panes::critical_path::CriticalPathPane;
use irtop::tui::panes::curve::SpeedupCurve;
use irtop::tui::panes::diagnostics::DiagnosticsPane;
use irtop::tui::panes::groups::GroupsPane;
use irtop::tui::panes::header::Header;
use irtop::tui::panes::levels::LevelsPane;
use irtop::tui::view::Pane;
use irtop::tui::{Msg, update};
use ratatui::crossterm::event::KeyCode;
use tui_support::{app, bench_report, ch, key, screen, widget};

#[test]
fn header_pagerank() {
    let app = app("pagerank_loop", 160, 48);
    insta::assert_snapshot!(widget(160, 2, &Header { app: &app }));
}

#[test]
fn levels_pane_pagerank_with_the_loop_open() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, key(KeyCode::End));
    update(&mut app, ch(' '));
    insta::assert_snapshot!(widget(100, 16, &LevelsPane::new(&app)));
}

#[test]
fn levels_pane_mixed() {
    let app = app("mixed", 160, 48);
    insta::assert_snapshot!(widget(100, 10, &LevelsPane::new(&app)));
}

#[test]
fn critical_path_pane_pagerank() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('2'));
    update(&mut app, key(KeyCode::End));
    insta::assert_snapshot!(widget(80, 8, &CriticalPathPane::new(&app)));
}

#[test]
fn groups_pane_sorted_by_factor() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('3'));
    update(&mut app, ch('s'));
    update(&mut app, ch('s'));
    insta::assert_snapshot!(widget(90, 10, &GroupsPane::new(&app)));
}

#[test]
fn diagnostics_pane_lpa_sweep() {
    let mut app = app("lpa_sweep_in_place", 160, 48);
    update(&mut app, ch('5'));
    insta::assert_snapshot!(widget(100, 8, &DiagnosticsPane::new(&app)));
}

#[test]
fn bench_pane_empty() {
    let app = app("pagerank_loop", 160, 48);
    insta::assert_snapshot!(widget(100, 5, &BenchPane::new(&app)));
}

/// Runs the benchmark flow with the hand-built report (2 threads, a `levels` timeline).
fn benched(w: u16, h: u16) -> irtop::tui::App {
    let mut app = app("pagerank_loop", w, h);
    update(&mut app, ch('b'));
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(bench_report())) });
    update(&mut app, ch('b'));
    let mut second = bench_report();
    second.measured.modes[1].speedup = 1.8;
    update(&mut app, Msg::BenchFinished { generation: 2, outcome: Ok(Box::new(second)) });
    app
}

/// `report` with a made-up speedup curve: Amdahl's law with a serial fraction per mode and
/// 5% overhead, so each mode flattens out at its own height.
fn with_curve(mut report: BenchReport) -> BenchReport {
    let serial = [("levels", 0.45), ("dataflow", 0.35), ("data", 0.6), ("levels+data", 0.2), ("dataflow+data", 0.12)];
    report.predicted.curve = (1..=64usize)
        .map(|p| CurvePoint {
            threads: p,
            speedup: serial.iter().map(|&(m, f)| (m.to_owned(), 0.95 / (f + (1.0 - f) / p as f64))).collect(),
        })
        .collect();
    report
}

/// [`benched`] with a speedup curve in both reports.
fn benched_with_curve(w: u16, h: u16) -> irtop::tui::App {
    let mut app = app("pagerank_loop", w, h);
    update(&mut app, ch('b'));
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(with_curve(bench_report()))) });
    update(&mut app, ch('b'));
    let mut second = with_curve(bench_report());
    second.measured.modes[1].speedup = 1.8;
    update(&mut app, Msg::BenchFinished { generation: 2, outcome: Ok(Box::new(second)) });
    app
}

#[test]
fn speedup_curve_alone() {
    let app = benched_with_curve(160, 48);
    let report = app.model.bench.last.as_ref().unwrap();
    insta::assert_snapshot!(widget(70, 16, &SpeedupCurve { report, theme: &app.view.theme, hint: None }));
}

#[test]
fn bench_pane_wide_with_timeline_and_curve() {
    let app = benched_with_curve(160, 48);
    let h = BenchPane::new(&app).wanted_height(160);
    insta::assert_snapshot!(widget(160, h, &BenchPane::new(&app)));
}

#[test]
fn bench_pane_130_wide_shows_the_timeline_then_c_the_curve() {
    let mut app = benched_with_curve(130, 40);
    let h = BenchPane::new(&app).wanted_height(130);
    let timeline = widget(130, h, &BenchPane::new(&app));
    assert!(timeline.contains("c curve"), "{timeline}");
    update(&mut app, ch('c'));
    let h = BenchPane::new(&app).wanted_height(130);
    insta::assert_snapshot!(widget(130, h, &BenchPane::new(&app)));
}

#[test]
fn bench_pane_narrow_and_tall_stacks_the_curve_under_the_timeline() {
    let app = benched_with_curve(80, 50);
    insta::assert_snapshot!(widget(80, 40, &BenchPane::new(&app)));
}

#[test]
fn whole_screen_80x24_speedup_curve() {
    let mut app = benched_with_curve(80, 24);
    update(&mut app, ch('4'));
    assert!(screen(&app).contains("c curve"), "the timeline says which key shows the curve");
    update(&mut app, ch('c'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn whole_screen_200x60_with_the_speedup_curve() {
    let app = benched_with_curve(200, 60);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn bench_pane_wide_with_timeline() {
    let app = benched(160, 48);
    insta::assert_snapshot!(widget(160, 12, &BenchPane::new(&app)));
}

#[test]
fn bench_pane_narrow_with_timeline() {
    let app = benched(80, 24);
    insta::assert_snapshot!(widget(80, 18, &BenchPane::new(&app)));
}

#[test]
fn bench_pane_running() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('b'));
    update(
        &mut app,
        Msg::BenchProgress { generation: 1, fraction: 0.42, label: "round 3 of ~7, dataflow · ETA 2.41 s".into() },
    );
    insta::assert_snapshot!(widget(100, 5, &BenchPane::new(&app)));
}

#[test]
fn error_banner_keeps_the_stale_analysis() {
    let mut app = app("diamond", 120, 34);
    update(&mut app, Msg::FileChanged);
    let problem = FileProblem::Invalid {
        location: "4:12".into(),
        message: "key must be a string: this is not valid JSON".into(),
    };
    update(&mut app, Msg::Analysed { generation: 1, outcome: Err(problem) });
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn deleted_file_banner() {
    let mut app = app("diamond", 80, 24);
    update(&mut app, Msg::FileChanged);
    update(&mut app, Msg::Analysed { generation: 1, outcome: Err(FileProblem::Deleted) });
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help_overlay() {
    let mut app = app("pagerank_loop", 100, 34);
    update(&mut app, ch('?'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn details_overlay_of_a_loop_body_op() {
    let mut app = app("pagerank_loop", 120, 40);
    update(&mut app, key(KeyCode::End));
    update(&mut app, ch(' '));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Enter));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn whole_screen_80x24() {
    let app = app("pagerank_loop", 80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn whole_screen_80x24_groups_focused() {
    let mut app = app("pagerank_loop", 80, 24);
    update(&mut app, key(KeyCode::Tab));
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(app.view.focus, Pane::Groups);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn whole_screen_200x60_after_a_benchmark() {
    let app = benched(200, 60);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn whole_screen_200x60_large_ir() {
    let mut app = app("large_layered_10k", 200, 60);
    update(&mut app, key(KeyCode::PageDown));
    for _ in 0..30 {
        update(&mut app, key(KeyCode::Right));
    }
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn too_small_terminal() {
    let app = app("diamond", 20, 5);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn no_color_draws_without_colours() {
    use ratatui::style::Color;
    let mut app = benched(200, 60);
    app.view.theme = irtop::tui::Theme::no_color();
    update(&mut app, key(KeyCode::End));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60)).unwrap();
    terminal.draw(|f| irtop::tui::ui::draw(f, &app)).unwrap();
    let coloured: Vec<_> = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
        .map(|c| c.symbol().to_owned())
        .collect();
    assert!(coloured.is_empty(), "coloured cells under NO_COLOR: {coloured:?}");
    // The Gantt chart still tells neighbouring ops apart, by glyph.
    assert!(tui_support::screen(&app).contains('▒'));
}

#[test]
fn no_color_speedup_curve() {
    use ratatui::style::Color;
    let mut app = benched_with_curve(200, 60);
    app.view.theme = irtop::tui::Theme::no_color();
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60)).unwrap();
    terminal.draw(|f| irtop::tui::ui::draw(f, &app)).unwrap();
    let buf = terminal.backend().buffer();
    assert!(
        buf.content().iter().all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "coloured cells under NO_COLOR"
    );
    let text = tui_support::screen(&app);
    assert!(text.contains("speedup curve") && text.contains('●') && text.contains('○'), "markers: {text}");
    assert!(text.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)), "Braille lines: {text}");
}

#[test]
fn bench_pane_after_the_file_changed_is_marked_stale() {
    for (w, h) in [(80, 18), (160, 12)] {
        let mut app = benched(w, 48);
        let Some(irtop::tui::Effect::Reload { generation }) = update(&mut app, Msg::FileChanged) else { panic!() };
        let outcome = Ok(tui_support::snapshot_of(&tui_support::sample("pagerank_loop")));
        update(&mut app, Msg::Analysed { generation, outcome });
        insta::assert_snapshot!(format!("bench_pane_stale_{w}"), widget(w, h, &BenchPane::new(&app)));
    }
}

/// A report in which `auto` ran and said what it chose.
fn with_auto(mut r: BenchReport) -> BenchReport {
    r.predicted.auto = Some(irtop::predict::auto::Choices {
        threads: 2,
        grain_s: 2.6e-4,
        predicted_s: 6.9e-3,
        same_as: None,
        lines: vec![
            "the program: each op as soon as its inputs are ready, above its grain (6.90 ms a run; in order 12.0 ms, levels 7.50 ms)".into(),
            "  node_10 runs split: 1.20 ms, above its 264.3 µs grain".into(),
            "  node_4 runs whole: 90.0 µs, under its 264.3 µs grain".into(),
        ],
    });
    r
}

/// The benchmark pane says what `auto` chose under the history line, wrapped into the rows
/// the pane has to spare (why each op ran split or whole, which one line cut), and in one row
/// ending in `…` in a pane that scrolls anyway; on the narrowest screen and a wide one.
#[test]
fn bench_pane_says_what_auto_chose() {
    for (w, h, pane_h) in [(80u16, 24u16, 14u16), (80, 24, 30), (160, 48, 14)] {
        let mut app = app("pagerank_loop", w, h);
        update(&mut app, ch('b'));
        update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(with_auto(bench_report()))) });
        let pane = widget(w, pane_h, &BenchPane::new(&app));
        assert!(pane.contains("auto the program: each op as soon as its inputs are ready"), "{pane}");
        // The rows read as one text.
        let rows: Vec<&str> = pane.lines().map(|l| l.trim_matches('"').trim_matches(['│', '┃'])).collect();
        let text = rows.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        let scrolls = pane.contains("j/k scroll");
        if scrolls {
            let line = pane.lines().find(|l| l.contains("auto the program")).unwrap();
            assert!(line.trim_end_matches(['"', '│', ' ']).ends_with('…'), "{pane}");
            assert!(!text.contains("runs split"), "one row: {pane}");
        } else {
            assert!(text.contains("node_10 runs split: 1.20 ms, above its 264.3 µs grain"), "{pane}");
        }
        if w == 160 {
            assert!(text.contains("node_4 runs whole: 90.0 µs, under its 264.3 µs grain") && !pane.contains('…'));
        }
        assert_eq!(scrolls, (w, pane_h) == (80, 14), "{pane}");
        insta::assert_snapshot!(format!("bench_pane_auto_{w}x{h}_pane_{pane_h}"), pane);
    }
}

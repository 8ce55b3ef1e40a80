//! Nothing is lost at 80x24 (issue 16): what the panes that cut text draw at 80x24 and at
//! 160x48 (snapshots), with a check that no text runs into a box's border without `…`; the
//! benchmark pane scrolls to every mode row at 60x16; `c` draws the curve (or says why it
//! cannot) and keeps the history; `z` expands the focused pane; popups stop at their end; a
//! click selects the row under it; the levels columns stay put when a level holds 10,000 ops.

mod tui_support;

use irtop::exec::Mode;
use irtop::report::bench_report::BenchReport;
use irtop::tui::view::Pane;
use irtop::tui::{App, Msg, update};
use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use tui_support::{app, bench_report, ch, key, screen, with_levelled_curve};

/// Box-drawing characters that close a pane or a window on the right.
const RIGHT_BORDERS: [char; 2] = ['│', '┃'];

/// Asserts that no line of text on `screen` runs from a box's left edge into its right
/// border without `…`: where a word touches a right border, the text it belongs to (words
/// apart by single spaces) must start after a gap of two or more blanks, as a right-aligned
/// label or key hint does. A line that fills its box exactly, word against the border, is
/// reported too (a heuristic: the screens checked here have none).
fn assert_no_silent_cut(screen: &str) {
    let word = |c: char| c.is_alphanumeric() || "_()[],.:;%".contains(c);
    for (y, line) in screen.lines().enumerate() {
        let cells: Vec<char> = line.trim_matches('"').chars().collect();
        for x in 2..cells.len() {
            // A box's right border ends the row or touches the next box (a chart's axis or a
            // timeline's `│` has text after it).
            let closes = cells.get(x + 1).is_none_or(|c| "│┃┌┐└┘┏┓┗┛".contains(*c));
            if !(RIGHT_BORDERS.contains(&cells[x]) && closes && word(cells[x - 1]) && word(cells[x - 2])) {
                continue;
            }
            // Walk back over the text to its start: a gap of two blanks, a border or the edge.
            let mut k = x - 1;
            let from_edge = loop {
                if k == 0 || RIGHT_BORDERS.contains(&cells[k - 1]) || "┃│".contains(cells[k - 1]) {
                    break true;
                }
                if cells[k - 1] == ' ' && k >= 2 && cells[k - 2] == ' ' {
                    break false;
                }
                k -= 1;
            };
            assert!(!from_edge, "row {y}, column {x}: text runs into the border without …:\n{screen}");
        }
    }
}

/// Every parallel mode, so that the table is as long as a real `all` run's.
fn all_modes_report() -> BenchReport {
    let mut r = bench_report();
    let template = r.measured.modes[1].clone();
    for name in ["data", "levels+data", "dataflow+data", "auto"] {
        let mode: Mode = name.parse().expect("a mode");
        r.measured.modes.push(irtop::exec::bench::measurement::ModeMeasurement { mode, ..template.clone() });
    }
    r.measured.rounds = 307;
    r
}

/// The app at `w` x `h` after one benchmark of `report`, the benchmark pane focused.
fn benched(w: u16, h: u16, report: BenchReport) -> App {
    let mut app = app("pagerank_loop", w, h);
    update(&mut app, ch('b'));
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(report)) });
    update(&mut app, ch('4'));
    app
}

#[test]
fn the_finished_benchmark_loses_nothing_at_80x24_and_160x48() {
    for (w, h) in [(80, 24), (160, 48)] {
        let app = benched(w, h, all_modes_report());
        let s = screen(&app);
        assert_no_silent_cut(&s);
        // The summary says how many rounds and why they stopped, in full or ending in `…`.
        let summary = s.lines().find(|l| l.contains("rmat:13:10:seed=1")).unwrap_or_else(|| panic!("{s}"));
        assert!(summary.contains("307 rounds") && (summary.contains("±2.5%") || summary.contains('…')), "{s}");
        assert!(s.contains("history"), "the history line stays:\n{s}");
        insta::assert_snapshot!(format!("bench_done_{w}x{h}"), s);
    }
}

#[test]
fn at_60x16_every_mode_row_of_the_benchmark_is_reached_by_scrolling() {
    let mut app = benched(60, 16, all_modes_report());
    let first = screen(&app);
    assert!(!first.contains("auto "), "the pane is too short for every row:\n{first}");
    assert!(first.contains("j/k scroll"), "the border says it scrolls:\n{first}");
    let mut seen = first.clone();
    // A bounded number of presses: the table has 9 rows, the body a few more.
    for _ in 0..30 {
        update(&mut app, ch('j'));
        let s = screen(&app);
        assert_no_silent_cut(&s);
        seen.push_str(&s);
    }
    for mode in Mode::ALL.iter().chain([&Mode::AUTO]) {
        let row = format!("┃{:<15}", mode.name());
        assert!(seen.contains(&row), "{} never shown:\n{seen}", mode.name());
    }
    assert!(seen.contains("history"), "{seen}");
    let end = screen(&app);
    update(&mut app, ch('k'));
    assert_ne!(screen(&app), end, "one key up scrolls back at once (the scroll stops at the end)");
    update(&mut app, key(KeyCode::Home));
    assert_eq!(screen(&app), first);
}

#[test]
fn c_at_80x24_draws_the_curve_and_keeps_the_history() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = benched(w, h, with_levelled_curve(all_modes_report()));
        update(&mut app, ch('c'));
        let s = screen(&app);
        assert_no_silent_cut(&s);
        assert!(s.contains("speedup curve") && s.contains("threads, log2 scale"), "a chart, not an empty box:\n{s}");
        assert!(s.contains("history"), "the history line stays:\n{s}");
        insta::assert_snapshot!(format!("curve_{w}x{h}"), s);
    }
}

#[test]
fn a_curve_without_room_for_its_chart_says_so() {
    let app = benched(80, 24, with_levelled_curve(bench_report()));
    let report = app.model.bench.last.as_ref().unwrap();
    let curve = irtop::tui::panes::curve::SpeedupCurve { report, theme: &app.view.theme, hint: None };
    let s = tui_support::widget(80, 6, &curve);
    assert!(s.contains("no room for the chart here") && s.contains("z expands"), "{s}");
}

#[test]
fn groups_names_end_in_an_ellipsis_at_80x24_and_160x48() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app("pagerank_loop", w, h);
        update(&mut app, ch('3'));
        let s = screen(&app);
        assert_no_silent_cut(&s);
        assert!(s.contains(", …"), "a cut list says so:\n{s}");
        insta::assert_snapshot!(format!("groups_{w}x{h}"), s);
    }
}

#[test]
fn help_and_details_stop_at_their_last_line() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app("pagerank_loop", w, h);
        update(&mut app, ch('?'));
        for _ in 0..40 {
            update(&mut app, key(KeyCode::PageDown));
        }
        let end = screen(&app);
        assert_no_silent_cut(&end);
        let lines: Vec<&str> = end.lines().collect();
        let last =
            lines.iter().position(|l| l.contains("STALE: the file does not load")).unwrap_or_else(|| panic!("{end}"));
        assert!(lines[last + 1].contains("? or Esc closes"), "{end}");
        update(&mut app, key(KeyCode::Up));
        if h == 24 {
            assert_ne!(screen(&app), end, "one key up scrolls back at once");
        }
        insta::assert_snapshot!(format!("help_end_{w}x{h}"), end);

        update(&mut app, key(KeyCode::Esc));
        update(&mut app, key(KeyCode::End));
        update(&mut app, key(KeyCode::Enter));
        for _ in 0..100 {
            update(&mut app, key(KeyCode::Down));
        }
        let end = screen(&app);
        assert_no_silent_cut(&end);
        let bottom = end.lines().position(|l| l.contains("Esc/Enter close")).unwrap_or_else(|| panic!("{end}"));
        assert!(end.lines().nth(bottom - 1).unwrap().chars().any(char::is_alphanumeric), "{end}");
        insta::assert_snapshot!(format!("details_end_{w}x{h}"), end);
    }
}

#[test]
fn z_expands_the_focused_pane_and_z_or_esc_puts_it_back() {
    let mut app = benched(160, 48, with_levelled_curve(all_modes_report()));
    let tiled = screen(&app);
    assert!(tiled.contains("1 Levels") && tiled.contains(" z expand "), "{tiled}");
    update(&mut app, ch('z'));
    let zoomed = screen(&app);
    assert!(!zoomed.contains("1 Levels") && !zoomed.contains("2 Critical path"), "{zoomed}");
    assert!(zoomed.contains("4 Benchmark") && zoomed.contains(" z/Esc back "), "{zoomed}");
    let layout = app.view.layout.clone().unwrap();
    assert_eq!(layout.panes.len(), 1);
    assert_eq!(layout.pane(Pane::Bench).unwrap().height, layout.footer.y - layout.pane(Pane::Bench).unwrap().y);
    insta::assert_snapshot!("zoomed_bench_160x48", zoomed);
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(screen(&app), tiled, "Esc puts it back");
    update(&mut app, ch('z'));
    update(&mut app, ch('z'));
    assert_eq!(screen(&app), tiled, "so does z");
    // At 80x24 the tab strip makes way for one more row of the pane.
    let mut small = app_at(80, 24);
    let before = small.view.layout.clone().unwrap().panes[0].1;
    update(&mut small, ch('z'));
    let after = small.view.layout.clone().unwrap().panes[0].1;
    assert_eq!(after.height, before.height + 1);
}

fn app_at(w: u16, h: u16) -> App {
    app("pagerank_loop", w, h)
}

#[test]
fn a_click_selects_the_row_under_it() {
    let mut app = app_at(160, 48);
    let click = |column, row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let layout = app.view.layout.clone().unwrap();
    let groups = layout.pane(Pane::Groups).unwrap();
    // Border, column heading, then groups 0, 1, 2 ...
    update(&mut app, click(groups.x + 3, groups.y + 2 + 3));
    assert_eq!(app.view.focus, Pane::Groups);
    assert_eq!(app.view.groups.selected, 3);
    let levels = layout.pane(Pane::Levels).unwrap();
    update(&mut app, click(levels.x + 3, levels.y + 2 + 2));
    assert_eq!(app.view.focus, Pane::Levels);
    assert_eq!(app.view.levels.selection.row, 2);
    let path = layout.pane(Pane::CriticalPath).unwrap();
    update(&mut app, click(path.x + 3, path.y + 2 + 3));
    assert_eq!(app.view.path.selection.id.as_deref(), Some("node_11"));
    // A click on a heading focuses without moving the selection.
    update(&mut app, click(groups.x + 3, groups.y + 1));
    assert_eq!((app.view.focus, app.view.groups.selected), (Pane::Groups, 3));
}

#[test]
fn the_levels_columns_stay_put_when_a_level_holds_ten_thousand_ops() {
    // Level 0: 10,000 constants; level 1: one op reading two of them.
    let mut nodes: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                r#"{{"id": "c{i}", "domain": "core", "op_type": "constant", "inputs": [], "output": "v{i}", "metadata": {{"value": 1.0}}}}"#
            )
        })
        .collect();
    nodes.push(
        r#"{"id": "sum", "domain": "core", "op_type": "add", "inputs": ["v0", "v1"], "output": "s", "metadata": {}}"#
            .to_owned(),
    );
    let json = format!(r#"{{"name": "wide", "nodes": [{}]}}"#, nodes.join(","));
    let mut app = App::new("wide.json".into(), tui_support::parse(&json).unwrap(), 2, irtop::tui::Theme::colored());
    update(&mut app, Msg::Resize(80, 24));
    let shown = screen(&app);
    let lines: Vec<&str> = shown.lines().collect();
    let at = |needle: &str| {
        let line = lines.iter().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no {needle}:\n{shown}"));
        line.find(needle).map(|b| line[..b].chars().count())
    };
    // The ops of both rows (critical, so marked `*`) start where the header's legend does.
    let legend = at("ops: ").unwrap();
    assert_eq!(at("*c0 constant"), Some(legend), "{shown}");
    assert_eq!(at("*sum add"), Some(legend), "{shown}");
    assert!(shown.contains("10000"), "{shown}");
}

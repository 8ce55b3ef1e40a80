//! Space goes to content that exists (issue 16): on a small IR with a finished benchmark the
//! lists keep only the rows their content fills and the benchmark gets the rest, whole; and
//! the speedup curve reads without colour: each mode has its own marker in the chart and the
//! legend.

mod tui_support;

use irtop::exec::Mode;
use irtop::exec::bench::measurement::ModeMeasurement;
use irtop::report::bench_report::BenchReport;
use irtop::tui::view::Pane;
use irtop::tui::{App, Msg, Theme, update};
use tui_support::{THREADS, bench_report, ch, sample, screen, snapshot_of};

/// Heights at which the five parallel modes' curves level off, and their measured speedups:
/// far enough apart that even the 80x24 chart's six rows keep them on different rows.
const HEIGHTS: [f64; 5] = [1.25, 2.5, 4.0, 5.5, 7.0];

/// Every mode measured, the parallel ones at [`HEIGHTS`] (auto at the last), with a curve
/// for the five parallel modes (as irtop's has) levelling off at the same heights.
fn report() -> BenchReport {
    let mut r = bench_report();
    let template = r.measured.modes[1].clone();
    for name in ["data", "levels+data", "dataflow+data", "auto"] {
        let mode: Mode = name.parse().expect("a mode");
        r.measured.modes.push(ModeMeasurement { mode, ..template.clone() });
    }
    for (i, m) in r.measured.modes.iter_mut().skip(1).enumerate() {
        m.speedup = HEIGHTS[i.min(4)];
    }
    r.predicted.curve = (1..=64usize)
        .map(|p| irtop::predict::curve::CurvePoint {
            threads: p,
            speedup: Mode::ALL[1..6]
                .iter()
                .zip(HEIGHTS)
                .map(|(m, h)| (m.name().to_owned(), (p as f64).min(h)))
                .collect(),
        })
        .collect();
    r
}

/// `samples/diamond.json` at `w` x `h` in `theme`, after one benchmark, the benchmark pane
/// focused.
fn benched(w: u16, h: u16, theme: Theme) -> App {
    let path = sample("diamond");
    let mut app = App::new(path.clone(), snapshot_of(&path), THREADS, theme);
    update(&mut app, Msg::Resize(w, h));
    update(&mut app, ch('b'));
    update(&mut app, Msg::BenchFinished { generation: 1, outcome: Ok(Box::new(report())) });
    update(&mut app, ch('4'));
    app
}

/// The rows inside `pane`'s borders on `screen` that show nothing.
fn blank_rows(app: &App, screen: &str, pane: Pane) -> usize {
    let r = app.view.layout.as_ref().unwrap().pane(pane).unwrap();
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.trim_matches('"').chars().collect()).collect();
    (r.y + 1..r.bottom() - 1)
        .filter(|&y| {
            let row = &lines[y as usize][r.x as usize + 1..(r.right() - 1) as usize];
            row.iter().all(|&c| c == ' ')
        })
        .count()
}

#[test]
fn at_160x48_the_benchmark_is_whole_and_the_lists_leave_no_empty_rows() {
    let app = benched(160, 48, Theme::colored());
    let s = screen(&app);
    assert!(!s.contains("j/k scroll"), "the report fits without scrolling:\n{s}");
    for mode in ["seq", "levels", "dataflow", "data", "levels+data", "dataflow+data", "auto"] {
        assert!(s.contains(&format!("┃{mode:<15}")), "{mode} row on screen:\n{s}");
    }
    assert!(s.contains("history") && s.contains("speedup curve") && s.contains("timeline"), "{s}");
    // The taller of the two columns above the benchmark is full, and the other is no taller.
    let levels = blank_rows(&app, &s, Pane::Levels);
    let right = blank_rows(&app, &s, Pane::CriticalPath) + blank_rows(&app, &s, Pane::Groups);
    assert!(levels == 0 || right == 0, "{levels} empty levels rows, {right} on the right:\n{s}");
    assert_eq!(blank_rows(&app, &s, Pane::Bench), 0, "nor is the benchmark padded:\n{s}");
    insta::assert_snapshot!("diamond_benched_160x48", s);
}

#[test]
fn at_80x24_the_benchmark_pane_has_the_whole_body() {
    let app = benched(80, 24, Theme::colored());
    let s = screen(&app);
    let lines: Vec<&str> = s.lines().collect();
    let top = lines.iter().position(|l| l.contains("┏ 4 Benchmark")).unwrap_or_else(|| panic!("{s}"));
    let bottom = lines.iter().position(|l| l.contains("┗━")).unwrap_or_else(|| panic!("{s}"));
    assert!(lines[top - 1].contains("1 Levels │ 2 Critical path"), "right under the tab strip:\n{s}");
    assert_eq!(bottom, 22, "down to the footer:\n{s}");
    assert!(s.contains("history"), "{s}");
    insta::assert_snapshot!("diamond_benched_80x24", s);
}

/// The predicted and measured markers of the parallel modes, in the curve's order.
const MARKERS: [(&str, char, char); 5] = [
    ("levels", '○', '●'),
    ("dataflow", '□', '■'),
    ("data", '△', '▲'),
    ("levels+data", '◇', '◆'),
    ("dataflow+data", '▽', '▼'),
];

#[test]
fn without_colour_every_series_of_the_curve_has_its_marker_in_the_chart_and_the_legend() {
    for (w, h) in [(160, 48), (80, 24)] {
        let mut app = benched(w, h, Theme::no_color());
        if w == 80 {
            update(&mut app, ch('c'));
        }
        let s = screen(&app);
        assert!(s.contains("speedup curve") && s.contains("threads, log2 scale"), "{s}");
        // The legend: the marker before each name, and the measured ones together.
        let lines: Vec<&str> = s.lines().collect();
        let title = lines.iter().position(|l| l.contains("speedup curve")).unwrap();
        let end = title + lines[title..].iter().position(|l| l.contains(" measured (")).unwrap();
        let legend = lines[title..=end].join("\n");
        for (mode, predicted, _) in MARKERS {
            assert!(legend.contains(&format!("{predicted} {mode} ")), "{mode}'s marker in the legend:\n{legend}");
        }
        assert!(legend.contains("●■▲◆▼ measured (2 threads)"), "{legend}");
        // The chart: the rows under the legend hold every marker.
        let axis = lines.iter().position(|l| l.contains("threads, log2 scale")).unwrap();
        let chart = lines[end + 1..axis].join("\n");
        for (mode, predicted, measured) in MARKERS {
            assert!(chart.contains(predicted), "{mode}'s curve is marked {predicted}:\n{s}");
            assert!(chart.contains(measured), "{mode}'s measured speedup is marked {measured}:\n{s}");
        }
        insta::assert_snapshot!(format!("curve_markers_no_color_{w}x{h}"), s);
    }
}

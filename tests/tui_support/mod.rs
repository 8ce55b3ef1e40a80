//! Helpers shared by the TUI tests: apps built from the samples with a fixed clock and
//! thread count, a hand-built benchmark report, keys, and rendering to text.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use irtop::analysis::analyze;
use irtop::exec::Mode;
use irtop::exec::bench::measurement::{GraphInfo, Measurement, ModeMeasurement, Stopped};
use irtop::exec::span::OpSpan;
use irtop::ir::{load_bytes, load_file};
use irtop::predict::{ModePredicted, Predictions, Verdict};
use irtop::report::bench_report::BenchReport;
use irtop::tui::clock::WallTime;
use irtop::tui::model::{FileProblem, Snapshot};
use irtop::tui::{App, Msg, Theme, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::widgets::Widget;

/// The fixed "now" of every test: 12:34:56 UTC.
pub const AT: WallTime = WallTime(1_700_000_000 - 1_700_000_000 % 86_400 + 12 * 3600 + 34 * 60 + 56);

/// Thread count the tests inject (never the machine's).
pub const THREADS: usize = 4;

/// diamond.json with node_5 changed (mul instead of add) and a node_6 after it.
pub const DIAMOND_EDITED: &str = r#"{"name": "test", "nodes": [
  {"id": "node_0", "domain": "core", "op_type": "init_nodes", "inputs": [], "output": "nodes_0", "metadata": {"default": 1.0}},
  {"id": "node_1", "domain": "core", "op_type": "constant", "inputs": [], "output": "const_1", "metadata": {"value": 2.0}},
  {"id": "node_2", "domain": "core", "op_type": "mul", "inputs": ["nodes_0", "const_1"], "output": "mul_2", "metadata": {}},
  {"id": "node_3", "domain": "core", "op_type": "constant", "inputs": [], "output": "const_3", "metadata": {"value": 3.0}},
  {"id": "node_4", "domain": "core", "op_type": "add", "inputs": ["nodes_0", "const_3"], "output": "add_4", "metadata": {}},
  {"id": "node_5", "domain": "core", "op_type": "mul", "inputs": ["mul_2", "add_4"], "output": "add_5", "metadata": {}},
  {"id": "node_6", "domain": "core", "op_type": "mul", "inputs": ["add_5", "const_1"], "output": "mul_6", "metadata": {}}
]}"#;

/// diamond.json without node_3 and node_4 (node_5 reads mul_2 twice).
pub const DIAMOND_SMALL: &str = r#"{"name": "test", "nodes": [
  {"id": "node_0", "domain": "core", "op_type": "init_nodes", "inputs": [], "output": "nodes_0", "metadata": {"default": 1.0}},
  {"id": "node_1", "domain": "core", "op_type": "constant", "inputs": [], "output": "const_1", "metadata": {"value": 2.0}},
  {"id": "node_2", "domain": "core", "op_type": "mul", "inputs": ["nodes_0", "const_1"], "output": "mul_2", "metadata": {}},
  {"id": "node_5", "domain": "core", "op_type": "add", "inputs": ["mul_2", "mul_2"], "output": "add_5", "metadata": {}}
]}"#;

/// Path of `samples/<name>.json`.
pub fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples").join(format!("{name}.json"))
}

/// A snapshot of the IR file at `path`.
pub fn snapshot_of(path: &Path) -> Snapshot {
    let ir = load_file(path).unwrap_or_else(|e| panic!("{e}"));
    let a = analyze(&ir);
    Snapshot::new(ir, a, AT)
}

/// A snapshot of IR text, or the problem the loader finds in it.
pub fn parse(json: &str) -> Result<Snapshot, FileProblem> {
    let ir = load_bytes(json.as_bytes(), Path::new("test.json")).map_err(|e| FileProblem::from_load_error(&e))?;
    let a = analyze(&ir);
    Ok(Snapshot::new(ir, a, AT))
}

/// The app on `samples/<name>.json` in a `w` x `h` terminal.
pub fn app(name: &str, w: u16, h: u16) -> App {
    let path = sample(name);
    let mut app = App::new(path.clone(), snapshot_of(&path), THREADS, Theme::colored());
    irtop::tui::update(&mut app, Msg::Resize(w, h));
    app
}

/// A key press message.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A character key press message.
pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// The whole screen, as text.
pub fn screen(app: &App) -> String {
    let (w, h) = app.view.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| ui::draw(f, app)).expect("draw");
    terminal.backend().to_string()
}

/// One widget drawn alone in a `w` x `h` area, as text.
pub fn widget(w: u16, h: u16, draw: impl Widget) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| f.render_widget(draw, f.area())).expect("draw");
    terminal.backend().to_string()
}

fn span(node: &str, op: &str, level: u32, worker: usize, start_ms: f64, end_ms: f64) -> OpSpan {
    OpSpan { node: node.into(), op: op.into(), level, worker, start_s: start_ms / 1e3, end_s: end_ms / 1e3 }
}

/// A benchmark of pagerank_loop on 2 threads, made up but shaped like the executor's.
pub fn bench_report() -> BenchReport {
    // irtop's predictions: calibrated for seq and levels, static only for dataflow.
    let model = |mode: &str| match mode {
        "seq" => (1.0, Some(1.0)),
        "levels" => (1.55, Some(1.62)),
        _ => (1.7, None),
    };
    let mode = |name: &str, median_ms: f64, speedup: f64| ModeMeasurement {
        mode: name.parse().expect("a mode"),
        threads: 2,
        median_s: median_ms / 1e3,
        min_s: median_ms * 0.95 / 1e3,
        max_s: median_ms * 1.1 / 1e3,
        times_s: vec![median_ms / 1e3],
        speedup,
        speedup_interval: [speedup * 0.97, speedup * 1.03],
        noise: false,
        max_abs_diff: if name == "seq" { 0.0 } else { 1.2e-15 },
    };
    let predicted = |name: &str| {
        let point = model(name).1.unwrap_or(model(name).0);
        let band = [point * 0.9, point * 1.1];
        ModePredicted {
            groggy: if name == "seq" { 1.0 } else { 2.875 },
            static_model: model(name).0,
            calibrated: model(name).1,
            band,
            verdict: Verdict::of(band),
        }
    };
    let levels: Mode = "levels".parse().expect("mode");
    let measured = Measurement {
        graph: GraphInfo { nodes: 10_000, edges: 100_000, source: "rmat:13:10:seed=1".into() },
        threads: 2,
        rounds: 7,
        stopped: Stopped::Converged,
        budget_s: 10.0,
        elapsed_s: 1.5,
        modes: vec![mode("seq", 12.0, 1.0), mode("levels", 7.5, 1.6), mode("dataflow", 6.9, 1.74)],
        scaled: None,
        timelines: vec![(
            levels,
            vec![
                span("node_0", "graph_node_count", 0, 0, 0.0, 0.1),
                span("node_2", "init_nodes", 0, 1, 0.0, 0.4),
                span("node_4", "degree", 0, 0, 0.1, 1.5),
                span("node_6", "constant", 0, 1, 0.4, 0.45),
                span("node_9", "constant", 0, 1, 0.45, 0.5),
                span("node_1", "recip", 1, 0, 1.5, 1.7),
                span("node_5", "recip", 1, 1, 1.5, 1.9),
                span("node_7", "compare", 1, 1, 1.9, 2.2),
                span("node_3", "broadcast_scalar", 2, 0, 2.2, 2.5),
                span("node_8", "broadcast_scalar", 2, 1, 2.2, 2.6),
                span("node_10", "mul", 3, 0, 2.6, 2.9),
                span("node_11", "iter_loop", 4, 0, 2.9, 7.5),
            ],
        )],
        seq_spans: Vec::new(),
        pool_idle_s: Vec::new(),
    };
    let predicted = Predictions {
        groggy: 2.875,
        modes: measured.modes.iter().map(|m| (m.mode, predicted(m.mode.name()))).collect(),
        curve: Vec::new(),
        costs: "default costs".into(),
        probe: None,
        auto: None,
    };
    BenchReport { measured, predicted }
}

/// `report` with a speedup curve for 1 to 64 threads in which each mode levels off at its
/// own height (1.5x, 2.5x, ...), so every line of the chart can be told apart.
pub fn with_levelled_curve(mut report: BenchReport) -> BenchReport {
    report.predicted.curve = (1..=64usize)
        .map(|p| irtop::predict::curve::CurvePoint {
            threads: p,
            speedup: Mode::ALL[1..]
                .iter()
                .enumerate()
                .map(|(i, m)| (m.name().to_owned(), (p as f64).min(i as f64 + 1.5)))
                .collect(),
        })
        .collect();
    report
}

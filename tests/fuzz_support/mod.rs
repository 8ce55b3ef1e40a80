//! The pipeline a fuzzed or corpus input goes through, as irtop's users drive it: load,
//! analyse, the report, plan and DOT writers, the TUI's screens, compile, the work limit,
//! and runs in three modes on a small graph. [`exercise`] returns what became of the input
//! and panics when irtop misbehaves: a panic inside irtop, an error that names neither a
//! `line:column` nor a node, or modes that disagree.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use irtop::analysis::analyze;
use irtop::exec::{ExecError, Executor, Graph, Mode, Program, Retain, RunOptions, Scheduler, Value};
use irtop::ir::load_bytes;
use irtop::limits::Limits;
use irtop::report;
use irtop::tui::clock::WallTime;
use irtop::tui::model::{FileProblem, Snapshot};
use irtop::tui::{App, Msg, Theme, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What became of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The loader refused it; the message.
    LoadError(String),
    /// Loaded and analysed; it cannot run (an unsupported op); the message.
    CompileError(String),
    /// Compiled; the work limit refused the run.
    Refused(String),
    /// Ran; it failed (the same way in every mode); seq's message.
    RunError(String),
    /// Ran in every mode with the same results: `(levels, nodes)`.
    Ran(usize, usize),
}

impl Outcome {
    /// A short label of the outcome's kind.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::LoadError(_) => "load error",
            Outcome::CompileError(_) => "compile error",
            Outcome::Refused(_) => "refused by --max-work",
            Outcome::RunError(_) => "run error",
            Outcome::Ran(..) => "ran",
        }
    }

    /// The message, when the outcome is an error.
    pub fn message(&self) -> Option<&str> {
        match self {
            Outcome::LoadError(m) | Outcome::CompileError(m) | Outcome::Refused(m) | Outcome::RunError(m) => Some(m),
            Outcome::Ran(..) => None,
        }
    }

    /// The error's kind: its message with the numbers, quoted names and positions taken
    /// out, so that two inputs failing the same way give the same kind.
    pub fn kind(&self) -> String {
        let Some(m) = self.message() else { return "ran".to_owned() };
        let mut out = String::new();
        let mut quote: Option<char> = None;
        for c in m.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '`' || c == '"' => {
                    quote = Some(c);
                    out.push('_');
                }
                None if c.is_ascii_digit() => {
                    if !out.ends_with('#') {
                        out.push('#');
                    }
                }
                None => out.push(c),
            }
        }
        format!("{}: {}", self.label(), out.chars().take(90).collect::<String>())
    }
}

/// The graph fuzzed IRs run on: 5 nodes, a cycle, a self loop, a node without in-edges.
pub fn tiny_graph() -> Graph {
    Graph::from_edges(5, &[(0, 1), (1, 2), (2, 0), (3, 3), (0, 2), (4, 0)], None, "fuzz".into())
}

/// Most estimated work of a fuzzed run on [`tiny_graph`]: keeps each input fast.
pub const FUZZ_MAX_WORK: f64 = 2e5;

/// The modes a fuzzed IR runs in, on two threads (built once per fuzzing thread).
pub struct Runners(Vec<(Mode, Scheduler)>);

impl Runners {
    /// `seq`, `levels` and `dataflow+data`.
    pub fn new() -> Runners {
        let modes = [Mode::SEQ, "levels".parse().unwrap(), "dataflow+data".parse().unwrap()];
        Runners(modes.into_iter().map(|m| (m, Scheduler::new(m, 2).expect("threads start"))).collect())
    }
}

/// Runs `bytes` through irtop; panics on misbehaviour (see the module docs).
pub fn exercise(bytes: &[u8], graph: &Graph, runners: &Runners) -> Outcome {
    let trace = std::env::var_os("IRTOP_FUZZ_TRACE").is_some();
    let t0 = std::time::Instant::now();
    let lap = |what: &str| {
        if trace {
            eprintln!("  {what}: {:.2} s", t0.elapsed().as_secs_f64());
        }
    };
    let path = Path::new("fuzz.json");
    let ir = match load_bytes(bytes, path) {
        Ok(ir) => ir,
        Err(e) => {
            assert!(
                e.position().is_some() || e.node().is_some(),
                "a load error names neither line:column nor node: {e}"
            );
            let problem = FileProblem::from_load_error(&e);
            let message = e.to_string();
            assert!(message.starts_with("fuzz.json"), "the error does not name the file: {message}");
            draw_with_problem(problem);
            return Outcome::LoadError(message);
        }
    };
    lap("load");
    let analysis = analyze(&ir);
    lap("analyze");
    let _ = report::text::render(&ir, &analysis);
    lap("report");
    let _ = report::dot::render(&ir, &analysis);
    report::dot::write(&mut std::io::sink(), &ir, &analysis, true).expect("the full DOT writes");
    lap("dot");
    let all = report::plan_fields::Fields::all();
    report::plan::write(&mut std::io::sink(), &ir, &analysis, all, false).expect("the plan serialises");
    lap("plan");
    let levels = analysis.levels.levels.len();
    let nodes = ir.nodes.len();
    let program = Program::compile(&ir, &analysis);
    lap("compile");
    draw_tui(Snapshot::new(ir, analysis, WallTime(0)));
    lap("tui");
    let program = match program {
        Ok(p) => p,
        Err(e) => {
            assert_names_node(&e);
            return Outcome::CompileError(e.to_string());
        }
    };
    let limits = Limits { max_work: FUZZ_MAX_WORK, ..Limits::default() };
    if let Err(e) = limits.check_work(&program, graph.node_count(), graph.edge_count()) {
        return Outcome::Refused(e.to_string());
    }
    let modes: Vec<Mode> = runners.0.iter().map(|(m, _)| *m).collect();
    let runs: Vec<Result<Vec<Option<Arc<Value>>>, ExecError>> = runners
        .0
        .iter()
        .map(|(_, s)| s.run(&program, graph, &RunOptions::keeping(Retain::All)).map(|o| o.values))
        .collect();
    for (mode, run) in modes.iter().zip(&runs).skip(1) {
        match (&runs[0], run) {
            (Ok(a), Ok(b)) => {
                for (v, (x, y)) in a.iter().zip(b).enumerate() {
                    let same = match (x, y) {
                        (Some(x), Some(y)) => bits(x) == bits(y),
                        (None, None) => true,
                        _ => false,
                    };
                    assert!(same, "{mode} differs from seq on variable {}: {x:?} vs {y:?}", program.var_name_of(v));
                }
            }
            (Err(_), Err(e)) => assert_names_node(e),
            (a, b) => panic!("seq and {mode} disagree: {:?} vs {:?}", a.as_ref().err(), b.as_ref().err()),
        }
    }
    match &runs[0] {
        Ok(_) => Outcome::Ran(levels, nodes),
        Err(e) => {
            assert_names_node(e);
            Outcome::RunError(e.to_string())
        }
    }
}

/// The variable name of index `v`.
trait VarNameOf {
    fn var_name_of(&self, v: usize) -> &str;
}

impl VarNameOf for Program {
    fn var_name_of(&self, v: usize) -> &str {
        self.var_name(irtop::ir::VarId(v as u32))
    }
}

fn bits(v: &Value) -> Vec<u64> {
    match v {
        Value::Scalar(s) => vec![s.value.to_bits(), u64::from(s.int)],
        Value::Map(m) => m.values.iter().map(|x| x.to_bits()).chain([u64::from(m.int)]).collect(),
        Value::Lists(l) => l.lists.iter().flat_map(|x| x.iter().map(|y| y.to_bits()).chain([u64::MAX])).collect(),
    }
}

fn assert_names_node(e: &ExecError) {
    match e {
        ExecError::Unsupported { node, .. } | ExecError::Failed { node, .. } => {
            assert!(!node.is_empty(), "an execution error names no node: {e}");
        }
        ExecError::Cancelled => panic!("a run was cancelled without being asked to"),
        ExecError::Threads { .. } => panic!("the fuzz harness's two worker threads did not start: {e}"),
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Draws the TUI on `snapshot` and walks it: every pane, a loop body opened, details.
fn draw_tui(snapshot: Snapshot) {
    let t = std::time::Instant::now();
    let mut app = App::new("fuzz.json".into(), snapshot, 2, Theme::colored());
    irtop::tui::update(&mut app, Msg::Resize(100, 30));
    if std::env::var_os("IRTOP_FUZZ_TRACE").is_some() {
        eprintln!("    tui app {:.3} s", t.elapsed().as_secs_f64());
    }
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("test terminal");
    let keys = [
        key(KeyCode::Char(' ')),
        key(KeyCode::Down),
        key(KeyCode::Char(' ')),
        key(KeyCode::End),
        key(KeyCode::Enter),
        key(KeyCode::Esc),
        key(KeyCode::Tab),
        key(KeyCode::Char('s')),
        key(KeyCode::Tab),
        key(KeyCode::Enter),
    ];
    let trace = std::env::var_os("IRTOP_FUZZ_TRACE").is_some();
    let t = std::time::Instant::now();
    terminal.draw(|f| ui::draw(f, &app)).expect("draw");
    for k in keys {
        if trace {
            eprintln!("    tui {:.3} s, then {k:?}", t.elapsed().as_secs_f64());
        }
        irtop::tui::update(&mut app, k);
        terminal.draw(|f| ui::draw(f, &app)).expect("draw");
    }
}

/// Draws the TUI with the banner for a broken save of a good file.
fn draw_with_problem(problem: FileProblem) {
    let ir = load_bytes(br#"{"name": "ok", "nodes": []}"#, Path::new("ok.json")).expect("an empty IR loads");
    let analysis = analyze(&ir);
    let mut app = App::new("fuzz.json".into(), Snapshot::new(ir, analysis, WallTime(0)), 2, Theme::colored());
    irtop::tui::update(&mut app, Msg::Resize(80, 24));
    irtop::tui::update(&mut app, Msg::FileChanged);
    let generation = app.model.reload.generation;
    irtop::tui::update(&mut app, Msg::Analysed { generation, outcome: Err(problem) });
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    terminal.draw(|f| ui::draw(f, &app)).expect("draw");
}

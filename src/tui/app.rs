//! The TUI's state ([`App`]: model plus view state) and [`update`], which turns a [`Msg`]
//! into a new state and at most one [`Effect`]. `update` does no I/O: no files, no clock, no
//! terminal, so every behaviour here is tested without a terminal.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::effect::Effect;
use super::layout::{Measures, areas};
use super::model::{BenchRecord, BenchRun, BenchState, JobState, Model, Snapshot};
use super::msg::Msg;
use super::panes::bench::{BenchPane, Shown};
use super::rows::{LevelRow, locate};
use super::theme::Theme;
use super::view::{BenchChart, Nav, Overlay, Pane, ViewState};

/// The status line while a benchmark runs on the last good analysis of a broken file; it
/// clears when the file loads again.
const BENCH_ON_STALE: &str = "the file on disk does not load: benchmarking the last good analysis";

/// Most threads the `+` key goes to: [`crate::limits::MAX_THREADS`], as `--threads`.
pub(crate) const MAX_THREADS: usize = crate::limits::MAX_THREADS;

/// The whole TUI state.
#[derive(Debug, Clone)]
pub struct App {
    /// What is known.
    pub model: Model,
    /// How it is shown.
    pub view: ViewState,
}

impl App {
    /// The state after the first successful load of `path`; benchmarks default to `threads`.
    pub fn new(path: PathBuf, snapshot: Snapshot, threads: usize, theme: Theme) -> App {
        let file_name =
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
        let model = Model {
            path,
            file_name,
            snapshot,
            problem: None,
            reload: JobState::default(),
            version: 0,
            watch_error: None,
            bench: BenchState::new(threads),
            saves: Default::default(),
            freeze: Default::default(),
        };
        let mut app = App { model, view: ViewState::new(theme) };
        app.keep_place();
        app
    }

    /// True while something animates (a reload or a benchmark in flight): the runtime then
    /// sends [`Msg::Tick`]s; otherwise it sleeps until the next event.
    pub fn is_animating(&self) -> bool {
        self.model.reload.pending || self.model.bench.running.is_some()
    }

    /// The levels pane's rows for the current snapshot and expansions.
    pub fn level_rows(&self) -> Vec<LevelRow<'_>> {
        let s = &self.model.snapshot;
        self.view.levels.rows(&s.ir, &s.analysis)
    }

    /// The selected op's id in the levels pane.
    pub fn selected_op(&self) -> Option<&str> {
        self.view.levels.selection.id.as_deref()
    }

    /// Group indices in the table's current order.
    pub fn sorted_groups(&self) -> Vec<usize> {
        super::panes::groups::sorted(&self.model.snapshot.analysis.groups, self.view.groups.sort)
    }

    /// Recomputes where each part of the screen goes, from the terminal size and the counts
    /// it depends on: once per key or click, and again after a change that moves it (a
    /// resize, a new snapshot, a finished benchmark, `c`). Drawing computes its own.
    fn relayout(&mut self) {
        let area = Rect::new(0, 0, self.view.size.0, self.view.size.1);
        self.view.layout = areas(area, &Measures::of(self, area));
    }

    /// Rows of `pane`'s list on the current screen (see [`super::layout::Areas::list_height`]).
    fn list_height(&self, pane: Pane) -> usize {
        self.view.layout.as_ref().map_or(1, |a| a.list_height(pane))
    }

    /// Re-finds every selection after the snapshot, the expansions or the size changed:
    /// ops by id where they still exist, else the nearest row; scroll clamped.
    fn keep_place(&mut self) {
        self.relayout();
        let heights = Pane::ALL.map(|p| self.list_height(p));
        let height = |p: Pane| heights[p.number() - 1];
        let (ir, a) = (&self.model.snapshot.ir, &self.model.snapshot.analysis);
        let v = &mut self.view;
        v.levels.keep_place(ir, a, height(Pane::Levels));
        v.path.keep_place(ir, &a.critical_path.nodes, height(Pane::CriticalPath));
        v.groups.keep_place(&a.groups, height(Pane::Groups));
        v.diagnostics.clamp(a.diagnostics.len(), height(Pane::Diagnostics));
        self.view.bench_scroll = self.view.bench_scroll.min(bench_max_scroll(self));
    }

    /// Selects op `id` in the levels pane, opening the loops and blocks around it, and
    /// focuses the pane (search uses this).
    pub(crate) fn select_op(&mut self, id: &str) {
        let height = self.list_height(Pane::Levels);
        let (ir, a) = (&self.model.snapshot.ir, &self.model.snapshot.analysis);
        if self.view.levels.select(ir, a, id, height) {
            self.view.focus = Pane::Levels;
        }
    }

    fn open_details(&mut self, id: String) {
        self.view.overlay = Some(Overlay::Details(id));
        self.view.overlay_scroll = 0;
    }
}

/// Applies `msg` to `app` and returns what the runtime should do next.
pub fn update(app: &mut App, msg: Msg) -> Option<Effect> {
    match msg {
        Msg::Key(key) => on_key(app, key),
        Msg::Mouse(mouse) => on_mouse(app, mouse),
        Msg::Resize(w, h) => {
            app.view.size = (w, h);
            app.keep_place();
            None
        }
        Msg::FileChanged if super::freeze::hold(app) => None,
        Msg::FileChanged => Some(Effect::Reload { generation: app.model.reload.start() }),
        Msg::WatchFailed(why) => {
            app.model.watch_error = Some(why);
            None
        }
        Msg::Analysed { generation, outcome } => {
            if !app.model.reload.is_current(generation) {
                return None;
            }
            app.model.reload.pending = false;
            if super::freeze::hold(app) {
                return None;
            }
            match outcome {
                Ok(mut snapshot) => {
                    // The same bytes as on screen (an editor left without writing, a
                    // `touch`): not a save, so no new version, diff line or auto-bench. The
                    // new snapshot still replaces the old, whose freeing the worker does.
                    let rewritten = snapshot.content.is_some() && snapshot.content == app.model.snapshot.content;
                    if !rewritten {
                        app.model.saves.saved(&app.model.snapshot, &snapshot, app.model.version + 1);
                    }
                    // The old snapshot goes first, then the delivery token: the reload
                    // worker waits for the token before it builds the next analysis.
                    let delivered = snapshot.delivery.take();
                    app.model.snapshot = snapshot;
                    if !rewritten {
                        app.model.version += 1;
                    }
                    drop(delivered);
                    app.model.problem = None;
                    super::search::after_reload(app);
                    if app.view.status.as_deref() == Some(BENCH_ON_STALE) {
                        app.view.status = None;
                    }
                    app.keep_place();
                    if app.model.bench.auto_on_save && !rewritten {
                        return start_bench(app, true);
                    }
                }
                Err(problem) => app.model.problem = Some(problem),
            }
            None
        }
        Msg::BenchProgress { generation, fraction, label } => {
            if let Some(run) = app.model.bench.running.as_mut().filter(|r| r.generation == generation) {
                run.progress = fraction.clamp(0.0, 1.0);
                run.label = label;
            }
            None
        }
        Msg::BenchFinished { generation, outcome } => {
            let bench = &mut app.model.bench;
            if bench.running.as_ref().is_none_or(|r| r.generation != generation) {
                return None;
            }
            let run = bench.running.take().expect("checked above");
            bench.job.pending = false;
            match outcome {
                Ok(report) => {
                    bench.last_version = run.version;
                    let saved_at = app.model.saves.loaded_at(run.version).unwrap_or(app.model.snapshot.loaded_at);
                    let bench = &mut app.model.bench;
                    bench.history.push(BenchRecord::of(&report, &run, saved_at));
                    bench.last = Some(*report);
                    bench.error = None;
                    app.relayout();
                    let visible = app.view.layout.as_ref().is_some_and(|a| a.pane(Pane::Bench).is_some());
                    if !visible {
                        let best = app.model.bench.history.last().expect("just pushed");
                        app.view.status = Some(format!(
                            "benchmark finished: best {:.2}x ({}); press 4 for the benchmark pane",
                            best.best_speedup, best.best_mode
                        ));
                    }
                }
                Err(why) => {
                    app.view.status = Some(format!("benchmark failed: {why}"));
                    bench.error = Some(why);
                }
            }
            None
        }
        Msg::HistoryWritten(outcome) => {
            super::session_history::written(app, outcome);
            None
        }
        Msg::EditorClosed(result) => {
            if let Err(why) = result {
                app.view.status = Some(why);
            }
            Some(Effect::Reload { generation: app.model.reload.start() })
        }
        Msg::Signal(_) => Some(Effect::Quit),
        Msg::Suspend => Some(Effect::Suspend),
        // A run going on while the process was stopped timed the stop too: it is dropped.
        // The message fits 80 columns, so `b reruns` is never cut off.
        Msg::Continued => Some(Effect::Resume {
            cancel_bench: stop_bench(app, "benchmark cancelled: irtop was stopped while it ran; b reruns"),
        }),
        Msg::InputFailed(why) => {
            app.view.status = Some(format!("cannot read the terminal: {why}"));
            Some(Effect::Quit)
        }
        Msg::Tick => {
            app.view.spinner = app.view.spinner.wrapping_add(1);
            None
        }
    }
}

fn on_key(app: &mut App, key: KeyEvent) -> Option<Effect> {
    app.relayout();
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('q')) {
        return Some(Effect::Quit);
    }
    if ctrl && key.code == KeyCode::Char('z') {
        // In raw mode the terminal sends Ctrl-Z as a key, not as SIGTSTP.
        return Some(Effect::Suspend);
    }
    if let Some(overlay) = &app.view.overlay {
        let page = (app.view.size.1 as usize / 2).max(1);
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Backspace => app.view.overlay = None,
            KeyCode::Char('?') if *overlay == Overlay::Help => app.view.overlay = None,
            KeyCode::Enter if *overlay != Overlay::Help => app.view.overlay = None,
            KeyCode::Down | KeyCode::Char('j') => app.view.overlay_scroll += 1,
            KeyCode::Up | KeyCode::Char('k') => app.view.overlay_scroll = app.view.overlay_scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => app.view.overlay_scroll += page,
            KeyCode::PageUp => app.view.overlay_scroll = app.view.overlay_scroll.saturating_sub(page),
            KeyCode::Home | KeyCode::Char('g') => app.view.overlay_scroll = 0,
            KeyCode::End | KeyCode::Char('G') => app.view.overlay_scroll = usize::MAX,
            _ => {}
        }
        clamp_overlay_scroll(app);
        return None;
    }
    if super::search::on_key(app, key) || super::save_diff::on_key(app, key) {
        return None;
    }
    app.view.status = None;
    let page = app.list_height(app.view.focus).saturating_sub(1).max(1);
    match key.code {
        KeyCode::Char('q') => return Some(Effect::Quit),
        KeyCode::Char('?') => {
            app.view.overlay = Some(Overlay::Help);
            app.view.overlay_scroll = 0;
        }
        KeyCode::Tab => app.view.focus = app.view.focus.next(),
        KeyCode::BackTab => app.view.focus = app.view.focus.prev(),
        KeyCode::Char(c @ '1'..='5') => app.view.focus = Pane::ALL[c as usize - '1' as usize],
        KeyCode::Char('e') => return Some(Effect::OpenEditor),
        KeyCode::Char('f') => return super::freeze::toggle(app),
        KeyCode::Char('r') if app.model.freeze.on => {
            app.view.status = Some("frozen: f unfreezes and loads the latest version".into());
        }
        KeyCode::Char('r') => return Some(Effect::Reload { generation: app.model.reload.start() }),
        KeyCode::Char('b') => return start_bench(app, false),
        KeyCode::Char('a') => toggle_auto_bench(app),
        KeyCode::Char('w') => return super::session_history::request(app),
        KeyCode::Esc if app.model.bench.running.is_none() && app.view.zoomed => set_zoom(app, false),
        KeyCode::Esc => return cancel_bench(app),
        KeyCode::Char('z') => set_zoom(app, !app.view.zoomed),
        KeyCode::Char('+') | KeyCode::Char('=') => {
            let b = &mut app.model.bench;
            let asked = b.threads + 1;
            b.threads = asked.min(MAX_THREADS);
            // Said, not silently clamped or silently oversubscribed.
            if asked > MAX_THREADS {
                app.view.status = Some(format!("at most {MAX_THREADS} threads (as --threads)"));
            } else if b.threads > b.cores {
                let cores = crate::units::count(b.cores, "core");
                app.view.status = Some(format!(
                    "{} threads on {cores}: they take turns, so no speedup passes {}x",
                    b.threads, b.cores
                ));
            }
        }
        KeyCode::Char('-') | KeyCode::Char('_') => {
            let b = &mut app.model.bench;
            b.threads = b.threads.saturating_sub(1).max(1);
        }
        KeyCode::Char('m') => app.model.bench.mode = app.model.bench.mode.next(),
        KeyCode::Char('M') => app.model.bench.mode = app.model.bench.mode.prev(),
        KeyCode::Char('c') => toggle_chart(app),
        KeyCode::Char('s') if app.view.focus == Pane::Groups => {
            let height = app.list_height(Pane::Groups);
            app.view.groups.next_sort(&app.model.snapshot.analysis.groups, height);
        }
        KeyCode::Char('S') if app.view.focus == Pane::Groups => {
            let height = app.list_height(Pane::Groups);
            app.view.groups.reverse_sort(&app.model.snapshot.analysis.groups, height);
        }
        KeyCode::Enter => enter(app),
        KeyCode::Char(' ') if app.view.focus == Pane::Levels => toggle_body(app),
        KeyCode::Up | KeyCode::Char('k') => navigate(app, app.view.focus, Nav::Up(1)),
        KeyCode::Down | KeyCode::Char('j') => navigate(app, app.view.focus, Nav::Down(1)),
        KeyCode::Left | KeyCode::Char('h') => navigate(app, app.view.focus, Nav::Left),
        KeyCode::Right | KeyCode::Char('l') => navigate(app, app.view.focus, Nav::Right),
        KeyCode::PageUp => navigate(app, app.view.focus, Nav::Up(page)),
        KeyCode::PageDown => navigate(app, app.view.focus, Nav::Down(page)),
        KeyCode::Home | KeyCode::Char('g') => navigate(app, app.view.focus, Nav::Home),
        KeyCode::End | KeyCode::Char('G') => navigate(app, app.view.focus, Nav::End),
        _ => {}
    }
    None
}

fn on_mouse(app: &mut App, mouse: MouseEvent) -> Option<Effect> {
    let scroll = match mouse.kind {
        MouseEventKind::ScrollDown => Some(Nav::Down(1)),
        MouseEventKind::ScrollUp => Some(Nav::Up(1)),
        MouseEventKind::Down(MouseButton::Left) => None,
        _ => return None,
    };
    if app.view.overlay.is_some() {
        match scroll {
            Some(Nav::Down(n)) => app.view.overlay_scroll += n,
            Some(_) => app.view.overlay_scroll = app.view.overlay_scroll.saturating_sub(1),
            None => {}
        }
        clamp_overlay_scroll(app);
        return None;
    }
    app.relayout();
    let pane = app.view.layout.as_ref().and_then(|a| a.pane_at(mouse.column, mouse.row))?;
    match scroll {
        Some(nav) => navigate(app, pane, nav),
        None => {
            app.view.focus = pane;
            click_row(app, pane, mouse.row);
        }
    }
    None
}

/// A click on terminal row `y` of `pane` selects the list row drawn there (the levels, the
/// critical path, the groups, the findings); a click on a border or a heading only focuses.
fn click_row(app: &mut App, pane: Pane, y: u16) {
    let Some(rect) = app.view.layout.as_ref().and_then(|a| a.pane(pane)) else { return };
    // Rows above the list: the top border, and the column heading or the chain line.
    let top = rect.y + if pane == Pane::Diagnostics { 1 } else { 2 };
    if y < top || y + 1 >= rect.bottom() {
        return;
    }
    let below = (y - top) as usize;
    let height = app.list_height(pane);
    let (ir, a) = (&app.model.snapshot.ir, &app.model.snapshot.analysis);
    let v = &mut app.view;
    match pane {
        Pane::Levels => {
            let row = v.levels.selection.offset + below;
            v.levels.click_row(ir, a, row, height);
        }
        Pane::CriticalPath => {
            let row = v.path.selection.offset + below;
            let at = v.path.selection.row;
            if row < a.critical_path.nodes.len() {
                let nav = if row >= at { Nav::Down(row - at) } else { Nav::Up(at - row) };
                v.path.navigate(ir, &a.critical_path.nodes, nav, height);
            }
        }
        Pane::Groups => v.groups.click_row(&a.groups, v.groups.offset + below, height),
        Pane::Diagnostics => {
            // The selected finding may take several lines; a click below it is taken as the
            // finding drawn there only when none above is wrapped.
            let row = v.diagnostics.offset + below;
            if row < a.diagnostics.len() && (row <= v.diagnostics.selected || v.focus != Pane::Diagnostics) {
                v.diagnostics.selected = row;
                v.diagnostics.clamp(a.diagnostics.len(), height);
            }
        }
        Pane::Bench => {}
    }
}

/// Keeps the open window's scroll at or above its end, so that a key up after many keys
/// down moves the text at once.
fn clamp_overlay_scroll(app: &mut App) {
    let area = Rect::new(0, 0, app.view.size.0, app.view.size.1);
    let max = match &app.view.overlay {
        Some(Overlay::Help) => super::panes::help::max_scroll(app, area),
        Some(Overlay::Details(id)) => super::panes::details::max_scroll(app, id, area),
        None => 0,
    };
    app.view.overlay_scroll = app.view.overlay_scroll.min(max);
}

/// A movement key for `pane`: its state knows what the key means there.
fn navigate(app: &mut App, pane: Pane, nav: Nav) {
    let height = app.list_height(pane);
    let (ir, a) = (&app.model.snapshot.ir, &app.model.snapshot.analysis);
    let v = &mut app.view;
    match pane {
        Pane::Levels => v.levels.navigate(ir, a, nav, height),
        Pane::CriticalPath => v.path.navigate(ir, &a.critical_path.nodes, nav, height),
        Pane::Groups => v.groups.navigate(&a.groups, nav, height),
        Pane::Diagnostics => v.diagnostics.navigate(nav, a.diagnostics.len(), height),
        Pane::Bench => {
            let max = bench_max_scroll(app);
            let v = &mut app.view;
            let at = v.bench_scroll.min(max);
            v.bench_scroll = match nav {
                Nav::Up(n) => at.saturating_sub(n),
                Nav::Down(n) => (at + n).min(max),
                Nav::Home => 0,
                Nav::End => max,
                Nav::Left | Nav::Right => at,
            };
        }
    }
}

/// How far the benchmark pane's body scrolls on the current screen (0 when it fits or the
/// pane is hidden).
fn bench_max_scroll(app: &App) -> usize {
    let pane = app.view.layout.as_ref().and_then(|a| a.pane(Pane::Bench));
    pane.map_or(0, |p| BenchPane::new(app).max_scroll(p))
}

/// Enter: details of the selected op; on a group, its level; on a finding, its node.
fn enter(app: &mut App) {
    match app.view.focus {
        Pane::Levels => {
            if let Some(id) = app.view.levels.selection.id.clone() {
                app.open_details(id);
            }
        }
        Pane::CriticalPath => {
            if let Some(id) = app.view.path.selection.id.clone() {
                app.open_details(id);
            }
        }
        Pane::Groups => {
            let height = app.list_height(Pane::Levels);
            let (ir, a) = (&app.model.snapshot.ir, &app.model.snapshot.analysis);
            if app.view.levels.select_level(ir, a, app.view.groups.selected, height) {
                app.view.focus = Pane::Levels;
            }
        }
        Pane::Diagnostics => {
            let s = &app.model.snapshot;
            let node = s.analysis.diagnostics.get(app.view.diagnostics.selected).and_then(|d| d.node.clone());
            match node {
                Some(id) if locate(&s.ir, &s.analysis, &id).is_some() => app.open_details(id),
                Some(id) => app.view.status = Some(format!("{id} is not an op of this IR")),
                None => app.view.status = Some("this finding is about the whole IR, not one op".into()),
            }
        }
        Pane::Bench => {}
    }
}

/// Space in the levels pane: open or close the selected loop's body.
fn toggle_body(app: &mut App) {
    let height = app.list_height(Pane::Levels);
    let (ir, a) = (&app.model.snapshot.ir, &app.model.snapshot.analysis);
    if let Some(why) = app.view.levels.toggle_body(ir, a, height) {
        app.view.status = Some(why);
    }
}

/// Starts a benchmark of the version on screen (`b`, or a save with auto-bench on), asking
/// the one in flight, if any, to stop.
fn start_bench(app: &mut App, on_save: bool) -> Option<Effect> {
    let bench = &mut app.model.bench;
    let generation = bench.job.start();
    let (threads, mode) = (bench.threads, bench.mode);
    let version = app.model.version;
    let label = String::new();
    bench.running = Some(BenchRun { generation, progress: 0.0, label, threads, mode, version, on_save });
    bench.error = None;
    if app.model.problem.is_some() {
        app.view.status = Some(BENCH_ON_STALE.into());
    }
    Some(Effect::StartBench { generation, threads, mode })
}

/// `a`: auto-bench on save, on or off; says what it does.
fn toggle_auto_bench(app: &mut App) {
    let bench = &mut app.model.bench;
    bench.auto_on_save = !bench.auto_on_save;
    app.view.status = Some(if !bench.auto_on_save {
        "auto-bench off: saves are not measured".into()
    } else if app.model.freeze.on {
        "auto-bench on: frozen, so saves are measured once f unfreezes".into()
    } else {
        "auto-bench on: each save is benchmarked (a newer save restarts the run); a turns it off".into()
    });
}

/// `c`: the benchmark pane shows the timeline or the speedup curve where only one fits; says
/// so when the pane is hidden or already shows both.
fn toggle_chart(app: &mut App) {
    app.view.bench_chart = app.view.bench_chart.toggled();
    app.relayout();
    let pane = app.view.layout.as_ref().and_then(|a| a.pane(Pane::Bench));
    let what = match app.view.bench_chart {
        BenchChart::Timeline => "the timeline",
        BenchChart::Curve => "the speedup curve",
    };
    match pane.map(|p| BenchPane::new(app).shown(p)) {
        None => app.view.status = Some(format!("the benchmark pane (4) shows {what} now")),
        Some(Some(Shown::Both)) => {
            app.view.status = Some("the timeline and the speedup curve are both on screen".into());
        }
        Some(_) => {
            // A pane too short for everything scrolls to the chart just picked (it is last).
            app.view.bench_scroll = bench_max_scroll(app);
        }
    }
}

/// `z`: the focused pane fills the screen, or goes back to its place; the lists keep
/// their selection in view at the new height.
fn set_zoom(app: &mut App, on: bool) {
    app.view.zoomed = on;
    app.keep_place();
}

fn cancel_bench(app: &mut App) -> Option<Effect> {
    stop_bench(app, "benchmark cancelled").map(|generation| Effect::CancelBench { generation })
}

/// Forgets the benchmark run in flight, saying `why`; its generation, for the job to cancel.
fn stop_bench(app: &mut App, why: &str) -> Option<u64> {
    let bench = &mut app.model.bench;
    let run = bench.running.take()?;
    bench.job.pending = false;
    app.view.status = Some(why.into());
    Some(run.generation)
}

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
use super::rows::{LevelRow, find_op_near, level_rows, locate};
use super::theme::Theme;
use super::view::{BenchChart, GroupKey, ListPlace, Overlay, Pane, ViewState, visible_offset};

/// The status line while a benchmark runs on the last good analysis of a broken file; it
/// clears when the file loads again.
const BENCH_ON_STALE: &str = "the file on disk does not load: benchmarking the last good analysis";

/// Most threads the `+` key goes to: [`crate::limits::MAX_THREADS`], as `--threads`.
pub const MAX_THREADS: usize = crate::limits::MAX_THREADS;

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
        level_rows(&s.ir, &s.analysis, &self.view.expanded)
    }

    /// The selected op's id in the levels pane.
    pub fn selected_op(&self) -> Option<&str> {
        self.view.levels.id.as_deref()
    }

    /// Group indices in the table's current order.
    pub fn sorted_groups(&self) -> Vec<usize> {
        super::panes::groups::sorted(&self.model.snapshot.analysis.groups, self.view.group_sort)
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
        self.levels_move(|_, r, c, _| (r, c));
        self.path_move(|i, _| i);
        let groups = self.model.snapshot.analysis.groups.len();
        self.view.group = self.view.group.min(groups.saturating_sub(1));
        self.groups_move(0);
        let n = self.model.snapshot.analysis.diagnostics.len();
        let h = self.list_height(Pane::Diagnostics);
        self.view.diagnostics.clamp(n, h);
    }

    /// Moves the levels selection: `f(rows, row, col, sticky col)` gives the new `(row, col)`.
    fn levels_move(&mut self, f: impl FnOnce(&[LevelRow<'_>], usize, usize, usize) -> (usize, usize)) {
        let height = self.list_height(Pane::Levels);
        let sel = &self.view.levels;
        let (picked, len) = {
            let rows = self.level_rows();
            if rows.is_empty() {
                (None, 0)
            } else {
                let (r, c) = sel.id.as_deref().and_then(|id| find_op_near(&rows, id, sel.row)).unwrap_or_else(|| {
                    let r = sel.row.min(rows.len() - 1);
                    (r, sel.col.min(rows[r].len().saturating_sub(1)))
                });
                let (r, c) = f(&rows, r, c, sel.col);
                let r = r.min(rows.len() - 1);
                let c = c.min(rows[r].len().saturating_sub(1));
                ((c < rows[r].len()).then(|| (rows[r].op(c).id.to_owned(), r, c)), rows.len())
            }
        };
        let sel = &mut self.view.levels;
        match picked {
            Some((id, r, _)) => {
                sel.id = Some(id);
                sel.row = r;
            }
            None => *sel = Default::default(),
        }
        sel.offset = visible_offset(sel.offset, sel.row, height, len);
    }

    /// Moves the critical-path selection: `f(index, len)` gives the new index.
    fn path_move(&mut self, f: impl FnOnce(usize, usize) -> usize) {
        let height = self.list_height(Pane::CriticalPath);
        let s = &self.model.snapshot;
        let path = &s.analysis.critical_path.nodes;
        let sel = &mut self.view.path;
        if path.is_empty() {
            *sel = Default::default();
            return;
        }
        let i = sel
            .id
            .as_deref()
            .and_then(|id| path.iter().position(|&n| s.ir.node(n).id == id))
            .unwrap_or(sel.row.min(path.len() - 1));
        let i = f(i, path.len()).min(path.len() - 1);
        sel.id = Some(s.ir.node(path[i]).id.clone());
        sel.row = i;
        sel.offset = visible_offset(sel.offset, i, height, path.len());
    }

    /// Moves the group selection by `delta` rows in the table's order.
    fn groups_move(&mut self, delta: isize) {
        let height = self.list_height(Pane::Groups);
        let order = self.sorted_groups();
        if order.is_empty() {
            self.view.group = 0;
            self.view.group_offset = 0;
            return;
        }
        let at = order.iter().position(|&g| g == self.view.group).unwrap_or(0);
        let at = at.saturating_add_signed(delta).min(order.len() - 1);
        self.view.group = order[at];
        self.view.group_offset = visible_offset(self.view.group_offset, at, height, order.len());
    }

    /// Selects op `id` in the levels pane, opening the loops and blocks around it, and
    /// focuses the pane (search uses this).
    pub(crate) fn select_op(&mut self, id: &str) {
        let parents: Vec<String> = {
            let s = &self.model.snapshot;
            match locate(&s.ir, &s.analysis, id) {
                Some(found) => found.parents.iter().map(|&(p, _)| p.to_owned()).collect(),
                None => return,
            }
        };
        self.view.expanded.extend(parents);
        self.view.levels.id = Some(id.to_owned());
        self.view.focus = Pane::Levels;
        self.levels_move(|_, r, c, _| (r, c));
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
                    app.model.saves.saved(&app.model.snapshot, &snapshot);
                    // The old snapshot goes first, then the delivery token: the reload
                    // worker waits for the token before it builds the next analysis.
                    let delivered = snapshot.delivery.take();
                    app.model.snapshot = snapshot;
                    app.model.version += 1;
                    drop(delivered);
                    app.model.problem = None;
                    super::search::after_reload(app);
                    if app.view.status.as_deref() == Some(BENCH_ON_STALE) {
                        app.view.status = None;
                    }
                    app.keep_place();
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
                    let best = report.best_parallel();
                    bench.history.push(BenchRecord {
                        best_speedup: best.map_or(1.0, |m| m.speedup),
                        best_mode: best.map_or(crate::exec::Mode::SEQ, |m| m.mode),
                        predicted: report.predicted.groggy,
                        threads: report.measured.threads,
                    });
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
        Msg::EditorClosed(result) => {
            if let Err(why) = result {
                app.view.status = Some(why);
            }
            Some(Effect::Reload { generation: app.model.reload.start() })
        }
        Msg::Signal(_) => Some(Effect::Quit),
        Msg::Suspend => Some(Effect::Suspend),
        Msg::Continued => Some(Effect::Resume),
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

/// A movement key, independent of the pane it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nav {
    Up(usize),
    Down(usize),
    Left,
    Right,
    Home,
    End,
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
            _ => {}
        }
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
        KeyCode::Char('b') => return start_bench(app),
        KeyCode::Esc => return cancel_bench(app),
        KeyCode::Char('+') | KeyCode::Char('=') => {
            let b = &mut app.model.bench;
            b.threads = (b.threads + 1).min(MAX_THREADS);
        }
        KeyCode::Char('-') | KeyCode::Char('_') => {
            let b = &mut app.model.bench;
            b.threads = b.threads.saturating_sub(1).max(1);
        }
        KeyCode::Char('m') => app.model.bench.mode = app.model.bench.mode.next(),
        KeyCode::Char('M') => app.model.bench.mode = app.model.bench.mode.prev(),
        KeyCode::Char('c') => toggle_chart(app),
        KeyCode::Char('s') if app.view.focus == Pane::Groups => {
            app.view.group_sort.key = app.view.group_sort.key.next();
            app.view.group_sort.descending = app.view.group_sort.key != GroupKey::Index;
            app.groups_move(0);
        }
        KeyCode::Char('S') if app.view.focus == Pane::Groups => {
            app.view.group_sort.descending = !app.view.group_sort.descending;
            app.groups_move(0);
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
        return None;
    }
    app.relayout();
    let pane = app.view.layout.as_ref().and_then(|a| a.pane_at(mouse.column, mouse.row))?;
    match scroll {
        Some(nav) => navigate(app, pane, nav),
        None => app.view.focus = pane,
    }
    None
}

fn navigate(app: &mut App, pane: Pane, nav: Nav) {
    match pane {
        Pane::Levels => app.levels_move(|rows, r, c, sticky| match nav {
            Nav::Up(n) => (r.saturating_sub(n), sticky),
            Nav::Down(n) => (r + n, sticky),
            Nav::Left => (r, c.saturating_sub(1)),
            Nav::Right => (r, c + 1),
            Nav::Home => (0, 0),
            Nav::End => (rows.len().saturating_sub(1), 0),
        }),
        Pane::CriticalPath => app.path_move(|i, len| match nav {
            Nav::Up(n) => i.saturating_sub(n),
            Nav::Down(n) => i + n,
            Nav::Home => 0,
            Nav::End => len,
            Nav::Left | Nav::Right => i,
        }),
        Pane::Groups => match nav {
            Nav::Up(n) => app.groups_move(-(n as isize)),
            Nav::Down(n) => app.groups_move(n as isize),
            Nav::Home => app.groups_move(isize::MIN / 2),
            Nav::End => app.groups_move(isize::MAX / 2),
            Nav::Left | Nav::Right => {}
        },
        Pane::Diagnostics => {
            let n = app.model.snapshot.analysis.diagnostics.len();
            let h = app.list_height(Pane::Diagnostics);
            let place: &mut ListPlace = &mut app.view.diagnostics;
            match nav {
                Nav::Up(k) => place.step(-(k as isize), n, h),
                Nav::Down(k) => place.step(k as isize, n, h),
                Nav::Home => place.step(isize::MIN / 2, n, h),
                Nav::End => place.step(isize::MAX / 2, n, h),
                Nav::Left | Nav::Right => {}
            }
        }
        Pane::Bench => {}
    }
    if matches!(nav, Nav::Left | Nav::Right | Nav::Home | Nav::End) && pane == Pane::Levels {
        let col = {
            let rows = app.level_rows();
            app.selected_op().and_then(|id| find_op_near(&rows, id, app.view.levels.row)).map_or(0, |(_, c)| c)
        };
        app.view.levels.col = col;
    }
}

/// Enter: details of the selected op; on a group, its level; on a finding, its node.
fn enter(app: &mut App) {
    match app.view.focus {
        Pane::Levels => {
            if let Some(id) = app.view.levels.id.clone() {
                app.open_details(id);
            }
        }
        Pane::CriticalPath => {
            if let Some(id) = app.view.path.id.clone() {
                app.open_details(id);
            }
        }
        Pane::Groups => {
            let level = app.view.group;
            let first = {
                let rows = app.level_rows();
                rows.iter()
                    .position(|r| r.owner.is_none() && r.level == level)
                    .map(|r| (r, rows[r].op(0).id.to_owned()))
            };
            if let Some((row, id)) = first {
                app.view.levels.id = Some(id);
                app.view.levels.row = row;
                app.view.levels.col = 0;
                app.view.focus = Pane::Levels;
                app.levels_move(|_, r, c, _| (r, c));
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

/// Space in the levels pane: open or close the selected loop's body; on an op inside a
/// body, close that body and select its loop.
fn toggle_body(app: &mut App) {
    let (target, owner) = {
        let rows = app.level_rows();
        let Some((r, c)) = app.selected_op().and_then(|id| find_op_near(&rows, id, app.view.levels.row)) else {
            return;
        };
        let op = rows[r].op(c);
        (op.body.map(|_| op.id.to_owned()), rows[r].owner.map(str::to_owned))
    };
    match (target, owner) {
        (Some(id), _) => {
            if !app.view.expanded.remove(&id) {
                app.view.expanded.insert(id);
            }
        }
        (None, Some(owner)) => {
            app.view.expanded.remove(&owner);
            app.view.levels.id = Some(owner);
        }
        (None, None) => {
            app.view.status = Some("Space opens a loop or block (its ops have ▸); this op has no body".into());
            return;
        }
    }
    app.levels_move(|_, r, c, _| (r, c));
}

fn start_bench(app: &mut App) -> Option<Effect> {
    let bench = &mut app.model.bench;
    let generation = bench.job.start();
    let (threads, mode) = (bench.threads, bench.mode);
    let version = app.model.version;
    bench.running = Some(BenchRun { generation, progress: 0.0, label: String::new(), threads, mode, version });
    bench.error = None;
    if app.model.problem.is_some() {
        app.view.status = Some(BENCH_ON_STALE.into());
    }
    Some(Effect::StartBench { generation, threads, mode })
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
        Some(_) => {}
    }
}

fn cancel_bench(app: &mut App) -> Option<Effect> {
    let bench = &mut app.model.bench;
    let run = bench.running.take()?;
    bench.job.pending = false;
    app.view.status = Some("benchmark cancelled".into());
    Some(Effect::CancelBench { generation: run.generation })
}

//! The event loop: `recv -> update -> draw`, and the effects `update` asks for (reload,
//! start or cancel a benchmark, open the editor, quit).
//!
//! The loop blocks on the channel; only while something animates (a reload or a benchmark
//! in flight) does it wake on a timeout to advance the spinner, so an idle TUI uses no CPU.

use std::path::Path;
use std::process::Command;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::app::{App, update};
use super::bench_job::{self, BenchRequest};
use super::clock::WallTime;
use super::effect::Effect;
use super::input::Input;
use super::msg::Msg;
use super::reload_job::{self, load_snapshot_with};
use super::terminal::TerminalGuard;
use super::watcher::{DEBOUNCE, watch};
use super::{Options, TuiError, signals, ui};

/// Spinner frame time.
const TICK: Duration = Duration::from_millis(100);

/// Runs the TUI on `path` until the user quits. See [`super::run`].
pub(crate) fn run(path: &Path, options: Options) -> Result<(), TuiError> {
    // Load before touching the terminal: a bad file is a plain error message. A file not
    // created yet, in a directory that exists, is waited for like a deleted one.
    let (snapshot, missing) = match load_snapshot_with(path, WallTime::now(), &options.limits) {
        Ok(snapshot) => (snapshot, false),
        Err(crate::ir::LoadError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound && directory_exists(path) =>
        {
            (empty_snapshot(path), true)
        }
        Err(e) => return Err(e.into()),
    };
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut app = App::new(path.to_owned(), snapshot, options.threads, options.theme);
    if missing {
        app.model.problem = Some(super::model::FileProblem::NotCreated);
    }
    app.model.bench.graph = options.graph;
    app.view.zone = super::clock::Zone::local_at(WallTime::now());
    let watcher = match watch(path, tx.clone(), DEBOUNCE) {
        Ok(w) => Some(w),
        Err(e) => {
            update(&mut app, Msg::WatchFailed(e.to_string()));
            None
        }
    };
    let reloader = reload_job::spawn(path.to_owned(), tx.clone(), options.limits)?;
    let bench = bench_job::spawn(options.bench, tx.clone())?;
    let _signals = signals::forward(tx.clone())?;

    let mut guard = TerminalGuard::enter()?;
    let input = Input::spawn(tx.clone())?;
    let size = guard.terminal.size()?;
    update(&mut app, Msg::Resize(size.width, size.height));
    let mut last_tick = Instant::now();
    loop {
        guard.terminal.draw(|frame| ui::draw(frame, &app))?;
        let first = if app.is_animating() {
            match rx.recv_timeout(TICK.saturating_sub(last_tick.elapsed())) {
                Ok(msg) => Some(msg),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match rx.recv() {
                Ok(msg) => Some(msg),
                Err(_) => return Ok(()),
            }
        };
        // Everything already queued is handled before the next draw.
        let mut batch: Vec<Msg> = first.into_iter().chain(rx.try_iter()).collect();
        if app.is_animating() && last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            batch.push(Msg::Tick);
        }
        for msg in batch {
            panic_if_asked(&msg);
            let ending = match &msg {
                Msg::InputFailed(why) => Err(TuiError::Input(why.clone())),
                Msg::Signal(signal) => Err(TuiError::Signal(*signal)),
                _ => Ok(()),
            };
            let msg = match msg {
                // A result that came too late is freed by the reload worker, not here.
                Msg::Analysed { generation, outcome: Ok(snapshot) } if !app.model.reload.is_current(generation) => {
                    reloader.free(snapshot);
                    continue;
                }
                // The snapshot leaving the screen is freed by the reload worker too (its
                // share is handed over before `update` drops the model's).
                Msg::Analysed { generation, outcome: Ok(snapshot) } => {
                    reloader.free(app.model.snapshot.clone());
                    Msg::Analysed { generation, outcome: Ok(snapshot) }
                }
                other => other,
            };
            let Some(effect) = update(&mut app, msg) else { continue };
            match effect {
                Effect::Quit => {
                    drop(guard);
                    return ending;
                }
                Effect::Reload { generation } => {
                    reloader.start(generation, ());
                    // `r` (and every reload) also checks that the directory is still watched.
                    if let Some(w) = &watcher {
                        w.recheck();
                    }
                }
                Effect::StartBench { generation, threads, mode } => {
                    let s = &app.model.snapshot;
                    let request = BenchRequest {
                        path: path.to_owned(),
                        ir: s.ir.clone(),
                        analysis: s.analysis.clone(),
                        threads,
                        mode,
                    };
                    bench.start(generation, request);
                }
                Effect::CancelBench { generation } => bench.cancel(generation),
                Effect::WriteHistory { path, text } => {
                    // A small file: written here, before the next draw.
                    let outcome = super::session_history::write(&path, &text);
                    update(&mut app, Msg::HistoryWritten(outcome));
                }
                Effect::Suspend | Effect::Resume { .. } => {
                    if let Effect::Resume { cancel_bench: Some(generation) } = effect {
                        bench.cancel(generation);
                    }
                    // Stopped, the window may have changed size: take it as it is now.
                    input.pause();
                    let resumed = if effect == Effect::Suspend { guard.stop_process() } else { guard.retake() };
                    input.resume();
                    resumed?;
                    let size = guard.terminal.size()?;
                    update(&mut app, Msg::Resize(size.width, size.height));
                }
                Effect::OpenEditor => {
                    let result = edit(&mut guard, &input, path);
                    let _ = tx.send(Msg::EditorClosed(result));
                }
            }
        }
    }
}

/// True when the directory `path` would be in exists.
fn directory_exists(path: &Path) -> bool {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    dir.is_dir()
}

/// An IR with no ops, on screen until a file that does not exist yet is saved.
fn empty_snapshot(path: &Path) -> super::model::Snapshot {
    let ir = crate::ir::load_bytes(br#"{"name": "", "nodes": []}"#, path).expect("an empty IR loads");
    let analysis = crate::analysis::analyze_with(&ir, crate::analysis::SequentialPlanBuild::OnFirstUse);
    super::model::Snapshot::new(ir, analysis, WallTime::now())
}

/// The test hook of the end-to-end tests: with `IRTOP_TEST_PANIC_KEY=1` in the environment,
/// the `!` key panics on the UI thread, so that they can check the panic hook restores the
/// terminal in a real one.
fn panic_if_asked(msg: &Msg) {
    if let Msg::Key(k) = msg
        && k.code == ratatui::crossterm::event::KeyCode::Char('!')
        && std::env::var_os("IRTOP_TEST_PANIC_KEY").is_some()
    {
        panic!("IRTOP_TEST_PANIC_KEY is set and `!` was pressed");
    }
}

/// Runs `$VISUAL` or `$EDITOR` (or `vi`) on `path` with the terminal handed over to it.
fn edit(guard: &mut TerminalGuard, input: &Input, path: &Path) -> Result<(), String> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned());
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    input.pause();
    guard.suspend();
    // While it runs, quit signals go to the editor first (see `signals`).
    let foreground = signals::ForegroundChild::starting();
    let status = Command::new(program).args(words).arg(path).spawn().and_then(|mut child| {
        foreground.started(child.id());
        child.wait()
    });
    drop(foreground);
    let resumed = guard.resume();
    input.resume();
    resumed.map_err(|e| format!("cannot take the terminal back: {e}"))?;
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("`{editor}` exited with {s}")),
        Err(e) => Err(format!("cannot start `{editor}`: {e} (set $EDITOR)")),
    }
}

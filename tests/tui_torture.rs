//! Live reload and terminal safety under abuse. Through the real watcher and reload worker
//! (no terminal): 1,000 saves in a burst, 1,000 saves by rename, deletes and recreates, a
//! save that leaves the file empty for a moment, and all of them mixed; the state always
//! ends on the last content, with no error banner. Then the real binary in tmux: the same
//! saves while the screen is watched, then SIGTERM, SIGHUP, SIGINT, Ctrl-C and a panic, each
//! of which must leave the terminal in canonical mode and off the alternate screen.
//! The tmux tests are skipped when tmux is absent.

mod tmux_support;
mod tui_support;

use std::io::Write;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use irtop::limits::Limits;
use irtop::tui::job::LatestJob;
use irtop::tui::reload_job;
use irtop::tui::watcher::{DEBOUNCE, FileWatcher, watch};
use irtop::tui::{App, Effect, Msg, update};
use tmux_support::{
    HANG, TempDir, Tmux, alive, assert_restored, chain, command_line, exited, read_pid, save_by_rename, tmux_installed,
};

/// The app, the watcher and the reload worker on a file in a fresh directory.
struct Pipeline {
    _dir: TempDir,
    file: std::path::PathBuf,
    app: App,
    rx: Receiver<Msg>,
    reloader: LatestJob<()>,
    _watcher: FileWatcher,
    reloads: usize,
}

impl Pipeline {
    fn new(test: &str) -> Pipeline {
        let dir = TempDir::new(test);
        let file = dir.0.join("ir.json");
        std::fs::write(&file, chain("start", 2)).unwrap();
        let mut app = tui_support::app("diamond", 160, 48);
        app.model.path = file.clone();
        let (tx, rx) = mpsc::channel();
        let watcher = watch(&file, tx.clone(), DEBOUNCE).expect("watch");
        let reloader = reload_job::spawn(file.clone(), tx, Limits::default()).expect("reload worker");
        Pipeline { _dir: dir, file, app, rx, reloader, _watcher: watcher, reloads: 0 }
    }

    /// Handles every message that arrives, as the runtime does.
    fn pump(&mut self) {
        while let Ok(msg) = self.rx.try_recv() {
            self.handle(msg);
        }
    }

    fn handle(&mut self, msg: Msg) {
        if let Some(Effect::Reload { generation }) = update(&mut self.app, msg) {
            self.reloads += 1;
            self.reloader.start(generation, ());
        }
    }

    /// Handles messages until the state shows `name` with `levels` levels, no problem and no
    /// reload pending, then until a quiet second passes (a late message must not undo it);
    /// then checks the state. Waiting for the state rather than for quiet keeps a loaded
    /// machine (late events) from failing it; only a hang takes [`HANG`].
    fn settle_on(&mut self, name: &str, levels: usize) {
        let reached = |app: &irtop::tui::App| {
            let s = &app.model.snapshot;
            !app.model.reload.pending
                && app.model.problem.is_none()
                && (s.ir.name.as_str(), s.analysis.levels.levels.len()) == (name, levels)
        };
        let start = Instant::now();
        while !reached(&self.app) {
            match self.rx.recv_timeout(HANG.saturating_sub(start.elapsed())) {
                Ok(msg) => self.handle(msg),
                Err(_) => break,
            }
        }
        while let Ok(msg) = self.rx.recv_timeout(Duration::from_secs(1)) {
            self.handle(msg);
        }
        let s = &self.app.model.snapshot;
        assert_eq!(self.app.model.problem, None, "a banner remains");
        assert_eq!((s.ir.name.as_str(), s.analysis.levels.levels.len()), (name, levels), "stale content");
        let screen = tui_support::screen(&self.app);
        assert!(screen.contains(&format!("│ {levels} levels │")) && !screen.contains("STALE"), "{screen}");
    }
}

/// The contents of save `i`: its name and level count vary, so a stale state shows.
fn version(i: usize) -> (String, usize, String) {
    let name = format!("save-{i}");
    let levels = 2 + i % 9;
    let text = chain(&name, levels);
    (name, levels, text)
}

#[test]
fn a_thousand_saves_in_a_burst_end_on_the_last() {
    let mut p = Pipeline::new("burst");
    for i in 0..1000 {
        std::fs::write(&p.file, version(i).2).unwrap();
        // Now and then a pause longer than the debounce, so reloads run during the burst.
        if i % 100 == 99 {
            std::thread::sleep(DEBOUNCE * 2);
        }
        p.pump();
    }
    let (name, levels, _) = version(999);
    p.settle_on(&name, levels);
    eprintln!("1000 in-place saves: {} reloads", p.reloads);
}

#[test]
fn a_thousand_saves_by_rename_end_on_the_last() {
    let mut p = Pipeline::new("rename");
    for i in 0..1000 {
        save_by_rename(&p.file, &version(i).2);
        if i % 100 == 99 {
            std::thread::sleep(DEBOUNCE * 2);
        }
        p.pump();
    }
    let (name, levels, _) = version(999);
    p.settle_on(&name, levels);
}

#[test]
fn delete_then_recreate_resumes() {
    let mut p = Pipeline::new("recreate");
    for i in 0..20 {
        std::fs::remove_file(&p.file).unwrap();
        // Sometimes the deletion is seen (the banner says so), sometimes not.
        std::thread::sleep(if i % 2 == 0 { DEBOUNCE * 3 } else { Duration::ZERO });
        p.pump();
        std::fs::write(&p.file, version(i).2).unwrap();
    }
    let (name, levels, _) = version(19);
    p.settle_on(&name, levels);
}

#[test]
fn a_save_that_leaves_the_file_empty_for_a_moment() {
    let mut p = Pipeline::new("empty");
    for i in 0..10 {
        let mut f = std::fs::OpenOptions::new().write(true).truncate(true).open(&p.file).unwrap();
        // Long enough for a reload to see the empty file.
        std::thread::sleep(DEBOUNCE * 3);
        p.pump();
        let text = version(i).2;
        let (head, tail) = text.split_at(text.len() / 2);
        f.write_all(head.as_bytes()).unwrap();
        f.flush().unwrap();
        std::thread::sleep(DEBOUNCE / 4);
        f.write_all(tail.as_bytes()).unwrap();
        drop(f);
    }
    let (name, levels, _) = version(9);
    p.settle_on(&name, levels);
}

#[test]
fn every_kind_of_save_mixed() {
    let mut p = Pipeline::new("mixed");
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..1000 {
        let text = version(i).2;
        match next() % 6 {
            0 => save_by_rename(&p.file, &text),
            1 => {
                let _ = std::fs::remove_file(&p.file);
                std::fs::write(&p.file, &text).unwrap();
            }
            2 => {
                std::fs::write(&p.file, "").unwrap();
                std::fs::write(&p.file, &text).unwrap();
            }
            3 => {
                std::fs::write(&p.file, &text[..text.len() / 3]).and_then(|()| std::fs::write(&p.file, &text)).unwrap()
            }
            _ => std::fs::write(&p.file, &text).unwrap(),
        }
        if next() % 50 == 0 {
            std::thread::sleep(DEBOUNCE + Duration::from_millis(next() % 60));
        }
        p.pump();
    }
    let (name, levels, _) = version(999);
    p.settle_on(&name, levels);
}

/// The header's level count for a chain of `levels` ops.
fn shows(screen: &str, name: &str, levels: usize) -> bool {
    screen.contains(&format!("│ {levels} levels │")) && screen.contains(name) && !screen.contains("STALE")
}

#[test]
fn the_real_tui_survives_save_torture_and_quits_cleanly() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let dir = TempDir::new("tui");
    let file = dir.0.join("ir.json");
    let pid_file = dir.0.join("pid");
    std::fs::write(&file, chain("first", 3)).unwrap();
    let tmux = Tmux::new("tui");
    tmux.start(&command_line(&file, &pid_file, ""));
    let pid = read_pid(&pid_file);
    tmux.wait_for("the first version", |s| shows(s, "first", 3));

    // 1,000 in-place saves in a burst.
    for i in 0..1000 {
        std::fs::write(&file, version(i).2).unwrap();
    }
    let (name, levels, _) = version(999);
    tmux.wait_for("the last of 1,000 saves", |s| shows(s, &name, levels));

    // 300 saves by rename, with pauses so that reloads overlap the saves.
    for i in 1000..1300 {
        save_by_rename(&file, &version(i).2);
        if i % 50 == 0 {
            std::thread::sleep(DEBOUNCE * 2);
        }
    }
    let (name, levels, _) = version(1299);
    tmux.wait_for("the last rename save", |s| shows(s, &name, levels));

    // Delete: the banner says so and the last analysis stays; recreate: it resumes.
    std::fs::remove_file(&file).unwrap();
    let screen = tmux.wait_for("the deleted banner", |s| s.contains("was deleted"));
    assert!(screen.contains(&format!("│ {levels} levels │")), "{screen}");
    std::fs::write(&file, chain("recreated", 6)).unwrap();
    tmux.wait_for("the recreated file", |s| shows(s, "recreated", 6));

    // Empty for a moment (long enough to be loaded), then written in two halves.
    let mut f = std::fs::OpenOptions::new().write(true).truncate(true).open(&file).unwrap();
    tmux.wait_for("the empty-file banner", |s| s.contains("the file is empty"));
    let text = chain("refilled", 4);
    f.write_all(&text.as_bytes()[..text.len() / 2]).unwrap();
    f.flush().unwrap();
    std::thread::sleep(DEBOUNCE * 3);
    f.write_all(&text.as_bytes()[text.len() / 2..]).unwrap();
    drop(f);
    tmux.wait_for("the refilled file", |s| shows(s, "refilled", 4));
    assert!(alive(pid), "irtop died");

    tmux.keys("q");
    let screen = tmux.wait_for("irtop to exit", exited);
    assert_restored(&screen, "0");
}

/// Starts irtop on a sample in tmux, waits for the TUI, does `act` with its pid, and checks
/// the exit code and the terminal.
fn ends_cleanly(test: &str, env: &str, code: &str, act: impl FnOnce(&Tmux, u32)) -> String {
    let dir = TempDir::new(test);
    let file = dir.0.join("ir.json");
    let pid_file = dir.0.join("pid");
    std::fs::write(&file, chain("signals", 3)).unwrap();
    let tmux = Tmux::new(test);
    tmux.start(&command_line(&file, &pid_file, env));
    let pid = read_pid(&pid_file);
    tmux.wait_for("the TUI", |s| shows(s, "signals", 3));
    act(&tmux, pid);
    let screen = tmux.wait_for("irtop to exit", exited);
    assert_restored(&screen, code);
    assert!(!alive(pid), "irtop is still running");
    screen
}

fn kill(signal: &str, pid: u32) {
    let status = std::process::Command::new("kill").args([signal, &pid.to_string()]).status().expect("kill");
    assert!(status.success(), "kill {signal} {pid} failed");
}

#[test]
fn sigterm_sighup_and_sigint_restore_the_terminal() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let screen = ends_cleanly("sigterm", "", "143", |_, pid| kill("-TERM", pid));
    assert!(screen.contains("irtop: stopped by SIGTERM; the terminal is restored"), "{screen}");
    ends_cleanly("sighup", "", "129", |_, pid| kill("-HUP", pid));
    ends_cleanly("sigint", "", "130", |_, pid| kill("-INT", pid));
}

#[test]
fn ctrl_c_and_a_panic_restore_the_terminal() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    ends_cleanly("ctrl-c", "", "0", |tmux, _| tmux.keys("C-c"));
    let screen = ends_cleanly("panic", "IRTOP_TEST_PANIC_KEY=1", "101", |tmux, _| tmux.keys("!"));
    assert!(screen.contains("IRTOP_TEST_PANIC_KEY is set"), "the panic message is not shown:\n{screen}");
}

#[test]
fn under_no_color_the_panic_report_is_not_coloured() {
    if !tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let dir = TempDir::new("panic-no-color");
    let (file, pid_file) = (dir.0.join("ir.json"), dir.0.join("pid"));
    std::fs::write(&file, chain("signals", 3)).unwrap();
    let tmux = Tmux::new("panic-no-color");
    tmux.start(&command_line(&file, &pid_file, "NO_COLOR=1 IRTOP_TEST_PANIC_KEY=1"));
    read_pid(&pid_file);
    tmux.wait_for("the TUI", |s| shows(s, "signals", 3));
    tmux.keys("!");
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("IRTOP_TEST_PANIC_KEY is set"), "{screen}");
    // The screen with its attributes: the report's lines carry no colour codes.
    let raw = String::from_utf8_lossy(&tmux.run(&["capture-pane", "-p", "-e", "-t", "main"]).stdout).into_owned();
    let report = raw.lines().filter(|l| l.contains("Location") || l.contains("IRTOP_TEST_PANIC_KEY is set"));
    for line in report {
        assert!(!line.contains('\x1b'), "coloured under NO_COLOR: {line:?}");
    }
}

#[test]
fn a_signal_is_a_quit_message() {
    let mut app = tui_support::app("diamond", 120, 40);
    assert_eq!(update(&mut app, Msg::Signal(15)), Some(Effect::Quit));
    assert_eq!(irtop::tui::signals::exit_status(15), 143);
    assert_eq!(irtop::tui::signals::name(1), "SIGHUP");
}

#[test]
fn ctrl_z_and_job_control_signals_are_suspend_and_resume() {
    let mut app = tui_support::app("diamond", 120, 40);
    let ctrl_z = Msg::Key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('z'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    assert_eq!(update(&mut app, ctrl_z), Some(Effect::Suspend));
    assert_eq!(update(&mut app, Msg::Suspend), Some(Effect::Suspend));
    assert_eq!(update(&mut app, Msg::Continued), Some(Effect::Resume { cancel_bench: None }));
}

#[test]
fn a_benchmark_running_while_the_process_was_stopped_is_cancelled_on_continue() {
    // Ctrl-Z (or kill -STOP) mid-run: the stopped seconds would count in the run's times and
    // spend its budget, so the run is dropped, and the status line says why.
    let mut app = tui_support::app("diamond", 120, 40);
    let Some(Effect::StartBench { generation, .. }) = update(&mut app, tui_support::ch('b')) else {
        panic!("b starts a benchmark")
    };
    assert_eq!(update(&mut app, Msg::Suspend), Some(Effect::Suspend));
    assert_eq!(update(&mut app, Msg::Continued), Some(Effect::Resume { cancel_bench: Some(generation) }));
    assert!(app.model.bench.running.is_none(), "the run is forgotten");
    let screen = tui_support::screen(&app);
    assert!(screen.contains("benchmark cancelled: irtop was stopped while it ran"), "{screen}");
    // Nothing is running any more: the next continue has nothing to cancel.
    assert_eq!(update(&mut app, Msg::Continued), Some(Effect::Resume { cancel_bench: None }));
}

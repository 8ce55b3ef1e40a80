//! The real binary in a real terminal (tmux) as a shell's jobs and a user's windows treat
//! it: Ctrl-Z and `kill -TSTP` suspend it like any full-screen program (the terminal given
//! back, raw mode and the screen restored on `fg`), a `kill -STOP`/`-CONT` redraws; a window
//! that grew leaves nothing behind on the normal screen; quit signals while `$EDITOR` runs
//! never leave the editor behind; a file replaced by a FIFO, a `--graph` FIFO and a watched
//! directory deleted and recreated neither hang nor leave a stale screen. Skipped without
//! tmux.

mod tmux_support;

use std::path::Path;

use tmux_support::{HANG, TempDir, Tmux, alive, chain, command_line, exited, read_pid, tmux_installed};

fn skip() -> bool {
    if tmux_installed() {
        return false;
    }
    eprintln!("skipped: tmux not installed");
    true
}

/// The header shows the chain IR `name` with `levels` levels, not marked stale.
fn shows(screen: &str, name: &str, levels: usize) -> bool {
    screen.contains(&format!("│ {levels} levels │")) && screen.contains(name) && !screen.contains("STALE")
}

/// True when the normal screen shows the shell's empty prompt (`$ `, its trailing space
/// trimmed by tmux) on its last non-empty line.
fn prompt(screen: &str) -> bool {
    screen.lines().rev().find(|l| !l.trim().is_empty()).is_some_and(|l| l.trim_end() == "$")
}

fn kill(signal: &str, pid: u32) {
    let status = std::process::Command::new("kill").args([signal, &pid.to_string()]).status().expect("kill");
    assert!(status.success(), "kill {signal} {pid} failed");
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path and nothing else.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

/// An interactive shell in tmux running irtop on a chain IR named `name`; returns irtop's pid.
fn irtop_in_a_shell(tmux: &Tmux, dir: &TempDir, name: &str) -> u32 {
    let file = dir.0.join("ir.json");
    std::fs::write(&file, chain(name, 3)).unwrap();
    tmux.start_shell(160, 48, "");
    let pid_file = dir.0.join("pid");
    tmux.type_line(&format!(
        "sh -c 'echo $$ > {}; exec {} {}'",
        pid_file.display(),
        env!("CARGO_BIN_EXE_irtop"),
        file.display()
    ));
    let pid = read_pid(&pid_file);
    tmux.wait_for("the TUI", |s| shows(s, name, 3));
    pid
}

/// `q`, then the exit status as the shell saw it: 0, with the TUI off the screen.
fn quit_to_the_shell(tmux: &Tmux) {
    tmux.keys("q");
    tmux.wait_for("the prompt after irtop exits", |s| prompt(s) && !s.contains("levels │"));
    tmux.type_line("echo irtop-exit=$?");
    tmux.wait_for("irtop's exit status", |s| s.contains("irtop-exit=0"));
}

/// After a stop: the shell has the terminal (its prompt on the normal screen, the TUI gone)
/// in canonical mode; `fg` brings the TUI back, redrawn, and it takes keys one at a time.
fn stopped_then_fg(tmux: &Tmux, name: &str) {
    let screen = tmux.wait_for("the shell to report the job stopped", |s| s.contains("Stopped") && prompt(s));
    assert!(!screen.contains("levels │"), "the TUI is still on the screen:\n{screen}");
    tmux.type_line("stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon");
    tmux.wait_for("the terminal mode", |s| s.lines().any(|l| l.trim() == "icanon"));
    tmux.type_line("fg");
    tmux.wait_for("the TUI redrawn after fg", |s| shows(s, name, 3) && !s.contains("Stopped"));
    // Raw mode: `?` opens the help without Enter.
    tmux.keys("?");
    tmux.wait_for("the help overlay", |s| s.contains("? or Esc closes"));
    tmux.keys("Escape");
    quit_to_the_shell(tmux);
}

#[test]
fn ctrl_z_suspends_and_fg_resumes_with_a_redraw() {
    if skip() {
        return;
    }
    let dir = TempDir::new("ctrl-z");
    let tmux = Tmux::new("ctrl-z");
    let pid = irtop_in_a_shell(&tmux, &dir, "suspended");
    tmux.keys("C-z");
    stopped_then_fg(&tmux, "suspended");
    assert!(!alive(pid));
}

#[test]
fn sigtstp_suspends_and_fg_resumes_with_a_redraw() {
    if skip() {
        return;
    }
    let dir = TempDir::new("sigtstp");
    let tmux = Tmux::new("sigtstp");
    let pid = irtop_in_a_shell(&tmux, &dir, "tstp");
    kill("-TSTP", pid);
    stopped_then_fg(&tmux, "tstp");
}

#[test]
fn sigstop_then_sigcont_takes_the_terminal_back_and_redraws() {
    if skip() {
        return;
    }
    let dir = TempDir::new("sigstop");
    let tmux = Tmux::new("sigstop");
    let pid = irtop_in_a_shell(&tmux, &dir, "stopcont");
    // SIGSTOP cannot be caught: the shell takes the terminal over the TUI's screen.
    kill("-STOP", pid);
    tmux.wait_for("the shell to report the job stopped", |s| s.contains("Stopped"));
    tmux.type_line("fg");
    tmux.wait_for("the TUI redrawn after fg", |s| shows(s, "stopcont", 3) && !s.contains("Stopped"));
    tmux.keys("?");
    tmux.wait_for("the help overlay", |s| s.contains("? or Esc closes"));
    tmux.keys("Escape");
    quit_to_the_shell(&tmux);
}

#[test]
fn a_window_grown_while_running_leaves_no_debris_on_the_normal_screen() {
    if skip() {
        return;
    }
    let dir = TempDir::new("grow");
    let file = dir.0.join("ir.json");
    let pid_file = dir.0.join("pid");
    std::fs::write(&file, chain("grown", 3)).unwrap();
    let tmux = Tmux::new("grow");
    tmux.start_sized(&command_line(&file, &pid_file, ""), 80, 24);
    tmux.wait_for("the TUI", |s| shows(s, "grown", 3));
    tmux.resize(160, 48);
    tmux.wait_for("the TUI redrawn at 160 columns", |s| s.lines().any(|l| l.chars().count() > 100 && l.contains('─')));
    tmux.keys("q");
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop-exit=0"), "{screen}");
    assert!(
        !screen.contains(['│', '┃', '─', '━', '┌', '┏']),
        "the TUI's lines were left on the normal screen:\n{screen}"
    );
}

/// irtop in tmux with `$EDITOR` set to a shell script `body` (after it writes its pid), the
/// editor opened with `e`; returns the test directory, irtop's pid and the editor's.
fn irtop_in_the_editor(test: &str, body: &str) -> (TempDir, Tmux, u32, u32) {
    let dir = TempDir::new(test);
    let file = dir.0.join("ir.json");
    let pid_file = dir.0.join("pid");
    let editor_pid = dir.0.join("editor.pid");
    let editor = dir.0.join("editor.sh");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\n{body}\necho $$ > '{}'\nwhile :; do sleep 0.1; done\n", editor_pid.display()),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(&file, chain("edited", 3)).unwrap();
    let tmux = Tmux::new(test);
    tmux.start(&command_line(&file, &pid_file, &format!("EDITOR={}", editor.display())));
    let pid = read_pid(&pid_file);
    tmux.wait_for("the TUI", |s| shows(s, "edited", 3));
    tmux.keys("e");
    let editor = read_pid(&editor_pid);
    assert!(alive(editor));
    (dir, tmux, pid, editor)
}

#[test]
fn a_quit_signal_while_the_editor_runs_goes_to_the_editor_first() {
    if skip() {
        return;
    }
    // An editor that dies of SIGTERM: irtop passes the signal on and quits once it has exited.
    let (_dir, tmux, pid, editor) = irtop_in_the_editor("editor-term", "");
    kill("-TERM", pid);
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop-exit=143"), "{screen}");
    assert!(!alive(editor), "the editor (pid {editor}) was left running");
}

#[test]
fn a_second_quit_signal_while_the_editor_runs_never_leaves_it_behind() {
    if skip() {
        return;
    }
    // An editor that survives SIGTERM (it notes it in a file): the second signal kills it,
    // and irtop quits. It used to exit at once and leave the editor running.
    let (dir, tmux, pid, editor) =
        irtop_in_the_editor("editor-twice", "trap 'echo TERM >> \"$(dirname \"$0\")/got-term\"' TERM");
    kill("-TERM", pid);
    // Wait until the first signal has reached the editor, so the two are not merged into one.
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(dir.0.join("got-term")).is_ok_and(|s| s.contains("TERM")) {
        assert!(start.elapsed() < HANG, "the first SIGTERM never reached the editor");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(alive(pid) && alive(editor), "irtop must wait for the editor it passed the first signal to");
    kill("-TERM", pid);
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop-exit=143"), "{screen}");
    assert!(!alive(editor), "the editor (pid {editor}) was left running");
}

#[test]
fn a_file_replaced_by_a_fifo_is_refused_without_hanging() {
    if skip() {
        return;
    }
    let dir = TempDir::new("fifo");
    let file = dir.0.join("ir.json");
    let pid_file = dir.0.join("pid");
    std::fs::write(&file, chain("before", 3)).unwrap();
    let tmux = Tmux::new("fifo");
    tmux.start(&command_line(&file, &pid_file, ""));
    read_pid(&pid_file);
    tmux.wait_for("the TUI", |s| shows(s, "before", 3));
    std::fs::remove_file(&file).unwrap();
    mkfifo(&file);
    let screen = tmux.wait_for("the FIFO banner", |s| s.contains("a FIFO (named pipe), not a regular file"));
    assert!(screen.contains("│ 3 levels │") && screen.contains("STALE"), "{screen}");
    // `r` answers too (the reload thread is not blocked on the FIFO).
    tmux.keys("r");
    std::fs::remove_file(&file).unwrap();
    std::fs::write(&file, chain("after", 5)).unwrap();
    tmux.wait_for("the file after the FIFO", |s| shows(s, "after", 5));
    tmux.keys("q");
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop-exit=0"), "{screen}");
}

#[test]
fn a_graph_fifo_fails_the_benchmark_every_time_without_hanging() {
    if skip() {
        return;
    }
    let dir = TempDir::new("graph-fifo");
    let file = dir.0.join("ir.json");
    let fifo = dir.0.join("edges");
    std::fs::write(&file, chain("graphfifo", 3)).unwrap();
    mkfifo(&fifo);
    let tmux = Tmux::new("graph-fifo");
    tmux.start(&format!(
        "'{}' --graph '{}' '{}'; echo irtop-exit=$?; sleep 600",
        env!("CARGO_BIN_EXE_irtop"),
        fifo.display(),
        file.display()
    ));
    tmux.wait_for("the TUI", |s| shows(s, "graphfifo", 3));
    for _ in 0..2 {
        tmux.keys("4");
        tmux.keys("b");
        tmux.wait_for("the benchmark to fail naming the FIFO", |s| {
            s.contains("a FIFO (named pipe), not a regular file") && !s.contains("running")
        });
    }
    tmux.keys("q");
    tmux.wait_for("irtop to exit", |s| s.contains("irtop-exit=0"));
}

#[test]
fn a_watched_directory_deleted_and_recreated_is_followed() {
    if skip() {
        return;
    }
    let dir = TempDir::new("dir-recreated");
    let sub = dir.0.join("project");
    std::fs::create_dir_all(&sub).unwrap();
    let file = sub.join("ir.json");
    let pid_file = dir.0.join("pid");
    std::fs::write(&file, chain("original", 3)).unwrap();
    let tmux = Tmux::new("dir-recreated");
    tmux.start(&command_line(&file, &pid_file, ""));
    read_pid(&pid_file);
    tmux.wait_for("the TUI", |s| shows(s, "original", 3));
    std::fs::remove_dir_all(&sub).unwrap();
    tmux.wait_for("the deleted banner", |s| s.contains("was deleted"));
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(&file, chain("restored", 4)).unwrap();
    tmux.wait_for("the file in the recreated directory", |s| shows(s, "restored", 4));
    // And a later save by rename there.
    tmux_support::save_by_rename(&file, &chain("saved", 6));
    tmux.wait_for("a later save", |s| shows(s, "saved", 6));
    tmux.keys("q");
    tmux.wait_for("irtop to exit", exited);
}

/// The address space process `pid` has mapped, in KiB.
fn vm_size_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find_map(|l| l.strip_prefix("VmSize:")).expect("VmSize");
    line.trim().trim_end_matches("kB").trim().parse().expect("a number of kB")
}

#[test]
fn a_reload_too_big_for_the_memory_left_is_a_banner_not_an_abort() {
    if skip() {
        return;
    }
    let dir = TempDir::new("reload-memory");
    let file = dir.0.join("ir.json");
    let pid_file = dir.0.join("pid");
    std::fs::write(&file, chain("small", 3)).unwrap();
    let big =
        std::process::Command::new(env!("CARGO_BIN_EXE_irtop")).args(["gen", "--ops", "200000"]).output().unwrap();
    assert!(big.status.success());
    // What the TUI maps as it starts under an address-space limit (allocator arenas, thread
    // stacks: about 0.5 GB), measured on this machine.
    let start_under = |tmux: &Tmux, kib: u64| {
        let _ = std::fs::remove_file(&pid_file);
        tmux.start(&format!("ulimit -v {kib}; {}", command_line(&file, &pid_file, "")));
        let pid = read_pid(&pid_file);
        tmux.wait_for("the TUI", |s| shows(s, "small", 3));
        pid
    };
    let baseline = {
        let tmux = Tmux::new("reload-memory-baseline");
        let kib = vm_size_kib(start_under(&tmux, 1_000_000));
        tmux.keys("q");
        tmux.wait_for("irtop to exit", exited);
        kib
    };
    // 170 MB more: loading the 23.5 MB IR takes about 250 MB more (this used to abort, exit
    // 134, with the terminal left in the alternate screen).
    let tmux = Tmux::new("reload-memory");
    let pid = start_under(&tmux, baseline + 170_000);
    tmux_support::save_by_rename(&file, std::str::from_utf8(&big.stdout).unwrap());
    let screen = tmux.wait_for("the memory banner", |s| s.contains("that RLIMIT_AS leaves"));
    assert!(screen.contains("the file is 22.4 MiB; loading and analysing it needs about 0.282 GB"), "{screen}");
    assert!(screen.contains("STALE") && screen.contains("│ 3 levels │"), "{screen}");
    assert!(alive(pid));
    // A file that fits loads again.
    tmux_support::save_by_rename(&file, &chain("fits", 4));
    tmux.wait_for("the file that fits", |s| shows(s, "fits", 4));
    tmux.keys("q");
    let screen = tmux.wait_for("irtop to exit", exited);
    assert!(screen.contains("irtop-exit=0"), "{screen}");
}

//! The real binary in a real terminal: a private tmux server per test, a temp directory, and
//! a command line that reports irtop's exit code, its pid and the terminal mode afterwards.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long to wait for something that must happen on the screen: only a hang (or a bug)
/// takes this long, however loaded the machine; the tests never time anything.
pub const HANG: Duration = Duration::from_secs(120);

/// A private tmux server (its own socket), killed when dropped, even if the test fails.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// A server named after the test and this process.
    pub fn new(test: &str) -> Tmux {
        Tmux { socket: format!("irtop-tmux-{}-{test}", std::process::id()) }
    }

    /// Runs a tmux command on this server.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("cannot run tmux")
    }

    /// Starts `command` (a shell command line) in a 160x48 window.
    pub fn start(&self, command: &str) {
        self.start_sized(command, 160, 48);
    }

    /// Starts `command` in a `w` x `h` window.
    pub fn start_sized(&self, command: &str, w: u16, h: u16) {
        let (w, h) = (w.to_string(), h.to_string());
        let out = self.run(&["new-session", "-d", "-s", "main", "-x", &w, "-y", &h, command]);
        assert!(out.status.success(), "tmux new-session failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// An interactive shell with job control (Ctrl-Z, `fg`) and a plain `$ ` prompt, in a
    /// `w` x `h` window; `env` (`X=1 Y=2`) goes into its environment.
    pub fn start_shell(&self, w: u16, h: u16, env: &str) {
        self.start_sized(&format!("env {env} PS1='$ ' bash --norc --noprofile -i"), w, h);
        self.wait_for("the shell's prompt", |s| s.lines().any(|l| l.trim_end() == "$"));
    }

    /// Types `line` into the pane and presses Enter.
    pub fn type_line(&self, line: &str) {
        self.run(&["send-keys", "-t", "main", "-l", line]);
        self.run(&["send-keys", "-t", "main", "Enter"]);
    }

    /// Resizes the window to `w` x `h`.
    pub fn resize(&self, w: u16, h: u16) {
        let out = self.run(&["resize-window", "-t", "main", "-x", &w.to_string(), "-y", &h.to_string()]);
        assert!(out.status.success(), "tmux resize-window failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// The visible screen as text.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "main"]).stdout).into_owned()
    }

    /// Polls the screen until `ok` holds (up to [`HANG`]); returns it, or panics showing it.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > HANG {
                panic!("timed out waiting for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends keys (tmux key names).
    pub fn keys(&self, keys: &str) {
        self.run(&["send-keys", "-t", "main", keys]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// True when tmux can be run (the tests skip otherwise).
pub fn tmux_installed() -> bool {
    Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success())
}

/// A fresh temp directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty directory for `test`.
    pub fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("irtop-tmux-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A shell command line that runs irtop on `file` with `env` (e.g. `X=1`), writing its pid
/// to `pid_file` first; then prints its exit code and whether the terminal is in canonical
/// mode (`icanon`) or still raw (`-icanon`), and waits so the screen can be read.
pub fn command_line(file: &Path, pid_file: &Path, env: &str) -> String {
    format!(
        "sh -c 'echo $$ > \"{}\"; exec env {env} \"{}\" \"{}\"'; echo irtop-exit=$?; \
         stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon; sleep 600",
        pid_file.display(),
        env!("CARGO_BIN_EXE_irtop"),
        file.display()
    )
}

/// The pid irtop wrote, once it has.
pub fn read_pid(pid_file: &Path) -> u32 {
    let start = Instant::now();
    loop {
        if let Some(pid) = std::fs::read_to_string(pid_file).ok().and_then(|s| s.trim().parse().ok()) {
            return pid;
        }
        assert!(start.elapsed() < HANG, "irtop never started");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// True once the command line has printed irtop's exit code and the terminal mode.
pub fn exited(screen: &str) -> bool {
    screen.contains("irtop-exit=") && screen.lines().any(|l| matches!(l.trim(), "icanon" | "-icanon"))
}

/// Asserts the terminal is back to normal after irtop exited with `code`: canonical mode,
/// the alternate screen left (none of the TUI's panes on the normal screen).
pub fn assert_restored(screen: &str, code: &str) {
    assert!(screen.contains(&format!("irtop-exit={code}")), "expected exit {code}:\n{screen}");
    assert!(screen.lines().any(|l| l.trim() == "icanon"), "the terminal is still in raw mode:\n{screen}");
    assert!(!screen.contains("Critical path"), "the alternate screen was not left:\n{screen}");
}

/// A chain IR of `levels` ops named `name`: each op reads the previous one's output, so the
/// header shows `│ {levels} levels │`.
pub fn chain(name: &str, levels: usize) -> String {
    let mut nodes = vec![serde_json::json!({"id": "n0", "domain": "core", "op_type": "init_nodes",
        "inputs": [], "output": "v0", "metadata": {"default": 1.0}})];
    for i in 1..levels {
        nodes.push(serde_json::json!({"id": format!("n{i}"), "domain": "core", "op_type": "add",
            "inputs": [format!("v{}", i - 1), format!("v{}", i - 1)], "output": format!("v{i}"), "metadata": {}}));
    }
    serde_json::to_string_pretty(&serde_json::json!({"name": name, "nodes": nodes})).expect("serialise")
}

/// Replaces `path` by writing a sibling and renaming it over, as many editors save.
pub fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_extension("json.swp");
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

/// True when process `pid` is alive (and not a zombie).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| s.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')))
}

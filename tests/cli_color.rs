//! `--color auto|always|never` and the messages' conventions, through the real binary: what
//! is coloured (headers, verdicts, severities, `error`), that plain output is the coloured
//! output without its escapes, that NO_COLOR turns `auto` off but not `always`, that `auto`
//! colours a terminal (a pseudo-terminal from `script`) and not a pipe, that clap's errors and
//! irtop's start the same way, and the grammar of counts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod tmux_support;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// `irtop args` from the crate root with `env` set and every colour variable of the
/// caller's environment removed, so that only `env` decides.
fn irtop_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_irtop"));
    cmd.args(args).current_dir(MANIFEST_DIR);
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        cmd.env_remove(var);
    }
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("cannot run the irtop binary")
}

fn irtop(args: &[&str]) -> Output {
    irtop_env(args, &[])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `s` without its ANSI SGR sequences (`ESC [ ... m`).
fn strip(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

const ESC: char = '\u{1b}';
const BOLD: &str = "\u{1b}[1m";
const RED_BOLD_ERROR: &str = "\u{1b}[1m\u{1b}[31merror\u{1b}[0m";

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("irtop-color-test-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cannot create the temp dir");
        TempDir(dir)
    }

    fn file(&self, name: &str, contents: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("cannot write a temp file");
        path.display().to_string()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An IR whose first node reads `x` before the second writes it: error `read-before-write`.
const READ_BEFORE_WRITE: &str = r#"{"name": "rbw", "nodes": [
    {"id": "a", "op_type": "mul", "inputs": ["x", "x"], "output": "y"},
    {"id": "b", "op_type": "init_nodes", "output": "x", "metadata": {"default": 1.0}}
]}"#;

#[test]
fn always_colours_the_report_and_plain_is_the_same_text_without_escapes() {
    let coloured = irtop(&["report", "samples/pagerank_loop.json", "--color", "always"]);
    assert!(coloured.status.success(), "{}", text(&coloured.stderr));
    let coloured = text(&coloured.stdout);
    assert!(coloured.starts_with(&format!("{BOLD}=== Parallel Execution Analysis: pagerank_loop ===")), "{coloured}");
    assert!(coloured.contains(&format!("{BOLD}Parallel groups")), "{coloured}");
    for args in [
        &["report", "samples/pagerank_loop.json", "--color", "never"][..],
        &["report", "samples/pagerank_loop.json"],
        &["--color=never", "report", "samples/pagerank_loop.json"],
    ] {
        let plain = text(&irtop(args).stdout);
        assert!(!plain.contains(ESC), "irtop {args:?} coloured a pipe:\n{plain}");
        assert_eq!(plain, strip(&coloured), "irtop {args:?}");
    }
    // Data formats are never coloured: a script reads them.
    let plan = irtop(&["plan", "samples/pagerank_loop.json", "--color", "always"]);
    assert!(!text(&plan.stdout).contains(ESC));
    serde_json::from_slice::<serde_json::Value>(&plan.stdout).expect("the plan is still JSON");
}

#[test]
fn no_color_turns_auto_off_but_always_wins() {
    let env = [("NO_COLOR", "1")];
    let auto = irtop_env(&["report", "samples/diamond.json"], &env);
    assert!(!text(&auto.stdout).contains(ESC));
    let always = irtop_env(&["report", "samples/diamond.json", "--color", "always"], &env);
    assert!(text(&always.stdout).contains(BOLD), "{}", text(&always.stdout));
    // CLICOLOR_FORCE colours a pipe under auto (the convention anstream follows), and
    // --color never still wins over it.
    let forced = irtop_env(&["report", "samples/diamond.json"], &[("CLICOLOR_FORCE", "1")]);
    assert!(text(&forced.stdout).contains(BOLD));
    let never = irtop_env(&["report", "samples/diamond.json", "--color", "never"], &[("CLICOLOR_FORCE", "1")]);
    assert!(!text(&never.stdout).contains(ESC));
}

#[test]
fn findings_are_coloured_by_severity_on_stdout_and_stderr() {
    let dir = TempDir::new("severity");
    let rbw = dir.file("rbw.json", READ_BEFORE_WRITE);
    let report = text(&irtop(&["report", &rbw, "--color", "always"]).stdout);
    assert!(report.contains(&format!("  {RED_BOLD_ERROR} [read-before-write] a:")), "{report}");
    let plan = irtop(&["plan", &rbw, "--color", "always"]);
    let stderr = text(&plan.stderr);
    assert!(stderr.contains(&format!("rbw.json: {RED_BOLD_ERROR} [read-before-write] a:")), "{stderr}");
    let plain = irtop(&["plan", &rbw]);
    assert!(text(&plain.stderr).contains("rbw.json: error [read-before-write] a:"), "{}", text(&plain.stderr));
    assert!(!text(&plain.stderr).contains(ESC));
}

#[test]
fn every_error_starts_irtop_error_and_is_red_when_asked() {
    let dir = TempDir::new("errors");
    let missing = dir.path("missing.json").display().to_string();
    let cases: [&[&str]; 5] = [
        &["repot", "samples/diamond.json"],             // clap's, with irtop's suggestion
        &["report", "samples/diamond.json", "--bogus"], // clap's
        &["bench", "samples/diamond.json", "--mode", "fast"], // clap's: a value
        &["report", &missing],                          // irtop's
        &["gen", "--width", "0"],                       // irtop's
    ];
    for args in cases {
        let out = irtop(args);
        assert_eq!(out.status.code(), Some(2), "irtop {args:?}");
        let err = text(&out.stderr);
        assert!(err.starts_with("irtop: error: "), "irtop {args:?}:\n{err}");
        assert!(!err.contains(ESC), "irtop {args:?} coloured a pipe:\n{err}");
        let coloured = irtop(&[args, &["--color", "always"]].concat());
        let err = text(&coloured.stderr);
        let red = "\u{1b}[1m\u{1b}[31merror:\u{1b}[0m ";
        assert!(err.starts_with(&format!("irtop: {red}")), "irtop {args:?} --color always:\n{err:?}");
    }
    // clap's help follows --color too.
    let help = irtop(&["report", "--help", "--color", "never"]);
    assert!(!text(&help.stdout).contains(ESC));
    let help = irtop(&["report", "--help", "--color", "always"]);
    assert!(text(&help.stdout).contains(ESC));
}

#[test]
fn the_bench_table_colours_its_verdicts_and_column_names() {
    let args = ["bench", "samples/eight_wide.json", "--uniform", "2000", "--reps", "1", "--mode", "levels"];
    let out = irtop(&[&args[..], &["--color", "always"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let header = table.lines().nth(1).expect("the column names");
    assert!(header.starts_with(&format!("{BOLD}mode ")), "{table}");
    let levels = table.lines().find(|l| l.starts_with("levels ")).expect("the levels row");
    let painted = ["\u{1b}[32mpays    ", "\u{1b}[33mmarginal", "\u{1b}[31mloses   "];
    assert!(painted.iter().any(|p| levels.contains(&format!("{p}\u{1b}[0m"))), "{levels:?}");
    // Unpainted, the columns line up as before: the verdict is padded inside its colour.
    let plain = strip(&table);
    let widths: Vec<usize> = plain.lines().skip(1).take(3).map(|l| l.chars().count()).collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{plain}");
}

#[test]
fn auto_colours_a_terminal_and_not_a_pipe() {
    let screen = on_terminal("report samples/diamond.json", &[]);
    assert!(screen.contains(&format!("{BOLD}=== Parallel Execution Analysis")), "{screen:?}");
    let screen = on_terminal("report samples/diamond.json", &[("NO_COLOR", "1")]);
    assert!(screen.contains("=== Parallel Execution Analysis") && !screen.contains(BOLD), "{screen:?}");
    let screen = on_terminal("report samples/diamond.json --color never", &[]);
    assert!(screen.contains("=== Parallel Execution Analysis") && !screen.contains(BOLD), "{screen:?}");
    let screen = on_terminal("report samples/diamond.json | cat", &[]);
    assert!(screen.contains("=== Parallel Execution Analysis") && !screen.contains(ESC), "{screen:?}");
}

#[test]
fn counts_of_one_are_singular() {
    let dir = TempDir::new("grammar");
    let one = dir.file(
        "one.json",
        r#"{"name": "one", "nodes": [{"id": "a", "op_type": "init_nodes", "output": "x", "metadata": {"default": 1.0}}]}"#,
    );
    let report = text(&irtop(&["report", &one]).stdout);
    assert!(report.contains("Critical path: 1 op, cost 10 (longest chain by op count: 1 op)"), "{report}");
    assert!(report.contains("Level 0: 1 operation, factor"), "{report}");
    assert!(report.contains("groggy's own analyzer: 1 level,"), "{report}");
    let out = irtop(&["bench", &one, "--uniform", "100", "--reps", "1", "--threads", "1"]);
    let table = text(&out.stdout);
    assert!(table.contains(", 1 thread, 1 round (as asked) in "), "{table}\n{}", text(&out.stderr));
    assert!(!table.contains("1 threads") && !table.contains("1 rounds"), "{table}");
}

/// Runs `irtop ARGS` (a shell command line after `irtop`) with a pseudo-terminal as its
/// stdout and stderr (util-linux's `script`), and returns what it wrote there.
fn on_terminal(args: &str, env: &[(&str, &str)]) -> String {
    let dir = TempDir::new(&format!("tty-{}", args.len()));
    let log = dir.path("typescript");
    let bin = env!("CARGO_BIN_EXE_irtop");
    let mut cmd = Command::new("script");
    cmd.args(["-q", "-e", "-c", &format!("stty cols 160 rows 50; {bin} {args}")])
        .arg(&log)
        .current_dir(MANIFEST_DIR)
        .env("SHELL", "/bin/sh")
        .env("TERM", "xterm-256color");
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("cannot run `script` (util-linux): this test needs a pseudo-terminal");
    assert!(out.status.success(), "script -c 'irtop {args}': {}", text(&out.stderr));
    text(&std::fs::read(Path::new(&log)).expect("script writes its log"))
}

/// Whether `screen` (tmux's `capture-pane -e`) sets a foreground or background colour
/// anywhere: an SGR parameter 30-38, 40-48, 90-97 or 100-107 (bold, underline and reverse
/// are not colours).
fn sets_a_colour(screen: &str) -> bool {
    screen.split('\u{1b}').filter_map(|seq| seq.strip_prefix('[')).filter_map(|seq| seq.split_once('m')).any(
        |(params, _)| {
            params
                .split(';')
                .filter_map(|p| p.parse::<u32>().ok())
                .any(|p| matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107))
        },
    )
}

#[test]
fn the_terminal_ui_follows_color_too() {
    if !tmux_support::tmux_installed() {
        eprintln!("skipped: tmux not installed");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_irtop");
    let file = Path::new(MANIFEST_DIR).join("samples/diamond.json");
    for (k, (flag, env, coloured)) in [
        ("--color never", "", false),
        ("--color always", "NO_COLOR=1", true),
        ("", "NO_COLOR=1", false),
        ("", "", true),
    ]
    .into_iter()
    .enumerate()
    {
        let tmux = tmux_support::Tmux::new(&format!("color-{k}"));
        tmux.start(&format!(
            "env -u NO_COLOR -u CLICOLOR -u CLICOLOR_FORCE {env} TERM=xterm-256color '{bin}' {flag} '{}'; sleep 600",
            file.display()
        ));
        tmux.wait_for("the levels pane", |s| s.contains("Levels") && s.contains("Critical path"));
        let screen = text(&tmux.run(&["capture-pane", "-e", "-p", "-t", "main"]).stdout);
        assert_eq!(sets_a_colour(&screen), coloured, "irtop {flag} with `{env}`:\n{screen}");
        tmux.keys("q");
    }
}

//! Help and messages, through the real binary: each subcommand's `--help` lists the limit
//! flags it applies and no others, `--mode` lists its values, the top-level help gives the
//! exit statuses, and a value irtop would have to clamp is refused or said out loud.

use std::process::{Command, Output};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn irtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(args)
        .current_dir(MANIFEST_DIR)
        .env_remove("NO_COLOR")
        .output()
        .expect("cannot run the irtop binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `irtop args` fails with exit 2; its stderr.
fn refused(args: &[&str]) -> String {
    let out = irtop(args);
    assert_eq!(out.status.code(), Some(2), "irtop {args:?}: {}", text(&out.stderr));
    text(&out.stderr)
}

/// The long flags `irtop <sub> --help` lists that start with `--max-`.
fn limit_flags(sub: &str) -> Vec<String> {
    let out = irtop(&[sub, "--help"]);
    assert!(out.status.success());
    let mut flags: Vec<String> = text(&out.stdout)
        .split_whitespace()
        .filter(|w| w.starts_with("--max-"))
        .map(|w| w.trim_end_matches([',', '.', ')']).to_owned())
        .collect();
    flags.sort();
    flags.dedup();
    flags
}

#[test]
fn each_subcommand_lists_only_the_limit_flags_it_applies() {
    let all = ["--max-file-mb", "--max-graph-gb", "--max-memory-gb", "--max-work"];
    for (sub, want) in [
        ("report", &["--max-file-mb", "--max-memory-gb"][..]),
        ("plan", &["--max-file-mb", "--max-memory-gb"]),
        ("dot", &["--max-file-mb", "--max-memory-gb"]),
        ("run", &all),
        ("bench", &all),
        ("calibrate", &["--max-memory-gb"]),
        ("gen", &["--max-memory-gb"]),
        ("completions", &[]),
    ] {
        assert_eq!(limit_flags(sub), want, "irtop {sub} --help");
    }
    // Given before a subcommand that does not apply it, a limit flag is refused, not ignored.
    let err = refused(&["--max-work", "1e6", "calibrate"]);
    assert!(err.contains("--max-work before `calibrate`: `calibrate` does not apply it"), "{err}");
    let err = refused(&["--max-file-mb", "4", "completions", "bash"]);
    assert!(err.contains("`completions` does not apply it (it takes no limit flags)"), "{err}");
    // After it, clap refuses it as it does any unknown flag.
    let err = refused(&["gen", "--max-work", "1e6"]);
    assert!(err.starts_with("irtop: error: unexpected argument '--max-work'"), "{err}");
}

#[test]
fn mode_lists_its_values_and_the_help_gives_the_exit_statuses() {
    for sub in ["run", "bench"] {
        let help = text(&irtop(&[sub, "--help"]).stdout);
        for mode in ["seq", "levels", "dataflow", "data", "levels+data", "dataflow+data", "auto"] {
            assert!(help.contains(&format!("- {mode}:")), "irtop {sub} --help has no `{mode}`:\n{help}");
        }
    }
    let err = refused(&["bench", "samples/diamond.json", "--mode", "fast"]);
    assert!(err.contains("[possible values: seq, levels, dataflow, data, levels+data, dataflow+data, auto]"), "{err}");
    let help = text(&irtop(&["--help"]).stdout);
    assert!(help.contains("Exit status: 0 success; 1 an internal failure; 2 bad input"), "{help}");
    assert!(help.contains("3 a finding denied by --deny"), "{help}");
}

#[test]
fn values_that_would_be_clamped_are_refused_naming_the_flag() {
    let err = refused(&["gen", "--width", "0", "--shape", "layered"]);
    assert!(err.contains("--width 0: a layer holds at least 1 op; pass --width 1 or more"), "{err}");
    let err = refused(&["gen", "--ops", "0"]);
    assert!(err.contains("--ops 0: an IR has at least 1 op"), "{err}");
    let err = refused(&["bench", "samples/diamond.json", "--uniform", "10", "--reps", "0"]);
    assert!(err.contains("--reps 0: a benchmark times at least 1 round"), "{err}");
    let err = refused(&["run", "samples/diamond.json", "--uniform", "10", "--threads", "0"]);
    assert!(err.contains("--threads 0: give at least 1 worker thread"), "{err}");
}

#[test]
fn more_threads_than_cores_is_said_not_hidden() {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let more = (cores + 1).to_string();
    let out = irtop(&["run", "samples/diamond.json", "--uniform", "100", "--mode", "levels", "--threads", &more]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    let core_s = if cores == 1 { "core" } else { "cores" };
    assert!(
        err.contains(&format!("note: --threads {more} is more than the {cores} {core_s} this machine has")),
        "{err}"
    );
    // As many as the cores: nothing to say.
    let out = irtop(&["run", "samples/diamond.json", "--uniform", "100", "--threads", &cores.to_string()]);
    assert_eq!(text(&out.stderr), "");
}

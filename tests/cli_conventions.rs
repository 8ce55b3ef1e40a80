//! The command-line conventions of cargo, git and rustc, through the real binary: a mistyped
//! subcommand gets a suggestion, and `--deny warnings|errors` turns findings into a failing
//! exit status for CI.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn irtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("cannot run the irtop binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temp file with `contents`, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("irtop-cli-conventions-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("temp file");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("UTF-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `a` reads `y`, which `b` writes later: an error-level `read-before-write` finding.
const READ_BEFORE_WRITE: &str = r#"{"nodes": [{"id":"a","op_type":"add","inputs":["y"],"output":"x"},{"id":"b","op_type":"mul","inputs":["x"],"output":"y"}]}"#;

/// `a` reads `w`, which nothing writes: a warning (`external-input`), no error.
const EXTERNAL_INPUT: &str = r#"{"nodes": [{"id":"a","op_type":"add","inputs":["w"],"output":"x"}]}"#;

#[test]
fn a_mistyped_subcommand_suggests_the_right_one() {
    for (typed, meant) in [("repot", "report"), ("plna", "plan"), ("bech", "bench"), ("calibrat", "calibrate")] {
        let out = irtop(&[typed, "samples/diamond.json"]);
        assert_eq!(out.status.code(), Some(2), "irtop {typed}");
        let err = text(&out.stderr);
        assert!(err.contains(&format!("unrecognized subcommand '{typed}'")), "{err}");
        assert!(err.contains(&format!("a similar subcommand exists: '{meant}'")), "{err}");
        assert!(out.stdout.is_empty());
    }
    // A file that is missing is still reported as a missing file, not as a typo.
    let out = irtop(&["report.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out.stderr).contains("subcommand"), "{}", text(&out.stderr));
}

#[test]
fn deny_errors_fails_on_a_read_before_write_file() {
    let file = TempFile::new("rbw.json", READ_BEFORE_WRITE);
    for command in ["report", "plan", "dot"] {
        let out = irtop(&[command, "--deny", "errors", file.path()]);
        assert_eq!(out.status.code(), Some(3), "irtop {command} --deny errors");
        let err = text(&out.stderr);
        assert!(err.contains("denied by --deny errors: 1 read-before-write (first at node a)"), "{err}");
        assert!(!out.stdout.is_empty(), "the {command} output is still written");
    }
    // Without --deny the same file passes, as before.
    assert_eq!(irtop(&["report", file.path()]).status.code(), Some(0));
}

#[test]
fn deny_warnings_also_fails_on_warnings_and_clean_files_pass() {
    let file = TempFile::new("ext.json", EXTERNAL_INPUT);
    assert_eq!(irtop(&["report", "--deny", "errors", file.path()]).status.code(), Some(0), "a warning is no error");
    let out = irtop(&["report", "--deny", "warnings", file.path()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("external-input"), "{}", text(&out.stderr));
    // The samples irtop ships have no error-level finding.
    for sample in ["diamond", "pagerank_loop", "large_layered_10k"] {
        let path = format!("samples/{sample}.json");
        let out = irtop(&["report", "--deny", "errors", &path]);
        assert_eq!(out.status.code(), Some(0), "{sample}: {}", text(&out.stderr));
    }
    // A bad value names the choices.
    let out = irtop(&["report", "--deny", "everything", "samples/diamond.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("[possible values: warnings, errors]"), "{}", text(&out.stderr));
    assert!(Path::new(file.path()).exists());
}

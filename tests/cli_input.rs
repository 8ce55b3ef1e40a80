//! The binary reads an IR from standard input (`-`) and prints shell completions, as a
//! user of cargo or ripgrep expects.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Runs `irtop args` from the crate root with `input` on its standard input.
fn irtop_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(args)
        .current_dir(MANIFEST_DIR)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run the irtop binary");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    // Written from another thread: a large input must not block on a full pipe while
    // irtop has not started reading.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("irtop ran");
    writer.join().expect("writer");
    out
}

fn irtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irtop")).args(args).current_dir(MANIFEST_DIR).output().expect("irtop ran")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(MANIFEST_DIR).join("samples").join(name)).expect("sample")
}

#[test]
fn dash_reads_the_ir_from_standard_input() {
    for args in [&["plan", "-"][..], &["report", "-", "--format", "json"], &["dot", "-"]] {
        let piped = irtop_with_stdin(args, &sample("diamond.json"));
        assert!(piped.status.success(), "irtop {args:?}: {}", text(&piped.stderr));
        let file_args: Vec<&str> = args.iter().map(|&a| if a == "-" { "samples/diamond.json" } else { a }).collect();
        let from_file = irtop(&file_args);
        assert_eq!(text(&piped.stdout), text(&from_file.stdout), "irtop {args:?} differs from the file's output");
    }
    // A run reads the IR from stdin too, and gives the file's values.
    let run = ["run", "-", "--uniform", "200", "--edges", "800", "--format", "json"];
    let piped = irtop_with_stdin(&run, &sample("pagerank_loop.json"));
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    let from_file = irtop(&run.map(|a| if a == "-" { "samples/pagerank_loop.json" } else { a }));
    assert_eq!(text(&piped.stdout), text(&from_file.stdout));
}

#[test]
fn an_error_in_standard_input_names_it_with_line_and_column() {
    let out = irtop_with_stdin(&["report", "-"], b"{\"nodes\": [\n  {\"id\": \"a\",, }\n]}\n");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("<stdin>:2:"), "{err}");
    // Nothing on stdin at all: the empty-file message, naming stdin.
    let out = irtop_with_stdin(&["report", "-"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("<stdin>:1:1"), "{}", text(&out.stderr));
}

#[test]
fn dash_reads_the_graph_from_standard_input() {
    let edges = b"# nodes 4\n0 1\n1 2\n2 3\n3 0\n";
    let dir = std::env::temp_dir().join(format!("irtop-cli-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("g.edges");
    std::fs::write(&file, edges).expect("edge list");
    let run = |graph: &str, input: &[u8]| {
        irtop_with_stdin(&["run", "samples/pagerank_loop.json", "--graph", graph, "--format", "json"], input)
    };
    let piped = run("-", edges);
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    let from_file = run(file.to_str().expect("utf-8 path"), b"");
    assert_eq!(text(&piped.stdout), text(&from_file.stdout));
    // A bad line names standard input and the line.
    let bad = run("-", b"0 1\nx 2\n");
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("<stdin>:2:"), "{}", text(&bad.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn completions_cover_every_subcommand_and_flag() {
    let bash = irtop(&["completions", "bash"]);
    assert!(bash.status.success(), "{}", text(&bash.stderr));
    let script = text(&bash.stdout);
    for word in ["report", "plan", "dot", "run", "bench", "calibrate", "gen", "completions", "--format", "--rmat"] {
        assert!(script.contains(word), "the bash completions lack {word}");
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = irtop(&["completions", shell]);
        assert!(out.status.success() && text(&out.stdout).contains("report"), "{shell}: {}", text(&out.stderr));
    }
    let out = irtop(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("possible values: bash"), "{}", text(&out.stderr));
}

#[test]
fn completions_into_a_full_disk_are_an_error_not_a_panic() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full opens");
    let out = Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(["completions", "zsh"])
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .expect("irtop ran");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("irtop: error:") && err.contains("No space left"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
